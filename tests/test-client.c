/* test-client.c — LensClient against the fake AceData server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lens-client.h"
#include "lens-http.h"
#include "lens-test-fake.h"

#define TOKEN  "test-token-5ecret"
#define CAT_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define GIRL_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define UNKNOWN_ID "00000000-1111-4222-8333-444444444444"

typedef struct
{
  LensFakeApi *fake;
  SoupSession *session;
  LensClient  *client;
} Fixture;

typedef struct
{
  gboolean         done;
  gboolean         ok;
  JsonNode        *record;
  LensBatchResult *batch;
  GError          *error;
  gint64           finished_at;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->record, json_node_unref);
  g_clear_pointer (&outcome->batch, lens_batch_result_free);
  g_clear_error (&outcome->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->fake = lens_test_start_fake_api (TOKEN);
  lens_fake_api_seed_examples (fixture->fake);

  fixture->session = lens_http_create_session ();
  fixture->client = lens_client_new (fixture->session, lens_fake_api_get_url (fixture->fake), TOKEN);
  /* Retries in milliseconds, not seconds. */
  lens_client_set_retry_policy (fixture->client, 3, 5);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->fake);
}

static void
run_until_done (Outcome *outcome)
{
  lens_test_spin_until (&outcome->done, LENS_TEST_DEADLINE_MS);
}

static void
retrieve_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = lens_client_retrieve_finish (LENS_CLIENT (source_object), result,
                                             &outcome->record, &outcome->error);
  outcome->finished_at = g_get_monotonic_time ();
  outcome->done = TRUE;
}

static void
batch_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->batch = lens_client_retrieve_batch_finish (LENS_CLIENT (source_object), result,
                                                      &outcome->error);
  outcome->ok = outcome->batch != NULL;
  outcome->finished_at = g_get_monotonic_time ();
  outcome->done = TRUE;
}

static void
retrieve (Fixture      *fixture,
          const char   *id,
          GCancellable *cancellable,
          Outcome      *outcome)
{
  lens_client_retrieve_async (fixture->client, id, LENS_REQUEST_PRIORITY_USER, cancellable, retrieve_cb, outcome);
  run_until_done (outcome);
}

static void
retrieve_batch (Fixture            *fixture,
                const char * const *ids,
                GCancellable       *cancellable,
                Outcome            *outcome)
{
  lens_client_retrieve_batch_async (fixture->client, ids, LENS_REQUEST_PRIORITY_USER, 0, cancellable, batch_cb, outcome);
  run_until_done (outcome);
}

static JsonObject *
parse_body (LensFakeRequest *request,
            JsonNode       **out_root)
{
  g_autoptr(GError) error = NULL;

  *out_root = json_from_string (request->body, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*out_root));
  return json_node_get_object (*out_root);
}

static const char *
record_id (JsonNode *record)
{
  return json_object_get_string_member (json_node_get_object (record), "id");
}

static void
test_retrieve_known (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(JsonNode) root = NULL;
  LensFakeRequest *request;
  JsonObject *body;

  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_nonnull (outcome.record);
  g_assert_cmpstr (record_id (outcome.record), ==, CAT_ID);

  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 1);
  request = lens_test_fake_request (fixture->fake, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpstr (request->accept, ==, "application/json");
  g_assert_true (g_str_has_prefix (request->content_type, "application/json"));
  g_assert_cmpstr (request->user_agent, ==, "Tasklens/" PACKAGE_VERSION);
  body = parse_body (request, &root);
  g_assert_cmpstr (json_object_get_string_member (body, "action"), ==, "retrieve");
  g_assert_cmpstr (json_object_get_string_member (body, "id"), ==, CAT_ID);
}

/* An unknown id is answered 200 {}: not found, which is not an error. */
static void
test_retrieve_unknown (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };

  retrieve (fixture, UNKNOWN_ID, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_null (outcome.record);
}

static gboolean
ptr_array_has_string (GPtrArray  *array,
                      const char *text)
{
  return g_ptr_array_find_with_equal_func (array, text, g_str_equal, NULL);
}

