/* lens-task-private.h — how the list that holds a task hears of its changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For LensTaskList (and, for the details, the record loader) only. Instead
 * of a "notify" handler on every task (a signal handler each, for tens of
 * thousands of tasks), the task tells the list it is in, its observer,
 * whenever one of its properties changed, and the list says so once, in its
 * "task-changed" signal. One pointer per task: the observer is a struct the
 * list embeds, with the function to call.
 */

#pragma once

#include "lens-task.h"

G_BEGIN_DECLS

typedef struct _LensTaskObserver LensTaskObserver;

struct _LensTaskObserver
{
  void (*changed) (LensTaskObserver *observer,
                   LensTask         *task,
                   GParamSpec       *pspec);
};

void _lens_task_set_observer     (LensTask            *self,
                                  LensTaskObserver    *observer);

/* For whoever reads records from the store for the tasks on screen (the
 * record loader): see the top of lens-task.c. */
void _lens_task_take_details     (LensTask            *self,
                                  LensTask            *from);
void _lens_task_drop_details     (LensTask            *self);

/* For the history, which keeps the list's order in the store. */
gint64 _lens_task_get_position   (LensTask            *self);
void   _lens_task_set_position   (LensTask            *self,
                                  gint64               position);

G_END_DECLS
