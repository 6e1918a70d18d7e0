/* test-save-dialog.c — Save Images…, the save's progress in the window, its summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12: the dialog's choices (the tasks picked or every finished one,
 * skipping those saved before, grids whole or as four images, the folder)
 * become the save LensSaving runs; the bar at the bottom of the window
 * follows any save, says how far it is, stops it, and sums it up at the
 * end, with the failures' details and Retry Failed. Each test has the fake
 * server's generated grids in the app's list, and saves into a scratch
 * folder named Pictures.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "lens-fake-api.h"
#include "lens-save-dialog.h"
#include "lens-save-progress.h"
#include "lens-test-app.h"
#include "lens-test-fake.h"
#include "lens-test-ui.h"

#define N_GRIDS 3

typedef struct
{
  LensTestApp  app;
  GStrv        ids;     /* the grids, in the list's order */
  char        *dir;     /* scratch */
  char        *folder;  /* dir/Pictures */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *text = NULL;

  lens_test_app_set_up (&fixture->app, data);
  /* The memory backend keeps settings from one test to the next. */
  g_settings_reset (lens_context_get_settings (fixture->app.context), "save-folder");
  g_settings_reset (lens_context_get_settings (fixture->app.context), "save-grids");
  gtk_window_set_default_size (GTK_WINDOW (fixture->app.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->app.window));
  fixture->ids = lens_fake_api_seed_generated (fixture->app.fake, LENS_FAKE_TASK_IMAGINE, N_GRIDS);
  text = g_strjoinv ("\n", fixture->ids);
  lens_test_app_add_ids (&fixture->app, text);
  lens_test_app_wait_until_stored (&fixture->app);
  fixture->dir = lens_test_make_scratch_dir ("save-dialog");
  fixture->folder = g_build_filename (fixture->dir, "Pictures", NULL);
  g_assert_cmpint (g_mkdir (fixture->folder, 0755), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  LensSaveJob *job = lens_saving_get_job (lens_context_get_saving (fixture->app.context));

  if (job != NULL)
    lens_save_job_cancel (job);
  lens_test_app_tear_down (&fixture->app, data);
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->folder);
  g_free (fixture->dir);
  g_strfreev (fixture->ids);
}

static LensSaving *
saving (Fixture *fixture)
{
  return lens_context_get_saving (fixture->app.context);
}

static LensSaveProgress *
progress_bar (Fixture *fixture)
{
  return LENS_SAVE_PROGRESS (lens_test_find_widget (GTK_WIDGET (fixture->app.window), LENS_TYPE_SAVE_PROGRESS));
}

static const char *
bar_text (Fixture *fixture)
{
  return lens_save_progress_get_text (progress_bar (fixture));
}

static gboolean
job_is_over (LensSaveJob *job)
{
  return job != NULL && (lens_save_job_get_state (job) == LENS_SAVE_JOB_DONE
                         || lens_save_job_get_state (job) == LENS_SAVE_JOB_CANCELLED);
}

/* Saves the grids into @folder, whole, as a save started elsewhere than
 * the dialog (a resumed one) is. */
static LensSaveJob *
start_save (Fixture *fixture,
            GFile   *folder)
{
  g_autoptr(GError) error = NULL;
  LensSaveJob *job = lens_saving_start (saving (fixture), folder, (const char * const *) fixture->ids,
                                        LENS_SAVE_GRIDS_WHOLE, &error);

  g_assert_no_error (error);
  return job;
}

/* Opens the dialog with @action and returns it, shown. */
static LensSaveDialog *
open_dialog (Fixture    *fixture,
             const char *action)
{
  AdwDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (fixture->app.window), action, NULL);
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->app.window));
  g_assert_true (LENS_IS_SAVE_DIALOG (dialog));
  return LENS_SAVE_DIALOG (dialog);
}

static GtkWidget *
row (LensSaveDialog *dialog,
     GType           type,
     const char     *title)
{
  GtkWidget *found = lens_test_find_titled (GTK_WIDGET (dialog), type, title);

  g_assert_nonnull (found);
  return found;
}

static void
choose_folder (LensSaveDialog *dialog,
               const char     *path)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);

  _lens_save_dialog_set_folder (dialog, folder);
}

