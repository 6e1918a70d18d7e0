/* lens-download-private.h — what LensDownloads uses to drive a LensDownload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only lens-downloads.c includes this (and tests, to read what it set). A
 * download never calls back into LensDownloads: it holds its state, and
 * LensDownloads changes it.
 */

#pragma once

#include "lens-download.h"
#include "lens-image-facts.h"

G_BEGIN_DECLS

LensDownload *_lens_download_new                (const char   *task_id,
                                                 const char   *url);
GCancellable *_lens_download_get_cancellable    (LensDownload *self);
void          _lens_download_set_stem           (LensDownload *self,
                                                 const char   *stem);
const char   *_lens_download_get_stem           (LensDownload *self);
void          _lens_download_set_facts          (LensDownload         *self,
                                                 const LensImageFacts *facts);
const LensImageFacts *_lens_download_get_facts  (LensDownload *self);
void          _lens_download_set_suggested_name (LensDownload *self,
                                                 const char   *name);
void          _lens_download_run                (LensDownload *self,
                                                 GFile        *destination);
void          _lens_download_set_progress       (LensDownload *self,
                                                 double        progress);
void          _lens_download_finish             (LensDownload *self,
                                                 const GError *error);

G_END_DECLS
