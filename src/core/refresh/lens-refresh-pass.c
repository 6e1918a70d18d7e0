/* lens-refresh-pass.c — the refresher's pass over the task list, a slice a
 * turn of the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A refresher tick is a pass over the list: it tells the poll schedule
 * (lens-poll-schedule.c) the tasks it can plan for, and hands what the
 * schedule says goes out now to the refresher (lens-refresher.c), which
 * has it sent (lens-refresh-requests.c). While 100,000 pasted ids wait to be looked up, those are all of
 * them, and a pass in one turn of the main loop took 80 to 100 ms
 * (bench-paste 100000): so a pass reads the list a slice a turn, within
 * the turn's budget (lens-turn-budget.c), and what the slices plan goes out
 * in whole chunks, the rest at the pass's end.
 *
 * This owns the pass's timers, what it planned and has not handed over
 * yet, and the groups of requests of what is asked at once: the user's
 * refreshes of a pass, and the new tasks of each action
 * (lens-action-spans.c). It reads the list and asks the schedule; what
 * goes out, and the end of a pass, it hands over through
 * LensRefreshPassCallbacks. It marks the tasks the schedule finds stalled.
 */

#define G_LOG_DOMAIN "lens-refresh-pass"

#include "config.h"

#include "lens-action-spans.h"
#include "lens-number.h"
#include "lens-refresh-pass.h"
#include "lens-turn-budget.h"

struct _LensRefreshPass
{
  LensTaskList             *tasks;            /* owned */
  LensPollSchedule         *schedule;         /* borrowed: the refresher's */
  LensClient               *client;           /* owned: its chunk size and groups */
  LensRefreshPassCallbacks  callbacks;
  gpointer                  user_data;

  guint                     tick_id;
  gint64                    tick_at;          /* monotonic µs of an armed tick */
  gboolean                  tick_is_idle;
  /* A tick is a pass over the list, in slices (see tick_cb()). */
  guint                     position;         /* where the pass under way goes on; NO_PASS when none */
  gint64                    wake_at;          /* monotonic µs: the earliest wake-up its slices asked for */
  gboolean                  again;            /* a tick was asked for during the pass: another follows */
  gint64                    cost;             /* µs of the main thread the pass under way took so far */
  gint64                    last_cost;        /* µs the last pass took, all slices */
  /* The groups of requests (LensClient) of what is asked at once: */
  guint                     asked_group;      /* of what the user asked for again in the pass; 0 until then */
  LensActionSpans          *actions;          /* owned: the group of the new tasks of each action */
  GPtrArray                *asked;            /* of char * (owned): planned, asked for again by the user… */
  GPtrArray                *at_once;          /* …and new: sent in whole chunks */
  GPtrArray                *round;            /* of char * (owned): the same for the poll round */
  guint                     slice_budget_us;  /* the most one slice takes */
};

/* How long after an answer its tick comes; see
 * lens_refresh_pass_schedule_after_answer(). */
#define ANSWER_TICK_DELAY_MS 50

/* How long one turn of the main loop may spend on a tick's pass over the
 * list; it looks at the clock every LENS_TURN_CLOCK_EVERY tasks. */
#define TICK_BUDGET_US 4000
#define NO_PASS G_MAXUINT

static gboolean tick_cb (gpointer user_data);

/**
 * lens_refresh_pass_new:
 * @tasks: the list to pass over
 * @schedule: the poll schedule to ask; it must outlive the pass
 * @client: what says the chunk size, and makes the groups of requests
 * @callbacks: (not nullable): where what goes out goes; copied
 *
 * Returns: (transfer full): a pass, idle until lens_refresh_pass_schedule()
 *   or tasks added (lens_refresh_pass_items_changed())
 */
LensRefreshPass *
lens_refresh_pass_new (LensTaskList                   *tasks,
                       LensPollSchedule               *schedule,
                       LensClient                     *client,
                       const LensRefreshPassCallbacks *callbacks,
                       gpointer                        user_data)
{
  LensRefreshPass *pass = g_new0 (LensRefreshPass, 1);

  pass->tasks = g_object_ref (tasks);
  pass->schedule = schedule;
  pass->client = g_object_ref (client);
  pass->callbacks = *callbacks;
  pass->user_data = user_data;
  pass->position = NO_PASS;
  pass->slice_budget_us = TICK_BUDGET_US;
  pass->asked = g_ptr_array_new_with_free_func (g_free);
  pass->at_once = g_ptr_array_new_with_free_func (g_free);
  pass->actions = lens_action_spans_new ();
  pass->round = g_ptr_array_new_with_free_func (g_free);
  return pass;
}

