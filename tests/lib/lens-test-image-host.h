/* lens-test-image-host.h — the fake server's image host, for the image tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The part of a fixture that the image fetcher's and the image loader's
 * tests share: a fake server with generated imagine tasks, the session that
 * fetches their images, and a disk cache directory when the test wants one.
 */

#pragma once

#include <libsoup/soup.h>

#include "lens-fake-api.h"

G_BEGIN_DECLS

/* Generated imagine tasks cycle through these sizes (see lens-fake-generate.c);
 * "-thumb.png" is half of each. */
#define LENS_TEST_SQUARE    0   /* 1024 × 1024 */
#define LENS_TEST_LANDSCAPE 1   /* 1024 × 768 */
#define LENS_TEST_PORTRAIT  2   /* 768 × 1024 */
#define LENS_TEST_N_IMAGES  12

typedef struct
{
  LensFakeApi *fake;
  SoupSession *session;
  GStrv        ids;        /* LENS_TEST_N_IMAGES generated imagine tasks */
  char        *cache_dir;  /* nullable: a scratch directory for a disk cache */
} LensTestImageHost;

void     lens_test_image_host_set_up    (LensTestImageHost *host,
                                         gboolean           with_cache_dir);
void     lens_test_image_host_restart   (LensTestImageHost *host);
void     lens_test_image_host_tear_down (LensTestImageHost *host);
char    *lens_test_image_host_url       (LensTestImageHost *host,
                                         guint              index,
                                         const char        *suffix);

G_END_DECLS
