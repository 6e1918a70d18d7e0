/* lens-selection-bar.h — how many tasks are picked, and what to do with them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-bulk-selection.h"

G_BEGIN_DECLS

#define LENS_TYPE_SELECTION_BAR (lens_selection_bar_get_type ())
G_DECLARE_FINAL_TYPE (LensSelectionBar, lens_selection_bar, LENS, SELECTION_BAR, AdwBin)

void        lens_selection_bar_bind      (LensSelectionBar  *self,
                                          LensBulkSelection *bulk);
const char *lens_selection_bar_get_text  (LensSelectionBar  *self);

G_END_DECLS
