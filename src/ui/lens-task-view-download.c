/* lens-task-view-download.c — saving the original image of a task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensTaskView; see lens-task-view-private.h. Downloads belong to a
 * task, not to what the view shows: a download keeps running when the user
 * moves on to another task, says when it is done in a toast, and its
 * progress reappears when the user comes back. That life of their own is
 * why they are kept apart from the page.
 */

#define G_LOG_DOMAIN "lens-task-view"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-task-view-private.h"

typedef struct
{
  LensTaskView *view;         /* unowned, nullable: NULL once the view is gone */
  char         *task_id;
  char         *url;
  GFile        *file;         /* nullable until the user has picked one */
  GCancellable *cancellable;
  double        progress;     /* 0…1, or -1 when the size is unknown */
  gboolean      running;      /* FALSE while the file is still being chosen */
} Download;

/* ─── downloads ────────────────────────────────────────────────────────── */

static void
download_clear (Download *download)
{
  g_free (download->task_id);
  g_free (download->url);
  g_clear_object (&download->file);
  g_clear_object (&download->cancellable);
}

static Download *
download_ref (Download *download)
{
  return g_rc_box_acquire (download);
}

static void
download_unref (Download *download)
{
  g_rc_box_release_full (download, (GDestroyNotify) download_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Download, download_unref)

static Download *
current_download (LensTaskView *self)
{
  if (self->task == NULL)
    return NULL;
  return g_hash_table_lookup (self->downloads, lens_task_get_id (self->task));
}

gboolean
lens_task_view_download_has_current (LensTaskView *self)
{
  return current_download (self) != NULL;
}

/* Shows the current task's download, if it has one, and notifies the
 * properties that tests and the window watch. */
void
lens_task_view_download_sync (LensTaskView *self)
{
  Download *download = current_download (self);
  gboolean downloading = download != NULL && download->running;
  double progress = downloading ? download->progress : 0.0;

  gtk_stack_set_visible_child_name (self->download_stack, downloading ? "progress" : "button");
  if (downloading && progress >= 0)
    gtk_progress_bar_set_fraction (self->download_progress_bar, progress);
  else if (downloading)
    gtk_progress_bar_pulse (self->download_progress_bar);

  lens_task_view_set_download_state (self, downloading, progress);
}

/* Forgets @download and, unless it was cancelled, says how it ended. */
static void
download_end (Download     *download,
              const GError *error)
{
  LensTaskView *self = download->view;
  g_autofree char *basename = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *message = NULL;

  if (g_hash_table_lookup (self->downloads, download->task_id) == download)
    g_hash_table_remove (self->downloads, download->task_id);

  if (error != NULL)
    lens_task_view_toast (self, error->message);
  else if (download->file != NULL)
    {
      basename = g_file_get_basename (download->file);
      display_name = g_filename_display_name (basename);
      message = g_strdup_printf (_("Saved “%s”"), display_name);
      lens_task_view_toast (self, message);
      lens_task_view_emit_image_saved (self, download->task_id, download->file);
    }

  lens_task_view_download_sync (self);
  lens_task_view_update_actions (self);
}

static void
download_progress_cb (goffset  received,
                      goffset  total,
                      gpointer user_data)
{
  Download *download = user_data;

  if (download->view == NULL || g_cancellable_is_cancelled (download->cancellable))
    return;

  download->progress = total > 0 ? CLAMP ((double) received / total, 0.0, 1.0) : -1.0;
  lens_task_view_download_sync (download->view);
}

static void
download_done_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Download) download = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  saved = lens_downloader_download_finish (LENS_DOWNLOADER (source_object), result, &error);
  /* Once the file is in place the download counts as done, even if a
   * cancellation came too late to stop it; a cancelled one the view has
   * already forgotten. */
  if (download->view == NULL || (!saved && g_cancellable_is_cancelled (download->cancellable)))
    return;

  download_end (download, error);
}

static void
download_begin_transfer (Download *download)
{
  LensTaskView *self = download->view;

  download->running = TRUE;
  download->progress = -1.0;
  lens_downloader_download_async (self->downloader, download->url, download->file,
                                  download_progress_cb, download_ref (download),
                                  (GDestroyNotify) download_unref,
                                  download->cancellable, download_done_cb,
                                  download_ref (download));
  lens_task_view_download_sync (self);
  lens_task_view_update_actions (self);
}

