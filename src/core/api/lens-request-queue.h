/* lens-request-queue.h — at most a few requests at once, the others in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LENS_TYPE_REQUEST_QUEUE (lens_request_queue_get_type ())
G_DECLARE_FINAL_TYPE (LensRequestQueue, lens_request_queue, LENS, REQUEST_QUEUE, GObject)

LensRequestQueue *lens_request_queue_new               (guint                max_in_flight);
guint             lens_request_queue_get_max_in_flight (LensRequestQueue    *self);
guint             lens_request_queue_get_n_in_flight   (LensRequestQueue    *self);
guint             lens_request_queue_get_n_waiting     (LensRequestQueue    *self);

void              lens_request_queue_acquire_async     (LensRequestQueue    *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          lens_request_queue_acquire_finish    (LensRequestQueue    *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void              lens_request_queue_release           (LensRequestQueue    *self);

G_END_DECLS