static void
test_batch (Fixture       *fixture,
            gconstpointer  data)
{
  const char *ids[] = { CAT_ID, UNKNOWN_ID, "807F62DE-C63E-4ADD-8345-7F0AE6DD18E7", CAT_ID, NULL };
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;
  JsonArray *sent_ids;

  retrieve_batch (fixture, ids, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.batch->prepared->len, ==, 2);
  g_assert_cmpuint (outcome.batch->answered_ids->len, ==, 3);
  g_assert_cmpuint (outcome.batch->failed_ids->len, ==, 0);
  g_assert_null (outcome.batch->error);
  g_assert_true (ptr_array_has_string (outcome.batch->answered_ids, UNKNOWN_ID));
  g_assert_true (ptr_array_has_string (outcome.batch->answered_ids, GIRL_ID));

  /* One request, ids once each and in lower case, with limit = their number. */
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 1);
  body = parse_body (lens_test_fake_request (fixture->fake, 0), &root);
  g_assert_cmpstr (json_object_get_string_member (body, "action"), ==, "retrieve_batch");
  sent_ids = json_object_get_array_member (body, "ids");
  g_assert_cmpuint (json_array_get_length (sent_ids), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (sent_ids, 2), ==, GIRL_ID);
  g_assert_cmpint (json_object_get_int_member (body, "limit"), ==, 3);
}

/* 120 ids go out as 50 + 50 + 20, each with its own limit, and all 120 come
 * back although the server would stop at 12 without one. */
static void
test_batch_chunks (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 120);
  g_auto(Outcome) outcome = { 0 };
  guint total = 0;

  retrieve_batch (fixture, (const char * const *) ids, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.batch->prepared->len, ==, 120);
  g_assert_cmpuint (outcome.batch->answered_ids->len, ==, 120);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *body = parse_body (lens_test_fake_request (fixture->fake, i), &root);
      guint n_ids = json_array_get_length (json_object_get_array_member (body, "ids"));

      g_assert_cmpuint (n_ids, <=, LENS_CLIENT_DEFAULT_CHUNK_SIZE);
      g_assert_cmpint (json_object_get_int_member (body, "limit"), ==, n_ids);
      total += n_ids;
    }
  g_assert_cmpuint (total, ==, 120);
}

static void
test_batch_chunk_size (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_DESCRIBE, 25);
  g_auto(Outcome) outcome = { 0 };

  lens_client_set_chunk_size (fixture->client, 10);
  retrieve_batch (fixture, (const char * const *) ids, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.batch->prepared->len, ==, 25);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 3);
}

/* An answer whose count is larger than its items was cut short: the ids
 * that did not come back are asked for again (same chunk, at most twice),
 * and an id the server does not know is answered once an answer holds all
 * that matched. */
static void
test_batch_cut_asked_again (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(GStrv) known = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 11);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_auto(Outcome) outcome = { 0 };

  g_strv_builder_addv (builder, (const char **) known);
  g_strv_builder_add (builder, UNKNOWN_ID);
  ids = g_strv_builder_end (builder);

  /* 5 of 12 (count 11), then 5 of 7 (count 6), then the last known one and
   * the unknown one (count 1). */
  lens_fake_api_set_batch_cut (fixture->fake, 5);
  retrieve_batch (fixture, (const char * const *) ids, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.batch->prepared->len, ==, 11);
  g_assert_cmpuint (outcome.batch->answered_ids->len, ==, 12);
  g_assert_true (ptr_array_has_string (outcome.batch->answered_ids, UNKNOWN_ID));
  g_assert_cmpuint (outcome.batch->failed_ids->len, ==, 0);
  g_assert_null (outcome.batch->error);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 3);
  for (guint i = 1; i < 3; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *body = parse_body (lens_test_fake_request (fixture->fake, i), &root);
      guint n_ids = json_array_get_length (json_object_get_array_member (body, "ids"));

      g_assert_cmpuint (n_ids, ==, i == 1 ? 7 : 2);
      g_assert_cmpint (json_object_get_int_member (body, "limit"), ==, n_ids);
    }
}

/* After two follow-ups the ids still cut off fail, with an error that may
 * pass; what came back is answered. */
