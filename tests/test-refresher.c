/* test-refresher.c — what is asked of the server, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Driven with short intervals against the fake server. Timings are only ever
 * checked from below (a timer never fires early) or as counts that a slower
 * machine can only make smaller.
 *
 * First a network monitor the tests can switch, then the fixture (the fake
 * server, a client, a task list and a refresher polling every POLL_MS, with
 * the refresher's signals recorded) and the helpers that wait for, count and
 * serve tasks; then the tests and main().
 */

#include "config.h"

#include <string.h>

#include "lens-refresher.h"
#include "lens-task-store.h"
#include "lens-test-fake.h"
#include "lens-test-store.h"

#define TOKEN "refresher-token"
#define POLL_MS 100

/* ─── a network monitor the test can switch ────────────────────────────── */

#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum {
  MONITOR_PROP_0,
  MONITOR_PROP_NETWORK_AVAILABLE,
  MONITOR_PROP_NETWORK_METERED,
  MONITOR_PROP_CONNECTIVITY,
};

static gboolean
test_monitor_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  return TRUE;
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_monitor_can_reach;
}

static gboolean
test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      test_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      test_monitor_iface_init))

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  switch (prop_id)
    {
    case MONITOR_PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MONITOR_PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_NETWORK_AVAILABLE,
                                    "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
test_monitor_set_available (TestMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_object_notify (G_OBJECT (self), "connectivity");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* ─── fixture and helpers ──────────────────────────────────────────────── */

typedef struct
{
  LensFakeApi   *fake;
  LensClient    *client;
  LensTaskList  *tasks;
  TestMonitor   *monitor;
  LensRefresher *refresher;
  GPtrArray     *failures;   /* of GError */
  GPtrArray     *finished;   /* of char *: ids, in the order task-finished told them */
  guint          n_pause_notifies;
  guint          n_rate_notifies;
} Fixture;

/* Runs the main loop until @cond holds, for at most ten seconds. */
#define WAIT_UNTIL(cond) LENS_TEST_SPIN_UNTIL (cond, 10000)

/* Makes the served progress follow what the refresher saw, plus one, up to
 * a limit: the task moves on every answer, then stops moving. */
typedef struct
{
  Fixture *fixture;
  gint64   age_s;
  int      limit;
} Mover;

static void
failed_cb (LensRefresher *refresher,
           const GError  *error,
           Fixture       *fixture)
{
  g_ptr_array_add (fixture->failures, g_error_copy (error));
}

static void
task_finished_cb (LensRefresher *refresher,
                  LensTask      *task,
                  Fixture       *fixture)
{
  g_ptr_array_add (fixture->finished, g_strdup (lens_task_get_id (task)));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *counter)
{
  (*counter)++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->fake = lens_test_start_fake_api (TOKEN);
  lens_fake_api_set_running_duration (fixture->fake, 600);

  /* The test of the missing token starts without one. */
  fixture->client = lens_client_new (NULL, lens_fake_api_get_url (fixture->fake),
                                     data == NULL ? TOKEN : NULL);
  lens_client_set_retry_policy (fixture->client, 0, 1);
  fixture->tasks = lens_task_list_new ();
  fixture->monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  fixture->refresher = lens_refresher_new (fixture->client, fixture->tasks,
                                           G_NETWORK_MONITOR (fixture->monitor));
  lens_refresher_set_schedule (fixture->refresher, (const guint[]) { POLL_MS }, 1);
  lens_refresher_set_min_request_interval (fixture->refresher, 0);
  fixture->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  fixture->finished = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->refresher, "failed", G_CALLBACK (failed_cb), fixture);
  g_signal_connect (fixture->refresher, "task-finished", G_CALLBACK (task_finished_cb), fixture);
  g_signal_connect (fixture->refresher, "notify::pause", G_CALLBACK (count_notify_cb),
                    &fixture->n_pause_notifies);
  g_signal_connect (lens_client_get_scheduler (fixture->client), "notify::throttled",
                    G_CALLBACK (count_notify_cb), &fixture->n_rate_notifies);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->refresher);
  /* Lets the cancelled batches end: they must not touch the refresher. */
  lens_test_spin_for (50);
  g_assert_finalize_object (fixture->tasks);
  g_assert_finalize_object (fixture->monitor);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->fake);
  g_clear_pointer (&fixture->failures, g_ptr_array_unref);
  g_clear_pointer (&fixture->finished, g_ptr_array_unref);
}

static guint
count_in_state (Fixture       *fixture,
                LensTaskState  state)
{
  g_auto(GStrv) ids = lens_task_list_dup_ids_in_state (fixture->tasks, state);
  return g_strv_length (ids);
}

static guint
count_finished (Fixture *fixture)
{
  return count_in_state (fixture, LENS_TASK_STATE_DONE)
         + count_in_state (fixture, LENS_TASK_STATE_FAILED)
         + count_in_state (fixture, LENS_TASK_STATE_NOT_FOUND);
}

static void
wait_until_finished (Fixture *fixture)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks));

  WAIT_UNTIL (count_finished (fixture) == n_items);
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
  return lens_test_fake_request (fixture->fake, index)->body;
}

static LensTaskState
state_of (Fixture    *fixture,
          const char *id)
{
  return lens_task_get_state (lens_task_list_lookup (fixture->tasks, id));
}

static void
add_ids (Fixture     *fixture,
         const char **ids)
{
  lens_task_list_add_ids (fixture->tasks, ids, NULL);
}

/* Serves a task that runs at @progress until told otherwise, created
 * @age_s seconds ago. */
static char *
running_record (const char *id,
                gint64      age_s,
                int         progress)
{
  gint64 created_at = g_get_real_time () / G_USEC_PER_SEC - age_s;

  return g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\", "
                          "\"created_at\": %" G_GINT64_FORMAT ", "
                          "\"request\": {\"prompt\": \"a lighthouse\", \"action\": \"generate\"}, "
                          "\"response\": {\"success\": true, \"task_id\": \"%s\", "
                          "\"progress\": %d}}",
                          id, created_at, id, progress);
}

static void
put_running_record (Fixture    *fixture,
                    const char *id,
                    gint64      age_s,
                    int         progress)
{
  g_autofree char *json = running_record (id, age_s, progress);

  lens_fake_api_add_record (fixture->fake, json);
}

static void
move_progress_cb (LensTask   *task,
                  GParamSpec *pspec,
                  Mover      *mover)
{
  int progress = lens_task_get_progress (task);

  if (progress >= 0 && progress < mover->limit)
    put_running_record (mover->fixture, lens_task_get_id (task), mover->age_s, progress + 1);
}

/* ─── lookups ──────────────────────────────────────────────────────────── */

/* Ids added in one go are asked for at once, in one batch. */
static void
test_new_ids_in_one_batch (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 30);
  const char *unknown[] = { "00000000-1111-4222-8333-444444444444", NULL };

  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  add_ids (fixture, unknown);
  wait_until_finished (fixture);

  g_assert_cmpuint (task_requests (fixture), ==, 1);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_DONE), ==, 30);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_NOT_FOUND), ==, 1);
  /* Tasks that were finished when first seen are no news. */
  g_assert_cmpuint (fixture->finished->len, ==, 0);
}

/* While a start-up loads the rest of a history, the list shows its first
 * screen (lens-context.c), but nothing is asked: the answers would have no
 * history to be written to. Held, the refresher asks nothing, neither for
 * the tasks it sees nor for those the user asks for, and says no pause;
 * let go, it asks for all of them. */
static void
test_held_asks_nothing (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 5);
  const char *first[] = { ids[0], NULL };

  lens_refresher_set_held (fixture->refresher, TRUE);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  lens_refresher_refresh (fixture->refresher, first);
  lens_test_spin_for (200);
  g_assert_cmpuint (task_requests (fixture), ==, 0);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_DONE), ==, 0);
  g_assert_cmpint (lens_refresher_get_pause (fixture->refresher), ==, LENS_REFRESHER_PAUSE_NONE);

  lens_refresher_set_held (fixture->refresher, FALSE);
  wait_until_finished (fixture);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_DONE), ==, 5);
}

typedef struct
{
  guint n_records;
  guint n_from_queue;  /* applied from the refresher's own idle, at idle priority */
} WhereApplied;

static void
record_applied_cb (LensTaskList *list,
                   LensTask     *task,
                   GParamSpec   *pspec,
                   WhereApplied *where)
{
  GSource *source = g_main_current_source ();

  where->n_records++;
  if (source != NULL && g_strcmp0 (g_source_get_name (source), "[lens-refresher] apply answers") == 0
      && g_source_get_priority (source) == G_PRIORITY_DEFAULT_IDLE)
    where->n_from_queue++;
}

/* Answers are not applied in the callback that brings them: with no limit
 * on the server they come in bursts, and 50 records a piece (their rows
 * redrawn, the history told) would hold input and drawing for as long as
 * the burst. They wait in a queue that an idle drains a few milliseconds'
 * worth at a time, at idle priority. */
