/* fake-api-test-util.h — what the fake AceData server's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by test-fake-api.c (the endpoints) and test-fake-api-faults.c (fault
 * injection). Every helper asserts rather than returning errors: a failure in
 * a helper fails the test that called it.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lens-fake-api.h"
#include "lens-test.h"

G_BEGIN_DECLS

#define TOKEN "test-token"
#define EXAMPLE_ID "7489df4c-ef03-4de0-b598-e9a590793434"

/* One request and its complete answer. */
typedef struct
{
  SoupMessage *msg;    /* owned */
  GBytes      *body;   /* owned, nullable */
  GError      *error;  /* owned, nullable */
  gboolean     done;
} Reply;

void         reply_free        (Reply              *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* The server and its client */
LensFakeApi *start_api         (const char         *token);
SoupSession *new_session       (void);
void         finish            (LensFakeApi        *api,
                                SoupSession        *session);

/* Requests */
Reply       *send_request      (SoupSession        *session,
                                const char         *method,
                                const char         *url,
                                const char         *authorization,
                                const char         *body);
Reply       *post_tasks        (LensFakeApi        *api,
                                SoupSession        *session,
                                const char         *body);
char        *image_url         (LensFakeApi        *api,
                                const char         *id);
Reply       *get_url           (SoupSession        *session,
                                const char         *url);
JsonNode    *retrieve          (LensFakeApi        *api,
                                SoupSession        *session,
                                const char         *id);
char        *batch_body        (const char * const *ids,
                                int                 limit);

/* Answers */
guint        reply_status      (Reply              *reply);
const char  *reply_header      (Reply              *reply,
                                const char         *name);
JsonNode    *reply_json        (Reply              *reply);
void         assert_error_body (Reply              *reply,
                                guint               status,
                                const char         *code);

/* Records and batches */
JsonArray   *batch_items       (JsonNode           *answer);
const char  *item_id           (JsonArray          *items,
                                guint               index);
JsonObject  *response_of       (JsonNode           *record);
const char  *record_string     (JsonNode           *record,
                                const char         *member);
JsonObject  *request_of        (JsonNode           *record);
JsonArray   *response_array    (JsonNode           *record,
                                const char         *member);

G_END_DECLS
