/* test-record-loader.c — the records of the tasks on screen come from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tasks start as summaries (as a load of 100,000 leaves them); a row or the
 * task view holds a task while it shows it, and the loader gives it its
 * record from the store. Beyond a budget, records no longer held are
 * dropped again, the least recently used first, and never those held.
 */

#define G_LOG_DOMAIN "test-record-loader"

#include "config.h"

#include "lens-record-loader.h"
#include "lens-task-private.h"
#include "lens-test.h"

#define WAIT_LIMIT_MS 20000
#define N_STORED      6

typedef struct
{
  char             *dir;
  LensTaskStore    *store;
  LensTaskList     *list;
  LensRecordLoader *loader;
  GPtrArray        *tasks;   /* of LensTask: the list's, as summaries */
} Fixture;

static char *
id_for (guint index)
{
  return g_strdup_printf ("%08x-0000-4000-8000-000000000000", index + 1);
}

static char *
record_for (guint       index,
            const char *prompt)
{
  g_autofree char *id = id_for (index);

  return g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\", \"created_at\": %u,"
                          " \"finished_at\": %u, \"request\": {\"prompt\": \"%s\"},"
                          " \"response\": {\"success\": true, \"progress\": 100,"
                          " \"image_url\": \"https://cdn.example/%u.png\","
                          " \"raw_image_url\": \"https://cdn.example/%u-raw.png\"}}",
                          id, 1720000000 + index, 1720000100 + index, prompt, index, index);
}

static LensTask *
task_from_record (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  LensTask *task;

  g_assert_nonnull (node);
  task = lens_task_new (json_object_get_string_member (json_node_get_object (node), "id"));
  lens_task_update_from_json (task, node);
  return task;
}

/* The list as a start-up leaves it: every task a summary only. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  g_autoptr(GError) error = NULL;

  fixture->dir = lens_test_make_scratch_dir ("tasklens-record-loader");
  path = g_build_filename (fixture->dir, "tasks.db", NULL);
  fixture->store = lens_task_store_new (path);
  fixture->list = lens_task_list_new ();
  fixture->tasks = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < N_STORED; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("stored prompt %u", i);
      g_autofree char *json = record_for (i, prompt);
      g_autoptr(LensTask) full = task_from_record (json);
      LensTaskSummary summary = {
        .id = lens_task_get_id (full),
        .state = lens_task_get_state (full),
        .progress = lens_task_get_progress (full),
        .task_type = lens_task_get_task_type (full),
        .created_at = lens_task_get_created_at (full),
        .finished_at = lens_task_get_finished_at (full),
      };

      g_ptr_array_add (changes, lens_store_change_new_put (full, i, json, 0, 0));
      g_ptr_array_add (fixture->tasks, lens_task_new_from_summary (&summary));
    }
  g_assert_true (lens_task_store_write_sync (fixture->store, changes, &error));
  g_assert_no_error (error);

  lens_task_list_append_tasks (fixture->list, fixture->tasks);
  fixture->loader = lens_record_loader_new (fixture->store, fixture->list);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->loader));
  g_clear_pointer (&fixture->tasks, g_ptr_array_unref);
  g_clear_object (&fixture->list);
  {
    g_autoptr(GPtrArray) nothing = g_ptr_array_new ();

    /* Whatever the store still does ends before it goes. */
    g_assert_true (lens_task_store_write_sync (fixture->store, nothing, NULL));
  }
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static LensTask *
task_at (Fixture *fixture,
         guint    index)
{
  return g_ptr_array_index (fixture->tasks, index);
}

/* Holds @index and waits for its details. */
static LensTask *
hold_and_wait (Fixture *fixture,
               guint    index)
{
  LensTask *task = task_at (fixture, index);

  lens_record_loader_hold (fixture->loader, task);
  LENS_TEST_SPIN_UNTIL (lens_task_has_details (task), WAIT_LIMIT_MS);
  return task;
}

/* A held task gets the record the store has, and says so to who shows it;
 * its summary stays as the list has it. */
static void
test_hold_reads_the_record (Fixture       *fixture,
                            gconstpointer  data)
{
  LensTask *task = task_at (fixture, 2);
  guint n_prompt_notified = 0;

  g_assert_false (lens_task_has_details (task));
  g_assert_null (lens_task_get_prompt (task));
  g_assert_cmpstr (lens_task_get_task_type (task), ==, "imagine");

  g_signal_connect (task, "notify::prompt", G_CALLBACK (lens_test_count_cb), &n_prompt_notified);
  hold_and_wait (fixture, 2);

  g_assert_cmpstr (lens_task_get_prompt (task), ==, "stored prompt 2");
  g_assert_cmpstr (lens_task_get_raw_image_url (task), ==, "https://cdn.example/2-raw.png");
  g_assert_nonnull (lens_task_get_raw_json (task));
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpuint (n_prompt_notified, ==, 1);

  lens_record_loader_release (fixture->loader, task);
  g_signal_handlers_disconnect_by_data (task, &n_prompt_notified);
}

