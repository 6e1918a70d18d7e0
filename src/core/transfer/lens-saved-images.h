/* lens-saved-images.h — the images a folder already has from Tasklens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void        lens_saved_images_scan_async  (GFile                *folder,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GHashTable *lens_saved_images_scan_finish (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
