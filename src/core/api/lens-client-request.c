/* lens-client-request.c — one API request: slots, checks, retries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every call of the Tasks API goes through lens_client_request_async(): it
 * waits for its turn in the client's LensScheduler (the pace and the number
 * in flight that the server admits), posts the body, checks the answer in
 * the order transport error → HTTP status → Content-Type → size → JSON (the
 * body read by lens-http's capped reader), and tells the scheduler what the
 * server made of it. JSON is parsed in a worker thread, so a large answer
 * never stalls the main loop.
 *
 * A 429 is the scheduler's business: it holds every request for as long as
 * the server asked, and slows down; the refused request asks again at the
 * head of its line, as often as it takes (the window says that AceData is
 * limiting requests meanwhile). Other errors that may heal by themselves
 * (5xx, broken connections, timeouts) are tried again a few times with
 * exponential backoff and jitter.
 *
 * A request moves through these stages:
 *
 *   WAITING (its turn) → SENDING → READING → [PARSING → done]
 *                                         ↘ [BACKOFF → WAITING …] (5xx, network)
 *                                         ↘ [WAITING again …]     (429)
 *
 * While WAITING the scheduler watches the cancellable; in BACKOFF nothing
 * of libsoup's is running, so a GCancellableSource watches it and ends the
 * request at once.
 */

#define G_LOG_DOMAIN "lens-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-client-answer.h"
#include "lens-client-private.h"
#include "lens-http.h"
#include "lens-http-send.h"
#include "lens-json.h"
#include "lens-worker.h"

/* Error answers are small; reading more than this of one is pointless. */
#define MAX_ERROR_BODY_SIZE (64 * 1024)
/* The longest pause a Retry-After header can ask for and get. */
#define MAX_RETRY_AFTER_S   300

typedef enum
{
  STAGE_WAITING,
  STAGE_SENDING,
  STAGE_READING,
  STAGE_BACKOFF,
  STAGE_PARSING,
} Stage;

typedef struct
{
  LensClient   *client;          /* owned */
  GBytes       *body;            /* owned */
  Stage         stage;
  guint         attempt;         /* 0 for the first try; 429s do not count */
  LensSchedulerSlot *slot;       /* owned, nullable: while sending and reading */
  gboolean      again;           /* refused or failed before: first in line */
  gboolean      answered;        /* the server answered this attempt with a status */
  gboolean      not_connected;   /* the last attempt found no server to talk to */
  LensApiRefusal refusal;        /* what a 429 said was exceeded */
  /* Cancelled when the caller cancels, or to abort an answer that is too
   * large: libsoup then drops the connection instead of reading on. */
  GCancellable *attempt_cancellable; /* owned, nullable */
  gulong        chain_id;
  /* Cancels attempt_cancellable when the attempt has taken too long. */
  LensHttpDeadline *deadline;    /* owned, nullable */
  SoupMessage  *message;         /* owned, nullable */
  GInputStream *stream;          /* owned, nullable */
  int           retry_after_s;   /* -1 unless the server sent Retry-After */
  LensRequestPriority priority;
  guint         group;           /* see lens_scheduler_acquire_async() */
  guint         n_tasks;
  GSource      *cancel_source;   /* owned, nullable: only in BACKOFF */
  GSource      *backoff_source;  /* owned, nullable */
} Request;

static void acquire_slot (GTask *task);

static void
request_free (Request *request)
{
  g_assert (request->cancel_source == NULL);
  g_assert (request->backoff_source == NULL);

  g_assert (request->attempt_cancellable == NULL);
  g_assert (request->slot == NULL);

  g_clear_object (&request->client);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_free (request);
}

static void
begin_attempt_cancellable (GTask   *task,
                           Request *request)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  request->attempt_cancellable = g_cancellable_new ();
  request->chain_id = lens_http_chain_cancellable (cancellable, request->attempt_cancellable);
  request->deadline = lens_http_deadline_new (request->attempt_cancellable,
                                              request->client->deadline_ms);
}

/* Drops what one attempt used. With @abort, libsoup is told to give up the
 * connection first, so that dropping the stream never waits for the rest of
 * an answer. */
static void
end_attempt (GTask    *task,
             Request  *request,
             gboolean  abort)
{
  g_clear_pointer (&request->deadline, lens_http_deadline_free);
  if (request->attempt_cancellable != NULL)
    {
      if (abort)
        g_cancellable_cancel (request->attempt_cancellable);
      g_cancellable_disconnect (g_task_get_cancellable (task), request->chain_id);
      request->chain_id = 0;
      g_clear_object (&request->attempt_cancellable);
    }
  g_clear_object (&request->stream);
  g_clear_object (&request->message);
}

