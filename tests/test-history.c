/* test-history.c — LensHistory keeps the store in step with the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test follows the app: load the store, append what it had, make the
 * history, then change the list; what the history wrote is read back with a
 * second store on the same file, and with SQLite itself where the store has
 * no getter (rowid, saved_path, checked_at).
 */

#define G_LOG_DOMAIN "test-history"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "lens-history.h"
#include "lens-task-private.h"
#include "lens-test.h"
#include "lens-test-store.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C "49589d2c-b6b3-4fbf-9f82-93068509c76f"
#define ID_D "037955e0-deee-4050-baa8-1416300d67e2"
#define ID_X "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"
#define ID_Y "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

#define WAIT_LIMIT_MS 20000

typedef struct
{
  char          *dir;
  char          *path;
  LensTaskStore *store;
  LensTaskList  *list;
  LensHistory   *history;

  guint          n_written;      /* "written" emissions */
  guint          last_n_changes;
  guint          most_changes;   /* in one write */
  guint          n_failed;       /* "write-failed" emissions */
  GError        *last_error;
} Fixture;

/* ─── helpers ──────────────────────────────────────────────────────────── */

static void
written_cb (LensHistory *history,
            guint        n_changes,
            Fixture     *fixture)
{
  fixture->n_written++;
  fixture->last_n_changes = n_changes;
  fixture->most_changes = MAX (fixture->most_changes, n_changes);
}

static void
write_failed_cb (LensHistory  *history,
                 const GError *error,
                 Fixture      *fixture)
{
  fixture->n_failed++;
  g_clear_error (&fixture->last_error);
  fixture->last_error = g_error_copy (error);
}

static void
load_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = lens_task_store_load_finish (LENS_TASK_STORE (source_object), result, NULL, &error);
  g_assert_no_error (error);
}

static GPtrArray *
load (LensTaskStore *store)
{
  GPtrArray *tasks = NULL;

  lens_task_store_load_async (store, NULL, load_cb, &tasks);
  LENS_TEST_SPIN_UNTIL (tasks != NULL, WAIT_LIMIT_MS);
  return tasks;
}

/* As the app starts: load, append, then make the history. */
static void
start (Fixture *fixture)
{
  g_autoptr(GPtrArray) tasks = NULL;

  fixture->store = lens_task_store_new (fixture->path);
  fixture->list = lens_task_list_new ();
  tasks = load (fixture->store);
  lens_task_list_append_tasks (fixture->list, tasks);
  fixture->history = lens_history_new (fixture->store, fixture->list);
  g_signal_connect (fixture->history, "written", G_CALLBACK (written_cb), fixture);
  g_signal_connect (fixture->history, "write-failed", G_CALLBACK (write_failed_cb), fixture);
}

static void sync_quietly (LensHistory *history);

static void
stop (Fixture *fixture)
{
  /* Writes still to come (a paste goes in several) are let through
   * first. A write still in flight holds the history until its callback
   * has run: an empty write waits for it in the worker, and then the
   * callback runs here. */
  if (fixture->history != NULL)
    sync_quietly (fixture->history);
  if (fixture->store != NULL)
    {
      g_autoptr(GPtrArray) nothing = g_ptr_array_new ();

      g_assert_true (lens_task_store_write_sync (fixture->store, nothing, NULL));
      lens_test_spin_pending ();
    }
  if (fixture->history != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->history));
  if (fixture->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_clear_object (&fixture->list);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = lens_test_make_scratch_dir ("tasklens-history");
  fixture->path = g_build_filename (fixture->dir, "tasks.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  stop (fixture);
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_clear_error (&fixture->last_error);
}

/* Runs the main loop until @counter reaches @target. */
static void
wait_for (guint *counter,
          guint  target)
{
  LENS_TEST_SPIN_UNTIL (*counter >= target, WAIT_LIMIT_MS);
}

static void
add_ids (Fixture            *fixture,
         const char * const *ids)
{
  guint target = fixture->n_written + 1;

  lens_task_list_add_ids (fixture->list, ids, NULL);
  wait_for (&fixture->n_written, target);
}

/* What a second store on the same file finds. */
static void
assert_stored_ids (Fixture            *fixture,
                   const char * const *ids)
{
  g_autoptr(LensTaskStore) other = lens_task_store_new (fixture->path);
  g_autoptr(GPtrArray) tasks = load (other);

  g_assert_cmpuint (tasks->len, ==, g_strv_length ((GStrv) ids));
  for (guint i = 0; i < tasks->len; i++)
    g_assert_cmpstr (lens_task_get_id (g_ptr_array_index (tasks, i)), ==, ids[i]);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&other));
}

static char *
db_query (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup (sqlite3_column_type (stmt, 0) == SQLITE_NULL ? "NULL"
                                                                   : (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static void
db_exec (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The store's own connection may be writing (its first check). */
  sqlite3_busy_timeout (db, WAIT_LIMIT_MS);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Writes putting task @id (any, for NULL) fail, as on a full disk, until
 * accept_again(). */
static void
refuse_inserts (Fixture    *fixture,
                const char *id)
{
  g_autofree char *when = id != NULL ? g_strdup_printf ("WHEN NEW.id = '%s'", id) : g_strdup ("");
  g_autofree char *sql = g_strdup_printf ("CREATE TRIGGER refuse BEFORE INSERT ON tasks %s "
                                          "BEGIN SELECT RAISE (ABORT, 'refused for the test'); END;",
                                          when);

  db_exec (fixture->path, sql);
}

static void
accept_again (Fixture *fixture)
{
  db_exec (fixture->path, "DROP TRIGGER refuse");
}

/* Adds task A, whose write is refused, and runs one turn: that write is in
 * flight, its failure still to come. */
static void
write_of_a_in_flight_fails (Fixture *fixture)
{
  refuse_inserts (fixture, ID_A);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_A, NULL }, NULL);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fixture->n_written, ==, 0);
  g_assert_cmpuint (fixture->n_failed, ==, 0);
}

/* How many rows the store's file has. */
static guint
count_stored (Fixture *fixture)
{
  g_autofree char *count = db_query (fixture->path, "SELECT count(*) FROM tasks");

  return (guint) g_ascii_strtoull (count, NULL, 10);
}

/* The documented record, as task @id, with @prompt (NULL: as documented). */
static JsonNode *
record_with_prompt (const char *id,
                    const char *prompt)
{
  g_autofree char *text = lens_test_read_data ("api-examples", "retrieve.json", NULL);
  g_autoptr(GString) replaced = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  replaced = g_string_new (text);
  g_string_replace (replaced, ID_A, id, 0);
  if (prompt != NULL)
    g_string_replace (replaced, "A cat sitting on a table", prompt, 0);
  node = json_from_string (replaced->str, &error);
  g_assert_no_error (error);
  return node;
}

static JsonNode *
record_for (const char *id)
{
  return record_with_prompt (id, NULL);
}

static void
sync_quietly_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;

  /* A test that made writes fail has said what it expects of them. */
  lens_history_sync_finish (LENS_HISTORY (source_object), result, NULL);
  *done = TRUE;
}

/* Until every change so far is written, or failed to be. */
static void
sync_quietly (LensHistory *history)
{
  gboolean done = FALSE;

  lens_history_sync_async (history, NULL, sync_quietly_cb, &done);
  lens_test_spin_until (&done, WAIT_LIMIT_MS);
}

/* ─── tests ────────────────────────────────────────────────────────────── */

static void
test_added_ids_are_written (Fixture       *fixture,
                            gconstpointer  data)
{
  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, ID_C, NULL });
  g_assert_cmpuint (fixture->n_written, ==, 1);
  g_assert_cmpuint (fixture->last_n_changes, ==, 3);

  add_ids (fixture, (const char *[]) { ID_D, NULL });
  lens_history_flush (fixture->history);
  assert_stored_ids (fixture, (const char *[]) { ID_A, ID_B, ID_C, ID_D, NULL });
  g_assert_cmpuint (fixture->n_failed, ==, 0);
}