/* Everything held in one main-loop turn comes in one read. */
static void
test_held_together_read_together (Fixture       *fixture,
                                  gconstpointer  data)
{
  for (guint i = 0; i < N_STORED; i++)
    lens_record_loader_hold (fixture->loader, task_at (fixture, i));
  LENS_TEST_SPIN_UNTIL (lens_task_has_details (task_at (fixture, N_STORED - 1)), WAIT_LIMIT_MS);

  for (guint i = 0; i < N_STORED; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("stored prompt %u", i);

      g_assert_true (lens_task_has_details (task_at (fixture, i)));
      g_assert_cmpstr (lens_task_get_prompt (task_at (fixture, i)), ==, prompt);
      lens_record_loader_release (fixture->loader, task_at (fixture, i));
    }
}

/* A task the store does not have (just pasted, not written yet) gets empty
 * details, rather than being asked for at every bind. */
static void
test_unstored_task_gets_empty_details (Fixture       *fixture,
                                       gconstpointer  data)
{
  const char *ids[] = { "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", NULL };
  LensTask *task;

  lens_task_list_add_ids (fixture->list, ids, NULL);
  task = lens_task_list_lookup (fixture->list, ids[0]);
  lens_record_loader_hold (fixture->loader, task);
  LENS_TEST_SPIN_UNTIL (lens_task_has_details (task), WAIT_LIMIT_MS);

  g_assert_null (lens_task_get_prompt (task));
  g_assert_null (lens_task_get_raw_json (task));
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_QUEUED);
  lens_record_loader_release (fixture->loader, task);
}

/* A record that comes while the store is read is newer than the store's:
 * the task keeps it. */
static void
test_record_during_read_wins (Fixture       *fixture,
                              gconstpointer  data)
{
  LensTask *task = task_at (fixture, 1);
  g_autofree char *json = record_for (1, "newer prompt");
  g_autoptr(JsonNode) record = json_from_string (json, NULL);

  lens_record_loader_hold (fixture->loader, task);
  lens_task_update_from_json (task, record);
  lens_test_spin_for (200);

  g_assert_cmpstr (lens_task_get_prompt (task), ==, "newer prompt");
  lens_record_loader_release (fixture->loader, task);
}

/* Released tasks keep their details up to the budget, and then the least
 * recently used drop them; held ones never do. */
