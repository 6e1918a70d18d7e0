/* lens-client-private.h — shared between the client and its request engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-client.h"
#include "lens-request-queue.h"

G_BEGIN_DECLS

struct _LensClient
{
  GObject      parent_instance;

  SoupSession *session;        /* owned; shared with the rest of the app */
  char        *base_url;       /* owned; without a trailing slash */
  char        *token;          /* owned, nullable; a secret: never logged */
  guint        chunk_size;
  guint        max_retries;
  guint        base_delay_ms;
  gsize        max_body_size;
  guint        deadline_ms;    /* for each attempt, from sending to the last byte */

  /* At most LENS_CLIENT_MAX_IN_FLIGHT requests are on the wire at once;
   * the others wait there, in order, for a slot. */
  LensRequestQueue *queue;     /* owned */
};

void      lens_client_request_async  (LensClient          *self,
                                      GBytes              *body,
                                      LensRequestPriority  priority,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
JsonNode *lens_client_request_finish (LensClient          *self,
                                      GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
