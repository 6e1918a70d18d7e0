/* lens-image-fetcher.c — images as bytes, a few at a time, through the disk cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thumbnails and originals to show come from here as bytes; decoding them
 * is the UI's. A fetch goes through two shortcuts before it reaches the
 * network:
 *
 *   1. a fetch of the same URL already under way, which the caller joins
 *      instead of opening another connection;
 *   2. libsoup's SoupCache on disk, in the fetcher's own session, which
 *      answers for images seen before — also offline.
 *
 * The disk cache's index is read in a worker thread, so that startup does
 * not wait for the disk. Until it is read and the cache is in the session,
 * the fetcher holds every slot itself: fetches wait in the queue (and leave
 * it when cancelled), then find what the cache knows. SoupCache is safe to
 * load in a thread while no request uses it, and it is loaded before it
 * joins the session. Its index is written by lens_image_fetcher_flush() at
 * shutdown, on the main thread, once every fetch is over: a cancelled fetch
 * still unwinds in the main loop after the cancellation, and the cache
 * frees its entry meanwhile, which a dump in a worker read after it was
 * freed (the sanitizer caught it). The window is gone by then; the dump
 * writes one index file.
 *
 * The session is the fetcher's alone, and the cache joins it before its
 * first request: libsoup before 3.7.1 takes a reference to every feature of
 * the session when a request is queued, and drops one from every feature
 * the session has when it ends, so a cache that joins a session with a
 * request under way loses a reference it was never given, and is freed
 * while the session still uses it. The fetcher once shared the API's
 * session, counted the requests under way on it (from its signals) and
 * let the cache join when none was, or fetched without it after a few
 * seconds of a busy session; a session of its own has no request the
 * fetcher does not start, and it starts none before the cache is in.
 *
 * Whatever is left waits for one of LENS_IMAGE_FETCHER_MAX_FETCHES slots in
 * a LensRequestQueue, so that flinging through thousands of rows never opens
 * hundreds of connections: rows that scroll away cancel their fetches, and a
 * cancelled fetch leaves the queue at once. A fetch is one GET (status, size
 * cap, body read asynchronously); every caller waiting on it gets the same
 * bytes or the same error. A caller that cancels returns
 * G_IO_ERROR_CANCELLED alone; the fetch itself is cancelled only when nobody
 * waits for it any more.
 */

#define G_LOG_DOMAIN "lens-image-fetcher"

#include "config.h"

#include <glib/gstdio.h>

#include <glib/gi18n.h>

#include "lens-http.h"
#include "lens-http-send.h"
#include "lens-image-fetcher.h"
#include "lens-image-url.h"
#include "lens-json.h"
#include "lens-request-queue.h"

/* Far above any Midjourney image (a 4× upscale is a few tens of MB). */
#define MAX_BODY_SIZE    (64 * 1024 * 1024)
#define DISK_CACHE_SIZE  (256 * 1024 * 1024)

static const char * const default_resizing_hosts[] = { LENS_IMAGE_URL_ACEDATA_CDN, NULL };

struct _LensImageFetcher
{
  GObject           parent_instance;

  SoupSession      *session;   /* owned: the fetcher's alone */
  char             *cache_dir; /* owned, nullable */
  SoupCache        *cache;     /* owned, nullable: the session's disk cache */
  LensRequestQueue *queue;     /* owned */
  GHashTable       *fetches;   /* URL → Fetch, waiting or running (unowned) */
  guint             deadline_ms;
  GStrv             resizing_hosts; /* owned: the hosts that resize on request */
  guint             gate_held;  /* slots held until the gate opens */
  gboolean          gate_open;  /* fetches go: the cache, if any, is in the session */
  guint             n_flushing; /* index dumps asked for and not yet done */
  guint             n_live_fetches; /* Fetch structs not yet freed, abandoned ones too */
  gboolean          dump_pending; /* a flush waits for them to end */
  gboolean          ready;      /* the cache, if any, is loaded and in the session */
  gboolean          dirty;      /* fetched since the last dump */
  gboolean          disposed;
};

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_CACHE_DIR,
  PROP_READY,
  PROP_FLUSHING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_dump (LensImageFetcher *self);

