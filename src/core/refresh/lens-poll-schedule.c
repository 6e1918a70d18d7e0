/* lens-poll-schedule.c — which tasks to ask for, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The refresher's decisions, without its timers: a plain struct that is told
 * the time ("now", monotonic µs) rather than reading a clock, so that every
 * rule here is tested by moving a number (tests/test-poll-schedule.c).
 * LensRefresher applies what it decides.
 *
 * Two lanes lead to the server. New tasks (queued) go out at once, in one
 * batch, together with those the user asked for: that is one user action,
 * so it is not held back.
 *
 * Tasks still pending or running are polled on a schedule of their own,
 * counted from their last answer: the first interval (5 s) while they move,
 * one interval slower (10, 20, 30 s) for every answer that shows no change.
 * The tasks due at a plan, with those due within half the first interval,
 * make one poll round, so that tasks added at different times end up asked
 * for together. The refresher sends a round in chunks, one chunk per minimum
 * request interval (1 s). (How fast the server allows requests, and holding
 * them after a 429, is the API scheduler's business: src/core/api.)
 *
 * A task unfinished far past the API's own limit, and unchanged for as long,
 * is stalled: it is left alone until the user asks again. Finished tasks
 * are forgotten, and never due again.
 */

#define G_LOG_DOMAIN "lens-poll-schedule"

#include "config.h"

#include "lens-poll-schedule.h"

#define DEFAULT_STALL_AFTER_S     600
#define DEFAULT_MIN_REQUEST_MS    1000

static const guint default_intervals[] = { 5000, 10000, 20000, 30000 };

/* What the schedule knows of one task it asks for. */
typedef struct
{
  gint64   due;              /* monotonic µs: not asked again before */
  gint64   last_change;      /* monotonic µs: state or progress last moved */
  guint    step;             /* index into the intervals */
  gboolean in_flight;        /* asked for, or waiting for its turn */
  gboolean urgent;           /* the user asked: goes out at once */
  gboolean seen_unfinished;  /* was pending or running: its end is news */
  gboolean judge_stall;      /* answered unchanged since the last plan */
} Watch;

struct _LensPollSchedule
{
  GHashTable *watches;       /* id (owned) → Watch (owned) */
  GArray     *intervals;     /* of guint, milliseconds; never empty */
  gint64      stall_after;   /* µs */
  gint64      min_request;   /* µs */
  gboolean    polling;
  gboolean    has_sent;
  gint64      last_send;     /* monotonic µs, when has_sent */
};

/* ─── the plan ─────────────────────────────────────────────────────────── */

static LensPollPlan *
lens_poll_plan_new (void)
{
  LensPollPlan *plan = g_new0 (LensPollPlan, 1);

  plan->at_once = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  plan->round = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  plan->stalled = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  plan->wake_at = G_MAXINT64;
  return plan;
}

void
lens_poll_plan_free (LensPollPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->at_once);
  g_ptr_array_unref (plan->round);
  g_ptr_array_unref (plan->stalled);
  g_free (plan);
}

/* ─── watches ──────────────────────────────────────────────────────────── */

static gint64
interval (LensPollSchedule *self,
          guint             step)
{
  guint ms = g_array_index (self->intervals, guint, MIN (step, self->intervals->len - 1));

  return (gint64) ms * 1000;
}

static guint
slower (LensPollSchedule *self,
        guint             step)
{
  return MIN (step + 1, self->intervals->len - 1);
}

static Watch *
ensure_watch (LensPollSchedule *self,
              const char       *id,
              gint64            now)
{
  Watch *watch = g_hash_table_lookup (self->watches, id);

  if (watch == NULL)
    {
      watch = g_new0 (Watch, 1);
      watch->due = now;
      watch->last_change = now;
      g_hash_table_insert (self->watches, g_strdup (id), watch);
    }
  return watch;
}

static gboolean
is_unfinished (LensTaskState state)
{
  return state == LENS_TASK_STATE_PENDING || state == LENS_TASK_STATE_RUNNING;
}