/* A batch of records applied by the refresher is one write. */
static void
test_records_in_one_transaction (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *ids[] = { ID_A, ID_B, ID_C, NULL };
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(LensTaskStore) other = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *checked = NULL;

  start (fixture);
  add_ids (fixture, ids);
  lens_test_spin_pending ();
  fixture->n_written = 0;

  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (records, record_for (ids[i]));
  g_assert_cmpuint (lens_task_list_apply_records (fixture->list, ids, records), ==, 3);
  wait_for (&fixture->n_written, 1);
  lens_test_spin_pending ();
  g_assert_cmpuint (fixture->n_written, ==, 1);
  g_assert_cmpuint (fixture->last_n_changes, ==, 3);

  other = lens_task_store_new (fixture->path);
  tasks = load (other);
  g_assert_cmpuint (tasks->len, ==, 3);
  for (guint i = 0; i < tasks->len; i++)
    {
      g_assert_cmpstr (lens_task_get_id (g_ptr_array_index (tasks, i)), ==, ids[i]);
      g_assert_cmpint (lens_task_get_state (g_ptr_array_index (tasks, i)), ==, LENS_TASK_STATE_DONE);
    }
  checked = db_query (fixture->path, "SELECT COUNT(*) FROM tasks WHERE checked_at IS NOT NULL");
  g_assert_cmpstr (checked, ==, "3");
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* A task Tasklens marked failed is written with its reason, and a restart
 * finds it failed with that reason. */
static void
test_local_failure_kept (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *ids[] = { ID_A, ID_B, NULL };
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(LensTaskStore) other = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(LensTask) read = NULL;

  start (fixture);
  add_ids (fixture, ids);
  g_ptr_array_add (records, record_for (ID_A));
  lens_task_list_apply_records (fixture->list, (const char *[]) { ID_A, NULL }, records);
  lens_task_mark_failed (lens_task_list_lookup (fixture->list, ID_A), "reason for A");
  lens_task_mark_failed (lens_task_list_lookup (fixture->list, ID_B), "reason for B");
  lens_history_flush (fixture->history);

  other = lens_task_store_new (fixture->path);
  tasks = load (other);
  g_assert_cmpuint (tasks->len, ==, 2);
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (tasks, 0)), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpstr (lens_task_get_error_message (g_ptr_array_index (tasks, 0)), ==, "reason for A");
  /* A load gives summaries (issue 9): the prompt is in the record. */
  read = lens_test_store_read_record (other, ID_A);
  g_assert_cmpstr (lens_task_get_prompt (read), ==, "A cat sitting on a table");
  g_assert_cmpint (lens_task_get_state (read), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (tasks, 1)), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpstr (lens_task_get_error_message (g_ptr_array_index (tasks, 1)), ==, "reason for B");
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* Several tasks inserted at once on top of the list (a page of a sync) are
 * written alone, at positions before the first: the tasks below keep
 * theirs, and the order holds on reload. */
static void
test_insert_run_on_top (Fixture       *fixture,
                        gconstpointer  data)
{
  guint target;

  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, ID_C, NULL });

  target = fixture->n_written + 1;
  g_assert_cmpuint (lens_task_list_insert_ids (fixture->list, 0,
                                               (const char *[]) { ID_D, ID_X, ID_Y, NULL }), ==, 3);
  wait_for (&fixture->n_written, target);
  g_assert_cmpuint (fixture->last_n_changes, ==, 3);

  lens_history_flush (fixture->history);
  assert_stored_ids (fixture, (const char *[]) { ID_D, ID_X, ID_Y, ID_A, ID_B, ID_C, NULL });
}

/* Removed, then put back by undo before the delay: never deleted (the row
 * keeps its rowid, which a delete and insert would change). */
static void
test_undo_keeps_the_row (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LensTask) task = NULL;
  g_autofree char *rowid_before = NULL;
  g_autofree char *rowid_after = NULL;
  guint position;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, ID_C, NULL });
  rowid_before = db_query (fixture->path, "SELECT rowid FROM tasks WHERE id = '" ID_B "'");

  task = g_object_ref (lens_task_list_lookup (fixture->list, ID_B));
  g_assert_true (lens_task_list_find (fixture->list, ID_B, &position));
  g_assert_true (lens_task_list_remove (fixture->list, ID_B));
  lens_test_spin_pending ();
  g_assert_true (lens_task_list_insert (fixture->list, position, task));
  lens_test_spin_pending ();

  lens_history_flush (fixture->history);
  rowid_after = db_query (fixture->path, "SELECT rowid FROM tasks WHERE id = '" ID_B "'");
  g_assert_cmpstr (rowid_after, ==, rowid_before);
  assert_stored_ids (fixture, (const char *[]) { ID_A, ID_B, ID_C, NULL });
}

/* Picks with many gaps are removed as one change of the stretch they span
 * (lens-task-list.c): the tasks in that stretch that stay are not written
 * again, the picked ones are deleted after the delay, and an undo before
 * it puts them back with nothing written but their places. */
static void
test_scattered_removal_writes_only_the_removed (Fixture       *fixture,
                                                gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (0, 200);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) picked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) restored = NULL;
  g_autofree char *count = NULL;
  guint target;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 50);
  /* The text ends with a line break: no id after it. */
  g_clear_pointer (&lines[200], g_free);
  add_ids (fixture, (const char * const *) lines);
  /* Every other one of the 200: 100 runs of one. */
  for (guint i = 0; i < 200; i += 2)
    g_ptr_array_add (picked, g_list_model_get_item (G_LIST_MODEL (fixture->list), i));

  target = fixture->n_written + 1;
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 100);
  wait_for (&fixture->n_written, target);
  /* The deletions, and nothing of the 99 that stayed in the stretch. */
  g_assert_cmpuint (fixture->last_n_changes, ==, 100);
  count = db_query (fixture->path, "SELECT COUNT(*) FROM tasks");
  g_assert_cmpstr (count, ==, "100");

  /* Put back after the deletion: the 100 are written again, as new rows,
   * and the others stay as they are. */
  target = fixture->n_written + 1;
  restored = lens_task_list_undo_remove (fixture->list);
  g_assert_cmpuint (restored->len, ==, 100);
  wait_for (&fixture->n_written, target);
  g_assert_cmpuint (fixture->last_n_changes, ==, 100);
  lens_history_flush (fixture->history);
  g_clear_pointer (&count, g_free);
  count = db_query (fixture->path, "SELECT COUNT(*) FROM tasks");
  g_assert_cmpstr (count, ==, "200");
  {
    g_autoptr(LensTaskStore) other = lens_task_store_new (fixture->path);
    g_autoptr(GPtrArray) tasks = load (other);

    for (guint i = 0; i < 200; i++)
      g_assert_cmpstr (lens_task_get_id (g_ptr_array_index (tasks, i)), ==, lines[i]);
  }
}

static void
test_removal_deleted_after_delay (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *before = NULL;
  guint target;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 50);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });

  target = fixture->n_written + 1;
  g_assert_true (lens_task_list_remove (fixture->list, ID_A));
  /* Nothing is deleted before the delay has passed. */
  before = db_query (fixture->path, "SELECT COUNT(*) FROM tasks");
  g_assert_cmpstr (before, ==, "2");

  wait_for (&fixture->n_written, target);
  g_assert_cmpuint (fixture->last_n_changes, ==, 1);
  assert_stored_ids (fixture, (const char *[]) { ID_B, NULL });
}

static void
test_flush_applies_pending_deletes (Fixture       *fixture,
                                    gconstpointer  data)
{
  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, ID_C, NULL });

  /* Still inside the default undo delay: flush (at quit) deletes anyway. */
  g_assert_true (lens_task_list_remove (fixture->list, ID_A));
  g_assert_true (lens_task_list_remove (fixture->list, ID_C));
  lens_test_spin_pending ();
  lens_history_flush (fixture->history);
  g_assert_cmpuint (fixture->last_n_changes, ==, 2);
  assert_stored_ids (fixture, (const char *[]) { ID_B, NULL });
}

/* All the tasks removed and put back within the undo delay: nothing at
 * all is written, as their rows are as they were (each used to be put
 * again, which for 100,000 tasks held the main loop). */
