/* lens-task-store-db.c — the task history's SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensTaskStore; see lens-task-store-private.h. Everything here runs
 * in the store's worker thread, on the one connection that writes: opening
 * the file, bringing its schema up to date (lens-task-store-schema.c),
 * salvaging a damaged one and moving it aside (or a newer one), loading
 * the tasks' summaries and writing changes. Kept apart from the GObject and
 * its thread because it is all SQLite and all blocking: nothing in this
 * file may ever run on the main thread. (Records on demand and search run
 * on a second, read-only connection: lens-task-store-reader.c; the file's
 * check on a third: lens-task-store-check.c.)
 *
 * The database runs in WAL mode and every write is one transaction: a
 * process killed at any moment loses at most the transaction it was in.
 *
 * Opening reads no more of the file than the load needs: the check of the
 * whole file runs in the background after the load, at most once a day
 * (the checks table says when it last passed). Damage is handled where it
 * is met:
 *
 *   - met while opening, migrating or loading: what can be read is
 *     salvaged at once into a new file (lens-task-store-salvage.c), which
 *     takes the old one's place; the old one is renamed to
 *     tasks.db.corrupt-<date> (with its -wal and -shm), never deleted, and
 *     the load says in words how many tasks it kept;
 *   - met later, by the check, a read or a write: the file is marked (a
 *     file tasks.db.damaged beside it, which outlasts a crash), the store
 *     says so once ("damaged"), and the next opening salvages it.
 *
 * A database that is not a database at all starts afresh (nothing to
 * salvage), and one from a newer Tasklens is moved aside untouched, both
 * with the same words as before. A database that is only unreachable for
 * now (locked, read-only, disk full) is left alone and the load fails
 * instead.
 *
 * The schema (version 6; user_version says which):
 *
 *   tasks          one row per task in the list
 *     id           TEXT PRIMARY KEY, lower case
 *     position     INTEGER: the list's order (0 … n−1 after a load)
 *     raw_json     TEXT, nullable: the last record the server sent ("{}":
 *                  the server does not know the task); NULL: never answered
 *     added_at     INTEGER: Unix seconds
 *     checked_at   INTEGER, nullable: Unix seconds of the last answer
 *     saved_path   TEXT, nullable: where the original was saved
 *     local_state  TEXT, nullable: a state the record does not give
 *                  (stalled, not-found, or failed with local_error), which
 *                  a task read with its record gets back over it
 *     local_error  TEXT, nullable: why Tasklens marked the task failed
 *   — the summary, what a load reads (LensTaskSummary), written with every
 *     PUT; the first four are derived from raw_json, in the worker, only
 *     when a PUT brings one:
 *     state        TEXT: the task's effective state, its LensTaskState nick
 *                  (lens_task_get_state(), local states included)
 *     progress     INTEGER, nullable: 0–100; NULL when unknown
 *     task_type    TEXT, nullable: the record's type ("imagine" …)
 *     prompt       TEXT, nullable: the record's prompt, for search
 *     created_at   REAL, nullable: Unix seconds
 *     finished_at  REAL, nullable: Unix seconds
 *   tasks_summary  index (position, id, state, progress, task_type,
 *                  created_at, finished_at, local_error): covers the load
 *   tasks_search   FTS5, trigram tokenizer: a copy of id (unindexed) and
 *                  prompt (indexed), rowid the task's rowid, kept in step
 *                  by triggers on tasks
 *   checks         name TEXT PRIMARY KEY ("quick_check"), passed_at
 *                  INTEGER: Unix seconds when the file last passed it
 *
 * Search rules (lens-task-store-reader.c): prompts only (ids are compared
 * in memory); a word of 3 characters or more is a substring looked up in
 * the trigram index (case folded as FTS5 folds Unicode); a shorter one is
 * a scan of the prompts with LIKE, which ignores the case of ASCII letters
 * only.
 */

#define G_LOG_DOMAIN "lens-task-store"

#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lens-core-enums.h"
#include "lens-task-private.h"
#include "lens-task-store-private.h"

/* The errors are made here, where SQLite fails: the domain lives with them,
 * so that this file never calls back into lens-task-store.c. */
G_DEFINE_QUARK (lens-task-store-error-quark, lens_task_store_error)

#define CANCEL_CHECK_ROWS  512
#define CHECK_NAME         "quick_check"

