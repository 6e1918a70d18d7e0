/* lens-refresher.c — decides what to ask the server, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two lanes lead to the server. New tasks (queued) are looked up at once:
 * whatever is queued when the main loop is next idle goes out in one
 * retrieve_batch, which the client splits into chunks. That is one user
 * action, so it is not held back.
 *
 * Tasks still pending or running are polled on a schedule of their own,
 * counted from their last answer: the first step (5 s) while they move, one
 * step slower (10, 20, 30 s) for every answer that shows no change. The tasks
 * due when the timer fires, with those due within half the first step, make
 * one poll round; a round is cut into chunks of the client's chunk size, and
 * the chunks leave one per minimum request interval (1 s), so polling never
 * asks more often than that however many tasks run.
 *
 * Nothing is asked while paused: for an error only the user can mend (token,
 * payment, address: it resumes when the token or URL changes, or on
 * lens_refresher_resume()), and while the network is down (it resumes by
 * itself). After a 429 that the client's own retries did not get past,
 * nothing is sent for a while either.
 *
 * A task that stays unfinished far past the API's own limit with no change is
 * marked stalled and left alone until the user asks again. Done, failed, not
 * found and stalled tasks are never polled.
 *
 * The class spans two files; see lens-refresher-private.h.
 */

#define G_LOG_DOMAIN "lens-refresher"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-core-enums.h"
#include "lens-refresher-private.h"

#define DEFAULT_STALL_AFTER_S     600
#define DEFAULT_MIN_REQUEST_MS    1000
#define DEFAULT_RATE_LIMIT_MS     (60 * 1000)

static const guint default_schedule[] = { LENS_REFRESHER_DEFAULT_POLL_MS, 10000, 20000, 30000 };

G_DEFINE_FINAL_TYPE (LensRefresher, lens_refresher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_PAUSE,
  PROP_PAUSE_MESSAGE,
  PROP_RATE_LIMITED,
  PROP_POLLING_ENABLED,
  N_PROPS
};

enum {
  FAILED,
  TASK_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ─── state and pauses ─────────────────────────────────────────────────── */

void
lens_refresher_update_busy (LensRefresher *self)
{
  gboolean busy = self->n_batches > 0 || !g_queue_is_empty (&self->waiting);

  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
lens_refresher_set_rate_limited (LensRefresher *self,
                                 gboolean       rate_limited)
{
  if (self->rate_limited == rate_limited)
    return;
  self->rate_limited = rate_limited;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMITED]);
}

void
lens_refresher_set_pause (LensRefresher      *self,
                          LensRefresherPause  pause,
                          const char         *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->pause != pause)
    {
      self->pause = pause;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSE]);
    }
  if (g_set_str (&self->pause_message, pause != LENS_REFRESHER_PAUSE_NONE ? message : NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSE_MESSAGE]);
  g_object_thaw_notify (G_OBJECT (self));

  if (pause == LENS_REFRESHER_PAUSE_NONE)
    {
      lens_refresher_rounds_schedule_tick (self);
      return;
    }

  lens_refresher_rounds_drop_waiting (self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_is_idle = FALSE;
}

/* The system knows nothing of loopback: an API on this computer (the demo,
 * the tests) is reachable without a network. */