static void
click (GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = lens_test_find_button (root, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

/* Clicks Save and waits for the save it starts to end. */
static LensSaveJob *
save_and_wait (Fixture        *fixture,
               LensSaveDialog *dialog)
{
  LensSaveJob *before = lens_saving_get_job (saving (fixture));
  LensSaveJob *job;

  click (GTK_WIDGET (dialog), "_Save");
  job = lens_saving_get_job (saving (fixture));
  g_assert_nonnull (job);
  g_assert_true (job != before);
  LENS_TEST_SPIN_UNTIL (job_is_over (job), LENS_TEST_DEADLINE_MS);
  return job;
}

/* Save starts nothing: the last save stays @job, and the dialog stays
 * open and says @why. Closes it. */
static void
assert_refused (Fixture        *fixture,
                LensSaveDialog *dialog,
                LensSaveJob    *job,
                const char     *why)
{
  click (GTK_WIDGET (dialog), "_Save");
  g_assert_true (lens_saving_get_job (saving (fixture)) == job);
  g_assert_true (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->app.window))
                 == ADW_DIALOG (dialog));
  g_assert_nonnull (lens_test_find_label (GTK_WIDGET (dialog), why));
  adw_dialog_force_close (ADW_DIALOG (dialog));
}

static void
pick (Fixture *fixture,
      guint    position,
      gboolean toggle)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->app.window), "win.pick-task", "(ubb)", position, toggle, FALSE);
}

/* From the tasks picked: they are the first choice, the grids saved as
 * four images each, into the folder chosen; the dialog closes, and the
 * next one offers the same folder and grids. */
static void
test_selected_as_four (Fixture       *fixture,
                       gconstpointer  data)
{
  LensSaveDialog *dialog;
  AdwComboRow *which;
  LensSaveJob *job;
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  g_autoptr(GtkStringObject) first = NULL;
  g_autofree char *remembered = NULL;

  pick (fixture, 0, FALSE);
  pick (fixture, 1, TRUE);
  dialog = open_dialog (fixture, "win.save-images");
  which = ADW_COMBO_ROW (row (dialog, ADW_TYPE_COMBO_ROW, "Tasks"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (which)));
  g_assert_cmpuint (adw_combo_row_get_selected (which), ==, 0);
  first = g_list_model_get_item (adw_combo_row_get_model (which), 0);
  g_assert_cmpstr (gtk_string_object_get_string (first), ==, "The 2 Selected Tasks");

  adw_combo_row_set_selected (ADW_COMBO_ROW (row (dialog, ADW_TYPE_COMBO_ROW, "Grids")), LENS_SAVE_GRIDS_SPLIT);
  choose_folder (dialog, fixture->folder);
  lens_test_spin_for (300);
  lens_test_save_window_png (GTK_WIDGET (fixture->app.window), "save-dialog.png");
  job = save_and_wait (fixture, dialog);

  g_assert_true (g_file_equal (lens_save_job_get_folder (job), folder));
  g_assert_cmpuint (lens_save_job_get_n_tasks (job), ==, 2);
  g_assert_cmpuint (lens_save_job_get_n_images (job), ==, 2 * 4);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, 2 * 4);
  g_assert_cmpuint (lens_test_count_files (fixture->folder), ==, 2 * 4);
  g_assert_null (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->app.window)));

  remembered = g_settings_get_string (lens_context_get_settings (fixture->app.context), "save-folder");
  g_assert_cmpstr (remembered, ==, fixture->folder);
  g_clear_pointer (&remembered, g_free);
  remembered = g_settings_get_string (lens_context_get_settings (fixture->app.context), "save-grids");
  g_assert_cmpstr (remembered, ==, "split");
  dialog = open_dialog (fixture, "win.save-all-images");
  g_assert_true (g_file_equal (lens_save_dialog_get_folder (dialog), folder));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (dialog, ADW_TYPE_COMBO_ROW, "Grids"))), ==,
                    LENS_SAVE_GRIDS_SPLIT);
  adw_dialog_force_close (ADW_DIALOG (dialog));
}

/* Save All Images… offers no choice of tasks and saves every finished
 * one, grids whole by default. Skipping the tasks saved before then
 * leaves nothing, which the dialog says instead of starting a save; with
 * a selection, only the picked tasks not saved before are saved. */