/* The API gives up on a task after about ten minutes: one still unfinished
 * long after it was created, and unchanged for as long, will not finish.
 * Judged only on an answer, so that a task is never given up on without a
 * last look. */
static gboolean
has_stalled (LensPollSchedule   *self,
             const LensPollTask *task,
             Watch              *watch,
             gint64              now)
{
  return task->age > self->stall_after && now - watch->last_change > self->stall_after;
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_poll_schedule_new:
 *
 * Returns: (transfer full): a schedule with the defaults: intervals of 5,
 *   10, 20 and 30 s, stalled after ten minutes, a poll request a second at
 *   most, polling on
 */
LensPollSchedule *
lens_poll_schedule_new (void)
{
  LensPollSchedule *self = g_new0 (LensPollSchedule, 1);

  self->watches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->intervals = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (self->intervals, default_intervals, G_N_ELEMENTS (default_intervals));
  self->stall_after = (gint64) DEFAULT_STALL_AFTER_S * G_USEC_PER_SEC;
  self->min_request = (gint64) DEFAULT_MIN_REQUEST_MS * 1000;
  self->polling = TRUE;
  return self;
}

void
lens_poll_schedule_free (LensPollSchedule *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->watches);
  g_array_unref (self->intervals);
  g_free (self);
}

/**
 * lens_poll_schedule_set_intervals:
 * @intervals_ms: (array length=n_intervals): how long to wait after an
 *   answer: the first entry after a change, each next one after another
 *   answer without change; the last one repeats
 * @now: monotonic µs
 */
void
lens_poll_schedule_set_intervals (LensPollSchedule *self,
                                  const guint      *intervals_ms,
                                  guint             n_intervals,
                                  gint64            now)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (self != NULL);
  g_return_if_fail (intervals_ms != NULL && n_intervals > 0);
  for (guint i = 0; i < n_intervals; i++)
    g_return_if_fail (intervals_ms[i] > 0);

  g_array_set_size (self->intervals, 0);
  g_array_append_vals (self->intervals, intervals_ms, n_intervals);

  /* Nobody waits longer than the new intervals say. */
  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Watch *watch = value;

      watch->step = MIN (watch->step, n_intervals - 1);
      watch->due = MIN (watch->due, now + interval (self, watch->step));
    }
}

/* A task unfinished and unchanged for longer than @seconds, and created
 * longer ago than that, is stalled. */
void
lens_poll_schedule_set_stall_after (LensPollSchedule *self,
                                    guint             seconds)
{
  g_return_if_fail (self != NULL);
  self->stall_after = (gint64) seconds * G_USEC_PER_SEC;
}

/* How long after one request the next may leave. */
void
lens_poll_schedule_set_min_request_interval (LensPollSchedule *self,
                                             guint             milliseconds)
{
  g_return_if_fail (self != NULL);
  self->min_request = (gint64) milliseconds * 1000;
}

/* Off: pending and running tasks are not polled; new ones are still looked
 * up once, and what the user asks for still goes out. */
void
lens_poll_schedule_set_polling (LensPollSchedule *self,
                                gboolean          enabled)
{
  g_return_if_fail (self != NULL);
  self->polling = !!enabled;
}

/**
 * lens_poll_schedule_plan:
 * @tasks: (array length=n_tasks): the list's tasks that are queued,
 *   pending or running, in its order (a task in any other state is left
 *   alone: one asked for again is queued first, and one that finishes is
 *   reported with lens_poll_schedule_finished())
 * @now: monotonic µs
 *
 * Decides what goes out now, and when to look again. The ids it returns
 * to ask for are in flight from now on: each is reported back with
 * lens_poll_schedule_report() or lens_poll_schedule_finished().
 *
 * Returns: (transfer full): the plan
 */
