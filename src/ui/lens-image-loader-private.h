/* lens-image-loader-private.h — shared by the files of the image loader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The loader is one class in two files: lens-image-loader.c (the GObject,
 * the keys, the disk cache and the public API) and lens-image-loader-fetch.c
 * (the fetches: the queue of slots, the loads waiting for a fetch, the
 * download). Two helpers of its own have their own headers:
 * lens-texture-cache.h (the memory cache) and lens-image-decoder.h (decoding
 * in a worker thread).
 */

#pragma once

#include "lens-image-loader.h"
#include "lens-texture-cache.h"

G_BEGIN_DECLS

struct _LensImageLoader
{
  GObject           parent_instance;

  SoupSession      *session;        /* owned */
  char             *cache_dir;      /* owned, nullable */
  SoupCache        *cache;          /* owned, nullable: the session's disk cache */
  gboolean          disposed;

  GHashTable       *fetches;        /* key → Fetch, queued or running (unowned) */
  GQueue            queue;          /* Fetch waiting for a slot, oldest first */
  guint             n_running;

  LensTextureCache *textures;       /* owned: decoded textures in memory */
};

/* lens-image-loader-fetch.c */
void lens_image_loader_fetch_join    (LensImageLoader *self,
                                      GTask           *task,
                                      const char      *key,
                                      GUri            *uri,
                                      int              pixel_size);
void lens_image_loader_fetch_end_all (LensImageLoader *self,
                                      const GError    *error);

G_END_DECLS
