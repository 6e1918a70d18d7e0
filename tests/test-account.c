/* test-account.c — LensAccount: which address, which token, and the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lens_test_init() points libsecret at a keyring file in a scratch
 * directory: no test may reach the user's keyring.
 */

#include "config.h"

#include "lens-account.h"
#include "lens-client.h"
#include "lens-http.h"
#include "lens-fake-api.h"
#include "lens-secrets.h"
#include "lens-test.h"
#include "lens-test-fake.h"
#include "lens-test-keyring.h"

#define GOOD_TOKEN "account-good-token"
#define URL_A      "http://127.0.0.1:9"
#define URL_B      "http://127.0.0.1:10"

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_error (&outcome->error);
  outcome->done = FALSE;
  outcome->ok = FALSE;
}

static void
account_done_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Outcome *outcome = user_data;
  LensAccount *account = LENS_ACCOUNT (source_object);

  if (g_async_result_is_tagged (result, lens_account_check_token_async))
    outcome->ok = lens_account_check_token_finish (account, result, &outcome->error);
  else if (g_async_result_is_tagged (result, lens_account_set_token_async))
    outcome->ok = lens_account_set_token_finish (account, result, &outcome->error);
  else
    outcome->ok = lens_account_load_token_finish (account, result, &outcome->error);
  outcome->done = TRUE;
}

static LensAccount *
account_new (const char *url,
             gboolean    url_fixed,
             const char *token_override)
{
  g_autoptr(SoupSession) session = lens_http_create_session ();

  return lens_account_new (session, url, url_fixed, token_override);
}

