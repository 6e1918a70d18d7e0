/* lens-refresher.c — asks the server for what the poll schedule says, when
 * it says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensPollSchedule (lens-poll-schedule.c) decides which tasks are due, when
 * to look again and which have stalled; this object applies its plans,
 * with helpers that call nothing of its own. A pass over the list
 * (lens-refresh-pass.c: the ticks, in slices) asks the schedule what goes
 * out. The requests (lens-refresh-requests.c) send it through LensClient,
 * at once or as poll rounds in chunks that leave as the schedule's pacing
 * allows, and hand every answer back in turn. What an answer does to the
 * tasks and the schedule, and which pause a failure calls for, is
 * lens-answer-effects.c's. What the user asks to refresh is marked a slice
 * a turn (lens-user-refreshes.c). This object wires them, keeps the pause
 * (and probes a server that cannot be reached), sends the retrieves an
 * answer asks for, and tells the rest of the app what happened through
 * signals and properties.
 *
 * Nothing is asked while paused: for an error only the user can mend (token,
 * payment, address: it resumes when the token or URL changes, or on
 * lens_refresher_resume()), while the network is down (it resumes by
 * itself), and while the API server cannot be reached (it asks again now
 * and then, with one batch, and resumes at the first answer). A 429 never
 * reaches it: the client's scheduler holds the
 * requests and slows down until the server admits them.
 */

#define G_LOG_DOMAIN "lens-refresher"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-answer-effects.h"
#include "lens-core-enums.h"
#include "lens-http.h"
#include "lens-json.h"
#include "lens-poll-schedule.h"
#include "lens-refresh-pass.h"
#include "lens-refresh-requests.h"
#include "lens-refresher.h"
#include "lens-user-refreshes.h"

struct _LensRefresher
{
  GObject              parent_instance;

  LensClient          *client;          /* owned */
  LensTaskList        *tasks;           /* owned */
  GNetworkMonitor     *monitor;         /* owned */
  gboolean             monitor_is_default;
  LensPollSchedule    *schedule;        /* owned */
  LensRefreshPass     *pass;            /* owned: the ticks, passes over the list */
  LensRefreshRequests *requests;        /* owned: what is sent, and the answers to apply */
  LensUserRefreshes   *refreshes;       /* owned: what the user asked to refresh, being marked */
  gboolean             refresh_unsent;  /* some were asked; the pass that sends them has not ended */

  gboolean             polling_enabled;
  gboolean             held;            /* lens_refresher_set_held() */
  LensRefresherPause   pause;
  char                *pause_message;   /* owned, nullable */
  gboolean             busy;

  /* While the server cannot be reached: see probe(). */
  guint                probe_id;        /* the wait before the next probe */
  guint                probe_delay_ms;  /* that wait, doubled after each failed probe */
  guint                probe_first_ms;
  guint                probe_max_ms;
  gboolean             probing;         /* a probe is in flight */
};

G_DEFINE_FINAL_TYPE (LensRefresher, lens_refresher, G_TYPE_OBJECT)

/* While the server cannot be reached, how long before asking again: the
 * first wait, doubled after every failed probe up to the last. Each probe
 * goes through the client's own retries too. */
#define PROBE_FIRST_MS (15 * 1000)
#define PROBE_MAX_MS (5 * 60 * 1000)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_PAUSE,
  PROP_PAUSE_MESSAGE,
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

/* ─── state ────────────────────────────────────────────────────────────── */

