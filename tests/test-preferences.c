/* test-preferences.c — the preferences dialog, in a real window, against the fake server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyring is libsecret's file backend in a scratch directory (set up in
 * main() before anything touches libsecret: never the user's keyring), the
 * settings live in a memory backend per test, and the API is the fake server,
 * which accepts only GOOD_TOKEN. Tests find the rows as a user would, by
 * their kind and title, and act on them through their signals.
 */

#include "config.h"

#include <string.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "lens-client.h"
#include "lens-context.h"
#include "lens-fake-api.h"
#include "lens-preferences-dialog.h"
#include "lens-secrets.h"
#include "lens-test-fake.h"
#include "lens-test-keyring.h"
#include "lens-test-ui.h"

#define GOOD_TOKEN "good-token"
#define BAD_TOKEN  "wrong-token"
#define SCHEMA_ID  "io.github.tasklens.Tasklens"
/* Another address on this computer, where nothing listens. */
#define OTHER_URL  "http://127.0.0.1:9"

/* Long enough for a slow sanitizer run; only there to fail instead of hang. */
#define DEADLINE_S 30


typedef struct
{
  LensFakeApi           *fake;
  LensContext           *context;   /* nullable: made on first use */
  const char            *fixed_url;   /* nullable: as if TASKLENS_API_URL were set */
  const char            *fixed_token; /* nullable: as if ACEDATA_API_TOKEN were set */
  GSettings             *settings;
  GtkWindow             *window;
  LensPreferencesDialog *dialog;    /* unowned: the window holds it */
} Fixture;

/* Helpers */

/* Spins the main loop until @condition holds. */
#define WAIT_UNTIL(condition) LENS_TEST_SPIN_UNTIL (condition, DEADLINE_S * 1000)

typedef struct
{
  gboolean  done;
  gboolean  ok;
  char     *token;
  GError   *error;
} Outcome;

/* Whether the keyring holds @token for @url, once pending writes are done. */
static gboolean
keyring_has (const char *url,
             const char *token)
{
  g_autofree char *kept = lens_test_keyring_lookup (url);

  return g_strcmp0 (kept, token) == 0;
}

static void
retrieve_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = lens_client_retrieve_finish (LENS_CLIENT (source_object), result, NULL,
                                             &outcome->error);
  outcome->done = TRUE;
}

/* The app's context, made as the application makes it from the settings and
 * what the environment fixes (tests set fixed_url and fixed_token first). */
static LensContext *
context_of (Fixture *fixture)
{
  if (fixture->context == NULL)
    {
      LensContextConfig config = {
        .settings = fixture->settings,
        .api_url = fixture->fixed_url,
        .token = fixture->fixed_token,
      };

      fixture->context = lens_context_new (&config);
      lens_client_set_retry_policy (lens_context_get_client (fixture->context), 0, 0);
    }
  return fixture->context;
}

static LensAccount *
account_of (Fixture *fixture)
{
  return lens_context_get_account (context_of (fixture));
}

static LensClient *
client_of (Fixture *fixture)
{
  return lens_context_get_client (context_of (fixture));
}

/* Waits for the token the app starts with: from the keyring, as at start. */
static void
wait_for_start_token (Fixture *fixture)
{
  WAIT_UNTIL (lens_account_get_token_known (account_of (fixture)));
}