static void
test_batch_cut_gives_up (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 10);
  g_auto(Outcome) outcome = { 0 };

  lens_fake_api_set_batch_cut (fixture->fake, 2);
  retrieve_batch (fixture, (const char * const *) ids, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.batch->prepared->len, ==, 6);
  g_assert_cmpuint (outcome.batch->answered_ids->len, ==, 6);
  g_assert_cmpuint (outcome.batch->failed_ids->len, ==, 4);
  g_assert_error (outcome.batch->error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INCOMPLETE_ANSWER);
  g_assert_true (lens_client_error_is_transient (outcome.batch->error));
  g_assert_false (lens_client_error_is_fatal (outcome.batch->error));
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 3);
  for (guint i = 0; i < outcome.batch->failed_ids->len; i++)
    g_assert_false (ptr_array_has_string (outcome.batch->answered_ids,
                                          g_ptr_array_index (outcome.batch->failed_ids, i)));
}

/* A task left out of an answer that still counts it is not unknown: it is
 * asked for again and found. */
static void
test_batch_hidden_asked_again (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *ids[] = { CAT_ID, GIRL_ID, UNKNOWN_ID, NULL };
  g_auto(Outcome) outcome = { 0 };

  lens_fake_api_hide_from_batch (fixture->fake, CAT_ID, 1);
  retrieve_batch (fixture, ids, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.batch->prepared->len, ==, 2);
  g_assert_cmpuint (outcome.batch->answered_ids->len, ==, 3);
  g_assert_cmpuint (outcome.batch->failed_ids->len, ==, 0);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 2);
}

/* A chunk size above the API's 50 is taken as 50: 120 ids still go out in
 * three requests, none with more than 50 ids. */
static void
test_batch_chunk_size_capped (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 120);
  g_auto(Outcome) outcome = { 0 };

  lens_client_set_chunk_size (fixture->client, 100);
  g_assert_cmpuint (lens_client_get_chunk_size (fixture->client), ==, 50);
  retrieve_batch (fixture, (const char * const *) ids, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.batch->prepared->len, ==, 120);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *body = parse_body (lens_test_fake_request (fixture->fake, i), &root);

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "ids")), <=, 50);
    }
}

/* Ten requests, each held 200 ms by the server: with four slots they take at
 * least three rounds. (A lower bound only: it proves the limit, not speed.) */
static void
test_at_most_four_in_flight (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 10);
  LensFakeFault delay = { .kind = LENS_FAKE_FAULT_DELAY, .target = LENS_FAKE_TARGET_TASKS, .delay_ms = 200 };
  g_auto(Outcome) outcome = { 0 };
  gint64 start;

  lens_client_set_chunk_size (fixture->client, 1);
  lens_fake_api_push_fault (fixture->fake, &delay, 10);
  start = g_get_monotonic_time ();
  retrieve_batch (fixture, (const char * const *) ids, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.batch->prepared->len, ==, 10);
  g_assert_cmpint (outcome.finished_at - start, >=, 3 * 200 * 1000);
}

typedef struct
{
  guint           status;
  const char     *code;
  LensClientError expected;
  gboolean        permanent;  /* asking for the same tasks again is pointless */
} StatusCase;

static const StatusCase status_cases[] = {
  { 400, "bad_request", LENS_CLIENT_ERROR_BAD_REQUEST, TRUE },
  { 400, "api_not_implemented", LENS_CLIENT_ERROR_BAD_REQUEST, TRUE },
  { 400, "invalid_parameters", LENS_CLIENT_ERROR_BAD_REQUEST, TRUE },
  { 400, "token_mismatched", LENS_CLIENT_ERROR_UNAUTHORIZED },
  { 401, "invalid_token", LENS_CLIENT_ERROR_UNAUTHORIZED },
  { 401, "no_token", LENS_CLIENT_ERROR_UNAUTHORIZED },
  { 401, "token_expired", LENS_CLIENT_ERROR_UNAUTHORIZED },
  { 401, "token_mismatched", LENS_CLIENT_ERROR_UNAUTHORIZED },
  { 402, NULL, LENS_CLIENT_ERROR_PAYMENT_REQUIRED },
  { 403, "used_up", LENS_CLIENT_ERROR_QUOTA_EXHAUSTED },
  { 403, "disabled", LENS_CLIENT_ERROR_FORBIDDEN },
  { 403, "forbidden", LENS_CLIENT_ERROR_FORBIDDEN },
  { 404, "no_api", LENS_CLIENT_ERROR_WRONG_URL },
  { 429, "too_many_requests", LENS_CLIENT_ERROR_RATE_LIMITED },
  { 429, "rate_limited", LENS_CLIENT_ERROR_RATE_LIMITED },
  { 500, "api_error", LENS_CLIENT_ERROR_SERVER_ERROR },
  { 502, "bad_gateway", LENS_CLIENT_ERROR_SERVER_ERROR },
  { 502, "timeout", LENS_CLIENT_ERROR_TIMEOUT },
  { 503, "service_unavailable", LENS_CLIENT_ERROR_SERVER_ERROR },
  { 503, "timeout", LENS_CLIENT_ERROR_TIMEOUT },
  { 504, "timeout", LENS_CLIENT_ERROR_TIMEOUT },
  { 418, "teapot", LENS_CLIENT_ERROR_UNEXPECTED_STATUS },
};

