/* test-image-loader.c — LensImageLoader against the fake AceData server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decoding, scaling and the memory cache; fetching itself (URLs, HTTP
 * errors, the size cap, cancellation, the queue) is tested in
 * test-image-fetcher.c. The decoder's schedule (slots and memory budget)
 * is tested on pictures made here, without a server.
 */

#include "config.h"

#include "lens-image-decoder.h"
#include "lens-image-loader.h"
#include "lens-image-request.h"
#include "lens-test.h"
#include "lens-test-fake.h"
#include "lens-test-image-host.h"
#include "lens-test-png.h"

typedef struct
{
  LensTestImageHost  host;
  LensImageLoader   *loader;
} Fixture;

typedef struct
{
  gboolean    done;
  GdkTexture *texture;
  GError     *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_object (&outcome->texture);
  g_clear_error (&outcome->error);
  outcome->done = FALSE;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

/* Helpers */

/* A loader on its own fetcher, as the app makes them. */
static LensImageLoader *
new_loader (SoupSession *session,
            const char  *cache_dir)
{
  g_autoptr(LensImageFetcher) fetcher = lens_image_fetcher_new (session, cache_dir);

  return lens_image_loader_new (fetcher);
}

/* Tests added with non-NULL data have a disk cache. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  lens_test_image_host_set_up (&fixture->host, data != NULL);
  fixture->loader = new_loader (fixture->host.session, fixture->host.cache_dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  lens_test_finalize_eventually (&fixture->loader);
  lens_test_image_host_tear_down (&fixture->host);
}

static void
load_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert_false (outcome->done);
  outcome->texture = lens_image_loader_load_finish (LENS_IMAGE_LOADER (source_object), result,
                                                    &outcome->error);
  g_assert_true ((outcome->texture == NULL) != (outcome->error == NULL));
  outcome->done = TRUE;
}

static void
start_load (LensImageLoader *loader,
            const char      *url,
            int              max_size,
            int              scale_factor,
            GCancellable    *cancellable,
            Outcome         *outcome)
{
  outcome_clear (outcome);
  lens_image_loader_load_async (loader, url, max_size, scale_factor, cancellable, load_cb, outcome);
}

static void
run_until_done (Outcome *outcome)
{
  lens_test_spin_until (&outcome->done, LENS_TEST_DEADLINE_MS);
}

static void
load (LensImageLoader *loader,
      const char      *url,
      int              max_size,
      int              scale_factor,
      Outcome         *outcome)
{
  start_load (loader, url, max_size, scale_factor, NULL, outcome);
  run_until_done (outcome);
}

static void
assert_texture_size (Outcome *outcome,
                     int      width,
                     int      height)
{
  g_assert_no_error (outcome->error);
  g_assert_nonnull (outcome->texture);
  g_assert_cmpint (gdk_texture_get_width (outcome->texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (outcome->texture), ==, height);
}

/* Sizes */

static void
test_scaled_size (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *square = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_autofree char *landscape =
    lens_test_image_host_url (&fixture->host, LENS_TEST_LANDSCAPE, ".png");
  g_autofree char *portrait = lens_test_image_host_url (&fixture->host, LENS_TEST_PORTRAIT, ".png");
  g_autofree char *thumb =
    lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, "-thumb.png");
  g_auto(Outcome) outcome = { 0 };

  /* max_size × scale_factor device pixels on the longest side. */
  load (fixture->loader, square, 48, 2, &outcome);
  assert_texture_size (&outcome, 96, 96);

  /* The aspect ratio is kept. */
  load (fixture->loader, landscape, 48, 2, &outcome);
  assert_texture_size (&outcome, 96, 72);
  load (fixture->loader, portrait, 40, 1, &outcome);
  assert_texture_size (&outcome, 30, 40);

  /* 0 is the original size. */
  load (fixture->loader, landscape, 0, 1, &outcome);
  assert_texture_size (&outcome, 1024, 768);

  /* Never scaled up: the thumbnail is 512 × 512. */
  load (fixture->loader, thumb, 1024, 2, &outcome);
  assert_texture_size (&outcome, 512, 512);
}

/* Caches */