/* Gives the slot back, with what the server made of the request. */
static void
release_slot (Request              *request,
              LensSchedulerOutcome  outcome)
{
  gint64 retry_after_us = request->retry_after_s >= 0
                          ? request->retry_after_s * G_TIME_SPAN_SECOND : -1;

  if (request->slot == NULL)
    return;

  lens_scheduler_release (request->client->scheduler, g_steal_pointer (&request->slot),
                          outcome, request->refusal, retry_after_us);
}

static LensSchedulerOutcome
outcome_of (Request      *request,
            const GError *error)
{
  if (g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_RATE_LIMITED))
    return LENS_SCHEDULER_REFUSED;
  return request->answered ? LENS_SCHEDULER_ADMITTED : LENS_SCHEDULER_UNANSWERED;
}

static gboolean
cancelled_in_backoff_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  /* The sources hold references to the task; keep it alive until returned. */
  g_object_ref (task);

  lens_http_clear_source (&request->backoff_source);
  lens_http_clear_source (&request->cancel_source);

  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
watch_cancel (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (request->cancel_source != NULL)
    return;

  request->cancel_source = lens_http_watch_cancel (task, cancelled_in_backoff_cb,
                                                   g_object_ref (task), g_object_unref,
                                                   "[tasklens] request backoff cancelled");
}

/**
 * lens_client_check_base_url:
 * @base_url: an API base URL such as `https://api.acedata.cloud`
 *
 * The token travels with every request, so only HTTPS is accepted — and plain
 * HTTP to this machine (127.0.0.0/8, ::1, localhost), for tests and local
 * proxies.
 *
 * Returns: whether @base_url may be used
 */
gboolean
lens_client_check_base_url (const char  *base_url,
                            GError     **error)
{
  if (base_url == NULL || *base_url == '\0')
    {
      g_set_error_literal (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_URL,
                           _("No API URL is set"));
      return FALSE;
    }

  switch (lens_http_url_safety (base_url))
    {
    case LENS_HTTP_URL_SECURE:
      return TRUE;
    case LENS_HTTP_URL_INSECURE:
      g_set_error (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INSECURE_URL,
                   _("The API URL must start with https:// so that the token is not sent "
                     "unencrypted (plain http:// is allowed only for this computer)"));
      return FALSE;
    case LENS_HTTP_URL_INVALID:
    default:
      g_set_error (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_URL,
                   _("“%s” is not a web address"), base_url);
      return FALSE;
    }
}

static SoupMessage *
build_message (Request  *request,
               GError  **error)
{
  LensClient *client = request->client;
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *message;

  if (!lens_client_check_base_url (client->base_url, error))
    return NULL;
  if (client->token == NULL || *client->token == '\0')
    {
      g_set_error_literal (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_NO_TOKEN,
                           _("No AceData API token is set; add one in Preferences"));
      return NULL;
    }

  url = g_strconcat (client->base_url, "/midjourney/tasks", NULL);
  message = soup_message_new (SOUP_METHOD_POST, url);
  if (message == NULL)
    {
      g_set_error (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_URL,
                   _("“%s” is not a web address"), client->base_url);
      return NULL;
    }

  headers = soup_message_get_request_headers (message);
  authorization = g_strconcat ("Bearer ", client->token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "User-Agent", "Tasklens/" PACKAGE_VERSION);
  soup_message_set_request_body_from_bytes (message, "application/json", request->body);

  /* Never let an authorization travel to another host through a redirect. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  return message;
}

/* Retry-After is either a number of seconds or an HTTP date. */
static int
parse_retry_after (SoupMessage *message)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autofree char *trimmed = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT, &seconds, NULL))
    return (int) MIN (seconds, MAX_RETRY_AFTER_S);

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return (int) CLAMP (g_date_time_difference (date, now) / G_TIME_SPAN_SECOND, 0, MAX_RETRY_AFTER_S);
}

static guint
backoff_delay_ms (Request *request)
{
  LensClient *client = request->client;
  guint64 delay;

  /* A 503 may say when to come back, too; 0 still waits a little. */
  if (request->retry_after_s >= 0)
    return (guint) MAX ((guint) request->retry_after_s * 1000, client->base_delay_ms);

  /* 1, 2, 4, 8, 16 × the base, plus up to one base of jitter so that many
   * clients throttled together do not come back together. */
  delay = (guint64) client->base_delay_ms << MIN (request->attempt, 16);
  delay += g_random_int_range (0, (gint32) MAX (client->base_delay_ms, 1));
  return (guint) MIN (delay, (guint64) MAX_RETRY_AFTER_S * 1000);
}

