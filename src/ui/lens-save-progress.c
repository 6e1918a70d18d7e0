/* lens-save-progress.c — a bulk save in the window: how far, stop, the summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bar at the bottom of the window, seen from every page, while
 * LensSaving has a job: "Saving images to Pictures — 312 of 1,000 ·
 * 120 MB · about 2 minutes left" over a progress bar, and a button that
 * stops it. When the job is over the bar stays with its summary ("Saved
 * 990 images to Pictures · 8 were already there · 2 failed") and what can
 * be done next: Show in Files, the failures' Details, Retry Failed, and
 * a button that closes the bar. The words are lens-save-words.c's.
 *
 * The bar follows whatever job LensSaving has ("job"), not only those the
 * Save Images dialog started: a save a crash interrupted is resumed at
 * start-up, and shows here like any other. A job notifies for every image
 * and the bar reads it at most ten times a second, and at once when its
 * state changes. While it runs, the bar also reads it every second by
 * itself: the bytes of the images arriving and the time left change
 * without a notification.
 *
 * When a save ends while the window is not the one in use, a desktop
 * notification says how it went, as lens-notifier.c does for tasks.
 */

#define G_LOG_DOMAIN "lens-save-progress"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-save-failures-dialog.h"
#include "lens-save-progress.h"
#include "lens-save-words.h"
#include "lens-saved-toast.h"

/* At most ten updates a second, however often the job notifies. */
#define UPDATE_INTERVAL_MS 100
#define HEARTBEAT_S 1
#define NOTIFICATION_ID "images-saved"

struct _LensSaveProgress
{
  AdwBin          parent_instance;

  GtkStack       *buttons;
  GtkButton      *details_button;
  GtkLabel       *label;
  GtkProgressBar *progress;
  GtkButton      *retry_button;
  GtkRevealer    *revealer;
  GtkButton      *show_button;

  LensSaving     *saving;     /* owned, nullable: until bound */
  LensSaveJob    *job;        /* owned, nullable: the job shown */
  guint           update_id;  /* the update waiting, or 0 */
  guint           beat_id;    /* the heartbeat while the job runs, or 0 */
  gboolean        closed;     /* the user closed the summary of this job */
};

G_DEFINE_FINAL_TYPE (LensSaveProgress, lens_save_progress, ADW_TYPE_BIN)

/* ─── what it says ─────────────────────────────────────────────────────── */

static gboolean
job_is_over (LensSaveJob *job)
{
  LensSaveJobState state = lens_save_job_get_state (job);

  return state == LENS_SAVE_JOB_DONE || state == LENS_SAVE_JOB_CANCELLED;
}

static void
show_over (LensSaveProgress *self)
{
  g_autofree char *summary = lens_save_words_summary (self->job);
  gboolean failed = lens_save_job_get_n_failed (self->job) > 0;
  gboolean job_failed = lens_save_job_get_error (self->job) != NULL;

  gtk_label_set_text (self->label, summary);
  gtk_progress_bar_set_fraction (self->progress, lens_save_words_fraction (self->job));
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button),
                          failed && !job_failed && lens_save_job_get_state (self->job) == LENS_SAVE_JOB_DONE);
  gtk_widget_set_visible (GTK_WIDGET (self->details_button), failed);
  gtk_widget_set_visible (GTK_WIDGET (self->show_button), !job_failed);
  gtk_stack_set_visible_child_name (self->buttons, "over");
}

static void
show_running (LensSaveProgress *self)
{
  g_autofree char *text = lens_save_words_progress (self->job);

  gtk_label_set_text (self->label, text);
  if (lens_save_job_get_state (self->job) == LENS_SAVE_JOB_PREPARING)
    gtk_progress_bar_pulse (self->progress);
  else
    gtk_progress_bar_set_fraction (self->progress, lens_save_words_fraction (self->job));
  gtk_stack_set_visible_child_name (self->buttons, "running");
}

static gboolean heartbeat_cb (gpointer user_data);

static void
update (LensSaveProgress *self)
{
  gboolean running = self->job != NULL && !job_is_over (self->job);

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (!running)
    g_clear_handle_id (&self->beat_id, g_source_remove);
  else if (self->beat_id == 0)
    self->beat_id = g_timeout_add_seconds (HEARTBEAT_S, heartbeat_cb, self);

  if (self->job == NULL)
    {
      gtk_revealer_set_reveal_child (self->revealer, FALSE);
      return;
    }
  if (running)
    show_running (self);
  else
    show_over (self);
  gtk_revealer_set_reveal_child (self->revealer, !self->closed);
}


static gboolean
update_cb (gpointer user_data)
{
  LensSaveProgress *self = user_data;

  self->update_id = 0;
  update (self);
  return G_SOURCE_REMOVE;
}

