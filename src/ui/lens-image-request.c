/* lens-image-request.c — the one image a widget shows through the loader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row's thumbnail and the task view's image follow a URL that changes
 * as the task runs: a new URL cancels the load of the old one, the same
 * URL again changes nothing, a texture already in memory shows at once,
 * and only a load that was not cancelled reports back. That bookkeeping
 * lives here, once; what to show while loading is each widget's.
 */

#define G_LOG_DOMAIN "lens-image-request"

#include "config.h"

#include "lens-image-request.h"

typedef struct
{
  LensImageRequest     *request;
  LensImageRequestFunc  done;
  gpointer              user_data;
} Load;

static void
loaded_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      data)
{
  g_autofree Load *load = data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = lens_image_loader_load_finish (LENS_IMAGE_LOADER (source_object), result, &error);
  /* Cancelled by a newer URL or by the owner going away: the request may
   * be another load's, or gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&load->request->cancellable);
  load->done (texture, error, load->user_data);
}

/**
 * lens_image_request_reset:
 *
 * Cancels the load under way, if any, and forgets the URL, so that the
 * next update loads whatever it is given.
 */
void
lens_image_request_reset (LensImageRequest *request)
{
  g_return_if_fail (request != NULL);

  g_cancellable_cancel (request->cancellable);
  g_clear_object (&request->cancellable);
  g_clear_pointer (&request->url, g_free);
}

/**
 * lens_image_request_cancel_load:
 *
 * Cancels the load under way, if any, and forgets its URL, so that the
 * next update starts it again; an image already loaded stays followed.
 * For a widget that goes out of view.
 */
void
lens_image_request_cancel_load (LensImageRequest *request)
{
  g_return_if_fail (request != NULL);

  if (request->cancellable != NULL)
    lens_image_request_reset (request);
}

/**
 * lens_image_request_update:
 * @loader: (nullable): the loader; without one nothing is loaded
 * @url: (nullable): the address to show
 * @cached: (out) (transfer full) (nullable): the texture, when it was in
 *   memory; %NULL otherwise
 * @done: called once a load that this call started ends
 * @user_data: for @done; must stay valid until the load ends or the
 *   request is reset
 *
 * Follows @url. Unless it is the one shown or loading already, the load
 * under way is cancelled and a texture in memory is given in @cached;
 * without one, @url is loaded (when there is a @url and a @loader).
 *
 * Returns: %FALSE when @url is the one the request has already
 */
gboolean
lens_image_request_update (LensImageRequest      *request,
                           LensImageLoader       *loader,
                           const char            *url,
                           int                    max_size,
                           int                    scale_factor,
                           GdkTexture           **cached,
                           LensImageRequestFunc   done,
                           gpointer               user_data)
{
  Load *load;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (loader == NULL || LENS_IS_IMAGE_LOADER (loader), FALSE);
  g_return_val_if_fail (cached != NULL, FALSE);
  g_return_val_if_fail (done != NULL, FALSE);

  *cached = NULL;
  if (g_strcmp0 (url, request->url) == 0)
    return FALSE;

  lens_image_request_reset (request);
  request->url = g_strdup (url);
  if (url == NULL || loader == NULL)
    return TRUE;

  *cached = lens_image_loader_lookup (loader, url, max_size, scale_factor);
  if (*cached != NULL)
    return TRUE;

  load = g_new0 (Load, 1);
  load->request = request;
  load->done = done;
  load->user_data = user_data;
  request->cancellable = g_cancellable_new ();
  lens_image_loader_load_async (loader, url, max_size, scale_factor, request->cancellable,
                                loaded_cb, load);
  return TRUE;
}
