/* lens-toast-layer.h — toasts over the window's content, drawn on their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LENS_TYPE_TOAST_LAYER (lens_toast_layer_get_type ())

G_DECLARE_FINAL_TYPE (LensToastLayer, lens_toast_layer, LENS, TOAST_LAYER, GtkWidget)

GtkWidget *lens_toast_layer_new       (void);
void       lens_toast_layer_set_child (LensToastLayer *self,
                                       GtkWidget      *child);
void       lens_toast_layer_add_toast (LensToastLayer *self,
                                       AdwToast       *toast);

G_END_DECLS