static void
test_memory_cache (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GdkTexture) found = NULL;
  g_autoptr(GdkTexture) same_pixels = NULL;
  g_autoptr(GdkTexture) other_size = NULL;

  found = lens_image_loader_lookup (fixture->loader, url, 48, 2);
  g_assert_null (found);

  load (fixture->loader, url, 48, 2, &outcome);
  assert_texture_size (&outcome, 96, 96);
  first = g_object_ref (outcome.texture);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 1);

  /* Shown at once, with no request. */
  found = lens_image_loader_lookup (fixture->loader, url, 48, 2);
  g_assert_true (found == first);
  /* The key is the size in device pixels. */
  same_pixels = lens_image_loader_lookup (fixture->loader, url, 96, 1);
  g_assert_true (same_pixels == first);
  other_size = lens_image_loader_lookup (fixture->loader, url, 48, 1);
  g_assert_null (other_size);

  load (fixture->loader, url, 48, 2, &outcome);
  g_assert_true (outcome.texture == first);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 1);
}

static void
test_disk_cache_offline (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_LANDSCAPE, ".png");
  /* libsoup's name for the index. */
  g_autofree char *index = g_build_filename (fixture->host.cache_dir, "soup.cache2", NULL);
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(GdkTexture) found = NULL;
  SoupSessionFeature *cache;

  load (fixture->loader, url, 48, 2, &outcome);
  assert_texture_size (&outcome, 96, 72);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 1);

  /* As the app does when it quits, once the cache has written its files
   * (libsoup writes them in the background while the body is read). */
  cache = soup_session_get_feature (fixture->host.session, SOUP_TYPE_CACHE);
  g_assert_nonnull (cache);
  soup_cache_flush (SOUP_CACHE (cache));
  lens_image_loader_flush (fixture->loader);
  /* Written in a worker thread, atomically: once there, it is whole. */
  LENS_TEST_SPIN_UNTIL (g_file_test (index, G_FILE_TEST_EXISTS), LENS_TEST_DEADLINE_MS);

  /* A new start: a new session, a new loader, the same directory. */
  lens_test_finalize_eventually (&fixture->loader);
  lens_test_image_host_restart (&fixture->host);
  fixture->loader = new_loader (fixture->host.session, fixture->host.cache_dir);

  found = lens_image_loader_lookup (fixture->loader, url, 48, 2);
  g_assert_null (found);

  load (fixture->loader, url, 48, 2, &outcome);
  assert_texture_size (&outcome, 96, 72);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 0);

  /* Other sizes of it are decoded from the same cached file. */
  load (fixture->loader, url, 0, 1, &outcome);
  assert_texture_size (&outcome, 1024, 768);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 0);
}

static void
test_lru_evicts (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *a = lens_test_image_host_url (&fixture->host, 0, ".png");
  g_autofree char *b = lens_test_image_host_url (&fixture->host, 4, ".png");
  g_autofree char *c = lens_test_image_host_url (&fixture->host, 8, ".png");
  g_autofree char *big = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, "-thumb.png");
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(GdkTexture) found_a = NULL;
  g_autoptr(GdkTexture) found_b = NULL;
  g_autoptr(GdkTexture) found_c = NULL;
  g_autoptr(GdkTexture) found_big = NULL;

  /* Room for two 96 × 96 textures. */
  lens_image_loader_set_memory_budget (fixture->loader, 2 * 96 * 96 * 4);

  load (fixture->loader, a, 48, 2, &outcome);
  assert_texture_size (&outcome, 96, 96);
  load (fixture->loader, b, 48, 2, &outcome);
  assert_texture_size (&outcome, 96, 96);

  /* Looking A up makes B the least recently used. */
  found_a = lens_image_loader_lookup (fixture->loader, a, 48, 2);
  g_assert_nonnull (found_a);
  g_clear_object (&found_a);

  load (fixture->loader, c, 48, 2, &outcome);
  assert_texture_size (&outcome, 96, 96);

  found_a = lens_image_loader_lookup (fixture->loader, a, 48, 2);
  found_b = lens_image_loader_lookup (fixture->loader, b, 48, 2);
  found_c = lens_image_loader_lookup (fixture->loader, c, 48, 2);
  g_assert_nonnull (found_a);
  g_assert_null (found_b);
  g_assert_nonnull (found_c);

  /* A texture over the whole budget is returned but not kept, and does not
   * push the others out. */
  load (fixture->loader, big, 0, 1, &outcome);
  assert_texture_size (&outcome, 512, 512);
  found_big = lens_image_loader_lookup (fixture->loader, big, 0, 1);
  g_assert_null (found_big);
  g_clear_object (&found_c);
  found_c = lens_image_loader_lookup (fixture->loader, c, 48, 2);
  g_assert_nonnull (found_c);

  /* A smaller budget evicts at once. */
  lens_image_loader_set_memory_budget (fixture->loader, 0);
  g_clear_object (&found_c);
  found_c = lens_image_loader_lookup (fixture->loader, c, 48, 2);
  g_assert_null (found_c);
}

