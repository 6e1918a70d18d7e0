/* lens-zoomable-picture.h — a paintable drawn at a zoom, panned
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The largest zoom, as Loupe's: 2000 %. */
#define LENS_ZOOMABLE_PICTURE_MAX_ZOOM 20.0

/* Properties: "paintable" (nullable), "zoom" (image pixels to logical
 * pixels), "best-fit" (the zoom follows the size, the whole image shows). */
#define LENS_TYPE_ZOOMABLE_PICTURE (lens_zoomable_picture_get_type ())
G_DECLARE_FINAL_TYPE (LensZoomablePicture, lens_zoomable_picture, LENS, ZOOMABLE_PICTURE, GtkWidget)

GtkWidget    *lens_zoomable_picture_new            (void);
GdkPaintable *lens_zoomable_picture_get_paintable  (LensZoomablePicture *self);
void          lens_zoomable_picture_set_paintable  (LensZoomablePicture *self,
                                                    GdkPaintable        *paintable);
double        lens_zoomable_picture_get_zoom       (LensZoomablePicture *self);
void          lens_zoomable_picture_set_zoom       (LensZoomablePicture *self,
                                                    double               zoom);
void          lens_zoomable_picture_zoom_at        (LensZoomablePicture *self,
                                                    double               zoom,
                                                    double               x,
                                                    double               y);
double        lens_zoomable_picture_get_fit_zoom   (LensZoomablePicture *self);
gboolean      lens_zoomable_picture_get_best_fit   (LensZoomablePicture *self);
void          lens_zoomable_picture_set_best_fit   (LensZoomablePicture *self,
                                                    gboolean             best_fit);
void          lens_zoomable_picture_pan_by         (LensZoomablePicture *self,
                                                    double               dx,
                                                    double               dy);
void          lens_zoomable_picture_widget_to_image (LensZoomablePicture *self,
                                                     double               x,
                                                     double               y,
                                                     double              *image_x,
                                                     double              *image_y);

G_END_DECLS
