/* lens-user-refreshes.c — what the user asked to refresh, marked queued and
 * told to the poll schedule, a slice a turn of the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The user asks for tasks again (Refresh on the tasks picked, Refresh
 * Unfinished): each is marked queued, a change the list, the rows and the
 * history follow, and the poll schedule (lens-poll-schedule.c) is told to
 * ask for it now. Too much for one turn of the main loop when 100,000
 * tasks are picked (see refresh_slice()): they are marked a slice a turn,
 * and the pass over the list that follows each slice (lens-refresh-pass.c)
 * sends what is marked so far. This keeps the tasks still to mark and the
 * idle that marks them; the refresher learns what happened through
 * LensUserRefreshesCallbacks.
 */

#define G_LOG_DOMAIN "lens-user-refreshes"

#include "config.h"

#include "lens-turn-budget.h"
#include "lens-user-refreshes.h"

struct _LensUserRefreshes
{
  LensTaskList                *tasks;            /* owned */
  LensPollSchedule            *schedule;         /* borrowed: the refresher's */
  LensUserRefreshesCallbacks   callbacks;
  gpointer                     user_data;

  GPtrArray                   *refreshing;       /* of LensTask (owned): what the user asked to refresh, not yet asked */
  guint                        refreshed;        /* how many of them are asked */
  guint                        refresh_id;       /* the idle that asks the next of them */
  guint                        slice_budget_us;  /* the most one slice takes */
};

/* The most a slice takes, as a pass's slice (lens-refresh-pass.c); see
 * lens_user_refreshes_set_slice_budget(). */
#define SLICE_BUDGET_US 4000

/**
 * lens_user_refreshes_new:
 * @schedule: the poll schedule to tell; it must outlive the refreshes
 * @callbacks: (not nullable): copied
 */
LensUserRefreshes *
lens_user_refreshes_new (LensTaskList                     *tasks,
                         LensPollSchedule                 *schedule,
                         const LensUserRefreshesCallbacks *callbacks,
                         gpointer                          user_data)
{
  LensUserRefreshes *refreshes = g_new0 (LensUserRefreshes, 1);

  refreshes->tasks = g_object_ref (tasks);
  refreshes->schedule = schedule;
  refreshes->callbacks = *callbacks;
  refreshes->user_data = user_data;
  refreshes->refreshing = g_ptr_array_new_with_free_func (g_object_unref);
  refreshes->slice_budget_us = SLICE_BUDGET_US;
  return refreshes;
}

void
lens_user_refreshes_free (LensUserRefreshes *refreshes)
{
  if (refreshes == NULL)
    return;
  lens_user_refreshes_cancel (refreshes);
  g_clear_pointer (&refreshes->refreshing, g_ptr_array_unref);
  g_clear_object (&refreshes->tasks);
  g_free (refreshes);
}

/**
 * lens_user_refreshes_cancel:
 *
 * Stops marking, for the end of the refresher.
 */
void
lens_user_refreshes_cancel (LensUserRefreshes *refreshes)
{
  g_clear_handle_id (&refreshes->refresh_id, g_source_remove);
}

/**
 * lens_user_refreshes_is_marking:
 *
 * Returns: whether some of what the user asked to refresh wait to be
 *   marked, in the turns to come
 */
gboolean
lens_user_refreshes_is_marking (LensUserRefreshes *refreshes)
{
  return refreshes->refresh_id != 0;
}

/**
 * lens_user_refreshes_set_slice_budget:
 * @microseconds: the most one turn of the main loop spends marking (4 ms,
 *   as a pass's slice); 0 makes it LENS_TURN_CLOCK_EVERY tasks a turn
 */
void
lens_user_refreshes_set_slice_budget (LensUserRefreshes *refreshes,
                                      guint              microseconds)
{
  refreshes->slice_budget_us = microseconds;
}

/* Asks again for the ids the user asked to refresh, for a tick's budget at
 * most: each is marked queued (a change the list, the rows and the history
 * follow), 186 ms for 100,000 tasks picked with the history attached. The
 * rest waits for the next turn, and the pass sends what is asked so far.
 * Returns: whether some are left */
