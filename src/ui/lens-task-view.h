/* lens-task-view.h — the detail page of one task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-downloads.h"
#include "lens-image-loader.h"
#include "lens-refresher.h"
#include "lens-task.h"

G_BEGIN_DECLS

/* Properties: "task" (LensTask, nullable), "image-loader" (LensImageLoader,
 * nullable: no image without it), "downloads" (LensDownloads, nullable: no
 * download without it), and, read-only, "downloading" and
 * "download-progress" for the shown task's download. */
#define LENS_TYPE_TASK_VIEW (lens_task_view_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskView, lens_task_view, LENS, TASK_VIEW, AdwBin)

LensTaskView *lens_task_view_new      (void);
LensTask     *lens_task_view_get_task (LensTaskView *self);
void          lens_task_view_set_refresher (LensTaskView  *self,
                                            LensRefresher *refresher);
void          lens_task_view_set_task (LensTaskView *self,
                                       LensTask     *task);

G_END_DECLS
