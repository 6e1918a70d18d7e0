/* lens-texture-cache.h — decoded textures kept in memory, least recently used out first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _LensTextureCache LensTextureCache;

LensTextureCache *lens_texture_cache_new        (gsize             budget);
void              lens_texture_cache_free       (LensTextureCache *cache);
GdkTexture       *lens_texture_cache_lookup     (LensTextureCache *cache,
                                                 const char       *key);
void              lens_texture_cache_insert     (LensTextureCache *cache,
                                                 const char       *key,
                                                 GdkTexture       *texture);
void              lens_texture_cache_clear      (LensTextureCache *cache);
void              lens_texture_cache_set_budget (LensTextureCache *cache,
                                                 gsize             budget);
gsize             lens_texture_cache_get_memory_used (LensTextureCache *cache);

G_END_DECLS
