/* lens-http.c — what every HTTP user of the app shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API client, the image fetcher and the downloader all talk HTTP
 * through one session, refuse the same URLs, read bodies under a cap and
 * take 403/404/410 from an image host to mean the same thing. Those rules
 * live here, once, so that they cannot drift apart; each user keeps its
 * own error domain and words.
 */

#define G_LOG_DOMAIN "lens-http"

#include "config.h"

#include <errno.h>

#include "lens-http.h"

#define SESSION_TIMEOUT_S  30
#define READ_CHUNK_SIZE    (64 * 1024)

G_DEFINE_QUARK (lens-http-error-quark, lens_http_error)

/* ─── the session ──────────────────────────────────────────────────────── */

/**
 * lens_http_create_session:
 *
 * A SoupSession as the app makes them, in one place, so that they share a
 * user agent, a timeout and a limit of connections: the context's, for the
 * API and downloads, and the image fetcher's own (see
 * lens-image-fetcher.c for why images have one of their own).
 *
 * Returns: (transfer full): a new session
 */
SoupSession *
lens_http_create_session (void)
{
  return soup_session_new_with_options ("user-agent", "Tasklens/" PACKAGE_VERSION,
                                        "timeout", SESSION_TIMEOUT_S,
                                        "max-conns-per-host", LENS_HTTP_MAX_CONNS_PER_HOST,
                                        NULL);
}

/* ─── URLs ─────────────────────────────────────────────────────────────── */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * lens_http_url_is_loopback:
 * @url: (nullable): any URL
 *
 * Returns: whether @url points at this computer (127.0.0.0/8, ::1,
 *   localhost), which is reachable without a network and safe without TLS
 */
gboolean
lens_http_url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && host_is_loopback (g_uri_get_host (uri));
}

/**
 * lens_http_url_safety:
 * @url: (nullable): a URL that a secret would travel to
 *
 * Only HTTPS is secure, and plain HTTP to this machine, for tests and
 * local proxies.
 */
LensHttpUrlSafety
lens_http_url_safety (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || *url == '\0')
    return LENS_HTTP_URL_INVALID;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return LENS_HTTP_URL_INVALID;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return LENS_HTTP_URL_SECURE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    return LENS_HTTP_URL_INVALID;
  return host_is_loopback (g_uri_get_host (uri)) ? LENS_HTTP_URL_SECURE : LENS_HTTP_URL_INSECURE;
}

/**
 * lens_http_status_is_expired:
 * @status: an HTTP status from an image host
 *
 * Midjourney's images are kept for about 30 days; after that their links
 * answer 403 or 404 (410 says the same).
 */
gboolean
lens_http_status_is_expired (guint status)
{
  return status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_NOT_FOUND
         || status == SOUP_STATUS_GONE;
}

/**
 * lens_http_announces_more_than:
 * @message: a message whose response headers have arrived
 * @max_size: the most bytes its user would read
 *
 * A body whose Content-Length is over the cap is refused before a byte of
 * it is read. A chunked body announces nothing: its readers check the cap
 * as it streams.
 *
 * Returns: whether the headers announce a body longer than @max_size
 */
gboolean
lens_http_announces_more_than (SoupMessage *message,
                               goffset      max_size)
{
  SoupMessageHeaders *headers;

  g_return_val_if_fail (SOUP_IS_MESSAGE (message), FALSE);

  headers = soup_message_get_response_headers (message);
  return soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
         && soup_message_headers_get_content_length (headers) > max_size;
}

/* ─── reading a body ───────────────────────────────────────────────────── */

typedef struct
{
  GInputStream         *stream;        /* owned */
  GByteArray           *buffer;        /* owned, nullable once returned */
  gsize                 max_size;
  LensHttpReadFlags     flags;
  int                   io_priority;
  LensHttpProgressFunc  progress;      /* nullable */
  gpointer              progress_data;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data);
}

static void read_next (GTask *task);

