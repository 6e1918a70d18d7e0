/* lens-task-list-removal.c — many picked tasks out of the list, and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The last removal is kept, tasks and positions, until it is undone or
 * forgotten: that is the one place undo lives. A removal of many tasks is
 * one pass over the list and few items-changed: one for each run of
 * neighbours, or one for the whole stretch when the runs are many (every
 * listener pays for each change, GTK's sorted model with a pass over the
 * list). Undo puts them back the same way.
 */

#define G_LOG_DOMAIN "lens-task-list"

#include "config.h"

#include <string.h>

#include "lens-task-list-private.h"

/* Up to this many runs of neighbours are said one items-changed each;
 * more are said as one change over the stretch from the first to the
 * last: a search's results picked and removed are thousands of runs, and
 * GTK's sorted model pays for each change with a pass over the whole list
 * (27 s for 50,000 runs at 100,000 tasks, bench-remove). */
#define MAX_RUNS_SAID_APART 16

/* A run of neighbours in the list: what one items-changed says. */
typedef struct
{
  guint position;
  guint length;
} Run;

/* The doomed tasks are those released already (no observer): no table
 * of them to look each task of the list up in. */
static gboolean
is_doomed (LensTask *task)
{
  return _lens_task_get_observer (task) == NULL;
}

/* Takes out the doomed tasks in [@start, @end), in one pass, and says so
 * as one change of that stretch: a run of neighbours, or many runs at once.
 * The tasks are kept by the caller (self->removed), with the list's
 * references. */
static void
take_out (LensTaskList *self,
          guint         start,
          guint         end)
{
  guint old_len = self->tasks->len;
  guint kept = start;

  for (guint i = start; i < old_len; i++)
    {
      LensTask *task = g_ptr_array_index (self->tasks, i);

      /* Its reference is self->removed's now. */
      if (i < end && is_doomed (task))
        continue;
      self->tasks->pdata[kept++] = task;
    }
  /* The tail was moved down already, and the doomed let go: only the
   * length shrinks, without freeing what its end still points at. */
  g_ptr_array_set_free_func (self->tasks, NULL);
  g_ptr_array_set_size (self->tasks, kept);
  g_ptr_array_set_free_func (self->tasks, g_object_unref);
  _lens_task_list_emit_items_changed (self, start, end - start, end - start - (old_len - kept));
}

/* "tasks-removed", with the tasks of the last removal. */
static void
say_removed (LensTaskList *self)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_full (self->removed->len, g_object_unref);

  /* Referenced: a handler may undo or forget the removal while others
   * have yet to hear of it. */
  for (guint i = 0; i < self->removed->len; i++)
    g_ptr_array_add (tasks, g_object_ref (g_array_index (self->removed, Removed, i).task));
  _lens_task_list_emit_tasks_removed (self, tasks);
}

/* Takes the @n_doomed tasks of @picked out of the index by id, before any
 * listener hears of the removal. Half of the list or more doomed (Ctrl+A,
 * a search's results) is an index made again of those that stay: each
 * removal from it hashes an id, and an empty index is made at once. The whole index is kept for undo,
 * which gives it back instead of adding every id again (lens-task-list.c
 * drops it once anything else changes the index). */
static void
forget_ids (LensTaskList *self,
            GPtrArray    *picked,
            guint         n_doomed)
{
  if (n_doomed >= self->tasks->len - n_doomed)
    {
      self->index_before_removal = self->by_id;
      self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < self->tasks->len; i++)
        {
          LensTask *task = g_ptr_array_index (self->tasks, i);

          if (!is_doomed (task))
            g_hash_table_insert (self->by_id, (gpointer) lens_task_get_id (task), task);
        }
      return;
    }
  for (guint i = 0; i < picked->len; i++)
    {
      LensTask *task = g_ptr_array_index (picked, i);

      /* Its id is its alone in the list (picked twice, the second time
       * finds it gone). */
      if (is_doomed (task))
        g_hash_table_remove (self->by_id, lens_task_get_id (task));
    }
}

/**
 * lens_task_list_remove_tasks:
 * @tasks: (element-type LensTask): tasks of the list, in any order
 *
 * Removes @tasks and keeps them, with their positions, so that
 * lens_task_list_undo_remove() can put them back. A removal replaces what
 * the one before could undo.
 *
 * One pass over the list, and one items-changed for each run of
 * neighbours, the last run first (so that each one's position holds when it
 * is said): all 100,000 tasks picked with Ctrl+A go in one change, where
 * one change for each task (each found by a scan of the list, each moving
 * the list's tail) held the main loop for seconds.
 *
 * Returns: how many were removed
 */
