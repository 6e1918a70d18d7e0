/* test-image-url.c — the address of an image at the width it is shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The addresses are those of tests/data/api-examples: AceData's own CDN
 * (which resizes), its Discord mirror and Midjourney's CDN (which do not).
 */

#include "config.h"

#include "lens-image-url.h"
#include "lens-test.h"

#define CDN   "https://platform.cdn.acedata.cloud/midjourney/7489df4c-ef03-4de0-b598-e9a590793434.png"
#define MIRROR "https://midjourney.cdn.acedata.cloud/attachments/1234291876639674388/1234558451443699803/eae94f0f_grid_0.webp"

static const char * const acedata[] = { LENS_IMAGE_URL_ACEDATA_CDN, NULL };

typedef struct
{
  const char *url;
  int         width;
  const char *expected;
} UrlCase;

static const UrlCase url_cases[] = {
  /* The original, as raw_image_url gives it: asked for at the bucket. */
  { CDN, 48, CDN "?imageMogr2/thumbnail/64x" },
  { CDN, 96, CDN "?imageMogr2/thumbnail/128x" },
  { CDN, 129, CDN "?imageMogr2/thumbnail/256x" },
  { CDN, 1024, CDN "?imageMogr2/thumbnail/1024x" },
  /* The half-size thumbnail image_url gives: its lone thumbnail operation
   * is replaced, not chained. */
  { CDN "?imageMogr2/thumbnail/!50p", 96, CDN "?imageMogr2/thumbnail/128x" },
  { CDN "?imageMogr2/thumbnail/512x", 40, CDN "?imageMogr2/thumbnail/64x" },
  /* An empty query is no query. */
  { CDN "?", 48, CDN "?imageMogr2/thumbnail/64x" },
  /* The host is compared without case, as DNS does. */
  { "https://Platform.CDN.AceData.cloud/a.png", 48,
    "https://Platform.CDN.AceData.cloud/a.png?imageMogr2/thumbnail/64x" },
  /* The original size, or wider than any bucket: the address as given. */
  { CDN, 0, CDN },
  { CDN, 1025, CDN },
  { CDN "?imageMogr2/thumbnail/!50p", 0, CDN "?imageMogr2/thumbnail/!50p" },
  /* Any other query may be a signature over the whole address. */
  { CDN "?e=1720364607&token=abc:def", 48, CDN "?e=1720364607&token=abc:def" },
  { CDN "?imageMogr2/thumbnail/!50p|watermark/1", 48, CDN "?imageMogr2/thumbnail/!50p|watermark/1" },
  { CDN "?imageMogr2/thumbnail/!50p/format/webp", 48, CDN "?imageMogr2/thumbnail/!50p/format/webp" },
  { CDN "?imageMogr2/thumbnail/", 48, CDN "?imageMogr2/thumbnail/" },
  { CDN "#top", 48, CDN "#top" },
  /* Other hosts, AceData's Discord mirror too, do not resize. */
  { MIRROR "?ex=66312ba7&width=256&height=256", 48, MIRROR "?ex=66312ba7&width=256&height=256" },
  { MIRROR, 48, MIRROR },
  { "https://cdn.midjourney.com/88e16dab/0_0.png", 48, "https://cdn.midjourney.com/88e16dab/0_0.png" },
  { "https://cdn.acedata.cloud/a.png", 48, "https://cdn.acedata.cloud/a.png" },
  { "https://platform.cdn.acedata.cloud.example/a.png", 48,
    "https://platform.cdn.acedata.cloud.example/a.png" },
  /* Not a web address. */
  { "file://platform.cdn.acedata.cloud/a.png", 48, "file://platform.cdn.acedata.cloud/a.png" },
  { "not a url", 48, "not a url" },
};

static void
test_for_width (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (url_cases); i++)
    {
      g_autofree char *url = lens_image_url_for_width (url_cases[i].url, url_cases[i].width, acedata);

      g_test_message ("%s at %d", url_cases[i].url, url_cases[i].width);
      g_assert_cmpstr (url, ==, url_cases[i].expected);
    }
}

static void
test_buckets (void)
{
  /* Few widths, so that nearby sizes share one file in the caches. */
  g_assert_cmpint (lens_image_url_bucket_width (-1), ==, 0);
  g_assert_cmpint (lens_image_url_bucket_width (0), ==, 0);
  g_assert_cmpint (lens_image_url_bucket_width (1), ==, 64);
  g_assert_cmpint (lens_image_url_bucket_width (64), ==, 64);
  g_assert_cmpint (lens_image_url_bucket_width (65), ==, 128);
  g_assert_cmpint (lens_image_url_bucket_width (144), ==, 256);
  g_assert_cmpint (lens_image_url_bucket_width (512), ==, 512);
  g_assert_cmpint (lens_image_url_bucket_width (513), ==, 1024);
  g_assert_cmpint (lens_image_url_bucket_width (1025), ==, 0);
}

static void
test_hosts (void)
{
  g_auto(GStrv) hosts = lens_image_url_parse_hosts (" 127.0.0.1 ,, " LENS_IMAGE_URL_ACEDATA_CDN ",");
  g_auto(GStrv) none = lens_image_url_parse_hosts (" , ");
  g_autofree char *local = NULL;
  g_autofree char *cdn = NULL;
  g_autofree char *without = NULL;
  const char * const empty[] = { NULL };

  g_assert_cmpuint (g_strv_length (hosts), ==, 2);
  g_assert_cmpstr (hosts[0], ==, "127.0.0.1");
  g_assert_cmpstr (hosts[1], ==, LENS_IMAGE_URL_ACEDATA_CDN);
  g_assert_null (none);
  g_assert_null (lens_image_url_parse_hosts (NULL));

  /* A host of the list, whatever its port: the fake server's, for tests
   * and the demo. */
  local = lens_image_url_for_width ("http://127.0.0.1:48765/images/x-thumb.png", 48,
                                    (const char * const *) hosts);
  g_assert_cmpstr (local, ==, "http://127.0.0.1:48765/images/x-thumb.png?imageMogr2/thumbnail/64x");
  cdn = lens_image_url_for_width (CDN, 48, (const char * const *) hosts);
  g_assert_cmpstr (cdn, ==, CDN "?imageMogr2/thumbnail/64x");

  /* No host resizes. */
  without = lens_image_url_for_width (CDN, 48, empty);
  g_assert_cmpstr (without, ==, CDN);
  g_clear_pointer (&without, g_free);
  without = lens_image_url_for_width (CDN, 48, NULL);
  g_assert_cmpstr (without, ==, CDN);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/image-url/for-width", test_for_width);
  g_test_add_func ("/image-url/buckets", test_buckets);
  g_test_add_func ("/image-url/hosts", test_hosts);

  return g_test_run ();
}
