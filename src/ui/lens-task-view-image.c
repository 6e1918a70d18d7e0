/* lens-task-view-image.c — the image of the task view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a task's image through the shared LensImageLoader, at the size the
 * view shows it: the result's preview (for a describe task, the image
 * described), a spinner while it loads, or, when there is none, a
 * placeholder that says why (still running, failed, stalled, not found,
 * expired). It follows the task's notifications, so the image appears
 * while the user watches a running task.
 */

#define G_LOG_DOMAIN "lens-task-view-image"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-image-request.h"
#include "lens-pause-words.h"
#include "lens-task-view-image.h"

/* The widest the image is shown, in logical pixels (the view's width). */
#define IMAGE_SIZE 720

struct _LensTaskViewImage
{
  AdwBin           parent_instance;

  GtkStack        *image_stack;
  GtkPicture      *picture;
  GtkAspectFrame  *picture_frame;
  GtkLabel        *placeholder_description;
  GtkImage        *placeholder_icon;
  GtkLabel        *placeholder_title;
  GtkWidget       *placeholder_actions;
  GtkWidget       *retry_button;
  GtkWidget       *remove_button;

  LensTask        *task;          /* owned, nullable */
  GSignalGroup    *task_signals;  /* owned: the task's notifications */
  LensImageLoader *image_loader;  /* owned, nullable */
  LensRefresher   *refresher;     /* owned, nullable: whether tasks are looked up */
  LensImageRequest request;       /* the image shown or being loaded */
};

G_DEFINE_FINAL_TYPE (LensTaskViewImage, lens_task_view_image, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TASK,
  PROP_IMAGE_LOADER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ─── private functions ────────────────────────────────────────────────── */

static void
show_placeholder (LensTaskViewImage *self,
                  const char        *icon_name,
                  const char        *title,
                  const char        *description)
{
  gtk_image_set_from_icon_name (self->placeholder_icon, icon_name);
  gtk_label_set_text (self->placeholder_title, title);
  gtk_label_set_text (self->placeholder_description, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder_description), description != NULL);
  gtk_stack_set_visible_child_name (self->image_stack, "placeholder");
}

/* Offers Retry and Remove under the placeholder, for the task shown: the
 * buttons name it, so they act on it whatever the list's selection. */
static void
show_placeholder_actions (LensTaskViewImage *self,
                          gboolean           retry,
                          gboolean           remove)
{
  GVariant *id = g_variant_new_string (lens_task_get_id (self->task));

  g_variant_ref_sink (id);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->retry_button), id);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->remove_button), id);
  g_variant_unref (id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), "win.refresh-task");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->remove_button), "win.remove-task");
  gtk_widget_set_visible (self->retry_button, retry);
  gtk_widget_set_visible (self->remove_button, remove);
  gtk_widget_set_visible (self->placeholder_actions, retry || remove);
  /* The buttons end the card instead of the description. */
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->placeholder_description), retry || remove ? 18 : 36);
}

