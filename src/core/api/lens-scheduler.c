/* lens-scheduler.c — when each API request may go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request to the Tasks API asks the client's one scheduler for a slot
 * (lens_scheduler_acquire_async()) and gives it back with what the server
 * made of it (lens_scheduler_release()). The scheduler lets a request go
 * when LensApiPace says the pace and the number in flight allow it: new
 * lookups, poll rounds, listings and token checks share one limit, which is
 * what the server counts.
 *
 * Waiting requests go in order of priority (what the user asked for before
 * background polling). Within a priority they wait in groups, a group
 * being what one action of the user's asked for (the lookups of a text
 * pasted or a file imported, a refresh of the tasks picked: see
 * lens-refresh-pass.c) or a request alone, and a group's requests go first
 * come, first served. Small groups (SMALL_GROUP requests asked for at
 * most, counting those that went already) go first, then the others; the
 * oldest group first in both; but no more than MAX_PASSED requests in a
 * row pass the oldest group. A group lasts while it has requests waiting
 * or in flight. One
 * task refreshed, or three ids pasted, while 10,000 pasted ids are looked
 * up go next, not after the paste's 200 requests, and whatever is large
 * waits for no more than what is small, and what was asked for before it,
 * and has a request in five however many small ones keep coming.
 * Two rules were tried and dropped: taking turns a request each (three ids
 * waited for a request of every slice of a paste, the refresher then
 * making a group of each slice) and the fewest requests waiting first (a
 * refresh of a few hundred tasks waited for every slice of a paste asked
 * for after it).
 *
 * A request refused with a 429 asks again with @again: before the rest of
 * its group, after those of its group that asked again already, so that a
 * throttled paste keeps its order; and no further (had its group gone
 * first, a paste refused again and again under a rate limit kept a refresh
 * waiting until all of it was through). A request alone asking again goes
 * before the groups of its priority, after those alone that asked again
 * already. A numbered group formed by a re-ask (its other requests went)
 * is as old as the re-ask, and large if its action asks for more.
 *
 * A waiting request whose cancellable fires leaves at once with
 * G_IO_ERROR_CANCELLED; a slot that was granted is always returned as
 * granted, even if the caller cancelled meanwhile, so that a slot can never
 * be lost: the caller releases it.
 *
 * While the server is throttling (from a 429 until nothing is left to ask),
 * `throttled` is set, and `n-tasks-left` with lens_scheduler_get_seconds_left()
 * say how much is left and for how long, for the window to tell the user.
 */

#define G_LOG_DOMAIN "lens-scheduler"

#include "config.h"

#include "lens-http.h"
#include "lens-scheduler.h"

struct _LensScheduler
{
  GObject      parent_instance;

  LensApiPace *pace;            /* owned */
  /* By LensRequestPriority: the groups with requests waiting, oldest
   * first, and the numbered ones by number. */
  GQueue       groups_waiting[2]; /* of Group (owned) */
  GHashTable  *groups[2];       /* guint group → Group (owned), numbered ones */
  guint64      last_age;
  guint        n_waiting;
  guint        n_in_flight;
  guint        n_tasks_waiting;
  guint        n_tasks_in_flight;
  guint        n_refused;
  guint        notified_tasks_left;
  gboolean     throttled;
  GSource     *wake_source;     /* owned, nullable */
};

enum {
  PROP_0,
  PROP_THROTTLED,
  PROP_N_TASKS_LEFT,
  PROP_MAX_RATE,
  N_PROPS
};

enum {
  LEARNT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LensScheduler, lens_scheduler, G_TYPE_OBJECT)

/* A group, while it has requests waiting or (numbered) in flight: what it
 * asked for so far counts, however much of it went already. */
typedef struct
{
  guint    number;       /* 0: a request alone */
  guint64  age;          /* its place among the groups waiting: older first */
  guint    n_asked;      /* requests it asked for, not counting re-asks */
  guint    n_in_flight;  /* of a numbered group */
  guint    n_passed;     /* requests of smaller groups that went before it in a row */
  gboolean waiting;      /* in groups_waiting */
  GQueue   requests;     /* of GTask (owned): waiting, in their order */
} Group;

