/* lens-image-url.h — the address of an image at the width it is shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The host of AceData's own CDN, which resizes images on request. */
#define LENS_IMAGE_URL_ACEDATA_CDN "platform.cdn.acedata.cloud"

int    lens_image_url_bucket_width   (int                 width);
char  *lens_image_url_for_width      (const char         *url,
                                      int                 width,
                                      const char * const *resizing_hosts);
GStrv  lens_image_url_parse_hosts    (const char         *list);

G_END_DECLS
