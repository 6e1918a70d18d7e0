/* test-secrets.c — the API token in the keyring, with libsecret's file backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lens_test_init() points libsecret at a keyring file in the program's
 * scratch directory before anything touches libsecret, so no test can reach
 * the user's keyring (under Xvfb with gnome-keyring installed, that would
 * open a password prompt and hang). The mapping of a missing Secret Service is tested on its own: a
 * test cannot make the service go away.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "lens-secrets.h"
#include "lens-secrets-private.h"
#include "lens-test.h"
#include "lens-test-keyring.h"

#define URL_A   "https://api.acedata.cloud"
#define URL_B   "http://127.0.0.1:8765"
#define TOKEN_A "token-a-2f1c9e"
#define TOKEN_B "token-b-77d0aa"

/* Helpers */

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

/* Tests */

static void
test_round_trip (void)
{
  g_autofree char *token = NULL;

  lens_test_keyring_store (URL_A, TOKEN_A);
  token = lens_test_keyring_lookup (URL_A);
  g_assert_cmpstr (token, ==, TOKEN_A);

  lens_test_keyring_clear (URL_A);
}

static void
test_two_urls (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *replaced = NULL;

  lens_test_keyring_store (URL_A, TOKEN_A);
  lens_test_keyring_store (URL_B, TOKEN_B);

  token_a = lens_test_keyring_lookup (URL_A);
  token_b = lens_test_keyring_lookup (URL_B);
  g_assert_cmpstr (token_a, ==, TOKEN_A);
  g_assert_cmpstr (token_b, ==, TOKEN_B);

  /* Storing again replaces the token of that URL only. */
  lens_test_keyring_store (URL_B, "token-b-new");
  replaced = lens_test_keyring_lookup (URL_B);
  g_assert_cmpstr (replaced, ==, "token-b-new");
  g_clear_pointer (&token_a, g_free);
  token_a = lens_test_keyring_lookup (URL_A);
  g_assert_cmpstr (token_a, ==, TOKEN_A);

  lens_test_keyring_clear (URL_A);
  lens_test_keyring_clear (URL_B);
}

static void
test_clear (void)
{
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;

  lens_test_keyring_store (URL_A, TOKEN_A);
  lens_test_keyring_store (URL_B, TOKEN_B);
  lens_test_keyring_clear (URL_A);

  token = lens_test_keyring_lookup (URL_A);
  g_assert_null (token);
  other = lens_test_keyring_lookup (URL_B);
  g_assert_cmpstr (other, ==, TOKEN_B);

  /* Forgetting what is not there is not an error. */
  lens_test_keyring_clear (URL_A);
  lens_test_keyring_clear (URL_B);
}

static void
test_unknown_url (void)
{
  g_autofree char *token = lens_test_keyring_lookup ("https://proxy.example.com");

  g_assert_null (token);
}

/* The key is the URL as LensClient uses it: a trailing slash or spaces do not
 * make another one. */
static void
test_url_normalized (void)
{
  g_autofree char *token = NULL;

  lens_test_keyring_store ("https://proxy.example.com/ ", TOKEN_A);
  token = lens_test_keyring_lookup ("https://proxy.example.com");
  g_assert_cmpstr (token, ==, TOKEN_A);

  lens_test_keyring_clear ("https://proxy.example.com//");
  g_clear_pointer (&token, g_free);
  token = lens_test_keyring_lookup ("https://proxy.example.com/");
  g_assert_null (token);
}

/* The token goes into the keyring through libsecret and nowhere else: the
 * file holds it encrypted, not as text. */
static void
test_file_encrypted (void)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  lens_test_keyring_store (URL_A, TOKEN_A);
  g_assert_true (g_file_get_contents (lens_test_keyring_path (), &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  g_assert_false (contains_bytes (contents, length, TOKEN_A));
  lens_test_keyring_clear (URL_A);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LensTestKeyringCall outcome = { 0 };

  g_cancellable_cancel (cancellable);
  lens_secrets_lookup_async (URL_A, cancellable, lens_test_keyring_lookup_cb, &outcome);
  lens_test_keyring_wait (&outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (outcome.token);
  lens_test_keyring_call_clear (&outcome);

  lens_secrets_store_async (URL_A, TOKEN_A, cancellable, lens_test_keyring_store_cb, &outcome);
  lens_test_keyring_wait (&outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  lens_test_keyring_call_clear (&outcome);
}

/* The keyring is opened, read and written off the caller's thread: with
 * libsecret's file backend (as inside Flatpak) opening it derives a key on
 * the CPU, 18 ms of the main thread at every start. The caller's context
 * only ever sees the answer: nothing of the call is pending on it until
 * the answer is, and one turn of it delivers that. */
static void
test_off_the_callers_thread (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  LensTestKeyringCall outcome = { 0 };
  gint64 deadline = g_get_monotonic_time () + LENS_TEST_DEADLINE_MS * 1000;

  lens_test_keyring_store (URL_A, TOKEN_A);

  g_main_context_push_thread_default (context);
  lens_secrets_lookup_async (URL_A, NULL, lens_test_keyring_lookup_cb, &outcome);
  while (!g_main_context_pending (context))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);

  g_assert_true (outcome.done);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (outcome.token, ==, TOKEN_A);
  lens_test_keyring_call_clear (&outcome);
  lens_test_keyring_clear (URL_A);
}

static void
assert_no_keyring (GError *keyring_error)
{
  g_autoptr(GError) error = NULL;

  error = lens_secrets_error_from_keyring (keyring_error, LENS_SECRETS_OPERATION_LOOKUP);
  g_assert_error (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_NO_KEYRING);
  g_assert_cmpstr (error->message, ==,
                   "No keyring is available, so the token is kept only until Tasklens quits");

  g_clear_error (&error);
  error = lens_secrets_error_from_keyring (keyring_error, LENS_SECRETS_OPERATION_STORE);
  g_assert_error (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_NO_KEYRING);

  g_error_free (keyring_error);
}

static void
test_error_no_keyring (void)
{
  /* A session bus without a Secret Service… */
  assert_no_keyring (g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
                                          "The name org.freedesktop.secrets was not provided "
                                          "by any .service files"));
  assert_no_keyring (g_dbus_error_new_for_dbus_error ("org.freedesktop.DBus.Error.ServiceUnknown",
                                                      "The name is not activatable"));
  assert_no_keyring (g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER,
                                          "Name has no owner"));
  /* …no session bus at all… */
  assert_no_keyring (g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                          "Cannot autolaunch D-Bus without X11 $DISPLAY"));
  assert_no_keyring (g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                          "Could not connect: No such file or directory"));
  assert_no_keyring (g_error_new_literal (G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
                                          "Failed to execute child process “dbus-launch”"));
  /* …and a Flatpak portal without a Secret backend. */
  assert_no_keyring (g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                          "No such interface “org.freedesktop.portal.Secret”"));
}

