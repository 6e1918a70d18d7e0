/* test-downloads.c — LensDownloads and LensDownload, against the fake server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test has the fake server with one finished task, a downloader, and a
 * real history (LensTaskStore and LensTaskList) in a scratch directory; the
 * saved files go to that directory too.
 */

#define G_LOG_DOMAIN "test-downloads"

#include "config.h"

#include <glib/gstdio.h>

#include "lens-client.h"
#include "lens-http.h"
#include "lens-downloads.h"
#include "lens-history.h"
#include "lens-image-metadata.h"
#include "lens-task-list.h"
#include "lens-test-fake.h"
#include "lens-test-fetch.h"
#include "lens-test-store.h"

typedef struct
{
  char           *dir;            /* scratch directory, for the saved files */
  char           *db_path;        /* the history's file, in a folder of its own below */
  LensFakeApi    *fake;
  SoupSession    *session;
  LensDownloader *downloader;
  LensTaskStore  *store;
  LensTaskList   *tasks;
  LensHistory    *history;
  LensDownloads  *downloads;
  guint           n_written;
  char           *id;             /* a finished task on the fake server, in the list */
  char           *url;            /* its full image */
} Setup;

/* ─── helpers ──────────────────────────────────────────────────────────── */

static void
written_cb (LensHistory *history,
            guint        n_changes,
            Setup       *setup)
{
  setup->n_written++;
}

static GFile *
scratch_file (Setup      *setup,
              const char *name)
{
  return g_file_new_build_filename (setup->dir, name, NULL);
}

static guint
count_files (Setup *setup)
{
  g_autoptr(GDir) dir = g_dir_open (setup->dir, 0, NULL);
  guint count = 0;
  const char *name;

  g_assert_nonnull (dir);
  /* The history's own folder is not a download. */
  while ((name = g_dir_read_name (dir)) != NULL)
    if (!g_str_equal (name, "data"))
      count++;
  return count;
}

/* What the store has as the saved path of the fixture's task ("NULL" when
 * none), once everything pending is written. */
static char *
stored_saved_path (Setup *setup)
{
  g_autofree char *sql = g_strdup_printf ("SELECT saved_path FROM tasks WHERE id = '%s'",
                                          setup->id);

  lens_history_flush (setup->history);
  return lens_test_db_query (setup->db_path, sql);
}

/* ─── the fixture ──────────────────────────────────────────────────────── */

static void
setup_set_up (Setup         *setup,
              gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };
  guint target;

  setup->dir = lens_test_make_scratch_dir ("downloads");
  setup->db_path = g_build_filename (setup->dir, "data", "tasklens", "tasks.db", NULL);

  setup->fake = lens_test_start_fake_api ("t");
  ids = lens_fake_api_seed_generated (setup->fake, LENS_FAKE_TASK_IMAGINE, 1);
  setup->id = g_strdup (ids[0]);
  setup->url = lens_test_image_url (setup->fake, setup->id, ".png");

  setup->session = lens_http_create_session ();
  setup->downloader = lens_downloader_new (setup->session);

  setup->store = lens_task_store_new (setup->db_path);
  lens_test_store_load (setup->store, &loaded);
  g_assert_no_error (loaded.error);
  setup->tasks = lens_task_list_new ();
  setup->history = lens_history_new (setup->store, setup->tasks);
  g_signal_connect (setup->history, "written", G_CALLBACK (written_cb), setup);

  /* The task is in the history before anything is saved of it. */
  target = setup->n_written + 1;
  lens_task_list_add_ids (setup->tasks, (const char *[]) { setup->id, NULL }, NULL);
  LENS_TEST_SPIN_UNTIL (setup->n_written >= target, LENS_TEST_DEADLINE_MS);

  setup->downloads = lens_downloads_new (setup->downloader, setup->history);
}

static void
setup_tear_down (Setup         *setup,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) nothing = g_ptr_array_new ();

  if (setup->downloads != NULL)
    g_assert_finalize_object (g_steal_pointer (&setup->downloads));
  /* Let cancelled transfers delete their partial files. */
  lens_test_spin_for (100);

  /* A write still in flight holds the history until its callback has run. */
  g_assert_true (lens_task_store_write_sync (setup->store, nothing, NULL));
  lens_test_spin_for (50);
  g_assert_finalize_object (g_steal_pointer (&setup->history));
  g_assert_finalize_object (g_steal_pointer (&setup->store));
  g_clear_object (&setup->tasks);

  g_assert_finalize_object (setup->downloader);
  g_clear_object (&setup->session);
  g_clear_object (&setup->fake);
  g_free (setup->id);
  g_free (setup->url);
  lens_test_remove_tree (setup->dir);
  g_free (setup->dir);
  g_free (setup->db_path);
}

