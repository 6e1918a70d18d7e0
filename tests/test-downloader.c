/* test-downloader.c — LensDownloader against the fake AceData server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Most tests download the fake server's real PNGs, with its faults. A few
 * answers SoupServer cannot give (a short body on a connection that closes,
 * a chunked body of unannounced length, no Content-Type at all) come from a
 * tiny raw HTTP server.
 *
 * Helpers first (the outcome of a download, the files it left, the raw
 * server, the fixture), then the tests, then main().
 */

#define G_LOG_DOMAIN "test-downloader"

#include "config.h"

#include <unistd.h>

#include <string.h>

#include <glib/gstdio.h>

#include "lens-downloader.h"
#include "lens-http.h"
#include "lens-image-metadata.h"
#include "lens-png-layout.h"
#include "lens-test-fake.h"
#include "lens-test-fetch.h"

#define OLD_CONTENTS    "the old picture"
#define RAW_SHORT_SIZE  1000
#define RAW_CHUNKED_SIZE (256 * 1024)

typedef struct
{
  LensFakeApi    *fake;
  SoupSession    *session;
  LensDownloader *downloader;
  char           *dir;      /* scratch directory */
  char           *id;       /* a finished imagine task on the fake server */
  char           *url;      /* its full image */
} Fixture;

typedef struct
{
  gboolean      done;
  gboolean      ok;
  char         *content_type;
  GError       *error;
  GArray       *received;        /* goffset, one per progress report */
  GArray       *totals;          /* goffset, one per progress report */
  guint         n_data_freed;
  GCancellable *cancel_on_progress; /* nullable: cancelled at the first report */
  const char   *dir;              /* nullable: checked for the partial file at each report */
  gboolean      saw_partial_file;
  const char   *watch_path;       /* nullable: must hold OLD_CONTENTS while a partial file exists */
} Outcome;

/* ─── the outcome of a download or a probe ─────────────────────────────── */

