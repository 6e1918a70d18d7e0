/* lens-window.c — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A split view: the task list on the side, the task view as content, one
 * pane with back navigation in narrow windows. Before there is any task an
 * empty page explains what Tasklens does.
 *
 * The window is a view of its LensContext (a construct-only property) and
 * hands it down: the rows and the task view get their services from it.
 * Every way of bringing ids in — Ctrl+V, the add dialog, a drop, an import —
 * goes to the context, which says in one message what happened; the window
 * shows its messages as toasts, its pause in a banner, and its imports and
 * the account's sync in progress bars above the list.
 */

#define G_LOG_DOMAIN "lens-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-add-dialog.h"
#include "lens-bulk-selection.h"
#include "lens-export-dialog.h"
#include "lens-find-bar.h"
#include "lens-format.h"
#include "lens-gallery-view.h"
#include "lens-id-sources.h"
#include "lens-image-loader.h"
#include "lens-image-viewer.h"
#include "lens-import-bar.h"
#include "lens-lazy-menu.h"
#include "lens-pause-banner.h"
#include "lens-pause-words.h"
#include "lens-save-dialog.h"
#include "lens-save-progress.h"
#include "lens-saved-toast.h"
#include "lens-selection-bar.h"
#include "lens-shown-position.h"
#include "lens-shortcuts-dialog.h"
#include "lens-sync-bar.h"
#include "lens-task-filter.h"
#include "lens-task-rows.h"
#include "lens-task-view.h"
#include "lens-toast-layer.h"
#include "lens-window.h"
#include "lens-word-wrap.h"

struct _LensWindow
{
  AdwApplicationWindow  parent_instance;

  LensPauseBanner      *banner;
  GtkStack             *content_stack;
  AdwStatusPage        *empty_page;
  LensFindBar          *find_bar;
  LensGalleryView      *gallery_view;
  LensImportBar        *import_bar;
  GtkStack             *list_stack;
  GtkGridView          *list_view;       /* one column: see setup_list() */
  GtkStack             *main_stack;
  AdwStatusPage        *picked_page;
  LensSaveProgress     *save_progress;
  LensSelectionBar     *selection_bar;
  AdwToolbarView       *sidebar_toolbar;
  AdwNavigationSplitView *split_view;
  LensSyncBar          *sync_bar;
  GtkButton            *sync_button;
  AdwNavigationPage    *task_page;
  LensTaskView         *task_view;
  LensToastLayer       *toast_layer;
  GtkStack             *view_stack;
  AdwToggleGroup       *view_toggles;

  LensContext          *context;         /* owned */
  LensTaskList         *tasks;           /* borrowed from the context */
  GSettings            *settings;        /* borrowed from the context, nullable */
  LensImageLoader      *image_loader;    /* owned */
  LensTaskFinder       *finder;          /* owned: the search and filters */
  GtkSortListModel     *sorted;          /* owned: the tasks in the order chosen */
  GtkFilterListModel   *filtered;        /* owned: … that match the finder */
  GtkSingleSelection   *selection;       /* owned: the task open */
  LensBulkSelection    *bulk;            /* owned: the tasks picked, beside it */
  char                 *selecting_id;    /* owned, nullable: to select once sorted and filtered */
  char                 *hidden_id;       /* owned, nullable: the selection a search hid */
  char                 *added_id;        /* owned, nullable: the Add dialog's first new task */
  LensTask             *titled_task;     /* owned, nullable: the selected task */
  GCancellable         *cancellable;     /* owned: cancelled on dispose */
  AdwToast             *undo_toast;      /* borrowed, nullable */
  GtkWindow            *viewer;          /* weak, nullable: the image viewer */
  char                 *view_mode;       /* owned: "list" or "grid" */
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_VIEW_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensWindow, lens_window, ADW_TYPE_APPLICATION_WINDOW)

/* ─── toasts ───────────────────────────────────────────────────────────── */

static void
show_toast (LensWindow *self,
            const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  /* Messages may hold server text or file names: never markup. */
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, 4);
  lens_toast_layer_add_toast (self->toast_layer, toast);
}

static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  show_toast (LENS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* win.toast-saved: (message, uri) of a saved file, with Open and Show in
 * Files. */
static void
toast_saved_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  const char *message = NULL;
  const char *uri = NULL;

  g_variant_get (parameter, "(&s&s)", &message, &uri);
  lens_toast_layer_add_toast (self->toast_layer, lens_saved_toast_new (message, uri));
}

/* win.open-saved and win.show-saved: the saved toast's buttons. */
static void
launch_saved_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  lens_saved_toast_launch (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL),
                           g_str_equal (action_name, "win.show-saved"));
}

/* ─── selection and pages ──────────────────────────────────────────────── */

