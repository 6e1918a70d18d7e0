/* lens-image-viewer.c — a task's image in a window of its own, to look at closely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opened from the task page (a click on its image, or Enter), with the
 * habits of GNOME's image viewer, Loupe: the image at best fit, zoom by
 * keys, wheel and pinch (LensZoomablePicture), fullscreen, and the
 * previous and next images with the arrow keys or the buttons that show
 * while the pointer moves.
 *
 * The viewer follows the main window's selection, of the tasks in the
 * order and filter the window shows them: going to the next image selects
 * its task there, so that the window shows the task the user last looked
 * at once the viewer closes.
 *
 * It shows the preview already in memory at once, if there is one, and
 * loads the original (the raw image, or else the image) at full size
 * through the shared LensImageLoader, off the main thread. When the link
 * has expired and the user saved the image, the saved file is shown
 * instead, as on the task page (lens-saved-copy.c).
 */

#define G_LOG_DOMAIN "lens-image-viewer"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-image-request.h"
#include "lens-image-viewer.h"
#include "lens-lazy-menu.h"
#include "lens-saved-copy.h"
#include "lens-task-view-image.h"

/* What a zoom step by key or button multiplies the zoom by. */
#define ZOOM_STEP       1.5
/* How long the previous and next buttons stay after the pointer stops. */
#define ARROWS_SHOWN_MS 2000

struct _LensImageViewer
{
  AdwWindow            parent_instance;

  AdwBanner           *banner;
  GtkRevealer         *next_revealer;
  GtkWidget           *original_spinner;
  LensZoomablePicture *picture;
  GtkRevealer         *previous_revealer;
  GtkStack            *stack;
  AdwStatusPage       *status_page;
  AdwToolbarView      *toolbar_view;
  AdwWindowTitle      *window_title;
  GtkMenuButton       *zoom_button;
  GtkButton           *fullscreen_button;

  GtkSingleSelection  *selection;     /* owned: the main window's */
  LensImageLoader     *image_loader;  /* owned */
  LensTaskList        *task_list;     /* owned */
  LensTask            *task;          /* owned, nullable: the task shown */
  GSignalGroup        *task_signals;  /* owned: the task's notifications */
  LensImageRequest     original;      /* the original, shown or loading */
  GCancellable        *saved_copy;    /* owned, nullable: the saved copy loading, the link expired */
  char                *link_error;    /* owned, nullable: why the link failed, while it loads */
  guint                hide_arrows_id;
  /* Fullscreen as last asked for, or as the window manager last said: F11
   * pressed twice before the window manager answers still toggles. */
  gboolean             fullscreen;
};

G_DEFINE_FINAL_TYPE (LensImageViewer, lens_image_viewer, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SELECTION,
  PROP_IMAGE_LOADER,
  PROP_TASK_LIST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ─── private functions ────────────────────────────────────────────────── */

static void
show_message (LensImageViewer *self,
              const char      *icon_name,
              const char      *title,
              const char      *description)
{
  lens_zoomable_picture_set_paintable (self->picture, NULL);
  gtk_widget_set_visible (self->original_spinner, FALSE);
  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

static void
show_texture (LensImageViewer *self,
              GdkTexture      *texture)
{
  lens_zoomable_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->stack, "picture");
}

/* The original: the raw image when the task has one, as Download saves. */
static const char *
original_url (LensTask *task)
{
  if (lens_task_get_state (task) == LENS_TASK_STATE_NOT_FOUND)
    return NULL;
  if (lens_task_get_raw_image_url (task) != NULL)
    return lens_task_get_raw_image_url (task);
  return lens_task_view_image_preview_url (task);
}

/* The original could not be had: the preview stays if there is one, and
 * the user learns why it is all there is. */
static void
show_original_error (LensImageViewer *self,
                     const char      *message)
{
  g_autofree char *why = NULL;

  gtk_widget_set_visible (self->original_spinner, FALSE);
  if (lens_zoomable_picture_get_paintable (self->picture) == NULL)
    {
      show_message (self, "image-missing-symbolic", _("The Image Could Not Be Loaded"), message);
      return;
    }
  why = g_strdup_printf (_("The full-resolution image could not be loaded: %s"), message);
  adw_banner_set_title (self->banner, why);
  adw_banner_set_revealed (self->banner, TRUE);
}

/* Forgets the saved copy being loaded, as a new load begins. */
static void
drop_saved_copy (LensImageViewer *self)
{
  g_cancellable_cancel (self->saved_copy);
  g_clear_object (&self->saved_copy);
  g_clear_pointer (&self->link_error, g_free);
}

static void
saved_copy_loaded_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  LensImageViewer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = lens_saved_copy_load_finish (result, &error);
  g_autofree char *link_error = NULL;

  /* Cancelled: another task, or the viewer is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->saved_copy);
  link_error = g_steal_pointer (&self->link_error);

  /* The file was moved or deleted since: the link's own error is the news. */
  if (texture == NULL)
    {
      g_debug ("No saved copy to show: %s", error->message);
      show_original_error (self, link_error);
      return;
    }
  gtk_widget_set_visible (self->original_spinner, FALSE);
  show_texture (self, texture);
  adw_banner_set_title (self->banner, _("The link has expired; showing your saved copy"));
  adw_banner_set_revealed (self->banner, TRUE);
}

