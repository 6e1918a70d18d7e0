/* test-save-job.c — saving the images of many tasks, against the fake server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test has the fake server with a few finished imagine tasks (grids),
 * their records in a real LensTaskStore, and a scratch folder to save into.
 * The files are read back: their number, their names, the metadata that
 * says which task and image each is; a second save into the folder writes
 * nothing; a failure is kept with its reason and retried; a cancel or an
 * interruption leaves no partial file, and only an interruption leaves the
 * journal that makes the next start resume.
 */

#define G_LOG_DOMAIN "test-save-job"

#include "config.h"

#include <glib/gstdio.h>

#include "lens-http.h"
#include "lens-image-metadata.h"
#include "lens-save-job.h"
#include "lens-save-journal.h"
#include "lens-task-list.h"
#include "lens-test-fake.h"
#include "lens-test-png.h"
#include "lens-test-store.h"

#define N_GRIDS 3

typedef struct
{
  char           *dir;        /* scratch: the store's folder and the saving folder below */
  char           *folder;     /* where images are saved */
  char           *journal;    /* the journal's path */
  LensFakeApi    *fake;
  SoupSession    *session;
  LensDownloader *downloader;
  LensTaskStore  *store;
  LensTaskList   *tasks;
  LensHistory    *history;
  GStrv           ids;        /* the grids, then a failed task */
} Fixture;

/* A finished grid whose image the fake server serves. */
static char *
grid_record (Fixture    *fixture,
             const char *id,
             guint       n)
{
  g_autofree char *url = lens_test_image_url (fixture->fake, id, ".png");

  return g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\", \"created_at\": 1720364607.5,"
                          " \"finished_at\": 1720364637.25, \"request\": {\"prompt\": \"A cat number %u\"},"
                          " \"response\": {\"success\": true, \"progress\": 100, \"raw_image_url\": \"%s\","
                          " \"actions\": [\"upscale1\", \"upscale2\", \"upscale3\", \"upscale4\"]}}",
                          id, n, url);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(GStrv) generated = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree char *db_path = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };
  g_autofree char *failed_id = lens_fake_api_make_id ("failed");
  g_autofree char *failed_json = NULL;
  g_autoptr(LensTask) failed = NULL;

  fixture->dir = lens_test_make_scratch_dir ("save-job");
  fixture->folder = g_build_filename (fixture->dir, "Pictures", NULL);
  fixture->journal = g_build_filename (fixture->dir, "save-job.ini", NULL);
  g_assert_cmpint (g_mkdir (fixture->folder, 0755), ==, 0);
  db_path = g_build_filename (fixture->dir, "tasks.db", NULL);

  fixture->fake = lens_test_start_fake_api ("t");
  generated = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, N_GRIDS);
  fixture->session = lens_http_create_session ();
  fixture->downloader = lens_downloader_new (fixture->session);
  fixture->store = lens_task_store_new (db_path);
  lens_test_store_load (fixture->store, &loaded);
  g_assert_no_error (loaded.error);

  for (guint i = 0; i < N_GRIDS; i++)
    {
      g_autofree char *json = grid_record (fixture, generated[i], i);
      g_autoptr(LensTask) task = lens_test_task_with_record (generated[i], json);

      g_ptr_array_add (changes, lens_store_change_new_put (task, i, json, 0, 0));
      g_strv_builder_add (ids, generated[i]);
    }
  /* A task with nothing to save. */
  failed_json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\", \"response\": {\"success\": false,"
                                 " \"error\": {\"code\": \"banned\", \"message\": \"No\"}}}", failed_id);
  failed = lens_test_task_with_record (failed_id, failed_json);
  g_ptr_array_add (changes, lens_store_change_new_put (failed, N_GRIDS, failed_json, 0, 0));
  g_strv_builder_add (ids, failed_id);
  lens_test_store_write (fixture->store, changes);
  fixture->ids = g_strv_builder_end (ids);

  /* The list the history records saved paths into. */
  fixture->tasks = lens_task_list_new ();
  lens_task_list_add_ids (fixture->tasks, (const char * const *) fixture->ids, NULL);
  fixture->history = lens_history_new (fixture->store, fixture->tasks);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) nothing = g_ptr_array_new ();

  lens_history_flush (fixture->history);
  g_assert_true (lens_task_store_write_sync (fixture->store, nothing, NULL));
  lens_test_spin_for (50);
  g_assert_finalize_object (g_steal_pointer (&fixture->history));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_clear_object (&fixture->tasks);
  g_assert_finalize_object (g_steal_pointer (&fixture->downloader));
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->fake);
  g_strfreev (fixture->ids);
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->folder);
  g_free (fixture->journal);
}

