/* lens-task-store-reader.c — records on demand and search, beside the writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensTaskStore; see lens-task-store-private.h. A second connection
 * to the same file, read-only, owned by the store's reader thread: in WAL
 * mode a reader sees the last committed state and neither waits for the
 * writer nor holds it up, so that reading the records of the rows on
 * screen, or searching at every keystroke, never queues behind an import of
 * thousands of tasks on the worker.
 *
 * The reader follows the worker: it opens the file only once the worker
 * has opened it (and so made and migrated it), and again each time the
 * worker opened it anew (after moving a damaged file aside). Before the
 * first opening there is nothing to read, and reads find nothing.
 *
 * Search: the tasks whose prompt contains the word, ignoring case. Ids
 * are not searched here: every id is in memory, and the finder compares
 * them there (lens-task-match.c); a word found in every id (bench-find's
 * "4000") made this search hand back all 100,000 ids, which cost more
 * than the rest of a keystroke together. A word of 3 characters or more
 * is looked up in the trigram index (tasks_search, which indexes the
 * prompts only): its trigrams in a row, which is a substring, with case
 * folded as FTS5 folds Unicode (Latin, Greek, Cyrillic …; Korean has no
 * case). A shorter word has no trigram: it is looked for in the reader's
 * copy of every prompt (lens-task-store-prompts.c), which the reader makes
 * when told a search is coming (lens_task_store_prepare_search()), when
 * that copy is as the file is; otherwise the prompts are scanned with
 * LIKE. Both ignore the case of ASCII letters only. A search is
 * interrupted as soon as its cancellable is cancelled, so that a newer
 * keystroke never waits for an older one.
 */

#define G_LOG_DOMAIN "lens-task-store"

#include "config.h"

#include <gio/gio.h>

#include "lens-task-store-private.h"

/* Once it searches, the reader maps the file rather than copying each
 * page it reads into a page cache of its own: searches then read the
 * kernel's pages in place (bench-search: words of 3 characters and more
 * about twice as fast). Not before: the kernel maps some 64 KB around each
 * page read, and at start-up the records of the rows on screen, each on a
 * page of its own, added 12 MB of (shared, file) RSS to the window
 * benchmark at 100,000 tasks. */
#define MMAP_SIZE                268435456   /* 256 MiB */
/* How many virtual machine steps between two looks at the cancellable:
 * a small fraction of a millisecond. */
#define CANCEL_CHECK_STEPS       1000
#define TRIGRAM_CHARS            3

void
lens_task_store_reader_close (Reader *reader)
{
  g_clear_pointer (&reader->prompts, lens_store_prompts_free);
  g_clear_pointer (&reader->db, sqlite3_close);
}

/**
 * lens_task_store_reader_idle:
 *
 * No job came for a while: lets the copy of the prompts go, which only a
 * search in progress wants.
 */
void
lens_task_store_reader_idle (Reader *reader)
{
  g_clear_pointer (&reader->prompts, lens_store_prompts_free);
}

/* TRUE with the connection open; FALSE with @error set when it cannot be
 * opened, or without when the worker has not opened the file yet. */
static gboolean
reader_ensure_open (Reader  *reader,
                    GError **error)
{
  /* Read before opening: if the worker opens anew meanwhile, the next job
   * sees a newer generation and opens again. */
  int generation = g_atomic_int_get (reader->generation);
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;

  if (reader->db != NULL && reader->opened_generation == generation)
    return TRUE;
  lens_task_store_reader_close (reader);
  if (generation == 0)
    return FALSE;

  rc = sqlite3_open_v2 (reader->path, &reader->db, flags, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (reader->db, LENS_TASK_STORE_BUSY_TIMEOUT_MS);
      /* A connection left to a file the worker moved aside must never
       * checkpoint into, or remove, the -wal that now belongs to the new
       * file of the same name. */
      rc = sqlite3_db_config (reader->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    }
  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, lens_task_store_db_error_new (reader->db, rc, LENS_TASK_STORE_ERROR_OPEN));
      lens_task_store_reader_close (reader);
      return FALSE;
    }
  reader->opened_generation = generation;
  reader->mapped = FALSE;
  g_clear_pointer (&reader->prompts, lens_store_prompts_free);
  return TRUE;
}

