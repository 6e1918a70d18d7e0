/* lens-saving.h — the app's bulk save: one at a time, resumed after a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-save-job.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

/* Properties: "job" (LensSaveJob, nullable: the save under way, or the
 * last one until another starts), "name-template" (string, nullable).
 * Signal "job-finished" (LensSaveJob *job) when a job is DONE or
 * CANCELLED. */
#define LENS_TYPE_SAVING (lens_saving_get_type ())
G_DECLARE_FINAL_TYPE (LensSaving, lens_saving, LENS, SAVING, GObject)

LensSaving  *lens_saving_new              (LensDownloader      *downloader,
                                           LensTaskStore       *store,
                                           LensTaskList        *tasks,
                                           const char          *journal_path);
void         lens_saving_set_history      (LensSaving          *self,
                                           LensHistory         *history);
void         lens_saving_set_split_func   (LensSaving          *self,
                                           LensGridSplitFunc    split);
LensSaveJob *lens_saving_get_job          (LensSaving          *self);
gboolean     lens_saving_is_busy          (LensSaving          *self);
LensSaveJob *lens_saving_start            (LensSaving          *self,
                                           GFile               *folder,
                                           const char * const  *ids,
                                           LensSaveGrids        grids,
                                           GError             **error);
GStrv        lens_saving_dup_finished_ids (LensSaving          *self,
                                           gboolean             only_unsaved);
void         lens_saving_interrupt        (LensSaving          *self);

G_END_DECLS
