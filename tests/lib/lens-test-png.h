/* lens-test-png.h — huge pictures in a few bytes, for the decoder's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GBytes *lens_test_make_png (guint width,
                            guint height);

G_END_DECLS
