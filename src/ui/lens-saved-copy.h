/* lens-saved-copy.h — the user's saved file of an image, decoded for showing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-task.h"

G_BEGIN_DECLS

const char *lens_saved_copy_path_instead (LensTask           *task,
                                          const GError       *link_error);

void        lens_saved_copy_load_async  (const char          *path,
                                         int                  pixel_size,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GdkTexture *lens_saved_copy_load_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