/* Errors */

static void
test_not_an_image (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *video = g_strdup_printf ("%s/videos/%s/0.mp4",
                                            lens_fake_api_get_url (fixture->host.fake),
                                            fixture->host.ids[LENS_TEST_SQUARE]);
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(GdkTexture) found = NULL;

  /* An MP4 header: a 200 that is not a picture. */
  load (fixture->loader, video, 48, 1, &outcome);
  g_assert_error (outcome.error, LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_DECODE);
  g_assert_cmpstr (outcome.error->message, ==, "The image could not be read");

  /* A captive portal's HTML page. */
  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_WRONG_CONTENT_TYPE, 0, 1);
  load (fixture->loader, url, 48, 1, &outcome);
  g_assert_error (outcome.error, LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_DECODE);

  /* JSON cut short. */
  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_INVALID_JSON, 0, 1);
  load (fixture->loader, url, 48, 1, &outcome);
  g_assert_error (outcome.error, LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_DECODE);

  found = lens_image_loader_lookup (fixture->loader, url, 48, 1);
  g_assert_null (found);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(GdkTexture) found = NULL;

  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_TRUNCATED_BODY, 0, 1);
  load (fixture->loader, url, 48, 1, &outcome);

  /* libsoup notices the missing bytes; were it not to, the decoder would. */
  g_assert_nonnull (outcome.error);
  g_assert_true ((outcome.error->domain == LENS_IMAGE_FETCHER_ERROR &&
                  outcome.error->code == LENS_IMAGE_FETCHER_ERROR_NETWORK) ||
                 (outcome.error->domain == LENS_IMAGE_LOADER_ERROR &&
                  outcome.error->code == LENS_IMAGE_LOADER_ERROR_DECODE));

  found = lens_image_loader_lookup (fixture->loader, url, 48, 1);
  g_assert_null (found);
}

/* Sharing and cancellation */

static void
test_coalesce (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *url = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_auto(Outcome) first = { 0 };
  g_auto(Outcome) second = { 0 };

  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 200, 1);
  start_load (fixture->loader, url, 48, 2, NULL, &first);
  lens_test_wait_for_media_requests (fixture->host.fake, 1);
  start_load (fixture->loader, url, 48, 2, NULL, &second);
  run_until_done (&first);
  run_until_done (&second);

  assert_texture_size (&first, 96, 96);
  g_assert_true (first.texture == second.texture);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 1);
}

static void
test_dispose_cancels (Fixture       *fixture,
                      gconstpointer  data)
{
  Outcome outcomes[8] = { 0 };

  /* Six running, two queued. */
  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 1000, G_MAXUINT);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_autofree char *url = lens_test_image_host_url (&fixture->host, i, ".png");

      start_load (fixture->loader, url, 16, 1, NULL, &outcomes[i]);
    }
  lens_test_wait_for_media_requests (fixture->host.fake, 6);

  g_object_run_dispose (G_OBJECT (fixture->loader));
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      run_until_done (&outcomes[i]);
      g_assert_error (outcomes[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      outcome_clear (&outcomes[i]);
    }
}

/* LensImageRequest: the bookkeeping of a widget that shows one image */

static void
request_done_cb (GdkTexture   *texture,
                 const GError *error,
                 gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert_false (outcome->done);
  g_assert_true ((texture == NULL) != (error == NULL));
  g_set_object (&outcome->texture, texture);
  outcome->error = error != NULL ? g_error_copy (error) : NULL;
  outcome->done = TRUE;
}

