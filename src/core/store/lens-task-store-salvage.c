/* lens-task-store-salvage.c — what can still be read of a damaged history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensTaskStore; see lens-task-store-private.h. Copies what can be
 * read of a damaged file into a new one, skipping what cannot; the worker
 * (lens-task-store-db.c) then sets the damaged file aside and puts the new
 * one in its place.
 *
 * SQLite reports damage page by page: a scan of a table stops at the first
 * page it cannot read, and a seek fails only when its own path crosses a
 * damaged page. So the rows are read in rowid order, and where a scan
 * stops, the next one seeks the rowid after the last row read, one rowid
 * further at each failure, until a seek lands on a page that reads (or
 * beyond the highest rowid known). Whole rows are copied as they are.
 *
 * A task whose row cannot be read may still be in the summary index
 * (tasks_summary), a B-tree of its own with the id and position: it comes
 * back as a task to look up again (no record, queued), since the server
 * still knows it by its id. The index is read from both ends, each as far
 * as it reads.
 *
 * How many tasks the file held is counted where a count still reads to the
 * end: the summary index, the table itself, or the search index's copy of
 * the ids. When none does, the number is not known.
 *
 * Only a file of schema version 5 or later has the columns copied here;
 * nothing is salvaged of an older one, which is set aside as before.
 */

#define G_LOG_DOMAIN "lens-task-store"

#include "config.h"

#include "lens-task-store-private.h"

/* How many failed seeks a salvage makes at most, beyond the highest rowid
 * known: each is a few page reads, a few microseconds. */
#define MAX_PROBES          1000000
#define PROBES_PAST_KNOWN   10000

/* The tasks table's columns of schema version 5 and later, in this order
 * in both statements. */
#define COLUMNS                                                                  \
  "id, position, raw_json, added_at, checked_at, saved_path, local_state,"       \
  " local_error, state, progress, task_type, prompt, created_at, finished_at"
#define N_COLUMNS 14

typedef struct
{
  char   *id;        /* owned */
  gint64  position;
} IndexRow;

static void
index_row_free (IndexRow *row)
{
  g_free (row->id);
  g_free (row);
}

/* Reads the summary index in one direction as far as it reads: rowid →
 * IndexRow. Returns the highest rowid seen. */
