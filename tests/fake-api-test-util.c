/* fake-api-test-util.c — what the fake AceData server's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These helpers talk to the fake server with a plain SoupSession, not with the
 * Tasklens client: the fake is what the client's tests trust, so it is checked
 * on its own.
 */

#include "config.h"

#define G_LOG_DOMAIN "TestFakeApi"

#include <string.h>

#include "fake-api-test-util.h"

void
reply_free (Reply *reply)
{
  g_clear_object (&reply->msg);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

LensFakeApi *
start_api (const char *token)
{
  g_autoptr(GError) error = NULL;
  LensFakeApi *api = lens_fake_api_new (token);

  lens_fake_api_start (api, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (lens_fake_api_get_url (api), "http://127.0.0.1:"));
  return api;
}

SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("user-agent", "test-fake-api/1.0", "timeout", 20, NULL);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->done = TRUE;
}

/* Server and client share this thread's main context, so the request is sent
 * asynchronously and the context iterated until the answer is complete. */
Reply *
send_request (SoupSession *session,
              const char  *method,
              const char  *url,
              const char  *authorization,
              const char  *body)
{
  Reply *reply = g_new0 (Reply, 1);
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

Reply *
post_tasks (LensFakeApi *api,
            SoupSession *session,
            const char  *body)
{
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);

  return send_request (session, "POST", url, "Bearer " TOKEN, body);
}

char *
image_url (LensFakeApi *api,
           const char  *id)
{
  return g_strdup_printf ("%s/images/%s.png", lens_fake_api_get_url (api), id);
}

Reply *
get_url (SoupSession *session,
         const char  *url)
{
  return send_request (session, "GET", url, NULL, NULL);
}

guint
reply_status (Reply *reply)
{
  g_assert_no_error (reply->error);
  return soup_message_get_status (reply->msg);
}

const char *
reply_header (Reply      *reply,
              const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (reply->msg), name);
}

JsonNode *
reply_json (Reply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data;

  g_assert_no_error (reply->error);
  g_assert_cmpstr (reply_header (reply, "Content-Type"), ==, "application/json");
  data = g_bytes_get_data (reply->body, &size);
  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
retrieve (LensFakeApi *api,
          SoupSession *session,
          const char  *id)
{
  g_autofree char *body = g_strdup_printf ("{\"action\": \"retrieve\", \"id\": \"%s\"}", id);
  g_autoptr(Reply) reply = post_tasks (api, session, body);

  g_assert_cmpuint (reply_status (reply), ==, 200);
  return reply_json (reply);
}

char *
batch_body (const char * const *ids,
            int                 limit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, "retrieve_batch");
  json_builder_set_member_name (builder, "ids");
  json_builder_begin_array (builder);
  for (guint i = 0; ids[i] != NULL; i++)
    json_builder_add_string_value (builder, ids[i]);
  json_builder_end_array (builder);
  if (limit >= 0)
    {
      json_builder_set_member_name (builder, "limit");
      json_builder_add_int_value (builder, limit);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

JsonArray *
batch_items (JsonNode *answer)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  return json_object_get_array_member (json_node_get_object (answer), "items");
}

const char *
item_id (JsonArray *items,
         guint      index)
{
  return json_object_get_string_member (json_array_get_object_element (items, index), "id");
}

JsonObject *
response_of (JsonNode *record)
{
  return json_object_get_object_member (json_node_get_object (record), "response");
}

const char *
record_string (JsonNode   *record,
               const char *member)
{
  return json_object_get_string_member (json_node_get_object (record), member);
}

JsonObject *
request_of (JsonNode *record)
{
  return json_object_get_object_member (json_node_get_object (record), "request");
}

JsonArray *
response_array (JsonNode   *record,
                const char *member)
{
  return json_object_get_array_member (response_of (record), member);
}

void
assert_error_body (Reply      *reply,
                   guint       status,
                   const char *code)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object, *error;

  g_assert_cmpuint (reply_status (reply), ==, status);
  node = reply_json (reply);
  object = json_node_get_object (node);
  g_assert_false (json_object_get_boolean_member (object, "success"));
  error = json_object_get_object_member (object, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "trace_id")), ==, 36);
}

void
finish (LensFakeApi *api,
        SoupSession *session)
{
  g_object_unref (session);
  g_assert_finalize_object (api);
}