static void
test_request (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *first = lens_test_image_host_url (&fixture->host, LENS_TEST_SQUARE, ".png");
  g_autofree char *second = lens_test_image_host_url (&fixture->host, LENS_TEST_LANDSCAPE, ".png");
  g_autofree char *unknown_id = lens_fake_api_make_id ("nobody");
  g_autofree char *missing = lens_test_image_url (fixture->host.fake, unknown_id, ".png");
  LensImageRequest request = { 0 };
  g_auto(Outcome) cancelled = { 0 };
  g_auto(Outcome) outcome = { 0 };
  GdkTexture *cached = NULL;

  /* Without a loader nothing loads, but the URL counts as followed. */
  g_assert_true (lens_image_request_update (&request, NULL, first, 48, 1, &cached,
                                            request_done_cb, &cancelled));
  g_assert_null (cached);
  g_assert_null (request.cancellable);
  g_assert_false (lens_image_request_update (&request, NULL, first, 48, 1, &cached,
                                             request_done_cb, &cancelled));
  lens_image_request_reset (&request);
  g_assert_null (request.url);

  /* A new URL cancels the load of the old one, which never reports. */
  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 300, 1);
  g_assert_true (lens_image_request_update (&request, fixture->loader, first, 48, 1, &cached,
                                            request_done_cb, &cancelled));
  g_assert_null (cached);
  g_assert_nonnull (request.cancellable);
  g_assert_true (lens_image_request_update (&request, fixture->loader, second, 48, 1, &cached,
                                            request_done_cb, &outcome));
  g_assert_null (cached);
  run_until_done (&outcome);
  assert_texture_size (&outcome, 48, 36);
  g_assert_null (request.cancellable);
  lens_test_spin_for (400);
  g_assert_false (cancelled.done);

  /* The same URL again changes nothing. */
  g_assert_false (lens_image_request_update (&request, fixture->loader, second, 48, 1, &cached,
                                             request_done_cb, &outcome));

  /* Followed anew, the texture in memory comes at once. */
  lens_image_request_reset (&request);
  g_assert_true (lens_image_request_update (&request, fixture->loader, second, 48, 1, &cached,
                                            request_done_cb, &outcome));
  g_assert_true (cached == outcome.texture);
  g_assert_null (request.cancellable);
  g_clear_object (&cached);

  /* A failed load reports its error. */
  outcome_clear (&outcome);
  g_assert_true (lens_image_request_update (&request, fixture->loader, missing, 48, 1, &cached,
                                            request_done_cb, &outcome));
  run_until_done (&outcome);
  g_assert_error (outcome.error, LENS_IMAGE_FETCHER_ERROR, LENS_IMAGE_FETCHER_ERROR_HTTP);

  lens_image_request_reset (&request);
}

/* The decoder's schedule */

static void
decoded_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert_false (outcome->done);
  outcome->texture = lens_image_decoder_decode_finish (result, &outcome->error);
  g_assert_true ((outcome->texture == NULL) != (outcome->error == NULL));
  outcome->done = TRUE;
}

/* Decodes @bytes @count times at once, and waits for all of them. */
static Outcome *
decode_many (GBytes *bytes,
             guint   count,
             int     pixel_size)
{
  Outcome *outcomes = g_new0 (Outcome, count);

  for (guint i = 0; i < count; i++)
    lens_image_decoder_decode_async (bytes, pixel_size, NULL, decoded_cb, &outcomes[i]);
  for (guint i = 0; i < count; i++)
    run_until_done (&outcomes[i]);

  return outcomes;
}

static void
free_outcomes (Outcome *outcomes,
               guint    count)
{
  for (guint i = 0; i < count; i++)
    outcome_clear (&outcomes[i]);
  g_free (outcomes);
}

static void
test_decode_slots (void)
{
  g_autoptr(GBytes) png = lens_test_make_png (1500, 1000);
  Outcome *outcomes;
  guint peak_in_flight = 0;
  gsize peak_reserved = 0;

  /* The app's own limits: twelve pictures at once never decode together. */
  lens_image_decoder_set_limits (0, 0);
  lens_image_decoder_reset_stats ();
  outcomes = decode_many (png, 12, 96);

  for (guint i = 0; i < 12; i++)
    assert_texture_size (&outcomes[i], 96, 64);
  lens_image_decoder_get_stats (&peak_in_flight, &peak_reserved);
  g_assert_cmpuint (peak_in_flight, ==, 2);
  g_assert_cmpuint (peak_reserved, ==, 2 * 1500 * 1000 * 4);

  free_outcomes (outcomes, 12);
}

static void
test_decode_budget (void)
{
  g_autoptr(GBytes) png = lens_test_make_png (1000, 1000);
  const gsize cost = 1000 * 1000 * 4;
  Outcome *outcomes;
  gsize peak_reserved = 0;

  /* Room for two at a time, though four could run: the others wait, and
   * every picture still comes. */
  lens_image_decoder_set_limits (4, cost * 5 / 2);
  lens_image_decoder_reset_stats ();
  outcomes = decode_many (png, 12, 50);

  for (guint i = 0; i < 12; i++)
    assert_texture_size (&outcomes[i], 50, 50);
  lens_image_decoder_get_stats (NULL, &peak_reserved);
  g_assert_cmpuint (peak_reserved, ==, 2 * cost);
  free_outcomes (outcomes, 12);

  /* A picture larger than the whole budget is refused, from its header. */
  lens_image_decoder_set_limits (4, cost - 1);
  lens_image_decoder_reset_stats ();
  outcomes = decode_many (png, 3, 50);
  for (guint i = 0; i < 3; i++)
    g_assert_error (outcomes[i].error, LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_TOO_LARGE);
  lens_image_decoder_get_stats (NULL, &peak_reserved);
  g_assert_cmpuint (peak_reserved, ==, 0);
  free_outcomes (outcomes, 3);

  lens_image_decoder_set_limits (0, 0);
}

