/* lens-image-decoder.h — pictures decoded and scaled in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void        lens_image_decoder_decode_async    (GBytes              *data,
                                                int                  pixel_size,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GdkTexture *lens_image_decoder_decode_finish   (GAsyncResult        *result,
                                                GError             **error);

void        lens_image_decoder_set_limits      (guint                max_in_flight,
                                                gsize                budget);
void        lens_image_decoder_get_stats       (guint               *peak_in_flight,
                                                gsize               *peak_reserved);
void        lens_image_decoder_reset_stats     (void);

G_END_DECLS