static void
update_busy (LensRefresher *self)
{
  gboolean busy = lens_refresh_requests_is_busy (self->requests)
                  || lens_user_refreshes_is_marking (self->refreshes) || self->refresh_unsent;

  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ─── pauses ───────────────────────────────────────────────────────────── */

static void
set_pause (LensRefresher      *self,
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

  if (pause != LENS_REFRESHER_PAUSE_UNREACHABLE)
    g_clear_handle_id (&self->probe_id, g_source_remove);

  if (pause == LENS_REFRESHER_PAUSE_NONE)
    {
      lens_refresh_pass_schedule (self->pass);
      return;
    }

  lens_refresh_requests_drop_waiting (self->requests);
  lens_refresh_pass_stop (self->pass);
  self->refresh_unsent = FALSE;
}

/* The system knows nothing of loopback: an API on this computer (the demo,
 * the tests) is reachable without a network. A monitor that was handed in
 * is believed as it is: whoever passed it decides what the network is. */
static gboolean
network_available (LensRefresher *self)
{
  const char *url = lens_client_get_base_url (self->client);

  if (self->monitor_is_default && lens_http_url_is_loopback (url))
    return TRUE;
  return g_network_monitor_get_network_available (self->monitor);
}

/* Asks again if nothing stands in the way, or says what does. */
static void
resume (LensRefresher *self)
{
  if (!lens_client_has_token (self->client))
    set_pause (self, LENS_REFRESHER_PAUSE_NO_TOKEN,
               _("No AceData API token is set; add one in Preferences"));
  else if (!network_available (self))
    set_pause (self, LENS_REFRESHER_PAUSE_OFFLINE,
               _("The network is not available; Tasklens will look tasks up "
                 "again when it is back"));
  else
    set_pause (self, LENS_REFRESHER_PAUSE_NONE, NULL);
}

/* Asks whether the server can be reached again, with one batch of the
 * tasks waiting for it (useful work, not a made-up request). Its answer
 * resumes everything (see apply_answer()); its failure waits longer. */
static void
probe (LensRefresher *self)
{
  g_autoptr(GPtrArray) waiting = NULL;
  guint n;
  GStrv ids;

  g_clear_handle_id (&self->probe_id, g_source_remove);
  if (self->pause != LENS_REFRESHER_PAUSE_UNREACHABLE || self->probing)
    return;

  waiting = lens_task_list_dup_tasks_in_states (self->tasks, LENS_POLL_PLANNED_STATES);
  if (waiting->len == 0)
    {
      /* Nothing needs the server: nothing to wait for either. */
      resume (self);
      return;
    }

  n = MIN (waiting->len, lens_client_get_chunk_size (self->client));
  ids = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    ids[i] = g_strdup (lens_task_get_id (g_ptr_array_index (waiting, i)));
  self->probing = TRUE;
  lens_refresh_requests_send_probe (self->requests, ids);
}

static gboolean
probe_cb (gpointer user_data)
{
  LensRefresher *self = user_data;

  self->probe_id = 0;
  probe (self);
  return G_SOURCE_REMOVE;
}

/* Arms the next probe, unless one is armed or under way already. */
static void
arm_probe (LensRefresher *self)
{
  if (self->probe_id != 0 || self->probing)
    return;
  self->probe_id = g_timeout_add (self->probe_delay_ms, probe_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->probe_id),
                            "[lens-refresher] probe");
  self->probe_delay_ms = MIN (self->probe_delay_ms * 2, self->probe_max_ms);
}

/* Pauses until the server answers again. */
static void
pause_unreachable (LensRefresher *self,
                   const char    *message)
{
  if (self->pause != LENS_REFRESHER_PAUSE_UNREACHABLE)
    self->probe_delay_ms = self->probe_first_ms;
  set_pause (self, LENS_REFRESHER_PAUSE_UNREACHABLE, message);
  arm_probe (self);
}

/* ─── answers ──────────────────────────────────────────────────────────── */

static void
task_finished (LensTask *task,
               gpointer  user_data)
{
  g_signal_emit (user_data, signals[TASK_FINISHED], 0, task);
}

/* Applies an answer's records (lens-answer-effects.c): what it finished is
 * told as it is applied, and what it left out of a batch, asked for again
 * alone. */
static void
apply_answers (LensRefresher       *self,
               GPtrArray           *answered_ids,
               GPtrArray           *records,
               LensRequestPriority  priority,
               gboolean             confirm)
{
  g_autoptr(GPtrArray) to_confirm = NULL;

  to_confirm = lens_answer_effects_apply (self->tasks, self->schedule, answered_ids, records,
                                          confirm, g_get_monotonic_time (), task_finished, self);
  for (guint i = 0; i < to_confirm->len; i++)
    lens_refresh_requests_confirm (self->requests, g_ptr_array_index (to_confirm, i), priority);
}

static void
handle_failure (LensRefresher      *self,
                const char * const *ids,
                const GError       *error)
{
  gint64 now = g_get_monotonic_time ();
  LensRefresherPause pause = lens_answer_effects_pause_for (error);
  gboolean fatal = pause != LENS_REFRESHER_PAUSE_NONE;

  if (!fatal && self->pause == LENS_REFRESHER_PAUSE_NONE)
    {
      /* While paused, the banner already says why things fail. */
      g_signal_emit (self, signals[FAILED], 0, error);
    }

  lens_answer_effects_apply_failure (self->tasks, self->schedule, ids, error, fatal, now);

  if (pause == LENS_REFRESHER_PAUSE_UNREACHABLE && !network_available (self))
    resume (self);  /* says the network is down */
  else if (pause == LENS_REFRESHER_PAUSE_UNREACHABLE)
    pause_unreachable (self, error->message);
  else if (fatal)
    set_pause (self, pause, error->message);
}

