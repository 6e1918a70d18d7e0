/* lens-task-view.c — the detail page of one task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows one LensTask: its image (LensTaskViewImage), or for a video task
 * its videos (LensTaskViewVideo), the buttons that save, open or copy it,
 * the file it was saved as (LensSavedFileRow) and its fields
 * (LensTaskDetails). Download and Open in Browser act on the
 * video chosen when videos show, on the original image otherwise. The parts follow the
 * task's notifications, so a running task progresses and its image appears
 * while the user watches.
 *
 * Downloads belong to a task, not to what the view shows. The shown task's
 * download on the Download button and progress bar, starting and
 * cancelling one, and what the downloads started here say when they end
 * are LensTaskViewDownload's (lens-task-view-download.c): the view owns it
 * and tells it the task shown, and it hands back what changed and what to
 * say in a toast. The view keeps the actions.
 */

#define G_LOG_DOMAIN "lens-task-view"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-grid-image-save.h"
#include "lens-json.h"
#include "lens-lazy-menu.h"
#include "lens-saved-file-row.h"
#include "lens-task-details.h"
#include "lens-task-view-download.h"
#include "lens-task-view-image.h"
#include "lens-task-view-private.h"
#include "lens-task-view-video.h"

struct _LensTaskView
{
  AdwBin             parent_instance;

  LensTaskDetails   *details;
  GtkProgressBar    *download_progress_bar;
  GtkStack          *download_stack;
  GtkWidget         *download_button;
  LensTaskViewImage *image;
  GtkStack          *main_stack;
  GtkButton         *open_button;
  GtkWidget         *save_image_button;
  LensSavedFileRow  *saved_file_row;
  GtkScrolledWindow *scrolled_window;
  LensTaskViewVideo *video;

  LensTask          *task;               /* owned, nullable */
  GSignalGroup      *task_signals;       /* owned: the task's notifications */
  LensImageLoader   *image_loader;       /* owned, nullable */
  LensDownloads     *downloads;          /* owned, nullable */
  GCancellable      *cancellable;        /* owned: for the view's lifetime */

  LensTaskViewDownload *download;        /* owned until dispose: Download Original */
  gboolean           downloading;
  double             download_progress;
  guint              stage_id;           /* sets the image's stage height */
};

G_DEFINE_FINAL_TYPE (LensTaskView, lens_task_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TASK,
  PROP_IMAGE_LOADER,
  PROP_DOWNLOADS,
  PROP_DOWNLOADING,
  PROP_DOWNLOAD_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the page shows under the image's stage without scrolling: the
 * margin, the spacing and the row of buttons, with a little to spare. */
#define BELOW_STAGE    120
/* The least height of the stage, in a very low window. */
#define MIN_STAGE      240

static void
toast (LensTaskView *self,
       const char   *message)
{
  /* The window shows toasts; without one (in tests) there is nobody to tell. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

/* Says @message; the window's toast offers to open @file and to show it. */
static void
toast_file (LensTaskView *self,
            const char   *message,
            GFile        *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast-saved", "(ss)", message, uri);
}

/* Says that @file was saved, offering to open it and to show it. */
static void
toast_saved (LensTaskView *self,
             GFile        *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *display_name = g_filename_display_name (basename);
  g_autofree char *message = g_strdup_printf (_("Saved “%s”"), display_name);

  toast_file (self, message, file);
}

/* Closing a dialog, or a view that went away, is a choice, not a failure:
 * nothing to tell the user. */
static gboolean
is_dismissal (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         || g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED)
         || g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED);
}

static const char *
preview_url (LensTask *task)
{
  return lens_task_view_image_preview_url (task);
}

static gboolean
shows_video (LensTaskView *self)
{
  return self->task != NULL && lens_task_view_video_can_show (self->task);
}

/* What Download saves (the video chosen, or the original image), or else
 * the preview. */
static const char *
browser_url (LensTaskView *self)
{
  const char *download_url;

  if (self->task == NULL)
    return NULL;
  download_url = lens_task_view_download_get_url (self->download);
  if (download_url != NULL)
    return download_url;
  return preview_url (self->task);
}

