/* test-fake-api.c — the fake AceData server keeps the contract in API.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These tests talk to the fake server with a plain SoupSession, not with the
 * Tasklens client: the fake is what the client's tests trust, so it is checked
 * on its own. Its faults are tested in test-fake-api-faults.c; the helpers both
 * programs use are in tests/lib/lens-test-fake-client.c.
 */

#include "config.h"

#define G_LOG_DOMAIN "TestFakeApi"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "lens-test-fake-client.h"

#define TOKEN       LENS_TEST_FAKE_TOKEN
#define EXAMPLE_ID  "7489df4c-ef03-4de0-b598-e9a590793434"
#define PROGRESS_ID "49589d2c-b6b3-4fbf-9f82-93068509c76f"

/* Helpers */

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
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);
  const char *body = "{\"action\": \"retrieve\", \"id\": \"" EXAMPLE_ID "\"}";
  g_autoptr(LensTestReply) none =
    lens_test_send_request (session, "POST", url, NULL, body);
  g_autoptr(LensTestReply) empty =
    lens_test_send_request (session, "POST", url, "Bearer ", body);
  g_autoptr(LensTestReply) wrong =
    lens_test_send_request (session, "POST", url, "Bearer nope", body);
  g_autoptr(LensTestReply) basic =
    lens_test_send_request (session, "POST", url, "Basic " TOKEN, body);
  g_autoptr(LensTestReply) right =
    lens_test_send_request (session, "POST", url, "Bearer " TOKEN, body);

  lens_test_assert_error_body (none, 401, "no_token");
  lens_test_assert_error_body (empty, 401, "no_token");
  lens_test_assert_error_body (wrong, 401, "invalid_token");
  lens_test_assert_error_body (basic, 401, "invalid_token");
  g_assert_cmpuint (lens_test_reply_status (right), ==, 200);

  lens_test_fake_client_finish (api, session);
}

static void
test_auth_any_token (void)
{
  LensFakeApi *api = lens_test_start_fake_api (NULL);
  SoupSession *session = lens_test_fake_client_new ();
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);
  const char *body = "{\"action\": \"retrieve\", \"id\": \"x\"}";
  g_autoptr(LensTestReply) any =
    lens_test_send_request (session, "POST", url, "Bearer whatever", body);
  g_autoptr(LensTestReply) none =
    lens_test_send_request (session, "POST", url, NULL, body);

  g_assert_cmpuint (lens_test_reply_status (any), ==, 200);
  lens_test_assert_error_body (none, 401, "no_token");

  lens_test_fake_client_finish (api, session);
}

static JsonNode *
load_data_json (const char *name)
{
  g_autofree char *path = lens_test_data_path ("api-examples", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_retrieve (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autoptr(JsonNode) expected = load_data_json ("retrieve.json");
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  JsonObject *response;

  g_assert_cmpuint (lens_fake_api_seed_examples (api), ==, 6);

  record = lens_test_retrieve_record (api, session, EXAMPLE_ID);
  g_assert_cmpstr (lens_test_record_string (record, "id"), ==, EXAMPLE_ID);
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (record), "request"),
                                  json_object_get_member (json_node_get_object (expected),
                                                          "request")));
  response = response_of (record);
  g_assert_cmpint (json_object_get_int_member (response, "raw_image_width"), ==, 2048);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (response, "raw_image_url"),
                                   lens_fake_api_get_url (api)));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (response, "image_url"),
                                   lens_fake_api_get_url (api)));

  unknown = lens_test_retrieve_record (api, session, "00000000-0000-4000-8000-000000000000");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (unknown));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (unknown)), ==, 0);

  lens_test_fake_client_finish (api, session);
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
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autoptr(JsonNode) edits = NULL;
  g_autoptr(JsonNode) videos = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(LensTestReply) video = NULL;
  const char *video_url;
  JsonObject *response;

  lens_fake_api_seed_examples (api);

  second = lens_test_retrieve_record (api, session, "807f62de-c63e-4add-8345-7f0ae6dd18e7");
  g_assert_cmpstr (json_object_get_string_member (request_of (second), "prompt"),
                   ==, "A beautiful girl");

  edits = lens_test_retrieve_record (api, session, "26c39859-f54a-4998-9e42-3da96eceee8c");
  g_assert_cmpstr (lens_test_record_string (edits, "type"), ==, "edits");
  assert_local_urls (api, response_of (edits), "sub_image_urls");

  videos = lens_test_retrieve_record (api, session, "037955e0-deee-4050-baa8-1416300d67e2");
  response = response_of (videos);
  g_assert_cmpstr (lens_test_record_string (videos, "type"), ==, "videos");
  assert_local_urls (api, response, "video_urls");
  video_url = json_array_get_string_element (response_array (videos, "video_urls"), 0);
  video = lens_test_get_url (session, video_url);
  g_assert_cmpuint (lens_test_reply_status (video), ==, 200);
  g_assert_cmpstr (lens_test_reply_header (video, "Content-Type"), ==, "video/mp4");

  lens_test_fake_client_finish (api, session);
}

