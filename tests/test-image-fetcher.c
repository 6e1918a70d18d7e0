/* test-image-fetcher.c — LensImageFetcher against the fake AceData server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fetching half of what test-image-loader.c used to test: URLs, HTTP
 * errors, the size cap, cancellation, joining and the queue. Pictures are
 * checked by the size in their PNG header; decoding is the loader's.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "lens-image-fetcher.h"
#include "lens-test.h"
#include "lens-test-fake.h"
#include "lens-test-image-host.h"

typedef struct
{
  LensTestImageHost  host;
  LensImageFetcher  *fetcher;
} Fixture;

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->bytes, g_bytes_unref);
  g_clear_error (&outcome->error);
  outcome->done = FALSE;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

/* Helpers */

/* Tests added with non-NULL data have a disk cache. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  lens_test_image_host_set_up (&fixture->host, data != NULL);
  fixture->fetcher = lens_image_fetcher_new (fixture->host.session, fixture->host.cache_dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  lens_test_finalize_eventually (&fixture->fetcher);
  lens_test_image_host_tear_down (&fixture->host);
}

static void
fetch_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert_false (outcome->done);
  outcome->bytes = lens_image_fetcher_fetch_finish (LENS_IMAGE_FETCHER (source_object), result,
                                                    &outcome->error);
  g_assert_true ((outcome->bytes == NULL) != (outcome->error == NULL));
  outcome->done = TRUE;
}

static void
start_fetch (LensImageFetcher *fetcher,
             const char       *url,
             GCancellable     *cancellable,
             Outcome          *outcome)
{
  outcome_clear (outcome);
  lens_image_fetcher_fetch_async (fetcher, url, cancellable, fetch_cb, outcome);
}

static void
run_until_done (Outcome *outcome)
{
  lens_test_spin_until (&outcome->done, LENS_TEST_DEADLINE_MS);
}

static void
fetch (LensImageFetcher *fetcher,
       const char       *url,
       Outcome          *outcome)
{
  start_fetch (fetcher, url, NULL, outcome);
  run_until_done (outcome);
}

static guint32
read_be32 (const guint8 *data)
{
  return ((guint32) data[0] << 24) | ((guint32) data[1] << 16) | ((guint32) data[2] << 8) | data[3];
}

/* The fake server's images are PNGs: their size is in the header. */
static void
assert_png_size (Outcome *outcome,
                 guint32  width,
                 guint32  height)
{
  const guint8 *data;
  gsize size = 0;

  g_assert_no_error (outcome->error);
  g_assert_nonnull (outcome->bytes);
  data = g_bytes_get_data (outcome->bytes, &size);
  g_assert_cmpuint (size, >, 24);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (data + 12, 4, "IHDR", 4);
  g_assert_cmpuint (read_be32 (data + 16), ==, width);
  g_assert_cmpuint (read_be32 (data + 20), ==, height);
}

/* Bytes */

static void
test_bytes (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *landscape =
    lens_test_image_host_url (&fixture->host, LENS_TEST_LANDSCAPE, ".png");
  g_autofree char *thumb =
    lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, "-thumb.png");
  g_auto(Outcome) outcome = { 0 };

  fetch (fixture->fetcher, landscape, &outcome);
  assert_png_size (&outcome, 1024, 768);

  fetch (fixture->fetcher, thumb, &outcome);
  assert_png_size (&outcome, 512, 512);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 2);
}

/* What the app does when it quits while a thumbnail still trickles in: the
 * fetch is cancelled and the index flushed at once. The cancelled fetch
 * unwinds in the main loop afterwards, and the cache frees its entry; the
 * index is written only once that is over, on the main thread (a dump in a
 * worker once read the freed entry: the sanitizer run caught it). */
