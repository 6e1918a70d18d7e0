/* lens-grid-crop.h — one image of a 2×2 grid, cut out in a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void    lens_grid_quadrant     (int                  width,
                                int                  height,
                                guint                index,
                                GdkRectangle        *out_area);
void    lens_grid_crop_async   (GdkTexture          *grid,
                                guint                index,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
GBytes *lens_grid_crop_finish  (GAsyncResult        *result,
                                GError             **error);
GPtrArray *lens_grid_split     (GBytes              *grid,
                                GCancellable        *cancellable,
                                GError             **error);

G_END_DECLS