static void
test_answers_applied_at_idle_priority (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 150);
  WhereApplied where = { 0, 0 };

  g_signal_connect (fixture->tasks, "task-changed::raw-json", G_CALLBACK (record_applied_cb), &where);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  wait_until_finished (fixture);
  g_signal_handlers_disconnect_by_data (fixture->tasks, &where);

  g_assert_cmpuint (where.n_records, ==, 150);
  g_assert_cmpuint (where.n_from_queue, ==, where.n_records);
}

/* Finished tasks are never asked for again. */
static void
test_finished_not_polled (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_FAILED, 5);

  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  wait_until_finished (fixture);
  lens_test_spin_for (POLL_MS * 4);

  g_assert_cmpuint (task_requests (fixture), ==, 1);
}

/* Running tasks are polled until they finish, and each one that finished
 * while watched is told once. */
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

  g_assert_cmpuint (fixture->finished->len, ==, 3);
  for (guint i = 0; running[i] != NULL; i++)
    g_assert_true (g_ptr_array_find_with_equal_func (fixture->finished, running[i], g_str_equal,
                                                     NULL));

  lens_test_spin_for (POLL_MS * 4);
  g_assert_cmpuint (task_requests (fixture), ==, n_requests);
  g_assert_cmpuint (fixture->finished->len, ==, 3);
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
  g_assert_cmpint (state_of (fixture, ids[1]), ==, LENS_TASK_STATE_QUEUED);
  wait_until_finished (fixture);

  g_assert_cmpuint (task_requests (fixture), ==, 2);
  g_assert_nonnull (strstr (request_body_at (fixture, 1), ids[1]));
}

/* Many tasks refreshed at once (all picked, then Refresh) are marked
 * queued a slice a turn, not all in one: 100,000 took 186 ms with a
 * history. Every one is asked for, and the refresher says it is busy
 * meanwhile. With no time for a slice, a slice is LENS_TURN_CLOCK_EVERY
 * (64). */
static void
test_refresh_in_slices (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 300);
  g_autoptr(GString) asked = g_string_new (NULL);
  guint n_requests, before;

  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  wait_until_finished (fixture);
  WAIT_UNTIL (!lens_refresher_get_busy (fixture->refresher));
  n_requests = task_requests (fixture);
  before = lens_fake_api_count_requests (fixture->fake, NULL);
  lens_refresher_set_tick_budget (fixture->refresher, 0);

  lens_refresher_refresh (fixture->refresher, (const char * const *) ids);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_QUEUED), ==, 64);
  g_assert_true (lens_refresher_get_busy (fixture->refresher));

  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_QUEUED), <=, 128);
  wait_until_finished (fixture);
  WAIT_UNTIL (!lens_refresher_get_busy (fixture->refresher));
  g_assert_cmpuint (task_requests (fixture), >, n_requests);
  for (guint i = before; i < lens_fake_api_count_requests (fixture->fake, NULL); i++)
    g_string_append (asked, request_body_at (fixture, i) != NULL ? request_body_at (fixture, i) : "");
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_nonnull (strstr (asked->str, ids[i]));
}

/* What a frame saw of a refresh in slices: the tasks queued when GTK
 * drew (GDK_PRIORITY_REDRAW), the first time it could. */
typedef struct
{
  Fixture *fixture;
  guint    n_queued;
  gboolean drawn;
} Frame;

static gboolean
frame_cb (gpointer user_data)
{
  Frame *frame = user_data;

  frame->n_queued = count_in_state (frame->fixture, LENS_TASK_STATE_QUEUED);
  frame->drawn = TRUE;
  return G_SOURCE_REMOVE;
}

/* The slices of a refresh leave the main loop to what GTK draws at
 * (G_PRIORITY_HIGH_IDLE + 20), as the tick's and the answers' do: a frame
 * comes between them, not only after the last. A refresh asked at
 * G_PRIORITY_DEFAULT would hold every frame until all were marked, 186 ms
 * for 100,000 tasks picked, and the ticks that send them (idle priority)
 * with them. */
static void
test_refresh_slices_let_frames_through (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 300);
  Frame frame = { fixture, 0, FALSE };

  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  wait_until_finished (fixture);
  WAIT_UNTIL (!lens_refresher_get_busy (fixture->refresher));
  lens_refresher_set_tick_budget (fixture->refresher, 0);

  lens_refresher_refresh (fixture->refresher, (const char * const *) ids);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_QUEUED), ==, 64);
  g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, frame_cb, &frame, NULL);
  WAIT_UNTIL (frame.drawn);
  g_assert_cmpuint (frame.n_queued, <, 300);
  wait_until_finished (fixture);
  WAIT_UNTIL (!lens_refresher_get_busy (fixture->refresher));
}

static void
busy_cb (LensRefresher *refresher,
         GParamSpec    *pspec,
         Fixture       *fixture)
{
  /* Not busy with tasks queued that no request has asked for yet. */
  if (!lens_refresher_get_busy (refresher))
    g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_QUEUED), ==, 0);
}

/* The refresher is busy from the first slice of a refresh until its tasks
 * are answered: the last slice hands them to a tick, which sends them a
 * turn later; "busy" does not drop in between. */
static void
test_refresh_in_slices_busy_throughout (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 300);

  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  wait_until_finished (fixture);
  WAIT_UNTIL (!lens_refresher_get_busy (fixture->refresher));
  lens_refresher_set_tick_budget (fixture->refresher, 0);

  g_signal_connect (fixture->refresher, "notify::busy", G_CALLBACK (busy_cb), fixture);
  lens_refresher_refresh (fixture->refresher, (const char * const *) ids);
  g_assert_true (lens_refresher_get_busy (fixture->refresher));
  wait_until_finished (fixture);
  WAIT_UNTIL (!lens_refresher_get_busy (fixture->refresher));
  g_signal_handlers_disconnect_by_func (fixture->refresher, busy_cb, fixture);
}

/* A failed lookup is reported, the tasks keep their state, and they are
 * asked for again a little later. */
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

/* An answer that asking again would not change (not JSON, a 400) fails
 * the tasks with the reason, is reported once, and is not asked again:
 * not by the poll schedule, only when the user refreshes. */
static void
check_permanent_failure (Fixture             *fixture,
                         const LensFakeFault *fault,
                         LensClientError      code)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 3);
  g_autofree char *running_id = lens_fake_api_make_id ("running-when-refused");
  const char *running[] = { running_id, NULL };
  const char *one[] = { ids[0], NULL };
  const GError *failure;
  guint n_requests;

  put_running_record (fixture, running_id, 30, 10);
  add_ids (fixture, running);
  WAIT_UNTIL (state_of (fixture, running_id) == LENS_TASK_STATE_RUNNING);

  lens_fake_api_push_fault (fixture->fake, fault, G_MAXUINT);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  WAIT_UNTIL (count_in_state (fixture, LENS_TASK_STATE_FAILED) == 4);

  g_assert_cmpuint (fixture->failures->len, >=, 1);
  failure = g_ptr_array_index (fixture->failures, 0);
  g_assert_error (failure, LENS_CLIENT_ERROR, (int) code);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      LensTask *task = lens_task_list_lookup (fixture->tasks, ids[i]);

      g_assert_cmpstr (lens_task_get_error_message (task), ==, failure->message);
      g_assert_cmpstr (lens_task_get_local_error (task), ==, failure->message);
    }
  /* The running one keeps what its record said. */
  g_assert_cmpint (lens_task_get_progress (lens_task_list_lookup (fixture->tasks, running_id)), ==, 10);

  /* Not asked again, and not said again. */
  n_requests = task_requests (fixture);
  lens_test_spin_for (POLL_MS * 6);
  g_assert_cmpuint (task_requests (fixture), ==, n_requests);
  g_assert_cmpuint (fixture->failures->len, <=, 2);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_FAILED), ==, 4);

  /* The server mends; the user refreshes one task, then all. */
  lens_fake_api_clear_faults (fixture->fake);
  lens_refresher_refresh (fixture->refresher, one);
  WAIT_UNTIL (state_of (fixture, ids[0]) == LENS_TASK_STATE_DONE);
  g_assert_null (lens_task_get_error_message (lens_task_list_lookup (fixture->tasks, ids[0])));
  g_assert_cmpint (state_of (fixture, ids[1]), ==, LENS_TASK_STATE_FAILED);

  g_assert_cmpuint (lens_refresher_refresh_unfinished (fixture->refresher), ==, 3);
  WAIT_UNTIL (count_in_state (fixture, LENS_TASK_STATE_DONE) == 3
              && state_of (fixture, running_id) == LENS_TASK_STATE_RUNNING);
  g_assert_null (lens_task_get_local_error (lens_task_list_lookup (fixture->tasks, running_id)));
}

static void
test_invalid_answer_fails_tasks (Fixture       *fixture,
                                 gconstpointer  data)
{
  LensFakeFault fault = { .kind = LENS_FAKE_FAULT_INVALID_JSON, .target = LENS_FAKE_TARGET_TASKS };

  check_permanent_failure (fixture, &fault, LENS_CLIENT_ERROR_INVALID_RESPONSE);
}