/* ─── the actions, and the download (lens-task-view-download.c) ──────── */

static void
update_actions (LensTaskView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LensTask *task = self->task;
  gboolean finished = task != NULL && lens_task_is_finished (task);

  lens_task_view_download_update (self->download);
  /* As the Download button: a finished task without a link will never
   * have one, and a button that can never be used has no point. */
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), !finished || browser_url (self) != NULL);

  gtk_widget_action_set_enabled (widget, "task.download",
                                 lens_task_view_download_can_start (self->download));
  gtk_widget_action_set_enabled (widget, "task.cancel-download",
                                 lens_task_view_download_can_cancel (self->download));
  gtk_widget_action_set_enabled (widget, "task.open-in-browser",
                                 browser_url (self) != NULL);
  gtk_widget_action_set_enabled (widget, "task.copy-id", task != NULL);
  gtk_widget_action_set_enabled (widget, "task.copy-prompt",
                                 task != NULL && lens_task_get_prompt (task) != NULL);
  gtk_widget_action_set_enabled (widget, "task.copy-image-url",
                                 task != NULL && preview_url (task) != NULL);
  gtk_widget_action_set_enabled (widget, "task.copy-original-url",
                                 task != NULL && lens_task_get_raw_image_url (task) != NULL);
  gtk_widget_action_set_enabled (widget, "task.copy-json",
                                 task != NULL && lens_task_get_raw_json (task) != NULL);
}

/* The shown task's download started, moved on or ended: the view's
 * properties say it, and the actions follow. */
static void
download_changed_cb (gpointer user_data)
{
  LensTaskView *self = user_data;
  gboolean downloading = lens_task_view_download_is_running (self->download);
  double progress = lens_task_view_download_get_progress (self->download);

  if (self->downloading != downloading)
    {
      self->downloading = downloading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOADING]);
    }
  if (self->download_progress != progress)
    {
      self->download_progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_PROGRESS]);
    }
  update_actions (self);
}

static void
download_toast_error_cb (const GError *error,
                         gpointer      user_data)
{
  if (!is_dismissal (error))
    toast (LENS_TASK_VIEW (user_data), error->message);
}

static void
download_toast_saved_cb (GFile    *file,
                         gpointer  user_data)
{
  toast_saved (LENS_TASK_VIEW (user_data), file);
}

static void
download_toast_file_cb (const char *message,
                        GFile      *file,
                        gpointer    user_data)
{
  toast_file (LENS_TASK_VIEW (user_data), message, file);
}

static const LensTaskViewDownloadCallbacks download_callbacks = {
  .changed = download_changed_cb,
  .toast_error = download_toast_error_cb,
  .toast_saved = download_toast_saved_cb,
  .toast_file = download_toast_file_cb,
};

static void
set_downloads (LensTaskView  *self,
               LensDownloads *downloads)
{
  if (!g_set_object (&self->downloads, downloads))
    return;

  lens_task_view_download_set_downloads (self->download, downloads);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOADS]);
}

/* The videos of a video task whose links have come, the image otherwise;
 * the other part is given no task, so that it fetches nothing. */
static void
show_media (LensTaskView *self)
{
  gboolean video = shows_video (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* The part about to hide lets go of the focus first: GTK 4.18 moved it
   * on by itself, but the hidden part's widgets then outlived the window
   * (test-task-view, /task-view/video-playback). */
  if (focus != NULL && !video && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->video)))
    gtk_root_set_focus (root, NULL);
  else if (focus != NULL && video && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->image)))
    gtk_root_set_focus (root, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->video), video);
  gtk_widget_set_visible (GTK_WIDGET (self->image), !video);
  lens_task_view_video_set_task (self->video, video ? self->task : NULL);
  lens_task_view_image_set_task (self->image, video ? NULL : self->task);
}

/* ─── callbacks ────────────────────────────────────────────────────────── */

