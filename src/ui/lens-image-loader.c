/* lens-image-loader.c — thumbnails and previews, fetched, decoded off the main thread, kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A load is three steps, each someone else's:
 *
 *   1. the textures already decoded at that size, kept in memory (an LRU
 *      bounded by pixels, lens-texture-cache.c), so that a row scrolled back
 *      into view shows its image at once through lens_image_loader_lookup();
 *   2. the bytes, from LensImageFetcher (core), which joins fetches of the
 *      same URL, keeps the disk cache and lets only a few go at once;
 *   3. one decode in a worker thread that scales the picture while loading
 *      it (lens-image-decoder.c).
 *
 * Two loads of the same image at the same size share one fetch; the
 * texture decoded first is the one kept and given to both. A load that is
 * cancelled returns G_IO_ERROR_CANCELLED at once; disposing the loader
 * cancels every load still running.
 */

#define G_LOG_DOMAIN "lens-image-loader"

#include "config.h"

#include "lens-http.h"
#include "lens-image-decoder.h"
#include "lens-image-loader.h"
#include "lens-texture-cache.h"

/* Anything larger than this is "no scaling" for any real image. */
#define MAX_PIXEL_SIZE        65536
#define DEFAULT_MEMORY_BUDGET (64 * 1024 * 1024)

struct _LensImageLoader
{
  GObject           parent_instance;

  LensImageFetcher *fetcher;      /* owned */
  GCancellable     *cancellable;  /* owned: cancelled on dispose */
  gboolean          disposed;
  LensTextureCache *textures;     /* owned: decoded textures in memory */
};

enum
{
  PROP_0,
  PROP_FETCHER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensImageLoader, lens_image_loader, G_TYPE_OBJECT)

/* The task data of one load. */
typedef struct
{
  char         *key;                /* owned */
  int           pixel_size;         /* the longest side wanted; 0 for the original size */
  /* Cancelled by the caller or by the loader's dispose. */
  GCancellable *cancellable;        /* owned */
  GCancellable *caller_cancellable; /* owned, nullable */
  gulong        caller_chain_id;
  GCancellable *owner_cancellable;  /* owned */
  gulong        owner_chain_id;
} Load;

static void
load_free (gpointer data)
{
  Load *load = data;

  if (load->caller_cancellable != NULL)
    g_cancellable_disconnect (load->caller_cancellable, load->caller_chain_id);
  g_cancellable_disconnect (load->owner_cancellable, load->owner_chain_id);
  g_clear_object (&load->caller_cancellable);
  g_clear_object (&load->owner_cancellable);
  g_clear_object (&load->cancellable);
  g_free (load->key);
  g_free (load);
}

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

/* Callbacks */

