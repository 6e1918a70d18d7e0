/* lens-task-view-download.c — Download Original of the task view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Download saves the shown task's original image, or for a video task the
 * video chosen (Download Video). Downloads belong to a task, not to what
 * the view shows: they live in LensDownloads, which records what was saved
 * where. This binds the view's download button and progress bar to the
 * shown task's download, whoever started it; starts one (the link is
 * checked first, then the user picks the file), or cancels it; and says how
 * the downloads started here ended, even once the view shows another task.
 * A download that found the link expired offers the copy the user saved
 * before, when there is one.
 *
 * The task view owns it and calls it; it calls nothing of the view's. It is
 * given the widgets it drives when it is made, and hands the view what
 * changed and what there is to say through LensTaskViewDownloadCallbacks.
 * The view keeps its actions: it enables them from
 * lens_task_view_download_can_start() and _can_cancel(), and calls
 * lens_task_view_download_update() when the task or the video chosen
 * changes.
 */

#define G_LOG_DOMAIN "lens-task-view-download"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-task-view-download.h"
#include "lens-tooltip.h"

struct _LensTaskViewDownload
{
  /* Borrowed: the view's widgets, which outlive this. */
  GtkStack                      *stack;           /* its pages "button" and "progress" */
  GtkWidget                     *button;
  GtkProgressBar                *progress_bar;
  GtkWidget                     *saved_file_row;  /* shown while the saved copy is there */
  LensTaskViewVideo             *video;           /* the video chosen */

  LensTaskViewDownloadCallbacks  callbacks;
  gpointer                       user_data;

  LensTask                      *task;            /* owned, nullable: the shown task */
  LensDownloads                 *downloads;       /* owned, nullable */
  GCancellable                  *cancellable;     /* owned: the file dialog's, until freed */
  GBindingGroup                 *bindings;        /* owned: to the shown task's download */
  GSignalGroup                  *signals;         /* owned: the same download */
  GPtrArray                     *started;         /* owned: LensDownload started here, not yet ended */
};

static gboolean
shows_video (LensTaskViewDownload *self)
{
  return self->task != NULL && lens_task_view_video_can_show (self->task);
}

/* What Download saves: the video chosen, or the original image. */
static const char *
download_url (LensTaskViewDownload *self)
{
  if (self->task == NULL)
    return NULL;
  if (shows_video (self))
    return lens_task_view_video_get_url (self->video);
  return lens_task_get_raw_image_url (self->task);
}

static LensDownload *
dup_current_download (LensTaskViewDownload *self)
{
  return g_binding_group_dup_source (self->bindings);
}

static gboolean
can_start_download (LensTaskViewDownload *self)
{
  g_autoptr(LensDownload) current = dup_current_download (self);
  LensTaskState state;

  if (self->task == NULL || self->downloads == NULL
      || (current != NULL && lens_download_is_active (current)))
    return FALSE;

  /* While a task runs, its raw_image_url is a preview that soon disappears. */
  state = lens_task_get_state (self->task);
  return download_url (self) != NULL
      && state != LENS_TASK_STATE_QUEUED
      && state != LENS_TASK_STATE_PENDING
      && state != LENS_TASK_STATE_RUNNING;
}

/* What the Download button's tooltip says: what it does, or why it cannot
 * be used now, so that a greyed-out button is not a riddle. */
static const char *
download_tooltip (LensTaskViewDownload *self)
{
  g_autoptr(LensDownload) current = dup_current_download (self);

  if (can_start_download (self))
    return shows_video (self) ? _("Save the video shown") : _("Save the full-resolution image");
  if (self->task == NULL)
    return NULL;
  if (current != NULL && lens_download_is_active (current))
    return _("The image is being saved");
  switch (lens_task_get_state (self->task))
    {
    case LENS_TASK_STATE_QUEUED:
    case LENS_TASK_STATE_PENDING:
    case LENS_TASK_STATE_RUNNING:
      return _("The task is still running: its image can be saved once it is done");
    case LENS_TASK_STATE_FAILED:
      return _("The task failed, so there is no image to save");
    case LENS_TASK_STATE_STALLED:
    case LENS_TASK_STATE_NOT_FOUND:
    case LENS_TASK_STATE_DONE:
    default:
      return _("The task has no image to save yet");
    }
}