static void
show_state_placeholder (LensTaskViewImage *self)
{
  LensTaskState state = lens_task_get_state (self->task);
  const char *paused = self->refresher != NULL
                       ? lens_pause_words_reason (lens_refresher_get_pause (self->refresher)) : NULL;

  show_placeholder_actions (self,
                            state == LENS_TASK_STATE_FAILED || state == LENS_TASK_STATE_STALLED,
                            state == LENS_TASK_STATE_FAILED || state == LENS_TASK_STATE_STALLED
                            || state == LENS_TASK_STATE_NOT_FOUND);

  switch (state)
    {
    case LENS_TASK_STATE_QUEUED:
    case LENS_TASK_STATE_PENDING:
    case LENS_TASK_STATE_RUNNING:
      if (paused != NULL)
        /* As the task's row says: nothing comes while asking is paused. */
        show_placeholder (self, lens_pause_words_icon (lens_refresher_get_pause (self->refresher)),
                          state == LENS_TASK_STATE_QUEUED ? _("Not Checked Yet") : _("Not Updated"),
                          paused);
      else
        show_placeholder (self, "image-x-generic-symbolic", _("No Image Yet"),
                          _("The image appears here while the task is made"));
      break;
    case LENS_TASK_STATE_FAILED:
      /* Why comes first: the reason is what the user came to read. */
      show_placeholder (self, "dialog-error-symbolic", _("The Task Failed"),
                        lens_task_get_error_message (self->task) != NULL
                        ? lens_task_get_error_message (self->task)
                        : _("AceData gave no reason"));
      break;
    case LENS_TASK_STATE_STALLED:
      show_placeholder (self, "appointment-missed-symbolic", _("The Task Has Stalled"),
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
show_texture (LensTaskViewImage *self,
              GdkTexture        *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);

  gtk_aspect_frame_set_ratio (self->picture_frame, (float) width / MAX (height, 1));
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->image_stack, "image");
}

static void
loaded_cb (GdkTexture   *texture,
           const GError *error,
           gpointer      user_data)
{
  LensTaskViewImage *self = user_data;

  if (texture != NULL)
    {
      show_texture (self, texture);
      return;
    }

  gtk_picture_set_paintable (self->picture, NULL);
  show_placeholder_actions (self, FALSE, FALSE);
  show_placeholder (self, "image-missing-symbolic", _("The Image Could Not Be Loaded"),
                    error->message);
}

static void
update (LensTaskViewImage *self)
{
  const char *url = lens_task_view_image_preview_url (self->task);
  g_autoptr(GdkTexture) cached = NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (lens_task_get_state (self->task) == LENS_TASK_STATE_NOT_FOUND)
    url = NULL;

  gtk_picture_set_alternative_text (self->picture, lens_task_get_prompt (self->task));

  if (url == NULL || self->image_loader == NULL)
    {
      lens_image_request_reset (&self->request);
      gtk_picture_set_paintable (self->picture, NULL);
      show_state_placeholder (self);
      return;
    }

  if (!lens_image_request_update (&self->request, self->image_loader, url, IMAGE_SIZE, scale,
                                  &cached, loaded_cb, self))
    return;

  if (cached != NULL)
    {
      show_texture (self, cached);
      return;
    }

  /* A preview already shown stays until the next image is ready. */
  if (gtk_picture_get_paintable (self->picture) == NULL)
    gtk_stack_set_visible_child_name (self->image_stack, "loading");
}

static void
reload (LensTaskViewImage *self)
{
  lens_image_request_reset (&self->request);
  if (self->task != NULL)
    update (self);
}

/* ─── callbacks ────────────────────────────────────────────────────────── */

static void
task_notify_cb (LensTaskViewImage *self,
                GParamSpec        *pspec,
                LensTask          *task)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "image-url") || g_str_equal (name, "request-image-url")
      || g_str_equal (name, "task-type") || g_str_equal (name, "state")
      || g_str_equal (name, "prompt") || g_str_equal (name, "error-message"))
    update (self);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_task_view_image_dispose (GObject *object)
{
  LensTaskViewImage *self = LENS_TASK_VIEW_IMAGE (object);

  lens_image_request_reset (&self->request);
  g_signal_group_set_target (self->task_signals, NULL);
  g_clear_object (&self->task);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->refresher);

  /* The template's root is also AdwBin's child: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_TASK_VIEW_IMAGE);

  G_OBJECT_CLASS (lens_task_view_image_parent_class)->dispose (object);
}

static void
lens_task_view_image_finalize (GObject *object)
{
  LensTaskViewImage *self = LENS_TASK_VIEW_IMAGE (object);

  lens_image_request_reset (&self->request);
  g_clear_object (&self->task_signals);

  G_OBJECT_CLASS (lens_task_view_image_parent_class)->finalize (object);
}

static void
lens_task_view_image_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LensTaskViewImage *self = LENS_TASK_VIEW_IMAGE (object);

  switch (prop_id)
    {
    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;
    case PROP_IMAGE_LOADER:
      g_value_set_object (value, self->image_loader);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_view_image_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LensTaskViewImage *self = LENS_TASK_VIEW_IMAGE (object);

  switch (prop_id)
    {
    case PROP_TASK:
      lens_task_view_image_set_task (self, g_value_get_object (value));
      break;
    case PROP_IMAGE_LOADER:
      lens_task_view_image_set_image_loader (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_view_image_class_init (LensTaskViewImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_task_view_image_dispose;
  object_class->finalize = lens_task_view_image_finalize;
  object_class->get_property = lens_task_view_image_get_property;
  object_class->set_property = lens_task_view_image_set_property;

  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL, LENS_TYPE_TASK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IMAGE_LOADER] =
    g_param_spec_object ("image-loader", NULL, NULL, LENS_TYPE_IMAGE_LOADER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-task-view-image.ui");
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, image_stack);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, picture);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, picture_frame);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, placeholder_description);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, placeholder_icon);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, placeholder_title);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, placeholder_actions);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, remove_button);
}

static void
lens_task_view_image_init (LensTaskViewImage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->task_signals = g_signal_group_new (LENS_TYPE_TASK);
  g_signal_group_connect_swapped (self->task_signals, "notify", G_CALLBACK (task_notify_cb), self);
  g_signal_connect_swapped (self, "notify::scale-factor", G_CALLBACK (reload), self);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_task_view_image_preview_url:
 * @task: a task
 *
 * Describe tasks have no result image: they show the image described.
 *
 * Returns: (nullable): the address of the image shown for @task
 */
