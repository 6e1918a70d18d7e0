/* lens-shown-position.c — where a task shows in the window's sorted and filtered list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window shows its LensTaskList through a GtkSortListModel and then a
 * GtkFilterListModel. Asking the filter model for each item in turn, until
 * the task comes, is the obvious way to find where a task shows, and a slow
 * one: each get_item() looks for the nth task kept in a bitset, so that
 * finding the last of 100,000 tasks under a search took 120 ms of the main
 * thread (bench-find, "locating").
 *
 * Here the sorted model is walked instead, each of its items once, and the
 * filter asked of the tasks before this one: their count is where it shows.
 * In the list's own order (no sorter) the list says where the task is at
 * once, and when the filter keeps every task that is also where it shows.
 *
 * The count is a guess, which the filter model confirms. Its rows are the
 * filter's answers when it last asked, and a task's state or type changes
 * without the list telling its models (the rows of a state filter do not
 * vanish under the user as tasks finish): the filter may answer otherwise
 * now for some tasks before this one. The task is looked for near the
 * guess, then, if the filter keeps it and no model is still at work,
 * everywhere: after a Refresh of every task under a state filter that is
 * the slow way again.
 */

#define G_LOG_DOMAIN "lens-window"

#include "config.h"

#include "lens-shown-position.h"

/* How far either way from the guess a task is looked for (two get_item()
 * a row, a microsecond each at 100,000 tasks) before everywhere. */
#define NEAR 1024

/* How many of the first @end items of @sorted @keeping keeps. */
static guint
count_kept (GListModel *sorted,
            GtkFilter  *keeping,
            guint       end)
{
  guint n_kept = 0;

  for (guint i = 0; i < end; i++)
    {
      g_autoptr(LensTask) item = g_list_model_get_item (sorted, i);

      if (gtk_filter_match (keeping, item))
        n_kept++;
    }
  return n_kept;
}

/* Walks @sorted up to @task, counting the items before it that @keeping
 * keeps (all of them when %NULL): once, however the list is sorted. */
static gboolean
walk_to (GListModel *sorted,
         GtkFilter  *keeping,
         LensTask   *task,
         guint      *out_position)
{
  guint n_items = g_list_model_get_n_items (sorted);
  guint n_kept = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LensTask) item = g_list_model_get_item (sorted, i);

      if (item == task)
        {
          *out_position = n_kept;
          return TRUE;
        }
      if (keeping == NULL || gtk_filter_match (keeping, item))
        n_kept++;
    }
  return FALSE;
}

/* Whether @filtered shows @task at @position. */
static gboolean
shows_at (GListModel *filtered,
          guint       position,
          LensTask   *task)
{
  g_autoptr(LensTask) item = g_list_model_get_item (filtered, position);

  return item == task;
}

/* Looks for @task in @filtered at @guess, then ever further either way, up
 * to NEAR rows. */
static gboolean
look_near (GListModel *filtered,
           LensTask   *task,
           guint       guess,
           guint      *out_position)
{
  guint n_items = g_list_model_get_n_items (filtered);

  for (guint distance = 0; distance <= NEAR; distance++)
    {
      gboolean before = distance <= guess && guess - distance < n_items;
      gboolean after = distance > 0 && guess + distance < n_items;

      /* Past both ends. (A guess may be past the end: tasks before it
       * that the filter keeps now but did not.) */
      if (distance > guess && guess + distance >= n_items)
        break;
      if (before && shows_at (filtered, guess - distance, task))
        {
          *out_position = guess - distance;
          return TRUE;
        }
      if (after && shows_at (filtered, guess + distance, task))
        {
          *out_position = guess + distance;
          return TRUE;
        }
    }
  return FALSE;
}

/* The slow way: every row of @filtered in turn. */
static gboolean
scan (GListModel *filtered,
      LensTask   *task,
      guint      *out_position)
{
  guint n_items = g_list_model_get_n_items (filtered);

  for (guint i = 0; i < n_items; i++)
    if (shows_at (filtered, i, task))
      {
        *out_position = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * lens_shown_position_find:
 * @tasks: the list the window shows
 * @sorted: the sort model over @tasks
 * @filtered: the filter model over @sorted, which the window shows
 * @task: (nullable): a task
 * @out_position: (out): where @task shows in @filtered
 *
 * Returns: whether @filtered shows @task now. A task the sort or the filter
 *   model is still placing may not be found until they are done.
 */
gboolean
lens_shown_position_find (LensTaskList       *tasks,
                          GtkSortListModel   *sorted,
                          GtkFilterListModel *filtered,
                          LensTask           *task,
                          guint              *out_position)
{
  GtkFilter *keeping = gtk_filter_list_model_get_filter (filtered);
  gboolean kept;
  guint guess;

  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), FALSE);
  g_return_val_if_fail (GTK_IS_SORT_LIST_MODEL (sorted), FALSE);
  g_return_val_if_fail (GTK_IS_FILTER_LIST_MODEL (filtered), FALSE);
  g_return_val_if_fail (out_position != NULL, FALSE);

  if (task == NULL)
    return FALSE;
  if (keeping != NULL && gtk_filter_get_strictness (keeping) == GTK_FILTER_MATCH_ALL)
    keeping = NULL;
  kept = keeping == NULL || gtk_filter_match (keeping, task);

  if (gtk_sort_list_model_get_sorter (sorted) != NULL)
    {
      if (!walk_to (G_LIST_MODEL (sorted), keeping, task, &guess))
        return FALSE;
    }
  else
    {
      if (!lens_task_list_find (tasks, lens_task_get_id (task), &guess))
        return FALSE;
      if (keeping != NULL)
        guess = count_kept (G_LIST_MODEL (sorted), keeping, guess);
    }

  if (look_near (G_LIST_MODEL (filtered), task, guess, out_position))
    return TRUE;
  /* Far from where the filter's answers put it, a task the filter keeps
   * may still show, once both models are done: many tasks changed since
   * the filter model asked about them. */
  if (!kept || gtk_sort_list_model_get_pending (sorted) > 0
      || gtk_filter_list_model_get_pending (filtered) > 0)
    return FALSE;
  return scan (G_LIST_MODEL (filtered), task, out_position);
}
