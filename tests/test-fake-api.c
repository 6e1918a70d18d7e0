/* test-fake-api.c — the fake AceData server keeps the contract in API.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These tests talk to the fake server with a plain SoupSession, not with the
 * Tasklens client: the fake is what the client's tests trust, so it is checked
 * on its own.
 */

#include "config.h"

#define G_LOG_DOMAIN "TestFakeApi"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lens-fake-api.h"

#define TOKEN "test-token"
#define EXAMPLE_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define PROGRESS_ID "49589d2c-b6b3-4fbf-9f82-93068509c76f"

typedef struct
{
  SoupMessage *msg;    /* owned */
  GBytes      *body;   /* owned, nullable */
  GError      *error;  /* owned, nullable */
  gboolean     done;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_object (&reply->msg);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* Helpers */

static LensFakeApi *
start_api (const char *token)
{
  g_autoptr(GError) error = NULL;
  LensFakeApi *api = lens_fake_api_new (token);

  lens_fake_api_start (api, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (lens_fake_api_get_url (api), "http://127.0.0.1:"));
  return api;
}

static SoupSession *
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
static Reply *
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
  while (!reply->done)
    g_main_context_iteration (NULL, TRUE);

  return reply;
}

static Reply *
post_tasks (LensFakeApi *api,
            SoupSession *session,
            const char  *body)
{
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);

  return send_request (session, "POST", url, "Bearer " TOKEN, body);
}

static char *
image_url (LensFakeApi *api,
           const char  *id)
{
  return g_strdup_printf ("%s/images/%s.png", lens_fake_api_get_url (api), id);
}

static Reply *
get_url (SoupSession *session,
         const char  *url)
{
  return send_request (session, "GET", url, NULL, NULL);
}

static guint
reply_status (Reply *reply)
{
  g_assert_no_error (reply->error);
  return soup_message_get_status (reply->msg);
}

static const char *
reply_header (Reply      *reply,
              const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (reply->msg), name);
}

static JsonNode *
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

static JsonNode *
retrieve (LensFakeApi *api,
          SoupSession *session,
          const char  *id)
{
  g_autofree char *body = g_strdup_printf ("{\"action\": \"retrieve\", \"id\": \"%s\"}", id);
  g_autoptr(Reply) reply = post_tasks (api, session, body);

  g_assert_cmpuint (reply_status (reply), ==, 200);
  return reply_json (reply);
}

static char *
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

static JsonArray *
batch_items (JsonNode *answer)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  return json_object_get_array_member (json_node_get_object (answer), "items");
}

static const char *
item_id (JsonArray *items,
         guint      index)
{
  return json_object_get_string_member (json_array_get_object_element (items, index), "id");
}

static JsonObject *
response_of (JsonNode *record)
{
  return json_object_get_object_member (json_node_get_object (record), "response");
}

static const char *
record_string (JsonNode   *record,
               const char *member)
{
  return json_object_get_string_member (json_node_get_object (record), member);
}

static JsonObject *
request_of (JsonNode *record)
{
  return json_object_get_object_member (json_node_get_object (record), "request");
}

static JsonArray *
response_array (JsonNode   *record,
                const char *member)
{
  return json_object_get_array_member (response_of (record), member);
}

static void
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

static gboolean
set_true_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits while the server keeps answering. */
static void
wait_ms (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
finish (LensFakeApi *api,
        SoupSession *session)
{
  g_object_unref (session);
  g_assert_finalize_object (api);
}

/* Tests */

static void
test_make_id (void)
{
  g_autofree char *a = lens_fake_api_make_id ("imagine-17");
  g_autofree char *b = lens_fake_api_make_id ("imagine-17");
  g_autofree char *c = lens_fake_api_make_id ("imagine-18");

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_cmpint (a[14], ==, '4');
  g_assert_nonnull (strchr ("89ab", a[19]));
  for (const char *p = a; *p != '\0'; p++)
    g_assert_false (g_ascii_isupper (*p));
}

static void
test_auth (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);
  const char *body = "{\"action\": \"retrieve\", \"id\": \"" EXAMPLE_ID "\"}";
  g_autoptr(Reply) none = send_request (session, "POST", url, NULL, body);
  g_autoptr(Reply) empty = send_request (session, "POST", url, "Bearer ", body);
  g_autoptr(Reply) wrong = send_request (session, "POST", url, "Bearer nope", body);
  g_autoptr(Reply) basic = send_request (session, "POST", url, "Basic " TOKEN, body);
  g_autoptr(Reply) right = send_request (session, "POST", url, "Bearer " TOKEN, body);

  assert_error_body (none, 401, "no_token");
  assert_error_body (empty, 401, "no_token");
  assert_error_body (wrong, 401, "invalid_token");
  assert_error_body (basic, 401, "invalid_token");
  g_assert_cmpuint (reply_status (right), ==, 200);

  finish (api, session);
}