/* ─── tests ────────────────────────────────────────────────────────────── */

static void
test_start (Setup         *setup,
            gconstpointer  data)
{
  g_autoptr(GFile) file = scratch_file (setup, "cat.png");
  g_autoptr(LensDownload) item = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) saved = NULL;
  LensDownload *download;

  g_assert_null (lens_downloads_find (setup->downloads, setup->id));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (setup->downloads)) == LENS_TYPE_DOWNLOAD);

  download = lens_downloads_start (setup->downloads, setup->id, setup->url, file);
  g_assert_nonnull (download);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_RUNNING);
  g_assert_true (lens_download_is_active (download));
  g_assert_cmpstr (lens_download_get_task_id (download), ==, setup->id);
  g_assert_cmpstr (lens_download_get_url (download), ==, setup->url);
  g_assert_true (g_file_equal (lens_download_get_destination (download), file));
  g_assert_null (lens_download_get_error (download));
  g_assert_true (lens_downloads_find (setup->downloads, setup->id) == download);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (setup->downloads)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (setup->downloads), 0);
  g_assert_true (item == download);

  LENS_TEST_SPIN_UNTIL (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_DONE, LENS_TEST_DEADLINE_MS);
  g_assert_false (lens_download_is_active (download));
  g_assert_cmpfloat (lens_download_get_progress (download), ==, 1.0);
  g_assert_null (lens_download_get_error (download));

  /* The last download of the task is kept, to be found again. */
  g_assert_true (lens_downloads_find (setup->downloads, setup->id) == download);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (setup->downloads)), ==, 1);

  expected = lens_test_fetch (setup->session, setup->url);
  saved = lens_test_load_file (file);
  g_assert_true (g_bytes_equal (saved, expected));
  g_assert_cmpuint (count_files (setup), ==, 1);
}

static void
progress_notified_cb (LensDownload *download,
                      GParamSpec   *pspec,
                      GArray       *values)
{
  double progress = lens_download_get_progress (download);

  g_array_append_val (values, progress);
}

static void
state_notified_cb (LensDownload *download,
                   GParamSpec   *pspec,
                   GArray       *states)
{
  LensDownloadState state = lens_download_get_state (download);

  g_array_append_val (states, state);
}

static void
test_progress (Setup         *setup,
               gconstpointer  data)
{
  g_autoptr(GFile) file = scratch_file (setup, "cat.png");
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (LensDownloadState));
  LensDownload *download;
  double last = -1.0;

  download = lens_downloads_start (setup->downloads, setup->id, setup->url, file);
  /* Nothing is known of the size until the server answers. */
  g_assert_cmpfloat (lens_download_get_progress (download), ==, -1.0);
  g_signal_connect (download, "notify::progress", G_CALLBACK (progress_notified_cb), values);
  g_signal_connect (download, "notify::state", G_CALLBACK (state_notified_cb), states);
  LENS_TEST_SPIN_UNTIL (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_DONE, LENS_TEST_DEADLINE_MS);

  /* The fake says the length: every value is a fraction, growing, each
   * notified once, up to the whole. */
  g_assert_cmpuint (values->len, >=, 1);
  for (guint i = 0; i < values->len; i++)
    {
      double value = g_array_index (values, double, i);

      g_assert_cmpfloat (value, >=, 0.0);
      g_assert_cmpfloat (value, <=, 1.0);
      if (i > 0)
        g_assert_cmpfloat (value, >, last);
      last = value;
    }
  g_assert_cmpfloat (last, ==, 1.0);

  /* RUNNING → DONE is one notification. */
  g_assert_cmpuint (states->len, ==, 1);
  g_assert_cmpint (g_array_index (states, LensDownloadState, 0), ==, LENS_DOWNLOAD_STATE_DONE);
  g_signal_handlers_disconnect_by_data (download, values);
  g_signal_handlers_disconnect_by_data (download, states);
}

/* A saved image is recorded in the history, by the downloads themselves. */
static void
test_records_saved_path (Setup         *setup,
                         gconstpointer  data)
{
  g_autoptr(GFile) file = scratch_file (setup, "cat.png");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *path = g_file_get_path (file);
  LensDownload *download;

  before = stored_saved_path (setup);
  g_assert_cmpstr (before, ==, "NULL");

  download = lens_downloads_start (setup->downloads, setup->id, setup->url, file);
  LENS_TEST_SPIN_UNTIL (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_DONE, LENS_TEST_DEADLINE_MS);

  after = stored_saved_path (setup);
  g_assert_cmpstr (after, ==, path);
}

