/* lens-image-metadata.h — the prompt and the task's facts, inside a saved image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-image-facts.h"

G_BEGIN_DECLS

gboolean lens_image_metadata_write        (const char            *path,
                                           const LensImageFacts  *facts,
                                           GError               **error);
GBytes  *lens_image_metadata_write_bytes  (GBytes                *image,
                                           const LensImageFacts  *facts,
                                           GError               **error);
char    *lens_image_metadata_read_task_id (const char            *path,
                                           guint                 *out_index);
char    *lens_image_metadata_read_tag     (const char            *path,
                                           const char            *tag);

G_END_DECLS
