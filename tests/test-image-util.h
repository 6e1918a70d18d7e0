/* test-image-util.h — what the image fetcher's and loader's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by test-image-fetcher.c (bytes) and test-image-loader.c (textures),
 * which run against the fake AceData server's image host.
 */

#pragma once

#include "lens-fake-api.h"

G_BEGIN_DECLS

/* Generated imagine tasks cycle through these sizes (see lens-fake-generate.c);
 * "-thumb.png" is half of each. */
#define SQUARE    0   /* 1024 × 1024 */
#define LANDSCAPE 1   /* 1024 × 768 */
#define PORTRAIT  2   /* 768 × 1024 */
#define N_IDS     12

void     remove_dir            (const char        *path);

char    *image_url             (LensFakeApi       *fake,
                                const char        *id,
                                const char        *suffix);
guint    count_media_requests  (LensFakeApi       *fake);
void     wait_for_requests     (LensFakeApi       *fake,
                                guint              count);
void     push_fault            (LensFakeApi       *fake,
                                LensFakeFaultKind  kind,
                                guint              times);
void     push_delay            (LensFakeApi       *fake,
                                guint              delay_ms,
                                guint              times);

G_END_DECLS
