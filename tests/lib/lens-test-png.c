/* lens-test-png.c — huge pictures in a few bytes, for the decoder's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A black grayscale PNG compresses about a thousand to one, so an
 * 8000 × 8000 picture, which takes 256 MB once decoded, is some 60 KB of
 * file. Written by hand rather than with gdk-pixbuf, which would need the
 * whole picture in memory to encode it, and so that core tests can use it.
 */

#include "config.h"

#include <string.h>

#include "lens-test-png.h"

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         length)
{
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return ~crc;
}

static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guint8 be[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, be, 4);
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              gsize         length)
{
  guint32 crc = crc32_update (0, (const guint8 *) type, 4);

  crc = crc32_update (crc, data, length);
  append_be32 (png, length);
  g_byte_array_append (png, (const guint8 *) type, 4);
  g_byte_array_append (png, data, length);
  append_be32 (png, crc);
}

/**
 * lens_test_make_png:
 *
 * Returns: (transfer full): a valid black 8-bit grayscale PNG of
 *   @width × @height
 */
GBytes *
lens_test_make_png (guint width,
                    guint height)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zlib = g_converter_output_stream_new (memory,
                                                                 G_CONVERTER (compressor));
  g_autofree guint8 *row = g_malloc0 (width + 1);  /* filter byte 0, then black */
  const guint8 ihdr_tail[5] = { 8, 0, 0, 0, 0 };   /* 8 bits, gray, deflate, no filter, no interlace */

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  append_be32 (header, width);
  append_be32 (header, height);
  g_byte_array_append (header, ihdr_tail, sizeof ihdr_tail);
  append_chunk (png, "IHDR", header->data, header->len);

  for (guint y = 0; y < height; y++)
    g_assert_true (g_output_stream_write_all (zlib, row, width + 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (zlib, NULL, NULL));
  append_chunk (png, "IDAT",
                g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
                g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
  append_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}
