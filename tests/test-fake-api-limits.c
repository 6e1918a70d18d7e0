/* test-fake-api-limits.c — the fake AceData server admits what a real token would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rate window, the requests in flight, every Retry-After variant and
 * the latency of lens_fake_api_set_limits(), with a plain SoupSession (see
 * test-fake-api.c for why not the Tasklens client). Windows are kept short
 * or long enough that no test depends on the machine's speed: a rate of 0.1
 * keeps a request refused for ten seconds without waiting for them.
 */

#include "config.h"

#define G_LOG_DOMAIN "TestFakeApiLimits"

#include <string.h>

#include "lens-test-fake-client.h"

#define RETRIEVE_BODY "{\"action\": \"retrieve\", \"id\": \"00000000-0000-4000-8000-000000000000\"}"

/* Helpers */

static LensTestReply *
post (LensFakeApi *api,
      SoupSession *session)
{
  return lens_test_post_tasks (api, session, RETRIEVE_BODY);
}

static void
assert_refused (LensTestReply *reply,
                const char    *code,
                const char    *message)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *error;

  lens_test_assert_error_body (reply, 429, code);
  node = lens_test_reply_json (reply);
  error = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_cmpstr (json_object_get_string_member (error, "message"), ==, message);
}

static void
assert_rate_refused (LensTestReply *reply,
                     const char    *code)
{
  assert_refused (reply, code, "Too many requests");
}

static gint64
retry_after_seconds (LensTestReply *reply)
{
  const char *value = lens_test_reply_header (reply, "Retry-After");
  guint64 seconds = 0;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (value);
  g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT, &seconds, &error);
  g_assert_no_error (error);
  return (gint64) seconds;
}

/* Returns how far from now the HTTP date in Retry-After is, in seconds. */
static gint64
retry_after_date_offset (LensTestReply *reply)
{
  const char *value = lens_test_reply_header (reply, "Retry-After");
  g_autoptr(GDateTime) date = NULL;

  g_assert_nonnull (value);
  date = soup_date_time_new_from_http_string (value);
  g_assert_nonnull (date);
  return g_date_time_to_unix (date) - g_get_real_time () / G_USEC_PER_SEC;
}

/* Requests sent together, answered in any order */

typedef struct
{
  LensTestReply *reply;       /* owned */
  guint         *answered;    /* shared: how many were answered so far */
  guint          order;       /* 1 for the first one answered, … */
  gint64         sent_usec;
  gint64         elapsed_usec;
} Pending;

static void
pending_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pending *pending = user_data;

  pending->reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                            &pending->reply->error);
  pending->reply->done = TRUE;
  pending->order = ++*pending->answered;
  pending->elapsed_usec = g_get_monotonic_time () - pending->sent_usec;
}

/* Sends a POST of @body to @url, or a GET when @body is %NULL. */
static void
send_pending (SoupSession *session,
              const char  *url,
              const char  *body,
              guint       *answered,
              Pending     *pending)
{
  pending->reply = g_new0 (LensTestReply, 1);
  pending->reply->msg = soup_message_new (body != NULL ? "POST" : "GET", url);
  pending->answered = answered;
  pending->sent_usec = g_get_monotonic_time ();
  soup_message_headers_replace (soup_message_get_request_headers (pending->reply->msg),
                                "Authorization", "Bearer " LENS_TEST_FAKE_TOKEN);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (pending->reply->msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (session, pending->reply->msg, G_PRIORITY_DEFAULT, NULL,
                                    pending_sent_cb, pending);
}

/* A session that opens as many connections as it is asked for, so that
 * requests reach the server together. */
static SoupSession *
parallel_session (void)
{
  return soup_session_new_with_options ("user-agent", "test-fake-api-limits/1.0",
                                        "timeout", 20, "max-conns-per-host", 16, NULL);
}

/* Tests */

static void
test_rate (void)
{
  LensFakeApi *api = lens_test_start_fake_api (LENS_TEST_FAKE_TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  LensFakeLimits limits = { .requests_per_second = 5,
                            .retry_after = LENS_FAKE_RETRY_AFTER_SECONDS };

  lens_fake_api_set_limits (api, &limits);

  /* Back to back: the first five fit in the window, the next five wait for
   * the first to leave it, less than a second away. */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(LensTestReply) reply = post (api, session);

      if (i < 5)
        {
          g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
          g_assert_null (lens_test_reply_header (reply, "Retry-After"));
        }
      else
        {
          assert_rate_refused (reply, "too_many_requests");
          g_assert_cmpint (retry_after_seconds (reply), ==, 1);
        }
    }
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 5);
  g_assert_cmpuint (lens_fake_api_count_requests (api, "/midjourney/tasks"), ==, 10);

  /* A second after the last refusal, every admitted request has left it. */
  lens_test_spin_for (1000);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(LensTestReply) reply = post (api, session);

      g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
    }
  {
    g_autoptr(LensTestReply) reply = post (api, session);

    assert_rate_refused (reply, "too_many_requests");
  }
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 6);

  lens_fake_api_clear_requests (api);
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 0);

  lens_test_fake_client_finish (api, session);
}