static void
return_buffer (GTask    *task,
               ReadData *data)
{
  g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer)),
                         (GDestroyNotify) g_bytes_unref);
}

static void
read_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object),
                                                              result, &error);
  gsize size;

  if (chunk == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      return_buffer (task, data);
      return;
    }

  /* Checked as it streams: a chunked answer announces no length. */
  if (data->buffer->len + size > data->max_size)
    {
      if (data->flags & LENS_HTTP_READ_TRUNCATE)
        {
          g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL),
                               data->max_size - data->buffer->len);
          return_buffer (task, data);
        }
      else
        g_task_return_new_error (task, LENS_HTTP_ERROR, LENS_HTTP_ERROR_TOO_LARGE,
                                 "The body is larger than %" G_GSIZE_FORMAT " bytes",
                                 data->max_size);
      return;
    }

  g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL), size);
  if (data->progress != NULL)
    data->progress (data->buffer->len, data->progress_data);
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, data->io_priority,
                                   g_task_get_cancellable (task), read_cb, task);
}

/**
 * lens_http_read_bytes_async:
 * @stream: a response body (or any stream)
 * @max_size: the most bytes to keep
 * @progress: (nullable) (scope call): called after each chunk, on the
 *   caller's main context; @progress_data must live until the read returns
 *
 * Reads @stream to its end, without blocking, into one GBytes. Beyond
 * @max_size it fails with %LENS_HTTP_ERROR_TOO_LARGE, or with
 * %LENS_HTTP_READ_TRUNCATE keeps the first @max_size bytes. The stream is
 * left open: a caller that gives up early cancels first, so that libsoup
 * drops the connection instead of reading the rest.
 */
void
lens_http_read_bytes_async (GInputStream         *stream,
                            gsize                 max_size,
                            LensHttpReadFlags     flags,
                            int                   io_priority,
                            LensHttpProgressFunc  progress,
                            gpointer              progress_data,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_http_read_bytes_async);
  g_task_set_static_name (task, "[tasklens] read body");

  data = g_new0 (ReadData, 1);
  data->stream = g_object_ref (stream);
  data->buffer = g_byte_array_new ();
  data->max_size = max_size;
  data->flags = flags;
  data->io_priority = io_priority;
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  read_next (g_steal_pointer (&task));
}

/**
 * lens_http_read_bytes_finish:
 *
 * Returns: (transfer full): the body, or %NULL with @error set (the
 *   stream's own error, or %LENS_HTTP_ERROR_TOO_LARGE)
 */
GBytes *
lens_http_read_bytes_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_http_read_bytes_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ─── deadlines ────────────────────────────────────────────────────────── */

struct _LensHttpDeadline
{
  GCancellable *cancellable;  /* owned */
  GSource      *source;       /* owned, nullable once expired */
  gboolean      expired;
};

static gboolean
deadline_expired_cb (gpointer user_data)
{
  LensHttpDeadline *deadline = user_data;

  deadline->expired = TRUE;
  g_clear_pointer (&deadline->source, g_source_unref);
  g_cancellable_cancel (deadline->cancellable);
  return G_SOURCE_REMOVE;
}

/**
 * lens_http_deadline_new:
 * @cancellable: what the request runs under, and only it: the deadline
 *   cancels it when @timeout_ms have passed
 * @timeout_ms: how long the whole request may take
 *
 * An overall deadline for one request, on top of the session's timeout,
 * which only bounds each read. It runs in the thread-default main context.
 * The request's callbacks pass their error through
 * lens_http_deadline_check(), which tells a cancellation by the deadline
 * from one by the caller.
 *
 * Returns: (transfer full): the running deadline; free it to stop it
 */
LensHttpDeadline *
lens_http_deadline_new (GCancellable *cancellable,
                        guint         timeout_ms)
{
  LensHttpDeadline *deadline;

  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), NULL);

  deadline = g_new0 (LensHttpDeadline, 1);
  deadline->cancellable = g_object_ref (cancellable);
  deadline->source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (deadline->source, deadline_expired_cb, deadline, NULL);
  g_source_set_static_name (deadline->source, "[tasklens] request deadline");
  g_source_attach (deadline->source, g_main_context_get_thread_default ());

  return deadline;
}