/* The facts of what Download saves: what names the file and travels
 * inside it. One of a task's videos is numbered, so that the four never
 * take one name. */
static LensImageFacts *
dup_facts (LensTaskViewDownload *self)
{
  guint index = 0;

  if (shows_video (self))
    {
      const char * const *videos = lens_task_get_video_urls (self->task);

      for (guint i = 0; videos != NULL && videos[1] != NULL && videos[i] != NULL; i++)
        if (g_strcmp0 (videos[i], download_url (self)) == 0)
          index = i + 1;
    }
  return lens_image_facts_new_for_task (self->task, download_url (self), index);
}

/* The bindings show the download; this pulses the bar while the size is
 * unknown, and tells the view. */
static void
sync_download (LensTaskViewDownload *self)
{
  if (lens_task_view_download_is_running (self) && lens_task_view_download_get_progress (self) < 0)
    gtk_progress_bar_pulse (self->progress_bar);
  self->callbacks.changed (self->user_data);
}

/* Binds to the shown task's download, if it has one. */
static void
follow_download (LensTaskViewDownload *self)
{
  LensDownload *download = NULL;

  if (self->downloads != NULL && self->task != NULL)
    download = lens_downloads_find (self->downloads, lens_task_get_id (self->task));

  g_binding_group_set_source (self->bindings, download);
  g_signal_group_set_target (self->signals, download);
  if (download == NULL)
    gtk_stack_set_visible_child_name (self->stack, "button");
  sync_download (self);
}

static gboolean
state_to_page (GBinding     *binding,
               const GValue *from_value,
               GValue       *to_value,
               gpointer      user_data)
{
  gboolean running = g_value_get_enum (from_value) == LENS_DOWNLOAD_STATE_RUNNING;

  g_value_set_static_string (to_value, running ? "progress" : "button");
  return TRUE;
}

/* An unknown size is shown by pulsing (sync_download()), not as a fraction. */
static gboolean
progress_to_fraction (GBinding     *binding,
                      const GValue *from_value,
                      GValue       *to_value,
                      gpointer      user_data)
{
  double progress = g_value_get_double (from_value);

  if (progress < 0)
    return FALSE;
  g_value_set_double (to_value, progress);
  return TRUE;
}

/* A download of the shown task that failed because its link has expired,
 * while the copy the user saved before is there (the saved-file row shows
 * only while it is): that copy is all there is now, and the toast offers
 * it, with Open and Show in Files, instead of only saying the link is
 * gone.
 *
 * Returns: whether it was offered */
static gboolean
offer_saved_copy (LensTaskViewDownload *self,
                  LensDownload         *download)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *message = NULL;

  if (!g_error_matches (lens_download_get_error (download), LENS_DOWNLOADER_ERROR,
                        LENS_DOWNLOADER_ERROR_EXPIRED)
      || self->task == NULL || lens_task_get_saved_path (self->task) == NULL
      || g_strcmp0 (lens_download_get_task_id (download), lens_task_get_id (self->task)) != 0
      || !gtk_widget_get_visible (self->saved_file_row))
    return FALSE;

  file = g_file_new_for_path (lens_task_get_saved_path (self->task));
  display_name = g_filename_display_basename (lens_task_get_saved_path (self->task));
  /* Translators: Download Original found the image's link expired; the
   * file is the copy the user saved before, which the toast offers to open. */
  message = g_strdup_printf (_("The link has expired; your saved copy is “%s”"), display_name);
  self->callbacks.toast_file (message, file, self->user_data);
  return TRUE;
}

static void started_state_cb (LensTaskViewDownload *self,
                              GParamSpec           *pspec,
                              LensDownload         *download);
static void suggested_name_cb (LensTaskViewDownload *self,
                               GParamSpec           *pspec,
                               LensDownload         *download);

/* Watches a download started here, to say how it ends. */
static void
track (LensTaskViewDownload *self,
       LensDownload         *download)
{
  g_ptr_array_add (self->started, g_object_ref (download));
  /* Disconnected by untrack(), at the latest when this is freed. */
  g_signal_connect_swapped (download, "notify::state", G_CALLBACK (started_state_cb), self);
  g_signal_connect_swapped (download, "notify::suggested-name", G_CALLBACK (suggested_name_cb),
                            self);
}

