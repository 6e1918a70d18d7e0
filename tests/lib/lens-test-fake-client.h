/* lens-test-fake-client.h — plain requests to the fake AceData server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the fake server's own tests (test-fake-api.c, test-fake-api-faults.c):
 * they talk to it with a plain SoupSession, not with the Tasklens client,
 * because the fake is what the client's tests trust, so it is checked on
 * its own. Every helper asserts rather than returning errors.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lens-test-fake.h"

G_BEGIN_DECLS

/* The token lens_test_post_tasks() sends. */
#define LENS_TEST_FAKE_TOKEN "test-token"

/* One request and its complete answer. */
typedef struct
{
  SoupMessage *msg;    /* owned */
  GBytes      *body;   /* owned, nullable */
  GError      *error;  /* owned, nullable */
  gboolean     done;
} LensTestReply;

void           lens_test_reply_free        (LensTestReply      *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensTestReply, lens_test_reply_free)

/* The client */
SoupSession   *lens_test_fake_client_new    (void);
void           lens_test_fake_client_finish (LensFakeApi        *api,
                                             SoupSession        *session);

/* Requests */
LensTestReply *lens_test_send_request      (SoupSession        *session,
                                            const char         *method,
                                            const char         *url,
                                            const char         *authorization,
                                            const char         *body);
LensTestReply *lens_test_post_tasks        (LensFakeApi        *api,
                                            SoupSession        *session,
                                            const char         *body);
LensTestReply *lens_test_get_url           (SoupSession        *session,
                                            const char         *url);
JsonNode      *lens_test_retrieve_record   (LensFakeApi        *api,
                                            SoupSession        *session,
                                            const char         *id);

/* Answers */
guint          lens_test_reply_status      (LensTestReply      *reply);
const char    *lens_test_reply_header      (LensTestReply      *reply,
                                            const char         *name);
JsonNode      *lens_test_reply_json        (LensTestReply      *reply);
void           lens_test_assert_error_body (LensTestReply      *reply,
                                            guint               status,
                                            const char         *code);
const char    *lens_test_record_string     (JsonNode           *record,
                                            const char         *member);

G_END_DECLS
