/* test-http.c — the HTTP rules every part of the app shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "lens-http.h"
#include "lens-http-send.h"
#include "lens-test-fake.h"

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
  guint     n_progress;
  gsize     last_progress;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->bytes, g_bytes_unref);
  g_clear_error (&outcome->error);
  outcome->done = FALSE;
  outcome->n_progress = 0;
  outcome->last_progress = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static void
read_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert_false (outcome->done);
  outcome->bytes = lens_http_read_bytes_finish (result, &outcome->error);
  g_assert_true ((outcome->bytes == NULL) != (outcome->error == NULL));
  outcome->done = TRUE;
}

static void
progress_cb (gsize    received,
             gpointer user_data)
{
  Outcome *outcome = user_data;

  g_assert_cmpuint (received, >, outcome->last_progress);
  outcome->last_progress = received;
  outcome->n_progress++;
}

static void
read_stream (GInputStream      *stream,
             gsize              max_size,
             LensHttpReadFlags  flags,
             GCancellable      *cancellable,
             Outcome           *outcome)
{
  outcome_clear (outcome);
  lens_http_read_bytes_async (stream, max_size, flags, G_PRIORITY_DEFAULT, progress_cb, outcome,
                              cancellable, read_cb, outcome);
  lens_test_spin_until (&outcome->done, LENS_TEST_DEADLINE_MS);
}

/* A stream of @size bytes, each its offset modulo 251. */
static GInputStream *
patterned_stream (gsize   size,
                  GBytes **out_bytes)
{
  guint8 *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i % 251);
  bytes = g_bytes_new_take (data, size);
  if (out_bytes != NULL)
    *out_bytes = g_bytes_ref (bytes);
  return g_memory_input_stream_new_from_bytes (bytes);
}

/* The session */

static void
test_session (void)
{
  g_autoptr(SoupSession) session = lens_http_create_session ();
  g_autoptr(SoupSession) other = lens_http_create_session ();
  g_autofree char *user_agent = NULL;
  guint timeout = 0;
  int max_conns_per_host = 0;

  g_object_get (session, "user-agent", &user_agent, "timeout", &timeout,
                "max-conns-per-host", &max_conns_per_host, NULL);
  g_assert_cmpstr (user_agent, ==, "Tasklens/" PACKAGE_VERSION);
  g_assert_cmpuint (timeout, ==, 30);
  g_assert_cmpint (max_conns_per_host, ==, LENS_HTTP_MAX_CONNS_PER_HOST);
  g_assert_true (session != other);
}

/* URLs */

static void
test_url_safety (void)
{
  static const struct { const char *url; LensHttpUrlSafety safety; gboolean loopback; } cases[] = {
    { "https://api.acedata.cloud", LENS_HTTP_URL_SECURE, FALSE },
    { "HTTPS://api.acedata.cloud/v1", LENS_HTTP_URL_SECURE, FALSE },
    { "http://127.0.0.1:8765", LENS_HTTP_URL_SECURE, TRUE },
    { "http://127.1.2.3", LENS_HTTP_URL_SECURE, TRUE },
    { "http://[::1]:8080/", LENS_HTTP_URL_SECURE, TRUE },
    { "http://localhost", LENS_HTTP_URL_SECURE, TRUE },
    { "http://LOCALHOST:1/", LENS_HTTP_URL_SECURE, TRUE },
    { "https://localhost", LENS_HTTP_URL_SECURE, TRUE },
    { "http://api.acedata.cloud", LENS_HTTP_URL_INSECURE, FALSE },
    { "http://192.168.1.2", LENS_HTTP_URL_INSECURE, FALSE },
    { "http://localhost.example.com", LENS_HTTP_URL_INSECURE, FALSE },
    { "ftp://localhost", LENS_HTTP_URL_INVALID, TRUE },
    { "file:///etc/passwd", LENS_HTTP_URL_INVALID, FALSE },
    { "api.acedata.cloud", LENS_HTTP_URL_INVALID, FALSE },
    { "https://", LENS_HTTP_URL_INVALID, FALSE },
    { "", LENS_HTTP_URL_INVALID, FALSE },
    { NULL, LENS_HTTP_URL_INVALID, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].url);
      g_assert_cmpint (lens_http_url_safety (cases[i].url), ==, cases[i].safety);
      g_assert_cmpint (lens_http_url_is_loopback (cases[i].url), ==, cases[i].loopback);
    }
}