static gboolean
refresh_slice (LensUserRefreshes *refreshes)
{
  gint64 now = g_get_monotonic_time ();
  gint64 until = lens_turn_budget_until (refreshes->slice_budget_us);

  while (refreshes->refreshed < refreshes->refreshing->len)
    {
      LensTask *task = g_ptr_array_index (refreshes->refreshing, refreshes->refreshed++);
      const char *id = lens_task_get_id (task);

      /* Removed meanwhile: not asked for (put back by Undo: asked). */
      if (lens_task_list_lookup (refreshes->tasks, id) == task
          && lens_poll_schedule_ask_now (refreshes->schedule, id, now))
        {
          lens_task_mark_queued (task);
          refreshes->callbacks.asked (refreshes->user_data);
        }
      if (refreshes->refreshed % LENS_TURN_CLOCK_EVERY == 0 && g_get_monotonic_time () > until)
        break;
    }
  refreshes->callbacks.sliced (refreshes->user_data);
  if (refreshes->refreshed < refreshes->refreshing->len)
    return TRUE;
  g_ptr_array_set_size (refreshes->refreshing, 0);
  refreshes->refreshed = 0;
  return FALSE;
}

static gboolean
refresh_slice_cb (gpointer user_data)
{
  LensUserRefreshes *refreshes = user_data;

  if (refresh_slice (refreshes))
    return G_SOURCE_CONTINUE;
  refreshes->refresh_id = 0;
  refreshes->callbacks.changed (refreshes->user_data);
  return G_SOURCE_REMOVE;
}

/* Asks for what lens_user_refreshes_add_…() queued: a slice now, the rest
 * in the turns after. */
static void
start_refreshing (LensUserRefreshes *refreshes)
{
  if (refreshes->refresh_id != 0 || !refresh_slice (refreshes))
    return;
  /* At the tick's priority, below GTK's drawing: frames, and the ticks
   * that send what is asked, come between the slices. */
  refreshes->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_slice_cb, refreshes,
                                           NULL);
  refreshes->callbacks.changed (refreshes->user_data);
}

/**
 * lens_user_refreshes_add_ids:
 * @ids: (array zero-terminated=1): tasks of the list to ask for again
 *
 * As many as a turn of the main loop allows are marked at once, the rest in
 * the turns after. Ids not in the list are left out.
 */
void
lens_user_refreshes_add_ids (LensUserRefreshes  *refreshes,
                             const char * const *ids)
{
  for (guint i = 0; ids[i] != NULL; i++)
    {
      LensTask *task = lens_task_list_lookup (refreshes->tasks, ids[i]);

      if (task != NULL)
        g_ptr_array_add (refreshes->refreshing, g_object_ref (task));
    }
  start_refreshing (refreshes);
}

static gpointer
ref_task (gconstpointer task,
          gpointer      user_data)
{
  return g_object_ref ((gpointer) task);
}

/**
 * lens_user_refreshes_add_tasks:
 * @tasks: (element-type LensTask): tasks of the list to ask for again
 *
 * lens_user_refreshes_add_ids() for tasks at hand, without a copy of each
 * id.
 */
void
lens_user_refreshes_add_tasks (LensUserRefreshes *refreshes,
                               GPtrArray         *tasks)
{
  g_ptr_array_extend (refreshes->refreshing, tasks, ref_task, NULL);
  start_refreshing (refreshes);
}

/**
 * lens_user_refreshes_ask_unfinished:
 *
 * Tells the schedule to ask for every task that is not finished now,
 * stalled ones included and those failed by an answer Tasklens gave up on
 * (lens_task_mark_failed()), which are marked queued; in one go, with no
 * callback.
 *
 * Returns: how many tasks are asked for
 */
guint
lens_user_refreshes_ask_unfinished (LensUserRefreshes *refreshes)
{
  /* Only the tasks that may be asked for are taken, from the list's own
   * array: not a reference through the list model for each of 100,000
   * finished tasks (as Remove Finished, lens-window.c). */
  g_autoptr(GPtrArray) candidates =
    lens_task_list_dup_tasks_in_states (refreshes->tasks,
                                        ~LENS_TASK_FINISHED_STATES
                                        | (1u << LENS_TASK_STATE_STALLED) | (1u << LENS_TASK_STATE_FAILED));
  guint n_asked = 0;
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < candidates->len; i++)
    {
      LensTask *task = g_ptr_array_index (candidates, i);
      LensTaskState state = lens_task_get_state (task);

      /* Stalled, or failed because Tasklens gave up on an answer: not
       * finished by the server's word. */
      if (state == LENS_TASK_STATE_STALLED
          || (state == LENS_TASK_STATE_FAILED && lens_task_get_local_error (task) != NULL))
        lens_task_mark_queued (task);
      else if (lens_task_is_finished (task))
        continue;

      n_asked++;
      lens_poll_schedule_ask_now (refreshes->schedule, lens_task_get_id (task), now);
    }
  return n_asked;
}
