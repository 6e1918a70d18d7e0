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
 *
 * The image uses the space it has: the view sets the stage's height from
 * its own (lens_task_view_image_set_stage_height()), and the image is as
 * large as that height, the width and its aspect allow, enlarged at most
 * MAX_UPSCALE times. It is loaded at one of a few sizes (SIZES), the
 * smallest at least as large as it is shown, and again at a larger one
 * only when the window grows past it. A click on it, or Enter, opens the
 * image viewer (win.view-image).
 *
 * When the image's link has expired (403, 404 or 410) and the user saved
 * the image, the saved file is shown instead of the error
 * (lens-saved-copy.c), at the same size, with a quiet note under it.
 *
 * A finished imagine grid (whose actions offer upscale1 … upscale4) gets
 * its four images to pick from over it (LensGridPicker): "selected-image"
 * says which one the user picked, for the view's Save Image button. There
 * a click picks, so a double click or the corner button opens the viewer.
 */

#define G_LOG_DOMAIN "lens-task-view-image"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-grid-picker.h"
#include "lens-image-request.h"
#include "lens-pause-words.h"
#include "lens-saved-copy.h"
#include "lens-task-view-image.h"

/* The sizes the image is loaded at (its longest side, in logical pixels):
 * a window that grows a little loads nothing new. Larger than the last,
 * the original is loaded. */
static const int SIZES[] = { 480, 720, 1080, 1440, 2160 };
/* How much an image smaller than the stage may be enlarged. */
#define MAX_UPSCALE 2.0
/* The stage's height until the view sets it. */
#define DEFAULT_STAGE_HEIGHT 420

struct _LensTaskViewImage
{
  AdwBin           parent_instance;

  GtkWidget       *expired_note;
  GtkStack        *image_stack;
  LensGridPicker  *grid_picker;
  GtkWidget       *open_button;
  GtkWidget       *viewer_button;
  GtkPicture      *picture;
  GtkWidget       *spinner;
  GtkWidget       *stage;
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
  GCancellable    *saved_copy;    /* owned, nullable: the saved copy loading */
  GError          *link_error;    /* owned, nullable: why the link failed, while it loads */
  int              request_size;  /* its size, one of SIZES; 0 for the original */
  int              stage_height;
  double           aspect;        /* the shown image's width / height */
  guint            grow_id;       /* loads a larger size, after a layout */
};

G_DEFINE_FINAL_TYPE (LensTaskViewImage, lens_task_view_image, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TASK,
  PROP_IMAGE_LOADER,
  PROP_SELECTED_IMAGE,
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

/* ─── the stage ────────────────────────────────────────────────────────── */

/* The size to load an image at that is shown @shown logical pixels long:
 * one of SIZES, or 0 (the original) beyond them. */
static int
size_for (double shown)
{
  for (gsize i = 0; i < G_N_ELEMENTS (SIZES); i++)
    if (shown <= SIZES[i])
      return SIZES[i];
  return 0;
}

/* Whether loading at @size gives more pixels than at @than (0, the
 * original, gives the most). */
static gboolean
is_larger (int size,
           int than)
{
  return than != 0 && (size == 0 || size > than);
}

/* The size to load before the image's aspect is known: a square as high
 * as the stage, or as wide as the view when that is less. */
static int
first_size (LensTaskViewImage *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  return size_for (width > 0 ? MIN (width, self->stage_height) : self->stage_height);
}

/* The stage's height, unless the image is smaller than the stage and
 * would be enlarged more than MAX_UPSCALE times. The image is known to be
 * smaller when it came smaller than the size it was loaded at. */
static double
shown_height (LensTaskViewImage *self)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (self->picture);
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width, height;

  if (paintable == NULL)
    return self->stage_height;

  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  if (self->request_size != 0 && MAX (width, height) >= self->request_size * scale)
    return self->stage_height;
  return MIN (self->stage_height, MAX_UPSCALE * height / scale);
}

static LensTaskViewImage *
stage_owner (GtkWidget *stage)
{
  return LENS_TASK_VIEW_IMAGE (gtk_widget_get_ancestor (stage, LENS_TYPE_TASK_VIEW_IMAGE));
}

static GtkSizeRequestMode
stage_request_mode (GtkWidget *stage)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* As wide as the image at the stage's height, as high as the width allows
 * without losing the aspect. */
static void
stage_measure (GtkWidget      *stage,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural,
               int            *minimum_baseline,
               int            *natural_baseline)
{
  LensTaskViewImage *self = stage_owner (stage);
  double height = shown_height (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 0;
      *natural = (for_size >= 0 ? MIN (for_size, height) : height) * self->aspect;
    }
  else
    *minimum = *natural = for_size >= 0 ? MIN (height, for_size / self->aspect) : height;
}

static void
load (LensTaskViewImage *self);

