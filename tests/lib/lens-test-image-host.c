/* lens-test-image-host.c — the fake server's image host, for the image tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include "lens-http.h"
#include "lens-test-fake.h"
#include "lens-test-image-host.h"

/**
 * lens_test_image_host_set_up:
 * @with_cache_dir: whether to make a scratch directory for a disk cache
 *
 * Starts a fake server with %LENS_TEST_N_IMAGES generated imagine tasks and
 * makes a session as the app does.
 */
void
lens_test_image_host_set_up (LensTestImageHost *host,
                             gboolean           with_cache_dir)
{
  host->fake = lens_test_start_fake_api (NULL);
  host->ids = lens_fake_api_seed_generated (host->fake, LENS_FAKE_TASK_IMAGINE, LENS_TEST_N_IMAGES);
  host->session = lens_http_create_session ();
  host->cache_dir = with_cache_dir ? lens_test_make_scratch_dir ("image-cache") : NULL;
}

/**
 * lens_test_image_host_restart:
 *
 * A new start of the app: a new session, and a server that has seen no
 * request yet. Whatever used the old session must be gone first.
 */
void
lens_test_image_host_restart (LensTestImageHost *host)
{
  g_clear_object (&host->session);
  host->session = lens_http_create_session ();
  lens_fake_api_clear_requests (host->fake);
}

/**
 * lens_test_image_host_tear_down:
 *
 * Whatever used the session must be gone first. Every file of the cache
 * directory must be removable.
 */
void
lens_test_image_host_tear_down (LensTestImageHost *host)
{
  g_clear_object (&host->session);
  g_clear_object (&host->fake);
  g_clear_pointer (&host->ids, g_strfreev);
  lens_test_remove_tree (host->cache_dir);
  g_clear_pointer (&host->cache_dir, g_free);
}

/**
 * lens_test_image_host_url:
 * @index: which task, below %LENS_TEST_N_IMAGES
 * @suffix: ".png" for the full image, "-thumb.png" for its thumbnail
 *
 * Returns: (transfer full): the URL of that task's image
 */
char *
lens_test_image_host_url (LensTestImageHost *host,
                          guint              index,
                          const char        *suffix)
{
  g_assert_cmpuint (index, <, LENS_TEST_N_IMAGES);
  return lens_test_image_url (host->fake, host->ids[index], suffix);
}
