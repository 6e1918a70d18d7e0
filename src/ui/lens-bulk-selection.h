/* lens-bulk-selection.h — the tasks picked to act on together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-task-list.h"

G_BEGIN_DECLS

#define LENS_TYPE_BULK_SELECTION (lens_bulk_selection_get_type ())
G_DECLARE_FINAL_TYPE (LensBulkSelection, lens_bulk_selection, LENS, BULK_SELECTION, GObject)

LensBulkSelection *lens_bulk_selection_new                (GtkSingleSelection *open,
                                                           LensTaskList       *all);
GtkSelectionModel *lens_bulk_selection_get_picked         (LensBulkSelection  *self);
GActionGroup      *lens_bulk_selection_get_actions        (LensBulkSelection  *self);
guint              lens_bulk_selection_get_n_picked       (LensBulkSelection  *self);
gboolean           lens_bulk_selection_get_selection_mode (LensBulkSelection  *self);
void               lens_bulk_selection_set_selection_mode (LensBulkSelection  *self,
                                                           gboolean            selection_mode);
gboolean           lens_bulk_selection_get_active         (LensBulkSelection  *self);
gboolean           lens_bulk_selection_click              (LensBulkSelection  *self,
                                                           guint               position,
                                                           gboolean            toggle,
                                                           gboolean            extend);
gboolean           lens_bulk_selection_is_picked          (LensBulkSelection  *self,
                                                           guint               position);
void               lens_bulk_selection_select_all         (LensBulkSelection  *self);
void               lens_bulk_selection_select_none        (LensBulkSelection  *self);
void               lens_bulk_selection_reset              (LensBulkSelection  *self);
GPtrArray         *lens_bulk_selection_dup_tasks          (LensBulkSelection  *self);
GPtrArray         *lens_bulk_selection_dup_ids            (LensBulkSelection  *self);

G_END_DECLS