/* Applies one answer, in its turn (lens-refresh-requests.c). */
static void
apply_answer (LensRefreshAnswer *answer,
              gpointer           user_data)
{
  LensRefresher *self = user_data;
  const GError *error = answer->batch != NULL ? answer->batch->error : answer->error;

  if (answer->probe)
    self->probing = FALSE;
  if (!answer->confirm && answer->batch != NULL)
    {
      LensBatchResult *batch = answer->batch;

      apply_answers (self, batch->answered_ids, batch->prepared, answer->priority, TRUE);
      if (batch->error != NULL)
        {
          g_ptr_array_add (batch->failed_ids, NULL);
          handle_failure (self, (const char * const *) batch->failed_ids->pdata, batch->error);
        }
    }
  else if (answer->error != NULL)
    {
      handle_failure (self, (const char * const *) answer->ids, answer->error);
    }
  else
    {
      /* A retrieve: a record is applied, none means not found. */
      g_autoptr(GPtrArray) answered = g_ptr_array_new ();
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_prepared_record_free);
      LensPreparedRecord *record = answer->record != NULL ? lens_prepared_record_new (answer->record) : NULL;

      /* One record: read here, unlike a batch's (see lens-client.c). */
      g_ptr_array_add (answered, answer->ids[0]);
      if (record != NULL)
        g_ptr_array_add (records, record);
      apply_answers (self, answered, records, answer->priority, FALSE);
    }

  /* Any answer at all says the server can be reached again; without one,
   * the next probe waits longer. */
  if (self->pause == LENS_REFRESHER_PAUSE_UNREACHABLE)
    {
      if (lens_answer_effects_server_answered (error))
        resume (self);
      else
        arm_probe (self);
    }

  update_busy (self);
  if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresh_pass_schedule_after_answer (self->pass);
}

/* ─── what its helpers ask of the refresher ────────────────────────────── */

static void
send_at_once (GPtrArray *ids,
              guint      group,
              gpointer   user_data)
{
  lens_refresh_requests_send_at_once (LENS_REFRESHER (user_data)->requests, ids, group);
}

static void
queue_round (GPtrArray *ids,
             gpointer   user_data)
{
  lens_refresh_requests_queue_round (LENS_REFRESHER (user_data)->requests, ids);
}

static gboolean
is_paused (gpointer user_data)
{
  LensRefresher *self = user_data;

  return self->pause != LENS_REFRESHER_PAUSE_NONE || self->held;
}

/* A pass sent what the user asked to refresh so far. */
static void
pass_ended (gpointer user_data)
{
  LensRefresher *self = user_data;

  if (!lens_user_refreshes_is_marking (self->refreshes) && self->refresh_unsent)
    {
      self->refresh_unsent = FALSE;
      update_busy (self);
    }
}

static const LensRefreshPassCallbacks pass_callbacks = {
  .is_paused = is_paused,
  .send_at_once = send_at_once,
  .queue_round = queue_round,
  .ended = pass_ended,
};

static void
update_busy_cb (gpointer user_data)
{
  update_busy (user_data);
}

static const LensRefreshRequestsCallbacks requests_callbacks = {
  .is_paused = is_paused,
  .answered = apply_answer,
  .changed = update_busy_cb,
};

/* A task the user asked to refresh was marked: the pass that sends it has
 * not ended. */
static void
refresh_asked (gpointer user_data)
{
  LensRefresher *self = user_data;

  self->refresh_unsent = self->pause == LENS_REFRESHER_PAUSE_NONE;
}

static void
refresh_sliced (gpointer user_data)
{
  LensRefresher *self = user_data;

  if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresh_pass_schedule (self->pass);
}

static const LensUserRefreshesCallbacks refreshes_callbacks = {
  .asked = refresh_asked,
  .sliced = refresh_sliced,
  .changed = update_busy_cb,
};

/* ─── what the refresher follows ───────────────────────────────────────── */

static void
items_changed_cb (LensRefresher *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *model)
{
  lens_refresh_pass_items_changed (self->pass, position, removed, added);
}

static gboolean
is_listed (const char *id,
           gpointer    user_data)
{
  return lens_task_list_lookup (LENS_TASK_LIST (user_data), id) != NULL;
}

