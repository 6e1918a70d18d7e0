/* lens-window.c — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For now a status page that says how many tasks are known and in which
 * states; the task list and task view replace it.
 */

#define G_LOG_DOMAIN "lens-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-window.h"

struct _LensWindow
{
  AdwApplicationWindow  parent_instance;

  AdwStatusPage        *status_page;

  LensTaskList         *tasks;  /* owned */
};

G_DEFINE_FINAL_TYPE (LensWindow, lens_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_summary (LensWindow *self)
{
  guint counts[LENS_TASK_STATE_NOT_FOUND + 1] = { 0 };
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->tasks));
  g_autoptr(GString) text = g_string_new (NULL);

  if (n_items == 0)
    {
      adw_status_page_set_description (self->status_page,
                                       _("Start Tasklens with Midjourney task IDs to look them up."));
      return;
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (self->tasks), i);
      counts[lens_task_get_state (task)]++;
    }

  g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u task", "%u tasks", n_items), n_items);
  for (guint state = 0; state < G_N_ELEMENTS (counts); state++)
    if (counts[state] > 0)
      g_string_append_printf (text, " · %u %s", counts[state], lens_task_state_to_string (state));

  adw_status_page_set_description (self->status_page, text->str);
}

static void
items_changed_cb (LensWindow *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (model, i);
      g_signal_connect_object (task, "notify::state", G_CALLBACK (update_summary), self,
                               G_CONNECT_SWAPPED);
    }
  update_summary (self);
}

static void
bind_tasks (LensWindow   *self,
            LensTaskList *tasks)
{
  GListModel *model = G_LIST_MODEL (tasks);

  self->tasks = g_object_ref (tasks);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  items_changed_cb (self, 0, 0, g_list_model_get_n_items (model), model);
}

static void
lens_window_dispose (GObject *object)
{
  LensWindow *self = LENS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_WINDOW);
  g_clear_object (&self->tasks);

  G_OBJECT_CLASS (lens_window_parent_class)->dispose (object);
}

static void
lens_window_class_init (LensWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tasklens/Tasklens/lens-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LensWindow, status_page);
}

static void
lens_window_init (LensWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

LensWindow *
lens_window_new (LensApplication *application)
{
  LensWindow *self = g_object_new (LENS_TYPE_WINDOW, "application", application, NULL);

  bind_tasks (self, lens_application_get_task_list (application));
  return self;
}