static gboolean
api_is_local (LensRefresher *self)
{
  g_autoptr(GUri) uri = g_uri_parse (lens_client_get_base_url (self->client), G_URI_FLAGS_NONE,
                                     NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* A monitor that was handed in is believed as it is: whoever passed it
 * decides what the network is. */
static gboolean
network_available (LensRefresher *self)
{
  if (self->monitor_is_default && api_is_local (self))
    return TRUE;
  return g_network_monitor_get_network_available (self->monitor);
}

/* Asks again if nothing stands in the way, or says what does. */
static void
resume (LensRefresher *self)
{
  if (!lens_client_has_token (self->client))
    lens_refresher_set_pause (self, LENS_REFRESHER_PAUSE_NO_TOKEN,
                              _("No AceData API token is set; add one in Preferences"));
  else if (!network_available (self))
    lens_refresher_set_pause (self, LENS_REFRESHER_PAUSE_OFFLINE,
                              _("The network is not available; Tasklens will look tasks up "
                                "again when it is back"));
  else
    lens_refresher_set_pause (self, LENS_REFRESHER_PAUSE_NONE, NULL);
}

/* The signals are the class's; the rounds emit them through these. */
void
lens_refresher_emit_failed (LensRefresher *self,
                            const GError  *error)
{
  g_signal_emit (self, signals[FAILED], 0, error);
}

void
lens_refresher_emit_task_finished (LensRefresher *self,
                                   LensTask      *task)
{
  g_signal_emit (self, signals[TASK_FINISHED], 0, task);
}

/* ─── what the refresher follows ───────────────────────────────────────── */

static gboolean
watch_is_gone (gpointer key,
               gpointer value,
               gpointer user_data)
{
  return lens_task_list_lookup (LENS_TASK_LIST (user_data), key) == NULL;
}

static void
items_changed_cb (LensRefresher *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *model)
{
  if (removed > 0)
    g_hash_table_foreach_remove (self->watches, watch_is_gone, self->tasks);
  if (added > 0 && self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresher_rounds_schedule_tick (self);
}

/* A new token or URL may mend what paused the refresher, or break it. */
static void
client_changed_cb (LensRefresher *self)
{
  resume (self);
}

static void
network_changed_cb (LensRefresher *self)
{
  if (!network_available (self))
    {
      /* A token or payment problem stays in front: it needs the user. */
      if (self->pause == LENS_REFRESHER_PAUSE_NONE)
        resume (self);
    }
  else if (self->pause == LENS_REFRESHER_PAUSE_OFFLINE)
    {
      resume (self);
    }
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_refresher_refresh:
 * @ids: (array zero-terminated=1): tasks to ask for again now, finished or
 *   not (the user asked: this is also how a stalled task is checked again)
 */
void
lens_refresher_refresh (LensRefresher      *self,
                        const char * const *ids)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  g_return_if_fail (ids != NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      LensTask *task = lens_task_list_lookup (self->tasks, ids[i]);
      Watch *watch;

      if (task == NULL)
        continue;
      watch = g_hash_table_lookup (self->watches, lens_task_get_id (task));
      if (watch != NULL && watch->in_flight)
        continue;
      if (watch != NULL)
        watch->due = 0;
      lens_task_mark_queued (task);
    }
  if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresher_rounds_schedule_tick (self);
}

/**
 * lens_refresher_refresh_unfinished:
 *
 * Asks for every task that is not finished, stalled ones included, without
 * waiting for their turn (as soon as asking is not paused).
 *
 * Returns: how many tasks are asked for
 */
guint
lens_refresher_refresh_unfinished (LensRefresher *self)
{
  GListModel *model;
  guint n_items, n_asked = 0;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (LENS_IS_REFRESHER (self), 0);

  model = G_LIST_MODEL (self->tasks);
  n_items = g_list_model_get_n_items (model);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (model, i);
      LensTaskState state = lens_task_get_state (task);
      Watch *watch;

      if (state == LENS_TASK_STATE_STALLED)
        lens_task_mark_queued (task);
      else if (lens_task_is_finished (task))
        continue;

      n_asked++;
      watch = lens_refresher_rounds_ensure_watch (self, lens_task_get_id (task), now);
      if (!watch->in_flight)
        watch->urgent = TRUE;
    }

  if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresher_rounds_schedule_tick (self);
  return n_asked;
}

/**
 * lens_refresher_resume:
 *
 * Asks again after a pause, for example once the user has topped up the
 * balance. If the reason is still there, the next answer pauses again.
 */
void
lens_refresher_resume (LensRefresher *self)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  resume (self);
}

/* For old callers: one step, no backoff. */
void
lens_refresher_set_poll_interval (LensRefresher *self,
                                  guint          milliseconds)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  g_return_if_fail (milliseconds > 0);

  lens_refresher_set_schedule (self, &milliseconds, 1);
}

/**
 * lens_refresher_set_schedule:
 * @intervals_ms: (array length=n_intervals): how long to wait after an
 *   answer: the first entry after a change, each next one after another
 *   answer without change; the last one repeats
 */