/* What the pass planned and did not hand over is not held back: the
 * schedule goes with it. */
void
lens_refresh_pass_free (LensRefreshPass *pass)
{
  if (pass == NULL)
    return;
  g_clear_handle_id (&pass->tick_id, g_source_remove);
  g_clear_object (&pass->tasks);
  g_clear_object (&pass->client);
  g_clear_pointer (&pass->asked, g_ptr_array_unref);
  g_clear_pointer (&pass->at_once, g_ptr_array_unref);
  g_clear_pointer (&pass->actions, lens_action_spans_free);
  g_clear_pointer (&pass->round, g_ptr_array_unref);
  g_free (pass);
}

/* Each of @ids goes back, due at once when asking starts again. */
static void
hold_back_all (LensRefreshPass *pass,
               GPtrArray       *ids)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      if (lens_task_list_lookup (pass->tasks, id) != NULL)
        lens_poll_schedule_report (pass->schedule, id, LENS_POLL_HELD_BACK, now);
    }
  g_ptr_array_set_size (ids, 0);
}

/* The pass under way ends; what it planned but did not send yet goes
 * back. */
static void
drop_pass (LensRefreshPass *pass)
{
  hold_back_all (pass, pass->asked);
  hold_back_all (pass, pass->at_once);
  hold_back_all (pass, pass->round);
  pass->position = NO_PASS;
}

/**
 * lens_refresh_pass_schedule:
 *
 * Asks for a pass. Coalesces: however often this is called in one turn of
 * the main loop, one tick follows, so what was queued in that turn goes
 * out together.
 */
void
lens_refresh_pass_schedule (LensRefreshPass *pass)
{
  /* A pass under way goes on; another follows it, for what changed
   * behind it. */
  if (pass->position != NO_PASS)
    {
      pass->again = TRUE;
      return;
    }
  if (pass->tick_is_idle)
    return;
  g_clear_handle_id (&pass->tick_id, g_source_remove);
  pass->tick_id = g_idle_add (tick_cb, pass);
  pass->tick_is_idle = TRUE;
}

static void
arm_tick (LensRefreshPass *pass,
          gint64           when)
{
  gint64 delay_ms = MAX (0, (when - g_get_monotonic_time () + 999) / 1000);

  if (pass->position != NO_PASS)
    {
      pass->wake_at = MIN (pass->wake_at, when);
      return;
    }
  if (pass->tick_is_idle)
    return;
  g_clear_handle_id (&pass->tick_id, g_source_remove);
  pass->tick_id = g_timeout_add ((guint) MIN (delay_ms, G_MAXUINT), tick_cb, pass);
  pass->tick_at = when;
}

/**
 * lens_refresh_pass_schedule_after_answer:
 *
 * After an answer: a tick plans what the answer changed (polls of tasks
 * still running, retries), but a tick reads the whole list, and a paste of
 * 10,000 ids is answered 200 times a second at full speed: answers that come
 * together share one tick, a moment later. Twice as long as the last pass
 * took at least, so that passes over 100,000 tasks waiting for an answer
 * take no more than a third of the main thread.
 */
void
lens_refresh_pass_schedule_after_answer (LensRefreshPass *pass)
{
  gint64 when = g_get_monotonic_time () + MAX (ANSWER_TICK_DELAY_MS * 1000, 2 * pass->last_cost);

  /* The pass under way may have gone past the task answered: a tick
   * follows it. */
  if (pass->position != NO_PASS)
    {
      pass->wake_at = MIN (pass->wake_at, when);
      return;
    }
  if (pass->tick_is_idle || (pass->tick_id != 0 && pass->tick_at <= when))
    return;
  arm_tick (pass, when);
}

/**
 * lens_refresh_pass_stop:
 *
 * Ends the pass under way, and the tick armed: what the pass planned and
 * did not hand over yet goes back to the schedule, due at once when asking
 * goes on (lens_refresh_pass_schedule()).
 */
void
lens_refresh_pass_stop (LensRefreshPass *pass)
{
  g_clear_handle_id (&pass->tick_id, g_source_remove);
  pass->tick_is_idle = FALSE;
  drop_pass (pass);
}

/**
 * lens_refresh_pass_drop_round:
 *
 * What the pass under way planned for the poll round and did not hand over
 * yet goes back to the schedule (polling was turned off).
 */
void
lens_refresh_pass_drop_round (LensRefreshPass *pass)
{
  hold_back_all (pass, pass->round);
}