static void
test_example_describe (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autofree char *id = lens_fake_api_make_id ("example-describe");
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(LensTestReply) source = NULL;
  JsonObject *request;

  lens_fake_api_seed_examples (api);
  record = lens_test_retrieve_record (api, session, id);
  g_assert_cmpstr (lens_test_record_string (record, "type"), ==, "describe");
  g_assert_cmpuint (json_array_get_length (response_array (record, "descriptions")), ==, 4);

  request = request_of (record);
  source = lens_test_get_url (session, json_object_get_string_member (request, "image_url"));
  g_assert_cmpuint (lens_test_reply_status (source), ==, 200);
  g_assert_cmpstr (lens_test_reply_header (source, "Content-Type"), ==, "image/png");

  lens_test_fake_client_finish (api, session);
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
    /* Without ids it lists the account's tasks (test-fake-api-listing.c),
     * which refuses a page of none. */
    "{\"action\": \"retrieve_batch\", \"limit\": 0}",
    "{\"action\": \"retrieve_batch\", \"ids\": \"" EXAMPLE_ID "\"}",
    "{\"action\": \"retrieve_batch\", \"ids\": [1, 2]}",
  };
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autofree char *other = g_strconcat (lens_fake_api_get_url (api), "/v1/tasks", NULL);
  g_autofree char *tasks = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);
  g_autoptr(LensTestReply) wrong_path =
    lens_test_send_request (session, "POST", other, "Bearer " TOKEN, "{}");
  g_autoptr(LensTestReply) wrong_method =
    lens_test_send_request (session, "GET", tasks, "Bearer " TOKEN, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, bodies[i]);

      lens_test_assert_error_body (reply, 400, "bad_request");
    }

  lens_test_assert_error_body (wrong_path, 404, "no_api");
  g_assert_cmpuint (lens_test_reply_status (wrong_method), ==, 405);
  g_assert_cmpstr (lens_test_reply_header (wrong_method, "Allow"), ==, "POST");

  lens_test_fake_client_finish (api, session);
}

static void
test_batch_order (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 5);
  g_autoptr(GStrvBuilder) asked = g_strv_builder_new ();
  g_auto(GStrv) request_ids = NULL;
  g_autofree char *body = NULL;
  g_autoptr(LensTestReply) reply = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *items;
  gboolean same_order = TRUE;

  g_strv_builder_addv (asked, (const char **) ids);
  g_strv_builder_add (asked, "00000000-0000-4000-8000-000000000000");
  request_ids = g_strv_builder_end (asked);
  body = batch_body ((const char * const *) request_ids, 6);
  reply = lens_test_post_tasks (api, session, body);
  g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  answer = lens_test_reply_json (reply);

  items = batch_items (answer);
  g_assert_cmpuint (json_array_get_length (items), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (g_strv_contains ((const char * const *) ids, item_id (items, i)));
      same_order = same_order && g_str_equal (item_id (items, i), ids[i]);
    }
  g_assert_false (same_order);

  lens_test_fake_client_finish (api, session);
}