static void
test_not_implemented_fails_tasks (Fixture       *fixture,
                                  gconstpointer  data)
{
  LensFakeFault fault = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                          .status = 400, .code = "api_not_implemented", .retry_after = -1 };

  check_permanent_failure (fixture, &fault, LENS_CLIENT_ERROR_BAD_REQUEST);
}

/* ─── missing from a batch ─────────────────────────────────────────────── */

static guint
count_action (Fixture    *fixture,
              const char *action)
{
  GPtrArray *requests = lens_fake_api_get_requests (fixture->fake);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      LensFakeRequest *request = g_ptr_array_index (requests, i);
      g_autoptr(JsonNode) root = NULL;

      if (g_strcmp0 (request->path, "/midjourney/tasks") != 0 || request->body == NULL)
        continue;
      root = json_from_string (request->body, NULL);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                   "action", NULL),
                        action) == 0)
        n++;
    }
  return n;
}

static void
count_not_found_cb (LensTask   *task,
                    GParamSpec *pspec,
                    guint      *counter)
{
  if (lens_task_get_state (task) == LENS_TASK_STATE_NOT_FOUND)
    (*counter)++;
}

/* The fake server's count still counts a task it hides: the client takes
 * the answer as cut short and asks for the task again in a batch. The
 * running task keeps its state and gets its record; nothing is not found. */
static void
test_hidden_once_stays_running (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *id = lens_fake_api_make_id ("hidden-once");
  const char *ids[] = { id, NULL };
  guint n_not_found = 0;
  guint n_batches;

  put_running_record (fixture, id, 30, 10);
  add_ids (fixture, ids);
  WAIT_UNTIL (state_of (fixture, id) == LENS_TASK_STATE_RUNNING);
  g_signal_connect (lens_task_list_lookup (fixture->tasks, id), "notify::state",
                    G_CALLBACK (count_not_found_cb), &n_not_found);

  /* The hidden answer and the client's follow-up: two batches at least
   * (a poll round already on its way may be the one hidden). */
  n_batches = count_action (fixture, "retrieve_batch");
  lens_fake_api_hide_from_batch (fixture->fake, id, 1);
  put_running_record (fixture, id, 30, 20);
  WAIT_UNTIL (lens_task_get_progress (lens_task_list_lookup (fixture->tasks, id)) == 20);

  g_assert_cmpint (state_of (fixture, id), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpuint (n_not_found, ==, 0);
  g_assert_cmpuint (count_action (fixture, "retrieve_batch"), >=, n_batches + 2);
  g_assert_cmpuint (count_action (fixture, "retrieve"), ==, 0);
  g_signal_handlers_disconnect_by_data (lens_task_list_lookup (fixture->tasks, id), &n_not_found);
}

/* A task found before (it has a record) that the server leaves out of a
 * batch is asked for alone, once; only the single retrieve's {} makes it
 * not found. A task never found is not found by its absence, without a
 * retrieve. */
static void
test_found_before_confirmed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *gone_id = lens_fake_api_make_id ("found-then-gone");
  g_autofree char *gone_json = running_record (gone_id, 60, 10);
  g_autoptr(JsonNode) gone_node = json_from_string (gone_json, NULL);
  g_autoptr(LensTask) gone = lens_task_new (gone_id);
  const char *unknown[] = { "00000000-1111-4222-8333-444444444444", NULL };

  /* Loaded from the history as running; the server no longer knows it. */
  lens_task_update_from_json (gone, gone_node);
  g_assert_cmpint (lens_task_get_state (gone), ==, LENS_TASK_STATE_RUNNING);
  lens_task_list_insert (fixture->tasks, 0, gone);
  add_ids (fixture, unknown);

  wait_until_finished (fixture);
  g_assert_cmpint (state_of (fixture, gone_id), ==, LENS_TASK_STATE_NOT_FOUND);
  g_assert_cmpint (state_of (fixture, unknown[0]), ==, LENS_TASK_STATE_NOT_FOUND);
  g_assert_cmpuint (count_action (fixture, "retrieve"), ==, 1);
  for (guint i = 0; i < task_requests (fixture); i++)
    {
      const char *body = request_body_at (fixture, i);

      if (strstr (body, "\"retrieve\"") != NULL)
        {
          g_assert_nonnull (strstr (body, gone_id));
          g_assert_null (strstr (body, unknown[0]));
        }
    }
  lens_test_spin_for (POLL_MS * 3);
  g_assert_cmpuint (count_action (fixture, "retrieve"), ==, 1);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* The same for a task loaded as a summary, as a start-up leaves every
 * task: it holds no record in memory, but the store says it had one. */
static void
test_found_before_confirmed_from_summary (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autofree char *gone_id = lens_fake_api_make_id ("summary-then-gone");
  LensTaskSummary summary = {
    .id = gone_id, .state = LENS_TASK_STATE_RUNNING, .progress = 10, .task_type = "imagine",
    .created_at = g_get_real_time () / (double) G_USEC_PER_SEC - 60, .finished_at = -1,
    .has_record = TRUE,
  };
  g_autoptr(LensTask) gone = lens_task_new_from_summary (&summary);
  const char *unknown[] = { "00000000-1111-4222-8333-555555555555", NULL };

  g_assert_false (lens_task_has_details (gone));
  lens_task_list_insert (fixture->tasks, 0, gone);
  add_ids (fixture, unknown);

  wait_until_finished (fixture);
  g_assert_cmpint (state_of (fixture, gone_id), ==, LENS_TASK_STATE_NOT_FOUND);
  g_assert_cmpint (state_of (fixture, unknown[0]), ==, LENS_TASK_STATE_NOT_FOUND);
  g_assert_cmpuint (count_action (fixture, "retrieve"), ==, 1);
}

/* A server that reads `count` the other documented way, as the number of
 * items returned: an item it leaves out looks unknown in its batch answer,
 * and only a retrieve tells otherwise. It knows one task, whose batch
 * answers say progress 30 and whose retrieve answers say 40. */
typedef struct
{
  SoupServer *server;
  char       *url;
  char       *id;
  char       *batch_record;
  char       *single_record;
  guint       hide;          /* batch answers that still leave the task out */
  guint       n_batches;
  guint       n_retrieves;
} CountServer;

static void
count_server_cb (SoupServer        *server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  CountServer *self = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (message);
  g_autofree char *text = g_strndup (request->data, request->length);
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  JsonObject *body = json_node_get_object (root);
  const char *action = json_object_get_string_member_with_default (body, "action", "");
  g_autofree char *answer = NULL;

  if (g_str_equal (action, "retrieve"))
    {
      const char *id = json_object_get_string_member_with_default (body, "id", "");

      self->n_retrieves++;
      answer = g_strdup (g_str_equal (id, self->id) ? self->single_record : "{}");
    }
  else
    {
      JsonArray *ids = json_object_get_array_member (body, "ids");
      gboolean asked = FALSE;

      self->n_batches++;
      for (guint i = 0; i < json_array_get_length (ids); i++)
        asked |= g_str_equal (json_array_get_string_element (ids, i), self->id);
      if (asked && self->hide > 0)
        {
          self->hide--;
          asked = FALSE;
        }
      answer = asked ? g_strdup_printf ("{\"items\": [%s], \"count\": 1}", self->batch_record)
                     : g_strdup ("{\"items\": [], \"count\": 0}");
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                    answer, strlen (answer));
}

static void
count_server_start (CountServer *self,
                    const char  *id)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->id = g_strdup (id);
  self->batch_record = running_record (id, 30, 30);
  self->single_record = running_record (id, 30, 40);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, "/midjourney/tasks", count_server_cb, self, NULL);
  g_assert_true (soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
count_server_stop (CountServer *self)
{
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->batch_record, g_free);
  g_clear_pointer (&self->single_record, g_free);
}

/* A running task missing once from a batch answer that does not count it
 * stays running and gets its record from a single retrieve (at the
 * batch's priority); an id never found still ends not found, unconfirmed. */
