/* lens-test-app.c — the whole app against the fake server, for UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture builds the app's LensContext from a config, as the
 * application would from the environment, and hands it to the application:
 * nothing goes through environment variables. (test-window's command-line
 * test covers the environment, on the real binary.)
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include "lens-test.h"
#include "lens-test-fake.h"
#include "lens-test-app.h"
#include "lens-test-ui.h"

/* Applications stay registered on the session bus until g_application_run()
 * ends, which these tests do not use; finalizing one still on the bus is an
 * error. So stopped applications are kept until the program ends. */
static GPtrArray *stopped_apps;

/**
 * lens_test_app_start_loading:
 *
 * Starts the application as `tasklens` would, under a name of its own (an
 * application is only unexported from the bus when it is finalized), and
 * opens its window; the history has begun to load.
 */
void
lens_test_app_start_loading (LensTestApp *fixture)
{
  static guint n_apps = 0;
  g_autofree char *app_id = g_strdup_printf ("io.github.tasklens.Tasklens.Test%u", ++n_apps);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.tasklens.Tasklens");
  g_autoptr(GError) error = NULL;
  LensContextConfig config = {
    .data_dir = fixture->data_dir,
    .cache_dir = fixture->data_dir,
    .settings = settings,
    .api_url = lens_fake_api_get_url (fixture->fake),
    .token = fixture->token,
    .request_timeout_s = fixture->request_timeout_s,
  };

  g_assert_null (fixture->app);
  fixture->context = lens_context_new (&config);
  fixture->app = lens_application_new_for_context (app_id, G_APPLICATION_NON_UNIQUE, fixture->context);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));
  fixture->window = LENS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
}

/**
 * lens_test_app_start:
 *
 * lens_test_app_start_loading(), then waits until the history is loaded
 * and everything it set going has run.
 */
void
lens_test_app_start (LensTestApp *fixture)
{
  lens_test_app_start_loading (fixture);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (fixture->context), LENS_TEST_DEADLINE_MS);
  lens_test_spin_pending ();
}

/**
 * lens_test_app_stop:
 *
 * Ends the application as g_application_run() would (shutdown saves), and
 * checks that its window and its context go with it.
 */
void
lens_test_app_stop (LensTestApp *fixture)
{
  gpointer window = fixture->window;

  g_assert_nonnull (fixture->app);

  g_object_add_weak_pointer (G_OBJECT (window), &window);
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_signal_emit_by_name (fixture->app, "shutdown");
  lens_test_spin_pending ();

  if (stopped_apps == NULL)
    stopped_apps = g_ptr_array_new ();
  g_ptr_array_add (stopped_apps, g_steal_pointer (&fixture->app));
  fixture->window = NULL;

  LENS_TEST_SPIN_UNTIL (window == NULL, LENS_TEST_DEADLINE_MS);
  lens_test_finalize_eventually (&fixture->context);
}

void
lens_test_app_set_up (LensTestApp   *fixture,
                      gconstpointer  data)
{
  fixture->fake = lens_test_start_fake_api (LENS_TEST_APP_TOKEN);
  lens_fake_api_seed_examples (fixture->fake);
  /* The app notifies when something ends while its window is not the one
   * in use, which another test's window sharing the display may be. */
  fixture->notifications = lens_test_notifications_serve ();

  fixture->data_dir = lens_test_make_scratch_dir ("app");
  fixture->token = LENS_TEST_APP_TOKEN;

  lens_test_app_start (fixture);
}

void
lens_test_app_tear_down (LensTestApp   *fixture,
                         gconstpointer  data)
{
  if (fixture->app != NULL)
    lens_test_app_stop (fixture);
  g_clear_object (&fixture->fake);
  g_clear_pointer (&fixture->notifications, lens_test_notifications_free);
  lens_test_remove_tree (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

LensContext *
lens_test_app_get_context (LensTestApp *fixture)
{
  return fixture->context;
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

static void
history_synced_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lens_history_sync_finish (LENS_HISTORY (source_object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/**
 * lens_test_app_wait_until_stored:
 *
 * Waits until the history has written everything it had, records
 * included: what the store answers (a search) is then up to date.
 */
void
lens_test_app_wait_until_stored (LensTestApp *fixture)
{
  gboolean synced = FALSE;

  lens_history_sync_async (lens_context_get_history (lens_test_app_get_context (fixture)), NULL,
                           history_synced_cb, &synced);
  lens_test_spin_until (&synced, LENS_TEST_DEADLINE_MS);
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

/* Whether the saved sign of the widget @shown finds for @id is visible,
 * and says so to a screen reader. Looked up each time: the list and the
 * gallery may have rebuilt their rows meanwhile. */
static gboolean
shows_saved_badge (LensTestApp      *fixture,
                   LensTestShownFunc shown,
                   const char       *id)
{
  GtkWidget *described = shown (fixture, id);
  GtkWidget *badge;
  gboolean visible;

  g_assert_nonnull (described);
  badge = lens_test_find_styled (described, "saved-badge");
  g_assert_nonnull (badge);
  visible = gtk_widget_get_visible (badge);
  if (visible)
    {
      char *failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (described),
                                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Saved");

      g_assert_null (failure);
      g_assert_cmpstr (gtk_widget_get_tooltip_text (badge), ==, "Saved");
      g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (badge)), ==, "folder-download-symbolic");
    }
  else
    g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (described),
                                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  return visible;
}

/**
 * lens_test_app_check_saved_badge:
 * @shown: finds the row or gallery cell that shows @id, not saved yet
 *
 * Checks the saved sign of the row or cell as the history records a save
 * of @id and then forgets it: hidden at first, shown with "Saved" as its
 * tooltip and the accessible description at once, and gone again with the
 * record.
 */
void
lens_test_app_check_saved_badge (LensTestApp      *fixture,
                                 LensTestShownFunc shown,
                                 const char       *id)
{
  LensHistory *history = lens_context_get_history (lens_test_app_get_context (fixture));

  g_assert_false (shows_saved_badge (fixture, shown, id));

  lens_history_set_saved_path (history, id, "/nowhere/2024-07-07 A cat (7489df4c).png");
  lens_test_settle ();
  g_assert_true (shows_saved_badge (fixture, shown, id));

  lens_history_set_saved_path (history, id, NULL);
  lens_test_settle ();
  g_assert_false (shows_saved_badge (fixture, shown, id));
}
