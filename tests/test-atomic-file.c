/* test-atomic-file.c — a file written whole or not at all, never over another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensAtomicFile is what every save ends with: the export of the list, and
 * each image of a bulk save. These tests read the folder after each step:
 * nothing under the destination's name before the commit, the whole text
 * after it, no temporary file left either way; and the unique commit never
 * replaces a file the user has.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "lens-atomic-file.h"
#include "lens-file-name.h"
#include "lens-test.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = lens_test_make_scratch_dir ("atomic-file");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* The names in @dir, sorted, joined by "|". */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort_values (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("|", (char **) names->pdata);
}

static LensAtomicFile *
write_text (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LensAtomicFile *file = lens_atomic_file_create (destination, &error);

  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (lens_atomic_file_get_stream (file), text, strlen (text),
                                            NULL, NULL, &error));
  g_assert_no_error (error);
  return file;
}

static void
assert_contents (const char *dir,
                 const char *name,
                 const char *expected)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
}

static void
test_commit_replaces (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "list.csv", NULL);
  g_autoptr(LensAtomicFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  file = write_text (fixture->dir, "list.csv", "new text");

  /* Until the commit, the destination is the old file. */
  assert_contents (fixture->dir, "list.csv", "old");
  g_assert_true (lens_file_name_is_temp (strrchr (lens_atomic_file_get_temp_path (file), '/') + 1));

  g_assert_true (lens_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  assert_contents (fixture->dir, "list.csv", "new text");
  after = list_dir (fixture->dir);
  g_assert_cmpstr (after, ==, "list.csv");
}

static void
test_free_leaves_nothing (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *names = NULL;

  lens_atomic_file_free (write_text (fixture->dir, "a.png", "partial"));
  names = list_dir (fixture->dir);
  g_assert_cmpstr (names, ==, "");
}

/* The temporary file can be read and edited in place once closed: where
 * an image's metadata is written before the commit. */
static void
test_edit_before_commit (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LensAtomicFile) file = write_text (fixture->dir, "a.txt", "text");
  g_autoptr(GError) error = NULL;

  g_assert_true (lens_atomic_file_close (file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (lens_atomic_file_get_temp_path (file), "edited", -1, &error));
  g_assert_true (lens_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  assert_contents (fixture->dir, "a.txt", "edited");
}

static void
test_unique_numbers (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *expected[] = { "A cat.png", "A cat (2).png", "A cat (3).png" };
  g_autofree char *names = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *text = g_strdup_printf ("image %u", i);
      g_autoptr(LensAtomicFile) file = write_text (fixture->dir, "A cat.png", text);
      g_autoptr(GFile) final = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *basename = NULL;

      g_assert_true (lens_atomic_file_commit_unique (file, &final, &error));
      g_assert_no_error (error);
      basename = g_file_get_basename (final);
      g_assert_cmpstr (basename, ==, expected[i]);
    }

  /* Nothing was replaced: each name holds what was written first to it. */
  assert_contents (fixture->dir, "A cat.png", "image 0");
  assert_contents (fixture->dir, "A cat (2).png", "image 1");
  assert_contents (fixture->dir, "A cat (3).png", "image 2");
  names = list_dir (fixture->dir);
  g_assert_cmpstr (names, ==, "A cat (2).png|A cat (3).png|A cat.png");
}

/* A name without an extension is numbered at its end; a dot that starts
 * the name is not an extension's. */
static void
test_unique_without_extension (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *names[] = { "notes", ".hidden" };
  const char *expected[] = { "notes (2)", ".hidden (2)" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, names[i], NULL);
      g_autoptr(LensAtomicFile) file = NULL;
      g_autoptr(GFile) final = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *basename = NULL;

      g_assert_true (g_file_set_contents (path, "theirs", -1, NULL));
      file = write_text (fixture->dir, names[i], "ours");
      g_assert_true (lens_atomic_file_commit_unique (file, &final, &error));
      g_assert_no_error (error);
      basename = g_file_get_basename (final);
      g_assert_cmpstr (basename, ==, expected[i]);
      assert_contents (fixture->dir, names[i], "theirs");
    }
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define add_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  add_test ("/atomic-file/commit-replaces", test_commit_replaces);
  add_test ("/atomic-file/free-leaves-nothing", test_free_leaves_nothing);
  add_test ("/atomic-file/edit-before-commit", test_edit_before_commit);
  add_test ("/atomic-file/unique-numbers", test_unique_numbers);
  add_test ("/atomic-file/unique-without-extension", test_unique_without_extension);
#undef add_test

  return g_test_run ();
}
