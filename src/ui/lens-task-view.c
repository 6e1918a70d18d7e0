/* lens-task-view.c — the detail page of one task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows one LensTask: its image (through the shared LensImageLoader), the
 * buttons that save or open it, and every field the task has, in groups of
 * property rows. Fields a task does not have are hidden, never shown empty.
 * The view follows the task's notifications, so a running task progresses
 * and its image appears while the user watches.
 *
 * Downloads belong to a task, not to what the view shows: a download keeps
 * running when the user moves on to another task, says when it is done in a
 * toast, and its progress reappears when the user comes back.
 */

#define G_LOG_DOMAIN "lens-task-view"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-json.h"
#include "lens-task-view.h"

/* The widest the image is shown, in logical pixels (the clamp's width). */
#define IMAGE_SIZE 720

/* How often "3 minutes ago" is brought up to date, and for how long after
 * the time it is worth saying (lens_format_relative_time() then says the
 * date). */
#define RELATIVE_TIME_INTERVAL_S 30
#define RECENT_S                 (7 * 24 * 60 * 60)

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

struct _LensTaskView
{
  AdwBin               parent_instance;

  AdwActionRow        *action_row;
  AdwPreferencesGroup *chips_group;
  AdwWrapBox          *chips_box;
  GtkLabel            *created_relative_label;
  AdwActionRow        *created_row;
  AdwPreferencesGroup *descriptions_group;
  GtkProgressBar      *download_progress_bar;
  GtkStack            *download_stack;
  AdwActionRow        *duration_row;
  AdwActionRow        *error_code_row;
  AdwPreferencesGroup *error_group;
  AdwActionRow        *error_message_row;
  GtkLabel            *finished_relative_label;
  AdwActionRow        *finished_row;
  AdwPreferencesGroup *ids_group;
  AdwActionRow        *image_id_row;
  AdwActionRow        *image_size_row;
  GtkStack            *image_stack;
  AdwPreferencesGroup *images_group;
  AdwActionRow        *job_id_row;
  AdwPreferencesGroup *links_group;
  GtkStack            *main_stack;
  AdwActionRow        *mode_row;
  GtkButton           *open_button;
  GtkPicture          *picture;
  GtkAspectFrame      *picture_frame;
  GtkLabel            *placeholder_description;
  GtkImage            *placeholder_icon;
  GtkLabel            *placeholder_title;
  GtkProgressBar      *progress_bar;
  AdwActionRow        *prompt_row;
  GtkLabel            *raw_json_label;
  AdwExpanderRow      *raw_json_row;
  AdwActionRow        *raw_size_row;
  GtkScrolledWindow   *scrolled_window;
  GtkLabel            *started_relative_label;
  AdwActionRow        *started_row;
  AdwActionRow        *state_row;
  AdwActionRow        *task_id_row;
  AdwPreferencesGroup *timing_group;
  AdwActionRow        *trace_id_row;
  AdwActionRow        *type_row;
  AdwActionRow        *video_id_row;

  LensTask            *task;               /* owned, nullable */
  LensImageLoader     *image_loader;       /* owned, nullable */
  LensDownloader      *downloader;         /* owned, nullable */
  GCancellable        *cancellable;        /* owned: for the view's lifetime */

  char                *image_url;          /* owned, nullable: shown or being loaded */
  GCancellable        *image_cancellable;  /* owned, nullable: the load under way */

  GStrv                shown_actions;      /* owned, nullable: what the chips show */
  GStrv                shown_descriptions; /* owned, nullable */
  GStrv                shown_links;        /* owned, nullable */
  GPtrArray           *dynamic_rows;       /* owned: description and link rows */

  GHashTable          *downloads;          /* owned: task id → Download */
  gboolean             downloading;
  double               download_progress;

  guint                relative_time_source;
};