static void
test_missing_running_task_retrieved (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *id = lens_fake_api_make_id ("missing-once");
  const char *ids[] = { id, NULL };
  const char *unknown[] = { "00000000-1111-4222-8333-444444444444", NULL };
  CountServer server = { 0 };
  guint n_not_found = 0;

  count_server_start (&server, id);
  lens_client_set_base_url (fixture->client, server.url);
  add_ids (fixture, ids);
  WAIT_UNTIL (state_of (fixture, id) == LENS_TASK_STATE_RUNNING);
  g_assert_cmpint (lens_task_get_progress (lens_task_list_lookup (fixture->tasks, id)), ==, 30);
  g_signal_connect (lens_task_list_lookup (fixture->tasks, id), "notify::state",
                    G_CALLBACK (count_not_found_cb), &n_not_found);

  server.hide = 1;
  add_ids (fixture, unknown);
  WAIT_UNTIL (lens_task_get_progress (lens_task_list_lookup (fixture->tasks, id)) == 40);
  WAIT_UNTIL (state_of (fixture, unknown[0]) == LENS_TASK_STATE_NOT_FOUND);

  g_assert_cmpint (state_of (fixture, id), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpuint (n_not_found, ==, 0);
  g_assert_cmpuint (server.hide, ==, 0);
  g_assert_cmpuint (server.n_retrieves, ==, 1);
  lens_test_spin_for (POLL_MS * 3);
  g_assert_cmpuint (server.n_retrieves, ==, 1);
  g_assert_cmpint (state_of (fixture, id), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpuint (fixture->failures->len, ==, 0);

  g_signal_handlers_disconnect_by_data (lens_task_list_lookup (fixture->tasks, id), &n_not_found);
  lens_client_set_base_url (fixture->client, lens_fake_api_get_url (fixture->fake));
  count_server_stop (&server);
}

/* ─── poll rounds ──────────────────────────────────────────────────────── */

/* N running tasks make one request a round; tasks added later join the
 * others' round instead of making rounds of their own. */
static void
test_one_request_per_round (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  const char *first[4], *later[3];
  guint n;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *seed = g_strdup_printf ("round-%u", i);
      g_autofree char *id = lens_fake_api_make_id (seed);

      put_running_record (fixture, id, 0, 30);
      g_strv_builder_add (builder, id);
    }
  ids = g_strv_builder_end (builder);
  memcpy (first, ids, 3 * sizeof (char *));
  first[3] = NULL;
  later[0] = ids[3];
  later[1] = ids[4];
  later[2] = NULL;
  lens_refresher_set_schedule (fixture->refresher, (const guint[]) { 200 }, 1);

  /* The later ones come in 60 ms after the first ones' poll: less than half
   * the interval, so their polls join the first ones'. */
  add_ids (fixture, first);
  WAIT_UNTIL (task_requests (fixture) >= 2 && !lens_refresher_get_busy (fixture->refresher));
  lens_test_spin_for (60);
  add_ids (fixture, later);
  WAIT_UNTIL (task_requests (fixture) >= 7);

  /* The lookups of the later ones were one request; then every round asked
   * for all five together. */
  g_assert_nonnull (strstr (request_body_at (fixture, 2), ids[3]));
  g_assert_null (strstr (request_body_at (fixture, 2), ids[0]));
  n = task_requests (fixture);
  for (guint i = n - 3; i < n; i++)
    for (guint j = 0; ids[j] != NULL; j++)
      g_assert_nonnull (strstr (request_body_at (fixture, i), ids[j]));
}

/* One round over 500 running tasks: split into chunks of 50. */
static void
test_poll_round_of_500 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;

  /* Tasks nearly due (within half an interval) join the round; a second
   * between rounds keeps the ten answers of the first within that, even on
   * a machine busy with sanitizers. */
  lens_refresher_set_schedule (fixture->refresher, (const guint[]) { 1000 }, 1);
  lens_fake_api_set_running_duration (fixture->fake, 600 * 1000);
  ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_RUNNING, 500);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);

  WAIT_UNTIL (task_requests (fixture) >= 10 && !lens_refresher_get_busy (fixture->refresher));
  g_assert_cmpuint (task_requests (fixture), ==, 10);

  lens_fake_api_clear_requests (fixture->fake);
  WAIT_UNTIL (task_requests (fixture) > 0 && !lens_refresher_get_busy (fixture->refresher));
  g_assert_cmpuint (task_requests (fixture), ==, 10);
}

/* A paste answered at the pace the API allows shows each answer as it
 * comes: the first tasks are there while the last still wait their turn. */
static void
test_lookup_shows_as_answered (Fixture       *fixture,
                               gconstpointer  data)
{
  const LensFakeLimits limits = { .requests_per_second = 2,
                                  .retry_after = LENS_FAKE_RETRY_AFTER_SECONDS };
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 200);
  LensTask *first, *last;

  lens_fake_api_set_limits (fixture->fake, &limits);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  first = lens_task_list_lookup (fixture->tasks, ids[0]);
  last = lens_task_list_lookup (fixture->tasks, ids[199]);

  WAIT_UNTIL (lens_task_get_state (first) == LENS_TASK_STATE_DONE);
  g_assert_cmpint (lens_task_get_state (last), ==, LENS_TASK_STATE_QUEUED);
  wait_until_finished (fixture);
  g_assert_cmpint (lens_task_get_state (last), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* The index of the first request to the tasks API that asks for @id, or
 * G_MAXUINT. */
static guint
request_asking_for (Fixture    *fixture,
                    const char *id)
{
  guint n = lens_fake_api_count_requests (fixture->fake, NULL);

  for (guint i = 0; i < n; i++)
    {
      const char *body = request_body_at (fixture, i);

      if (body != NULL && strstr (body, id) != NULL)
        return i;
    }
  return G_MAXUINT;
}

/* Waits until every task is answered and nothing is under way, then says
 * which request first asked for @id, and which for @last_pasted_id. */
static void
locate_when_done (Fixture    *fixture,
                  const char *id,
                  const char *last_pasted_id,
                  guint      *id_at,
                  guint      *last_chunk_at)
{
  wait_until_finished (fixture);
  WAIT_UNTIL (!lens_refresher_get_busy (fixture->refresher));
  *id_at = request_asking_for (fixture, id);
  *last_chunk_at = request_asking_for (fixture, last_pasted_id);
}

/* A task refreshed while a paste's lookups wait for the API goes next: its
 * request is a group of one, which goes before the paste's, not after all
 * ten (lens-scheduler.c). */
static void
test_refresh_before_paste (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_auto(GStrv) first = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1);
  g_auto(GStrv) pasted = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 500);
  guint refresh_at, last_chunk_at;

  lens_task_list_add_ids (fixture->tasks, (const char * const *) first, NULL);
  wait_until_finished (fixture);
  lens_fake_api_clear_requests (fixture->fake);
  /* One request at a time, five a second: the paste's ten take two. */
  lens_scheduler_set_learnt (lens_client_get_scheduler (fixture->client), 5, 1);

  lens_task_list_add_ids (fixture->tasks, (const char * const *) pasted, NULL);
  WAIT_UNTIL (task_requests (fixture) >= 1);
  lens_refresher_refresh (fixture->refresher, (const char * const *) first);
  locate_when_done (fixture, first[0], pasted[499], &refresh_at, &last_chunk_at);
  /* The first of the paste was sent; the refresh went next or the one
   * after (one may have been granted while it was planned), not after the
   * paste's ten. */
  g_assert_cmpuint (refresh_at, <=, 3);
  g_assert_cmpuint (last_chunk_at, ==, 10);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* The same under the API's rate limit, with three more ids pasted: the
 * paste's refused requests ask again first in their group, not first of
 * all, and the three are answered long before the paste is. */
static void
test_few_ids_first_when_throttled (Fixture       *fixture,
                                       gconstpointer  data)
{
  const LensFakeLimits limits = { .requests_per_second = 2,
                                  .retry_after = LENS_FAKE_RETRY_AFTER_SECONDS };
  g_auto(GStrv) pasted = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 500);
  g_auto(GStrv) more = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 3);
  guint n_pasted_done = 0;

  lens_fake_api_set_limits (fixture->fake, &limits);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) pasted, NULL);
  WAIT_UNTIL (task_requests (fixture) >= 2);
  lens_refresher_new_action (fixture->refresher);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) more, NULL);

  WAIT_UNTIL (state_of (fixture, more[0]) == LENS_TASK_STATE_DONE);
  for (guint i = 0; i < 500; i++)
    n_pasted_done += state_of (fixture, pasted[i]) == LENS_TASK_STATE_DONE;
  g_test_message ("the paste's requests: %u; its tasks answered when the three were: %u",
                  task_requests (fixture), n_pasted_done);
  g_assert_cmpuint (n_pasted_done, <=, 250);
  wait_until_finished (fixture);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* Adds @n of @ids from @start, as one slice of lens-intake.c does. */
static void
add_slice (Fixture *fixture,
           GStrv    ids,
           guint    start,
           guint    n)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) slice = NULL;

  for (guint i = start; i < start + n; i++)
    g_strv_builder_add (builder, ids[i]);
  slice = g_strv_builder_end (builder);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) slice, NULL);
}

/* A paste comes in slices (lens-intake.c adds at most 500 ids a main-loop
 * turn), and each slice's pass makes a group of its own. A refresh of many
 * tasks asked for before the paste is not answered after all of it: that
 * is the wait the scheduler's groups were to spare it. */
static void
test_refresh_not_after_sliced_paste (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_auto(GStrv) old = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 200);
  g_auto(GStrv) pasted = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1000);
  guint refresh_at, last_chunk_at;

  lens_task_list_add_ids (fixture->tasks, (const char * const *) old, NULL);
  wait_until_finished (fixture);
  lens_fake_api_clear_requests (fixture->fake);
  /* One request at a time, five a second. */
  lens_scheduler_set_learnt (lens_client_get_scheduler (fixture->client), 5, 1);

  /* The paste's first slice goes; then the refresh (four requests); then
   * the rest of the paste, a slice (two requests) a main-loop turn or so. */
  add_slice (fixture, pasted, 0, 100);
  WAIT_UNTIL (task_requests (fixture) >= 1);
  lens_refresher_refresh (fixture->refresher, (const char * const *) old);
  lens_test_spin_for (20);
  for (guint slice = 1; slice < 10; slice++)
    {
      add_slice (fixture, pasted, 100 * slice, 100);
      lens_test_spin_for (20);
    }
  locate_when_done (fixture, old[0], pasted[999], &refresh_at, &last_chunk_at);
  g_test_message ("the refresh went %uth, the paste's last chunk %uth", refresh_at, last_chunk_at);
  g_assert_cmpuint (refresh_at, <, last_chunk_at);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* The intake adds a text or file whole before the next one starts: a few
 * ids pasted, or a task refreshed, while a large paste is still being added
 * come a main-loop turn after its last slice, and are an action of their
 * own all the same (the intake says when a text starts: the context calls
 * lens_refresher_new_action(), as this test does). They go with the next
 * request or the one after, not after the whole paste. With @refresh, a
 * task is refreshed. */