/* The image takes most of the visible height of the page: a larger window
 * shows a larger image, and the buttons stay in view. */
static gboolean
set_stage_height_cb (gpointer user_data)
{
  LensTaskView *self = user_data;
  int visible = gtk_adjustment_get_page_size (gtk_scrolled_window_get_vadjustment (self->scrolled_window));

  self->stage_id = 0;
  if (visible > 0)
    lens_task_view_image_set_stage_height (self->image, MAX (MIN_STAGE, visible - BELOW_STAGE));
  return G_SOURCE_REMOVE;
}

/* The page's height changes while the page is laid out: the stage's
 * follows after that layout, not within it. */
static void
page_size_cb (LensTaskView *self)
{
  if (self->stage_id == 0)
    self->stage_id = g_idle_add (set_stage_height_cb, self);
}

static void
task_notify_cb (LensTaskView *self,
                GParamSpec   *pspec,
                LensTask     *task)
{
  /* A video task's links come when it is done. */
  if (g_str_equal (g_param_spec_get_name (pspec), "video-urls")
      || g_str_equal (g_param_spec_get_name (pspec), "task-type"))
    show_media (self);
  update_actions (self);
}

static void
uri_launched_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source_object), result, &error)
      || is_dismissal (error))
    return;

  toast (LENS_TASK_VIEW (user_data), error->message);
}

static void
open_uri (LensTaskView *self,
          const char   *url)
{
  g_autoptr(GtkUriLauncher) launcher = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* Only web addresses leave the app, whatever the server sent. */
  if (!lens_json_is_web_url (url))
    return;

  launcher = gtk_uri_launcher_new (url);
  gtk_uri_launcher_launch (launcher, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                           self->cancellable, uri_launched_cb, self);
}

/* The facts of image @index (1 to 4) of a grid: what names the file and
 * travels inside it. Those of what Download saves are
 * lens-task-view-download.c's. */
static LensImageFacts *
dup_facts (LensTaskView *self,
           guint         index)
{
  return lens_image_facts_new_for_task (self->task, lens_task_view_download_get_url (self->download),
                                        index);
}

/* ─── one image of a grid ───────────────────────────────────────────────── */

/* Shows "Save Image 2…" while image 2 of a grid is picked. */
static void
selected_image_cb (LensTaskView *self)
{
  guint index = lens_task_view_image_get_selected_image (self->image);
  g_autofree char *label = NULL;

  gtk_widget_set_visible (self->save_image_button, index != 0 && self->downloads != NULL);
  if (index == 0)
    return;
  /* TRANSLATORS: saves one of the four images of a grid, 1 to 4 */
  label = g_strdup_printf (_("_Save Image %u…"), index);
  gtk_button_set_label (GTK_BUTTON (self->save_image_button), label);
}

static void
grid_image_saved_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LensTaskView) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = lens_grid_image_save_finish (result, &error);
  if (file == NULL)
    {
      if (!is_dismissal (error))
        toast (self, error->message);
      return;
    }
  toast_saved (self, file);
}

/* Saves the picked image of the shown grid to @destination. */
static void
save_grid_image (LensTaskView *self,
                 GFile        *destination)
{
  guint index = lens_task_view_image_get_selected_image (self->image);
  const char * const *subs = lens_task_get_sub_image_urls (self->task);
  const char *sub = NULL;
  g_autoptr(LensImageFacts) facts = NULL;

  if (index == 0 || self->downloads == NULL || self->image_loader == NULL)
    return;
  for (guint i = 0; subs != NULL && subs[i] != NULL; i++)
    if (i + 1 == index)
      sub = subs[i];
  facts = dup_facts (self, index);
  lens_grid_image_save_async (self->downloads, self->image_loader,
                              lens_task_get_raw_image_url (self->task), sub, facts, destination,
                              self->cancellable, grid_image_saved_cb, g_object_ref (self));
}

