/* test-refresher.c — what is asked of the server, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lens-fake-api.h"
#include "lens-refresher.h"

#define TOKEN "refresher-token"
#define POLL_MS 100

typedef struct
{
  LensFakeApi   *fake;
  LensClient    *client;
  LensTaskList  *tasks;
  LensRefresher *refresher;
  GPtrArray     *failures;   /* of GError */
} Fixture;

static void
failed_cb (LensRefresher *refresher,
           const GError  *error,
           GPtrArray     *failures)
{
  g_ptr_array_add (failures, g_error_copy (error));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->fake = lens_fake_api_new (TOKEN);
  lens_fake_api_start (fixture->fake, 0, &error);
  g_assert_no_error (error);
  lens_fake_api_set_running_duration (fixture->fake, 600);

  fixture->client = lens_client_new (NULL, lens_fake_api_get_url (fixture->fake), TOKEN);
  lens_client_set_retry_policy (fixture->client, 0, 1);
  fixture->tasks = lens_task_list_new ();
  fixture->refresher = lens_refresher_new (fixture->client, fixture->tasks);
  lens_refresher_set_poll_interval (fixture->refresher, POLL_MS);
  fixture->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_signal_connect (fixture->refresher, "failed", G_CALLBACK (failed_cb), fixture->failures);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->refresher);
  g_assert_finalize_object (fixture->tasks);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
  g_clear_pointer (&fixture->failures, g_ptr_array_unref);
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_for (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static guint
count_in_state (Fixture       *fixture,
                LensTaskState  state)
{
  g_auto(GStrv) ids = lens_task_list_dup_ids_in_state (fixture->tasks, state);
  return g_strv_length (ids);
}

/* Waits until every task is finished, for at most ten seconds. */
static void
wait_until_finished (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks));

  while (count_in_state (fixture, LENS_TASK_STATE_DONE)
         + count_in_state (fixture, LENS_TASK_STATE_FAILED)
         + count_in_state (fixture, LENS_TASK_STATE_NOT_FOUND) < n_items)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static guint
task_requests (Fixture *fixture)
{
  return lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks");
}

static const char *
request_body_at (Fixture *fixture,
                 guint    index)
{
  GPtrArray *requests = lens_fake_api_get_requests (fixture->fake);

  g_assert_cmpuint (requests->len, >, index);
  return ((LensFakeRequest *) g_ptr_array_index (requests, index))->body;
}

/* Ids added in one go are asked for at once, in one batch. */
static void
test_new_ids_in_one_batch (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 30);
  const char *unknown[] = { "00000000-1111-4222-8333-444444444444", NULL };

  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  lens_task_list_add_ids (fixture->tasks, unknown, NULL);
  wait_until_finished (fixture);

  g_assert_cmpuint (task_requests (fixture), ==, 1);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_DONE), ==, 30);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_NOT_FOUND), ==, 1);
}

/* Finished tasks are never asked for again. */
static void
test_finished_not_polled (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_FAILED, 5);

  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  wait_until_finished (fixture);
  spin_for (POLL_MS * 4);

  g_assert_cmpuint (task_requests (fixture), ==, 1);
}

/* Running tasks are polled, all in one batch a round, until they finish. */
static void
test_running_polled_until_done (Fixture       *fixture,
                                gconstpointer  data)
{
  g_auto(GStrv) running = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_RUNNING, 3);
  g_auto(GStrv) done = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 2);
  GPtrArray *requests;
  guint n_requests;

  lens_task_list_add_ids (fixture->tasks, (const char * const *) running, NULL);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) done, NULL);
  wait_until_finished (fixture);
  n_requests = task_requests (fixture);
  g_assert_cmpuint (n_requests, >=, 2);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_DONE), ==, 5);

  /* Every poll after the first asked only for the unfinished tasks. */
  requests = lens_fake_api_get_requests (fixture->fake);
  for (guint i = 1; i < requests->len; i++)
    {
      LensFakeRequest *request = g_ptr_array_index (requests, i);
      for (guint j = 0; done[j] != NULL; j++)
        g_assert_null (strstr (request->body, done[j]));
    }

  spin_for (POLL_MS * 4);
  g_assert_cmpuint (task_requests (fixture), ==, n_requests);
}

/* One round over 500 running tasks: one batch, split by the client into
 * chunks of 50. */
static void
test_poll_round_of_500 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;

  lens_fake_api_set_running_duration (fixture->fake, 600 * 1000);
  ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_RUNNING, 500);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);

  while (task_requests (fixture) < 10 || lens_refresher_get_busy (fixture->refresher))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (task_requests (fixture), ==, 10);

  lens_fake_api_clear_requests (fixture->fake);
  while (task_requests (fixture) == 0 || lens_refresher_get_busy (fixture->refresher))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (task_requests (fixture), ==, 10);
}

static void
test_refresh_finished_task (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 2);
  const char *one[] = { ids[1], NULL };

  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  wait_until_finished (fixture);

  lens_refresher_refresh (fixture->refresher, one);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (fixture->tasks, ids[1])), ==,
                   LENS_TASK_STATE_QUEUED);
  wait_until_finished (fixture);

  g_assert_cmpuint (task_requests (fixture), ==, 2);
  g_assert_nonnull (strstr (request_body_at (fixture, 1), ids[1]));
}

/* A failed lookup is reported, the tasks keep their state, and the next
 * round asks again. */
static void
test_failure_reported_and_retried (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 3);
  LensFakeFault broken = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                           .status = 500, .retry_after = -1 };

  lens_fake_api_push_fault (fixture->fake, &broken, 1);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  wait_until_finished (fixture);

  g_assert_cmpuint (fixture->failures->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (fixture->failures, 0), LENS_CLIENT_ERROR,
                  LENS_CLIENT_ERROR_SERVER_ERROR);
  g_assert_cmpuint (task_requests (fixture), ==, 2);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_DONE), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/refresher/new-ids-in-one-batch", Fixture, NULL, fixture_set_up,
              test_new_ids_in_one_batch, fixture_tear_down);
  g_test_add ("/refresher/finished-not-polled", Fixture, NULL, fixture_set_up,
              test_finished_not_polled, fixture_tear_down);
  g_test_add ("/refresher/running-polled-until-done", Fixture, NULL, fixture_set_up,
              test_running_polled_until_done, fixture_tear_down);
  g_test_add ("/refresher/poll-round-of-500", Fixture, NULL, fixture_set_up,
              test_poll_round_of_500, fixture_tear_down);
  g_test_add ("/refresher/refresh-finished-task", Fixture, NULL, fixture_set_up,
              test_refresh_finished_task, fixture_tear_down);
  g_test_add ("/refresher/failure-reported-and-retried", Fixture, NULL, fixture_set_up,
              test_failure_reported_and_retried, fixture_tear_down);

  return g_test_run ();
}