static void
test_auth_any_token (void)
{
  LensFakeApi *api = start_api (NULL);
  SoupSession *session = new_session ();
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);
  const char *body = "{\"action\": \"retrieve\", \"id\": \"x\"}";
  g_autoptr(Reply) any = send_request (session, "POST", url, "Bearer whatever", body);
  g_autoptr(Reply) none = send_request (session, "POST", url, NULL, body);

  g_assert_cmpuint (reply_status (any), ==, 200);
  assert_error_body (none, 401, "no_token");

  finish (api, session);
}

static JsonNode *
load_data_json (const char *name)
{
  g_autofree char *path = g_build_filename (TEST_DATA_DIR, "api-examples", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_retrieve (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autoptr(JsonNode) expected = load_data_json ("retrieve.json");
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  JsonObject *response;

  g_assert_cmpuint (lens_fake_api_seed_examples (api), ==, 6);

  record = retrieve (api, session, EXAMPLE_ID);
  g_assert_cmpstr (record_string (record, "id"), ==, EXAMPLE_ID);
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (record), "request"),
                                  json_object_get_member (json_node_get_object (expected),
                                                          "request")));
  response = response_of (record);
  g_assert_cmpint (json_object_get_int_member (response, "raw_image_width"), ==, 2048);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (response, "raw_image_url"),
                                   lens_fake_api_get_url (api)));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (response, "image_url"),
                                   lens_fake_api_get_url (api)));

  unknown = retrieve (api, session, "00000000-0000-4000-8000-000000000000");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (unknown));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (unknown)), ==, 0);

  finish (api, session);
}

static void
assert_local_urls (LensFakeApi *api,
                   JsonObject  *object,
                   const char  *member)
{
  JsonArray *urls = json_object_get_array_member (object, member);

  g_assert_cmpuint (json_array_get_length (urls), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const char *url = json_array_get_string_element (urls, i);

      g_assert_true (g_str_has_prefix (url, lens_fake_api_get_url (api)));
    }
}

static void
test_examples (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autoptr(JsonNode) edits = NULL;
  g_autoptr(JsonNode) videos = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(Reply) video = NULL;
  const char *video_url;
  JsonObject *response;

  lens_fake_api_seed_examples (api);

  second = retrieve (api, session, "807f62de-c63e-4add-8345-7f0ae6dd18e7");
  g_assert_cmpstr (json_object_get_string_member (request_of (second), "prompt"),
                   ==, "A beautiful girl");

  edits = retrieve (api, session, "26c39859-f54a-4998-9e42-3da96eceee8c");
  g_assert_cmpstr (record_string (edits, "type"), ==, "edits");
  assert_local_urls (api, response_of (edits), "sub_image_urls");

  videos = retrieve (api, session, "037955e0-deee-4050-baa8-1416300d67e2");
  response = response_of (videos);
  g_assert_cmpstr (record_string (videos, "type"), ==, "videos");
  assert_local_urls (api, response, "video_urls");
  video_url = json_array_get_string_element (response_array (videos, "video_urls"), 0);
  video = get_url (session, video_url);
  g_assert_cmpuint (reply_status (video), ==, 200);
  g_assert_cmpstr (reply_header (video, "Content-Type"), ==, "video/mp4");

  finish (api, session);
}

static void
test_example_describe (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autofree char *id = lens_fake_api_make_id ("example-describe");
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(Reply) source = NULL;
  JsonObject *request;

  lens_fake_api_seed_examples (api);
  record = retrieve (api, session, id);
  g_assert_cmpstr (record_string (record, "type"), ==, "describe");
  g_assert_cmpuint (json_array_get_length (response_array (record, "descriptions")), ==, 4);

  request = request_of (record);
  source = get_url (session, json_object_get_string_member (request, "image_url"));
  g_assert_cmpuint (reply_status (source), ==, 200);
  g_assert_cmpstr (reply_header (source, "Content-Type"), ==, "image/png");

  finish (api, session);
}