/* Declared as "= { 0 }", so that clearing is safe before this runs. */
static void
outcome_init (Outcome *outcome)
{
  memset (outcome, 0, sizeof *outcome);
  outcome->received = g_array_new (FALSE, FALSE, sizeof (goffset));
  outcome->totals = g_array_new (FALSE, FALSE, sizeof (goffset));
}

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->content_type, g_free);
  g_clear_error (&outcome->error);
  g_clear_pointer (&outcome->received, g_array_unref);
  g_clear_pointer (&outcome->totals, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

/* ─── helpers ──────────────────────────────────────────────────────────── */

static void
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
static GStrv
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
static void
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

static void
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

static void
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

static void
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

static void
probe (Fixture      *fixture,
       const char   *url,
       GCancellable *cancellable,
       Outcome      *outcome)
{
  lens_downloader_probe_async (fixture->downloader, url, cancellable, probed_cb, outcome);
  run_until_done (outcome);
}

/* ─── a raw HTTP server, for answers SoupServer will not give ──────────── */

static guint8
raw_byte (gsize i)
{
  return (guint8) ((i * 31 + 7) & 0xff);
}

static GBytes *
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
  else if (strstr (request, " /chunked-page ") != NULL)
    {
      /* The same, of unannounced length, and long enough to be streamed. */
      g_string_append (answer, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                       "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
      for (guint i = 0; i < 64; i++)
        {
          g_string_append_printf (answer, "%x\r\n", 1024);
          for (guint j = 0; j < 1024 / 16; j++)
            g_string_append (answer, "<p>Not found</p>");
          g_string_append (answer, "\r\n");
        }
      g_string_append (answer, "0\r\n\r\n");
    }
  else if (strstr (request, " /error-page ") != NULL)
    {
      /* What a CDN sends now and then: its error page, as 200 and "PNG". */
      static const char page[] = "<!DOCTYPE html><html><body>Access denied</body></html>";

      g_string_append_printf (answer, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                              "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                              strlen (page), page);
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

static GSocketService *
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

static void
raw_server_stop (GSocketService *service)
{
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_object_unref (service);
}

/* ─── fixture ──────────────────────────────────────────────────────────── */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(GStrv) ids = NULL;

  fixture->fake = lens_test_start_fake_api ("t");
  ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1);
  fixture->id = g_strdup (ids[0]);
  fixture->url = lens_test_image_url (fixture->fake, fixture->id, ".png");

  fixture->dir = lens_test_make_scratch_dir ("test-downloader");

  fixture->session = lens_http_create_session ();
  fixture->downloader = lens_downloader_new (fixture->session);
}

static void
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

/* ─── tests ────────────────────────────────────────────────────────────── */

static void
test_download_bytes (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) expected = lens_test_fetch (fixture->session, fixture->url);
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

typedef struct
{
  gboolean  done;
  GFile    *final;
  GError   *error;
} Saved;

static void
saved_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Saved *saved = user_data;

  saved->final = lens_downloader_save_finish (LENS_DOWNLOADER (source_object), result, &saved->error);
  saved->done = TRUE;
}

/* Saves the fixture's image as @name with @flags, and returns the base
 * name of the file it became. */
static char *
save (Fixture              *fixture,
      const char           *name,
      const LensImageFacts *facts,
      LensSaveFlags         flags)
{
  g_autoptr(GFile) destination = g_file_new_build_filename (fixture->dir, name, NULL);
  Saved saved = { 0 };
  char *basename;

  lens_downloader_save_async (fixture->downloader, fixture->url, destination, facts, flags,
                              NULL, NULL, NULL, NULL, saved_cb, &saved);
  lens_test_spin_until (&saved.done, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (saved.error);
  basename = g_file_get_basename (saved.final);
  g_object_unref (saved.final);
  return basename;
}

/* A save writes the task's facts into the file, which has them from the
 * moment it has its name. */
static void
test_save_metadata (Fixture       *fixture,
                    gconstpointer  data)
{
  LensImageFacts facts = { .task_id = fixture->id, .task_type = "imagine", .prompt = "고양이",
                           .created_at = 1720364645, .index = 0 };
  g_autofree char *name = save (fixture, "cat.png", &facts, LENS_SAVE_NONE);
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *task_id = NULL;
  g_autofree char *prompt = NULL;
  guint index = 99;

  g_assert_cmpstr (name, ==, "cat.png");
  task_id = lens_image_metadata_read_task_id (path, &index);
  g_assert_cmpstr (task_id, ==, fixture->id);
  g_assert_cmpuint (index, ==, 0);
  prompt = lens_image_metadata_read_tag (path, "Xmp.dc.description");
  g_assert_nonnull (prompt);
  g_assert_nonnull (strstr (prompt, "고양이"));
  assert_dir_holds (fixture->dir, "cat.png", NULL);
}

static void
saved_outcome_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Outcome *outcome = user_data;
  g_autoptr(GFile) final = lens_downloader_save_finish (LENS_DOWNLOADER (source), result,
                                                        &outcome->error);

  outcome->ok = final != NULL;
  outcome->done = TRUE;
}

/* Saves @url as "out.png" in the fixture's folder with @facts, watching
 * the folder for a partial file at each progress report. */
static void
save_watched (Fixture              *fixture,
              const char           *url,
              const LensImageFacts *facts,
              GCancellable         *cancellable,
              Outcome              *outcome)
{
  g_autoptr(GFile) destination = g_file_new_build_filename (fixture->dir, "out.png", NULL);

  outcome->dir = fixture->dir;
  lens_downloader_save_async (fixture->downloader, url, destination, facts, LENS_SAVE_NONE,
                              progress_cb, outcome, progress_data_free_cb, cancellable,
                              saved_outcome_cb, outcome);
  run_until_done (outcome);
}

/* A save of an image that announces its length is held in memory and
 * written once, facts and all: no partial file ever shows in the folder,
 * and the pixels reach the file as the server sent them. */
static void
test_save_in_memory (Fixture       *fixture,
                     gconstpointer  data)
{
  LensImageFacts facts = { .task_id = fixture->id, .prompt = "A cat", .created_at = -1 };
  g_autoptr(GBytes) sent = lens_test_fetch (fixture->session, fixture->url);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_autofree char *task_id = NULL;
  g_autofree char *contents = NULL;
  g_auto(Outcome) outcome = { 0 };
  gsize length = 0, sent_size, sent_pixels = 0, saved_pixels = 0;
  const guint8 *sent_data = g_bytes_get_data (sent, &sent_size);

  outcome_init (&outcome);
  save_watched (fixture, fixture->url, &facts, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.received->len, >=, 1);
  g_assert_false (outcome.saw_partial_file);

  task_id = lens_image_metadata_read_task_id (path, NULL);
  g_assert_cmpstr (task_id, ==, fixture->id);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (lens_png_layout_find_pixels (sent_data, sent_size, &sent_pixels));
  g_assert_true (lens_png_layout_find_pixels ((const guint8 *) contents, length, &saved_pixels));
  g_assert_cmpmem (contents + saved_pixels, length - saved_pixels, sent_data + sent_pixels,
                   sent_size - sent_pixels);
  assert_dir_holds (fixture->dir, "out.png", NULL);
}

/* A save of a task's image refuses what is clearly none: an error page
 * sent as 200, an empty body. Nothing is left, whether the body was held
 * in memory (announced length) or streamed to a temporary file (the
 * chunked error page). */
static void
test_save_not_an_image (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const paths[] = { "/error-page", "/no-type", "/chunked-page" };
  LensImageFacts facts = { .task_id = fixture->id, .created_at = -1 };
  g_autofree char *base = NULL;
  GSocketService *raw = raw_server_start (&base);

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (base, paths[i], NULL);
      g_auto(Outcome) outcome = { 0 };

      outcome_init (&outcome);
      save_watched (fixture, url, &facts, NULL, &outcome);
      g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NOT_AN_IMAGE);
      g_test_message ("%s: %s", paths[i], outcome.error->message);
      /* The unannounced one streamed to a temporary file, now gone. */
      g_assert_true (outcome.saw_partial_file == g_str_equal (paths[i], "/chunked-page"));
      assert_dir_holds (fixture->dir, NULL);
    }

  raw_server_stop (raw);
}

