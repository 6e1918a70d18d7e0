/* test-task-store.c — the task history in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Round trips, order, migration from a hand-made version 1 database, damaged
 * and newer files moved aside, a folder that cannot exist, a failed write
 * rolled back, 10,000 tasks, and a writer killed with SIGKILL in the middle
 * of an import: this program runs itself again as that writer
 * (`test-task-store --writer DBPATH ROUND`).
 *
 * First the fixture (a scratch directory and a database path inside it),
 * tasks and changes made to order, a load run to its end, and direct SQLite
 * access to make or inspect a database behind the store's back; then the
 * tests.
 */

#define G_LOG_DOMAIN "test-task-store"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>
#ifdef __linux__
#include <sys/resource.h>
#endif

#include "lens-task-store.h"
#include "lens-task-store-private.h"
#include "lens-test.h"
#include "lens-test-store.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C "49589d2c-b6b3-4fbf-9f82-93068509c76f"
#define ID_D "037955e0-deee-4050-baa8-1416300d67e2"
#define ID_E "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"
#define ID_F "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

#define RUNNING_RECORD(id) \
  "{\"id\":\"" id "\",\"type\":\"imagine\",\"created_at\":1720364607.9," \
  "\"request\":{\"prompt\":\"a running cat\"},\"response\":{\"progress\":42,\"success\":true}}"
#define FAILED_RECORD(id) \
  "{\"id\":\"" id "\",\"type\":\"imagine\",\"created_at\":1720364607.9," \
  "\"request\":{\"prompt\":\"a banned cat\"}," \
  "\"response\":{\"success\":false,\"error\":{\"code\":\"banned\",\"message\":\"Banned prompt\"}}}"

typedef struct
{
  char *dir;   /* scratch directory */
  char *path;  /* tasks.db, two folders below it (not made yet) */
} Fixture;

/* ─── helpers ──────────────────────────────────────────────────────────── */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = lens_test_make_scratch_dir ("tasklens-task-store");
  fixture->path = g_build_filename (fixture->dir, "data", "tasklens", "tasks.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* The documented record, as another task. */
static char *
record_text (const char *id)
{
  return lens_test_store_record_text (id);
}

/* A PUT made by hand, for many tasks at once without building each. Its
 * records are the documented one (a finished grid), so it says what that
 * task would say of its state; without a record the task is queued. */
static LensStoreChange *
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
  change->local_state = raw_json != NULL ? LENS_TASK_STATE_DONE : LENS_TASK_STATE_QUEUED;
  change->progress = raw_json != NULL ? 100 : -1;
  return change;
}

static char *
generated_id (guint round,
              guint index)
{
  return g_strdup_printf ("%08x-0000-4000-8000-%012x", round, index);
}

static GPtrArray *
new_changes (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
}

/* Opens @path in a new store, loads it and lets the store go again. */
static void
reload (const char *path,
        LensTestLoaded     *loaded)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);

  lens_test_store_load (store, loaded);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Opens @path in a new store, loads it, and reads back the records of the
 * tasks it loaded: the tasks with their details. */
static GPtrArray *
reload_records (const char     *path,
                LensTestLoaded *loaded)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);

  lens_test_store_load (store, loaded);
  g_assert_no_error (loaded->error);
  for (guint i = 0; i < loaded->tasks->len; i++)
    g_ptr_array_add (ids, (gpointer) lens_task_get_id (g_ptr_array_index (loaded->tasks, i)));
  g_ptr_array_add (ids, NULL);
  found = lens_test_store_read_records (store, (const char * const *) ids->pdata);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* In the load's order, whatever order they were read in. */
  for (guint i = 0; i < loaded->tasks->len; i++)
    for (guint j = 0; j < found->len; j++)
      if (g_str_equal (lens_task_get_id (g_ptr_array_index (found, j)), g_ptr_array_index (ids, i)))
        g_ptr_array_add (tasks, g_object_ref (g_ptr_array_index (found, j)));
  g_assert_cmpuint (tasks->len, ==, loaded->tasks->len);
  return g_steal_pointer (&tasks);
}

static void
assert_ids (GPtrArray          *tasks,
            const char * const *ids)
{
  g_assert_nonnull (tasks);
  g_assert_cmpuint (tasks->len, ==, g_strv_length ((GStrv) ids));
  for (guint i = 0; i < tasks->len; i++)
    g_assert_cmpstr (lens_task_get_id (g_ptr_array_index (tasks, i)), ==, ids[i]);
}

static gint64
db_query_int (const char *path,
              const char *sql)
{
  g_autofree char *text = lens_test_db_query (path, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* The one file named tasks.db.corrupt-* beside @path. */
static char *
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

static void
assert_fresh_store_works (const char *path)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GPtrArray) changes = new_changes ();
  g_auto(LensTestLoaded) loaded = { 0 };
  g_auto(LensTestLoaded) again = { 0 };

  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_null (loaded.recovery_message);
  g_assert_cmpuint (loaded.tasks->len, ==, 0);

  g_ptr_array_add (changes, put_change (ID_A, 0, NULL));
  lens_test_store_write (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));

  reload (path, &again);
  assert_ids (again.tasks, (const char *[]) { ID_A, NULL });
}

#define KILL_BATCHES     100
#define KILL_BATCH_SIZE  50

static char *self_path;   /* this program, to run it again as the writer */

/* ─── tests ────────────────────────────────────────────────────────────── */

static void
test_default_path (void)
{
  g_autofree char *path = lens_task_store_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "tasklens", "tasks.db", NULL);
  g_autoptr(LensTaskStore) store = lens_task_store_new (NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (lens_task_store_get_path (store), ==, expected);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  GArray   *order;   /* of guint: which write finished when */
  guint     tag;
} Written;

