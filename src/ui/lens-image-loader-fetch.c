/* lens-image-loader-fetch.c — one download and decode per image, shared
 * by every load that asks for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensImageLoader; see lens-image-loader-private.h. A fetch is one
 * GET (status, size cap, body read asynchronously), then one decode in a
 * worker thread (lens-image-decoder.c); every load waiting on it gets the
 * same texture or the same error. Fetches wait for one of MAX_FETCHES slots,
 * so that flinging through thousands of rows never opens hundreds of
 * connections. A waiter that cancels returns G_IO_ERROR_CANCELLED alone;
 * the fetch itself is cancelled only when nobody waits for it any more.
 * This bookkeeping of slots, waiters and cancellation is the intricate part
 * of the loader, and is kept here on its own.
 */

#define G_LOG_DOMAIN "lens-image-loader"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-image-decoder.h"
#include "lens-image-loader-private.h"

/* Browsers open about six connections per host; so do we. */
#define MAX_FETCHES           6
/* Far above any Midjourney image (a 4× upscale is a few tens of MB). */
#define MAX_BODY_SIZE         (64 * 1024 * 1024)
#define READ_CHUNK_SIZE       (64 * 1024)

/* One download and decode of (URL, pixel size), shared by every load that
 * asked for it while it ran. */
typedef struct
{
  LensImageLoader *self;         /* owned */
  char            *key;          /* owned */
  GUri            *uri;          /* owned */
  int              pixel_size;   /* the longest side wanted; 0 for the original size */
  gboolean         queued;       /* in self->queue, waiting for a slot */
  gboolean         holds_slot;
  gboolean         abandoned;    /* every waiter left; no longer in self->fetches */
  GPtrArray       *waiters;      /* owned: GTask, owned */
  GCancellable    *cancellable;  /* owned: the download and the decoding */
  SoupMessage     *message;      /* owned, nullable */
  GInputStream    *stream;       /* owned, nullable */
  GByteArray      *buffer;       /* owned, nullable: the body read so far */
} Fetch;

/* The task data of one load that waits for a fetch. */
typedef struct
{
  Fetch   *fetch;          /* unowned; NULL once the fetch let the load go */
  GSource *cancel_source;  /* owned, nullable */
} Waiter;

static void start_fetch (Fetch *fetch);

/* Errors and sources */

/* Takes @error. Cancellation passes through untouched. */
static GError *
network_error (GError *error)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  mapped = g_error_new (LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_NETWORK,
                        _("The image could not be downloaded (%s)"), error->message);
  g_error_free (error);
  return mapped;
}

static GError *
status_error (guint status)
{
  /* Expired Midjourney links answer 403 or 404. */
  if (status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
    return g_error_new_literal (LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_HTTP,
                                _("The image is no longer available"));

  return g_error_new (LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_HTTP,
                      _("The image server answered with an error (HTTP %u)"), status);
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Fetches and the loads waiting for them */

static void
waiter_free (gpointer data)
{
  Waiter *waiter = data;

  destroy_source (&waiter->cancel_source);
  g_free (waiter);
}

static Fetch *
fetch_new (LensImageLoader *self,
           const char      *key,
           GUri            *uri,
           int              pixel_size)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->self = g_object_ref (self);
  fetch->key = g_strdup (key);
  fetch->uri = g_uri_ref (uri);
  fetch->pixel_size = pixel_size;
  fetch->queued = TRUE;
  fetch->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  fetch->cancellable = g_cancellable_new ();

  return fetch;
}

static void
fetch_free (Fetch *fetch)
{
  g_assert (!fetch->holds_slot);
  g_assert (fetch->stream == NULL);

  g_clear_pointer (&fetch->waiters, g_ptr_array_unref);
  g_clear_pointer (&fetch->buffer, g_byte_array_unref);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->cancellable);
  g_clear_pointer (&fetch->uri, g_uri_unref);
  g_free (fetch->key);
  g_clear_object (&fetch->self);
  g_free (fetch);
}

static void
pump_queue (LensImageLoader *self)
{
  while (!self->disposed && self->n_running < MAX_FETCHES && !g_queue_is_empty (&self->queue))
    start_fetch (g_queue_pop_head (&self->queue));
}

static void
release_slot (Fetch *fetch)
{
  if (!fetch->holds_slot)
    return;

  fetch->holds_slot = FALSE;
  fetch->self->n_running--;
  pump_queue (fetch->self);
}

/* Nobody waits for @fetch any more: drop it from the queue, or stop it. */
static void
fetch_abandon (Fetch *fetch)
{
  LensImageLoader *self = fetch->self;

  fetch->abandoned = TRUE;
  if (g_hash_table_lookup (self->fetches, fetch->key) == fetch)
    g_hash_table_remove (self->fetches, fetch->key);

  if (fetch->queued)
    {
      g_queue_remove (&self->queue, fetch);
      fetch_free (fetch);
      return;
    }

  /* Its callback comes back with G_IO_ERROR_CANCELLED and frees it. */
  g_cancellable_cancel (fetch->cancellable);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  Fetch *fetch = waiter->fetch;
  /* The fetch's array owned the task; keep it until it has returned. */
  g_autoptr(GTask) owned = g_object_ref (task);

  g_assert (fetch != NULL);
  waiter->fetch = NULL;
  destroy_source (&waiter->cancel_source);
  g_ptr_array_remove (fetch->waiters, task);

  /* Before returning: a callback that loads the same image again must
   * start a new fetch, not join this one. */
  if (fetch->waiters->len == 0)
    fetch_abandon (fetch);

  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static void
waiter_attach (Fetch *fetch,
               GTask *task)
{
  Waiter *waiter = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  waiter->fetch = fetch;
  g_ptr_array_add (fetch->waiters, g_object_ref (task));

  if (cancellable == NULL)
    return;

  /* A source rather than a signal handler: cancellation may come from any
   * thread, and the fetch is only ever touched in the main context. */
  waiter->cancel_source = g_cancellable_source_new (cancellable);
  g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb), task, NULL);
  g_source_set_static_name (waiter->cancel_source, "[tasklens] image load cancelled");
  g_source_attach (waiter->cancel_source, g_task_get_context (task));
}

