/* lens-save-progress.h — a bulk save in the window: how far, stop, the summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-saving.h"

G_BEGIN_DECLS

#define LENS_TYPE_SAVE_PROGRESS (lens_save_progress_get_type ())
G_DECLARE_FINAL_TYPE (LensSaveProgress, lens_save_progress, LENS, SAVE_PROGRESS, AdwBin)

void        lens_save_progress_bind         (LensSaveProgress *self,
                                             LensSaving       *saving);
gboolean    lens_save_progress_get_revealed (LensSaveProgress *self);
const char *lens_save_progress_get_text     (LensSaveProgress *self);
double      lens_save_progress_get_fraction (LensSaveProgress *self);

G_END_DECLS