static void
write_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Written *written = user_data;

  written->ok = lens_task_store_write_finish (LENS_TASK_STORE (source_object), result, &written->error);
  if (written->order != NULL)
    g_array_append_val (written->order, written->tag);
  written->done = TRUE;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autofree char *done_json = record_text (ID_A);
  g_autoptr(LensTask) done = lens_test_task_with_record (ID_A, done_json);
  g_autoptr(LensTask) running = lens_test_task_with_record (ID_B, RUNNING_RECORD (ID_B));
  g_autoptr(LensTask) failed = lens_test_task_with_record (ID_C, FAILED_RECORD (ID_C));
  g_autoptr(LensTask) queued = lens_test_task_with_record (ID_D, NULL);
  g_autoptr(GPtrArray) changes = new_changes ();
  g_autoptr(GPtrArray) again = new_changes ();
  g_auto(LensTestLoaded) first = { 0 };
  g_auto(LensTestLoaded) loaded = { 0 };
  g_autoptr(GPtrArray) read = NULL;
  Written written = { 0 };
  LensTask *tasks[] = { done, running, failed, queued };

  g_assert_cmpint (lens_task_get_state (running), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpint (lens_task_get_state (failed), ==, LENS_TASK_STATE_FAILED);

  /* The folders are made on the way. */
  lens_test_store_load (store, &first);
  g_assert_no_error (first.error);
  g_assert_null (first.recovery_message);
  g_assert_cmpuint (first.tasks->len, ==, 0);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    g_ptr_array_add (changes, lens_store_change_new_put (tasks[i], i, lens_task_get_raw_json (tasks[i]), 1700000000 + i, i == 3 ? 0 : 1700000100));
  g_ptr_array_add (changes, lens_store_change_new_saved_path (ID_A, "/home/user/Pictures/" ID_A ".png"));
  lens_task_store_write_async (store, changes, NULL, write_cb, &written);
  lens_test_spin_until (&written.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (written.error);
  g_assert_true (written.ok);

  /* A later put of the same task knows no saved path, nor when it was added:
   * both stay as they were. */
  g_ptr_array_add (again, lens_store_change_new_put (done, 0, lens_task_get_raw_json (done), 1800000000, 1700000200));
  lens_test_store_write (store, again);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* A load gives the summaries; the records give the rest (issue 9). */
  read = reload_records (fixture->path, &loaded);
  g_assert_null (loaded.recovery_message);
  assert_ids (loaded.tasks, (const char *[]) { ID_A, ID_B, ID_C, ID_D, NULL });
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      LensTask *summary = g_ptr_array_index (loaded.tasks, i);
      LensTask *task = g_ptr_array_index (read, i);

      g_assert_false (lens_task_has_details (summary));
      g_assert_cmpint (lens_task_get_state (summary), ==, lens_task_get_state (tasks[i]));
      g_assert_cmpint (lens_task_get_progress (summary), ==, lens_task_get_progress (tasks[i]));
      g_assert_cmpstr (lens_task_get_task_type (summary), ==, lens_task_get_task_type (tasks[i]));
      g_assert_cmpfloat (lens_task_get_created_at (summary), ==, lens_task_get_created_at (tasks[i]));
      g_assert_cmpfloat (lens_task_get_finished_at (summary), ==, lens_task_get_finished_at (tasks[i]));

      g_assert_cmpint (lens_task_get_state (task), ==, lens_task_get_state (tasks[i]));
      g_assert_cmpstr (lens_task_get_prompt (task), ==, lens_task_get_prompt (tasks[i]));
      g_assert_cmpstr (lens_task_get_raw_json (task), ==, lens_task_get_raw_json (tasks[i]));
      g_assert_cmpstr (lens_task_get_raw_image_url (task), ==, lens_task_get_raw_image_url (tasks[i]));
      g_assert_cmpstr (lens_task_get_error_message (task), ==, lens_task_get_error_message (tasks[i]));
    }
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (loaded.tasks, 3)), ==, LENS_TASK_STATE_QUEUED);
  g_assert_cmpfloat (lens_task_get_finished_at (g_ptr_array_index (loaded.tasks, 0)), ==, 1720364637.404);

  g_assert_cmpint (db_query_int (fixture->path, "PRAGMA user_version"), ==, 8);
  g_assert_cmpint (db_query_int (fixture->path, "SELECT added_at FROM tasks WHERE id = '" ID_A "'"), ==, 1700000000);
  g_assert_cmpint (db_query_int (fixture->path, "SELECT checked_at FROM tasks WHERE id = '" ID_A "'"), ==, 1700000200);
  {
    g_autofree char *saved = lens_test_db_query (fixture->path, "SELECT saved_path FROM tasks WHERE id = '" ID_A "'");
    g_autofree char *unchecked = lens_test_db_query (fixture->path, "SELECT checked_at FROM tasks WHERE id = '" ID_D "'");
    g_autofree char *mode = lens_test_db_query (fixture->path, "PRAGMA journal_mode");

    g_assert_cmpstr (saved, ==, "/home/user/Pictures/" ID_A ".png");
    g_assert_cmpstr (unchecked, ==, "NULL");
    g_assert_cmpstr (mode, ==, "wal");
  }
}

/* Stalled and not found come from the refresher, not from the record:
 * they are stored beside it and outlast a restart, for tasks that have a
 * record too. A task asked for again loads as it was stored, queued (the
 * state column keeps what the task said), and its record, read again, says
 * what the record says. */
/* A put that comes with what the summary keeps of its record
 * (lens_store_change_set_details(), as the history's do) is stored with
 * those values: the worker does not read the record again for them. One
 * without them has them read from the record. */
