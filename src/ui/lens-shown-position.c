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
 * filter asked of the tasks before this one: their count is its position.
 * In the list's own order (no sorter) the list says where the task is at
 * once, and when the filter keeps every task that is also where it shows.
 * The filter model has the last word: while it or the sort is still going
 * through the tasks, the count may not be what it shows yet, and then the
 * task is not found.
 */

#define G_LOG_DOMAIN "lens-window"

#include "config.h"

#include "lens-shown-position.h"

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

/**
 * lens_shown_position_find:
 * @tasks: the list the window shows
 * @sorted: the sort model over @tasks
 * @filtered: the filter model over @sorted, which the window shows
 * @task: (nullable): a task
 * @out_position: (out): where @task shows in @filtered
 *
 * Returns: whether @task shows in @filtered now: it is in @tasks, the
 *   filter keeps it, and neither model is still placing it
 */
gboolean
lens_shown_position_find (LensTaskList       *tasks,
                          GtkSortListModel   *sorted,
                          GtkFilterListModel *filtered,
                          LensTask           *task,
                          guint              *out_position)
{
  GtkFilter *keeping = gtk_filter_list_model_get_filter (filtered);
  g_autoptr(LensTask) shown = NULL;
  guint position;

  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), FALSE);
  g_return_val_if_fail (GTK_IS_SORT_LIST_MODEL (sorted), FALSE);
  g_return_val_if_fail (GTK_IS_FILTER_LIST_MODEL (filtered), FALSE);
  g_return_val_if_fail (out_position != NULL, FALSE);

  if (keeping != NULL && gtk_filter_get_strictness (keeping) == GTK_FILTER_MATCH_ALL)
    keeping = NULL;
  if (task == NULL || (keeping != NULL && !gtk_filter_match (keeping, task)))
    return FALSE;

  if (gtk_sort_list_model_get_sorter (sorted) != NULL)
    {
      if (!walk_to (G_LIST_MODEL (sorted), keeping, task, &position))
        return FALSE;
    }
  else
    {
      if (!lens_task_list_find (tasks, lens_task_get_id (task), &position))
        return FALSE;
      if (keeping != NULL)
        position = count_kept (G_LIST_MODEL (sorted), keeping, position);
    }

  shown = g_list_model_get_item (G_LIST_MODEL (filtered), position);
  if (shown != task)
    return FALSE;
  *out_position = position;
  return TRUE;
}