/**
 * lens_refresh_pass_new_action:
 *
 * The tasks added to the list from now on come from another action of the
 * user's: their lookups go in a group of requests of their own
 * (lens-action-spans.c).
 */
void
lens_refresh_pass_new_action (LensRefreshPass *pass)
{
  lens_action_spans_end_action (pass->actions, g_list_model_get_n_items (G_LIST_MODEL (pass->tasks)));
}

/**
 * lens_refresh_pass_items_changed:
 *
 * Follows the list's ::items-changed: tasks added ask for a pass.
 */
void
lens_refresh_pass_items_changed (LensRefreshPass *pass,
                                 guint            position,
                                 guint            removed,
                                 guint            added)
{
  /* Tasks taken out before the place a pass has reached move the ones
   * after them back over it: another pass reads them. */
  if (removed > 0 && pass->position != NO_PASS && position < pass->position)
    pass->again = TRUE;
  lens_action_spans_items_changed (pass->actions, position, removed, added);
  if (added > 0 && !pass->callbacks.is_paused (pass->user_data))
    lens_refresh_pass_schedule (pass);
}

/**
 * lens_refresh_pass_set_slice_budget:
 * @microseconds: the most one turn of the main loop spends going through
 *   the list (4 ms); 0 makes it LENS_TURN_CLOCK_EVERY tasks a turn
 */
void
lens_refresh_pass_set_slice_budget (LensRefreshPass *pass,
                                    guint            microseconds)
{
  pass->slice_budget_us = microseconds;
}

/* LENS_POLL_PLANNED_STATES are the only states the schedule plans for
 * (lens_poll_schedule_plan()): a task asked for again is queued first.
 * Telling it only those tasks keeps a tick as cheap with 100,000 finished
 * tasks as with none; it comes after every burst of answers. */

/* One slice of a tick's pass: asks the schedule what goes out now for the
 * tasks from the pass's position on, for TICK_BUDGET_US at most, and keeps
 * it for send_planned(). It stops at @limit, where the tasks of another
 * action start. The tasks are read in the list itself, without a
 * reference: the schedule has copied what it keeps of them before anything
 * else runs.
 *
 * Returns: whether the pass reached the end of the list */
static gboolean
plan_slice (LensRefreshPass *pass,
            guint            limit)
{
  g_autoptr(GArray) listed = g_array_new (FALSE, FALSE, sizeof (LensPollTask));
  g_autoptr(LensPollPlan) plan = NULL;
  gint64 until = lens_turn_budget_until (pass->slice_budget_us);
  gint64 real_now = g_get_real_time ();
  guint n_tasks = g_list_model_get_n_items (G_LIST_MODEL (pass->tasks));
  guint end = MIN (n_tasks, limit);
  guint position = pass->position;

  for (; position < end; position++)
    {
      LensTask *task = lens_task_list_peek (pass->tasks, position);
      LensTaskState state = lens_task_get_state (task);
      double created_at;
      gint64 created_usec;
      LensPollTask entry = { .id = lens_task_get_id (task), .state = state, .age = -1 };

      if ((position - pass->position + 1) % LENS_TURN_CLOCK_EVERY == 0
          && g_get_monotonic_time () >= until)
        break;
      if ((LENS_POLL_PLANNED_STATES & (1u << state)) == 0)
        continue;
      /* The server's time, bounded: one that does not fit is unknown. */
      created_at = lens_task_get_created_at (task);
      if (created_at > 0 && lens_number_seconds_to_usec (created_at, &created_usec))
        entry.age = real_now - created_usec;
      g_array_append_val (listed, entry);
    }
  pass->position = position;

  plan = lens_poll_schedule_plan (pass->schedule, (const LensPollTask *) listed->data,
                                  listed->len, g_get_monotonic_time ());
  pass->wake_at = MIN (pass->wake_at, plan->wake_at);

  for (guint i = 0; i < plan->stalled->len; i++)
    {
      /* Looked up each time: a handler of the state may change the list. */
      LensTask *task = lens_task_list_lookup (pass->tasks, g_ptr_array_index (plan->stalled, i));

      if (task != NULL)
        lens_task_mark_stalled (task);
    }
  for (guint i = 0; i < plan->at_once->len; i++)
    g_ptr_array_add (i < plan->n_asked ? pass->asked : pass->at_once,
                     g_steal_pointer (&plan->at_once->pdata[i]));
  for (guint i = 0; i < plan->round->len; i++)
    g_ptr_array_add (pass->round, g_steal_pointer (&plan->round->pdata[i]));
  return pass->position >= g_list_model_get_n_items (G_LIST_MODEL (pass->tasks));
}