static void
test_all_and_skip_saved (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *other = g_build_filename (fixture->dir, "Other", NULL);
  LensSaveDialog *dialog;
  LensSaveJob *job;

  pick (fixture, 0, FALSE);
  dialog = open_dialog (fixture, "win.save-images");
  choose_folder (dialog, fixture->folder);
  job = save_and_wait (fixture, dialog);
  g_assert_cmpuint (lens_save_job_get_n_tasks (job), ==, 1);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, 1);

  /* Both choices from a selection: the picked tasks, not saved before. */
  g_assert_cmpint (g_mkdir (other, 0755), ==, 0);
  pick (fixture, 1, TRUE);
  dialog = open_dialog (fixture, "win.save-images");
  adw_switch_row_set_active (ADW_SWITCH_ROW (row (dialog, ADW_TYPE_SWITCH_ROW, "Skip Tasks Saved Before")), TRUE);
  choose_folder (dialog, other);
  job = save_and_wait (fixture, dialog);
  g_assert_cmpuint (lens_save_job_get_n_tasks (job), ==, 1);
  g_assert_cmpuint (lens_test_count_files (other), ==, 1);

  dialog = open_dialog (fixture, "win.save-all-images");
  g_assert_false (gtk_widget_get_visible (row (dialog, ADW_TYPE_COMBO_ROW, "Tasks")));
  g_assert_cmpstr (adw_dialog_get_title (ADW_DIALOG (dialog)), ==, "Save All Images");
  choose_folder (dialog, other);
  job = save_and_wait (fixture, dialog);
  g_assert_cmpuint (lens_save_job_get_n_tasks (job), ==, N_GRIDS);
  g_assert_cmpuint (lens_save_job_get_n_images (job), ==, N_GRIDS);
  g_assert_cmpuint (lens_save_job_get_n_existing (job), ==, 1);
  g_assert_cmpuint (lens_test_count_files (other), ==, N_GRIDS);

  dialog = open_dialog (fixture, "win.save-all-images");
  adw_switch_row_set_active (ADW_SWITCH_ROW (row (dialog, ADW_TYPE_SWITCH_ROW, "Skip Tasks Saved Before")), TRUE);
  assert_refused (fixture, dialog, job, "There are no images left to save: every task chosen was saved "
                  "before, or has not finished");
}

/* While another save runs, Save says why it cannot start, and the dialog
 * stays. */
static void
test_busy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  LensSaveDialog *dialog;
  LensSaveJob *job;

  lens_test_push_image_fault (fixture->app.fake, LENS_FAKE_FAULT_DELAY, 2000, 10);
  job = start_save (fixture, folder);

  dialog = open_dialog (fixture, "win.save-all-images");
  assert_refused (fixture, dialog, job, "Images are being saved already; wait for that to end, or stop it");
}

/* A save started anywhere shows in the bar: "Preparing", then how many
 * of how many, the bytes, and a fraction of the images done; at the end
 * the summary, with Show in Files. Closing the bar hides it until the
 * next save. */
