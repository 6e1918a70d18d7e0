/* test-downloader.c — LensDownloader against the fake AceData server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Most tests download the fake server's real PNGs, with its faults. A few
 * answers SoupServer cannot give (a short body on a connection that closes,
 * a chunked body of unannounced length, no Content-Type at all) come from a
 * tiny raw HTTP server. The fixture and the helpers are in
 * test-downloader-util.c.
 */

#define G_LOG_DOMAIN "test-downloader"

#include "config.h"

#include <unistd.h>

#include <string.h>

#include <glib/gstdio.h>

#include "test-downloader-util.h"

/* ─── tests ────────────────────────────────────────────────────────────── */

static void
test_download_bytes (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) expected = fetch (fixture->session, fixture->url);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  assert_file_has_bytes (path, expected);
  assert_dir_holds (fixture->dir, "out.png", NULL);
  g_assert_cmpuint (outcome.n_data_freed, ==, 1);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) expected = fetch (fixture->session, fixture->url);
  goffset size = (goffset) g_bytes_get_size (expected);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };
  guint n;

  outcome_init (&outcome);
  download (fixture, fixture->url, path, NULL, &outcome);
  g_assert_no_error (outcome.error);

  n = outcome.received->len;
  g_assert_cmpuint (n, >=, 1);
  for (guint i = 0; i < n; i++)
    {
      /* The fake announces the length, so every report knows the total. */
      g_assert_cmpint (g_array_index (outcome.totals, goffset, i), ==, size);
      if (i > 0)
        g_assert_cmpint (g_array_index (outcome.received, goffset, i), >=,
                         g_array_index (outcome.received, goffset, i - 1));
    }
  g_assert_cmpint (g_array_index (outcome.received, goffset, n - 1), ==, size);
}

static void
test_chunked_without_length (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *base = NULL;
  GSocketService *raw = raw_server_start (&base);
  g_autofree char *url = g_strconcat (base, "/chunked", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_autoptr(GBytes) expected = raw_body (RAW_CHUNKED_SIZE);
  g_auto(Outcome) outcome = { 0 };
  guint n;

  outcome_init (&outcome);
  download (fixture, url, path, NULL, &outcome);
  g_assert_no_error (outcome.error);
  assert_file_has_bytes (path, expected);

  /* Unknown until the end, then equal to what arrived. */
  n = outcome.received->len;
  g_assert_cmpuint (n, >=, 1);
  for (guint i = 0; i + 1 < n; i++)
    g_assert_cmpint (g_array_index (outcome.totals, goffset, i), ==, -1);
  g_assert_cmpint (g_array_index (outcome.received, goffset, n - 1), ==, RAW_CHUNKED_SIZE);
  g_assert_cmpint (g_array_index (outcome.totals, goffset, n - 1), ==, RAW_CHUNKED_SIZE);

  raw_server_stop (raw);
}

static void
test_replace_is_atomic (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) expected = fetch (fixture->session, fixture->url);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, OLD_CONTENTS, -1, &error);
  g_assert_no_error (error);

  /* A download that breaks off leaves the old file as it was… */
  {
    g_auto(Outcome) outcome = { 0 };

    outcome_init (&outcome);
    push_image_fault (fixture, LENS_FAKE_FAULT_TRUNCATED_BODY, 0, 1);
    download (fixture, fixture->url, path, NULL, &outcome);
    g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK);
  g_test_message ("%s", outcome.error->message);
    assert_file_has_text (path, OLD_CONTENTS);
    assert_dir_holds (fixture->dir, "out.png", NULL);
  }

  /* …and one that completes replaces it whole, never writing it in place. */
  {
    g_auto(Outcome) outcome = { 0 };

    outcome_init (&outcome);
    outcome.watch_path = path;
    outcome.dir = fixture->dir;
    download (fixture, fixture->url, path, NULL, &outcome);
    g_assert_no_error (outcome.error);
    g_assert_true (outcome.saw_partial_file);
    assert_file_has_bytes (path, expected);
    assert_dir_holds (fixture->dir, "out.png", NULL);
  }
}

static void
test_truncated_body (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  push_image_fault (fixture, LENS_FAKE_FAULT_TRUNCATED_BODY, 0, 1);
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK);
  g_test_message ("%s", outcome.error->message);
  g_assert_false (outcome.ok);
  assert_dir_holds (fixture->dir, NULL);
  g_assert_cmpuint (outcome.n_data_freed, ==, 1);
}