LensPollPlan *
lens_poll_schedule_plan (LensPollSchedule   *self,
                         const LensPollTask *tasks,
                         guint               n_tasks,
                         gint64              now)
{
  g_autoptr(LensPollPlan) plan = lens_poll_plan_new ();
  g_autoptr(GPtrArray) queued = g_ptr_array_new ();   /* of char *: owned, moved to at_once */
  g_autoptr(GPtrArray) near = g_ptr_array_new ();     /* of LensPollTask *: borrowed */
  gint64 slack = interval (self, 0) / 2;
  gint64 next = G_MAXINT64;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (tasks != NULL || n_tasks == 0, NULL);

  for (guint i = 0; i < n_tasks; i++)
    {
      const LensPollTask *task = &tasks[i];
      gboolean unfinished = is_unfinished (task->state);
      Watch *watch = g_hash_table_lookup (self->watches, task->id);

      if (watch != NULL && watch->in_flight)
        continue;

      if ((watch != NULL && watch->urgent)
          || (task->state == LENS_TASK_STATE_QUEUED && (watch == NULL || watch->due <= now)))
        {
          gboolean urgent = watch != NULL && watch->urgent;

          watch = ensure_watch (self, task->id, now);
          watch->in_flight = TRUE;
          watch->urgent = FALSE;
          watch->judge_stall = FALSE;
          watch->seen_unfinished |= unfinished;
          g_ptr_array_add (urgent ? plan->at_once : queued, g_strdup (task->id));
          continue;
        }

      if (watch != NULL && watch->judge_stall)
        {
          watch->judge_stall = FALSE;
          if (unfinished && has_stalled (self, task, watch, now))
            {
              g_ptr_array_add (plan->stalled, g_strdup (task->id));
              continue;
            }
        }

      /* Queued, but failed not long ago: its turn comes. */
      if (task->state == LENS_TASK_STATE_QUEUED)
        next = MIN (next, watch->due);
      if (!unfinished || !self->polling)
        continue;

      /* Unfinished tasks not seen before (restored from the history) are
       * due at once. */
      watch = ensure_watch (self, task->id, now);
      watch->seen_unfinished = TRUE;
      if (watch->due <= now)
        g_ptr_array_add (plan->round, g_strdup (task->id));
      else if (watch->due <= now + slack)
        g_ptr_array_add (near, (gpointer) task);
      else
        next = MIN (next, watch->due);
    }

  /* What the user asked for goes first. */
  plan->n_asked = plan->at_once->len;
  for (guint i = 0; i < queued->len; i++)
    g_ptr_array_add (plan->at_once, g_ptr_array_index (queued, i));

  /* Tasks nearly due join a round that goes out anyway; alone, they wait
   * for their time. */
  for (guint i = 0; i < near->len; i++)
    {
      const LensPollTask *task = g_ptr_array_index (near, i);

      if (plan->round->len > 0)
        g_ptr_array_add (plan->round, g_strdup (task->id));
      else
        next = MIN (next, ((Watch *) g_hash_table_lookup (self->watches, task->id))->due);
    }

  for (guint i = 0; i < plan->round->len; i++)
    ((Watch *) g_hash_table_lookup (self->watches, g_ptr_array_index (plan->round, i)))->in_flight
      = TRUE;

  plan->wake_at = next;
  return g_steal_pointer (&plan);
}

/**
 * lens_poll_schedule_ask_now:
 * @now: monotonic µs
 *
 * The user asked for @id: it goes out with the next plan, whatever its turn
 * and state (this is also how a stalled task is checked again).
 *
 * Returns: %FALSE when @id is in flight already, and nothing changes
 */
gboolean
lens_poll_schedule_ask_now (LensPollSchedule *self,
                            const char       *id,
                            gint64            now)
{
  Watch *watch;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  watch = ensure_watch (self, id, now);
  if (watch->in_flight)
    return FALSE;
  watch->urgent = TRUE;
  return TRUE;
}

