/* test-downloader-util.c — what test-downloader.c's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture (the fake server with one finished task, a session, a
 * downloader and a scratch directory), the helpers that run a download or a
 * probe to its end and look at the files it left, and a tiny raw HTTP server
 * for the answers SoupServer cannot give. Apart from the tests so that
 * test-downloader.c reads as the list of behaviours it checks.
 */

#define G_LOG_DOMAIN "test-downloader"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "lens-client.h"
#include "lens-http.h"
#include "test-downloader-util.h"

/* Declared as "= { 0 }", so that clearing is safe before this runs. */
void
outcome_init (Outcome *outcome)
{
  memset (outcome, 0, sizeof *outcome);
  outcome->received = g_array_new (FALSE, FALSE, sizeof (goffset));
  outcome->totals = g_array_new (FALSE, FALSE, sizeof (goffset));
}

void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->content_type, g_free);
  g_clear_error (&outcome->error);
  g_clear_pointer (&outcome->received, g_array_unref);
  g_clear_pointer (&outcome->totals, g_array_unref);
}

/* ─── helpers ──────────────────────────────────────────────────────────── */

void
run_until_done (Outcome *outcome)
{
  lens_test_spin_until (&outcome->done, LENS_TEST_DEADLINE_MS);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Sorted names in @dir, hidden ones too. */
GStrv
list_dir (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open (dir, 0, &error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GStrv names;
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_strv_builder_add (builder, name);

  names = g_strv_builder_end (builder);
  g_sort_array (names, g_strv_length (names), sizeof (char *), compare_names, NULL);
  return names;
}

/* Asserts that @dir holds exactly the files named (given in sorted order). */
void
assert_dir_holds (const char *dir,
                  ...)
{
  g_auto(GStrv) names = list_dir (dir);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *wanted = NULL;
  const char *name;
  va_list args;

  va_start (args, dir);
  while ((name = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (builder, name);
  va_end (args);
  expected = g_strv_builder_end (builder);

  got = g_strjoinv (" ", names);
  wanted = g_strjoinv (" ", expected);
  g_assert_cmpstr (got, ==, wanted);
}

static gboolean
dir_has_partial_file (const char *dir,
                      const char *basename)
{
  g_auto(GStrv) names = list_dir (dir);
  g_autofree char *prefix = g_strconcat (".", basename, ".", NULL);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], prefix) && g_str_has_suffix (names[i], ".part"))
      return TRUE;
  return FALSE;
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GBytes **bytes = user_data;
  g_autoptr(GError) error = NULL;

  *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* What the server serves at @url, fetched without the downloader. */
GBytes *
fetch (SoupSession *session,
       const char  *url)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  GBytes *bytes = NULL;

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, fetched_cb, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  return bytes;
}

void
assert_file_has_bytes (const char *path,
                       GBytes     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

void
assert_file_has_text (const char *path,
                      const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));

  assert_file_has_bytes (path, bytes);
}

static void
progress_cb (goffset  received,
             goffset  total,
             gpointer user_data)
{
  Outcome *outcome = user_data;

  g_array_append_val (outcome->received, received);
  g_array_append_val (outcome->totals, total);

  /* While the partial file is written, the destination is left alone. */
  if (outcome->dir != NULL && dir_has_partial_file (outcome->dir, "out.png"))
    {
      outcome->saw_partial_file = TRUE;
      if (outcome->watch_path != NULL)
        assert_file_has_text (outcome->watch_path, OLD_CONTENTS);
    }
  if (outcome->cancel_on_progress != NULL)
    g_cancellable_cancel (outcome->cancel_on_progress);
}

static void
progress_data_free_cb (gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->n_data_freed++;
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->ok = lens_downloader_download_finish (LENS_DOWNLOADER (source), result,
                                                 &outcome->error);
  g_assert_true (outcome->ok == (outcome->error == NULL));
  outcome->done = TRUE;
}

void
start_download (LensDownloader *downloader,
                const char     *url,
                const char     *path,
                GCancellable   *cancellable,
                Outcome        *outcome)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  lens_downloader_download_async (downloader, url, file, progress_cb, outcome,
                                  progress_data_free_cb, cancellable, downloaded_cb, outcome);
}