static void
check_action_after_last_slice (Fixture  *fixture,
                               gboolean  refresh)
{
  g_auto(GStrv) old = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1);
  g_auto(GStrv) pasted = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1000);
  g_auto(GStrv) more = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 3);
  const char *probe_id = refresh ? old[0] : more[0];
  guint sent_before, asked_at, last_chunk_at;

  if (refresh)
    {
      lens_task_list_add_ids (fixture->tasks, (const char * const *) old, NULL);
      wait_until_finished (fixture);
      lens_fake_api_clear_requests (fixture->fake);
    }
  /* One request at a time, five a second. */
  lens_scheduler_set_learnt (lens_client_get_scheduler (fixture->client), 5, 1);
  lens_refresher_new_action (fixture->refresher);
  for (guint slice = 0; slice < 10; slice++)
    {
      add_slice (fixture, pasted, 100 * slice, 100);
      lens_test_spin_for (20);
    }
  sent_before = task_requests (fixture);
  if (refresh)
    {
      lens_refresher_refresh (fixture->refresher, (const char * const *) old);
    }
  else
    {
      lens_refresher_new_action (fixture->refresher);
      lens_task_list_add_ids (fixture->tasks, (const char * const *) more, NULL);
    }
  locate_when_done (fixture, probe_id, pasted[999], &asked_at, &last_chunk_at);
  g_test_message ("%u requests had gone; the user's went %uth, the paste's last chunk %uth",
                  sent_before, asked_at, last_chunk_at);
  g_assert_cmpuint (asked_at, <=, sent_before + 2);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

static void
test_few_ids_after_last_slice (Fixture       *fixture,
                               gconstpointer  data)
{
  check_action_after_last_slice (fixture, FALSE);
}

static void
test_refresh_after_last_slice (Fixture       *fixture,
                               gconstpointer  data)
{
  check_action_after_last_slice (fixture, TRUE);
}

/* The tasks of an action belong to its group however late the pass that
 * plans them reaches them: a few ids pasted while a pass over a large paste
 * is under way go before the rest of that paste, not behind it in a group
 * the rest of the paste was moved into. A slice looks at 64 tasks here, so
 * the pass takes many turns, as it does over 100,000 tasks. */
static void
test_action_during_a_pass (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(GStrv) pasted = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1000);
  g_auto(GStrv) more = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 3);
  guint more_at, last_chunk_at;

  lens_refresher_set_tick_budget (fixture->refresher, 0);
  lens_scheduler_set_learnt (lens_client_get_scheduler (fixture->client), 5, 1);
  lens_refresher_new_action (fixture->refresher);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) pasted, NULL);
  /* A few slices of the pass: some of the paste planned, most not yet. */
  for (guint turn = 0; turn < 4; turn++)
    g_main_context_iteration (NULL, FALSE);
  lens_refresher_new_action (fixture->refresher);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) more, NULL);
  locate_when_done (fixture, more[0], pasted[999], &more_at, &last_chunk_at);
  g_test_message ("the three went %uth, the paste's last chunk %uth", more_at, last_chunk_at);
  g_assert_cmpuint (more_at, <=, 2);
  g_assert_cmpuint (last_chunk_at, ==, 20);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* The slices of one paste, added a main-loop turn after the other (as
 * lens-intake.c adds a large one), are one group however small each is: a
 * few ids pasted next go next, not after every slice. */
static void
test_slices_are_one_paste (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(GStrv) pasted = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1000);
  g_auto(GStrv) more = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 3);
  guint more_at, last_chunk_at;

  /* One request at a time, five a second. */
  lens_scheduler_set_learnt (lens_client_get_scheduler (fixture->client), 5, 1);
  lens_refresher_new_action (fixture->refresher);
  for (guint slice = 0; slice < 10; slice++)
    {
      add_slice (fixture, pasted, 100 * slice, 100);
      lens_test_spin_for (10);
    }
  lens_refresher_new_action (fixture->refresher);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) more, NULL);
  locate_when_done (fixture, more[0], pasted[999], &more_at, &last_chunk_at);
  g_test_message ("the three went %uth, the paste's last chunk %uth", more_at, last_chunk_at);
  g_assert_cmpuint (more_at, <=, 4);
  g_assert_cmpuint (last_chunk_at, ==, 20);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* A poll round over N running tasks costs ⌈N/50⌉ requests, never N: 120
 * tasks are two full chunks and one of 20, each task asked for once. */
static void
test_poll_round_of_120 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GHashTable) asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) ids = NULL;
  guint sizes[3] = { 0 };

  lens_refresher_set_schedule (fixture->refresher, (const guint[]) { 1000 }, 1);
  lens_fake_api_set_running_duration (fixture->fake, 600 * 1000);
  ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_RUNNING, 120);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);

  /* The first lookup. */
  WAIT_UNTIL (task_requests (fixture) >= 3 && !lens_refresher_get_busy (fixture->refresher));
  g_assert_cmpuint (task_requests (fixture), ==, 3);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_RUNNING)
                    + count_in_state (fixture, LENS_TASK_STATE_PENDING), ==, 120);

  /* One poll round. */
  lens_fake_api_clear_requests (fixture->fake);
  WAIT_UNTIL (task_requests (fixture) > 0 && !lens_refresher_get_busy (fixture->refresher));
  g_assert_cmpuint (task_requests (fixture), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) body = json_from_string (request_body_at (fixture, i), NULL);
      JsonArray *asked_ids = json_object_get_array_member (json_node_get_object (body), "ids");

      sizes[i] = json_array_get_length (asked_ids);
      for (guint j = 0; j < sizes[i]; j++)
        g_hash_table_add (asked, g_strdup (json_array_get_string_element (asked_ids, j)));
    }
  g_assert_cmpuint (sizes[0] + sizes[1] + sizes[2], ==, 120);
  g_assert_cmpuint (MAX (sizes[0], MAX (sizes[1], sizes[2])), ==, 50);
  g_assert_cmpuint (g_hash_table_size (asked), ==, 120);
}

/* The chunks of a poll round leave one per minimum request interval, and
 * together ask for every task once. */
static void
test_poll_round_rate (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) ids = NULL;
  gint64 seen_at[10];
  guint n_seen = 0;

  lens_fake_api_set_running_duration (fixture->fake, 600 * 1000);
  lens_refresher_set_min_request_interval (fixture->refresher, 50);
  /* Each chunk of the lookup is answered on its own: a first interval long
   * enough for all ten makes them one round. */
  lens_refresher_set_schedule (fixture->refresher, (const guint[]) { 1000 }, 1);
  ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_RUNNING, 500);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);

  /* The lookup of new ids is one user action: it goes out at once. */
  WAIT_UNTIL (task_requests (fixture) >= 10 && !lens_refresher_get_busy (fixture->refresher));
  g_assert_cmpuint (task_requests (fixture), ==, 10);
  lens_fake_api_clear_requests (fixture->fake);

  while (n_seen < 10)
    {
      WAIT_UNTIL (task_requests (fixture) > n_seen);
      g_assert_cmpuint (task_requests (fixture), ==, n_seen + 1);
      seen_at[n_seen++] = g_get_monotonic_time ();
    }

  for (guint i = 1; i < 10; i++)
    g_assert_cmpint (seen_at[i] - seen_at[i - 1], >=, 20 * 1000);
  g_assert_cmpint (seen_at[9] - seen_at[0], >=, (9 * 50 - 20) * 1000);

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(JsonNode) body = json_from_string (request_body_at (fixture, i), NULL);
      JsonArray *asked_ids = json_object_get_array_member (json_node_get_object (body), "ids");

      g_assert_cmpuint (json_array_get_length (asked_ids), ==, 50);
      for (guint j = 0; j < 50; j++)
        g_hash_table_add (asked, g_strdup (json_array_get_string_element (asked_ids, j)));
    }
  g_assert_cmpuint (g_hash_table_size (asked), ==, 500);
}