static gboolean
backoff_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->backoff_source, g_source_unref);
  lens_http_clear_source (&request->cancel_source);
  acquire_slot (g_object_ref (task));

  return G_SOURCE_REMOVE;
}

/* Ends an attempt that failed: retries it later when the error may heal,
 * returns the error otherwise. Takes ownership of @task and @error. */
static void
fail_attempt (GTask  *task,
              GError *error)
{
  Request *request = g_task_get_task_data (task);
  LensClient *client = request->client;
  gboolean refused = g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_RATE_LIMITED);

  end_attempt (task, request, request->stage == STAGE_READING);
  release_slot (request, outcome_of (request, error));
  request->again = TRUE;

  if (refused && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* The scheduler holds every request for as long as the server asked;
       * this one waits its turn again, first in its line. */
      g_debug ("Request refused (%s); asking again when the API allows", error->message);
      g_error_free (error);
      request->retry_after_s = -1;
      acquire_slot (task);
      return;
    }

  /* Nobody there: asked once more, a moment later, then the caller hears it
   * (the refresher then pauses and looks again now and then), rather than
   * after half a minute of retries. */
  if (!lens_client_error_is_transient (error)
      || request->attempt >= (request->not_connected ? MIN (client->max_retries, 1)
                                                     : client->max_retries)
      || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* When the caller cancelled, GTask turns any error into CANCELLED. */
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_debug ("Request failed (%s); retry %u of %u", error->message,
           request->attempt + 1, client->max_retries);
  g_error_free (error);

  request->stage = STAGE_BACKOFF;
  request->backoff_source = g_timeout_source_new (backoff_delay_ms (request));
  request->attempt++;
  request->retry_after_s = -1;
  g_source_set_callback (request->backoff_source, backoff_done_cb, task, g_object_unref);
  g_source_attach (request->backoff_source, g_task_get_context (task));
  watch_cancel (task);
}

/* Transport errors: cancellation passes through untouched; the rest become
 * LENS_CLIENT_ERROR codes with the system's explanation kept. */
static GError *
map_transport_error (GError     *error,
                     const char *what_failed)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    mapped = g_error_new (LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_TIMEOUT,
                          _("The AceData API did not answer in time (%s)"), error->message);
  else
    mapped = g_error_new (LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_NETWORK,
                          "%s (%s)", what_failed, error->message);

  g_error_free (error);
  return mapped;
}

static GError *
error_from_error_body (Request *request,
                       GBytes  *body)
{
  SoupMessage *message = request->message;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *code = NULL, *server_message = NULL, *trace_id = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root;

  /* An error body is at most MAX_ERROR_BODY_SIZE: small enough to parse here.
   * It may be JSON of any shape, HTML from a proxy, or nothing at all. */
  if (size > 0 && json_parser_load_from_data (parser, data, (gssize) size, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonObject *error_object = lens_json_get_object (object, "error");

      /* {"error": {"code": …, "message": …}}, or {"error": "…"}. */
      if (error_object != NULL)
        {
          code = lens_json_get_string (error_object, "code");
          server_message = lens_json_get_string (error_object, "message");
        }
      else
        server_message = lens_json_get_string (object, "error");

      trace_id = lens_json_get_string (object, "trace_id");
    }

  /* AceData's `rate_limited` is "Concurrency limit exceeded for this
   * token"; `too_many_requests` (or no code) is the rate. */
  request->refusal = g_strcmp0 (code, "rate_limited") == 0
                     || (server_message != NULL && strstr (server_message, "oncurrency") != NULL)
                     ? LENS_API_REFUSAL_CONCURRENCY : LENS_API_REFUSAL_RATE;

  return lens_client_error_new_for_status (soup_message_get_status (message), code,
                                           server_message, trace_id);
}

static GError *
new_too_large_error (gsize limit)
{
  g_autofree char *size = g_format_size (limit);

  return g_error_new (LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_RESPONSE_TOO_LARGE,
                      _("The AceData API sent an answer larger than %s; "
                        "try fewer tasks at a time"), size);
}

static void
body_read_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) body = lens_http_read_bytes_finish (result, &error);
  guint status = soup_message_get_status (request->message);

  if (g_error_matches (error, LENS_HTTP_ERROR, LENS_HTTP_ERROR_TOO_LARGE))
    {
      g_error_free (error);
      fail_attempt (task, new_too_large_error (request->client->max_body_size));
      return;
    }
  if (body == NULL)
    {
      error = lens_http_deadline_check (request->deadline, error);
      fail_attempt (task, map_transport_error (error, _("The connection to the AceData API broke "
                                                        "off before the answer was complete")));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fail_attempt (task, error_from_error_body (request, body));
      return;
    }

  end_attempt (task, request, FALSE);
  release_slot (request, LENS_SCHEDULER_ADMITTED);

  request->stage = STAGE_PARSING;
  lens_worker_parse_bytes (task, body, _lens_client_answer_parse, (GDestroyNotify) json_node_unref);
}