static void
test_undo_writes_nothing (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (0, 100);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) restored = NULL;
  guint n_written;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  /* The text ends with a line break: no id after it. */
  g_clear_pointer (&lines[100], g_free);
  add_ids (fixture, (const char * const *) lines);
  lens_test_spin_pending ();
  n_written = fixture->n_written;

  all = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (all, g_list_model_get_item (G_LIST_MODEL (fixture->list), i));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, all), ==, 100);
  lens_test_spin_pending ();
  restored = lens_task_list_undo_remove (fixture->list);
  g_assert_cmpuint (restored->len, ==, 100);
  lens_test_spin_for (100);
  lens_history_flush (fixture->history);
  g_assert_cmpuint (fixture->n_written, ==, n_written);
  assert_stored_ids (fixture, (const char * const *) lines);
}

/* Removed, put back, removed again: deleted once the last removal's delay
 * has passed, not the first's, and until then undo finds its row. */
static void
test_removed_again_waits_for_the_last_delay (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autoptr(LensTask) task = NULL;
  g_autofree char *count = NULL;
  guint position, n_written;

  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });
  task = g_object_ref (lens_task_list_lookup (fixture->list, ID_B));
  g_assert_true (lens_task_list_find (fixture->list, ID_B, &position));

  lens_history_set_undo_delay (fixture->history, 50);
  g_assert_true (lens_task_list_remove (fixture->list, ID_B));
  lens_test_spin_pending ();
  g_assert_true (lens_task_list_insert (fixture->list, position, task));
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  g_assert_true (lens_task_list_remove (fixture->list, ID_B));

  /* Well past the first delay. */
  lens_test_spin_for (400);
  count = db_query (fixture->path, "SELECT COUNT(*) FROM tasks WHERE id = '" ID_B "'");
  g_assert_cmpstr (count, ==, "1");

  n_written = fixture->n_written;
  g_assert_true (lens_task_list_insert (fixture->list, position, task));
  lens_test_spin_for (50);
  g_assert_cmpuint (fixture->n_written, ==, n_written);
  assert_stored_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });
}

/* Removed, then its id added again before the delay passed (pasted anew,
 * a new task): the row is the new task's, and is not deleted. */
static void
test_same_id_added_again_is_kept (Fixture       *fixture,
                                  gconstpointer  data)
{
  start (fixture);
  lens_history_set_undo_delay (fixture->history, 50);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });

  g_assert_true (lens_task_list_remove (fixture->list, ID_B));
  lens_test_spin_pending ();
  add_ids (fixture, (const char *[]) { ID_B, NULL });
  lens_test_spin_for (400);
  lens_history_flush (fixture->history);
  assert_stored_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });
}

/* A record that came in the same turn as its task's removal, not written
 * yet, is not written while the task is out, and is if it is put back. */
static void
test_pending_record_of_removed_task (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(LensTask) task = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint position, target;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  add_ids (fixture, (const char *[]) { ID_A, NULL });
  lens_test_spin_pending ();

  g_ptr_array_add (records, record_for (ID_A));
  g_assert_cmpuint (lens_task_list_apply_records (fixture->list, (const char *[]) { ID_A, NULL }, records), ==, 1);
  task = g_object_ref (lens_task_list_lookup (fixture->list, ID_A));
  g_assert_true (lens_task_list_find (fixture->list, ID_A, &position));
  g_assert_true (lens_task_list_remove (fixture->list, ID_A));
  lens_test_spin_for (100);
  before = db_query (fixture->path, "SELECT prompt FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (before, ==, "NULL");

  target = fixture->n_written + 1;
  g_assert_true (lens_task_list_insert (fixture->list, position, task));
  wait_for (&fixture->n_written, target);
  after = db_query (fixture->path, "SELECT prompt FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (after, ==, "A cat sitting on a table");
}

/* A deletion whose write fails is written with the next one. */
static void
test_failed_deletion_is_retried (Fixture       *fixture,
                                 gconstpointer  data)
{
  start (fixture);
  lens_history_set_undo_delay (fixture->history, 50);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });

  db_exec (fixture->path, "CREATE TRIGGER refuse BEFORE DELETE ON tasks "
                          "BEGIN SELECT RAISE (ABORT, 'refused for the test'); END;");
  g_assert_true (lens_task_list_remove (fixture->list, ID_A));
  wait_for (&fixture->n_failed, 1);
  assert_stored_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });

  accept_again (fixture);
  add_ids (fixture, (const char *[]) { ID_C, NULL });
  assert_stored_ids (fixture, (const char *[]) { ID_B, ID_C, NULL });
}

/* What the store had is appended at start and must not be written back. */
static void
test_loaded_tasks_not_rewritten (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  g_autoptr(LensTaskStore) seed = lens_task_store_new (fixture->path);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  const char *ids[] = { ID_A, ID_B, ID_C };
  g_autofree char *untouched = NULL;
  g_autofree char *checked = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(LensTask) task = lens_task_new (ids[i]);
      g_autoptr(JsonNode) record = record_for (ids[i]);

      lens_task_update_from_json (task, record);
      g_ptr_array_add (changes, lens_store_change_new_put (task, i, lens_task_get_raw_json (task), 1600000000, 1600000100));
    }
  g_assert_true (lens_task_store_write_sync (seed, changes, NULL));
  g_assert_finalize_object (g_steal_pointer (&seed));

  start (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 3);
  lens_test_spin_pending ();
  lens_history_flush (fixture->history);
  g_assert_cmpuint (fixture->n_written, ==, 0);
  untouched = db_query (fixture->path, "SELECT COUNT(*) FROM tasks WHERE checked_at = 1600000100");
  g_assert_cmpstr (untouched, ==, "3");

  /* They are followed all the same: an answer for one writes that one, and a
   * new id goes after them. */
  g_ptr_array_add (records, record_with_prompt (ID_B, "A cat sitting on a chair"));
  lens_task_list_apply_records (fixture->list, (const char *[]) { ID_B, NULL }, records);
  wait_for (&fixture->n_written, 1);
  g_assert_cmpuint (fixture->last_n_changes, ==, 1);
  checked = db_query (fixture->path, "SELECT COUNT(*) FROM tasks WHERE checked_at = 1600000100");
  g_assert_cmpstr (checked, ==, "2");

  add_ids (fixture, (const char *[]) { ID_D, NULL });
  assert_stored_ids (fixture, (const char *[]) { ID_A, ID_B, ID_C, ID_D, NULL });
}

/* Put back in the middle: between its neighbours, and when no number is
 * left between them, the whole list renumbered. */
static void
test_insert_in_the_middle (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LensTask) x = lens_task_new (ID_X);
  g_autoptr(LensTask) y = lens_task_new (ID_Y);
  g_autoptr(LensTask) d = lens_task_new (ID_D);

  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, ID_C, NULL });
  g_assert_true (lens_task_list_remove (fixture->list, ID_B));
  g_assert_true (lens_task_list_insert (fixture->list, 1, x));
  g_assert_true (lens_task_list_insert (fixture->list, 1, y));
  g_assert_true (lens_task_list_insert (fixture->list, 0, d));
  lens_history_flush (fixture->history);
  assert_stored_ids (fixture, (const char *[]) { ID_D, ID_A, ID_Y, ID_X, ID_C, NULL });
}

static void
test_saved_path (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *saved = NULL;

  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, NULL });
  lens_history_set_saved_path (fixture->history, ID_A, "/home/user/Pictures/a.png");
  wait_for (&fixture->n_written, 2);

  /* A record arriving later does not forget it. */
  g_ptr_array_add (records, record_for (ID_A));
  lens_task_list_apply_records (fixture->list, (const char *[]) { ID_A, NULL }, records);
  wait_for (&fixture->n_written, 3);
  saved = db_query (fixture->path, "SELECT saved_path FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (saved, ==, "/home/user/Pictures/a.png");
}

/* The task says where it was saved at once (its row shows a badge), and
 * again after a restart, from the summary the load reads. */