static gboolean
grow_cb (gpointer user_data)
{
  LensTaskViewImage *self = user_data;

  self->grow_id = 0;
  /* The image shown stays until the larger one is ready. */
  lens_image_request_reset (&self->request);
  if (self->task != NULL)
    load (self);
  return G_SOURCE_REMOVE;
}

/* The image, centred, at its aspect; loaded again, larger, once it is
 * shown larger than it was loaded (after this layout, not during it). */
static void
stage_allocate (GtkWidget *stage,
                int        width,
                int        height,
                int        baseline)
{
  LensTaskViewImage *self = stage_owner (stage);
  GtkWidget *child = gtk_widget_get_first_child (stage);
  int min_width, min_height, child_width, child_height, size;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
  child_height = MIN (height, width / self->aspect);
  child_width = child_height * self->aspect;
  child_width = MAX (child_width, min_width);
  child_height = MAX (child_height, min_height);
  gtk_widget_size_allocate (child,
                            &(GtkAllocation) { (width - child_width) / 2, (height - child_height) / 2,
                                               child_width, child_height },
                            -1);

  size = size_for (MAX (child_width, child_height));
  if (is_larger (size, self->request_size) && self->grow_id == 0)
    {
      self->request_size = size;
      self->grow_id = g_idle_add (grow_cb, self);
    }
}

/* ─── the image ────────────────────────────────────────────────────────── */

static void
show_texture (LensTaskViewImage *self,
              GdkTexture        *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);

  self->aspect = (double) MAX (width, 1) / MAX (height, 1);
  gtk_widget_queue_resize (self->stage);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->image_stack, "image");
}

static void
show_load_error (LensTaskViewImage *self,
                 const GError      *error)
{
  gtk_picture_set_paintable (self->picture, NULL);
  show_placeholder_actions (self, FALSE, FALSE);
  show_placeholder (self, "image-missing-symbolic", _("The Image Could Not Be Loaded"),
                    error->message);
}

/* Forgets the saved copy being loaded or shown, as a new load begins. */
static void
drop_saved_copy (LensTaskViewImage *self)
{
  g_cancellable_cancel (self->saved_copy);
  g_clear_object (&self->saved_copy);
  g_clear_error (&self->link_error);
  gtk_widget_set_visible (self->expired_note, FALSE);
}

static void
saved_copy_loaded_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  LensTaskViewImage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = lens_saved_copy_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->saved_copy);

  /* The file was moved or deleted since: the link's own error is the
   * news. The history keeps the path; the file may come back. */
  if (texture == NULL)
    {
      g_debug ("No saved copy to show: %s", error->message);
      show_load_error (self, self->link_error);
      g_clear_error (&self->link_error);
      return;
    }

  g_clear_error (&self->link_error);
  show_texture (self, texture);
  gtk_widget_set_visible (self->expired_note, TRUE);
}

/* Whether the link failed for good while the user has a copy: then the
 * copy is loaded, at the size the image would have been, with the
 * spinner meanwhile. */
static gboolean
load_saved_copy (LensTaskViewImage *self,
                 const GError      *error)
{
  const char *path = lens_saved_copy_path_instead (self->task, error);
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (path == NULL)
    return FALSE;

  drop_saved_copy (self);
  self->link_error = g_error_copy (error);
  self->saved_copy = g_cancellable_new ();
  if (gtk_picture_get_paintable (self->picture) == NULL)
    gtk_stack_set_visible_child_name (self->image_stack, "loading");
  /* At the size the link was asked for: 0, the file's own, beyond SIZES. */
  lens_saved_copy_load_async (path, self->request_size * scale, self->saved_copy,
                              saved_copy_loaded_cb, self);
  return TRUE;
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

  if (load_saved_copy (self, error))
    return;
  show_load_error (self, error);
}

/* Shows the grid's four images to pick from, when the task is a grid. */
static void
update_picker (LensTaskViewImage *self)
{
  /* Only a finished grid with its image is split on the page. */
  gboolean grid = self->task != NULL && lens_task_get_state (self->task) == LENS_TASK_STATE_DONE
                  && lens_task_get_image_url (self->task) != NULL && lens_task_is_grid (self->task);

  if (!grid)
    lens_grid_picker_set_selected (self->grid_picker, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->grid_picker), grid);
  gtk_widget_set_visible (self->viewer_button, grid);
}

