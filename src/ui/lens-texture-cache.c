/* lens-texture-cache.c — decoded textures kept in memory, least recently used out first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first of LensImageLoader's caches: textures already decoded at a
 * given size, bounded by the bytes of their pixels, so that a row scrolled
 * back into view shows its image at once. It knows nothing of URLs or
 * fetches, only of keys and textures, so it lives apart from the loader.
 * Main thread only.
 */

#define G_LOG_DOMAIN "lens-image-loader"

#include "config.h"

#include "lens-texture-cache.h"

/* A decoded texture in the memory cache. */
typedef struct
{
  char       *key;      /* owned; also the key in cache->textures */
  GdkTexture *texture;  /* owned */
  gsize       cost;     /* bytes of pixels */
  GList       link;     /* in cache->lru; data is this entry */
} CacheEntry;

struct _LensTextureCache
{
  GHashTable *textures;       /* key → CacheEntry, owned */
  GQueue      lru;            /* CacheEntry links, most recently used first */
  gsize       memory_used;
  gsize       memory_budget;
};

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_free (entry->key);
  g_object_unref (entry->texture);
  g_free (entry);
}

static void
cache_remove (LensTextureCache *cache,
              CacheEntry       *entry)
{
  g_queue_unlink (&cache->lru, &entry->link);
  cache->memory_used -= entry->cost;
  g_hash_table_remove (cache->textures, entry->key);
}

static void
cache_trim (LensTextureCache *cache)
{
  while (cache->memory_used > cache->memory_budget && cache->lru.tail != NULL)
    cache_remove (cache, cache->lru.tail->data);
}

/* @budget: how many bytes of decoded pixels to keep */
LensTextureCache *
lens_texture_cache_new (gsize budget)
{
  LensTextureCache *cache = g_new0 (LensTextureCache, 1);

  cache->textures = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, cache_entry_free);
  g_queue_init (&cache->lru);
  cache->memory_budget = budget;
  return cache;
}

void
lens_texture_cache_free (LensTextureCache *cache)
{
  g_hash_table_unref (cache->textures);
  g_free (cache);
}

void
lens_texture_cache_clear (LensTextureCache *cache)
{
  while (cache->lru.head != NULL)
    cache_remove (cache, cache->lru.head->data);
}

/* Returns (transfer none) (nullable): the texture, now the most recently used. */
GdkTexture *
lens_texture_cache_lookup (LensTextureCache *cache,
                           const char       *key)
{
  CacheEntry *entry = g_hash_table_lookup (cache->textures, key);

  if (entry == NULL)
    return NULL;

  g_queue_unlink (&cache->lru, &entry->link);
  g_queue_push_head_link (&cache->lru, &entry->link);
  return entry->texture;
}

void
lens_texture_cache_insert (LensTextureCache *cache,
                           const char       *key,
                           GdkTexture       *texture)
{
  gsize cost = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  CacheEntry *entry = g_hash_table_lookup (cache->textures, key);

  if (entry != NULL)
    cache_remove (cache, entry);

  /* One picture bigger than the whole budget would only empty the cache. */
  if (cost > cache->memory_budget)
    return;

  entry = g_new0 (CacheEntry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  entry->cost = cost;
  entry->link.data = entry;
  g_hash_table_insert (cache->textures, entry->key, entry);
  g_queue_push_head_link (&cache->lru, &entry->link);
  cache->memory_used += cost;

  cache_trim (cache);
}

/* Returns: the bytes of pixels kept now, never more than the budget. */
gsize
lens_texture_cache_get_memory_used (LensTextureCache *cache)
{
  return cache->memory_used;
}

/* Evicts the least recently used textures beyond @budget. */
void
lens_texture_cache_set_budget (LensTextureCache *cache,
                               gsize             budget)
{
  cache->memory_budget = budget;
  cache_trim (cache);
}