static void
test_saved_path_on_task (Fixture       *fixture,
                         gconstpointer  data)
{
  LensTask *task;

  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });
  lens_history_set_saved_path (fixture->history, ID_A, "/home/user/Pictures/a.png");
  task = lens_task_list_lookup (fixture->list, ID_A);
  g_assert_cmpstr (lens_task_get_saved_path (task), ==, "/home/user/Pictures/a.png");
  lens_history_flush (fixture->history);
  stop (fixture);

  start (fixture);
  task = lens_task_list_lookup (fixture->list, ID_A);
  g_assert_false (lens_task_has_details (task));
  g_assert_cmpstr (lens_task_get_saved_path (task), ==, "/home/user/Pictures/a.png");
  g_assert_null (lens_task_get_saved_path (lens_task_list_lookup (fixture->list, ID_B)));

  /* Forgotten, it stays forgotten. */
  lens_history_set_saved_path (fixture->history, ID_A, NULL);
  g_assert_null (lens_task_get_saved_path (task));
  lens_history_flush (fixture->history);
  stop (fixture);
  start (fixture);
  g_assert_null (lens_task_get_saved_path (lens_task_list_lookup (fixture->list, ID_A)));
}

/* A write that fails keeps its changes, says so once, and goes through
 * with the next change once the cause is gone. */
static void
test_write_failure_is_retried (Fixture       *fixture,
                               gconstpointer  data)
{
  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, NULL });

  refuse_inserts (fixture, NULL);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_B, NULL }, NULL);
  wait_for (&fixture->n_failed, 1);
  g_assert_error (fixture->last_error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_WRITE);
  g_test_message ("Write failed: %s", fixture->last_error->message);

  /* The same failure again is not told twice. */
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_C, NULL }, NULL);
  lens_history_flush (fixture->history);
  g_assert_cmpuint (fixture->n_failed, ==, 1);
  g_assert_cmpuint (fixture->n_written, ==, 1);

  accept_again (fixture);
  add_ids (fixture, (const char *[]) { ID_D, NULL });
  g_assert_cmpuint (fixture->last_n_changes, ==, 3);
  assert_stored_ids (fixture, (const char *[]) { ID_A, ID_B, ID_C, ID_D, NULL });
}

typedef struct
{
  gboolean done;
  gboolean ok;
  guint    n_written_then;  /* the fixture's "written" count when it finished */
  GError  *error;
  Fixture *fixture;
} Synced;

static void
synced_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Synced *synced = user_data;

  synced->ok = lens_history_sync_finish (LENS_HISTORY (source_object), result, &synced->error);
  synced->n_written_then = synced->fixture->n_written;
  synced->done = TRUE;
}

/* lens_history_sync_async() finishes once everything changed before it is
 * committed: the write pending, and one in flight; at once when nothing is
 * pending; with the error when that write fails; cancelled on request. */
static void
test_sync (Fixture       *fixture,
           gconstpointer  data)
{
  Synced idle = { .fixture = fixture }, first = { .fixture = fixture };
  Synced second = { .fixture = fixture }, cancelled = { .fixture = fixture };
  Synced failed = { .fixture = fixture };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *count = NULL;

  start (fixture);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &idle);
  g_assert_false (idle.done);
  lens_test_spin_until (&idle.done, WAIT_LIMIT_MS);
  g_assert_true (idle.ok);
  g_assert_cmpuint (idle.n_written_then, ==, 0);

  /* Pending: the next write. Then that write in flight, with more changes
   * pending: the one after it. */
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_A, NULL }, NULL);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &first);
  lens_test_spin_until (&first.done, WAIT_LIMIT_MS);
  g_assert_true (first.ok);
  g_assert_cmpuint (first.n_written_then, ==, 1);
  count = db_query (fixture->path, "SELECT count(*) FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (count, ==, "1");

  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_B, NULL }, NULL);
  lens_history_sync_async (fixture->history, cancellable, synced_cb, &cancelled);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &second);
  g_cancellable_cancel (cancellable);
  lens_test_spin_until (&second.done, WAIT_LIMIT_MS);
  g_assert_true (cancelled.done);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (second.ok);
  g_assert_cmpuint (second.n_written_then, ==, 2);
  assert_stored_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });

  refuse_inserts (fixture, NULL);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_C, NULL }, NULL);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &failed);
  lens_test_spin_until (&failed.done, WAIT_LIMIT_MS);
  g_assert_false (failed.ok);
  g_assert_error (failed.error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_WRITE);
  g_assert_cmpuint (fixture->n_failed, ==, 1);
  accept_again (fixture);

  g_clear_error (&cancelled.error);
  g_clear_error (&failed.error);
}

/* @n ids, as a paste brings them. */
static GStrv
random_ids (guint n)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < n; i++)
    g_strv_builder_take (builder, g_uuid_string_random ());
  return g_strv_builder_end (builder);
}

/* 5,000 pasted ids are written in writes of at most 2,000 puts (building
 * and freeing 100,000 changes in one turn held the main loop for a tenth
 * of a second), in the order they came. A sync called after the paste
 * waits for the last of those writes, and a saved path set on a task whose
 * put is still waiting is written with it, not before: its update needs
 * the row. */
static void
test_writes_in_chunks (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (5000);
  Synced synced = { .fixture = fixture };
  g_autofree char *count = NULL;
  g_autofree char *first_saved = NULL, *last_saved = NULL;
  g_autofree char *first_sql = NULL, *last_sql = NULL;
  guint n = g_strv_length (ids);

  start (fixture);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  lens_history_set_saved_path (fixture->history, ids[0], "/home/user/Pictures/first.png");
  lens_history_set_saved_path (fixture->history, ids[n - 1], "/home/user/Pictures/last.png");
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_no_error (synced.error);
  g_assert_true (synced.ok);

  g_assert_cmpuint (synced.n_written_then, >=, 3);
  g_assert_cmpuint (fixture->most_changes, <=, 2000 + 2);
  count = db_query (fixture->path, "SELECT count(*) FROM tasks");
  g_assert_cmpstr (count, ==, "5000");
  first_sql = g_strdup_printf ("SELECT saved_path FROM tasks WHERE id = '%s'", ids[0]);
  last_sql = g_strdup_printf ("SELECT saved_path FROM tasks WHERE id = '%s'", ids[n - 1]);
  first_saved = db_query (fixture->path, first_sql);
  last_saved = db_query (fixture->path, last_sql);
  g_assert_cmpstr (first_saved, ==, "/home/user/Pictures/first.png");
  g_assert_cmpstr (last_saved, ==, "/home/user/Pictures/last.png");
  g_assert_cmpuint (fixture->n_failed, ==, 0);
}

/* A path set while the task had no put pending waits in the table; the
 * task changes, and a newer path goes with its put: the older one must not
 * be written after it. */
static void
test_newer_saved_path_wins (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *saved = NULL;

  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, NULL });
  lens_history_set_saved_path (fixture->history, ID_A, "/home/user/Pictures/old.png");
  lens_task_mark_failed (lens_task_list_lookup (fixture->list, ID_A), "changed");
  lens_history_set_saved_path (fixture->history, ID_A, "/home/user/Pictures/new.png");
  sync_quietly (fixture->history);
  saved = db_query (fixture->path, "SELECT saved_path FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (saved, ==, "/home/user/Pictures/new.png");
}

/* 10,000 stored tasks removed: a sync called once their deletion began
 * finishes with every row deleted (deletions due are changes too). */
static void
test_sync_waits_for_deletions (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (10000);
  g_autoptr(GPtrArray) all = NULL;
  Synced synced = { .fixture = fixture };
  guint before;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 0);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  sync_quietly (fixture->history);
  g_assert_cmpuint (count_stored (fixture), ==, 10000);

  before = fixture->n_written;
  all = lens_task_list_dup_all (fixture->list);
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, all), ==, 10000);
  wait_for (&fixture->n_written, before + 1);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_true (synced.ok);
  g_assert_cmpuint (count_stored (fixture), ==, 0);
}

/* 10,000 pasted ids removed before their puts were written (their puts
 * parked), their undo delay passed, then Undo once the first deletion went
 * by: every task is in the list again, and stored. */
