/* lens-user-refreshes.h — what the user asked to refresh, marked queued and
 * told to the poll schedule, a slice a turn of the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-poll-schedule.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

/**
 * LensUserRefreshesCallbacks:
 * @asked: a task was marked queued, and the schedule told to ask for it
 *   now: the next pass over the list sends it
 * @sliced: a slice ended
 * @changed: marking started or ended (lens_user_refreshes_is_marking())
 */
typedef struct
{
  void (*asked)   (gpointer user_data);
  void (*sliced)  (gpointer user_data);
  void (*changed) (gpointer user_data);
} LensUserRefreshesCallbacks;

typedef struct _LensUserRefreshes LensUserRefreshes;

LensUserRefreshes *lens_user_refreshes_new              (LensTaskList                     *tasks,
                                                         LensPollSchedule                 *schedule,
                                                         const LensUserRefreshesCallbacks *callbacks,
                                                         gpointer                          user_data);
void               lens_user_refreshes_free             (LensUserRefreshes                *refreshes);
void               lens_user_refreshes_cancel           (LensUserRefreshes                *refreshes);
void               lens_user_refreshes_add_ids          (LensUserRefreshes                *refreshes,
                                                         const char * const               *ids);
void               lens_user_refreshes_add_tasks        (LensUserRefreshes                *refreshes,
                                                         GPtrArray                        *tasks);
gboolean           lens_user_refreshes_is_marking       (LensUserRefreshes                *refreshes);
void               lens_user_refreshes_set_slice_budget (LensUserRefreshes                *refreshes,
                                                         guint                             microseconds);
guint              lens_user_refreshes_ask_unfinished   (LensUserRefreshes                *refreshes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensUserRefreshes, lens_user_refreshes_free)

G_END_DECLS