/* A task whose progress does not move is asked for less and less often. */
static void
test_backoff_while_unchanged (Fixture       *fixture,
                              gconstpointer  data)
{
  static const guint schedule[] = { 50, 100, 200 };
  g_autofree char *id = lens_fake_api_make_id ("unchanged");
  const char *ids[] = { id, NULL };
  gint64 second_at;

  lens_refresher_set_schedule (fixture->refresher, schedule, G_N_ELEMENTS (schedule));
  put_running_record (fixture, id, 0, 40);
  add_ids (fixture, ids);

  /* Lookup, then polls 50, 100, 200 and 200 ms after each answer: without
   * backoff the three after the first poll would take 150 ms. */
  WAIT_UNTIL (task_requests (fixture) >= 2);
  second_at = g_get_monotonic_time ();
  WAIT_UNTIL (task_requests (fixture) >= 5);
  g_assert_cmpint (g_get_monotonic_time () - second_at, >=, (100 + 200 + 200 - 20) * 1000);

  /* And in a further 600 ms, three more at most (every 200 ms). */
  lens_test_spin_for (600);
  g_assert_cmpuint (task_requests (fixture), <=, 5 + 3 + 1);
  g_assert_cmpint (state_of (fixture, id), ==, LENS_TASK_STATE_RUNNING);
}

/* While a task moves it stays on the fastest step; once it stops, it backs
 * off. With a last step of ten seconds, a refresher that did not go back
 * to fast could not follow twenty moves before the deadline. */
static void
test_fast_again_when_progress_moves (Fixture       *fixture,
                                     gconstpointer  data)
{
  static const guint schedule[] = { 50, 200, 10000 };
  g_autofree char *id = lens_fake_api_make_id ("moving");
  const char *ids[] = { id, NULL };
  Mover mover = { fixture, 0, 30 };
  guint n;

  lens_refresher_set_schedule (fixture->refresher, schedule, G_N_ELEMENTS (schedule));
  put_running_record (fixture, id, 0, 10);
  add_ids (fixture, ids);
  g_signal_connect (lens_task_list_lookup (fixture->tasks, id), "notify::progress",
                    G_CALLBACK (move_progress_cb), &mover);

  WAIT_UNTIL (lens_task_get_progress (lens_task_list_lookup (fixture->tasks, id)) == 30);
  n = task_requests (fixture);
  g_assert_cmpuint (n, >=, 21);

  /* Stopped: one poll after 50 ms, one after 200 ms, then ten seconds. */
  lens_test_spin_for (700);
  g_assert_cmpuint (task_requests (fixture), <=, n + 2);
  g_signal_handlers_disconnect_by_data (lens_task_list_lookup (fixture->tasks, id), &mover);
}

static void
remove_ids (Fixture     *fixture,
            const char **ids)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (tasks, g_object_ref (lens_task_list_lookup (fixture->tasks, ids[i])));
  lens_task_list_remove_tasks (fixture->tasks, tasks);
}

/* Whether the last request for tasks asked for @id. */
static gboolean
last_request_asks_for (Fixture    *fixture,
                       const char *id)
{
  GPtrArray *requests = lens_fake_api_get_requests (fixture->fake);

  for (guint i = requests->len; i > 0; i--)
    {
      LensFakeRequest *request = g_ptr_array_index (requests, i - 1);

      if (g_str_has_prefix (request->path, "/midjourney/tasks"))
        return strstr (request->body, id) != NULL;
    }
  return FALSE;
}

/* A running task removed and pasted again is new: looked up at once, not
 * when its old turn comes, a minute later. The schedule forgets it by its
 * id when fewer tasks left than it watches, and by asking the list for
 * each task it watches when all of them left. */
static void
test_removed_task_is_new_again (Fixture       *fixture,
                                gconstpointer  data)
{
  static const guint schedule[] = { 60000 };
  g_autofree char *first = lens_fake_api_make_id ("removed alone");
  g_autofree char *second = lens_fake_api_make_id ("removed with all");
  g_autofree char *third = lens_fake_api_make_id ("removed last");
  const char *all[] = { first, second, third, NULL };
  const char *alone[] = { first, NULL };
  const char *again[] = { second, NULL };
  guint n;

  lens_refresher_set_schedule (fixture->refresher, schedule, G_N_ELEMENTS (schedule));
  for (guint i = 0; all[i] != NULL; i++)
    put_running_record (fixture, all[i], 0, 10);
  add_ids (fixture, all);
  WAIT_UNTIL (count_in_state (fixture, LENS_TASK_STATE_RUNNING) == 3);

  n = task_requests (fixture);
  remove_ids (fixture, alone);
  add_ids (fixture, alone);
  WAIT_UNTIL (task_requests (fixture) > n);
  g_assert_true (last_request_asks_for (fixture, first));
  WAIT_UNTIL (state_of (fixture, first) == LENS_TASK_STATE_RUNNING);

  n = task_requests (fixture);
  remove_ids (fixture, all);
  add_ids (fixture, again);
  WAIT_UNTIL (task_requests (fixture) > n);
  g_assert_true (last_request_asks_for (fixture, second));
}

/* A tick is a pass over the list, a slice a turn of the main loop (here a
 * few dozen tasks, with no time budget). Every task is looked up, those
 * pasted at the top while a pass is under way too (another pass follows),
 * and in whole chunks: slices do not make a request each. */
static void
test_tick_in_slices (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1000);
  g_auto(GStrv) late = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 5);

  lens_refresher_set_tick_budget (fixture->refresher, 0);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  for (guint i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (task_requests (fixture), <, 1000 / lens_client_get_chunk_size (fixture->client));
  lens_task_list_insert_ids (fixture->tasks, 0, (const char * const *) late);
  wait_until_finished (fixture);

  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_DONE), ==, 1005);
  /* 1,000 in whole chunks of 50, the 5 pasted later in one more. */
  g_assert_cmpuint (task_requests (fixture), ==, 1000 / lens_client_get_chunk_size (fixture->client) + 1);
}

/* Tasks removed from before the place a pass reached move the tasks after
 * them back over it: another pass reads them. Here a pass reads its first
 * slice, then 40 tasks before a new one are removed; the new one, moved
 * into what the pass had read, is looked up all the same. */
static void
test_removal_during_pass (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(GStrv) done = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 200);
  g_auto(GStrv) late = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1);
  g_autoptr(GPtrArray) first = g_ptr_array_new ();

  lens_task_list_add_ids (fixture->tasks, (const char * const *) done, NULL);
  wait_until_finished (fixture);
  lens_test_spin_for (100);

  /* A few dozen tasks a slice: the pass the new task starts reads the
   * first 63 in its first turn. */
  lens_refresher_set_tick_budget (fixture->refresher, 0);
  lens_task_list_insert_ids (fixture->tasks, 100, (const char * const *) late);
  g_main_context_iteration (NULL, FALSE);
  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (first, lens_task_list_peek (fixture->tasks, i));
  lens_task_list_remove_tasks (fixture->tasks, first);

  WAIT_UNTIL (state_of (fixture, late[0]) == LENS_TASK_STATE_DONE);
}

/* ─── stalled tasks ────────────────────────────────────────────────────── */

/* Created an hour ago and not moving: stalled once it has not moved for the
 * limit, no longer polled, and asked again when the user says so. */
static void
test_stalled_and_checked_again (Fixture       *fixture,
                                gconstpointer  data)
{
  static const guint schedule[] = { 50, 100, 200 };
  g_autofree char *id = lens_fake_api_make_id ("stalled");
  const char *ids[] = { id, NULL };
  gint64 start = g_get_monotonic_time ();
  guint n;

  lens_refresher_set_schedule (fixture->refresher, schedule, G_N_ELEMENTS (schedule));
  lens_refresher_set_stall_after (fixture->refresher, 1);
  put_running_record (fixture, id, 3600, 40);
  add_ids (fixture, ids);

  WAIT_UNTIL (state_of (fixture, id) == LENS_TASK_STATE_STALLED);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (fixture->finished->len, ==, 0);
  n = task_requests (fixture);
  lens_test_spin_for (500);
  g_assert_cmpuint (task_requests (fixture), ==, n);

  /* "Check again": asked at once, and watched again from there. */
  lens_refresher_refresh (fixture->refresher, ids);
  WAIT_UNTIL (task_requests (fixture) >= n + 2);
  g_assert_cmpint (state_of (fixture, id), ==, LENS_TASK_STATE_RUNNING);
}

/* Stalled and not found outlast a restart (they are kept in the history
 * beside the record): loaded so, neither is asked for, though their
 * records say running; the stalled one is, once the user asks. */