static void
test_undo_after_deletions_began (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (10000);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) restored = NULL;
  guint before;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 0);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  all = lens_task_list_dup_all (fixture->list);
  before = fixture->n_written;
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, all), ==, 10000);
  wait_for (&fixture->n_written, before + 1);
  restored = lens_task_list_undo_remove (fixture->list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 10000);
  sync_quietly (fixture->history);
  lens_test_spin_for (500);
  sync_quietly (fixture->history);
  g_assert_cmpuint (count_stored (fixture), ==, 10000);
}

/* A task added and removed again while a write is in flight leaves nothing
 * to write: a sync called then finishes with that write, or the next one
 * (which parks the removed task's put without writing it), instead of
 * waiting for a write that never comes. */
static void
test_sync_after_removed_change (Fixture       *fixture,
                                gconstpointer  data)
{
  Synced synced = { .fixture = fixture };

  start (fixture);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_A, NULL }, NULL);
  /* One turn: the history's idle takes the put of A and starts its write;
   * the write's answer waits for the next turns. */
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fixture->n_written, ==, 0);

  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_B, NULL }, NULL);
  g_assert_true (lens_task_list_remove (fixture->list, ID_B));
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_true (synced.ok);
  g_assert_cmpuint (synced.n_written_then, <=, 2);
  g_assert_cmpuint (count_stored (fixture), ==, 1);
}


/* A saved path set before a sync, on a stored task whose put is marked
 * after the sync and lands in a later write, is written before the sync
 * finishes. */
static void
test_saved_path_set_before_sync (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_auto(GStrv) first = random_ids (1999), later = random_ids (3000);
  Synced synced = { .fixture = fixture };
  g_autofree char *saved = NULL;

  start (fixture);
  add_ids (fixture, (const char *[]) { ID_X, NULL });   /* X is stored */
  lens_task_list_add_ids (fixture->list, (const char * const *) first, NULL);
  lens_history_set_saved_path (fixture->history, ID_X, "/home/user/Pictures/x.png");
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  /* After the call: more ids, and X changes (its put goes behind them). */
  lens_task_list_add_ids (fixture->list, (const char * const *) later, NULL);
  lens_task_mark_failed (lens_task_list_lookup (fixture->list, ID_X), "changed after the sync");
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_true (synced.ok);
  saved = db_query (fixture->path, "SELECT saved_path FROM tasks WHERE id = '" ID_X "'");
  g_assert_cmpstr (saved, ==, "/home/user/Pictures/x.png");
}

/* A write fails while a sync waits for the next one: the failed puts go
 * back first in the queue, so the sync cannot finish before they are
 * written (here they never are: it fails). */
static void
test_sync_waits_for_failed_puts (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_auto(GStrv) more = random_ids (2000);
  Synced synced = { .fixture = fixture };
  g_autofree char *count = NULL;

  start (fixture);
  write_of_a_in_flight_fails (fixture);
  lens_task_list_add_ids (fixture->list, (const char * const *) more, NULL);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  count = db_query (fixture->path, "SELECT count(*) FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (count, ==, "0");
  g_assert_false (synced.ok);
  g_assert_error (synced.error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_WRITE);
  g_clear_error (&synced.error);
  accept_again (fixture);
}

/* A sync called while a write is in flight and a change is pending, the
 * change then dropped (its task removed): nothing more is written, and both
 * that sync and one called after it finish with the write in flight. */
static void
test_sync_after_pending_removed (Fixture       *fixture,
                                 gconstpointer  data)
{
  Synced before = { .fixture = fixture }, after = { .fixture = fixture };

  start (fixture);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_A, NULL }, NULL);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fixture->n_written, ==, 0);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_B, NULL }, NULL);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &before);
  g_assert_true (lens_task_list_remove (fixture->list, ID_B));
  lens_history_sync_async (fixture->history, NULL, synced_cb, &after);
  lens_test_spin_until (&after.done, WAIT_LIMIT_MS);
  lens_test_spin_until (&before.done, WAIT_LIMIT_MS);
  g_assert_true (before.ok);
  g_assert_true (after.ok);
}

/* A saved path set on a task whose put waits behind 4,500 others stays
 * with the put when the task is removed (its row is not there yet, an
 * update alone would do nothing), and is written with it after undo. */
static void
test_saved_path_through_undo (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (5000);
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  g_autoptr(GPtrArray) restored = NULL;
  Synced synced = { .fixture = fixture };
  g_autofree char *sql = NULL, *saved = NULL;
  const char *x = ids[4500];

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  lens_history_set_saved_path (fixture->history, x, "/home/user/Pictures/x.png");
  wait_for (&fixture->n_written, 1);

  /* Removed while its put waits; a write goes by before the undo. */
  g_ptr_array_add (picked, lens_task_list_lookup (fixture->list, x));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 1);
  wait_for (&fixture->n_written, 2);
  restored = lens_task_list_undo_remove (fixture->list);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_true (synced.ok);
  sql = g_strdup_printf ("SELECT coalesce(saved_path, '(null)') FROM tasks WHERE id = '%s'", x);
  saved = db_query (fixture->path, sql);
  g_assert_cmpstr (saved, ==, "/home/user/Pictures/x.png");
}

/* A task removed (its new record's put parked) and put back while a write
 * is in flight: a sync called before the removal waits for that put, which
 * the write in flight does not hold. */
static void
test_sync_after_undo_during_write (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(LensTask) task = NULL;
  Synced synced = { .fixture = fixture };
  g_autofree char *prompt = NULL;
  guint position;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  add_ids (fixture, (const char *[]) { ID_A, NULL });
  lens_test_spin_pending ();

  g_ptr_array_add (records, record_for (ID_A));
  g_assert_cmpuint (lens_task_list_apply_records (fixture->list, (const char *[]) { ID_A, NULL }, records), ==, 1);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_B, NULL }, NULL);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);

  task = g_object_ref (lens_task_list_lookup (fixture->list, ID_A));
  g_assert_true (lens_task_list_find (fixture->list, ID_A, &position));
  g_assert_true (lens_task_list_remove (fixture->list, ID_A));
  g_main_context_iteration (NULL, FALSE);   /* the write of B in flight */
  g_assert_cmpuint (fixture->n_written, ==, 1);
  g_assert_true (lens_task_list_insert (fixture->list, position, task));

  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_true (synced.ok);
  prompt = db_query (fixture->path, "SELECT prompt FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (prompt, ==, "A cat sitting on a table");
}

/* A put whose write fails after its task was removed is not lost: undo
 * brings the task back, and its put with it (the row was never written, so
 * "nothing to write" would be wrong). */
static void
test_failed_put_through_undo (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  g_autoptr(GPtrArray) restored = NULL;
  Synced synced = { .fixture = fixture };
  g_autofree char *count = NULL;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  write_of_a_in_flight_fails (fixture);

  g_ptr_array_add (picked, lens_task_list_lookup (fixture->list, ID_A));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 1);
  wait_for (&fixture->n_failed, 1);
  accept_again (fixture);

  restored = lens_task_list_undo_remove (fixture->list);
  g_assert_cmpuint (restored->len, ==, 1);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_true (synced.ok);
  count = db_query (fixture->path, "SELECT count(*) FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (count, ==, "1");
}

/* A task whose row was deleted (removed, the undo delay passed) and which
 * undo puts back is written as a new row: with where it was saved. */
static void
test_saved_path_after_row_deleted (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  g_autoptr(GPtrArray) restored = NULL;
  g_autofree char *saved = NULL;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 10);
  add_ids (fixture, (const char *[]) { ID_A, NULL });
  lens_history_set_saved_path (fixture->history, ID_A, "/home/user/Pictures/a.png");
  sync_quietly (fixture->history);

  g_ptr_array_add (picked, lens_task_list_lookup (fixture->list, ID_A));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 1);
  LENS_TEST_SPIN_UNTIL (count_stored (fixture) == 0, WAIT_LIMIT_MS);

  restored = lens_task_list_undo_remove (fixture->list);
  g_assert_cmpuint (restored->len, ==, 1);
  sync_quietly (fixture->history);
  saved = db_query (fixture->path, "SELECT coalesce(saved_path, '(null)') FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (saved, ==, "/home/user/Pictures/a.png");
}