/* As on the task page (lens-task-view-image.c): when the link failed for
 * good and the user saved the image, the saved file is shown, whole. */
static gboolean
load_saved_copy (LensImageViewer *self,
                 const GError    *error)
{
  const char *path = lens_saved_copy_path_instead (self->task, error);

  if (path == NULL)
    return FALSE;

  drop_saved_copy (self);
  self->link_error = g_strdup (error->message);
  self->saved_copy = g_cancellable_new ();
  /* 0: the file's own size, as the original would have been. */
  lens_saved_copy_load_async (path, 0, self->saved_copy, saved_copy_loaded_cb, self);
  return TRUE;
}

static void
original_loaded_cb (GdkTexture   *texture,
                    const GError *error,
                    gpointer      user_data)
{
  LensImageViewer *self = user_data;

  if (texture != NULL)
    {
      gtk_widget_set_visible (self->original_spinner, FALSE);
      show_texture (self, texture);
      return;
    }
  if (load_saved_copy (self, error))
    return;
  show_original_error (self, error->message);
}

static void
update_image (LensImageViewer *self)
{
  const char *url = self->task != NULL ? original_url (self->task) : NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  g_autoptr(GdkTexture) cached = NULL;
  g_autoptr(GdkTexture) preview = NULL;

  if (url == NULL)
    {
      drop_saved_copy (self);
      lens_image_request_reset (&self->original);
      adw_banner_set_revealed (self->banner, FALSE);
      if (self->task == NULL)
        show_message (self, "image-x-generic-symbolic", _("No Task Selected"), NULL);
      else if (!lens_task_is_finished (self->task))
        show_message (self, "image-x-generic-symbolic", _("No Image Yet"),
                      _("The image appears here while the task is made"));
      else
        show_message (self, "image-missing-symbolic", _("No Image"),
                      _("This task has no image to show"));
      return;
    }

  /* 0: the original's own size, however large the window. */
  if (!lens_image_request_update (&self->original, self->image_loader, url, 0, scale, &cached,
                                  original_loaded_cb, self))
    return;
  /* A new load: what was loaded for the last one is not wanted. */
  drop_saved_copy (self);
  adw_banner_set_revealed (self->banner, FALSE);

  if (cached != NULL)
    {
      gtk_widget_set_visible (self->original_spinner, FALSE);
      show_texture (self, cached);
      return;
    }

  preview = lens_task_view_image_lookup_preview (self->image_loader, self->task, scale);
  if (preview != NULL)
    show_texture (self, preview);
  else if (lens_zoomable_picture_get_paintable (self->picture) == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_widget_set_visible (self->original_spinner,
                          lens_zoomable_picture_get_paintable (self->picture) != NULL);
}

static void
update_title (LensImageViewer *self)
{
  g_autofree char *title = NULL;

  if (self->task != NULL)
    title = lens_format_task_title (self->task, self->task_list);
  adw_window_title_set_title (self->window_title, title != NULL ? title : _("Image"));
  gtk_window_set_title (GTK_WINDOW (self), title != NULL ? title : _("Image"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title != NULL ? title : "",
                                  -1);
}

/* Whether @task may have an image to show. A task whose record is not in
 * memory counts by its state: its record comes once it is selected. */
static gboolean
may_have_image (LensTask *task)
{
  if (!lens_task_has_details (task))
    return lens_task_get_state (task) == LENS_TASK_STATE_DONE;
  return original_url (task) != NULL;
}

/* The position of the nearest task after (@step 1) or before (-1) the
 * selected one that may have an image, or GTK_INVALID_LIST_POSITION. */
static guint
neighbour (LensImageViewer *self,
           int              step)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  gint64 n_items = g_list_model_get_n_items (model);
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (selected == GTK_INVALID_LIST_POSITION)
    return GTK_INVALID_LIST_POSITION;

  for (gint64 i = (gint64) selected + step; i >= 0 && i < n_items; i += step)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (model, i);

      if (may_have_image (task))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
update_navigation (LensImageViewer *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous",
                                 neighbour (self, -1) != GTK_INVALID_LIST_POSITION);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next",
                                 neighbour (self, 1) != GTK_INVALID_LIST_POSITION);
}