/* Every status and code of API.md's table becomes its LENS_CLIENT_ERROR, with
 * a message that names the HTTP status, and never shows the token. */
static void
test_error_status (Fixture       *fixture,
                   gconstpointer  data)
{
  const StatusCase *test_case = data;
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
    .status = test_case->status, .code = test_case->code, .retry_after = -1,
  };
  g_auto(Outcome) outcome = { 0 };
  g_autofree char *status_text = g_strdup_printf ("HTTP %u", test_case->status);

  lens_client_set_retry_policy (fixture->client, 0, 1);
  lens_fake_api_push_fault (fixture->fake, &fault, G_MAXUINT);
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, LENS_CLIENT_ERROR, (int) test_case->expected);
  g_assert_nonnull (strstr (outcome.error->message, status_text));
  g_assert_null (strstr (outcome.error->message, TOKEN));
  if (test_case->code != NULL)
    g_assert_nonnull (strstr (outcome.error->message, test_case->code));
  g_assert_cmpint (lens_client_error_is_permanent (outcome.error), ==, test_case->permanent);
}

/* Permanent, transient and fatal never overlap: what is permanent is
 * neither retried nor a reason to pause everything. */
static void
test_error_permanent (void)
{
  const struct { int code; gboolean permanent; } cases[] = {
    { LENS_CLIENT_ERROR_BAD_REQUEST, TRUE },
    { LENS_CLIENT_ERROR_INVALID_RESPONSE, TRUE },
    { LENS_CLIENT_ERROR_RESPONSE_TOO_LARGE, TRUE },
    { LENS_CLIENT_ERROR_UNAUTHORIZED, FALSE },
    { LENS_CLIENT_ERROR_RATE_LIMITED, FALSE },
    { LENS_CLIENT_ERROR_SERVER_ERROR, FALSE },
    { LENS_CLIENT_ERROR_TIMEOUT, FALSE },
    { LENS_CLIENT_ERROR_NETWORK, FALSE },
    { LENS_CLIENT_ERROR_INCOMPLETE_ANSWER, FALSE },
    { LENS_CLIENT_ERROR_UNEXPECTED_STATUS, FALSE },
  };
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (LENS_CLIENT_ERROR, cases[i].code, "");

      g_assert_cmpint (lens_client_error_is_permanent (error), ==, cases[i].permanent);
      if (cases[i].permanent)
        {
          g_assert_false (lens_client_error_is_transient (error));
          g_assert_false (lens_client_error_is_fatal (error));
        }
    }
  g_assert_false (lens_client_error_is_permanent (cancelled));
  g_assert_false (lens_client_error_is_permanent (NULL));
}

/* A 429, whichever its code, is not an error the caller sees: the scheduler
 * holds the request (a second, for Retry-After: 0), says it is throttled,
 * and the request asks again and is answered. */
static void
test_refused_status (Fixture       *fixture,
                     gconstpointer  data)
{
  const StatusCase *test_case = data;
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
    .status = test_case->status, .code = test_case->code, .retry_after = 0,
  };
  LensScheduler *scheduler = lens_client_get_scheduler (fixture->client);
  g_auto(Outcome) outcome = { 0 };
  gint64 start = g_get_monotonic_time ();

  lens_client_set_retry_policy (fixture->client, 0, 1);
  lens_fake_api_push_fault (fixture->fake, &fault, 1);
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_nonnull (outcome.record);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 2);
  g_assert_cmpuint (lens_scheduler_get_n_refused (scheduler), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
}