/**
 * lens_poll_schedule_report:
 * @now: monotonic µs
 *
 * Tells what became of @id, which was in flight (a task the schedule does
 * not know yet is taken in); it is no longer in flight.
 */
void
lens_poll_schedule_report (LensPollSchedule *self,
                           const char       *id,
                           LensPollOutcome   outcome,
                           gint64            now)
{
  Watch *watch;

  g_return_if_fail (self != NULL);
  g_return_if_fail (id != NULL);

  watch = ensure_watch (self, id, now);
  watch->in_flight = FALSE;

  switch (outcome)
    {
    case LENS_POLL_CHANGED:
      watch->seen_unfinished = TRUE;
      watch->step = 0;
      watch->last_change = now;
      watch->due = now + interval (self, watch->step);
      break;
    case LENS_POLL_UNCHANGED:
      watch->seen_unfinished = TRUE;
      watch->step = slower (self, watch->step);
      watch->due = now + interval (self, watch->step);
      watch->judge_stall = TRUE;
      break;
    case LENS_POLL_FAILED:
      watch->step = slower (self, watch->step);
      watch->due = now + interval (self, watch->step);
      break;
    case LENS_POLL_HELD_BACK:
      watch->due = G_MININT64;
      break;
    default:
      g_return_if_reached ();
    }
}

/**
 * lens_poll_schedule_finished:
 *
 * Forgets @id, which is done, failed or unknown to the server: it is never
 * due again, unless the user asks (lens_poll_schedule_ask_now()).
 *
 * Returns: whether @id had been seen pending or running: its end is news
 */
gboolean
lens_poll_schedule_finished (LensPollSchedule *self,
                             const char       *id)
{
  Watch *watch;
  gboolean seen_unfinished;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  watch = g_hash_table_lookup (self->watches, id);
  seen_unfinished = watch != NULL && watch->seen_unfinished;
  lens_poll_schedule_forget (self, id);
  return seen_unfinished;
}

typedef struct
{
  LensPollIsListedFunc is_listed;
  gpointer             user_data;
} Listed;

static gboolean
is_missing (gpointer key,
            gpointer value,
            gpointer user_data)
{
  Listed *listed = user_data;

  return !listed->is_listed (key, listed->user_data);
}

/**
 * lens_poll_schedule_forget:
 *
 * Forgets @id, a task that left the list: added again, it is new.
 */
void
lens_poll_schedule_forget (LensPollSchedule *self,
                           const char       *id)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (id != NULL);

  g_hash_table_remove (self->watches, id);
}

/**
 * lens_poll_schedule_forget_missing:
 * @is_listed: (scope call): says whether an id is still in the list
 *
 * Forgets the tasks that left the list: one added again is new. Asks
 * @is_listed for every task watched: for many tasks removed at once, where
 * lens_poll_schedule_forget() for each would cost more.
 */
void
lens_poll_schedule_forget_missing (LensPollSchedule     *self,
                                   LensPollIsListedFunc  is_listed,
                                   gpointer              user_data)
{
  Listed listed = { is_listed, user_data };

  g_return_if_fail (self != NULL);
  g_return_if_fail (is_listed != NULL);

  g_hash_table_foreach_remove (self->watches, is_missing, &listed);
}

/* How many tasks the schedule keeps something of. */
guint
lens_poll_schedule_get_n_watched (LensPollSchedule *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->watches);
}

/**
 * lens_poll_schedule_next_send:
 *
 * Returns: the earliest time (monotonic µs) the next request may leave: a
 *   minimum request interval after the last one
 */
gint64
lens_poll_schedule_next_send (LensPollSchedule *self)
{
  g_return_val_if_fail (self != NULL, G_MAXINT64);

  return self->has_sent ? self->last_send + self->min_request : G_MININT64;
}

/* A request left at @now. */
void
lens_poll_schedule_sent (LensPollSchedule *self,
                         gint64            now)
{
  g_return_if_fail (self != NULL);
  self->has_sent = TRUE;
  self->last_send = now;
}
