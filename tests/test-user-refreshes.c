/* test-user-refreshes.c — tests for what the user asks to refresh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensUserRefreshes alone, on a task list and a poll schedule, with
 * callbacks that count. Its slices are idle sources: running what is ready
 * (lens_test_spin_pending()) runs them all, with no waiting. A slice budget
 * of 0 makes a slice LENS_TURN_CLOCK_EVERY tasks. test-refresher shows the
 * same through the refresher and a fake server.
 */

#define G_LOG_DOMAIN "test-user-refreshes"

#include "config.h"

#include "lens-test.h"
#include "lens-turn-budget.h"
#include "lens-user-refreshes.h"

typedef struct
{
  LensTaskList      *tasks;
  LensPollSchedule  *schedule;
  LensUserRefreshes *refreshes;
  GPtrArray         *ids;        /* of char * (owned): the list's, in order */
  guint              n_asked;
  guint              n_sliced;
  guint              n_changed;
} Fixture;

static void
asked (gpointer user_data)
{
  ((Fixture *) user_data)->n_asked++;
}

static void
sliced (gpointer user_data)
{
  ((Fixture *) user_data)->n_sliced++;
}

static void
changed (gpointer user_data)
{
  ((Fixture *) user_data)->n_changed++;
}

static const LensUserRefreshesCallbacks callbacks = {
  .asked = asked,
  .sliced = sliced,
  .changed = changed,
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tasks = lens_task_list_new ();
  fixture->schedule = lens_poll_schedule_new ();
  fixture->refreshes = lens_user_refreshes_new (fixture->tasks, fixture->schedule, &callbacks,
                                                fixture);
  lens_user_refreshes_set_slice_budget (fixture->refreshes, 0);
  fixture->ids = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->refreshes, lens_user_refreshes_free);
  g_clear_pointer (&fixture->ids, g_ptr_array_unref);
  g_clear_pointer (&fixture->schedule, lens_poll_schedule_free);
  g_clear_object (&fixture->tasks);
}

static void
add_tasks (Fixture *fixture,
           guint    n_ids)
{
  for (guint i = 0; i < n_ids; i++)
    g_ptr_array_add (fixture->ids, lens_test_make_id (i + 1));
  g_ptr_array_add (fixture->ids, NULL);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) fixture->ids->pdata, NULL);
  g_ptr_array_remove_index (fixture->ids, fixture->ids->len - 1);
}

static LensTask *
task_at (Fixture *fixture,
         guint    i)
{
  return lens_task_list_lookup (fixture->tasks, g_ptr_array_index (fixture->ids, i));
}

/* The first slice is marked at once, the others in the turns after; the
 * refreshes say when marking starts and ends. */
static void
test_in_slices (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;

  add_tasks (fixture, 200);
  all = lens_task_list_dup_all (fixture->tasks);
  lens_user_refreshes_add_tasks (fixture->refreshes, all);

  g_assert_cmpuint (fixture->n_asked, ==, LENS_TURN_CLOCK_EVERY);
  g_assert_cmpuint (fixture->n_sliced, ==, 1);
  g_assert_true (lens_user_refreshes_is_marking (fixture->refreshes));
  g_assert_cmpuint (fixture->n_changed, ==, 1);

  lens_test_spin_pending ();
  g_assert_cmpuint (fixture->n_asked, ==, 200);
  g_assert_cmpuint (fixture->n_sliced, ==, (200 + LENS_TURN_CLOCK_EVERY - 1) / LENS_TURN_CLOCK_EVERY);
  g_assert_false (lens_user_refreshes_is_marking (fixture->refreshes));
  g_assert_cmpuint (fixture->n_changed, ==, 2);
}

/* A task removed before its turn is not asked for; one in flight already
 * is not asked for twice; a few fit in one slice, with no idle. */
static void
test_removed_and_in_flight_not_asked (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  LensPollTask in_flight = { NULL, LENS_TASK_STATE_QUEUED, -1 };
  g_autoptr(LensPollPlan) plan = NULL;

  add_tasks (fixture, 100);
  in_flight.id = g_ptr_array_index (fixture->ids, 1);
  plan = lens_poll_schedule_plan (fixture->schedule, &in_flight, 1, g_get_monotonic_time ());
  g_assert_cmpuint (plan->at_once->len, ==, 1);

  all = lens_task_list_dup_all (fixture->tasks);
  lens_user_refreshes_add_tasks (fixture->refreshes, all);
  g_assert_true (lens_task_list_remove (fixture->tasks, g_ptr_array_index (fixture->ids, 80)));
  lens_test_spin_pending ();
  g_assert_cmpuint (fixture->n_asked, ==, 98);

  fixture->n_changed = 0;
  lens_user_refreshes_add_ids (fixture->refreshes,
                               (const char *[]) { g_ptr_array_index (fixture->ids, 80),
                                                  g_ptr_array_index (fixture->ids, 90), NULL });
  g_assert_false (lens_user_refreshes_is_marking (fixture->refreshes));
  g_assert_cmpuint (fixture->n_changed, ==, 0);
}

/* Every task not finished by the server's word is asked for: stalled ones
 * and those Tasklens gave up on are queued again. */
static void
test_unfinished (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *done = NULL;

  add_tasks (fixture, 4);
  lens_task_mark_stalled (task_at (fixture, 1));
  lens_task_mark_failed (task_at (fixture, 2), "gave up");
  done = g_strdup_printf ("{\"id\": \"%s\", \"finished_at\": 1720364637.4, \"response\": "
                          "{\"success\": true, \"progress\": 100,"
                          " \"raw_image_url\": \"https://example.com/a.png\"}}",
                          (char *) g_ptr_array_index (fixture->ids, 3));
  g_ptr_array_add (records, json_from_string (done, NULL));
  lens_task_list_apply_records (fixture->tasks,
                                (const char *[]) { g_ptr_array_index (fixture->ids, 3), NULL },
                                records);
  g_assert_cmpint (lens_task_get_state (task_at (fixture, 3)), ==, LENS_TASK_STATE_DONE);

  g_assert_cmpuint (lens_user_refreshes_ask_unfinished (fixture->refreshes), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (lens_task_get_state (task_at (fixture, i)), ==, LENS_TASK_STATE_QUEUED);
  g_assert_cmpint (lens_task_get_state (task_at (fixture, 3)), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpuint (fixture->n_asked + fixture->n_sliced + fixture->n_changed, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add ("/user-refreshes/in-slices", Fixture, NULL,
              fixture_set_up, test_in_slices, fixture_tear_down);
  g_test_add ("/user-refreshes/removed-and-in-flight-not-asked", Fixture, NULL,
              fixture_set_up, test_removed_and_in_flight_not_asked, fixture_tear_down);
  g_test_add ("/user-refreshes/unfinished", Fixture, NULL,
              fixture_set_up, test_unfinished, fixture_tear_down);

  return g_test_run ();
}