static void
test_error_failed (void)
{
  g_autoptr(GError) locked = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                                  "Cannot create an item in a locked collection");
  g_autoptr(GError) remote = g_dbus_error_new_for_dbus_error ("org.freedesktop.DBus.Error.AccessDenied",
                                                              "Access was denied");
  g_autoptr(GError) timeout = g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY,
                                                   "Timeout was reached");
  g_autoptr(GError) error = NULL;

  error = lens_secrets_error_from_keyring (locked, LENS_SECRETS_OPERATION_STORE);
  g_assert_error (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Could not save the API token in the keyring: the keyring is locked");
  g_clear_error (&error);

  /* The D-Bus error name is for programs, not for people. */
  error = lens_secrets_error_from_keyring (remote, LENS_SECRETS_OPERATION_LOOKUP);
  g_assert_error (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Could not read the API token from the keyring: Access was denied");
  g_assert_true (g_dbus_error_is_remote_error (remote));
  g_clear_error (&error);

  error = lens_secrets_error_from_keyring (timeout, LENS_SECRETS_OPERATION_CLEAR);
  g_assert_error (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==,
                   "Could not remove the API token from the keyring: Timeout was reached");
}

static void
test_error_cancelled (void)
{
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     "Operation was cancelled");
  g_autoptr(GError) error = NULL;

  error = lens_secrets_error_from_keyring (cancelled, LENS_SECRETS_OPERATION_STORE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A keyring that cannot be written: the failure is reported, readable, and
 * without the token. Runs last, as it leaves the keyring unusable. */
static void
test_failure_hides_token (void)
{
  const char *secret = "do-not-show-this-7c1d";
  LensTestKeyringCall outcome = { 0 };

  lens_test_keyring_store (URL_A, TOKEN_A);

  /* The backend rewrites the whole file on every change; a directory in its
   * place makes that fail. */
  g_assert_cmpint (g_remove (lens_test_keyring_path ()), ==, 0);
  g_assert_cmpint (g_mkdir (lens_test_keyring_path (), 0700), ==, 0);

  lens_secrets_store_async (URL_B, secret, NULL, lens_test_keyring_store_cb, &outcome);
  lens_test_keyring_wait (&outcome);
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (outcome.error->message,
                                   "Could not save the API token in the keyring: "));
  g_assert_null (strstr (outcome.error->message, secret));
  g_assert_null (strstr (outcome.error->message, TOKEN_A));
  lens_test_keyring_call_clear (&outcome);

  lens_secrets_clear_async (URL_A, NULL, lens_test_keyring_clear_cb, &outcome);
  lens_test_keyring_wait (&outcome);
  if (outcome.error != NULL)
    {
      g_assert_error (outcome.error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED);
      g_assert_null (strstr (outcome.error->message, TOKEN_A));
    }
  lens_test_keyring_call_clear (&outcome);

  g_assert_cmpint (g_rmdir (lens_test_keyring_path ()), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_init (&argc, &argv);

  g_test_add_func ("/secrets/round-trip", test_round_trip);
  g_test_add_func ("/secrets/two-urls", test_two_urls);
  g_test_add_func ("/secrets/clear", test_clear);
  g_test_add_func ("/secrets/unknown-url", test_unknown_url);
  g_test_add_func ("/secrets/url-normalized", test_url_normalized);
  g_test_add_func ("/secrets/file-encrypted", test_file_encrypted);
  g_test_add_func ("/secrets/cancelled", test_cancelled);
  g_test_add_func ("/secrets/off-the-callers-thread", test_off_the_callers_thread);
  g_test_add_func ("/secrets/error/no-keyring", test_error_no_keyring);
  g_test_add_func ("/secrets/error/failed", test_error_failed);
  g_test_add_func ("/secrets/error/cancelled", test_error_cancelled);
  g_test_add_func ("/secrets/failure-hides-token", test_failure_hides_token);

  return g_test_run ();
}
