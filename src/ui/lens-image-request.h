/* lens-image-request.h — the one image a widget shows through the loader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-image-loader.h"

G_BEGIN_DECLS

/**
 * LensImageRequest:
 * @url: (nullable): the address shown or being loaded
 * @cancellable: (nullable): the load under way
 *
 * Embedded in a widget, zero-filled; lens_image_request_reset() before the
 * widget goes.
 */
typedef struct
{
  char         *url;
  GCancellable *cancellable;
} LensImageRequest;

/* The load ended with @texture, or with @error; never called for a load
 * that was cancelled. */
typedef void (*LensImageRequestFunc) (GdkTexture   *texture,
                                      const GError *error,
                                      gpointer      user_data);

gboolean lens_image_request_update (LensImageRequest      *request,
                                    LensImageLoader       *loader,
                                    const char            *url,
                                    int                    max_size,
                                    int                    scale_factor,
                                    GdkTexture           **cached,
                                    LensImageRequestFunc   done,
                                    gpointer               user_data);
void     lens_image_request_reset  (LensImageRequest      *request);
void     lens_image_request_cancel_load (LensImageRequest *request);

G_END_DECLS