static void
test_short_body_connection_close (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *base = NULL;
  GSocketService *raw = raw_server_start (&base);
  g_autofree char *url = g_strconcat (base, "/short", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  download (fixture, url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK);
  g_test_message ("%s", outcome.error->message);
  assert_dir_holds (fixture->dir, NULL);

  raw_server_stop (raw);
}

static void
test_reset (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  /* libsoup retries an idempotent GET once on a reset keep-alive connection. */
  push_image_fault (fixture, LENS_FAKE_FAULT_RESET, 0, G_MAXUINT);
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK);
  g_test_message ("%s", outcome.error->message);
  assert_dir_holds (fixture->dir, NULL);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *unknown = lens_fake_api_make_id ("never-seeded");
  g_autofree char *url = g_strconcat (lens_fake_api_get_url (fixture->fake), "/images/",
                                      unknown, ".png", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };
  g_auto(Outcome) probed = { 0 };

  outcome_init (&outcome);
  download (fixture, url, path, NULL, &outcome);
  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_HTTP);
  g_test_message ("%s", outcome.error->message);
  g_assert_nonnull (strstr (outcome.error->message, "404"));
  g_assert_nonnull (strstr (outcome.error->message, "30 days"));
  g_assert_null (strstr (outcome.error->message, "Not Found"));
  assert_dir_holds (fixture->dir, NULL);

  outcome_init (&probed);
  probe (fixture, url, NULL, &probed);
  g_assert_error (probed.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_HTTP);
  g_assert_null (probed.content_type);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
test_cancel_while_waiting (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  push_image_fault (fixture, LENS_FAKE_FAULT_DELAY, 30000, 1);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 50, cancel_cb, g_object_ref (cancellable),
                      g_object_unref);
  download (fixture, fixture->url, path, cancellable, &outcome);

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_dir_holds (fixture->dir, NULL);
}

static void
test_cancel_mid_body (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  outcome.cancel_on_progress = cancellable;
  outcome.dir = fixture->dir;
  download (fixture, fixture->url, path, cancellable, &outcome);

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The partial file existed when the cancellation came, and is gone. */
  g_assert_true (outcome.saw_partial_file);
  assert_dir_holds (fixture->dir, NULL);
}

static void
test_missing_directory (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_WRITE);
  g_test_message ("%s", outcome.error->message);
  g_assert_true (g_str_has_prefix (outcome.error->message, "Could not save “out.png”: "));
  g_assert_null (strstr (outcome.error->message, ".part"));
  assert_dir_holds (fixture->dir, NULL);
}

static void
test_parent_is_a_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autofree char *path = g_build_filename (file, "out.png", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Outcome) outcome = { 0 };

  g_file_set_contents (file, "notes", -1, &error);
  g_assert_no_error (error);

  outcome_init (&outcome);
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_WRITE);
  g_test_message ("%s", outcome.error->message);
  g_assert_true (g_str_has_prefix (outcome.error->message, "Could not save “out.png”: "));
  assert_dir_holds (fixture->dir, "notes.txt", NULL);
}

/* The rename fails only after the whole file was written: the partial file
 * must still go, and the folder in the way stay as it was. */
static void
test_destination_is_a_directory (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_autofree char *inside = g_build_filename (path, "keep", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Outcome) outcome = { 0 };

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_file_set_contents (inside, "keep", -1, &error);
  g_assert_no_error (error);

  outcome_init (&outcome);
  outcome.dir = fixture->dir;
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_WRITE);
  g_test_message ("%s", outcome.error->message);
  g_assert_true (outcome.saw_partial_file);
  assert_dir_holds (fixture->dir, "out.png", NULL);
  assert_file_has_text (inside, "keep");
}

static void
test_read_only_directory (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *locked = g_build_filename (fixture->dir, "locked", NULL);
  g_autofree char *path = g_build_filename (locked, "out.png", NULL);
  g_autofree char *probe_path = g_build_filename (locked, "probe", NULL);
  g_auto(Outcome) outcome = { 0 };

  g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
  g_assert_false (g_file_set_contents (probe_path, "x", -1, NULL));

  outcome_init (&outcome);
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_WRITE);
  g_test_message ("%s", outcome.error->message);
  g_assert_true (g_str_has_prefix (outcome.error->message, "Could not save “out.png”: "));
  g_assert_null (strstr (outcome.error->message, ".part"));
  assert_dir_holds (locked, NULL);
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  lens_downloader_set_max_size (fixture->downloader, 1000);
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_TOO_LARGE);
  g_test_message ("%s", outcome.error->message);
  assert_dir_holds (fixture->dir, NULL);
}

