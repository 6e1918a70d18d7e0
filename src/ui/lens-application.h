/* lens-application.h — the Tasklens application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-client.h"
#include "lens-downloader.h"
#include "lens-downloads.h"
#include "lens-history.h"
#include "lens-image-loader.h"
#include "lens-refresher.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

#define LENS_TYPE_APPLICATION (lens_application_get_type ())
G_DECLARE_FINAL_TYPE (LensApplication, lens_application, LENS, APPLICATION, AdwApplication)

LensApplication *lens_application_new              (const char        *application_id,
                                                    GApplicationFlags  extra_flags);
LensTaskList    *lens_application_get_task_list    (LensApplication   *self);
LensClient      *lens_application_get_client       (LensApplication   *self);
LensRefresher   *lens_application_get_refresher    (LensApplication   *self);
LensImageLoader *lens_application_get_image_loader (LensApplication   *self);
LensDownloader  *lens_application_get_downloader   (LensApplication   *self);
LensDownloads   *lens_application_get_downloads    (LensApplication   *self);
LensHistory     *lens_application_get_history      (LensApplication   *self);
GSettings       *lens_application_get_settings     (LensApplication   *self);
gboolean         lens_application_get_loading      (LensApplication   *self);
gboolean         lens_application_get_token_known  (LensApplication   *self);

G_END_DECLS