static void
test_put_with_details (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autofree char *json = record_text (ID_A);
  g_autoptr(LensTask) task = lens_test_task_with_record (ID_A, json);
  g_autoptr(LensTask) other = lens_test_task_with_record (ID_B, RUNNING_RECORD (ID_B));
  g_autoptr(GPtrArray) changes = new_changes ();
  g_auto(LensTestLoaded) first = { 0 };
  LensStoreChange *change;
  g_autofree char *prompt = NULL;
  g_autofree char *type = NULL;
  g_autofree char *read_prompt = NULL;

  lens_test_store_load (store, &first);
  change = lens_store_change_new_put (task, 0, json, 0, 0);
  lens_store_change_set_details (change, task, g_strdup ("Given with the change"));
  g_ptr_array_add (changes, change);
  g_ptr_array_add (changes, lens_store_change_new_put (other, 1, lens_task_get_raw_json (other), 0, 0));
  lens_test_store_write (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));

  prompt = lens_test_db_query (fixture->path, "SELECT prompt FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (prompt, ==, "Given with the change");
  type = lens_test_db_query (fixture->path, "SELECT task_type FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (type, ==, lens_task_get_task_type (task));
  g_assert_cmpint (db_query_int (fixture->path, "SELECT created_at FROM tasks WHERE id = '" ID_A "'"),
                   ==, (gint64) lens_task_get_created_at (task));
  read_prompt = lens_test_db_query (fixture->path, "SELECT prompt FROM tasks WHERE id = '" ID_B "'");
  g_assert_cmpstr (read_prompt, ==, lens_task_get_prompt (other));
}

static void
test_local_states (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(LensTask) stalled = lens_test_task_with_record (ID_A, RUNNING_RECORD (ID_A));
  g_autoptr(LensTask) gone = lens_test_task_with_record (ID_B, RUNNING_RECORD (ID_B));
  g_autoptr(LensTask) unknown = lens_test_task_with_record (ID_C, NULL);
  g_autoptr(LensTask) asked_again = lens_test_task_with_record (ID_D, RUNNING_RECORD (ID_D));
  g_autoptr(LensTask) running = lens_test_task_with_record (ID_E, RUNNING_RECORD (ID_E));
  g_autoptr(GPtrArray) changes = new_changes ();
  g_autoptr(GPtrArray) later = new_changes ();
  g_auto(LensTestLoaded) first = { 0 };
  g_auto(LensTestLoaded) loaded = { 0 };
  g_auto(LensTestLoaded) again = { 0 };
  g_autoptr(GPtrArray) read = NULL;
  LensTask *tasks[] = { stalled, gone, unknown, asked_again, running };
  static const LensTaskState expected[] = {
    LENS_TASK_STATE_STALLED, LENS_TASK_STATE_NOT_FOUND, LENS_TASK_STATE_NOT_FOUND,
    LENS_TASK_STATE_QUEUED, LENS_TASK_STATE_RUNNING,
  };
  static const LensTaskState expected_read[] = {
    LENS_TASK_STATE_STALLED, LENS_TASK_STATE_NOT_FOUND, LENS_TASK_STATE_NOT_FOUND,
    LENS_TASK_STATE_RUNNING, LENS_TASK_STATE_RUNNING,
  };

  lens_task_mark_stalled (stalled);
  lens_task_mark_not_found (gone);
  lens_task_mark_not_found (unknown);
  lens_task_mark_stalled (asked_again);

  lens_test_store_load (store, &first);
  g_assert_no_error (first.error);
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    g_ptr_array_add (changes, lens_store_change_new_put (tasks[i], i, lens_task_get_raw_json (tasks[i]), 1700000000, 1700000100));
  lens_test_store_write (store, changes);

  /* The user asks again for a stalled task: it is queued, and no longer
   * stored as stalled. */
  lens_task_mark_queued (asked_again);
  g_ptr_array_add (later, lens_store_change_new_put (asked_again, 3, lens_task_get_raw_json (asked_again), 0, 0));
  lens_test_store_write (store, later);
  g_assert_finalize_object (g_steal_pointer (&store));

  read = reload_records (fixture->path, &loaded);
  assert_ids (loaded.tasks, (const char *[]) { ID_A, ID_B, ID_C, ID_D, ID_E, NULL });
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      LensTask *task = g_ptr_array_index (read, i);

      g_assert_cmpint (lens_task_get_state (g_ptr_array_index (loaded.tasks, i)), ==, expected[i]);
      g_assert_cmpint (lens_task_get_state (task), ==, expected_read[i]);
      g_assert_cmpstr (lens_task_get_raw_json (task), ==, lens_task_get_raw_json (tasks[i]));
    }
  /* What the record gave is still there. */
  g_assert_cmpstr (lens_task_get_prompt (g_ptr_array_index (read, 0)), ==, "a running cat");
  g_assert_cmpint (lens_task_get_progress (g_ptr_array_index (read, 1)), ==, 42);
  g_assert_cmpint (lens_task_get_progress (g_ptr_array_index (loaded.tasks, 1)), ==, 42);

  /* And again: loading writes nothing that would lose them. */
  reload (fixture->path, &again);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (lens_task_get_state (g_ptr_array_index (again.tasks, i)), ==, expected[i]);
}

/* Failed because Tasklens gave up on a task (lens_task_mark_failed(), an
 * answer asking again would not change) is not in the record either: it
 * outlasts a restart with its reason, for a task with a record and for one
 * never found; asked for again, the task loads queued, as it was stored,
 * and its record says what the record says. */
static void
test_local_failed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(LensTask) found = lens_test_task_with_record (ID_A, RUNNING_RECORD (ID_A));
  g_autoptr(LensTask) never_found = lens_test_task_with_record (ID_B, NULL);
  g_autoptr(LensTask) asked_again = lens_test_task_with_record (ID_C, RUNNING_RECORD (ID_C));
  g_autoptr(GPtrArray) changes = new_changes ();
  g_autoptr(GPtrArray) later = new_changes ();
  g_auto(LensTestLoaded) first = { 0 };
  g_auto(LensTestLoaded) loaded = { 0 };
  g_auto(LensTestLoaded) again = { 0 };
  g_autoptr(GPtrArray) read = NULL;
  LensTask *tasks[] = { found, never_found, asked_again };
  g_autofree char *cleared = NULL;

  lens_task_mark_failed (found, "The AceData API sent an answer that is not valid JSON");
  lens_task_mark_failed (never_found, "The AceData API refused the request");
  lens_task_mark_failed (asked_again, "The AceData API refused the request");

  lens_test_store_load (store, &first);
  g_assert_no_error (first.error);
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    g_ptr_array_add (changes, lens_store_change_new_put (tasks[i], i, lens_task_get_raw_json (tasks[i]), 1700000000, 0));
  lens_test_store_write (store, changes);

  lens_task_mark_queued (asked_again);
  g_ptr_array_add (later, lens_store_change_new_put (asked_again, 2, lens_task_get_raw_json (asked_again), 0, 0));
  lens_test_store_write (store, later);
  g_assert_finalize_object (g_steal_pointer (&store));

  read = reload_records (fixture->path, &loaded);
  assert_ids (loaded.tasks, (const char *[]) { ID_A, ID_B, ID_C, NULL });
  /* The summaries know the state and its reason… */
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (loaded.tasks, 0)), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpstr (lens_task_get_local_error (g_ptr_array_index (loaded.tasks, 0)), ==,
                   "The AceData API sent an answer that is not valid JSON");
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (loaded.tasks, 1)), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpstr (lens_task_get_error_message (g_ptr_array_index (loaded.tasks, 1)), ==,
                   "The AceData API refused the request");
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (loaded.tasks, 2)), ==, LENS_TASK_STATE_QUEUED);
  g_assert_null (lens_task_get_local_error (g_ptr_array_index (loaded.tasks, 2)));

  /* …and the records, read again, get them back over what they say. */
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (read, 0)), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpstr (lens_task_get_error_message (g_ptr_array_index (read, 0)), ==,
                   "The AceData API sent an answer that is not valid JSON");
  g_assert_cmpstr (lens_task_get_local_error (g_ptr_array_index (read, 0)), ==,
                   "The AceData API sent an answer that is not valid JSON");
  /* What the record gave is still there. */
  g_assert_cmpstr (lens_task_get_prompt (g_ptr_array_index (read, 0)), ==, "a running cat");
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (read, 1)), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpstr (lens_task_get_error_message (g_ptr_array_index (read, 1)), ==,
                   "The AceData API refused the request");
  g_assert_null (lens_task_get_raw_json (g_ptr_array_index (read, 1)));
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (read, 2)), ==, LENS_TASK_STATE_RUNNING);
  g_assert_null (lens_task_get_error_message (g_ptr_array_index (read, 2)));
  g_assert_null (lens_task_get_local_error (g_ptr_array_index (read, 2)));
  cleared = lens_test_db_query (fixture->path, "SELECT local_error FROM tasks WHERE id = '" ID_C "'");
  g_assert_cmpstr (cleared, ==, "NULL");

  reload (fixture->path, &again);
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (again.tasks, 0)), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (again.tasks, 1)), ==, LENS_TASK_STATE_FAILED);
}

