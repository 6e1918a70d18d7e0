/* lens-saved-file-row.c — "Saved as NAME" on the task page, with Show in Files and Open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the task's image was saved is known from the history (the task's
 * "saved-path"), but the user may have moved or deleted the file since:
 * the row asks the file system, asynchronously, whether the file is still
 * there, and shows only then. The question is cancelled when the task or
 * its saved path changes, so an old answer never shows on a new task. A
 * file that is gone shows nothing, and the history keeps its path: the file
 * may come back (a USB stick plugged in again).
 *
 * Its buttons activate the window's "win.show-saved" and "win.open-saved"
 * with the file's URI, as the toast that says a file was saved does
 * (lens-saved-toast.c).
 */

#define G_LOG_DOMAIN "lens-saved-file-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-saved-file-row.h"

struct _LensSavedFileRow
{
  AdwBin        parent_instance;

  GtkWidget    *open_button;
  AdwActionRow *row;
  GtkWidget    *show_button;

  LensTask     *task;          /* owned, nullable */
  GSignalGroup *task_signals;  /* owned: the task's "saved-path" */
  GCancellable *cancellable;   /* owned, nullable: the question under way */
};

G_DEFINE_FINAL_TYPE (LensSavedFileRow, lens_saved_file_row, ADW_TYPE_BIN)

/* ─── private functions ────────────────────────────────────────────────── */

static void
show_file (LensSavedFileRow *self,
           GFile            *file,
           GFileInfo        *info)
{
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *folder_name = folder != NULL ? g_file_get_parse_name (folder) : g_strdup ("");
  /* Translators: on a task's page: the name of the file its image was
   * saved as. */
  g_autofree char *title = g_strdup_printf (_("Saved as %s"), g_file_info_get_display_name (info));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), title);
  adw_action_row_set_subtitle (self->row, folder_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->show_button), "s", uri);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->show_button), "win.show-saved");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->open_button), "s", uri);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->open_button), "win.open-saved");
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
queried_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  LensSavedFileRow *self = user_data;
  GFile *file = G_FILE (source_object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (file, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_debug ("The saved file is not there: %s", error != NULL ? error->message : "not a file");
      return;
    }
  show_file (self, file, info);
}

/* Hides the row and asks again whether the task's saved file is there. */
static void
update (LensSavedFileRow *self)
{
  const char *path = self->task != NULL ? lens_task_get_saved_path (self->task) : NULL;
  g_autoptr(GFile) file = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  if (path == NULL)
    return;

  file = g_file_new_for_path (path);
  self->cancellable = g_cancellable_new ();
  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                           queried_cb, self);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_saved_file_row_dispose (GObject *object)
{
  LensSavedFileRow *self = LENS_SAVED_FILE_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_signal_group_set_target (self->task_signals, NULL);
  g_clear_object (&self->task);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_SAVED_FILE_ROW);

  G_OBJECT_CLASS (lens_saved_file_row_parent_class)->dispose (object);
}

static void
lens_saved_file_row_finalize (GObject *object)
{
  LensSavedFileRow *self = LENS_SAVED_FILE_ROW (object);

  g_clear_object (&self->task_signals);

  G_OBJECT_CLASS (lens_saved_file_row_parent_class)->finalize (object);
}

static void
lens_saved_file_row_class_init (LensSavedFileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_saved_file_row_dispose;
  object_class->finalize = lens_saved_file_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-saved-file-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LensSavedFileRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, LensSavedFileRow, row);
  gtk_widget_class_bind_template_child (widget_class, LensSavedFileRow, show_button);
}

static void
lens_saved_file_row_init (LensSavedFileRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->task_signals = g_signal_group_new (LENS_TYPE_TASK);
  g_signal_group_connect_swapped (self->task_signals, "notify::saved-path", G_CALLBACK (update), self);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_saved_file_row_set_task:
 * @task: (nullable): the task shown on the page
 */
void
lens_saved_file_row_set_task (LensSavedFileRow *self,
                              LensTask         *task)
{
  g_return_if_fail (LENS_IS_SAVED_FILE_ROW (self));
  g_return_if_fail (task == NULL || LENS_IS_TASK (task));

  if (!g_set_object (&self->task, task))
    return;
  g_signal_group_set_target (self->task_signals, task);
  update (self);
}
