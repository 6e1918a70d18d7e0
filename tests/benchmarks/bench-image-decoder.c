/* bench-image-decoder.c — memory of twelve huge pictures decoded at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Twelve 8000 × 8000 PNGs (some 60 KB each, 256 MB each once decoded) are
 * asked for at once, as a grid of rows would. Prints the decoder's budget
 * high-water mark and the process's peak resident memory, first with the
 * app's limits, then with the limits lifted (as before the decoder had a
 * schedule). Run: build-aux/sdk run meson test -C _build --benchmark image-decoder -v
 */

#include "config.h"

#include <gtk/gtk.h>

#include "lens-image-decoder.h"
#include "lens-test-png.h"

#define COUNT 12

static void
decoded_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint *left = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = lens_image_decoder_decode_finish (result, &error);

  if (texture == NULL)
    g_error ("decode failed: %s", error->message);
  (*left)--;
}

/* The peak resident set since the last reset_peak_rss(), in MB. */
static long
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) / 1024 : -1;
}

static void
reset_peak_rss (void)
{
  /* "5" resets VmHWM to the current resident set (Linux ≥ 4.0). */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static void
run (const char *label,
     GBytes     *png)
{
  guint left = COUNT;
  guint peak_in_flight = 0;
  gsize peak_reserved = 0;
  gint64 start = g_get_monotonic_time ();

  lens_image_decoder_reset_stats ();
  reset_peak_rss ();
  for (guint i = 0; i < COUNT; i++)
    lens_image_decoder_decode_async (png, 256, NULL, decoded_cb, &left);
  while (left > 0)
    g_main_context_iteration (NULL, TRUE);

  lens_image_decoder_get_stats (&peak_in_flight, &peak_reserved);
  g_print ("%-10s %d decodes: at most %u at once, budget peak %" G_GSIZE_FORMAT " MB, "
           "peak RSS %ld MB, %.1f s\n",
           label, COUNT, peak_in_flight, peak_reserved / (1024 * 1024), peak_rss_mb (),
           (g_get_monotonic_time () - start) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) png = lens_test_make_png (8000, 8000);

  g_print ("one 8000 x 8000 PNG: %" G_GSIZE_FORMAT " bytes\n", g_bytes_get_size (png));

  lens_image_decoder_set_limits (0, 0);
  run ("limited", png);

  lens_image_decoder_set_limits (COUNT, G_MAXSIZE);
  run ("unlimited", png);

  return 0;
}