static void
load (LensTaskViewImage *self)
{
  const char *url = lens_task_view_image_preview_url (self->task);
  g_autoptr(GdkTexture) cached = NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (lens_task_get_state (self->task) == LENS_TASK_STATE_NOT_FOUND)
    url = NULL;

  gtk_picture_set_alternative_text (self->picture, lens_task_get_prompt (self->task));
  update_picker (self);

  if (url == NULL || self->image_loader == NULL)
    {
      lens_image_request_reset (&self->request);
      gtk_picture_set_paintable (self->picture, NULL);
      show_state_placeholder (self);
      return;
    }

  if (!lens_image_request_update (&self->request, self->image_loader, url, self->request_size, scale,
                                  &cached, loaded_cb, self))
    return;

  /* Another address or size: the link is asked again. */
  drop_saved_copy (self);
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
  self->request_size = first_size (self);
  if (self->task != NULL)
    load (self);
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
      || g_str_equal (name, "prompt") || g_str_equal (name, "error-message")
      || g_str_equal (name, "actions"))
    load (self);
}

static void
picker_selected_cb (LensTaskViewImage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_IMAGE]);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_task_view_image_dispose (GObject *object)
{
  LensTaskViewImage *self = LENS_TASK_VIEW_IMAGE (object);

  g_clear_handle_id (&self->grow_id, g_source_remove);
  lens_image_request_reset (&self->request);
  drop_saved_copy (self);
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
    case PROP_SELECTED_IMAGE:
      g_value_set_uint (value, lens_task_view_image_get_selected_image (self));
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
  /* The image of a grid the user picked, 1 to 4, or 0 for the whole. */
  properties[PROP_SELECTED_IMAGE] =
    g_param_spec_uint ("selected-image", NULL, NULL, 0, 4, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LENS_TYPE_GRID_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-task-view-image.ui");
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, expired_note);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, image_stack);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, grid_picker);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, open_button);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, viewer_button);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, picture);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, spinner);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewImage, stage);
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

  self->aspect = 1.0;
  self->stage_height = DEFAULT_STAGE_HEIGHT;
  self->request_size = first_size (self);
  gtk_widget_set_size_request (self->spinner, -1, self->stage_height);
  gtk_widget_set_layout_manager (self->stage,
                                 gtk_custom_layout_new (stage_request_mode, stage_measure,
                                                        stage_allocate));
  gtk_widget_set_cursor_from_name (self->open_button, "zoom-in");

  gtk_widget_set_overflow (GTK_WIDGET (self->grid_picker), GTK_OVERFLOW_HIDDEN);
  g_signal_connect_object (self->grid_picker, "notify::selected", G_CALLBACK (picker_selected_cb),
                           self, G_CONNECT_SWAPPED);
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

/**
 * lens_task_view_image_get_selected_image:
 *
 * Returns: the image of a grid the user picked, 1 to 4, or 0 for the
 *   whole image
 */
guint
lens_task_view_image_get_selected_image (LensTaskViewImage *self)
{
  g_return_val_if_fail (LENS_IS_TASK_VIEW_IMAGE (self), 0);
  return lens_grid_picker_get_selected (self->grid_picker);
}

/**
 * lens_task_view_image_lookup_preview:
 * @loader: the loader the task view uses
 * @task: a task
 * @scale_factor: the scale factor of the widget that will show it
 *
 * The task view's image of @task, if it is in memory: the image viewer
 * shows it while the original loads.
 *
 * Returns: (transfer full) (nullable): the largest in memory, or %NULL
 */
GdkTexture *
lens_task_view_image_lookup_preview (LensImageLoader *loader,
                                     LensTask        *task,
                                     int              scale_factor)
{
  const char *url;
  GdkTexture *texture;

  g_return_val_if_fail (LENS_IS_IMAGE_LOADER (loader), NULL);
  g_return_val_if_fail (LENS_IS_TASK (task), NULL);

  url = lens_task_view_image_preview_url (task);
  if (url == NULL)
    return NULL;
  texture = lens_image_loader_lookup (loader, url, 0, scale_factor);
  for (gsize i = G_N_ELEMENTS (SIZES); texture == NULL && i > 0; i--)
    texture = lens_image_loader_lookup (loader, url, SIZES[i - 1], scale_factor);
  return texture;
}

/**
 * lens_task_view_image_set_stage_height:
 * @height: the height the image may take, in logical pixels
 *
 * Set by the view from its own height, so that the image uses the space
 * it has.
 */
void
lens_task_view_image_set_stage_height (LensTaskViewImage *self,
                                       int                height)
{
  g_return_if_fail (LENS_IS_TASK_VIEW_IMAGE (self));
  g_return_if_fail (height > 0);

  if (self->stage_height == height)
    return;
  self->stage_height = height;
  gtk_widget_set_size_request (self->spinner, -1, height);
  gtk_widget_queue_resize (self->stage);
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
    load (self);
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
    load (self);
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

  /* Nothing of the previous task may linger while this one's image loads,
   * nor its pick. */
  lens_grid_picker_set_selected (self->grid_picker, 0);
  lens_image_request_reset (&self->request);
  drop_saved_copy (self);
  gtk_picture_set_paintable (self->picture, NULL);
  self->request_size = first_size (self);

  if (task != NULL)
    load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}