static void
test_bad_requests (void)
{
  static const char * const bodies[] = {
    "this is not JSON",
    "[\"retrieve\"]",
    "{\"action\": \"imagine\", \"prompt\": \"a cat\"}",
    "{\"action\": {\"nested\": true}}",
    "{\"action\": \"retrieve\"}",
    "{\"action\": \"retrieve\", \"id\": 42}",
    "{\"action\": \"retrieve_batch\"}",
    "{\"action\": \"retrieve_batch\", \"ids\": \"" EXAMPLE_ID "\"}",
    "{\"action\": \"retrieve_batch\", \"ids\": [1, 2]}",
  };
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autofree char *other = g_strconcat (lens_fake_api_get_url (api), "/v1/tasks", NULL);
  g_autofree char *tasks = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);
  g_autoptr(Reply) wrong_path = send_request (session, "POST", other, "Bearer " TOKEN, "{}");
  g_autoptr(Reply) wrong_method = send_request (session, "GET", tasks, "Bearer " TOKEN, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(Reply) reply = post_tasks (api, session, bodies[i]);

      assert_error_body (reply, 400, "bad_request");
    }

  assert_error_body (wrong_path, 404, "no_api");
  g_assert_cmpuint (reply_status (wrong_method), ==, 405);
  g_assert_cmpstr (reply_header (wrong_method, "Allow"), ==, "POST");

  finish (api, session);
}

static void
test_batch_order (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 5);
  g_autoptr(GStrvBuilder) asked = g_strv_builder_new ();
  g_auto(GStrv) request_ids = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *items;
  gboolean same_order = TRUE;

  g_strv_builder_addv (asked, (const char **) ids);
  g_strv_builder_add (asked, "00000000-0000-4000-8000-000000000000");
  request_ids = g_strv_builder_end (asked);
  body = batch_body ((const char * const *) request_ids, 6);
  reply = post_tasks (api, session, body);
  g_assert_cmpuint (reply_status (reply), ==, 200);
  answer = reply_json (reply);

  items = batch_items (answer);
  g_assert_cmpuint (json_array_get_length (items), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (g_strv_contains ((const char * const *) ids, item_id (items, i)));
      same_order = same_order && g_str_equal (item_id (items, i), ids[i]);
    }
  g_assert_false (same_order);

  finish (api, session);
}

static guint
batch_length (LensFakeApi        *api,
              SoupSession        *session,
              const char * const *ids,
              int                 limit)
{
  g_autofree char *body = batch_body (ids, limit);
  g_autoptr(Reply) reply = post_tasks (api, session, body);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (reply_status (reply), ==, 200);
  answer = reply_json (reply);
  return json_array_get_length (batch_items (answer));
}

static void
test_batch_limit (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_UPSCALE, 20);

  /* Without "limit" the server's default of 12 truncates silently. */
  g_assert_cmpuint (batch_length (api, session, (const char * const *) ids, -1), ==, 12);
  g_assert_cmpuint (batch_length (api, session, (const char * const *) ids, 20), ==, 20);
  g_assert_cmpuint (batch_length (api, session, (const char * const *) ids, 3), ==, 3);

  finish (api, session);
}

