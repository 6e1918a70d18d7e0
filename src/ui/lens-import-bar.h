/* lens-import-bar.h — the file being imported, how far, and a way to stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-intake.h"

G_BEGIN_DECLS

#define LENS_TYPE_IMPORT_BAR (lens_import_bar_get_type ())
G_DECLARE_FINAL_TYPE (LensImportBar, lens_import_bar, LENS, IMPORT_BAR, AdwBin)

void lens_import_bar_bind (LensImportBar *self,
                           LensIntake    *intake);

G_END_DECLS