G_DEFINE_FINAL_TYPE (LensTaskView, lens_task_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TASK,
  PROP_DOWNLOADING,
  PROP_DOWNLOAD_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  IMAGE_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

/* Shows the current task's download, if it has one, and notifies the
 * properties that tests and the window watch. */
static void
sync_download (LensTaskView *self)
{
  Download *download = current_download (self);
  gboolean downloading = download != NULL && download->running;
  double progress = downloading ? download->progress : 0.0;

  gtk_stack_set_visible_child_name (self->download_stack, downloading ? "progress" : "button");
  if (downloading && progress >= 0)
    gtk_progress_bar_set_fraction (self->download_progress_bar, progress);
  else if (downloading)
    gtk_progress_bar_pulse (self->download_progress_bar);

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
}

static void update_actions (LensTaskView *self);

static void
toast (LensTaskView *self,
       const char   *message)
{
  /* The window shows toasts; without one (in tests) there is nobody to tell. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
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
    toast (self, error->message);
  else if (download->file != NULL)
    {
      basename = g_file_get_basename (download->file);
      display_name = g_filename_display_name (basename);
      message = g_strdup_printf (_("Saved “%s”"), display_name);
      toast (self, message);
      g_signal_emit (self, signals[IMAGE_SAVED], 0, download->task_id, download->file);
    }

  sync_download (self);
  update_actions (self);
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
  sync_download (download->view);
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
  sync_download (self);
  update_actions (self);
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

static gboolean
can_download (LensTaskView *self)
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

  if (!can_download (self))
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
  update_actions (self);
}

/* ─── the image ────────────────────────────────────────────────────────── */

/* Describe tasks have no result image: they show the image described. */
static const char *
preview_url (LensTask *task)
{
  const char *type = lens_task_get_task_type (task);

  if (g_strcmp0 (type, "describe") == 0 && lens_task_get_request_image_url (task) != NULL)
    return lens_task_get_request_image_url (task);
  return lens_task_get_image_url (task);
}

static void
show_placeholder (LensTaskView *self,
                  const char   *icon_name,
                  const char   *title,
                  const char   *description)
{
  gtk_image_set_from_icon_name (self->placeholder_icon, icon_name);
  gtk_label_set_text (self->placeholder_title, title);
  gtk_label_set_text (self->placeholder_description, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_description), description != NULL);
  gtk_stack_set_visible_child_name (self->image_stack, "placeholder");
}

static void
show_state_placeholder (LensTaskView *self)
{
  switch (lens_task_get_state (self->task))
    {
    case LENS_TASK_STATE_QUEUED:
    case LENS_TASK_STATE_PENDING:
    case LENS_TASK_STATE_RUNNING:
      show_placeholder (self, "image-x-generic-symbolic", _("No Image Yet"),
                        _("The image appears here while the task is made"));
      break;
    case LENS_TASK_STATE_FAILED:
      show_placeholder (self, "image-missing-symbolic", _("No Image"),
                        _("The task failed before it made an image"));
      break;
    case LENS_TASK_STATE_STALLED:
      show_placeholder (self, "hourglass-symbolic", _("The Task Has Stalled"),
                        _("It has made no progress for longer than AceData normally "
                          "takes, so Tasklens stopped asking. Refresh it to check again."));
      break;
    case LENS_TASK_STATE_NOT_FOUND:
      show_placeholder (self, "system-search-symbolic", _("Task Not Found"),
                        _("AceData does not know this task ID. The task may have expired, "
                          "or it may belong to another account."));
      break;
    case LENS_TASK_STATE_DONE:
    default:
      show_placeholder (self, "image-missing-symbolic", _("No Image"),
                        _("This task has no image to show"));
      break;
    }
}

static void
show_texture (LensTaskView *self,
              GdkTexture   *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);

  gtk_aspect_frame_set_ratio (self->picture_frame, (float) width / MAX (height, 1));
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->image_stack, "image");
}