/* Takes the ids of @ids that go now out of it: whole chunks of @chunk, or
 * @all of them. What is sent is out of the pass's hands before anything
 * that sending calls could end the pass. */
static GPtrArray *
take_ready (GPtrArray *ids,
            guint      chunk,
            gboolean   all)
{
  guint n = all ? ids->len : ids->len / chunk * chunk;
  GPtrArray *taken = g_ptr_array_new_full (n, g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (taken, g_steal_pointer (&ids->pdata[i]));
  g_ptr_array_remove_range (ids, 0, n);
  return taken;
}

/* Hands @ids over to be sent at once in the group *@group, made with the
 * first of them: what one action of the user's asks for is one group
 * (lens-scheduler.c). */
static void
send_at_once (LensRefreshPass *pass,
              GPtrArray       *ids,
              guint           *group)
{
  if (*group == 0)
    *group = lens_client_new_group (pass->client);
  pass->callbacks.send_at_once (ids, *group, pass->user_data);
}

/* Sends what the pass planned so far in whole chunks, and all of it at the
 * pass's end: each slice's tasks in chunks of their own would make a
 * request more a slice. The new tasks planned go in @new_group, all of them
 * at the end of their action's span (@action_done). */
static void
send_planned (LensRefreshPass *pass,
              gboolean         all,
              gboolean         action_done,
              guint           *new_group)
{
  guint chunk = lens_client_get_chunk_size (pass->client);
  g_autoptr(GPtrArray) asked = take_ready (pass->asked, chunk, all);
  g_autoptr(GPtrArray) at_once = take_ready (pass->at_once, chunk, all || action_done);
  g_autoptr(GPtrArray) round = take_ready (pass->round, chunk, all);

  if (asked->len > 0)
    send_at_once (pass, asked, &pass->asked_group);
  if (at_once->len > 0)
    send_at_once (pass, at_once, new_group);
  if (round->len > 0)
    pass->callbacks.queue_round (round, pass->user_data);
}

/* Asks the schedule what goes out now, sends it, and sleeps until the
 * schedule's next wake-up: a pass over the list, a slice a turn of the main
 * loop. Each answer to 100,000 pasted ids being looked up asked for a pass
 * over all of them, 80 to 100 ms in one turn (bench-paste 100000). A slice
 * plans its own tasks: one nearly due joins a round of its own slice. */
static gboolean
tick_cb (gpointer user_data)
{
  LensRefreshPass *pass = user_data;
  gint64 started = g_get_monotonic_time ();
  guint slice_start, action_end;
  gboolean done;

  pass->tick_id = 0;
  pass->tick_is_idle = FALSE;
  if (pass->callbacks.is_paused (pass->user_data))
    {
      drop_pass (pass);
      return G_SOURCE_REMOVE;
    }
  if (pass->position == NO_PASS)
    {
      pass->position = 0;
      pass->wake_at = G_MAXINT64;
      pass->again = FALSE;
      pass->cost = 0;
      /* What the user asks for again is an action of each pass's. */
      pass->asked_group = 0;
    }

  /* A slice plans the tasks of one action at most: the new ones go in its
   * group (lens-action-spans.c). */
  slice_start = pass->position;
  lens_action_spans_group_at (pass->actions, slice_start, &action_end);
  done = plan_slice (pass, action_end);
  /* A handler of a task marked stalled may have paused the refresher,
   * which ended the pass (lens_refresh_pass_stop()). */
  if (pass->position == NO_PASS)
    return G_SOURCE_REMOVE;
  send_planned (pass, done, pass->position >= action_end,
                lens_action_spans_group_at (pass->actions, slice_start, &action_end));
  if (pass->position != NO_PASS)
    lens_action_spans_passed (pass->actions, pass->position);
  pass->cost += g_get_monotonic_time () - started;
  if (pass->position == NO_PASS)
    return G_SOURCE_REMOVE;
  if (!done)
    {
      pass->tick_id = g_idle_add (tick_cb, pass);
      pass->tick_is_idle = TRUE;
      return G_SOURCE_REMOVE;
    }

  pass->position = NO_PASS;
  pass->last_cost = pass->cost;
  pass->callbacks.ended (pass->user_data);
  if (pass->again)
    lens_refresh_pass_schedule (pass);
  else if (pass->wake_at != G_MAXINT64)
    arm_tick (pass, pass->wake_at);
  return G_SOURCE_REMOVE;
}
