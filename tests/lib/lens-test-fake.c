/* lens-test-fake.c — the fake AceData server, as the tests drive it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include "lens-test-fake.h"

/**
 * lens_test_start_fake_api:
 * @token: (nullable): the only token the server accepts; %NULL for any
 *
 * Returns: (transfer full): a fake server listening on a free loopback port
 */
LensFakeApi *
lens_test_start_fake_api (const char *token)
{
  g_autoptr(GError) error = NULL;
  LensFakeApi *fake = lens_fake_api_new (token);

  lens_fake_api_start (fake, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (lens_fake_api_get_url (fake), "http://127.0.0.1:"));
  return fake;
}

/**
 * lens_test_image_url:
 * @suffix: ".png" for the full image, "-thumb.png" for its thumbnail
 *
 * Returns: (transfer full): where the fake server serves task @id's image
 */
char *
lens_test_image_url (LensFakeApi *fake,
                     const char  *id,
                     const char  *suffix)
{
  return g_strdup_printf ("%s/images/%s%s", lens_fake_api_get_url (fake), id, suffix);
}

/**
 * lens_test_push_image_fault:
 * @delay_ms: for %LENS_FAKE_FAULT_DELAY
 *
 * Makes the next @times image requests fail as @kind says.
 */
void
lens_test_push_image_fault (LensFakeApi       *fake,
                            LensFakeFaultKind  kind,
                            guint              delay_ms,
                            guint              times)
{
  LensFakeFault fault = { .kind = kind, .target = LENS_FAKE_TARGET_IMAGES,
                          .delay_ms = delay_ms, .retry_after = -1 };

  lens_fake_api_push_fault (fake, &fault, times);
}

/**
 * lens_test_push_image_status:
 *
 * Makes the next @times image requests answer @status, without Retry-After.
 */
void
lens_test_push_image_status (LensFakeApi *fake,
                             guint        status,
                             guint        times)
{
  LensFakeFault fault = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_IMAGES,
                          .status = status, .retry_after = -1 };

  lens_fake_api_push_fault (fake, &fault, times);
}

/**
 * lens_test_fake_request:
 *
 * Returns: (transfer none): the request the server saw at @index (from 0);
 * fails the test if it saw fewer
 */
LensFakeRequest *
lens_test_fake_request (LensFakeApi *fake,
                        guint        index)
{
  GPtrArray *requests = lens_fake_api_get_requests (fake);

  g_assert_cmpuint (requests->len, >, index);
  return g_ptr_array_index (requests, index);
}

/**
 * lens_test_count_media_requests:
 *
 * Returns: how many requests for images and videos the server saw
 */
guint
lens_test_count_media_requests (LensFakeApi *fake)
{
  GPtrArray *requests = lens_fake_api_get_requests (fake);
  guint count = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      LensFakeRequest *request = g_ptr_array_index (requests, i);

      if (g_str_has_prefix (request->path, "/images/") || g_str_has_prefix (request->path, "/videos/"))
        count++;
    }

  return count;
}

/**
 * lens_test_wait_for_media_requests:
 *
 * Runs the main loop until the server has seen @count requests for images
 * and videos, and fails the test if it does not within the deadline.
 */
void
lens_test_wait_for_media_requests (LensFakeApi *fake,
                                   guint        count)
{
  LENS_TEST_SPIN_UNTIL (lens_test_count_media_requests (fake) >= count, LENS_TEST_DEADLINE_MS);
}