/* After a failed write, its task removed before the retry: nothing is left
 * to write, and a sync finishes then, not once the undo delay has passed. */
static void
test_sync_after_failed_put_removed (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  Synced synced = { .fixture = fixture };

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 600 * 1000);
  refuse_inserts (fixture, ID_A);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_A, NULL }, NULL);
  wait_for (&fixture->n_failed, 1);

  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  g_ptr_array_add (picked, lens_task_list_lookup (fixture->list, ID_A));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 1);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_true (synced.ok);
  accept_again (fixture);
}

/* A task removed before its put was written, whose undo delay has passed
 * (due for deletion), put back before the deletion is written: its parked
 * put is written after all, as its row was never there. */
static void
test_undo_while_due_keeps_parked_put (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (5000);
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(LensTask) task = NULL;
  g_autofree char *sql = NULL, *count = NULL;
  const char *x = ids[4500];

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 10);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  task = g_object_ref (lens_task_list_lookup (fixture->list, x));
  g_ptr_array_add (picked, task);
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 1);

  /* Made due in a turn of its own; the write that would delete it comes
   * in a later one. */
  LENS_TEST_SPIN_UNTIL (_lens_task_get_removal (task, NULL) == LENS_TASK_REMOVAL_DUE, WAIT_LIMIT_MS);
  restored = lens_task_list_undo_remove (fixture->list);
  g_assert_cmpuint (restored->len, ==, 1);
  sync_quietly (fixture->history);
  sql = g_strdup_printf ("SELECT count(*) FROM tasks WHERE id = '%s'", x);
  count = db_query (fixture->path, sql);
  g_assert_cmpstr (count, ==, "1");
}

/* A write fails after every task it held, and every task pending, was
 * removed: nothing is left to write, and a sync waiting for the next write
 * finishes then, not once the undo delay has passed. */
static void
test_sync_after_failed_write_all_removed (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  Synced synced = { .fixture = fixture };

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 600 * 1000);
  refuse_inserts (fixture, NULL);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_A, NULL }, NULL);
  g_main_context_iteration (NULL, FALSE);   /* write 1 (A) in flight */
  g_assert_cmpuint (fixture->n_failed, ==, 0);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_B, NULL }, NULL);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);   /* waits for write 2 */
  g_ptr_array_add (picked, lens_task_list_lookup (fixture->list, ID_A));
  g_ptr_array_add (picked, lens_task_list_lookup (fixture->list, ID_B));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 2);
  wait_for (&fixture->n_failed, 1);   /* A's put parked: nothing pending */
  /* Past the retry too (5 s). */
  LENS_TEST_SPIN_UNTIL (synced.done, 8000);
  g_assert_no_error (synced.error);
  g_assert_true (synced.ok);
  accept_again (fixture);
}

/* A put parked after its write failed, numbered as low as can be (the
 * write's covers had dropped to 0), and put back by undo while the next
 * write is in flight: that write does not cover it, and a sync called
 * before waits for the put. */
static void
test_sync_after_parked_failed_put_undone (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(LensTask) a = NULL, b = NULL;
  Synced synced = { .fixture = fixture };
  g_autofree char *count = NULL;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 600 * 1000);
  refuse_inserts (fixture, ID_B);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_A, ID_B, NULL }, NULL);  /* A 1, B 2 */
  a = g_object_ref (lens_task_list_lookup (fixture->list, ID_A));
  b = g_object_ref (lens_task_list_lookup (fixture->list, ID_B));
  g_assert_true (lens_task_list_remove (fixture->list, ID_A));   /* A's put parked */
  g_main_context_iteration (NULL, FALSE);   /* write 1 (B) in flight */
  g_assert_cmpuint (fixture->n_failed, ==, 0);
  g_assert_true (lens_task_list_insert (fixture->list, 0, a));   /* A back: write 1 covers 0 */
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);  /* A and B */
  g_assert_true (lens_task_list_remove (fixture->list, ID_B));
  wait_for (&fixture->n_failed, 1);   /* B's put parked, numbered 0 */
  accept_again (fixture);

  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_C, NULL }, NULL);
  g_main_context_iteration (NULL, FALSE);   /* write 2 (A, C) in flight */
  g_assert_false (synced.done);
  g_assert_true (lens_task_list_insert (fixture->list, 2, b));   /* B back: not in write 2 */
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_no_error (synced.error);
  g_assert_true (synced.ok);
  count = db_query (fixture->path, "SELECT count(*) FROM tasks WHERE id = '" ID_B "'");
  g_assert_cmpstr (count, ==, "1");
}

/* A path set while the task's put is in flight, the task removed, the
 * write failed: the path waits with the parked put (the row is not there
 * for it), and undo writes both. */
static void
test_saved_path_of_failed_put_removed (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(LensTask) a = NULL;
  g_autofree char *saved = NULL;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 600 * 1000);
  refuse_inserts (fixture, ID_A);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_A, NULL }, NULL);
  a = g_object_ref (lens_task_list_lookup (fixture->list, ID_A));
  g_main_context_iteration (NULL, FALSE);   /* the write of A in flight */
  g_assert_cmpuint (fixture->n_failed, ==, 0);
  lens_history_set_saved_path (fixture->history, ID_A, "/home/user/Pictures/a.png");
  g_assert_true (lens_task_list_remove (fixture->list, ID_A));
  wait_for (&fixture->n_failed, 1);
  accept_again (fixture);
  add_ids (fixture, (const char *[]) { ID_B, NULL });   /* a write goes by before the undo */

  g_assert_true (lens_task_list_insert (fixture->list, 0, a));
  sync_quietly (fixture->history);
  saved = db_query (fixture->path, "SELECT coalesce(saved_path, '(null)') FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (saved, ==, "/home/user/Pictures/a.png");
}

/* 10,001 tasks removed before their puts were written: their deletions
 * are taken a slice at a time, and the write deleting the first slice
 * fails. Their parked puts are kept until a deletion is committed, so
 * undo still writes every one of them. */
static void
test_failed_deletion_keeps_parked_puts (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (10001);
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  g_autoptr(GPtrArray) restored = NULL;
  Synced first = { .fixture = fixture }, second = { .fixture = fixture };

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 500);
  refuse_inserts (fixture, ID_X);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_X, NULL }, NULL);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (picked, lens_task_list_lookup (fixture->list, ids[i]));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 10001);

  lens_history_sync_async (fixture->history, NULL, synced_cb, &first);
  lens_test_spin_until (&first.done, WAIT_LIMIT_MS);   /* write 1 (X) failed */
  g_assert_false (first.ok);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &second);
  lens_test_spin_until (&second.done, WAIT_LIMIT_MS);  /* write 2 (10,000 deletes, X) failed */
  g_assert_false (second.ok);
  accept_again (fixture);

  restored = lens_task_list_undo_remove (fixture->list);
  g_assert_cmpuint (restored->len, ==, 10001);
  sync_quietly (fixture->history);
  g_assert_cmpuint (count_stored (fixture), ==, 10002);
  g_clear_error (&first.error);
  g_clear_error (&second.error);
}

/* A stored task removed, its id pasted again (a new task, its row
 * written), that one removed too under a longer delay: once the first
 * removal's delay passes, the row is the second task's and is not
 * deleted, and undo brings it back. */
static void
test_same_id_pasted_removed_then_undone (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(LensTask) again = NULL;
  guint position;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 50);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });
  g_assert_true (lens_task_list_remove (fixture->list, ID_B));
  lens_test_spin_pending ();
  add_ids (fixture, (const char *[]) { ID_B, NULL });   /* a new task, its row written */
  again = g_object_ref (lens_task_list_lookup (fixture->list, ID_B));
  g_assert_true (lens_task_list_find (fixture->list, ID_B, &position));
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  g_assert_true (lens_task_list_remove (fixture->list, ID_B));
  lens_test_spin_for (400);   /* the first removal's delay passed */
  g_assert_true (lens_task_list_insert (fixture->list, position, again));
  sync_quietly (fixture->history);
  lens_history_flush (fixture->history);
  assert_stored_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });
}

