/* lens-fake-images.c — pictures for the fake server, drawn at run time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pictures only need to be real PNGs of the advertised size that a person
 * can tell apart: a grid shows four quadrants of clearly different hues, each
 * with its own pattern, so that a viewer cropping the wrong quadrant is caught
 * at a glance; a single image is a soft gradient with a sun.
 *
 * Such smooth pictures compress far better than a real render does (a
 * 1024×1024 grid is about 250 KB, a Midjourney one 1.5 MB or more): a grain
 * (lens_fake_api_set_image_grain()) adds noise to every pixel, so that a
 * benchmark that moves images moves as many bytes as a user's save does.
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include <math.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "lens-fake-api-private.h"

/* Beyond this a picture costs too much time and memory for a test. */
#define MAX_SIDE 2048

typedef struct
{
  guint8 r, g, b;
} Rgb;

static Rgb
hsv_to_rgb (double hue,
            double saturation,
            double value)
{
  double h = fmod (hue, 360.0) / 60.0;
  double c = value * saturation;
  double x = c * (1.0 - fabs (fmod (h, 2.0) - 1.0));
  double m = value - c;
  double r = 0, g = 0, b = 0;
  Rgb rgb;

  if (h < 0)
    h += 6.0;

  switch ((int) h)
    {
    case 0: r = c; g = x; break;
    case 1: r = x; g = c; break;
    case 2: g = c; b = x; break;
    case 3: g = x; b = c; break;
    case 4: r = x; b = c; break;
    default: r = c; b = x; break;
    }

  rgb.r = (guint8) CLAMP ((r + m) * 255.0, 0, 255);
  rgb.g = (guint8) CLAMP ((g + m) * 255.0, 0, 255);
  rgb.b = (guint8) CLAMP ((b + m) * 255.0, 0, 255);
  return rgb;
}

/* A diagonal gradient with a pale sun in the upper third; @aspect (width
 * over height) keeps the sun round. */
static Rgb
shade_gradient (double u,
                double v,
                double hue,
                double aspect)
{
  double dx = (u - 0.68) * aspect;
  double dy = v - 0.3;
  double sun = dx * dx + dy * dy;

  if (sun < 0.012)
    return hsv_to_rgb (hue + 40, 0.25, 1.0);

  return hsv_to_rgb (hue + 50 * (u + v) / 2, 0.65, 0.95 - 0.4 * v);
}

static Rgb
shade_rings (double u,
             double v,
             double hue)
{
  double d = sqrt ((u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5));

  return hsv_to_rgb (hue, 0.7, 0.6 + 0.3 * sin (d * 40.0));
}

static Rgb
shade_stripes (double u,
               double v,
               double hue)
{
  return hsv_to_rgb (hue, 0.75, ((int) (v * 8)) % 2 ? 0.9 : 0.65);
}

static Rgb
shade_dots (double u,
            double v,
            double hue)
{
  double fu = u * 6 - floor (u * 6) - 0.5;
  double fv = v * 6 - floor (v * 6) - 0.5;

  return hsv_to_rgb (hue, 0.7, fu * fu + fv * fv < 0.09 ? 0.95 : 0.55);
}

static Rgb
shade_quadrant (int    quadrant,
                double u,
                double v,
                double hue,
                double aspect)
{
  switch (quadrant)
    {
    case 0: return shade_gradient (u, v, hue, aspect);
    case 1: return shade_rings (u, v, hue);
    case 2: return shade_stripes (u, v, hue);
    default: return shade_dots (u, v, hue);
    }
}

static double
hue_for_id (const char *id)
{
  /* Stable per task, so that a thumbnail and its original match. */
  return (double) (g_str_hash (id) % 360);
}

static void
draw_single (guint8 *pixels,
             int     stride,
             int     width,
             int     height,
             double  hue)
{
  for (int y = 0; y < height; y++)
    {
      guint8 *row = pixels + (gsize) y * stride;

      for (int x = 0; x < width; x++)
        {
          Rgb rgb = shade_gradient ((double) x / width, (double) y / height, hue,
                                    (double) width / height);

          row[3 * x] = rgb.r;
          row[3 * x + 1] = rgb.g;
          row[3 * x + 2] = rgb.b;
        }
    }
}

static void
draw_grid (guint8 *pixels,
           int     stride,
           int     width,
           int     height,
           double  hue)
{
  int half_w = MAX (width / 2, 1);
  int half_h = MAX (height / 2, 1);
  int gutter = MAX (width / 256, 1);

  for (int y = 0; y < height; y++)
    {
      guint8 *row = pixels + (gsize) y * stride;
      int qy = y < half_h ? 0 : 1;
      double v = (double) (y - qy * half_h) / half_h;

      for (int x = 0; x < width; x++)
        {
          int qx = x < half_w ? 0 : 1;
          int quadrant = qy * 2 + qx;
          double u = (double) (x - qx * half_w) / half_w;
          Rgb rgb = { 24, 24, 28 };

          if (ABS (x - half_w) >= gutter && ABS (y - half_h) >= gutter)
            rgb = shade_quadrant (quadrant, u, v, hue + 90 * quadrant, (double) half_w / half_h);

          row[3 * x] = rgb.r;
          row[3 * x + 1] = rgb.g;
          row[3 * x + 2] = rgb.b;
        }
    }
}

/* Adds to each channel of each pixel a number from −@grain to +@grain,
 * the same for the same @seed: an image is the same at every request. */
static void
add_grain (guint8 *pixels,
           int     stride,
           int     width,
           int     height,
           guint   grain,
           guint32 seed)
{
  /* xorshift32: fast, and good enough to defeat PNG's filters. */
  guint32 state = seed != 0 ? seed : 0x9e3779b9;

  for (int y = 0; y < height; y++)
    {
      guint8 *row = pixels + (gsize) y * stride;

      for (int x = 0; x < 3 * width; x++)
        {
          int value;

          state ^= state << 13;
          state ^= state >> 17;
          state ^= state << 5;
          value = row[x] + (int) (state % (2 * grain + 1)) - (int) grain;
          row[x] = (guint8) CLAMP (value, 0, 255);
        }
    }
}

/* Returns (transfer full) a PNG of @width×@height (both capped at 2048),
 * with a grain of @grain (0 for none, at most 255). */
GBytes *
lens_fake_image_make_png (const char         *id,
                          LensFakeImageStyle  style,
                          int                 hue_shift,
                          int                 width,
                          int                 height,
                          guint               grain)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  double hue = hue_for_id (id) + hue_shift;
  char *buffer = NULL;
  gsize size = 0;

  width = CLAMP (width, 1, MAX_SIDE);
  height = CLAMP (height, 1, MAX_SIDE);

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  if (style == LENS_FAKE_IMAGE_GRID)
    draw_grid (gdk_pixbuf_get_pixels (pixbuf), gdk_pixbuf_get_rowstride (pixbuf),
               width, height, hue);
  else
    draw_single (gdk_pixbuf_get_pixels (pixbuf), gdk_pixbuf_get_rowstride (pixbuf),
                 width, height, hue);
  if (grain > 0)
    add_grain (gdk_pixbuf_get_pixels (pixbuf), gdk_pixbuf_get_rowstride (pixbuf), width, height,
               MIN (grain, 255), g_str_hash (id) ^ (guint32) hue_shift);

  /* Fast compression: these pictures are made on demand while a test waits. */
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error,
                                  "compression", "1", NULL))
    g_error ("Cannot encode a PNG: %s", error->message);

  return g_bytes_new_take (buffer, size);
}
