/* lens-image-loader.h — thumbnails and previews, fetched, decoded off the main thread, kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-image-fetcher.h"

G_BEGIN_DECLS

#define LENS_IMAGE_LOADER_ERROR (lens_image_loader_error_quark ())

/**
 * LensImageLoaderError:
 * @LENS_IMAGE_LOADER_ERROR_TOO_LARGE: too many pixels to decode safely
 * @LENS_IMAGE_LOADER_ERROR_DECODE: not an image that can be shown
 *
 * What can go wrong after the bytes arrived; fetching them fails with a
 * #LensImageFetcherError.
 */
typedef enum
{
  LENS_IMAGE_LOADER_ERROR_TOO_LARGE,
  LENS_IMAGE_LOADER_ERROR_DECODE,
} LensImageLoaderError;

#define LENS_TYPE_IMAGE_LOADER (lens_image_loader_get_type ())
G_DECLARE_FINAL_TYPE (LensImageLoader, lens_image_loader, LENS, IMAGE_LOADER, GObject)

GQuark           lens_image_loader_error_quark (void);

LensImageLoader *lens_image_loader_new         (LensImageFetcher    *fetcher);
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
char            *lens_image_loader_url_for_size (LensImageLoader    *self,
                                                 const char         *url,
                                                 int                 max_size,
                                                 int                 scale_factor);
void             lens_image_loader_flush       (LensImageLoader     *self);
void             lens_image_loader_set_memory_budget (LensImageLoader *self,
                                                      gsize            bytes);

G_END_DECLS
