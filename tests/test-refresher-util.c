/* test-refresher-util.c — what test-refresher.c's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A network monitor the tests can switch, the fixture (the fake server, a
 * client, a task list and a refresher polling every POLL_MS, with the
 * refresher's signals recorded), and the helpers that wait for, count and
 * serve tasks. Apart from the tests so that test-refresher.c reads as the
 * list of behaviours it checks.
 */

#include "config.h"

#include "test-refresher-util.h"

/* ─── a network monitor the test can switch ────────────────────────────── */

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

void
test_monitor_set_available (TestMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_object_notify (G_OBJECT (self), "connectivity");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* ─── fixture and helpers ──────────────────────────────────────────────── */

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

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->fake = lens_fake_api_new (TOKEN);
  lens_fake_api_start (fixture->fake, 0, &error);
  g_assert_no_error (error);
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
  g_signal_connect (fixture->refresher, "notify::rate-limited", G_CALLBACK (count_notify_cb),
                    &fixture->n_rate_notifies);
}

void
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

guint
count_in_state (Fixture       *fixture,
                LensTaskState  state)
{
  g_auto(GStrv) ids = lens_task_list_dup_ids_in_state (fixture->tasks, state);
  return g_strv_length (ids);
}

guint
count_finished (Fixture *fixture)
{
  return count_in_state (fixture, LENS_TASK_STATE_DONE)
         + count_in_state (fixture, LENS_TASK_STATE_FAILED)
         + count_in_state (fixture, LENS_TASK_STATE_NOT_FOUND);
}

void
wait_until_finished (Fixture *fixture)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks));

  WAIT_UNTIL (count_finished (fixture) == n_items);
}

guint
task_requests (Fixture *fixture)
{
  return lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks");
}

const char *
request_body_at (Fixture *fixture,
                 guint    index)
{
  GPtrArray *requests = lens_fake_api_get_requests (fixture->fake);

  g_assert_cmpuint (requests->len, >, index);
  return ((LensFakeRequest *) g_ptr_array_index (requests, index))->body;
}

LensTaskState
state_of (Fixture    *fixture,
          const char *id)
{
  return lens_task_get_state (lens_task_list_lookup (fixture->tasks, id));
}

void
add_ids (Fixture     *fixture,
         const char **ids)
{
  lens_task_list_add_ids (fixture->tasks, ids, NULL);
}

/* Serves a task that runs at @progress until told otherwise, created
 * @age_s seconds ago. */
void
put_running_record (Fixture    *fixture,
                    const char *id,
                    gint64      age_s,
                    int         progress)
{
  gint64 created_at = g_get_real_time () / G_USEC_PER_SEC - age_s;
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\", "
                          "\"created_at\": %" G_GINT64_FORMAT ", "
                          "\"request\": {\"prompt\": \"a lighthouse\", \"action\": \"generate\"}, "
                          "\"response\": {\"success\": true, \"task_id\": \"%s\", "
                          "\"progress\": %d}}",
                          id, created_at, id, progress);
  lens_fake_api_add_record (fixture->fake, json);
}

void
move_progress_cb (LensTask   *task,
                  GParamSpec *pspec,
                  Mover      *mover)
{
  int progress = lens_task_get_progress (task);

  if (progress >= 0 && progress < mover->limit)
    put_running_record (mover->fixture, lens_task_get_id (task), mover->age_s, progress + 1);
}
