/* lens-window.c — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A split view: the task list on the side, the task view as content, one
 * pane with back navigation in narrow windows. Before there is any task an
 * empty page explains what Tasklens does. Every way of bringing ids in —
 * Ctrl+V, the add dialog, a drop, an import — ends in lens_window_add_text()
 * or lens_window_import_files(), and one toast that says what happened.
 */

#define G_LOG_DOMAIN "lens-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-shortcuts-dialog.h"
#include "lens-task-row.h"
#include "lens-task-view.h"
#include "lens-window-private.h"


G_DEFINE_FINAL_TYPE (LensWindow, lens_window, ADW_TYPE_APPLICATION_WINDOW)

/* ─── selection and pages ──────────────────────────────────────────────── */

LensTask *
lens_window_get_selected_task (LensWindow *self)
{
  g_return_val_if_fail (LENS_IS_WINDOW (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

/* Selects the task with @id, if it is shown (a search may hide it). */
void
lens_window_select_task (LensWindow *self,
                         const char *id)
{
  GListModel *model = G_LIST_MODEL (self->filtered);
  guint n_items = g_list_model_get_n_items (model);

  g_return_if_fail (LENS_IS_WINDOW (self));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (model, i);

      if (g_strcmp0 (lens_task_get_id (task), id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_list_view_scroll_to (self->list_view, i, GTK_LIST_SCROLL_NONE, NULL);
          return;
        }
    }
}

static void
update_actions (LensWindow *self)
{
  gboolean has_selection = lens_window_get_selected_task (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.download", has_selection);
}

/* The task page is titled with the prompt, which arrives with the first
 * answer, after the task may already be selected. */
static void
update_task_title (LensWindow *self)
{
  LensTask *task = self->titled_task;

  if (task != NULL && lens_task_get_prompt (task) != NULL)
    adw_navigation_page_set_title (self->task_page, lens_task_get_prompt (task));
  else
    adw_navigation_page_set_title (self->task_page, _("Task"));
}

static void
selection_changed_cb (LensWindow *self)
{
  LensTask *task = lens_window_get_selected_task (self);

  if (self->titled_task != NULL)
    g_signal_handlers_disconnect_by_func (self->titled_task, update_task_title, self);
  g_set_object (&self->titled_task, task);
  if (task != NULL)
    g_signal_connect_object (task, "notify::prompt", G_CALLBACK (update_task_title), self,
                             G_CONNECT_SWAPPED);

  lens_task_view_set_task (self->task_view, task);
  update_task_title (self);
  update_actions (self);

  /* Remembered for the next start, unless the history is still loading
   * (the selection is empty then, not chosen). */
  if (!lens_application_get_loading (self->application))
    g_settings_set_string (lens_application_get_settings (self->application), "selected-task",
                           task != NULL ? lens_task_get_id (task) : "");
}

static void
row_activated_cb (LensWindow *self,
                  guint       position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_navigation_split_view_set_show_content (self->split_view, TRUE);
}

void
update_pages (LensWindow *self)
{
  guint n_tasks = g_list_model_get_n_items (G_LIST_MODEL (self->tasks));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (lens_application_get_loading (self->application))
    gtk_stack_set_visible_child_name (self->main_stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->main_stack, n_tasks > 0 ? "tasks" : "empty");
  gtk_stack_set_visible_child_name (self->list_stack, n_shown > 0 || n_tasks == 0 ? "list" : "no-results");
}

/* ─── search ───────────────────────────────────────────────────────────── */

static const char *
state_name (LensTaskState state)
{
  switch (state)
    {
    case LENS_TASK_STATE_QUEUED: return _("Queued");
    case LENS_TASK_STATE_PENDING: return _("Pending");
    case LENS_TASK_STATE_RUNNING: return _("Running");
    case LENS_TASK_STATE_DONE: return _("Done");
    case LENS_TASK_STATE_FAILED: return _("Failed");
    case LENS_TASK_STATE_NOT_FOUND: return _("Not found");
    case LENS_TASK_STATE_STALLED: return _("Stalled");
    default: return "";
    }
}

/* Every word of the query must appear somewhere in the prompt, the id, the
 * type or the state (in English or in the user's language). */
static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  LensWindow *self = user_data;
  LensTask *task = item;
  LensTaskState state = lens_task_get_state (task);
  g_autofree char *haystack = NULL;
  g_autofree char *folded = NULL;

  if (self->search_words == NULL)
    return TRUE;

  haystack = g_strjoin (" ",
                        lens_task_get_id (task),
                        lens_task_get_prompt (task) != NULL ? lens_task_get_prompt (task) : "",
                        lens_task_get_task_type (task) != NULL ? lens_task_get_task_type (task) : "",
                        lens_task_state_to_string (state),
                        state_name (state),
                        NULL);
  folded = g_utf8_casefold (haystack, -1);

  for (guint i = 0; self->search_words[i] != NULL; i++)
    if (strstr (folded, self->search_words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
search_changed_cb (LensWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *folded = g_utf8_casefold (text, -1);

  g_clear_pointer (&self->search_words, g_strfreev);
  if (*g_strstrip (folded) != '\0')
    self->search_words = g_strsplit_set (folded, " \t", -1);

  /* Empty words from double spaces match everything; drop them. */
  if (self->search_words != NULL)
    {
      guint kept = 0;
      for (guint i = 0; self->search_words[i] != NULL; i++)
        {
          if (*self->search_words[i] != '\0')
            self->search_words[kept++] = self->search_words[i];
          else
            g_free (self->search_words[i]);
        }
      self->search_words[kept] = NULL;
    }

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_pages (self);
}

static void
stop_search_cb (LensWindow *self)
{
  gtk_toggle_button_set_active (self->search_button, FALSE);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "tasks") != 0)
    return;
  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ─── removing, with undo ──────────────────────────────────────────────── */

static void
removed_task_clear (RemovedTask *removed)
{
  g_clear_object (&removed->task);
}

static void
undo_toast_dismissed_cb (LensWindow *self,
                         AdwToast   *toast)
{
  if (self->undo_toast != toast)
    return;
  self->undo_toast = NULL;
  g_array_set_size (self->removed, 0);
}

/* Removes @tasks (in list order) and offers to put them back. */
static void
remove_tasks (LensWindow *self,
              GPtrArray  *tasks)
{
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (tasks->len == 0)
    return;

  /* A new removal replaces what the previous toast could undo. */
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_array_set_size (self->removed, 0);

  for (guint i = 0; i < tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (tasks, i);
      RemovedTask removed = { 0, g_object_ref (task) };

      lens_task_list_find (self->tasks, lens_task_get_id (task), &removed.position);
      lens_task_list_remove (self->tasks, lens_task_get_id (task));
      g_array_append_val (self->removed, removed);
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task removed", "%u tasks removed",
                                       tasks->len), tasks->len);
  toast = adw_toast_new (text);
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-remove");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_toast_dismissed_cb), self,
                           G_CONNECT_SWAPPED);
  self->undo_toast = toast;
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  LensTask *task = lens_window_get_selected_task (self);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new ();
  guint position = gtk_single_selection_get_selected (self->selection);

  if (task == NULL)
    return;

  g_ptr_array_add (tasks, task);
  remove_tasks (self, tasks);

  /* Keep a selection where the removed task was, for removing in a row. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    gtk_single_selection_set_selected (self->selection,
                                       MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) - 1));
}

static void
remove_finished_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  GListModel *model = G_LIST_MODEL (self->tasks);
  g_autoptr(GPtrArray) finished = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items; i++)
    {
      LensTask *task = g_list_model_get_item (model, i);

      if (lens_task_is_finished (task))
        g_ptr_array_add (finished, task);
      else
        g_object_unref (task);
    }

  if (finished->len == 0)
    lens_window_show_toast (self, _("No finished tasks to remove"));
  else
    remove_tasks (self, finished);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  /* Put back in the order they were taken out, so positions hold. */
  for (guint i = 0; i < self->removed->len; i++)
    {
      RemovedTask *removed = &g_array_index (self->removed, RemovedTask, i);
      lens_task_list_insert (self->tasks, removed->position, removed->task);
    }
  if (self->removed->len == 1)
    lens_window_select_task (self, lens_task_get_id (g_array_index (self->removed, RemovedTask, 0).task));
  g_array_set_size (self->removed, 0);
}

/* ─── refreshing ───────────────────────────────────────────────────────── */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  LensTask *task = lens_window_get_selected_task (self);
  const char *ids[2] = { NULL, NULL };

  if (task == NULL)
    return;
  ids[0] = lens_task_get_id (task);
  lens_refresher_refresh (lens_application_get_refresher (self->application), ids);
}

static void
refresh_all_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  guint n = lens_refresher_refresh_unfinished (lens_application_get_refresher (self->application));

  if (n == 0)
    lens_window_show_toast (self, _("Every task is finished; nothing to refresh"));
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

static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  adw_dialog_present (ADW_DIALOG (lens_shortcuts_dialog_new ()), widget);
}

/* ─── the list ─────────────────────────────────────────────────────────── */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              LensWindow               *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (lens_task_row_new (lens_application_get_image_loader (self->application))));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             LensWindow               *self)
{
  lens_task_row_set_task (LENS_TASK_ROW (gtk_list_item_get_child (item)),
                          gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               LensWindow               *self)
{
  lens_task_row_set_task (LENS_TASK_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
setup_list (LensWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->tasks)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tasks, "items-changed", G_CALLBACK (update_pages), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_pages), self,
                           G_CONNECT_SWAPPED);
  update_pages (self);
  update_actions (self);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_window_dispose (GObject *object)
{
  LensWindow *self = LENS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->import_cancellable);
  g_queue_clear_full (&self->import_queue, g_object_unref);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_WINDOW);

  g_clear_object (&self->titled_task);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->tasks);
  g_clear_object (&self->application);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lens_window_parent_class)->dispose (object);
}