static guint
batch_length (LensFakeApi        *api,
              SoupSession        *session,
              const char * const *ids,
              int                 limit)
{
  g_autofree char *body = batch_body (ids, limit);
  g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, body);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  answer = lens_test_reply_json (reply);
  return json_array_get_length (batch_items (answer));
}

static void
test_batch_limit (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_UPSCALE, 20);

  /* Without "limit" the server's default of 12 truncates silently. */
  g_assert_cmpuint (batch_length (api, session, (const char * const *) ids, -1), ==, 12);
  g_assert_cmpuint (batch_length (api, session, (const char * const *) ids, 20), ==, 20);
  g_assert_cmpuint (batch_length (api, session, (const char * const *) ids, 3), ==, 3);

  lens_test_fake_client_finish (api, session);
}

/* Asks for @ids with a limit of their number and returns the answer, whose
 * count is checked to be @count. */
static JsonNode *
batch_answer (LensFakeApi        *api,
              SoupSession        *session,
              const char * const *ids,
              gint64              count)
{
  g_autofree char *body = batch_body (ids, g_strv_length ((GStrv) ids));
  g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, body);
  JsonNode *answer;

  g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  answer = lens_test_reply_json (reply);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "count"), ==, count);
  return answer;
}

static gboolean
items_contain (JsonArray  *items,
               const char *id)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_str_equal (item_id (items, i), id))
      return TRUE;

  return FALSE;
}

static void
test_batch_count (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 3);
  const char *asked[] = { ids[0], ids[1], "00000000-0000-4000-8000-000000000000", ids[2],
                          ids[0], NULL };
  g_autofree char *body = batch_body (asked, 2);
  g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, body);
  g_autoptr(JsonNode) answer = lens_test_reply_json (reply);
  g_autoptr(JsonNode) all = NULL;

  /* count is the total that matched (unknown and repeated ids aside), not
   * the number the limit let through. */
  g_assert_cmpuint (json_array_get_length (batch_items (answer)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "count"), ==, 3);

  all = batch_answer (api, session, asked, 3);
  g_assert_cmpuint (json_array_get_length (batch_items (all)), ==, 3);

  lens_test_fake_client_finish (api, session);
}

static void
test_batch_hidden (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 4);
  const char *others[] = { ids[0], ids[1], NULL };

  lens_fake_api_hide_from_batch (api, ids[2], 2);
  lens_fake_api_hide_from_batch (api, ids[3], G_MAXUINT);

  /* Two answers that ask for it leave it out but still count it; one that
   * does not ask for it does not use up a time. */
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(JsonNode) answer = batch_answer (api, session, (const char * const *) ids, 4);
      JsonArray *items = batch_items (answer);

      g_assert_cmpuint (json_array_get_length (items), ==, round < 2 ? 2 : 3);
      g_assert_true (items_contain (items, ids[0]));
      g_assert_true (items_contain (items, ids[1]));
      g_assert_cmpint (items_contain (items, ids[2]), ==, round == 2);
      g_assert_false (items_contain (items, ids[3]));

      if (round == 0)
        {
          g_autoptr(JsonNode) other = batch_answer (api, session, others, 2);

          g_assert_cmpuint (json_array_get_length (batch_items (other)), ==, 2);
        }
    }

  /* A single retrieve still finds a hidden task. */
  {
    g_autoptr(JsonNode) record = lens_test_retrieve_record (api, session, ids[3]);

    g_assert_cmpstr (lens_test_record_string (record, "id"), ==, ids[3]);
  }

  lens_fake_api_hide_from_batch (api, ids[3], 0);
  {
    g_autoptr(JsonNode) answer = batch_answer (api, session, (const char * const *) ids, 4);

    g_assert_cmpuint (json_array_get_length (batch_items (answer)), ==, 4);
  }

  lens_test_fake_client_finish (api, session);
}

