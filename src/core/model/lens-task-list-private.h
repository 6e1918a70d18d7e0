/* lens-task-list-private.h — shared by the files of the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is one class in three files: lens-task-list.c (the model,
 * adding, finding, applying records), lens-task-list-removal.c (removing
 * many picked tasks in few changes, and the last removal kept for undo)
 * and lens-task-list-loading.c (a start-up's history, its first screen
 * ahead of the rest). Calls go one way only: removal → list, loading →
 * list.
 */

#pragma once

#include "lens-task-list.h"
#include "lens-task-private.h"

struct _LensTaskList
{
  GObject           parent_instance;

  LensTaskObserver  observer;  /* what every task in the list tells of its changes */
  GPtrArray        *tasks;    /* owned, of LensTask */
  GHashTable *by_id;    /* id (borrowed from the task) → LensTask (borrowed) */
  GHashTable *by_image_id;  /* image_id (owned) → task id (owned) */
  GArray     *removed;  /* of Removed: the last removal, for undo */
  gboolean    added_since_removal;  /* tasks came in since: undo checks ids against them */
  GHashTable *index_before_removal; /* owned, nullable: by_id as it was before the last removal
                                     * took most of the list, given back by its undo */
};

typedef struct
{
  guint     position;
  LensTask *task;       /* owned */
} Removed;

void _lens_task_list_adopt              (LensTaskList *self,
                                         LensTask     *task);
void _lens_task_list_release            (LensTask     *task);
void _lens_task_list_emit_tasks_removed (LensTaskList *self,
                                         GPtrArray    *tasks);
void _lens_task_list_emit_items_changed (LensTaskList *self,
                                         guint         position,
                                         guint         removed,
                                         guint         added);
