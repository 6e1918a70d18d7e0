/* lens-client-private.h — shared between the client and its request engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-client.h"
#include "lens-scheduler.h"

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

  /* Every request waits there for its turn: the pace and the number in
   * flight that the server admits, learnt from its 429s. */
  LensScheduler *scheduler;    /* owned */
  guint          last_group;   /* the last number lens_client_new_group() gave */
};

void      lens_client_request_async  (LensClient          *self,
                                      GBytes              *body,
                                      LensRequestPriority  priority,
                                      guint                group,
                                      guint                n_tasks,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
JsonNode *lens_client_request_finish (LensClient          *self,
                                      GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