/* Starts with a stored task, then adds task @id and removes it before its
 * put is written (undo delay 50 ms); *@task follows it until it is let go. */
static void
remove_before_written (Fixture     *fixture,
                       const char  *id,
                       LensTask   **task)
{
  start (fixture);
  lens_history_set_undo_delay (fixture->history, 50);
  add_ids (fixture, (const char *[]) { ID_A, NULL });
  lens_task_list_add_ids (fixture->list, (const char *[]) { id, NULL }, NULL);
  *task = lens_task_list_lookup (fixture->list, id);
  g_object_add_weak_pointer (G_OBJECT (*task), (gpointer *) task);
  g_assert_true (lens_task_list_remove (fixture->list, id));
}

/* A task removed before its put was written (parked), its id pasted again
 * and that task removed too: once the first removal's delay passes, its
 * row is the second task's, and its parked put is let go (nothing else
 * would ever drop it). */
static void
test_replaced_parked_put_is_dropped (Fixture       *fixture,
                                     gconstpointer  data)
{
  LensTask *first = NULL;

  remove_before_written (fixture, ID_X, &first);
  lens_test_spin_pending ();

  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  add_ids (fixture, (const char *[]) { ID_X, NULL });   /* a new task, its row written */
  g_assert_true (lens_task_list_remove (fixture->list, ID_X));
  LENS_TEST_SPIN_UNTIL (first == NULL || _lens_task_get_removal (first, NULL) == LENS_TASK_REMOVAL_REPLACED,
                        WAIT_LIMIT_MS);
  sync_quietly (fixture->history);
  lens_test_spin_pending ();
  /* Only the history's parked puts could still hold it. */
  g_assert_null (first);
}

/* A sync called once 10,000 removed tasks are due, before the first write
 * takes their deletions: the deletions go in several writes, and the sync
 * waits for the last of them. */
static void
test_sync_waits_for_every_deletion_chunk (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (10000);
  g_autoptr(GPtrArray) all = NULL;
  Synced synced = { .fixture = fixture };
  LensTask *last;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 0);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  sync_quietly (fixture->history);

  all = lens_task_list_dup_all (fixture->list);
  last = g_ptr_array_index (all, all->len - 1);
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, all), ==, 10000);
  /* Made due in a turn of their own; the write comes in a later one. */
  LENS_TEST_SPIN_UNTIL (_lens_task_get_removal (last, NULL) == LENS_TASK_REMOVAL_DUE, WAIT_LIMIT_MS);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_true (synced.ok);
  g_assert_cmpuint (count_stored (fixture), ==, 0);
  g_assert_cmpuint (fixture->n_written, >=, 3);   /* the puts, then two of deletions at least */
}

/* A task removed while its put still waits in the queue (not parked yet),
 * its id pasted again: the new task's row is written where the new task
 * is, and the old task's put is not written in its place. */
static void
test_same_id_pasted_while_put_waits (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (3000);
  g_autofree char *x = g_strdup (ids[1500]);
  g_autofree char *sql = NULL, *count = NULL;
  g_autoptr(LensTaskStore) other = NULL;
  g_autoptr(GPtrArray) loaded = NULL;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  g_assert_true (lens_task_list_remove (fixture->list, x));
  lens_task_list_add_ids (fixture->list, (const char *[]) { x, NULL }, NULL);
  sync_quietly (fixture->history);
  lens_history_flush (fixture->history);

  sql = g_strdup_printf ("SELECT count(*) FROM tasks WHERE id = '%s'", x);
  count = db_query (fixture->path, sql);
  g_assert_cmpstr (count, ==, "1");
  other = lens_task_store_new (fixture->path);
  loaded = load (other);
  g_assert_cmpuint (loaded->len, ==, 3000);
  g_assert_cmpstr (lens_task_get_id (g_ptr_array_index (loaded, loaded->len - 1)), ==, x);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* A put whose write fails while a newer put of the same task waits in the
 * queue, the task removed meanwhile: undo writes the newer record. */
static void
test_failed_put_with_newer_put_waiting (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  g_autoptr(GPtrArray) restored = NULL;
  g_autofree char *prompt = NULL;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 60 * 1000);
  write_of_a_in_flight_fails (fixture);

  g_ptr_array_add (records, record_with_prompt (ID_A, "the newer record"));
  g_assert_cmpuint (lens_task_list_apply_records (fixture->list, (const char *[]) { ID_A, NULL }, records), ==, 1);
  g_ptr_array_add (picked, lens_task_list_lookup (fixture->list, ID_A));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 1);
  wait_for (&fixture->n_failed, 1);
  accept_again (fixture);

  restored = lens_task_list_undo_remove (fixture->list);
  g_assert_cmpuint (restored->len, ==, 1);
  sync_quietly (fixture->history);
  prompt = db_query (fixture->path, "SELECT prompt FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (prompt, ==, "the newer record");
}

/* A session that changed nothing but removed all of its 6,000 stored
 * tasks (nothing was ever marked): a sync called once they are due waits
 * for the last chunk of their deletions too. */
static void
test_sync_waits_for_every_deletion_chunk_after_start (Fixture       *fixture,
                                                      gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (6000);
  g_autoptr(GPtrArray) all = NULL;
  Synced synced = { .fixture = fixture };
  LensTask *last;

  start (fixture);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  sync_quietly (fixture->history);
  stop (fixture);
  g_assert_cmpuint (count_stored (fixture), ==, 6000);

  start (fixture);   /* the next session: the 6,000 loaded */
  lens_history_set_undo_delay (fixture->history, 0);
  all = lens_task_list_dup_all (fixture->list);
  g_assert_cmpuint (all->len, ==, 6000);
  last = g_ptr_array_index (all, all->len - 1);
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, all), ==, 6000);
  LENS_TEST_SPIN_UNTIL (_lens_task_get_removal (last, NULL) == LENS_TASK_REMOVAL_DUE, WAIT_LIMIT_MS);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  g_assert_true (synced.ok);
  g_assert_cmpuint (count_stored (fixture), ==, 0);
}

/* 6,000 stored tasks removed and made due; before the first write, the id
 * of the last of them pasted again (a new task): its row is the new
 * task's, and a later chunk of deletions does not delete it. */
static void
test_pasted_while_deletion_chunk_waits (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (6000);
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *id = NULL, *sql = NULL, *count = NULL;
  LensTask *last;

  start (fixture);
  lens_history_set_undo_delay (fixture->history, 0);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  sync_quietly (fixture->history);
  g_assert_cmpuint (count_stored (fixture), ==, 6000);

  all = lens_task_list_dup_all (fixture->list);
  last = g_ptr_array_index (all, all->len - 1);
  id = g_strdup (lens_task_get_id (last));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, all), ==, 6000);
  LENS_TEST_SPIN_UNTIL (_lens_task_get_removal (last, NULL) == LENS_TASK_REMOVAL_DUE, WAIT_LIMIT_MS);
  lens_task_list_add_ids (fixture->list, (const char *[]) { id, NULL }, NULL);
  g_assert_nonnull (lens_task_list_lookup (fixture->list, id));
  sync_quietly (fixture->history);
  lens_test_spin_for (200);
  sync_quietly (fixture->history);
  sql = g_strdup_printf ("SELECT count(*) FROM tasks WHERE id = '%s'", id);
  count = db_query (fixture->path, sql);
  g_assert_cmpstr (count, ==, "1");   /* in the list, so stored */
  g_assert_cmpuint (count_stored (fixture), ==, 1);
}



/* Three removals made due in one turn: A, then two tasks of one id X,
 * each pasted and removed in turn. The second is replaced (its row is the
 * third's) and let go while the ids of the later removals are still
 * counted: the count must not borrow its id (ASan saw it read freed). */