static void
image_loaded_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LensTaskView *self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = lens_image_loader_load_finish (LENS_IMAGE_LOADER (source_object), result, &error);
  /* Cancelled when the task changed or the view went away: @self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->image_cancellable);
  if (texture != NULL)
    {
      show_texture (self, texture);
      return;
    }

  gtk_picture_set_paintable (self->picture, NULL);
  show_placeholder (self, "image-missing-symbolic", _("The Image Could Not Be Loaded"),
                    error->message);
}

static void
cancel_image_load (LensTaskView *self)
{
  g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
}

static void
update_image (LensTaskView *self)
{
  const char *url = preview_url (self->task);
  g_autoptr(GdkTexture) cached = NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (lens_task_get_state (self->task) == LENS_TASK_STATE_NOT_FOUND)
    url = NULL;

  gtk_picture_set_alternative_text (self->picture, lens_task_get_prompt (self->task));

  if (url == NULL || self->image_loader == NULL)
    {
      cancel_image_load (self);
      g_clear_pointer (&self->image_url, g_free);
      gtk_picture_set_paintable (self->picture, NULL);
      show_state_placeholder (self);
      return;
    }

  if (g_strcmp0 (url, self->image_url) == 0)
    return;

  cancel_image_load (self);
  g_set_str (&self->image_url, url);

  cached = lens_image_loader_lookup (self->image_loader, url, IMAGE_SIZE, scale);
  if (cached != NULL)
    {
      show_texture (self, cached);
      return;
    }

  /* A preview already shown stays until the next image is ready. */
  if (gtk_picture_get_paintable (self->picture) == NULL)
    gtk_stack_set_visible_child_name (self->image_stack, "loading");

  self->image_cancellable = g_cancellable_new ();
  lens_image_loader_load_async (self->image_loader, url, IMAGE_SIZE, scale,
                                self->image_cancellable, image_loaded_cb, self);
}

static void
reload_image (LensTaskView *self)
{
  g_clear_pointer (&self->image_url, g_free);
  if (self->task != NULL)
    update_image (self);
}

/* ─── rows ─────────────────────────────────────────────────────────────── */

/* Shows @text in @row, or hides the row when there is no text. */
static gboolean
set_row (AdwActionRow *row,
         const char   *text)
{
  gboolean visible = text != NULL && *text != '\0';

  if (visible)
    adw_action_row_set_subtitle (row, text);
  gtk_widget_set_visible (GTK_WIDGET (row), visible);
  return visible;
}

static gboolean
set_time_row (AdwActionRow *row,
              GtkLabel     *relative_label,
              double        unix_seconds)
{
  g_autofree char *text = lens_format_date_time (unix_seconds);
  g_autofree char *relative = lens_format_relative_time (unix_seconds, NULL);
  double age = g_get_real_time () / (double) G_USEC_PER_SEC - unix_seconds;

  /* After a week "ago" becomes a date, which the row already shows. */
  gtk_label_set_text (relative_label, relative != NULL ? relative : "");
  gtk_widget_set_visible (GTK_WIDGET (relative_label), relative != NULL && age < RECENT_S);
  return set_row (row, text);
}

static gboolean
strv_equal_nullable (const char * const *a,
                     const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal (a, b);
}

/* Stores a copy of @strv in @shown; FALSE when it was there already. */
static gboolean
take_shown (GStrv              *shown,
            const char * const *strv)
{
  if (strv_equal_nullable ((const char * const *) *shown, strv))
    return FALSE;
  g_strfreev (*shown);
  *shown = g_strdupv ((char **) strv);
  return TRUE;
}

static GtkWidget *
new_copy_button (const char *text,
                 const char *accessible_label)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Copy"));
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "task.copy-text");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  return button;
}

static void
remove_dynamic_rows (LensTaskView        *self,
                     AdwPreferencesGroup *group)
{
  for (guint i = self->dynamic_rows->len; i > 0; i--)
    {
      GtkWidget *row = g_ptr_array_index (self->dynamic_rows, i - 1);

      if (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP) != GTK_WIDGET (group))
        continue;
      adw_preferences_group_remove (group, row);
      g_ptr_array_remove_index (self->dynamic_rows, i - 1);
    }
}

static void
update_descriptions (LensTaskView *self)
{
  const char * const *descriptions = lens_task_get_descriptions (self->task);

  gtk_widget_set_visible (GTK_WIDGET (self->descriptions_group), descriptions != NULL);
  if (!take_shown (&self->shown_descriptions, descriptions))
    return;

  remove_dynamic_rows (self, self->descriptions_group);
  for (guint i = 0; descriptions != NULL && descriptions[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *label = g_strdup_printf (_("Copy Description %u"), i + 1);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), descriptions[i]);
      adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_copy_button (descriptions[i], label));
      adw_preferences_group_add (self->descriptions_group, row);
      g_ptr_array_add (self->dynamic_rows, row);
    }
}

