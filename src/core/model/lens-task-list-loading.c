/* lens-task-list-loading.c — a start-up's history, into the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The third file of LensTaskList (lens-task-list-private.h): what the
 * list does with a history loaded at start-up. A long history's first
 * screen may come ahead of the rest (LensTaskStore::first-tasks-loaded);
 * the rest then comes with an index of every id made in the store's
 * worker, which the list takes as its own, so that appending 100,000
 * tasks costs the main thread a reference each. Calls go one way only:
 * loading → list.
 */

#include "config.h"

#include "lens-task-list-private.h"

/**
 * lens_task_list_index_tasks:
 * @tasks: (element-type LensTask): tasks made elsewhere, unique by id
 *
 * Safe in any thread, for tasks no other thread touches meanwhile: the
 * table lens_task_list_append_indexed() takes, made where hashing 100,000
 * ids does not hold the main loop (in the store's worker, a thread of the
 * context's).
 *
 * Returns: (transfer full): id (borrowed from the task) → task (borrowed)
 */
GHashTable *
lens_task_list_index_tasks (GPtrArray *tasks)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (tasks != NULL, index);

  for (guint i = 0; i < tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (tasks, i);

      g_hash_table_insert (index, (gpointer) lens_task_get_id (task), task);
    }
  return index;
}

/* Whether the list holds the first tasks of @tasks, the same objects in
 * the same order, and nothing else. */
static gboolean
holds_start_of (LensTaskList *self,
                GPtrArray    *tasks)
{
  if (self->tasks->len > tasks->len)
    return FALSE;
  for (guint i = 0; i < self->tasks->len; i++)
    if (self->tasks->pdata[i] != tasks->pdata[i])
      return FALSE;
  return TRUE;
}

/**
 * lens_task_list_append_indexed:
 * @tasks: (element-type LensTask): the tasks, in order, unique by id
 * @index: (transfer full): lens_task_list_index_tasks() of @tasks
 *
 * lens_task_list_append_tasks() for a whole history loaded at start-up:
 * into an empty list, or one that holds the first of @tasks already (the
 * first screen, shown while the rest loaded: see
 * #LensTaskStore::first-tasks-loaded), the table made elsewhere becomes the
 * list's own, so that the main thread does no more per task than take a
 * reference. Into a list that has other tasks, it is an ordinary append.
 *
 * Returns: how many were appended
 */
guint
lens_task_list_append_indexed (LensTaskList *self,
                               GPtrArray    *tasks,
                               GHashTable   *index)
{
  g_autoptr(GHashTable) owned_index = index;
  guint first;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);
  g_return_val_if_fail (tasks != NULL && index != NULL, 0);

  if (!holds_start_of (self, tasks) || g_hash_table_size (index) != tasks->len)
    return lens_task_list_append_tasks (self, tasks);
  first = self->tasks->len;
  if (tasks->len == first)
    return 0;

  /* The table has the tasks the list holds, as the same objects. */
  g_hash_table_unref (self->by_id);
  self->by_id = g_steal_pointer (&owned_index);
  g_ptr_array_set_size (self->tasks, tasks->len);
  for (guint i = first; i < tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (tasks, i);

      self->tasks->pdata[i] = g_object_ref (task);
      _lens_task_list_adopt (self, task);
    }
  _lens_task_list_emit_items_changed (self, first, 0, tasks->len - first);
  return tasks->len - first;
}

/* Lets go of every task at once, with nothing to undo: what a start-up
 * showed ahead of a load that did not confirm it. */
static void
drop_all (LensTaskList *self)
{
  g_autoptr(GPtrArray) dropped = g_steal_pointer (&self->tasks);

  self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->by_image_id);
  g_array_set_size (self->removed, 0);
  g_clear_pointer (&self->index_before_removal, g_hash_table_unref);
  for (guint i = 0; i < dropped->len; i++)
    _lens_task_list_release (g_ptr_array_index (dropped, i));
  _lens_task_list_emit_items_changed (self, 0, dropped->len, 0);
  _lens_task_list_emit_tasks_removed (self, dropped);
}

/**
 * lens_task_list_take_loaded:
 * @tasks: (element-type LensTask) (nullable): the whole history, in
 *   order, unique by id; %NULL when it could not be loaded
 * @index: (transfer full) (nullable): lens_task_list_index_tasks() of
 *   @tasks
 *
 * The end of a start-up's load, into a list that holds nothing, or only
 * the first screen of the history said ahead of it
 * (#LensTaskStore::first-tasks-loaded), which nothing may have changed
 * since. The list then holds @tasks: those it shows are kept when the
 * load returned them first, the usual case, and only the rest is said as
 * added (lens_task_list_append_indexed()); otherwise — the file was
 * salvaged in between, or could not be read at all — they leave, without
 * a removal to undo, and @tasks come in their place.
 *
 * Returns: how many tasks the list holds now
 */
guint
lens_task_list_take_loaded (LensTaskList *self,
                            GPtrArray    *tasks,
                            GHashTable   *index)
{
  g_autoptr(GHashTable) owned_index = index;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);

  if (self->tasks->len > 0 && (tasks == NULL || !holds_start_of (self, tasks)))
    drop_all (self);
  if (tasks == NULL)
    return 0;
  if (owned_index != NULL)
    lens_task_list_append_indexed (self, tasks, g_steal_pointer (&owned_index));
  else
    lens_task_list_append_tasks (self, tasks);
  return self->tasks->len;
}