/* The server's message and trace id reach the user; the raw body does not. */
static void
test_error_message_content (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };

  lens_client_set_token (fixture->client, "another-token");
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_error (outcome.error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (outcome.error->message, "invalid_token"));
  g_assert_nonnull (strstr (outcome.error->message, "trace ID"));
  g_assert_null (strstr (outcome.error->message, "{"));
  g_assert_null (strstr (outcome.error->message, "another-token"));
  /* Not retried: a wrong token stays wrong. */
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 1);
}

static void
test_retry_then_success (Fixture       *fixture,
                         gconstpointer  data)
{
  LensFakeFault unavailable = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                                .status = 503, .retry_after = -1 };
  LensFakeFault reset = { .kind = LENS_FAKE_FAULT_RESET, .target = LENS_FAKE_TARGET_TASKS };
  g_auto(Outcome) outcome = { 0 };

  lens_fake_api_push_fault (fixture->fake, &unavailable, 1);
  lens_fake_api_push_fault (fixture->fake, &reset, 1);
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpstr (record_id (outcome.record), ==, CAT_ID);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 3);
}

static void
test_retries_are_bounded (Fixture       *fixture,
                          gconstpointer  data)
{
  LensFakeFault broken = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                           .status = 500, .retry_after = -1 };
  g_auto(Outcome) outcome = { 0 };

  lens_client_set_retry_policy (fixture->client, 2, 1);
  lens_fake_api_push_fault (fixture->fake, &broken, G_MAXUINT);
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_error (outcome.error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_SERVER_ERROR);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 3);
}

static void
count_queued_cb (SoupSession *session,
                 SoupMessage *message,
                 guint       *n_queued)
{
  (*n_queued)++;
}

/* Nobody listening at the address: asked once more, then the caller hears
 * it (the refresher pauses and looks again later), rather than after every
 * retry a broken connection would get, half a minute on the real backoff. */
static void
test_refused_connection_asked_once_more (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_auto(Outcome) outcome = { 0 };
  guint n_queued = 0;
  guint16 port;

  /* A port that was free a moment ago, and is closed again. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  lens_client_set_base_url (fixture->client, url);
  lens_client_set_retry_policy (fixture->client, 3, 1);
  g_signal_connect (fixture->session, "request-queued", G_CALLBACK (count_queued_cb), &n_queued);
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_error (outcome.error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_NETWORK);
  g_assert_cmpuint (n_queued, ==, 2);
  g_signal_handlers_disconnect_by_data (fixture->session, &n_queued);
}

static void
test_client_errors_not_retried (Fixture       *fixture,
                                gconstpointer  data)
{
  LensFakeFault bad = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                        .status = 400, .retry_after = -1 };
  g_auto(Outcome) outcome = { 0 };

  lens_fake_api_push_fault (fixture->fake, &bad, G_MAXUINT);
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_error (outcome.error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_BAD_REQUEST);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 1);
}

/* Retry-After: 1 is honoured even though the backoff base is 5 ms. */
static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  LensFakeFault limited = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                            .status = 429, .retry_after = 1 };
  g_auto(Outcome) outcome = { 0 };
  gint64 start = g_get_monotonic_time ();

  lens_fake_api_push_fault (fixture->fake, &limited, 1);
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_nonnull (outcome.record);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 2);
  g_assert_cmpint (outcome.finished_at - start, >=, G_USEC_PER_SEC);
}

static void
test_rate_limited_without_retry_after (Fixture       *fixture,
                                       gconstpointer  data)
{
  LensFakeFault limited = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                            .status = 429, .retry_after = -1 };
  g_auto(Outcome) outcome = { 0 };

  lens_fake_api_push_fault (fixture->fake, &limited, 2);
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 3);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Cancelling while the server is slow ends the request at once with
 * G_IO_ERROR_CANCELLED, untouched by the error mapping. */
static void
test_cancel_in_flight (Fixture       *fixture,
                       gconstpointer  data)
{
  LensFakeFault slow = { .kind = LENS_FAKE_FAULT_DELAY, .target = LENS_FAKE_TARGET_TASKS, .delay_ms = 5000 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };
  gint64 start = g_get_monotonic_time ();

  lens_fake_api_push_fault (fixture->fake, &slow, 1);
  g_timeout_add (50, cancel_cb, cancellable);
  retrieve (fixture, CAT_ID, cancellable, &outcome);

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (outcome.finished_at - start, <, 4 * G_USEC_PER_SEC);
}