static void
save_image_dialog_done_cb (GObject      *source_object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GWeakRef *view = user_data;
  g_autoptr(LensTaskView) self = g_weak_ref_get (view);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  g_weak_ref_clear (view);
  g_free (view);
  file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source_object), result, &error);
  if (self == NULL)
    return;
  if (file == NULL)
    {
      if (!is_dismissal (error))
        toast (self, error->message);
      return;
    }
  save_grid_image (self, file);
}

/* "Save Image 2…": the file dialog, with the name from the user's template
 * and the image's number; the image is a PNG unless its own file is. */
static void
save_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LensTaskView *self = LENS_TASK_VIEW (widget);
  guint index = lens_task_view_image_get_selected_image (self->image);
  g_autoptr(GtkFileDialog) dialog = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name_template = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  g_autoptr(LensImageFacts) facts = NULL;
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  GtkRoot *root = gtk_widget_get_root (widget);
  GWeakRef *view;

  if (self->task == NULL || index == 0 || self->downloads == NULL)
    return;

  facts = dup_facts (self, index);
  g_object_get (self->downloads, "name-template", &name_template, NULL);
  stem = lens_name_template_expand (name_template, facts);
  name = g_strconcat (stem, ".png", NULL);

  dialog = gtk_file_dialog_new ();
  /* TRANSLATORS: the file dialog's title; %u is 1 to 4 */
  title = g_strdup_printf (_("Save Image %u"), index);
  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_set_initial_name (dialog, name);
  if (pictures != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (pictures);
      gtk_file_dialog_set_initial_folder (dialog, folder);
    }
  view = g_new0 (GWeakRef, 1);
  g_weak_ref_init (view, self);
  gtk_file_dialog_save (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->cancellable,
                        save_image_dialog_done_cb, view);
}

/* ─── actions ──────────────────────────────────────────────────────────── */

static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  lens_task_view_download_start (LENS_TASK_VIEW (widget)->download);
}

static void
cancel_download_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  lens_task_view_download_cancel (LENS_TASK_VIEW (widget)->download);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LensTaskView *self = LENS_TASK_VIEW (widget);

  if (parameter != NULL)
    open_uri (self, g_variant_get_string (parameter, NULL));
  else if (self->task != NULL)
    open_uri (self, browser_url (self));
}

/* The task's string property @name ("job-id"), for the copy buttons of rows. */
static char *
dup_task_string (LensTask   *task,
                 const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (task), name);
  char *text = NULL;

  if (pspec == NULL || G_PARAM_SPEC_VALUE_TYPE (pspec) != G_TYPE_STRING)
    return NULL;

  g_object_get (task, name, &text, NULL);
  return text;
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LensTaskView *self = LENS_TASK_VIEW (widget);
  g_autofree char *text = NULL;

  if (self->task == NULL)
    return;

  if (g_str_equal (action_name, "task.copy-property"))
    text = dup_task_string (self->task, g_variant_get_string (parameter, NULL));
  else if (parameter != NULL)
    text = g_variant_dup_string (parameter, NULL);
  else if (g_str_equal (action_name, "task.copy-id"))
    text = g_strdup (lens_task_get_id (self->task));
  else if (g_str_equal (action_name, "task.copy-prompt"))
    text = g_strdup (lens_task_get_prompt (self->task));
  else if (g_str_equal (action_name, "task.copy-image-url"))
    text = g_strdup (preview_url (self->task));
  else if (g_str_equal (action_name, "task.copy-original-url"))
    text = g_strdup (lens_task_get_raw_image_url (self->task));
  else if (g_str_equal (action_name, "task.copy-json"))
    text = lens_format_json_pretty (lens_task_get_raw_json (self->task));

  if (text == NULL || *text == '\0')
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  toast (self, _("Copied"));
}

/* ─── the page's first frame ───────────────────────────────────────────── */

/* When the page appears, its details (18 rows of text, most below the
 * fold) come one frame after the rest: measured and drawn in the same frame
 * as the image and its buttons, they made it 17-23 ms of the main thread
 * under cairo (the first task a paste shows, bench-paste), where each half
 * is about 10. */

