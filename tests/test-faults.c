/* test-faults.c — every fault the fake server can make, seen from the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case adds tasks while the server misbehaves one way, and checks what
 * the user is shown (the pause banner, with the button that mends the
 * cause, or a toast) in words they can act on, with neither the server's
 * raw body nor the token in it; that no task went missing from the list and
 * none was marked not found or failed because of a fault that may pass,
 * while an answer that asking again would not change (a 400, an answer that
 * is not the API's JSON or is too large) fails the tasks with the reason and
 * is not asked again by itself; and that once the server behaves again (and
 * the user did what the message asked), every task is looked up.
 */

#include "config.h"

#include "lens-fake-api.h"
#include "lens-pause-banner.h"
#include "lens-task-view.h"
#include "lens-test-app.h"
#include "lens-test-ui.h"

#define CAT_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define GIRL_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define UNKNOWN_ID "00000000-1111-4222-8333-444444444444"

typedef LensTestApp Fixture;

typedef enum
{
  FAULT_QUEUED,   /* the server's fault, queued */
  FAULT_STOPPED,  /* no server: the connection is refused */
  FAULT_NONE,     /* a normal answer that lacks some ids */
} FaultHow;

typedef struct
{
  const char    *name;
  FaultHow       how;
  LensFakeFault  fault;
  guint          timeout_s;     /* the app's request timeout; 0 for its own */
  const char    *banner_title;  /* nullable: no banner expected; else how it starts */
  const char    *banner_button; /* nullable: a banner without a button */
  const char    *toast_prefix;  /* nullable: no toast expected */
  gboolean       permanent;     /* the tasks fail with the toast's reason */
} FaultCase;

#define REJECTED "AceData refused the API token. Check it in Preferences, or make a new one in " \
                 "the AceData console."
/* Followed by the fake server's port. */
#define UNREACHABLE "Can’t reach the AceData API at 127.0.0.1:"

#define STATUS(s, c, r) { .kind = LENS_FAKE_FAULT_STATUS, .status = (s), .code = (c), .retry_after = (r) }

static const FaultCase cases[] = {
  { "400", FAULT_QUEUED, STATUS (400, NULL, -1), 0, NULL, NULL,
    "The AceData API refused the request", TRUE },
  { "400-token-mismatched", FAULT_QUEUED, STATUS (400, "token_mismatched", -1), 0,
    REJECTED, "_Preferences", NULL },
  { "401", FAULT_QUEUED, STATUS (401, NULL, -1), 0,
    REJECTED, "_Preferences", NULL },
  { "402", FAULT_QUEUED, STATUS (402, NULL, -1), 0,
    "The AceData API asks for payment before it answers", "_Try Again", NULL },
  { "403-used-up", FAULT_QUEUED, STATUS (403, NULL, -1), 0,
    "Balance used up: top up your AceData account, then try again", "_Try Again", NULL },
  { "403-disabled", FAULT_QUEUED, STATUS (403, "disabled", -1), 0,
    "The AceData account may not use this API", "_Preferences", NULL },
  { "404", FAULT_QUEUED, STATUS (404, NULL, -1), 0,
    "There is no AceData API at the address in Preferences", "_Preferences", NULL },
  { "429", FAULT_QUEUED, STATUS (429, NULL, -1), 0,
    "AceData is limiting requests; 3 tasks left, less than a minute", NULL, NULL },
  { "429-retry-after", FAULT_QUEUED, STATUS (429, "rate_limited", 1), 0,
    "AceData is limiting requests; 3 tasks left, less than a minute", NULL, NULL },
  { "500", FAULT_QUEUED, STATUS (500, NULL, -1), 0, NULL, NULL,
    "The AceData API had a problem" },
  { "502", FAULT_QUEUED, STATUS (502, NULL, -1), 0, NULL, NULL,
    "The AceData API did not answer in time" },
  { "503", FAULT_QUEUED, STATUS (503, NULL, -1), 0, NULL, NULL,
    "The AceData API did not answer in time" },
  { "504", FAULT_QUEUED, STATUS (504, NULL, -1), 0, NULL, NULL,
    "The AceData API did not answer in time" },
  { "reset", FAULT_QUEUED, { .kind = LENS_FAKE_FAULT_RESET }, 0,
    UNREACHABLE, "_Try Again", NULL },
  { "cut-off-body", FAULT_QUEUED, { .kind = LENS_FAKE_FAULT_TRUNCATED_BODY }, 0,
    UNREACHABLE, "_Try Again", NULL },
  { "invalid-json", FAULT_QUEUED, { .kind = LENS_FAKE_FAULT_INVALID_JSON }, 0, NULL, NULL,
    "The AceData API sent an answer that is not valid JSON", TRUE },
  { "wrong-shape", FAULT_QUEUED, { .kind = LENS_FAKE_FAULT_WRONG_SHAPE }, 0, NULL, NULL,
    "The AceData API sent an answer of an unexpected form", TRUE },
  { "wrong-content-type", FAULT_QUEUED, { .kind = LENS_FAKE_FAULT_WRONG_CONTENT_TYPE }, 0, NULL, NULL,
    "The server answered with “text/html” instead of JSON; check the API URL", TRUE },
  { "oversized", FAULT_QUEUED, { .kind = LENS_FAKE_FAULT_OVERSIZED, .size = 256 * 1024 }, 0, NULL, NULL,
    "The AceData API sent an answer larger than ", TRUE },
  { "timeout", FAULT_QUEUED, { .kind = LENS_FAKE_FAULT_DELAY, .delay_ms = 3000 }, 1, NULL, NULL,
    "The AceData API did not answer in time" },
  { "refused", FAULT_STOPPED, { 0 }, 0,
    UNREACHABLE, "_Try Again", NULL },
  { "missing-from-batch", FAULT_NONE, { 0 }, 0, NULL, NULL, NULL },
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const FaultCase *fault_case = data;

  fixture->request_timeout_s = fault_case->timeout_s;
  lens_test_app_set_up (fixture, data);
}