LensTask *
lens_window_get_selected_task (LensWindow *self)
{
  g_return_val_if_fail (LENS_IS_WINDOW (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

static gboolean
select_shown_task (LensWindow *self,
                   const char *id)
{
  guint position;

  if (!lens_shown_position_find (self->tasks, self->sorted, self->filtered,
                                 lens_task_list_lookup (self->tasks, id), &position))
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  gtk_grid_view_scroll_to (self->list_view, position, GTK_LIST_SCROLL_NONE, NULL);
  lens_gallery_view_scroll_to (self->gallery_view, position);
  return TRUE;
}

/* Whether the sort or the filter is still going through the tasks. */
static gboolean
list_is_pending (LensWindow *self)
{
  return gtk_sort_list_model_get_pending (self->sorted) > 0
         || gtk_filter_list_model_get_pending (self->filtered) > 0;
}

/* Selects the task with @id, if it is shown (a search may hide it). A task
 * just put back (Undo) may not be in its sorted and filtered place yet: it
 * is selected when it is. */
void
lens_window_select_task (LensWindow *self,
                         const char *id)
{
  g_return_if_fail (LENS_IS_WINDOW (self));

  g_clear_pointer (&self->selecting_id, g_free);
  if (!select_shown_task (self, id) && list_is_pending (self))
    self->selecting_id = g_strdup (id);
}

static void
list_pending_cb (LensWindow *self)
{
  g_autofree char *id = NULL;

  if (self->selecting_id == NULL || list_is_pending (self))
    return;
  id = g_steal_pointer (&self->selecting_id);
  select_shown_task (self, id);
}

/* What changes tasks, saves their images or acts on all of them waits for
 * the whole history: while it loads, the list shows its first screen only,
 * and the history that would write a change (a removal, a refresh's
 * answer, a saved image's place) is not made yet (lens-context.c). */
static const char * const needs_whole_history[] = {
  "win.remove-task", "win.remove-finished", "win.undo-remove", "win.refresh-task", "win.refresh-all",
  "win.save-task", "win.export", "win.save-all-images",
};

/* Remove and Refresh act on every task picked (the open one, when it is
 * alone); downloading is for the one open, alone. */
static void
update_actions (LensWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_selection = lens_window_get_selected_task (self) != NULL;
  guint n_picked = self->bulk != NULL ? lens_bulk_selection_get_n_picked (self->bulk) : 0;
  gboolean loaded = !lens_context_get_loading (self->context);

  for (guint i = 0; i < G_N_ELEMENTS (needs_whole_history); i++)
    gtk_widget_action_set_enabled (widget, needs_whole_history[i], loaded);
  gtk_widget_action_set_enabled (widget, "win.remove", loaded && (has_selection || n_picked > 0));
  gtk_widget_action_set_enabled (widget, "win.refresh", loaded && (has_selection || n_picked > 0));
  gtk_widget_action_set_enabled (widget, "win.download", loaded && has_selection && n_picked <= 1);
  gtk_widget_action_set_enabled (widget, "win.copy-ids", n_picked > 0);
  gtk_widget_action_set_enabled (widget, "win.export-selected", loaded && n_picked > 0);
  gtk_widget_action_set_enabled (widget, "win.save-images", loaded && n_picked > 0);
}

/* Returns: (transfer full) (nullable): the ids of the tasks picked, in the
 * order shown; %NULL when none is */
static GStrv
picked_ids (LensWindow *self)
{
  g_autoptr(GPtrArray) ids = lens_bulk_selection_dup_ids (self->bulk);

  if (ids->len == 0)
    return NULL;
  g_ptr_array_add (ids, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

/* "12 Tasks Selected": the content pane's title while several are picked. */
static char *
picked_title (LensWindow *self)
{
  guint n = self->bulk != NULL ? lens_bulk_selection_get_n_picked (self->bulk) : 0;

  if (n <= 1)
    return NULL;
  /* Translators: %u is a number of tasks, more than one */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Task Selected", "%u Tasks Selected", n), n);
}

/* The task page is titled as the task's row is (lens_format_task_title()),
 * from its record, which arrives after the task may already be selected;
 * until then it is just "Task". */
static void
update_task_title (LensWindow *self)
{
  LensTask *task = self->titled_task;
  g_autofree char *title = picked_title (self);

  if (title == NULL && task != NULL && (lens_task_has_details (task)
                       || lens_task_get_state (task) == LENS_TASK_STATE_QUEUED
                       || lens_task_get_state (task) == LENS_TASK_STATE_NOT_FOUND))
    title = lens_pause_words_title (task, self->tasks, lens_context_get_refresher (self->context));
  adw_navigation_page_set_title (self->task_page, title != NULL ? title : _("Task"));
}

/* Remembers the task a search or filter just hid from under the
 * selection, to select it again when it shows again: a search is a look
 * around, not a choice to leave the task one was on. A task removed is not
 * in the list any more, one unselected still matches the filter, and a new
 * choice forgets the hidden one. */
static void
remember_hidden_selection (LensWindow *self,
                           LensTask   *selected)
{
  LensTask *previous = self->titled_task;

  if (selected != NULL)
    g_clear_pointer (&self->hidden_id, g_free);
  else if (previous != NULL
           && lens_task_list_lookup (self->tasks, lens_task_get_id (previous)) == previous
           && !gtk_filter_match (gtk_filter_list_model_get_filter (self->filtered), previous))
    {
      g_free (self->hidden_id);
      self->hidden_id = g_strdup (lens_task_get_id (previous));
    }
}

/* Once the filter has gone through the list, selects the hidden task
 * again if it shows, unless something else was chosen meanwhile. */
static void
restore_hidden_selection (LensWindow *self)
{
  g_autofree char *id = NULL;

  if (self->hidden_id == NULL || gtk_filter_list_model_get_pending (self->filtered) > 0
      || lens_window_get_selected_task (self) != NULL)
    return;
  id = g_strdup (self->hidden_id);
  if (select_shown_task (self, id))
    g_clear_pointer (&self->hidden_id, g_free);
}

static void
selection_changed_cb (LensWindow *self)
{
  LensTask *task = lens_window_get_selected_task (self);
  LensRecordLoader *loader = lens_context_get_record_loader (self->context);

  remember_hidden_selection (self, task);

  /* The task shown in full keeps its record while it is shown. */
  if (task != self->titled_task)
    {
      if (self->titled_task != NULL)
        {
          g_signal_handlers_disconnect_by_func (self->titled_task, update_task_title, self);
          lens_record_loader_release (loader, self->titled_task);
        }
      g_set_object (&self->titled_task, task);
      if (task != NULL)
        {
          lens_record_loader_hold (loader, task);
          /* raw-json changes whenever the record comes or goes. */
          g_signal_connect_object (task, "notify::raw-json", G_CALLBACK (update_task_title), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (task, "notify::state", G_CALLBACK (update_task_title), self,
                                   G_CONNECT_SWAPPED);
        }
    }

  lens_task_view_set_task (self->task_view, task);
  update_task_title (self);
  update_actions (self);

  /* Remembered for the next start, unless the history is still loading
   * (the selection is empty then, not chosen). */
  if (self->settings != NULL && !lens_context_get_loading (self->context))
    g_settings_set_string (self->settings, "selected-task", task != NULL ? lens_task_get_id (task) : "");
}

static void
row_activated_cb (LensWindow *self,
                  guint       position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_navigation_split_view_set_show_content (self->split_view, TRUE);
}

static void
update_pages (LensWindow *self)
{
  guint n_tasks = g_list_model_get_n_items (G_LIST_MODEL (self->tasks));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  LensIntake *intake = lens_context_get_intake (self->context);

  /* A long history's first screen shows while the rest loads. */
  if (lens_context_get_loading (self->context) && n_tasks == 0)
    gtk_stack_set_visible_child_name (self->main_stack, "loading");
  else if (n_tasks > 0 || lens_intake_get_importing (intake)
           || lens_sync_bar_get_revealed (self->sync_bar))
    /* Without a list yet, an import's or a sync's progress (or why the
     * sync failed) shows in the task list. */
    gtk_stack_set_visible_child_name (self->main_stack, "tasks");
  else
    gtk_stack_set_visible_child_name (self->main_stack, "empty");
  gtk_stack_set_visible_child_name (self->list_stack, n_shown > 0 || n_tasks == 0 ? "list" : "no-results");
}

/* The records of the first screen of rows are asked for as soon as the
 * history is loaded: rows ask for theirs only when they are bound, in the
 * layout of a frame, and would show only their summaries until the next
 * one (issue 9: the first rows of a long history came a frame after the
 * empty page of a new one). In the list's own order the load brought them
 * (LENS_CONTEXT_FIRST_SCREEN_TASKS); the loader then bounds them with the
 * rest. */
static void
prefetch_first_screen (LensWindow *self)
{
  LensRecordLoader *loader = lens_context_get_record_loader (self->context);
  GListModel *shown = G_LIST_MODEL (self->filtered);
  guint n = MIN (g_list_model_get_n_items (shown), LENS_CONTEXT_FIRST_SCREEN_TASKS);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (shown, i);

      lens_record_loader_prefetch (loader, task);
    }
}

/* Once the history is loaded, the task that was open last time is again. */
static void
loading_changed_cb (LensWindow *self)
{
  g_autofree char *selected = NULL;
  LensTask *opened;

  update_pages (self);
  update_actions (self);
  if (lens_context_get_loading (self->context))
    return;
  prefetch_first_screen (self);
  if (self->settings == NULL)
    return;

  /* Unless a task of the first screen was opened meanwhile: that one is
   * remembered now. */
  opened = lens_window_get_selected_task (self);
  if (opened != NULL)
    {
      g_settings_set_string (self->settings, "selected-task", lens_task_get_id (opened));
      return;
    }
  selected = g_settings_get_string (self->settings, "selected-task");
  if (*selected != '\0')
    lens_window_select_task (self, selected);
}

/* On a first import, show the first task rather than an empty pane. */
static void
tasks_added_cb (LensWindow *self,
                guint       n_new,
                gboolean    was_empty)
{
  g_autofree char *added_id = NULL;

  if (self->added_id != NULL && lens_task_list_lookup (self->tasks, self->added_id) != NULL)
    {
      added_id = g_steal_pointer (&self->added_id);
      lens_window_select_task (self, added_id);
      return;
    }
  if (was_empty && !adw_navigation_split_view_get_collapsed (self->split_view))
    gtk_single_selection_set_selected (self->selection, 0);
}

/* ─── search ───────────────────────────────────────────────────────────── */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "tasks") != 0)
    return;
  lens_find_bar_focus (self->find_bar);
}

/* ─── removing, with undo ──────────────────────────────────────────────── */

static void
undo_toast_dismissed_cb (LensWindow *self,
                         AdwToast   *toast)
{
  if (self->undo_toast != toast)
    return;
  self->undo_toast = NULL;
  /* Also while the window goes away, after its list. */
  if (self->tasks != NULL)
    lens_task_list_forget_removed (self->tasks);
}

/* Removes @tasks (in list order) and offers to put them back. */
static void
remove_tasks (LensWindow *self,
              GPtrArray  *tasks)
{
  g_autofree char *text = NULL;
  AdwToast *toast;
  guint n_removed;

  if (tasks->len == 0)
    return;

  /* A new removal replaces what the previous toast could undo. */
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  n_removed = lens_task_list_remove_tasks (self->tasks, tasks);

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task removed", "%u tasks removed",
                                       n_removed), n_removed);
  toast = adw_toast_new (text);
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-remove");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_toast_dismissed_cb), self,
                           G_CONNECT_SWAPPED);
  self->undo_toast = toast;
  lens_toast_layer_add_toast (self->toast_layer, toast);
}