static void
test_budget_drops_least_recent (Fixture       *fixture,
                                gconstpointer  data)
{
  lens_record_loader_set_budget (fixture->loader, 2);

  hold_and_wait (fixture, 0);      /* held throughout */
  for (guint i = 1; i <= 4; i++)
    {
      hold_and_wait (fixture, i);
      lens_record_loader_release (fixture->loader, task_at (fixture, i));
    }

  g_assert_true (lens_task_has_details (task_at (fixture, 0)));
  g_assert_false (lens_task_has_details (task_at (fixture, 1)));
  g_assert_false (lens_task_has_details (task_at (fixture, 2)));
  g_assert_true (lens_task_has_details (task_at (fixture, 3)));
  g_assert_true (lens_task_has_details (task_at (fixture, 4)));
  g_assert_cmpuint (lens_record_loader_get_n_loaded (fixture->loader), ==, 2);
  /* The summary is still whole. */
  g_assert_cmpint (lens_task_get_state (task_at (fixture, 1)), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpstr (lens_task_get_task_type (task_at (fixture, 1)), ==, "imagine");

  /* Held again, it is read again. */
  hold_and_wait (fixture, 1);
  g_assert_cmpstr (lens_task_get_prompt (task_at (fixture, 1)), ==, "stored prompt 1");
  lens_record_loader_release (fixture->loader, task_at (fixture, 1));
  lens_record_loader_release (fixture->loader, task_at (fixture, 0));
}

/* Records that the refresher or a sync applies count too: bringing in
 * thousands leaves only the budget's worth in memory. */
static void
test_applied_records_count_against_budget (Fixture       *fixture,
                                           gconstpointer  data)
{
  lens_record_loader_set_budget (fixture->loader, 3);

  for (guint i = 0; i < N_STORED; i++)
    {
      g_autofree char *json = record_for (i, "from the server");
      g_autoptr(JsonNode) record = json_from_string (json, NULL);

      lens_task_update_from_json (task_at (fixture, i), record);
    }

  g_assert_cmpuint (lens_record_loader_get_n_loaded (fixture->loader), ==, 3);
  for (guint i = 0; i < N_STORED; i++)
    g_assert_true (lens_task_has_details (task_at (fixture, i)) == (i >= N_STORED - 3));
}

/* A removed task may come back (undo) and be written again: it keeps its
 * record, whatever the budget. */
static void
test_removed_task_keeps_details (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(LensTask) removed = g_object_ref (task_at (fixture, 0));

  lens_record_loader_set_budget (fixture->loader, 1);
  hold_and_wait (fixture, 0);
  lens_task_list_remove (fixture->list, lens_task_get_id (removed));
  lens_record_loader_release (fixture->loader, removed);

  hold_and_wait (fixture, 1);
  lens_record_loader_release (fixture->loader, task_at (fixture, 1));

  g_assert_true (lens_task_has_details (removed));
  g_assert_cmpstr (lens_task_get_prompt (removed), ==, "stored prompt 0");
}

/* A start-up asks for the first screen's records before any row is bound
 * (lens-window.c): a prefetched task gets its record without being held,
 * and its details count against the budget like any not shown. */
static void
test_prefetch_reads_without_holding (Fixture       *fixture,
                                     gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    lens_record_loader_prefetch (fixture->loader, task_at (fixture, i));
  LENS_TEST_SPIN_UNTIL (lens_task_has_details (task_at (fixture, 0))
                        && lens_task_has_details (task_at (fixture, 1))
                        && lens_task_has_details (task_at (fixture, 2)), WAIT_LIMIT_MS);

  g_assert_cmpstr (lens_task_get_prompt (task_at (fixture, 2)), ==, "stored prompt 2");
  g_assert_false (lens_task_has_details (task_at (fixture, 3)));
  g_assert_cmpuint (lens_record_loader_get_n_held (fixture->loader), ==, 0);
  /* Not held, so among the details the budget bounds. */
  g_assert_cmpuint (lens_record_loader_get_n_loaded (fixture->loader), ==, 3);
  lens_record_loader_set_budget (fixture->loader, 1);
  g_assert_cmpuint (lens_record_loader_get_n_loaded (fixture->loader), ==, 1);

  /* Held once read, a prefetched task shows whole at once. */
  lens_record_loader_hold (fixture->loader, task_at (fixture, 1));
  lens_record_loader_prefetch (fixture->loader, task_at (fixture, 1));
  lens_record_loader_hold (fixture->loader, task_at (fixture, 2));
  lens_record_loader_prefetch (fixture->loader, task_at (fixture, 2));
  LENS_TEST_SPIN_UNTIL (lens_task_has_details (task_at (fixture, 1))
                        && lens_task_has_details (task_at (fixture, 2)), WAIT_LIMIT_MS);
  lens_record_loader_release (fixture->loader, task_at (fixture, 1));
  lens_record_loader_release (fixture->loader, task_at (fixture, 2));
}

/* Tasks a load gave their details to (lens_task_store_set_load_records())
 * reach the list without a word: prefetched, they join the details the
 * budget bounds, rather than keep them for good. */
static void
test_prefetch_bounds_loaded_details (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *json = record_for (N_STORED, "loaded with the history");
  g_autoptr(LensTask) loaded = task_from_record (json);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  g_ptr_array_add (added, loaded);
  lens_task_list_append_tasks (fixture->list, added);
  g_assert_true (lens_task_has_details (loaded));
  g_assert_cmpuint (lens_record_loader_get_n_loaded (fixture->loader), ==, 0);
  lens_record_loader_prefetch (fixture->loader, loaded);
  g_assert_cmpuint (lens_record_loader_get_n_loaded (fixture->loader), ==, 1);

  lens_record_loader_set_budget (fixture->loader, 0);
  g_assert_false (lens_task_has_details (loaded));
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/record-loader/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("hold-reads-the-record", test_hold_reads_the_record);
  ADD ("held-together-read-together", test_held_together_read_together);
  ADD ("unstored-task-gets-empty-details", test_unstored_task_gets_empty_details);
  ADD ("record-during-read-wins", test_record_during_read_wins);
  ADD ("budget-drops-least-recent", test_budget_drops_least_recent);
  ADD ("applied-records-count-against-budget", test_applied_records_count_against_budget);
  ADD ("removed-task-keeps-details", test_removed_task_keeps_details);
  ADD ("prefetch-reads-without-holding", test_prefetch_reads_without_holding);
  ADD ("prefetch-bounds-loaded-details", test_prefetch_bounds_loaded_details);

#undef ADD

  return g_test_run ();
}
