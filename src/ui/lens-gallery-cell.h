/* lens-gallery-cell.h — one square thumbnail of the gallery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-image-loader.h"
#include "lens-record-loader.h"
#include "lens-refresher.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

#define LENS_TYPE_GALLERY_CELL (lens_gallery_cell_get_type ())
G_DECLARE_FINAL_TYPE (LensGalleryCell, lens_gallery_cell, LENS, GALLERY_CELL, GtkWidget)

LensGalleryCell *lens_gallery_cell_new        (guint             column,
                                               LensImageLoader  *image_loader,
                                               LensRecordLoader *record_loader,
                                               LensRefresher    *refresher,
                                               LensTaskList     *task_list);
guint            lens_gallery_cell_get_column (LensGalleryCell  *self);
LensTask        *lens_gallery_cell_get_task   (LensGalleryCell  *self);
void             lens_gallery_cell_set_task   (LensGalleryCell  *self,
                                               LensTask         *task);
void             lens_gallery_cell_set_check  (LensGalleryCell  *self,
                                               gboolean          shown,
                                               gboolean          picked);

G_END_DECLS
