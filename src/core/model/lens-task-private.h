/* lens-task-private.h — how the list that holds a task hears of its changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For LensTaskList, and the few named below: the record loader, the
 * history and the window's picks, which keep their marks on the task. Instead
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
LensTaskObserver *_lens_task_get_observer (LensTask      *self);

/* For whoever reads records from the store for the tasks on screen (the
 * record loader): see the top of lens-task.c. */
void _lens_task_take_details     (LensTask            *self,
                                  LensTask            *from);
void _lens_task_drop_details     (LensTask            *self);

/* For the history, which keeps the list's order in the store. */
gint64 _lens_task_get_position   (LensTask            *self);
void   _lens_task_set_position   (LensTask            *self,
                                  gint64               position);

/* For the history too: where a task taken out of the list stands in the
 * store (lens-history-removals.c), and in which removal, so that a task
 * removed, put back and removed again is deleted by the last removal's
 * deadline, not the first's. */
typedef enum
{
  LENS_TASK_REMOVAL_NONE,  /* in the list; or out, with no row (never written, or deleted) */
  LENS_TASK_REMOVAL_KEPT,  /* out of the list; its row kept until the undo delay passes */
  LENS_TASK_REMOVAL_DUE,   /* out of the list; its row deleted by the next write */
  LENS_TASK_REMOVAL_GONE,  /* out of the list; its row's delete written, or being written */
  LENS_TASK_REMOVAL_REPLACED, /* out of the list; its row is another task's with its id */
} LensTaskRemoval;

LensTaskRemoval _lens_task_get_removal (LensTask        *self,
                                        guint16         *removal_number);
void            _lens_task_set_removal (LensTask        *self,
                                        LensTaskRemoval  removal,
                                        guint16          removal_number);

/* For the window's picks (src/ui/lens-pick-selection.c), the one reader
 * outside the core: which tasks are picked, as a number each carries. */
guint16 _lens_task_get_pick_mark (LensTask           *self);
void    _lens_task_set_pick_mark (LensTask           *self,
                                  guint16             pick_mark);

G_END_DECLS
