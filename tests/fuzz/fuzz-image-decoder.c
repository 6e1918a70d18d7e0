/* fuzz-image-decoder.c — LensImageLoader's decode on any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whatever an image host serves reaches the decoder (lens-image-decoder.c),
 * which runs gdk-pixbuf's PNG, JPEG, GIF and WebP loaders on it. The decode
 * runs here in the calling thread, as the worker runs it. Besides not
 * crashing: a texture is never larger than the size asked for, nor than the
 * decoder's cap on source pixels.
 */

#define G_LOG_DOMAIN "fuzz-image-decoder"

#include "config.h"

#include "fuzz-common.h"
#include "lens-image-decoder-private.h"
#include "lens-image-loader.h"

/* The decoder's own cap (MAX_SOURCE_PIXELS). */
#define MAX_PIXELS ((gint64) 8192 * 8192)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* gdk-pixbuf's GIF loader meets a frame of width 0 with a critical in
   * gdk_pixbuf_calculate_rowstride(), then fails the load: a check that
   * worked, not a crash. ASan still watches everything it does. */
  fuzz_init ("GdkPixbuf");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The last byte picks the size, so that any picture in the corpus is a
   * valid input as it is: original size, the grid's thumbnails, a tiny
   * one and the detail view. */
  static const int pixel_sizes[] = { 0, 1, 48, 256 };
  int pixel_size = size > 0 ? pixel_sizes[data[size - 1] % G_N_ELEMENTS (pixel_sizes)] : 0;
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  int width, height;

  texture = _lens_image_decoder_decode_bytes (bytes, pixel_size, NULL, &error);
  if (texture == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == LENS_IMAGE_LOADER_ERROR);
      return 0;
    }

  FUZZ_CHECK (error == NULL);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  FUZZ_CHECK (width > 0 && height > 0);
  FUZZ_CHECK ((gint64) width * height <= MAX_PIXELS);
  if (pixel_size > 0)
    FUZZ_CHECK (width <= pixel_size && height <= pixel_size);

  return 0;
}