/* Without a history, downloads work all the same; one set later is used. */
static void
test_history_set_later (Setup         *setup,
                        gconstpointer  data)
{
  g_autoptr(GFile) first = scratch_file (setup, "first.png");
  g_autoptr(GFile) second = scratch_file (setup, "second.png");
  g_autofree char *path = g_file_get_path (second);
  g_autofree char *stored = NULL;
  LensDownload *download;

  lens_downloads_set_history (setup->downloads, NULL);
  g_assert_null (lens_downloads_get_history (setup->downloads));
  download = lens_downloads_start (setup->downloads, setup->id, setup->url, first);
  LENS_TEST_SPIN_UNTIL (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_DONE, LENS_TEST_DEADLINE_MS);
  stored = stored_saved_path (setup);
  g_assert_cmpstr (stored, ==, "NULL");
  g_clear_pointer (&stored, g_free);

  g_object_set (setup->downloads, "history", setup->history, NULL);
  g_assert_true (lens_downloads_get_history (setup->downloads) == setup->history);
  download = lens_downloads_start (setup->downloads, setup->id, setup->url, second);
  LENS_TEST_SPIN_UNTIL (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_DONE, LENS_TEST_DEADLINE_MS);
  stored = stored_saved_path (setup);
  g_assert_cmpstr (stored, ==, path);
}

static void
test_failure (Setup         *setup,
              gconstpointer  data)
{
  g_autoptr(GFile) file = scratch_file (setup, "cat.png");
  g_autofree char *stored = NULL;
  LensDownload *download;
  const GError *error;

  lens_test_push_image_status (setup->fake, SOUP_STATUS_NOT_FOUND, 1);
  download = lens_downloads_start (setup->downloads, setup->id, setup->url, file);
  LENS_TEST_SPIN_UNTIL (!lens_download_is_active (download), LENS_TEST_DEADLINE_MS);

  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_FAILED);
  error = lens_download_get_error (download);
  g_assert_error ((GError *) error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_EXPIRED);
  g_assert_cmpuint (count_files (setup), ==, 0);
  stored = stored_saved_path (setup);
  g_assert_cmpstr (stored, ==, "NULL");

  /* A failed download can be tried again. */
  download = lens_downloads_start (setup->downloads, setup->id, setup->url, file);
  g_assert_nonnull (download);
  LENS_TEST_SPIN_UNTIL (!lens_download_is_active (download), LENS_TEST_DEADLINE_MS);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_DONE);
}

static void
test_cancel (Setup         *setup,
             gconstpointer  data)
{
  g_autoptr(GFile) file = scratch_file (setup, "cat.png");
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (LensDownloadState));
  g_autofree char *stored = NULL;
  LensDownload *download;

  lens_test_push_image_fault (setup->fake, LENS_FAKE_FAULT_DELAY, 300, 1);
  download = lens_downloads_start (setup->downloads, setup->id, setup->url, file);
  g_signal_connect (download, "notify::state", G_CALLBACK (state_notified_cb), states);

  /* Cancelled at once, and only once. */
  lens_download_cancel (download);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_CANCELLED);
  lens_download_cancel (download);
  g_assert_cmpuint (states->len, ==, 1);

  /* Past the server's delay: no file, no error, nothing recorded. */
  lens_test_spin_for (600);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_CANCELLED);
  g_assert_null (lens_download_get_error (download));
  g_assert_cmpuint (states->len, ==, 1);
  g_assert_cmpuint (count_files (setup), ==, 0);
  stored = stored_saved_path (setup);
  g_assert_cmpstr (stored, ==, "NULL");
  g_signal_handlers_disconnect_by_data (download, states);

  /* And the task can be saved again. */
  download = lens_downloads_start (setup->downloads, setup->id, setup->url, file);
  g_assert_nonnull (download);
  LENS_TEST_SPIN_UNTIL (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_DONE, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (count_files (setup), ==, 1);
}