G_DEFINE_FINAL_TYPE (LensImageFetcher, lens_image_fetcher, G_TYPE_OBJECT)

/* An error status carries its number along (lens_image_fetcher_error_get_status()),
 * so that the page can tell an expired link from a server's hiccup without
 * reading the message. */
typedef struct
{
  guint status;
} LensImageFetcherErrorPrivate;

static void
lens_image_fetcher_error_private_init (LensImageFetcherErrorPrivate *priv)
{
  priv->status = 0;
}

static void
lens_image_fetcher_error_private_copy (const LensImageFetcherErrorPrivate *src,
                                       LensImageFetcherErrorPrivate       *dest)
{
  dest->status = src->status;
}

static void
lens_image_fetcher_error_private_clear (LensImageFetcherErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (LensImageFetcherError, lens_image_fetcher_error)

/* One GET of a URL, shared by every caller that asked for it while it ran. */
typedef struct
{
  LensImageFetcher *self;         /* owned */
  char             *url;          /* owned: the key in self->fetches */
  GUri             *uri;          /* owned */
  gboolean          holds_slot;
  gboolean          abandoned;    /* every waiter left; no longer in self->fetches */
  GPtrArray        *waiters;      /* owned: GTask, owned */
  GCancellable     *cancellable;  /* owned: the wait for a slot and the download */
  SoupMessage      *message;      /* owned, nullable */
  GInputStream     *stream;       /* owned, nullable */
  LensHttpDeadline *deadline;     /* owned, nullable: from the slot to the last byte */
} Fetch;

/* The task data of one caller that waits for a fetch. */
typedef struct
{
  Fetch   *fetch;          /* unowned; NULL once the fetch let the caller go */
  GSource *cancel_source;  /* owned, nullable */
} Waiter;

/* ─── errors ───────────────────────────────────────────────────────────── */

/* Takes @error. Cancellation passes through untouched. */
static GError *
network_error (GError *error)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  mapped = g_error_new (LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_NETWORK,
                        _("The image could not be downloaded (%s)"), error->message);
  g_error_free (error);
  return mapped;
}

static GError *
status_error (guint status)
{
  GError *error;

  if (lens_http_status_is_expired (status))
    error = g_error_new_literal (LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_HTTP,
                                 _("The image is no longer available"));
  else
    error = g_error_new (LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_HTTP,
                         _("The image server answered with an error (HTTP %u)"), status);
  lens_image_fetcher_error_get_private (error)->status = status;
  return error;
}

static GError *
too_large_error (void)
{
  return g_error_new_literal (LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_TOO_LARGE,
                              _("The image is too large to show"));
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

/* ─── fetches and the callers waiting for them ─────────────────────────── */

static void
waiter_free (gpointer data)
{
  Waiter *waiter = data;

  lens_http_clear_source (&waiter->cancel_source);
  g_free (waiter);
}

static Fetch *
fetch_new (LensImageFetcher *self,
           const char       *url,
           GUri             *uri)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  self->n_live_fetches++;
  fetch->self = g_object_ref (self);
  fetch->url = g_strdup (url);
  fetch->uri = g_uri_ref (uri);
  fetch->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  fetch->cancellable = g_cancellable_new ();

  return fetch;
}

static void
fetch_free (Fetch *fetch)
{
  g_assert (!fetch->holds_slot);
  g_assert (fetch->stream == NULL);

  g_clear_pointer (&fetch->deadline, lens_http_deadline_free);
  g_clear_pointer (&fetch->waiters, g_ptr_array_unref);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->cancellable);
  g_clear_pointer (&fetch->uri, g_uri_unref);
  g_free (fetch->url);
  g_assert (fetch->self->n_live_fetches > 0);
  if (--fetch->self->n_live_fetches == 0 && fetch->self->dump_pending)
    {
      fetch->self->dump_pending = FALSE;
      schedule_dump (fetch->self);
    }
  g_clear_object (&fetch->self);
  g_free (fetch);
}

