/* lens-task-view-download.h — Download Original of the task view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-downloads.h"
#include "lens-task.h"
#include "lens-task-view-video.h"

G_BEGIN_DECLS

/**
 * LensTaskViewDownloadCallbacks:
 * @changed: the shown task's download started, moved on or ended, or
 *   another task's download (or none) is shown
 * @toast_error: says why a download started here, or its file dialog,
 *   failed; a dialog the user closed is no failure, and says nothing
 * @toast_saved: says that a download started here saved @file, and offers
 *   to open it and show it
 * @toast_file: says @message, and offers to open @file and show it
 *
 * What the download hands to the task view that owns it. None is called
 * from within lens_task_view_download_free().
 */
typedef struct
{
  void (*changed)     (gpointer      user_data);
  void (*toast_error) (const GError *error,
                       gpointer      user_data);
  void (*toast_saved) (GFile        *file,
                       gpointer      user_data);
  void (*toast_file)  (const char   *message,
                       GFile        *file,
                       gpointer      user_data);
} LensTaskViewDownloadCallbacks;

typedef struct _LensTaskViewDownload LensTaskViewDownload;

LensTaskViewDownload *lens_task_view_download_new           (GtkStack                            *stack,
                                                             GtkWidget                           *button,
                                                             GtkProgressBar                      *progress_bar,
                                                             GtkWidget                           *saved_file_row,
                                                             LensTaskViewVideo                   *video,
                                                             const LensTaskViewDownloadCallbacks *callbacks,
                                                             gpointer                             user_data);
void                  lens_task_view_download_free          (LensTaskViewDownload                *self);
void                  lens_task_view_download_set_downloads (LensTaskViewDownload                *self,
                                                             LensDownloads                       *downloads);
void                  lens_task_view_download_set_task      (LensTaskViewDownload                *self,
                                                             LensTask                            *task);
const char           *lens_task_view_download_get_url       (LensTaskViewDownload                *self);
gboolean              lens_task_view_download_can_start     (LensTaskViewDownload                *self);
gboolean              lens_task_view_download_can_cancel    (LensTaskViewDownload                *self);
gboolean              lens_task_view_download_is_running    (LensTaskViewDownload                *self);
double                lens_task_view_download_get_progress  (LensTaskViewDownload                *self);
void                  lens_task_view_download_update        (LensTaskViewDownload                *self);
void                  lens_task_view_download_start         (LensTaskViewDownload                *self);
void                  lens_task_view_download_start_to      (LensTaskViewDownload                *self,
                                                             GFile                               *destination);
void                  lens_task_view_download_cancel        (LensTaskViewDownload                *self);

G_END_DECLS