/* Removes @task, with the usual undo. */
static void
remove_one (LensWindow *self,
            LensTask   *task)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new ();
  gboolean was_selected = task == lens_window_get_selected_task (self);
  guint position = gtk_single_selection_get_selected (self->selection);
  guint n_shown;

  g_ptr_array_add (tasks, task);
  remove_tasks (self, tasks);

  /* Keep a selection where the removed task was, for removing in a row. */
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  if (was_selected && n_shown > 0)
    gtk_single_selection_set_selected (self->selection, MIN (position, n_shown - 1));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  LensTask *task = lens_window_get_selected_task (self);
  guint n_picked = lens_bulk_selection_get_n_picked (self->bulk);

  /* Several picked: all of them go, with one Undo. */
  if (n_picked > 1)
    {
      g_autoptr(GPtrArray) picked = NULL;

      /* Every task picked (Ctrl+A, nothing searched for): the list's own,
       * rather than each asked of the views' models (16 ms at 100,000). */
      if (n_picked == g_list_model_get_n_items (G_LIST_MODEL (self->tasks)))
        picked = lens_task_list_dup_all (self->tasks);
      else
        picked = lens_bulk_selection_dup_tasks (self->bulk);
      remove_tasks (self, picked);
    }
  else if (task != NULL)
    remove_one (self, task);
}

