/* test-texture-cache.c — decoded textures kept in memory, within a byte budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cache on its own, with textures made here: scrolling through every
 * thumbnail of a long history inserts one texture per row, and memory must
 * stay within the budget however many rows pass. (Through the loader, with
 * decoding, in test-image-loader.c's /image-loader/lru-evicts.)
 */

#include "config.h"

#include "lens-texture-cache.h"
#include "lens-test.h"

#define THUMBNAIL_BYTES (48 * 36 * 4)

static GdkTexture *
make_texture (int width,
              int height)
{
  g_autoptr(GBytes) pixels = g_bytes_new_take (g_malloc0 ((gsize) width * height * 4),
                                               (gsize) width * height * 4);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, (gsize) width * 4);
}

static char *
key_for (guint index)
{
  return g_strdup_printf ("48 https://platform.cdn.acedata.cloud/midjourney/%u.png", index);
}

/* 10,000 rows' thumbnails through a budget of 100: memory never passes it,
 * the last ones seen are the ones kept. */
static void
test_budget_bounds_memory (void)
{
  const gsize budget = 100 * THUMBNAIL_BYTES;
  LensTextureCache *cache = lens_texture_cache_new (budget);
  g_autofree char *first = key_for (0);
  g_autofree char *last = key_for (9999);
  g_autofree char *hundredth_last = key_for (9900);
  g_autofree char *beyond = key_for (9899);

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *key = key_for (i);
      g_autoptr(GdkTexture) texture = make_texture (48, 36);

      lens_texture_cache_insert (cache, key, texture);
      g_assert_cmpuint (lens_texture_cache_get_memory_used (cache), <=, budget);
    }

  g_assert_cmpuint (lens_texture_cache_get_memory_used (cache), ==, budget);
  g_assert_null (lens_texture_cache_lookup (cache, first));
  g_assert_null (lens_texture_cache_lookup (cache, beyond));
  g_assert_nonnull (lens_texture_cache_lookup (cache, hundredth_last));
  g_assert_nonnull (lens_texture_cache_lookup (cache, last));

  lens_texture_cache_clear (cache);
  g_assert_cmpuint (lens_texture_cache_get_memory_used (cache), ==, 0);
  lens_texture_cache_free (cache);
}

/* The budget counts bytes, not textures: one large picture takes the room
 * of many thumbnails; one over the whole budget is not kept. */
static void
test_budget_counts_bytes (void)
{
  LensTextureCache *cache = lens_texture_cache_new (4 * THUMBNAIL_BYTES);
  g_autoptr(GdkTexture) wide = make_texture (48 * 3, 36);
  g_autoptr(GdkTexture) huge = make_texture (48 * 5, 36);
  g_autoptr(GdkTexture) replacement = make_texture (48, 36);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *key = key_for (i);
      g_autoptr(GdkTexture) texture = make_texture (48, 36);

      lens_texture_cache_insert (cache, key, texture);
    }
  g_assert_cmpuint (lens_texture_cache_get_memory_used (cache), ==, 4 * THUMBNAIL_BYTES);

  /* Three thumbnails' worth pushes the three least recently used out. */
  lens_texture_cache_insert (cache, "wide", wide);
  g_assert_cmpuint (lens_texture_cache_get_memory_used (cache), ==, 4 * THUMBNAIL_BYTES);
  g_assert_true (lens_texture_cache_lookup (cache, "wide") == wide);

  lens_texture_cache_insert (cache, "huge", huge);
  g_assert_null (lens_texture_cache_lookup (cache, "huge"));
  g_assert_cmpuint (lens_texture_cache_get_memory_used (cache), ==, 4 * THUMBNAIL_BYTES);

  /* The same key again replaces, and counts once. */
  lens_texture_cache_insert (cache, "wide", replacement);
  g_assert_true (lens_texture_cache_lookup (cache, "wide") == replacement);
  g_assert_cmpuint (lens_texture_cache_get_memory_used (cache), <=, 2 * THUMBNAIL_BYTES);

  /* A smaller budget evicts at once. */
  lens_texture_cache_set_budget (cache, THUMBNAIL_BYTES);
  g_assert_cmpuint (lens_texture_cache_get_memory_used (cache), <=, THUMBNAIL_BYTES);
  g_assert_true (lens_texture_cache_lookup (cache, "wide") == replacement);

  lens_texture_cache_free (cache);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/texture-cache/budget-bounds-memory", test_budget_bounds_memory);
  g_test_add_func ("/texture-cache/budget-counts-bytes", test_budget_counts_bytes);

  return g_test_run ();
}