void
lens_refresher_set_schedule (LensRefresher *self,
                             const guint   *intervals_ms,
                             guint          n_intervals)
{
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (LENS_IS_REFRESHER (self));
  g_return_if_fail (intervals_ms != NULL && n_intervals > 0);
  for (guint i = 0; i < n_intervals; i++)
    g_return_if_fail (intervals_ms[i] > 0);

  g_array_set_size (self->schedule, 0);
  g_array_append_vals (self->schedule, intervals_ms, n_intervals);

  /* Nobody waits longer than the new schedule says. */
  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Watch *watch = value;

      watch->step = MIN (watch->step, n_intervals - 1);
      watch->due = MIN (watch->due,
                        now + (gint64) lens_refresher_rounds_schedule_ms (self, watch->step) * 1000);
    }
  if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresher_rounds_schedule_tick (self);
}

void
lens_refresher_set_stall_after (LensRefresher *self,
                                guint          seconds)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  self->stall_after_s = seconds;
}

void
lens_refresher_set_min_request_interval (LensRefresher *self,
                                         guint          milliseconds)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  self->min_request_ms = milliseconds;
  lens_refresher_rounds_pump (self);
}

/**
 * lens_refresher_set_rate_limit_backoff:
 * @milliseconds: how long nothing is sent after a 429 the client's own
 *   retries did not get past (a minute by default)
 */
void
lens_refresher_set_rate_limit_backoff (LensRefresher *self,
                                       guint          milliseconds)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  self->rate_limit_ms = milliseconds;
}

/* Off: pending and running tasks are not polled; new ones are still looked
 * up once. */
void
lens_refresher_set_polling_enabled (LensRefresher *self,
                                    gboolean       enabled)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));

  enabled = !!enabled;
  if (self->polling_enabled == enabled)
    return;
  self->polling_enabled = enabled;
  if (!enabled)
    lens_refresher_rounds_drop_waiting (self);
  else if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresher_rounds_schedule_tick (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLLING_ENABLED]);
}

gboolean
lens_refresher_get_polling_enabled (LensRefresher *self)
{
  g_return_val_if_fail (LENS_IS_REFRESHER (self), FALSE);
  return self->polling_enabled;
}

gboolean
lens_refresher_get_busy (LensRefresher *self)
{
  g_return_val_if_fail (LENS_IS_REFRESHER (self), FALSE);
  return self->busy;
}

LensRefresherPause
lens_refresher_get_pause (LensRefresher *self)
{
  g_return_val_if_fail (LENS_IS_REFRESHER (self), LENS_REFRESHER_PAUSE_NONE);
  return self->pause;
}

/* Returns: (nullable): what paused asking, for the user; %NULL when asking */
const char *
lens_refresher_get_pause_message (LensRefresher *self)
{
  g_return_val_if_fail (LENS_IS_REFRESHER (self), NULL);
  return self->pause_message;
}

gboolean
lens_refresher_get_rate_limited (LensRefresher *self)
{
  g_return_val_if_fail (LENS_IS_REFRESHER (self), FALSE);
  return self->rate_limited;
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_refresher_dispose (GObject *object)
{
  LensRefresher *self = LENS_REFRESHER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->send_id, g_source_remove);
  g_queue_clear_full (&self->waiting, (GDestroyNotify) g_strfreev);
  if (self->tasks != NULL)
    g_signal_handlers_disconnect_by_data (self->tasks, self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->tasks);
  g_clear_object (&self->client);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (lens_refresher_parent_class)->dispose (object);
}

static void
lens_refresher_finalize (GObject *object)
{
  LensRefresher *self = LENS_REFRESHER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->watches, g_hash_table_unref);
  g_clear_pointer (&self->schedule, g_array_unref);
  g_clear_pointer (&self->pause_message, g_free);

  G_OBJECT_CLASS (lens_refresher_parent_class)->finalize (object);
}

