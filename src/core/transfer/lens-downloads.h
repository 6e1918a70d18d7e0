/* lens-downloads.h — every save of an original image, as a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-download.h"
#include "lens-downloader.h"
#include "lens-history.h"
#include "lens-name-template.h"

G_BEGIN_DECLS

/* A GListModel of LensDownload, in the order they were started: the ones
 * under way, and the last one of each task until the task is saved again
 * (at most a few dozen ended ones are kept: the oldest go first). One task
 * has at most one download under way. A download that succeeds is recorded
 * in the history ("history", nullable and settable later, for the history
 * that exists only once loaded). Disposing cancels every download under way.
 */
#define LENS_TYPE_DOWNLOADS (lens_downloads_get_type ())
G_DECLARE_FINAL_TYPE (LensDownloads, lens_downloads, LENS, DOWNLOADS, GObject)

LensDownloads *lens_downloads_new             (LensDownloader *downloader,
                                               LensHistory    *history);
LensHistory   *lens_downloads_get_history     (LensDownloads  *self);
void           lens_downloads_set_history     (LensDownloads  *self,
                                               LensHistory    *history);

LensDownload  *lens_downloads_start           (LensDownloads  *self,
                                               const char     *task_id,
                                               const char     *url,
                                               GFile          *destination);
LensDownload  *lens_downloads_start_with_facts (LensDownloads        *self,
                                                const char           *task_id,
                                                const char           *url,
                                                GFile                *destination,
                                                const LensImageFacts *facts);
LensDownload  *lens_downloads_prepare         (LensDownloads  *self,
                                               const char     *task_id,
                                               const char     *url,
                                               const LensImageFacts *fields);
void           lens_downloads_set_destination (LensDownloads  *self,
                                               LensDownload   *download,
                                               GFile          *destination);
LensDownload  *lens_downloads_find            (LensDownloads  *self,
                                               const char     *task_id);
void           lens_downloads_cancel_all      (LensDownloads  *self);
gboolean       lens_downloads_is_settled      (LensDownloads  *self);

G_END_DECLS