static void
test_status_is_expired (void)
{
  g_assert_true (lens_http_status_is_expired (SOUP_STATUS_FORBIDDEN));
  g_assert_true (lens_http_status_is_expired (SOUP_STATUS_NOT_FOUND));
  g_assert_true (lens_http_status_is_expired (SOUP_STATUS_GONE));

  g_assert_false (lens_http_status_is_expired (SOUP_STATUS_OK));
  g_assert_false (lens_http_status_is_expired (SOUP_STATUS_UNAUTHORIZED));
  g_assert_false (lens_http_status_is_expired (429));
  g_assert_false (lens_http_status_is_expired (SOUP_STATUS_INTERNAL_SERVER_ERROR));
}

/* Reading a body */

static void
test_announces_more_than (void)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, "https://example.com/a");
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);

  /* No length announced: the reader checks the cap as the body streams. */
  g_assert_false (lens_http_announces_more_than (message, 10));

  soup_message_headers_set_content_length (headers, 10);
  g_assert_false (lens_http_announces_more_than (message, 10));
  g_assert_true (lens_http_announces_more_than (message, 9));

  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  g_assert_false (lens_http_announces_more_than (message, 9));
}

static void
test_read_whole (void)
{
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GInputStream) stream = patterned_stream (300 * 1024 + 7, &expected);
  g_autoptr(GInputStream) empty = g_memory_input_stream_new ();
  g_auto(Outcome) outcome = { 0 };

  /* Exactly at the cap is allowed. */
  read_stream (stream, g_bytes_get_size (expected), LENS_HTTP_READ_NONE, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (g_bytes_equal (outcome.bytes, expected));
  /* In chunks, each reported. */
  g_assert_cmpuint (outcome.n_progress, >, 1);
  g_assert_cmpuint (outcome.last_progress, ==, g_bytes_get_size (expected));

  read_stream (empty, 10, LENS_HTTP_READ_NONE, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (g_bytes_get_size (outcome.bytes), ==, 0);
  g_assert_cmpuint (outcome.n_progress, ==, 0);
}

static void
test_read_too_large (void)
{
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GInputStream) stream = patterned_stream (200 * 1024, &expected);
  g_autoptr(GInputStream) again = patterned_stream (200 * 1024, NULL);
  g_autoptr(GBytes) start = g_bytes_new_from_bytes (expected, 0, 100 * 1024 + 1);
  g_auto(Outcome) outcome = { 0 };

  read_stream (stream, 100 * 1024 + 1, LENS_HTTP_READ_NONE, NULL, &outcome);
  g_assert_error (outcome.error, LENS_HTTP_ERROR, LENS_HTTP_ERROR_TOO_LARGE);

  /* Truncating keeps the start, and stops there. */
  read_stream (again, 100 * 1024 + 1, LENS_HTTP_READ_TRUNCATE, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (g_bytes_equal (outcome.bytes, start));
}

static void
test_read_cancelled (void)
{
  g_autoptr(GInputStream) stream = patterned_stream (1024, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };

  g_cancellable_cancel (cancellable);
  read_stream (stream, 4096, LENS_HTTP_READ_NONE, cancellable, &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
async_result_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The server listens on this thread's main context: everything is async. */
static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  LENS_TEST_SPIN_UNTIL (*result != NULL, LENS_TEST_DEADLINE_MS);
  return *result;
}

/* A real response body, from the fake AceData server's image host. */
static void
test_read_response (void)
{
  g_autoptr(LensFakeApi) fake = lens_test_start_fake_api (NULL);
  g_autoptr(SoupSession) session = lens_http_create_session ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(SoupMessage) again = NULL;
  g_autoptr(GAsyncResult) read_result = NULL;
  g_autoptr(GAsyncResult) send_result = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_auto(Outcome) outcome = { 0 };

  ids = lens_fake_api_seed_generated (fake, LENS_FAKE_TASK_IMAGINE, 1);
  url = lens_test_image_url (fake, ids[0], ".png");

  message = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL,
                                    async_result_cb, &read_result);
  expected = soup_session_send_and_read_finish (session, wait_for_result (&read_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (expected), >, 0);

  again = soup_message_new (SOUP_METHOD_GET, url);
  soup_session_send_async (session, again, G_PRIORITY_DEFAULT, NULL, async_result_cb,
                           &send_result);
  stream = soup_session_send_finish (session, wait_for_result (&send_result), &error);
  g_assert_no_error (error);
  read_stream (stream, 64 * 1024 * 1024, LENS_HTTP_READ_NONE, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (g_bytes_equal (outcome.bytes, expected));
}

/* Small helpers */

static void
test_chain_cancellable (void)
{
  g_autoptr(GCancellable) from = g_cancellable_new ();
  g_autoptr(GCancellable) to = g_cancellable_new ();
  g_autoptr(GCancellable) other = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GCancellable) follows = g_cancellable_new ();
  gulong id;

  g_assert_cmpuint (lens_http_chain_cancellable (NULL, to), ==, 0);

  id = lens_http_chain_cancellable (from, to);
  g_assert_cmpuint (id, !=, 0);
  g_assert_false (g_cancellable_is_cancelled (to));
  g_cancellable_cancel (from);
  g_assert_true (g_cancellable_is_cancelled (to));
  g_cancellable_disconnect (from, id);

  /* Disconnected, nothing follows; cancelling its own does not go back. */
  id = lens_http_chain_cancellable (other, follows);
  g_cancellable_disconnect (other, id);
  g_cancellable_cancel (other);
  g_assert_false (g_cancellable_is_cancelled (follows));

  /* Already cancelled: at once. */
  g_cancellable_cancel (cancelled);
  g_clear_object (&follows);
  follows = g_cancellable_new ();
  id = lens_http_chain_cancellable (cancelled, follows);
  g_assert_true (g_cancellable_is_cancelled (follows));
  g_cancellable_disconnect (cancelled, id);
}

static gboolean
count_cb (gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_clear_source (void)
{
  GSource *source = g_idle_source_new ();
  GSource *none = NULL;
  guint count = 0;

  g_source_set_callback (source, count_cb, &count, NULL);
  g_source_attach (source, NULL);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count, ==, 1);

  lens_http_clear_source (&source);
  g_assert_null (source);
  lens_test_spin_pending ();
  g_assert_cmpuint (count, ==, 1);

  lens_http_clear_source (&none);
  g_assert_null (none);
}

static gboolean
cancelled_count_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_REMOVE;
}

static void
count_free (gpointer data)
{
  (*(guint *) data) += 100;
}

static void
test_watch_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, NULL, NULL);
  g_autoptr(GTask) plain = g_task_new (NULL, NULL, NULL, NULL);
  GSource *source;
  guint count = 0;
  guint freed = 0;

  /* Nothing to watch: the data is freed at once. */
  g_assert_null (lens_http_watch_cancel (plain, cancelled_count_cb, &freed, count_free, "none"));
  g_assert_cmpuint (freed, ==, 100);

  source = lens_http_watch_cancel (task, cancelled_count_cb, &count, NULL, "watch");
  g_assert_nonnull (source);
  g_assert_cmpstr (g_source_get_name (source), ==, "watch");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (count, ==, 0);

  /* Called in the task's context, after the cancel, not during it. */
  g_cancellable_cancel (cancellable);
  g_assert_cmpuint (count, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (count, ==, 1);

  lens_http_clear_source (&source);
  g_assert_null (source);

  /* GTask asks that every task returns before it goes. */
  g_task_return_boolean (task, TRUE);
  g_task_return_boolean (plain, TRUE);
}

