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

#include "lens-grid-crop.h"

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

static void
crop_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Crop *crop = task_data;
  int width = gdk_texture_get_width (crop->grid);
  int height = gdk_texture_get_height (crop->grid);
  g_autoptr(GdkTextureDownloader) downloader = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GBytes) quarter_pixels = NULL;
  g_autoptr(GdkTexture) quarter = NULL;
  GdkRectangle area;
  gsize stride = 0;
  gsize quarter_stride;
  const guint8 *data;
  guint8 *copy;

  if (width < 2 || height < 2)
    {
      g_task_return_new_error_literal (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                       "The image is too small to be a grid");
      return;
    }
  lens_grid_quadrant (width, height, crop->index, &area);

  /* 8 bits a channel with alpha: what the grids are, and what PNG keeps. */
  downloader = gdk_texture_downloader_new (crop->grid);
  gdk_texture_downloader_set_format (downloader, GDK_MEMORY_R8G8B8A8);
  pixels = gdk_texture_downloader_download_bytes (downloader, &stride);
  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_bytes_get_data (pixels, NULL);
  quarter_stride = (gsize) area.width * 4;
  copy = g_malloc ((gsize) area.height * quarter_stride);
  for (int row = 0; row < area.height; row++)
    memcpy (copy + row * quarter_stride, data + (gsize) (area.y + row) * stride + (gsize) area.x * 4,
            quarter_stride);
  quarter_pixels = g_bytes_new_take (copy, (gsize) area.height * quarter_stride);
  quarter = gdk_memory_texture_new (area.width, area.height, GDK_MEMORY_R8G8B8A8, quarter_pixels,
                                    quarter_stride);
  if (g_task_return_error_if_cancelled (task))
    return;

  g_task_return_pointer (task, gdk_texture_save_to_png_bytes (quarter), (GDestroyNotify) g_bytes_unref);
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
