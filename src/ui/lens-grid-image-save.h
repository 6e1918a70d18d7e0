/* lens-grid-image-save.h — one image of a grid, saved with its task's facts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-downloads.h"
#include "lens-image-loader.h"

G_BEGIN_DECLS

void   lens_grid_image_save_async  (LensDownloads        *downloads,
                                    LensImageLoader      *loader,
                                    const char           *grid_url,
                                    const char           *sub_image_url,
                                    const LensImageFacts *facts,
                                    GFile                *destination,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
GFile *lens_grid_image_save_finish (GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
