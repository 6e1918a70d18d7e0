/* lens-pause-banner.h — why no task is being looked up, with what to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-account.h"
#include "lens-refresher.h"
#include "lens-scheduler.h"

G_BEGIN_DECLS

#define LENS_TYPE_PAUSE_BANNER (lens_pause_banner_get_type ())
G_DECLARE_FINAL_TYPE (LensPauseBanner, lens_pause_banner, LENS, PAUSE_BANNER, AdwBin)

void lens_pause_banner_bind (LensPauseBanner *self,
                             LensRefresher   *refresher,
                             LensAccount     *account,
                             LensScheduler   *scheduler);

gboolean    lens_pause_banner_get_revealed        (LensPauseBanner *self);
const char *lens_pause_banner_get_title           (LensPauseBanner *self);
const char *lens_pause_banner_get_button_label    (LensPauseBanner *self);
const char *lens_pause_banner_get_secondary_label (LensPauseBanner *self);

G_END_DECLS
