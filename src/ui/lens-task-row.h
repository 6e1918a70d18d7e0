/* lens-task-row.h — one task in the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-image-loader.h"
#include "lens-refresher.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

#define LENS_TYPE_TASK_ROW (lens_task_row_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskRow, lens_task_row, LENS, TASK_ROW, GtkWidget)

LensTaskRow *lens_task_row_new      (LensImageLoader *image_loader,
                                     LensRefresher   *refresher);
void         lens_task_row_set_task (LensTaskRow     *self,
                                     LensTask        *task);
void         lens_task_row_set_task_list (LensTaskRow  *self,
                                     LensTaskList    *task_list);
void         lens_task_row_set_check (LensTaskRow    *self,
                                     gboolean         shown,
                                     gboolean         picked);

G_END_DECLS