/* Videos, and the separate images of an edit, each in a row that opens it. */
static void
update_links (LensTaskView *self)
{
  const char * const *videos = lens_task_get_video_urls (self->task);
  const char * const *links = videos != NULL ? videos : lens_task_get_sub_image_urls (self->task);

  gtk_widget_set_visible (GTK_WIDGET (self->links_group), links != NULL);
  if (!take_shown (&self->shown_links, links))
    return;

  remove_dynamic_rows (self, self->links_group);
  adw_preferences_group_set_title (self->links_group,
                                   videos != NULL ? _("Videos") : _("Separate Images"));
  for (guint i = 0; links != NULL && links[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Open"));
      g_autofree char *title = g_strdup_printf (videos != NULL ? _("Video %u") : _("Image %u"),
                                                i + 1);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Open in a web browser"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "task.open-link");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", links[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), links[i]);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->links_group, row);
      g_ptr_array_add (self->dynamic_rows, row);
    }
}

static void
update_chips (LensTaskView *self)
{
  const char * const *actions = lens_task_get_actions (self->task);
  GtkWidget *child;

  gtk_widget_set_visible (GTK_WIDGET (self->chips_group), actions != NULL && actions[0] != NULL);
  if (!take_shown (&self->shown_actions, actions))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips_box))) != NULL)
    adw_wrap_box_remove (self->chips_box, child);

  for (guint i = 0; actions != NULL && actions[i] != NULL; i++)
    {
      g_autofree char *text = lens_format_term (actions[i]);
      GtkWidget *chip = gtk_label_new (text);

      /* The API's own name, for scripts that call it. */
      gtk_widget_set_tooltip_text (chip, actions[i]);
      gtk_widget_add_css_class (chip, "chip");
      adw_wrap_box_append (self->chips_box, chip);
    }
}

static void
update_state (LensTaskView *self)
{
  LensTaskState state = lens_task_get_state (self->task);
  int progress = lens_task_get_progress (self->task);
  g_autofree char *text = lens_format_task_state (state, progress);

  set_row (self->state_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                          state == LENS_TASK_STATE_RUNNING && progress >= 0);
  if (progress >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, progress / 100.0);
}

static void
update_times (LensTaskView *self)
{
  LensTask *task = self->task;
  g_autofree char *duration = lens_format_duration (lens_task_get_duration (task));
  gboolean any = FALSE;

  any |= set_time_row (self->created_row, self->created_relative_label,
                       lens_task_get_created_at (task));
  any |= set_time_row (self->started_row, self->started_relative_label,
                       lens_task_get_started_at (task));
  any |= set_time_row (self->finished_row, self->finished_relative_label,
                       lens_task_get_finished_at (task));
  any |= set_row (self->duration_row, duration);
  gtk_widget_set_visible (GTK_WIDGET (self->timing_group), any);
}

static void
update_fields (LensTaskView *self)
{
  LensTask *task = self->task;
  g_autofree char *type = lens_format_term (lens_task_get_task_type (task));
  g_autofree char *action = lens_format_term (lens_task_get_action (task));
  g_autofree char *mode = lens_format_term (lens_task_get_mode (task));
  g_autofree char *image_size = lens_format_size (lens_task_get_image_width (task),
                                                  lens_task_get_image_height (task));
  g_autofree char *raw_size = lens_format_size (lens_task_get_raw_image_width (task),
                                                lens_task_get_raw_image_height (task));
  gboolean failed = lens_task_get_state (task) == LENS_TASK_STATE_FAILED;
  gboolean any;

  set_row (self->prompt_row, lens_task_get_prompt (task));
  set_row (self->type_row, type);
  set_row (self->action_row, action);
  set_row (self->mode_row, mode);
  update_state (self);

  set_row (self->error_message_row, lens_task_get_error_message (task));
  set_row (self->error_code_row, lens_task_get_error_code (task));
  set_row (self->trace_id_row, lens_task_get_trace_id (task));
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), failed);

  update_descriptions (self);
  update_links (self);

  any = set_row (self->raw_size_row, raw_size);
  any |= set_row (self->image_size_row, image_size);
  gtk_widget_set_visible (GTK_WIDGET (self->images_group), any);

  update_chips (self);
  update_times (self);

  set_row (self->task_id_row, lens_task_get_id (task));
  set_row (self->image_id_row, lens_task_get_image_id (task));
  set_row (self->job_id_row, lens_task_get_job_id (task));
  set_row (self->video_id_row, lens_task_get_video_id (task));
}

