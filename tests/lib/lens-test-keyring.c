/* lens-test-keyring.c — the API token in the test keyring, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include "lens-secrets.h"
#include "lens-test.h"
#include "lens-test-keyring.h"

/* Frees what @call holds and makes it ready for another call. */
void
lens_test_keyring_call_clear (LensTestKeyringCall *call)
{
  g_clear_pointer (&call->token, g_free);
  g_clear_error (&call->error);
  call->done = FALSE;
  call->ok = FALSE;
}

void
lens_test_keyring_lookup_cb (GObject      *source_object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  LensTestKeyringCall *call = user_data;

  call->token = lens_secrets_lookup_finish (result, &call->error);
  call->done = TRUE;
}

void
lens_test_keyring_store_cb (GObject      *source_object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  LensTestKeyringCall *call = user_data;

  call->ok = lens_secrets_store_finish (result, &call->error);
  call->done = TRUE;
}

void
lens_test_keyring_clear_cb (GObject      *source_object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  LensTestKeyringCall *call = user_data;

  call->ok = lens_secrets_clear_finish (result, &call->error);
  call->done = TRUE;
}

/* Runs the main loop until @call is done, failing the test at the deadline. */
void
lens_test_keyring_wait (LensTestKeyringCall *call)
{
  lens_test_spin_until (&call->done, LENS_TEST_DEADLINE_MS);
}

/**
 * lens_test_keyring_lookup:
 *
 * Returns: (transfer full) (nullable): the token kept for @url.
 */
char *
lens_test_keyring_lookup (const char *url)
{
  LensTestKeyringCall call = { 0 };

  lens_secrets_lookup_async (url, NULL, lens_test_keyring_lookup_cb, &call);
  lens_test_keyring_wait (&call);
  g_assert_no_error (call.error);
  return g_steal_pointer (&call.token);
}

void
lens_test_keyring_store (const char *url,
                         const char *token)
{
  LensTestKeyringCall call = { 0 };

  lens_secrets_store_async (url, token, NULL, lens_test_keyring_store_cb, &call);
  lens_test_keyring_wait (&call);
  g_assert_no_error (call.error);
  g_assert_true (call.ok);
}

void
lens_test_keyring_clear (const char *url)
{
  LensTestKeyringCall call = { 0 };

  lens_secrets_clear_async (url, NULL, lens_test_keyring_clear_cb, &call);
  lens_test_keyring_wait (&call);
  g_assert_no_error (call.error);
  g_assert_true (call.ok);
}