/* Every PUT knows the task's state as it is now: local_state, state,
 * progress and local_error are replaced, not kept, so that a stalled task
 * asked for again is stalled no more. What the record gives (task_type …
 * finished_at) changes only with the record. */
#define PUT_SQL                                                                  \
  "INSERT INTO tasks (id, position, raw_json, added_at, checked_at, local_state,"\
  "                   local_error, state, progress, task_type, prompt,"          \
  "                   created_at, finished_at)"                                  \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"             \
  " ON CONFLICT (id) DO UPDATE SET position = excluded.position,"                \
  "   raw_json = COALESCE (excluded.raw_json, raw_json),"                        \
  "   checked_at = COALESCE (excluded.checked_at, checked_at),"                  \
  "   local_state = excluded.local_state,"                                       \
  "   local_error = excluded.local_error,"                                       \
  "   state = excluded.state,"                                                   \
  "   progress = excluded.progress,"                                             \
  "   task_type = IIF (excluded.raw_json IS NULL, task_type, excluded.task_type),"\
  "   prompt = IIF (excluded.raw_json IS NULL, prompt, excluded.prompt),"        \
  "   created_at = IIF (excluded.raw_json IS NULL, created_at, excluded.created_at),"\
  "   finished_at = IIF (excluded.raw_json IS NULL, finished_at, excluded.finished_at)"

typedef enum
{
  OPEN_OK,
  OPEN_DAMAGED,   /* unreadable, failed its check or its migration: move aside */
  OPEN_NEWER,     /* written by a newer Tasklens: move aside, do not touch */
  OPEN_FAILED,    /* cannot be opened for now: leave it alone */
} OpenResult;

/* ─── errors ───────────────────────────────────────────────────────────── */

/* SQLite's own messages are terse and English: the common causes get words
 * a user can act on. Only damage moves a file aside; the others are about
 * the moment (locked, full, read-only) and leave it alone. */
static const struct
{
  int         code;
  gboolean    damage;
  const char *message;
} sqlite_failures[] = {
  { SQLITE_FULL, FALSE, N_("There is no space left to save the task history") },
  { SQLITE_READONLY, FALSE, N_("The task history file may not be written to") },
  { SQLITE_PERM, FALSE, N_("The task history file may not be written to") },
  { SQLITE_CANTOPEN, FALSE, N_("The task history file could not be opened") },
  { SQLITE_BUSY, FALSE, N_("The task history is in use by another program") },
  { SQLITE_LOCKED, FALSE, N_("The task history is in use by another program") },
  { SQLITE_IOERR, FALSE, N_("The disk reported an error while reading or writing the task history") },
  { SQLITE_NOMEM, FALSE, N_("There is not enough memory to save the task history") },
  { SQLITE_INTERRUPT, FALSE, NULL },
  { SQLITE_AUTH, FALSE, NULL },
  { SQLITE_CORRUPT, TRUE, N_("The task history file is damaged") },
  { SQLITE_NOTADB, TRUE, N_("The task history file is damaged") },
};