/* The record is pretty-printed only while someone looks at it. */
static void
update_raw_json (LensTaskView *self)
{
  g_autofree char *pretty = NULL;

  if (self->task != NULL && adw_expander_row_get_expanded (self->raw_json_row))
    pretty = lens_format_json_pretty (lens_task_get_raw_json (self->task));

  gtk_label_set_text (self->raw_json_label, pretty != NULL ? pretty : "");
  gtk_widget_set_visible (GTK_WIDGET (self->raw_json_row),
                          self->task != NULL && lens_task_get_raw_json (self->task) != NULL);
}

static const char *
browser_url (LensTask *task)
{
  if (lens_task_get_raw_image_url (task) != NULL)
    return lens_task_get_raw_image_url (task);
  return preview_url (task);
}

static void
update_actions (LensTaskView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LensTask *task = self->task;
  gboolean finished = task != NULL && lens_task_is_finished (task);

  /* A finished task without an original or a link will never have one:
   * no point in a button that can never be used. */
  gtk_widget_set_visible (GTK_WIDGET (self->download_stack),
                          !finished || lens_task_get_raw_image_url (task) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), !finished || browser_url (task) != NULL);

  gtk_widget_action_set_enabled (widget, "task.download", can_download (self));
  gtk_widget_action_set_enabled (widget, "task.cancel-download", current_download (self) != NULL);
  gtk_widget_action_set_enabled (widget, "task.open-in-browser",
                                 task != NULL && browser_url (task) != NULL);
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

/* ─── callbacks ────────────────────────────────────────────────────────── */

static void
task_notify_cb (LensTaskView *self,
                GParamSpec   *pspec,
                LensTask     *task)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "raw-json"))
    update_raw_json (self);
  else if (g_str_equal (name, "image-url") || g_str_equal (name, "request-image-url")
           || g_str_equal (name, "task-type"))
    update_image (self);
  else if (g_str_equal (name, "state"))
    {
      update_image (self);
      update_fields (self);
    }
  else
    update_fields (self);

  update_actions (self);
}

static void
raw_json_expanded_cb (LensTaskView *self)
{
  update_raw_json (self);
}

static gboolean
refresh_relative_times_cb (gpointer user_data)
{
  LensTaskView *self = user_data;

  if (self->task != NULL)
    update_times (self);
  return G_SOURCE_CONTINUE;
}

static void
uri_launched_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (source_object), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED)
      || g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
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
  sync_download (self);
  update_actions (self);
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
    open_uri (self, browser_url (self->task));
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

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_task_view_map (GtkWidget *widget)
{
  LensTaskView *self = LENS_TASK_VIEW (widget);

  GTK_WIDGET_CLASS (lens_task_view_parent_class)->map (widget);

  if (self->relative_time_source == 0)
    self->relative_time_source = g_timeout_add_seconds (RELATIVE_TIME_INTERVAL_S,
                                                        refresh_relative_times_cb, self);
  refresh_relative_times_cb (self);
}

static void
lens_task_view_unmap (GtkWidget *widget)
{
  LensTaskView *self = LENS_TASK_VIEW (widget);

  g_clear_handle_id (&self->relative_time_source, g_source_remove);

  GTK_WIDGET_CLASS (lens_task_view_parent_class)->unmap (widget);
}