static gint64
read_index (sqlite3    *from,
            const char *sql,
            GHashTable *rows)
{
  sqlite3_stmt *stmt = NULL;
  gint64 max_rowid = 0;

  if (sqlite3_prepare_v2 (from, sql, -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      const char *id = (const char *) sqlite3_column_text (stmt, 1);
      IndexRow *row;

      if (id == NULL || g_hash_table_contains (rows, &rowid))
        continue;
      row = g_new0 (IndexRow, 1);
      row->id = g_strdup (id);
      row->position = sqlite3_column_int64 (stmt, 2);
      g_hash_table_insert (rows, g_memdup2 (&rowid, sizeof rowid), row);
      max_rowid = MAX (max_rowid, rowid);
    }
  sqlite3_finalize (stmt);
  return max_rowid;
}

/* The first of these counts that reads to its end, or -1. */
static gint64
count_tasks (sqlite3 *from)
{
  static const char * const counts[] = {
    "SELECT count(*) FROM tasks INDEXED BY tasks_summary",
    "SELECT count(*) FROM tasks NOT INDEXED",
    "SELECT count(*) FROM tasks_search_content",
  };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      sqlite3_stmt *stmt = NULL;
      gint64 count = -1;

      if (sqlite3_prepare_v2 (from, counts[i], -1, &stmt, NULL) == SQLITE_OK
          && sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      if (count >= 0)
        return count;
    }
  return -1;
}

/* Copies the row @select is on; TRUE when it was a task, now kept. */
static gboolean
copy_row (sqlite3_stmt *select,
          sqlite3_stmt *insert,
          int          *rc)
{
  const char *id = (const char *) sqlite3_column_text (select, 1);

  if (!lens_task_store_record_is_stored_id (id))
    return FALSE;
  for (int i = 0; i < N_COLUMNS; i++)
    sqlite3_bind_value (insert, i + 1, sqlite3_column_value (select, i + 1));
  *rc = lens_task_store_step_done (insert);
  return *rc == SQLITE_OK && sqlite3_changes (sqlite3_db_handle (insert)) == 1;
}

/* The rows, in rowid order, around the pages that do not read. Whatever
 * row was copied is removed from @index_rows. Returns SQLITE_OK or the
 * error that stopped the writing (never one of reading). */
static int
copy_rows (sqlite3    *from,
           sqlite3    *to,
           gint64      max_known_rowid,
           GHashTable *index_rows,
           guint      *n_whole)
{
  sqlite3_stmt *select = NULL;
  sqlite3_stmt *insert = NULL;
  gint64 next = 1;   /* the lowest rowid not read yet; Tasklens's start at 1 */
  gint64 last_read = 0;
  guint probes = 0;
  int write_rc = SQLITE_OK;
  int rc;

  rc = sqlite3_prepare_v2 (from, "SELECT rowid, " COLUMNS " FROM tasks WHERE rowid >= ?1 ORDER BY rowid",
                           -1, &select, NULL);
  if (rc != SQLITE_OK)
    {
      g_message ("Nothing of the damaged task history can be read: %s", sqlite3_errmsg (from));
      return SQLITE_OK;
    }
  write_rc = sqlite3_prepare_v2 (to, "INSERT OR IGNORE INTO tasks (" COLUMNS ") VALUES"
                                     " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                                 -1, &insert, NULL);

  while (write_rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (select, 1, next);
      while (write_rc == SQLITE_OK && (rc = sqlite3_step (select)) == SQLITE_ROW)
        {
          gint64 rowid = sqlite3_column_int64 (select, 0);

          last_read = rowid;
          next = rowid + 1;
          if (copy_row (select, insert, &write_rc))
            {
              (*n_whole)++;
              g_hash_table_remove (index_rows, &rowid);
            }
        }
      sqlite3_reset (select);
      if (write_rc != SQLITE_OK || rc == SQLITE_DONE)
        break;

      /* A page at or after @next does not read; the seek for the next
       * rowid lands on it until it is past the rowids that page held. */
      next++;
      if (++probes > MAX_PROBES || next > MAX (max_known_rowid, last_read) + PROBES_PAST_KNOWN)
        break;
    }

  sqlite3_finalize (select);
  sqlite3_finalize (insert);
  return write_rc;
}

/* The tasks only the summary index still knows: to look up again. */
static int
add_index_rows (sqlite3    *to,
                GHashTable *index_rows,
                guint      *n_relooked)
{
  g_autoptr(GList) rows = g_hash_table_get_values (index_rows);
  sqlite3_stmt *insert = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (to, "INSERT OR IGNORE INTO tasks (id, position, added_at, state)"
                               " VALUES (?1, ?2, ?3, ?4)", -1, &insert, NULL);
  for (GList *l = rows; rc == SQLITE_OK && l != NULL; l = l->next)
    {
      IndexRow *row = l->data;

      if (!lens_task_store_record_is_stored_id (row->id))
        continue;
      sqlite3_bind_text (insert, 1, row->id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 2, row->position);
      sqlite3_bind_int64 (insert, 3, g_get_real_time () / G_USEC_PER_SEC);
      sqlite3_bind_text (insert, 4, lens_task_state_to_string (LENS_TASK_STATE_QUEUED), -1, SQLITE_STATIC);
      rc = lens_task_store_step_done (insert);
      if (rc == SQLITE_OK && sqlite3_changes (to) == 1)
        (*n_relooked)++;
    }
  sqlite3_finalize (insert);
  return rc;
}

/**
 * lens_task_store_salvage_copy:
 * @from: the damaged file, read-only
 * @to: a new file at the current schema, empty
 * @out_salvage: (out): how many tasks were kept, and of how many
 *
 * Copies every task that can be read from @from into @to, in one
 * transaction.
 *
 * Returns: SQLITE_OK, or the error that stopped the writing to @to (then
 *   nothing was written)
 */
int
lens_task_store_salvage_copy (sqlite3          *from,
                              sqlite3          *to,
                              LensStoreSalvage *out_salvage)
{
  g_autoptr(GHashTable) index_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                            (GDestroyNotify) index_row_free);
  LensStoreSalvage salvage = { 0 };
  gint64 max_known_rowid;
  int rc;

  /* In index order, so that no sort has to read the whole index first. */
  max_known_rowid = read_index (from, "SELECT rowid, id, position FROM tasks INDEXED BY tasks_summary"
                                      " ORDER BY position, id", index_rows);
  max_known_rowid = MAX (max_known_rowid,
                         read_index (from, "SELECT rowid, id, position FROM tasks INDEXED BY tasks_summary"
                                           " ORDER BY position DESC, id DESC", index_rows));

  rc = sqlite3_exec (to, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = copy_rows (from, to, max_known_rowid, index_rows, &salvage.n_whole);
  if (rc == SQLITE_OK)
    rc = add_index_rows (to, index_rows, &salvage.n_relooked);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (to, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_message ("Could not write what was salvaged of the task history: %s", sqlite3_errmsg (to));
      if (!sqlite3_get_autocommit (to))
        sqlite3_exec (to, "ROLLBACK", NULL, NULL, NULL);
      *out_salvage = (LensStoreSalvage) { .n_total = -1 };
      return rc;
    }

  salvage.n_total = count_tasks (from);
  /* A count that reads may still be short of what was found elsewhere. */
  if (salvage.n_total >= 0 && salvage.n_total < salvage.n_whole + salvage.n_relooked)
    salvage.n_total = salvage.n_whole + salvage.n_relooked;
  *out_salvage = salvage;
  return SQLITE_OK;
}
