/* lens-test-fetch.c — what a server serves, fetched on its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include "lens-test.h"
#include "lens-test-fetch.h"

static void
fetched_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GBytes **bytes = user_data;
  g_autoptr(GError) error = NULL;

  *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result, &error);
  g_assert_no_error (error);
}

/**
 * lens_test_fetch:
 *
 * GETs @url with @session, running the main loop until the whole body is
 * there (the test servers answer on this thread). Anything but a 200 fails
 * the test.
 *
 * Returns: (transfer full): the body
 */
GBytes *
lens_test_fetch (SoupSession *session,
                 const char  *url)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  GBytes *bytes = NULL;

  g_assert_nonnull (message);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, fetched_cb, &bytes);
  LENS_TEST_SPIN_UNTIL (bytes != NULL, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  return bytes;
}
