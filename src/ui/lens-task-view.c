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
 *
 * The class spans three files; see lens-task-view-private.h.
 */

#define G_LOG_DOMAIN "lens-task-view"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-json.h"
#include "lens-task-view-private.h"

/* The widest the image is shown, in logical pixels (the clamp's width). */
#define IMAGE_SIZE 720

/* How often "3 minutes ago" is brought up to date. */
#define RELATIVE_TIME_INTERVAL_S 30

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

/* ─── for the other parts ──────────────────────────────────────────────── */

void
lens_task_view_toast (LensTaskView *self,
                      const char   *message)
{
  /* The window shows toasts; without one (in tests) there is nobody to tell. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

/* The download part says how the shown task's download goes; the
 * properties are the class's, so they are notified here. */
void
lens_task_view_set_download_state (LensTaskView *self,
                                   gboolean      downloading,
                                   double        progress)
{
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

void
lens_task_view_emit_image_saved (LensTaskView *self,
                                 const char   *task_id,
                                 GFile        *file)
{
  g_signal_emit (self, signals[IMAGE_SAVED], 0, task_id, file);
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

static const char *
browser_url (LensTask *task)
{
  if (lens_task_get_raw_image_url (task) != NULL)
    return lens_task_get_raw_image_url (task);
  return preview_url (task);
}

void
lens_task_view_update_actions (LensTaskView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  LensTask *task = self->task;
  gboolean finished = task != NULL && lens_task_is_finished (task);

  /* A finished task without an original or a link will never have one:
   * no point in a button that can never be used. */
  gtk_widget_set_visible (GTK_WIDGET (self->download_stack),
                          !finished || lens_task_get_raw_image_url (task) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), !finished || browser_url (task) != NULL);

  gtk_widget_action_set_enabled (widget, "task.download",
                                 lens_task_view_download_can_start (self));
  gtk_widget_action_set_enabled (widget, "task.cancel-download",
                                 lens_task_view_download_has_current (self));
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
    lens_task_view_details_update_raw_json (self);
  else if (g_str_equal (name, "image-url") || g_str_equal (name, "request-image-url")
           || g_str_equal (name, "task-type"))
    update_image (self);
  else if (g_str_equal (name, "state"))
    {
      update_image (self);
      lens_task_view_details_update (self);
    }
  else
    lens_task_view_details_update (self);

  lens_task_view_update_actions (self);
}

static void
raw_json_expanded_cb (LensTaskView *self)
{
  lens_task_view_details_update_raw_json (self);
}

static gboolean
refresh_relative_times_cb (gpointer user_data)
{
  LensTaskView *self = user_data;

  if (self->task != NULL)
    lens_task_view_details_update_times (self);
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

  lens_task_view_toast (LENS_TASK_VIEW (user_data), error->message);
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
  lens_task_view_toast (self, _("Copied"));
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

  g_cancellable_cancel (self->cancellable);
  cancel_image_load (self);
  lens_task_view_download_dispose (self);
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

  lens_task_view_download_class_init (widget_class);
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
  lens_task_view_download_init (self);

  g_signal_connect_swapped (self, "notify::scale-factor", G_CALLBACK (reload_image), self);
  lens_task_view_update_actions (self);
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
  lens_task_view_update_actions (self);
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
      lens_task_view_details_update (self);
      update_image (self);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
    }
  gtk_stack_set_visible_child_name (self->main_stack, task != NULL ? "task" : "empty");

  lens_task_view_details_update_raw_json (self);
  lens_task_view_download_sync (self);
  lens_task_view_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}
