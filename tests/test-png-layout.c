/* test-png-layout.c — where a PNG's pixels lie, apart from what it says of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12: a saved image's facts are written by exiv2 into the chunks
 * before its pixels only when the file is laid out so that nothing the
 * pixels are followed by could hold facts too. The walk reads lengths and
 * types only, so the files here are made of framings with made-up CRCs;
 * every file it must not split, and every hostile length, says no.
 */

#include "config.h"

#include <string.h>

#include "lens-png-layout.h"
#include "lens-test.h"

#define SIGNATURE "\x89PNG\r\n\x1a\n"

/* Appends a chunk of @type with @length bytes of data (zeros) and a CRC
 * nobody checks here. */
static void
add_chunk (GByteArray *png,
           const char *type,
           guint32     length)
{
  guint8 framing[8] = { length >> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff };
  static const guint8 crc[4] = { 0xde, 0xad, 0xbe, 0xef };
  g_autofree guint8 *data = g_malloc0 (length);

  memcpy (framing + 4, type, 4);
  g_byte_array_append (png, framing, sizeof framing);
  g_byte_array_append (png, data, length);
  g_byte_array_append (png, crc, sizeof crc);
}

/* A PNG of the chunks in @types, "TYPE:LENGTH" each, e.g. "IHDR:13". */
static GByteArray *
make_png (const char * const *types)
{
  GByteArray *png = g_byte_array_new ();

  g_byte_array_append (png, (const guint8 *) SIGNATURE, 8);
  for (gsize i = 0; types[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (types[i], ":", 2);

      add_chunk (png, parts[0], (guint32) g_ascii_strtoull (parts[1], NULL, 10));
    }
  return png;
}

static gboolean
find (GByteArray *png,
      gsize      *out_start)
{
  return lens_png_layout_find_pixels (png->data, png->len, out_start);
}

/* Metadata before the pixels, the pixels, IEND: split where IDAT starts. */
static void
test_split (void)
{
  const char * const types[] = { "IHDR:13", "iTXt:300", "pHYs:9", "IDAT:8192", "IDAT:8192",
                                 "IDAT:17", "IEND:0", NULL };
  g_autoptr(GByteArray) png = make_png (types);
  gsize start = 0;

  g_assert_true (find (png, &start));
  g_assert_cmpuint (start, ==, 8 + (12 + 13) + (12 + 300) + (12 + 9));
  g_assert_cmpmem (png->data + start + 4, 4, "IDAT", 4);
  g_assert_cmpmem (png->data + png->len - LENS_PNG_END_CHUNK_SIZE + 4, 4, "IEND", 4);
}

/* What follows the pixels could hold facts exiv2 must see (an XMP packet
 * after the pixels would otherwise outlive the new one): not split. */
static void
test_chunks_after_pixels (void)
{
  const char * const text_after[] = { "IHDR:13", "IDAT:100", "iTXt:50", "IEND:0", NULL };
  const char * const time_after[] = { "IHDR:13", "IDAT:100", "tIME:7", "IEND:0", NULL };
  const char * const broken_run[] = { "IHDR:13", "IDAT:100", "tEXt:5", "IDAT:100", "IEND:0", NULL };
  g_autoptr(GByteArray) one = make_png (text_after);
  g_autoptr(GByteArray) two = make_png (time_after);
  g_autoptr(GByteArray) three = make_png (broken_run);
  gsize start = 99;

  g_assert_false (find (one, &start));
  g_assert_cmpuint (start, ==, 0);
  g_assert_false (find (two, &start));
  g_assert_false (find (three, &start));
}

/* Files that are not laid out as a PNG must be, whatever they claim. */
static void
test_not_split (void)
{
  const char * const no_ihdr[] = { "tEXt:4", "IHDR:13", "IDAT:10", "IEND:0", NULL };
  const char * const no_pixels[] = { "IHDR:13", "tEXt:4", "IEND:0", NULL };
  const char * const no_end[] = { "IHDR:13", "IDAT:10", NULL };
  const char * const full_end[] = { "IHDR:13", "IDAT:10", "IEND:33", NULL };
  const char * const valid[] = { "IHDR:13", "IDAT:10", "IEND:0", NULL };
  g_autoptr(GByteArray) d = make_png (full_end);
  g_autoptr(GByteArray) a = make_png (no_ihdr);
  g_autoptr(GByteArray) b = make_png (no_pixels);
  g_autoptr(GByteArray) c = make_png (no_end);
  g_autoptr(GByteArray) trailing = make_png (valid);
  g_autoptr(GByteArray) truncated = make_png (valid);
  g_autoptr(GByteArray) wrong_signature = make_png (valid);
  gsize start;

  g_assert_false (find (a, &start));
  g_assert_false (find (b, &start));
  g_assert_false (find (c, &start));
  /* An IEND with data (the fuzzer's find): not the end a split relies on. */
  g_assert_false (find (d, &start));

  g_byte_array_append (trailing, (const guint8 *) "junk", 4);
  g_assert_false (find (trailing, &start));
  g_byte_array_set_size (truncated, truncated->len - 1);
  g_assert_false (find (truncated, &start));
  wrong_signature->data[1] = 'J';
  g_assert_false (find (wrong_signature, &start));

  g_assert_false (lens_png_layout_find_pixels (NULL, 0, &start));
  g_assert_false (lens_png_layout_find_pixels ((const guint8 *) SIGNATURE, 8, &start));
  g_assert_false (lens_png_layout_find_pixels ((const guint8 *) SIGNATURE, 5, &start));
}

/* A length that runs past the end, or past what a chunk may hold, ends the
 * walk, wherever it is; none is read beyond the buffer (the sanitizer run
 * checks that too). */
static void
test_hostile_lengths (void)
{
  const char * const valid[] = { "IHDR:13", "IDAT:10", "IEND:0", NULL };
  static const guint8 huge[][4] = {
    { 0xff, 0xff, 0xff, 0xff }, { 0x80, 0x00, 0x00, 0x00 }, { 0x7f, 0xff, 0xff, 0xff }, { 0x00, 0x00, 0x00, 0x0b },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (huge); i++)
    for (gsize chunk = 0; chunk < 3; chunk++)
      {
        g_autoptr(GByteArray) png = make_png (valid);
        gsize offsets[] = { 8, 8 + 25, 8 + 25 + 22 };
        gsize start;

        memcpy (png->data + offsets[chunk], huge[i], 4);
        g_assert_false (find (png, &start));
      }
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/png-layout/split", test_split);
  g_test_add_func ("/png-layout/chunks-after-pixels", test_chunks_after_pixels);
  g_test_add_func ("/png-layout/not-split", test_not_split);
  g_test_add_func ("/png-layout/hostile-lengths", test_hostile_lengths);

  return g_test_run ();
}