static void
test_loaded_states_not_polled (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("refresher-history");
  g_autofree char *path = g_build_filename (dir, "tasks.db", NULL);
  g_autofree char *stalled_id = lens_fake_api_make_id ("stalled-before-restart");
  g_autofree char *gone_id = lens_fake_api_make_id ("gone-before-restart");
  g_autofree char *stalled_json = running_record (stalled_id, 3600, 40);
  g_autofree char *gone_json = running_record (gone_id, 60, 10);
  g_autoptr(LensTask) stalled = lens_task_new (stalled_id);
  g_autoptr(LensTask) gone = lens_task_new (gone_id);
  g_autoptr(JsonNode) stalled_node = json_from_string (stalled_json, NULL);
  g_autoptr(JsonNode) gone_node = json_from_string (gone_json, NULL);
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  g_auto(LensTestLoaded) before = { 0 };
  g_auto(LensTestLoaded) loaded = { 0 };
  g_autoptr(GError) error = NULL;
  const char *ids[] = { stalled_id, NULL };

  /* The last run: both were running, then one stalled and the server
   * forgot the other. The server would say running for both now. */
  lens_fake_api_add_record (fixture->fake, stalled_json);
  lens_fake_api_add_record (fixture->fake, gone_json);
  lens_task_update_from_json (stalled, stalled_node);
  lens_task_update_from_json (gone, gone_node);
  lens_task_mark_stalled (stalled);
  lens_task_mark_not_found (gone);
  lens_test_store_load (store, &before);
  g_assert_no_error (before.error);
  g_ptr_array_add (changes, lens_store_change_new_put (stalled, 0, lens_task_get_raw_json (stalled), 0, 1700000000));
  g_ptr_array_add (changes, lens_store_change_new_put (gone, 1, lens_task_get_raw_json (gone), 0, 1700000000));
  g_assert_true (lens_task_store_write_sync (store, changes, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* The restart. */
  store = lens_task_store_new (path);
  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_cmpuint (loaded.tasks->len, ==, 2);
  lens_task_list_append_tasks (fixture->tasks, loaded.tasks);
  g_assert_cmpint (state_of (fixture, stalled_id), ==, LENS_TASK_STATE_STALLED);
  g_assert_cmpint (state_of (fixture, gone_id), ==, LENS_TASK_STATE_NOT_FOUND);

  lens_test_spin_for (POLL_MS * 5);
  g_assert_cmpuint (task_requests (fixture), ==, 0);

  lens_refresher_refresh (fixture->refresher, ids);
  WAIT_UNTIL (state_of (fixture, stalled_id) == LENS_TASK_STATE_RUNNING);
  g_assert_nonnull (strstr (request_body_at (fixture, 0), stalled_id));
  for (guint i = 0; i < task_requests (fixture); i++)
    g_assert_null (strstr (request_body_at (fixture, i), gone_id));
  g_assert_cmpint (state_of (fixture, gone_id), ==, LENS_TASK_STATE_NOT_FOUND);

  g_assert_finalize_object (g_steal_pointer (&store));
  lens_test_remove_tree (dir);
}

/* A running task whose creation time no 64-bit count of microseconds holds
 * (1e300) has no known age: it is polled as any other, and nothing converts
 * the time without a bound (the sanitizers would see it). */
static void
test_huge_created_at (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *id = lens_fake_api_make_id ("created-in-1e300");
  g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\", \"created_at\": 1e300,"
                                           " \"request\": {\"prompt\": \"far future\"},"
                                           " \"response\": {\"success\": true, \"progress\": 40}}", id);
  const char *ids[] = { id, NULL };

  lens_refresher_set_stall_after (fixture->refresher, 1);
  lens_fake_api_add_record (fixture->fake, json);
  add_ids (fixture, ids);

  WAIT_UNTIL (task_requests (fixture) >= 3);
  g_assert_cmpint (state_of (fixture, id), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpfloat (lens_task_get_created_at (lens_task_list_lookup (fixture->tasks, id)), ==, -1);
}

/* An old task that keeps moving is not stalled. */
static void
test_moving_task_not_stalled (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = lens_fake_api_make_id ("old-but-moving");
  const char *ids[] = { id, NULL };
  Mover mover = { fixture, 3600, 99 };

  lens_refresher_set_stall_after (fixture->refresher, 1);
  put_running_record (fixture, id, 3600, 1);
  add_ids (fixture, ids);
  g_signal_connect (lens_task_list_lookup (fixture->tasks, id), "notify::progress",
                    G_CALLBACK (move_progress_cb), &mover);

  lens_test_spin_for (1500);
  g_assert_cmpint (state_of (fixture, id), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpint (lens_task_get_progress (lens_task_list_lookup (fixture->tasks, id)), >, 3);
  g_signal_handlers_disconnect_by_data (lens_task_list_lookup (fixture->tasks, id), &mover);
}

/* ─── pauses ───────────────────────────────────────────────────────────── */

/* A rejected token stops all asking, new ids included, until the token
 * changes; then everything is asked for and followed to the end. */
static void
test_pause_on_401_until_token_changes (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_auto(GStrv) done = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 2);
  g_auto(GStrv) running = NULL;

  /* Long enough to be still running when the pause ends. */
  lens_fake_api_set_running_duration (fixture->fake, 1500);
  running = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_RUNNING, 2);
  lens_client_set_token (fixture->client, "not-the-token");
  g_assert_cmpint (lens_refresher_get_pause (fixture->refresher), ==, LENS_REFRESHER_PAUSE_NONE);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) done, NULL);

  WAIT_UNTIL (lens_refresher_get_pause (fixture->refresher) == LENS_REFRESHER_PAUSE_UNAUTHORIZED);
  g_assert_cmpuint (fixture->n_pause_notifies, ==, 1);
  g_assert_nonnull (lens_refresher_get_pause_message (fixture->refresher));
  g_assert_null (strstr (lens_refresher_get_pause_message (fixture->refresher), "not-the-token"));
  g_assert_cmpuint (task_requests (fixture), ==, 1);
  g_assert_cmpuint (fixture->failures->len, ==, 0);

  lens_task_list_add_ids (fixture->tasks, (const char * const *) running, NULL);
  lens_test_spin_for (POLL_MS * 3);
  g_assert_cmpuint (task_requests (fixture), ==, 1);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_QUEUED), ==, 4);

  lens_client_set_token (fixture->client, TOKEN);
  g_assert_cmpint (lens_refresher_get_pause (fixture->refresher), ==, LENS_REFRESHER_PAUSE_NONE);
  g_assert_null (lens_refresher_get_pause_message (fixture->refresher));
  wait_until_finished (fixture);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_DONE), ==, 4);
  g_assert_cmpuint (fixture->finished->len, ==, 2);
}

typedef struct
{
  guint               status;
  const char         *code;
  LensRefresherPause  pause;
} PauseCase;

static const PauseCase pause_cases[] = {
  { 402, NULL, LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED },
  { 403, "used_up", LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED },
  { 403, "forbidden", LENS_REFRESHER_PAUSE_FORBIDDEN },
  { 404, NULL, LENS_REFRESHER_PAUSE_WRONG_URL },
};

/* Each account or address problem pauses with its own reason, and
 * lens_refresher_resume() (the banner's "Try Again") asks again. */
static void
test_pause_reasons (Fixture       *fixture,
                    gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (pause_cases); i++)
    {
      const PauseCase *c = &pause_cases[i];
      g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 2);
      LensFakeFault fault = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                              .status = c->status, .code = c->code, .retry_after = -1 };
      guint n = task_requests (fixture);

      lens_fake_api_push_fault (fixture->fake, &fault, 1);
      lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
      WAIT_UNTIL (lens_refresher_get_pause (fixture->refresher) != LENS_REFRESHER_PAUSE_NONE);
      g_assert_cmpint (lens_refresher_get_pause (fixture->refresher), ==, c->pause);
      lens_test_spin_for (POLL_MS * 2);
      g_assert_cmpuint (task_requests (fixture), ==, n + 1);

      lens_refresher_resume (fixture->refresher);
      wait_until_finished (fixture);
      g_assert_cmpint (lens_refresher_get_pause (fixture->refresher), ==, LENS_REFRESHER_PAUSE_NONE);
      g_assert_cmpuint (task_requests (fixture), ==, n + 2);
    }
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* Without a token nothing is asked, from the start. */
static void
test_no_token_at_start (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 2);

  g_assert_cmpint (lens_refresher_get_pause (fixture->refresher), ==,
                   LENS_REFRESHER_PAUSE_NO_TOKEN);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  lens_test_spin_for (POLL_MS * 2);
  g_assert_cmpuint (task_requests (fixture), ==, 0);

  lens_client_set_token (fixture->client, TOKEN);
  wait_until_finished (fixture);
  g_assert_cmpuint (task_requests (fixture), ==, 1);
}

/* A 429 never reaches the refresher: the client's scheduler holds the
 * request (Retry-After: 0 still waits a second) and says it is throttled
 * until everything is answered; no failure is reported, no task marked. */
static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 3);
  LensFakeFault slow_down = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                              .status = 429, .retry_after = 0 };
  LensScheduler *scheduler = lens_client_get_scheduler (fixture->client);
  gint64 limited_at;

  lens_fake_api_push_fault (fixture->fake, &slow_down, 1);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);

  WAIT_UNTIL (lens_scheduler_get_throttled (scheduler));
  limited_at = g_get_monotonic_time ();
  g_assert_cmpuint (task_requests (fixture), ==, 1);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 3);
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (fixture->tasks, ids[i])), ==,
                     LENS_TASK_STATE_QUEUED);

  wait_until_finished (fixture);
  g_assert_cmpint (g_get_monotonic_time () - limited_at, >=, 900 * 1000);
  WAIT_UNTIL (!lens_scheduler_get_throttled (scheduler));
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 0);
  g_assert_cmpuint (fixture->n_rate_notifies, ==, 2);
  g_assert_cmpuint (task_requests (fixture), ==, 2);
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* No network: nothing is asked, not even new ids; back online, asking
 * resumes by itself. */
