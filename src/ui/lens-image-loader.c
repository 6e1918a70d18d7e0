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
 *
 * The class spans two files, and uses two helpers of its own; see
 * lens-image-loader-private.h.
 */

#define G_LOG_DOMAIN "lens-image-loader"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-http.h"
#include "lens-image-loader-private.h"
#include "lens-json.h"

/* Anything larger than this is "no scaling" for any real image. */
#define MAX_PIXEL_SIZE        65536
#define DISK_CACHE_SIZE       (256 * 1024 * 1024)
#define DEFAULT_MEMORY_BUDGET (64 * 1024 * 1024)

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

/* Keys */

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
    self->session = lens_http_create_session ();
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

      self->disposed = TRUE;
      lens_image_loader_fetch_end_all (self, error);

      lens_image_loader_flush (self);
      lens_texture_cache_clear (self->textures);
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
  lens_texture_cache_free (self->textures);
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
  self->textures = lens_texture_cache_new (DEFAULT_MEMORY_BUDGET);
  g_queue_init (&self->queue);
}

/* Public API */

/**
 * lens_image_loader_new:
 * @session: the app's session (see lens_http_create_session())
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
  int pixel_size;

  g_return_if_fail (LENS_IS_IMAGE_LOADER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (max_size >= 0);
  g_return_if_fail (scale_factor >= 1);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_image_loader_load_async);
  g_task_set_static_name (task, "[tasklens] load image");

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

  texture = lens_texture_cache_lookup (self->textures, key);
  if (texture != NULL)
    {
      g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      return;
    }

  lens_image_loader_fetch_join (self, task, key, uri, pixel_size);
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
  texture = lens_texture_cache_lookup (self->textures, key);

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

  lens_texture_cache_set_budget (self->textures, bytes);
}