static void
test_flush_after_cancel (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_LANDSCAPE, ".png");
  g_autofree char *slow = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_autofree char *index = g_build_filename (fixture->host.cache_dir, "soup.cache2", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };
  g_auto(Outcome) cancelled = { 0 };

  fetch (fixture->fetcher, url, &outcome);
  assert_png_size (&outcome, 1024, 768);

  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_TRICKLE, 50, 1);
  start_fetch (fixture->fetcher, slow, cancellable, &cancelled);
  LENS_TEST_SPIN_UNTIL (lens_test_count_media_requests (fixture->host.fake) == 2, LENS_TEST_DEADLINE_MS);
  g_cancellable_cancel (cancellable);
  lens_image_fetcher_flush (fixture->fetcher);
  g_assert_true (lens_image_fetcher_is_flushing (fixture->fetcher));
  g_assert_false (g_file_test (index, G_FILE_TEST_EXISTS));

  LENS_TEST_SPIN_UNTIL (!lens_image_fetcher_is_flushing (fixture->fetcher), LENS_TEST_DEADLINE_MS);
  g_assert_true (cancelled.done);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_test (index, G_FILE_TEST_EXISTS));
}

static void
test_disk_cache_offline (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_LANDSCAPE, ".png");
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(GBytes) first = NULL;
  SoupSessionFeature *cache;

  fetch (fixture->fetcher, url, &outcome);
  assert_png_size (&outcome, 1024, 768);
  first = g_bytes_ref (outcome.bytes);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 1);

  /* As the app does when it quits, once the cache has written its files
   * (libsoup writes them in the background while the body is read). */
  cache = soup_session_get_feature (fixture->host.session, SOUP_TYPE_CACHE);
  g_assert_nonnull (cache);
  soup_cache_flush (SOUP_CACHE (cache));
  /* The index is written from the main loop: flushing returns at once. */
  lens_image_fetcher_flush (fixture->fetcher);
  g_assert_true (lens_image_fetcher_is_flushing (fixture->fetcher));
  LENS_TEST_SPIN_UNTIL (!lens_image_fetcher_is_flushing (fixture->fetcher), LENS_TEST_DEADLINE_MS);
  /* Nothing fetched since: disposing the fetcher does not write it again. */
  lens_image_fetcher_flush (fixture->fetcher);
  g_assert_false (lens_image_fetcher_is_flushing (fixture->fetcher));

  /* A new start: a new session, a new fetcher, the same directory. The
   * index is read in a worker thread too: the fetcher is not ready when it
   * is made, and a fetch asked for meanwhile waits for the index. */
  lens_test_finalize_eventually (&fixture->fetcher);
  lens_test_image_host_restart (&fixture->host);
  fixture->fetcher = lens_image_fetcher_new (fixture->host.session, fixture->host.cache_dir);
  g_assert_false (lens_image_fetcher_is_ready (fixture->fetcher));
  g_assert_null (soup_session_get_feature (fixture->host.session, SOUP_TYPE_CACHE));

  fetch (fixture->fetcher, url, &outcome);
  g_assert_true (lens_image_fetcher_is_ready (fixture->fetcher));
  assert_png_size (&outcome, 1024, 768);
  g_assert_true (g_bytes_equal (outcome.bytes, first));
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 0);
}

/* Records whether the session had its disk cache when each request was
 * queued on it. */
static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   GArray      *had_cache)
{
  gboolean had = soup_session_get_feature (session, SOUP_TYPE_CACHE) != NULL;

  g_array_append_val (had_cache, had);
}

/* libsoup before 3.7.1 takes a reference to the session's features when a
 * request is queued and drops one from each feature the session has when
 * it ends: a cache that joined a session with a request under way was
 * freed while the session still used it, and the app crashed with its heap
 * corrupted. The session is the fetcher's alone, and the cache is in it
 * before the first request: fetches asked for while its index is read
 * wait for it. */