/* Without a Content-Length the cap can only be checked as the body arrives. */
static void
test_too_large_while_streaming (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *base = NULL;
  GSocketService *raw = raw_server_start (&base);
  g_autofree char *url = g_strconcat (base, "/chunked", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  lens_downloader_set_max_size (fixture->downloader, RAW_CHUNKED_SIZE / 2);
  download (fixture, url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_TOO_LARGE);
  g_test_message ("%s", outcome.error->message);
  assert_dir_holds (fixture->dir, NULL);
  for (guint i = 0; i < outcome.received->len; i++)
    g_assert_cmpint (g_array_index (outcome.received, goffset, i), <=, RAW_CHUNKED_SIZE / 2);

  raw_server_stop (raw);
}

static void
test_invalid_url (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *urls[] = {
    "file:///etc/passwd", "ftp://example.com/a.png", "javascript:alert(1)",
    "data:image/png;base64,AAAA", "/images/x.png", "not a url", "", "http://", NULL,
  };
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_auto(Outcome) outcome = { 0 };
      g_auto(Outcome) probed = { 0 };

      outcome_init (&outcome);
      download (fixture, urls[i], path, NULL, &outcome);
      g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_INVALID_URL);
      g_assert_cmpuint (outcome.n_data_freed, ==, 1);

      outcome_init (&probed);
      probe (fixture, urls[i], NULL, &probed);
      g_assert_error (probed.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_INVALID_URL);
    }

  assert_dir_holds (fixture->dir, NULL);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, NULL), ==, 0);
}

static void
test_probe (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *expected = g_strconcat (fixture->id, ".png", NULL);
  g_autofree char *name = NULL;
  g_auto(Outcome) outcome = { 0 };
  LensFakeRequest *request;

  outcome_init (&outcome);
  probe (fixture, fixture->url, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (outcome.content_type, ==, "image/png");

  name = lens_downloader_suggest_name (fixture->id, outcome.content_type, fixture->url);
  g_assert_cmpstr (name, ==, expected);

  /* Only the head was asked for. */
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, NULL), ==, 1);
  request = g_ptr_array_index (lens_fake_api_get_requests (fixture->fake), 0);
  g_assert_cmpstr (request->method, ==, "HEAD");
  assert_dir_holds (fixture->dir, NULL);
}

static void
test_probe_without_type (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *base = NULL;
  GSocketService *raw = raw_server_start (&base);
  g_autofree char *url = g_strconcat (base, "/no-type", NULL);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  probe (fixture, url, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_null (outcome.content_type);

  raw_server_stop (raw);
}

static void
test_probe_cancelled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  push_image_fault (fixture, LENS_FAKE_FAULT_DELAY, 30000, 1);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 50, cancel_cb, g_object_ref (cancellable),
                      g_object_unref);
  probe (fixture, fixture->url, cancellable, &outcome);

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_UPSCALE, 3);
  g_auto(GStrv) names = NULL;
  Outcome outcomes[3];

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *url = g_strconcat (lens_fake_api_get_url (fixture->fake), "/images/",
                                          ids[i], ".png", NULL);
      g_autofree char *name = g_strconcat (ids[i], ".png", NULL);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      outcome_init (&outcomes[i]);
      start_download (fixture->downloader, url, path, NULL, &outcomes[i]);
    }

  for (guint i = 0; i < 3; i++)
    run_until_done (&outcomes[i]);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *url = g_strconcat (lens_fake_api_get_url (fixture->fake), "/images/",
                                          ids[i], ".png", NULL);
      g_autofree char *name = g_strconcat (ids[i], ".png", NULL);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autoptr(GBytes) expected = fetch (fixture->session, url);

      g_assert_no_error (outcomes[i].error);
      assert_file_has_bytes (path, expected);
      outcome_clear (&outcomes[i]);
    }
  names = list_dir (fixture->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  add_test ("/downloader/download/bytes", test_download_bytes);
  add_test ("/downloader/download/progress", test_progress);
  add_test ("/downloader/download/chunked-without-length", test_chunked_without_length);
  add_test ("/downloader/download/replace-is-atomic", test_replace_is_atomic);
  add_test ("/downloader/download/concurrent", test_concurrent);
  add_test ("/downloader/broken/truncated-body", test_truncated_body);
  add_test ("/downloader/broken/short-body-connection-close", test_short_body_connection_close);
  add_test ("/downloader/broken/reset", test_reset);
  add_test ("/downloader/http/not-found", test_not_found);
  add_test ("/downloader/cancel/while-waiting", test_cancel_while_waiting);
  add_test ("/downloader/cancel/mid-body", test_cancel_mid_body);
  add_test ("/downloader/write/missing-directory", test_missing_directory);
  add_test ("/downloader/write/parent-is-a-file", test_parent_is_a_file);
  add_test ("/downloader/write/destination-is-a-directory", test_destination_is_a_directory);
  /* Root writes into a read-only directory anyway; the other write errors
   * (a file as parent, a directory as destination) cover it there. */
  if (geteuid () != 0)
    add_test ("/downloader/write/read-only-directory", test_read_only_directory);
  add_test ("/downloader/too-large/content-length", test_too_large);
  add_test ("/downloader/too-large/while-streaming", test_too_large_while_streaming);
  add_test ("/downloader/invalid-url", test_invalid_url);
  add_test ("/downloader/probe/content-type", test_probe);
  add_test ("/downloader/probe/without-type", test_probe_without_type);
  add_test ("/downloader/probe/cancelled", test_probe_cancelled);

  return g_test_run ();
}
