/* lens-task-store-schema.c — the task history's migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensTaskStore; see lens-task-store-private.h, and the schema they
 * lead to at the top of lens-task-store-db.c. Each step moves the schema
 * one version forward, in its own transaction; a new database goes through
 * all of them, so every step runs every day. Runs in the worker thread, on
 * the writer's connection, while the file is opened.
 */

#define G_LOG_DOMAIN "lens-task-store"

#include "config.h"

#include "lens-task-store-private.h"

/* Rows the version 5 fill reads before it writes what it made of them. */
#define FILL_BATCH_ROWS 256

typedef int (*FillFunc) (sqlite3 *db);

typedef struct
{
  const char *sql;    /* the schema change */
  FillFunc    fill;   /* nullable: fills what the change added, from the rows */
  const char *after;  /* nullable: what needs the rows filled first */
} Migration;

static int fill_summaries (sqlite3 *db);

/* Version 1 was the list and the records; version 2 added when a task was
 * last checked and where its original was saved; version 3 the state a
 * record does not give (stalled, not found), which a restart would
 * otherwise forget; version 4 why Tasklens marked a task failed itself
 * (local_state "failed"); version 5 the summary columns, their covering
 * index and the search index (issue 9: 100,000 tasks load from the columns
 * without parsing a record); version 6 when the file last passed its check,
 * which runs in the background at most once a day instead of before every
 * load (lens-task-store-check.c); version 7 a search index of the prompts
 * alone; version 8 the saved path in the summary index.
 *
 * Version 5 fills the columns first, then makes the search index from the
 * filled rows in one statement, and only then the triggers that keep it in
 * step: one bulk insert rather than one trigger call per row. */
static const Migration migrations[LENS_TASK_STORE_SCHEMA_VERSION] = {
  { "CREATE TABLE tasks (id TEXT PRIMARY KEY, position INTEGER NOT NULL, raw_json TEXT,"
    "                    added_at INTEGER NOT NULL);"
    "CREATE INDEX tasks_position ON tasks (position);", NULL, NULL },

  { "ALTER TABLE tasks ADD COLUMN checked_at INTEGER;"
    "ALTER TABLE tasks ADD COLUMN saved_path TEXT;", NULL, NULL },

  { "ALTER TABLE tasks ADD COLUMN local_state TEXT;", NULL, NULL },

  { "ALTER TABLE tasks ADD COLUMN local_error TEXT;", NULL, NULL },

  { "ALTER TABLE tasks ADD COLUMN state TEXT;"
    "ALTER TABLE tasks ADD COLUMN progress INTEGER;"
    "ALTER TABLE tasks ADD COLUMN task_type TEXT;"
    "ALTER TABLE tasks ADD COLUMN prompt TEXT;"
    "ALTER TABLE tasks ADD COLUMN created_at REAL;"
    "ALTER TABLE tasks ADD COLUMN finished_at REAL;",
    fill_summaries,
    /* The load reads the summaries in list order from this index alone,
     * never the rows with their records: 100,000 of them are some 10 MB
     * here against 115 MB of rows. It starts with position, so the old
     * index on position alone is only a cost now. */
    "DROP INDEX tasks_position;"
    "CREATE INDEX tasks_summary ON tasks (position, id, state, progress, task_type,"
    "                                     created_at, finished_at, local_error);"
    /* The search index keeps its own copy of id and prompt (some 13 MB for
     * 100,000 tasks) rather than pointing into tasks (external content):
     * a search then reads the ids it found, and a short word scans every
     * prompt, in that narrow table, never in the rows of 1 KB records —
     * measured with bench-search, 3 to 5 times faster for common words.
     * Its rowid is the task's rowid. It is kept in step by triggers rather
     * than by statements beside each write, so that every way a row
     * changes — a PUT, a delete, the load dropping a row that is not a
     * task — keeps it in step, in the same transaction, without
     * remembering to. Only VACUUM could change tasks' rowids: after one,
     * fill the index again. */
    "CREATE VIRTUAL TABLE tasks_search USING fts5 (id, prompt, tokenize = 'trigram');"
    "INSERT INTO tasks_search (rowid, id, prompt) SELECT rowid, id, prompt FROM tasks;"
    "CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks BEGIN"
    "  INSERT INTO tasks_search (rowid, id, prompt) VALUES (new.rowid, new.id, new.prompt);"
    " END;"
    "CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN"
    "  DELETE FROM tasks_search WHERE rowid = old.rowid;"
    " END;"
    /* Every PUT names prompt in its SET: only a real change touches the
     * index. */
    "CREATE TRIGGER tasks_search_update AFTER UPDATE OF id, prompt ON tasks"
    "  WHEN old.id IS NOT new.id OR old.prompt IS NOT new.prompt BEGIN"
    "  UPDATE tasks_search SET id = new.id, prompt = new.prompt WHERE rowid = new.rowid;"
    " END;" },

  { "CREATE TABLE checks (name TEXT PRIMARY KEY, passed_at INTEGER NOT NULL);", NULL, NULL },

  /* Ids are compared in memory, not searched in the store: their trigrams
   * only cost. A word in every id ("4000") read 100,000 entries of the
   * index for every keystroke even when only prompts were asked for
   * (bench-find). The id stays in the index's copy (c0), unindexed: a
   * search reads what it found there. The triggers name the table and its
   * columns only, and keep working with the new one. */
  { "DROP TABLE tasks_search;"
    "CREATE VIRTUAL TABLE tasks_search USING fts5 (id UNINDEXED, prompt, tokenize = 'trigram');"
    "INSERT INTO tasks_search (rowid, id, prompt) SELECT rowid, id, prompt FROM tasks;", NULL, NULL },

  /* Rows and gallery cells show which tasks were saved: the load, which
   * reads this index alone, needs the saved path too. Most tasks have
   * none (NULL costs a byte); a saved one some 60. */
  { "DROP INDEX tasks_summary;"
    "CREATE INDEX tasks_summary ON tasks (position, id, state, progress, task_type,"
    "                                     created_at, finished_at, local_error, saved_path);",
    NULL, NULL },
};