static void
token_set_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  lens_account_set_token_finish (LENS_ACCOUNT (source_object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* A token applied earlier in this session. */
static void
use_token (Fixture    *fixture,
           const char *token)
{
  gboolean done = FALSE;

  wait_for_start_token (fixture);
  lens_account_set_token_async (account_of (fixture), token, NULL, token_set_cb, &done);
  WAIT_UNTIL (done);
}

/* Asks the fake server with the app's client, as the app would. */
static gboolean
client_works (Fixture *fixture)
{
  g_autofree char *id = g_uuid_string_random ();
  Outcome outcome = { 0 };

  lens_client_retrieve_async (client_of (fixture), id, LENS_REQUEST_PRIORITY_USER, NULL, retrieve_cb, &outcome);
  WAIT_UNTIL (outcome.done);
  g_clear_error (&outcome.error);
  return outcome.ok;
}

static GtkWidget *
get_widget (Fixture    *fixture,
            GType       type,
            const char *title)
{
  GtkWidget *widget = lens_test_find_titled (GTK_WIDGET (fixture->dialog), type, title);

  if (widget == NULL)
    g_error ("No %s “%s” in the dialog", g_type_name (type), title != NULL ? title : "");
  return widget;
}

static GtkEditable *
token_row (Fixture *fixture)
{
  return GTK_EDITABLE (get_widget (fixture, ADW_TYPE_PASSWORD_ENTRY_ROW, "API Token"));
}

static GtkEditable *
url_row (Fixture *fixture)
{
  return GTK_EDITABLE (get_widget (fixture, ADW_TYPE_ENTRY_ROW, "API Address"));
}

static const char *
check_result (Fixture *fixture)
{
  GtkWidget *row = get_widget (fixture, ADW_TYPE_ACTION_ROW, "Check Token");

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static const char *
api_description (Fixture *fixture)
{
  GtkWidget *group = get_widget (fixture, ADW_TYPE_PREFERENCES_GROUP, "AceData API");

  return adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group));
}

/* Types @text into @row and applies it, as the row's apply button does. */
static void
apply_text (GtkEditable *row,
            const char  *text)
{
  gtk_editable_set_text (row, text);
  g_signal_emit_by_name (row, "apply");
}

static void
click_check (Fixture *fixture)
{
  GtkWidget *button = get_widget (fixture, GTK_TYPE_BUTTON, "_Check");

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static const char *
fake_url (Fixture *fixture)
{
  return lens_fake_api_get_url (fixture->fake);
}

static void
open_dialog (Fixture *fixture)
{
  fixture->dialog = lens_preferences_dialog_new (account_of (fixture), fixture->settings);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  adw_dialog_present (ADW_DIALOG (fixture->dialog), GTK_WIDGET (fixture->window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->dialog)));
}

static void
close_dialog (Fixture *fixture)
{
  if (fixture->dialog == NULL)
    return;
  adw_dialog_force_close (ADW_DIALOG (fixture->dialog));
  /* Closed dialogs go away, with whatever they were waiting for. */
  WAIT_UNTIL (fixture->dialog == NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GError) error = NULL;

  fixture->fake = lens_test_start_fake_api (GOOD_TOKEN);

  fixture->settings = g_settings_new_with_backend (SCHEMA_ID, backend);
  g_settings_set_string (fixture->settings, "api-url", fake_url (fixture));

  /* Ports come back; so could a token kept for one by an earlier test. */
  lens_test_keyring_clear (fake_url (fixture));

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 800);
  gtk_window_present (fixture->window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_dialog (fixture);
  gtk_window_destroy (fixture->window);
  lens_test_settle ();

  if (fixture->context != NULL)
    {
      lens_context_shutdown (fixture->context);
      g_assert_finalize_object (fixture->context);
    }
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->fake);
}

/* Tests */

static void
test_token_apply (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  open_dialog (fixture);
  g_assert_false (client_works (fixture));

  apply_text (token_row (fixture), GOOD_TOKEN);

  /* The app's client has it at once… */
  g_assert_true (lens_client_has_token (client_of (fixture)));
  g_assert_true (client_works (fixture));
  /* …and the keyring, under the API address. */
  WAIT_UNTIL (keyring_has (fake_url (fixture), GOOD_TOKEN));

  /* Not in the settings. */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (fixture->settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, GOOD_TOKEN));
    }
}

static void
test_token_prefilled (Fixture       *fixture,
                      gconstpointer  data)
{
  lens_test_keyring_store (fake_url (fixture), GOOD_TOKEN);

  open_dialog (fixture);
  WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (token_row (fixture)), GOOD_TOKEN) == 0);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (token_row (fixture))));
  g_assert_cmpstr (api_description (fixture), ==,
                   "The token is kept in your keyring, one for each API address");
}

/* Opening Preferences shows the token in use and leaves it in use, even when
 * the keyring holds another (a write to it failed, or another program
 * changed it). */
static void
test_open_keeps_token_in_use (Fixture       *fixture,
                              gconstpointer  data)
{
  use_token (fixture, GOOD_TOKEN);
  lens_test_keyring_store (fake_url (fixture), "older-token");

  open_dialog (fixture);
  lens_test_settle ();
  g_assert_cmpstr (gtk_editable_get_text (token_row (fixture)), ==, GOOD_TOKEN);
  g_assert_true (client_works (fixture));
}

