/* lens-refresh-pass.h — the refresher's pass over the task list, a slice a
 * turn of the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-client.h"
#include "lens-poll-schedule.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

/**
 * LensRefreshPassCallbacks:
 * @is_paused: whether asking is paused: no pass goes on then
 * @send_at_once: sends @ids now, in the group of requests @group (from
 *   lens_client_new_group())
 * @queue_round: queues @ids for the poll round, which leaves paced
 * @ended: a pass went over the whole list and handed over all it planned
 *
 * What a pass hands to whoever sends (the refresher). @ids (of char *) are
 * the caller's for the time of the call.
 */
typedef struct
{
  gboolean (*is_paused)    (gpointer   user_data);
  void     (*send_at_once) (GPtrArray *ids,
                            guint      group,
                            gpointer   user_data);
  void     (*queue_round)  (GPtrArray *ids,
                            gpointer   user_data);
  void     (*ended)        (gpointer   user_data);
} LensRefreshPassCallbacks;

typedef struct _LensRefreshPass LensRefreshPass;

LensRefreshPass *lens_refresh_pass_new                   (LensTaskList                   *tasks,
                                                          LensPollSchedule               *schedule,
                                                          LensClient                     *client,
                                                          const LensRefreshPassCallbacks *callbacks,
                                                          gpointer                        user_data);
void             lens_refresh_pass_free                  (LensRefreshPass                *pass);
void             lens_refresh_pass_schedule              (LensRefreshPass                *pass);
void             lens_refresh_pass_schedule_after_answer (LensRefreshPass                *pass);
void             lens_refresh_pass_stop                  (LensRefreshPass                *pass);
void             lens_refresh_pass_drop_round            (LensRefreshPass                *pass);
void             lens_refresh_pass_new_action            (LensRefreshPass                *pass);
void             lens_refresh_pass_items_changed         (LensRefreshPass                *pass,
                                                          guint                           position,
                                                          guint                           removed,
                                                          guint                           added);
void             lens_refresh_pass_set_slice_budget      (LensRefreshPass                *pass,
                                                          guint                           microseconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensRefreshPass, lens_refresh_pass_free)

G_END_DECLS