static void
test_refused_not_counted (void)
{
  LensFakeApi *api = lens_test_start_fake_api (LENS_TEST_FAKE_TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  LensFakeLimits limits = { .requests_per_second = 1 };
  g_autoptr(LensTestReply) first = NULL;
  g_autoptr(LensTestReply) refused = NULL;
  g_autoptr(LensTestReply) again = NULL;
  gint64 start;

  lens_fake_api_set_limits (api, &limits);
  start = g_get_monotonic_time ();
  first = post (api, session);
  g_assert_cmpuint (lens_test_reply_status (first), ==, 200);

  lens_test_spin_for (500);
  refused = post (api, session);
  assert_rate_refused (refused, "too_many_requests");
  g_assert_null (lens_test_reply_header (refused, "Retry-After"));

  /* A second after the admitted one, the refused one (half a second ago)
   * takes no place in the window. */
  lens_test_spin_for (MAX (1050 - (g_get_monotonic_time () - start) / 1000, 0));
  again = post (api, session);
  g_assert_cmpuint (lens_test_reply_status (again), ==, 200);

  lens_test_fake_client_finish (api, session);
}

static void
test_retry_after (void)
{
  LensFakeApi *api = lens_test_start_fake_api (LENS_TEST_FAKE_TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  /* Below one a second, the window is 1/r: ten seconds. */
  LensFakeLimits limits = { .requests_per_second = 0.1 };
  g_autoptr(LensTestReply) first = NULL;

  lens_fake_api_set_limits (api, &limits);
  first = post (api, session);
  g_assert_cmpuint (lens_test_reply_status (first), ==, 200);

  {
    g_autoptr(LensTestReply) reply = post (api, session);

    assert_rate_refused (reply, "too_many_requests");
    g_assert_null (lens_test_reply_header (reply, "Retry-After"));
  }

  limits.retry_after = LENS_FAKE_RETRY_AFTER_SECONDS;
  limits.rate_code = "rate_limited";
  lens_fake_api_set_limits (api, &limits);
  {
    g_autoptr(LensTestReply) reply = post (api, session);

    assert_rate_refused (reply, "rate_limited");
    g_assert_cmpint (retry_after_seconds (reply), >=, 9);
    g_assert_cmpint (retry_after_seconds (reply), <=, 10);
  }

  limits.retry_after = LENS_FAKE_RETRY_AFTER_DATE;
  limits.rate_code = NULL;
  lens_fake_api_set_limits (api, &limits);
  {
    g_autoptr(LensTestReply) reply = post (api, session);

    assert_rate_refused (reply, "too_many_requests");
    g_assert_cmpint (retry_after_date_offset (reply), >=, 9);
    g_assert_cmpint (retry_after_date_offset (reply), <=, 11);
  }

  limits.retry_after = LENS_FAKE_RETRY_AFTER_ZERO;
  lens_fake_api_set_limits (api, &limits);
  {
    g_autoptr(LensTestReply) reply = post (api, session);

    assert_rate_refused (reply, "too_many_requests");
    g_assert_cmpstr (lens_test_reply_header (reply, "Retry-After"), ==, "0");
  }

  limits.retry_after = LENS_FAKE_RETRY_AFTER_PAST;
  lens_fake_api_set_limits (api, &limits);
  {
    g_autoptr(LensTestReply) reply = post (api, session);

    assert_rate_refused (reply, "too_many_requests");
    g_assert_cmpint (retry_after_date_offset (reply), <=, -59);
    g_assert_cmpint (retry_after_date_offset (reply), >=, -61);
  }

  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 5);

  lens_test_fake_client_finish (api, session);
}

static void
test_retry_after_near (void)
{
  LensFakeApi *api = lens_test_start_fake_api (LENS_TEST_FAKE_TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  LensFakeLimits limits = { .requests_per_second = 20,
                            .retry_after = LENS_FAKE_RETRY_AFTER_DATE };
  gint64 start = g_get_monotonic_time ();

  lens_fake_api_set_limits (api, &limits);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(LensTestReply) reply = post (api, session);

      g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
    }

  /* Shortly before the first admitted request leaves the window, the wait
   * is well under a second; still the date is at least a second ahead, and
   * the seconds at least one. */
  lens_test_spin_for (MAX (900 - (g_get_monotonic_time () - start) / 1000, 0));
  {
    g_autoptr(LensTestReply) reply = post (api, session);

    assert_rate_refused (reply, "too_many_requests");
    g_assert_cmpint (retry_after_date_offset (reply), >=, 1);
    g_assert_cmpint (retry_after_date_offset (reply), <=, 2);
  }

  limits.retry_after = LENS_FAKE_RETRY_AFTER_SECONDS;
  lens_fake_api_set_limits (api, &limits);
  {
    g_autoptr(LensTestReply) reply = post (api, session);

    assert_rate_refused (reply, "too_many_requests");
    g_assert_cmpint (retry_after_seconds (reply), ==, 1);
  }
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 2);

  lens_test_fake_client_finish (api, session);
}

