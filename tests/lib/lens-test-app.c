/* lens-test-app.c — the whole app against the fake server, for UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application is configured the way a user's script would configure
 * it — TASKLENS_API_URL, ACEDATA_API_TOKEN and TASKLENS_DATA_DIR — since
 * turning the environment into a LensContextConfig is exactly what these
 * tests are there to cover along with the window. Tests of the core build
 * their LensContext from a config directly.
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include "lens-test.h"
#include "lens-test-app.h"

/* Applications stay registered on the session bus until g_application_run()
 * ends, which these tests do not use; finalizing one still on the bus is an
 * error. So stopped applications are kept until the program ends. */
static GPtrArray *stopped_apps;

/**
 * lens_test_app_start:
 *
 * Starts the application as `tasklens` would, under a name of its own (an
 * application is only unexported from the bus when it is finalized), opens
 * its window and waits until the history is loaded.
 */
void
lens_test_app_start (LensTestApp *fixture)
{
  static guint n_apps = 0;
  g_autofree char *app_id = g_strdup_printf ("io.github.tasklens.Tasklens.Test%u", ++n_apps);
  g_autoptr(GError) error = NULL;

  g_assert_null (fixture->app);
  fixture->app = lens_application_new (app_id, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));
  fixture->window = LENS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (lens_test_app_get_context (fixture)),
                        LENS_TEST_DEADLINE_MS);
  lens_test_spin_pending ();
}

/**
 * lens_test_app_stop:
 *
 * Ends the application as g_application_run() would: shutdown saves.
 */
void
lens_test_app_stop (LensTestApp *fixture)
{
  g_assert_nonnull (fixture->app);

  gtk_window_close (GTK_WINDOW (fixture->window));
  g_signal_emit_by_name (fixture->app, "shutdown");
  lens_test_spin_pending ();

  if (stopped_apps == NULL)
    stopped_apps = g_ptr_array_new ();
  g_ptr_array_add (stopped_apps, g_steal_pointer (&fixture->app));
  fixture->window = NULL;
}

void
lens_test_app_set_up (LensTestApp   *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->fake = lens_fake_api_new (LENS_TEST_APP_TOKEN);
  lens_fake_api_start (fixture->fake, 0, &error);
  g_assert_no_error (error);
  lens_fake_api_seed_examples (fixture->fake);

  fixture->data_dir = lens_test_make_scratch_dir ("app");
  g_setenv ("XDG_CACHE_HOME", fixture->data_dir, TRUE);
  g_setenv ("TASKLENS_DATA_DIR", fixture->data_dir, TRUE);
  g_setenv ("TASKLENS_API_URL", lens_fake_api_get_url (fixture->fake), TRUE);
  g_setenv ("ACEDATA_API_TOKEN", LENS_TEST_APP_TOKEN, TRUE);

  lens_test_app_start (fixture);
}

void
lens_test_app_tear_down (LensTestApp   *fixture,
                         gconstpointer  data)
{
  if (fixture->app != NULL)
    lens_test_app_stop (fixture);
  g_clear_object (&fixture->fake);
  lens_test_remove_tree (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

LensContext *
lens_test_app_get_context (LensTestApp *fixture)
{
  return lens_application_get_context (fixture->app);
}

LensTaskList *
lens_test_app_get_tasks (LensTestApp *fixture)
{
  return lens_context_get_task_list (lens_test_app_get_context (fixture));
}

/**
 * lens_test_app_wait_until_looked_up:
 *
 * Waits until no task is queued and the refresher has nothing under way.
 */
void
lens_test_app_wait_until_looked_up (LensTestApp *fixture)
{
  LensRefresher *refresher = lens_context_get_refresher (lens_test_app_get_context (fixture));
  LensTaskList *tasks = lens_test_app_get_tasks (fixture);
  LensTestWait wait;

  _lens_test_wait_start (&wait, LENS_TEST_DEADLINE_MS);
  for (;;)
    {
      g_auto(GStrv) queued = lens_task_list_dup_ids_in_state (tasks, LENS_TASK_STATE_QUEUED);

      if (queued[0] == NULL && !lens_refresher_get_busy (refresher))
        break;
      _lens_test_wait_step (&wait, __FILE__, __LINE__, G_STRFUNC, "every task looked up");
    }
  _lens_test_wait_stop (&wait);
}

/**
 * lens_test_app_add_ids:
 *
 * Adds the ids in @text through app.add-ids, as a script would over D-Bus,
 * and waits until they are looked up.
 */
void
lens_test_app_add_ids (LensTestApp *fixture,
                       const char  *text)
{
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "add-ids", g_variant_new_string (text));
  lens_test_app_wait_until_looked_up (fixture);
}