/* lens_http_send_async() */

typedef struct
{
  gboolean      done;
  GInputStream *stream;
  GError       *error;
} Sent;

static void
sent_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->stream = soup_session_send_finish (SOUP_SESSION (source_object), result, &sent->error);
  sent->done = TRUE;
}

static void
count_unqueued_cb (SoupSession *session,
                   SoupMessage *message,
                   guint       *n_unqueued)
{
  (*n_unqueued)++;
}

static gboolean
hold_connection_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source_object,
                    GPtrArray         *held)
{
  /* Read nothing, answer nothing: the request waits for its headers. */
  g_ptr_array_add (held, g_object_ref (connection));
  return TRUE;
}

/* A cancellation while the request waits for its answer reaches libsoup
 * (at once: its headers are not in, see lens-http-send.c), and the request
 * ends once. */
static void
test_send_cancelled_while_waiting (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupSession) session = lens_http_create_session ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  Sent sent = { 0 };
  guint n_unqueued = 0;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, NULL);
  g_assert_cmpuint (port, >, 0);
  g_signal_connect (service, "incoming", G_CALLBACK (hold_connection_cb), held);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u/image.png", port);
  message = soup_message_new (SOUP_METHOD_GET, url);
  g_signal_connect (session, "request-unqueued", G_CALLBACK (count_unqueued_cb), &n_unqueued);

  lens_http_send_async (session, message, G_PRIORITY_LOW, cancellable, sent_cb, &sent);
  LENS_TEST_SPIN_UNTIL (held->len > 0, LENS_TEST_DEADLINE_MS);
  g_assert_false (sent.done);

  g_cancellable_cancel (cancellable);
  /* The callback comes from the main loop, never from inside the cancel. */
  g_assert_false (sent.done);
  LENS_TEST_SPIN_UNTIL (sent.done, LENS_TEST_DEADLINE_MS);
  g_assert_error (sent.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (sent.stream);
  LENS_TEST_SPIN_UNTIL (n_unqueued > 0, LENS_TEST_DEADLINE_MS);
  lens_test_spin_for (50);
  g_assert_cmpuint (n_unqueued, ==, 1);

  g_signal_handlers_disconnect_by_func (session, count_unqueued_cb, &n_unqueued);
  g_socket_service_stop (service);
  g_clear_error (&sent.error);
}