static void
set_task (LensImageViewer *self,
          LensTask        *task)
{
  if (!g_set_object (&self->task, task))
    return;
  g_signal_group_set_target (self->task_signals, task);

  /* Each image starts whole, as in Loupe, and nothing of the previous one
   * lingers while it loads. */
  lens_image_request_reset (&self->original);
  lens_zoomable_picture_set_paintable (self->picture, NULL);
  lens_zoomable_picture_set_best_fit (self->picture, TRUE);
  update_title (self);
  update_image (self);
}

/* ─── callbacks ────────────────────────────────────────────────────────── */

static void
selection_changed_cb (LensImageViewer *self)
{
  set_task (self, gtk_single_selection_get_selected_item (self->selection));
  update_navigation (self);
}

static void
task_notify_cb (LensImageViewer *self,
                GParamSpec      *pspec,
                LensTask        *task)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "image-url") || g_str_equal (name, "raw-image-url")
      || g_str_equal (name, "request-image-url") || g_str_equal (name, "state"))
    {
      update_image (self);
      update_navigation (self);
    }
  if (g_str_equal (name, "raw-json") || g_str_equal (name, "prompt"))
    update_title (self);
}

static void
zoom_changed_cb (LensImageViewer *self)
{
  double zoom = lens_zoomable_picture_get_zoom (self->picture);
  /* Translators: a zoom level; %d is the number, %% the percent sign.
   * Write them as your language does ("75 %" in French, "75%" in Korean). */
  g_autofree char *label = g_strdup_printf (_("%d%%"), (int) (zoom * 100 + 0.5));
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_menu_button_set_label (self->zoom_button, label);
  gtk_widget_action_set_enabled (widget, "viewer.zoom-in", zoom < LENS_ZOOMABLE_PICTURE_MAX_ZOOM);
  gtk_widget_action_set_enabled (widget, "viewer.zoom-out",
                                 !lens_zoomable_picture_get_best_fit (self->picture));
  gtk_widget_action_set_enabled (widget, "viewer.best-fit",
                                 !lens_zoomable_picture_get_best_fit (self->picture));
}

/* Fullscreen is for the image alone: the header bar leaves with the rest. */
static void
show_fullscreen (LensImageViewer *self,
                 gboolean         fullscreen)
{
  self->fullscreen = fullscreen;
  adw_toolbar_view_set_reveal_top_bars (self->toolbar_view, !fullscreen);
  gtk_button_set_icon_name (self->fullscreen_button,
                            fullscreen ? "view-restore-symbolic" : "view-fullscreen-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->fullscreen_button),
                               fullscreen ? _("Leave Fullscreen") : _("Fullscreen"));
}