guint
lens_task_list_remove_tasks (LensTaskList *self,
                             GPtrArray    *tasks)
{
  g_autoptr(GArray) runs = NULL;         /* of Run, in list order */
  guint n_doomed = 0;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);
  g_return_val_if_fail (tasks != NULL, 0);

  g_array_set_size (self->removed, 0);
  g_clear_pointer (&self->index_before_removal, g_hash_table_unref);
  self->added_since_removal = FALSE;
  /* Released first, which marks them (is_doomed()); a task of another
   * list, or picked twice, is not ours to release. */
  for (guint i = 0; i < tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (tasks, i);

      if (_lens_task_get_observer (task) != &self->observer)
        continue;
      _lens_task_list_release (task);
      n_doomed++;
    }
  if (n_doomed == 0)
    return 0;
  forget_ids (self, tasks, n_doomed);

  /* Each keeps its position as it is once those before it are gone: where
   * undo puts it back, those before it back already. */
  runs = g_array_new (FALSE, FALSE, sizeof (Run));
  g_array_set_size (self->removed, n_doomed);
  for (guint i = 0, k = 0; i < self->tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (self->tasks, i);
      Run *last = runs->len > 0 ? &g_array_index (runs, Run, runs->len - 1) : NULL;

      if (!is_doomed (task))
        continue;
      /* The list's reference, which take_out() leaves to it. */
      g_array_index (self->removed, Removed, k) = (Removed) { i - k, task };
      k++;
      if (last != NULL && last->position + last->length == i)
        last->length++;
      else
        g_array_append_val (runs, ((Run) { i, 1 }));
    }

  if (runs->len > MAX_RUNS_SAID_APART)
    {
      const Run *first = &g_array_index (runs, Run, 0);
      const Run *last = &g_array_index (runs, Run, runs->len - 1);

      take_out (self, first->position, last->position + last->length);
    }
  else
    for (guint r = runs->len; r > 0; r--)
      {
        const Run *run = &g_array_index (runs, Run, r - 1);

        take_out (self, run->position, run->position + run->length);
      }
  say_removed (self);
  return self->removed->len;
}

/* Puts @n_entries removed tasks (in list order) back, each before the task
 * now at its position, in one pass, and says so as one change of the
 * stretch from the first to the last: a run of neighbours (all at one
 * position), or many runs at once. The list takes over each entry's
 * reference. @indexed: their ids are in the index already. */
static void
put_back (LensTaskList   *self,
          Removed *const *entries,
          guint           n_entries,
          gboolean        indexed)
{
  guint old_len = self->tasks->len;
  guint first = MIN (entries[0]->position, old_len);
  guint last = MIN (entries[n_entries - 1]->position, old_len);
  g_autoptr(GPtrArray) stretch = g_ptr_array_sized_new (last - first + n_entries);
  guint r = 0;

  for (guint j = first; j <= last; j++)
    {
      for (; r < n_entries && MIN (entries[r]->position, old_len) == j; r++)
        {
          LensTask *task = g_steal_pointer (&entries[r]->task);

          g_ptr_array_add (stretch, task);
          if (!indexed)
            g_hash_table_insert (self->by_id, (gpointer) lens_task_get_id (task), task);
          _lens_task_list_adopt (self, task);
        }
      if (j < last)
        g_ptr_array_add (stretch, g_ptr_array_index (self->tasks, j));
    }

  g_ptr_array_set_size (self->tasks, old_len + n_entries);
  memmove (&self->tasks->pdata[last + n_entries], &self->tasks->pdata[last],
           (old_len - last) * sizeof (gpointer));
  memcpy (&self->tasks->pdata[first], stretch->pdata, stretch->len * sizeof (gpointer));
  _lens_task_list_emit_items_changed (self, first, last - first, stretch->len);
}

/**
 * lens_task_list_undo_remove:
 *
 * Puts back what the last lens_task_list_remove_tasks() took out, where it
 * was (a task with the same id added since stays as it is), as it was
 * said: a run of neighbours in one items-changed, the last run first, or
 * many runs in one change.
 *
 * Returns: (transfer container) (element-type LensTask): the tasks put
 *   back, in list order
 */
GPtrArray *
lens_task_list_undo_remove (LensTaskList *self)
{
  g_autoptr(GPtrArray) entries = NULL;   /* of Removed (in self->removed): to put back, in list order */
  GPtrArray *restored;
  /* Nothing came in or went out since the removal of most of the list:
   * the index it kept is the whole list's again. */
  gboolean indexed = self->index_before_removal != NULL && !self->added_since_removal;
  guint n_runs = 0;
  guint end;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), NULL);

  if (indexed)
    {
      g_hash_table_unref (self->by_id);
      self->by_id = g_steal_pointer (&self->index_before_removal);
    }
  g_clear_pointer (&self->index_before_removal, g_hash_table_unref);

  entries = g_ptr_array_sized_new (self->removed->len);
  restored = g_ptr_array_new_full (self->removed->len, g_object_unref);
  for (guint i = 0; i < self->removed->len; i++)
    {
      Removed *removed = &g_array_index (self->removed, Removed, i);
      Removed *previous = entries->len > 0 ? g_ptr_array_index (entries, entries->len - 1) : NULL;

      /* Only a task added since can hold its id. */
      if (self->added_since_removal && g_hash_table_contains (self->by_id, lens_task_get_id (removed->task)))
        continue;
      /* Neighbours were removed with one position, the one before them. */
      if (previous == NULL || previous->position != removed->position)
        n_runs++;
      g_ptr_array_add (entries, removed);
      g_ptr_array_add (restored, g_object_ref (removed->task));
    }

  if (n_runs > MAX_RUNS_SAID_APART)
    put_back (self, (Removed *const *) entries->pdata, entries->len, indexed);
  else
    {
      /* The runs last first: every position holds again. */
      end = entries->len;
      while (end > 0)
        {
          guint position = ((Removed *) g_ptr_array_index (entries, end - 1))->position;
          guint start = end;

          while (start > 0 && ((Removed *) g_ptr_array_index (entries, start - 1))->position == position)
            start--;
          put_back (self, (Removed *const *) &entries->pdata[start], end - start, indexed);
          end = start;
        }
    }
  /* Those put back are the list's now (their task is NULL here). */
  g_array_set_size (self->removed, 0);
  return restored;
}

/**
 * lens_task_list_forget_removed:
 *
 * The last removal can no longer be undone.
 */
void
lens_task_list_forget_removed (LensTaskList *self)
{
  g_return_if_fail (LENS_IS_TASK_LIST (self));
  g_array_set_size (self->removed, 0);
  g_clear_pointer (&self->index_before_removal, g_hash_table_unref);
}
