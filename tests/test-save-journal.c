/* test-save-journal.c — the note that lets a bulk save outlive a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal alone, without a save or a server. What is written is read
 * back as it was; no file means no save to resume; a damaged file is
 * reported as such and left where it is, byte for byte; a write replaces
 * the journal whole, or leaves the one before it whole. The journal of a
 * save under way (LensSaveJournalFile) is removed only once its writes
 * have landed, so that a save that ended leaves nothing to resume.
 */

#define G_LOG_DOMAIN "test-save-journal"

#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lens-save-journal.h"
#include "lens-test.h"

#define N_IDS 1000
#define DAMAGED "The record of an interrupted save is damaged"

typedef struct
{
  char *dir;      /* scratch */
  char *path;     /* the journal's */
  char *folder;   /* where the save it notes puts images */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = lens_test_make_scratch_dir ("save-journal");
  fixture->path = g_build_filename (fixture->dir, "save-job.ini", NULL);
  /* Spaces, a semicolon and letters beyond ASCII: a folder a person named. */
  fixture->folder = g_build_filename (fixture->dir, "Pictures", "Cats; the best ones", "Été", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->folder);
}

/* A journal of a save into @folder of the tasks first … first + n - 1. */
static LensSaveJournal *
make_journal (const char    *folder,
              LensSaveGrids  grids,
              guint          first,
              guint          n)
{
  LensSaveJournal *journal = g_new0 (LensSaveJournal, 1);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  for (guint i = first; i < first + n; i++)
    g_strv_builder_take (ids, lens_test_make_id (i));
  journal->folder = g_file_new_for_path (folder);
  journal->grids = grids;
  journal->ids = g_strv_builder_end (ids);
  return journal;
}

/* That the journal at @path reads as @expected. */
static void
assert_reads_back (const char            *path,
                   const LensSaveJournal *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LensSaveJournal) actual = lens_save_journal_read (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (actual);
  g_assert_true (g_file_equal (actual->folder, expected->folder));
  g_assert_cmpint (actual->grids, ==, expected->grids);
  g_assert_cmpstrv (actual->ids, expected->ids);
}

static void
write_journal (const char            *path,
               const LensSaveJournal *journal)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lens_save_journal_write (path, journal, &error));
  g_assert_no_error (error);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* ─── the journal's file ───────────────────────────────────────────────── */

/* Every way of saving grids, a folder a person named, and as many tasks
 * as a large bulk save has: all read back as written. */
static void
test_read_gives_back_what_was_written (Fixture       *fixture,
                                       gconstpointer  data)
{
  const LensSaveGrids all_grids[] = { LENS_SAVE_GRIDS_WHOLE, LENS_SAVE_GRIDS_SPLIT, LENS_SAVE_GRIDS_BOTH };

  for (guint i = 0; i < G_N_ELEMENTS (all_grids); i++)
    {
      g_autoptr(LensSaveJournal) written = make_journal (fixture->folder, all_grids[i], i, N_IDS);

      write_journal (fixture->path, written);
      assert_reads_back (fixture->path, written);
    }
}

/* It names the user's folders and tasks: no one else may read it. */
static void
test_only_the_user_reads_it (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(LensSaveJournal) journal = make_journal (fixture->folder, LENS_SAVE_GRIDS_WHOLE, 0, 3);
  GStatBuf info;

  write_journal (fixture->path, journal);
  g_assert_no_errno (g_stat (fixture->path, &info));
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
}

/* No file: no save was interrupted. The error says so exactly, which is
 * what the app tells apart from a damaged journal, and nothing is made. */
static void
test_no_file_is_no_save (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LensSaveJournal) journal = NULL;
  g_autoptr(GError) error = NULL;

  journal = lens_save_journal_read (fixture->path, &error);
  g_assert_null (journal);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpuint (lens_test_count_files (fixture->dir), ==, 0);
}

/* Whatever is wrong with the file, the read fails with a key file error
 * (its own message where the text parses but says no save) and does not
 * touch the file: nothing is lost that a person could still recover. */