const char *
lens_task_view_image_preview_url (LensTask *task)
{
  const char *type;

  g_return_val_if_fail (LENS_IS_TASK (task), NULL);

  type = lens_task_get_task_type (task);
  if (g_strcmp0 (type, "describe") == 0 && lens_task_get_request_image_url (task) != NULL)
    return lens_task_get_request_image_url (task);
  return lens_task_get_image_url (task);
}

void
lens_task_view_image_set_image_loader (LensTaskViewImage *self,
                                       LensImageLoader   *image_loader)
{
  g_return_if_fail (LENS_IS_TASK_VIEW_IMAGE (self));
  g_return_if_fail (image_loader == NULL || LENS_IS_IMAGE_LOADER (image_loader));

  if (!g_set_object (&self->image_loader, image_loader))
    return;
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_LOADER]);
}

static void
pause_changed_cb (LensTaskViewImage *self)
{
  if (self->task != NULL)
    update (self);
}

/**
 * lens_task_view_image_set_refresher:
 * @refresher: (nullable): what looks the tasks up; while it is paused, a
 *   task waiting for the server says it is not checked, and why
 */
void
lens_task_view_image_set_refresher (LensTaskViewImage *self,
                                    LensRefresher     *refresher)
{
  g_return_if_fail (LENS_IS_TASK_VIEW_IMAGE (self));
  g_return_if_fail (refresher == NULL || LENS_IS_REFRESHER (refresher));

  if (self->refresher != NULL)
    g_signal_handlers_disconnect_by_data (self->refresher, self);
  if (!g_set_object (&self->refresher, refresher))
    return;
  if (refresher != NULL)
    g_signal_connect_object (refresher, "notify::pause", G_CALLBACK (pause_changed_cb), self,
                             G_CONNECT_SWAPPED);
  if (self->task != NULL)
    update (self);
}

void
lens_task_view_image_set_task (LensTaskViewImage *self,
                               LensTask          *task)
{
  g_return_if_fail (LENS_IS_TASK_VIEW_IMAGE (self));
  g_return_if_fail (task == NULL || LENS_IS_TASK (task));

  if (!g_set_object (&self->task, task))
    return;
  g_signal_group_set_target (self->task_signals, task);

  /* Nothing of the previous task may linger while this one's image loads. */
  lens_image_request_reset (&self->request);
  gtk_picture_set_paintable (self->picture, NULL);

  if (task != NULL)
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}