/* Nobody waits for @fetch any more: stop it, wherever it is. Its callback
 * comes back with G_IO_ERROR_CANCELLED and frees it. */
static void
fetch_abandon (Fetch *fetch)
{
  LensImageFetcher *self = fetch->self;

  fetch->abandoned = TRUE;
  if (g_hash_table_lookup (self->fetches, fetch->url) == fetch)
    g_hash_table_remove (self->fetches, fetch->url);

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
  lens_http_clear_source (&waiter->cancel_source);
  g_ptr_array_remove (fetch->waiters, task);

  /* Before returning: a callback that fetches the same image again must
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
  Waiter *waiter = g_new0 (Waiter, 1);

  g_task_set_task_data (task, waiter, waiter_free);
  waiter->fetch = fetch;
  g_ptr_array_add (fetch->waiters, g_object_ref (task));
  waiter->cancel_source = lens_http_watch_cancel (task, waiter_cancelled_cb, task, NULL,
                                                  "[tasklens] image fetch cancelled");
}

/* Ends @fetch with bytes or an error, for every caller that waits for it. */
static void
fetch_complete (Fetch        *fetch,
                GBytes       *bytes,
                const GError *error)
{
  g_autoptr(LensImageFetcher) self = g_object_ref (fetch->self);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&fetch->waiters);
  gboolean holds_slot = fetch->holds_slot;

  g_assert (bytes != NULL || error != NULL);

  if (fetch->stream != NULL)
    {
      /* Told first, libsoup drops the connection instead of reading the rest
       * of the answer when the stream goes. At the end of a whole body there
       * is nothing left to read. */
      if (bytes == NULL)
        g_cancellable_cancel (fetch->cancellable);
      g_clear_object (&fetch->stream);
    }

  if (!fetch->abandoned && g_hash_table_lookup (self->fetches, fetch->url) == fetch)
    g_hash_table_remove (self->fetches, fetch->url);

  fetch->holds_slot = FALSE;
  fetch_free (fetch);
  /* Once the fetch is gone: releasing may start the next one at once. */
  if (holds_slot)
    lens_request_queue_release (self->queue);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      Waiter *waiter = g_task_get_task_data (task);

      waiter->fetch = NULL;
      lens_http_clear_source (&waiter->cancel_source);
      if (bytes != NULL)
        g_task_return_pointer (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
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

/* ─── the download ─────────────────────────────────────────────────────── */

static void
body_read_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fetch *fetch = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = lens_http_read_bytes_finish (result, &error);

  if (g_error_matches (error, LENS_HTTP_ERROR, LENS_HTTP_ERROR_TOO_LARGE))
    {
      g_clear_error (&error);
      fetch_fail (fetch, too_large_error ());
    }
  else if (bytes == NULL)
    fetch_fail (fetch, network_error (lens_http_deadline_check (fetch->deadline, error)));
  else
    fetch_complete (fetch, bytes, NULL);
}

static void
send_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;
  GError *error = NULL;
  guint status;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (source_object), result, &error);
  if (fetch->stream == NULL)
    {
      fetch_fail (fetch, network_error (lens_http_deadline_check (fetch->deadline, error)));
      return;
    }

  status = soup_message_get_status (fetch->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fetch_fail (fetch, status_error (status));
      return;
    }

  if (lens_http_announces_more_than (fetch->message, MAX_BODY_SIZE))
    {
      fetch_fail (fetch, too_large_error ());
      return;
    }

  lens_http_read_bytes_async (fetch->stream, MAX_BODY_SIZE, LENS_HTTP_READ_NONE, G_PRIORITY_LOW,
                              NULL, NULL, fetch->cancellable, body_read_cb, fetch);
}