static void
test_one_per_task (Setup         *setup,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = scratch_file (setup, "cat.png");
  g_autoptr(GFile) other_file = scratch_file (setup, "other.png");
  g_autoptr(GFile) again_file = scratch_file (setup, "again.png");
  g_autofree char *other_id = lens_fake_api_make_id ("one-per-task");
  LensDownload *download;
  LensDownload *other;
  LensDownload *again;

  lens_test_push_image_fault (setup->fake, LENS_FAKE_FAULT_DELAY, 200, 1);
  download = lens_downloads_start (setup->downloads, setup->id, setup->url, file);
  g_assert_nonnull (download);

  /* While it runs, the task has no second download, of either kind. */
  g_assert_null (lens_downloads_start (setup->downloads, setup->id, setup->url, again_file));
  g_assert_null (lens_downloads_prepare (setup->downloads, setup->id, setup->url, NULL));
  g_assert_true (lens_downloads_find (setup->downloads, setup->id) == download);

  /* Another task has its own. */
  other = lens_downloads_start (setup->downloads, other_id, setup->url, other_file);
  g_assert_nonnull (other);
  g_assert_true (lens_downloads_find (setup->downloads, other_id) == other);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (setup->downloads)), ==, 2);

  LENS_TEST_SPIN_UNTIL (!lens_download_is_active (download) && !lens_download_is_active (other), LENS_TEST_DEADLINE_MS);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_DONE);

  /* Once it has ended, a new one takes its place in the list. */
  g_object_ref (download);
  again = lens_downloads_start (setup->downloads, setup->id, setup->url, again_file);
  g_assert_nonnull (again);
  g_assert_true (again != download);
  g_assert_true (lens_downloads_find (setup->downloads, setup->id) == again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (setup->downloads)), ==, 2);
  LENS_TEST_SPIN_UNTIL (!lens_download_is_active (again), LENS_TEST_DEADLINE_MS);
  g_assert_finalize_object (download);
}

static void
test_prepare (Setup         *setup,
              gconstpointer  data)
{
  g_autoptr(GFile) file = scratch_file (setup, "chosen.png");
  LensDownload *download;

  download = lens_downloads_prepare (setup->downloads, setup->id, setup->url, NULL);
  g_assert_nonnull (download);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_PREPARING);
  g_assert_true (lens_download_is_active (download));
  g_assert_null (lens_download_get_destination (download));
  g_assert_true (lens_downloads_find (setup->downloads, setup->id) == download);

  /* The link is checked, and a name suggested for the file. */
  LENS_TEST_SPIN_UNTIL (lens_download_get_suggested_name (download) != NULL, LENS_TEST_DEADLINE_MS);
  g_assert_true (g_str_has_suffix (lens_download_get_suggested_name (download), ".png"));
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_PREPARING);

  lens_downloads_set_destination (setup->downloads, download, file);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_RUNNING);
  LENS_TEST_SPIN_UNTIL (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_DONE, LENS_TEST_DEADLINE_MS);
  g_assert_true (g_file_query_exists (file, NULL));
}

/* With the task's fields, the suggested name follows the user's template,
 * and the extension still comes from the link. */
static void
test_prepare_named (Setup         *setup,
                    gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_local (2024, 7, 7, 15, 4, 5);
  LensImageFacts fields = {
    .task_id = setup->id,
    .task_type = "imagine",
    .prompt = "A cat sitting on a table --ar 3:2",
    .created_at = (double) g_date_time_to_unix (created),
  };
  g_autofree char *short_id = g_ascii_strdown (setup->id, 8);
  g_autofree char *expected_default = g_strdup_printf ("2024-07-07 A cat sitting on a table (%s).png",
                                                       short_id);
  g_autofree char *expected_own = g_strdup_printf ("%s imagine 15-04-05.png", short_id);
  LensDownload *download;

  download = lens_downloads_prepare (setup->downloads, setup->id, setup->url, &fields);
  LENS_TEST_SPIN_UNTIL (lens_download_get_suggested_name (download) != NULL, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (lens_download_get_suggested_name (download), ==, expected_default);
  lens_download_cancel (download);
  LENS_TEST_SPIN_UNTIL (!lens_download_is_active (download), LENS_TEST_DEADLINE_MS);

  g_object_set (setup->downloads, "name-template", "{short_id} {type} {time}", NULL);
  download = lens_downloads_prepare (setup->downloads, setup->id, setup->url, &fields);
  LENS_TEST_SPIN_UNTIL (lens_download_get_suggested_name (download) != NULL, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (lens_download_get_suggested_name (download), ==, expected_own);
  lens_download_cancel (download);
  LENS_TEST_SPIN_UNTIL (!lens_download_is_active (download), LENS_TEST_DEADLINE_MS);
}

/* A download prepared with the task's facts writes them into the file:
 * the prompt travels with the image (issue 12). */
static void
test_prepare_embeds_metadata (Setup         *setup,
                              gconstpointer  data)
{
  LensImageFacts fields = { .task_id = setup->id, .task_type = "imagine", .prompt = "A cat",
                            .created_at = 1720364645 };
  g_autoptr(GFile) file = scratch_file (setup, "chosen.png");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *task_id = NULL;
  LensDownload *download;

  download = lens_downloads_prepare (setup->downloads, setup->id, setup->url, &fields);
  LENS_TEST_SPIN_UNTIL (lens_download_get_suggested_name (download) != NULL, LENS_TEST_DEADLINE_MS);
  lens_downloads_set_destination (setup->downloads, download, file);
  LENS_TEST_SPIN_UNTIL (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_DONE, LENS_TEST_DEADLINE_MS);

  task_id = lens_image_metadata_read_task_id (path, NULL);
  g_assert_cmpstr (task_id, ==, setup->id);
}

/* An expired link fails before any file is chosen. */
static void
test_prepare_expired (Setup         *setup,
                      gconstpointer  data)
{
  LensDownload *download;

  lens_test_push_image_status (setup->fake, SOUP_STATUS_NOT_FOUND, 1);
  download = lens_downloads_prepare (setup->downloads, setup->id, setup->url, NULL);
  LENS_TEST_SPIN_UNTIL (!lens_download_is_active (download), LENS_TEST_DEADLINE_MS);

  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_FAILED);
  g_assert_error ((GError *) lens_download_get_error (download), LENS_DOWNLOADER_ERROR,
                  LENS_DOWNLOADER_ERROR_EXPIRED);
  g_assert_null (lens_download_get_suggested_name (download));
}

/* Closing the dialog cancels a prepared download: nothing is written. */
static void
test_prepare_cancel (Setup         *setup,
                     gconstpointer  data)
{
  LensDownload *download;

  download = lens_downloads_prepare (setup->downloads, setup->id, setup->url, NULL);
  lens_download_cancel (download);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_CANCELLED);

  lens_test_spin_for (200);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_CANCELLED);
  g_assert_null (lens_download_get_suggested_name (download));
  g_assert_cmpuint (count_files (setup), ==, 0);
}

