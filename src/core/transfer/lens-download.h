/* lens-download.h — one save of one task's original image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * LensDownloadState:
 * @LENS_DOWNLOAD_STATE_PREPARING: the link is being checked, then the user
 *   picks the file; there is no destination yet
 * @LENS_DOWNLOAD_STATE_RUNNING: the image is being written to its destination
 * @LENS_DOWNLOAD_STATE_DONE: the image is in place
 * @LENS_DOWNLOAD_STATE_FAILED: it could not be saved; the error says why
 * @LENS_DOWNLOAD_STATE_CANCELLED: it was stopped, and left no file behind
 *
 * A download only moves forward, with one exception: a download cancelled
 * while its file was being put in place is DONE after all, since the file
 * is there.
 */
typedef enum
{
  LENS_DOWNLOAD_STATE_PREPARING,
  LENS_DOWNLOAD_STATE_RUNNING,
  LENS_DOWNLOAD_STATE_DONE,
  LENS_DOWNLOAD_STATE_FAILED,
  LENS_DOWNLOAD_STATE_CANCELLED,
} LensDownloadState;

#define LENS_TYPE_DOWNLOAD_STATE (lens_download_state_get_type ())
GType lens_download_state_get_type (void) G_GNUC_CONST;

/* What one download is doing, for whoever shows it. LensDownloads makes and
 * drives them; everyone else only reads them, or cancels them. Properties:
 * "task-id", "url" (construct-only), "destination" (nullable until chosen),
 * "suggested-name" (nullable until the link was checked), "progress" (0…1,
 * or -1 while the size is unknown), "state", "error" (nullable). */
#define LENS_TYPE_DOWNLOAD (lens_download_get_type ())
G_DECLARE_FINAL_TYPE (LensDownload, lens_download, LENS, DOWNLOAD, GObject)

const char        *lens_download_get_task_id        (LensDownload *self);
const char        *lens_download_get_url            (LensDownload *self);
GFile             *lens_download_get_destination    (LensDownload *self);
const char        *lens_download_get_suggested_name (LensDownload *self);
double             lens_download_get_progress       (LensDownload *self);
LensDownloadState  lens_download_get_state          (LensDownload *self);
const GError      *lens_download_get_error          (LensDownload *self);
gboolean           lens_download_is_active          (LensDownload *self);
void               lens_download_cancel             (LensDownload *self);

G_END_DECLS
