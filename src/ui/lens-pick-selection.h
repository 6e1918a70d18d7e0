/* lens-pick-selection.h — which of the shown tasks are picked, marked on the tasks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-task-list.h"

G_BEGIN_DECLS

#define LENS_TYPE_PICK_SELECTION (lens_pick_selection_get_type ())
G_DECLARE_FINAL_TYPE (LensPickSelection, lens_pick_selection, LENS, PICK_SELECTION, GObject)

LensPickSelection *lens_pick_selection_new          (GListModel        *shown,
                                                     LensTaskList      *all);
guint              lens_pick_selection_get_n_picked (LensPickSelection *self);
GPtrArray         *lens_pick_selection_dup_picked   (LensPickSelection *self);

G_END_DECLS
