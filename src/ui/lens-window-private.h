/* lens-window-private.h — shared by the files of the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is one class in three files: lens-window.c (the list, the
 * selection, search, removing and refreshing), lens-window-input.c (every
 * way ids come in: paste, the add dialog, import, drop) and
 * lens-window-status.c (toasts, the banner, the window's saved state).
 */

#pragma once

#include "lens-task-view.h"
#include "lens-window.h"

G_BEGIN_DECLS

typedef struct
{
  guint     position;
  LensTask *task;  /* owned */
} RemovedTask;

struct _LensWindow
{
  AdwApplicationWindow  parent_instance;

  AdwBanner            *banner;
  AdwStatusPage        *empty_page;
  GtkRevealer          *import_revealer;
  GtkLabel             *import_label;
  GtkProgressBar       *import_progress;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  GtkStack             *main_stack;
  GtkSearchBar         *search_bar;
  GtkToggleButton      *search_button;
  GtkSearchEntry       *search_entry;
  AdwNavigationSplitView *split_view;
  AdwNavigationPage    *task_page;
  LensTaskView         *task_view;
  AdwToastOverlay      *toast_overlay;

  LensApplication      *application;     /* owned */
  LensTaskList         *tasks;           /* owned */
  GtkFilterListModel   *filtered;        /* owned */
  GtkCustomFilter      *filter;          /* owned */
  GtkSingleSelection   *selection;       /* owned */
  char                **search_words;    /* owned, nullable: casefolded */
  LensTask             *titled_task;     /* owned, nullable: the selected task */

  GCancellable         *cancellable;     /* owned: cancelled on dispose */
  GCancellable         *import_cancellable; /* owned, nullable */
  GQueue                import_queue;    /* of GFile (owned), waiting to be read */

  GArray               *removed;         /* of RemovedTask, for undo */
  AdwToast             *undo_toast;      /* borrowed, nullable */

  char                 *last_error;      /* owned, nullable: last lookup error shown */
  gint64                last_error_time;
};

/* lens-window.c */
void update_pages            (LensWindow *self);

/* lens-window-input.c */
void lens_window_input_class_init (GtkWidgetClass *widget_class);
void lens_window_input_init       (LensWindow     *self);

/* lens-window-status.c */
void lens_window_status_class_init (GtkWidgetClass *widget_class);
void lens_window_status_setup      (LensWindow     *self);
void lens_window_loading_changed   (LensWindow     *self);

G_END_DECLS