/* Returns (transfer none) (nullable) the first label whose text starts with @prefix. */
static GtkLabel *
find_label_starting (GtkWidget  *root,
                     const char *prefix)
{
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix))
    return GTK_LABEL (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_starting (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Nothing the window shows holds the token or a piece of a raw JSON body. */
static void
assert_no_secret_shown (GtkWidget *root)
{
  if (lens_test_text_of (root) != NULL)
    {
      const char *text = lens_test_text_of (root);

      g_assert_null (strstr (text, LENS_TEST_APP_TOKEN));
      g_assert_null (strstr (text, "{\""));
      g_assert_null (strstr (text, "<html"));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_no_secret_shown (child);
}

/* Closes every toast on show, as the user would with its close button. */
static void
dismiss_toasts (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), "window-close-symbolic") == 0
      && gtk_widget_get_ancestor (root, g_type_from_name ("AdwToastWidget")) != NULL)
    {
      g_signal_emit_by_name (root, "clicked");
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dismiss_toasts (child);
}

/* Whether a toast starting with @prefix is shown. Toasts wait in line, so
 * any other (what adding said) is closed to let the next one through. */
static gboolean
toast_shown (GtkWidget  *window,
             const char *prefix)
{
  if (find_label_starting (window, prefix) != NULL)
    return TRUE;
  dismiss_toasts (window);
  return FALSE;
}

static void
assert_state (Fixture       *fixture,
              const char    *id,
              LensTaskState  state)
{
  LensTask *task = lens_task_list_lookup (lens_test_app_get_tasks (fixture), id);

  g_assert_nonnull (task);
  g_assert_cmpint (lens_task_get_state (task), ==, state);
}

static guint
count_failed (Fixture *fixture)
{
  g_auto(GStrv) ids = lens_task_list_dup_ids_in_state (lens_test_app_get_tasks (fixture),
                                                       LENS_TASK_STATE_FAILED);

  return g_strv_length (ids);
}

/* Failed by Tasklens, with the reason the user was told. */
static void
assert_failed_with (Fixture    *fixture,
                    const char *id,
                    const char *reason_prefix)
{
  LensTask *task = lens_task_list_lookup (lens_test_app_get_tasks (fixture), id);

  g_assert_nonnull (task);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_FAILED);
  g_assert_nonnull (lens_task_get_local_error (task));
  g_assert_true (g_str_has_prefix (lens_task_get_error_message (task), reason_prefix));
}

/* While asking is paused for something only the user or time can mend,
 * the tasks waiting for the server say that they are not checked, rather
 * than spin as if an answer were coming. */