static void
test_order (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(GPtrArray) changes = new_changes ();
  g_autoptr(GPtrArray) more = new_changes ();
  g_auto(LensTestLoaded) loaded = { 0 };
  g_auto(LensTestLoaded) again = { 0 };
  const char *ids[] = { ID_A, ID_B, ID_C, ID_D };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_ptr_array_add (changes, put_change (ids[i], i, NULL));
  lens_test_store_write (store, changes);

  /* Removed in the middle, added at both ends (positions need not be dense
   * nor positive). */
  g_ptr_array_add (more, lens_store_change_new_delete (ID_B));
  g_ptr_array_add (more, put_change (ID_E, 7, NULL));
  g_ptr_array_add (more, put_change (ID_F, -3, NULL));
  /* Deleting what is not there is no error. */
  g_ptr_array_add (more, lens_store_change_new_delete ("00000000-0000-4000-8000-000000000000"));
  lens_test_store_write (store, more);
  g_assert_finalize_object (g_steal_pointer (&store));

  reload (fixture->path, &loaded);
  assert_ids (loaded.tasks, (const char *[]) { ID_F, ID_A, ID_C, ID_D, ID_E, NULL });

  /* A load leaves the positions 0 … n−1, which LensHistory counts on. */
  g_assert_cmpint (db_query_int (fixture->path, "SELECT position FROM tasks WHERE id = '" ID_F "'"), ==, 0);
  g_assert_cmpint (db_query_int (fixture->path, "SELECT position FROM tasks WHERE id = '" ID_E "'"), ==, 4);
  g_assert_cmpint (db_query_int (fixture->path, "SELECT MAX(position) FROM tasks"), ==, 4);

  reload (fixture->path, &again);
  assert_ids (again.tasks, (const char *[]) { ID_F, ID_A, ID_C, ID_D, ID_E, NULL });
}

/* Rows written behind the store's back: one whose id is a task id in
 * upper case, or no task id, is dropped at the load (the store keeps ids
 * in lower case); two at one position come by id, then get positions of
 * their own. */
static void
test_rows_behind_its_back (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(GPtrArray) changes = new_changes ();
  g_auto(LensTestLoaded) loaded = { 0 };

  g_ptr_array_add (changes, put_change (ID_C, 0, NULL));
  g_ptr_array_add (changes, put_change (ID_D, 1, NULL));
  lens_test_store_write (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));

  lens_test_db_exec (fixture->path,
                     "INSERT INTO tasks (id, position, added_at) VALUES"
                     " ('7489DF4C-EF03-4DE0-B598-E9A590793434', 0, 1600000000),"
                     " ('not-a-task', 0, 1600000000),"
                     " ('" ID_B "', 0, 1600000000)");
  reload (fixture->path, &loaded);
  /* ID_C (49589d2c-…) before ID_B (807f62de-…). */
  assert_ids (loaded.tasks, (const char *[]) { ID_C, ID_B, ID_D, NULL });
  g_assert_cmpint (db_query_int (fixture->path, "SELECT COUNT(*) FROM tasks"), ==, 3);
  g_assert_cmpint (db_query_int (fixture->path, "SELECT position FROM tasks WHERE id = '" ID_D "'"), ==, 2);
}

static void
test_writes_in_order (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GPtrArray) put = new_changes ();
  g_autoptr(GPtrArray) delete = new_changes ();
  g_autoptr(GPtrArray) put_again = new_changes ();
  g_autoptr(GPtrArray) never = new_changes ();
  Written written[4] = { { 0 } };
  g_auto(LensTestLoaded) loaded = { 0 };

  g_ptr_array_add (put, put_change (ID_A, 0, NULL));
  g_ptr_array_add (put, put_change (ID_B, 1, NULL));
  g_ptr_array_add (delete, lens_store_change_new_delete (ID_A));
  g_ptr_array_add (put_again, put_change (ID_A, 2, NULL));
  g_ptr_array_add (never, lens_store_change_new_delete (ID_B));
  g_cancellable_cancel (cancelled);

  /* Asked for one after the other without waiting: applied in that order. */
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    {
      written[i].order = order;
      written[i].tag = i;
    }
  lens_task_store_write_async (store, put, NULL, write_cb, &written[0]);
  lens_task_store_write_async (store, delete, NULL, write_cb, &written[1]);
  lens_task_store_write_async (store, put_again, NULL, write_cb, &written[2]);
  lens_task_store_write_async (store, never, cancelled, write_cb, &written[3]);
  LENS_TEST_SPIN_UNTIL (order->len >= G_N_ELEMENTS (written), LENS_TEST_DEADLINE_MS);

  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (g_array_index (order, guint, i), ==, i);
      g_assert_no_error (written[i].error);
    }
  /* A write cancelled before it started is not applied. */
  g_assert_error (written[3].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&written[3].error);
  g_assert_finalize_object (g_steal_pointer (&store));

  reload (fixture->path, &loaded);
  assert_ids (loaded.tasks, (const char *[]) { ID_B, ID_A, NULL });
}

