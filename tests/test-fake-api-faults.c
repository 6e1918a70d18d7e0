/* test-fake-api-faults.c — the fake AceData server fails on request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The faults a test pushes with lens_fake_api_push_fault(): error statuses,
 * delays, broken connections and bodies that are not what API.md promises.
 * Like test-fake-api.c, these tests use a plain SoupSession.
 */

#include "config.h"

#define G_LOG_DOMAIN "TestFakeApi"

#include "lens-test-fake-client.h"

#define TOKEN      LENS_TEST_FAKE_TOKEN
#define EXAMPLE_ID "7489df4c-ef03-4de0-b598-e9a590793434"

/* Tests */

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
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  const char *body = "{\"action\": \"retrieve\", \"id\": \"x\"}";

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LensTestReply) reply = NULL;

      push_status (api, cases[i].status, NULL, -1, 1);
      reply = lens_test_post_tasks (api, session, body);
      lens_test_assert_error_body (reply, cases[i].status, cases[i].code);
      g_assert_null (lens_test_reply_header (reply, "Retry-After"));
    }

  {
    g_autoptr(LensTestReply) limited = NULL;
    g_autoptr(LensTestReply) after = NULL;

    push_status (api, 429, "rate_limited", 7, 1);
    limited = lens_test_post_tasks (api, session, body);
    lens_test_assert_error_body (limited, 429, "rate_limited");
    g_assert_cmpstr (lens_test_reply_header (limited, "Retry-After"), ==, "7");
    after = lens_test_post_tasks (api, session, body);
    g_assert_cmpuint (lens_test_reply_status (after), ==, 200);
  }

  lens_test_fake_client_finish (api, session);
}

static void
test_fault_times (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  const char *body = "{\"action\": \"retrieve\", \"id\": \"x\"}";
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 1);
  g_autofree char *url = lens_test_image_url (api, ids[0], ".png");
  guint statuses[6];

  /* Two 500s, then a 503 until cleared; images are another target. */
  push_status (api, 500, NULL, -1, 2);
  push_status (api, 503, NULL, -1, G_MAXUINT);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, body);

      statuses[i] = lens_test_reply_status (reply);
    }
  {
    g_autoptr(LensTestReply) image = lens_test_get_url (session, url);

    g_assert_cmpuint (lens_test_reply_status (image), ==, 200);
  }
  lens_fake_api_clear_faults (api);
  {
    g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, body);

    statuses[5] = lens_test_reply_status (reply);
  }

  g_assert_cmpuint (statuses[0], ==, 500);
  g_assert_cmpuint (statuses[1], ==, 500);
  g_assert_cmpuint (statuses[2], ==, 503);
  g_assert_cmpuint (statuses[4], ==, 503);
  g_assert_cmpuint (statuses[5], ==, 200);

  lens_test_fake_client_finish (api, session);
}

static void
test_fault_delay (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_DELAY, .target = LENS_FAKE_TARGET_TASKS, .delay_ms = 300,
  };
  g_autoptr(LensTestReply) reply = NULL;
  g_autoptr(JsonNode) record = NULL;
  gint64 start;

  lens_fake_api_seed_examples (api);
  lens_fake_api_push_fault (api, &fault, 1);

  start = g_get_monotonic_time ();
  reply = lens_test_post_tasks (api, session,
                                "{\"action\": \"retrieve\", \"id\": \"" EXAMPLE_ID "\"}");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  record = lens_test_reply_json (reply);
  g_assert_cmpstr (lens_test_record_string (record, "id"), ==, EXAMPLE_ID);

  lens_test_fake_client_finish (api, session);
}

static void
assert_broken (LensFakeApi       *api,
               LensFakeFaultKind  kind,
               LensFakeTarget     target)
{
  SoupSession *session = lens_test_fake_client_new ();
  LensFakeFault fault = { .kind = kind, .target = target };
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 1);
  g_autofree char *url = lens_test_image_url (api, ids[0], ".png");
  g_autofree char *body = g_strdup_printf ("{\"action\": \"retrieve\", \"id\": \"%s\"}", ids[0]);
  g_autoptr(LensTestReply) broken = NULL;
  g_autoptr(LensTestReply) fine = NULL;

  lens_fake_api_push_fault (api, &fault, 1);
  if (target == LENS_FAKE_TARGET_TASKS)
    broken = lens_test_post_tasks (api, session, body);
  else
    broken = lens_test_get_url (session, url);

  /* Not a success with a short body: a transport error. */
  g_assert_nonnull (broken->error);
  g_test_message ("Broken answer: %s", broken->error->message);
  g_assert_true (broken->error->domain == G_IO_ERROR);

  if (target == LENS_FAKE_TARGET_TASKS)
    fine = lens_test_post_tasks (api, session, body);
  else
    fine = lens_test_get_url (session, url);
  g_assert_cmpuint (lens_test_reply_status (fine), ==, 200);

  g_object_unref (session);
}