static void
test_batch_cut (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_UPSCALE, 5);

  lens_fake_api_set_batch_cut (api, 2);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(JsonNode) answer = batch_answer (api, session, (const char * const *) ids, 5);

      g_assert_cmpuint (json_array_get_length (batch_items (answer)), ==, 2);
    }
  /* A smaller limit still wins. */
  g_assert_cmpuint (batch_length (api, session, (const char * const *) ids, 1), ==, 1);

  lens_fake_api_set_batch_cut (api, 0);
  {
    g_autoptr(JsonNode) answer = batch_answer (api, session, (const char * const *) ids, 5);

    g_assert_cmpuint (json_array_get_length (batch_items (answer)), ==, 5);
  }

  lens_test_fake_client_finish (api, session);
}

static void
test_batch_large (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
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

  lens_test_fake_client_finish (api, session);
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

  return lens_test_retrieve_record (api, session, ids[0]);
}

static void
test_generated_kinds (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
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
  g_assert_cmpstr (lens_test_record_string (describe, "type"), ==, "describe");
  g_assert_nonnull (json_object_get_string_member (request_of (describe), "image_url"));
  g_assert_cmpuint (json_array_get_length (response_array (describe, "descriptions")), ==, 4);
  assert_local_urls (api, response_of (videos), "video_urls");
  assert_local_urls (api, response_of (edits), "sub_image_urls");

  error = json_object_get_object_member (response_of (failed), "error");
  g_assert_false (json_object_get_boolean_member (response_of (failed), "success"));
  g_assert_nonnull (json_object_get_string_member (error, "code"));
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  g_assert_nonnull (json_object_get_string_member (response_of (failed), "trace_id"));

  lens_test_fake_client_finish (api, session);
}

static void
test_generated_variety (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 12);
  g_autofree char *body = batch_body ((const char * const *) ids, 12);
  g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, body);
  g_autoptr(JsonNode) answer = lens_test_reply_json (reply);
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

  lens_test_fake_client_finish (api, session);
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
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = NULL;
  g_autoptr(LensTestReply) preview = NULL;
  g_autofree char *preview_url = NULL;
  int last_progress = -1;
  Seen seen = 0;

  lens_fake_api_set_running_duration (api, 600);
  ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_RUNNING, 1);

  for (guint i = 0; i < 200 && !(seen & SEEN_DONE); i++)
    {
      g_autoptr(JsonNode) record = lens_test_retrieve_record (api, session, ids[0]);
      Seen now = check_running_state (json_node_get_object (record), &last_progress);

      if (now == SEEN_RUNNING && preview_url == NULL)
        preview_url = g_strdup (json_object_get_string_member (response_of (record), "image_url"));
      seen |= now;
      lens_test_spin_for (15);
    }

  g_assert_cmpint (seen, ==, SEEN_PENDING | SEEN_RUNNING | SEEN_DONE);

  preview = lens_test_get_url (session, preview_url);
  g_assert_cmpuint (lens_test_reply_status (preview), ==, 200);
  g_assert_cmpstr (lens_test_reply_header (preview, "Content-Type"), ==, "image/png");

  lens_test_fake_client_finish (api, session);
}