/* Sets job->error; damage also marks the file, for the next opening. */
static void
reader_fail (Reader *reader,
             Job    *job,
             int     rc)
{
  job->error = lens_task_store_db_error_new (reader->db, rc, LENS_TASK_STORE_ERROR_OPEN);
  if (lens_task_store_check_is_corrupt (rc))
    {
      lens_task_store_db_mark_damaged (reader->path, sqlite3_errmsg (reader->db));
      job->damaged = TRUE;
    }
}

/* Runs @stmt's rows through @row_func, interrupted when @job is cancelled;
 * sets job->error on failure. */
static void
run_query (Reader        *reader,
           Job           *job,
           sqlite3_stmt  *stmt,
           void         (*row_func) (sqlite3_stmt *, Job *))
{
  int rc;

  if (job->cancellable != NULL)
    sqlite3_progress_handler (reader->db, CANCEL_CHECK_STEPS, lens_task_store_cancelled_cb, job->cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    row_func (stmt, job);
  sqlite3_progress_handler (reader->db, 0, NULL, NULL);

  if (rc == SQLITE_DONE)
    return;
  if (!g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    reader_fail (reader, job, rc);
}

/* ─── records ──────────────────────────────────────────────────────────── */

void
lens_task_store_reader_read_records (Reader *reader,
                                     Job    *job)
{
  g_autoptr(JsonParser) parser = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  job->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    return;
  if (!reader_ensure_open (reader, &job->error))
    return;

  parser = json_parser_new_immutable ();
  /* One read transaction: every record from the same moment. */
  rc = sqlite3_exec (reader->db, "BEGIN", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (reader->db,
                             "SELECT raw_json, local_state, local_error FROM tasks WHERE id = ?1",
                             -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && job->ids[i] != NULL; i++)
    {
      if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
        break;
      sqlite3_bind_text (stmt, 1, job->ids[i], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (job->tasks,
                         lens_task_store_record_to_task (job->ids[i],
                                                         (const char *) sqlite3_column_text (stmt, 0),
                                                         sqlite3_column_bytes (stmt, 0),
                                                         (const char *) sqlite3_column_text (stmt, 1),
                                                         (const char *) sqlite3_column_text (stmt, 2),
                                                         parser));
      rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK && job->error == NULL)
    reader_fail (reader, job, rc);
  if (!sqlite3_get_autocommit (reader->db))
    sqlite3_exec (reader->db, "COMMIT", NULL, NULL, NULL);
}

/* ─── search ───────────────────────────────────────────────────────────── */

/* An FTS5 string: the whole word as one phrase, whatever it holds. */
static char *
fts_phrase (const char *word)
{
  g_autoptr(GString) phrase = g_string_new (word);

  g_string_replace (phrase, "\"", "\"\"", 0);
  g_string_prepend_c (phrase, '"');
  g_string_append_c (phrase, '"');
  return g_string_free (g_steal_pointer (&phrase), FALSE);
}

/* A LIKE pattern for "contains", with LIKE's own characters escaped. */
static char *
like_pattern (const char *word)
{
  g_autoptr(GString) pattern = g_string_new ("%");

  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

/* Searches read through a map of the file (see MMAP_SIZE). Takes effect
 * with the next read; a connection that cannot map reads as before. */
static void
reader_map (Reader *reader)
{
  if (reader->mapped)
    return;
  sqlite3_exec (reader->db, "PRAGMA mmap_size = " G_STRINGIFY (MMAP_SIZE), NULL, NULL, NULL);
  reader->mapped = TRUE;
}

/* What PRAGMA data_version says: it changes whenever another connection
 * committed to the file; -1 when it cannot be read. */
static gint64
data_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA data_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

/* Whether the copy of the prompts is as the file is in this read
 * transaction. */
static gboolean
prompts_fresh (Reader *reader)
{
  gint64 version = data_version (reader->db);

  return reader->prompts != NULL && version >= 0 && version == reader->prompts_version;
}

/* Reads the copy of the prompts unless it is as the file is now; returns
 * the SQLite result. Inside a read transaction: the copy is exactly as the
 * file was at the version it is kept for. */
static int
ensure_prompts (Reader       *reader,
                GCancellable *cancellable)
{
  int rc = sqlite3_exec (reader->db, "BEGIN", NULL, NULL, NULL);

  if (rc == SQLITE_OK && !prompts_fresh (reader))
    {
      g_clear_pointer (&reader->prompts, lens_store_prompts_free);
      reader->prompts_version = data_version (reader->db);
      reader->prompts = lens_store_prompts_read (reader->db, cancellable, &rc);
    }
  if (!sqlite3_get_autocommit (reader->db))
    sqlite3_exec (reader->db, "COMMIT", NULL, NULL, NULL);
  return rc;
}

/**
 * lens_task_store_reader_prepare:
 *
 * A search is about to start: reads the copy of the prompts unless it is
 * current. Failures are left for the search to meet and say.
 */
void
lens_task_store_reader_prepare (Reader *reader)
{
  if (!reader_ensure_open (reader, NULL))
    return;
  reader_map (reader);
  ensure_prompts (reader, NULL);
}

static void
add_found_id (sqlite3_stmt *stmt,
              Job          *job)
{
  g_hash_table_add (job->found, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
}

/* The id of the rowid found, from the copy of the prompts: every row the
 * index finds has a prompt, so it is there. */
static void
add_found_rowid (sqlite3_stmt *stmt,
                 Job          *job)
{
  const char *id = lens_store_prompts_id_of (job->prompts, sqlite3_column_int64 (stmt, 0));

  if (id != NULL)
    g_hash_table_add (job->found, g_strdup (id));
}

void
lens_task_store_reader_search (Reader *reader,
                               Job    *job)
{
  gboolean indexed = g_utf8_strlen (job->word, -1) >= TRIGRAM_CHARS;
  g_autofree char *argument = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *sql;
  int rc;

  job->found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    return;
  if (!reader_ensure_open (reader, &job->error))
    return;
  reader_map (reader);

  /* One read transaction: the copy of the prompts serves only when it is
   * as the file is in it. */
  rc = sqlite3_exec (reader->db, "BEGIN", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    job->prompts = prompts_fresh (reader) ? reader->prompts : NULL;

  if (rc == SQLITE_OK && !indexed && job->prompts != NULL)
    {
      if (!lens_store_prompts_find (job->prompts, job->word, job->found, job->cancellable))
        g_cancellable_set_error_if_cancelled (job->cancellable, &job->error);
    }
  else if (rc == SQLITE_OK)
    {
      if (indexed)
        {
          argument = fts_phrase (job->word);
          sql = job->prompts != NULL ? "SELECT rowid FROM tasks_search WHERE tasks_search MATCH ?1"
                                     : "SELECT id FROM tasks_search WHERE tasks_search MATCH ?1";
        }
      else
        {
          /* Without a current copy (nobody prepared the search, or the
           * file changed since), a short word is a scan: of the search
           * index's own copy of id and prompt, the narrowest table (see
           * the schema), read straight from the table FTS5 keeps it in
           * (c0 the id, c1 the prompt) rather than through the virtual
           * table, which hands over each column by a call of its own
           * (bench-search: about a third less). */
          argument = like_pattern (job->word);
          sql = "SELECT c0 FROM tasks_search_content WHERE c1 LIKE ?1 ESCAPE '\\'";
        }
      rc = sqlite3_prepare_v2 (reader->db, sql, -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, argument, -1, SQLITE_STATIC);
          run_query (reader, job, stmt, job->prompts != NULL ? add_found_rowid : add_found_id);
        }
    }
  if (rc != SQLITE_OK && job->error == NULL)
    job->error = lens_task_store_db_error_new (reader->db, rc, LENS_TASK_STORE_ERROR_OPEN);
  sqlite3_finalize (stmt);
  job->prompts = NULL;
  if (!sqlite3_get_autocommit (reader->db))
    sqlite3_exec (reader->db, "COMMIT", NULL, NULL, NULL);
}