/* A split that any test can check: small PNGs as wide as their index. */
static GPtrArray *
test_split (GBytes        *grid,
            GCancellable  *cancellable,
            GError       **error)
{
  GPtrArray *images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_assert_nonnull (grid);
  for (guint index = 1; index <= 4; index++)
    g_ptr_array_add (images, lens_test_make_png (index, 1));
  return images;
}

static LensSaveJob *
make_job (Fixture       *fixture,
          LensSaveGrids  grids)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  LensSaveJob *job = lens_save_job_new (fixture->downloader, fixture->store, folder,
                                        (const char * const *) fixture->ids, grids);

  lens_save_job_set_history (job, fixture->history);
  lens_save_job_set_journal_path (job, fixture->journal);
  lens_save_job_set_split_func (job, test_split);
  return job;
}

static void
run (LensSaveJob *job)
{
  lens_save_job_start (job);
  LENS_TEST_SPIN_UNTIL (lens_save_job_get_state (job) == LENS_SAVE_JOB_DONE, LENS_TEST_DEADLINE_MS);
}

/* The visible files of the folder, sorted. */
static GPtrArray *
list_folder (Fixture *fixture)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->folder, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort_values (names, (GCompareFunc) g_strcmp0);
  return names;
}

static char *
read_task_id (Fixture    *fixture,
              const char *name,
              guint      *out_index)
{
  g_autofree char *path = g_build_filename (fixture->folder, name, NULL);

  return lens_image_metadata_read_task_id (path, out_index);
}

static void
test_saves_each_image_once (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(LensSaveJob) job = make_job (fixture, LENS_SAVE_GRIDS_WHOLE);
  g_autoptr(LensSaveJob) again = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) names_again = NULL;

  run (job);
  g_assert_null (lens_save_job_get_error (job));
  g_assert_cmpuint (lens_save_job_get_n_images (job), ==, N_GRIDS);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, N_GRIDS);
  g_assert_cmpuint (lens_save_job_get_n_without_image (job), ==, 1);
  g_assert_cmpuint (lens_save_job_get_n_failed (job), ==, 0);
  g_assert_cmpuint (lens_save_job_get_bytes_saved (job), >, 0);

  /* Named by the default template; each says which task it shows. */
  names = list_folder (fixture);
  g_assert_cmpuint (names->len, ==, N_GRIDS);
  for (guint i = 0; i < N_GRIDS; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *task_id = read_task_id (fixture, name, NULL);
      g_autofree char *expected = g_strdup_printf ("2024-07-07 A cat number %u (", i);

      g_assert_true (g_str_has_prefix (name, expected));
      g_assert_true (g_str_has_suffix (name, ").png"));
      g_assert_true (g_strv_contains ((const char * const *) fixture->ids, task_id));
    }
  /* The tasks know where they are, for their badge. */
  g_assert_nonnull (lens_task_get_saved_path (lens_task_list_lookup (fixture->tasks, fixture->ids[0])));

  /* A second save into the folder recognises every image, and writes none. */
  again = make_job (fixture, LENS_SAVE_GRIDS_WHOLE);
  run (again);
  g_assert_cmpuint (lens_save_job_get_n_existing (again), ==, N_GRIDS);
  g_assert_cmpuint (lens_save_job_get_n_saved (again), ==, 0);
  names_again = list_folder (fixture);
  g_assert_cmpuint (names_again->len, ==, N_GRIDS);

  /* Done, it leaves no journal to resume. */
  LENS_TEST_SPIN_UNTIL (!g_file_test (fixture->journal, G_FILE_TEST_EXISTS), LENS_TEST_DEADLINE_MS);
}

/* A task named more than once, in either case, is saved once: pasted
 * lists repeat ids, and a page of repeats alone (more than the 256 a
 * page holds, here) is passed over rather than read. */
