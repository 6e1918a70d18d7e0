/* lens-image-loader.c — thumbnails and previews, fetched, cached, decoded off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A load goes through three caches before it reaches the network:
 *
 *   1. textures already decoded at that size, kept in memory (an LRU bounded
 *      by pixels), so that a row scrolled back into view shows its image at
 *      once through lens_image_loader_lookup();
 *   2. a fetch of the same URL and size already under way, which the load
 *      joins instead of opening another connection;
 *   3. libsoup's SoupCache on disk, added to the app's one session, which
 *      answers for images seen before — also offline.
 *
 * Whatever is left waits for one of MAX_FETCHES slots, so that flinging
 * through thousands of rows never opens hundreds of connections: rows that
 * scroll away cancel their loads, and a cancelled load leaves the queue at
 * once. A fetch is one GET (status, size cap, body read asynchronously),
 * then one decode in a worker thread that scales the picture while loading
 * it; every load waiting on it gets the same texture or the same error. A
 * waiter that cancels returns G_IO_ERROR_CANCELLED alone; the fetch itself
 * is cancelled only when nobody waits for it any more.
 */

#define G_LOG_DOMAIN "lens-image-loader"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-client.h"
#include "lens-image-loader.h"
#include "lens-json.h"

/* Browsers open about six connections per host; so do we. */
#define MAX_FETCHES           6
/* Far above any Midjourney image (a 4× upscale is a few tens of MB). */
#define MAX_BODY_SIZE         (64 * 1024 * 1024)
/* Decoding a bigger picture could take gigabytes, even to scale it down. */
#define MAX_SOURCE_PIXELS     ((gint64) 8192 * 8192)
/* Anything larger than this is "no scaling" for any real image. */
#define MAX_PIXEL_SIZE        65536
#define READ_CHUNK_SIZE       (64 * 1024)
#define DECODE_CHUNK_SIZE     (64 * 1024)
#define DISK_CACHE_SIZE       (256 * 1024 * 1024)
#define DEFAULT_MEMORY_BUDGET (64 * 1024 * 1024)

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

/* A decoded texture in the memory cache. */
typedef struct
{
  char       *key;      /* owned; also the key in self->textures */
  GdkTexture *texture;  /* owned */
  gsize       cost;     /* bytes of pixels */
  GList       link;     /* in self->lru; data is this entry */
} CacheEntry;

typedef struct
{
  GBytes   *data;        /* owned: the encoded picture */
  int       pixel_size;
  gboolean  too_large;   /* set by size_prepared_cb, in the worker */
} DecodeJob;

struct _LensImageLoader
{
  GObject      parent_instance;

  SoupSession *session;        /* owned */
  char        *cache_dir;      /* owned, nullable */
  SoupCache   *cache;          /* owned, nullable: the session's disk cache */
  gboolean     disposed;

  GHashTable  *fetches;        /* key → Fetch, queued or running (unowned) */
  GQueue       queue;          /* Fetch waiting for a slot, oldest first */
  guint        n_running;

  GHashTable  *textures;       /* key → CacheEntry, owned */
  GQueue       lru;            /* CacheEntry links, most recently used first */
  gsize        memory_used;
  gsize        memory_budget;
};

G_DEFINE_FINAL_TYPE (LensImageLoader, lens_image_loader, G_TYPE_OBJECT)

G_DEFINE_QUARK (lens-image-loader-error-quark, lens_image_loader_error)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_CACHE_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_fetch (Fetch *fetch);

/* Keys and errors */

static int
pixel_size_for (int max_size,
                int scale_factor)
{
  return (int) MIN ((gint64) max_size * scale_factor, MAX_PIXEL_SIZE);
}

static char *
make_key (const char *url,
          int         pixel_size)
{
  return g_strdup_printf ("%d %s", pixel_size, url);
}

/* Returns (nullable): @url parsed the way libsoup parses it, if it is a web
 * address; a server could send file:// or any other scheme. */
static GUri *
parse_web_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (!lens_json_is_web_url (url))
    return NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  return g_steal_pointer (&uri);
}

static GError *
too_large_error (void)
{
  return g_error_new_literal (LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_TOO_LARGE,
                              _("The image is too large to show"));
}

static GError *
decode_error (void)
{
  return g_error_new_literal (LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_DECODE,
                              _("The image could not be read"));
}

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