/* Ends @fetch with a texture or an error, for every load that waits for it. */
static void
fetch_complete (Fetch        *fetch,
                GdkTexture   *texture,
                const GError *error)
{
  g_autoptr(LensImageLoader) self = g_object_ref (fetch->self);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&fetch->waiters);

  g_assert (texture != NULL || error != NULL);

  if (fetch->stream != NULL)
    {
      /* Told first, libsoup drops the connection instead of reading the rest
       * of the answer when the stream goes. */
      g_cancellable_cancel (fetch->cancellable);
      g_clear_object (&fetch->stream);
    }

  if (!fetch->abandoned && g_hash_table_lookup (self->fetches, fetch->key) == fetch)
    g_hash_table_remove (self->fetches, fetch->key);
  if (texture != NULL && !self->disposed)
    lens_texture_cache_insert (self->textures, fetch->key, texture);

  release_slot (fetch);
  fetch_free (fetch);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      Waiter *waiter = g_task_get_task_data (task);

      waiter->fetch = NULL;
      destroy_source (&waiter->cancel_source);
      if (texture != NULL)
        g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

/* Takes @error. */
static void
fetch_fail (Fetch  *fetch,
            GError *error)
{
  fetch_complete (fetch, NULL, error);
  g_error_free (error);
}

static void
decode_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = lens_image_decoder_decode_finish (result, &error);

  fetch_complete (fetch, texture, error);
}

/* The download */

static void
start_decode (Fetch *fetch)
{
  g_autoptr(GBytes) data = NULL;

  /* At the end of the body there is nothing left for closing to read. */
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->message);
  release_slot (fetch);

  data = g_byte_array_free_to_bytes (g_steal_pointer (&fetch->buffer));
  lens_image_decoder_decode_async (data, fetch->pixel_size, fetch->cancellable, decode_cb, fetch);
}

static void
read_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object),
                                                              result, &error);
  gsize size;

  if (chunk == NULL)
    {
      fetch_fail (fetch, network_error (g_steal_pointer (&error)));
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      start_decode (fetch);
      return;
    }

  if (fetch->buffer->len + size > MAX_BODY_SIZE)
    {
      fetch_fail (fetch, lens_image_decoder_too_large_error ());
      return;
    }

  g_byte_array_append (fetch->buffer, g_bytes_get_data (chunk, NULL), size);
  g_input_stream_read_bytes_async (fetch->stream, READ_CHUNK_SIZE, G_PRIORITY_LOW,
                                   fetch->cancellable, read_cb, fetch);
}

static void
send_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (source_object), result, &error);
  if (fetch->stream == NULL)
    {
      fetch_fail (fetch, network_error (g_steal_pointer (&error)));
      return;
    }

  status = soup_message_get_status (fetch->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fetch_fail (fetch, status_error (status));
      return;
    }

  headers = soup_message_get_response_headers (fetch->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > MAX_BODY_SIZE)
    {
      fetch_fail (fetch, lens_image_decoder_too_large_error ());
      return;
    }

  fetch->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (fetch->stream, READ_CHUNK_SIZE, G_PRIORITY_LOW,
                                   fetch->cancellable, read_cb, fetch);
}

static void
start_fetch (Fetch *fetch)
{
  LensImageLoader *self = fetch->self;
  SoupMessageHeaders *headers;

  fetch->queued = FALSE;
  fetch->holds_slot = TRUE;
  self->n_running++;

  fetch->message = soup_message_new_from_uri (SOUP_METHOD_GET, fetch->uri);
  headers = soup_message_get_request_headers (fetch->message);
  soup_message_headers_replace (headers, "Accept",
                                "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1");

  /* Through the session, so that its SoupCache answers when it can. */
  soup_session_send_async (self->session, fetch->message, G_PRIORITY_LOW, fetch->cancellable,
                           send_cb, fetch);
}

/* For the loader */

/* Makes @task (a load that missed the memory cache) wait for the fetch of
 * @key, starting one if none is under way. */
void
lens_image_loader_fetch_join (LensImageLoader *self,
                              GTask           *task,
                              const char      *key,
                              GUri            *uri,
                              int              pixel_size)
{
  Fetch *fetch;

  g_task_set_task_data (task, g_new0 (Waiter, 1), waiter_free);

  fetch = g_hash_table_lookup (self->fetches, key);
  if (fetch == NULL)
    {
      fetch = fetch_new (self, key, uri, pixel_size);
      g_hash_table_insert (self->fetches, fetch->key, fetch);
      g_queue_push_tail (&self->queue, fetch);
    }

  waiter_attach (fetch, task);
  pump_queue (self);
}

/* For dispose: ends every fetch, with @error for those still queued. */
void
lens_image_loader_fetch_end_all (LensImageLoader *self,
                                 const GError    *error)
{
  g_autoptr(GList) running = NULL;
  Fetch *fetch;

  /* Queued fetches never reached libsoup: end them here. Running ones
   * end in their callbacks, with G_IO_ERROR_CANCELLED. */
  while ((fetch = g_queue_pop_head (&self->queue)) != NULL)
    {
      fetch->queued = FALSE;
      fetch_complete (fetch, NULL, error);
    }

  running = g_hash_table_get_values (self->fetches);
  for (GList *l = running; l != NULL; l = l->next)
    g_cancellable_cancel (((Fetch *) l->data)->cancellable);
}