static void
untrack (LensTaskViewDownload *self,
         LensDownload         *download)
{
  g_signal_handlers_disconnect_by_func (download, started_state_cb, self);
  g_signal_handlers_disconnect_by_func (download, suggested_name_cb, self);
  g_ptr_array_remove (self->started, download);
}

static void
started_state_cb (LensTaskViewDownload *self,
                  GParamSpec           *pspec,
                  LensDownload         *download)
{
  switch (lens_download_get_state (download))
    {
    case LENS_DOWNLOAD_STATE_DONE:
      self->callbacks.toast_saved (lens_download_get_destination (download), self->user_data);
      break;
    case LENS_DOWNLOAD_STATE_FAILED:
      /* A failed download's error is never a cancellation (that is
       * LENS_DOWNLOAD_STATE_CANCELLED): toast_error says it. */
      if (!offer_saved_copy (self, download))
        self->callbacks.toast_error (lens_download_get_error (download), self->user_data);
      break;
    case LENS_DOWNLOAD_STATE_CANCELLED:
      /* The user asked for it: nothing to say. */
      break;
    case LENS_DOWNLOAD_STATE_PREPARING:
    case LENS_DOWNLOAD_STATE_RUNNING:
    default:
      return;
    }

  untrack (self, download);
}

/* What a file dialog was opened for. @owner is there for as long as
 * @cancellable is not cancelled: lens_task_view_download_free() cancels
 * it, and the dialog with it. */
typedef struct
{
  LensTaskViewDownload *owner;        /* borrowed, see above */
  GCancellable         *cancellable;  /* owned */
  LensDownload         *download;     /* owned */
} Choice;

static void
choice_free (Choice *choice)
{
  g_object_unref (choice->cancellable);
  g_object_unref (choice->download);
  g_free (choice);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Choice, choice_free)

static void
save_dialog_done_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Choice) choice = user_data;
  LensTaskViewDownload *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source_object), result, &error);
  /* A view that went away cancelled the dialog and the download with it. */
  if (g_cancellable_is_cancelled (choice->cancellable)
      || lens_download_get_state (choice->download) != LENS_DOWNLOAD_STATE_PREPARING)
    return;

  self = choice->owner;
  if (file == NULL)
    {
      self->callbacks.toast_error (error, self->user_data);
      lens_download_cancel (choice->download);
      return;
    }

  lens_downloads_set_destination (self->downloads, choice->download, file);
}

/* The link of a download started here was checked: now the user picks
 * the file. */
static void
suggested_name_cb (LensTaskViewDownload *self,
                   GParamSpec           *pspec,
                   LensDownload         *download)
{
  g_autoptr(GtkFileDialog) dialog = NULL;
  Choice *choice;
  GtkRoot *root;
  gboolean video = shows_video (self);
  const char *folder_path;

  if (lens_download_get_state (download) != LENS_DOWNLOAD_STATE_PREPARING
      || lens_download_get_suggested_name (download) == NULL)
    return;

  dialog = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (dialog, video ? _("Save Video") : _("Save Original Image"));
  gtk_file_dialog_set_initial_name (dialog, lens_download_get_suggested_name (download));
  folder_path = g_get_user_special_dir (video ? G_USER_DIRECTORY_VIDEOS : G_USER_DIRECTORY_PICTURES);
  if (folder_path != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
      gtk_file_dialog_set_initial_folder (dialog, folder);
    }

  choice = g_new0 (Choice, 1);
  choice->owner = self;
  choice->cancellable = g_object_ref (self->cancellable);
  choice->download = g_object_ref (download);
  /* The view's window: the stack is in the view. */
  root = gtk_widget_get_root (GTK_WIDGET (self->stack));
  gtk_file_dialog_save (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                        self->cancellable, save_dialog_done_cb, choice);
}

/**
 * lens_task_view_download_new:
 * @stack: shows @button on its page "button", and @progress_bar on its page
 *   "progress" while the shown task's download runs
 * @button: the Download button, which this names and gives its tooltip
 * @progress_bar: the shown task's download's progress
 * @saved_file_row: shown while the file the shown task was saved as is
 *   there: an expired link offers that copy then
 * @video: the videos of a video task, whose chosen one Download saves
 * @callbacks: (not nullable): what changed and what there is to say go
 *   there; copied
 *
 * The widgets are the view's, and must outlive what this returns.
 *
 * Returns: (transfer full): the download of a view with no task and no
 *   LensDownloads yet
 */