/* Version 1 as it was: no checked_at, no saved_path. */
static void
test_migration_from_v1 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *record = record_text (ID_B);
  g_autoptr(LensTaskStore) store = NULL;
  g_autoptr(GPtrArray) changes = new_changes ();
  g_autofree char *saved = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  const char *ids[] = { ID_C, ID_B, ID_A };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  db = lens_test_db_open (fixture->path);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE tasks (id TEXT PRIMARY KEY, position INTEGER NOT NULL,"
                                 "                    raw_json TEXT, added_at INTEGER NOT NULL);"
                                 "CREATE INDEX tasks_position ON tasks (position);"
                                 "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tasks VALUES (?1, ?2, ?3, 1600000000)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, (int) i * 10);
      if (i == 1)
        sqlite3_bind_text (stmt, 3, record, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 3);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  store = lens_task_store_new (fixture->path);
  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_null (loaded.recovery_message);
  assert_ids (loaded.tasks, (const char *[]) { ID_C, ID_B, ID_A, NULL });
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (loaded.tasks, 0)), ==, LENS_TASK_STATE_QUEUED);
  g_assert_cmpint (lens_task_get_state (g_ptr_array_index (loaded.tasks, 1)), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpstr (lens_task_get_task_type (g_ptr_array_index (loaded.tasks, 1)), ==, "imagine");
  {
    g_autoptr(LensTask) read = lens_test_store_read_record (store, ID_B);

    g_assert_cmpstr (lens_task_get_prompt (read), ==, "A cat sitting on a table");
  }

  /* The new columns are there and work. */
  g_ptr_array_add (changes, lens_store_change_new_saved_path (ID_B, "/tmp/b.png"));
  g_ptr_array_add (changes, lens_store_change_new_put (g_ptr_array_index (loaded.tasks, 1), 1, NULL, 0, 1700000000));
  lens_test_store_write (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));

  g_assert_cmpint (db_query_int (fixture->path, "PRAGMA user_version"), ==, 8);
  g_assert_cmpint (db_query_int (fixture->path, "SELECT checked_at FROM tasks WHERE id = '" ID_B "'"), ==, 1700000000);
  g_assert_cmpint (db_query_int (fixture->path, "SELECT added_at FROM tasks WHERE id = '" ID_B "'"), ==, 1600000000);
  saved = lens_test_db_query (fixture->path, "SELECT saved_path FROM tasks WHERE id = '" ID_B "'");
  g_assert_cmpstr (saved, ==, "/tmp/b.png");
}

static void
assert_moved_aside (Fixture    *fixture,
                    LensTestLoaded     *loaded,
                    const char *expected_contents)
{
  g_autofree char *aside = NULL;
  g_autofree char *contents = NULL;

  g_assert_no_error (loaded->error);
  g_assert_nonnull (loaded->tasks);
  g_assert_cmpuint (loaded->tasks->len, ==, 0);
  g_assert_nonnull (loaded->recovery_message);
  g_test_message ("Recovery message: %s", loaded->recovery_message);

  aside = find_aside (fixture->path);
  g_assert_nonnull (strstr (loaded->recovery_message, aside));
  if (expected_contents != NULL)
    {
      g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, expected_contents);
    }
}

static void
test_corrupt_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_auto(LensTestLoaded) loaded = { 0 };
  const char *garbage = "This is not a database, it is a shopping list: eggs, milk, paper.\n";

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, garbage, -1, NULL));

  reload (fixture->path, &loaded);
  assert_moved_aside (fixture, &loaded, garbage);
  g_assert_nonnull (strstr (loaded.recovery_message, "could not be read"));

  /* The next start finds the new one and says nothing. */
  assert_fresh_store_works (fixture->path);
}

/* A real database whose pages were overwritten: the header reads fine, but
 * the summary index the load reads does not. Nothing checks the whole file
 * before the load any more, so the load meets the damage itself: it keeps
 * every task it can still read, whole, and sets the file aside (issue 9).
 * Here no count of the tasks reads to its end either, so the message says
 * how many were kept, not of how many. */
static void
test_damaged_pages (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(GPtrArray) changes = new_changes ();
  g_autoptr(GHashTable) written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };
  g_auto(LensTestLoaded) again = { 0 };
  gsize length;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = generated_id (7, i);
      g_autofree char *record = record_text (id);

      g_ptr_array_add (changes, put_change (id, i, record));
      g_hash_table_add (written, g_steal_pointer (&id));
    }
  lens_test_store_write (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));

  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4096 * 40);
  memset (contents + 4096 * 2, 0x5a, 4096 * 30);
  g_assert_true (g_file_set_contents (fixture->path, contents, length, NULL));

  reload (fixture->path, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_nonnull (loaded.recovery_message);
  g_test_message ("Recovery message: %s", loaded.recovery_message);
  aside = find_aside (fixture->path);
  g_assert_nonnull (strstr (loaded.recovery_message, aside));

  /* Some pages held tasks, the others still do: those are kept whole,
   * each once, and nothing that was not written. */
  g_assert_cmpuint (loaded.tasks->len, >, 0);
  g_assert_cmpuint (loaded.tasks->len, <, 300);
  for (guint i = 0; i < loaded.tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (loaded.tasks, i);

      g_assert_true (g_hash_table_remove (written, lens_task_get_id (task)));
      g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
    }
  kept = g_strdup_printf ("kept the %u tasks it could read", loaded.tasks->len);
  g_assert_nonnull (strstr (loaded.recovery_message, kept));

  /* The next start finds the new file whole and says nothing. */
  reload (fixture->path, &again);
  g_assert_no_error (again.error);
  g_assert_null (again.recovery_message);
  g_assert_cmpuint (again.tasks->len, ==, loaded.tasks->len);
}

/* Written by a newer Tasklens: moved aside untouched, never migrated down
 * nor deleted. */
static void
test_newer_version (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  lens_test_db_exec (fixture->path, "CREATE TABLE tomorrow (what TEXT); INSERT INTO tomorrow VALUES ('keep me');"
                          "PRAGMA user_version = 99;");

  reload (fixture->path, &loaded);
  assert_moved_aside (fixture, &loaded, NULL);
  g_assert_nonnull (strstr (loaded.recovery_message, "newer version"));

  aside = find_aside (fixture->path);
  g_assert_cmpint (db_query_int (aside, "PRAGMA user_version"), ==, 99);
  kept = lens_test_db_query (aside, "SELECT what FROM tomorrow");
  g_assert_cmpstr (kept, ==, "keep me");
  assert_fresh_store_works (fixture->path);
}