static void
test_batch_large (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  gint64 start = g_get_monotonic_time ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 10000);
  g_autofree char *saved = NULL;

  g_assert_cmpuint (g_strv_length (ids), ==, 10000);

  /* Fifty ids from the far end of the set. */
  saved = g_steal_pointer (&ids[9050]);
  ids[9050] = NULL;
  g_assert_cmpuint (batch_length (api, session, (const char * const *) ids + 9000, 50), ==, 50);
  ids[9050] = g_steal_pointer (&saved);

  /* Generous, for sanitizer builds: the point is no work per seeded record. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  finish (api, session);
}

static gboolean
array_has (JsonArray  *array,
           const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;

  return FALSE;
}

static JsonNode *
retrieve_generated (LensFakeApi      *api,
                    SoupSession      *session,
                    LensFakeTaskKind  kind)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, kind, 1);

  return retrieve (api, session, ids[0]);
}

static void
test_generated_kinds (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autoptr(JsonNode) imagine = retrieve_generated (api, session, LENS_FAKE_TASK_IMAGINE);
  g_autoptr(JsonNode) upscale = retrieve_generated (api, session, LENS_FAKE_TASK_UPSCALE);
  g_autoptr(JsonNode) describe = retrieve_generated (api, session, LENS_FAKE_TASK_DESCRIBE);
  g_autoptr(JsonNode) videos = retrieve_generated (api, session, LENS_FAKE_TASK_VIDEOS);
  g_autoptr(JsonNode) edits = retrieve_generated (api, session, LENS_FAKE_TASK_EDITS);
  g_autoptr(JsonNode) failed = retrieve_generated (api, session, LENS_FAKE_TASK_FAILED);
  JsonObject *error;

  g_assert_true (array_has (response_array (imagine, "actions"), "upscale1"));
  g_assert_true (array_has (response_array (imagine, "actions"), "variation4"));
  g_assert_true (array_has (response_array (upscale, "actions"), "upscale_2x"));
  g_assert_true (array_has (response_array (upscale, "actions"), "pan_left"));
  g_assert_cmpstr (record_string (describe, "type"), ==, "describe");
  g_assert_nonnull (json_object_get_string_member (request_of (describe), "image_url"));
  g_assert_cmpuint (json_array_get_length (response_array (describe, "descriptions")), ==, 4);
  assert_local_urls (api, response_of (videos), "video_urls");
  assert_local_urls (api, response_of (edits), "sub_image_urls");

  error = json_object_get_object_member (response_of (failed), "error");
  g_assert_false (json_object_get_boolean_member (response_of (failed), "success"));
  g_assert_nonnull (json_object_get_string_member (error, "code"));
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  g_assert_nonnull (json_object_get_string_member (response_of (failed), "trace_id"));

  finish (api, session);
}

static void
test_generated_variety (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 12);
  g_autofree char *body = batch_body ((const char * const *) ids, 12);
  g_autoptr(Reply) reply = post_tasks (api, session, body);
  g_autoptr(JsonNode) answer = reply_json (reply);
  JsonArray *items = batch_items (answer);
  gboolean elapsed = FALSE, duration = FALSE, string_size = FALSE, null_started = FALSE;
  g_autoptr(GHashTable) modes = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (json_array_get_length (items), ==, 12);
  for (guint i = 0; i < 12; i++)
    {
      JsonObject *record = json_array_get_object_element (items, i);
      JsonObject *request = json_object_get_object_member (record, "request");
      JsonNode *width = json_object_get_member (json_object_get_object_member (record, "response"),
                                                "raw_image_width");
      JsonNode *started = json_object_get_member (record, "started_at");

      g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (record,
                                                                            "application_id")));
      g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (record, "job_id")));
      g_assert_nonnull (json_object_get_string_member (request, "prompt"));
      g_hash_table_add (modes, (gpointer) json_object_get_string_member (request, "mode"));
      elapsed |= json_object_has_member (record, "elapsed");
      duration |= json_object_has_member (record, "duration");
      string_size |= json_node_get_value_type (width) == G_TYPE_STRING;
      null_started |= started != NULL && JSON_NODE_HOLDS_NULL (started);
    }

  g_assert_true (elapsed && duration && string_size && null_started);
  g_assert_cmpuint (g_hash_table_size (modes), ==, 3);

  finish (api, session);
}

typedef enum
{
  SEEN_PENDING = 1 << 0,
  SEEN_RUNNING = 1 << 1,
  SEEN_DONE = 1 << 2,
} Seen;

static Seen
check_running_state (JsonObject *record,
                     int        *last_progress)
{
  JsonNode *node = json_object_get_member (record, "response");
  JsonObject *response;
  int progress;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_assert_false (json_object_has_member (record, "finished_at"));
      g_assert_cmpint (*last_progress, <, 0);
      return SEEN_PENDING;
    }

  response = json_node_get_object (node);
  progress = json_object_get_int_member (response, "progress");
  g_assert_true (json_object_get_boolean_member (response, "success"));
  g_assert_cmpint (progress, >=, *last_progress);
  *last_progress = progress;

  if (json_object_has_member (record, "finished_at"))
    {
      g_assert_cmpint (progress, ==, 100);
      g_assert_true (array_has (json_object_get_array_member (response, "actions"), "upscale1"));
      return SEEN_DONE;
    }

  g_assert_cmpint (progress, <, 100);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (response, "actions")),
                    ==, 0);
  g_assert_nonnull (strstr (json_object_get_string_member (response, "image_url"), "_grid_0.webp"));
  return SEEN_RUNNING;
}

static void
test_running (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_auto(GStrv) ids = NULL;
  g_autoptr(Reply) preview = NULL;
  g_autofree char *preview_url = NULL;
  int last_progress = -1;
  Seen seen = 0;

  lens_fake_api_set_running_duration (api, 600);
  ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_RUNNING, 1);

  for (guint i = 0; i < 200 && !(seen & SEEN_DONE); i++)
    {
      g_autoptr(JsonNode) record = retrieve (api, session, ids[0]);
      Seen now = check_running_state (json_node_get_object (record), &last_progress);

      if (now == SEEN_RUNNING && preview_url == NULL)
        preview_url = g_strdup (json_object_get_string_member (response_of (record), "image_url"));
      seen |= now;
      wait_ms (15);
    }

  g_assert_cmpint (seen, ==, SEEN_PENDING | SEEN_RUNNING | SEEN_DONE);

  preview = get_url (session, preview_url);
  g_assert_cmpuint (reply_status (preview), ==, 200);
  g_assert_cmpstr (reply_header (preview, "Content-Type"), ==, "image/png");

  finish (api, session);
}

static void
test_running_example (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  int last_progress = -1;
  Seen seen = 0;

  lens_fake_api_set_running_duration (api, 600);
  lens_fake_api_seed_examples (api);

  /* The three states of imagine_progress.ndjson: 35 %, 75 %, done. */
  for (guint i = 0; i < 200 && !(seen & SEEN_DONE); i++)
    {
      g_autoptr(JsonNode) record = retrieve (api, session, PROGRESS_ID);

      seen |= check_running_state (json_node_get_object (record), &last_progress);
      wait_ms (15);
    }

  g_assert_cmpint (seen, ==, SEEN_PENDING | SEEN_RUNNING | SEEN_DONE);

  finish (api, session);
}