/* Checks what can be checked before the body is read: the status, the
 * Content-Type and the announced size. Returns NULL when reading may go on,
 * up to *@read_limit bytes. */
static GError *
check_headers (Request *request,
               gsize   *read_limit)
{
  SoupMessage *message = request->message;
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  guint status = soup_message_get_status (message);
  const char *content_type;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      request->retry_after_s = parse_retry_after (message);
      *read_limit = MAX_ERROR_BODY_SIZE;
      return NULL;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type != NULL && g_ascii_strcasecmp (content_type, "application/json") != 0
      && !g_str_has_suffix (content_type, "+json"))
    return g_error_new (LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE,
                        _("The server answered with “%s” instead of JSON; check the API URL"),
                        content_type);

  if (lens_http_announces_more_than (message, (goffset) request->client->max_body_size))
    return new_too_large_error (request->client->max_body_size);

  *read_limit = request->client->max_body_size;
  return NULL;
}

/* No server at the address, or no way to it: nothing was sent. Unlike a
 * connection that broke, waiting a few seconds rarely mends this (a wrong
 * URL, no network, the server down), and the user should hear it soon. */
static gboolean
is_not_connected (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
      || g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND)
      || g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
}

static void
send_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  gsize read_limit = 0;

  request->stream = soup_session_send_finish (SOUP_SESSION (source_object), result, &error);
  if (request->stream == NULL)
    {
      request->not_connected = is_not_connected (error);
      error = lens_http_deadline_check (request->deadline, error);
      fail_attempt (task, map_transport_error (error, _("Could not reach the AceData API")));
      return;
    }

  request->stage = STAGE_READING;
  request->answered = TRUE;

  if ((error = check_headers (request, &read_limit)) != NULL)
    {
      fail_attempt (task, error);
      return;
    }

  /* The start of an error answer says all there is to say. */
  lens_http_read_bytes_async (request->stream, read_limit,
                              SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (request->message))
                              ? LENS_HTTP_READ_NONE : LENS_HTTP_READ_TRUNCATE,
                              G_PRIORITY_DEFAULT, NULL, NULL,
                              request->attempt_cancellable, body_read_cb, task);
}

/* Takes ownership of @task; the request holds a slot. */
static void
start_attempt (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  request->stage = STAGE_SENDING;
  request->answered = FALSE;
  request->not_connected = FALSE;
  request->refusal = LENS_API_REFUSAL_RATE;

  request->message = build_message (request, &error);
  if (request->message == NULL)
    {
      fail_attempt (task, error);
      return;
    }

  begin_attempt_cancellable (task, request);
  lens_http_send_async (request->client->session, request->message, G_PRIORITY_DEFAULT,
                           request->attempt_cancellable, send_cb, task);
}

static void
slot_acquired_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  request->slot = lens_scheduler_acquire_finish (LENS_SCHEDULER (source_object), result, &error);
  if (request->slot == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* Cancelled while the slot was on its way: nothing is sent. */
  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      release_slot (request, LENS_SCHEDULER_UNANSWERED);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  start_attempt (task);
}

/* Takes ownership of @task. */
static void
acquire_slot (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  request->stage = STAGE_WAITING;
  lens_scheduler_acquire_async (request->client->scheduler, request->priority, request->group,
                                request->n_tasks,
                                request->again, g_task_get_cancellable (task),
                                slot_acquired_cb, task);
}

void
lens_client_request_async (LensClient          *self,
                           GBytes              *body,
                           LensRequestPriority  priority,
                           guint                group,
                           guint                n_tasks,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_client_request_async);

  request = g_new0 (Request, 1);
  request->client = g_object_ref (self);
  request->body = g_bytes_ref (body);
  request->retry_after_s = -1;
  request->priority = priority;
  request->group = group;
  request->n_tasks = n_tasks;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  acquire_slot (task);
}

/**
 * lens_client_request_finish:
 * Returns: (transfer full): the root of the JSON answer
 */
JsonNode *
lens_client_request_finish (LensClient    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