/* win.remove-task: the task whose id is given, as the task view's Remove
 * and a row's menu name it, whatever the selection. */
static void
remove_task_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  LensTask *task = lens_task_list_lookup (self->tasks, g_variant_get_string (parameter, NULL));

  if (task != NULL)
    remove_one (self, task);
}

static void
remove_finished_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  /* Read from the list's own array: through the list model, a reference
   * each, 100,000 tasks took as long as removing them (11 ms). */
  g_autoptr(GPtrArray) finished = lens_task_list_dup_tasks_in_states (self->tasks,
                                                                      LENS_TASK_FINISHED_STATES);

  if (finished->len == 0)
    show_toast (self, _("No finished tasks to remove"));
  else
    remove_tasks (self, finished);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  g_autoptr(GPtrArray) restored = lens_task_list_undo_remove (self->tasks);

  if (restored->len == 1)
    lens_window_select_task (self, lens_task_get_id (g_ptr_array_index (restored, 0)));
}

/* ─── refreshing ───────────────────────────────────────────────────────── */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  g_autoptr(GPtrArray) tasks = lens_bulk_selection_dup_tasks (self->bulk);

  lens_refresher_refresh_tasks (lens_context_get_refresher (self->context), tasks);
}

/* win.refresh-task: the task whose id is given (Retry, a row's menu). */
static void
refresh_task_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  const char *ids[2] = { g_variant_get_string (parameter, NULL), NULL };

  if (lens_task_list_lookup (self->tasks, ids[0]) != NULL)
    lens_refresher_refresh (lens_context_get_refresher (self->context), ids);
}

static void
refresh_all_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  guint n = lens_refresher_refresh_unfinished (lens_context_get_refresher (self->context));

  if (n == 0)
    show_toast (self, _("Every task is finished; nothing to refresh"));
}

/* ─── bringing ids in ──────────────────────────────────────────────────── */

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  lens_id_sources_paste (widget, self->context, self->cancellable);
}

/* What the Add dialog adds is what the user wants to see next: the first
 * task new to the list is selected and scrolled to once it is in
 * (tasks_added_cb). The dialog's scan, in a worker, found which it is. */
static void
add_dialog_add_cb (LensWindow *self,
                   const char *text,
                   const char *first_new_id)
{
  g_set_str (&self->added_id, first_new_id);
  lens_context_add_text (self->context, text, NULL);
}

