/* lens-refresher.h — keeps the tasks up to date: asks the server for what
 * the poll schedule says, when it says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-client.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

/**
 * LensRefresherPause:
 * @LENS_REFRESHER_PAUSE_NONE: asking as usual
 * @LENS_REFRESHER_PAUSE_NO_TOKEN: there is no API token
 * @LENS_REFRESHER_PAUSE_UNAUTHORIZED: the token was rejected (401)
 * @LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED: payment required (402)
 * @LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED: the balance is used up (403 used_up)
 * @LENS_REFRESHER_PAUSE_FORBIDDEN: the account may not use the API (403)
 * @LENS_REFRESHER_PAUSE_WRONG_URL: no API at the configured address (404)
 * @LENS_REFRESHER_PAUSE_OFFLINE: the network is down; resumes by itself
 * @LENS_REFRESHER_PAUSE_UNREACHABLE: the network is up but the API server
 *   cannot be reached (connection refused, unknown host, a connection
 *   that breaks), after the client's own retries; asks again by itself
 *   now and then, and resumes at the first answer
 *
 * Why the refresher is not asking the server. All but OFFLINE and
 * UNREACHABLE need the user (a new token, payment, another URL); the
 * refresher resumes when the token or the URL changes, or when
 * lens_refresher_resume() is called.
 */
typedef enum
{
  LENS_REFRESHER_PAUSE_NONE,
  LENS_REFRESHER_PAUSE_NO_TOKEN,
  LENS_REFRESHER_PAUSE_UNAUTHORIZED,
  LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED,
  LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED,
  LENS_REFRESHER_PAUSE_FORBIDDEN,
  LENS_REFRESHER_PAUSE_WRONG_URL,
  LENS_REFRESHER_PAUSE_OFFLINE,
  LENS_REFRESHER_PAUSE_UNREACHABLE,
} LensRefresherPause;

#define LENS_REFRESHER_DEFAULT_POLL_MS 5000

#define LENS_TYPE_REFRESHER (lens_refresher_get_type ())
G_DECLARE_FINAL_TYPE (LensRefresher, lens_refresher, LENS, REFRESHER, GObject)

LensRefresher     *lens_refresher_new                (LensClient         *client,
                                                      LensTaskList       *tasks,
                                                      GNetworkMonitor    *network_monitor);
void               lens_refresher_set_schedule       (LensRefresher      *self,
                                                      const guint        *intervals_ms,
                                                      guint               n_intervals);
void               lens_refresher_set_stall_after    (LensRefresher      *self,
                                                      guint               seconds);
void               lens_refresher_set_min_request_interval (LensRefresher *self,
                                                      guint               milliseconds);
void               lens_refresher_set_unreachable_retry (LensRefresher   *self,
                                                      guint               first_ms,
                                                      guint               max_ms);
void               lens_refresher_set_tick_budget    (LensRefresher      *self,
                                                      guint               microseconds);
void               lens_refresher_set_polling_enabled (LensRefresher     *self,
                                                      gboolean            enabled);
gboolean           lens_refresher_get_polling_enabled (LensRefresher     *self);
void               lens_refresher_refresh            (LensRefresher      *self,
                                                      const char * const *ids);
void               lens_refresher_refresh_tasks      (LensRefresher      *self,
                                                      GPtrArray          *tasks);
void               lens_refresher_new_action         (LensRefresher      *self);
guint              lens_refresher_refresh_unfinished (LensRefresher      *self);
void               lens_refresher_resume             (LensRefresher      *self);
void               lens_refresher_set_held           (LensRefresher      *self,
                                                      gboolean            held);
gboolean           lens_refresher_get_busy           (LensRefresher      *self);
LensRefresherPause lens_refresher_get_pause          (LensRefresher      *self);
const char        *lens_refresher_get_pause_message  (LensRefresher      *self);

G_END_DECLS