/* Root may write anywhere, so a folder without permission proves nothing:
 * a regular file where the folder should be cannot be got round. */
static void
test_unwritable_directory (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "a-file", NULL);
  g_autofree char *path = g_build_filename (file, "tasks.db", NULL);
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GPtrArray) changes = new_changes ();
  g_autoptr(GError) error = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };

  g_assert_true (g_file_set_contents (file, "not a folder", -1, NULL));

  lens_test_store_load (store, &loaded);
  g_assert_null (loaded.tasks);
  g_assert_null (loaded.recovery_message);
  g_assert_error (loaded.error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (loaded.error->message, file));
  g_test_message ("Load error: %s", loaded.error->message);

  g_ptr_array_add (changes, put_change (ID_A, 0, NULL));
  g_assert_false (lens_task_store_write_sync (store, changes, &error));
  g_assert_error (error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_OPEN);

  /* The file that was in the way is left alone. */
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
}

static void
test_failed_write_rolls_back (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(GPtrArray) first = new_changes ();
  g_autoptr(GPtrArray) batch = new_changes ();
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };

  g_ptr_array_add (first, put_change (ID_A, 0, NULL));
  lens_test_store_write (store, first);

  /* Another connection makes every insert fail, as a full disk would. */
  lens_test_db_exec (fixture->path, "CREATE TRIGGER refuse BEFORE INSERT ON tasks "
                          "BEGIN SELECT RAISE (ABORT, 'refused for the test'); END;");
  g_ptr_array_add (batch, lens_store_change_new_saved_path (ID_A, "/tmp/a.png"));
  g_ptr_array_add (batch, put_change (ID_B, 1, NULL));
  g_assert_false (lens_task_store_write_sync (store, batch, &error));
  g_assert_error (error, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "refused for the test"));

  /* Nothing of the batch was applied, not even what came before. */
  saved = lens_test_db_query (fixture->path, "SELECT saved_path FROM tasks WHERE id = '" ID_A "'");
  g_assert_cmpstr (saved, ==, "NULL");
  g_assert_cmpint (db_query_int (fixture->path, "SELECT COUNT(*) FROM tasks"), ==, 1);

  /* And the store goes on once the cause is gone. */
  lens_test_db_exec (fixture->path, "DROP TRIGGER refuse");
  lens_test_store_write (store, batch);
  g_assert_finalize_object (g_steal_pointer (&store));

  reload (fixture->path, &loaded);
  assert_ids (loaded.tasks, (const char *[]) { ID_A, ID_B, NULL });
}

static void
test_ten_thousand (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(GPtrArray) changes = new_changes ();
  g_auto(LensTestLoaded) loaded = { 0 };
  const guint n_tasks = 10000;

  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *id = generated_id (1, i);
      g_autofree char *record = record_text (id);

      g_ptr_array_add (changes, put_change (id, i, record));
    }
  lens_test_store_write (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));

  reload (fixture->path, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_cmpuint (loaded.tasks->len, ==, n_tasks);
  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *id = generated_id (1, i);
      LensTask *task = g_ptr_array_index (loaded.tasks, i);

      g_assert_cmpstr (lens_task_get_id (task), ==, id);
      g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
    }
}

/* A load reads every page once (the quick check, then the summaries),
 * which fills the worker's page cache (2 MB by default); the load gives
 * those pages back, so that a long history does not keep its start-up's
 * cache for the whole session. What SQLite holds then is its schema and a
 * few pages, far less than the file. */
typedef struct
{
  GPtrArray  *tasks;
  GHashTable *index;
} IndexedLoad;

static void
indexed_load_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  IndexedLoad *load = user_data;
  g_autoptr(GError) error = NULL;

  load->tasks = lens_task_store_load_finish (LENS_TASK_STORE (source_object), result, NULL, &error);
  g_assert_no_error (error);
  load->index = lens_task_store_load_steal_index (LENS_TASK_STORE (source_object), result);
  /* Taken once. */
  g_assert_null (lens_task_store_load_steal_index (LENS_TASK_STORE (source_object), result));
}

/* A start-up draws its first screen of rows whole (issue 9): the load reads
 * the records of as many first tasks as it is told, and of no other. */
static void
test_load_reads_first_records (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(LensTestLoaded) summaries = { 0 };
  g_auto(LensTestLoaded) loaded = { 0 };
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(GPtrArray) changes = new_changes ();

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = generated_id (4, i);
      g_autofree char *record = record_text (id);

      g_ptr_array_add (changes, put_change (id, i, record));
    }
  lens_test_store_write (store, changes);

  /* By default, summaries only. */
  lens_test_store_load (store, &summaries);
  g_assert_no_error (summaries.error);
  g_assert_false (lens_task_has_details (g_ptr_array_index (summaries.tasks, 0)));

  lens_task_store_set_load_records (store, 2);
  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_cmpuint (loaded.tasks->len, ==, 5);
  for (guint i = 0; i < loaded.tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (loaded.tasks, i);

      g_assert_true (lens_task_has_details (task) == (i < 2));
      if (i < 2)
        g_assert_nonnull (lens_task_get_prompt (task));
    }
}

/* A load hashes its tasks' ids in the worker, for the list to take as its
 * own (lens_task_list_append_indexed()). */
static void
test_load_gives_index (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_autoptr(GPtrArray) changes = new_changes ();
  IndexedLoad load = { NULL, NULL };

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = generated_id (3, i);
      g_autofree char *record = record_text (id);

      g_ptr_array_add (changes, put_change (id, i, record));
    }
  lens_test_store_write (store, changes);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = lens_task_store_new (fixture->path);
  lens_task_store_load_async (store, NULL, indexed_load_cb, &load);
  LENS_TEST_SPIN_UNTIL (load.tasks != NULL, LENS_TEST_DEADLINE_MS);

  g_assert_nonnull (load.index);
  g_assert_cmpuint (g_hash_table_size (load.index), ==, 20);
  for (guint i = 0; i < load.tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (load.tasks, i);

      g_assert_true (g_hash_table_lookup (load.index, lens_task_get_id (task)) == task);
    }
  g_hash_table_unref (load.index);
  g_ptr_array_unref (load.tasks);
}


