/* lens-preferences-dialog.h — the API token and address, and how tasks are followed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-account.h"

G_BEGIN_DECLS

#define LENS_TYPE_PREFERENCES_DIALOG (lens_preferences_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LensPreferencesDialog, lens_preferences_dialog,
                      LENS, PREFERENCES_DIALOG, AdwPreferencesDialog)

LensPreferencesDialog *lens_preferences_dialog_new (LensAccount *account,
                                                    GSettings   *settings);

G_END_DECLS