static void
decoded_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LensImageLoader *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GdkTexture) texture = lens_image_decoder_decode_finish (result, &error);
  GdkTexture *kept;

  if (texture == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Another load of the same image and size may have finished first: both
   * get the texture that is kept. */
  kept = lens_texture_cache_lookup (self->textures, load->key);
  if (kept != NULL)
    g_set_object (&texture, kept);
  else if (!self->disposed)
    lens_texture_cache_insert (self->textures, load->key, texture);

  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

static void
fetched_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = lens_image_fetcher_fetch_finish (LENS_IMAGE_FETCHER (source_object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  lens_image_decoder_decode_async (bytes, load->pixel_size, load->cancellable, decoded_cb,
                                   g_steal_pointer (&task));
}

/* GObject */

static void
lens_image_loader_dispose (GObject *object)
{
  LensImageLoader *self = LENS_IMAGE_LOADER (object);

  if (!self->disposed)
    {
      self->disposed = TRUE;
      g_cancellable_cancel (self->cancellable);
      /* The disk cache is the fetcher's, shared by every loader: its owner
       * writes the index (at shutdown), not each loader that goes. */
      lens_texture_cache_clear (self->textures);
    }

  G_OBJECT_CLASS (lens_image_loader_parent_class)->dispose (object);
}

static void
lens_image_loader_finalize (GObject *object)
{
  LensImageLoader *self = LENS_IMAGE_LOADER (object);

  lens_texture_cache_free (self->textures);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->fetcher);

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
    case PROP_FETCHER:
      g_set_object (&self->fetcher, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_image_loader_class_init (LensImageLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_image_loader_dispose;
  object_class->finalize = lens_image_loader_finalize;
  object_class->set_property = lens_image_loader_set_property;

  /**
   * LensImageLoader:fetcher:
   *
   * Where the bytes come from: the app's one image fetcher.
   */
  properties[PROP_FETCHER] =
    g_param_spec_object ("fetcher", NULL, NULL,
                         LENS_TYPE_IMAGE_FETCHER,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_image_loader_init (LensImageLoader *self)
{
  self->cancellable = g_cancellable_new ();
  self->textures = lens_texture_cache_new (DEFAULT_MEMORY_BUDGET);
}

/* Public API */

/**
 * lens_image_loader_new:
 * @fetcher: the app's image fetcher
 *
 * Returns: (transfer full): a new image loader
 */
LensImageLoader *
lens_image_loader_new (LensImageFetcher *fetcher)
{
  g_return_val_if_fail (LENS_IS_IMAGE_FETCHER (fetcher), NULL);

  return g_object_new (LENS_TYPE_IMAGE_LOADER, "fetcher", fetcher, NULL);
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
  GdkTexture *texture;
  Load *load;

  g_return_if_fail (LENS_IS_IMAGE_LOADER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (max_size >= 0);
  g_return_if_fail (scale_factor >= 1);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_image_loader_load_async);
  g_task_set_static_name (task, "[tasklens] load image");

  if (lens_image_fetcher_return_if_closed (task, self->disposed))
    return;

  load = g_new0 (Load, 1);
  load->pixel_size = pixel_size_for (max_size, scale_factor);
  load->key = make_key (url, load->pixel_size);
  g_task_set_task_data (task, load, load_free);

  texture = lens_texture_cache_lookup (self->textures, load->key);
  if (texture != NULL)
    {
      g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      return;
    }

  load->cancellable = g_cancellable_new ();
  load->owner_cancellable = g_object_ref (self->cancellable);
  load->owner_chain_id = lens_http_chain_cancellable (self->cancellable, load->cancellable);
  if (cancellable != NULL)
    {
      load->caller_cancellable = g_object_ref (cancellable);
      load->caller_chain_id = lens_http_chain_cancellable (cancellable, load->cancellable);
    }

  lens_image_fetcher_fetch_async (self->fetcher, url, load->cancellable, fetched_cb,
                                  g_steal_pointer (&task));
}

/**
 * lens_image_loader_load_finish:
 *
 * Returns: (transfer full): the texture, or %NULL with @error set (a
 *   #LensImageFetcherError, a #LensImageLoaderError, or
 *   %G_IO_ERROR_CANCELLED)
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
 * lens_image_loader_url_for_size:
 * @url: an image address, as the record gives it
 * @max_size: the longest side shown, in application pixels; 0 for the
 *   original
 * @scale_factor: the widget's scale factor
 *
 * Where the image's host can resize it, the address that asks it for
 * what @max_size × @scale_factor device pixels need (rounded up to a few
 * widths, see lens-image-url.c), so that a row's thumbnail does not
 * download and decode the whole picture. Load that address at the same
 * size.
 *
 * Returns: (transfer full): the address to load
 */
char *
lens_image_loader_url_for_size (LensImageLoader *self,
                                const char      *url,
                                int              max_size,
                                int              scale_factor)
{
  g_return_val_if_fail (LENS_IS_IMAGE_LOADER (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (max_size >= 0, NULL);
  g_return_val_if_fail (scale_factor >= 1, NULL);

  return lens_image_fetcher_url_for_width (self->fetcher, url,
                                           max_size > 0 ? pixel_size_for (max_size, scale_factor) : 0);
}

/**
 * lens_image_loader_flush:
 *
 * Writes the fetcher's disk cache index (see lens_image_fetcher_flush()).
 */
void
lens_image_loader_flush (LensImageLoader *self)
{
  g_return_if_fail (LENS_IS_IMAGE_LOADER (self));

  if (self->fetcher != NULL)
    lens_image_fetcher_flush (self->fetcher);
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
