/* test-task-view-download.c — Download Original of the task view, on its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensTaskViewDownload calls nothing of the task view: here it drives
 * widgets of its own, in no window, and what it hands back is counted. The
 * tests need no server and wait for nothing: the downloads go to a port
 * nothing listens on, and each is cancelled before the main loop runs.
 * What a download does on the network, its progress and the toasts of one
 * that ended are test-task-view's (/task-view/download…).
 */

#include "config.h"

#include "lens-http.h"
#include "lens-task-view-download.h"
#include "lens-test.h"
#include "lens-test-ui.h"

#define CAT_ID  "7489df4c-ef03-4de0-b598-e9a590793434"
#define RAW_URL "http://127.0.0.1:1/cat.png"

/* A record of the cat task, with @body added. */
#define RECORD(body) \
  "{\"id\": \"" CAT_ID "\", \"type\": \"imagine\", \"created_at\": 1720364607.9" body "}"
#define DONE_RECORD \
  RECORD (", \"finished_at\": 1720364637.4, \"response\": {\"success\": true, \"progress\": 100," \
          " \"raw_image_url\": \"" RAW_URL "\"}")

typedef struct
{
  SoupSession          *session;
  LensDownloader       *downloader;
  LensDownloads        *downloads;
  /* The widgets it drives, as a view's template would hold them. */
  GtkWidget            *stack;
  GtkWidget            *button;
  GtkWidget            *progress_bar;
  GtkWidget            *saved_file_row;
  GtkWidget            *video;
  LensTaskViewDownload *download;    /* nullable: once freed */
  guint                 changed;     /* calls of the callbacks */
  guint                 toasts;
  char                 *tmp_dir;
} Fixture;

static void
changed_cb (gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->changed++;
}

static void
toast_error_cb (const GError *error,
                gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->toasts++;
}

static void
toast_saved_cb (GFile    *file,
                gpointer  user_data)
{
  Fixture *fixture = user_data;

  fixture->toasts++;
}

static void
toast_file_cb (const char *message,
               GFile      *file,
               gpointer    user_data)
{
  Fixture *fixture = user_data;

  fixture->toasts++;
}

static const LensTaskViewDownloadCallbacks callbacks = {
  .changed = changed_cb,
  .toast_error = toast_error_cb,
  .toast_saved = toast_saved_cb,
  .toast_file = toast_file_cb,
};

static LensTask *
task_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) record = json_from_string (json, &error);
  LensTask *task = lens_task_new (CAT_ID);

  g_assert_no_error (error);
  lens_task_update_from_json (task, record);
  return task;
}

/* Shows @task, and starts Download: the link is being checked. */
static LensDownload *
start_preparing (Fixture  *fixture,
                 LensTask *task)
{
  LensDownload *download;

  lens_task_view_download_set_task (fixture->download, task);
  lens_task_view_download_start (fixture->download);
  download = g_object_ref (lens_downloads_find (fixture->downloads, CAT_ID));
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_PREPARING);
  return download;
}

static const char *
tooltip (Fixture *fixture)
{
  lens_task_view_download_update (fixture->download);
  return gtk_widget_get_tooltip_text (fixture->button);
}

static const char *
page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (fixture->stack));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *progress_page = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  fixture->session = lens_http_create_session ();
  fixture->downloader = lens_downloader_new (fixture->session);
  fixture->downloads = lens_downloads_new (fixture->downloader, NULL);
  fixture->tmp_dir = lens_test_make_scratch_dir ("task-view-download");

  fixture->stack = g_object_ref_sink (gtk_stack_new ());
  fixture->button = gtk_button_new_with_mnemonic ("_Download Original");
  fixture->progress_bar = gtk_progress_bar_new ();
  gtk_stack_add_named (GTK_STACK (fixture->stack), fixture->button, "button");
  gtk_box_append (GTK_BOX (progress_page), fixture->progress_bar);
  gtk_stack_add_named (GTK_STACK (fixture->stack), progress_page, "progress");
  fixture->saved_file_row = g_object_ref_sink (gtk_label_new (NULL));
  fixture->video = g_object_ref_sink (g_object_new (LENS_TYPE_TASK_VIEW_VIDEO, NULL));

  fixture->download = lens_task_view_download_new (GTK_STACK (fixture->stack), fixture->button,
                                                   GTK_PROGRESS_BAR (fixture->progress_bar),
                                                   fixture->saved_file_row,
                                                   LENS_TASK_VIEW_VIDEO (fixture->video),
                                                   &callbacks, fixture);
  lens_task_view_download_set_downloads (fixture->download, fixture->downloads);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->download, lens_task_view_download_free);
  g_clear_object (&fixture->stack);
  g_clear_object (&fixture->saved_file_row);
  g_clear_object (&fixture->video);

  g_assert_finalize_object (g_steal_pointer (&fixture->downloads));
  /* Cancelled transfers hold the downloader until they have cleaned up. */
  LENS_TEST_SPIN_UNTIL (G_OBJECT (fixture->downloader)->ref_count == 1, LENS_TEST_DEADLINE_MS);
  g_assert_finalize_object (g_steal_pointer (&fixture->downloader));
  g_clear_object (&fixture->session);

  /* Cancelled, the downloads left no file behind. */
  g_assert_cmpuint (lens_test_count_files (fixture->tmp_dir), ==, 0);
  lens_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

/* The button follows the task: shown while it can ever be used, usable
 * once the task is done, with a tooltip that says why not before. */
