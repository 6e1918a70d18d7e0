/* lens-task-rows.h — the rows of the task list, and what they do with the tasks picked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-bulk-selection.h"
#include "lens-context.h"
#include "lens-image-loader.h"

G_BEGIN_DECLS

#define LENS_TYPE_TASK_ROWS (lens_task_rows_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskRows, lens_task_rows, LENS, TASK_ROWS, GObject)

void lens_task_rows_attach (GtkGridView       *list_view,
                            LensContext       *context,
                            LensImageLoader   *image_loader,
                            LensBulkSelection *bulk);

G_END_DECLS
