/* lens-gallery-view.h — the tasks as a grid of thumbnails, grouped by day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-bulk-selection.h"
#include "lens-context.h"
#include "lens-gallery-rows.h"
#include "lens-image-loader.h"

G_BEGIN_DECLS

#define LENS_TYPE_GALLERY_VIEW (lens_gallery_view_get_type ())
G_DECLARE_FINAL_TYPE (LensGalleryView, lens_gallery_view, LENS, GALLERY_VIEW, GtkWidget)

void             lens_gallery_view_bind       (LensGalleryView    *self,
                                               LensContext        *context,
                                               LensImageLoader    *image_loader,
                                               GtkSingleSelection *selection);
void             lens_gallery_view_bind_picked (LensGalleryView   *self,
                                               LensBulkSelection  *bulk);
void             lens_gallery_view_unbind     (LensGalleryView    *self);
gboolean         lens_gallery_view_get_active (LensGalleryView    *self);
void             lens_gallery_view_set_active (LensGalleryView    *self,
                                               gboolean            active);
void             lens_gallery_view_scroll_to  (LensGalleryView    *self,
                                               guint               position);
LensGalleryRows *lens_gallery_view_get_rows   (LensGalleryView    *self);

G_END_DECLS
