/* lens-shown-position.h — where a task shows in the window's sorted and filtered list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-task-list.h"

G_BEGIN_DECLS

gboolean lens_shown_position_find (LensTaskList       *tasks,
                                   GtkSortListModel   *sorted,
                                   GtkFilterListModel *filtered,
                                   LensTask           *task,
                                   guint              *out_position);

G_END_DECLS
