/* lens-fake-faults.c — the fake server misbehaving on purpose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Faults wait in a queue; each request to a target consumes the first fault
 * queued for it. Most faults are just other answers. A delay pauses the
 * message and answers it from a timeout; a trickle answers at once and then
 * sends one byte of body per tick, forever, so that only a deadline on the
 * whole request ends it; a truncated body or a reset cannot be
 * expressed through SoupServer at all, so the connection is stolen (from an
 * idle callback, once the message is paused and libsoup is not running its
 * I/O) and written to, or closed, directly.
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include <libsoup/soup.h>

#include "lens-fake-api-private.h"

typedef struct
{
  LensFakeFault fault;      /* fault.code points into code */
  char         *code;       /* owned, nullable */
  guint         remaining;  /* G_MAXUINT: until cleared */
} PendingFault;

void
lens_fake_pending_fault_free (gpointer data)
{
  PendingFault *pending = data;

  g_free (pending->code);
  g_free (pending);
}

static gboolean
path_is_media (const char *path)
{
  return g_str_has_prefix (path, "/images/") || g_str_has_prefix (path, "/videos/");
}

static gboolean
request_is_listing (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonObject) request = lens_fake_parse_request (bytes);

  return lens_fake_listing_is_listing (request);
}

/* Returns (transfer full) (nullable) the fault this request consumes: the
 * first queued for its target. A listing is a tasks request too, so it
 * takes the first fault for either. */
static PendingFault *
take_fault (LensFakeApi       *self,
            SoupServerMessage *msg,
            const char        *path)
{
  gboolean tasks = g_str_equal (path, LENS_FAKE_TASKS_PATH);
  gboolean media = path_is_media (path);
  gboolean listing = FALSE;
  PendingFault *copy;

  if (!tasks && !media)
    return NULL;
  if (tasks)
    {
      gboolean any_listing_fault = FALSE;

      for (GList *l = self->faults.head; l != NULL && !any_listing_fault; l = l->next)
        any_listing_fault = ((PendingFault *) l->data)->fault.target == LENS_FAKE_TARGET_LISTING;
      /* Parsed only when it matters. */
      listing = any_listing_fault && request_is_listing (msg);
    }

  for (GList *l = self->faults.head; l != NULL; l = l->next)
    {
      PendingFault *pending = l->data;
      LensFakeTarget target = pending->fault.target;

      if (media ? target != LENS_FAKE_TARGET_IMAGES
                : !(target == LENS_FAKE_TARGET_TASKS
                    || (target == LENS_FAKE_TARGET_LISTING && listing)))
        continue;

      copy = g_memdup2 (pending, sizeof *pending);
      copy->code = g_strdup (pending->code);
      copy->fault.code = copy->code;

      if (pending->remaining != G_MAXUINT && --pending->remaining == 0)
        {
          g_queue_delete_link (&self->faults, l);
          lens_fake_pending_fault_free (pending);
        }

      return copy;
    }

  return NULL;
}

/* Delayed and stolen answers */

typedef struct
{
  LensFakeApi       *self;            /* unowned: dispose drops all work first */
  SoupServerMessage *msg;             /* owned */
  GHashTable        *query;           /* owned, nullable */
  char              *path;            /* owned */
  LensFakeFaultKind  kind;
  GSource           *source;          /* owned */
  gulong             disconnected_id;
} LensFakeWork;

void
lens_fake_work_free (gpointer data)
{
  LensFakeWork *work = data;

  g_clear_signal_handler (&work->disconnected_id, work->msg);
  if (work->source != NULL)
    g_source_destroy (work->source);
  g_clear_pointer (&work->source, g_source_unref);
  g_clear_pointer (&work->query, g_hash_table_unref);
  g_clear_object (&work->msg);
  g_free (work->path);
  g_free (work);
}

static void
work_disconnected_cb (SoupServerMessage *msg,
                      LensFakeWork      *work)
{
  /* The client went away: there is nobody left to answer. */
  g_ptr_array_remove_fast (work->self->work, work);
}