static void
assert_rows_not_checked (GtkWidget *window)
{
  GtkWidget *list_view = lens_test_find_widget (window, GTK_TYPE_GRID_VIEW);

  GtkWidget *task_view = lens_test_find_widget (window, LENS_TYPE_TASK_VIEW);
  AdwNavigationPage *page;

  LENS_TEST_SPIN_UNTIL (lens_test_find_label (list_view, "Not checked yet") != NULL,
                        LENS_TEST_DEADLINE_MS);
  g_assert_null (lens_test_find_widget (list_view, ADW_TYPE_SPINNER));
  g_assert_null (lens_test_find_label (list_view, "Waiting…"));
  /* The page of the task shown says the same, not that its image comes. */
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (task_view, "Not Checked Yet") != NULL,
                        LENS_TEST_DEADLINE_MS);
  g_assert_null (lens_test_find_label (task_view, "No Image Yet"));
  /* And its title, as the row's. */
  page = ADW_NAVIGATION_PAGE (gtk_widget_get_ancestor (task_view, ADW_TYPE_NAVIGATION_PAGE));
  g_assert_cmpstr (adw_navigation_page_get_title (page), ==, "Not checked yet");
}

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  const FaultCase *fault_case = data;
  LensContext *context = lens_test_app_get_context (fixture);
  LensRefresher *refresher = lens_context_get_refresher (context);
  LensClient *client = lens_context_get_client (context);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  LensPauseBanner *banner = LENS_PAUSE_BANNER (lens_test_find_widget (window, LENS_TYPE_PAUSE_BANNER));
  g_autofree char *url = g_strdup (lens_fake_api_get_url (fixture->fake));
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;

  /* Two retries, a few milliseconds apart: the fault still reaches the
   * user in seconds rather than minutes. (A 429 waits for the scheduler:
   * a second or two.) */
  lens_client_set_retry_policy (client, 2, 10);
  lens_client_set_max_body_size (client, 64 * 1000);
  lens_refresher_set_min_request_interval (refresher, 10);

  if (fault_case->how == FAULT_QUEUED)
    lens_fake_api_push_fault (fixture->fake, &fault_case->fault, G_MAXUINT);
  else if (fault_case->how == FAULT_STOPPED)
    g_clear_object (&fixture->fake);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "add-ids",
                                  g_variant_new_string (CAT_ID "\n" GIRL_ID "\n" UNKNOWN_ID));

  if (fault_case->banner_title != NULL)
    {
      LENS_TEST_SPIN_UNTIL (lens_pause_banner_get_revealed (banner), LENS_TEST_DEADLINE_MS);
      g_assert_true (g_str_has_prefix (lens_pause_banner_get_title (banner), fault_case->banner_title));
      g_assert_cmpstr (lens_pause_banner_get_button_label (banner), ==, fault_case->banner_button);
      if (lens_refresher_get_pause (refresher) != LENS_REFRESHER_PAUSE_NONE)
        assert_rows_not_checked (window);
    }
  if (fault_case->toast_prefix != NULL)
    {
      LENS_TEST_SPIN_UNTIL (toast_shown (window, fault_case->toast_prefix), LENS_TEST_DEADLINE_MS);
      g_assert_false (lens_pause_banner_get_revealed (banner));
    }
  if (fault_case->how == FAULT_NONE)
    lens_test_app_wait_until_looked_up (fixture);
  lens_test_spin_pending ();
  assert_no_secret_shown (window);

  /* Nothing lost, nothing marked for what was the server's fault, unless
   * asking again would not change it: then the tasks fail with the reason,
   * and nothing is asked again until the user refreshes. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lens_test_app_get_tasks (fixture))), ==, 3);
  if (fault_case->permanent)
    {
      guint n_requests;

      LENS_TEST_SPIN_UNTIL (count_failed (fixture) == 3, LENS_TEST_DEADLINE_MS);
      assert_failed_with (fixture, CAT_ID, fault_case->toast_prefix);
      assert_failed_with (fixture, GIRL_ID, fault_case->toast_prefix);
      assert_failed_with (fixture, UNKNOWN_ID, fault_case->toast_prefix);
      n_requests = lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks");
      lens_test_spin_for (1000);
      g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==,
                        n_requests);
      g_assert_cmpuint (count_failed (fixture), ==, 3);
    }
  else if (fault_case->how != FAULT_NONE)
    {
      assert_state (fixture, CAT_ID, LENS_TASK_STATE_QUEUED);
      assert_state (fixture, GIRL_ID, LENS_TASK_STATE_QUEUED);
      assert_state (fixture, UNKNOWN_ID, LENS_TASK_STATE_QUEUED);
    }

  /* The server mends; the user does what the message asked (the banner's
   * button, or Refresh All after a toast); every task is looked up. */
  if (fault_case->how == FAULT_QUEUED)
    lens_fake_api_clear_faults (fixture->fake);
  else if (fault_case->how == FAULT_STOPPED)
    {
      fixture->fake = lens_fake_api_new (LENS_TEST_APP_TOKEN);
      lens_fake_api_seed_examples (fixture->fake);
      lens_fake_api_start (fixture->fake, g_uri_get_port (uri), &error);
      g_assert_no_error (error);
    }

  if (lens_refresher_get_pause (refresher) != LENS_REFRESHER_PAUSE_NONE)
    {
      if (g_strcmp0 (fault_case->banner_button, "_Try Again") == 0)
        g_signal_emit_by_name (lens_test_find_button (GTK_WIDGET (banner), "_Try Again"), "clicked");
      else
        lens_refresher_resume (refresher);  /* as a new token or address would */
    }
  gtk_widget_activate_action (window, "win.refresh-all", NULL);
  LENS_TEST_SPIN_UNTIL (lens_task_get_state (lens_task_list_lookup (lens_test_app_get_tasks (fixture), GIRL_ID))
                        == LENS_TASK_STATE_DONE, LENS_TEST_DEADLINE_MS);
  lens_test_app_wait_until_looked_up (fixture);

  assert_state (fixture, CAT_ID, LENS_TASK_STATE_DONE);
  assert_state (fixture, GIRL_ID, LENS_TASK_STATE_DONE);
  assert_state (fixture, UNKNOWN_ID, LENS_TASK_STATE_NOT_FOUND);
  LENS_TEST_SPIN_UNTIL (!lens_pause_banner_get_revealed (banner), LENS_TEST_DEADLINE_MS);
}