/* Bytes of no known kind that are no text are saved as they came, facts
 * or not (exiv2 cannot put them in): the save is not refused on a guess.
 * They stream to a temporary file, their length unannounced. */
static void
test_save_unknown_bytes (Fixture       *fixture,
                         gconstpointer  data)
{
  LensImageFacts facts = { .task_id = fixture->id, .created_at = -1 };
  g_autofree char *base = NULL;
  GSocketService *raw = raw_server_start (&base);
  g_autofree char *url = g_strconcat (base, "/chunked", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_autoptr(GBytes) expected = raw_body (RAW_CHUNKED_SIZE);
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  save_watched (fixture, url, &facts, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.saw_partial_file);
  assert_file_has_bytes (path, expected);
  assert_dir_holds (fixture->dir, "out.png", NULL);

  raw_server_stop (raw);
}

/* Held in memory or not, a save cut short or cancelled leaves nothing. */
static void
test_save_broken_or_cancelled (Fixture       *fixture,
                               gconstpointer  data)
{
  LensImageFacts facts = { .task_id = fixture->id, .created_at = -1 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) truncated = { 0 };
  g_auto(Outcome) cancelled = { 0 };

  outcome_init (&truncated);
  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_TRUNCATED_BODY, 0, 1);
  save_watched (fixture, fixture->url, &facts, NULL, &truncated);
  g_assert_error (truncated.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK);
  assert_dir_holds (fixture->dir, NULL);
  g_assert_cmpuint (truncated.n_data_freed, ==, 1);

  outcome_init (&cancelled);
  cancelled.cancel_on_progress = cancellable;
  save_watched (fixture, fixture->url, &facts, cancellable, &cancelled);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_dir_holds (fixture->dir, NULL);
}

/* A bulk save never replaces a file, and names the file by its bytes. */
static void
test_save_unique_by_content (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *old_path = g_build_filename (fixture->dir, "cat.png", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (old_path, OLD_CONTENTS, -1, NULL));

  /* The fake server's image is a PNG, whatever the name asked for. */
  first = save (fixture, "cat.jpg", NULL, LENS_SAVE_UNIQUE | LENS_SAVE_NAME_BY_CONTENT);
  g_assert_cmpstr (first, ==, "cat (2).png");
  second = save (fixture, "cat.png", NULL, LENS_SAVE_UNIQUE);
  g_assert_cmpstr (second, ==, "cat (3).png");

  g_assert_true (g_file_get_contents (old_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, OLD_CONTENTS);
  assert_dir_holds (fixture->dir, "cat (2).png", "cat (3).png", "cat.png", NULL);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GBytes) expected = lens_test_fetch (fixture->session, fixture->url);
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
  g_autoptr(GBytes) expected = lens_test_fetch (fixture->session, fixture->url);
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, OLD_CONTENTS, -1, &error);
  g_assert_no_error (error);

  /* A download that breaks off leaves the old file as it was… */
  {
    g_auto(Outcome) outcome = { 0 };

    outcome_init (&outcome);
    lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_TRUNCATED_BODY, 0, 1);
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
  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_TRUNCATED_BODY, 0, 1);
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
  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_RESET, 0, G_MAXUINT);
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK);
  g_test_message ("%s", outcome.error->message);
  assert_dir_holds (fixture->dir, NULL);
}