static void
lens_window_finalize (GObject *object)
{
  LensWindow *self = LENS_WINDOW (object);

  g_clear_pointer (&self->removed, g_array_unref);
  g_clear_pointer (&self->search_words, g_strfreev);
  g_free (self->last_error);

  G_OBJECT_CLASS (lens_window_parent_class)->finalize (object);
}

static void
lens_window_class_init (LensWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_window_dispose;
  object_class->finalize = lens_window_finalize;

  g_type_ensure (LENS_TYPE_TASK_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tasklens/Tasklens/lens-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LensWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, import_label);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, split_view);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, task_page);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, task_view);
  gtk_widget_class_bind_template_child (widget_class, LensWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "win.remove-finished", NULL, remove_finished_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove", NULL, undo_remove_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.refresh-all", NULL, refresh_all_action);
  gtk_widget_class_install_action (widget_class, "win.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "win.show-shortcuts", NULL, show_shortcuts_action);

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
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-shortcuts", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);

  lens_window_input_class_init (widget_class);
  lens_window_status_class_init (widget_class);
}

static void
lens_window_init (LensWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->removed = g_array_new (FALSE, TRUE, sizeof (RemovedTask));
  g_array_set_clear_func (self->removed, (GDestroyNotify) removed_task_clear);
  g_queue_init (&self->import_queue);

  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  lens_window_input_init (self);

  adw_status_page_set_icon_name (self->empty_page, APPLICATION_ID);
  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

LensWindow *
lens_window_new (LensApplication *application)
{
  LensWindow *self;

  g_return_val_if_fail (LENS_IS_APPLICATION (application), NULL);

  self = g_object_new (LENS_TYPE_WINDOW, "application", application, NULL);
  self->application = g_object_ref (application);
  self->tasks = g_object_ref (lens_application_get_task_list (application));
  g_object_set (self->task_view,
                "image-loader", lens_application_get_image_loader (application),
                "downloads", lens_application_get_downloads (application),
                NULL);
  setup_list (self);
  lens_window_status_setup (self);

  return self;
}