static void
test_repeats_saved_once (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *upper = g_ascii_strup (fixture->ids[1], -1);
  g_auto(GStrv) given = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  g_autoptr(LensSaveJob) job = NULL;
  g_autoptr(GPtrArray) names = NULL;

  g_strv_builder_add (builder, fixture->ids[0]);
  for (guint i = 0; i < 600; i++)
    g_strv_builder_add (builder, i % 2 == 0 ? fixture->ids[0] : upper);
  for (guint i = 1; fixture->ids[i] != NULL; i++)
    g_strv_builder_add (builder, fixture->ids[i]);
  g_strv_builder_add (builder, fixture->ids[2]);
  given = g_strv_builder_end (builder);

  job = lens_save_job_new (fixture->downloader, fixture->store, folder, (const char * const *) given,
                           LENS_SAVE_GRIDS_WHOLE);
  lens_save_job_set_history (job, fixture->history);
  run (job);
  g_assert_null (lens_save_job_get_error (job));
  g_assert_cmpuint (lens_save_job_get_n_images (job), ==, N_GRIDS);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, N_GRIDS);
  g_assert_cmpuint (lens_save_job_get_n_without_image (job), ==, 1);
  names = list_folder (fixture);
  g_assert_cmpuint (names->len, ==, N_GRIDS);
}

/* A file of the user's with the name an image would take is kept; the
 * image takes the next free name. */
static void
test_never_replaces (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(LensSaveJob) probe = make_job (fixture, LENS_SAVE_GRIDS_WHOLE);
  g_autoptr(LensSaveJob) job = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *first = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;

  /* Learn the first image's name, then put a file of the user's there. */
  run (probe);
  names = list_folder (fixture);
  first = g_strdup (g_ptr_array_index (names, 0));
  lens_test_remove_tree (fixture->folder);
  g_assert_cmpint (g_mkdir (fixture->folder, 0755), ==, 0);
  path = g_build_filename (fixture->folder, first, NULL);
  g_assert_true (g_file_set_contents (path, "the user's own", -1, NULL));

  job = make_job (fixture, LENS_SAVE_GRIDS_WHOLE);
  run (job);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, N_GRIDS);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the user's own");
  g_clear_pointer (&names, g_ptr_array_unref);
  names = list_folder (fixture);
  g_assert_cmpuint (names->len, ==, N_GRIDS + 1);
}

/* Grids as their four images, cut out (the fake's grids have no links of
 * their own), each file saying which image it is. */
static void
test_split_grids (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LensSaveJob) job = make_job (fixture, LENS_SAVE_GRIDS_BOTH);
  g_autoptr(LensSaveJob) again = make_job (fixture, LENS_SAVE_GRIDS_SPLIT);
  g_autoptr(GPtrArray) names = NULL;
  guint seen[5] = { 0 };

  run (job);
  g_assert_cmpuint (lens_save_job_get_n_images (job), ==, N_GRIDS * 5);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, N_GRIDS * 5);
  names = list_folder (fixture);
  g_assert_cmpuint (names->len, ==, N_GRIDS * 5);
  for (guint i = 0; i < names->len; i++)
    {
      guint index = 99;
      g_autofree char *task_id = read_task_id (fixture, g_ptr_array_index (names, i), &index);

      g_assert_nonnull (task_id);
      g_assert_cmpuint (index, <=, 4);
      seen[index]++;
    }
  for (guint i = 0; i <= 4; i++)
    g_assert_cmpuint (seen[i], ==, N_GRIDS);

  run (again);
  g_assert_cmpuint (lens_save_job_get_n_existing (again), ==, N_GRIDS * 4);
  g_assert_cmpuint (lens_save_job_get_n_saved (again), ==, 0);
}

/* An expired link fails that image alone, with its reason; a retry saves
 * it once the cause is gone. */
