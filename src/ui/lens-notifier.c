/* lens-notifier.c — desktop notifications for tasks that finish
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When a task the user is waiting for finishes while Tasklens is not the
 * focused window, the desktop says so. Tasks that finish close together
 * become one notification (“3 tasks finished”); focusing the window takes
 * the notification back.
 */

#define G_LOG_DOMAIN "lens-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-notifier.h"

#define NOTIFICATION_ID "tasks-finished"
/* Tasks finishing within this time share one notification. */
#define DEFAULT_DELAY_MS 1500
#define MAX_LISTED 3

struct _LensNotifier
{
  GObject         parent_instance;

  GtkApplication *application;  /* borrowed: the application owns the notifier */
  LensTaskList   *task_list;    /* owned: where an upscale's grid is found */
  GPtrArray      *finished;     /* of LensTask (owned), waiting to be told */
  guint           send_id;
};

G_DEFINE_FINAL_TYPE (LensNotifier, lens_notifier, G_TYPE_OBJECT)

static gboolean
window_is_focused (LensNotifier *self)
{
  GtkWindow *window = gtk_application_get_active_window (self->application);

  return window != NULL && gtk_window_is_active (window);
}

/* The prompt and the id come from the server. Notification servers that
 * read markup in the body (dunst, mako, Plasma, Xfce) would turn a prompt
 * such as `<a href=…>` or a bare `&` into a link, bold text or an error:
 * everything put into the body is escaped, so that what shows is what the
 * server sent, as text. */
static void
append_escaped (GString    *text,
                const char *unescaped)
{
  g_autofree char *escaped = g_markup_escape_text (unescaped, -1);

  g_string_append (text, escaped);
}

/**
 * lens_notifier_body_for:
 * @tasks: (element-type LensTask): the tasks that finished
 * @task_list: (nullable): the list they are in
 *
 * The notification's body: the titles of the first few tasks, as their rows
 * say them (lens_format_task_title()), one a line, escaped as markup; the
 * id of a task without a record.
 *
 * Returns: (transfer full): the body
 */
char *
lens_notifier_body_for (GPtrArray    *tasks,
                        LensTaskList *task_list)
{
  g_autoptr(GString) body = g_string_new (NULL);

  g_return_val_if_fail (tasks != NULL, NULL);

  for (guint i = 0; i < tasks->len && i < MAX_LISTED; i++)
    {
      LensTask *task = g_ptr_array_index (tasks, i);
      g_autofree char *title = NULL;

      if (lens_task_has_details (task))
        title = lens_format_task_title (task, task_list);
      if (body->len > 0)
        g_string_append_c (body, '\n');
      append_escaped (body, title != NULL ? title : lens_task_get_id (task));
    }
  if (tasks->len > MAX_LISTED)
    {
      g_string_append_c (body, '\n');
      append_escaped (body, _("…"));
    }
  return g_string_free (g_steal_pointer (&body), FALSE);
}

/**
 * lens_notifier_build:
 * @tasks: (element-type LensTask): the tasks that finished
 * @task_list: (nullable): the list they are in
 *
 * Returns: (transfer full): the notification that tells of them
 */
GNotification *
lens_notifier_build (GPtrArray    *tasks,
                     LensTaskList *task_list)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  guint n_failed = 0;
  GNotification *notification;

  g_return_val_if_fail (tasks != NULL && tasks->len > 0, NULL);

  for (guint i = 0; i < tasks->len; i++)
    if (lens_task_get_state (g_ptr_array_index (tasks, i)) == LENS_TASK_STATE_FAILED)
      n_failed++;

  /* The title holds no server text, and the specification makes it plain
   * text: it is not escaped. */
  if (tasks->len == 1)
    title = g_strdup (n_failed == 1 ? _("A task failed") : _("A task finished"));
  else if (n_failed == 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task finished", "%u tasks finished",
                                          tasks->len), tasks->len);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u tasks finished, %u failed",
                                          "%u tasks finished, %u failed", tasks->len),
                             tasks->len, n_failed);

  body = lens_notifier_body_for (tasks, task_list);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  return notification;
}

static gboolean
send_cb (gpointer user_data)
{
  LensNotifier *self = user_data;
  g_autoptr(GNotification) notification = NULL;

  self->send_id = 0;
  if (self->finished->len == 0 || window_is_focused (self))
    {
      g_ptr_array_set_size (self->finished, 0);
      return G_SOURCE_REMOVE;
    }

  notification = lens_notifier_build (self->finished, self->task_list);
  g_application_send_notification (G_APPLICATION (self->application), NOTIFICATION_ID, notification);
  g_ptr_array_set_size (self->finished, 0);
  return G_SOURCE_REMOVE;
}

static void
task_finished_cb (LensNotifier *self,
                  LensTask     *task)
{
  if (window_is_focused (self))
    return;

  g_ptr_array_add (self->finished, g_object_ref (task));
  if (self->send_id == 0)
    self->send_id = g_timeout_add (DEFAULT_DELAY_MS, send_cb, self);
}

/* Coming back to the window makes the notification old news. */
static void
window_active_cb (LensNotifier *self)
{
  if (window_is_focused (self))
    g_application_withdraw_notification (G_APPLICATION (self->application), NOTIFICATION_ID);
}

static void
window_added_cb (LensNotifier *self,
                 GtkWindow    *window)
{
  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (window_active_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
lens_notifier_dispose (GObject *object)
{
  LensNotifier *self = LENS_NOTIFIER (object);

  g_clear_handle_id (&self->send_id, g_source_remove);
  g_clear_pointer (&self->finished, g_ptr_array_unref);
  g_clear_object (&self->task_list);

  G_OBJECT_CLASS (lens_notifier_parent_class)->dispose (object);
}

static void
lens_notifier_class_init (LensNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lens_notifier_dispose;
}

static void
lens_notifier_init (LensNotifier *self)
{
  self->finished = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * lens_notifier_new:
 * @task_list: (nullable): the tasks the refresher looks up, where the grid
 *   of an upscale is found for its title
 */
LensNotifier *
lens_notifier_new (GtkApplication *application,
                   LensRefresher  *refresher,
                   LensTaskList   *task_list)
{
  LensNotifier *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (LENS_IS_REFRESHER (refresher), NULL);
  g_return_val_if_fail (task_list == NULL || LENS_IS_TASK_LIST (task_list), NULL);

  self = g_object_new (LENS_TYPE_NOTIFIER, NULL);
  self->application = application;
  g_set_object (&self->task_list, task_list);
  g_signal_connect_object (refresher, "task-finished", G_CALLBACK (task_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "window-added", G_CALLBACK (window_added_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}