LensTaskViewDownload *
lens_task_view_download_new (GtkStack                            *stack,
                             GtkWidget                           *button,
                             GtkProgressBar                      *progress_bar,
                             GtkWidget                           *saved_file_row,
                             LensTaskViewVideo                   *video,
                             const LensTaskViewDownloadCallbacks *callbacks,
                             gpointer                             user_data)
{
  LensTaskViewDownload *self;

  g_return_val_if_fail (GTK_IS_STACK (stack), NULL);
  g_return_val_if_fail (GTK_IS_BUTTON (button), NULL);
  g_return_val_if_fail (GTK_IS_PROGRESS_BAR (progress_bar), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (saved_file_row), NULL);
  g_return_val_if_fail (LENS_IS_TASK_VIEW_VIDEO (video), NULL);
  g_return_val_if_fail (callbacks != NULL, NULL);

  self = g_new0 (LensTaskViewDownload, 1);
  self->stack = stack;
  self->button = button;
  self->progress_bar = progress_bar;
  self->saved_file_row = saved_file_row;
  self->video = video;
  self->callbacks = *callbacks;
  self->user_data = user_data;
  self->cancellable = g_cancellable_new ();
  self->started = g_ptr_array_new_with_free_func (g_object_unref);

  self->bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->bindings, "state",
                             stack, "visible-child-name",
                             G_BINDING_SYNC_CREATE, state_to_page, NULL, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "progress",
                             progress_bar, "fraction",
                             G_BINDING_SYNC_CREATE, progress_to_fraction, NULL, NULL, NULL);
  self->signals = g_signal_group_new (LENS_TYPE_DOWNLOAD);
  g_signal_group_connect_swapped (self->signals, "notify::state",
                                  G_CALLBACK (sync_download), self);
  g_signal_group_connect_swapped (self->signals, "notify::progress",
                                  G_CALLBACK (sync_download), self);
  return self;
}

/**
 * lens_task_view_download_free:
 *
 * For the view's dispose. Downloads go on without the view, except those
 * started here that still wait for the user to pick a file: their dialog
 * goes with the view, and they are cancelled. Calls none of the callbacks.
 */
void
lens_task_view_download_free (LensTaskViewDownload *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  /* Let go of the shown download first: the view hears nothing more. */
  g_binding_group_set_source (self->bindings, NULL);
  g_signal_group_set_target (self->signals, NULL);
  if (self->downloads != NULL)
    g_signal_handlers_disconnect_by_func (self->downloads, follow_download, self);

  while (self->started->len > 0)
    {
      g_autoptr(LensDownload) download = g_object_ref (g_ptr_array_index (self->started, 0));

      untrack (self, download);
      if (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_PREPARING)
        lens_download_cancel (download);
    }

  g_clear_object (&self->task);
  g_clear_object (&self->downloads);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_ptr_array_unref (self->started);
  g_free (self);
}

/**
 * lens_task_view_download_set_downloads:
 * @downloads: (nullable): where downloads are started and found; no
 *   download without it
 */
void
lens_task_view_download_set_downloads (LensTaskViewDownload *self,
                                       LensDownloads        *downloads)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (downloads == NULL || LENS_IS_DOWNLOADS (downloads));

  if (self->downloads == downloads)
    return;

  if (self->downloads != NULL)
    g_signal_handlers_disconnect_by_func (self->downloads, follow_download, self);
  g_set_object (&self->downloads, downloads);
  /* A download of the shown task may start elsewhere (or end and leave). */
  if (downloads != NULL)
    g_signal_connect_swapped (downloads, "items-changed", G_CALLBACK (follow_download), self);

  follow_download (self);
}

/**
 * lens_task_view_download_set_task:
 * @task: (nullable): the task the view shows
 *
 * Shows @task's download, if it has one.
 */
void
lens_task_view_download_set_task (LensTaskViewDownload *self,
                                  LensTask             *task)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (task == NULL || LENS_IS_TASK (task));

  g_set_object (&self->task, task);
  follow_download (self);
}

/**
 * lens_task_view_download_get_url:
 *
 * Returns: (nullable): what Download saves: the video chosen for a video
 *   task, the original image otherwise
 */
const char *
lens_task_view_download_get_url (LensTaskViewDownload *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return download_url (self);
}