static void
test_progress_and_summary (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  LensSaveProgress *bar = progress_bar (fixture);
  LensSaveJob *job;

  g_assert_false (lens_save_progress_get_revealed (bar));
  /* The first image comes at once, the others a while later. */
  lens_test_push_image_fault (fixture->app.fake, LENS_FAKE_FAULT_DELAY, 1, 1);
  lens_test_push_image_fault (fixture->app.fake, LENS_FAKE_FAULT_DELAY, 1500, N_GRIDS - 1);
  job = start_save (fixture, folder);
  g_assert_true (lens_save_progress_get_revealed (bar));
  g_assert_cmpstr (bar_text (fixture), ==, "Preparing to save…");

  LENS_TEST_SPIN_UNTIL (g_str_has_prefix (bar_text (fixture), "Saving images to Pictures — 1 of 3 · "),
                        LENS_TEST_DEADLINE_MS);
  g_assert_cmpfloat_with_epsilon (lens_save_progress_get_fraction (bar), 1.0 / 3, 0.001);
  lens_test_save_window_png (GTK_WIDGET (fixture->app.window), "save-progress.png");
  g_assert_nonnull (lens_test_find_titled (GTK_WIDGET (bar), GTK_TYPE_BUTTON, "Stop Saving"));
  g_assert_true (gtk_widget_get_mapped (lens_test_find_titled (GTK_WIDGET (bar), GTK_TYPE_BUTTON, "Stop Saving")));

  LENS_TEST_SPIN_UNTIL (job_is_over (job), LENS_TEST_DEADLINE_MS);
  lens_test_settle ();
  g_assert_cmpstr (bar_text (fixture), ==, "Saved 3 images to Pictures");
  g_assert_cmpfloat (lens_save_progress_get_fraction (bar), ==, 1.0);
  g_assert_true (gtk_widget_get_visible (lens_test_find_button (GTK_WIDGET (bar), "Show in _Files")));
  g_assert_false (gtk_widget_get_visible (lens_test_find_button (GTK_WIDGET (bar), "_Retry Failed")));
  g_assert_false (gtk_widget_get_visible (lens_test_find_button (GTK_WIDGET (bar), "_Details")));

  g_signal_emit_by_name (lens_test_find_titled (GTK_WIDGET (bar), GTK_TYPE_BUTTON, "Close"), "clicked");
  g_assert_false (lens_save_progress_get_revealed (bar));

  /* Saving again: everything is already there. */
  job = start_save (fixture, folder);
  g_assert_true (lens_save_progress_get_revealed (bar));
  LENS_TEST_SPIN_UNTIL (job_is_over (job), LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (bar_text (fixture), ==, "Nothing new saved to Pictures · 3 were already there");
}

/* Records when the bar's text changed. */
static void
label_changed_cb (GtkLabel   *label,
                  GParamSpec *pspec,
                  GArray     *times)
{
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (times, now);
}

/* The bar reads a job, which notifies several times for every image, at
 * most ten times a second (besides the changes of state, said at once):
 * here, forty images that come as fast as the fake server sends them. */
static void
test_progress_throttled (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) more = lens_fake_api_seed_generated (fixture->app.fake, LENS_FAKE_TASK_IMAGINE, 40);
  g_autofree char *text = g_strjoinv ("\n", more);
  LensSaveProgress *bar = progress_bar (fixture);
  GtkLabel *label = GTK_LABEL (lens_test_find_widget (GTK_WIDGET (bar), GTK_TYPE_LABEL));
  LensSaveJob *job;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_job_changes = 0;
  guint n_close = 0;

  lens_test_app_add_ids (&fixture->app, text);
  lens_test_app_wait_until_stored (&fixture->app);
  g_signal_connect (label, "notify::label", G_CALLBACK (label_changed_cb), times);
  job = lens_saving_start (saving (fixture), folder, (const char * const *) more, LENS_SAVE_GRIDS_WHOLE, &error);
  g_assert_no_error (error);
  g_signal_connect (job, "notify", G_CALLBACK (lens_test_count_cb), &n_job_changes);
  LENS_TEST_SPIN_UNTIL (job_is_over (job), LENS_TEST_DEADLINE_MS);
  g_signal_handlers_disconnect_by_data (label, times);
  g_signal_handlers_disconnect_by_data (job, &n_job_changes);

  for (guint i = 1; i < times->len; i++)
    if (g_array_index (times, gint64, i) - g_array_index (times, gint64, i - 1) < 50 * G_TIME_SPAN_MILLISECOND)
      n_close++;
  g_test_message ("the job notified %u times; the bar changed %u times, %u of them within 50 ms of the last",
                  n_job_changes, times->len, n_close);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, 40);
  g_assert_cmpuint (n_job_changes, >, 40);
  /* Preparing, running and done are said at once; the rest 100 ms apart. */
  g_assert_cmpuint (n_close, <=, 3);
}

/* The bytes of the images still arriving count, though the job does not
 * notify them: the bar reads it every second while it runs. */
static void
test_progress_heartbeat (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);

  /* Answers that never end, a byte at a time. */
  lens_test_push_image_fault (fixture->app.fake, LENS_FAKE_FAULT_TRICKLE, 5, N_GRIDS);
  start_save (fixture, folder);
  LENS_TEST_SPIN_UNTIL (g_str_has_prefix (bar_text (fixture), "Saving images to Pictures — 0 of 3 · "),
                        LENS_TEST_DEADLINE_MS);
  LENS_TEST_SPIN_UNTIL (!g_str_has_suffix (bar_text (fixture), " · 0 bytes"), LENS_TEST_DEADLINE_MS);
  g_assert_true (g_str_has_suffix (bar_text (fixture), " bytes"));
}

/* An image the server no longer has fails with its reason; the summary
 * counts it, Details lists it, and Retry Failed saves it once the server
 * has it again. */
