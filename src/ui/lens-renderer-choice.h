/* lens-renderer-choice.h — draw with cairo where OpenGL is drawn in software
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean    lens_renderer_choice_is_software_gl  (const char *gl_renderer);
char       *lens_renderer_choice_dup_gl_renderer (GdkDisplay *display);
const char *lens_renderer_choice_apply           (GdkDisplay *display);

G_END_DECLS
