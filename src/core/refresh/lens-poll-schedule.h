/* lens-poll-schedule.h — which tasks to ask for, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "lens-task.h"

G_BEGIN_DECLS

/**
 * LensPollTask:
 * @id: the task's id (borrowed)
 * @state: its state in the list
 * @age: microseconds since the server created it; negative when unknown
 *
 * One task as the list holds it, in the list's order.
 */
typedef struct
{
  const char    *id;
  LensTaskState  state;
  gint64         age;
} LensPollTask;

/* The states lens_poll_schedule_plan() plans for, as a mask of
 * (1 << LensTaskState): a task in any other state is left alone. */
#define LENS_POLL_PLANNED_STATES ((1u << LENS_TASK_STATE_QUEUED) | (1u << LENS_TASK_STATE_PENDING) \
                                  | (1u << LENS_TASK_STATE_RUNNING))

/**
 * LensPollPlan:
 * @at_once: (element-type utf8): to ask for now, in one batch, not paced:
 *   the tasks the user asked for first (@n_asked of them), then new and
 *   re-queued ones
 * @n_asked: how many of @at_once the user asked for again
 *   (lens_poll_schedule_ask_now())
 * @round: (element-type utf8): the poll round: pending and running tasks
 *   that are due, with those nearly due; sent in paced chunks
 * @stalled: (element-type utf8): tasks to mark stalled: no longer polled
 * @wake_at: when to plan again (monotonic µs); %G_MAXINT64 when only a
 *   change (new tasks, an answer, a setting) can make anything due
 *
 * What lens_poll_schedule_plan() decides. The arrays are never %NULL, and
 * %NULL-terminated when not empty. Every id in @at_once and @round is in
 * flight until it is reported back.
 */
typedef struct
{
  GPtrArray *at_once;
  guint      n_asked;
  GPtrArray *round;
  GPtrArray *stalled;
  gint64     wake_at;
} LensPollPlan;

void lens_poll_plan_free (LensPollPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensPollPlan, lens_poll_plan_free)

/**
 * LensPollOutcome:
 * @LENS_POLL_CHANGED: answered: still unfinished, and its state or progress
 *   moved; back to the first interval
 * @LENS_POLL_UNCHANGED: answered: still unfinished, nothing moved; one
 *   interval slower, and it may be judged stalled
 * @LENS_POLL_FAILED: not answered, for a reason that may pass (server,
 *   network); one interval slower, so that a broken server is not hammered
 * @LENS_POLL_HELD_BACK: not asked after all, or refused until something
 *   changes (a pause, a 429): due as soon as asking goes on
 *
 * What became of a task that was in flight; see lens_poll_schedule_report().
 * A task that finished is reported with lens_poll_schedule_finished().
 */
typedef enum
{
  LENS_POLL_CHANGED,
  LENS_POLL_UNCHANGED,
  LENS_POLL_FAILED,
  LENS_POLL_HELD_BACK,
} LensPollOutcome;

typedef gboolean (*LensPollIsListedFunc) (const char *id,
                                          gpointer    user_data);

typedef struct _LensPollSchedule LensPollSchedule;

LensPollSchedule *lens_poll_schedule_new            (void);
void              lens_poll_schedule_free           (LensPollSchedule     *self);

void              lens_poll_schedule_set_intervals  (LensPollSchedule     *self,
                                                     const guint          *intervals_ms,
                                                     guint                 n_intervals,
                                                     gint64                now);
void              lens_poll_schedule_set_stall_after (LensPollSchedule    *self,
                                                     guint                 seconds);
void              lens_poll_schedule_set_min_request_interval (LensPollSchedule *self,
                                                     guint                 milliseconds);
void              lens_poll_schedule_set_polling    (LensPollSchedule     *self,
                                                     gboolean              enabled);

LensPollPlan     *lens_poll_schedule_plan           (LensPollSchedule     *self,
                                                     const LensPollTask   *tasks,
                                                     guint                 n_tasks,
                                                     gint64                now);
gboolean          lens_poll_schedule_ask_now        (LensPollSchedule     *self,
                                                     const char           *id,
                                                     gint64                now);
void              lens_poll_schedule_report         (LensPollSchedule     *self,
                                                     const char           *id,
                                                     LensPollOutcome       outcome,
                                                     gint64                now);
gboolean          lens_poll_schedule_finished       (LensPollSchedule     *self,
                                                     const char           *id);
void              lens_poll_schedule_forget         (LensPollSchedule     *self,
                                                     const char           *id);
void              lens_poll_schedule_forget_missing (LensPollSchedule     *self,
                                                     LensPollIsListedFunc  is_listed,
                                                     gpointer              user_data);
guint             lens_poll_schedule_get_n_watched  (LensPollSchedule     *self);

gint64            lens_poll_schedule_next_send      (LensPollSchedule     *self);
void              lens_poll_schedule_sent           (LensPollSchedule     *self,
                                                     gint64                now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensPollSchedule, lens_poll_schedule_free)

G_END_DECLS
