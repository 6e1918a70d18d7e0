/* lens-task-view-private.h — a way in for tests, not for the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-task-view.h"

G_BEGIN_DECLS

/* What Download Original does once the user has picked @destination in the
 * file dialog, which tests cannot drive: saves the shown task's original
 * there through the view's LensDownloads, and says how it went in a toast.
 * Does nothing when Download Original is disabled. */
void _lens_task_view_download_to (LensTaskView *self,
                                  GFile        *destination);

/* As "Save Image 2…" does once the user picked @destination: saves the
 * image of the grid picked on the stage, and says so in a toast. */
void _lens_task_view_save_image_to (LensTaskView *self,
                                    GFile        *destination);

G_END_DECLS