static void
test_running_example (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  int last_progress = -1;
  Seen seen = 0;

  lens_fake_api_set_running_duration (api, 600);
  lens_fake_api_seed_examples (api);

  /* The three states of imagine_progress.ndjson: 35 %, 75 %, done. */
  for (guint i = 0; i < 200 && !(seen & SEEN_DONE); i++)
    {
      g_autoptr(JsonNode) record = lens_test_retrieve_record (api, session, PROGRESS_ID);

      seen |= check_running_state (json_node_get_object (record), &last_progress);
      lens_test_spin_for (15);
    }

  g_assert_cmpint (seen, ==, SEEN_PENDING | SEEN_RUNNING | SEEN_DONE);

  lens_test_fake_client_finish (api, session);
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

static LensTestReply *
get_png (SoupSession *session,
         const char  *url,
         int          width,
         int          height)
{
  LensTestReply *reply = lens_test_get_url (session, url);
  SoupMessageHeaders *headers;

  g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  g_assert_cmpstr (lens_test_reply_header (reply, "Content-Type"), ==, "image/png");
  headers = soup_message_get_response_headers (reply->msg);
  g_assert_cmpint (soup_message_headers_get_content_length (headers),
                   ==, g_bytes_get_size (reply->body));
  assert_png_header (reply->body, width, height);
  return reply;
}

static void
test_images (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autoptr(JsonNode) record = retrieve_generated (api, session, LENS_FAKE_TASK_IMAGINE);
  JsonObject *response = response_of (record);
  const char *raw_url = json_object_get_string_member (response, "raw_image_url");
  const char *thumb_url = json_object_get_string_member (response, "image_url");
  int width = json_object_get_int_member (response, "raw_image_width");
  int height = json_object_get_int_member (response, "raw_image_height");
  g_autoptr(LensTestReply) full = get_png (session, raw_url, width, height);
  g_autoptr(LensTestReply) thumb = get_png (session, thumb_url, width / 2, height / 2);
  g_autoptr(LensTestReply) again = get_png (session, raw_url, width, height);
  g_autoptr(GdkPixbuf) pixbuf = decode_png (full->body);
  g_autofree char *unknown_url = lens_test_image_url (api, "00000000-0000-4000-8000-000000000000",
                                                      ".png");
  g_autoptr(LensTestReply) unknown = lens_test_get_url (session, unknown_url);

  g_assert_cmpint (json_object_get_int_member (response, "image_width"), ==, width / 2);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
  assert_four_quadrants (pixbuf);
  g_assert_true (g_bytes_equal (full->body, again->body));
  g_assert_cmpuint (lens_test_reply_status (unknown), ==, 404);

  lens_test_fake_client_finish (api, session);
}

/* With a grain the images are as large as real renders, and still the
 * same grid, the same at every request. */
static void
test_images_grain (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autoptr(JsonNode) record = retrieve_generated (api, session, LENS_FAKE_TASK_IMAGINE);
  JsonObject *response = response_of (record);
  const char *raw_url = json_object_get_string_member (response, "raw_image_url");
  int width = json_object_get_int_member (response, "raw_image_width");
  int height = json_object_get_int_member (response, "raw_image_height");
  g_autoptr(LensTestReply) smooth = get_png (session, raw_url, width, height);
  g_autoptr(LensTestReply) grainy = NULL;
  g_autoptr(LensTestReply) again = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_assert_cmpint (width, ==, 1024);
  g_assert_cmpint (height, ==, 1024);
  g_assert_cmpuint (g_bytes_get_size (smooth->body), <, 512 * 1024);

  lens_fake_api_set_image_grain (api, 8);
  grainy = get_png (session, raw_url, width, height);
  again = get_png (session, raw_url, width, height);
  pixbuf = decode_png (grainy->body);
  g_assert_cmpuint (g_bytes_get_size (grainy->body), >, 1200 * 1024);
  g_assert_cmpuint (g_bytes_get_size (grainy->body), <, 2500 * 1024);
  g_assert_true (g_bytes_equal (grainy->body, again->body));
  assert_four_quadrants (pixbuf);

  lens_test_fake_client_finish (api, session);
}

/* The URL of @base asking for @operation, as a client asks AceData's CDN. */
static char *
with_query (const char *base,
            const char *operation)
{
  g_autofree char *without = g_strndup (base, strcspn (base, "?"));

  return g_strconcat (without, "?", operation, NULL);
}

static void
test_images_resized (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  /* The second generated imagine task is a 4:3 landscape. */
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 2);
  g_autoptr(JsonNode) record = lens_test_retrieve_record (api, session, ids[1]);
  JsonObject *response = response_of (record);
  const char *raw_url = json_object_get_string_member (response, "raw_image_url");
  const char *thumb_url = json_object_get_string_member (response, "image_url");
  g_autofree char *sub_url = lens_test_image_url (api, ids[1], "-sub-0.png");
  int width = json_object_get_int_member (response, "raw_image_width");
  int height = json_object_get_int_member (response, "raw_image_height");
  g_autofree char *raw_128 = with_query (raw_url, "imageMogr2/thumbnail/128x");
  g_autofree char *thumb_64 = with_query (thumb_url, "imageMogr2/thumbnail/64x");
  g_autofree char *sub_256 = with_query (sub_url, "imageMogr2/thumbnail/256x");
  g_autofree char *chained = with_query (raw_url, "imageMogr2/thumbnail/!50p|imageMogr2/thumbnail/64x");
  g_autofree char *other = with_query (raw_url, "imageMogr2/thumbnail/!50p");
  g_autofree char *bad = with_query (raw_url, "imageMogr2/thumbnail/64xy");
  g_autoptr(LensTestReply) reply = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_assert_cmpint (width * 3, ==, height * 4);

  /* "<w>x": that wide, the height in proportion, from the original, the
   * half-size thumbnail and a split image alike. */
  reply = get_png (session, raw_128, 128, 96);
  pixbuf = decode_png (reply->body);
  assert_four_quadrants (pixbuf);
  g_clear_pointer (&reply, lens_test_reply_free);
  reply = get_png (session, thumb_64, 64, 48);
  g_clear_pointer (&reply, lens_test_reply_free);
  reply = get_png (session, sub_256, 256, 192);
  g_clear_pointer (&reply, lens_test_reply_free);

  /* The last operation of a pipeline is the one that counts. */
  reply = get_png (session, chained, 64, 48);
  g_clear_pointer (&reply, lens_test_reply_free);

  /* Other operations are not the fake server's: the image as it is. */
  reply = get_png (session, other, width, height);
  g_clear_pointer (&reply, lens_test_reply_free);
  reply = get_png (session, bad, width, height);

  lens_test_fake_client_finish (api, session);
}