static void
assert_png_header (GBytes *bytes,
                   int     width,
                   int     height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpuint (size, >, 24);
  g_assert_cmpmem (data, 8, signature, 8);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  g_assert_cmpint (GUINT32_FROM_BE (*(const guint32 *) (data + 16)), ==, width);
  g_assert_cmpint (GUINT32_FROM_BE (*(const guint32 *) (data + 20)), ==, height);
}

static GdkPixbuf *
decode_png (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static guint32
pixel_at (GdkPixbuf *pixbuf,
          int        x,
          int        y)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf)
                    + y * gdk_pixbuf_get_rowstride (pixbuf)
                    + x * gdk_pixbuf_get_n_channels (pixbuf);

  return (p[0] << 16) | (p[1] << 8) | p[2];
}

static void
assert_four_quadrants (GdkPixbuf *pixbuf)
{
  int w = gdk_pixbuf_get_width (pixbuf);
  int h = gdk_pixbuf_get_height (pixbuf);
  guint32 colours[4] = {
    pixel_at (pixbuf, w / 8, h / 8), pixel_at (pixbuf, w / 2 + w / 8, h / 8),
    pixel_at (pixbuf, w / 8, h / 2 + h / 8), pixel_at (pixbuf, w / 2 + w / 8, h / 2 + h / 8),
  };

  for (int i = 0; i < 4; i++)
    for (int j = i + 1; j < 4; j++)
      g_assert_cmphex (colours[i], !=, colours[j]);
}

static Reply *
get_png (SoupSession *session,
         const char  *url,
         int          width,
         int          height)
{
  Reply *reply = get_url (session, url);
  SoupMessageHeaders *headers;

  g_assert_cmpuint (reply_status (reply), ==, 200);
  g_assert_cmpstr (reply_header (reply, "Content-Type"), ==, "image/png");
  headers = soup_message_get_response_headers (reply->msg);
  g_assert_cmpint (soup_message_headers_get_content_length (headers),
                   ==, g_bytes_get_size (reply->body));
  assert_png_header (reply->body, width, height);
  return reply;
}

static void
test_images (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autoptr(JsonNode) record = retrieve_generated (api, session, LENS_FAKE_TASK_IMAGINE);
  JsonObject *response = response_of (record);
  const char *raw_url = json_object_get_string_member (response, "raw_image_url");
  const char *thumb_url = json_object_get_string_member (response, "image_url");
  int width = json_object_get_int_member (response, "raw_image_width");
  int height = json_object_get_int_member (response, "raw_image_height");
  g_autoptr(Reply) full = get_png (session, raw_url, width, height);
  g_autoptr(Reply) thumb = get_png (session, thumb_url, width / 2, height / 2);
  g_autoptr(Reply) again = get_png (session, raw_url, width, height);
  g_autoptr(GdkPixbuf) pixbuf = decode_png (full->body);
  g_autofree char *unknown_url = image_url (api, "00000000-0000-4000-8000-000000000000");
  g_autoptr(Reply) unknown = get_url (session, unknown_url);

  g_assert_cmpint (json_object_get_int_member (response, "image_width"), ==, width / 2);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
  assert_four_quadrants (pixbuf);
  g_assert_true (g_bytes_equal (full->body, again->body));
  g_assert_cmpuint (reply_status (unknown), ==, 404);

  finish (api, session);
}