static void
test_cancel_during_backoff (Fixture       *fixture,
                            gconstpointer  data)
{
  LensFakeFault broken = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                           .status = 502, .retry_after = -1 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };

  lens_client_set_retry_policy (fixture->client, 3, 60 * 1000);
  lens_fake_api_push_fault (fixture->fake, &broken, G_MAXUINT);
  g_timeout_add (100, cancel_cb, cancellable);
  retrieve (fixture, CAT_ID, cancellable, &outcome);

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 1);
}

/* A batch waiting for a slot, and one cancelled before it starts. */
static void
test_cancel_batch (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 12);
  LensFakeFault slow = { .kind = LENS_FAKE_FAULT_DELAY, .target = LENS_FAKE_TARGET_TASKS, .delay_ms = 5000 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };
  g_auto(Outcome) early = { 0 };

  lens_client_set_chunk_size (fixture->client, 1);
  lens_fake_api_push_fault (fixture->fake, &slow, G_MAXUINT);
  g_timeout_add (100, cancel_cb, cancellable);
  retrieve_batch (fixture, (const char * const *) ids, cancellable, &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (outcome.batch);

  g_cancellable_cancel (cancelled);
  retrieve_batch (fixture, (const char * const *) ids, cancelled, &early);
  g_assert_error (early.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  LensFakeFault slow = { .kind = LENS_FAKE_FAULT_DELAY, .target = LENS_FAKE_TARGET_TASKS, .delay_ms = 3000 };
  g_auto(Outcome) outcome = { 0 };

  soup_session_set_timeout (fixture->session, 1);
  lens_client_set_retry_policy (fixture->client, 0, 1);
  lens_fake_api_push_fault (fixture->fake, &slow, 1);
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_error (outcome.error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_TIMEOUT);
}

/* A server that sends a byte every 50 ms never trips the per-read timeout;
 * the deadline on the whole attempt ends it, and the slot goes to the next
 * request. */
static void
test_deadline (Fixture       *fixture,
               gconstpointer  data)
{
  LensFakeFault trickle = { .kind = LENS_FAKE_FAULT_TRICKLE, .target = LENS_FAKE_TARGET_TASKS,
                            .delay_ms = 50 };
  Outcome outcomes[LENS_API_PACE_MAX_IN_FLIGHT + 1] = { { 0 } };
  guint last = G_N_ELEMENTS (outcomes) - 1;
  gint64 start = g_get_monotonic_time ();

  lens_client_set_retry_policy (fixture->client, 0, 1);
  lens_client_set_deadline (fixture->client, 500);
  /* A trickle on every slot, and one request more waiting behind them. */
  lens_fake_api_push_fault (fixture->fake, &trickle, LENS_API_PACE_MAX_IN_FLIGHT);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    lens_client_retrieve_async (fixture->client, CAT_ID, LENS_REQUEST_PRIORITY_USER, NULL, retrieve_cb, &outcomes[i]);

  for (guint i = 0; i < last; i++)
    {
      run_until_done (&outcomes[i]);
      g_assert_error (outcomes[i].error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_TIMEOUT);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500 * G_TIME_SPAN_MILLISECOND);

  run_until_done (&outcomes[last]);
  g_assert_no_error (outcomes[last].error);
  g_assert_cmpstr (record_id (outcomes[last].record), ==, CAT_ID);

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    outcome_clear (&outcomes[i]);
}

typedef struct
{
  const char        *name;
  LensFakeFaultKind  kind;
  gsize              size;
  LensClientError    expected;
} BrokenCase;

static const BrokenCase broken_cases[] = {
  { "truncated", LENS_FAKE_FAULT_TRUNCATED_BODY, 0, LENS_CLIENT_ERROR_NETWORK },
  { "reset", LENS_FAKE_FAULT_RESET, 0, LENS_CLIENT_ERROR_NETWORK },
  { "invalid-json", LENS_FAKE_FAULT_INVALID_JSON, 0, LENS_CLIENT_ERROR_INVALID_RESPONSE },
  { "wrong-shape", LENS_FAKE_FAULT_WRONG_SHAPE, 0, LENS_CLIENT_ERROR_INVALID_RESPONSE },
  { "wrong-content-type", LENS_FAKE_FAULT_WRONG_CONTENT_TYPE, 0, LENS_CLIENT_ERROR_INVALID_RESPONSE },
  { "oversized", LENS_FAKE_FAULT_OVERSIZED, 3 * 1024 * 1024, LENS_CLIENT_ERROR_RESPONSE_TOO_LARGE },
};

/* Broken answers to a batch: a clear error, never a crash or a half result.
 * Broken connections are retried; broken content is not. */
static void
test_broken_answer (Fixture       *fixture,
                    gconstpointer  data)
{
  const BrokenCase *test_case = data;
  LensFakeFault fault = { .kind = test_case->kind, .target = LENS_FAKE_TARGET_TASKS, .size = test_case->size };
  const char *ids[] = { CAT_ID, GIRL_ID, NULL };
  g_auto(Outcome) outcome = { 0 };
  gboolean transient = test_case->expected == LENS_CLIENT_ERROR_NETWORK;

  lens_client_set_retry_policy (fixture->client, 1, 1);
  lens_client_set_max_body_size (fixture->client, 1024 * 1024);
  lens_fake_api_push_fault (fixture->fake, &fault, G_MAXUINT);
  retrieve_batch (fixture, ids, NULL, &outcome);

  g_assert_error (outcome.error, LENS_CLIENT_ERROR, (int) test_case->expected);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==,
                    transient ? 2 : 1);
}

