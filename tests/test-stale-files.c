/* test-stale-files.c — the partial files a killed save left are removed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A folder holds files of every kind: only those with our temporary name's
 * shape that were written before the sweeper was made go; each folder is
 * swept once, and saves that come meanwhile wait for the same sweep.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "lens-stale-files.h"
#include "lens-test.h"

#define OLD_TEMP    ".a.png.Ab3xZ9.part"
#define OLD_OTHER   "a.png"
#define OLD_HIDDEN  ".a.png.part"
#define NEW_TEMP    ".b.png.Qw12er.part"
#define LATE_TEMP   ".c.png.Zz99aa.part"

typedef struct
{
  gboolean done;
  guint    n_removed;
} Swept;

static void
swept_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Swept *swept = user_data;

  swept->n_removed = lens_stale_files_sweep_finish (LENS_STALE_FILES (source_object), result);
  swept->done = TRUE;
}

/* Writes @name in @dir, last modified an hour ago when @old. */
static void
make_file (const char *dir,
           const char *name,
           gboolean    old)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "partial", -1, NULL));
  if (old)
    {
      g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                   (guint64) (g_get_real_time () / G_USEC_PER_SEC - 3600),
                                   G_FILE_QUERY_INFO_NONE, NULL, &error);
      g_assert_no_error (error);
    }
}

static gboolean
exists (const char *dir,
        const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_sweep (void)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("stale-files");
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(LensStaleFiles) stale = NULL;
  Swept first = { 0 }, second = { 0 }, again = { 0 };

  make_file (dir, OLD_TEMP, TRUE);
  make_file (dir, OLD_OTHER, TRUE);
  make_file (dir, OLD_HIDDEN, TRUE);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  make_file (sub, OLD_TEMP, TRUE);

  /* Made after the old files, before the new one: as at start-up. */
  stale = lens_stale_files_new ();
  lens_test_spin_for (20);
  make_file (dir, NEW_TEMP, FALSE);

  /* Two saves into the folder at once: one sweep, both wait for it. */
  lens_stale_files_sweep_async (stale, folder, NULL, swept_cb, &first);
  lens_stale_files_sweep_async (stale, folder, NULL, swept_cb, &second);
  g_assert_false (first.done);
  g_assert_false (second.done);
  LENS_TEST_SPIN_UNTIL (first.done && second.done, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (first.n_removed + second.n_removed, ==, 1);

  g_assert_false (exists (dir, OLD_TEMP));
  g_assert_true (exists (dir, OLD_OTHER));
  g_assert_true (exists (dir, OLD_HIDDEN));
  g_assert_true (exists (dir, NEW_TEMP));
  g_assert_true (exists (sub, OLD_TEMP));

  /* Swept once: the next save into it does not look again. */
  make_file (dir, LATE_TEMP, TRUE);
  lens_stale_files_sweep_async (stale, folder, NULL, swept_cb, &again);
  LENS_TEST_SPIN_UNTIL (again.done, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (again.n_removed, ==, 0);
  g_assert_true (exists (dir, LATE_TEMP));

  lens_test_remove_tree (dir);
}

/* A folder that does not exist is no error: the save reports it. */
static void
test_missing_folder (void)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("stale-missing");
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (missing);
  g_autoptr(LensStaleFiles) stale = lens_stale_files_new ();
  Swept swept = { 0 };

  lens_stale_files_sweep_async (stale, folder, NULL, swept_cb, &swept);
  LENS_TEST_SPIN_UNTIL (swept.done, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (swept.n_removed, ==, 0);
  lens_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/stale-files/sweep", test_sweep);
  g_test_add_func ("/stale-files/missing-folder", test_missing_folder);

  return g_test_run ();
}