static void
test_disk_cache_before_first_request (Fixture       *fixture,
                                      gconstpointer  data)
{
  SoupSession *session = fixture->host.session;
  g_autoptr(GArray) had_cache = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_auto(Outcome) first = { 0 };
  g_auto(Outcome) second = { 0 };
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_LANDSCAPE, ".png");
  g_autofree char *other_url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");

  /* A fetcher made just now: its cache is still being read. */
  lens_test_finalize_eventually (&fixture->fetcher);
  lens_test_image_host_restart (&fixture->host);
  session = fixture->host.session;
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), had_cache);
  fixture->fetcher = lens_image_fetcher_new (session, fixture->host.cache_dir);
  g_assert_false (lens_image_fetcher_is_ready (fixture->fetcher));

  start_fetch (fixture->fetcher, url, NULL, &first);
  start_fetch (fixture->fetcher, other_url, NULL, &second);
  run_until_done (&first);
  run_until_done (&second);
  assert_png_size (&first, 1024, 768);
  g_assert_true (lens_image_fetcher_is_ready (fixture->fetcher));

  g_assert_cmpuint (had_cache->len, ==, 2);
  for (guint i = 0; i < had_cache->len; i++)
    g_assert_true (g_array_index (had_cache, gboolean, i));
  g_signal_handlers_disconnect_by_func (session, request_queued_cb, had_cache);
}

/* Without a session, the fetcher makes one of its own. */
static void
test_own_session (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_LANDSCAPE, ".png");
  g_auto(Outcome) outcome = { 0 };

  lens_test_finalize_eventually (&fixture->fetcher);
  lens_test_image_host_restart (&fixture->host);
  fixture->fetcher = lens_image_fetcher_new (NULL, fixture->host.cache_dir);
  fetch (fixture->fetcher, url, &outcome);
  assert_png_size (&outcome, 1024, 768);
  g_assert_null (soup_session_get_feature (fixture->host.session, SOUP_TYPE_CACHE));
}

/* Errors */

static void
test_invalid_url (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *urls[] = {
    "file:///etc/passwd", "ftp://example.com/a.png", "data:image/png;base64,iVBORw0KGgo=",
    "/images/relative.png", "not a url", "", "http://",
  };
  g_auto(Outcome) outcome = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      fetch (fixture->fetcher, urls[i], &outcome);
      g_assert_error (outcome.error, LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_INVALID_URL);
    }
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->host.fake, NULL), ==, 0);
}

static void
test_http_error (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *unknown_id = lens_fake_api_make_id ("nobody");
  g_autofree char *missing = lens_test_image_url (fixture->host.fake, unknown_id, ".png");
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_auto(Outcome) outcome = { 0 };

  fetch (fixture->fetcher, missing, &outcome);
  g_assert_error (outcome.error, LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_HTTP);
  g_assert_cmpstr (outcome.error->message, ==, "The image is no longer available");
  /* The status comes along, for the page's expired-link fallback. */
  g_assert_cmpuint (lens_image_fetcher_error_get_status (outcome.error), ==, SOUP_STATUS_NOT_FOUND);

  lens_test_push_image_status (fixture->host.fake, SOUP_STATUS_INTERNAL_SERVER_ERROR, 1);
  fetch (fixture->fetcher, url, &outcome);
  g_assert_error (outcome.error, LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_HTTP);
  g_assert_cmpuint (lens_image_fetcher_error_get_status (outcome.error), ==,
                    SOUP_STATUS_INTERNAL_SERVER_ERROR);
  /* Neither the server's body nor its words reach the user. */
  g_assert_null (strstr (outcome.error->message, "fetch failed"));

  /* Errors are not remembered: the next try asks again, and succeeds. */
  fetch (fixture->fetcher, url, &outcome);
  assert_png_size (&outcome, 1024, 1024);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 3);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_auto(Outcome) outcome = { 0 };

  /* libsoup notices the missing bytes. */
  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_TRUNCATED_BODY, 0, 1);
  fetch (fixture->fetcher, url, &outcome);
  g_assert_error (outcome.error, LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_NETWORK);

  fetch (fixture->fetcher, url, &outcome);
  assert_png_size (&outcome, 1024, 1024);
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  LensFakeFault oversized = {
    .kind = LENS_FAKE_FAULT_OVERSIZED, .target = LENS_FAKE_TARGET_IMAGES,
    .retry_after = -1, .size = 65 * 1024 * 1024,
  };
  g_auto(Outcome) outcome = { 0 };

  lens_fake_api_push_fault (fixture->host.fake, &oversized, 1);
  fetch (fixture->fetcher, url, &outcome);
  g_assert_error (outcome.error, LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_TOO_LARGE);
}

