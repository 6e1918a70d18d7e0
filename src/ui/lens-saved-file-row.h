/* lens-saved-file-row.h — "Saved as NAME" on the task page, with Show in Files and Open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-task.h"

G_BEGIN_DECLS

#define LENS_TYPE_SAVED_FILE_ROW (lens_saved_file_row_get_type ())
G_DECLARE_FINAL_TYPE (LensSavedFileRow, lens_saved_file_row, LENS, SAVED_FILE_ROW, AdwBin)

void lens_saved_file_row_set_task (LensSavedFileRow *self,
                                   LensTask         *task);

G_END_DECLS