static void
add_ids_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  LensAddDialog *dialog = lens_add_dialog_new (self->tasks);

  g_signal_connect_object (dialog, "add", G_CALLBACK (add_dialog_add_cb), self, G_CONNECT_SWAPPED);
  adw_dialog_present (ADW_DIALOG (dialog), widget);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  lens_id_sources_choose_files (GTK_WINDOW (self), self->context, self->cancellable);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  lens_export_dialog_run (GTK_WINDOW (self), self->context, NULL, self->cancellable);
}

/* ─── other actions ────────────────────────────────────────────────────── */

static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->task_view), "task.download", NULL);
}

/* ─── a row's menu (lens-row-menu.c): actions on the task named ────────── */

static void
open_task_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  lens_window_select_task (self, g_variant_get_string (parameter, NULL));
  if (lens_window_get_selected_task (self) != NULL)
    adw_navigation_split_view_set_show_content (self->split_view, TRUE);
}

static void
copy_task_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  LensTask *task = lens_task_list_lookup (self->tasks, g_variant_get_string (parameter, NULL));
  const char *text = NULL;

  if (task == NULL)
    return;
  if (g_str_equal (action_name, "win.copy-task-prompt"))
    text = lens_task_get_prompt (task);
  else
    text = lens_task_get_id (task);
  if (text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  show_toast (self, _("Copied"));
}

/* Saving goes through the task view, which asks where and shows the
 * progress: the task is selected first, so that the view shows it. */
static void
save_task_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  LensTask *selected;

  lens_window_select_task (self, id);
  selected = lens_window_get_selected_task (self);
  if (selected != NULL && g_str_equal (lens_task_get_id (selected), id))
    gtk_widget_activate_action (GTK_WIDGET (self->task_view), "task.download", NULL);
}

/* The image viewer (lens-image-viewer.c) follows the selection: one is
 * enough, presented again when asked for again. */
static void
view_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  if (lens_window_get_selected_task (self) == NULL)
    return;
  if (self->viewer == NULL)
    {
      self->viewer = GTK_WINDOW (lens_image_viewer_new (GTK_WINDOW (self), self->selection,
                                                        self->image_loader, self->tasks));
      g_object_add_weak_pointer (G_OBJECT (self->viewer), (gpointer *) &self->viewer);
    }
  gtk_window_present (self->viewer);
}

static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  adw_dialog_present (ADW_DIALOG (lens_shortcuts_dialog_new ()), widget);
}

/* ─── window state ─────────────────────────────────────────────────────── */

static gboolean
close_request_cb (LensWindow *self)
{
  int width = 0, height = 0;

  if (self->settings == NULL)
    return FALSE;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));

  return FALSE;
}

static void
restore_size (LensWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* ─── list or gallery ──────────────────────────────────────────────────── */

/* The gallery (lens-gallery-view.c) shows the same tasks and the same
 * selection as the list; it has rows only while it is shown. Its side of
 * the window is wider, for more than three thumbnails a row. */
static void
set_view_mode (LensWindow *self,
               const char *view_mode)
{
  gboolean grid = g_strcmp0 (view_mode, "grid") == 0;

  if (!g_set_str (&self->view_mode, grid ? "grid" : "list"))
    return;
  gtk_stack_set_visible_child_name (self->view_stack, self->view_mode);
  lens_gallery_view_set_active (self->gallery_view, grid);
  adw_navigation_split_view_set_max_sidebar_width (self->split_view, grid ? 640 : 420);
  adw_navigation_split_view_set_sidebar_width_fraction (self->split_view, grid ? 0.5 : 0.36);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_MODE]);
}

static void
setup_view_mode (LensWindow *self)
{
  lens_gallery_view_bind (self->gallery_view, self->context, self->image_loader, self->selection);
  g_object_bind_property (self->find_bar, "sort-order", self->gallery_view, "sort-order", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "view-mode", self->view_toggles, "active-name",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  /* Remembered across restarts. */
  if (self->settings != NULL)
    g_settings_bind (self->settings, "view", self, "view-mode", G_SETTINGS_BIND_DEFAULT);
}

/* ─── tasks picked together (lens-bulk-selection.c) ───────────────────── */

/**
 * lens_window_dup_selected_ids:
 *
 * The tasks picked in the list or the gallery (Ctrl-click, Shift-click,
 * Ctrl+A, selection mode): the open task alone when no other is.
 *
 * Returns: (transfer full) (element-type utf8): their ids, in the order
 *   shown
 */
GPtrArray *
lens_window_dup_selected_ids (LensWindow *self)
{
  g_return_val_if_fail (LENS_IS_WINDOW (self), NULL);
  return lens_bulk_selection_dup_ids (self->bulk);
}

/* While several tasks are picked, the content pane says how many and
 * offers what can be done with them all, as Files, Geary and Fractal do,
 * rather than showing one of them: the last one clicked is no more "the"
 * task than the others, and showing it would hide that the others are
 * picked. With one picked, it shows that one as before. */
static void
picked_changed_cb (LensWindow *self)
{
  g_autofree char *title = picked_title (self);

  if (title != NULL)
    adw_status_page_set_title (self->picked_page, title);
  gtk_stack_set_visible_child_name (self->content_stack, title != NULL ? "picked" : "task");
  update_task_title (self);
  update_actions (self);
}

/* win.pick-task (position, toggle, extend): what a click with Ctrl
 * (toggle) or Shift (extend) on the task at position does. */
static void
pick_task_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  guint position = 0;
  gboolean toggle = FALSE, extend = FALSE;

  g_variant_get (parameter, "(ubb)", &position, &toggle, &extend);
  lens_bulk_selection_click (self->bulk, position, toggle, extend);
}

