/* lens-scheduler.h — when each API request may go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-api-pace.h"
#include "lens-request-priority.h"

G_BEGIN_DECLS

/**
 * LensSchedulerSlot:
 * @sent_at: when the slot was granted, and the request sent (monotonic µs)
 * @in_flight_before: how many other requests were in flight then
 * @n_tasks: how many tasks the request asks for
 *
 * A granted request: given back with lens_scheduler_release().
 */
typedef struct
{
  gint64 sent_at;
  guint  in_flight_before;
  guint  n_tasks;
  /*< private >*/
  LensRequestPriority priority;
  guint               group;
} LensSchedulerSlot;

/**
 * LensSchedulerOutcome:
 * @LENS_SCHEDULER_ADMITTED: the server answered (anything but a 429)
 * @LENS_SCHEDULER_REFUSED: the server answered 429
 * @LENS_SCHEDULER_UNANSWERED: no answer (network, cancelled, not sent):
 *   nothing to learn from
 */
typedef enum
{
  LENS_SCHEDULER_ADMITTED,
  LENS_SCHEDULER_REFUSED,
  LENS_SCHEDULER_UNANSWERED,
} LensSchedulerOutcome;

#define LENS_TYPE_SCHEDULER (lens_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (LensScheduler, lens_scheduler, LENS, SCHEDULER, GObject)

LensScheduler     *lens_scheduler_new                (void);

void               lens_scheduler_acquire_async      (LensScheduler        *self,
                                                      LensRequestPriority   priority,
                                                      guint                 group,
                                                      guint                 n_tasks,
                                                      gboolean              again,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
LensSchedulerSlot *lens_scheduler_acquire_finish     (LensScheduler        *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void               lens_scheduler_release            (LensScheduler        *self,
                                                      LensSchedulerSlot    *slot,
                                                      LensSchedulerOutcome  outcome,
                                                      LensApiRefusal        refusal,
                                                      gint64                retry_after_us);

void               lens_scheduler_set_max_rate       (LensScheduler        *self,
                                                      double                max_per_second);
double             lens_scheduler_get_max_rate       (LensScheduler        *self);
void               lens_scheduler_set_learnt         (LensScheduler        *self,
                                                      double                limit_per_second,
                                                      guint                 max_in_flight);
void               lens_scheduler_get_learnt         (LensScheduler        *self,
                                                      double               *limit_per_second,
                                                      guint                *max_in_flight);
void               lens_scheduler_forget             (LensScheduler        *self);

gboolean           lens_scheduler_get_throttled      (LensScheduler        *self);
double             lens_scheduler_get_rate           (LensScheduler        *self);
guint              lens_scheduler_get_n_in_flight    (LensScheduler        *self);
guint              lens_scheduler_get_n_waiting      (LensScheduler        *self);
guint              lens_scheduler_get_n_tasks_left   (LensScheduler        *self);
guint              lens_scheduler_get_seconds_left   (LensScheduler        *self);
guint              lens_scheduler_get_n_refused      (LensScheduler        *self);

G_END_DECLS
