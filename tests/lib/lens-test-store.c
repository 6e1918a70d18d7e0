/* lens-test-store.c — the task history's file, for tests that look inside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading a store and waiting for it, and reading or changing its SQLite
 * file behind its back. Every helper asserts rather than returning errors:
 * a failure in a helper fails the test that called it.
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include <string.h>

#include "lens-test.h"
#include "lens-test-store.h"

void
lens_test_loaded_clear (LensTestLoaded *loaded)
{
  g_clear_pointer (&loaded->tasks, g_ptr_array_unref);
  g_clear_pointer (&loaded->recovery_message, g_free);
  g_clear_error (&loaded->error);
  loaded->done = FALSE;
}

static void
load_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LensTestLoaded *loaded = user_data;

  loaded->tasks = lens_task_store_load_finish (LENS_TASK_STORE (source_object), result,
                                               &loaded->recovery_message, &loaded->error);
  loaded->done = TRUE;
}

/**
 * lens_test_store_load:
 *
 * Loads @store and waits for the answer, in @loaded.
 */
void
lens_test_store_load (LensTaskStore  *store,
                      LensTestLoaded *loaded)
{
  lens_task_store_load_async (store, NULL, load_cb, loaded);
  lens_test_spin_until (&loaded->done, LENS_TEST_DEADLINE_MS);
}

/**
 * lens_test_store_write:
 * @changes: (element-type LensStoreChange)
 *
 * Writes @changes and waits; fails the test if the write fails.
 */
void
lens_test_store_write (LensTaskStore *store,
                       GPtrArray     *changes)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lens_task_store_write_sync (store, changes, &error));
  g_assert_no_error (error);
}

typedef struct
{
  gboolean  done;
  gpointer  result;
  GError   *error;
} Answer;

static void
read_records_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Answer *answer = user_data;

  answer->result = lens_task_store_read_records_finish (LENS_TASK_STORE (source_object), result,
                                                        &answer->error);
  answer->done = TRUE;
}

/**
 * lens_test_store_read_records:
 *
 * Reads the records of @ids and waits; fails the test on an error.
 *
 * Returns: (transfer full) (element-type LensTask): what was found
 */
GPtrArray *
lens_test_store_read_records (LensTaskStore      *store,
                              const char * const *ids)
{
  Answer answer = { 0 };

  lens_task_store_read_records_async (store, ids, NULL, read_records_cb, &answer);
  lens_test_spin_until (&answer.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (answer.error);
  g_assert_nonnull (answer.result);
  return answer.result;
}

/**
 * lens_test_store_read_record:
 *
 * Returns: (transfer full) (nullable): the task @id with its details, or
 *   NULL when it is not stored
 */
LensTask *
lens_test_store_read_record (LensTaskStore *store,
                             const char    *id)
{
  const char *ids[] = { id, NULL };
  g_autoptr(GPtrArray) tasks = lens_test_store_read_records (store, ids);

  g_assert_cmpuint (tasks->len, <=, 1);
  return tasks->len == 1 ? g_object_ref (g_ptr_array_index (tasks, 0)) : NULL;
}

static void
search_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;

  answer->result = lens_task_store_search_finish (LENS_TASK_STORE (source_object), result,
                                                  &answer->error);
  answer->done = TRUE;
}

/**
 * lens_test_store_search:
 *
 * Searches @store for @word and waits; fails the test on an error.
 *
 * Returns: (transfer full): the set of ids found
 */