/* Cancellation, sharing and the queue */

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };

  /* Cancelled while the server is still answering. */
  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 1000, 1);
  start_fetch (fixture->fetcher, url, cancellable, &outcome);
  lens_test_wait_for_media_requests (fixture->host.fake, 1);
  g_cancellable_cancel (cancellable);
  run_until_done (&outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* Cancelled before it starts: nothing is sent. */
  g_cancellable_cancel (cancelled);
  start_fetch (fixture->fetcher, url, cancelled, &outcome);
  run_until_done (&outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 1);
}

static void
test_coalesce (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_auto(Outcome) first = { 0 };
  g_auto(Outcome) second = { 0 };

  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 200, 1);
  start_fetch (fixture->fetcher, url, NULL, &first);
  lens_test_wait_for_media_requests (fixture->host.fake, 1);
  start_fetch (fixture->fetcher, url, NULL, &second);
  run_until_done (&first);
  run_until_done (&second);

  assert_png_size (&first, 1024, 1024);
  g_assert_true (first.bytes == second.bytes);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 1);
}

static void
test_coalesce_cancel_one (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) first = { 0 };
  g_auto(Outcome) second = { 0 };

  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 300, 1);
  start_fetch (fixture->fetcher, url, cancellable, &first);
  start_fetch (fixture->fetcher, url, NULL, &second);
  lens_test_wait_for_media_requests (fixture->host.fake, 1);

  /* The first gives up; the second still gets the picture. */
  g_cancellable_cancel (cancellable);
  run_until_done (&first);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (second.done);

  run_until_done (&second);
  assert_png_size (&second, 1024, 1024);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 1);
}

static void
test_coalesce_cancel_all (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) first = { 0 };
  g_auto(Outcome) second = { 0 };
  g_auto(Outcome) again = { 0 };

  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 1000, 1);
  start_fetch (fixture->fetcher, url, cancellable, &first);
  start_fetch (fixture->fetcher, url, cancellable, &second);
  lens_test_wait_for_media_requests (fixture->host.fake, 1);

  g_cancellable_cancel (cancellable);
  run_until_done (&first);
  run_until_done (&second);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The abandoned fetch is not joined: a new fetch asks again. */
  fetch (fixture->fetcher, url, &again);
  assert_png_size (&again, 1024, 1024);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 2);
}

static void
test_queue (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SoupSession) roomy = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  /* The sizes of the generated tasks' images, by index % 4. */
  static const guint32 sizes[4][2] = { { 1024, 1024 }, { 1024, 768 }, { 768, 1024 }, { 1024, 576 } };
  Outcome outcomes[10] = { 0 };
  guint last = G_N_ELEMENTS (outcomes) - 1;

  /* A session that would open many connections, so that only the fetcher's
   * own limit holds them back. */
  lens_test_finalize_eventually (&fixture->fetcher);
  roomy = soup_session_new_with_options ("max-conns-per-host", 64, "max-conns", 64, NULL);
  fixture->fetcher = lens_image_fetcher_new (roomy, NULL);

  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 1000, G_MAXUINT);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_autofree char *url = lens_test_image_host_url (&fixture->host, i, ".png");

      start_fetch (fixture->fetcher, url, i == last ? cancellable : NULL, &outcomes[i]);
    }

  lens_test_wait_for_media_requests (fixture->host.fake, LENS_IMAGE_FETCHER_MAX_FETCHES);
  lens_test_spin_for (100);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 6);

  /* A queued fetch leaves at once when cancelled. */
  g_cancellable_cancel (cancellable);
  run_until_done (&outcomes[last]);
  g_assert_error (outcomes[last].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  for (guint i = 0; i < last; i++)
    g_assert_false (outcomes[i].done);

  for (guint i = 0; i < last; i++)
    {
      run_until_done (&outcomes[i]);
      assert_png_size (&outcomes[i], sizes[i % 4][0], sizes[i % 4][1]);
    }
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, last);

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    outcome_clear (&outcomes[i]);
}

