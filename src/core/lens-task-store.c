/* lens-task-store.c — the history of tasks, in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One database file, one connection, one thread: every statement runs in a
 * worker thread that the store starts and joins, so the main thread never
 * waits for the disk and the connection is never shared. Callers hand jobs
 * over through a queue, which also keeps writes in the order they were
 * asked for; each result goes back to the caller's main context in an idle
 * source, so that no GTask is ever dropped in the worker (and the store can
 * never be finalized there).
 *
 * The database runs in WAL mode and every write is one transaction: a
 * process killed at any moment loses at most the transaction it was in.
 *
 * A database that is not a database, fails its quick check, cannot be
 * migrated or comes from a newer Tasklens is renamed to
 * tasks.db.corrupt-<date> (with its -wal and -shm), never deleted, and a new
 * one is started; the next load says so in words. A database that is only
 * unreachable for now (locked, read-only, disk full) is left alone and the
 * load fails instead.
 */

#define G_LOG_DOMAIN "lens-task-store"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "lens-id-parser.h"
#include "lens-task-store.h"

#define SCHEMA_VERSION     2
#define BUSY_TIMEOUT_MS    5000
#define CANCEL_CHECK_ROWS  512

/* Each step moves the schema one version forward, in its own transaction;
 * a new database goes through all of them, so every step runs every day.
 * Version 1 was the list and the records; version 2 added when a task was
 * last checked and where its original was saved. */
static const char * const migrations[SCHEMA_VERSION] = {
  "CREATE TABLE tasks (id TEXT PRIMARY KEY, position INTEGER NOT NULL, raw_json TEXT,"
  "                    added_at INTEGER NOT NULL);"
  "CREATE INDEX tasks_position ON tasks (position);",

  "ALTER TABLE tasks ADD COLUMN checked_at INTEGER;"
  "ALTER TABLE tasks ADD COLUMN saved_path TEXT;",
};

#define PUT_SQL                                                                  \
  "INSERT INTO tasks (id, position, raw_json, added_at, checked_at)"             \
  " VALUES (?1, ?2, ?3, ?4, ?5)"                                                 \
  " ON CONFLICT (id) DO UPDATE SET position = excluded.position,"                \
  "   raw_json = COALESCE (excluded.raw_json, raw_json),"                        \
  "   checked_at = COALESCE (excluded.checked_at, checked_at)"

typedef enum
{
  OPEN_OK,
  OPEN_DAMAGED,   /* unreadable, failed its check or its migration: move aside */
  OPEN_NEWER,     /* written by a newer Tasklens: move aside, do not touch */
  OPEN_FAILED,    /* cannot be opened for now: leave it alone */
} OpenResult;

/* Only ever touched by the worker thread. */
typedef struct
{
  GAsyncQueue  *queue;             /* owned */
  char         *path;              /* owned */
  sqlite3      *db;                /* owned, nullable: until opened */
  sqlite3_stmt *put;               /* owned, nullable */
  sqlite3_stmt *delete;            /* owned, nullable */
  sqlite3_stmt *saved_path;        /* owned, nullable */
  char         *recovery_message;  /* owned, nullable: for the next load */
} Worker;

typedef enum
{
  JOB_LOAD,
  JOB_WRITE,
  JOB_QUIT,
} JobKind;

typedef struct
{
  JobKind       kind;
  GTask        *task;              /* owned, nullable: NULL when someone waits */
  GCancellable *cancellable;       /* owned, nullable */
  GPtrArray    *changes;           /* owned, nullable: of LensStoreChange */

  GPtrArray    *tasks;             /* owned, nullable: what a load found */
  char         *recovery_message;  /* owned, nullable */
  GError       *error;             /* owned, nullable */

  /* For write_sync, which waits for the worker. */
  GMutex        mutex;
  GCond         cond;
  gboolean      done;
} Job;

struct _LensTaskStore
{
  GObject      parent_instance;

  char        *path;               /* owned */
  GAsyncQueue *queue;              /* owned: of Job, to the worker */
  GThread     *thread;             /* owned */
};

G_DEFINE_FINAL_TYPE (LensTaskStore, lens_task_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (lens-task-store-error-quark, lens_task_store_error)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static Job *
job_new (JobKind       kind,
         GTask        *task,
         GCancellable *cancellable,
         GPtrArray    *changes)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->task = task != NULL ? g_object_ref (task) : NULL;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->changes = changes != NULL ? g_ptr_array_ref (changes) : NULL;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  return job;
}

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->changes, g_ptr_array_unref);
  g_clear_pointer (&job->tasks, g_ptr_array_unref);
  g_clear_pointer (&job->recovery_message, g_free);
  g_clear_error (&job->error);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
}

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