static void
test_damaged_is_reported_and_left (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(LensSaveJournal) journal = make_journal (fixture->folder, LENS_SAVE_GRIDS_SPLIT, 0, 3);
  g_autofree char *whole = NULL;
  g_autofree char *before_ids = NULL;
  g_autofree char *in_grids = NULL;
  g_autofree char *in_group = NULL;
  struct
  {
    const char *what;
    const char *text;
    const char *message;  /* nullable: the parser's own */
  } cases[] = {
    { "empty", "", DAMAGED },
    { "cut short before its tasks", NULL, DAMAGED },
    { "cut short in how grids are saved", NULL, DAMAGED },
    { "cut short in its group's name", NULL, NULL },
    { "that is a PNG's signature", "\x89PNG\r\n\x1a\n", NULL },
    { "a relative folder", "[Save]\nfolder=Pictures\ngrids=whole\nids=a;b;\n", DAMAGED },
    { "an unknown way of saving grids", "[Save]\nfolder=/tmp\ngrids=sideways\nids=a;b;\n", DAMAGED },
    { "no tasks", "[Save]\nfolder=/tmp\ngrids=whole\n", DAMAGED },
    { "another group", "[Load]\nfolder=/tmp\ngrids=whole\nids=a;b;\n", DAMAGED },
  };

  write_journal (fixture->path, journal);
  whole = read_text (fixture->path);
  /* Its lines are "folder=", "grids=", then "ids=". */
  before_ids = g_strndup (whole, strstr (whole, "\nids=") - whole + 1);
  in_grids = g_strndup (whole, strstr (whole, "\ngrids=") - whole + strlen ("\ngrids=sp"));
  in_group = g_strndup (whole, strlen ("[Sa"));
  cases[1].text = before_ids;
  cases[2].text = in_grids;
  cases[3].text = in_group;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LensSaveJournal) back = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_test_message ("a journal %s", cases[i].what);
      g_assert_true (g_file_set_contents (fixture->path, cases[i].text, -1, NULL));
      back = lens_save_journal_read (fixture->path, &error);
      g_assert_null (back);
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_KEY_FILE_ERROR);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);

      after = read_text (fixture->path);
      g_assert_cmpstr (after, ==, cases[i].text);
    }
}

/* A write puts a new file in the journal's place: one who had the old one
 * open reads it whole still, never half of each, and no temporary file
 * stays beside it. */