GHashTable *
lens_test_store_search (LensTaskStore *store,
                        const char    *word)
{
  Answer answer = { 0 };

  lens_task_store_search_async (store, word, NULL, search_cb, &answer);
  lens_test_spin_until (&answer.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (answer.error);
  g_assert_nonnull (answer.result);
  return answer.result;
}

/**
 * lens_test_store_record_text:
 * @id: the task's id
 *
 * Returns: (transfer full): the documented record
 *   (tests/data/api-examples/retrieve.json, a finished grid), as task @id
 */
char *
lens_test_store_record_text (const char *id)
{
  static char *template;
  g_autoptr(GString) text = NULL;

  if (template == NULL)
    template = lens_test_read_data ("api-examples", "retrieve.json", NULL);
  text = g_string_new (template);
  g_string_replace (text, "7489df4c-ef03-4de0-b598-e9a590793434", id, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * lens_test_store_fill_id:
 *
 * Returns: (transfer full): the id of the @index-th task
 *   lens_test_store_fill() writes
 */
char *
lens_test_store_fill_id (guint index)
{
  return g_strdup_printf ("0000d00d-0000-4000-8000-%012x", index);
}

/**
 * lens_test_store_fill:
 *
 * Writes @n_tasks finished tasks (lens_test_store_record_text(), ids from
 * lens_test_store_fill_id()) into the history at @path through a
 * LensTaskStore, without a load: no check has run on the file after it.
 */
void
lens_test_store_fill (const char *path,
                      guint       n_tasks)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);

  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *id = lens_test_store_fill_id (i);
      g_autofree char *record = lens_test_store_record_text (id);
      g_autoptr(LensTask) task = lens_task_new (id);
      g_autoptr(JsonNode) node = json_from_string (record, NULL);

      lens_task_update_from_json (task, node);
      g_ptr_array_add (changes, lens_store_change_new_put (task, i, record, 0, 0));
    }
  lens_test_store_write (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/**
 * lens_test_db_damage_record_page:
 *
 * Overwrites one leaf page of the tasks table at @path (records, not the
 * summary index a load reads) with garbage. The file must have some ten
 * such pages (60 tasks of lens_test_store_fill() do), and no -wal.
 *
 * Returns: how many rows the page held
 */
guint
lens_test_db_damage_record_page (const char *path)
{
  g_autofree char *page_text = lens_test_db_query (path, "PRAGMA page_size");
  g_autofree char *page_number = lens_test_db_query (path, "SELECT pageno FROM dbstat WHERE name = 'tasks'"
                                                           " AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 5");
  g_autofree char *cells = lens_test_db_query (path, "SELECT ncell FROM dbstat WHERE name = 'tasks'"
                                                     " AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 5");
  gsize page_size = g_ascii_strtoull (page_text, NULL, 10);
  guint64 page = g_ascii_strtoull (page_number, NULL, 10);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_cmpuint (page, >, 1);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >=, page * page_size);
  memset (contents + (page - 1) * page_size, 0x5a, page_size);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return (guint) g_ascii_strtoull (cells, NULL, 10);
}

sqlite3 *
lens_test_db_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The store's own connection may be writing meanwhile (its check after a
   * load): wait for it rather than fail with "database is locked", as
   * /context/added-write-failed did once in a CI run. */
  sqlite3_busy_timeout (db, LENS_TEST_DEADLINE_MS);
  return db;
}

void
lens_test_db_exec (const char *path,
                   const char *sql)
{
  sqlite3 *db = lens_test_db_open (path);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/**
 * lens_test_db_query:
 *
 * Returns: (transfer full): the first column of the first row, as text:
 *   "" for no row, "NULL" for SQL's NULL
 */
char *
lens_test_db_query (const char *path,
                    const char *sql)
{
  sqlite3 *db = lens_test_db_open (path);
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup (sqlite3_column_type (stmt, 0) == SQLITE_NULL ? "NULL"
                                                                   : (const char *) sqlite3_column_text (stmt, 0));
  else
    text = g_strdup ("");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/**
 * lens_test_db_create_v4:
 *
 * Makes a database at @path as Tasklens made them at schema version 4,
 * before the summary columns and search (issue 9): the same statements, for
 * tests and benchmarks of the migration. Its table is empty.
 *
 * Returns: (transfer full): the open connection, to fill it
 */
sqlite3 *
lens_test_db_create_v4 (const char *path)
{
  sqlite3 *db = lens_test_db_open (path);
  char *message = NULL;

  if (sqlite3_exec (db,
                    "CREATE TABLE tasks (id TEXT PRIMARY KEY, position INTEGER NOT NULL, raw_json TEXT,"
                    "                    added_at INTEGER NOT NULL);"
                    "CREATE INDEX tasks_position ON tasks (position);"
                    "ALTER TABLE tasks ADD COLUMN checked_at INTEGER;"
                    "ALTER TABLE tasks ADD COLUMN saved_path TEXT;"
                    "ALTER TABLE tasks ADD COLUMN local_state TEXT;"
                    "ALTER TABLE tasks ADD COLUMN local_error TEXT;"
                    "PRAGMA user_version = 4;",
                    NULL, NULL, &message) != SQLITE_OK)
    g_error ("Could not make a version 4 database: %s", message);
  return db;
}

/**
 * lens_test_store_finished_record:
 * @prompt: (nullable): the prompt, any text; %NULL for none
 *
 * Returns: (transfer full): a finished imagine record of @id with @prompt,
 *   made with a builder so that any prompt is quoted as JSON wants
 */
char *
lens_test_store_finished_record (const char *id,
                                 const char *prompt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *image_url = g_strdup_printf ("https://platform.cdn.acedata.cloud/midjourney/%s.png", id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "imagine");
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_double_value (builder, 1720364607.5);
  json_builder_set_member_name (builder, "finished_at");
  json_builder_add_double_value (builder, 1720364637.25);
  json_builder_set_member_name (builder, "request");
  json_builder_begin_object (builder);
  if (prompt != NULL)
    {
      json_builder_set_member_name (builder, "prompt");
      json_builder_add_string_value (builder, prompt);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "progress");
  json_builder_add_int_value (builder, 100);
  json_builder_set_member_name (builder, "raw_image_url");
  json_builder_add_string_value (builder, image_url);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * lens_test_task_with_record:
 * @json: (nullable): a record; %NULL for a task never answered
 *
 * Returns: (transfer full): task @id as @json says
 */
LensTask *
lens_test_task_with_record (const char *id,
                            const char *json)
{
  g_autoptr(LensTask) task = lens_task_new (id);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (json != NULL)
    {
      node = json_from_string (json, &error);
      g_assert_no_error (error);
      lens_task_update_from_json (task, node);
    }
  return g_steal_pointer (&task);
}
