/* lens-task-view-video.h — the videos of the task view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-image-loader.h"
#include "lens-task.h"

G_BEGIN_DECLS

/* Properties: "task" and "image-loader", both nullable, and, read-only,
 * "url": the address of the video chosen (nullable). */
#define LENS_TYPE_TASK_VIEW_VIDEO (lens_task_view_video_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskViewVideo, lens_task_view_video, LENS, TASK_VIEW_VIDEO, AdwBin)

gboolean    lens_task_view_video_can_show        (LensTask          *task);
const char *lens_task_view_video_get_url         (LensTaskViewVideo *self);
void        lens_task_view_video_set_image_loader (LensTaskViewVideo *self,
                                                   LensImageLoader   *image_loader);
void        lens_task_view_video_set_task        (LensTaskViewVideo *self,
                                                  LensTask          *task);

G_END_DECLS