static void
test_failure_and_retry (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  LensSaveProgress *bar = progress_bar (fixture);
  LensSaveJob *job;
  AdwDialog *details;

  lens_test_push_image_status (fixture->app.fake, 410, 1);
  job = start_save (fixture, folder);
  LENS_TEST_SPIN_UNTIL (job_is_over (job), LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (bar_text (fixture), ==, "Saved 2 images to Pictures · 1 failed");
  lens_test_spin_for (300);
  lens_test_save_window_png (GTK_WIDGET (fixture->app.window), "save-summary-failed.png");
  g_assert_true (gtk_widget_get_visible (lens_test_find_button (GTK_WIDGET (bar), "_Details")));

  click (GTK_WIDGET (bar), "_Details");
  details = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->app.window));
  g_assert_nonnull (details);
  lens_test_spin_for (300);
  lens_test_save_window_png (GTK_WIDGET (fixture->app.window), "save-failures.png");
  {
    LensSaveFailure *failure = g_ptr_array_index (lens_save_job_get_failures (job), 0);

    g_assert_nonnull (lens_test_find_titled (GTK_WIDGET (details), ADW_TYPE_ACTION_ROW, failure->title));
    g_assert_nonnull (lens_test_find_label (GTK_WIDGET (details), failure->message));
  }
  adw_dialog_force_close (details);

  click (GTK_WIDGET (bar), "_Retry Failed");
  g_assert_cmpint (lens_save_job_get_state (job), ==, LENS_SAVE_JOB_RUNNING);
  LENS_TEST_SPIN_UNTIL (job_is_over (job), LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (bar_text (fixture), ==, "Saved 3 images to Pictures");
  g_assert_cmpuint (lens_test_count_files (fixture->folder), ==, N_GRIDS);
}

/* Stop ends the save at once; the bar says how much it had saved, and no
 * partial file stays. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->folder);
  LensSaveProgress *bar = progress_bar (fixture);
  LensSaveJob *job;

  lens_test_push_image_fault (fixture->app.fake, LENS_FAKE_FAULT_DELAY, 1, 1);
  lens_test_push_image_fault (fixture->app.fake, LENS_FAKE_FAULT_DELAY, 3000, N_GRIDS - 1);
  job = start_save (fixture, folder);
  LENS_TEST_SPIN_UNTIL (lens_save_job_get_n_saved (job) == 1, LENS_TEST_DEADLINE_MS);

  g_signal_emit_by_name (lens_test_find_titled (GTK_WIDGET (bar), GTK_TYPE_BUTTON, "Stop Saving"), "clicked");
  g_assert_cmpint (lens_save_job_get_state (job), ==, LENS_SAVE_JOB_CANCELLED);
  g_assert_cmpstr (bar_text (fixture), ==, "Saving stopped — 1 image saved");
  g_assert_false (gtk_widget_get_visible (lens_test_find_button (GTK_WIDGET (bar), "_Retry Failed")));
  lens_test_spin_for (200);
  g_assert_cmpuint (lens_test_count_files (fixture->folder), ==, 1);
}

/* A folder that cannot be read is said in words, with the reason. */
static void
test_folder_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "Gone", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (missing);
  LensSaveProgress *bar = progress_bar (fixture);
  LensSaveJob *job;

  job = start_save (fixture, folder);
  LENS_TEST_SPIN_UNTIL (job_is_over (job), LENS_TEST_DEADLINE_MS);
  g_assert_nonnull (lens_save_job_get_error (job));
  g_assert_true (g_str_has_prefix (bar_text (fixture), "Could not save images to Gone: "));
  g_assert_nonnull (strstr (bar_text (fixture), lens_save_job_get_error (job)->message));
  g_assert_false (gtk_widget_get_visible (lens_test_find_button (GTK_WIDGET (bar), "Show in _Files")));
}

int
main (int   argc,
      char *argv[])
{
  lens_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/save-dialog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("selected-as-four", test_selected_as_four);
  ADD ("all-and-skip-saved", test_all_and_skip_saved);
  ADD ("busy", test_busy);
  ADD ("progress-and-summary", test_progress_and_summary);
  ADD ("progress-throttled", test_progress_throttled);
  ADD ("progress-heartbeat", test_progress_heartbeat);
  ADD ("failure-and-retry", test_failure_and_retry);
  ADD ("cancel", test_cancel);
  ADD ("folder-missing", test_folder_missing);
#undef ADD

  return g_test_run ();
}
