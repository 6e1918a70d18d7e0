/* lens-gallery-cell.c — one square thumbnail of the gallery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A cell shows its task's image, cut to a square; a task without one shows
 * what it is doing instead: a spinner while it waits, its percentage while
 * it runs, an icon when it failed, stalled, was not found or is not asked
 * about (the refresher is paused). Its title is its tooltip and its
 * accessible label, as the row's title is (lens_pause_words_title()).
 *
 * The gallery's list view keeps some 200 rows of cells bound around those
 * on screen (lens-gallery-view.c), and maps only those on screen: a cell
 * holds its task's record (for the image's address and the title) and
 * loads its thumbnail only while mapped, through the shared loader, at the
 * cell's own size. Unmapped, a load under way is cancelled and the record
 * let go, so a fling leaves nothing behind it.
 */

#define G_LOG_DOMAIN "lens-gallery-cell"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-gallery-cell.h"
#include "lens-image-request.h"
#include "lens-pause-words.h"
#include "lens-thumbnail-badges.h"

/* The size asked of the loader before the cell has one of its own. */
#define DEFAULT_SIZE 128

/* What the cell shows over its placeholder when there is no picture. */
typedef enum
{
  SHOWN_NONE,
  SHOWN_WAITING,
  SHOWN_PROGRESS,
  SHOWN_ICON,
} Shown;

struct _LensGalleryCell
{
  GtkWidget         parent_instance;

  GtkCheckButton   *check;
  GtkImage         *placeholder;
  GtkWidget        *saved_badge;
  GtkPicture       *thumbnail;
  GtkWidget        *video_badge;
  GtkWidget        *state_widget;      /* nullable: as shown says */
  Shown             shown;

  guint             column;
  LensImageLoader  *image_loader;      /* owned, nullable */
  LensRecordLoader *record_loader;     /* owned, nullable */
  LensRefresher    *refresher;         /* owned, nullable */
  LensTaskList     *task_list;         /* owned, nullable */
  LensTask         *task;              /* owned, nullable */
  LensTask         *held;              /* owned, nullable: whose record the cell holds */
  GSignalGroup     *task_signals;      /* owned */
  LensImageRequest  thumbnail_request;
};

G_DEFINE_FINAL_TYPE (LensGalleryCell, lens_gallery_cell, GTK_TYPE_WIDGET)

/* ─── what it shows ────────────────────────────────────────────────────── */

static void
show_texture (LensGalleryCell *self,
              GdkTexture      *texture)
{
  gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->thumbnail), texture != NULL);
}

static void
thumbnail_loaded_cb (GdkTexture   *texture,
                     const GError *error,
                     gpointer      user_data)
{
  show_texture (user_data, texture);
}

static int
thumbnail_size (LensGalleryCell *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  return width > 0 ? width : DEFAULT_SIZE;
}

static void
update_thumbnail (LensGalleryCell *self)
{
  const char *shown = self->task != NULL ? lens_task_get_thumbnail_url (self->task) : NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int size = thumbnail_size (self);
  g_autoptr(GdkTexture) cached = NULL;
  g_autofree char *url = NULL;

  if (shown != NULL && self->image_loader != NULL)
    url = lens_image_loader_url_for_size (self->image_loader, shown, size, scale);

  /* Off screen: nothing is fetched until the cell scrolls into view. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (g_strcmp0 (url, self->thumbnail_request.url) != 0)
        {
          lens_image_request_reset (&self->thumbnail_request);
          show_texture (self, NULL);
        }
      return;
    }

  if (!lens_image_request_update (&self->thumbnail_request, self->image_loader, url, size, scale,
                                  &cached, thumbnail_loaded_cb, self))
    return;
  show_texture (self, cached);
}

/* Makes the state widget the one for @shown, building it only when it
 * changes kind; returns it (NULL for none). */
static GtkWidget *
show_state (LensGalleryCell *self,
            Shown            shown)
{
  if (self->shown == shown)
    return self->state_widget;

  g_clear_pointer (&self->state_widget, gtk_widget_unparent);
  self->shown = shown;
  if (shown == SHOWN_WAITING)
    self->state_widget = adw_spinner_new ();
  else if (shown == SHOWN_PROGRESS)
    {
      self->state_widget = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->state_widget, "numeric");
      gtk_widget_add_css_class (self->state_widget, "heading");
    }
  else if (shown == SHOWN_ICON)
    {
      self->state_widget = gtk_image_new ();
      gtk_image_set_pixel_size (GTK_IMAGE (self->state_widget), 24);
    }
  if (self->state_widget != NULL)
    {
      gtk_widget_set_halign (self->state_widget, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (self->state_widget, GTK_ALIGN_CENTER);
      gtk_widget_set_can_target (self->state_widget, FALSE);
      gtk_widget_insert_before (self->state_widget, GTK_WIDGET (self), NULL);
    }
  return self->state_widget;
}

static void
show_icon (LensGalleryCell *self,
           const char      *icon_name,
           const char      *style)
{
  GtkWidget *image = show_state (self, SHOWN_ICON);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon_name);
  gtk_widget_remove_css_class (image, "error");
  gtk_widget_remove_css_class (image, "warning");
  gtk_widget_remove_css_class (image, "dim-label");
  gtk_widget_add_css_class (image, style);
}