static void
test_button_follows_task (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(LensTask) pending = task_from_json (RECORD (""));
  g_autoptr(LensTask) failed = task_from_json (RECORD (", \"response\": {\"success\": false}"));
  g_autoptr(LensTask) done = task_from_json (DONE_RECORD);
  guint changed;

  g_assert_false (lens_task_view_download_can_start (fixture->download));
  g_assert_null (lens_task_view_download_get_url (fixture->download));
  g_assert_null (tooltip (fixture));
  g_assert_true (gtk_widget_get_visible (fixture->stack));

  changed = fixture->changed;
  lens_task_view_download_set_task (fixture->download, pending);
  g_assert_cmpuint (fixture->changed, ==, changed + 1);
  g_assert_false (lens_task_view_download_can_start (fixture->download));
  g_assert_cmpstr (tooltip (fixture), ==,
                   "The task is still running: its image can be saved once it is done");
  g_assert_true (gtk_widget_get_visible (fixture->stack));

  /* A failed task will never have an image: no button at all. */
  lens_task_view_download_set_task (fixture->download, failed);
  g_assert_false (lens_task_view_download_can_start (fixture->download));
  g_assert_cmpstr (tooltip (fixture), ==, "The task failed, so there is no image to save");
  g_assert_false (gtk_widget_get_visible (fixture->stack));

  lens_task_view_download_set_task (fixture->download, done);
  g_assert_true (lens_task_view_download_can_start (fixture->download));
  g_assert_cmpstr (lens_task_view_download_get_url (fixture->download), ==, RAW_URL);
  g_assert_cmpstr (tooltip (fixture), ==, "Save the full-resolution image");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (fixture->button)), ==, "_Download Original");
  g_assert_true (gtk_widget_get_visible (fixture->stack));
  g_assert_false (lens_task_view_download_can_cancel (fixture->download));

  /* No download without the downloads. */
  changed = fixture->changed;
  lens_task_view_download_set_downloads (fixture->download, NULL);
  g_assert_cmpuint (fixture->changed, ==, changed + 1);
  g_assert_false (lens_task_view_download_can_start (fixture->download));
  g_assert_cmpstr (tooltip (fixture), ==, "The task has no image to save yet");
  g_assert_cmpuint (fixture->toasts, ==, 0);
}

/* Download checks the link first: the download is preparing, not running,
 * and cannot be started twice; cancelled, it can be started again, and
 * says nothing. */
static void
test_start_and_cancel (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LensTask) done = task_from_json (DONE_RECORD);
  g_autoptr(LensDownload) download = start_preparing (fixture, done);

  g_assert_false (lens_task_view_download_can_start (fixture->download));
  g_assert_true (lens_task_view_download_can_cancel (fixture->download));
  g_assert_false (lens_task_view_download_is_running (fixture->download));
  g_assert_cmpstr (tooltip (fixture), ==, "The image is being saved");
  g_assert_cmpstr (page (fixture), ==, "button");

  lens_task_view_download_cancel (fixture->download);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_CANCELLED);
  g_assert_true (lens_task_view_download_can_start (fixture->download));
  g_assert_false (lens_task_view_download_can_cancel (fixture->download));
  g_assert_cmpuint (fixture->toasts, ==, 0);
}

/* A download of the shown task started elsewhere shows on the progress
 * page while it runs, and can be cancelled from here. */
static void
test_follows_download_started_elsewhere (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(LensTask) done = task_from_json (DONE_RECORD);
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->tmp_dir, "cat.png", NULL);
  g_autoptr(LensDownload) download = NULL;
  guint changed;

  lens_task_view_download_set_task (fixture->download, done);
  changed = fixture->changed;
  download = g_object_ref (lens_downloads_start (fixture->downloads, CAT_ID, RAW_URL, file));
  g_assert_cmpuint (fixture->changed, >, changed);
  g_assert_true (lens_task_view_download_is_running (fixture->download));
  g_assert_false (lens_task_view_download_can_start (fixture->download));
  g_assert_cmpstr (page (fixture), ==, "progress");

  lens_task_view_download_cancel (fixture->download);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_CANCELLED);
  g_assert_false (lens_task_view_download_is_running (fixture->download));
  g_assert_cmpfloat (lens_task_view_download_get_progress (fixture->download), ==, 0.0);
  g_assert_cmpstr (page (fixture), ==, "button");
  g_assert_cmpuint (fixture->toasts, ==, 0);
}

/* Freed with the view, it cancels the download still waiting for its file
 * dialog, and calls nothing of a view that is going. */
static void
test_free_cancels_preparing (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(LensTask) done = task_from_json (DONE_RECORD);
  g_autoptr(LensDownload) download = start_preparing (fixture, done);
  guint changed = fixture->changed;

  g_clear_pointer (&fixture->download, lens_task_view_download_free);
  g_assert_cmpint (lens_download_get_state (download), ==, LENS_DOWNLOAD_STATE_CANCELLED);
  g_assert_cmpuint (fixture->changed, ==, changed);
  g_assert_cmpuint (fixture->toasts, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* The English strings. */
  g_setenv ("LANGUAGE", "C", TRUE);

  lens_test_ui_init (&argc, &argv);

  g_test_add ("/task-view-download/button-follows-task", Fixture, NULL,
              fixture_set_up, test_button_follows_task, fixture_tear_down);
  g_test_add ("/task-view-download/start-and-cancel", Fixture, NULL,
              fixture_set_up, test_start_and_cancel, fixture_tear_down);
  g_test_add ("/task-view-download/follows-download-started-elsewhere", Fixture, NULL,
              fixture_set_up, test_follows_download_started_elsewhere, fixture_tear_down);
  g_test_add ("/task-view-download/free-cancels-preparing", Fixture, NULL,
              fixture_set_up, test_free_cancels_preparing, fixture_tear_down);

  return g_test_run ();
}
