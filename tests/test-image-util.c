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

static gboolean
set_true_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Drops the last reference to *@object_pointer (a loader or a fetcher),
 * then waits until the fetches it abandoned (each holds a reference) have
 * wound down and freed it. The guard is only there to fail rather than hang
 * if it leaks. */
void
finalize_eventually (gpointer object_pointer)
{
  GObject *object = G_OBJECT (g_steal_pointer ((GObject **) object_pointer));
  gboolean given_up = FALSE;
  guint guard = g_timeout_add_seconds (20, set_true_cb, &given_up);

  g_object_add_weak_pointer (object, (gpointer *) &object);
  g_object_unref (object);
  while (object != NULL && !given_up)
    g_main_context_iteration (NULL, TRUE);

  g_assert_null (object);
  g_source_remove (guard);
}

/* Lets the main loop run for a while, so that anything that would happen
 * (more requests, say) has the chance to. */
void
spin (guint milliseconds)
{
  gboolean elapsed = FALSE;

  g_timeout_add (milliseconds, set_true_cb, &elapsed);
  while (!elapsed)
    g_main_context_iteration (NULL, TRUE);
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