static void
set_fullscreen (LensImageViewer *self,
                gboolean         fullscreen)
{
  show_fullscreen (self, fullscreen);
  if (fullscreen)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

/* The window manager said (or the window left fullscreen its own way). */
static void
fullscreened_cb (LensImageViewer *self)
{
  show_fullscreen (self, gtk_window_is_fullscreen (GTK_WINDOW (self)));
}

static gboolean
hide_arrows_cb (gpointer user_data)
{
  LensImageViewer *self = user_data;

  self->hide_arrows_id = 0;
  gtk_revealer_set_reveal_child (self->previous_revealer, FALSE);
  gtk_revealer_set_reveal_child (self->next_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

/* The pointer moved: the arrows show for a while, and in fullscreen the
 * header bar comes back while the pointer is near the top, as in Loupe. */
static void
pointer_moved_cb (GtkEventControllerMotion *controller,
                  double                    x,
                  double                    y,
                  LensImageViewer          *self)
{
  gtk_revealer_set_reveal_child (self->previous_revealer, TRUE);
  gtk_revealer_set_reveal_child (self->next_revealer, TRUE);
  g_clear_handle_id (&self->hide_arrows_id, g_source_remove);
  self->hide_arrows_id = g_timeout_add (ARROWS_SHOWN_MS, hide_arrows_cb, self);

  if (self->fullscreen)
    adw_toolbar_view_set_reveal_top_bars (self->toolbar_view, y < 60);
}

/* ─── actions ──────────────────────────────────────────────────────────── */

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LensImageViewer *self = LENS_IMAGE_VIEWER (widget);
  double zoom = lens_zoomable_picture_get_zoom (self->picture);

  if (g_str_equal (action_name, "viewer.zoom-in"))
    lens_zoomable_picture_set_zoom (self->picture, zoom * ZOOM_STEP);
  else if (g_str_equal (action_name, "viewer.zoom-out"))
    lens_zoomable_picture_set_zoom (self->picture, zoom / ZOOM_STEP);
  else if (g_str_equal (action_name, "viewer.original-size"))
    lens_zoomable_picture_set_zoom (self->picture, 1.0);
  else
    lens_zoomable_picture_set_best_fit (self->picture, TRUE);
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LensImageViewer *self = LENS_IMAGE_VIEWER (widget);

  set_fullscreen (self, !self->fullscreen);
}

/* Escape leaves fullscreen first, then the viewer. */
static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LensImageViewer *self = LENS_IMAGE_VIEWER (widget);

  if (self->fullscreen)
    set_fullscreen (self, FALSE);
  else
    gtk_window_close (GTK_WINDOW (widget));
}

static void
go_action (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  LensImageViewer *self = LENS_IMAGE_VIEWER (widget);
  guint position = neighbour (self, g_str_equal (action_name, "viewer.next") ? 1 : -1);

  if (position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, position);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_image_viewer_constructed (GObject *object)
{
  LensImageViewer *self = LENS_IMAGE_VIEWER (object);

  G_OBJECT_CLASS (lens_image_viewer_parent_class)->constructed (object);

  g_assert (GTK_IS_SINGLE_SELECTION (self->selection));
  g_assert (LENS_IS_IMAGE_LOADER (self->image_loader));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (update_navigation), self, G_CONNECT_SWAPPED);
  selection_changed_cb (self);
}

static void
lens_image_viewer_dispose (GObject *object)
{
  LensImageViewer *self = LENS_IMAGE_VIEWER (object);

  g_clear_handle_id (&self->hide_arrows_id, g_source_remove);
  lens_image_request_reset (&self->original);
  drop_saved_copy (self);
  if (self->task_signals != NULL)
    g_signal_group_set_target (self->task_signals, NULL);
  g_clear_object (&self->task);
  g_clear_object (&self->selection);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->task_list);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_IMAGE_VIEWER);

  G_OBJECT_CLASS (lens_image_viewer_parent_class)->dispose (object);
}

static void
lens_image_viewer_finalize (GObject *object)
{
  LensImageViewer *self = LENS_IMAGE_VIEWER (object);

  g_clear_object (&self->task_signals);

  G_OBJECT_CLASS (lens_image_viewer_parent_class)->finalize (object);
}

static void
lens_image_viewer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LensImageViewer *self = LENS_IMAGE_VIEWER (object);

  switch (prop_id)
    {
    case PROP_SELECTION:
      g_value_set_object (value, self->selection);
      break;
    case PROP_IMAGE_LOADER:
      g_value_set_object (value, self->image_loader);
      break;
    case PROP_TASK_LIST:
      g_value_set_object (value, self->task_list);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_image_viewer_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LensImageViewer *self = LENS_IMAGE_VIEWER (object);

  switch (prop_id)
    {
    case PROP_SELECTION:
      self->selection = g_value_dup_object (value);
      break;
    case PROP_IMAGE_LOADER:
      self->image_loader = g_value_dup_object (value);
      break;
    case PROP_TASK_LIST:
      self->task_list = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Binds @keyval with and without Ctrl to @action_name, as Loupe does for
 * its zoom keys. */
static void
add_zoom_bindings (GtkWidgetClass *widget_class,
                   guint           keyval,
                   const char     *action_name)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, GDK_CONTROL_MASK, action_name, NULL);
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, action_name, NULL);
}