/* Writes @n tasks with records, ids of the series @series, at positions
 * 0 … n−1. */
static void
write_generated (LensTaskStore *store,
                 guint          series,
                 guint          n)
{
  g_autoptr(GPtrArray) changes = new_changes ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = generated_id (series, i);
      g_autofree char *record = record_text (id);

      g_ptr_array_add (changes, put_change (id, i, record));
    }
  lens_test_store_write (store, changes);
}

/* What a load with a first screen says, and when. */
typedef struct
{
  GPtrArray *first;     /* owned, nullable: ::first-tasks-loaded's tasks (the array itself) */
  guint      n_said;    /* how many times it was emitted */
  gboolean   returned;  /* the load had returned when it was */
  IndexedLoad load;
} AheadLoad;

static void
first_tasks_loaded_cb (LensTaskStore *store,
                       GPtrArray     *tasks,
                       AheadLoad     *ahead)
{
  ahead->n_said++;
  ahead->returned = ahead->load.tasks != NULL;
  g_clear_pointer (&ahead->first, g_ptr_array_unref);
  ahead->first = g_ptr_array_ref (tasks);
}

static void
ahead_load (const char *path,
            guint       n_records,
            AheadLoad  *ahead)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);

  lens_task_store_set_load_records (store, n_records);
  g_signal_connect (store, "first-tasks-loaded", G_CALLBACK (first_tasks_loaded_cb), ahead);
  lens_task_store_load_async (store, NULL, indexed_load_cb, &ahead->load);
  LENS_TEST_SPIN_UNTIL (ahead->load.tasks != NULL, LENS_TEST_DEADLINE_MS);
  /* Nothing more comes after the load returned. */
  lens_test_spin_for (50);
}

static void
ahead_load_clear (AheadLoad *ahead)
{
  g_clear_pointer (&ahead->first, g_ptr_array_unref);
  g_clear_pointer (&ahead->load.tasks, g_ptr_array_unref);
  g_clear_pointer (&ahead->load.index, g_hash_table_unref);
}

/* A start-up shows its first screen without waiting for the rest of a long
 * history (issue 9): the load says its first tasks, with their records,
 * before it returns all of them, and returns those same objects first, so
 * that the list keeps what it shows. */
static void
test_load_says_first_tasks_ahead (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  AheadLoad ahead = { 0 };

  write_generated (store, 5, 50);
  g_assert_finalize_object (g_steal_pointer (&store));

  ahead_load (fixture->path, 8, &ahead);
  g_assert_cmpuint (ahead.n_said, ==, 1);
  g_assert_false (ahead.returned);
  g_assert_cmpuint (ahead.first->len, ==, 8);
  g_assert_cmpuint (ahead.load.tasks->len, ==, 50);
  for (guint i = 0; i < ahead.load.tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (ahead.load.tasks, i);
      g_autofree char *id = generated_id (5, i);

      g_assert_cmpstr (lens_task_get_id (task), ==, id);
      /* The first screen, whole, and the same objects; the rest, summaries. */
      g_assert_true (lens_task_has_details (task) == (i < 8));
      if (i < 8)
        g_assert_true (task == g_ptr_array_index (ahead.first, i));
      g_assert_true (g_hash_table_lookup (ahead.load.index, id) == task);
    }
  ahead_load_clear (&ahead);
}

/* A history shorter than the first screen is said whole, then returned;
 * an empty one, or a load told to read no records, says nothing ahead. */
static void
test_load_says_short_history_ahead (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  AheadLoad empty = { 0 }, short_history = { 0 }, no_records = { 0 };

  ahead_load (fixture->path, 8, &empty);
  g_assert_cmpuint (empty.n_said, ==, 0);
  g_assert_cmpuint (empty.load.tasks->len, ==, 0);
  ahead_load_clear (&empty);

  write_generated (store, 6, 3);
  g_assert_finalize_object (g_steal_pointer (&store));

  ahead_load (fixture->path, 8, &short_history);
  g_assert_cmpuint (short_history.n_said, ==, 1);
  g_assert_cmpuint (short_history.first->len, ==, 3);
  g_assert_cmpuint (short_history.load.tasks->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_ptr_array_index (short_history.load.tasks, i) == g_ptr_array_index (short_history.first, i));
  ahead_load_clear (&short_history);

  ahead_load (fixture->path, 0, &no_records);
  g_assert_cmpuint (no_records.n_said, ==, 0);
  g_assert_cmpuint (no_records.load.tasks->len, ==, 3);
  ahead_load_clear (&no_records);
}

/* ─── kill -9 ──────────────────────────────────────────────────────────── */

/* The writer: imports KILL_BATCHES batches of KILL_BATCH_SIZE tasks, each
 * batch one write, says "committed N" after each, then waits to be killed. */
static int
run_writer (const char *path,
            guint       round)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_auto(LensTestLoaded) loaded = { 0 };
  char byte;

  lens_test_store_load (store, &loaded);
  if (loaded.error != NULL)
    g_error ("Writer could not open %s: %s", path, loaded.error->message);

  /* Made beforehand, so that the writer spends its time writing and the
   * kill lands inside a transaction more often than between two. */
  for (guint batch = 0; batch < KILL_BATCHES; batch++)
    {
      GPtrArray *changes = new_changes ();

      for (guint i = 0; i < KILL_BATCH_SIZE; i++)
        {
          guint index = batch * KILL_BATCH_SIZE + i;
          g_autofree char *id = generated_id (round, index);
          g_autofree char *record = record_text (id);
          g_autoptr(LensTask) task = lens_test_task_with_record (id, record);

          g_ptr_array_add (changes, lens_store_change_new_put (task, round * 100000 + index, lens_task_get_raw_json (task), 0, 0));
        }
      g_ptr_array_add (batches, changes);
    }

  for (guint batch = 0; batch < KILL_BATCHES; batch++)
    {
      g_autoptr(GError) error = NULL;

      if (!lens_task_store_write_sync (store, g_ptr_array_index (batches, batch), &error))
        g_error ("Writer could not write: %s", error->message);
      g_print ("committed %u\n", batch + 1);
      fflush (stdout);
    }

  /* Killed by the parent; if it goes away first, stdin ends. */
  while (read (STDIN_FILENO, &byte, 1) > 0)
    ;
  return EXIT_SUCCESS;
}