/* The memory cache */

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_free (entry->key);
  g_object_unref (entry->texture);
  g_free (entry);
}

static void
cache_remove (LensImageLoader *self,
              CacheEntry      *entry)
{
  g_queue_unlink (&self->lru, &entry->link);
  self->memory_used -= entry->cost;
  g_hash_table_remove (self->textures, entry->key);
}

static void
cache_trim (LensImageLoader *self)
{
  while (self->memory_used > self->memory_budget && self->lru.tail != NULL)
    cache_remove (self, self->lru.tail->data);
}

static void
cache_clear (LensImageLoader *self)
{
  while (self->lru.head != NULL)
    cache_remove (self, self->lru.head->data);
}

/* Returns (transfer none) (nullable): the texture, now the most recently used. */
static GdkTexture *
cache_lookup (LensImageLoader *self,
              const char      *key)
{
  CacheEntry *entry = g_hash_table_lookup (self->textures, key);

  if (entry == NULL)
    return NULL;

  g_queue_unlink (&self->lru, &entry->link);
  g_queue_push_head_link (&self->lru, &entry->link);
  return entry->texture;
}

static void
cache_insert (LensImageLoader *self,
              const char      *key,
              GdkTexture      *texture)
{
  gsize cost = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  CacheEntry *entry = g_hash_table_lookup (self->textures, key);

  if (entry != NULL)
    cache_remove (self, entry);

  /* One picture bigger than the whole budget would only empty the cache. */
  if (cost > self->memory_budget)
    return;

  entry = g_new0 (CacheEntry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  entry->cost = cost;
  entry->link.data = entry;
  g_hash_table_insert (self->textures, entry->key, entry);
  g_queue_push_head_link (&self->lru, &entry->link);
  self->memory_used += cost;

  cache_trim (self);
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
    cache_insert (self, fetch->key, texture);

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

/* Decoding, in a worker thread */

static void
decode_job_free (gpointer data)
{
  DecodeJob *job = data;

  g_bytes_unref (job->data);
  g_free (job);
}

/* Only the formats image hosts serve are decoded: every other loader
 * gdk-pixbuf has would be attack surface for nothing. */
static const char *
sniff_format (const guint8 *data,
              gsize         size)
{
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "jpeg";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "webp";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";

  return NULL;
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  DecodeJob *job = user_data;
  int longest = MAX (width, height);
  int size = job->pixel_size;

  if (width <= 0 || height <= 0)
    return;

  if ((gint64) width * height > MAX_SOURCE_PIXELS)
    {
      /* A size of 0 × 0 makes the loader stop before it allocates. */
      job->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  /* Never upscale: a small picture stays small and sharp. */
  if (size == 0 || longest <= size)
    return;

  if (width >= height)
    gdk_pixbuf_loader_set_size (loader, size,
                                (int) MAX (((gint64) height * size + width / 2) / width, 1));
  else
    gdk_pixbuf_loader_set_size (loader,
                                (int) MAX (((gint64) width * size + height / 2) / height, 1), size);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeJob *job = task_data;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (job->data, &size);
  const char *format = sniff_format (data, size);
  gboolean ok = TRUE;
  GdkPixbuf *pixbuf;

  if (format != NULL)
    loader = gdk_pixbuf_loader_new_with_type (format, &error);
  if (loader == NULL)
    {
      if (error != NULL)
        g_debug ("No %s loader: %s", format, error->message);
      g_task_return_error (task, decode_error ());
      return;
    }

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), job);

  /* In pieces, so that a cancelled load stops early. */
  for (gsize offset = 0; ok && offset < size; offset += DECODE_CHUNK_SIZE)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      ok = gdk_pixbuf_loader_write (loader, data + offset, MIN (DECODE_CHUNK_SIZE, size - offset),
                                    &error) && !job->too_large;
    }

  /* A loader must be closed, even after a failure. */
  if (!gdk_pixbuf_loader_close (loader, ok ? &error : NULL))
    ok = FALSE;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (job->too_large)
    {
      g_task_return_error (task, too_large_error ());
      return;
    }

  pixbuf = ok ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (pixbuf == NULL)
    {
      if (error != NULL)
        g_debug ("Undecodable %s image: %s", format, error->message);
      g_task_return_error (task, decode_error ());
      return;
    }

  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

static void
decode_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  fetch_complete (fetch, texture, error);
}

