/* lens-test-fake-client.c — plain requests to the fake AceData server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include <string.h>

#include "lens-test-fake-client.h"

void
lens_test_reply_free (LensTestReply *reply)
{
  g_clear_object (&reply->msg);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

/**
 * lens_test_fake_client_new:
 *
 * Returns: (transfer full): a plain session, not the app's
 */
SoupSession *
lens_test_fake_client_new (void)
{
  return soup_session_new_with_options ("user-agent", "test-fake-api/1.0", "timeout", 20, NULL);
}

/**
 * lens_test_fake_client_finish:
 *
 * Drops @session, then the server, which must not leak.
 */
void
lens_test_fake_client_finish (LensFakeApi *api,
                              SoupSession *session)
{
  g_object_unref (session);
  g_assert_finalize_object (api);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LensTestReply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->done = TRUE;
}

/**
 * lens_test_send_request:
 * @authorization: (nullable): the Authorization header
 * @body: (nullable): a JSON request body
 *
 * Server and client share this thread's main context, so the request is
 * sent asynchronously and the context run until the answer is complete.
 *
 * Returns: (transfer full): the reply, which may hold a transport error
 */
LensTestReply *
lens_test_send_request (SoupSession *session,
                        const char  *method,
                        const char  *url,
                        const char  *authorization,
                        const char  *body)
{
  LensTestReply *reply = g_new0 (LensTestReply, 1);
  SoupMessageHeaders *headers;

  reply->msg = soup_message_new (method, url);
  g_assert_nonnull (reply->msg);
  headers = soup_message_get_request_headers (reply->msg);
  if (authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (reply->msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (session, reply->msg, G_PRIORITY_DEFAULT, NULL, sent_cb, reply);
  lens_test_spin_until (&reply->done, LENS_TEST_DEADLINE_MS);

  return reply;
}

/**
 * lens_test_post_tasks:
 *
 * POSTs @body to /midjourney/tasks with %LENS_TEST_FAKE_TOKEN.
 */
LensTestReply *
lens_test_post_tasks (LensFakeApi *api,
                      SoupSession *session,
                      const char  *body)
{
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);

  return lens_test_send_request (session, "POST", url, "Bearer " LENS_TEST_FAKE_TOKEN, body);
}

LensTestReply *
lens_test_get_url (SoupSession *session,
                   const char  *url)
{
  return lens_test_send_request (session, "GET", url, NULL, NULL);
}

/**
 * lens_test_retrieve_record:
 *
 * Returns: (transfer full): the answer to a retrieve of @id, which must be
 * a 200
 */
JsonNode *
lens_test_retrieve_record (LensFakeApi *api,
                           SoupSession *session,
                           const char  *id)
{
  g_autofree char *body = g_strdup_printf ("{\"action\": \"retrieve\", \"id\": \"%s\"}", id);
  g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, body);

  g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  return lens_test_reply_json (reply);
}

/**
 * lens_test_reply_status:
 *
 * Returns: the HTTP status; a transport error fails the test
 */
guint
lens_test_reply_status (LensTestReply *reply)
{
  g_assert_no_error (reply->error);
  return soup_message_get_status (reply->msg);
}

const char *
lens_test_reply_header (LensTestReply *reply,
                        const char    *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (reply->msg), name);
}

/**
 * lens_test_reply_json:
 *
 * Returns: (transfer full): the body, which must be JSON and say so
 */
JsonNode *
lens_test_reply_json (LensTestReply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data;

  g_assert_no_error (reply->error);
  g_assert_cmpstr (lens_test_reply_header (reply, "Content-Type"), ==, "application/json");
  data = g_bytes_get_data (reply->body, &size);
  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/**
 * lens_test_assert_error_body:
 *
 * Asserts that @reply is the documented error answer: @status, and a body
 * with success false, the error @code and a message, and a trace id.
 */
void
lens_test_assert_error_body (LensTestReply *reply,
                             guint          status,
                             const char    *code)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object, *error;

  g_assert_cmpuint (lens_test_reply_status (reply), ==, status);
  node = lens_test_reply_json (reply);
  object = json_node_get_object (node);
  g_assert_false (json_object_get_boolean_member (object, "success"));
  error = json_object_get_object_member (object, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "trace_id")), ==, 36);
}

/**
 * lens_test_record_string:
 *
 * Returns: (transfer none): the string @member of a task record
 */
const char *
lens_test_record_string (JsonNode   *record,
                         const char *member)
{
  return json_object_get_string_member (json_node_get_object (record), member);
}
