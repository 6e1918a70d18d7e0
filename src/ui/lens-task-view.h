/* lens-task-view.h — the detail page of one task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-downloader.h"
#include "lens-image-loader.h"
#include "lens-task.h"

G_BEGIN_DECLS

#define LENS_TYPE_TASK_VIEW (lens_task_view_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskView, lens_task_view, LENS, TASK_VIEW, AdwBin)

LensTaskView *lens_task_view_new          (void);
void          lens_task_view_set_services (LensTaskView    *self,
                                           LensImageLoader *image_loader,
                                           LensDownloader  *downloader);
LensTask     *lens_task_view_get_task     (LensTaskView    *self);
void          lens_task_view_set_task     (LensTaskView    *self,
                                           LensTask        *task);
void          lens_task_view_download_to  (LensTaskView    *self,
                                           GFile           *destination);

G_END_DECLS