/* One id a line, as the Add box and `tasklens ID…` take them back. */
static void
copy_ids_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  g_autoptr(GPtrArray) tasks = lens_bulk_selection_dup_tasks (self->bulk);
  g_autoptr(GString) text = NULL;
  g_autofree char *message = NULL;
  guint n = tasks->len;

  if (n == 0)
    return;
  /* Written from the tasks, not from a copy of each id: 100,000 picked
   * took 13 to 18 ms that way, 6 to 9 ms so. */
  text = g_string_sized_new (n * 37);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, lens_task_get_id (g_ptr_array_index (tasks, i)));
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
  /* Translators: %u is a number of task IDs */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copied %u ID", "Copied %u IDs", n), n);
  show_toast (self, message);
}

static void
export_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  g_auto(GStrv) ids = picked_ids (self);

  if (ids != NULL)
    lens_export_dialog_run (GTK_WINDOW (self), self->context, (const char * const *) ids, self->cancellable);
}

/* win.save-images: the tasks picked (or every finished one, as the dialog
 * offers); win.save-all-images: every finished task. The save itself is
 * the context's, and the bar at the bottom follows it. */
static void
save_images_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  GStrv ids = g_str_equal (action_name, "win.save-images") ? picked_ids (self) : NULL;

  adw_dialog_present (lens_save_dialog_new (lens_context_get_saving (self->context), self->settings, ids),
                      widget);
}

/* Ctrl+A picks every task shown, also while the list or the gallery has
 * the focus (the list's own Ctrl+A would ask its single selection, which
 * cannot). */
static void
add_select_all_key (GtkWidget *widget)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_a, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("selection.all")));
  gtk_widget_add_controller (widget, controller);
}

static void
setup_bulk (LensWindow *self)
{
  self->bulk = lens_bulk_selection_new (self->selection, self->tasks);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "selection", lens_bulk_selection_get_actions (self->bulk));
  lens_selection_bar_bind (self->selection_bar, self->bulk);
  g_object_bind_property (self->bulk, "active", self->sidebar_toolbar, "reveal-bottom-bars",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->bulk, "notify::n-picked", G_CALLBACK (picked_changed_cb), self,
                           G_CONNECT_SWAPPED);
  lens_task_rows_attach (self->list_view, self->context, self->image_loader, self->bulk);
  add_select_all_key (GTK_WIDGET (self->list_view));
  add_select_all_key (GTK_WIDGET (self->gallery_view));
  lens_gallery_view_bind_picked (self->gallery_view, self->bulk);
  picked_changed_cb (self);
}

/* ─── the list ─────────────────────────────────────────────────────────── */

/* The list shows the tasks sorted (or in their own order, which costs
 * nothing), then filtered by the search and the filters. Both models work
 * in slices, so that sorting or filtering 100,000 tasks never stalls the
 * main loop; until a slice is done, the list shows what it showed. Every
 * position the window uses (selection, removal) is one of the filtered
 * model, which the selection wraps.
 *
 * The list is a GtkGridView of one column rather than a GtkListView: a list
 * view keeps 200 rows made and bound around the dozen it shows, whatever
 * its height (GTK_LIST_VIEW_MAX_LIST_ITEMS), which is 200 rows to build,
 * lay out and restyle whenever their tasks change, and 200 records read.
 * A grid view keeps some thirty rows (GTK_GRID_VIEW_MAX_VISIBLE_ROWS),
 * enough for any window, and each row costs some 40 KB. */
static void
setup_list (LensWindow *self)
{
  self->finder = lens_task_finder_new_for_store (lens_context_get_store (self->context));
  lens_find_bar_bind (self->find_bar, self->finder, self->settings);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "find", lens_find_bar_get_actions (self->find_bar));

  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->tasks)), NULL);
  gtk_sort_list_model_set_incremental (self->sorted, TRUE);
  g_object_bind_property (self->find_bar, "sorter", self->sorted, "sorter", G_BINDING_SYNC_CREATE);

  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)),
                                              GTK_FILTER (lens_task_filter_new (self->finder)));
  gtk_filter_list_model_set_incremental (self->filtered, TRUE);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tasks, "items-changed", G_CALLBACK (update_pages), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_pages), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (restore_hidden_selection), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "notify::pending", G_CALLBACK (restore_hidden_selection), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sorted, "notify::pending", G_CALLBACK (list_pending_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "notify::pending", G_CALLBACK (list_pending_cb), self,
                           G_CONNECT_SWAPPED);
  setup_bulk (self);
  update_actions (self);
}