static void
test_write_replaces_whole (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LensSaveJournal) all = make_journal (fixture->folder, LENS_SAVE_GRIDS_WHOLE, 0, 20);
  g_autoptr(LensSaveJournal) retry = make_journal (fixture->folder, LENS_SAVE_GRIDS_WHOLE, 10, 2);
  g_autofree char *old_text = NULL;
  g_autoptr(GString) old_seen = g_string_new (NULL);
  char buffer[4096];
  gssize n;
  int old_fd;

  write_journal (fixture->path, all);
  old_text = read_text (fixture->path);
  old_fd = g_open (fixture->path, O_RDONLY, 0);
  g_assert_cmpint (old_fd, >=, 0);

  write_journal (fixture->path, retry);
  assert_reads_back (fixture->path, retry);
  g_assert_cmpuint (lens_test_count_files (fixture->dir), ==, 1);

  while ((n = read (old_fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (old_seen, buffer, n);
  g_assert_cmpint (n, ==, 0);
  g_assert_true (g_close (old_fd, NULL));
  g_assert_cmpstr (old_seen->str, ==, old_text);
}

/* A write that cannot be made leaves the journal before it as it was, and
 * nothing else. A name as long as the file system allows leaves no room
 * for the temporary file a write goes through: a failure that needs no
 * full disk, and that root meets as well. */
static void
test_failed_write_keeps_the_last (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(LensSaveJournal) last = make_journal (fixture->folder, LENS_SAVE_GRIDS_WHOLE, 0, 3);
  g_autoptr(LensSaveJournal) next = make_journal (fixture->folder, LENS_SAVE_GRIDS_SPLIT, 3, 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strnfill ((gsize) pathconf (fixture->dir, _PC_NAME_MAX), 'j');
  g_autofree char *long_path = g_build_filename (fixture->dir, name, NULL);

  write_journal (fixture->path, last);
  g_assert_no_errno (g_rename (fixture->path, long_path));

  g_assert_false (lens_save_journal_write (long_path, next, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NAMETOOLONG);
  assert_reads_back (long_path, last);
  g_assert_cmpuint (lens_test_count_files (fixture->dir), ==, 1);
}

/* ─── the journal of a save under way ──────────────────────────────────── */

/* A save that ends while its journal is still being written: the removal
 * waits for the write, which would otherwise put the journal back after
 * it, and the next start would save again what this save finished. */
static void
test_removal_waits_for_the_write (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(LensSaveJournal) journal = make_journal (fixture->folder, LENS_SAVE_GRIDS_WHOLE, 0, N_IDS);
  g_autoptr(LensSaveJournalFile) file = lens_save_journal_file_new (fixture->path);

  lens_save_journal_file_write (file, journal);
  lens_save_journal_file_remove (file);
  g_assert_true (lens_save_journal_file_is_writing (file));

  LENS_TEST_SPIN_UNTIL (!lens_save_journal_file_is_writing (file), LENS_TEST_DEADLINE_MS);
  LENS_TEST_SPIN_UNTIL (!g_file_test (fixture->path, G_FILE_TEST_EXISTS), LENS_TEST_DEADLINE_MS);
}

/* A save that goes on after a removal was asked (failed images retried
 * while the first note was still being written) keeps its journal. */
static void
test_write_after_removal_keeps_it (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(LensSaveJournal) journal = make_journal (fixture->folder, LENS_SAVE_GRIDS_SPLIT, 0, 3);
  g_autoptr(LensSaveJournalFile) file = lens_save_journal_file_new (fixture->path);

  lens_save_journal_file_write (file, journal);
  lens_save_journal_file_remove (file);
  lens_save_journal_file_write (file, journal);

  LENS_TEST_SPIN_UNTIL (!lens_save_journal_file_is_writing (file), LENS_TEST_DEADLINE_MS);
  /* A removal issued anyway would have landed by now. */
  lens_test_spin_for (100);
  assert_reads_back (fixture->path, journal);
}

/* Without its journal a save still runs, it just cannot resume: a write
 * that fails is a warning, and a removal asked meanwhile still comes. */
static void
test_failed_write_is_a_warning (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(LensSaveJournal) journal = make_journal (fixture->folder, LENS_SAVE_GRIDS_WHOLE, 0, 3);
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "save-job.ini", NULL);
  g_autoptr(LensSaveJournalFile) file = lens_save_journal_file_new (path);

  g_assert_cmpstr (lens_save_journal_file_get_path (file), ==, path);
  g_test_expect_message ("lens-save-journal", G_LOG_LEVEL_WARNING,
                         "Could not note the save, which a crash would then not resume: *");
  lens_save_journal_file_write (file, journal);
  lens_save_journal_file_remove (file);
  LENS_TEST_SPIN_UNTIL (!lens_save_journal_file_is_writing (file), LENS_TEST_DEADLINE_MS);
  g_test_assert_expected_messages ();

  /* The removal of the file that is not there ends in a worker too. */
  lens_test_spin_for (100);
  g_assert_cmpuint (lens_test_count_files (fixture->dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define add_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  add_test ("/save-journal/read-gives-back-what-was-written", test_read_gives_back_what_was_written);
  add_test ("/save-journal/only-the-user-reads-it", test_only_the_user_reads_it);
  add_test ("/save-journal/no-file-is-no-save", test_no_file_is_no_save);
  add_test ("/save-journal/damaged-is-reported-and-left", test_damaged_is_reported_and_left);
  add_test ("/save-journal/write-replaces-whole", test_write_replaces_whole);
  add_test ("/save-journal/failed-write-keeps-the-last", test_failed_write_keeps_the_last);
  add_test ("/save-journal/file/removal-waits-for-the-write", test_removal_waits_for_the_write);
  add_test ("/save-journal/file/write-after-removal-keeps-it", test_write_after_removal_keeps_it);
  add_test ("/save-journal/file/failed-write-is-a-warning", test_failed_write_is_a_warning);
#undef add_test

  return g_test_run ();
}
