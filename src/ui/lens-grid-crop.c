/* lens-grid-crop.c — one image of a 2×2 grid, cut out in a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An imagine task's result is a grid of four candidates; saving one of them
 * alone, when the record has no separate image of it (sub_image_urls), means
 * cutting its quarter out of the original. The grid is decoded as anything
 * else is (lens_image_decoder_decode_async(), at full size, with its limits
 * against hostile files); here its quarter's pixels are copied, unchanged,
 * into a PNG: lossless whatever the original's format. Reading the pixels
 * and encoding the PNG take a while for a 2048 × 2048 grid, so both run in
 * a worker: a texture can be read from any thread.
 *
 * The quarters are numbered as Midjourney's buttons are (U1 … U4): 1 top
 * left, 2 top right, 3 bottom left, 4 bottom right.
 */

#define G_LOG_DOMAIN "lens-grid-crop"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-grid-crop.h"
#include "lens-image-decoder-private.h"

typedef struct
{
  GdkTexture *grid;   /* owned */
  guint       index;
} Crop;

static void
crop_free (Crop *crop)
{
  g_clear_object (&crop->grid);
  g_free (crop);
}

/**
 * lens_grid_quadrant:
 * @width: the grid's width in pixels
 * @height: its height
 * @index: 1 to 4
 * @out_area: (out): where image @index lies in the grid; with an odd size
 *   the right and bottom ones are a pixel larger, so that the four cover
 *   every pixel once
 */
void
lens_grid_quadrant (int           width,
                    int           height,
                    guint         index,
                    GdkRectangle *out_area)
{
  int left_width = width / 2;
  int top_height = height / 2;
  gboolean right = index == 2 || index == 4;
  gboolean bottom = index == 3 || index == 4;

  g_return_if_fail (index >= 1 && index <= 4);
  g_return_if_fail (out_area != NULL);

  out_area->x = right ? left_width : 0;
  out_area->y = bottom ? top_height : 0;
  out_area->width = right ? width - left_width : left_width;
  out_area->height = bottom ? height - top_height : top_height;
}

/* Image @index of @grid's pixels (8 bits a channel with alpha: what
 * the grids are, and what PNG keeps), as a PNG. Blocks. */
static GBytes *
crop_pixels (GBytes *pixels,
             gsize   stride,
             int     width,
             int     height,
             guint   index)
{
  g_autoptr(GBytes) quarter_pixels = NULL;
  g_autoptr(GdkTexture) quarter = NULL;
  const guint8 *data = g_bytes_get_data (pixels, NULL);
  GdkRectangle area;
  gsize quarter_stride;
  guint8 *copy;

  lens_grid_quadrant (width, height, index, &area);
  quarter_stride = (gsize) area.width * 4;
  copy = g_malloc ((gsize) area.height * quarter_stride);
  for (int row = 0; row < area.height; row++)
    memcpy (copy + row * quarter_stride, data + (gsize) (area.y + row) * stride + (gsize) area.x * 4,
            quarter_stride);
  quarter_pixels = g_bytes_new_take (copy, (gsize) area.height * quarter_stride);
  quarter = gdk_memory_texture_new (area.width, area.height, GDK_MEMORY_R8G8B8A8, quarter_pixels,
                                    quarter_stride);
  return gdk_texture_save_to_png_bytes (quarter);
}

/* @grid's pixels, or %NULL with @error set when it is too small to be a
 * grid. */
static GBytes *
grid_pixels (GdkTexture  *grid,
             gsize       *out_stride,
             GError     **error)
{
  g_autoptr(GdkTextureDownloader) downloader = NULL;

  if (gdk_texture_get_width (grid) < 2 || gdk_texture_get_height (grid) < 2)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The image is too small to be a grid"));
      return NULL;
    }
  downloader = gdk_texture_downloader_new (grid);
  gdk_texture_downloader_set_format (downloader, GDK_MEMORY_R8G8B8A8);
  return gdk_texture_downloader_download_bytes (downloader, out_stride);
}

static void
crop_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Crop *crop = task_data;
  g_autoptr(GBytes) pixels = NULL;
  GError *error = NULL;
  gsize stride = 0;

  pixels = grid_pixels (crop->grid, &stride, &error);
  if (pixels == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, crop_pixels (pixels, stride, gdk_texture_get_width (crop->grid),
                                            gdk_texture_get_height (crop->grid), crop->index),
                         (GDestroyNotify) g_bytes_unref);
}

/**
 * lens_grid_split:
 * @grid: an encoded image (PNG, JPEG, WebP …), from the network
 *
 * The bulk save's way to cut grids (LensGridSplitFunc): decodes @grid at
 * full size, with the decoder's limits against hostile files, and cuts it
 * into its four images, once. Blocks: for workers.
 *
 * Returns: (transfer full) (element-type GBytes) (nullable): the four
 *   images' PNGs, 1 to 4, or %NULL with @error set
 */
GPtrArray *
lens_grid_split (GBytes        *grid,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) pixels = NULL;
  GPtrArray *images;
  gsize stride = 0;

  texture = _lens_image_decoder_decode_bytes (grid, 0, cancellable, error);
  if (texture == NULL || (pixels = grid_pixels (texture, &stride, error)) == NULL)
    return NULL;

  images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint index = 1; index <= 4; index++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_ptr_array_unref (images);
          return NULL;
        }
      g_ptr_array_add (images, crop_pixels (pixels, stride, gdk_texture_get_width (texture),
                                            gdk_texture_get_height (texture), index));
    }
  return images;
}

/**
 * lens_grid_crop_async:
 * @grid: the whole grid, decoded at full size
 * @index: which image, 1 to 4
 *
 * Cuts image @index out of @grid as a PNG, off the main thread.
 */
void
lens_grid_crop_async (GdkTexture          *grid,
                      guint                index,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Crop *crop;

  g_return_if_fail (GDK_IS_TEXTURE (grid));
  g_return_if_fail (index >= 1 && index <= 4);

  crop = g_new0 (Crop, 1);
  crop->grid = g_object_ref (grid);
  crop->index = index;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_grid_crop_async);
  g_task_set_task_data (task, crop, (GDestroyNotify) crop_free);
  g_task_run_in_thread (task, crop_in_thread);
}

/**
 * lens_grid_crop_finish:
 *
 * Returns: (transfer full): the image's PNG
 */
GBytes *
lens_grid_crop_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_grid_crop_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
