/* lens-http-send.h — sending a request through libsoup, cancellable safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void lens_http_send_async          (SoupSession         *session,
                                    SoupMessage         *message,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
void lens_http_send_and_read_async (SoupSession         *session,
                                    SoupMessage         *message,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);

G_END_DECLS
