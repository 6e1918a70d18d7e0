/* test-task-store-util.c — what test-task-store.c's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture (a scratch directory and a database path inside it), tasks
 * and changes made to order, a load run to its end, and direct SQLite
 * access to make or inspect a database behind the store's back. Apart from
 * the tests so that test-task-store.c reads as the list of behaviours it
 * checks.
 */

#define G_LOG_DOMAIN "test-task-store"

#include "config.h"

#include <glib/gstdio.h>

#include "test-task-store-util.h"

/* ─── helpers ──────────────────────────────────────────────────────────── */

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tasklens-task-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "data", "tasklens", "tasks.db", NULL);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* The documented record, as another task. */
char *
record_text (const char *id)
{
  static char *template;
  g_autoptr(GString) text = NULL;

  if (template == NULL)
    {
      g_autofree char *file = g_build_filename (TEST_DATA_DIR, "api-examples", "retrieve.json", NULL);
      g_autoptr(GError) error = NULL;

      g_file_get_contents (file, &template, NULL, &error);
      g_assert_no_error (error);
    }
  text = g_string_new (template);
  g_string_replace (text, ID_A, id, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

LensTask *
task_with_record (const char *id,
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

/* A PUT made by hand, for many tasks at once without building each. */
LensStoreChange *
put_change (const char *id,
            gint64      position,
            const char *raw_json)
{
  LensStoreChange *change = g_new0 (LensStoreChange, 1);

  change->kind = LENS_STORE_CHANGE_PUT;
  change->id = g_strdup (id);
  change->position = position;
  change->raw_json = g_strdup (raw_json);
  change->added_at = 1700000000;
  return change;
}

char *
generated_id (guint round,
              guint index)
{
  return g_strdup_printf ("%08x-0000-4000-8000-%012x", round, index);
}

GPtrArray *
new_changes (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
}

void
loaded_clear (Loaded *loaded)
{
  g_clear_pointer (&loaded->tasks, g_ptr_array_unref);
  g_clear_pointer (&loaded->recovery_message, g_free);
  g_clear_error (&loaded->error);
}

static void
load_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Loaded *loaded = user_data;

  loaded->tasks = lens_task_store_load_finish (LENS_TASK_STORE (source_object), result,
                                               &loaded->recovery_message, &loaded->error);
  loaded->done = TRUE;
}

void
load (LensTaskStore *store,
      Loaded        *loaded)
{
  lens_task_store_load_async (store, NULL, load_cb, loaded);
  while (!loaded->done)
    g_main_context_iteration (NULL, TRUE);
}

/* Opens @path in a new store, loads it and lets the store go again. */
void
reload (const char *path,
        Loaded     *loaded)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);

  load (store, loaded);
  g_assert_finalize_object (g_steal_pointer (&store));
}

void
write_sync (LensTaskStore *store,
            GPtrArray     *changes)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lens_task_store_write_sync (store, changes, &error));
  g_assert_no_error (error);
}

void
assert_ids (GPtrArray          *tasks,
            const char * const *ids)
{
  g_assert_nonnull (tasks);
  g_assert_cmpuint (tasks->len, ==, g_strv_length ((GStrv) ids));
  for (guint i = 0; i < tasks->len; i++)
    g_assert_cmpstr (lens_task_get_id (g_ptr_array_index (tasks, i)), ==, ids[i]);
}

sqlite3 *
db_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

void
db_exec (const char *path,
         const char *sql)
{
  sqlite3 *db = db_open (path);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* The first column of the first row, as text ("" for no row, "NULL"). */
char *
db_query (const char *path,
          const char *sql)
{
  sqlite3 *db = db_open (path);
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

gint64
db_query_int (const char *path,
              const char *sql)
{
  g_autofree char *text = db_query (path, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* The one file named tasks.db.corrupt-* beside @path. */
char *
find_aside (const char *path)
{
  g_autofree char *dir_name = g_path_get_dirname (path);
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  g_autofree char *found = NULL;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "tasks.db.corrupt-") && !g_str_has_suffix (name, "-wal")
        && !g_str_has_suffix (name, "-shm"))
      {
        g_assert_null (found);
        found = g_build_filename (dir_name, name, NULL);
      }
  g_assert_nonnull (found);
  return g_steal_pointer (&found);
}

void
assert_fresh_store_works (const char *path)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GPtrArray) changes = new_changes ();
  g_auto(Loaded) loaded = { 0 };
  g_auto(Loaded) again = { 0 };

  load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_null (loaded.recovery_message);
  g_assert_cmpuint (loaded.tasks->len, ==, 0);

  g_ptr_array_add (changes, put_change (ID_A, 0, NULL));
  write_sync (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));

  reload (path, &again);
  assert_ids (again.tasks, (const char *[]) { ID_A, NULL });
}