static void
test_offline_and_back (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(GStrv) running = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_RUNNING, 2);
  g_auto(GStrv) done = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1);
  guint n;

  lens_fake_api_set_running_duration (fixture->fake, 600 * 1000);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) running, NULL);
  WAIT_UNTIL (task_requests (fixture) >= 2);

  test_monitor_set_available (fixture->monitor, FALSE);
  g_assert_cmpint (lens_refresher_get_pause (fixture->refresher), ==, LENS_REFRESHER_PAUSE_OFFLINE);
  WAIT_UNTIL (!lens_refresher_get_busy (fixture->refresher));
  n = task_requests (fixture);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) done, NULL);
  lens_test_spin_for (POLL_MS * 4);
  g_assert_cmpuint (task_requests (fixture), ==, n);
  g_assert_cmpint (state_of (fixture, done[0]), ==, LENS_TASK_STATE_QUEUED);

  test_monitor_set_available (fixture->monitor, TRUE);
  g_assert_cmpint (lens_refresher_get_pause (fixture->refresher), ==, LENS_REFRESHER_PAUSE_NONE);
  WAIT_UNTIL (state_of (fixture, done[0]) == LENS_TASK_STATE_DONE
              && task_requests (fixture) >= n + 3);
}

/* A server that cannot be reached (here: it drops every connection) pauses
 * asking without a failure for a toast, the tasks held for later; probes
 * come back now and then, and the first answer resumes everything. */
static void
test_unreachable_and_back (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(GStrv) done = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 3);
  LensFakeFault reset = { .kind = LENS_FAKE_FAULT_RESET };
  guint n;

  lens_refresher_set_unreachable_retry (fixture->refresher, 100, 200);
  lens_fake_api_push_fault (fixture->fake, &reset, G_MAXUINT);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) done, NULL);

  WAIT_UNTIL (lens_refresher_get_pause (fixture->refresher) == LENS_REFRESHER_PAUSE_UNREACHABLE);
  g_assert_nonnull (lens_refresher_get_pause_message (fixture->refresher));
  g_assert_cmpuint (fixture->failures->len, ==, 0);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_QUEUED), ==, 3);

  /* Probes go on while it stays away, and the pause with them. */
  n = task_requests (fixture);
  WAIT_UNTIL (task_requests (fixture) >= n + 2);
  g_assert_cmpint (lens_refresher_get_pause (fixture->refresher), ==, LENS_REFRESHER_PAUSE_UNREACHABLE);
  g_assert_cmpuint (fixture->failures->len, ==, 0);

  lens_fake_api_clear_faults (fixture->fake);
  WAIT_UNTIL (lens_refresher_get_pause (fixture->refresher) == LENS_REFRESHER_PAUSE_NONE);
  WAIT_UNTIL (count_in_state (fixture, LENS_TASK_STATE_DONE) == 3);
  g_assert_null (lens_refresher_get_pause_message (fixture->refresher));
  g_assert_cmpuint (fixture->failures->len, ==, 0);
}

/* Polling off: new ids are looked up once, running ones not polled, except
 * when the user asks. */
static void
test_polling_disabled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(GStrv) running = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_RUNNING, 3);
  gboolean enabled = TRUE;

  lens_fake_api_set_running_duration (fixture->fake, 600 * 1000);
  g_object_set (fixture->refresher, "polling-enabled", FALSE, NULL);
  g_assert_false (lens_refresher_get_polling_enabled (fixture->refresher));
  lens_task_list_add_ids (fixture->tasks, (const char * const *) running, NULL);

  WAIT_UNTIL (task_requests (fixture) == 1 && !lens_refresher_get_busy (fixture->refresher));
  lens_test_spin_for (POLL_MS * 4);
  g_assert_cmpuint (task_requests (fixture), ==, 1);
  g_assert_cmpuint (count_finished (fixture), ==, 0);
  g_assert_cmpuint (count_in_state (fixture, LENS_TASK_STATE_QUEUED), ==, 0);

  g_assert_cmpuint (lens_refresher_refresh_unfinished (fixture->refresher), ==, 3);
  WAIT_UNTIL (task_requests (fixture) == 2 && !lens_refresher_get_busy (fixture->refresher));
  lens_test_spin_for (POLL_MS * 2);
  g_assert_cmpuint (task_requests (fixture), ==, 2);

  lens_refresher_set_polling_enabled (fixture->refresher, TRUE);
  g_object_get (fixture->refresher, "polling-enabled", &enabled, NULL);
  g_assert_true (enabled);
  WAIT_UNTIL (task_requests (fixture) >= 4);
}

/* Disposing the refresher mid-request cancels it; the late answer does not
 * reach the refresher (the sanitizers would see it). */
static void
test_dispose_while_asking (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 2);
  LensFakeFault slow = { .kind = LENS_FAKE_FAULT_DELAY, .target = LENS_FAKE_TARGET_TASKS,
                         .delay_ms = 200, .retry_after = -1 };

  lens_fake_api_push_fault (fixture->fake, &slow, 1);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) ids, NULL);
  WAIT_UNTIL (lens_refresher_get_busy (fixture->refresher) && task_requests (fixture) == 1);
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *path;
    void      (*func) (Fixture *, gconstpointer);
  } tests[] = {
    { "/refresher/new-ids-in-one-batch", test_new_ids_in_one_batch },
    { "/refresher/held-asks-nothing", test_held_asks_nothing },
    { "/refresher/answers-applied-at-idle-priority", test_answers_applied_at_idle_priority },
    { "/refresher/finished-not-polled", test_finished_not_polled },
    { "/refresher/running-polled-until-done", test_running_polled_until_done },
    { "/refresher/refresh-finished-task", test_refresh_finished_task },
    { "/refresher/refresh-in-slices", test_refresh_in_slices },
    { "/refresher/refresh-slices-let-frames-through", test_refresh_slices_let_frames_through },
    { "/refresher/refresh-in-slices-busy-throughout", test_refresh_in_slices_busy_throughout },
    { "/refresher/removed-task-is-new-again", test_removed_task_is_new_again },
    { "/refresher/tick-in-slices", test_tick_in_slices },
    { "/refresher/removal-during-pass", test_removal_during_pass },
    { "/refresher/failure-reported-and-retried", test_failure_reported_and_retried },
    { "/refresher/permanent/invalid-answer", test_invalid_answer_fails_tasks },
    { "/refresher/permanent/not-implemented", test_not_implemented_fails_tasks },
    { "/refresher/missing/hidden-once-stays-running", test_hidden_once_stays_running },
    { "/refresher/missing/found-before-confirmed", test_found_before_confirmed },
    { "/refresher/missing/found-before-confirmed-from-summary", test_found_before_confirmed_from_summary },
    { "/refresher/missing/running-task-retrieved", test_missing_running_task_retrieved },
    { "/refresher/one-request-per-round", test_one_request_per_round },
    { "/refresher/poll-round-of-500", test_poll_round_of_500 },
    { "/refresher/poll-round-of-120", test_poll_round_of_120 },
    { "/refresher/poll-round-rate", test_poll_round_rate },
    { "/refresher/lookup-shows-as-answered", test_lookup_shows_as_answered },
    { "/refresher/refresh-before-paste", test_refresh_before_paste },
    { "/refresher/few-ids-first-when-throttled", test_few_ids_first_when_throttled },
    { "/refresher/refresh-not-after-sliced-paste", test_refresh_not_after_sliced_paste },
    { "/refresher/slices-are-one-paste", test_slices_are_one_paste },
    { "/refresher/few-ids-after-last-slice", test_few_ids_after_last_slice },
    { "/refresher/action-during-a-pass", test_action_during_a_pass },
    { "/refresher/refresh-after-last-slice", test_refresh_after_last_slice },
    { "/refresher/backoff-while-unchanged", test_backoff_while_unchanged },
    { "/refresher/fast-again-when-progress-moves", test_fast_again_when_progress_moves },
    { "/refresher/stalled-and-checked-again", test_stalled_and_checked_again },
    { "/refresher/moving-task-not-stalled", test_moving_task_not_stalled },
    { "/refresher/loaded-states-not-polled", test_loaded_states_not_polled },
    { "/refresher/huge-created-at", test_huge_created_at },
    { "/refresher/pause-on-401-until-token-changes", test_pause_on_401_until_token_changes },
    { "/refresher/pause-reasons", test_pause_reasons },
    { "/refresher/rate-limited", test_rate_limited },
    { "/refresher/offline-and-back", test_offline_and_back },
    { "/refresher/unreachable-and-back", test_unreachable_and_back },
    { "/refresher/polling-disabled", test_polling_disabled },
    { "/refresher/dispose-while-asking", test_dispose_while_asking },
  };

  lens_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add (tests[i].path, Fixture, NULL, fixture_set_up, tests[i].func, fixture_tear_down);
  /* Any non-NULL data starts the client without a token. */
  g_test_add ("/refresher/no-token-at-start", Fixture, "no token", fixture_set_up,
              test_no_token_at_start, fixture_tear_down);

  return g_test_run ();
}