static void
job_changed_cb (LensSaveProgress *self)
{
  if (self->update_id == 0)
    self->update_id = g_timeout_add (UPDATE_INTERVAL_MS, update_cb, self);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  job_changed_cb (user_data);
  return G_SOURCE_CONTINUE;
}

/* A retry runs the job again: the bar comes back if it was closed. */
static void
job_state_cb (LensSaveProgress *self)
{
  if (!job_is_over (self->job))
    self->closed = FALSE;
  update (self);
}

/* ─── the end of a save ────────────────────────────────────────────────── */

static void
job_finished_cb (LensSaveProgress *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *application = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *summary = NULL;

  update (self);
  if (application == NULL || gtk_window_is_active (GTK_WINDOW (root)))
    return;

  summary = lens_save_words_summary (self->job);
  notification = g_notification_new (lens_save_job_get_state (self->job) == LENS_SAVE_JOB_CANCELLED
                                     ? _("Saving Stopped") : _("Saving Images Is Done"));
  g_notification_set_body (notification, summary);
  g_application_send_notification (G_APPLICATION (application), NOTIFICATION_ID, notification);
}

/* ─── following the job ────────────────────────────────────────────────── */

static void
follow_job (LensSaveProgress *self)
{
  LensSaveJob *job = lens_saving_get_job (self->saving);

  if (self->job == job)
    return;
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_set_object (&self->job, job);
  self->closed = FALSE;
  if (job != NULL)
    {
      g_signal_connect_object (job, "notify", G_CALLBACK (job_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (job, "notify::state", G_CALLBACK (job_state_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (job, "finished", G_CALLBACK (job_finished_cb), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

/* ─── buttons ──────────────────────────────────────────────────────────── */

static void
cancel_clicked_cb (LensSaveProgress *self)
{
  if (self->job != NULL)
    lens_save_job_cancel (self->job);
}

static void
retry_clicked_cb (LensSaveProgress *self)
{
  if (self->job != NULL)
    lens_save_job_retry_failed (self->job);
}

static void
details_clicked_cb (LensSaveProgress *self)
{
  if (self->job != NULL)
    adw_dialog_present (lens_save_failures_dialog_new (self->job), GTK_WIDGET (self));
}

static void
show_clicked_cb (LensSaveProgress *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *uri = NULL;

  if (self->job == NULL || !GTK_IS_WINDOW (root))
    return;
  uri = g_file_get_uri (lens_save_job_get_folder (self->job));
  lens_saved_toast_launch (GTK_WINDOW (root), uri, FALSE);
}

static void
close_clicked_cb (LensSaveProgress *self)
{
  self->closed = TRUE;
  update (self);
}

/* ─── the object ───────────────────────────────────────────────────────── */

static void
lens_save_progress_dispose (GObject *object)
{
  LensSaveProgress *self = LENS_SAVE_PROGRESS (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->beat_id, g_source_remove);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  g_clear_object (&self->saving);
  /* The template's root is also AdwBin's child: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_SAVE_PROGRESS);

  G_OBJECT_CLASS (lens_save_progress_parent_class)->dispose (object);
}

static void
lens_save_progress_class_init (LensSaveProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_save_progress_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-save-progress.ui");
  gtk_widget_class_bind_template_child (widget_class, LensSaveProgress, buttons);
  gtk_widget_class_bind_template_child (widget_class, LensSaveProgress, details_button);
  gtk_widget_class_bind_template_child (widget_class, LensSaveProgress, label);
  gtk_widget_class_bind_template_child (widget_class, LensSaveProgress, progress);
  gtk_widget_class_bind_template_child (widget_class, LensSaveProgress, retry_button);
  gtk_widget_class_bind_template_child (widget_class, LensSaveProgress, revealer);
  gtk_widget_class_bind_template_child (widget_class, LensSaveProgress, show_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_clicked_cb);
}

static void
lens_save_progress_init (LensSaveProgress *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ─── public ───────────────────────────────────────────────────────────── */

/**
 * lens_save_progress_bind:
 *
 * Follows @saving's jobs from now on, the one it has included. Called once.
 */
void
lens_save_progress_bind (LensSaveProgress *self,
                         LensSaving       *saving)
{
  g_return_if_fail (LENS_IS_SAVE_PROGRESS (self));
  g_return_if_fail (LENS_IS_SAVING (saving));
  g_return_if_fail (self->saving == NULL);

  self->saving = g_object_ref (saving);
  g_signal_connect_object (saving, "notify::job", G_CALLBACK (follow_job), self, G_CONNECT_SWAPPED);
  follow_job (self);
}

gboolean
lens_save_progress_get_revealed (LensSaveProgress *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_PROGRESS (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

/* What the bar says now. */
const char *
lens_save_progress_get_text (LensSaveProgress *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_PROGRESS (self), NULL);
  return gtk_label_get_text (self->label);
}

double
lens_save_progress_get_fraction (LensSaveProgress *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_PROGRESS (self), 0);
  return gtk_progress_bar_get_fraction (self->progress);
}
