/* lens-shortcuts-dialog.h — the keyboard shortcuts, listed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LENS_TYPE_SHORTCUTS_DIALOG (lens_shortcuts_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LensShortcutsDialog, lens_shortcuts_dialog, LENS, SHORTCUTS_DIALOG, AdwDialog)

LensShortcutsDialog *lens_shortcuts_dialog_new (void);

G_END_DECLS