static void
test_images_edits (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autoptr(JsonNode) record = retrieve_generated (api, session, LENS_FAKE_TASK_EDITS);
  JsonObject *response = response_of (record);
  int width = json_object_get_int_member (response, "raw_image_width");
  int height = json_object_get_int_member (response, "raw_image_height");
  JsonArray *subs = json_object_get_array_member (response, "sub_image_urls");

  for (guint i = 0; i < 4; i++)
    {
      const char *url = json_array_get_string_element (subs, i);
      g_autoptr(Reply) sub = get_png (session, url, width / 2, height / 2);
    }

  finish (api, session);
}

static void
push_status (LensFakeApi *api,
             guint        status,
             const char  *code,
             int          retry_after,
             guint        times)
{
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
    .status = status, .code = code, .retry_after = retry_after,
  };

  lens_fake_api_push_fault (api, &fault, times);
}

static void
test_fault_status (void)
{
  static const struct { guint status; const char *code; } cases[] = {
    { 400, "bad_request" }, { 401, "invalid_token" }, { 402, "payment_required" },
    { 403, "used_up" }, { 404, "no_api" }, { 429, "too_many_requests" }, { 500, "api_error" },
    { 502, "timeout" }, { 503, "timeout" }, { 504, "timeout" },
  };
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  const char *body = "{\"action\": \"retrieve\", \"id\": \"x\"}";

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = NULL;

      push_status (api, cases[i].status, NULL, -1, 1);
      reply = post_tasks (api, session, body);
      assert_error_body (reply, cases[i].status, cases[i].code);
      g_assert_null (reply_header (reply, "Retry-After"));
    }

  {
    g_autoptr(Reply) limited = NULL;
    g_autoptr(Reply) after = NULL;

    push_status (api, 429, "rate_limited", 7, 1);
    limited = post_tasks (api, session, body);
    assert_error_body (limited, 429, "rate_limited");
    g_assert_cmpstr (reply_header (limited, "Retry-After"), ==, "7");
    after = post_tasks (api, session, body);
    g_assert_cmpuint (reply_status (after), ==, 200);
  }

  finish (api, session);
}

static void
test_fault_times (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  const char *body = "{\"action\": \"retrieve\", \"id\": \"x\"}";
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 1);
  g_autofree char *url = image_url (api, ids[0]);
  guint statuses[6];

  /* Two 500s, then a 503 until cleared; images are another target. */
  push_status (api, 500, NULL, -1, 2);
  push_status (api, 503, NULL, -1, G_MAXUINT);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Reply) reply = post_tasks (api, session, body);

      statuses[i] = reply_status (reply);
    }
  {
    g_autoptr(Reply) image = get_url (session, url);

    g_assert_cmpuint (reply_status (image), ==, 200);
  }
  lens_fake_api_clear_faults (api);
  {
    g_autoptr(Reply) reply = post_tasks (api, session, body);

    statuses[5] = reply_status (reply);
  }

  g_assert_cmpuint (statuses[0], ==, 500);
  g_assert_cmpuint (statuses[1], ==, 500);
  g_assert_cmpuint (statuses[2], ==, 503);
  g_assert_cmpuint (statuses[4], ==, 503);
  g_assert_cmpuint (statuses[5], ==, 200);

  finish (api, session);
}

static void
test_fault_delay (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_DELAY, .target = LENS_FAKE_TARGET_TASKS, .delay_ms = 300,
  };
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonNode) record = NULL;
  gint64 start;

  lens_fake_api_seed_examples (api);
  lens_fake_api_push_fault (api, &fault, 1);

  start = g_get_monotonic_time ();
  reply = post_tasks (api, session, "{\"action\": \"retrieve\", \"id\": \"" EXAMPLE_ID "\"}");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpuint (reply_status (reply), ==, 200);
  record = reply_json (reply);
  g_assert_cmpstr (record_string (record, "id"), ==, EXAMPLE_ID);

  finish (api, session);
}