static void
test_images_edits (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autoptr(JsonNode) record = retrieve_generated (api, session, LENS_FAKE_TASK_EDITS);
  JsonObject *response = response_of (record);
  int width = json_object_get_int_member (response, "raw_image_width");
  int height = json_object_get_int_member (response, "raw_image_height");
  JsonArray *subs = json_object_get_array_member (response, "sub_image_urls");

  for (guint i = 0; i < 4; i++)
    {
      const char *url = json_array_get_string_element (subs, i);
      g_autoptr(LensTestReply) sub = get_png (session, url, width / 2, height / 2);
    }

  lens_test_fake_client_finish (api, session);
}

static void
test_request_log (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/images/none.png?size=2", NULL);
  const char *body = "{\"action\": \"retrieve\", \"id\": \"x\"}";
  g_autoptr(LensTestReply) first = lens_test_post_tasks (api, session, body);
  g_autoptr(LensTestReply) second = lens_test_get_url (session, url);
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

  lens_test_fake_client_finish (api, session);
}

static void
test_demo (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_demo (api);
  guint n_ids = g_strv_length (ids);
  g_autofree char *body = batch_body ((const char * const *) ids, n_ids);
  g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, body);
  g_autoptr(JsonNode) answer = lens_test_reply_json (reply);
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

  lens_test_fake_client_finish (api, session);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

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
  g_test_add_func ("/fake-api/batch/count", test_batch_count);
  g_test_add_func ("/fake-api/batch/hidden", test_batch_hidden);
  g_test_add_func ("/fake-api/batch/cut", test_batch_cut);
  g_test_add_func ("/fake-api/generated/kinds", test_generated_kinds);
  g_test_add_func ("/fake-api/generated/variety", test_generated_variety);
  g_test_add_func ("/fake-api/running/generated", test_running);
  g_test_add_func ("/fake-api/running/example", test_running_example);
  g_test_add_func ("/fake-api/images/grid", test_images);
  g_test_add_func ("/fake-api/images/edits", test_images_edits);
  g_test_add_func ("/fake-api/images/resized", test_images_resized);
  g_test_add_func ("/fake-api/images/grain", test_images_grain);
  g_test_add_func ("/fake-api/request-log", test_request_log);
  g_test_add_func ("/fake-api/demo", test_demo);

  return g_test_run ();
}