/* Reads up to FILL_BATCH_ROWS rows after @after_rowid and makes their
 * tasks, as the load of version 4 did (record, then local state). */
static int
read_batch (sqlite3_stmt *select,
            JsonParser   *parser,
            gint64        after_rowid,
            GArray       *rowids,
            GPtrArray    *tasks)
{
  int rc;

  sqlite3_bind_int64 (select, 1, after_rowid);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (select, 0);
      const char *id = (const char *) sqlite3_column_text (select, 1);

      /* Not a task: the load drops it; nothing to fill. */
      if (id == NULL || *id == '\0')
        continue;
      g_array_append_val (rowids, rowid);
      g_ptr_array_add (tasks,
                       lens_task_store_record_to_task (id,
                                                       (const char *) sqlite3_column_text (select, 2),
                                                       sqlite3_column_bytes (select, 2),
                                                       (const char *) sqlite3_column_text (select, 3),
                                                       (const char *) sqlite3_column_text (select, 4),
                                                       parser));
    }
  sqlite3_reset (select);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Version 5: the summary columns of every row, from its record and local
 * state. In batches, so that neither the records nor their tasks are all
 * in memory at once, and no row is written while the select reads. */
static int
fill_summaries (sqlite3 *db)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *select = NULL;
  sqlite3_stmt *update = NULL;
  gint64 last_rowid = G_MININT64;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT rowid, id, raw_json, local_state, local_error FROM tasks"
                           " WHERE rowid > ?1 ORDER BY rowid LIMIT " G_STRINGIFY (FILL_BATCH_ROWS),
                           -1, &select, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db,
                             "UPDATE tasks SET state = ?2, progress = ?3, task_type = ?4, prompt = ?5,"
                             " created_at = ?6, finished_at = ?7 WHERE rowid = ?1",
                             -1, &update, NULL);
  while (rc == SQLITE_OK)
    {
      g_array_set_size (rowids, 0);
      g_ptr_array_set_size (tasks, 0);
      rc = read_batch (select, parser, last_rowid, rowids, tasks);
      if (rc != SQLITE_OK || rowids->len == 0)
        break;

      for (guint i = 0; rc == SQLITE_OK && i < rowids->len; i++)
        {
          LensTask *task = g_ptr_array_index (tasks, i);

          sqlite3_bind_int64 (update, 1, g_array_index (rowids, gint64, i));
          lens_task_store_record_bind_state (update, 2, lens_task_get_state (task),
                                             lens_task_get_progress (task));
          lens_task_store_record_bind_details (update, 4, task);
          rc = lens_task_store_step_done (update);
        }
      last_rowid = g_array_index (rowids, gint64, rowids->len - 1);
    }
  sqlite3_finalize (select);
  sqlite3_finalize (update);
  return rc;
}

static int
exec (sqlite3    *db,
      const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL);
}

/**
 * lens_task_store_schema_migrate:
 * @from_version: the file's user_version
 *
 * Returns: SQLITE_OK, or the error that stopped a step (rolled back; the
 *   steps before it stay)
 */
int
lens_task_store_schema_migrate (sqlite3 *db,
                                int      from_version)
{
  for (int version = from_version; version < LENS_TASK_STORE_SCHEMA_VERSION; version++)
    {
      const Migration *migration = &migrations[version];
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      int rc;

      rc = exec (db, "BEGIN IMMEDIATE");
      if (rc == SQLITE_OK)
        rc = exec (db, migration->sql);
      if (rc == SQLITE_OK && migration->fill != NULL)
        rc = migration->fill (db);
      if (rc == SQLITE_OK && migration->after != NULL)
        rc = exec (db, migration->after);
      if (rc == SQLITE_OK)
        rc = exec (db, set_version);
      if (rc == SQLITE_OK)
        rc = exec (db, "COMMIT");

      if (rc != SQLITE_OK)
        {
          g_message ("Could not migrate the task history to version %d: %s",
                     version + 1, sqlite3_errmsg (db));
          if (!sqlite3_get_autocommit (db))
            exec (db, "ROLLBACK");
          return rc;
        }
    }
  return SQLITE_OK;
}