static void
assert_broken (LensFakeApi       *api,
               LensFakeFaultKind  kind,
               LensFakeTarget     target)
{
  SoupSession *session = new_session ();
  LensFakeFault fault = { .kind = kind, .target = target };
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 1);
  g_autofree char *url = image_url (api, ids[0]);
  g_autofree char *body = g_strdup_printf ("{\"action\": \"retrieve\", \"id\": \"%s\"}", ids[0]);
  g_autoptr(Reply) broken = NULL;
  g_autoptr(Reply) fine = NULL;

  lens_fake_api_push_fault (api, &fault, 1);
  if (target == LENS_FAKE_TARGET_TASKS)
    broken = post_tasks (api, session, body);
  else
    broken = get_url (session, url);

  /* Not a success with a short body: a transport error. */
  g_assert_nonnull (broken->error);
  g_test_message ("Broken answer: %s", broken->error->message);
  g_assert_true (broken->error->domain == G_IO_ERROR);

  if (target == LENS_FAKE_TARGET_TASKS)
    fine = post_tasks (api, session, body);
  else
    fine = get_url (session, url);
  g_assert_cmpuint (reply_status (fine), ==, 200);

  g_object_unref (session);
}

static void
test_fault_truncated (void)
{
  LensFakeApi *api = start_api (TOKEN);

  assert_broken (api, LENS_FAKE_FAULT_TRUNCATED_BODY, LENS_FAKE_TARGET_TASKS);
  assert_broken (api, LENS_FAKE_FAULT_TRUNCATED_BODY, LENS_FAKE_TARGET_IMAGES);
  g_assert_finalize_object (api);
}

static void
test_fault_reset (void)
{
  LensFakeApi *api = start_api (TOKEN);

  assert_broken (api, LENS_FAKE_FAULT_RESET, LENS_FAKE_TARGET_TASKS);
  assert_broken (api, LENS_FAKE_FAULT_RESET, LENS_FAKE_TARGET_IMAGES);
  g_assert_finalize_object (api);
}

static Reply *
post_with_fault (LensFakeApi       *api,
                 SoupSession       *session,
                 LensFakeFaultKind  kind,
                 gsize              size)
{
  LensFakeFault fault = { .kind = kind, .target = LENS_FAKE_TARGET_TASKS, .size = size };
  Reply *reply;

  lens_fake_api_push_fault (api, &fault, 1);
  reply = post_tasks (api, session, "{\"action\": \"retrieve_batch\", \"ids\": [], \"limit\": 0}");
  g_assert_cmpuint (reply_status (reply), ==, 200);
  return reply;
}

static void
test_fault_bodies (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autoptr(Reply) invalid = post_with_fault (api, session, LENS_FAKE_FAULT_INVALID_JSON, 0);
  g_autoptr(Reply) shape = post_with_fault (api, session, LENS_FAKE_FAULT_WRONG_SHAPE, 0);
  g_autoptr(Reply) oversized = post_with_fault (api, session, LENS_FAKE_FAULT_OVERSIZED, 3000000);
  g_autoptr(Reply) html = post_with_fault (api, session, LENS_FAKE_FAULT_WRONG_CONTENT_TYPE, 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) array = reply_json (shape);
  g_autoptr(JsonNode) big = reply_json (oversized);

  g_assert_cmpstr (reply_header (invalid, "Content-Type"), ==, "application/json");
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (invalid->body, NULL),
                                              g_bytes_get_size (invalid->body), NULL));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
  g_assert_cmpuint (g_bytes_get_size (oversized->body), ==, 3000000);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (big));
  g_assert_true (g_str_has_prefix (reply_header (html, "Content-Type"), "text/html"));

  finish (api, session);
}

static void
test_fault_image_status (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_IMAGES,
    .status = 503, .retry_after = 2,
  };
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_UPSCALE, 1);
  g_autofree char *url = image_url (api, ids[0]);
  g_autoptr(Reply) failed = NULL;
  g_autoptr(Reply) fine = NULL;

  lens_fake_api_push_fault (api, &fault, 1);
  failed = get_url (session, url);
  g_assert_cmpuint (reply_status (failed), ==, 503);
  g_assert_cmpstr (reply_header (failed, "Retry-After"), ==, "2");
  fine = get_url (session, url);
  g_assert_cmpuint (reply_status (fine), ==, 200);

  finish (api, session);
}