void
lens_http_deadline_free (LensHttpDeadline *deadline)
{
  if (deadline == NULL)
    return;

  lens_http_clear_source (&deadline->source);
  g_object_unref (deadline->cancellable);
  g_free (deadline);
}

/**
 * lens_http_deadline_expired:
 *
 * Returns: whether @deadline has passed (and cancelled its cancellable)
 */
gboolean
lens_http_deadline_expired (LensHttpDeadline *deadline)
{
  return deadline != NULL && deadline->expired;
}

/**
 * lens_http_deadline_check:
 * @deadline: (nullable): the request's deadline
 * @error: (transfer full) (nullable): what the request failed with
 *
 * A request cut off by its deadline fails with %G_IO_ERROR_CANCELLED, like
 * one the caller cancelled; this turns it into %G_IO_ERROR_TIMED_OUT, which
 * every caller already reports as a server that did not answer in time.
 * Any other error passes through.
 *
 * Returns: (transfer full) (nullable): the error to report
 */
GError *
lens_http_deadline_check (LensHttpDeadline *deadline,
                          GError           *error)
{
  if (error == NULL || !lens_http_deadline_expired (deadline)
      || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  g_error_free (error);
  /* The system's own words, already translated. */
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, g_strerror (ETIMEDOUT));
}

/* ─── small shared helpers ─────────────────────────────────────────────── */

static void
chain_cancel_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/**
 * lens_http_chain_cancellable:
 * @from: (nullable): the caller's cancellable
 * @to: a cancellable of one's own
 *
 * Cancels @to when @from is cancelled (at once if it already is), so that
 * an operation can also be cancelled for reasons of its own.
 *
 * Returns: the handler id for g_cancellable_disconnect() on @from, or 0
 */
gulong
lens_http_chain_cancellable (GCancellable *from,
                             GCancellable *to)
{
  g_return_val_if_fail (G_IS_CANCELLABLE (to), 0);

  if (from == NULL)
    return 0;
  return g_cancellable_connect (from, G_CALLBACK (chain_cancel_cb), g_object_ref (to),
                                g_object_unref);
}

/**
 * lens_http_clear_source:
 * @source: (inout) (nullable): an attached source, or %NULL
 *
 * Destroys @source, drops the reference and sets it to %NULL.
 */
void
lens_http_clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/**
 * lens_http_watch_cancel:
 * @task: a task that waits, with nothing of GIO's watching its cancellable
 * @callback: called in @task's main context once its cancellable is cancelled
 * @data: (nullable): for @callback; @data_free frees it with the source
 * @name: a static name for the source, for profilers
 *
 * A source rather than a signal handler: cancellation may come from any
 * thread, and what waits is only ever touched in its main context.
 *
 * Returns: (transfer full) (nullable): the attached source, for
 *   lens_http_clear_source(), or %NULL when @task has no cancellable
 */
GSource *
lens_http_watch_cancel (GTask                  *task,
                        GCancellableSourceFunc  callback,
                        gpointer                data,
                        GDestroyNotify          data_free,
                        const char             *name)
{
  GCancellable *cancellable;
  GSource *source;

  g_return_val_if_fail (G_IS_TASK (task), NULL);
  g_return_val_if_fail (callback != NULL, NULL);

  cancellable = g_task_get_cancellable (task);
  if (cancellable == NULL)
    {
      if (data_free != NULL)
        data_free (data);
      return NULL;
    }

  source = g_cancellable_source_new (cancellable);
  g_source_set_callback (source, G_SOURCE_FUNC (callback), data, data_free);
  g_source_set_static_name (source, name);
  g_source_attach (source, g_task_get_context (task));
  return source;
}