static void
lens_image_viewer_class_init (LensImageViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lens_image_viewer_constructed;
  object_class->dispose = lens_image_viewer_dispose;
  object_class->finalize = lens_image_viewer_finalize;
  object_class->get_property = lens_image_viewer_get_property;
  object_class->set_property = lens_image_viewer_set_property;

  properties[PROP_SELECTION] =
    g_param_spec_object ("selection", NULL, NULL, GTK_TYPE_SINGLE_SELECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE_LOADER] =
    g_param_spec_object ("image-loader", NULL, NULL, LENS_TYPE_IMAGE_LOADER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TASK_LIST] =
    g_param_spec_object ("task-list", NULL, NULL, LENS_TYPE_TASK_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LENS_TYPE_ZOOMABLE_PICTURE);
  g_type_ensure (LENS_TYPE_LAZY_MENU);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-image-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, banner);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, fullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, next_revealer);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, original_spinner);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, picture);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, previous_revealer);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, stack);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, status_page);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, toolbar_view);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, window_title);
  gtk_widget_class_bind_template_child (widget_class, LensImageViewer, zoom_button);

  gtk_widget_class_install_action (widget_class, "viewer.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.best-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.original-size", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "viewer.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, go_action);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, go_action);

  /* Loupe's keys. "=" is "+" without Shift on many keyboards. */
  add_zoom_bindings (widget_class, GDK_KEY_plus, "viewer.zoom-in");
  add_zoom_bindings (widget_class, GDK_KEY_equal, "viewer.zoom-in");
  add_zoom_bindings (widget_class, GDK_KEY_KP_Add, "viewer.zoom-in");
  add_zoom_bindings (widget_class, GDK_KEY_minus, "viewer.zoom-out");
  add_zoom_bindings (widget_class, GDK_KEY_KP_Subtract, "viewer.zoom-out");
  add_zoom_bindings (widget_class, GDK_KEY_1, "viewer.original-size");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "viewer.best-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "viewer.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "viewer.leave", NULL);
}

static void
lens_image_viewer_init (LensImageViewer *self)
{
  GtkEventController *controller;
  GtkShortcutController *arrows;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->task_signals = g_signal_group_new (LENS_TYPE_TASK);
  g_signal_group_connect_swapped (self->task_signals, "notify", G_CALLBACK (task_notify_cb), self);

  /* The arrows go to the previous and next image before GtkWindow's own
   * bindings would move the focus with them: they act in the capture
   * phase. Nothing in the viewer takes text. */
  arrows = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (arrows), GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (arrows,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Left, 0),
                                                          gtk_named_action_new ("viewer.previous")));
  gtk_shortcut_controller_add_shortcut (arrows,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Right, 0),
                                                          gtk_named_action_new ("viewer.next")));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (arrows));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (pointer_moved_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect_swapped (self->picture, "notify::zoom", G_CALLBACK (zoom_changed_cb), self);
  g_signal_connect_swapped (self->picture, "notify::best-fit", G_CALLBACK (zoom_changed_cb), self);
  g_signal_connect (self, "notify::fullscreened", G_CALLBACK (fullscreened_cb), NULL);
  zoom_changed_cb (self);
  show_fullscreen (self, FALSE);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_image_viewer_new:
 * @parent: the main window; the viewer goes with it
 * @selection: its selection of the tasks it shows
 * @image_loader: the window's image loader
 * @task_list: the tasks, for the titles of upscales
 *
 * Returns: (transfer none): a new viewer of the selected task's image,
 *   owned by GTK's list of windows until it is closed
 */
LensImageViewer *
lens_image_viewer_new (GtkWindow          *parent,
                       GtkSingleSelection *selection,
                       LensImageLoader    *image_loader,
                       LensTaskList       *task_list)
{
  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (GTK_IS_SINGLE_SELECTION (selection), NULL);
  g_return_val_if_fail (LENS_IS_IMAGE_LOADER (image_loader), NULL);
  g_return_val_if_fail (LENS_IS_TASK_LIST (task_list), NULL);

  return g_object_new (LENS_TYPE_IMAGE_VIEWER,
                       "application", gtk_window_get_application (parent),
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       "selection", selection,
                       "image-loader", image_loader,
                       "task-list", task_list,
                       NULL);
}

LensTask *
lens_image_viewer_get_task (LensImageViewer *self)
{
  g_return_val_if_fail (LENS_IS_IMAGE_VIEWER (self), NULL);
  return self->task;
}

/* Whether the viewer is fullscreen, or was just asked to be. */
gboolean
lens_image_viewer_get_fullscreen (LensImageViewer *self)
{
  g_return_val_if_fail (LENS_IS_IMAGE_VIEWER (self), FALSE);
  return self->fullscreen;
}

LensZoomablePicture *
lens_image_viewer_get_picture (LensImageViewer *self)
{
  g_return_val_if_fail (LENS_IS_IMAGE_VIEWER (self), NULL);
  return self->picture;
}