static gboolean
is_waiting (LensTaskState state)
{
  return state == LENS_TASK_STATE_QUEUED || state == LENS_TASK_STATE_PENDING
      || state == LENS_TASK_STATE_RUNNING;
}

/* Over the placeholder, what the task is doing; nothing for a task done
 * (its picture shows, or the placeholder says there is none). */
static void
update_state (LensGalleryCell *self)
{
  LensTaskState state = lens_task_get_state (self->task);
  int progress = lens_task_get_progress (self->task);
  LensRefresherPause pause = self->refresher != NULL ? lens_refresher_get_pause (self->refresher)
                                                     : LENS_REFRESHER_PAUSE_NONE;

  if (is_waiting (state) && lens_pause_words_reason (pause) != NULL)
    show_icon (self, lens_pause_words_icon (pause), "dim-label");
  else if (state == LENS_TASK_STATE_RUNNING && progress >= 0)
    {
      g_autofree char *text = lens_format_percent (progress);

      gtk_label_set_text (GTK_LABEL (show_state (self, SHOWN_PROGRESS)), text);
    }
  else if (is_waiting (state))
    show_state (self, SHOWN_WAITING);
  else if (state == LENS_TASK_STATE_FAILED)
    show_icon (self, "dialog-error-symbolic", "error");
  else if (state == LENS_TASK_STATE_STALLED)
    show_icon (self, "appointment-missed-symbolic", "warning");
  else if (state == LENS_TASK_STATE_NOT_FOUND)
    show_icon (self, "action-unavailable-symbolic", "dim-label");
  else
    show_state (self, SHOWN_NONE);
  /* The placeholder only where nothing else says something. */
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder), self->shown == SHOWN_NONE);
}

/* The title, and for a task that is not done, its state in words. While
 * the record is read from the store, the title is the task's short id. */
static char *
dup_label (LensGalleryCell *self)
{
  LensTaskState state = lens_task_get_state (self->task);
  g_autofree char *title = NULL;
  g_autofree char *state_text = NULL;

  if (lens_task_has_details (self->task) || state == LENS_TASK_STATE_QUEUED
      || state == LENS_TASK_STATE_NOT_FOUND)
    title = lens_pause_words_title (self->task, self->task_list, self->refresher);
  else
    title = lens_format_short_id (lens_task_get_id (self->task));

  if (state != LENS_TASK_STATE_DONE)
    state_text = lens_format_task_state (state, lens_task_get_progress (self->task));
  if (state == LENS_TASK_STATE_FAILED && lens_task_get_error_message (self->task) != NULL)
    {
      g_free (state_text);
      state_text = g_strdup (lens_task_get_error_message (self->task));
    }
  /* Translators: a gallery cell's tooltip: a task's title and its state
   * ("Running · 45%") or why it failed. */
  return state_text != NULL ? g_strdup_printf (_("%s — %s"), title, state_text) : g_strdup (title);
}

