/* test-grid-crop.c — one image of a 2×2 grid, cut out pixel for pixel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12: each quarter of a grid, saved alone, holds exactly the grid's
 * pixels of that quarter; the four cover the grid once, odd sizes too.
 */

#include "config.h"

#include <string.h>

#include "lens-grid-crop.h"
#include "lens-test.h"

/* A grid whose every pixel says where it is. */
static GdkTexture *
make_grid (int width,
           int height)
{
  gsize stride = (gsize) width * 4;
  guint8 *pixels = g_malloc (stride * height);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *pixel = pixels + y * stride + x * 4;

        pixel[0] = (guint8) x;
        pixel[1] = (guint8) y;
        pixel[2] = (guint8) (x * 7 + y * 13);
        pixel[3] = (guint8) (255 - (x + y) % 64);
      }
  bytes = g_bytes_new_take (pixels, stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride);
}

static GBytes *
download (GdkTexture *texture,
          gsize      *stride)
{
  g_autoptr(GdkTextureDownloader) downloader = gdk_texture_downloader_new (texture);

  gdk_texture_downloader_set_format (downloader, GDK_MEMORY_R8G8B8A8);
  return gdk_texture_downloader_download_bytes (downloader, stride);
}

typedef struct
{
  GBytes *png;
  GError *error;
  gboolean done;
} Cropped;

static void
cropped_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Cropped *cropped = user_data;

  cropped->png = lens_grid_crop_finish (result, &cropped->error);
  cropped->done = TRUE;
}

/* Image @index of @grid as a PNG: cut from the texture, as the task page
 * does (lens_grid_crop_async()), or from the encoded grid, as a bulk save
 * does (lens_grid_split()). */
static GBytes *
crop (GdkTexture *grid,
      guint       index,
      gboolean    from_encoded)
{
  Cropped cropped = { 0 };

  if (from_encoded)
    {
      g_autoptr(GBytes) encoded = gdk_texture_save_to_png_bytes (grid);
      g_autoptr(GPtrArray) images = NULL;
      g_autoptr(GError) error = NULL;

      images = lens_grid_split (encoded, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (images->len, ==, 4);
      return g_bytes_ref (g_ptr_array_index (images, index - 1));
    }

  lens_grid_crop_async (grid, index, NULL, cropped_cb, &cropped);
  LENS_TEST_SPIN_UNTIL (cropped.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (cropped.error);
  return cropped.png;
}

static void
check_grid (int      width,
            int      height,
            gboolean from_encoded)
{
  g_autoptr(GdkTexture) grid = make_grid (width, height);
  gsize grid_stride = 0;
  g_autoptr(GBytes) grid_pixels = download (grid, &grid_stride);
  const guint8 *source = g_bytes_get_data (grid_pixels, NULL);
  g_autofree guint8 *covered = g_malloc0 ((gsize) width * height);

  for (guint index = 1; index <= 4; index++)
    {
      g_autoptr(GBytes) png = crop (grid, index, from_encoded);
      g_autoptr(GdkTexture) quarter = NULL;
      g_autoptr(GBytes) quarter_pixels = NULL;
      g_autoptr(GError) error = NULL;
      gsize stride = 0;
      GdkRectangle area;
      const guint8 *pixels;

      /* A PNG, read back as any program would. */
      g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
      quarter = gdk_texture_new_from_bytes (png, &error);
      g_assert_no_error (error);

      lens_grid_quadrant (width, height, index, &area);
      g_assert_cmpint (gdk_texture_get_width (quarter), ==, area.width);
      g_assert_cmpint (gdk_texture_get_height (quarter), ==, area.height);
      quarter_pixels = download (quarter, &stride);
      pixels = g_bytes_get_data (quarter_pixels, NULL);
      for (int y = 0; y < area.height; y++)
        {
          g_assert_cmpmem (pixels + y * stride, (gsize) area.width * 4,
                           source + (area.y + y) * grid_stride + area.x * 4, (gsize) area.width * 4);
          for (int x = 0; x < area.width; x++)
            covered[(area.y + y) * width + area.x + x]++;
        }
    }

  for (int i = 0; i < width * height; i++)
    g_assert_cmpuint (covered[i], ==, 1);
}

/* Quarters in Midjourney's order: U1 top left … U4 bottom right. */
static void
test_quadrants (void)
{
  GdkRectangle area;

  lens_grid_quadrant (2048, 2048, 1, &area);
  g_assert_cmpint (area.x, ==, 0);
  g_assert_cmpint (area.y, ==, 0);
  g_assert_cmpint (area.width, ==, 1024);
  lens_grid_quadrant (2048, 2048, 2, &area);
  g_assert_cmpint (area.x, ==, 1024);
  g_assert_cmpint (area.y, ==, 0);
  lens_grid_quadrant (2048, 2048, 3, &area);
  g_assert_cmpint (area.x, ==, 0);
  g_assert_cmpint (area.y, ==, 1024);
  lens_grid_quadrant (1456, 816, 4, &area);
  g_assert_cmpint (area.x, ==, 728);
  g_assert_cmpint (area.y, ==, 408);
  g_assert_cmpint (area.width, ==, 728);
  g_assert_cmpint (area.height, ==, 408);
}

static void
test_pixel_exact (void)
{
  check_grid (64, 48, FALSE);
}

static void
test_odd_size (void)
{
  check_grid (7, 5, FALSE);
}

/* The bulk save's split, from the downloaded file: the same pixels. */
static void
test_split_pixel_exact (void)
{
  check_grid (64, 48, TRUE);
  check_grid (7, 5, TRUE);
}

static void
test_too_small (void)
{
  g_autoptr(GdkTexture) dot = make_grid (1, 1);
  Cropped cropped = { 0 };

  lens_grid_crop_async (dot, 1, NULL, cropped_cb, &cropped);
  LENS_TEST_SPIN_UNTIL (cropped.done, LENS_TEST_DEADLINE_MS);
  g_assert_error (cropped.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (cropped.png);
  g_clear_error (&cropped.error);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/grid-crop/quadrants", test_quadrants);
  g_test_add_func ("/grid-crop/pixel-exact", test_pixel_exact);
  g_test_add_func ("/grid-crop/odd-size", test_odd_size);
  g_test_add_func ("/grid-crop/split-pixel-exact", test_split_pixel_exact);
  g_test_add_func ("/grid-crop/too-small", test_too_small);

  return g_test_run ();
}
