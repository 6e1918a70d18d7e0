/* test-image-util.c — what the image fetcher's and loader's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "test-image-util.h"

void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  /* SoupCache keeps a flat directory of files. */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_no_errno (g_unlink (child));
    }
  g_assert_no_errno (g_rmdir (path));
}

char *
image_url (LensFakeApi *fake,
           const char  *id,
           const char  *suffix)
{
  return g_strdup_printf ("%s/images/%s%s", lens_fake_api_get_url (fake), id, suffix);
}

guint
count_media_requests (LensFakeApi *fake)
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

void
wait_for_requests (LensFakeApi *fake,
                   guint        count)
{
  while (count_media_requests (fake) < count)
    g_main_context_iteration (NULL, TRUE);
}

void
push_fault (LensFakeApi       *fake,
            LensFakeFaultKind  kind,
            guint              times)
{
  LensFakeFault fault = { .kind = kind, .target = LENS_FAKE_TARGET_IMAGES, .retry_after = -1 };

  lens_fake_api_push_fault (fake, &fault, times);
}

void
push_delay (LensFakeApi *fake,
            guint        delay_ms,
            guint        times)
{
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_DELAY, .target = LENS_FAKE_TARGET_IMAGES,
    .retry_after = -1, .delay_ms = delay_ms,
  };

  lens_fake_api_push_fault (fake, &fault, times);
}
