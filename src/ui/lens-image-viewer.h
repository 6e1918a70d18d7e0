/* lens-image-viewer.h — a task's image in a window of its own, to look at closely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-image-loader.h"
#include "lens-task-list.h"
#include "lens-zoomable-picture.h"

G_BEGIN_DECLS

/* Properties (construct-only): "selection", the main window's selection of
 * its shown tasks, which the viewer shows and moves; "image-loader";
 * "task-list", for the titles. */
#define LENS_TYPE_IMAGE_VIEWER (lens_image_viewer_get_type ())
G_DECLARE_FINAL_TYPE (LensImageViewer, lens_image_viewer, LENS, IMAGE_VIEWER, AdwWindow)

LensImageViewer     *lens_image_viewer_new         (GtkWindow          *parent,
                                                    GtkSingleSelection *selection,
                                                    LensImageLoader    *image_loader,
                                                    LensTaskList       *task_list);
LensTask            *lens_image_viewer_get_task    (LensImageViewer    *self);
gboolean             lens_image_viewer_get_fullscreen (LensImageViewer *self);
LensZoomablePicture *lens_image_viewer_get_picture (LensImageViewer    *self);

G_END_DECLS
