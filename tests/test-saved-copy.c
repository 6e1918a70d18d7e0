/* test-saved-copy.c — the user's saved file of an image, decoded for showing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12: when a link has expired, the task page shows the copy the user
 * saved. It is decoded at the size asked for; a file that is gone says so
 * (the page then has nothing to fall back to); and a file that grew beyond
 * any image (the user put something else under its name) is refused
 * without being read whole into memory.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lens-http.h"
#include "lens-saved-copy.h"
#include "lens-test.h"
#include "lens-test-png.h"

typedef struct
{
  GdkTexture *texture;  /* owned, nullable */
  GError     *error;    /* owned, nullable */
  gboolean    done;
} Outcome;

static void
loaded_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->texture = lens_saved_copy_load_finish (result, &outcome->error);
  outcome->done = TRUE;
}

static void
load (const char *path,
      int         pixel_size,
      Outcome    *outcome)
{
  lens_saved_copy_load_async (path, pixel_size, NULL, loaded_cb, outcome);
  lens_test_spin_until (&outcome->done, LENS_TEST_DEADLINE_MS);
}

static void
test_decoded_at_size (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("saved-copy");
  g_autofree char *path = g_build_filename (folder, "cat.png", NULL);
  g_autoptr(GBytes) png = lens_test_make_png (800, 400);
  Outcome outcome = { 0 };

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
  load (path, 200, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpint (gdk_texture_get_width (outcome.texture), ==, 200);
  g_assert_cmpint (gdk_texture_get_height (outcome.texture), ==, 100);

  g_clear_object (&outcome.texture);
  lens_test_remove_tree (folder);
}

static void
test_gone (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("saved-copy");
  g_autofree char *path = g_build_filename (folder, "gone.png", NULL);
  Outcome outcome = { 0 };

  load (path, 200, &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (outcome.texture);

  g_clear_error (&outcome.error);
  lens_test_remove_tree (folder);
}

/* 1 GB under the image's name (sparse: it costs no disk): refused once
 * the read passes the cap, never read whole. */
static void
test_huge_file_refused (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("saved-copy");
  g_autofree char *path = g_build_filename (folder, "cat.png", NULL);
  Outcome outcome = { 0 };
  int fd = g_open (path, O_WRONLY | O_CREAT, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 1024 * 1024 * 1024), ==, 0);
  g_assert_true (g_close (fd, NULL));

  load (path, 200, &outcome);
  g_assert_error (outcome.error, LENS_HTTP_ERROR, LENS_HTTP_ERROR_TOO_LARGE);
  g_assert_null (outcome.texture);

  g_clear_error (&outcome.error);
  lens_test_remove_tree (folder);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/saved-copy/decoded-at-size", test_decoded_at_size);
  g_test_add_func ("/saved-copy/gone", test_gone);
  g_test_add_func ("/saved-copy/huge-file-refused", test_huge_file_refused);

  return g_test_run ();
}