static void
save_dialog_done_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Download) download = user_data;
  g_autoptr(GError) error = NULL;

  download->file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source_object), result, &error);
  if (download->view == NULL || g_cancellable_is_cancelled (download->cancellable))
    return;

  if (download->file == NULL)
    {
      /* Closing the dialog is a choice, not a failure. */
      download_end (download, g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED)
                              ? NULL : error);
      return;
    }

  download_begin_transfer (download);
}

static void
probe_done_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Download) download = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileDialog) dialog = NULL;
  GtkRoot *root;
  const char *pictures;

  content_type = lens_downloader_probe_finish (LENS_DOWNLOADER (source_object), result, &error);
  if (download->view == NULL || g_cancellable_is_cancelled (download->cancellable))
    return;

  /* An expired link says so now, before the user picks a file for it. */
  if (error != NULL)
    {
      download_end (download, error);
      return;
    }

  name = lens_downloader_suggest_name (download->task_id, content_type, download->url);
  dialog = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (dialog, _("Save Original Image"));
  gtk_file_dialog_set_initial_name (dialog, name);
  pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  if (pictures != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (pictures);
      gtk_file_dialog_set_initial_folder (dialog, folder);
    }

  root = gtk_widget_get_root (GTK_WIDGET (download->view));
  gtk_file_dialog_save (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                        download->cancellable, save_dialog_done_cb, download_ref (download));
}

gboolean
lens_task_view_download_can_start (LensTaskView *self)
{
  LensTaskState state;

  if (self->task == NULL || self->downloader == NULL || current_download (self) != NULL)
    return FALSE;

  /* While a task runs, its raw_image_url is a preview that soon disappears. */
  state = lens_task_get_state (self->task);
  return lens_task_get_raw_image_url (self->task) != NULL
      && state != LENS_TASK_STATE_QUEUED
      && state != LENS_TASK_STATE_PENDING
      && state != LENS_TASK_STATE_RUNNING;
}

/* Starts saving the current task's original to @file, or, without a file,
 * asks the user for one first. */
static void
start_download (LensTaskView *self,
                GFile        *file)
{
  Download *download;

  if (!lens_task_view_download_can_start (self))
    return;

  download = g_rc_box_new0 (Download);
  download->view = self;
  download->task_id = g_strdup (lens_task_get_id (self->task));
  download->url = g_strdup (lens_task_get_raw_image_url (self->task));
  download->cancellable = g_cancellable_new ();
  g_hash_table_replace (self->downloads, download->task_id, download);

  if (file != NULL)
    {
      download->file = g_object_ref (file);
      download_begin_transfer (download);
      return;
    }

  lens_downloader_probe_async (self->downloader, download->url, download->cancellable,
                               probe_done_cb, download_ref (download));
  lens_task_view_update_actions (self);
}

/* ─── actions ──────────────────────────────────────────────────────────── */

static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  start_download (LENS_TASK_VIEW (widget), NULL);
}

static void
cancel_download_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LensTaskView *self = LENS_TASK_VIEW (widget);
  Download *download = current_download (self);

  if (download == NULL)
    return;

  /* The callbacks see the cancellation and leave the view alone. */
  g_cancellable_cancel (download->cancellable);
  g_hash_table_remove (self->downloads, download->task_id);
  lens_task_view_download_sync (self);
  lens_task_view_update_actions (self);
}

/* ─── setup and teardown ───────────────────────────────────────────────── */

void
lens_task_view_download_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "task.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "task.cancel-download", NULL,
                                   cancel_download_action);
}

void
lens_task_view_download_init (LensTaskView *self)
{
  self->downloads = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) download_unref);
}

/* Cancels every download, shown or not: none may outlive the view. */
void
lens_task_view_download_dispose (LensTaskView *self)
{
  GHashTableIter iter;
  Download *download;

  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &download))
    {
      download->view = NULL;
      g_cancellable_cancel (download->cancellable);
    }
  g_hash_table_remove_all (self->downloads);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_task_view_download_to:
 * @self: a task view
 * @destination: the file to write
 *
 * Saves the shown task's original image to @destination without asking,
 * as Download Original does after its dialog. Does nothing when the task
 * has no original or is already being saved; watch the "downloading"
 * property for the end.
 */
void
lens_task_view_download_to (LensTaskView *self,
                            GFile        *destination)
{
  g_return_if_fail (LENS_IS_TASK_VIEW (self));
  g_return_if_fail (G_IS_FILE (destination));

  start_download (self, destination);
}