/* The download */

static void
start_decode (Fetch *fetch)
{
  g_autoptr(GTask) task = g_task_new (NULL, fetch->cancellable, decode_cb, fetch);
  DecodeJob *job = g_new0 (DecodeJob, 1);

  /* At the end of the body there is nothing left for closing to read. */
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->message);
  release_slot (fetch);

  job->data = g_byte_array_free_to_bytes (g_steal_pointer (&fetch->buffer));
  job->pixel_size = fetch->pixel_size;

  g_task_set_source_tag (task, start_decode);
  g_task_set_static_name (task, "[tasklens] decode image");
  g_task_set_task_data (task, job, decode_job_free);
  /* A cancelled decode returns at once; the worker stops at its next chunk,
   * on data the task keeps alive. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, decode_thread);
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
      fetch_fail (fetch, too_large_error ());
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
      fetch_fail (fetch, too_large_error ());
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

/* The disk cache */

static void
setup_disk_cache (LensImageLoader *self)
{
  SoupSessionFeature *existing = soup_session_get_feature (self->session, SOUP_TYPE_CACHE);

  /* A session holds one cache: a second loader on it shares the first's. */
  if (existing != NULL)
    {
      self->cache = g_object_ref (SOUP_CACHE (existing));
      return;
    }

  self->cache = soup_cache_new (self->cache_dir, SOUP_CACHE_SINGLE_USER);
  soup_cache_set_max_size (self->cache, DISK_CACHE_SIZE);
  /* Synchronous, but short: soup_cache_load() reads one small index file
   * and lists the cache directory; no image is read until it is asked for.
   * It runs once, at startup, before any image is loaded. */
  soup_cache_load (self->cache);
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (self->cache));
}

/* GObject */

static void
lens_image_loader_constructed (GObject *object)
{
  LensImageLoader *self = LENS_IMAGE_LOADER (object);

  G_OBJECT_CLASS (lens_image_loader_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = lens_client_create_session ();
  if (self->cache_dir != NULL)
    setup_disk_cache (self);
}

static void
lens_image_loader_dispose (GObject *object)
{
  LensImageLoader *self = LENS_IMAGE_LOADER (object);

  if (!self->disposed)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("The image loader was closed"));
      g_autoptr(GList) running = NULL;
      Fetch *fetch;

      self->disposed = TRUE;

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

      lens_image_loader_flush (self);
      cache_clear (self);
    }

  g_clear_object (&self->cache);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lens_image_loader_parent_class)->dispose (object);
}

static void
lens_image_loader_finalize (GObject *object)
{
  LensImageLoader *self = LENS_IMAGE_LOADER (object);

  /* Every fetch holds a reference: none can be left. */
  g_assert (g_hash_table_size (self->fetches) == 0);
  g_assert (g_queue_is_empty (&self->queue));

  g_hash_table_unref (self->fetches);
  g_hash_table_unref (self->textures);
  g_free (self->cache_dir);

  G_OBJECT_CLASS (lens_image_loader_parent_class)->finalize (object);
}