/* One chunk fails, the others are kept: the result says which ids failed. */
static void
test_batch_partial_failure (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *ids[] = { CAT_ID, GIRL_ID, UNKNOWN_ID, NULL };
  LensFakeFault broken = { .kind = LENS_FAKE_FAULT_INVALID_JSON, .target = LENS_FAKE_TARGET_TASKS };
  g_auto(Outcome) outcome = { 0 };

  lens_client_set_chunk_size (fixture->client, 2);
  lens_fake_api_push_fault (fixture->fake, &broken, 1);
  retrieve_batch (fixture, ids, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_nonnull (outcome.batch);
  g_assert_cmpuint (outcome.batch->answered_ids->len + outcome.batch->failed_ids->len, ==, 3);
  g_assert_cmpuint (outcome.batch->failed_ids->len, >=, 1);
  g_assert_error (outcome.batch->error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE);
}

/* A rejected token stops the whole batch with that error. */
static void
test_batch_unauthorized (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 30);
  g_auto(Outcome) outcome = { 0 };

  lens_client_set_token (fixture->client, "wrong");
  lens_client_set_chunk_size (fixture->client, 5);
  retrieve_batch (fixture, (const char * const *) ids, NULL, &outcome);

  g_assert_error (outcome.error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_null (outcome.batch);
  /* The chunks still waiting for a slot were never sent. */
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), <=,
                    LENS_API_PACE_MAX_IN_FLIGHT);
}

static void
test_no_token (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };

  lens_client_set_token (fixture->client, NULL);
  g_assert_false (lens_client_has_token (fixture->client));
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_error (outcome.error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_NO_TOKEN);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, NULL), ==, 0);
}

/* The token is never sent over plain HTTP to another machine. */
static void
test_https_required (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };

  lens_client_set_base_url (fixture->client, "http://api.acedata.cloud/");
  retrieve (fixture, CAT_ID, NULL, &outcome);

  g_assert_error (outcome.error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INSECURE_URL);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, NULL), ==, 0);
}

