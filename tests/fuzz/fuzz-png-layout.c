/* fuzz-png-layout.c — lens_png_layout_find_pixels() on any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A saved image's bytes come from a server as they are: any length, any
 * chunk lengths. Besides not reading past them, a split the walk reports
 * must be one lens-image-file.c can rely on: the pixels start with an IDAT
 * chunk after the IHDR, and the file ends with IEND.
 */

#define G_LOG_DOMAIN "fuzz-png-layout"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "lens-png-layout.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly @size bytes, so that ASan sees any read past the end. */
  g_autofree guint8 *copy = g_memdup2 (data, size);
  gsize start = 0;

  if (!lens_png_layout_find_pixels (size > 0 ? copy : NULL, size, &start))
    {
      FUZZ_CHECK (start == 0);
      return 0;
    }

  /* Signature, IHDR (at least its framing), then the pixels. */
  FUZZ_CHECK (start >= 8 + 12);
  FUZZ_CHECK (start + 12 + LENS_PNG_END_CHUNK_SIZE <= size);
  FUZZ_CHECK (memcmp (copy + 12, "IHDR", 4) == 0);
  FUZZ_CHECK (memcmp (copy + start + 4, "IDAT", 4) == 0);
  FUZZ_CHECK (memcmp (copy + size - LENS_PNG_END_CHUNK_SIZE + 4, "IEND", 4) == 0);
  return 0;
}
