/* lens-downloader-error.h — what went wrong with a download, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For lens-downloader.c only; these call nothing back.
 */

#pragma once

#include "lens-downloader.h"

G_BEGIN_DECLS

GError *_lens_downloader_network_error_new   (GError     *error,
                                              gboolean    answered);
GError *_lens_downloader_http_error_new      (guint       status);
GError *_lens_downloader_not_an_image_error_new (const char *display_name);
GError *_lens_downloader_too_large_error_new (const char *display_name,
                                              goffset     max_size);
GError *_lens_downloader_write_error_new     (const char *display_name,
                                              GError     *error);

G_END_DECLS