static void
test_kill_9 (Fixture       *fixture,
             gconstpointer  data)
{
  /* Killed early, in the middle, and late; each round adds to the same
   * database, so earlier rounds must survive later kills too. */
  static const guint kill_after[] = { 3, 20, 61 };
  guint seen[G_N_ELEMENTS (kill_after)] = { 0 };

  for (guint round = 0; round < G_N_ELEMENTS (kill_after); round++)
    {
      g_autofree char *round_text = g_strdup_printf ("%u", round);
      g_autoptr(GSubprocess) writer = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(LensTaskStore) store = NULL;
      g_autofree char *integrity = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(LensTestLoaded) loaded = { 0 };
      char *line;

      writer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                                 self_path, "--writer", fixture->path, round_text, NULL);
      g_assert_no_error (error);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (writer));
      while (seen[round] < kill_after[round]
             && (line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
        {
          guint n;

          if (sscanf (line, "committed %u", &n) == 1)
            seen[round] = n;
          g_free (line);
        }
      g_assert_no_error (error);
      g_assert_cmpuint (seen[round], ==, kill_after[round]);

      g_subprocess_force_exit (writer);
      g_subprocess_wait (writer, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (writer));
      g_assert_cmpint (g_subprocess_get_term_sig (writer), ==, SIGKILL);

      /* Opens cleanly: nothing to recover from. */
      store = lens_task_store_new (fixture->path);
      lens_test_store_load (store, &loaded);
      g_assert_no_error (loaded.error);
      g_assert_null (loaded.recovery_message);
      g_assert_finalize_object (g_steal_pointer (&store));

      for (guint r = 0; r <= round; r++)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM tasks WHERE id LIKE '%08x-%%'", r);
          gint64 count = db_query_int (fixture->path, sql);

          g_test_message ("Round %u killed after %u batches seen; round %u has %" G_GINT64_FORMAT " tasks",
                          round, seen[round], r, count);
          /* Every batch it said was committed is there, and no half batch. */
          g_assert_cmpint (count, >=, (gint64) seen[r] * KILL_BATCH_SIZE);
          g_assert_cmpint (count, <=, KILL_BATCHES * KILL_BATCH_SIZE);
          g_assert_cmpint (count % KILL_BATCH_SIZE, ==, 0);
        }

      integrity = lens_test_db_query (fixture->path, "PRAGMA integrity_check");
      g_assert_cmpstr (integrity, ==, "ok");
    }
}

/* The load reads the summary index alone, in the index's own order: no
 * record, and no sort of 100,000 rows again (95 ms against 44). */
static void
test_load_reads_index_alone (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_auto(LensTestLoaded) loaded = { 0 };
  g_autoptr(GString) plan = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_finalize_object (g_steal_pointer (&store));

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN " LENS_TASK_STORE_LOAD_SQL, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "USING COVERING INDEX tasks_summary"));
  g_assert_null (strstr (plan->str, "TEMP B-TREE"));
}

#ifdef __linux__
/* The nice value of this process's thread named @name (Linux names threads
 * with the first 15 bytes of g_thread_new()'s name), once it has started:
 * until then it has its creator's name. */
static int
nice_of_thread (const char *name)
{
  gint64 deadline = g_get_monotonic_time () + LENS_TEST_DEADLINE_MS * 1000;

  for (;;)
    {
      g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
      const char *tid;

      g_assert_nonnull (dir);
      while ((tid = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
          g_autofree char *comm = NULL;

          if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
            continue;
          g_strchomp (comm);
          if (strcmp (comm, name) == 0)
            return getpriority (PRIO_PROCESS, (id_t) g_ascii_strtoull (tid, NULL, 10));
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("No thread named %s", name);
      g_usleep (1000);
    }
}
#endif

/* The writer gives way to the main thread where the CPUs are busy (it is
 * niced), once the history is loaded: the first rows wait for the load;
 * the reader, which answers what the user opened, and the main thread
 * keep their priority. */
static void
test_writer_gives_way (Fixture       *fixture,
                       gconstpointer  data)
{
#ifdef __linux__
  g_autoptr(LensTaskStore) store = lens_task_store_new (fixture->path);
  g_auto(LensTestLoaded) loaded = { 0 };
  int own = getpriority (PRIO_PROCESS, 0);

  g_assert_cmpint (nice_of_thread ("store-writer"), ==, own);
  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_cmpint (nice_of_thread ("store-writer"), ==, MIN (own + 10, 19));
  g_assert_cmpint (nice_of_thread ("store-reader"), ==, own);
  g_assert_cmpint (getpriority (PRIO_PROCESS, 0), ==, own);
#else
  g_test_skip ("Thread priorities are Linux's");
#endif
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Before g_test_init, which would reject the option. */
  if (argc == 4 && strcmp (argv[1], "--writer") == 0)
    return run_writer (argv[2], (guint) atoi (argv[3]));

  self_path = g_canonicalize_filename (argv[0], NULL);
  lens_test_init (&argc, &argv);

  g_test_add_func ("/task-store/default-path", test_default_path);
#define ADD(name, func) \
  g_test_add ("/task-store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("load-gives-index", test_load_gives_index);
  ADD ("load-reads-first-records", test_load_reads_first_records);
  ADD ("load-says-first-tasks-ahead", test_load_says_first_tasks_ahead);
  ADD ("load-says-short-history-ahead", test_load_says_short_history_ahead);
  ADD ("local-states", test_local_states);
  ADD ("put-with-details", test_put_with_details);
  ADD ("local-failed", test_local_failed);
  ADD ("order", test_order);
  ADD ("rows-behind-its-back", test_rows_behind_its_back);
  ADD ("writes-in-order", test_writes_in_order);
  ADD ("migration-from-v1", test_migration_from_v1);
  ADD ("corrupt-file", test_corrupt_file);
  ADD ("damaged-pages", test_damaged_pages);
  ADD ("newer-version", test_newer_version);
  ADD ("unwritable-directory", test_unwritable_directory);
  ADD ("failed-write-rolls-back", test_failed_write_rolls_back);
  ADD ("ten-thousand", test_ten_thousand);
  ADD ("kill-9", test_kill_9);
  ADD ("writer-gives-way", test_writer_gives_way);
  ADD ("load-reads-index-alone", test_load_reads_index_alone);
#undef ADD

  status = g_test_run ();
  g_free (self_path);
  return status;
}