GError *
lens_task_store_db_error_new (sqlite3            *db,
                              int                 rc,
                              LensTaskStoreError  code)
{
  for (guint i = 0; i < G_N_ELEMENTS (sqlite_failures); i++)
    if (sqlite_failures[i].code == (rc & 0xff) && sqlite_failures[i].message != NULL)
      return g_error_new_literal (LENS_TASK_STORE_ERROR, code, _(sqlite_failures[i].message));

  return g_error_new (LENS_TASK_STORE_ERROR, code, _("The database reported “%s”"),
                      db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

static gboolean
is_damage (int rc)
{
  for (guint i = 0; i < G_N_ELEMENTS (sqlite_failures); i++)
    if (sqlite_failures[i].code == (rc & 0xff))
      return sqlite_failures[i].damage;
  /* Schema errors, constraint failures and the like: the file is not what
   * this version of Tasklens wrote. */
  return TRUE;
}

/* ─── the worker: opening and migrating ────────────────────────────────── */

void
lens_task_store_db_close (Worker *worker)
{
  g_clear_pointer (&worker->put, sqlite3_finalize);
  g_clear_pointer (&worker->delete, sqlite3_finalize);
  g_clear_pointer (&worker->saved_path, sqlite3_finalize);
  g_clear_pointer (&worker->db, sqlite3_close);
  g_clear_object (&worker->parser);
}

/* Runs a statement and keeps the first column of its first row. */
static int
query_text (sqlite3     *db,
            const char  *sql,
            char       **out_text)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *out_text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc;
}

/* WAL mode. No check of the whole file here: it ran before every load and
 * was most of the start-up at 100,000 tasks (lens-task-store-check.c). */
static int
set_up (sqlite3 *db)
{
  g_autofree char *mode = NULL;
  int rc;

  rc = query_text (db, "PRAGMA journal_mode = WAL", &mode);
  /* Some file systems (network shares) cannot do WAL; SQLite then keeps its
   * rollback journal, which is slower but just as safe. */
  if (rc == SQLITE_OK && g_ascii_strcasecmp (mode, "wal") != 0)
    g_message ("The task history could not use WAL mode; it uses “%s”", mode);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  return rc;
}

static OpenResult
worker_try_open (Worker  *worker,
                 GError **error)
{
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  g_autofree char *version_text = NULL;
  int version = 0;
  int rc;

  rc = sqlite3_open_v2 (worker->path, &worker->db, flags, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (worker->db, LENS_TASK_STORE_BUSY_TIMEOUT_MS);
      /* The version first, before anything writes: a newer file is kept as
       * it is. */
      rc = query_text (worker->db, "PRAGMA user_version", &version_text);
      version = rc == SQLITE_OK ? atoi (version_text) : 0;
    }
  if (rc == SQLITE_OK && version > LENS_TASK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_OPEN,
                   _("The task history was saved by a newer version of Tasklens"));
      g_message ("The task history has schema version %d, newer than %d", version, LENS_TASK_STORE_SCHEMA_VERSION);
      lens_task_store_db_close (worker);
      return OPEN_NEWER;
    }
  if (rc == SQLITE_OK)
    rc = set_up (worker->db);
  if (rc == SQLITE_OK)
    rc = lens_task_store_schema_migrate (worker->db, version);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v3 (worker->db, PUT_SQL, -1, SQLITE_PREPARE_PERSISTENT, &worker->put, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v3 (worker->db, "DELETE FROM tasks WHERE id = ?1", -1,
                             SQLITE_PREPARE_PERSISTENT, &worker->delete, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v3 (worker->db, "UPDATE tasks SET saved_path = ?2 WHERE id = ?1", -1,
                             SQLITE_PREPARE_PERSISTENT, &worker->saved_path, NULL);
  if (rc == SQLITE_OK)
    {
      /* The reader opens its own connection again after this. */
      g_atomic_int_inc (worker->generation);
      return OPEN_OK;
    }

  g_propagate_error (error, lens_task_store_db_error_new (worker->db, rc, LENS_TASK_STORE_ERROR_OPEN));
  lens_task_store_db_close (worker);
  return is_damage (rc) ? OPEN_DAMAGED : OPEN_FAILED;
}

/* Renames the database and its -wal and -shm beside it; returns the new
 * name of the database. */
static char *
move_aside (const char  *path,
            GError     **error)
{
  static const char * const companions[] = { "-wal", "-shm" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);

  for (guint i = 2; g_file_test (aside, G_FILE_TEST_EXISTS); i++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, i);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_OPEN,
                   _("The task history could not be read, nor moved aside: %s"),
                   g_strerror (saved_errno));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *from = g_strconcat (path, companions[i], NULL);
      g_autofree char *to = g_strconcat (aside, companions[i], NULL);

      if (g_rename (from, to) != 0 && errno != ENOENT)
        g_warning ("Could not move %s aside: %s", from, g_strerror (errno));
    }

  return g_steal_pointer (&aside);
}

/* Moves a newer database aside, or one with nothing to salvage, and starts
 * a new one; the next load tells the user. */
static gboolean
worker_start_over (Worker      *worker,
                   OpenResult   why,
                   GError     **error)
{
  g_autofree char *aside = NULL;

  lens_task_store_db_close (worker);
  aside = move_aside (worker->path, error);
  if (aside == NULL)
    return FALSE;

  g_free (worker->recovery_message);
  if (why == OPEN_NEWER)
    worker->recovery_message =
      g_strdup_printf (_("Your task history was saved by a newer version of Tasklens, so this "
                         "version started a new one. The old file was kept as “%s”."), aside);
  else
    worker->recovery_message =
      g_strdup_printf (_("Your task history could not be read, so Tasklens started a new one. "
                         "The old file was kept as “%s”."), aside);

  return worker_try_open (worker, error) == OPEN_OK;
}

