/* lens-refresh-requests.h — the refresher's requests to the server, and
 * their answers in turn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-client.h"
#include "lens-poll-schedule.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

/**
 * LensRefreshAnswer:
 * @ids: what the request asked for
 * @priority: the priority it was sent at
 * @probe: it was sent by lens_refresh_requests_send_probe()
 * @confirm: a retrieve of one id (lens_refresh_requests_confirm()), not a
 *   batch
 * @batch: (nullable): a batch's answer; its error, if any, is its own
 * @record: (nullable): a retrieve's record
 * @error: (nullable): why the request failed, when there is no @batch
 *
 * One answer, handed to LensRefreshRequestsCallbacks.answered.
 */
typedef struct
{
  GStrv                ids;
  LensRequestPriority  priority;
  gboolean             probe;
  gboolean             confirm;
  LensBatchResult     *batch;
  JsonNode            *record;
  GError              *error;
} LensRefreshAnswer;

/**
 * LensRefreshRequestsCallbacks:
 * @is_paused: whether asking is paused: no poll chunk leaves then
 * @answered: an answer's turn to be applied, in the order they came; it
 *   is no longer under way
 * @changed: what is under way or waiting changed (see
 *   lens_refresh_requests_is_busy())
 */
typedef struct
{
  gboolean (*is_paused) (gpointer           user_data);
  void     (*answered)  (LensRefreshAnswer *answer,
                         gpointer           user_data);
  void     (*changed)   (gpointer           user_data);
} LensRefreshRequestsCallbacks;

typedef struct _LensRefreshRequests LensRefreshRequests;

LensRefreshRequests *lens_refresh_requests_new          (LensClient                         *client,
                                                         LensTaskList                       *tasks,
                                                         LensPollSchedule                   *schedule,
                                                         const LensRefreshRequestsCallbacks *callbacks,
                                                         gpointer                            user_data);
void                 lens_refresh_requests_free         (LensRefreshRequests                *requests);
void                 lens_refresh_requests_cancel       (LensRefreshRequests                *requests);
void                 lens_refresh_requests_send_at_once (LensRefreshRequests                *requests,
                                                         GPtrArray                          *ids,
                                                         guint                               group);
void                 lens_refresh_requests_queue_round  (LensRefreshRequests                *requests,
                                                         GPtrArray                          *ids);
void                 lens_refresh_requests_send_probe   (LensRefreshRequests                *requests,
                                                         GStrv                               ids);
void                 lens_refresh_requests_confirm      (LensRefreshRequests                *requests,
                                                         const char                         *id,
                                                         LensRequestPriority                 priority);
void                 lens_refresh_requests_pump         (LensRefreshRequests                *requests);
void                 lens_refresh_requests_drop_waiting (LensRefreshRequests                *requests);
gboolean             lens_refresh_requests_is_busy      (LensRefreshRequests                *requests);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensRefreshRequests, lens_refresh_requests_free)

G_END_DECLS
