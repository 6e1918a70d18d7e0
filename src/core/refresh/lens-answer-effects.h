/* lens-answer-effects.h — what an answer of the server does to the tasks,
 * their poll schedule and asking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-poll-schedule.h"
#include "lens-refresher.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

/**
 * LensAnswerFinishedFunc:
 * @task: a task the answer finished (done or failed), watched by the
 *   schedule until now
 *
 * Called right after the answer's state was applied to @task and the
 * schedule told; it may change the list.
 */
typedef void (*LensAnswerFinishedFunc) (LensTask *task,
                                        gpointer  user_data);

GPtrArray          *lens_answer_effects_apply           (LensTaskList           *tasks,
                                                         LensPollSchedule       *schedule,
                                                         GPtrArray              *answered_ids,
                                                         GPtrArray              *records,
                                                         gboolean                confirm,
                                                         gint64                  now,
                                                         LensAnswerFinishedFunc  finished_func,
                                                         gpointer                user_data);
void                lens_answer_effects_apply_failure   (LensTaskList           *tasks,
                                                         LensPollSchedule       *schedule,
                                                         const char * const     *ids,
                                                         const GError           *error,
                                                         gboolean                pausing,
                                                         gint64                  now);
LensRefresherPause  lens_answer_effects_pause_for       (const GError           *error);
gboolean            lens_answer_effects_server_answered (const GError           *error);

G_END_DECLS