static void
test_token_cleared (Fixture       *fixture,
                    gconstpointer  data)
{
  lens_test_keyring_store (fake_url (fixture), GOOD_TOKEN);
  wait_for_start_token (fixture);
  g_assert_true (lens_client_has_token (client_of (fixture)));

  open_dialog (fixture);
  WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (token_row (fixture)), GOOD_TOKEN) == 0);

  apply_text (token_row (fixture), "");
  g_assert_false (lens_client_has_token (client_of (fixture)));
  WAIT_UNTIL (keyring_has (fake_url (fixture), NULL));
}

static void
test_check_rejected (Fixture       *fixture,
                     gconstpointer  data)
{
  open_dialog (fixture);

  /* Checked as typed, without applying it. */
  gtk_editable_set_text (token_row (fixture), BAD_TOKEN);
  click_check (fixture);
  WAIT_UNTIL (g_strcmp0 (check_result (fixture), "The token was rejected") == 0);

  g_assert_false (lens_client_has_token (client_of (fixture)));
  g_assert_true (keyring_has (fake_url (fixture), NULL));
}

static void
test_check_works (Fixture       *fixture,
                  gconstpointer  data)
{
  GPtrArray *requests;
  LensFakeRequest *request;

  open_dialog (fixture);
  lens_fake_api_clear_requests (fixture->fake);

  gtk_editable_set_text (token_row (fixture), GOOD_TOKEN);
  click_check (fixture);
  g_assert_cmpstr (check_result (fixture), ==, "Checking…");
  WAIT_UNTIL (g_strcmp0 (check_result (fixture), "The token works") == 0);

  /* One retrieve of some id, with the token typed. */
  requests = lens_fake_api_get_requests (fixture->fake);
  g_assert_cmpuint (requests->len, ==, 1);
  request = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (request->authorization, ==, "Bearer " GOOD_TOKEN);
  g_assert_nonnull (strstr (request->body, "\"retrieve\""));

  /* Another token: the result no longer applies. */
  gtk_editable_set_text (token_row (fixture), BAD_TOKEN);
  g_assert_cmpstr (check_result (fixture), !=, "The token works");
}

static void
test_check_other_error (Fixture       *fixture,
                        gconstpointer  data)
{
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_STATUS,
    .target = LENS_FAKE_TARGET_TASKS,
    .status = 403,
    .code = "used_up",
    .retry_after = -1,
  };
  const char *result;

  open_dialog (fixture);
  lens_fake_api_push_fault (fixture->fake, &fault, 1);

  gtk_editable_set_text (token_row (fixture), GOOD_TOKEN);
  click_check (fixture);
  WAIT_UNTIL (g_strcmp0 (check_result (fixture), "Checking…") != 0);

  result = check_result (fixture);
  g_assert_cmpstr (result, !=, "The token works");
  g_assert_cmpstr (result, !=, "The token was rejected");
  g_assert_cmpstr (result, !=, "Ask the server whether it accepts the token");
  g_assert_cmpuint (strlen (result), >, 0);
}

static void
test_url_invalid (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkEditable *row;
  g_autofree char *setting = NULL;

  open_dialog (fixture);
  row = url_row (fixture);
  g_assert_cmpstr (gtk_editable_get_text (row), ==, fake_url (fixture));

  apply_text (row, "http://example.com");

  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (row)));
  setting = g_settings_get_string (fixture->settings, "api-url");
  g_assert_cmpstr (setting, ==, fake_url (fixture));
  g_assert_cmpstr (lens_client_get_base_url (client_of (fixture)), ==, fake_url (fixture));

  /* Editing again takes the error away. */
  gtk_editable_set_text (row, "https://example.com");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
}