/* The task data of a waiting request. */
typedef struct
{
  LensRequestPriority priority;
  guint               number;         /* of its group */
  Group              *group;          /* while it waits */
  gboolean            again;
  guint               n_tasks;
  GSource            *cancel_source;  /* owned, nullable */
} Waiter;

/* A group of at most this many requests (200 ids) goes before larger
 * ones: Refresh Task, a few ids pasted, a screenful of tasks refreshed. */
#define SMALL_GROUP 4
/* …but no more than this many in a row pass the oldest group: a stream of
 * small ones (tasks refreshed one after the other, the retrieves that
 * confirm what batches left out) would otherwise hold a paste back for as
 * long as it lasts. It still has one request in five. */
#define MAX_PASSED 4

static void pump (LensScheduler *self);

#define MS_SLACK_US 500

static void
waiter_free (gpointer data)
{
  Waiter *waiter = data;

  lens_http_clear_source (&waiter->cancel_source);
  g_free (waiter);
}

/* The first of @requests (GTasks) not asking again, or %NULL: a request
 * asking again goes before it, after those asking again already, so that
 * requests refused together ask again in the order they were sent. */
static GList *
after_re_asks (GQueue *requests)
{
  GList *l = requests->head;

  while (l != NULL && ((const Waiter *) g_task_get_task_data (l->data))->again)
    l = l->next;
  return l;
}

/* Puts @group among those waiting, after the older ones and those as old
 * (a group formed by a request alone asking again is age 0: first, after
 * the others formed so). */
static void
wait_in_turn (LensScheduler       *self,
              LensRequestPriority  priority,
              Group               *group)
{
  GQueue *groups = &self->groups_waiting[priority];
  GList *l = groups->head;

  while (l != NULL && ((Group *) l->data)->age <= group->age)
    l = l->next;
  g_queue_insert_before (groups, l, group);
  group->waiting = TRUE;
}

static void
stop_waiting (LensScheduler       *self,
              LensRequestPriority  priority,
              Group               *group)
{
  g_queue_remove (&self->groups_waiting[priority], group);
  group->waiting = FALSE;
}

/* Frees @group once it has nothing waiting or in flight. */
static void
maybe_free_group (LensScheduler       *self,
                  LensRequestPriority  priority,
                  Group               *group)
{
  /* Empty, it stopped waiting (dequeue()). */
  if (!g_queue_is_empty (&group->requests) || group->n_in_flight > 0)
    return;
  if (group->number != 0)
    g_hash_table_remove (self->groups[priority], GUINT_TO_POINTER (group->number));
  g_free (group);
}

/* Puts @task (owned) in its group (see the top of this file for where a
 * request asking @again goes). */
static void
enqueue (LensScheduler *self,
         GTask         *task,
         guint          number,
         gboolean       again)
{
  Waiter *waiter = g_task_get_task_data (task);
  LensRequestPriority priority = waiter->priority;
  Group *group = number != 0 ? g_hash_table_lookup (self->groups[priority], GUINT_TO_POINTER (number))
                             : NULL;

  if (group == NULL)
    {
      group = g_new0 (Group, 1);
      group->number = number;
      /* A request alone asking again goes first; the others take their
       * place by age, a group formed by a re-ask that of the re-ask. */
      group->age = again && number == 0 ? 0 : ++self->last_age;
      g_queue_init (&group->requests);
      if (number != 0)
        g_hash_table_insert (self->groups[priority], GUINT_TO_POINTER (number), group);
    }
  if (!again)
    group->n_asked++;
  if (!group->waiting)
    wait_in_turn (self, priority, group);

  waiter->again = again;
  waiter->number = number;
  if (again)
    g_queue_insert_before (&group->requests, after_re_asks (&group->requests), task);
  else
    g_queue_push_tail (&group->requests, task);
  waiter->group = group;
  self->n_waiting++;
}

/* Takes @task out of its group, which stops waiting once empty.
 * Returns: whether it was waiting */
static gboolean
dequeue (LensScheduler *self,
         GTask         *task)
{
  Waiter *waiter = g_task_get_task_data (task);
  Group *group = waiter->group;

  if (group == NULL || !g_queue_remove (&group->requests, task))
    return FALSE;
  waiter->group = NULL;
  self->n_waiting--;
  if (g_queue_is_empty (&group->requests))
    stop_waiting (self, waiter->priority, group);
  maybe_free_group (self, waiter->priority, group);
  return TRUE;
}