/* The details are hidden only while they wait for that frame. */
static void
show_details (LensTaskView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->details), TRUE);
}

static void
details_after_paint_cb (GdkFrameClock *frame_clock,
                        LensTaskView  *self)
{
  g_signal_handlers_disconnect_by_func (frame_clock, details_after_paint_cb, self);
  show_details (self);
}

static void
defer_details (LensTaskView *self)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  /* Waiting already, or not drawn at all yet: nothing to split. */
  if (!gtk_widget_get_visible (GTK_WIDGET (self->details)) || frame_clock == NULL
      || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->details), FALSE);
  g_signal_connect_object (frame_clock, "after-paint", G_CALLBACK (details_after_paint_cb), self, 0);
}

/* Unmapped before that frame: no frame will come to show them. */
static void
unmap_cb (LensTaskView *self)
{
  show_details (self);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_task_view_dispose (GObject *object)
{
  LensTaskView *self = LENS_TASK_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->stage_id, g_source_remove);

  /* Downloads go on without the view, except those still waiting for the
   * user to pick a file: their dialog goes with the view. */
  g_clear_pointer (&self->download, lens_task_view_download_free);

  g_signal_group_set_target (self->task_signals, NULL);
  g_clear_object (&self->task);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->downloads);

  /* The template's root is also AdwBin's child: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_TASK_VIEW);

  G_OBJECT_CLASS (lens_task_view_parent_class)->dispose (object);
}

static void
lens_task_view_finalize (GObject *object)
{
  LensTaskView *self = LENS_TASK_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->task_signals);

  G_OBJECT_CLASS (lens_task_view_parent_class)->finalize (object);
}

static void
lens_task_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LensTaskView *self = LENS_TASK_VIEW (object);

  switch (prop_id)
    {
    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;
    case PROP_IMAGE_LOADER:
      g_value_set_object (value, self->image_loader);
      break;
    case PROP_DOWNLOADS:
      g_value_set_object (value, self->downloads);
      break;
    case PROP_DOWNLOADING:
      g_value_set_boolean (value, self->downloading);
      break;
    case PROP_DOWNLOAD_PROGRESS:
      g_value_set_double (value, self->download_progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LensTaskView *self = LENS_TASK_VIEW (object);

  switch (prop_id)
    {
    case PROP_TASK:
      lens_task_view_set_task (self, g_value_get_object (value));
      break;
    case PROP_IMAGE_LOADER:
      if (g_set_object (&self->image_loader, g_value_get_object (value)))
        {
          lens_task_view_image_set_image_loader (self->image, self->image_loader);
          lens_task_view_video_set_image_loader (self->video, self->image_loader);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_DOWNLOADS:
      set_downloads (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_view_class_init (LensTaskViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const copy_actions[] = {
    "task.copy-id", "task.copy-prompt", "task.copy-image-url", "task.copy-original-url",
    "task.copy-json",
  };

  object_class->dispose = lens_task_view_dispose;
  object_class->finalize = lens_task_view_finalize;
  object_class->get_property = lens_task_view_get_property;
  object_class->set_property = lens_task_view_set_property;

  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL, LENS_TYPE_TASK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The app's shared services, set once by the window. */
  properties[PROP_IMAGE_LOADER] =
    g_param_spec_object ("image-loader", NULL, NULL, LENS_TYPE_IMAGE_LOADER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DOWNLOADS] =
    g_param_spec_object ("downloads", NULL, NULL, LENS_TYPE_DOWNLOADS,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Whether the shown task's original is being saved, and how far along
   * (0 to 1, or -1 while the size is unknown). */
  properties[PROP_DOWNLOADING] =
    g_param_spec_boolean ("downloading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DOWNLOAD_PROGRESS] =
    g_param_spec_double ("download-progress", NULL, NULL, -1.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "task.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "task.save-image", NULL, save_image_action);
  gtk_widget_class_install_action (widget_class, "task.cancel-download", NULL,
                                   cancel_download_action);
  gtk_widget_class_install_action (widget_class, "task.open-in-browser", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "task.open-link", "s", open_action);
  for (gsize i = 0; i < G_N_ELEMENTS (copy_actions); i++)
    gtk_widget_class_install_action (widget_class, copy_actions[i], NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "task.copy-text", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "task.copy-property", "s", copy_action);

  g_type_ensure (LENS_TYPE_SAVED_FILE_ROW);
  g_type_ensure (LENS_TYPE_TASK_DETAILS);
  g_type_ensure (LENS_TYPE_TASK_VIEW_IMAGE);
  g_type_ensure (LENS_TYPE_TASK_VIEW_VIDEO);
  g_type_ensure (LENS_TYPE_LAZY_MENU);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-task-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, details);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, download_progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, download_stack);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, download_button);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, image);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, open_button);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, save_image_button);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, saved_file_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, video);
}

