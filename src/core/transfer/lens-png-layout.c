/* lens-png-layout.c — where a PNG's pixels lie, apart from what it says of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PNG is an 8-byte signature and a run of chunks, each a 4-byte length,
 * a 4-byte type, the data and a 4-byte CRC. The pixels are one unbroken
 * run of IDAT chunks; what the file says about them (text, XMP, EXIF, a
 * colour profile) is in other chunks, which may come before the pixels or
 * after them.
 *
 * Writing a saved image's facts need not touch its pixels: when all that
 * follows them is the closing IEND, lens-image-file.c hands exiv2 only the
 * chunks before the pixels (a few hundred bytes instead of 2 MB, which
 * exiv2 would otherwise read and write again several times, under a lock
 * no other save can pass meanwhile) and copies the pixels across as they
 * came.
 *
 * This file only walks the chunks' framing. It reads no chunk's contents,
 * writes nothing and checks no CRC: exiv2 does all there is to do with the
 * chunks it is given. A file that cannot be walked exactly to its end, or
 * whose pixels are followed by anything but IEND (an XMP packet after the
 * pixels, say, which exiv2 must see to replace), is not split at all.
 */

#define G_LOG_DOMAIN "lens-png-layout"

#include "config.h"

#include <string.h>

#include "lens-png-layout.h"

#define SIGNATURE      "\x89PNG\r\n\x1a\n"
#define SIGNATURE_SIZE 8
#define FRAMING_SIZE   12  /* length, type, CRC */
/* The PNG specification's limit on a chunk's length. */
#define MAX_CHUNK_DATA ((gsize) G_MAXINT32)

static gboolean
chunk_is (const guint8 *chunk,
          const char   *type)
{
  return memcmp (chunk + 4, type, 4) == 0;
}

/**
 * lens_png_layout_find_pixels:
 * @data: what may be a PNG
 * @out_start: (out): where its first IDAT chunk begins
 *
 * Whether @data is a PNG whose IHDR comes first and whose pixels (its
 * IDAT chunks, from @out_start on) are followed by nothing but IEND, the
 * last bytes of @data. Then the chunks before @out_start, closed by an
 * IEND, are a PNG without pixels that holds all the file says about them.
 *
 * Returns: %TRUE when @data is laid out so
 */
gboolean
lens_png_layout_find_pixels (const guint8 *data,
                             gsize         size,
                             gsize        *out_start)
{
  gsize offset = SIGNATURE_SIZE;
  gsize pixels = 0;
  gboolean in_pixels = FALSE;

  g_return_val_if_fail (out_start != NULL, FALSE);

  *out_start = 0;
  if (data == NULL || size < SIGNATURE_SIZE || memcmp (data, SIGNATURE, SIGNATURE_SIZE) != 0)
    return FALSE;

  while (size - offset >= FRAMING_SIZE)
    {
      const guint8 *chunk = data + offset;
      gsize length = ((gsize) chunk[0] << 24) | ((gsize) chunk[1] << 16)
                     | ((gsize) chunk[2] << 8) | chunk[3];

      if (length > MAX_CHUNK_DATA || length > size - offset - FRAMING_SIZE)
        return FALSE;
      if (offset == SIGNATURE_SIZE && !chunk_is (chunk, "IHDR"))
        return FALSE;

      if (chunk_is (chunk, "IEND"))
        {
          /* The last chunk, empty as the specification says, and only
           * after the pixels. */
          if (!in_pixels || length != 0 || offset + FRAMING_SIZE != size)
            return FALSE;
          *out_start = pixels;
          return TRUE;
        }
      if (chunk_is (chunk, "IDAT"))
        {
          if (!in_pixels)
            {
              in_pixels = TRUE;
              pixels = offset;
            }
        }
      else if (in_pixels)
        return FALSE;

      offset += FRAMING_SIZE + length;
    }

  return FALSE;
}