static void
test_request_log (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/images/none.png?size=2", NULL);
  const char *body = "{\"action\": \"retrieve\", \"id\": \"x\"}";
  g_autoptr(Reply) first = post_tasks (api, session, body);
  g_autoptr(Reply) second = get_url (session, url);
  GPtrArray *requests = lens_fake_api_get_requests (api);
  LensFakeRequest *request;

  g_assert_cmpuint (requests->len, ==, 2);
  request = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/midjourney/tasks");
  g_assert_null (request->query);
  g_assert_cmpstr (request->body, ==, body);
  g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpstr (request->user_agent, ==, "test-fake-api/1.0");
  g_assert_cmpstr (request->content_type, ==, "application/json");
  g_assert_cmpstr (request->accept, ==, "application/json");

  request = g_ptr_array_index (requests, 1);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/images/none.png");
  g_assert_cmpstr (request->query, ==, "size=2");
  g_assert_null (request->body);

  g_assert_cmpuint (lens_fake_api_count_requests (api, "/midjourney/tasks"), ==, 1);
  g_assert_cmpuint (lens_fake_api_count_requests (api, "/nowhere"), ==, 0);
  g_assert_cmpuint (lens_fake_api_count_requests (api, NULL), ==, 2);
  lens_fake_api_clear_requests (api);
  g_assert_cmpuint (lens_fake_api_count_requests (api, NULL), ==, 0);

  finish (api, session);
}

static void
test_demo (void)
{
  LensFakeApi *api = start_api (TOKEN);
  SoupSession *session = new_session ();
  g_auto(GStrv) ids = lens_fake_api_seed_demo (api);
  guint n_ids = g_strv_length (ids);
  g_autofree char *body = batch_body ((const char * const *) ids, n_ids);
  g_autoptr(Reply) reply = post_tasks (api, session, body);
  g_autoptr(JsonNode) answer = reply_json (reply);
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *items = batch_items (answer);
  gboolean korean = FALSE;

  g_assert_cmpuint (n_ids, >=, 20);
  g_assert_cmpuint (json_array_get_length (items), ==, n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      JsonObject *record = json_array_get_object_element (items, i);
      JsonObject *request = json_object_get_object_member (record, "request");
      const char *prompt = json_object_get_string_member_with_default (request, "prompt", "");

      g_hash_table_add (types, (gpointer) json_object_get_string_member (record, "type"));
      korean |= strstr (prompt, "한옥") != NULL;
    }

  g_assert_true (korean);
  g_assert_cmpuint (g_hash_table_size (types), ==, 4);

  finish (api, session);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fake-api/make-id", test_make_id);
  g_test_add_func ("/fake-api/auth", test_auth);
  g_test_add_func ("/fake-api/auth-any-token", test_auth_any_token);
  g_test_add_func ("/fake-api/retrieve", test_retrieve);
  g_test_add_func ("/fake-api/examples", test_examples);
  g_test_add_func ("/fake-api/example-describe", test_example_describe);
  g_test_add_func ("/fake-api/bad-requests", test_bad_requests);
  g_test_add_func ("/fake-api/batch/order", test_batch_order);
  g_test_add_func ("/fake-api/batch/limit", test_batch_limit);
  g_test_add_func ("/fake-api/batch/large", test_batch_large);
  g_test_add_func ("/fake-api/generated/kinds", test_generated_kinds);
  g_test_add_func ("/fake-api/generated/variety", test_generated_variety);
  g_test_add_func ("/fake-api/running/generated", test_running);
  g_test_add_func ("/fake-api/running/example", test_running_example);
  g_test_add_func ("/fake-api/images/grid", test_images);
  g_test_add_func ("/fake-api/images/edits", test_images_edits);
  g_test_add_func ("/fake-api/faults/status", test_fault_status);
  g_test_add_func ("/fake-api/faults/times", test_fault_times);
  g_test_add_func ("/fake-api/faults/delay", test_fault_delay);
  g_test_add_func ("/fake-api/faults/truncated", test_fault_truncated);
  g_test_add_func ("/fake-api/faults/reset", test_fault_reset);
  g_test_add_func ("/fake-api/faults/bodies", test_fault_bodies);
  g_test_add_func ("/fake-api/faults/image-status", test_fault_image_status);
  g_test_add_func ("/fake-api/request-log", test_request_log);
  g_test_add_func ("/fake-api/demo", test_demo);

  return g_test_run ();
}
