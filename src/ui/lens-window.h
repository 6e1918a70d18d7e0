/* lens-window.h — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-context.h"

G_BEGIN_DECLS

#define LENS_TYPE_WINDOW (lens_window_get_type ())
G_DECLARE_FINAL_TYPE (LensWindow, lens_window, LENS, WINDOW, AdwApplicationWindow)

LensWindow *lens_window_new               (GtkApplication *application,
                                           LensContext    *context);
LensTask   *lens_window_get_selected_task (LensWindow     *self);
GPtrArray  *lens_window_dup_selected_ids  (LensWindow     *self);
void        lens_window_select_task       (LensWindow     *self,
                                           const char     *id);

G_END_DECLS