static void
lens_refresher_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LensRefresher *self = LENS_REFRESHER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_PAUSE:
      g_value_set_enum (value, self->pause);
      break;
    case PROP_PAUSE_MESSAGE:
      g_value_set_string (value, self->pause_message);
      break;
    case PROP_RATE_LIMITED:
      g_value_set_boolean (value, self->rate_limited);
      break;
    case PROP_POLLING_ENABLED:
      g_value_set_boolean (value, self->polling_enabled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_refresher_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LensRefresher *self = LENS_REFRESHER (object);

  switch (prop_id)
    {
    case PROP_POLLING_ENABLED:
      lens_refresher_set_polling_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_refresher_class_init (LensRefresherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = lens_refresher_dispose;
  object_class->finalize = lens_refresher_finalize;
  object_class->get_property = lens_refresher_get_property;
  object_class->set_property = lens_refresher_set_property;

  /* Something is being asked, or waits for its turn. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | flags);
  properties[PROP_PAUSE] =
    g_param_spec_enum ("pause", NULL, NULL, LENS_TYPE_REFRESHER_PAUSE, LENS_REFRESHER_PAUSE_NONE,
                       G_PARAM_READABLE | flags);
  properties[PROP_PAUSE_MESSAGE] =
    g_param_spec_string ("pause-message", NULL, NULL, NULL, G_PARAM_READABLE | flags);
  /* The server asked to slow down; nothing is sent for a while. */
  properties[PROP_RATE_LIMITED] =
    g_param_spec_boolean ("rate-limited", NULL, NULL, FALSE, G_PARAM_READABLE | flags);
  properties[PROP_POLLING_ENABLED] =
    g_param_spec_boolean ("polling-enabled", NULL, NULL, TRUE, G_PARAM_READWRITE | flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensRefresher::failed:
   * @error: why a lookup failed (a LENS_CLIENT_ERROR)
   *
   * A lookup failed for a reason that may go away (server, network,
   * timeout, a bad answer); its tasks keep their state and are asked for
   * again a little later. Pauses and rate limits are told by properties.
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * LensRefresher::task-finished:
   * @task: a task that was pending or running and is now done or failed
   *
   * Emitted once for each task the refresher watched finish; not for tasks
   * that were already finished when first looked up.
   */
  signals[TASK_FINISHED] =
    g_signal_new ("task-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, LENS_TYPE_TASK);
}

static void
lens_refresher_init (LensRefresher *self)
{
  self->cancellable = g_cancellable_new ();
  self->watches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->waiting);
  self->schedule = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (self->schedule, default_schedule, G_N_ELEMENTS (default_schedule));
  self->stall_after_s = DEFAULT_STALL_AFTER_S;
  self->min_request_ms = DEFAULT_MIN_REQUEST_MS;
  self->rate_limit_ms = DEFAULT_RATE_LIMIT_MS;
  self->polling_enabled = TRUE;
}

/**
 * lens_refresher_new:
 * @network_monitor: (nullable): what says whether the network is up;
 *   %NULL for the system's
 *
 * Starts watching @tasks: what is queued is looked up at once, what is
 * pending or running polled on its schedule, as long as there is a token
 * and a network.
 */
LensRefresher *
lens_refresher_new (LensClient      *client,
                    LensTaskList    *tasks,
                    GNetworkMonitor *network_monitor)
{
  LensRefresher *self;

  g_return_val_if_fail (LENS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), NULL);
  g_return_val_if_fail (network_monitor == NULL || G_IS_NETWORK_MONITOR (network_monitor), NULL);

  self = g_object_new (LENS_TYPE_REFRESHER, NULL);
  self->client = g_object_ref (client);
  self->tasks = g_object_ref (tasks);
  self->monitor_is_default = network_monitor == NULL;
  self->monitor = g_object_ref (network_monitor != NULL ? network_monitor
                                                        : g_network_monitor_get_default ());

  g_signal_connect_swapped (tasks, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect_swapped (client, "notify::token", G_CALLBACK (client_changed_cb), self);
  g_signal_connect_swapped (client, "notify::base-url", G_CALLBACK (client_changed_cb), self);
  g_signal_connect_swapped (self->monitor, "network-changed", G_CALLBACK (network_changed_cb),
                            self);
  resume (self);

  return self;
}
