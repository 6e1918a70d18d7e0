/* lens-task-view-image.h — the image of the task view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-image-loader.h"
#include "lens-refresher.h"
#include "lens-task.h"

G_BEGIN_DECLS

/* Properties: "task" and "image-loader", both nullable; "selected-image"
 * (read-only): the image of a grid the user picked, 1…4, or 0. */
#define LENS_TYPE_TASK_VIEW_IMAGE (lens_task_view_image_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskViewImage, lens_task_view_image, LENS, TASK_VIEW_IMAGE, AdwBin)

const char *lens_task_view_image_preview_url      (LensTask          *task);
guint       lens_task_view_image_get_selected_image (LensTaskViewImage *self);
GdkTexture *lens_task_view_image_lookup_preview   (LensImageLoader   *loader,
                                                   LensTask          *task,
                                                   int                scale_factor);
void        lens_task_view_image_set_image_loader (LensTaskViewImage *self,
                                                   LensImageLoader   *image_loader);
void        lens_task_view_image_set_stage_height (LensTaskViewImage *self,
                                                   int                height);
void        lens_task_view_image_set_refresher    (LensTaskViewImage *self,
                                                   LensRefresher     *refresher);
void        lens_task_view_image_set_task         (LensTaskViewImage *self,
                                                   LensTask          *task);

G_END_DECLS