static void
lens_task_view_dispose (GObject *object)
{
  LensTaskView *self = LENS_TASK_VIEW (object);
  GHashTableIter iter;
  Download *download;

  g_cancellable_cancel (self->cancellable);
  cancel_image_load (self);
  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &download))
    {
      download->view = NULL;
      g_cancellable_cancel (download->cancellable);
    }
  g_hash_table_remove_all (self->downloads);
  g_clear_handle_id (&self->relative_time_source, g_source_remove);

  g_clear_object (&self->task);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->downloader);

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
  g_free (self->image_url);
  g_strfreev (self->shown_actions);
  g_strfreev (self->shown_descriptions);
  g_strfreev (self->shown_links);
  g_ptr_array_unref (self->dynamic_rows);
  g_hash_table_unref (self->downloads);

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
  widget_class->map = lens_task_view_map;
  widget_class->unmap = lens_task_view_unmap;

  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL, LENS_TYPE_TASK,
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
  gtk_widget_class_install_action (widget_class, "task.cancel-download", NULL,
                                   cancel_download_action);
  gtk_widget_class_install_action (widget_class, "task.open-in-browser", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "task.open-link", "s", open_action);
  for (gsize i = 0; i < G_N_ELEMENTS (copy_actions); i++)
    gtk_widget_class_install_action (widget_class, copy_actions[i], NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "task.copy-text", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "task.copy-property", "s", copy_action);

  /**
   * LensTaskView::image-saved:
   * @task_id: the task whose original was saved
   * @file: where it was saved
   *
   * An original image was downloaded and is in place (the history remembers
   * where).
   */
  signals[IMAGE_SAVED] = g_signal_new ("image-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                       G_TYPE_STRING, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-task-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, action_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, chips_box);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, chips_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, created_relative_label);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, created_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, descriptions_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, download_progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, download_stack);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, duration_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, error_code_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, error_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, error_message_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, finished_relative_label);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, finished_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, ids_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, image_id_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, image_size_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, image_stack);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, images_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, job_id_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, links_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, mode_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, open_button);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, picture);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, picture_frame);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, placeholder_description);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, placeholder_icon);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, placeholder_title);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, prompt_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, raw_json_label);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, raw_json_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, raw_size_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, started_relative_label);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, started_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, state_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, task_id_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, timing_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, trace_id_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, type_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskView, video_id_row);
  gtk_widget_class_bind_template_callback (widget_class, raw_json_expanded_cb);
}

static void
lens_task_view_init (LensTaskView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->dynamic_rows = g_ptr_array_new ();
  self->downloads = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) download_unref);

  g_signal_connect_swapped (self, "notify::scale-factor", G_CALLBACK (reload_image), self);
  update_actions (self);
}

/* ─── public API ───────────────────────────────────────────────────────── */

LensTaskView *
lens_task_view_new (void)
{
  return g_object_new (LENS_TYPE_TASK_VIEW, NULL);
}

/**
 * lens_task_view_set_services:
 * @self: a task view
 * @image_loader: (nullable): where images come from
 * @downloader: (nullable): what saves originals
 *
 * Gives the view the app's shared services; without a downloader there is
 * no download, without a loader no image.
 */
void
lens_task_view_set_services (LensTaskView    *self,
                             LensImageLoader *image_loader,
                             LensDownloader  *downloader)
{
  g_return_if_fail (LENS_IS_TASK_VIEW (self));
  g_return_if_fail (image_loader == NULL || LENS_IS_IMAGE_LOADER (image_loader));
  g_return_if_fail (downloader == NULL || LENS_IS_DOWNLOADER (downloader));

  g_set_object (&self->downloader, downloader);
  if (g_set_object (&self->image_loader, image_loader))
    reload_image (self);
  update_actions (self);
}

LensTask *
lens_task_view_get_task (LensTaskView *self)
{
  g_return_val_if_fail (LENS_IS_TASK_VIEW (self), NULL);
  return self->task;
}

void
lens_task_view_set_task (LensTaskView *self,
                         LensTask     *task)
{
  g_return_if_fail (LENS_IS_TASK_VIEW (self));
  g_return_if_fail (task == NULL || LENS_IS_TASK (task));

  if (self->task == task)
    return;

  if (self->task != NULL)
    g_signal_handlers_disconnect_by_func (self->task, task_notify_cb, self);
  g_set_object (&self->task, task);

  /* Nothing of the previous task may linger while this one's image loads. */
  cancel_image_load (self);
  g_clear_pointer (&self->image_url, g_free);
  gtk_picture_set_paintable (self->picture, NULL);

  if (task != NULL)
    {
      g_signal_connect_object (task, "notify", G_CALLBACK (task_notify_cb), self,
                               G_CONNECT_SWAPPED);
      update_fields (self);
      update_image (self);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
    }
  gtk_stack_set_visible_child_name (self->main_stack, task != NULL ? "task" : "empty");

  update_raw_json (self);
  sync_download (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}

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
