/* lens-downloader-private.h — shared by the files of the downloader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The downloader is one class in three files: lens-downloader.c (the
 * GObject and the transfer: the body streamed into a temporary file that
 * replaces the destination), lens-downloader-name.c (the names of files:
 * asking the server for the type, suggesting a name, naming the temporary
 * file) and lens-downloader-error.c (what went wrong, in words a user can
 * act on).
 */

#pragma once

#include "lens-downloader.h"

G_BEGIN_DECLS

struct _LensDownloader
{
  GObject      parent_instance;

  SoupSession *session;   /* owned */
  goffset      max_size;
};

/* lens-downloader.c */
SoupMessage *lens_downloader_new_message         (const char  *method,
                                                  const char  *url,
                                                  GError     **error);

/* lens-downloader-name.c */
char        *lens_downloader_make_temp_name      (GFile       *destination);

/* lens-downloader-error.c */
GError      *lens_downloader_network_error_new   (GError      *error,
                                                  gboolean     answered);
GError      *lens_downloader_http_error_new      (guint        status);
GError      *lens_downloader_too_large_error_new (const char  *display_name,
                                                  goffset      max_size);
GError      *lens_downloader_write_error_new     (const char  *display_name,
                                                  GError      *error);

G_END_DECLS