static guint
count_waiting (LensScheduler *self)
{
  return self->n_waiting;
}

static gboolean wake_cb (gpointer user_data);

static void
wake_at (LensScheduler *self,
         gint64         at,
         gint64         now)
{
  lens_http_clear_source (&self->wake_source);
  self->wake_source = g_timeout_source_new ((guint) ((at - now + 999) / 1000));
  g_source_set_static_name (self->wake_source, "[tasklens] API scheduler");
  g_source_set_callback (self->wake_source, wake_cb, self, NULL);
  g_source_attach (self->wake_source, NULL);
}

/* Call after any change to the counts. */
static void
update_state (LensScheduler *self)
{
  guint left = lens_scheduler_get_n_tasks_left (self);

  /* Throttled from a refusal until there is nothing left to ask and the
   * hold is over. (A refused request is released before it asks again.) */
  if (self->throttled && count_waiting (self) == 0 && self->n_in_flight == 0)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 hold_until = lens_api_pace_get_hold_until (self->pace);

      if (now < hold_until)
        {
          if (self->wake_source == NULL)
            wake_at (self, hold_until, now);
        }
      else
        {
          self->throttled = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THROTTLED]);
        }
    }

  if (left != self->notified_tasks_left)
    {
      self->notified_tasks_left = left;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TASKS_LEFT]);
    }
}

/* Takes @task. */
static void
grant (LensScheduler *self,
       GTask         *task,
       gint64         now)
{
  Waiter *waiter = g_task_get_task_data (task);
  LensSchedulerSlot *slot = g_new0 (LensSchedulerSlot, 1);

  lens_http_clear_source (&waiter->cancel_source);
  slot->sent_at = now;
  slot->in_flight_before = self->n_in_flight;
  slot->n_tasks = waiter->n_tasks;
  slot->priority = waiter->priority;
  slot->group = waiter->number;

  self->n_in_flight++;
  self->n_tasks_waiting -= waiter->n_tasks;
  self->n_tasks_in_flight += waiter->n_tasks;
  lens_api_pace_sent (self->pace, now);

  g_task_return_pointer (task, slot, g_free);
  g_object_unref (task);
}

static gboolean
wake_cb (gpointer user_data)
{
  LensScheduler *self = user_data;

  g_clear_pointer (&self->wake_source, g_source_unref);
  pump (self);
  return G_SOURCE_REMOVE;
}

/* The first request of the oldest small group, or else of the oldest
 * group, in the first priority with any waiting; the oldest group's after
 * MAX_PASSED requests of small ones passed it. The groups are few: what
 * one action of the user's asks for is one, however many ids. */
static GTask *
pop_next (LensScheduler *self)
{
  GQueue *groups = !g_queue_is_empty (&self->groups_waiting[LENS_REQUEST_PRIORITY_USER])
                   ? &self->groups_waiting[LENS_REQUEST_PRIORITY_USER]
                   : &self->groups_waiting[LENS_REQUEST_PRIORITY_BACKGROUND];
  Group *oldest = g_queue_peek_head (groups);
  Group *next = oldest;
  GTask *task;

  if (oldest->n_passed < MAX_PASSED)
    for (GList *l = groups->head; l != NULL; l = l->next)
      if (((Group *) l->data)->n_asked <= SMALL_GROUP)
        {
          next = l->data;
          break;
        }
  oldest->n_passed = next == oldest ? 0 : oldest->n_passed + 1;

  task = g_queue_peek_head (&next->requests);
  /* Granted: a numbered group stays while it is in flight, so that what it
   * asks for next counts what it asked for before. */
  if (next->number != 0)
    next->n_in_flight++;
  dequeue (self, task);
  return task;
}

/* Lets go what may go now, sets a timer for the next, and updates what
 * the scheduler tells. */