static void
test_url_loopback (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *other_url = OTHER_URL;
  g_autofree char *setting = NULL;

  lens_test_keyring_store (other_url, "token-for-other");
  lens_test_keyring_store (fake_url (fixture), GOOD_TOKEN);
  wait_for_start_token (fixture);
  g_assert_true (lens_client_has_token (client_of (fixture)));

  open_dialog (fixture);
  WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (token_row (fixture)), GOOD_TOKEN) == 0);

  apply_text (url_row (fixture), OTHER_URL "/");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_row (fixture)), "error"));
  setting = g_settings_get_string (fixture->settings, "api-url");
  g_assert_cmpstr (setting, ==, OTHER_URL "/");
  g_assert_cmpstr (lens_client_get_base_url (client_of (fixture)), ==, other_url);

  /* That address's own token, from the keyring, in the client and the row. */
  WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (token_row (fixture)), "token-for-other") == 0);
  g_assert_true (lens_client_has_token (client_of (fixture)));

  /* Back to the fake server: its token comes back too, and works. */
  apply_text (url_row (fixture), fake_url (fixture));
  WAIT_UNTIL (g_strcmp0 (gtk_editable_get_text (token_row (fixture)), GOOD_TOKEN) == 0);
  g_assert_true (client_works (fixture));

  lens_test_keyring_clear (other_url);
}

/* An address with no token kept: the old address's token is not sent there. */
static void
test_url_without_token (Fixture       *fixture,
                        gconstpointer  data)
{
  use_token (fixture, GOOD_TOKEN);
  open_dialog (fixture);

  apply_text (url_row (fixture), "https://proxy.example.com");
  g_assert_false (lens_client_has_token (client_of (fixture)));
  lens_test_settle ();
  g_assert_false (lens_client_has_token (client_of (fixture)));
  g_assert_cmpstr (gtk_editable_get_text (token_row (fixture)), ==, "");
}

static void
test_env_token (Fixture       *fixture,
                gconstpointer  data)
{
  lens_test_keyring_store (fake_url (fixture), "kept-token");
  fixture->fixed_token = GOOD_TOKEN;
  g_assert_true (lens_client_has_token (client_of (fixture)));

  open_dialog (fixture);
  lens_test_settle ();

  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (token_row (fixture))));
  g_assert_cmpstr (gtk_editable_get_text (token_row (fixture)), ==, "");
  g_assert_nonnull (strstr (api_description (fixture),
                            "The token comes from the ACEDATA_API_TOKEN environment variable"));

  /* The token in use can still be checked. */
  click_check (fixture);
  WAIT_UNTIL (g_strcmp0 (check_result (fixture), "The token works") == 0);

  /* Changing the address keeps the environment's token. */
  apply_text (url_row (fixture), OTHER_URL);
  lens_test_settle ();
  g_assert_true (lens_client_has_token (client_of (fixture)));

  lens_test_keyring_clear (fake_url (fixture));
}

static void
test_env_url (Fixture       *fixture,
              gconstpointer  data)
{
  fixture->fixed_url = fake_url (fixture);
  g_settings_set_string (fixture->settings, "api-url", "https://api.acedata.cloud");

  open_dialog (fixture);

  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (url_row (fixture))));
  g_assert_cmpstr (gtk_editable_get_text (url_row (fixture)), ==, fake_url (fixture));
  g_assert_nonnull (strstr (api_description (fixture), "TASKLENS_API_URL"));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (token_row (fixture))));
}

static void
test_updates (Fixture       *fixture,
              gconstpointer  data)
{
  AdwSwitchRow *polling;
  AdwSpinRow *batch;

  open_dialog (fixture);
  polling = ADW_SWITCH_ROW (get_widget (fixture, ADW_TYPE_SWITCH_ROW, "Follow Running Tasks"));
  batch = ADW_SPIN_ROW (get_widget (fixture, ADW_TYPE_SPIN_ROW, "Tasks per Request"));

  g_assert_true (adw_switch_row_get_active (polling));
  g_assert_cmpfloat (adw_spin_row_get_value (batch), ==, 50);

  adw_switch_row_set_active (polling, FALSE);
  g_assert_false (g_settings_get_boolean (fixture->settings, "polling-enabled"));
  adw_spin_row_set_value (batch, 20);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "batch-size"), ==, 20);

  /* The range is the setting's, and no more than the API's 50 is offered. */
  adw_spin_row_set_value (batch, 500);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "batch-size"), ==, 50);
  adw_spin_row_set_value (batch, 51);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "batch-size"), ==, 50);

  g_settings_set_int (fixture->settings, "batch-size", 7);
  g_assert_cmpfloat (adw_spin_row_get_value (batch), ==, 7);
}