static GError *
sqlite_error_new (sqlite3            *db,
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

static void
worker_close (Worker *worker)
{
  g_clear_pointer (&worker->put, sqlite3_finalize);
  g_clear_pointer (&worker->delete, sqlite3_finalize);
  g_clear_pointer (&worker->saved_path, sqlite3_finalize);
  g_clear_pointer (&worker->db, sqlite3_close);
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

static int
migrate (sqlite3 *db,
         int      from_version)
{
  for (int version = from_version; version < SCHEMA_VERSION; version++)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; %s PRAGMA user_version = %d; COMMIT;",
                                              migrations[version], version + 1);
      int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          g_message ("Could not migrate the task history to version %d: %s",
                     version + 1, sqlite3_errmsg (db));
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return rc;
        }
    }
  return SQLITE_OK;
}

/* WAL mode, then a quick check of the whole file. */
static int
set_up (sqlite3 *db)
{
  g_autofree char *mode = NULL;
  g_autofree char *check = NULL;
  int rc;

  rc = query_text (db, "PRAGMA journal_mode = WAL", &mode);
  /* Some file systems (network shares) cannot do WAL; SQLite then keeps its
   * rollback journal, which is slower but just as safe. */
  if (rc == SQLITE_OK && g_ascii_strcasecmp (mode, "wal") != 0)
    g_message ("The task history could not use WAL mode; it uses “%s”", mode);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = query_text (db, "PRAGMA quick_check", &check);
  if (rc == SQLITE_OK && g_strcmp0 (check, "ok") != 0)
    {
      g_message ("The task history failed its quick check: %s", check);
      rc = SQLITE_CORRUPT;
    }
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
      sqlite3_busy_timeout (worker->db, BUSY_TIMEOUT_MS);
      /* The version first, before anything writes: a newer file is kept as
       * it is. */
      rc = query_text (worker->db, "PRAGMA user_version", &version_text);
      version = rc == SQLITE_OK ? atoi (version_text) : 0;
    }
  if (rc == SQLITE_OK && version > SCHEMA_VERSION)
    {
      g_set_error (error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_OPEN,
                   _("The task history was saved by a newer version of Tasklens"));
      g_message ("The task history has schema version %d, newer than %d", version, SCHEMA_VERSION);
      worker_close (worker);
      return OPEN_NEWER;
    }
  if (rc == SQLITE_OK)
    rc = set_up (worker->db);
  if (rc == SQLITE_OK)
    rc = migrate (worker->db, version);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v3 (worker->db, PUT_SQL, -1, SQLITE_PREPARE_PERSISTENT, &worker->put, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v3 (worker->db, "DELETE FROM tasks WHERE id = ?1", -1,
                             SQLITE_PREPARE_PERSISTENT, &worker->delete, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v3 (worker->db, "UPDATE tasks SET saved_path = ?2 WHERE id = ?1", -1,
                             SQLITE_PREPARE_PERSISTENT, &worker->saved_path, NULL);
  if (rc == SQLITE_OK)
    return OPEN_OK;

  g_propagate_error (error, sqlite_error_new (worker->db, rc, LENS_TASK_STORE_ERROR_OPEN));
  worker_close (worker);
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

/* Moves a damaged or newer database aside and starts a new one; the next
 * load tells the user. */
static gboolean
worker_start_over (Worker      *worker,
                   OpenResult   why,
                   GError     **error)
{
  g_autofree char *aside = NULL;

  worker_close (worker);
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

static gboolean
worker_ensure_open (Worker  *worker,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *directory = NULL;
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

  result = worker_try_open (worker, &local_error);
  if (result == OPEN_OK)
    return TRUE;
  if (result == OPEN_FAILED)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_message ("Moving the task history %s aside: %s", worker->path, local_error->message);
  return worker_start_over (worker, result, error);
}

/* ─── the worker: loading and writing ──────────────────────────────────── */

static LensTask *
task_from_row (sqlite3_stmt *stmt,
               JsonParser   *parser)
{
  const char *id = (const char *) sqlite3_column_text (stmt, 0);
  const char *raw_json = (const char *) sqlite3_column_text (stmt, 1);
  g_autoptr(LensTask) task = lens_task_new (id);
  g_autoptr(GError) error = NULL;

  /* A task never answered has no record and stays queued. */
  if (raw_json == NULL)
    return g_steal_pointer (&task);

  if (json_parser_load_from_data (parser, raw_json, sqlite3_column_bytes (stmt, 1), &error))
    lens_task_update_from_json (task, json_parser_get_root (parser));
  else
    g_message ("The stored record of task %s is not JSON (%s); it will be looked up again",
               id, error->message);
  return g_steal_pointer (&task);
}

static gboolean
is_stored_id (const char *id)
{
  g_autofree char *lower = NULL;

  if (!lens_id_is_task_id (id))
    return FALSE;
  lower = g_ascii_strdown (id, -1);
  return strcmp (lower, id) == 0;
}

static int
step_done (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

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
      rc = step_done (update);
    }
  for (guint i = 0; rc == SQLITE_OK && i < invalid_rowids->len; i++)
    {
      sqlite3_bind_int64 (drop, 1, g_array_index (invalid_rowids, gint64, i));
      rc = step_done (drop);
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

/* Returns SQLITE_OK, or the error that stopped the reading; sets
 * job->error when cancelled. */
static int
read_tasks (Worker    *worker,
            Job       *job,
            GPtrArray *tasks)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GArray) moved = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) invalid_rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (worker->db,
                           "SELECT id, raw_json, position, rowid FROM tasks ORDER BY position, rowid",
                           -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      gint64 rowid = sqlite3_column_int64 (stmt, 3);
      guint index = tasks->len;

      rc = SQLITE_OK;
      if (index % CANCEL_CHECK_ROWS == 0
          && g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        break;

      if (!is_stored_id (id))
        {
          g_message ("The task history holds “%s”, which is not a task id; it is dropped", id);
          g_array_append_val (invalid_rowids, rowid);
          continue;
        }
      if (sqlite3_column_int64 (stmt, 2) != index)
        g_array_append_val (moved, index);
      g_ptr_array_add (tasks, task_from_row (stmt, parser));
    }
  sqlite3_finalize (stmt);

  if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  if (rc == SQLITE_OK && job->error == NULL && (moved->len > 0 || invalid_rowids->len > 0))
    normalise_positions (worker, tasks, moved, invalid_rowids);
  return rc;
}

static void
worker_load (Worker *worker,
             Job    *job)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean opened;
  int rc;

  opened = worker_ensure_open (worker, &job->error);
  if (opened)
    {
      rc = read_tasks (worker, job, tasks);
      /* The quick check does not read every row: damage can still show
       * here. */
      if (rc != SQLITE_OK && is_damage (rc))
        {
          g_message ("Moving the task history %s aside: %s", worker->path, sqlite3_errmsg (worker->db));
          g_ptr_array_set_size (tasks, 0);
          opened = worker_start_over (worker, OPEN_DAMAGED, &job->error);
        }
      else if (rc != SQLITE_OK)
        job->error = sqlite_error_new (worker->db, rc, LENS_TASK_STORE_ERROR_OPEN);
    }

  job->recovery_message = g_steal_pointer (&worker->recovery_message);
  if (opened && job->error == NULL)
    job->tasks = g_steal_pointer (&tasks);
}

static int
apply_change (Worker          *worker,
              LensStoreChange *change)
{
  sqlite3_stmt *stmt = NULL;

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
  return step_done (stmt);
}

static void
worker_write (Worker *worker,
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
      job->error = sqlite_error_new (worker->db, rc, LENS_TASK_STORE_ERROR_WRITE);
      g_message ("Could not write %u changes to the task history: %s",
                 job->changes->len, sqlite3_errmsg (worker->db));
      if (!sqlite3_get_autocommit (worker->db))
        sqlite3_exec (worker->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/* ─── the worker thread ────────────────────────────────────────────────── */

static gboolean
job_complete_cb (gpointer user_data)
{
  Job *job = user_data;

  /* A load says what it recovered from even when it failed after. */
  if (job->kind == JOB_LOAD)
    g_task_set_task_data (job->task, g_steal_pointer (&job->recovery_message), g_free);

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else if (job->kind == JOB_LOAD)
    g_task_return_pointer (job->task, g_steal_pointer (&job->tasks), (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_boolean (job->task, TRUE);

  return G_SOURCE_REMOVE;
}

static void
job_complete (Job *job)
{
  GSource *source;

  if (job->task == NULL)
    {
      g_mutex_lock (&job->mutex);
      job->done = TRUE;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
      return;
    }

  /* Not g_main_context_invoke(): when nobody iterates the caller's context,
   * it would run the callback here, in the worker. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, job_complete_cb, job, (GDestroyNotify) job_free);
  g_source_set_static_name (source, "[lens-task-store] job complete");
  g_source_attach (source, g_task_get_context (job->task));
  g_source_unref (source);
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (worker->queue);

      if (job->kind == JOB_QUIT)
        {
          job_free (job);
          break;
        }

      if (job->kind == JOB_LOAD)
        worker_load (worker, job);
      else
        worker_write (worker, job);
      job_complete (job);
    }

  worker_close (worker);
  g_async_queue_unref (worker->queue);
  g_free (worker->path);
  g_free (worker->recovery_message);
  g_free (worker);
  return NULL;
}

/* ─── changes ──────────────────────────────────────────────────────────── */

/**
 * lens_store_change_new_put:
 * @task: the task, whose id and record are copied
 * @position: its place in the list
 * @added_at: when it was first added (Unix seconds; 0 for now), kept when
 *   the task is already stored
 * @checked_at: when the server last answered for it, or 0 to keep what is
 *   stored
 */
LensStoreChange *
lens_store_change_new_put (LensTask *task,
                           gint64    position,
                           gint64    added_at,
                           gint64    checked_at)
{
  LensStoreChange *change;

  g_return_val_if_fail (LENS_IS_TASK (task), NULL);

  change = g_new0 (LensStoreChange, 1);
  change->kind = LENS_STORE_CHANGE_PUT;
  change->id = g_strdup (lens_task_get_id (task));
  change->position = position;
  change->raw_json = g_strdup (lens_task_get_raw_json (task));
  /* The server's whole answer for an unknown id is {}: kept as such, it
   * loads as not found, and is not asked for again at every start. */
  if (change->raw_json == NULL && lens_task_get_state (task) == LENS_TASK_STATE_NOT_FOUND)
    change->raw_json = g_strdup ("{}");
  change->added_at = added_at;
  change->checked_at = checked_at;
  return change;
}

LensStoreChange *
lens_store_change_new_delete (const char *id)
{
  LensStoreChange *change;

  g_return_val_if_fail (id != NULL, NULL);

  change = g_new0 (LensStoreChange, 1);
  change->kind = LENS_STORE_CHANGE_DELETE;
  change->id = g_strdup (id);
  return change;
}

/**
 * lens_store_change_new_saved_path:
 * @path: (nullable): where the task's original was saved; NULL forgets it
 */
LensStoreChange *
lens_store_change_new_saved_path (const char *id,
                                  const char *path)
{
  LensStoreChange *change;

  g_return_val_if_fail (id != NULL, NULL);

  change = g_new0 (LensStoreChange, 1);
  change->kind = LENS_STORE_CHANGE_SAVED_PATH;
  change->id = g_strdup (id);
  change->saved_path = g_strdup (path);
  return change;
}

void
lens_store_change_free (LensStoreChange *change)
{
  if (change == NULL)
    return;
  g_free (change->id);
  g_free (change->raw_json);
  g_free (change->saved_path);
  g_free (change);
}

/* ─── the store ────────────────────────────────────────────────────────── */

static void
lens_task_store_constructed (GObject *object)
{
  LensTaskStore *self = LENS_TASK_STORE (object);
  Worker *worker = g_new0 (Worker, 1);

  G_OBJECT_CLASS (lens_task_store_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = lens_task_store_default_path ();

  self->queue = g_async_queue_new ();
  worker->queue = g_async_queue_ref (self->queue);
  worker->path = g_strdup (self->path);
  self->thread = g_thread_new ("lens-task-store", worker_thread, worker);
}

static void
lens_task_store_finalize (GObject *object)
{
  LensTaskStore *self = LENS_TASK_STORE (object);

  /* Every job holds a reference to the store until its result is back on
   * the caller's context, so the queue is empty here and the worker never
   * holds the last reference: joining cannot wait for ourselves. */
  g_async_queue_push (self->queue, job_new (JOB_QUIT, NULL, NULL, NULL));
  g_thread_join (self->thread);
  g_async_queue_unref (self->queue);
  g_free (self->path);

  G_OBJECT_CLASS (lens_task_store_parent_class)->finalize (object);
}

static void
lens_task_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LensTaskStore *self = LENS_TASK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LensTaskStore *self = LENS_TASK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_store_class_init (LensTaskStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lens_task_store_constructed;
  object_class->finalize = lens_task_store_finalize;
  object_class->get_property = lens_task_store_get_property;
  object_class->set_property = lens_task_store_set_property;

  /**
   * LensTaskStore:path:
   *
   * The database file; NULL at construction means
   * lens_task_store_default_path().
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_task_store_init (LensTaskStore *self)
{
}

/**
 * lens_task_store_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/tasklens/tasks.db` (under
 *   Flatpak, the application's own data directory)
 */
char *
lens_task_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tasklens", "tasks.db", NULL);
}

/**
 * lens_task_store_new:
 * @path: (nullable): the database file, made (with its directory) when
 *   missing; NULL for lens_task_store_default_path()
 *
 * Nothing is opened until the first load or write.
 */
LensTaskStore *
lens_task_store_new (const char *path)
{
  return g_object_new (LENS_TYPE_TASK_STORE, "path", path, NULL);
}

const char *
lens_task_store_get_path (LensTaskStore *self)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (self), NULL);
  return self->path;
}

/**
 * lens_task_store_load_async:
 *
 * Opens the database (making it, or starting a new one beside a damaged
 * one), brings its schema up to date and makes a LensTask of every row, in
 * the list's order, all in the store's worker. Afterwards the positions in
 * the database are 0 … n−1 in the order returned.
 */
void
lens_task_store_load_async (LensTaskStore       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LENS_IS_TASK_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_task_store_load_async);
  g_async_queue_push (self->queue, job_new (JOB_LOAD, task, cancellable, NULL));
}

/**
 * lens_task_store_load_finish:
 * @out_recovery_message: (out) (optional) (nullable): set when the old
 *   database could not be used and was moved aside: what happened and where
 *   the old file is, to show to the user (also when the load then failed);
 *   NULL otherwise
 *
 * Fails with %LENS_TASK_STORE_ERROR_OPEN only when no database at all could
 * be used; the app then runs without history.
 *
 * Returns: (transfer full) (element-type LensTask): the stored tasks, in
 *   order; tasks without a record are queued
 */
GPtrArray *
lens_task_store_load_finish (LensTaskStore  *self,
                             GAsyncResult   *result,
                             char          **out_recovery_message,
                             GError        **error)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_task_store_load_async, NULL);

  if (out_recovery_message != NULL)
    *out_recovery_message = g_strdup (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lens_task_store_write_async:
 * @changes: (element-type LensStoreChange): the changes, applied in order in
 *   one transaction; the store keeps a reference, so do not change the
 *   array afterwards
 * @cancellable: (nullable): cancels the write if it has not started yet
 *
 * Writes are applied in the order they were asked for, behind any load.
 */
void
lens_task_store_write_async (LensTaskStore       *self,
                             GPtrArray           *changes,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LENS_IS_TASK_STORE (self));
  g_return_if_fail (changes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_task_store_write_async);
  /* A transaction that ran is reported as done even if cancelled since. */
  g_task_set_check_cancellable (task, FALSE);
  g_async_queue_push (self->queue, job_new (JOB_WRITE, task, cancellable, changes));
}

/**
 * lens_task_store_write_finish:
 *
 * Returns: TRUE when every change was written; on failure none was
 *   (%LENS_TASK_STORE_ERROR_WRITE, or %LENS_TASK_STORE_ERROR_OPEN when the
 *   database could not be opened)
 */
gboolean
lens_task_store_write_finish (LensTaskStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_task_store_write_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lens_task_store_write_sync:
 * @changes: (element-type LensStoreChange): as for lens_task_store_write_async()
 *
 * Writes and waits, behind every write asked for before: for shutdown and
 * for tests only, never while the app runs.
 */
gboolean
lens_task_store_write_sync (LensTaskStore  *self,
                            GPtrArray      *changes,
                            GError        **error)
{
  Job *job;
  gboolean ok;

  g_return_val_if_fail (LENS_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  job = job_new (JOB_WRITE, NULL, NULL, changes);
  g_async_queue_push (self->queue, job);

  g_mutex_lock (&job->mutex);
  while (!job->done)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  ok = job->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&job->error));
  job_free (job);
  return ok;
}