/* What the window follows of its context. */
static void
follow_context (LensWindow *self)
{
  LensContext *context = self->context;
  LensIntake *intake = lens_context_get_intake (context);
  g_auto(GStrv) unheard = lens_context_take_unheard_messages (context);

  for (guint i = 0; unheard[i] != NULL; i++)
    show_toast (self, unheard[i]);
  g_signal_connect_object (context, "message", G_CALLBACK (show_toast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::loading", G_CALLBACK (loading_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (intake, "added", G_CALLBACK (tasks_added_cb), self, G_CONNECT_SWAPPED);
  /* Without a list yet, an import's progress shows in the task list. */
  g_signal_connect_object (intake, "notify::importing", G_CALLBACK (update_pages), self,
                           G_CONNECT_SWAPPED);
  lens_import_bar_bind (self->import_bar, intake);
  lens_save_progress_bind (self->save_progress, lens_context_get_saving (context));
  lens_sync_bar_bind (self->sync_bar, G_OBJECT (lens_context_get_sync (context)));
  g_signal_connect_object (self->sync_bar, "notify::revealed", G_CALLBACK (update_pages), self,
                           G_CONNECT_SWAPPED);
  /* Bringing the account's tasks in needs its token. */
  g_object_bind_property (lens_context_get_account (context), "has-token", self->sync_button,
                          "visible", G_BINDING_SYNC_CREATE);
  lens_pause_banner_bind (self->banner, lens_context_get_refresher (context),
                          lens_context_get_account (context),
                          lens_client_get_scheduler (lens_context_get_client (context)));
}

/* ─── the benchmarks' mark ─────────────────────────────────────────────── */

/* bench-window (tests/benchmarks) times a start from outside, up to the
 * first screen of rows: with G_MESSAGES_DEBUG=lens-window the window says
 * so once, after the first frame painted with the first row showing its
 * task whole — its record read, not only its summary (or with the empty
 * page, for an empty history). Otherwise nothing is even connected. */
static gboolean
first_row_shown_whole (LensWindow *self)
{
  g_autoptr(LensTask) first = g_list_model_get_item (G_LIST_MODEL (self->selection), 0);

  return first != NULL && lens_task_has_details (first);
}

static void
first_rows_after_paint_cb (GdkFrameClock *frame_clock,
                           LensWindow    *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->main_stack);

  if (g_strcmp0 (page, "empty") != 0 && !(g_strcmp0 (page, "tasks") == 0 && first_row_shown_whole (self)))
    return;
  g_debug ("first rows drawn");
  g_signal_handlers_disconnect_by_func (frame_clock, first_rows_after_paint_cb, self);
}

static void
watch_first_rows (LensWindow *self)
{
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (first_rows_after_paint_cb), self, 0);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_window_constructed (GObject *object)
{
  LensWindow *self = LENS_WINDOW (object);

  G_OBJECT_CLASS (lens_window_parent_class)->constructed (object);

  g_assert (LENS_IS_CONTEXT (self->context));
  self->tasks = lens_context_get_task_list (self->context);
  self->settings = lens_context_get_settings (self->context);

  self->image_loader = lens_image_loader_new (lens_context_get_image_fetcher (self->context));
  g_object_set (self->task_view,
                "image-loader", self->image_loader,
                "downloads", lens_context_get_downloads (self->context),
                NULL);
  lens_task_view_set_refresher (self->task_view, lens_context_get_refresher (self->context));
  /* The page's title says "Not checked yet" while asking is paused. */
  g_signal_connect_object (lens_context_get_refresher (self->context), "notify::pause",
                           G_CALLBACK (update_task_title), self, G_CONNECT_SWAPPED);

  setup_list (self);
  setup_view_mode (self);
  follow_context (self);
  /* Text and files dropped anywhere on the window are taken in. */
  lens_id_sources_accept_drops (GTK_WIDGET (self), self->context);
  restore_size (self);
  loading_changed_cb (self);
}

static void
lens_window_dispose (GObject *object)
{
  LensWindow *self = LENS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);

  if (self->viewer != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->viewer), (gpointer *) &self->viewer);
      gtk_window_destroy (g_steal_pointer (&self->viewer));
    }
  if (self->list_view != NULL)
    gtk_grid_view_set_model (self->list_view, NULL);
  if (self->gallery_view != NULL)
    lens_gallery_view_unbind (self->gallery_view);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_WINDOW);

  g_clear_object (&self->image_loader);
  if (self->titled_task != NULL && self->context != NULL)
    lens_record_loader_release (lens_context_get_record_loader (self->context), self->titled_task);
  g_clear_object (&self->titled_task);
  g_clear_object (&self->bulk);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->sorted);
  g_clear_object (&self->finder);
  g_clear_object (&self->context);
  self->tasks = NULL;
  self->settings = NULL;
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->selecting_id, g_free);
  g_clear_pointer (&self->hidden_id, g_free);
  g_clear_pointer (&self->added_id, g_free);
  g_clear_pointer (&self->view_mode, g_free);

  G_OBJECT_CLASS (lens_window_parent_class)->dispose (object);
}