static void
slot_acquired_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fetch *fetch = user_data;
  LensImageFetcher *self = fetch->self;
  SoupMessageHeaders *headers;
  GError *error = NULL;

  if (!lens_request_queue_acquire_finish (LENS_REQUEST_QUEUE (source_object), result, &error))
    {
      fetch_fail (fetch, error);
      return;
    }

  fetch->holds_slot = TRUE;
  self->dirty = TRUE;
  /* Abandoned, or the fetcher closed, while the slot was on its way. */
  if (g_cancellable_set_error_if_cancelled (fetch->cancellable, &error))
    {
      fetch_fail (fetch, error);
      return;
    }

  /* The session's timeout bounds each read; this bounds the whole fetch, so
   * that a server sending a byte now and then cannot keep the slot. */
  fetch->deadline = lens_http_deadline_new (fetch->cancellable, self->deadline_ms);
  fetch->message = soup_message_new_from_uri (SOUP_METHOD_GET, fetch->uri);
  headers = soup_message_get_request_headers (fetch->message);
  soup_message_headers_replace (headers, "Accept",
                                "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1");

  /* Through the session, so that its SoupCache answers when it can. */
  lens_http_send_async (self->session, fetch->message, G_PRIORITY_LOW, fetch->cancellable,
                           send_cb, fetch);
}

/* ─── the disk cache ───────────────────────────────────────────────────── */

static void
gate_acquired_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LensImageFetcher) self = user_data;

  /* Not cancellable: it cannot fail. */
  if (!lens_request_queue_acquire_finish (self->queue, result, NULL))
    g_assert_not_reached ();

  if (self->gate_open)
    lens_request_queue_release (self->queue);
  else
    self->gate_held++;
}

/* The fetches waiting meanwhile go now, through the cache. */
static void
open_gate (LensImageFetcher *self)
{
  if (self->gate_open)
    return;
  self->gate_open = TRUE;
  for (; self->gate_held > 0; self->gate_held--)
    lens_request_queue_release (self->queue);
}

/* Loaded: the cache joins the session, which has sent nothing yet (see the
 * top of the file), and the fetches waiting for it go. */
static void
cache_loaded_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LensImageFetcher *self = LENS_IMAGE_FETCHER (source_object);

  if (self->disposed)
    return;
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (self->cache));
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  open_gate (self);
}

static void
cache_load_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LensImageFetcher *self = source_object;

  /* libsoup lists the cache directory without checking it could open it
   * (a critical when it is missing, say a cleaned ~/.cache): make sure it
   * is there. The directory is set at construction and never changes. */
  g_mkdir_with_parents (self->cache_dir, 0700);

  /* Reads the index and lists the cache directory; nothing else uses the
   * cache yet, as it is not in the session. */
  soup_cache_load (SOUP_CACHE (task_data));
  g_task_return_boolean (task, TRUE);
}

static void
setup_disk_cache (LensImageFetcher *self)
{
  SoupSessionFeature *existing = soup_session_get_feature (self->session, SOUP_TYPE_CACHE);
  g_autoptr(GTask) task = NULL;

  /* A session holds one cache: a fetcher made again on a session (the
   * tests' new start of the app) shares the one already there. */
  if (existing != NULL)
    {
      self->cache = g_object_ref (SOUP_CACHE (existing));
      self->ready = TRUE;
      self->gate_open = TRUE;
      return;
    }

  self->cache = soup_cache_new (self->cache_dir, SOUP_CACHE_SINGLE_USER);
  soup_cache_set_max_size (self->cache, DISK_CACHE_SIZE);

  /* Every slot, taken before any fetch can ask for one. */
  for (guint i = 0; i < LENS_IMAGE_FETCHER_MAX_FETCHES; i++)
    lens_request_queue_acquire_async (self->queue, NULL, gate_acquired_cb, g_object_ref (self));

  task = g_task_new (self, NULL, cache_loaded_cb, NULL);
  g_task_set_source_tag (task, setup_disk_cache);
  g_task_set_static_name (task, "[tasklens] load image cache");
  g_task_set_task_data (task, g_object_ref (self->cache), g_object_unref);
  g_task_run_in_thread (task, cache_load_thread);
}