static void
test_dispose_cancels (Fixture       *fixture,
                      gconstpointer  data)
{
  Outcome outcomes[8] = { 0 };
  g_auto(Outcome) after = { 0 };
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");

  /* Six running, two queued. */
  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 1000, G_MAXUINT);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_autofree char *each = lens_test_image_host_url (&fixture->host, i, ".png");

      start_fetch (fixture->fetcher, each, NULL, &outcomes[i]);
    }
  lens_test_wait_for_media_requests (fixture->host.fake, 6);

  g_object_run_dispose (G_OBJECT (fixture->fetcher));
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      run_until_done (&outcomes[i]);
      g_assert_error (outcomes[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      outcome_clear (&outcomes[i]);
    }

  /* Closed for good. */
  fetch (fixture->fetcher, url, &after);
  g_assert_error (after.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_deadline (Fixture       *fixture,
               gconstpointer  data)
{
  Outcome outcomes[LENS_IMAGE_FETCHER_MAX_FETCHES + 1] = { 0 };
  guint last = G_N_ELEMENTS (outcomes) - 1;
  gint64 start = g_get_monotonic_time ();

  /* Servers that send a byte every 50 ms — far inside the session's read
   * timeout — for ever, on every slot; one more fetch waits behind them. */
  lens_image_fetcher_set_deadline (fixture->fetcher, 600);
  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_TRICKLE, 50,
                              LENS_IMAGE_FETCHER_MAX_FETCHES);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_autofree char *url = lens_test_image_host_url (&fixture->host, i, ".png");

      start_fetch (fixture->fetcher, url, NULL, &outcomes[i]);
    }

  /* Each trickling fetch ends at its deadline, as a timeout rather than a
   * cancellation, and gives its slot back: the last one gets its image. */
  for (guint i = 0; i < last; i++)
    {
      run_until_done (&outcomes[i]);
      g_assert_error (outcomes[i].error, LENS_IMAGE_FETCHER_ERROR,
                      LENS_IMAGE_FETCHER_ERROR_NETWORK);
      g_assert_nonnull (strstr (outcomes[i].error->message, g_strerror (ETIMEDOUT)));
    }
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 600 * G_TIME_SPAN_MILLISECOND);
  run_until_done (&outcomes[last]);
  assert_png_size (&outcomes[last], 768, 1024);  /* index 6: portrait */

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    outcome_clear (&outcomes[i]);
}

static void
add_test (const char    *path,
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

  add_test ("/image-fetcher/bytes", NULL, test_bytes);
  add_test ("/image-fetcher/disk-cache-offline", "with cache", test_disk_cache_offline);
  add_test ("/image-fetcher/flush-after-cancel", "with cache", test_flush_after_cancel);
  add_test ("/image-fetcher/disk-cache-before-first-request", "with cache",
            test_disk_cache_before_first_request);
  add_test ("/image-fetcher/own-session", "with cache", test_own_session);
  add_test ("/image-fetcher/invalid-url", NULL, test_invalid_url);
  add_test ("/image-fetcher/http-error", NULL, test_http_error);
  add_test ("/image-fetcher/truncated", NULL, test_truncated);
  add_test ("/image-fetcher/too-large", NULL, test_too_large);
  add_test ("/image-fetcher/cancel", NULL, test_cancel);
  add_test ("/image-fetcher/coalesce", NULL, test_coalesce);
  add_test ("/image-fetcher/coalesce-cancel-one", NULL, test_coalesce_cancel_one);
  add_test ("/image-fetcher/coalesce-cancel-all", NULL, test_coalesce_cancel_all);
  add_test ("/image-fetcher/queue", NULL, test_queue);
  add_test ("/image-fetcher/dispose-cancels", NULL, test_dispose_cancels);
  add_test ("/image-fetcher/deadline", NULL, test_deadline);

  return g_test_run ();
}