void
download (Fixture      *fixture,
          const char   *url,
          const char   *path,
          GCancellable *cancellable,
          Outcome      *outcome)
{
  start_download (fixture->downloader, url, path, cancellable, outcome);
  run_until_done (outcome);
}

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->content_type = lens_downloader_probe_finish (LENS_DOWNLOADER (source), result,
                                                        &outcome->error);
  outcome->ok = outcome->error == NULL;
  outcome->done = TRUE;
}

void
probe (Fixture      *fixture,
       const char   *url,
       GCancellable *cancellable,
       Outcome      *outcome)
{
  lens_downloader_probe_async (fixture->downloader, url, cancellable, probed_cb, outcome);
  run_until_done (outcome);
}

void
push_image_fault (Fixture           *fixture,
                  LensFakeFaultKind  kind,
                  guint              delay_ms,
                  guint              times)
{
  LensFakeFault fault = { .kind = kind, .target = LENS_FAKE_TARGET_IMAGES,
                          .delay_ms = delay_ms, .retry_after = -1 };

  lens_fake_api_push_fault (fixture->fake, &fault, times);
}

/* ─── a raw HTTP server, for answers SoupServer will not give ──────────── */

static guint8
raw_byte (gsize i)
{
  return (guint8) ((i * 31 + 7) & 0xff);
}

GBytes *
raw_body (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = raw_byte (i);
  return g_bytes_new_take (data, size);
}

static GString *
raw_answer (const char *request)
{
  GString *answer = g_string_new (NULL);

  if (strstr (request, " /short ") != NULL)
    {
      /* Announces 1000 bytes, sends half, and closes: without keep-alive,
       * libsoup reads to the end of the connection and sees no error. */
      g_string_append_printf (answer, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                              "Content-Length: %d\r\nConnection: close\r\n\r\n", RAW_SHORT_SIZE);
      for (gsize i = 0; i < RAW_SHORT_SIZE / 2; i++)
        g_string_append_c (answer, (char) raw_byte (i));
    }
  else if (strstr (request, " /chunked ") != NULL)
    {
      g_string_append (answer, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                       "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
      for (gsize offset = 0; offset < RAW_CHUNKED_SIZE; offset += 16384)
        {
          g_string_append_printf (answer, "%x\r\n", 16384);
          for (gsize i = offset; i < offset + 16384; i++)
            g_string_append_c (answer, (char) raw_byte (i));
          g_string_append (answer, "\r\n");
        }
      g_string_append (answer, "0\r\n\r\n");
    }
  else if (strstr (request, " /no-type ") != NULL)
    g_string_append (answer, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  else
    g_string_append (answer, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                     "Connection: close\r\n\r\n");

  return answer;
}

/* Runs in a worker thread of the service, so blocking I/O is fine here. */
static gboolean
raw_run_cb (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source_object,
            gpointer                user_data)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GString) answer = NULL;
  char buffer[1024];

  /* The whole request is read first: closing with unread data would reset
   * the connection and lose the answer. */
  while (strstr (request->str, "\r\n\r\n") == NULL)
    {
      gssize n = g_input_stream_read (input, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return TRUE;
      g_string_append_len (request, buffer, n);
    }

  answer = raw_answer (request->str);
  g_output_stream_write_all (output, answer->str, answer->len, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

GSocketService *
raw_server_start (char **out_url)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  GSocketService *service = g_threaded_socket_service_new (4);

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (raw_run_cb), NULL);
  g_socket_service_start (service);

  *out_url = g_strdup_printf ("http://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  return service;
}

void
raw_server_stop (GSocketService *service)
{
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_object_unref (service);
}

/* ─── fixture ──────────────────────────────────────────────────────────── */

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;

  fixture->fake = lens_fake_api_new ("t");
  lens_fake_api_start (fixture->fake, 0, &error);
  g_assert_no_error (error);
  ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1);
  fixture->id = g_strdup (ids[0]);
  fixture->url = g_strconcat (lens_fake_api_get_url (fixture->fake), "/images/", fixture->id,
                              ".png", NULL);

  fixture->dir = lens_test_make_scratch_dir ("test-downloader");

  fixture->session = lens_http_create_session ();
  fixture->downloader = lens_downloader_new (fixture->session);
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->downloader);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->fake);
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->id);
  g_free (fixture->url);
}