static void
update_label (LensGalleryCell *self)
{
  g_autofree char *label = dup_label (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* The tooltip is made when GTK asks for it, not at every bind: a cell
 * bound while scrolling is in the window, and a tooltip text set on it
 * asks the X server where the pointer is (lens-tooltip.c), a round trip
 * for each cell a fling binds. */
static gboolean
query_tooltip_cb (LensGalleryCell *self,
                  int              x,
                  int              y,
                  gboolean         keyboard_mode,
                  GtkTooltip      *tooltip)
{
  g_autofree char *label = NULL;

  if (self->task == NULL)
    return FALSE;
  label = dup_label (self);
  gtk_tooltip_set_text (tooltip, label);
  return TRUE;
}

static void
update (LensGalleryCell *self)
{
  if (self->task == NULL)
    return;
  update_state (self);
  /* A play sign, a saved sign, and the same for a screen reader, as the
   * list's rows show them. */
  lens_thumbnail_badges_update (GTK_ACCESSIBLE (self), self->video_badge, self->saved_badge,
                                self->task);
  update_label (self);
  update_thumbnail (self);
}

/* The record (the image's address, the prompt) is held only while the
 * cell is on screen with a task. */
static void
update_hold (LensGalleryCell *self)
{
  LensTask *wanted = gtk_widget_get_mapped (GTK_WIDGET (self)) ? self->task : NULL;

  if (wanted == self->held || self->record_loader == NULL)
    return;
  if (self->held != NULL)
    lens_record_loader_release (self->record_loader, self->held);
  g_set_object (&self->held, wanted);
  if (wanted != NULL)
    lens_record_loader_hold (self->record_loader, wanted);
}

/* A record applied notifies some twenty properties, one by one: the cell
 * updates only for those it reads. */
static void
task_notify_cb (LensGalleryCell *self,
                GParamSpec      *pspec)
{
  static const char * const read[] = {
    "state", "progress", "prompt", "task-type", "image-url", "request-image-url",
    "request-image-id", "error-message", "raw-json", "action", "video-urls",
    "saved-path",
  };

  for (guint i = 0; i < G_N_ELEMENTS (read); i++)
    if (g_str_equal (pspec->name, read[i]))
      {
        update (self);
        return;
      }
}

/* ─── GtkWidget ────────────────────────────────────────────────────────── */

/* Square: as high as it is wide, the width the row gives it. */
static GtkSizeRequestMode
lens_gallery_cell_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
lens_gallery_cell_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  /* The children are measured, as GTK wants, but the cell's size is the
   * row's to choose. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_measure (child, orientation, -1, NULL, NULL, NULL, NULL);

  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    *minimum = *natural = for_size;
  else
    {
      *minimum = 32;
      *natural = DEFAULT_SIZE;
    }
}

static void
lens_gallery_cell_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  LensGalleryCell *self = LENS_GALLERY_CELL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_allocate (child, width, height, -1, NULL);

  /* A new width may want a larger thumbnail (the loader rounds it up to
   * a few sizes, so most widths ask for the same). */
  if (self->task != NULL)
    update_thumbnail (self);
}

static void
lens_gallery_cell_map (GtkWidget *widget)
{
  LensGalleryCell *self = LENS_GALLERY_CELL (widget);

  GTK_WIDGET_CLASS (lens_gallery_cell_parent_class)->map (widget);

  update_hold (self);
  update (self);
}

static void
lens_gallery_cell_unmap (GtkWidget *widget)
{
  LensGalleryCell *self = LENS_GALLERY_CELL (widget);

  lens_image_request_cancel_load (&self->thumbnail_request);

  GTK_WIDGET_CLASS (lens_gallery_cell_parent_class)->unmap (widget);

  update_hold (self);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_gallery_cell_dispose (GObject *object)
{
  LensGalleryCell *self = LENS_GALLERY_CELL (object);
  GtkWidget *child;

  lens_gallery_cell_set_task (self, NULL);
  self->state_widget = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_GALLERY_CELL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->record_loader);
  g_clear_object (&self->refresher);
  g_clear_object (&self->task_list);

  G_OBJECT_CLASS (lens_gallery_cell_parent_class)->dispose (object);
}

static void
lens_gallery_cell_finalize (GObject *object)
{
  LensGalleryCell *self = LENS_GALLERY_CELL (object);

  lens_image_request_reset (&self->thumbnail_request);
  g_clear_object (&self->task_signals);

  G_OBJECT_CLASS (lens_gallery_cell_parent_class)->finalize (object);
}

static void
lens_gallery_cell_class_init (LensGalleryCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_gallery_cell_dispose;
  object_class->finalize = lens_gallery_cell_finalize;
  widget_class->get_request_mode = lens_gallery_cell_get_request_mode;
  widget_class->measure = lens_gallery_cell_measure;
  widget_class->size_allocate = lens_gallery_cell_size_allocate;
  widget_class->map = lens_gallery_cell_map;
  widget_class->unmap = lens_gallery_cell_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-gallery-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, LensGalleryCell, placeholder);
  gtk_widget_class_bind_template_child (widget_class, LensGalleryCell, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, LensGalleryCell, video_badge);
  gtk_widget_class_bind_template_child (widget_class, LensGalleryCell, saved_badge);
  gtk_widget_class_bind_template_child (widget_class, LensGalleryCell, check);
  gtk_widget_class_set_css_name (widget_class, "gallerycell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID_CELL);
}

static void
lens_gallery_cell_init (LensGalleryCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  self->task_signals = g_signal_group_new (LENS_TYPE_TASK);
  g_signal_group_connect_swapped (self->task_signals, "notify", G_CALLBACK (task_notify_cb), self);
}

/* ─── public ───────────────────────────────────────────────────────────── */

/**
 * lens_gallery_cell_new:
 * @column: the cell's place in its row
 * @image_loader: (nullable): where thumbnails come from
 * @record_loader: (nullable): where tasks' records come from
 * @refresher: (nullable): while it is paused, a task waiting for it says so
 * @task_list: (nullable): where the grid an upscale came from is found, for
 *   its title
 */
LensGalleryCell *
lens_gallery_cell_new (guint             column,
                       LensImageLoader  *image_loader,
                       LensRecordLoader *record_loader,
                       LensRefresher    *refresher,
                       LensTaskList     *task_list)
{
  LensGalleryCell *self = g_object_new (LENS_TYPE_GALLERY_CELL, NULL);

  self->column = column;
  g_set_object (&self->image_loader, image_loader);
  g_set_object (&self->record_loader, record_loader);
  g_set_object (&self->task_list, task_list);
  if (g_set_object (&self->refresher, refresher))
    g_signal_connect_object (refresher, "notify::pause", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  return self;
}

/* Returns: the cell's place in its row, from 0 */
guint
lens_gallery_cell_get_column (LensGalleryCell *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_CELL (self), 0);
  return self->column;
}

/* Returns: (transfer none) (nullable): the task the cell shows */
LensTask *
lens_gallery_cell_get_task (LensGalleryCell *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_CELL (self), NULL);
  return self->task;
}

/**
 * lens_gallery_cell_set_task:
 * @task: (nullable): the task to show, or %NULL when the cell is recycled
 *   or its row is short
 */
void
lens_gallery_cell_set_task (LensGalleryCell *self,
                            LensTask        *task)
{
  g_return_if_fail (LENS_IS_GALLERY_CELL (self));
  g_return_if_fail (task == NULL || LENS_IS_TASK (task));

  if (!g_set_object (&self->task, task))
    return;
  g_signal_group_set_target (self->task_signals, task);
  update_hold (self);
  if (task != NULL)
    update (self);
  else
    {
      lens_image_request_reset (&self->thumbnail_request);
      show_texture (self, NULL);
    }
}

/**
 * lens_gallery_cell_set_check:
 * @shown: whether selection mode is on
 * @picked: whether the task is picked
 *
 * The check box of selection mode (lens-bulk-selection.c).
 */
void
lens_gallery_cell_set_check (LensGalleryCell *self,
                             gboolean         shown,
                             gboolean         picked)
{
  g_return_if_fail (LENS_IS_GALLERY_CELL (self));

  gtk_widget_set_visible (GTK_WIDGET (self->check), shown);
  gtk_check_button_set_active (self->check, picked);
}