static void
test_fault_truncated (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);

  assert_broken (api, LENS_FAKE_FAULT_TRUNCATED_BODY, LENS_FAKE_TARGET_TASKS);
  assert_broken (api, LENS_FAKE_FAULT_TRUNCATED_BODY, LENS_FAKE_TARGET_IMAGES);
  g_assert_finalize_object (api);
}

static void
test_fault_reset (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);

  assert_broken (api, LENS_FAKE_FAULT_RESET, LENS_FAKE_TARGET_TASKS);
  assert_broken (api, LENS_FAKE_FAULT_RESET, LENS_FAKE_TARGET_IMAGES);
  g_assert_finalize_object (api);
}

static LensTestReply *
post_with_fault (LensFakeApi       *api,
                 SoupSession       *session,
                 LensFakeFaultKind  kind,
                 gsize              size)
{
  LensFakeFault fault = { .kind = kind, .target = LENS_FAKE_TARGET_TASKS, .size = size };
  LensTestReply *reply;

  lens_fake_api_push_fault (api, &fault, 1);
  reply = lens_test_post_tasks (api, session,
                                "{\"action\": \"retrieve_batch\", \"ids\": [], \"limit\": 0}");
  g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  return reply;
}

static void
test_fault_bodies (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_autoptr(LensTestReply) invalid =
    post_with_fault (api, session, LENS_FAKE_FAULT_INVALID_JSON, 0);
  g_autoptr(LensTestReply) shape = post_with_fault (api, session, LENS_FAKE_FAULT_WRONG_SHAPE, 0);
  g_autoptr(LensTestReply) oversized =
    post_with_fault (api, session, LENS_FAKE_FAULT_OVERSIZED, 3000000);
  g_autoptr(LensTestReply) html =
    post_with_fault (api, session, LENS_FAKE_FAULT_WRONG_CONTENT_TYPE, 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) array = lens_test_reply_json (shape);
  g_autoptr(JsonNode) big = lens_test_reply_json (oversized);

  g_assert_cmpstr (lens_test_reply_header (invalid, "Content-Type"), ==, "application/json");
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (invalid->body, NULL),
                                              g_bytes_get_size (invalid->body), NULL));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
  g_assert_cmpuint (g_bytes_get_size (oversized->body), ==, 3000000);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (big));
  g_assert_true (g_str_has_prefix (lens_test_reply_header (html, "Content-Type"), "text/html"));

  lens_test_fake_client_finish (api, session);
}

static void
test_fault_image_status (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_IMAGES,
    .status = 503, .retry_after = 2,
  };
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_UPSCALE, 1);
  g_autofree char *url = lens_test_image_url (api, ids[0], ".png");
  g_autoptr(LensTestReply) failed = NULL;
  g_autoptr(LensTestReply) fine = NULL;

  lens_fake_api_push_fault (api, &fault, 1);
  failed = lens_test_get_url (session, url);
  g_assert_cmpuint (lens_test_reply_status (failed), ==, 503);
  g_assert_cmpstr (lens_test_reply_header (failed, "Retry-After"), ==, "2");
  fine = lens_test_get_url (session, url);
  g_assert_cmpuint (lens_test_reply_status (fine), ==, 200);

  lens_test_fake_client_finish (api, session);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/fake-api/faults/status", test_fault_status);
  g_test_add_func ("/fake-api/faults/times", test_fault_times);
  g_test_add_func ("/fake-api/faults/delay", test_fault_delay);
  g_test_add_func ("/fake-api/faults/truncated", test_fault_truncated);
  g_test_add_func ("/fake-api/faults/reset", test_fault_reset);
  g_test_add_func ("/fake-api/faults/bodies", test_fault_bodies);
  g_test_add_func ("/fake-api/faults/image-status", test_fault_image_status);

  return g_test_run ();
}