static void
test_three_removals_of_one_id (Fixture       *fixture,
                               gconstpointer  data)
{
  LensTask *second = NULL;

  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, ID_B, NULL });
  lens_history_set_undo_delay (fixture->history, 300);
  g_assert_true (lens_task_list_remove (fixture->list, ID_A));   /* batch 1 */
  add_ids (fixture, (const char *[]) { ID_X, NULL });
  second = lens_task_list_lookup (fixture->list, ID_X);
  g_object_add_weak_pointer (G_OBJECT (second), (gpointer *) &second);
  g_assert_true (lens_task_list_remove (fixture->list, ID_X));   /* batch 2 */
  add_ids (fixture, (const char *[]) { ID_X, NULL });
  g_assert_true (lens_task_list_remove (fixture->list, ID_X));   /* batch 3; batch 2's task now held by its batch only */
  g_assert_nonnull (second);
  LENS_TEST_SPIN_UNTIL (second == NULL, WAIT_LIMIT_MS);   /* batch 2 made due and freed */
  sync_quietly (fixture->history);
  lens_history_flush (fixture->history);
  assert_stored_ids (fixture, (const char *[]) { ID_B, NULL });
}

/* 3,000 pasted tasks removed before any write, due at once: the write
 * that deletes them parks some of their puts on its way, the rest wait in
 * the queue. A sync called then, then a flush (shutdown), which lets those
 * puts go and finds nothing to write: the sync finishes all the same. */
static void
test_flush_of_stale_puts_wakes_sync (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_auto(GStrv) ids = random_ids (3000);
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  Synced synced = { .fixture = fixture };

  start (fixture);
  add_ids (fixture, (const char *[]) { ID_A, NULL });   /* write 1 */
  lens_history_set_undo_delay (fixture->history, 0);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (picked, lens_task_list_lookup (fixture->list, ids[i]));
  g_assert_cmpuint (lens_task_list_remove_tasks (fixture->list, picked), ==, 3000);
  /* Made due first (a timeout), then write 2: 3,000 deletions, 2,000 puts
   * parked (freed at its commit); 1,000 stale puts left in the queue. */
  wait_for (&fixture->n_written, 2);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);
  lens_history_flush (fixture->history);
  lens_test_spin_for (1000);
  g_assert_true (synced.done);
  g_assert_true (synced.ok);
}

/* A task removed before its put was written (parked by the next write),
 * made due, then its id pasted again before the write that would delete
 * it: that write finds it replaced, and its parked put is let go. */
static void
test_replaced_at_take_drops_parked_put (Fixture       *fixture,
                                        gconstpointer  data)
{
  LensTask *first = NULL;

  remove_before_written (fixture, ID_X, &first);
  wait_for (&fixture->n_written, 2);   /* its put parked on the way */
  LENS_TEST_SPIN_UNTIL (_lens_task_get_removal (first, NULL) == LENS_TASK_REMOVAL_DUE, WAIT_LIMIT_MS);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_X, NULL }, NULL);   /* before the write */
  sync_quietly (fixture->history);
  lens_test_spin_for (200);
  g_assert_true (first == NULL || _lens_task_get_removal (first, NULL) == LENS_TASK_REMOVAL_REPLACED);
  /* Only the history's parked puts could still hold it. */
  g_assert_null (first);
}

/* A flush (shutdown) while a write is in flight: a sync waiting for that
 * write too is not finished by the flush's own write, which comes after
 * it; here the write in flight fails, and so does the sync. */
static void
test_flush_during_write_does_not_finish_sync_early (Fixture       *fixture,
                                                    gconstpointer  data)
{
  Synced synced = { .fixture = fixture };
  g_autofree char *count = NULL;

  start (fixture);
  write_of_a_in_flight_fails (fixture);
  lens_task_list_add_ids (fixture->list, (const char *[]) { ID_B, NULL }, NULL);
  lens_history_sync_async (fixture->history, NULL, synced_cb, &synced);   /* A and B */
  lens_history_flush (fixture->history);   /* write 2 (B), after write 1 */
  wait_for (&fixture->n_failed, 1);
  lens_test_spin_until (&synced.done, WAIT_LIMIT_MS);
  count = db_query (fixture->path, "SELECT count(*) FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (count, ==, "0");
  g_assert_false (synced.ok);
  g_clear_error (&synced.error);
  accept_again (fixture);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/history/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("added-ids-are-written", test_added_ids_are_written);
  ADD ("writes-in-chunks", test_writes_in_chunks);
  ADD ("sync-after-removed-change", test_sync_after_removed_change);
  ADD ("newer-saved-path-wins", test_newer_saved_path_wins);
  ADD ("sync-after-undo-during-write", test_sync_after_undo_during_write);
  ADD ("sync-waits-for-deletions", test_sync_waits_for_deletions);
  ADD ("sync-waits-for-every-deletion-chunk", test_sync_waits_for_every_deletion_chunk);
  ADD ("undo-after-deletions-began", test_undo_after_deletions_began);
  ADD ("sync-after-pending-removed", test_sync_after_pending_removed);
  ADD ("sync-waits-for-failed-puts", test_sync_waits_for_failed_puts);
  ADD ("saved-path-set-before-sync", test_saved_path_set_before_sync);
  ADD ("saved-path-through-undo", test_saved_path_through_undo);
  ADD ("records-in-one-transaction", test_records_in_one_transaction);
  ADD ("local-failure-kept", test_local_failure_kept);
  ADD ("undo-keeps-the-row", test_undo_keeps_the_row);
  ADD ("scattered-removal-writes-only-the-removed", test_scattered_removal_writes_only_the_removed);
  ADD ("insert-run-on-top", test_insert_run_on_top);
  ADD ("removal-deleted-after-delay", test_removal_deleted_after_delay);
  ADD ("flush-applies-pending-deletes", test_flush_applies_pending_deletes);
  ADD ("undo-writes-nothing", test_undo_writes_nothing);
  ADD ("removed-again-waits-for-the-last-delay", test_removed_again_waits_for_the_last_delay);
  ADD ("same-id-added-again-is-kept", test_same_id_added_again_is_kept);
  ADD ("pending-record-of-removed-task", test_pending_record_of_removed_task);
  ADD ("failed-deletion-is-retried", test_failed_deletion_is_retried);
  ADD ("loaded-tasks-not-rewritten", test_loaded_tasks_not_rewritten);
  ADD ("insert-in-the-middle", test_insert_in_the_middle);
  ADD ("saved-path", test_saved_path);
  ADD ("saved-path-on-task", test_saved_path_on_task);
  ADD ("write-failure-is-retried", test_write_failure_is_retried);
  ADD ("sync", test_sync);
  ADD ("failed-put-through-undo", test_failed_put_through_undo);
  ADD ("saved-path-after-row-deleted", test_saved_path_after_row_deleted);
  ADD ("sync-after-failed-put-removed", test_sync_after_failed_put_removed);
  ADD ("undo-while-due-keeps-parked-put", test_undo_while_due_keeps_parked_put);
  ADD ("sync-after-failed-write-all-removed", test_sync_after_failed_write_all_removed);
  ADD ("sync-after-parked-failed-put-undone", test_sync_after_parked_failed_put_undone);
  ADD ("saved-path-of-failed-put-removed", test_saved_path_of_failed_put_removed);
  ADD ("failed-deletion-keeps-parked-puts", test_failed_deletion_keeps_parked_puts);
  ADD ("same-id-pasted-removed-then-undone", test_same_id_pasted_removed_then_undone);
  ADD ("replaced-parked-put-is-dropped", test_replaced_parked_put_is_dropped);
  ADD ("same-id-pasted-while-put-waits", test_same_id_pasted_while_put_waits);
  ADD ("failed-put-with-newer-put-waiting", test_failed_put_with_newer_put_waiting);
  ADD ("sync-waits-for-every-deletion-chunk-after-start", test_sync_waits_for_every_deletion_chunk_after_start);
  ADD ("pasted-while-deletion-chunk-waits", test_pasted_while_deletion_chunk_waits);
  ADD ("three-removals-of-one-id", test_three_removals_of_one_id);
  ADD ("flush-of-stale-puts-wakes-sync", test_flush_of_stale_puts_wakes_sync);
  ADD ("replaced-at-take-drops-parked-put", test_replaced_at_take_drops_parked_put);
  ADD ("flush-during-write-does-not-finish-sync-early", test_flush_during_write_does_not_finish_sync_early);
#undef ADD

  return g_test_run ();
}
