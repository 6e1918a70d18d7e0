/* lens-image-file.h — an image's bytes saved with its task's facts, whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-image-facts.h"

G_BEGIN_DECLS

/**
 * LensSaveFlags:
 * @LENS_SAVE_NONE: the file goes to the destination, replacing one there
 * @LENS_SAVE_UNIQUE: never replace a file: take "name (2).ext" … instead
 * @LENS_SAVE_NAME_BY_CONTENT: the destination's extension follows the
 *   bytes (a ".png" that turns out to be a JPEG becomes ".jpg")
 */
typedef enum
{
  LENS_SAVE_NONE            = 0,
  LENS_SAVE_UNIQUE          = 1 << 0,
  LENS_SAVE_NAME_BY_CONTENT = 1 << 1,
} LensSaveFlags;

GFile *lens_image_file_write        (GBytes               *bytes,
                                     GFile                *destination,
                                     const LensImageFacts *facts,
                                     LensSaveFlags         flags,
                                     GCancellable         *cancellable,
                                     GError              **error);
void   lens_image_file_write_async  (GBytes               *bytes,
                                     GFile                *destination,
                                     const LensImageFacts *facts,
                                     LensSaveFlags         flags,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
GFile *lens_image_file_write_finish (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
