/* test-save-all.c — app.save-all: every finished task's image, for scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The action returns only once the save is over (a script calling it over
 * D-Bus waits for it); a second call finds every image there and writes
 * none. What it did is put into words by lens_save_all_describe(), which a
 * failure's line shows with the task and the reason. (`tasklens --save-all`
 * is run by test-crash, killed and resumed.)
 */

#include "config.h"

#include <glib/gstdio.h>

#include "lens-save-all.h"
#include "lens-test-app.h"
#include "lens-test-fake.h"
#include "lens-test-ui.h"

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
test_action (LensTestApp   *fixture,
             gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 3);
  g_autofree char *text = g_strjoinv ("\n", ids);
  g_autofree char *folder = g_build_filename (fixture->data_dir, "Pictures", NULL);
  LensSaving *saving = lens_context_get_saving (lens_test_app_get_context (fixture));
  LensSaveJob *job;
  g_autofree char *report = NULL;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  lens_test_app_add_ids (fixture, text);
  lens_test_app_wait_until_stored (fixture);

  /* Returns once it is over. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "save-all", g_variant_new_string (folder));
  job = lens_saving_get_job (saving);
  g_assert_nonnull (job);
  g_assert_cmpint (lens_save_job_get_state (job), ==, LENS_SAVE_JOB_DONE);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, 3);
  g_assert_cmpuint (count_files (folder), ==, 3);

  /* Again: all there, none written. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "save-all", g_variant_new_string (folder));
  job = lens_saving_get_job (saving);
  g_assert_cmpuint (lens_save_job_get_n_existing (job), ==, 3);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, 0);
  g_assert_cmpuint (count_files (folder), ==, 3);
  report = lens_save_all_describe (job);
  g_assert_nonnull (strstr (report, "Saved 0 images to "));
  g_assert_nonnull (strstr (report, "3 images were there already."));
}

/* A failure is said with its task and its reason, and the save goes on. */
static void
test_failure_described (LensTestApp   *fixture,
                        gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 2);
  g_autofree char *text = g_strjoinv ("\n", ids);
  g_autofree char *folder = g_build_filename (fixture->data_dir, "Pictures", NULL);
  LensFakeFault gone = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_IMAGES,
                         .status = 410, .retry_after = -1 };
  LensSaveJob *job;
  g_autofree char *report = NULL;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  lens_test_app_add_ids (fixture, text);
  lens_test_app_wait_until_stored (fixture);
  lens_fake_api_push_fault (fixture->fake, &gone, 1);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "save-all", g_variant_new_string (folder));
  job = lens_saving_get_job (lens_context_get_saving (lens_test_app_get_context (fixture)));
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, 1);
  g_assert_cmpuint (lens_save_job_get_n_failed (job), ==, 1);
  report = lens_save_all_describe (job);
  g_test_message ("%s", report);
  g_assert_nonnull (strstr (report, "Saved 1 image to "));
  g_assert_nonnull (strstr (report, "1 image could not be saved:"));
  g_assert_nonnull (strstr (report, "(task "));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/save-all/action", LensTestApp, NULL, lens_test_app_set_up, test_action,
              lens_test_app_tear_down);
  g_test_add ("/save-all/failure-described", LensTestApp, NULL, lens_test_app_set_up,
              test_failure_described, lens_test_app_tear_down);

  return g_test_run ();
}
