/* lens-grid-picker.h — the four images of a 2×2 grid, to pick one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Lies over a grid's picture: four focusable quarters, "Image 1" to
 * "Image 4" as Midjourney numbers them (U1 … U4). "selected" is the one
 * picked, or 0 for the whole grid. */
#define LENS_TYPE_GRID_PICKER (lens_grid_picker_get_type ())
G_DECLARE_FINAL_TYPE (LensGridPicker, lens_grid_picker, LENS, GRID_PICKER, GtkWidget)

GtkWidget *lens_grid_picker_new          (void);
guint      lens_grid_picker_get_selected (LensGridPicker *self);
void       lens_grid_picker_set_selected (LensGridPicker *self,
                                          guint           selected);
GtkWidget *lens_grid_picker_get_quadrant (LensGridPicker *self,
                                          guint           index);

G_END_DECLS