static void
lens_task_view_init (LensTaskView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->task_signals = g_signal_group_new (LENS_TYPE_TASK);
  g_signal_group_connect_swapped (self->task_signals, "notify", G_CALLBACK (task_notify_cb), self);

  g_signal_connect_object (self->image, "notify::selected-image", G_CALLBACK (selected_image_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled_window),
                           "notify::page-size", G_CALLBACK (page_size_cb), self, G_CONNECT_SWAPPED);

  self->download = lens_task_view_download_new (self->download_stack, self->download_button,
                                                self->download_progress_bar,
                                                GTK_WIDGET (self->saved_file_row), self->video,
                                                &download_callbacks, self);

  /* Another video chosen: Download and Open in Browser follow it. */
  g_signal_connect_swapped (self->video, "notify::url", G_CALLBACK (update_actions), self);
  g_signal_connect (self, "unmap", G_CALLBACK (unmap_cb), NULL);

  update_actions (self);
}

/* ─── public API ───────────────────────────────────────────────────────── */

LensTaskView *
lens_task_view_new (void)
{
  return g_object_new (LENS_TYPE_TASK_VIEW, NULL);
}

LensTask *
lens_task_view_get_task (LensTaskView *self)
{
  g_return_val_if_fail (LENS_IS_TASK_VIEW (self), NULL);
  return self->task;
}

/**
 * lens_task_view_set_refresher:
 * @refresher: (nullable): what looks the tasks up; while it is paused, the
 *   page of a task waiting for the server says it is not checked, and why
 */
void
lens_task_view_set_refresher (LensTaskView  *self,
                              LensRefresher *refresher)
{
  g_return_if_fail (LENS_IS_TASK_VIEW (self));
  lens_task_view_image_set_refresher (self->image, refresher);
}

void
lens_task_view_set_task (LensTaskView *self,
                         LensTask     *task)
{
  g_return_if_fail (LENS_IS_TASK_VIEW (self));
  g_return_if_fail (task == NULL || LENS_IS_TASK (task));

  if (!g_set_object (&self->task, task))
    return;
  g_signal_group_set_target (self->task_signals, task);

  show_media (self);
  lens_task_details_set_task (self->details, task);
  lens_saved_file_row_set_task (self->saved_file_row, task);
  if (task != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  if (task != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "empty") == 0)
    defer_details (self);
  gtk_stack_set_visible_child_name (self->main_stack, task != NULL ? "task" : "empty");

  lens_task_view_download_set_task (self->download, task);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}

/* ─── for tests ────────────────────────────────────────────────────────── */

void
_lens_task_view_save_image_to (LensTaskView *self,
                               GFile        *destination)
{
  g_return_if_fail (LENS_IS_TASK_VIEW (self));
  g_return_if_fail (G_IS_FILE (destination));

  if (self->task != NULL)
    save_grid_image (self, destination);
}

void
_lens_task_view_download_to (LensTaskView *self,
                             GFile        *destination)
{
  g_return_if_fail (LENS_IS_TASK_VIEW (self));
  g_return_if_fail (G_IS_FILE (destination));

  lens_task_view_download_start_to (self->download, destination);
}