static void
test_concurrency (void)
{
  LensFakeApi *api = lens_test_start_fake_api (LENS_TEST_FAKE_TOKEN);
  SoupSession *session = parallel_session ();
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);
  LensFakeLimits limits = { .max_in_flight = 2, .latency_ms = 300,
                            .retry_after = LENS_FAKE_RETRY_AFTER_SECONDS };
  Pending pending[3] = { { 0 } };
  guint answered = 0;
  guint refused = 0;

  lens_fake_api_set_limits (api, &limits);
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    send_pending (session, url, RETRIEVE_BODY, &answered, &pending[i]);
  while (answered < G_N_ELEMENTS (pending))
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    {
      LensTestReply *reply = pending[i].reply;

      if (lens_test_reply_status (reply) == 429)
        {
          assert_refused (reply, "rate_limited", "Concurrency limit exceeded for this token");
          g_assert_cmpint (retry_after_seconds (reply), ==, 1);
          /* Refused while the others were held: the main loop went on. */
          g_assert_cmpuint (pending[i].order, ==, 1);
          g_assert_cmpint (pending[i].elapsed_usec, <, 300 * 1000);
          refused++;
        }
      else
        {
          g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
          g_assert_cmpint (pending[i].elapsed_usec, >=, 300 * 1000);
        }
    }
  g_assert_cmpuint (refused, ==, 1);
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 1);
  g_assert_cmpuint (lens_fake_api_get_max_in_flight_seen (api), ==, 2);

  /* Once they are answered, there is room again. */
  {
    g_autoptr(LensTestReply) reply = post (api, session);

    g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  }

  lens_fake_api_clear_requests (api);
  g_assert_cmpuint (lens_fake_api_get_max_in_flight_seen (api), ==, 0);
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    lens_test_reply_free (pending[i].reply);
  lens_test_fake_client_finish (api, session);
}

static void
test_concurrency_code (void)
{
  LensFakeApi *api = lens_test_start_fake_api (LENS_TEST_FAKE_TOKEN);
  SoupSession *session = parallel_session ();
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);
  LensFakeLimits limits = { .requests_per_second = 2, .max_in_flight = 1, .latency_ms = 200,
                            .concurrency_code = "too_many_requests",
                            .retry_after = LENS_FAKE_RETRY_AFTER_ZERO };
  Pending pending[2] = { { 0 } };
  guint answered = 0;

  lens_fake_api_set_limits (api, &limits);
  send_pending (session, url, RETRIEVE_BODY, &answered, &pending[0]);
  /* The first is held before the second arrives. */
  while (lens_fake_api_count_requests (api, NULL) < 1)
    g_main_context_iteration (NULL, TRUE);
  send_pending (session, url, RETRIEVE_BODY, &answered, &pending[1]);
  while (answered < G_N_ELEMENTS (pending))
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (lens_test_reply_status (pending[0].reply), ==, 200);
  assert_refused (pending[1].reply, "too_many_requests",
                  "Concurrency limit exceeded for this token");
  g_assert_cmpstr (lens_test_reply_header (pending[1].reply, "Retry-After"), ==, "0");
  g_assert_cmpuint (pending[1].order, ==, 1);
  g_assert_cmpuint (lens_fake_api_get_max_in_flight_seen (api), ==, 1);

  /* The request refused for concurrency took no place in the rate window,
   * which holds two: there is room for one more within the second. */
  {
    g_autoptr(LensTestReply) reply = post (api, session);

    g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  }
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    lens_test_reply_free (pending[i].reply);
  lens_test_fake_client_finish (api, session);
}

