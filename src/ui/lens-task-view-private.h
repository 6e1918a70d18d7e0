/* lens-task-view-private.h — shared by the files of the task view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The task view is one class in three files: lens-task-view.c (the page,
 * the image, the open and copy actions, the properties and the public API),
 * lens-task-view-details.c (the groups of rows that show the task's fields)
 * and lens-task-view-download.c (saving originals, which outlive the task
 * being shown).
 */

#pragma once

#include "lens-task-view.h"

G_BEGIN_DECLS

struct _LensTaskView
{
  AdwBin               parent_instance;

  AdwActionRow        *action_row;
  AdwPreferencesGroup *chips_group;
  AdwWrapBox          *chips_box;
  GtkLabel            *created_relative_label;
  AdwActionRow        *created_row;
  AdwPreferencesGroup *descriptions_group;
  GtkProgressBar      *download_progress_bar;
  GtkStack            *download_stack;
  AdwActionRow        *duration_row;
  AdwActionRow        *error_code_row;
  AdwPreferencesGroup *error_group;
  AdwActionRow        *error_message_row;
  GtkLabel            *finished_relative_label;
  AdwActionRow        *finished_row;
  AdwPreferencesGroup *ids_group;
  AdwActionRow        *image_id_row;
  AdwActionRow        *image_size_row;
  GtkStack            *image_stack;
  AdwPreferencesGroup *images_group;
  AdwActionRow        *job_id_row;
  AdwPreferencesGroup *links_group;
  GtkStack            *main_stack;
  AdwActionRow        *mode_row;
  GtkButton           *open_button;
  GtkPicture          *picture;
  GtkAspectFrame      *picture_frame;
  GtkLabel            *placeholder_description;
  GtkImage            *placeholder_icon;
  GtkLabel            *placeholder_title;
  GtkProgressBar      *progress_bar;
  AdwActionRow        *prompt_row;
  GtkLabel            *raw_json_label;
  AdwExpanderRow      *raw_json_row;
  AdwActionRow        *raw_size_row;
  GtkScrolledWindow   *scrolled_window;
  GtkLabel            *started_relative_label;
  AdwActionRow        *started_row;
  AdwActionRow        *state_row;
  AdwActionRow        *task_id_row;
  AdwPreferencesGroup *timing_group;
  AdwActionRow        *trace_id_row;
  AdwActionRow        *type_row;
  AdwActionRow        *video_id_row;

  LensTask            *task;               /* owned, nullable */
  LensImageLoader     *image_loader;       /* owned, nullable */
  LensDownloader      *downloader;         /* owned, nullable */
  GCancellable        *cancellable;        /* owned: for the view's lifetime */

  char                *image_url;          /* owned, nullable: shown or being loaded */
  GCancellable        *image_cancellable;  /* owned, nullable: the load under way */

  GStrv                shown_actions;      /* owned, nullable: what the chips show */
  GStrv                shown_descriptions; /* owned, nullable */
  GStrv                shown_links;        /* owned, nullable */
  GPtrArray           *dynamic_rows;       /* owned: description and link rows */

  GHashTable          *downloads;          /* owned: task id → Download */
  gboolean             downloading;
  double               download_progress;

  guint                relative_time_source;
};

/* lens-task-view.c */
void     lens_task_view_toast              (LensTaskView *self,
                                            const char   *message);
void     lens_task_view_update_actions     (LensTaskView *self);
void     lens_task_view_set_download_state (LensTaskView *self,
                                            gboolean      downloading,
                                            double        progress);
void     lens_task_view_emit_image_saved   (LensTaskView *self,
                                            const char   *task_id,
                                            GFile        *file);

/* lens-task-view-details.c */
void     lens_task_view_details_update          (LensTaskView *self);
void     lens_task_view_details_update_times    (LensTaskView *self);
void     lens_task_view_details_update_raw_json (LensTaskView *self);

/* lens-task-view-download.c */
void     lens_task_view_download_class_init  (GtkWidgetClass *widget_class);
void     lens_task_view_download_init        (LensTaskView   *self);
void     lens_task_view_download_dispose     (LensTaskView   *self);
void     lens_task_view_download_sync        (LensTaskView   *self);
gboolean lens_task_view_download_can_start   (LensTaskView   *self);
gboolean lens_task_view_download_has_current (LensTaskView   *self);

G_END_DECLS
