/* test-image-file.c — an image's bytes saved with its task's facts, whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12: what "Save Image 2…" writes when it cut the image out itself,
 * and what a bulk save writes for each download. The facts are read back
 * with gexiv2; a PNG's pixels reach the file byte for byte (exiv2 is given
 * only the chunks before them); facts already in a file are replaced,
 * wherever they were; a taken name gets a counter when asked; bytes that
 * cannot hold facts are saved as they came; a failure leaves no file, not
 * even the temporary one.
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "lens-image-file.h"
#include "lens-image-metadata.h"
#include "lens-png-layout.h"
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
            LensSaveFlags flags,
            Outcome    *outcome)
{
  g_autoptr(GFile) destination = g_file_new_build_filename (folder, name, NULL);

  lens_image_file_write_async (bytes, destination, &facts, flags, NULL, written_cb, outcome);
  lens_test_spin_until (&outcome->done, LENS_TEST_DEADLINE_MS);
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

  write_file (png, folder, "cat.png", LENS_SAVE_NONE, &outcome);
  g_assert_no_error (outcome.error);
  path = g_file_get_path (outcome.file);
  g_assert_true (g_str_has_suffix (path, G_DIR_SEPARATOR_S "cat.png"));
  task_id = lens_image_metadata_read_task_id (path, &index);
  g_assert_cmpstr (task_id, ==, TASK_ID);
  g_assert_cmpuint (index, ==, 2);
  pixbuf = gdk_pixbuf_new_from_file (path, NULL);
  g_assert_nonnull (pixbuf);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 64);
  g_assert_cmpuint (lens_test_count_files (folder), ==, 1);

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

  write_file (png, folder, "cat.png", LENS_SAVE_UNIQUE, &one);
  g_assert_no_error (one.error);
  write_file (png, folder, "cat.png", LENS_SAVE_UNIQUE, &two);
  g_assert_no_error (two.error);
  first = g_file_get_basename (one.file);
  second = g_file_get_basename (two.file);
  g_assert_cmpstr (first, ==, "cat.png");
  g_assert_cmpstr (second, ==, "cat (2).png");
  g_assert_cmpuint (lens_test_count_files (folder), ==, 2);

  write_file (png, folder, "cat.png", LENS_SAVE_NONE, &three);
  g_assert_no_error (three.error);
  g_assert_cmpuint (lens_test_count_files (folder), ==, 2);

  g_clear_object (&one.file);
  g_clear_object (&two.file);
  g_clear_object (&three.file);
  lens_test_remove_tree (folder);
}

/* Where the pixels start in a file made by the save; fails the test when
 * its layout is not the one the fast path writes. */
static gsize
pixels_start (GBytes *png)
{
  gsize size, start = 0;
  const guint8 *data = g_bytes_get_data (png, &size);

  g_assert_true (lens_png_layout_find_pixels (data, size, &start));
  return start;
}

/* The pixels of the PNG go into the file as they came, after the chunks
 * exiv2 wrote; the image decodes to the same pixels, with the facts. */
static void
test_pixels_untouched (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("image-file");
  g_autoptr(GBytes) png = lens_test_make_png (300, 200);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GdkPixbuf) before = NULL;
  g_autoptr(GdkPixbuf) after = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prompt = NULL;
  Outcome outcome = { 0 };
  gsize in_start = pixels_start (png), out_start, in_size, out_size;
  const guint8 *in, *out;

  write_file (png, folder, "cat.png", LENS_SAVE_NONE, &outcome);
  g_assert_no_error (outcome.error);
  saved = lens_test_load_file (outcome.file);
  out_start = pixels_start (saved);
  in = g_bytes_get_data (png, &in_size);
  out = g_bytes_get_data (saved, &out_size);
  g_assert_cmpuint (out_start, >, in_start);
  g_assert_cmpmem (out + out_start, out_size - out_start, in + in_start, in_size - in_start);

  path = g_file_get_path (outcome.file);
  prompt = lens_image_metadata_read_tag (path, "Xmp.dc.description");
  /* dc:description is a text in languages: 'lang="x-default" …' */
  g_assert_true (g_str_has_suffix (prompt, facts.prompt));
  stream = g_memory_input_stream_new_from_bytes (png);
  before = gdk_pixbuf_new_from_stream (stream, NULL, NULL);
  after = gdk_pixbuf_new_from_file (path, NULL);
  g_assert_nonnull (before);
  g_assert_nonnull (after);
  g_assert_cmpmem (gdk_pixbuf_read_pixels (after), gdk_pixbuf_get_byte_length (after),
                   gdk_pixbuf_read_pixels (before), gdk_pixbuf_get_byte_length (before));

  g_clear_object (&outcome.file);
  lens_test_remove_tree (folder);
}

/* @png with its first chunk of @type moved to just before IEND: facts
 * after the pixels, as some programs write them. The chunk's bytes, CRC
 * and all, are unchanged. */
static GBytes *
move_chunk_after_pixels (GBytes     *png,
                         const char *type)
{
  g_autoptr(GByteArray) moved = g_byte_array_new ();
  gsize size, offset = 8, found = 0, found_size = 0;
  const guint8 *data = g_bytes_get_data (png, &size);

  g_byte_array_append (moved, data, 8);
  while (offset + 12 <= size)
    {
      gsize length = ((gsize) data[offset] << 24) | ((gsize) data[offset + 1] << 16)
                     | ((gsize) data[offset + 2] << 8) | data[offset + 3];

      if (found_size == 0 && memcmp (data + offset + 4, type, 4) == 0)
        {
          found = offset;
          found_size = length + 12;
        }
      else if (memcmp (data + offset + 4, "IEND", 4) == 0)
        {
          g_assert_cmpuint (found_size, >, 0);
          g_byte_array_append (moved, data + found, found_size);
          g_byte_array_append (moved, data + offset, length + 12);
        }
      else
        g_byte_array_append (moved, data + offset, length + 12);
      offset += length + 12;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&moved));
}