static char *
marker_path (const char *path)
{
  return g_strconcat (path, ".damaged", NULL);
}

/**
 * lens_task_store_db_mark_damaged:
 * @path: the database
 * @detail: what was found, for whoever looks at the marker
 *
 * Marks the database as damaged, in a file beside it that outlasts a crash
 * and that the next opening looks for (it then salvages the database). In
 * any thread: it touches no connection.
 */
void
lens_task_store_db_mark_damaged (const char *path,
                                 const char *detail)
{
  g_autofree char *marker = marker_path (path);
  g_autoptr(GError) error = NULL;

  g_message ("The task history %s is damaged (%s); the next start salvages it", path, detail);
  if (!g_file_set_contents (marker, detail, -1, &error))
    g_warning ("Could not mark the task history as damaged: %s", error->message);
}

/* Removes @path and its -wal and -shm, which may not be there. */
static void
remove_with_companions (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_remove (file) != 0 && errno != ENOENT)
        g_warning ("Could not remove %s: %s", file, g_strerror (errno));
    }
}

/* A new, empty database at the current schema, at @path. */
static int
open_new (const char  *path,
          sqlite3    **out_db)
{
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;

  remove_with_companions (path);
  rc = sqlite3_open_v2 (path, out_db, flags, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (*out_db, LENS_TASK_STORE_BUSY_TIMEOUT_MS);
      rc = set_up (*out_db);
    }
  if (rc == SQLITE_OK)
    rc = lens_task_store_schema_migrate (*out_db, 0);
  return rc;
}

/* Copies what can be read of the damaged file at @path into @salvage_path. */
static int
salvage_into (const char       *path,
              const char       *salvage_path,
              LensStoreSalvage *salvage)
{
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  sqlite3 *from = NULL;
  sqlite3 *to = NULL;
  int rc;

  *salvage = (LensStoreSalvage) { .n_total = -1 };
  rc = open_new (salvage_path, &to);
  if (rc != SQLITE_OK)
    {
      g_message ("Could not make a new task history to salvage into: %s", sqlite3_errmsg (to));
      sqlite3_close (to);
      return rc;
    }

  /* What cannot be opened has nothing to salvage. Read-only, and never
   * checkpointed into: the damaged file is kept as it is. */
  if (sqlite3_open_v2 (path, &from, flags, NULL) == SQLITE_OK
      && sqlite3_db_config (from, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL) == SQLITE_OK)
    rc = lens_task_store_salvage_copy (from, to, salvage);
  sqlite3_close (from);
  /* The last connection to it: its -wal is checkpointed and removed. */
  if (sqlite3_close (to) != SQLITE_OK && rc == SQLITE_OK)
    rc = SQLITE_IOERR;
  return rc;
}

static char *
salvage_message (const LensStoreSalvage *salvage,
                 const char             *aside)
{
  guint n_kept = salvage->n_whole + salvage->n_relooked;
  g_autofree char *kept = NULL;

  if (salvage->n_total >= 0)
    /* Translators: the first two are numbers of tasks (1,234), the last a file's path */
    kept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The task history file was damaged. Tasklens kept %'u of its "
                                         "%'u task and set the file aside as “%s”.",
                                         "The task history file was damaged. Tasklens kept %'u of its "
                                         "%'u tasks and set the file aside as “%s”.",
                                         (gulong) salvage->n_total),
                            n_kept, (guint) salvage->n_total, aside);
  else
    /* Translators: %'u is a number of tasks (1,234), %s a file's path */
    kept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The task history file was damaged. Tasklens kept the %'u task it "
                                         "could read and set the file aside as “%s”.",
                                         "The task history file was damaged. Tasklens kept the %'u tasks it "
                                         "could read and set the file aside as “%s”.",
                                         n_kept),
                            n_kept, aside);
  if (salvage->n_relooked == 0)
    return g_steal_pointer (&kept);

  /* Translators: %'u is a number of tasks (1,234) */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s %'u of them lost its last record and will be looked up again.",
                                       "%s %'u of them lost their last record and will be looked up again.",
                                       salvage->n_relooked),
                          kept, salvage->n_relooked);
}

/* Salvages what can be read of the damaged database into a new file, then
 * moves the damaged one aside and puts the new one in its place, and opens
 * it; the next load says how many tasks were kept. The old file stays
 * where it is until the new one is whole, so that a crash in between
 * salvages again at the next start. With nothing to salvage, as
 * worker_start_over(). */
