/* lens-row-menu.h — the context menu of a row of the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-task.h"

G_BEGIN_DECLS

/* Returns: (transfer none) (nullable): the task @data shows */
typedef LensTask *(*LensRowMenuTaskFunc) (gpointer data);

GMenuModel *lens_row_menu_new_model   (LensTask            *task);
void        lens_row_menu_attach      (GtkListItem         *item,
                                       GtkWidget           *row);
void        lens_row_menu_attach_with (GtkWidget           *widget,
                                       LensRowMenuTaskFunc  task_for,
                                       gpointer             data);

G_END_DECLS