/* A file that has facts already (saved before, or by another program) gets
 * the new ones in their place, wherever the old ones were: before the
 * pixels (exiv2 sees them with the head) or after (exiv2 is given the whole
 * file then). Only one prompt is read back, the new one. */
static void
test_replaces_old_facts (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("image-file");
  g_autoptr(GBytes) png = lens_test_make_png (64, 48);
  g_autoptr(GBytes) first_bytes = NULL;
  g_autoptr(GBytes) after_pixels = NULL;
  g_autoptr(GFile) new_file = g_file_new_build_filename (folder, "new.png", NULL);
  g_autoptr(GFile) moved_file = g_file_new_build_filename (folder, "moved.png", NULL);
  LensImageFacts newer = facts;
  Outcome first = { 0 }, second = { 0 }, third = { 0 };
  gsize start;

  write_file (png, folder, "old.png", LENS_SAVE_NONE, &first);
  g_assert_no_error (first.error);
  first_bytes = lens_test_load_file (first.file);

  newer.task_id = "0b1f0ae7-3f0c-4c43-9d6e-6fd6a1d2f5c1";
  newer.prompt = "한옥 마을의 눈 내리는 밤";
  newer.index = 0;
  lens_image_file_write_async (first_bytes, new_file, &newer,
                               LENS_SAVE_NONE, NULL, written_cb, &second);
  lens_test_spin_until (&second.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (second.error);

  after_pixels = move_chunk_after_pixels (first_bytes, "iTXt");
  g_assert_false (lens_png_layout_find_pixels (g_bytes_get_data (after_pixels, NULL),
                                               g_bytes_get_size (after_pixels), &start));
  lens_image_file_write_async (after_pixels, moved_file, &newer,
                               LENS_SAVE_NONE, NULL, written_cb, &third);
  lens_test_spin_until (&third.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (third.error);

  for (guint i = 0; i < 2; i++)
    {
      GFile *file = i == 0 ? second.file : third.file;
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *task_id = NULL;
      g_autofree char *prompt = lens_image_metadata_read_tag (path, "Xmp.dc.description");
      guint index = 9;

      task_id = lens_image_metadata_read_task_id (path, &index);
      g_assert_cmpstr (task_id, ==, newer.task_id);
      g_assert_cmpstr (prompt, ==, "lang=\"x-default\" 한옥 마을의 눈 내리는 밤");
      g_assert_cmpuint (index, ==, 0);
    }

  g_clear_object (&first.file);
  g_clear_object (&second.file);
  g_clear_object (&third.file);
  lens_test_remove_tree (folder);
}

/* A JPEG gets its facts the slow way (exiv2 rewrites it whole), and its
 * name follows what it is when asked. */
static void
test_jpeg (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("image-file");
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *task_id = NULL;
  Outcome outcome = { 0 };
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, NULL));
  jpeg = g_bytes_new_take (g_steal_pointer (&buffer), size);

  write_file (jpeg, folder, "cat.png", LENS_SAVE_UNIQUE | LENS_SAVE_NAME_BY_CONTENT, &outcome);
  g_assert_no_error (outcome.error);
  name = g_file_get_basename (outcome.file);
  g_assert_cmpstr (name, ==, "cat.jpg");
  path = g_file_get_path (outcome.file);
  task_id = lens_image_metadata_read_task_id (path, NULL);
  g_assert_cmpstr (task_id, ==, TASK_ID);

  g_clear_object (&outcome.file);
  lens_test_remove_tree (folder);
}

/* Bytes that cannot hold facts are saved as they came: the image is what
 * matters. A missing folder fails, and leaves nothing anywhere. */
static void
test_without_facts_and_failure (void)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("image-file");
  g_autofree char *missing = g_build_filename (folder, "gone", NULL);
  g_autoptr(GBytes) text = g_bytes_new_static ("not an image", 12);
  g_autoptr(GBytes) png = lens_test_make_png (8, 8);
  g_autoptr(GBytes) saved = NULL;
  Outcome outcome = { 0 }, nowhere = { 0 };

  write_file (text, folder, "cat.png", LENS_SAVE_NONE, &outcome);
  g_assert_no_error (outcome.error);
  saved = lens_test_load_file (outcome.file);
  g_assert_true (g_bytes_equal (saved, text));
  g_assert_cmpuint (lens_test_count_files (folder), ==, 1);

  write_file (png, missing, "cat.png", LENS_SAVE_NONE, &nowhere);
  g_assert_nonnull (nowhere.error);
  g_assert_null (nowhere.file);
  g_assert_cmpuint (lens_test_count_files (folder), ==, 1);

  g_clear_object (&outcome.file);
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
  g_test_add_func ("/image-file/pixels-untouched", test_pixels_untouched);
  g_test_add_func ("/image-file/replaces-old-facts", test_replaces_old_facts);
  g_test_add_func ("/image-file/jpeg", test_jpeg);
  g_test_add_func ("/image-file/without-facts-and-failure", test_without_facts_and_failure);

  return g_test_run ();
}
