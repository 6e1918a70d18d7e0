/* lens-image-file.h — an image's bytes saved with its task's facts, whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-image-facts.h"

G_BEGIN_DECLS

GFile *lens_image_file_write        (GBytes               *bytes,
                                     GFile                *destination,
                                     const LensImageFacts *facts,
                                     gboolean              unique,
                                     GCancellable         *cancellable,
                                     GError              **error);
void   lens_image_file_write_async  (GBytes               *bytes,
                                     GFile                *destination,
                                     const LensImageFacts *facts,
                                     gboolean              unique,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
GFile *lens_image_file_write_finish (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