static void
pump (LensScheduler *self)
{
  g_autoptr(LensScheduler) hold = g_object_ref (self);

  lens_http_clear_source (&self->wake_source);

  while (count_waiting (self) > 0)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 at = lens_api_pace_next_send (self->pace, self->n_in_flight, now);

      if (at == G_MAXINT64)
        break;   /* a release pumps again */
      /* A timer cannot wait less than a millisecond, and usually waits a
       * little more: a turn due within half of one goes now. At the paces
       * where that matters (hundreds a second) it is not a burst. */
      if (at > now + MS_SLACK_US)
        {
          wake_at (self, at, now);
          break;
        }

      /* Granting may call back into the scheduler; the loop reads afresh. */
      grant (self, pop_next (self), now);
    }

  update_state (self);
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  LensScheduler *self = g_task_get_source_object (task);
  Waiter *waiter = g_task_get_task_data (task);
  /* The queue owned the task; keep it until it has returned. */
  g_autoptr(GTask) owned = NULL;

  lens_http_clear_source (&waiter->cancel_source);
  if (!dequeue (self, task))
    return G_SOURCE_REMOVE;
  owned = task;
  self->n_tasks_waiting -= waiter->n_tasks;

  g_task_return_new_error_literal (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   "The request was cancelled while it waited");
  pump (self);
  return G_SOURCE_REMOVE;
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
free_group_cb (gpointer  key,
               Group    *group,
               gpointer  user_data)
{
  g_free (group);
}

static void
lens_scheduler_finalize (GObject *object)
{
  LensScheduler *self = LENS_SCHEDULER (object);

  /* Every waiting request holds a reference: none can be left. */
  g_assert (count_waiting (self) == 0);
  /* A timer may outlive the last waiter, which was cancelled. */
  lens_http_clear_source (&self->wake_source);
  g_clear_pointer (&self->pace, lens_api_pace_free);
  /* Nothing waits or is in flight any more (a request in flight holds the
   * client, which holds the scheduler): any group left is freed with the
   * table. */
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      g_hash_table_foreach (self->groups[i], (GHFunc) free_group_cb, NULL);
      g_clear_pointer (&self->groups[i], g_hash_table_unref);
    }

  G_OBJECT_CLASS (lens_scheduler_parent_class)->finalize (object);
}

