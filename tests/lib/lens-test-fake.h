/* lens-test-fake.h — the fake AceData server, as the tests drive it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starting the fake server, naming its images, pushing faults on its image
 * host and looking at the requests it saw. For the programs that link
 * lens_test_fake_dep.
 */

#pragma once

#include "lens-fake-api.h"
#include "lens-test.h"

G_BEGIN_DECLS

/* The server */
LensFakeApi     *lens_test_start_fake_api          (const char        *token);
char            *lens_test_image_url               (LensFakeApi       *fake,
                                                    const char        *id,
                                                    const char        *suffix);

/* Faults of the image host */
void             lens_test_push_image_fault        (LensFakeApi       *fake,
                                                    LensFakeFaultKind  kind,
                                                    guint              delay_ms,
                                                    guint              times);
void             lens_test_push_image_status       (LensFakeApi       *fake,
                                                    guint              status,
                                                    guint              times);

/* What it was asked */
LensFakeRequest *lens_test_fake_request            (LensFakeApi       *fake,
                                                    guint              index);
guint            lens_test_count_media_requests    (LensFakeApi       *fake);
void             lens_test_wait_for_media_requests (LensFakeApi       *fake,
                                                    guint              count);

G_END_DECLS