/* The schedule forgets the tasks that left the list: one added again is
 * new. By their ids when they are fewer than the tasks it watches (one
 * task removed while 100,000 pasted ids are looked up: asking the list
 * for each of those took 36 ms), else by asking the list for each task
 * watched (every task of a large history removed, few of them watched). */
static void
tasks_removed_cb (LensRefresher *self,
                  GPtrArray     *removed,
                  LensTaskList  *list)
{
  if (removed->len < lens_poll_schedule_get_n_watched (self->schedule))
    for (guint i = 0; i < removed->len; i++)
      lens_poll_schedule_forget (self->schedule, lens_task_get_id (g_ptr_array_index (removed, i)));
  else
    lens_poll_schedule_forget_missing (self->schedule, is_listed, self->tasks);
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
  else if (self->pause == LENS_REFRESHER_PAUSE_UNREACHABLE)
    {
      /* The network changed (another Wi-Fi, a VPN): try at once. */
      self->probe_delay_ms = self->probe_first_ms;
      probe (self);
    }
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_refresher_refresh:
 * @ids: (array zero-terminated=1): tasks to ask for again now, finished or
 *   not (the user asked: this is also how a stalled task is checked again)
 *
 * As many as a turn of the main loop allows are marked queued at once (a
 * few hundred), the rest in the turns after.
 */
void
lens_refresher_refresh (LensRefresher      *self,
                        const char * const *ids)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  g_return_if_fail (ids != NULL);

  lens_user_refreshes_add_ids (self->refreshes, ids);
}

/**
 * lens_refresher_refresh_tasks:
 * @tasks: (element-type LensTask): tasks of the list to ask for again now
 *
 * lens_refresher_refresh() for tasks at hand (the tasks picked), without a
 * copy of each id: for 100,000 tasks picked, copying and looking up their
 * ids cost more than a turn of the main loop.
 */
void
lens_refresher_refresh_tasks (LensRefresher *self,
                              GPtrArray     *tasks)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  g_return_if_fail (tasks != NULL);

  lens_user_refreshes_add_tasks (self->refreshes, tasks);
}

/**
 * lens_refresher_new_action:
 *
 * Says that the tasks added to the list from now on come from another
 * action of the user's (a text pasted, a file imported): their lookups
 * wait for the API as a group of their own (lens-scheduler.c), so that a
 * few ids pasted go before the rest of a large paste. Until it is called
 * again, new tasks join that group, however many passes and slices they
 * come in; the tasks added before keep theirs, however late a pass over
 * the list reaches them (lens-action-spans.c).
 */
void
lens_refresher_new_action (LensRefresher *self)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  lens_refresh_pass_new_action (self->pass);
}

/**
 * lens_refresher_refresh_unfinished:
 *
 * Asks for every task that is not finished, stalled ones included and those
 * failed by an answer Tasklens gave up on (lens_task_mark_failed()),
 * without waiting for their turn (as soon as asking is not paused).
 *
 * Returns: how many tasks are asked for
 */
guint
lens_refresher_refresh_unfinished (LensRefresher *self)
{
  guint n_asked;

  g_return_val_if_fail (LENS_IS_REFRESHER (self), 0);

  n_asked = lens_user_refreshes_ask_unfinished (self->refreshes);
  if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresh_pass_schedule (self->pass);
  return n_asked;
}

/**
 * lens_refresher_set_held:
 * @held: whether to wait
 *
 * While held, nothing is asked of the API, as in a pause, but nothing is
 * said of it: for a start-up, while the list shows the first tasks of a
 * history still loading, whose answers would have no history to be
 * written to yet. What was asked meanwhile goes once it is let go.
 */
void
lens_refresher_set_held (LensRefresher *self,
                         gboolean       held)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));

  held = !!held;
  if (self->held == held)
    return;
  self->held = held;
  if (!held && self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresh_pass_schedule (self->pass);
}

/**
 * lens_refresher_resume:
 *
 * Asks again after a pause, for example once the user has topped up the
 * balance. If the reason is still there, the next answer pauses again.
 * While the server cannot be reached, it stays paused until a first
 * request (sent now) is answered.
 */
void
lens_refresher_resume (LensRefresher *self)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));

  if (self->pause == LENS_REFRESHER_PAUSE_UNREACHABLE && network_available (self))
    {
      self->probe_delay_ms = self->probe_first_ms;
      probe (self);
      return;
    }
  resume (self);
}

/**
 * lens_refresher_set_unreachable_retry:
 * @first_ms: while the server cannot be reached, the wait before asking
 *   again the first time
 * @max_ms: the longest wait: each failed attempt doubles it up to this
 */
