/* lens-refresher.h — decides what to ask the server, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-client.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

#define LENS_REFRESHER_DEFAULT_POLL_MS 5000

#define LENS_TYPE_REFRESHER (lens_refresher_get_type ())
G_DECLARE_FINAL_TYPE (LensRefresher, lens_refresher, LENS, REFRESHER, GObject)

LensRefresher *lens_refresher_new                (LensClient         *client,
                                                  LensTaskList       *tasks);
void           lens_refresher_set_poll_interval  (LensRefresher      *self,
                                                  guint               milliseconds);
void           lens_refresher_refresh            (LensRefresher      *self,
                                                  const char * const *ids);
guint          lens_refresher_refresh_unfinished (LensRefresher      *self);
gboolean       lens_refresher_get_busy           (LensRefresher      *self);

G_END_DECLS