static void
lens_scheduler_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LensScheduler *self = LENS_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_THROTTLED:
      g_value_set_boolean (value, self->throttled);
      break;
    case PROP_N_TASKS_LEFT:
      g_value_set_uint (value, lens_scheduler_get_n_tasks_left (self));
      break;
    case PROP_MAX_RATE:
      g_value_set_double (value, lens_api_pace_get_cap (self->pace));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_scheduler_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LensScheduler *self = LENS_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_MAX_RATE:
      lens_scheduler_set_max_rate (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_scheduler_class_init (LensSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lens_scheduler_finalize;
  object_class->get_property = lens_scheduler_get_property;
  object_class->set_property = lens_scheduler_set_property;

  /**
   * LensScheduler:throttled:
   *
   * The server has refused a request with a 429 since the scheduler was
   * last idle: what is left goes at the pace it allows.
   */
  properties[PROP_THROTTLED] =
    g_param_spec_boolean ("throttled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * LensScheduler:n-tasks-left:
   *
   * How many tasks the requests waiting or in flight ask for.
   */
  properties[PROP_N_TASKS_LEFT] =
    g_param_spec_uint ("n-tasks-left", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * LensScheduler:max-rate:
   *
   * The user's ceiling in requests a second; 0 for none.
   */
  properties[PROP_MAX_RATE] =
    g_param_spec_double ("max-rate", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensScheduler::learnt-changed:
   *
   * The limit or the number in flight that the server admits has changed:
   * worth keeping for the next session (lens_scheduler_get_learnt()).
   */
  signals[LEARNT_CHANGED] =
    g_signal_new ("learnt-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lens_scheduler_init (LensScheduler *self)
{
  self->pace = lens_api_pace_new ();
  for (guint i = 0; i < G_N_ELEMENTS (self->groups_waiting); i++)
    {
      g_queue_init (&self->groups_waiting[i]);
      self->groups[i] = g_hash_table_new (NULL, NULL);
    }
}

/* ─── public API ───────────────────────────────────────────────────────── */

LensScheduler *
lens_scheduler_new (void)
{
  return g_object_new (LENS_TYPE_SCHEDULER, NULL);
}

/**
 * lens_scheduler_acquire_async:
 * @priority: who is waiting for the answer
 * @group: the requests of one action share a number (see the top of this
 *   file: small groups go first); 0 for a request alone
 * @n_tasks: how many tasks the request asks for (for the estimate of what
 *   is left)
 * @again: the request was refused and asks again: it goes first in its
 *   group
 *
 * Asks for a slot; the callback runs when the request may be sent.
 */
void
lens_scheduler_acquire_async (LensScheduler       *self,
                              LensRequestPriority  priority,
                              guint                group,
                              guint                n_tasks,
                              gboolean             again,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Waiter *waiter;

  g_return_if_fail (LENS_IS_SCHEDULER (self));
  g_return_if_fail (priority == LENS_REQUEST_PRIORITY_USER
                    || priority == LENS_REQUEST_PRIORITY_BACKGROUND);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_scheduler_acquire_async);
  g_task_set_static_name (task, "[tasklens] wait for the API scheduler");
  /* A granted slot is returned as granted; see the top of this file. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  waiter = g_new0 (Waiter, 1);
  waiter->priority = priority;
  waiter->n_tasks = n_tasks;
  g_task_set_task_data (task, waiter, waiter_free);
  waiter->cancel_source = lens_http_watch_cancel (task, cancelled_cb, task, NULL,
                                                  "[tasklens] scheduler wait cancelled");
  self->n_tasks_waiting += n_tasks;

  enqueue (self, g_steal_pointer (&task), group, again);

  pump (self);
}

/**
 * lens_scheduler_acquire_finish:
 *
 * Returns: (transfer full): the slot, to give back with
 *   lens_scheduler_release(); %NULL with %G_IO_ERROR_CANCELLED when the
 *   request was cancelled while it waited
 */
LensSchedulerSlot *
lens_scheduler_acquire_finish (LensScheduler  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_scheduler_acquire_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lens_scheduler_release:
 * @slot: (transfer full): the slot the request held
 * @outcome: what the server made of the request
 * @refusal: for %LENS_SCHEDULER_REFUSED, what the 429 said was exceeded
 * @retry_after_us: for %LENS_SCHEDULER_REFUSED, the server's Retry-After
 *   in µs from now, or -1 when it sent none
 *
 * Gives a slot back, and learns from the answer.
 */
void
lens_scheduler_release (LensScheduler        *self,
                        LensSchedulerSlot    *slot,
                        LensSchedulerOutcome  outcome,
                        LensApiRefusal        refusal,
                        gint64                retry_after_us)
{
  gint64 now = g_get_monotonic_time ();
  gboolean learnt = FALSE;

  g_return_if_fail (LENS_IS_SCHEDULER (self));
  g_return_if_fail (slot != NULL);
  g_return_if_fail (self->n_in_flight > 0);

  self->n_in_flight--;
  self->n_tasks_in_flight -= MIN (slot->n_tasks, self->n_tasks_in_flight);
  if (slot->group != 0)
    {
      Group *group = g_hash_table_lookup (self->groups[slot->priority], GUINT_TO_POINTER (slot->group));

      if (group != NULL && group->n_in_flight > 0)
        {
          group->n_in_flight--;
          maybe_free_group (self, slot->priority, group);
        }
    }

  switch (outcome)
    {
    case LENS_SCHEDULER_ADMITTED:
      learnt = lens_api_pace_succeeded (self->pace, slot->sent_at, now);
      break;
    case LENS_SCHEDULER_REFUSED:
      self->n_refused++;
      learnt = lens_api_pace_refused (self->pace, slot->sent_at, slot->in_flight_before,
                                      refusal, retry_after_us, now);
      if (!self->throttled)
        {
          self->throttled = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THROTTLED]);
        }
      break;
    case LENS_SCHEDULER_UNANSWERED:
    default:
      lens_api_pace_unanswered (self->pace, slot->sent_at);
      break;
    }
  g_free (slot);

  if (learnt)
    g_signal_emit (self, signals[LEARNT_CHANGED], 0);
  pump (self);
}

/**
 * lens_scheduler_set_max_rate:
 * @max_per_second: never more requests a second than this; 0 for no cap
 */
void
lens_scheduler_set_max_rate (LensScheduler *self,
                             double         max_per_second)
{
  g_return_if_fail (LENS_IS_SCHEDULER (self));

  if (lens_api_pace_get_cap (self->pace) == MAX (max_per_second, 0))
    return;
  lens_api_pace_set_cap (self->pace, max_per_second);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RATE]);
  pump (self);
}

double
lens_scheduler_get_max_rate (LensScheduler *self)
{
  g_return_val_if_fail (LENS_IS_SCHEDULER (self), 0);
  return lens_api_pace_get_cap (self->pace);
}

/**
 * lens_scheduler_set_learnt:
 *
 * Starts from what an earlier session learnt of this API URL.
 */
void
lens_scheduler_set_learnt (LensScheduler *self,
                           double         limit_per_second,
                           guint          max_in_flight)
{
  g_return_if_fail (LENS_IS_SCHEDULER (self));

  lens_api_pace_set_learnt (self->pace, limit_per_second, max_in_flight,
                            g_get_monotonic_time ());
  pump (self);
}

void
lens_scheduler_get_learnt (LensScheduler *self,
                           double        *limit_per_second,
                           guint         *max_in_flight)
{
  g_return_if_fail (LENS_IS_SCHEDULER (self));
  lens_api_pace_get_learnt (self->pace, limit_per_second, max_in_flight);
}

/**
 * lens_scheduler_forget:
 *
 * Starts learning afresh: the API URL or the token changed, and with them
 * the limit. The user's ceiling stays.
 */
void
lens_scheduler_forget (LensScheduler *self)
{
  double cap;

  g_return_if_fail (LENS_IS_SCHEDULER (self));

  cap = lens_api_pace_get_cap (self->pace);
  lens_api_pace_forget (self->pace);
  lens_api_pace_set_cap (self->pace, cap);
  pump (self);
}

gboolean
lens_scheduler_get_throttled (LensScheduler *self)
{
  g_return_val_if_fail (LENS_IS_SCHEDULER (self), FALSE);
  return self->throttled;
}

/* Returns: the pace now, in requests a second */
double
lens_scheduler_get_rate (LensScheduler *self)
{
  g_return_val_if_fail (LENS_IS_SCHEDULER (self), 0);
  return lens_api_pace_get_rate (self->pace);
}

guint
lens_scheduler_get_n_in_flight (LensScheduler *self)
{
  g_return_val_if_fail (LENS_IS_SCHEDULER (self), 0);
  return self->n_in_flight;
}

guint
lens_scheduler_get_n_waiting (LensScheduler *self)
{
  g_return_val_if_fail (LENS_IS_SCHEDULER (self), 0);
  return count_waiting (self);
}

guint
lens_scheduler_get_n_tasks_left (LensScheduler *self)
{
  g_return_val_if_fail (LENS_IS_SCHEDULER (self), 0);
  return self->n_tasks_waiting + self->n_tasks_in_flight;
}

/**
 * lens_scheduler_get_seconds_left:
 *
 * Returns: about how long the requests waiting will take at the pace now,
 *   including a hold that is running (whole seconds, rounded up)
 */
guint
lens_scheduler_get_seconds_left (LensScheduler *self)
{
  gint64 now = g_get_monotonic_time ();
  double seconds;

  g_return_val_if_fail (LENS_IS_SCHEDULER (self), 0);

  seconds = count_waiting (self) / MAX (lens_api_pace_get_rate (self->pace), 0.01);
  /* (No hold is G_MININT64: subtracting from it would overflow.) */
  if (lens_api_pace_get_hold_until (self->pace) > now)
    seconds += (lens_api_pace_get_hold_until (self->pace) - now) / (double) G_TIME_SPAN_SECOND;
  return (guint) MIN (seconds + 0.999, (double) G_MAXUINT);
}

/* Returns: how many requests the server refused with a 429 */
guint
lens_scheduler_get_n_refused (LensScheduler *self)
{
  g_return_val_if_fail (LENS_IS_SCHEDULER (self), 0);
  return self->n_refused;
}
