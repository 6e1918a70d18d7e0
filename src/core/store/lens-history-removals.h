/* lens-history-removals.h — tasks out of the list, deleted from the store once undo is too late
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For LensHistory only.
 */

#pragma once

#include "lens-task-list.h"

G_BEGIN_DECLS

typedef struct _LensHistoryRemovals LensHistoryRemovals;

LensHistoryRemovals *lens_history_removals_new          (void);
void                 lens_history_removals_free         (LensHistoryRemovals *self);

void                 lens_history_removals_add          (LensHistoryRemovals *self,
                                                         GPtrArray           *tasks,
                                                         gint64               delete_at);
gboolean             lens_history_removals_take_back    (LensHistoryRemovals *self,
                                                         LensTask            *task);

gint64               lens_history_removals_next_due     (LensHistoryRemovals *self);
gboolean             lens_history_removals_make_due     (LensHistoryRemovals *self,
                                                         LensTaskList        *list,
                                                         gint64               limit,
                                                         guint                max_tasks);
gboolean             lens_history_removals_has_deletes  (LensHistoryRemovals *self);
GPtrArray           *lens_history_removals_take_deletes (LensHistoryRemovals *self,
                                                         LensTaskList        *list,
                                                         GPtrArray           *changes,
                                                         guint                max_deletes,
                                                         gboolean            *out_replaced);
void                 lens_history_removals_restore      (LensHistoryRemovals *self,
                                                         GPtrArray           *gone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensHistoryRemovals, lens_history_removals_free)

G_END_DECLS