/* A server that sends a byte every 50 ms never trips the per-read timeout:
 * the download's deadline ends it, as a timeout, with no file left, and the
 * next download goes through. */
static void
test_deadline (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };
  g_auto(Outcome) next = { 0 };
  gint64 start = g_get_monotonic_time ();

  outcome_init (&outcome);
  lens_downloader_set_deadline (fixture->downloader, 500);
  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_TRICKLE, 50, 1);
  download (fixture, fixture->url, path, NULL, &outcome);

  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK);
  g_assert_cmpstr (outcome.error->message, ==,
                   "The image server did not answer in time; try again later");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500 * G_TIME_SPAN_MILLISECOND);
  assert_dir_holds (fixture->dir, NULL);

  outcome_init (&next);
  download (fixture, fixture->url, path, NULL, &next);
  g_assert_no_error (next.error);
  assert_dir_holds (fixture->dir, "out.png", NULL);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *unknown = lens_fake_api_make_id ("never-seeded");
  g_autofree char *url = lens_test_image_url (fixture->fake, unknown, ".png");
  g_autofree char *path = g_build_filename (fixture->dir, "out.png", NULL);
  g_auto(Outcome) outcome = { 0 };
  g_auto(Outcome) probed = { 0 };

  outcome_init (&outcome);
  download (fixture, url, path, NULL, &outcome);
  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_EXPIRED);
  g_test_message ("%s", outcome.error->message);
  g_assert_nonnull (strstr (outcome.error->message, "404"));
  g_assert_nonnull (strstr (outcome.error->message, "30 days"));
  g_assert_null (strstr (outcome.error->message, "Not Found"));
  assert_dir_holds (fixture->dir, NULL);

  outcome_init (&probed);
  probe (fixture, url, NULL, &probed);
  g_assert_error (probed.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_EXPIRED);
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
  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_DELAY, 30000, 1);
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
  request = lens_test_fake_request (fixture->fake, 0);
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

/* A server that never answers a probe: its deadline ends it as a timeout. */
static void
test_probe_deadline (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(Outcome) outcome = { 0 };
  gint64 start = g_get_monotonic_time ();

  outcome_init (&outcome);
  lens_downloader_set_deadline (fixture->downloader, 300);
  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_DELAY, 30000, 1);
  probe (fixture, fixture->url, NULL, &outcome);

  /* Long before the session's own timeout (30 s) would have said so. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_TIME_SPAN_SECOND);
  g_assert_error (outcome.error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK);
  g_assert_cmpstr (outcome.error->message, ==,
                   "The image server did not answer in time; try again later");
}

static void
test_probe_cancelled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Outcome) outcome = { 0 };

  outcome_init (&outcome);
  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_DELAY, 30000, 1);
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
      g_autofree char *url = lens_test_image_url (fixture->fake, ids[i], ".png");
      g_autofree char *name = g_strconcat (ids[i], ".png", NULL);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      outcome_init (&outcomes[i]);
      start_download (fixture->downloader, url, path, NULL, &outcomes[i]);
    }

  for (guint i = 0; i < 3; i++)
    run_until_done (&outcomes[i]);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *url = lens_test_image_url (fixture->fake, ids[i], ".png");
      g_autofree char *name = g_strconcat (ids[i], ".png", NULL);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autoptr(GBytes) expected = lens_test_fetch (fixture->session, url);

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
  add_test ("/downloader/save/metadata", test_save_metadata);
  add_test ("/downloader/save/unique-by-content", test_save_unique_by_content);
  add_test ("/downloader/save/in-memory", test_save_in_memory);
  add_test ("/downloader/save/not-an-image", test_save_not_an_image);
  add_test ("/downloader/save/unknown-bytes", test_save_unknown_bytes);
  add_test ("/downloader/save/broken-or-cancelled", test_save_broken_or_cancelled);
  add_test ("/downloader/broken/truncated-body", test_truncated_body);
  add_test ("/downloader/broken/short-body-connection-close", test_short_body_connection_close);
  add_test ("/downloader/broken/reset", test_reset);
  add_test ("/downloader/broken/deadline", test_deadline);
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
  add_test ("/downloader/probe/deadline", test_probe_deadline);

  return g_test_run ();
}