/* The server cannot be reached: no toast with the system's words, but a
 * banner that says where Tasklens looked and what to do, with Try Again
 * and Preferences; the tasks say they are not checked. When the server is
 * back, everything resumes by itself, without the user. */
static void
test_unreachable_resumes_by_itself (Fixture       *fixture,
                                    gconstpointer  data)
{
  LensContext *context = lens_test_app_get_context (fixture);
  LensRefresher *refresher = lens_context_get_refresher (context);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  LensPauseBanner *banner = LENS_PAUSE_BANNER (lens_test_find_widget (window, LENS_TYPE_PAUSE_BANNER));
  g_autoptr(GUri) uri = g_uri_parse (lens_fake_api_get_url (fixture->fake), G_URI_FLAGS_NONE, NULL);
  g_autofree char *expected = g_strdup_printf ("Can’t reach the AceData API at 127.0.0.1:%d. Check "
                                               "the address in Preferences or your connection.",
                                               g_uri_get_port (uri));
  g_autoptr(GError) error = NULL;

  lens_client_set_retry_policy (lens_context_get_client (context), 2, 10);
  g_clear_object (&fixture->fake);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "add-ids",
                                  g_variant_new_string (CAT_ID "\n" GIRL_ID));
  LENS_TEST_SPIN_UNTIL (lens_pause_banner_get_revealed (banner), LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (lens_pause_banner_get_title (banner), ==, expected);
  g_assert_cmpstr (lens_pause_banner_get_button_label (banner), ==, "_Try Again");
  g_assert_cmpstr (lens_pause_banner_get_secondary_label (banner), ==, "_Preferences");
  assert_rows_not_checked (window);
  lens_test_spin_for (200);
  g_assert_null (find_label_starting (window, "Could not reach"));
  lens_test_save_window_png (window, "faults-unreachable.png");

  /* Try Again while the server is still away: the banner stays. */
  g_signal_emit_by_name (lens_test_find_button (GTK_WIDGET (banner), "_Try Again"), "clicked");
  lens_test_spin_for (300);
  g_assert_true (lens_pause_banner_get_revealed (banner));

  /* The server comes back; Tasklens notices by itself. */
  lens_refresher_set_unreachable_retry (refresher, 100, 200);
  g_signal_emit_by_name (lens_test_find_button (GTK_WIDGET (banner), "_Try Again"), "clicked");
  fixture->fake = lens_fake_api_new (LENS_TEST_APP_TOKEN);
  lens_fake_api_seed_examples (fixture->fake);
  lens_fake_api_start (fixture->fake, g_uri_get_port (uri), &error);
  g_assert_no_error (error);

  LENS_TEST_SPIN_UNTIL (!lens_pause_banner_get_revealed (banner), LENS_TEST_DEADLINE_MS);
  lens_test_app_wait_until_looked_up (fixture);
  assert_state (fixture, CAT_ID, LENS_TASK_STATE_DONE);
  assert_state (fixture, GIRL_ID, LENS_TASK_STATE_DONE);
  g_assert_null (lens_test_find_label (window, "Not checked yet"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_ui_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/faults/%s", cases[i].name);

      g_test_add (path, Fixture, &cases[i], fixture_set_up, test_fault, lens_test_app_tear_down);
    }

  g_test_add ("/faults/unreachable-resumes-by-itself", Fixture, &cases[0], fixture_set_up,
              test_unreachable_resumes_by_itself, lens_test_app_tear_down);

  return g_test_run ();
}