static gboolean
work_run_cb (gpointer user_data)
{
  LensFakeWork *work = user_data;
  LensFakeApi *self = work->self;
  g_autoptr(LensFakeAnswer) answer = NULL;

  if (work->kind == LENS_FAKE_FAULT_TRICKLE)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (work->msg);

      /* Chunked, so that the answer never has to end; libsoup pauses the
       * message again once it has written what there is. */
      if (soup_server_message_get_status (work->msg) == 0)
        {
          soup_server_message_set_status (work->msg, SOUP_STATUS_OK, NULL);
          soup_message_headers_set_content_type (headers, path_is_media (work->path)
                                                 ? "image/png" : "application/json", NULL);
          soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
        }
      soup_message_body_append (soup_server_message_get_response_body (work->msg),
                                SOUP_MEMORY_STATIC, "\x89", 1);
      soup_server_message_unpause (work->msg);
      return G_SOURCE_CONTINUE;
    }

  g_clear_signal_handler (&work->disconnected_id, work->msg);

  if (work->kind == LENS_FAKE_FAULT_DELAY)
    {
      answer = lens_fake_api_route (self, work->msg, work->path, work->query);
      lens_fake_answer_apply (answer, work->msg);
      soup_server_message_unpause (work->msg);
    }
  else
    {
      g_autoptr(GIOStream) stream = NULL;

      if (work->kind == LENS_FAKE_FAULT_TRUNCATED_BODY)
        answer = lens_fake_api_route (self, work->msg, work->path, work->query);

      /* Stealing the connection is the only way to send a broken answer. */
      stream = soup_server_message_steal_connection (work->msg);
      if (stream != NULL)
        lens_fake_answer_write_broken (stream, answer, self->context);
    }

  g_ptr_array_remove_fast (self->work, work);
  return G_SOURCE_REMOVE;
}

static void
schedule_work (LensFakeApi       *self,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               LensFakeFaultKind  kind,
               guint              delay_ms)
{
  LensFakeWork *work = g_new0 (LensFakeWork, 1);

  work->self = self;
  work->msg = g_object_ref (msg);
  work->path = g_strdup (path);
  work->query = query != NULL ? g_hash_table_ref (query) : NULL;
  work->kind = kind;
  if (kind == LENS_FAKE_FAULT_DELAY || kind == LENS_FAKE_FAULT_TRICKLE)
    work->source = g_timeout_source_new (delay_ms);
  else
    work->source = g_idle_source_new ();
  g_source_set_callback (work->source, work_run_cb, work, NULL);
  g_source_set_static_name (work->source, "[tasklens] fake API fault");
  g_source_attach (work->source, self->context);
  work->disconnected_id = g_signal_connect (msg, "disconnected",
                                            G_CALLBACK (work_disconnected_cb), work);
  g_ptr_array_add (self->work, work);

  soup_server_message_pause (msg);
}

static void
apply_fault (LensFakeApi         *self,
             SoupServerMessage   *msg,
             const char          *path,
             GHashTable          *query,
             const LensFakeFault *fault)
{
  g_autoptr(LensFakeAnswer) answer = NULL;

  switch (fault->kind)
    {
    case LENS_FAKE_FAULT_DELAY:
    case LENS_FAKE_FAULT_TRICKLE:
      schedule_work (self, msg, path, query, fault->kind, fault->delay_ms);
      return;
    case LENS_FAKE_FAULT_TRUNCATED_BODY:
    case LENS_FAKE_FAULT_RESET:
      schedule_work (self, msg, path, query, fault->kind, 0);
      return;
    default:
      answer = lens_fake_answer_for_fault (fault);
      lens_fake_answer_apply (answer, msg);
      return;
    }
}

/**
 * lens_fake_api_apply_fault:
 *
 * Returns: %TRUE if a queued fault took this request over
 */
gboolean
lens_fake_api_apply_fault (LensFakeApi       *self,
                           SoupServerMessage *msg,
                           const char        *path,
                           GHashTable        *query)
{
  PendingFault *fault = take_fault (self, msg, path);

  if (fault == NULL)
    return FALSE;

  apply_fault (self, msg, path, query, &fault->fault);
  lens_fake_pending_fault_free (fault);
  return TRUE;
}

/**
 * lens_fake_api_push_fault:
 * @fault: the fault; copied
 * @times: how many requests to its target it applies to; %G_MAXUINT until cleared
 *
 * Queues @fault behind the other faults for its target. A listing (a
 * retrieve_batch without ids) takes the first fault queued for
 * %LENS_FAKE_TARGET_TASKS or %LENS_FAKE_TARGET_LISTING; other tasks requests
 * pass the %LENS_FAKE_TARGET_LISTING ones by, so that a test can refuse
 * listings while lookups by id still work. Note that libsoup
 * silently retries an idempotent request (GET) once when a connection it had
 * already used closes before any answer, so a %LENS_FAKE_FAULT_RESET of an
 * image download needs @times of 2 or more to reach a libsoup client.
 */
void
lens_fake_api_push_fault (LensFakeApi         *self,
                          const LensFakeFault *fault,
                          guint                times)
{
  PendingFault *pending;

  g_return_if_fail (LENS_IS_FAKE_API (self));
  g_return_if_fail (fault != NULL);

  if (times == 0)
    return;

  pending = g_new0 (PendingFault, 1);
  pending->fault = *fault;
  pending->code = g_strdup (fault->code);
  pending->fault.code = pending->code;
  pending->remaining = times;
  g_queue_push_tail (&self->faults, pending);
}

void
lens_fake_api_clear_faults (LensFakeApi *self)
{
  g_return_if_fail (LENS_IS_FAKE_API (self));

  g_queue_clear_full (&self->faults, lens_fake_pending_fault_free);
}