/* The list goes with its owner, and so do the downloads under way. */
static void
test_dispose_cancels (Setup         *setup,
                      gconstpointer  data)
{
  g_autoptr(GFile) file = scratch_file (setup, "cat.png");
  g_autoptr(LensDownload) download = NULL;

  lens_test_push_image_fault (setup->fake, LENS_FAKE_FAULT_DELAY, 300, 1);
  download = g_object_ref (lens_downloads_start (setup->downloads, setup->id, setup->url, file));
  g_assert_finalize_object (g_steal_pointer (&setup->downloads));
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_CANCELLED);

  lens_test_spin_for (600);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_CANCELLED);
  g_assert_cmpuint (count_files (setup), ==, 0);
}

/* Ended downloads are kept, but not without bound. */
static void
test_bounded (Setup         *setup,
              gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (setup->downloads);
  g_autoptr(GPtrArray) started = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *seed = g_strdup_printf ("bounded-%u", i);
      g_autofree char *id = lens_fake_api_make_id (seed);
      g_autofree char *name = g_strdup_printf ("%u.png", i);
      g_autoptr(GFile) file = scratch_file (setup, name);
      LensDownload *download = lens_downloads_start (setup->downloads, id, setup->url, file);

      g_ptr_array_add (started, g_object_ref (download));
      LENS_TEST_SPIN_UNTIL (!lens_download_is_active (download), LENS_TEST_DEADLINE_MS);
    }

  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (n, <, 50);
  /* The newest stay; the oldest went first. */
  g_assert_true (lens_downloads_find (setup->downloads,
                                      lens_download_get_task_id (g_ptr_array_index (started, 49)))
                 != NULL);
  g_assert_null (lens_downloads_find (setup->downloads,
                                      lens_download_get_task_id (g_ptr_array_index (started, 0))));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LensDownload) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (started, 50 - n + i));
    }
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/downloads/" path, Setup, NULL, setup_set_up, func, setup_tear_down)
  ADD ("start", test_start);
  ADD ("progress", test_progress);
  ADD ("records-saved-path", test_records_saved_path);
  ADD ("history-set-later", test_history_set_later);
  ADD ("failure", test_failure);
  ADD ("cancel", test_cancel);
  ADD ("one-per-task", test_one_per_task);
  ADD ("prepare", test_prepare);
  ADD ("prepare-named", test_prepare_named);
  ADD ("prepare-embeds-metadata", test_prepare_embeds_metadata);
  ADD ("prepare-expired", test_prepare_expired);
  ADD ("prepare-cancel", test_prepare_cancel);
  ADD ("dispose-cancels", test_dispose_cancels);
  ADD ("bounded", test_bounded);
#undef ADD

  return g_test_run ();
}