static void
test_failure_and_retry (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LensSaveJob) job = make_job (fixture, LENS_SAVE_GRIDS_WHOLE);
  LensSaveFailure *failure;
  LensFakeFault gone = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_IMAGES,
                         .status = 410, .retry_after = -1 };

  lens_save_job_set_max_in_flight (job, 1);
  lens_fake_api_push_fault (fixture->fake, &gone, 1);
  run (job);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, N_GRIDS - 1);
  g_assert_cmpuint (lens_save_job_get_n_failed (job), ==, 1);
  failure = g_ptr_array_index (lens_save_job_get_failures (job), 0);
  g_assert_cmpstr (failure->task_id, ==, fixture->ids[0]);
  g_assert_cmpstr (failure->title, ==, "A cat number 0");
  g_assert_nonnull (failure->message);

  g_assert_true (lens_save_job_retry_failed (job));
  LENS_TEST_SPIN_UNTIL (lens_save_job_get_state (job) == LENS_SAVE_JOB_DONE, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, N_GRIDS);
  g_assert_cmpuint (lens_save_job_get_n_failed (job), ==, 0);
  g_assert_false (lens_save_job_retry_failed (job));
}

/* Cancelled mid-way: what was saved stays, nothing partial is left, and
 * nothing is to resume. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LensSaveJob) job = make_job (fixture, LENS_SAVE_GRIDS_WHOLE);
  g_autoptr(GPtrArray) names = NULL;
  gboolean finished = FALSE;

  g_signal_connect_swapped (job, "finished", G_CALLBACK (lens_test_set_true_cb), &finished);
  lens_save_job_set_max_in_flight (job, 1);
  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_DELAY, 5000, 1);
  lens_save_job_start (job);
  LENS_TEST_SPIN_UNTIL (lens_save_job_get_state (job) == LENS_SAVE_JOB_RUNNING, LENS_TEST_DEADLINE_MS);
  g_assert_true (g_file_test (fixture->journal, G_FILE_TEST_EXISTS));
  lens_save_job_cancel (job);
  g_assert_cmpint (lens_save_job_get_state (job), ==, LENS_SAVE_JOB_CANCELLED);
  g_assert_true (finished);

  lens_test_spin_for (200);
  names = list_folder (fixture);
  g_assert_cmpuint (names->len, ==, 0);
  LENS_TEST_SPIN_UNTIL (!g_file_test (fixture->journal, G_FILE_TEST_EXISTS), LENS_TEST_DEADLINE_MS);
}

/* Interrupted (a quit), the journal stays and says what to do again. */
static void
test_interrupt_keeps_journal (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(LensSaveJob) job = make_job (fixture, LENS_SAVE_GRIDS_SPLIT);
  g_autoptr(LensSaveJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_DELAY, 5000, 1);
  lens_save_job_start (job);
  LENS_TEST_SPIN_UNTIL (lens_save_job_get_state (job) == LENS_SAVE_JOB_RUNNING, LENS_TEST_DEADLINE_MS);
  LENS_TEST_SPIN_UNTIL (g_file_test (fixture->journal, G_FILE_TEST_EXISTS), LENS_TEST_DEADLINE_MS);
  lens_save_job_interrupt (job);
  lens_test_spin_for (200);

  journal = lens_save_journal_read (fixture->journal, &error);
  g_assert_no_error (error);
  folder = g_file_get_path (journal->folder);
  g_assert_cmpstr (folder, ==, fixture->folder);
  g_assert_cmpint (journal->grids, ==, LENS_SAVE_GRIDS_SPLIT);
  g_assert_cmpstrv (journal->ids, fixture->ids);
}

/* A folder that cannot be read ends the job with the reason. */
static void
test_missing_folder (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(LensSaveJob) job = NULL;

  lens_test_remove_tree (fixture->folder);
  job = make_job (fixture, LENS_SAVE_GRIDS_WHOLE);
  run (job);
  g_assert_nonnull (lens_save_job_get_error (job));
  g_assert_nonnull (strstr (lens_save_job_get_error (job)->message, "Pictures"));
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define add_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  add_test ("/save-job/saves-each-image-once", test_saves_each_image_once);
  add_test ("/save-job/repeats-saved-once", test_repeats_saved_once);
  add_test ("/save-job/never-replaces", test_never_replaces);
  add_test ("/save-job/split-grids", test_split_grids);
  add_test ("/save-job/failure-and-retry", test_failure_and_retry);
  add_test ("/save-job/cancel", test_cancel);
  add_test ("/save-job/interrupt-keeps-journal", test_interrupt_keeps_journal);
  add_test ("/save-job/missing-folder", test_missing_folder);
#undef add_test

  return g_test_run ();
}
