/* lens-image-url.c — the address of an image at the width it is shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AceData's CDN (platform.cdn.acedata.cloud) resizes an image when its
 * address carries a Qiniu-style processing query: `?imageMogr2/thumbnail/
 * <w>x` answers the image scaled to <w> pixels wide, its height in
 * proportion. The record's own `image_url` already uses that form for its
 * half-size thumbnail (`?imageMogr2/thumbnail/!50p`). A list row shows
 * 48 pixels of a 2048-pixel picture: asking for its width instead of the
 * picture costs a few kilobytes instead of a megabyte, on the network,
 * on disk and in the decoder.
 *
 * The width asked for is the width shown in device pixels rounded up to
 * one of a few buckets, so that nearby sizes (a scale factor, a slightly
 * wider view) share one file in the disk cache. Asking for the longest
 * side shown as the *width* is always enough: a portrait picture that
 * wide is only taller, and the decoder scales it down to fit.
 *
 * Only these addresses are changed:
 *   - on a host of @resizing_hosts (exactly; other AceData hosts such as
 *     the Discord mirror midjourney.cdn.acedata.cloud do not resize), and
 *   - with no query, or with a query that is itself one thumbnail
 *     operation, which is replaced. Any other query is left alone: it may
 *     be a signature over the whole address (Qiniu's private links carry
 *     `e=…&token=…`), which an added operation would break. Qiniu can
 *     chain operations with `|`, but a second resize after the first only
 *     costs the CDN time, so a lone thumbnail operation is replaced rather
 *     than chained.
 * Anything else, and widths above the largest bucket (where the original
 * is wanted anyway), keep the address as given.
 *
 * The hosts are a parameter so that tests and the demo can name the fake
 * server's (see lens_image_fetcher_set_resizing_hosts()).
 */

#define G_LOG_DOMAIN "lens-image-url"

#include "config.h"

#include <string.h>

#include "lens-image-url.h"

/* The widths asked of the CDN, in device pixels. */
static const int buckets[] = { 64, 128, 256, 512, 1024 };

#define THUMBNAIL_OPERATION "imageMogr2/thumbnail/"

/**
 * lens_image_url_bucket_width:
 * @width: the width shown, in device pixels
 *
 * Returns: the smallest bucket at least @width wide, or 0 when @width is
 *   not positive or wider than every bucket
 */
int
lens_image_url_bucket_width (int width)
{
  if (width <= 0)
    return 0;

  for (gsize i = 0; i < G_N_ELEMENTS (buckets); i++)
    if (width <= buckets[i])
      return buckets[i];

  return 0;
}

/* Whether @query is one thumbnail operation and nothing else, such as
 * "imageMogr2/thumbnail/!50p" or "imageMogr2/thumbnail/128x". */
static gboolean
is_lone_thumbnail_operation (const char *query)
{
  const char *spec;

  if (!g_str_has_prefix (query, THUMBNAIL_OPERATION))
    return FALSE;

  spec = query + strlen (THUMBNAIL_OPERATION);
  return *spec != '\0' && strpbrk (spec, "/|&=") == NULL;
}

static gboolean
is_resizing_host (const char         *host,
                  const char * const *resizing_hosts)
{
  if (host == NULL || resizing_hosts == NULL)
    return FALSE;

  for (gsize i = 0; resizing_hosts[i] != NULL; i++)
    if (g_ascii_strcasecmp (host, resizing_hosts[i]) == 0)
      return TRUE;

  return FALSE;
}

/**
 * lens_image_url_for_width:
 * @url: an image address, as the record gives it
 * @width: the width it is shown at, in device pixels; 0 for the original
 * @resizing_hosts: (nullable) (array zero-terminated=1): the hosts that
 *   resize on request, such as %LENS_IMAGE_URL_ACEDATA_CDN
 *
 * Returns: (transfer full): the address to fetch: @url asking for the
 *   bucket of @width where its host can resize it, @url itself otherwise
 */
char *
lens_image_url_for_width (const char         *url,
                          int                 width,
                          const char * const *resizing_hosts)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *query = NULL;
  g_autofree char *fragment = NULL;
  int bucket = lens_image_url_bucket_width (width);
  const char *mark;

  g_return_val_if_fail (url != NULL, NULL);

  if (bucket == 0
      || !g_uri_split (url, G_URI_FLAGS_ENCODED, &scheme, NULL, &host, NULL, NULL, &query,
                       &fragment, NULL)
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
      || fragment != NULL
      || !is_resizing_host (host, resizing_hosts)
      || (query != NULL && *query != '\0' && !is_lone_thumbnail_operation (query)))
    return g_strdup (url);

  mark = strchr (url, '?');
  return g_strdup_printf ("%.*s?" THUMBNAIL_OPERATION "%dx",
                          (int) (mark != NULL ? mark - url : (gssize) strlen (url)), url, bucket);
}

/**
 * lens_image_url_parse_hosts:
 * @list: (nullable): host names separated by commas, such as
 *   "platform.cdn.acedata.cloud,127.0.0.1"
 *
 * Returns: (transfer full) (nullable): the host names, without blanks and
 *   empty entries; %NULL when @list names none
 */
GStrv
lens_image_url_parse_hosts (const char *list)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean any = FALSE;

  if (list == NULL)
    return NULL;

  parts = g_strsplit (list, ",", -1);
  for (gsize i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      g_strv_builder_add (builder, parts[i]);
      any = TRUE;
    }

  return any ? g_strv_builder_end (builder) : NULL;
}
