/* lens-png-layout.h — where a PNG's pixels lie, apart from what it says of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The chunk every PNG ends with, whole: length 0, "IEND", its CRC. */
#define LENS_PNG_END_CHUNK      "\0\0\0\0IEND\xae\x42\x60\x82"
#define LENS_PNG_END_CHUNK_SIZE 12

gboolean lens_png_layout_find_pixels (const guint8 *data,
                                      gsize         size,
                                      gsize        *out_start);

G_END_DECLS
