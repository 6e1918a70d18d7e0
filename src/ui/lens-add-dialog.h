/* lens-add-dialog.h — type or paste task IDs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-task-list.h"

G_BEGIN_DECLS

#define LENS_TYPE_ADD_DIALOG (lens_add_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LensAddDialog, lens_add_dialog, LENS, ADD_DIALOG, AdwDialog)

LensAddDialog *lens_add_dialog_new         (LensTaskList  *tasks);
void           lens_add_dialog_set_text    (LensAddDialog *self,
                                            const char    *text);
const char    *lens_add_dialog_get_summary (LensAddDialog *self);

G_END_DECLS