static void
test_check_base_url (void)
{
  const struct { const char *url; int error_code; } cases[] = {
    { "https://api.acedata.cloud", -1 },
    { "https://proxy.example.com:8443/acedata/", -1 },
    { "http://127.0.0.1:8080", -1 },
    { "http://127.45.6.7", -1 },
    { "http://localhost:3000/", -1 },
    { "http://[::1]:9000", -1 },
    { "http://api.acedata.cloud", LENS_CLIENT_ERROR_INSECURE_URL },
    { "http://192.168.1.10", LENS_CLIENT_ERROR_INSECURE_URL },
    { "http://localhost.evil.test", LENS_CLIENT_ERROR_INSECURE_URL },
    { "ftp://api.acedata.cloud", LENS_CLIENT_ERROR_INVALID_URL },
    { "api.acedata.cloud", LENS_CLIENT_ERROR_INVALID_URL },
    { "", LENS_CLIENT_ERROR_INVALID_URL },
    { NULL, LENS_CLIENT_ERROR_INVALID_URL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = lens_client_check_base_url (cases[i].url, &error);

      if (cases[i].error_code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_error (error, LENS_CLIENT_ERROR, cases[i].error_code);
          g_assert_false (ok);
        }
    }
}

static void
test_base_url_normalised (void)
{
  g_autoptr(LensClient) client = lens_client_new (NULL, "https://api.acedata.cloud///", "t");
  g_autoptr(LensClient) fallback = lens_client_new (NULL, NULL, NULL);

  g_assert_cmpstr (lens_client_get_base_url (client), ==, "https://api.acedata.cloud");
  g_assert_cmpstr (lens_client_get_base_url (fallback), ==, LENS_CLIENT_DEFAULT_URL);
  g_assert_false (lens_client_has_token (fallback));
  /* The token cannot be read back. */
  g_assert_false (g_object_class_find_property (G_OBJECT_GET_CLASS (client), "token")->flags & G_PARAM_READABLE);
}

static void
add_fixture_test (const char    *path,
                  gconstpointer  data,
                  void         (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  add_fixture_test ("/client/retrieve/known", NULL, test_retrieve_known);
  add_fixture_test ("/client/retrieve/unknown", NULL, test_retrieve_unknown);
  add_fixture_test ("/client/batch/basic", NULL, test_batch);
  add_fixture_test ("/client/batch/chunks", NULL, test_batch_chunks);
  add_fixture_test ("/client/batch/chunk-size", NULL, test_batch_chunk_size);
  add_fixture_test ("/client/batch/chunk-size-capped", NULL, test_batch_chunk_size_capped);
  add_fixture_test ("/client/batch/cut/asked-again", NULL, test_batch_cut_asked_again);
  add_fixture_test ("/client/batch/cut/gives-up", NULL, test_batch_cut_gives_up);
  add_fixture_test ("/client/batch/cut/hidden", NULL, test_batch_hidden_asked_again);
  add_fixture_test ("/client/batch/at-most-four-in-flight", NULL, test_at_most_four_in_flight);
  add_fixture_test ("/client/batch/partial-failure", NULL, test_batch_partial_failure);
  add_fixture_test ("/client/batch/unauthorized", NULL, test_batch_unauthorized);
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/client/status/%u-%s", status_cases[i].status,
                                               status_cases[i].code ? status_cases[i].code : "none");
      add_fixture_test (path, &status_cases[i],
                        status_cases[i].status == 429 ? test_refused_status : test_error_status);
    }
  add_fixture_test ("/client/error/message-content", NULL, test_error_message_content);
  add_fixture_test ("/client/retry/then-success", NULL, test_retry_then_success);
  add_fixture_test ("/client/retry/bounded", NULL, test_retries_are_bounded);
  add_fixture_test ("/client/retry/refused-connection-asked-once-more", NULL,
                    test_refused_connection_asked_once_more);
  add_fixture_test ("/client/retry/not-for-4xx", NULL, test_client_errors_not_retried);
  add_fixture_test ("/client/retry/retry-after", NULL, test_retry_after);
  add_fixture_test ("/client/retry/429-without-retry-after", NULL, test_rate_limited_without_retry_after);
  add_fixture_test ("/client/cancel/in-flight", NULL, test_cancel_in_flight);
  add_fixture_test ("/client/cancel/during-backoff", NULL, test_cancel_during_backoff);
  add_fixture_test ("/client/cancel/batch", NULL, test_cancel_batch);
  add_fixture_test ("/client/timeout", NULL, test_timeout);
  add_fixture_test ("/client/deadline", NULL, test_deadline);
  for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/client/broken/%s", broken_cases[i].name);
      add_fixture_test (path, &broken_cases[i], test_broken_answer);
    }
  add_fixture_test ("/client/no-token", NULL, test_no_token);
  add_fixture_test ("/client/https-required", NULL, test_https_required);
  g_test_add_func ("/client/check-base-url", test_check_base_url);
  g_test_add_func ("/client/error/permanent", test_error_permanent);
  g_test_add_func ("/client/base-url-normalised", test_base_url_normalised);

  return g_test_run ();
}