static void
lens_image_loader_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LensImageLoader *self = LENS_IMAGE_LOADER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    case PROP_CACHE_DIR:
      g_set_str (&self->cache_dir, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_image_loader_class_init (LensImageLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lens_image_loader_constructed;
  object_class->dispose = lens_image_loader_dispose;
  object_class->finalize = lens_image_loader_finalize;
  object_class->set_property = lens_image_loader_set_property;

  /**
   * LensImageLoader:session:
   *
   * The app's one session; %NULL makes a session of its own.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * LensImageLoader:cache-dir:
   *
   * Where downloaded images are kept on disk, or %NULL for no disk cache.
   */
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL,
                         NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_image_loader_init (LensImageLoader *self)
{
  self->fetches = g_hash_table_new (g_str_hash, g_str_equal);
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, cache_entry_free);
  g_queue_init (&self->queue);
  g_queue_init (&self->lru);
  self->memory_budget = DEFAULT_MEMORY_BUDGET;
}

/* Public API */

/**
 * lens_image_loader_new:
 * @session: the app's session (see lens_client_create_session())
 * @cache_dir: (nullable): a directory for the disk cache, or %NULL for none
 *
 * With @cache_dir, adds a SoupCache to @session (unless it has one already),
 * so that images seen once show offline and are not downloaded again.
 *
 * Returns: (transfer full): a new image loader
 */
LensImageLoader *
lens_image_loader_new (SoupSession *session,
                       const char  *cache_dir)
{
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  return g_object_new (LENS_TYPE_IMAGE_LOADER,
                       "session", session,
                       "cache-dir", cache_dir,
                       NULL);
}

/**
 * lens_image_loader_load_async:
 * @url: an http or https URL
 * @max_size: the longest side wanted, in application pixels; 0 for the
 *   original size
 * @scale_factor: the widget's scale factor
 *
 * Loads an image scaled down, keeping its aspect ratio, so that its longest
 * side is at most @max_size × @scale_factor device pixels. Smaller images
 * are never scaled up.
 */
void
lens_image_loader_load_async (LensImageLoader     *self,
                              const char          *url,
                              int                  max_size,
                              int                  scale_factor,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *key = NULL;
  GdkTexture *texture;
  Fetch *fetch;
  int pixel_size;

  g_return_if_fail (LENS_IS_IMAGE_LOADER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (max_size >= 0);
  g_return_if_fail (scale_factor >= 1);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_image_loader_load_async);
  g_task_set_static_name (task, "[tasklens] load image");
  g_task_set_task_data (task, g_new0 (Waiter, 1), waiter_free);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->disposed)
    {
      g_task_return_new_error_literal (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       _("The image loader was closed"));
      return;
    }

  uri = parse_web_url (url);
  if (uri == NULL)
    {
      g_task_return_new_error_literal (task, LENS_IMAGE_LOADER_ERROR,
                                       LENS_IMAGE_LOADER_ERROR_INVALID_URL,
                                       _("Only images on the web (http or https) can be shown"));
      return;
    }

  pixel_size = pixel_size_for (max_size, scale_factor);
  key = make_key (url, pixel_size);

  texture = cache_lookup (self, key);
  if (texture != NULL)
    {
      g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      return;
    }

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

/**
 * lens_image_loader_load_finish:
 *
 * Returns: (transfer full): the texture, or %NULL with @error set (a
 *   #LensImageLoaderError, or %G_IO_ERROR_CANCELLED)
 */
GdkTexture *
lens_image_loader_load_finish (LensImageLoader  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (LENS_IS_IMAGE_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_image_loader_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lens_image_loader_lookup:
 *
 * What lens_image_loader_load_async() with the same arguments would give
 * at once, from memory, so that a row or view can show it without a flash.
 *
 * Returns: (transfer full) (nullable): the texture, or %NULL if it is not
 *   in memory
 */
GdkTexture *
lens_image_loader_lookup (LensImageLoader *self,
                          const char      *url,
                          int              max_size,
                          int              scale_factor)
{
  g_autofree char *key = NULL;
  GdkTexture *texture;

  g_return_val_if_fail (LENS_IS_IMAGE_LOADER (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (max_size >= 0, NULL);
  g_return_val_if_fail (scale_factor >= 1, NULL);

  key = make_key (url, pixel_size_for (max_size, scale_factor));
  texture = cache_lookup (self, key);

  return texture != NULL ? g_object_ref (texture) : NULL;
}

/**
 * lens_image_loader_flush:
 *
 * Writes the disk cache's index, so that the images it holds are found
 * again next time. The app calls this on shutdown; dispose does too.
 * Entries whose files are still being written are left out.
 */
void
lens_image_loader_flush (LensImageLoader *self)
{
  g_return_if_fail (LENS_IS_IMAGE_LOADER (self));

  /* Synchronous, but short: one small index file, written at shutdown. */
  if (self->cache != NULL)
    soup_cache_dump (self->cache);
}

/**
 * lens_image_loader_set_memory_budget:
 * @bytes: how many bytes of decoded pixels to keep in memory
 *
 * Sets the size of the memory cache (64 MiB by default), evicting the least
 * recently used textures beyond it.
 */
void
lens_image_loader_set_memory_budget (LensImageLoader *self,
                                     gsize            bytes)
{
  g_return_if_fail (LENS_IS_IMAGE_LOADER (self));

  self->memory_budget = bytes;
  cache_trim (self);
}
