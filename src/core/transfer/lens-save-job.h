/* lens-save-job.h — saving the images of many tasks into one folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-downloader.h"
#include "lens-history.h"
#include "lens-save-cut.h"
#include "lens-save-plan.h"
#include "lens-task-store.h"

G_BEGIN_DECLS

/**
 * LensSaveJobState:
 * @LENS_SAVE_JOB_PREPARING: reading the tasks' records and the folder
 * @LENS_SAVE_JOB_RUNNING: saving images
 * @LENS_SAVE_JOB_DONE: every image was tried: saved, already there, or
 *   failed (see lens_save_job_get_failures())
 * @LENS_SAVE_JOB_CANCELLED: stopped by the user; what was saved stays
 */
typedef enum
{
  LENS_SAVE_JOB_PREPARING,
  LENS_SAVE_JOB_RUNNING,
  LENS_SAVE_JOB_DONE,
  LENS_SAVE_JOB_CANCELLED,
} LensSaveJobState;

#define LENS_TYPE_SAVE_JOB_STATE (lens_save_job_state_get_type ())
GType lens_save_job_state_get_type (void) G_GNUC_CONST;

/**
 * LensSaveFailure:
 * @task_id: the task
 * @index: which of its images (0 for the whole one)
 * @title: what the user calls the task (its prompt, or its title)
 * @message: what went wrong, in the user's words
 */
typedef struct
{
  char  *task_id;
  guint  index;
  char  *title;
  char  *message;
} LensSaveFailure;

/* Properties (read-only, notified on change): "state", "folder",
 * "n-images" (planned), "n-saved", "n-existing", "n-failed", "n-without-image"
 * (tasks with nothing to save), "bytes-saved", "seconds-left" (-1 while
 * unknown). Signal "finished" when it is DONE or CANCELLED. */
#define LENS_TYPE_SAVE_JOB (lens_save_job_get_type ())
G_DECLARE_FINAL_TYPE (LensSaveJob, lens_save_job, LENS, SAVE_JOB, GObject)

LensSaveJob      *lens_save_job_new                (LensDownloader     *downloader,
                                                    LensTaskStore      *store,
                                                    GFile              *folder,
                                                    const char * const *ids,
                                                    LensSaveGrids       grids);
void              lens_save_job_set_history        (LensSaveJob        *self,
                                                    LensHistory        *history);
void              lens_save_job_set_name_template  (LensSaveJob        *self,
                                                    const char         *name_template);
void              lens_save_job_set_split_func     (LensSaveJob        *self,
                                                    LensGridSplitFunc   split);
void              lens_save_job_set_journal_path   (LensSaveJob        *self,
                                                    const char         *path);
void              lens_save_job_set_max_in_flight  (LensSaveJob        *self,
                                                    guint               max_in_flight);
void              lens_save_job_start              (LensSaveJob        *self);
void              lens_save_job_cancel             (LensSaveJob        *self);
void              lens_save_job_interrupt          (LensSaveJob        *self);
gboolean          lens_save_job_retry_failed       (LensSaveJob        *self);

LensSaveJobState  lens_save_job_get_state          (LensSaveJob        *self);
GFile            *lens_save_job_get_folder         (LensSaveJob        *self);
guint             lens_save_job_get_n_tasks        (LensSaveJob        *self);
guint             lens_save_job_get_n_images       (LensSaveJob        *self);
guint             lens_save_job_get_n_saved        (LensSaveJob        *self);
guint             lens_save_job_get_n_existing     (LensSaveJob        *self);
guint             lens_save_job_get_n_failed       (LensSaveJob        *self);
guint             lens_save_job_get_n_without_image (LensSaveJob       *self);
guint64           lens_save_job_get_bytes_saved    (LensSaveJob        *self);
double            lens_save_job_get_seconds_left   (LensSaveJob        *self);
GPtrArray        *lens_save_job_get_failures       (LensSaveJob        *self);
const GError     *lens_save_job_get_error          (LensSaveJob        *self);

G_END_DECLS