/* "Keep in Sync" is off by default and bound to keep-in-sync, both ways. */
static void
test_keep_in_sync (Fixture       *fixture,
                   gconstpointer  data)
{
  AdwSwitchRow *sync;

  open_dialog (fixture);
  sync = ADW_SWITCH_ROW (get_widget (fixture, ADW_TYPE_SWITCH_ROW, "Keep in Sync"));

  g_assert_false (adw_switch_row_get_active (sync));
  g_assert_false (g_settings_get_boolean (fixture->settings, "keep-in-sync"));

  adw_switch_row_set_active (sync, TRUE);
  g_assert_true (g_settings_get_boolean (fixture->settings, "keep-in-sync"));
  g_settings_set_boolean (fixture->settings, "keep-in-sync", FALSE);
  g_assert_false (adw_switch_row_get_active (sync));
}

/* The ceiling on requests a second: "Automatic" (0) by default, bound to
 * the setting, up to 60. */
static void
test_rate_cap (Fixture       *fixture,
               gconstpointer  data)
{
  AdwSpinRow *rate;

  open_dialog (fixture);
  rate = ADW_SPIN_ROW (get_widget (fixture, ADW_TYPE_SPIN_ROW, "Most Requests a Second"));

  g_assert_cmpfloat (adw_spin_row_get_value (rate), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rate)), ==, "Automatic");

  adw_spin_row_set_value (rate, 2.5);
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "max-requests-per-second"), ==, 2.5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rate)), ==, "2.5");
  adw_spin_row_set_value (rate, 500);
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "max-requests-per-second"), ==, 60);

  g_settings_set_double (fixture->settings, "max-requests-per-second", 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rate)), ==, "Automatic");
}

/* The name saved images get: an example follows the text as it is typed,
 * a template that cannot name files says why and is not applied, a field
 * comes from the menu, and the default comes back with one click. */
static void
test_file_names (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkEditable *row;
  AdwActionRow *example;
  g_autofree char *saved = NULL;

  open_dialog (fixture);
  /* The fields' menu. */
  g_assert_cmpuint (lens_test_open_menus (GTK_WIDGET (fixture->dialog)), ==, 1);
  row = GTK_EDITABLE (get_widget (fixture, ADW_TYPE_ENTRY_ROW, "File Name"));
  example = ADW_ACTION_ROW (get_widget (fixture, ADW_TYPE_ACTION_ROW, "Example"));

  g_assert_cmpstr (gtk_editable_get_text (row), ==, "{date} {prompt} ({short_id})");
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (example),
                                   " A cat sitting on a table (7489df4c).png"));

  /* As it is typed, before it is applied. */
  gtk_editable_set_text (row, "{short_id} {prompt}");
  g_assert_cmpstr (adw_action_row_get_subtitle (example), ==, "7489df4c A cat sitting on a table.png");
  saved = g_settings_get_string (fixture->settings, "file-name-template");
  g_assert_cmpstr (saved, ==, "{date} {prompt} ({short_id})");
  g_signal_emit_by_name (row, "apply");
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (fixture->settings, "file-name-template");
  g_assert_cmpstr (saved, ==, "{short_id} {prompt}");

  /* Not valid: it says why, and the setting keeps the last good one. */
  apply_text (row, "{short_id} {colour}");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (example)), ==, "Not a Valid Name");
  g_assert_cmpstr (adw_action_row_get_subtitle (example), ==, "There is no field {colour}");
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (fixture->settings, "file-name-template");
  g_assert_cmpstr (saved, ==, "{short_id} {prompt}");

  /* A field from the menu goes where the cursor is. */
  gtk_editable_set_text (row, "{short_id} ");
  gtk_editable_set_position (row, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "names.insert", "s", "{type}"));
  g_assert_cmpstr (gtk_editable_get_text (row), ==, "{short_id} {type}");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (example), ==, "7489df4c imagine.png");

  g_signal_emit_by_name (get_widget (fixture, GTK_TYPE_BUTTON, "Use the Default Name"), "clicked");
  g_assert_cmpstr (gtk_editable_get_text (row), ==, "{date} {prompt} ({short_id})");
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (fixture->settings, "file-name-template");
  g_assert_cmpstr (saved, ==, "{date} {prompt} ({short_id})");
}