static void
test_latency (void)
{
  LensFakeApi *api = lens_test_start_fake_api (LENS_TEST_FAKE_TOKEN);
  SoupSession *session = parallel_session ();
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (api), "/midjourney/tasks", NULL);
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 1);
  g_autofree char *image_url = lens_test_image_url (api, ids[0], "-thumb.png");
  LensFakeLimits limits = { .latency_ms = 250 };
  Pending pending[3] = { { 0 } };
  guint answered = 0;

  lens_fake_api_set_limits (api, &limits);
  send_pending (session, url, RETRIEVE_BODY, &answered, &pending[0]);
  send_pending (session, url, RETRIEVE_BODY, &answered, &pending[1]);
  send_pending (session, image_url, NULL, &answered, &pending[2]);
  while (answered < G_N_ELEMENTS (pending))
    g_main_context_iteration (NULL, TRUE);

  /* Without a limit, both are admitted and held at once; the image is
   * neither limited nor delayed, and is answered while they wait. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (lens_test_reply_status (pending[i].reply), ==, 200);
      g_assert_cmpint (pending[i].elapsed_usec, >=, 250 * 1000);
    }
  g_assert_cmpuint (lens_test_reply_status (pending[2].reply), ==, 200);
  g_assert_cmpuint (pending[2].order, ==, 1);
  g_assert_cmpint (pending[2].elapsed_usec, <, 250 * 1000);
  g_assert_cmpuint (lens_fake_api_get_max_in_flight_seen (api), ==, 2);
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    lens_test_reply_free (pending[i].reply);
  lens_test_fake_client_finish (api, session);
}

static void
test_faults_first (void)
{
  LensFakeApi *api = lens_test_start_fake_api (LENS_TEST_FAKE_TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, 1);
  g_autofree char *image_url = lens_test_image_url (api, ids[0], ".png");
  LensFakeLimits limits = { .requests_per_second = 0.1 };
  LensFakeFault fault = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_TASKS,
                          .status = 500, .retry_after = -1 };

  lens_fake_api_set_limits (api, &limits);
  lens_fake_api_push_fault (api, &fault, 1);

  /* The fault answers, and takes no place in the window. */
  {
    g_autoptr(LensTestReply) faulted = post (api, session);
    g_autoptr(LensTestReply) admitted = post (api, session);
    g_autoptr(LensTestReply) refused = post (api, session);

    lens_test_assert_error_body (faulted, 500, "api_error");
    g_assert_cmpuint (lens_test_reply_status (admitted), ==, 200);
    assert_rate_refused (refused, "too_many_requests");
  }

  /* Images are not limited. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(LensTestReply) image = lens_test_get_url (session, image_url);

      g_assert_cmpuint (lens_test_reply_status (image), ==, 200);
    }
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 1);

  /* No limits: admitted at once. */
  lens_fake_api_set_limits (api, NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(LensTestReply) reply = post (api, session);

      g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
    }
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 1);

  lens_test_fake_client_finish (api, session);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/fake-api/limits/rate", test_rate);
  g_test_add_func ("/fake-api/limits/refused-not-counted", test_refused_not_counted);
  g_test_add_func ("/fake-api/limits/retry-after", test_retry_after);
  g_test_add_func ("/fake-api/limits/retry-after-near", test_retry_after_near);
  g_test_add_func ("/fake-api/limits/concurrency", test_concurrency);
  g_test_add_func ("/fake-api/limits/concurrency-code", test_concurrency_code);
  g_test_add_func ("/fake-api/limits/latency", test_latency);
  g_test_add_func ("/fake-api/limits/faults-first", test_faults_first);

  return g_test_run ();
}
