/* lens-save-cut.h — a downloaded grid cut into its images, each saved as a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-save-plan.h"

G_BEGIN_DECLS

/* Cuts a 2×2 grid, an encoded image, into its four images, encoded (PNG),
 * 1 to 4; or %NULL with @error set. Called in a worker: the UI, which can
 * decode images, gives one (lens_grid_split()). */
typedef GPtrArray *(*LensGridSplitFunc) (GBytes        *grid,
                                         GCancellable  *cancellable,
                                         GError       **error);

/**
 * LensSaveCutResult:
 * @final: (nullable): the file one image was written to
 * @error: (nullable): or why it was not
 * @size: its size in bytes
 */
typedef struct
{
  GFile  *final;
  GError *error;
  goffset size;
} LensSaveCutResult;

void    lens_save_cut_async  (GFile               *grid,
                              GFile               *folder,
                              GPtrArray           *items,
                              GPtrArray           *stems,
                              LensGridSplitFunc    split,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
GArray *lens_save_cut_finish (GAsyncResult        *result);

G_END_DECLS