static void
load_token (LensAccount *account)
{
  Outcome outcome = { 0 };

  lens_account_load_token_async (account, NULL, account_done_cb, &outcome);
  lens_test_spin_until (&outcome.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
}

static void
setup (void)
{
  lens_test_keyring_clear (URL_A);
  lens_test_keyring_clear (URL_B);
}

/* Tests */

/* The address as the client and the keyring key it, and AceData's own
 * when none is given. */
static void
test_address_normalized (void)
{
  g_autoptr(LensAccount) plain = account_new (NULL, FALSE, NULL);
  g_autoptr(LensAccount) slashed = account_new ("  " URL_A "//  ", FALSE, NULL);

  g_assert_cmpstr (lens_account_get_api_url (plain), ==, LENS_CLIENT_DEFAULT_URL);
  g_assert_cmpstr (lens_account_get_api_url (slashed), ==, URL_A);
  g_assert_false (lens_account_get_has_token (plain));
  g_assert_false (lens_account_get_token_known (plain));
}

/* At start the token comes from the keyring, for the address in use. */
static void
test_load_from_keyring (void)
{
  g_autoptr(LensAccount) account = NULL;
  guint n_token = 0, n_known = 0;

  setup ();
  lens_test_keyring_store (URL_A, GOOD_TOKEN);
  lens_test_keyring_store (URL_B, "token-for-b");

  account = account_new (URL_A, FALSE, NULL);
  g_signal_connect (account, "notify::token", G_CALLBACK (lens_test_count_cb), &n_token);
  g_signal_connect (account, "notify::token-known", G_CALLBACK (lens_test_count_cb), &n_known);
  load_token (account);

  g_assert_cmpstr (lens_account_get_token (account), ==, GOOD_TOKEN);
  g_assert_true (lens_account_get_has_token (account));
  g_assert_true (lens_account_get_token_known (account));
  g_assert_cmpuint (n_token, ==, 1);
  g_assert_cmpuint (n_known, ==, 1);

  /* Asking again changes nothing, and says nothing. */
  load_token (account);
  g_assert_cmpuint (n_token, ==, 1);
  g_assert_cmpuint (n_known, ==, 1);
}

/* The environment's token wins and is never replaced. */
static void
test_token_fixed (void)
{
  g_autoptr(LensAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  setup ();
  lens_test_keyring_store (URL_A, "kept-token");
  lens_test_keyring_store (URL_B, "token-for-b");

  account = account_new (URL_A, FALSE, " env-token ");
  g_assert_true (lens_account_get_token_fixed (account));
  g_assert_true (lens_account_get_token_known (account));
  g_assert_cmpstr (lens_account_get_token (account), ==, "env-token");

  load_token (account);
  g_assert_cmpstr (lens_account_get_token (account), ==, "env-token");

  /* Another address keeps it too. */
  g_assert_true (lens_account_set_api_url (account, URL_B, &error));
  g_assert_no_error (error);
  load_token (account);
  g_assert_cmpstr (lens_account_get_token (account), ==, "env-token");
}

/* Applying a token: in use at once, and in the keyring under the address. */
static void
test_set_token (void)
{
  g_autoptr(LensAccount) account = NULL;
  g_autofree char *kept = NULL;
  Outcome outcome = { 0 };

  setup ();
  account = account_new (URL_A, FALSE, NULL);
  lens_account_set_token_async (account, "  " GOOD_TOKEN "\n", NULL, account_done_cb, &outcome);
  g_assert_cmpstr (lens_account_get_token (account), ==, GOOD_TOKEN);
  lens_test_spin_until (&outcome.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_null (lens_account_get_keyring_problem (account));

  kept = lens_test_keyring_lookup (URL_A);
  g_assert_cmpstr (kept, ==, GOOD_TOKEN);
  g_clear_pointer (&kept, g_free);

  /* An empty token forgets it, there too. */
  outcome_clear (&outcome);
  lens_account_set_token_async (account, "", NULL, account_done_cb, &outcome);
  g_assert_false (lens_account_get_has_token (account));
  lens_test_spin_until (&outcome.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (outcome.error);
  kept = lens_test_keyring_lookup (URL_A);
  g_assert_null (kept);
}

/* Another address: the old token goes at once, the new address's own comes
 * from the keyring; an address without one gets none. */
static void
test_address_switch (void)
{
  g_autoptr(LensAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  setup ();
  lens_test_keyring_store (URL_A, GOOD_TOKEN);
  lens_test_keyring_store (URL_B, "token-for-b");
  account = account_new (URL_A, FALSE, NULL);
  load_token (account);

  g_assert_true (lens_account_set_api_url (account, URL_B "/", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lens_account_get_api_url (account), ==, URL_B);
  /* Not even for the moment the keyring takes to answer. */
  g_assert_null (lens_account_get_token (account));
  LENS_TEST_SPIN_UNTIL (g_strcmp0 (lens_account_get_token (account), "token-for-b") == 0,
                        LENS_TEST_DEADLINE_MS);

  lens_test_keyring_clear (URL_A);
  g_assert_true (lens_account_set_api_url (account, URL_A, &error));
  /* The keyring answers in order: once this look-up is back, so is the
   * one the switch started. */
  load_token (account);
  g_assert_null (lens_account_get_token (account));
}

/* A keyring answer for an address that is no longer the one in use is
 * dropped: A's token must never reach B. */
static void
test_stale_lookup (void)
{
  g_autoptr(LensAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };

  setup ();
  lens_test_keyring_store (URL_A, GOOD_TOKEN);
  account = account_new (URL_A, FALSE, NULL);

  lens_account_load_token_async (account, NULL, account_done_cb, &outcome);
  g_assert_true (lens_account_set_api_url (account, URL_B, &error));
  lens_test_spin_until (&outcome.done, LENS_TEST_DEADLINE_MS);
  outcome_clear (&outcome);

  /* B's own look-up has come back too, with nothing. */
  load_token (account);
  g_assert_cmpstr (lens_account_get_api_url (account), ==, URL_B);
  g_assert_null (lens_account_get_token (account));
}

/* A token applied while the keyring is being asked wins over its answer. */
static void
test_applied_token_wins (void)
{
  g_autoptr(LensAccount) account = NULL;
  Outcome load = { 0 };
  Outcome set = { 0 };

  setup ();
  lens_test_keyring_store (URL_A, "older-token");
  account = account_new (URL_A, FALSE, NULL);

  lens_account_load_token_async (account, NULL, account_done_cb, &load);
  lens_account_set_token_async (account, GOOD_TOKEN, NULL, account_done_cb, &set);
  lens_test_spin_until (&load.done, LENS_TEST_DEADLINE_MS);
  lens_test_spin_until (&set.done, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (lens_account_get_token (account), ==, GOOD_TOKEN);
  outcome_clear (&load);
  outcome_clear (&set);
}

/* Addresses the token may not travel to are refused, and change nothing. */
static void
test_insecure_address (void)
{
  g_autoptr(LensAccount) account = account_new (URL_A, FALSE, "a-token");
  g_autoptr(GError) error = NULL;

  g_assert_false (lens_account_set_api_url (account, "http://example.com", &error));
  g_assert_error (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INSECURE_URL);
  g_assert_cmpstr (lens_account_get_api_url (account), ==, URL_A);
  g_assert_cmpstr (lens_account_get_token (account), ==, "a-token");
}

/* A check asks the server with the token given, once, and changes nothing. */
static void
test_check_token (void)
{
  g_autoptr(LensFakeApi) fake = lens_test_start_fake_api (GOOD_TOKEN);
  g_autoptr(LensAccount) account = NULL;
  Outcome outcome = { 0 };

  account = account_new (lens_fake_api_get_url (fake), FALSE, NULL);

  lens_account_check_token_async (account, GOOD_TOKEN, NULL, account_done_cb, &outcome);
  lens_test_spin_until (&outcome.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_false (lens_account_get_has_token (account));
  outcome_clear (&outcome);

  lens_fake_api_clear_requests (fake);
  lens_account_check_token_async (account, "wrong", NULL, account_done_cb, &outcome);
  lens_test_spin_until (&outcome.done, LENS_TEST_DEADLINE_MS);
  g_assert_error (outcome.error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (lens_fake_api_count_requests (fake, NULL), ==, 1);
  outcome_clear (&outcome);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/account/address-normalized", test_address_normalized);
  g_test_add_func ("/account/load-from-keyring", test_load_from_keyring);
  g_test_add_func ("/account/token-fixed", test_token_fixed);
  g_test_add_func ("/account/set-token", test_set_token);
  g_test_add_func ("/account/address-switch", test_address_switch);
  g_test_add_func ("/account/stale-lookup", test_stale_lookup);
  g_test_add_func ("/account/applied-token-wins", test_applied_token_wins);
  g_test_add_func ("/account/insecure-address", test_insecure_address);
  g_test_add_func ("/account/check-token", test_check_token);

  return g_test_run ();
}
