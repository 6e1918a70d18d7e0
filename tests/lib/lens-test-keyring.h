/* lens-test-keyring.h — the API token in the test keyring, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lens_test_init() has pointed libsecret at a scratch file keyring; these
 * read and write it through LensSecrets, as the app does.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One LensSecrets call and its outcome, for tests that look at failures. */
typedef struct
{
  gboolean  done;
  gboolean  ok;
  char     *token;   /* owned, nullable: what a lookup found */
  GError   *error;   /* owned, nullable */
} LensTestKeyringCall;

void   lens_test_keyring_call_clear (LensTestKeyringCall *call);
void   lens_test_keyring_lookup_cb  (GObject             *source_object,
                                     GAsyncResult        *result,
                                     gpointer             user_data);
void   lens_test_keyring_store_cb   (GObject             *source_object,
                                     GAsyncResult        *result,
                                     gpointer             user_data);
void   lens_test_keyring_clear_cb   (GObject             *source_object,
                                     GAsyncResult        *result,
                                     gpointer             user_data);
void   lens_test_keyring_wait       (LensTestKeyringCall *call);

/* Each fails the test if the keyring does. */
char  *lens_test_keyring_lookup     (const char          *url);
void   lens_test_keyring_store      (const char          *url,
                                     const char          *token);
void   lens_test_keyring_clear      (const char          *url);

G_END_DECLS
