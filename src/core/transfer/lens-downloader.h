/* lens-downloader.h — saves a task's image to a file, safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "lens-image-facts.h"
#include "lens-image-file.h"

G_BEGIN_DECLS

#define LENS_DOWNLOADER_ERROR (lens_downloader_error_quark ())

/**
 * LensDownloaderError:
 * @LENS_DOWNLOADER_ERROR_INVALID_URL: not an http or https URL
 * @LENS_DOWNLOADER_ERROR_HTTP: the server answered with an error status
 *   other than those of @LENS_DOWNLOADER_ERROR_EXPIRED
 * @LENS_DOWNLOADER_ERROR_NETWORK: the connection failed or broke off
 * @LENS_DOWNLOADER_ERROR_TOO_LARGE: the file is larger than the size cap
 * @LENS_DOWNLOADER_ERROR_WRITE: the file could not be written (full disk,
 *   no permission …)
 * @LENS_DOWNLOADER_ERROR_NOT_AN_IMAGE: a save of a task's image got
 *   nothing, or text (an error page sent with 200)
 * @LENS_DOWNLOADER_ERROR_EXPIRED: the server answered 403, 404 or 410: the
 *   image has expired (AceData keeps results for about 30 days); a copy
 *   the user saved before is all there is (lens_http_status_is_expired())
 */
typedef enum
{
  LENS_DOWNLOADER_ERROR_INVALID_URL,
  LENS_DOWNLOADER_ERROR_HTTP,
  LENS_DOWNLOADER_ERROR_NETWORK,
  LENS_DOWNLOADER_ERROR_TOO_LARGE,
  LENS_DOWNLOADER_ERROR_WRITE,
  LENS_DOWNLOADER_ERROR_NOT_AN_IMAGE,
  LENS_DOWNLOADER_ERROR_EXPIRED,
} LensDownloaderError;

/* Called on the thread-default main context of the caller, at most about
 * ten times a second; @total is -1 when the server did not say. The last call
 * comes once the file is in place, with @received equal to @total. */
typedef void (*LensDownloadProgressFunc) (goffset  received,
                                          goffset  total,
                                          gpointer user_data);


#define LENS_TYPE_DOWNLOADER (lens_downloader_get_type ())
G_DECLARE_FINAL_TYPE (LensDownloader, lens_downloader, LENS, DOWNLOADER, GObject)

GQuark          lens_downloader_error_quark     (void);

LensDownloader *lens_downloader_new             (SoupSession              *session);
void            lens_downloader_set_max_size    (LensDownloader           *self,
                                                 goffset                   max_size);
void            lens_downloader_set_deadline    (LensDownloader           *self,
                                                 guint                     deadline_ms);

void            lens_downloader_probe_async     (LensDownloader           *self,
                                                 const char               *url,
                                                 GCancellable             *cancellable,
                                                 GAsyncReadyCallback       callback,
                                                 gpointer                  user_data);
char           *lens_downloader_probe_finish    (LensDownloader           *self,
                                                 GAsyncResult             *result,
                                                 GError                  **error);

char           *lens_downloader_suggest_name    (const char               *task_id,
                                                 const char               *content_type,
                                                 const char               *url);

void            lens_downloader_download_async  (LensDownloader           *self,
                                                 const char               *url,
                                                 GFile                    *destination,
                                                 LensDownloadProgressFunc  progress,
                                                 gpointer                  progress_data,
                                                 GDestroyNotify            progress_data_free,
                                                 GCancellable             *cancellable,
                                                 GAsyncReadyCallback       callback,
                                                 gpointer                  user_data);
gboolean        lens_downloader_download_finish (LensDownloader           *self,
                                                 GAsyncResult             *result,
                                                 GError                  **error);
void            lens_downloader_save_async      (LensDownloader           *self,
                                                 const char               *url,
                                                 GFile                    *destination,
                                                 const LensImageFacts     *facts,
                                                 LensSaveFlags             flags,
                                                 LensDownloadProgressFunc  progress,
                                                 gpointer                  progress_data,
                                                 GDestroyNotify            progress_data_free,
                                                 GCancellable             *cancellable,
                                                 GAsyncReadyCallback       callback,
                                                 gpointer                  user_data);
GFile          *lens_downloader_save_finish     (LensDownloader           *self,
                                                 GAsyncResult             *result,
                                                 GError                  **error);

G_END_DECLS