/* Closing the dialog while a check is on the wire cancels it; the dialog
 * goes away (close_dialog() waits for it). */
static void
test_close_while_checking (Fixture       *fixture,
                           gconstpointer  data)
{
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_DELAY,
    .target = LENS_FAKE_TARGET_TASKS,
    .delay_ms = 500,
  };

  open_dialog (fixture);
  lens_fake_api_push_fault (fixture->fake, &fault, 1);

  gtk_editable_set_text (token_row (fixture), GOOD_TOKEN);
  click_check (fixture);
  close_dialog (fixture);
  /* Past the server's answer: nothing may touch the dialog now. */
  g_usleep (G_USEC_PER_SEC / 2);
  lens_test_settle ();
}

/* Applying a token and closing at once: the keyring write still happens. */
static void
test_close_after_apply (Fixture       *fixture,
                        gconstpointer  data)
{
  open_dialog (fixture);
  apply_text (token_row (fixture), GOOD_TOKEN);
  close_dialog (fixture);

  WAIT_UNTIL (keyring_has (fake_url (fixture), GOOD_TOKEN));
  g_assert_true (client_works (fixture));
}

int
main (int   argc,
      char *argv[])
{
  /* lens_test_init() points libsecret at a file keyring in a scratch
   * directory, never the user's (under Xvfb a real one would prompt and
   * hang). */
  /* Stable strings: no translations. */
  g_setenv ("LANGUAGE", "C", TRUE);

  lens_test_ui_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/preferences/token/apply", Fixture, NULL,
              fixture_set_up, test_token_apply, fixture_tear_down);
  g_test_add ("/preferences/token/prefilled", Fixture, NULL,
              fixture_set_up, test_token_prefilled, fixture_tear_down);
  g_test_add ("/preferences/token/open-keeps-token-in-use", Fixture, NULL,
              fixture_set_up, test_open_keeps_token_in_use, fixture_tear_down);
  g_test_add ("/preferences/token/cleared", Fixture, NULL,
              fixture_set_up, test_token_cleared, fixture_tear_down);
  g_test_add ("/preferences/check/rejected", Fixture, NULL,
              fixture_set_up, test_check_rejected, fixture_tear_down);
  g_test_add ("/preferences/check/works", Fixture, NULL,
              fixture_set_up, test_check_works, fixture_tear_down);
  g_test_add ("/preferences/check/other-error", Fixture, NULL,
              fixture_set_up, test_check_other_error, fixture_tear_down);
  g_test_add ("/preferences/url/invalid", Fixture, NULL,
              fixture_set_up, test_url_invalid, fixture_tear_down);
  g_test_add ("/preferences/url/loopback", Fixture, NULL,
              fixture_set_up, test_url_loopback, fixture_tear_down);
  g_test_add ("/preferences/url/without-token", Fixture, NULL,
              fixture_set_up, test_url_without_token, fixture_tear_down);
  g_test_add ("/preferences/env/token", Fixture, NULL,
              fixture_set_up, test_env_token, fixture_tear_down);
  g_test_add ("/preferences/env/url", Fixture, NULL,
              fixture_set_up, test_env_url, fixture_tear_down);
  g_test_add ("/preferences/rate-cap", Fixture, NULL,
              fixture_set_up, test_rate_cap, fixture_tear_down);
  g_test_add ("/preferences/file-names", Fixture, NULL,
              fixture_set_up, test_file_names, fixture_tear_down);
  g_test_add ("/preferences/updates", Fixture, NULL,
              fixture_set_up, test_updates, fixture_tear_down);
  g_test_add ("/preferences/keep-in-sync", Fixture, NULL,
              fixture_set_up, test_keep_in_sync, fixture_tear_down);
  g_test_add ("/preferences/close-while-checking", Fixture, NULL,
              fixture_set_up, test_close_while_checking, fixture_tear_down);
  g_test_add ("/preferences/close-after-apply", Fixture, NULL,
              fixture_set_up, test_close_after_apply, fixture_tear_down);

  return g_test_run ();
}
