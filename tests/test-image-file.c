/* test-image-file.c — an image's bytes saved with its task's facts, whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12: what "Save Image 2…" writes when it cut the image out itself.
 * The facts are read back with gexiv2, a taken name gets a counter when
 * asked, and a failure leaves no file, not even the temporary one.
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "lens-image-file.h"
#include "lens-image-metadata.h"
#include "lens-test.h"
#include "lens-test-png.h"

#define TASK_ID "7489df4c-ef03-4de0-b598-e9a590793434"

static const LensImageFacts facts = {
  .task_id = TASK_ID,
  .task_type = "imagine",
  .prompt = "A cat sitting on a table",
  .created_at = 1720364607,
  .index = 2,
};

typedef struct
{
  GFile   *file;   /* owned, nullable */
  GError  *error;  /* owned, nullable */
  gboolean done;
} Outcome;

static void
written_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->file = lens_image_file_write_finish (result, &outcome->error);
  outcome->done = TRUE;
}

/* Writes @bytes to @name in @folder and waits for the worker. */
static void
write_file (GBytes     *bytes,
            const char *folder,
            const char *name,
            gboolean    unique,
            Outcome    *outcome)
{
  g_autoptr(GFile) destination = g_file_new_build_filename (folder, name, NULL);

  lens_image_file_write_async (bytes, destination, &facts, unique, NULL, written_cb, outcome);
  lens_test_spin_until (&outcome->done, LENS_TEST_DEADLINE_MS);
}

static guint
count_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* The file holds the image, with the task id and the grid's index inside. */
static void
test_metadata (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("image-file");
  g_autoptr(GBytes) png = lens_test_make_png (64, 48);
  g_autofree char *path = NULL;
  g_autofree char *task_id = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  Outcome outcome = { 0 };
  guint index = 0;

  write_file (png, folder, "cat.png", FALSE, &outcome);
  g_assert_no_error (outcome.error);
  path = g_file_get_path (outcome.file);
  g_assert_true (g_str_has_suffix (path, G_DIR_SEPARATOR_S "cat.png"));
  task_id = lens_image_metadata_read_task_id (path, &index);
  g_assert_cmpstr (task_id, ==, TASK_ID);
  g_assert_cmpuint (index, ==, 2);
  pixbuf = gdk_pixbuf_new_from_file (path, NULL);
  g_assert_nonnull (pixbuf);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
  g_assert_cmpuint (count_files (folder), ==, 1);

  g_clear_object (&outcome.file);
  lens_test_remove_tree (folder);
}

/* Asked for a unique name, a taken one gets a counter and nothing is
 * replaced; otherwise the destination (the user's choice) is replaced. */
static void
test_unique (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("image-file");
  g_autoptr(GBytes) png = lens_test_make_png (64, 48);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  Outcome one = { 0 }, two = { 0 }, three = { 0 };

  write_file (png, folder, "cat.png", TRUE, &one);
  g_assert_no_error (one.error);
  write_file (png, folder, "cat.png", TRUE, &two);
  g_assert_no_error (two.error);
  first = g_file_get_basename (one.file);
  second = g_file_get_basename (two.file);
  g_assert_cmpstr (first, ==, "cat.png");
  g_assert_cmpstr (second, ==, "cat (2).png");
  g_assert_cmpuint (count_files (folder), ==, 2);

  write_file (png, folder, "cat.png", FALSE, &three);
  g_assert_no_error (three.error);
  g_assert_cmpuint (count_files (folder), ==, 2);

  g_clear_object (&one.file);
  g_clear_object (&two.file);
  g_clear_object (&three.file);
  lens_test_remove_tree (folder);
}

/* Bytes that are no image cannot hold the facts: the save fails and
 * leaves nothing, not even its temporary file; a missing folder too. */
static void
test_failure_leaves_nothing (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("image-file");
  g_autofree char *missing = g_build_filename (folder, "gone", NULL);
  g_autoptr(GBytes) text = g_bytes_new_static ("not an image", 12);
  g_autoptr(GBytes) png = lens_test_make_png (8, 8);
  Outcome outcome = { 0 }, nowhere = { 0 };

  write_file (text, folder, "cat.png", FALSE, &outcome);
  g_assert_nonnull (outcome.error);
  g_assert_null (outcome.file);
  g_assert_cmpuint (count_files (folder), ==, 0);

  write_file (png, missing, "cat.png", FALSE, &nowhere);
  g_assert_nonnull (nowhere.error);
  g_assert_cmpuint (count_files (folder), ==, 0);

  g_clear_error (&outcome.error);
  g_clear_error (&nowhere.error);
  lens_test_remove_tree (folder);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/image-file/metadata", test_metadata);
  g_test_add_func ("/image-file/unique", test_unique);
  g_test_add_func ("/image-file/failure-leaves-nothing", test_failure_leaves_nothing);

  return g_test_run ();
}
