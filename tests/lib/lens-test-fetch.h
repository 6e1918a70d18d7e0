/* lens-test-fetch.h — what a server serves, fetched on its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For comparing what the code under test saved or showed with the bytes it
 * was given, fetched with a plain request on the same session.
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

GBytes      *lens_test_fetch            (SoupSession    *session,
                                         const char     *url);

G_END_DECLS
