/* lens-record-loader.h — the records of the tasks on screen, read from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-task-list.h"
#include "lens-task-store.h"

G_BEGIN_DECLS

/* Tasks keep only their summary in memory (lens-task.c); whoever shows
 * more of a task — a row, the task view — holds it here while it does: the
 * loader reads its record from the store, in a batch with the others
 * wanted in the same main-loop turn, and gives the task its details.
 * Details no longer held stay until more than the budget's worth of tasks
 * have them (a task scrolled back into view needs no read), then the
 * least recently used ones are dropped again. */
#define LENS_RECORD_LOADER_DEFAULT_BUDGET 600

#define LENS_TYPE_RECORD_LOADER (lens_record_loader_get_type ())
G_DECLARE_FINAL_TYPE (LensRecordLoader, lens_record_loader, LENS, RECORD_LOADER, GObject)

LensRecordLoader *lens_record_loader_new        (LensTaskStore    *store,
                                                 LensTaskList     *tasks);
void              lens_record_loader_hold       (LensRecordLoader *self,
                                                 LensTask         *task);
void              lens_record_loader_release    (LensRecordLoader *self,
                                                 LensTask         *task);
void              lens_record_loader_prefetch   (LensRecordLoader *self,
                                                 LensTask         *task);
void              lens_record_loader_set_budget (LensRecordLoader *self,
                                                 guint             n_tasks);
guint             lens_record_loader_get_n_loaded (LensRecordLoader *self);
guint             lens_record_loader_get_n_held   (LensRecordLoader *self);

G_END_DECLS