static gboolean
dump_cb (gpointer user_data)
{
  LensImageFetcher *self = LENS_IMAGE_FETCHER (user_data);

  soup_cache_dump (self->cache);
  g_assert (self->n_flushing > 0);
  if (--self->n_flushing == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLUSHING]);
  return G_SOURCE_REMOVE;
}

/* Writes the index from the main loop, once (see the top of this file). */
static void
schedule_dump (LensImageFetcher *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, dump_cb, g_object_ref (self), g_object_unref);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_image_fetcher_constructed (GObject *object)
{
  LensImageFetcher *self = LENS_IMAGE_FETCHER (object);

  G_OBJECT_CLASS (lens_image_fetcher_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = lens_http_create_session ();
  if (self->cache_dir != NULL)
    setup_disk_cache (self);
  else
    self->ready = TRUE;
}

static void
lens_image_fetcher_dispose (GObject *object)
{
  LensImageFetcher *self = LENS_IMAGE_FETCHER (object);

  if (!self->disposed)
    {
      g_autoptr(GList) fetches = g_hash_table_get_values (self->fetches);

      self->disposed = TRUE;
      /* Each comes back with G_IO_ERROR_CANCELLED, from the queue or from
       * libsoup, and ends for all its waiters. */
      for (GList *l = fetches; l != NULL; l = l->next)
        g_cancellable_cancel (((Fetch *) l->data)->cancellable);

      /* The app flushes at shutdown, in a worker, and finds nothing left to
       * write here. An owner that did not flush gets the index written now:
       * a worker would keep the fetcher alive past its dispose. */
      if (self->cache != NULL && self->ready && (self->dirty || self->dump_pending))
        {
          self->dirty = FALSE;
          soup_cache_dump (self->cache);
        }
      if (self->dump_pending)
        {
          /* Written just now: the flush is over. */
          self->dump_pending = FALSE;
          if (--self->n_flushing == 0)
            g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLUSHING]);
        }
    }

  G_OBJECT_CLASS (lens_image_fetcher_parent_class)->dispose (object);
}

static void
lens_image_fetcher_finalize (GObject *object)
{
  LensImageFetcher *self = LENS_IMAGE_FETCHER (object);

  /* Every fetch holds a reference: none can be left. */
  g_assert (g_hash_table_size (self->fetches) == 0);

  g_hash_table_unref (self->fetches);
  g_clear_object (&self->queue);
  g_clear_object (&self->cache);
  g_clear_object (&self->session);
  g_free (self->cache_dir);
  g_strfreev (self->resizing_hosts);

  G_OBJECT_CLASS (lens_image_fetcher_parent_class)->finalize (object);
}

