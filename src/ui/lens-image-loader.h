/* lens-image-loader.h — thumbnails and previews, fetched, cached, decoded off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define LENS_IMAGE_LOADER_ERROR (lens_image_loader_error_quark ())

/**
 * LensImageLoaderError:
 * @LENS_IMAGE_LOADER_ERROR_INVALID_URL: not an http or https URL
 * @LENS_IMAGE_LOADER_ERROR_HTTP: the server answered with an error status
 *   (an expired image answers 403 or 404)
 * @LENS_IMAGE_LOADER_ERROR_NETWORK: the image could not be fetched
 * @LENS_IMAGE_LOADER_ERROR_TOO_LARGE: over the size cap
 * @LENS_IMAGE_LOADER_ERROR_DECODE: not an image that can be shown
 */
typedef enum
{
  LENS_IMAGE_LOADER_ERROR_INVALID_URL,
  LENS_IMAGE_LOADER_ERROR_HTTP,
  LENS_IMAGE_LOADER_ERROR_NETWORK,
  LENS_IMAGE_LOADER_ERROR_TOO_LARGE,
  LENS_IMAGE_LOADER_ERROR_DECODE,
} LensImageLoaderError;

#define LENS_TYPE_IMAGE_LOADER (lens_image_loader_get_type ())
G_DECLARE_FINAL_TYPE (LensImageLoader, lens_image_loader, LENS, IMAGE_LOADER, GObject)

GQuark           lens_image_loader_error_quark (void);

LensImageLoader *lens_image_loader_new         (SoupSession         *session,
                                                const char          *cache_dir);
void             lens_image_loader_load_async  (LensImageLoader     *self,
                                                const char          *url,
                                                int                  max_size,
                                                int                  scale_factor,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GdkTexture      *lens_image_loader_load_finish (LensImageLoader     *self,
                                                GAsyncResult        *result,
                                                GError             **error);
GdkTexture      *lens_image_loader_lookup      (LensImageLoader     *self,
                                                const char          *url,
                                                int                  max_size,
                                                int                  scale_factor);
void             lens_image_loader_flush       (LensImageLoader     *self);
void             lens_image_loader_set_memory_budget (LensImageLoader *self,
                                                      gsize            bytes);

G_END_DECLS
