/* lens-image-fetcher.h — images as bytes, a few at a time, through the disk cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Browsers open about six connections per host; so do we. */
#define LENS_IMAGE_FETCHER_MAX_FETCHES 6

#define LENS_IMAGE_FETCHER_ERROR (lens_image_fetcher_error_quark ())

/**
 * LensImageFetcherError:
 * @LENS_IMAGE_FETCHER_ERROR_INVALID_URL: not an http or https URL
 * @LENS_IMAGE_FETCHER_ERROR_HTTP: the server answered with an error status
 *   (an expired image answers 403 or 404)
 * @LENS_IMAGE_FETCHER_ERROR_NETWORK: the image could not be fetched
 * @LENS_IMAGE_FETCHER_ERROR_TOO_LARGE: over the size cap
 */
typedef enum
{
  LENS_IMAGE_FETCHER_ERROR_INVALID_URL,
  LENS_IMAGE_FETCHER_ERROR_HTTP,
  LENS_IMAGE_FETCHER_ERROR_NETWORK,
  LENS_IMAGE_FETCHER_ERROR_TOO_LARGE,
} LensImageFetcherError;

#define LENS_TYPE_IMAGE_FETCHER (lens_image_fetcher_get_type ())
G_DECLARE_FINAL_TYPE (LensImageFetcher, lens_image_fetcher, LENS, IMAGE_FETCHER, GObject)

GQuark            lens_image_fetcher_error_quark (void);
guint             lens_image_fetcher_error_get_status (const GError *error);

LensImageFetcher *lens_image_fetcher_new          (SoupSession         *session,
                                                   const char          *cache_dir);
void              lens_image_fetcher_fetch_async  (LensImageFetcher    *self,
                                                   const char          *url,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GBytes           *lens_image_fetcher_fetch_finish (LensImageFetcher    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void              lens_image_fetcher_flush        (LensImageFetcher    *self);
gboolean          lens_image_fetcher_is_ready     (LensImageFetcher    *self);
gboolean          lens_image_fetcher_is_flushing  (LensImageFetcher    *self);
void              lens_image_fetcher_set_deadline (LensImageFetcher    *self,
                                                   guint                deadline_ms);
void              lens_image_fetcher_set_resizing_hosts (LensImageFetcher   *self,
                                                         const char * const *hosts);
char             *lens_image_fetcher_url_for_width (LensImageFetcher   *self,
                                                    const char         *url,
                                                    int                 width);

gboolean          lens_image_fetcher_return_if_closed (GTask             *task,
                                                       gboolean           closed);

G_END_DECLS