static void
lens_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LensWindow *self = LENS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_VIEW_MODE:
      g_value_set_string (value, self->view_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LensWindow *self = LENS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_VIEW_MODE:
      set_view_mode (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_window_class_init (LensWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lens_window_constructed;
  object_class->dispose = lens_window_dispose;
  object_class->get_property = lens_window_get_property;
  object_class->set_property = lens_window_set_property;

  /**
   * LensWindow:context:
   *
   * The services the window shows and hands down to its rows and views.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LENS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LensWindow:view-mode:
   *
   * How the tasks are shown: "list" (rows) or "grid" (a gallery of
   * thumbnails); the action win.view and the setting "view".
   */
  properties[PROP_VIEW_MODE] =
    g_param_spec_string ("view-mode", NULL, NULL, "list",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LENS_TYPE_FIND_BAR);
  g_type_ensure (LENS_TYPE_GALLERY_VIEW);
  g_type_ensure (LENS_TYPE_IMPORT_BAR);
  g_type_ensure (LENS_TYPE_PAUSE_BANNER);
  g_type_ensure (LENS_TYPE_SAVE_PROGRESS);
  g_type_ensure (LENS_TYPE_SELECTION_BAR);
  g_type_ensure (LENS_TYPE_SYNC_BAR);
  g_type_ensure (LENS_TYPE_TASK_VIEW);
  g_type_ensure (LENS_TYPE_TOAST_LAYER);

  g_type_ensure (LENS_TYPE_LAZY_MENU);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tasklens/Tasklens/lens-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LensWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, find_bar);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, gallery_view);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, import_bar);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, picked_page);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, save_progress);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, sidebar_toolbar);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, split_view);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, sync_bar);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, task_page);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, task_view);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, toast_layer);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, view_toggles);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "win.remove-finished", NULL, remove_finished_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove", NULL, undo_remove_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.refresh-task", "s", refresh_task_action);
  gtk_widget_class_install_action (widget_class, "win.remove-task", "s", remove_task_action);
  gtk_widget_class_install_action (widget_class, "win.refresh-all", NULL, refresh_all_action);
  gtk_widget_class_install_action (widget_class, "win.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "win.show-shortcuts", NULL, show_shortcuts_action);
  gtk_widget_class_install_action (widget_class, "win.view-image", NULL, view_image_action);
  gtk_widget_class_install_action (widget_class, "win.open-task", "s", open_task_action);
  gtk_widget_class_install_action (widget_class, "win.copy-task-id", "s", copy_task_action);
  gtk_widget_class_install_action (widget_class, "win.copy-task-prompt", "s", copy_task_action);
  gtk_widget_class_install_action (widget_class, "win.save-task", "s", save_task_action);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "win.add-ids", NULL, add_ids_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-selected", NULL, export_selected_action);
  gtk_widget_class_install_action (widget_class, "win.save-images", NULL, save_images_action);
  gtk_widget_class_install_action (widget_class, "win.save-all-images", NULL, save_images_action);
  gtk_widget_class_install_action (widget_class, "win.copy-ids", NULL, copy_ids_action);
  gtk_widget_class_install_action (widget_class, "win.pick-task", "(ubb)", pick_task_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.toast-saved", "(ss)", toast_saved_action);
  gtk_widget_class_install_action (widget_class, "win.open-saved", "s", launch_saved_action);
  gtk_widget_class_install_action (widget_class, "win.show-saved", "s", launch_saved_action);
  gtk_widget_class_install_property_action (widget_class, "win.view", "view-mode");

  /* Window shortcuts act in the bubble phase, after the focused widget: in
   * a text field, Ctrl+V and Delete keep their usual meaning. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-ids", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.remove", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.remove", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.download", NULL);
  /* As in Files: Ctrl+1 a list, Ctrl+2 a grid. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.view", "s", "list");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.view", "s", "grid");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-shortcuts", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  /* Every task shown, and back to the open one alone (selection.one is
   * enabled only while several are picked or selection mode is on: Escape
   * keeps its other meanings otherwise). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "selection.all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "selection.one", NULL);
}

static void
lens_window_init (LensWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->view_mode = g_strdup ("list");

  lens_find_bar_set_key_capture_widget (self->find_bar, GTK_WIDGET (self));
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
  g_signal_connect (self, "realize", G_CALLBACK (watch_first_rows), NULL);

  adw_status_page_set_icon_name (self->empty_page, APPLICATION_ID);
  /* In Korean, the first thing a user reads must not break inside words. */
  lens_word_wrap_keep_words (lens_word_wrap_find_status_text (self->empty_page));
  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/**
 * lens_window_new:
 * @application: the application the window belongs to
 * @context: the services it shows
 */
LensWindow *
lens_window_new (GtkApplication *application,
                 LensContext    *context)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (LENS_IS_CONTEXT (context), NULL);

  return g_object_new (LENS_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}