static void
test_decode_huge (void)
{
  g_autoptr(GBytes) over_cap = lens_test_make_png (9000, 8000);
  g_autoptr(GBytes) huge = lens_test_make_png (8000, 8000);
  Outcome *outcomes;
  gsize peak_reserved = 0;

  lens_image_decoder_set_limits (0, 0);

  /* Over the cap: refused before a pixel is reserved or allocated. */
  lens_image_decoder_reset_stats ();
  outcomes = decode_many (over_cap, 2, 256);
  for (guint i = 0; i < 2; i++)
    g_assert_error (outcomes[i].error, LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_TOO_LARGE);
  lens_image_decoder_get_stats (NULL, &peak_reserved);
  g_assert_cmpuint (peak_reserved, ==, 0);
  free_outcomes (outcomes, 2);

  /* Three huge pictures at once decode one after the other: together they
   * would take 768 MB. */
  lens_image_decoder_reset_stats ();
  outcomes = decode_many (huge, 3, 256);
  for (guint i = 0; i < 3; i++)
    assert_texture_size (&outcomes[i], 256, 256);
  lens_image_decoder_get_stats (NULL, &peak_reserved);
  g_assert_cmpuint (peak_reserved, ==, (gsize) 8000 * 8000 * 4);
  free_outcomes (outcomes, 3);
}

static void
test_decode_cancel (void)
{
  g_autoptr(GBytes) png = lens_test_make_png (1000, 1000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome outcomes[6] = { { 0 } };
  guint peak_in_flight = 0;

  /* Cancelled while running or while waiting: each returns at once, and the
   * slots come back for what follows. */
  lens_image_decoder_set_limits (0, 0);
  for (guint i = 0; i < 4; i++)
    lens_image_decoder_decode_async (png, 50, cancellable, decoded_cb, &outcomes[i]);
  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < 4; i++)
    {
      run_until_done (&outcomes[i]);
      g_assert_error (outcomes[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }

  lens_image_decoder_reset_stats ();
  for (guint i = 4; i < 6; i++)
    lens_image_decoder_decode_async (png, 50, NULL, decoded_cb, &outcomes[i]);
  for (guint i = 4; i < 6; i++)
    {
      run_until_done (&outcomes[i]);
      assert_texture_size (&outcomes[i], 50, 50);
    }
  lens_image_decoder_get_stats (&peak_in_flight, NULL);
  g_assert_cmpuint (peak_in_flight, <=, 2);

  for (guint i = 0; i < 6; i++)
    outcome_clear (&outcomes[i]);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add ("/image-loader/scaled-size", Fixture, NULL,
              fixture_set_up, test_scaled_size, fixture_tear_down);
  g_test_add ("/image-loader/memory-cache", Fixture, NULL,
              fixture_set_up, test_memory_cache, fixture_tear_down);
  g_test_add ("/image-loader/disk-cache-offline", Fixture, "with cache",
              fixture_set_up, test_disk_cache_offline, fixture_tear_down);
  g_test_add ("/image-loader/lru-evicts", Fixture, NULL,
              fixture_set_up, test_lru_evicts, fixture_tear_down);
  g_test_add ("/image-loader/not-an-image", Fixture, NULL,
              fixture_set_up, test_not_an_image, fixture_tear_down);
  g_test_add ("/image-loader/truncated", Fixture, NULL,
              fixture_set_up, test_truncated, fixture_tear_down);
  g_test_add ("/image-loader/coalesce", Fixture, NULL,
              fixture_set_up, test_coalesce, fixture_tear_down);
  g_test_add ("/image-loader/dispose-cancels", Fixture, NULL,
              fixture_set_up, test_dispose_cancels, fixture_tear_down);
  g_test_add ("/image-loader/request", Fixture, NULL,
              fixture_set_up, test_request, fixture_tear_down);

  g_test_add_func ("/image-decoder/slots", test_decode_slots);
  g_test_add_func ("/image-decoder/budget", test_decode_budget);
  g_test_add_func ("/image-decoder/huge", test_decode_huge);
  g_test_add_func ("/image-decoder/cancel", test_decode_cancel);

  return g_test_run ();
}