static gboolean
worker_salvage (Worker  *worker,
                GError **error)
{
  g_autofree char *salvage_path = g_strconcat (worker->path, ".salvage", NULL);
  g_autofree char *marker = marker_path (worker->path);
  g_autofree char *aside = NULL;
  LensStoreSalvage salvage;
  int rc;

  lens_task_store_db_close (worker);
  rc = salvage_into (worker->path, salvage_path, &salvage);
  g_message ("Salvaged %u whole tasks and %u ids (of %" G_GINT64_FORMAT ") from %s",
             salvage.n_whole, salvage.n_relooked, salvage.n_total, worker->path);
  if (rc != SQLITE_OK)
    {
      /* Not written (a full disk …): the damaged file stays as it is, and
       * marked, for the next try. */
      remove_with_companions (salvage_path);
      g_propagate_error (error, lens_task_store_db_error_new (NULL, rc, LENS_TASK_STORE_ERROR_OPEN));
      return FALSE;
    }
  if (salvage.n_whole + salvage.n_relooked == 0)
    {
      remove_with_companions (salvage_path);
      if (g_remove (marker) != 0 && errno != ENOENT)
        g_warning ("Could not remove %s: %s", marker, g_strerror (errno));
      return worker_start_over (worker, OPEN_DAMAGED, error);
    }

  aside = move_aside (worker->path, error);
  if (aside == NULL)
    {
      remove_with_companions (salvage_path);
      return FALSE;
    }
  if (g_rename (salvage_path, worker->path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_OPEN,
                   _("The task history could not be read, nor moved aside: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  if (g_remove (marker) != 0 && errno != ENOENT)
    g_warning ("Could not remove %s: %s", marker, g_strerror (errno));

  g_free (worker->recovery_message);
  worker->recovery_message = salvage_message (&salvage, aside);
  return worker_try_open (worker, error) == OPEN_OK;
}

static gboolean
worker_ensure_open (Worker  *worker,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *marker = NULL;
  OpenResult result;

  if (worker->db != NULL)
    return TRUE;

  directory = g_path_get_dirname (worker->path);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_OPEN,
                   _("Could not make the folder “%s”: %s"), directory, g_strerror (saved_errno));
      return FALSE;
    }

  /* Marked by an earlier session that met damage after its load. */
  marker = marker_path (worker->path);
  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    {
      if (g_file_test (worker->path, G_FILE_TEST_EXISTS))
        {
          g_message ("The task history %s was marked as damaged; salvaging it", worker->path);
          return worker_salvage (worker, error);
        }
      g_remove (marker);
    }

  result = worker_try_open (worker, &local_error);
  if (result == OPEN_OK)
    return TRUE;
  if (result == OPEN_FAILED)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_message ("Moving the task history %s aside: %s", worker->path, local_error->message);
  if (result == OPEN_NEWER)
    return worker_start_over (worker, result, error);
  return worker_salvage (worker, error);
}

/* ─── the worker: loading and writing ──────────────────────────────────── */

/* Makes the positions 0 … n−1 in the order loaded (LensHistory counts on
 * it) and drops rows that no list could hold (not a lower-case task id).
 * Only rows that differ are written, so a history without removals costs
 * nothing here. */
static void
normalise_positions (Worker    *worker,
                     GPtrArray *tasks,
                     GArray    *moved,
                     GArray    *invalid_rowids)
{
  sqlite3_stmt *update = NULL;
  sqlite3_stmt *drop = NULL;
  int rc;

  rc = sqlite3_exec (worker->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (worker->db, "UPDATE tasks SET position = ?2 WHERE id = ?1", -1, &update, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (worker->db, "DELETE FROM tasks WHERE rowid = ?1", -1, &drop, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < moved->len; i++)
    {
      guint index = g_array_index (moved, guint, i);

      sqlite3_bind_text (update, 1, lens_task_get_id (g_ptr_array_index (tasks, index)), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (update, 2, index);
      rc = lens_task_store_step_done (update);
    }
  for (guint i = 0; rc == SQLITE_OK && i < invalid_rowids->len; i++)
    {
      sqlite3_bind_int64 (drop, 1, g_array_index (invalid_rowids, gint64, i));
      rc = lens_task_store_step_done (drop);
    }
  sqlite3_finalize (update);
  sqlite3_finalize (drop);

  if (rc == SQLITE_OK)
    rc = sqlite3_exec (worker->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_warning ("Could not renumber the task history: %s", sqlite3_errmsg (worker->db));
      if (!sqlite3_get_autocommit (worker->db))
        sqlite3_exec (worker->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/* The columns of the summary, in the order of LENS_TASK_STORE_LOAD_SQL
 * (lens-task-store-private.h). */
enum
{
  LOAD_ID,
  LOAD_POSITION,
  LOAD_ROWID,
  LOAD_STATE,
  LOAD_PROGRESS,
  LOAD_TASK_TYPE,
  LOAD_CREATED_AT,
  LOAD_FINISHED_AT,
  LOAD_LOCAL_ERROR,
  LOAD_SAVED_PATH,
};

static double
column_time (sqlite3_stmt *stmt,
             int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? -1 : sqlite3_column_double (stmt, column);
}

static LensTask *
task_from_summary_row (sqlite3_stmt *stmt,
                       GEnumClass   *states)
{
  const char *id = (const char *) sqlite3_column_text (stmt, LOAD_ID);
  const char *state = (const char *) sqlite3_column_text (stmt, LOAD_STATE);
  GEnumValue *value = state != NULL ? g_enum_get_value_by_nick (states, state) : NULL;
  LensTaskSummary summary = {
    .id = id,
    .state = value != NULL ? (LensTaskState) value->value : LENS_TASK_STATE_QUEUED,
    .progress = sqlite3_column_type (stmt, LOAD_PROGRESS) == SQLITE_NULL
                ? -1 : CLAMP (sqlite3_column_int (stmt, LOAD_PROGRESS), 0, 100),
    .task_type = (const char *) sqlite3_column_text (stmt, LOAD_TASK_TYPE),
    .created_at = column_time (stmt, LOAD_CREATED_AT),
    .finished_at = column_time (stmt, LOAD_FINISHED_AT),
    .local_error = (const char *) sqlite3_column_text (stmt, LOAD_LOCAL_ERROR),
    .saved_path = (const char *) sqlite3_column_text (stmt, LOAD_SAVED_PATH),
  };

  /* Only a file written behind Tasklens's back lacks a state: asked for
   * again, the task gets one. */
  if (value == NULL)
    g_message ("Task %s has the stored state “%s”, which is none; it will be looked up again",
               id, state != NULL ? state : "");
  return lens_task_new_from_summary (&summary);
}

/* Returns SQLITE_OK, or the error that stopped the reading; sets
 * job->error when cancelled. The tasks read ahead (job->first, handed to
 * the main thread already) are taken again rather than made twice, for as
 * long as the file gives the same ids in the same order: the list keeps
 * the objects it shows. Sets @n_reused to how many were. */
static int
read_tasks (Worker    *worker,
            Job       *job,
            GPtrArray *tasks,
            guint     *n_reused)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (LENS_TYPE_TASK_STATE);
  g_autoptr(GArray) moved = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) invalid_rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_first = job->first != NULL ? job->first->len : 0;
  sqlite3_stmt *stmt = NULL;
  int rc;

  *n_reused = 0;
  rc = sqlite3_prepare_v2 (worker->db, LENS_TASK_STORE_LOAD_SQL, -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, LOAD_ID);
      gint64 rowid = sqlite3_column_int64 (stmt, LOAD_ROWID);
      guint index = tasks->len;

      rc = SQLITE_OK;
      if (index % CANCEL_CHECK_ROWS == 0
          && g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        break;

      if (!lens_task_store_record_is_stored_id (id))
        {
          g_message ("The task history holds “%s”, which is not a task id; it is dropped", id);
          g_array_append_val (invalid_rowids, rowid);
          continue;
        }
      if (sqlite3_column_int64 (stmt, LOAD_POSITION) != index)
        g_array_append_val (moved, index);
      /* Only the id of a task the main thread has is read here: it never
       * changes. */
      if (*n_reused == index && index < n_first
          && g_str_equal (id, lens_task_get_id (g_ptr_array_index (job->first, index))))
        {
          g_ptr_array_add (tasks, g_object_ref (g_ptr_array_index (job->first, index)));
          (*n_reused)++;
        }
      else
        g_ptr_array_add (tasks, task_from_summary_row (stmt, states));
    }
  sqlite3_finalize (stmt);

  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  if (rc == SQLITE_OK && job->error == NULL && (moved->len > 0 || invalid_rowids->len > 0))
    normalise_positions (worker, tasks, moved, invalid_rowids);
  return rc;
}

/* The details of the first @n_records tasks (lens_task_store_set_load_records()),
 * from the @from-th on, given to them here, before any other thread has
 * them. A record that cannot be read is left to the record loader, which
 * asks again. */
static void
read_first_records (Worker    *worker,
                    GPtrArray *tasks,
                    guint      from,
                    guint      n_records)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  sqlite3_stmt *stmt = NULL;
  guint n = MIN (n_records, tasks->len);

  if (from >= n || sqlite3_prepare_v2 (worker->db, "SELECT raw_json, local_state, local_error"
                                    " FROM tasks WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return;
  for (guint i = from; i < n; i++)
    {
      LensTask *task = g_ptr_array_index (tasks, i);
      const char *id = lens_task_get_id (task);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(LensTask) stored = NULL;

          stored = lens_task_store_record_to_task (id, (const char *) sqlite3_column_text (stmt, 0),
                                                   sqlite3_column_bytes (stmt, 0),
                                                   (const char *) sqlite3_column_text (stmt, 1),
                                                   (const char *) sqlite3_column_text (stmt, 2),
                                                   parser);
          _lens_task_take_details (task, stored);
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
}

/* Unix seconds when the file last passed its check; 0 for never. */
static gint64
last_check_passed (Worker *worker)
{
  g_autofree char *text = NULL;

  if (query_text (worker->db, "SELECT passed_at FROM checks WHERE name = '" CHECK_NAME "'", &text) != SQLITE_OK
      || text == NULL)
    return 0;
  return g_ascii_strtoll (text, NULL, 10);
}

/**
 * lens_task_store_db_load_first:
 *
 * The first job->n_records tasks in the list's order, with their details:
 * what a start-up shows first, read in a millisecond where the whole of a
 * long history takes a tenth of a second or more (100,000 tasks: 70–120 ms
 * on two cores, while the main thread builds the window). A file that
 * cannot be opened fails the job (lens_task_store_db_load() then only says
 * it); any other failure is left to lens_task_store_db_load(), which reads
 * the file again, and says it.
 *
 * Returns: (transfer full) (nullable): the tasks; %NULL when none could
 *   be read ahead
 */
GPtrArray *
lens_task_store_db_load_first (Worker *worker,
                               Job    *job)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (LENS_TYPE_TASK_STATE);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (job->n_records == 0 || !worker_ensure_open (worker, &job->error))
    return NULL;
  rc = sqlite3_prepare_v2 (worker->db, LENS_TASK_STORE_LOAD_SQL " LIMIT ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    sqlite3_bind_int64 (stmt, 1, job->n_records);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, LOAD_ID);

      rc = SQLITE_OK;
      /* Dropped by the whole load, which says so. */
      if (lens_task_store_record_is_stored_id (id))
        g_ptr_array_add (tasks, task_from_summary_row (stmt, states));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE || tasks->len == 0)
    return NULL;

  read_first_records (worker, tasks, 0, job->n_records);
  return g_steal_pointer (&tasks);
}

void
lens_task_store_db_load (Worker *worker,
                         Job    *job)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_reused = 0;
  gboolean opened;
  int rc;

  opened = job->error == NULL && worker_ensure_open (worker, &job->error);
  if (opened)
    {
      rc = read_tasks (worker, job, tasks, &n_reused);
      /* Nothing checked the file before: damage can show here. What can be
       * read is kept, and the new file loaded. */
      if (rc != SQLITE_OK && is_damage (rc))
        {
          g_message ("Salvaging the task history %s: %s", worker->path, sqlite3_errmsg (worker->db));
          g_ptr_array_set_size (tasks, 0);
          opened = worker_salvage (worker, &job->error);
          rc = opened ? read_tasks (worker, job, tasks, &n_reused) : SQLITE_OK;
        }
      if (rc != SQLITE_OK)
        job->error = lens_task_store_db_error_new (worker->db, rc, LENS_TASK_STORE_ERROR_OPEN);
    }

  job->recovery_message = g_steal_pointer (&worker->recovery_message);
  if (opened && job->error == NULL)
    {
      /* Those read ahead have theirs. */
      read_first_records (worker, tasks, n_reused, job->n_records);
      job->tasks = g_steal_pointer (&tasks);
      job->check_due = lens_task_store_check_is_due (last_check_passed (worker),
                                                     g_get_real_time () / G_USEC_PER_SEC);
    }
}

/**
 * lens_task_store_db_note_check_passed:
 *
 * Remembers that the file passed its check at job->check_passed_at, so
 * that the next day's first load checks it again, not every load.
 */
void
lens_task_store_db_note_check_passed (Worker *worker,
                                      Job    *job)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* The check runs only after a load opened the file. */
  if (worker->db == NULL)
    return;
  rc = sqlite3_prepare_v2 (worker->db,
                           "INSERT INTO checks (name, passed_at) VALUES ('" CHECK_NAME "', ?1)"
                           " ON CONFLICT (name) DO UPDATE SET passed_at = excluded.passed_at",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, job->check_passed_at);
      rc = lens_task_store_step_done (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    g_message ("Could not note that the task history passed its check: %s", sqlite3_errmsg (worker->db));
}

static int
apply_change (Worker          *worker,
              LensStoreChange *change)
{
  g_autoptr(LensTask) record_task = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *state_name;

  switch (change->kind)
    {
    case LENS_STORE_CHANGE_PUT:
      stmt = worker->put;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, change->position);
      if (change->raw_json != NULL)
        sqlite3_bind_text (stmt, 3, change->raw_json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, change->added_at > 0 ? change->added_at
                                                         : g_get_real_time () / G_USEC_PER_SEC);
      if (change->checked_at > 0)
        sqlite3_bind_int64 (stmt, 5, change->checked_at);
      state_name = lens_task_store_record_local_state_name (change->local_state, change->local_error);
      if (state_name != NULL)
        sqlite3_bind_text (stmt, 6, state_name, -1, SQLITE_STATIC);
      if (state_name != NULL && change->local_error != NULL)
        sqlite3_bind_text (stmt, 7, change->local_error, -1, SQLITE_STATIC);
      lens_task_store_record_bind_state (stmt, 8, change->local_state, change->progress);
      /* Without a record the stored details stay (see PUT_SQL). With one,
       * what the summary keeps of it comes with the change, or is read
       * here, in the worker, never on the main thread. */
      if (change->raw_json != NULL && change->has_details)
        lens_task_store_record_bind_values (stmt, 10, change->task_type, change->prompt,
                                            change->created_at, change->finished_at);
      else if (change->raw_json != NULL)
        {
          if (worker->parser == NULL)
            worker->parser = json_parser_new_immutable ();
          record_task = lens_task_store_record_to_task (change->id, change->raw_json, -1,
                                                        NULL, NULL, worker->parser);
          lens_task_store_record_bind_details (stmt, 10, record_task);
        }
      break;
    case LENS_STORE_CHANGE_DELETE:
      stmt = worker->delete;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_STATIC);
      break;
    case LENS_STORE_CHANGE_SAVED_PATH:
      stmt = worker->saved_path;
      sqlite3_bind_text (stmt, 1, change->id, -1, SQLITE_STATIC);
      if (change->saved_path != NULL)
        sqlite3_bind_text (stmt, 2, change->saved_path, -1, SQLITE_STATIC);
      break;
    default:
      g_assert_not_reached ();
    }

  /* Parameters left unbound are NULL (clear_bindings after each step). */
  return lens_task_store_step_done (stmt);
}

void
lens_task_store_db_write (Worker *worker,
                          Job    *job)
{
  int rc;

  /* Changes not started yet are not applied once cancelled; a transaction
   * that started runs to its end, and says so. */
  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    return;
  if (!worker_ensure_open (worker, &job->error))
    return;

  rc = sqlite3_exec (worker->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < job->changes->len; i++)
    rc = apply_change (worker, g_ptr_array_index (job->changes, i));
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (worker->db, "COMMIT", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      /* The message first: the rollback replaces it. */
      job->error = lens_task_store_db_error_new (worker->db, rc, LENS_TASK_STORE_ERROR_WRITE);
      g_message ("Could not write %u changes to the task history: %s",
                 job->changes->len, sqlite3_errmsg (worker->db));
      if (lens_task_store_check_is_corrupt (rc))
        {
          lens_task_store_db_mark_damaged (worker->path, sqlite3_errmsg (worker->db));
          job->damaged = TRUE;
        }
      if (!sqlite3_get_autocommit (worker->db))
        sqlite3_exec (worker->db, "ROLLBACK", NULL, NULL, NULL);
    }
}
