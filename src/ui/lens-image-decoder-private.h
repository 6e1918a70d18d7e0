/* lens-image-decoder-private.h — the decode itself, in the calling thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For lens-image-decoder.c's worker and the fuzzer (tests/fuzz) only.
 */

#pragma once

#include "lens-image-decoder.h"

G_BEGIN_DECLS

GdkTexture *_lens_image_decoder_decode_bytes (GBytes        *data,
                                              int            pixel_size,
                                              GCancellable  *cancellable,
                                              GError       **error);

G_END_DECLS
