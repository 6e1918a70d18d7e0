/* test-image-metadata.c — the prompt and the task's facts, inside a saved image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12: written with gexiv2 into PNG, JPEG and WebP files, and read
 * back with the same library, as a photo app would; the pixels stay as
 * they were.
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gexiv2/gexiv2.h>

#include "lens-image-metadata.h"
#include "lens-test.h"
#include "lens-test-png.h"

#define TASK_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define PROMPT "비 오는 골목의 고양이, \"watercolor\" <b>&amp; --ar 3:2"
#define SOURCE "https://platform.cdn.acedata.cloud/midjourney/7489df4c.png"

static const LensImageFacts facts = {
  .task_id = TASK_ID,
  .task_type = "imagine",
  .action = "upscale2",
  .mode = "fast",
  .prompt = PROMPT,
  .source_url = SOURCE,
  .created_at = 1720364607,
  .index = 3,
};

/* A small image of @format ("png", "jpeg", "webp") at @path. */
static void
make_image (const char *path,
            const char *format)
{
  g_autoptr(GBytes) png = lens_test_make_png (64, 48);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (png);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (pixbuf);
  gdk_pixbuf_save (pixbuf, path, format, &error, NULL);
  g_assert_no_error (error);
}

static void
assert_tag (GExiv2Metadata *metadata,
            const char     *tag,
            const char     *expected)
{
  g_autofree char *value = gexiv2_metadata_try_get_tag_string (metadata, tag, NULL);

  g_assert_cmpstr (value, ==, expected);
}

static void
check_format (const char *format,
              const char *extension)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("image-metadata");
  g_autofree char *name = g_strconcat ("image.", extension, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GExiv2Metadata) metadata = gexiv2_metadata_new ();
  g_autoptr(GdkPixbuf) before = NULL;
  g_autoptr(GdkPixbuf) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *task_id = NULL;
  guint index = 0;

  make_image (path, format);
  before = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);

  g_assert_true (lens_image_metadata_write (path, &facts, &error));
  g_assert_no_error (error);

  /* Read back with gexiv2 itself, as any program using exiv2 would. */
  g_assert_true (gexiv2_metadata_open_path (metadata, path, &error));
  g_assert_no_error (error);
  description = gexiv2_metadata_try_get_tag_string (metadata, "Xmp.dc.description", &error);
  g_assert_no_error (error);
  /* A language alternative: exiv2 writes the default language's tag. */
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, PROMPT));
  assert_tag (metadata, "Xmp.dc.source", SOURCE);
  assert_tag (metadata, "Xmp.xmp.CreateDate", "2024-07-07T15:03:27Z");
  assert_tag (metadata, "Xmp.tasklens.Mode", "fast");
  assert_tag (metadata, "Xmp.tasklens.TaskType", "imagine");
  assert_tag (metadata, "Xmp.tasklens.Action", "upscale2");

  task_id = lens_image_metadata_read_task_id (path, &index);
  g_assert_cmpstr (task_id, ==, TASK_ID);
  g_assert_cmpuint (index, ==, 3);

  /* The image itself is untouched. */
  after = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (after), ==, gdk_pixbuf_get_width (before));
  g_assert_cmpint (gdk_pixbuf_get_height (after), ==, gdk_pixbuf_get_height (before));
  if (g_str_equal (format, "png"))
    g_assert_cmpmem (gdk_pixbuf_read_pixels (after), gdk_pixbuf_get_byte_length (after),
                     gdk_pixbuf_read_pixels (before), gdk_pixbuf_get_byte_length (before));

  lens_test_remove_tree (dir);
}

static void
test_png (void)
{
  check_format ("png", "png");
}

static void
test_jpeg (void)
{
  check_format ("jpeg", "jpg");
}

static void
test_webp (void)
{
  check_format ("webp", "webp");
}

/* A file that is not an image, or not Tasklens's: an error, or no id —
 * never a crash. */
static void
test_not_ours (void)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("image-metadata");
  g_autofree char *text = g_build_filename (dir, "notes.png", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autoptr(GError) error = NULL;
  guint index = 7;

  g_assert_true (g_file_set_contents (text, "not an image at all", -1, NULL));
  g_assert_false (lens_image_metadata_write (text, &facts, &error));
  g_assert_nonnull (error);
  g_assert_null (lens_image_metadata_read_task_id (text, &index));
  g_assert_cmpuint (index, ==, 0);

  make_image (plain, "png");
  g_assert_null (lens_image_metadata_read_task_id (plain, NULL));
  g_assert_null (lens_image_metadata_read_task_id (missing, NULL));

  lens_test_remove_tree (dir);
}

/* Bulk saves write metadata from several workers at once: every file
 * holds its own facts, whole. With exiv2's own lock function in place of
 * the lock in lens-image-metadata.c (XmpParser::initialize() given one,
 * tried so that files could be rewritten in parallel) this failed at once
 * ("XMP Toolkit error 101: Unregistered schema namespace URI"). */
#define N_THREADS 6
#define N_FILES_EACH 12

typedef struct
{
  char  *dir;
  guint  thread;
} Writer;

static gpointer
write_many (gpointer data)
{
  Writer *writer = data;

  for (guint i = 0; i < N_FILES_EACH; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u-%u.png", writer->thread, i);
      g_autofree char *path = g_build_filename (writer->dir, name, NULL);
      g_autofree char *task_id = g_strdup_printf ("7489df4c-ef03-4de0-b598-%012u", writer->thread * 100 + i);
      LensImageFacts own = facts;
      g_autoptr(GError) error = NULL;
      g_autofree char *read_back = NULL;
      guint index = 0;

      own.task_id = task_id;
      own.index = i % 5;
      make_image (path, "png");
      g_assert_true (lens_image_metadata_write (path, &own, &error));
      g_assert_no_error (error);
      read_back = lens_image_metadata_read_task_id (path, &index);
      g_assert_cmpstr (read_back, ==, task_id);
      g_assert_cmpuint (index, ==, i % 5);
    }
  return NULL;
}

static void
test_concurrent (void)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("metadata-threads");
  Writer writers[N_THREADS];
  GThread *threads[N_THREADS];

  for (guint t = 0; t < N_THREADS; t++)
    {
      writers[t] = (Writer) { .dir = dir, .thread = t };
      threads[t] = g_thread_new ("writer", write_many, &writers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  lens_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/image-metadata/png", test_png);
  g_test_add_func ("/image-metadata/jpeg", test_jpeg);
  g_test_add_func ("/image-metadata/webp", test_webp);
  g_test_add_func ("/image-metadata/not-ours", test_not_ours);
  g_test_add_func ("/image-metadata/concurrent", test_concurrent);

  return g_test_run ();
}