void
lens_refresher_set_unreachable_retry (LensRefresher *self,
                                      guint          first_ms,
                                      guint          max_ms)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  g_return_if_fail (first_ms > 0 && max_ms >= first_ms);

  self->probe_first_ms = first_ms;
  self->probe_max_ms = max_ms;
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
  g_return_if_fail (LENS_IS_REFRESHER (self));
  g_return_if_fail (intervals_ms != NULL && n_intervals > 0);
  for (guint i = 0; i < n_intervals; i++)
    g_return_if_fail (intervals_ms[i] > 0);

  lens_poll_schedule_set_intervals (self->schedule, intervals_ms, n_intervals,
                                    g_get_monotonic_time ());
  if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresh_pass_schedule (self->pass);
}

void
lens_refresher_set_stall_after (LensRefresher *self,
                                guint          seconds)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  lens_poll_schedule_set_stall_after (self->schedule, seconds);
}

void
lens_refresher_set_min_request_interval (LensRefresher *self,
                                         guint          milliseconds)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  lens_poll_schedule_set_min_request_interval (self->schedule, milliseconds);
  lens_refresh_requests_pump (self->requests);
}

/**
 * lens_refresher_set_tick_budget:
 * @microseconds: the most one turn of the main loop spends going through
 *   the list for a tick (4 ms); 0 makes it a few dozen tasks a turn, for
 *   the tests of a pass in many slices
 */
void
lens_refresher_set_tick_budget (LensRefresher *self,
                                guint          microseconds)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  lens_refresh_pass_set_slice_budget (self->pass, microseconds);
  lens_user_refreshes_set_slice_budget (self->refreshes, microseconds);
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
  lens_poll_schedule_set_polling (self->schedule, enabled);
  if (!enabled)
    {
      lens_refresh_requests_drop_waiting (self->requests);
      lens_refresh_pass_drop_round (self->pass);
    }
  else if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresh_pass_schedule (self->pass);
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

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_refresher_dispose (GObject *object)
{
  LensRefresher *self = LENS_REFRESHER (object);

  /* What is under way, waiting or planned is dropped; the helpers go at
   * finalize, for a call after this one. */
  if (self->requests != NULL)
    lens_refresh_requests_cancel (self->requests);
  if (self->pass != NULL)
    lens_refresh_pass_stop (self->pass);
  g_clear_handle_id (&self->probe_id, g_source_remove);
  if (self->refreshes != NULL)
    lens_user_refreshes_cancel (self->refreshes);
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

  g_clear_pointer (&self->pass, lens_refresh_pass_free);
  g_clear_pointer (&self->requests, lens_refresh_requests_free);
  g_clear_pointer (&self->schedule, lens_poll_schedule_free);
  g_clear_pointer (&self->pause_message, g_free);
  g_clear_pointer (&self->refreshes, lens_user_refreshes_free);

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
  properties[PROP_POLLING_ENABLED] =
    g_param_spec_boolean ("polling-enabled", NULL, NULL, TRUE, G_PARAM_READWRITE | flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensRefresher::failed:
   * @error: why a lookup failed (a LENS_CLIENT_ERROR)
   *
   * A lookup failed for a reason that may go away (server, network,
   * timeout), and its tasks keep their state and are asked for again a
   * little later; or for a reason that asking again would not change (a
   * refused request, an answer that is not the API's: see
   * lens_client_error_is_permanent()), and its tasks are marked failed with
   * the reason, until the user refreshes them. Once a batch. Pauses are
   * told by properties; a 429 never gets here (the client's scheduler
   * holds the request, and says it is throttled).
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
  self->schedule = lens_poll_schedule_new ();
  self->polling_enabled = TRUE;
  self->probe_first_ms = PROBE_FIRST_MS;
  self->probe_max_ms = PROBE_MAX_MS;
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

  self->requests = lens_refresh_requests_new (client, tasks, self->schedule, &requests_callbacks,
                                              self);
  self->pass = lens_refresh_pass_new (tasks, self->schedule, client, &pass_callbacks, self);
  self->refreshes = lens_user_refreshes_new (tasks, self->schedule, &refreshes_callbacks, self);
  g_signal_connect_swapped (tasks, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect_swapped (tasks, "tasks-removed", G_CALLBACK (tasks_removed_cb), self);
  g_signal_connect_swapped (client, "credentials-changed", G_CALLBACK (client_changed_cb), self);
  g_signal_connect_swapped (self->monitor, "network-changed", G_CALLBACK (network_changed_cb),
                            self);
  resume (self);

  return self;
}