/* A request cancelled before it is sent never starts; one answered lets go
 * of the caller's cancellable, which may then be cancelled for anything
 * else. */
static void
test_send_cancelled_before_and_after (void)
{
  g_autoptr(LensFakeApi) fake = lens_test_start_fake_api (NULL);
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fake, LENS_FAKE_TASK_IMAGINE, 1);
  g_autofree char *url = lens_test_image_url (fake, ids[0], ".png");
  g_autoptr(SoupSession) session = lens_http_create_session ();
  g_autoptr(GCancellable) early = g_cancellable_new ();
  GCancellable *late = g_cancellable_new ();
  g_autoptr(SoupMessage) first = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(SoupMessage) second = soup_message_new (SOUP_METHOD_GET, url);
  Sent sent = { 0 };

  g_cancellable_cancel (early);
  lens_http_send_async (session, first, G_PRIORITY_DEFAULT, early, sent_cb, &sent);
  LENS_TEST_SPIN_UNTIL (sent.done, LENS_TEST_DEADLINE_MS);
  g_assert_error (sent.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&sent.error);
  g_assert_cmpuint (lens_test_count_media_requests (fake), ==, 0);

  sent.done = FALSE;
  lens_http_send_async (session, second, G_PRIORITY_DEFAULT, late, sent_cb, &sent);
  LENS_TEST_SPIN_UNTIL (sent.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (sent.error);
  g_assert_nonnull (sent.stream);
  g_assert_cmpuint (soup_message_get_status (second), ==, SOUP_STATUS_OK);

  /* Nothing of the request holds it any more. */
  g_object_add_weak_pointer (G_OBJECT (late), (gpointer *) &late);
  g_cancellable_cancel (late);
  g_object_unref (late);
  g_assert_null (late);
  g_clear_object (&sent.stream);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/http/session", test_session);
  g_test_add_func ("/http/url-safety", test_url_safety);
  g_test_add_func ("/http/status-is-expired", test_status_is_expired);
  g_test_add_func ("/http/announces-more-than", test_announces_more_than);
  g_test_add_func ("/http/read/whole", test_read_whole);
  g_test_add_func ("/http/read/too-large", test_read_too_large);
  g_test_add_func ("/http/read/cancelled", test_read_cancelled);
  g_test_add_func ("/http/read/response", test_read_response);
  g_test_add_func ("/http/chain-cancellable", test_chain_cancellable);
  g_test_add_func ("/http/clear-source", test_clear_source);
  g_test_add_func ("/http/watch-cancel", test_watch_cancel);
  g_test_add_func ("/http/send/cancelled-while-waiting", test_send_cancelled_while_waiting);
  g_test_add_func ("/http/send/cancelled-before-and-after", test_send_cancelled_before_and_after);

  return g_test_run ();
}