static void
lens_image_fetcher_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LensImageFetcher *self = LENS_IMAGE_FETCHER (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_FLUSHING:
      g_value_set_boolean (value, self->n_flushing > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_image_fetcher_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LensImageFetcher *self = LENS_IMAGE_FETCHER (object);

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
lens_image_fetcher_class_init (LensImageFetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lens_image_fetcher_constructed;
  object_class->dispose = lens_image_fetcher_dispose;
  object_class->finalize = lens_image_fetcher_finalize;
  object_class->get_property = lens_image_fetcher_get_property;
  object_class->set_property = lens_image_fetcher_set_property;

  /**
   * LensImageFetcher:session:
   *
   * The session to fetch with, which nothing else uses (see the top of
   * lens-image-fetcher.c); %NULL makes one.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * LensImageFetcher:cache-dir:
   *
   * Where fetched images are kept on disk, or %NULL for no disk cache.
   */
  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL,
                         NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * LensImageFetcher:ready:
   *
   * Whether the disk cache's index has been read and the cache is in the
   * session (always, without a disk cache). Fetches asked for before wait
   * until it is.
   */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * LensImageFetcher:flushing:
   *
   * Whether the disk cache's index is being written, in a worker thread
   * (see lens_image_fetcher_flush()).
   */
  properties[PROP_FLUSHING] =
    g_param_spec_boolean ("flushing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_image_fetcher_init (LensImageFetcher *self)
{
  self->fetches = g_hash_table_new (g_str_hash, g_str_equal);
  self->queue = lens_request_queue_new (LENS_IMAGE_FETCHER_MAX_FETCHES);
  self->deadline_ms = LENS_HTTP_IMAGE_DEADLINE_MS;
  self->resizing_hosts = g_strdupv ((char **) default_resizing_hosts);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_image_fetcher_new:
 * @session: (nullable): a session for images alone, which nothing has sent
 *   on yet (see lens_http_create_session()), or %NULL to make one
 * @cache_dir: (nullable): a directory for the disk cache, or %NULL for none
 *
 * With @cache_dir, adds a SoupCache to @session (unless it has one already),
 * so that images seen once show offline and are not downloaded again. It is
 * added once its index is read, before the first fetch goes out. Nothing
 * else may send on @session: libsoup before 3.7.1 frees a cache that joins
 * a session with a request under way (see the top of lens-image-fetcher.c).
 *
 * Returns: (transfer full): a new image fetcher
 */
LensImageFetcher *
lens_image_fetcher_new (SoupSession *session,
                        const char  *cache_dir)
{
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  return g_object_new (LENS_TYPE_IMAGE_FETCHER,
                       "session", session,
                       "cache-dir", cache_dir,
                       NULL);
}

/**
 * lens_image_fetcher_fetch_async:
 * @url: an http or https URL
 *
 * Fetches the bytes of @url, joining a fetch of it already under way.
 */
void
lens_image_fetcher_fetch_async (LensImageFetcher    *self,
                                const char          *url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  Fetch *fetch;

  g_return_if_fail (LENS_IS_IMAGE_FETCHER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_image_fetcher_fetch_async);
  g_task_set_static_name (task, "[tasklens] fetch image");

  if (lens_image_fetcher_return_if_closed (task, self->disposed))
    return;

  uri = parse_web_url (url);
  if (uri == NULL)
    {
      g_task_return_new_error_literal (task, LENS_IMAGE_FETCHER_ERROR,
                                       LENS_IMAGE_FETCHER_ERROR_INVALID_URL,
                                       _("Only images on the web (http or https) can be shown"));
      return;
    }

  fetch = g_hash_table_lookup (self->fetches, url);
  if (fetch != NULL)
    {
      waiter_attach (fetch, task);
      return;
    }

  fetch = fetch_new (self, url, uri);
  g_hash_table_insert (self->fetches, fetch->url, fetch);
  waiter_attach (fetch, task);
  lens_request_queue_acquire_async (self->queue, fetch->cancellable, slot_acquired_cb, fetch);
}

/**
 * lens_image_fetcher_fetch_finish:
 *
 * Returns: (transfer full): the image's bytes, or %NULL with @error set (a
 *   #LensImageFetcherError, or %G_IO_ERROR_CANCELLED)
 */
GBytes *
lens_image_fetcher_fetch_finish (LensImageFetcher  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (LENS_IS_IMAGE_FETCHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_image_fetcher_fetch_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lens_image_fetcher_set_deadline:
 * @deadline_ms: how long one fetch may take, from its start on the network
 *   to its last byte
 *
 * For tests: the app keeps LENS_HTTP_IMAGE_DEADLINE_MS. Applies to fetches
 * started afterwards.
 */
void
lens_image_fetcher_set_deadline (LensImageFetcher *self,
                                 guint             deadline_ms)
{
  g_return_if_fail (LENS_IS_IMAGE_FETCHER (self));
  g_return_if_fail (deadline_ms > 0);

  self->deadline_ms = deadline_ms;
}

/**
 * lens_image_fetcher_set_resizing_hosts:
 * @hosts: (nullable) (array zero-terminated=1): the image hosts that resize
 *   an image on request (see lens-image-url.c); %NULL for AceData's CDN
 *   alone, as the app has it
 *
 * For tests and the demo, whose images come from the fake server: naming
 * its host (127.0.0.1) makes thumbnails ask it for the width shown, as they
 * ask AceData's CDN.
 */
void
lens_image_fetcher_set_resizing_hosts (LensImageFetcher   *self,
                                       const char * const *hosts)
{
  g_return_if_fail (LENS_IS_IMAGE_FETCHER (self));

  g_strfreev (self->resizing_hosts);
  if (hosts != NULL)
    self->resizing_hosts = g_strdupv ((char **) hosts);
  else
    self->resizing_hosts = g_strdupv ((char **) default_resizing_hosts);
}

/**
 * lens_image_fetcher_url_for_width:
 * @url: an image address, as the record gives it
 * @width: the width it is shown at, in device pixels; 0 for the original
 *
 * Returns: (transfer full): the address to fetch for that width (see
 *   lens_image_url_for_width())
 */
char *
lens_image_fetcher_url_for_width (LensImageFetcher *self,
                                  const char       *url,
                                  int               width)
{
  g_return_val_if_fail (LENS_IS_IMAGE_FETCHER (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  return lens_image_url_for_width (url, width, (const char * const *) self->resizing_hosts);
}

/**
 * lens_image_fetcher_return_if_closed:
 * @task: a fetch or load that is starting
 * @closed: whether its source object has been disposed
 *
 * The fetcher, and the image loader built on it, refuse work in the same
 * way: a fetch started once the caller cancelled, or once its source was
 * closed, ends at once with %G_IO_ERROR_CANCELLED.
 *
 * Returns: whether @task has been ended
 */
gboolean
lens_image_fetcher_return_if_closed (GTask    *task,
                                     gboolean  closed)
{
  g_return_val_if_fail (G_IS_TASK (task), FALSE);

  if (g_task_return_error_if_cancelled (task))
    return TRUE;
  if (!closed)
    return FALSE;

  g_task_return_new_error_literal (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("The image loader was closed"));
  return TRUE;
}

/**
 * lens_image_fetcher_flush:
 *
 * Writes the disk cache's index from the main loop once every fetch has
 * ended (see the top of this file), so that the images it holds are found
 * again next time; #LensImageFetcher:flushing says when it is done. The app
 * calls this on shutdown, once the fetches are cancelled, and waits for it;
 * dispose writes what is left, if no flush did. Nothing is written before
 * the index was read, or when nothing was fetched since the last time.
 * Entries whose files are still being written are left out.
 */
void
lens_image_fetcher_flush (LensImageFetcher *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LENS_IS_IMAGE_FETCHER (self));

  if (self->cache == NULL || !self->ready || !self->dirty)
    return;

  self->dirty = FALSE;
  /* The dump that waits writes what this one would. */
  if (self->dump_pending)
    return;
  if (self->n_flushing++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLUSHING]);
  if (self->n_live_fetches > 0)
    self->dump_pending = TRUE;
  else
    schedule_dump (self);
}

/**
 * lens_image_fetcher_is_ready:
 *
 * Returns: the value of #LensImageFetcher:ready
 */
gboolean
lens_image_fetcher_is_ready (LensImageFetcher *self)
{
  g_return_val_if_fail (LENS_IS_IMAGE_FETCHER (self), FALSE);

  return self->ready;
}

/**
 * lens_image_fetcher_is_flushing:
 *
 * Returns: the value of #LensImageFetcher:flushing
 */
gboolean
lens_image_fetcher_is_flushing (LensImageFetcher *self)
{
  g_return_val_if_fail (LENS_IS_IMAGE_FETCHER (self), FALSE);

  return self->n_flushing > 0;
}

/**
 * lens_image_fetcher_error_get_status:
 * @error: an error from lens_image_fetcher_fetch_finish(), or any error
 *
 * Returns: the HTTP status of a #LENS_IMAGE_FETCHER_ERROR_HTTP error (an
 *   expired link answers 403, 404 or 410: lens_http_status_is_expired()),
 *   or 0 for any other error
 */
guint
lens_image_fetcher_error_get_status (const GError *error)
{
  g_return_val_if_fail (error != NULL, 0);

  if (!g_error_matches (error, LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_HTTP))
    return 0;
  return lens_image_fetcher_error_get_private (error)->status;
}