/**
 * lens_task_view_download_can_start:
 *
 * Returns: whether Download can be used now: the task is done, has
 *   something to save, and no download of it is under way
 */
gboolean
lens_task_view_download_can_start (LensTaskViewDownload *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return can_start_download (self);
}

/**
 * lens_task_view_download_can_cancel:
 *
 * Returns: whether the shown task's download is under way, preparing or
 *   running, whoever started it
 */
gboolean
lens_task_view_download_can_cancel (LensTaskViewDownload *self)
{
  g_autoptr(LensDownload) current = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  current = dup_current_download (self);
  return current != NULL && lens_download_is_active (current);
}

/**
 * lens_task_view_download_is_running:
 *
 * Returns: whether the shown task's download is writing its file
 */
gboolean
lens_task_view_download_is_running (LensTaskViewDownload *self)
{
  g_autoptr(LensDownload) current = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  current = dup_current_download (self);
  return current != NULL && lens_download_get_state (current) == LENS_DOWNLOAD_STATE_RUNNING;
}

/**
 * lens_task_view_download_get_progress:
 *
 * Returns: how far the shown task's download is while it runs, 0 to 1, or
 *   -1 while the size is unknown; 0 when none runs
 */
double
lens_task_view_download_get_progress (LensTaskViewDownload *self)
{
  g_autoptr(LensDownload) current = NULL;

  g_return_val_if_fail (self != NULL, 0.0);
  if (!lens_task_view_download_is_running (self))
    return 0.0;
  current = dup_current_download (self);
  return lens_download_get_progress (current);
}

/**
 * lens_task_view_download_update:
 *
 * Shows the Download button while it can ever be used, named for what it
 * saves, with a tooltip that says what it does or why it cannot be used
 * now. For the view to call when the task changes, or the video chosen.
 */
void
lens_task_view_download_update (LensTaskViewDownload *self)
{
  gboolean finished;

  g_return_if_fail (self != NULL);

  /* A finished task without an original or a link will never have one:
   * no point in a button that can never be used. */
  finished = self->task != NULL && lens_task_is_finished (self->task);
  gtk_widget_set_visible (GTK_WIDGET (self->stack), !finished || download_url (self) != NULL);
  gtk_button_set_label (GTK_BUTTON (self->button),
                        shows_video (self) ? _("_Download Video") : _("_Download Original"));
  lens_tooltip_set_text (self->button, download_tooltip (self));
}

/**
 * lens_task_view_download_start:
 *
 * Download: checks the link of what it saves, then asks the user for the
 * file, named from the user's template, and says how it ended. Does
 * nothing while Download cannot be used.
 */
void
lens_task_view_download_start (LensTaskViewDownload *self)
{
  LensDownload *download;
  g_autoptr(LensImageFacts) fields = NULL;

  g_return_if_fail (self != NULL);

  if (!can_start_download (self))
    return;

  /* The file is named from the user's template. */
  fields = dup_facts (self);

  /* The link is checked first: an expired one says so before the user
   * picks a file for it (suggested_name_cb() opens the dialog). */
  download = lens_downloads_prepare (self->downloads, lens_task_get_id (self->task),
                                     download_url (self), fields);
  if (download != NULL)
    track (self, download);
}

/**
 * lens_task_view_download_start_to:
 * @destination: the file to save to
 *
 * What Download does once the user has picked @destination in the file
 * dialog, which tests cannot drive; says how it ended. Does nothing while
 * Download cannot be used.
 */
void
lens_task_view_download_start_to (LensTaskViewDownload *self,
                                  GFile                *destination)
{
  LensDownload *download;
  g_autoptr(LensImageFacts) facts = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  if (!can_start_download (self))
    return;

  /* As the dialog's download would: the image keeps its task's facts. */
  facts = dup_facts (self);
  download = lens_downloads_start_with_facts (self->downloads, lens_task_get_id (self->task),
                                              download_url (self), destination, facts);
  if (download != NULL)
    track (self, download);
}

/**
 * lens_task_view_download_cancel:
 *
 * Cancels the shown task's download, whoever started it.
 */
void
lens_task_view_download_cancel (LensTaskViewDownload *self)
{
  g_autoptr(LensDownload) current = NULL;

  g_return_if_fail (self != NULL);

  current = dup_current_download (self);
  if (current != NULL)
    lens_download_cancel (current);
}
