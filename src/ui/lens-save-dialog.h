/* lens-save-dialog.h — Save Images…: which tasks, how grids are saved, where
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-saving.h"

G_BEGIN_DECLS

#define LENS_TYPE_SAVE_DIALOG (lens_save_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LensSaveDialog, lens_save_dialog, LENS, SAVE_DIALOG, AdwDialog)

AdwDialog *lens_save_dialog_new         (LensSaving         *saving,
                                         GSettings          *settings,
                                         GStrv               selected_ids);
GFile     *lens_save_dialog_get_folder  (LensSaveDialog     *self);
void       _lens_save_dialog_set_folder (LensSaveDialog     *self,
                                         GFile              *folder);

G_END_DECLS
