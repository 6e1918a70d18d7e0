/* lens-zoomable-picture.c — a paintable drawn at a zoom, panned
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws one paintable at a zoom (logical pixels per image pixel) and an
 * offset, as GNOME's image viewer (Loupe) does: "best fit" shows the whole
 * image, never enlarged, and follows the widget's size; any other zoom is
 * kept through a resize, around the middle. The image is always kept
 * within view: smaller than the widget, it is centred; larger, its edges
 * never come inside the widget's.
 *
 * The pointer and the fingers act here: the scroll wheel (or Ctrl with a
 * touchpad) zooms around the pointer, a touchpad scrolls a zoomed image,
 * pinching zooms around the fingers, dragging pans, and a double click
 * toggles best fit and 100 %. Keys belong to the window (LensImageViewer),
 * which calls the public functions.
 */

#define G_LOG_DOMAIN "lens-zoomable-picture"

#include "config.h"

#include "lens-zoomable-picture.h"

/* What one step of the scroll wheel multiplies the zoom by. */
#define WHEEL_STEP         0.25
/* Touchpad pixels that count as one step of the wheel. */
#define PIXELS_PER_STEP    40.0
/* From this zoom on, pixels show as squares, as in Loupe: one looks at
 * pixels that closely to see them, not a blur of them. */
#define NEAREST_FROM_ZOOM  3.0

struct _LensZoomablePicture
{
  GtkWidget     parent_instance;

  GdkPaintable *paintable;    /* owned, nullable */
  double        zoom;
  gboolean      best_fit;
  double        x;            /* the image's top left corner, in widget coordinates */
  double        y;
  int           width;        /* the size last allocated */
  int           height;

  gboolean      has_pointer;
  double        pointer_x;
  double        pointer_y;
  double        pinch_zoom;   /* the zoom when a pinch began */
  double        drag_x;       /* the offset when a drag began */
  double        drag_y;
};

G_DEFINE_FINAL_TYPE (LensZoomablePicture, lens_zoomable_picture, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_ZOOM,
  PROP_BEST_FIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ─── private functions ────────────────────────────────────────────────── */

static double
image_width (LensZoomablePicture *self)
{
  return self->paintable != NULL ? gdk_paintable_get_intrinsic_width (self->paintable) : 0;
}

static double
image_height (LensZoomablePicture *self)
{
  return self->paintable != NULL ? gdk_paintable_get_intrinsic_height (self->paintable) : 0;
}

/* Whether the image is larger than the widget, in either direction. */
static gboolean
can_pan (LensZoomablePicture *self)
{
  return image_width (self) * self->zoom > self->width + 0.5
         || image_height (self) * self->zoom > self->height + 0.5;
}

static void
update_cursor (LensZoomablePicture *self,
               gboolean             dragging)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   dragging ? "grabbing" : can_pan (self) ? "grab" : NULL);
}

/* One axis: centred when the image is smaller than the widget, otherwise
 * no gap between the image's edges and the widget's. */
static double
clamp_axis (double origin,
            double shown,
            double available)
{
  if (shown <= available)
    return (available - shown) / 2;
  return CLAMP (origin, available - shown, 0);
}

static void
clamp_offsets (LensZoomablePicture *self)
{
  self->x = clamp_axis (self->x, image_width (self) * self->zoom, self->width);
  self->y = clamp_axis (self->y, image_height (self) * self->zoom, self->height);
}

static void
set_state (LensZoomablePicture *self,
           double               zoom,
           gboolean             best_fit)
{
  gboolean zoom_changed = self->zoom != zoom;
  gboolean best_fit_changed = self->best_fit != best_fit;

  self->zoom = zoom;
  self->best_fit = best_fit;
  clamp_offsets (self);
  update_cursor (self, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (zoom_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  if (best_fit_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEST_FIT]);
}

/* Where a zoom by pointer happens: under the pointer, or in the middle. */
static void
zoom_point (LensZoomablePicture *self,
            double              *x,
            double              *y)
{
  *x = self->has_pointer ? self->pointer_x : self->width / 2.0;
  *y = self->has_pointer ? self->pointer_y : self->height / 2.0;
}

/* The factor of @steps wheel steps, the same in and out: two steps in and
 * two out come back to the zoom one started from. */
static double
step_factor (double steps)
{
  return steps >= 0 ? 1 + WHEEL_STEP * steps : 1 / (1 - WHEEL_STEP * steps);
}

/* ─── callbacks ────────────────────────────────────────────────────────── */

static void
pointer_cb (GtkEventControllerMotion *controller,
            double                    x,
            double                    y,
            LensZoomablePicture      *self)
{
  self->has_pointer = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
}

static void
pointer_left_cb (GtkEventControllerMotion *controller,
                 LensZoomablePicture      *self)
{
  self->has_pointer = FALSE;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LensZoomablePicture      *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  GdkScrollUnit unit = gtk_event_controller_scroll_get_unit (controller);
  double x, y;

  /* A mouse's wheel zooms, as in Loupe; a touchpad's two fingers move a
   * zoomed image, and zoom with Ctrl. */
  if (unit == GDK_SCROLL_UNIT_WHEEL || (state & GDK_CONTROL_MASK) != 0)
    {
      double steps = unit == GDK_SCROLL_UNIT_WHEEL ? -dy : -dy / PIXELS_PER_STEP;

      zoom_point (self, &x, &y);
      lens_zoomable_picture_zoom_at (self, self->zoom * step_factor (steps), x, y);
      return GDK_EVENT_STOP;
    }

  if (!can_pan (self))
    return GDK_EVENT_PROPAGATE;
  lens_zoomable_picture_pan_by (self, -dx, -dy);
  return GDK_EVENT_STOP;
}

static void
pinch_begin_cb (GtkGesture          *gesture,
                GdkEventSequence    *sequence,
                LensZoomablePicture *self)
{
  self->pinch_zoom = self->zoom;
}

static void
pinch_cb (GtkGestureZoom      *gesture,
          double               scale,
          LensZoomablePicture *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    zoom_point (self, &x, &y);
  lens_zoomable_picture_zoom_at (self, self->pinch_zoom * scale, x, y);
}

static void
drag_begin_cb (GtkGestureDrag      *gesture,
               double               x,
               double               y,
               LensZoomablePicture *self)
{
  /* Nothing to move: the drag is left to others (the window's). */
  if (!can_pan (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_x = self->x;
  self->drag_y = self->y;
  update_cursor (self, TRUE);
}

static void
drag_update_cb (GtkGestureDrag      *gesture,
                double               dx,
                double               dy,
                LensZoomablePicture *self)
{
  lens_zoomable_picture_pan_by (self, self->drag_x + dx - self->x, self->drag_y + dy - self->y);
}

static void
drag_end_cb (GtkGestureDrag      *gesture,
             double               dx,
             double               dy,
             LensZoomablePicture *self)
{
  update_cursor (self, FALSE);
}

/* A double click looks closer at what was clicked (100 %, or 200 % for an
 * image that fits at 100 %), or back at the whole image. */
static void
pressed_cb (GtkGestureClick     *gesture,
            int                  n_press,
            double               x,
            double               y,
            LensZoomablePicture *self)
{
  double fit;

  if (n_press != 2)
    return;

  fit = lens_zoomable_picture_get_fit_zoom (self);
  if (self->best_fit)
    lens_zoomable_picture_zoom_at (self, fit < 1.0 ? 1.0 : 2.0, x, y);
  else
    lens_zoomable_picture_set_best_fit (self, TRUE);
}

static void
paintable_size_cb (LensZoomablePicture *self)
{
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_zoomable_picture_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  LensZoomablePicture *self = LENS_ZOOMABLE_PICTURE (widget);

  /* Any size will do: the image is zoomed to fit it. */
  *minimum = 0;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? image_width (self) : image_height (self);
}

static void
lens_zoomable_picture_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  LensZoomablePicture *self = LENS_ZOOMABLE_PICTURE (widget);
  /* The image's point in the middle stays in the middle. */
  double middle_x = self->width > 0 ? (self->width / 2.0 - self->x) / self->zoom : 0;
  double middle_y = self->height > 0 ? (self->height / 2.0 - self->y) / self->zoom : 0;
  double fit;

  self->width = width;
  self->height = height;
  fit = lens_zoomable_picture_get_fit_zoom (self);
  self->x = width / 2.0 - middle_x * self->zoom;
  self->y = height / 2.0 - middle_y * self->zoom;
  set_state (self, self->best_fit ? fit : MAX (self->zoom, fit), self->best_fit);
}

static void
lens_zoomable_picture_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  LensZoomablePicture *self = LENS_ZOOMABLE_PICTURE (widget);
  double width = image_width (self) * self->zoom;
  double height = image_height (self) * self->zoom;
  GskScalingFilter filter;

  if (self->paintable == NULL || width <= 0 || height <= 0)
    return;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, self->width, self->height));
  if (GDK_IS_TEXTURE (self->paintable))
    {
      filter = self->zoom >= NEAREST_FROM_ZOOM ? GSK_SCALING_FILTER_NEAREST
               : self->zoom < 1.0 ? GSK_SCALING_FILTER_TRILINEAR : GSK_SCALING_FILTER_LINEAR;
      gtk_snapshot_append_scaled_texture (snapshot, GDK_TEXTURE (self->paintable), filter,
                                          &GRAPHENE_RECT_INIT (self->x, self->y, width, height));
    }
  else
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (self->x, self->y));
      gdk_paintable_snapshot (self->paintable, snapshot, width, height);
      gtk_snapshot_restore (snapshot);
    }
  gtk_snapshot_pop (snapshot);
}

static void
lens_zoomable_picture_dispose (GObject *object)
{
  lens_zoomable_picture_set_paintable (LENS_ZOOMABLE_PICTURE (object), NULL);

  G_OBJECT_CLASS (lens_zoomable_picture_parent_class)->dispose (object);
}

static void
lens_zoomable_picture_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  LensZoomablePicture *self = LENS_ZOOMABLE_PICTURE (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_BEST_FIT:
      g_value_set_boolean (value, self->best_fit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_zoomable_picture_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  LensZoomablePicture *self = LENS_ZOOMABLE_PICTURE (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      lens_zoomable_picture_set_paintable (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      lens_zoomable_picture_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_BEST_FIT:
      lens_zoomable_picture_set_best_fit (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_zoomable_picture_class_init (LensZoomablePictureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_zoomable_picture_dispose;
  object_class->get_property = lens_zoomable_picture_get_property;
  object_class->set_property = lens_zoomable_picture_set_property;
  widget_class->measure = lens_zoomable_picture_measure;
  widget_class->size_allocate = lens_zoomable_picture_size_allocate;
  widget_class->snapshot = lens_zoomable_picture_snapshot;

  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0.0, LENS_ZOOMABLE_PICTURE_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BEST_FIT] =
    g_param_spec_boolean ("best-fit", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "zoomable-picture");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lens_zoomable_picture_init (LensZoomablePicture *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom = 1.0;
  self->best_fit = TRUE;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (pointer_cb), self);
  g_signal_connect (controller, "motion", G_CALLBACK (pointer_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (pointer_left_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (pinch_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (pinch_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

/* ─── public API ───────────────────────────────────────────────────────── */

GtkWidget *
lens_zoomable_picture_new (void)
{
  return g_object_new (LENS_TYPE_ZOOMABLE_PICTURE, NULL);
}

GdkPaintable *
lens_zoomable_picture_get_paintable (LensZoomablePicture *self)
{
  g_return_val_if_fail (LENS_IS_ZOOMABLE_PICTURE (self), NULL);
  return self->paintable;
}

/**
 * lens_zoomable_picture_set_paintable:
 * @paintable: (nullable): what to show
 *
 * A larger version of the same image (the original after its preview)
 * keeps what is shown where it is: at best fit it still fits, otherwise
 * the zoom changes so that the image keeps its size on screen.
 */
void
lens_zoomable_picture_set_paintable (LensZoomablePicture *self,
                                     GdkPaintable        *paintable)
{
  double old_width;
  double zoom;

  g_return_if_fail (LENS_IS_ZOOMABLE_PICTURE (self));
  g_return_if_fail (paintable == NULL || GDK_IS_PAINTABLE (paintable));

  if (self->paintable == paintable)
    return;

  old_width = image_width (self);
  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_func (self->paintable, paintable_size_cb, self);
  g_set_object (&self->paintable, paintable);
  if (paintable != NULL)
    g_signal_connect_swapped (paintable, "invalidate-size", G_CALLBACK (paintable_size_cb), self);

  zoom = self->zoom;
  if (old_width > 0 && image_width (self) > 0)
    zoom = self->zoom * old_width / image_width (self);
  set_state (self, self->best_fit ? lens_zoomable_picture_get_fit_zoom (self)
                                  : MAX (zoom, lens_zoomable_picture_get_fit_zoom (self)),
             self->best_fit);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
}

double
lens_zoomable_picture_get_zoom (LensZoomablePicture *self)
{
  g_return_val_if_fail (LENS_IS_ZOOMABLE_PICTURE (self), 1.0);
  return self->zoom;
}

/* Zooms around the middle of the widget, as keys and buttons do. */
void
lens_zoomable_picture_set_zoom (LensZoomablePicture *self,
                                double               zoom)
{
  g_return_if_fail (LENS_IS_ZOOMABLE_PICTURE (self));
  lens_zoomable_picture_zoom_at (self, zoom, self->width / 2.0, self->height / 2.0);
}

/**
 * lens_zoomable_picture_zoom_at:
 * @zoom: the new zoom, kept between best fit and
 *   %LENS_ZOOMABLE_PICTURE_MAX_ZOOM
 * @x: (in widget coordinates) the point that stays where it is
 * @y: the same
 *
 * Zooms so that the image's point at @x, @y stays under it, as far as the
 * image's edges allow. Zooming out to best fit is best fit again.
 */
void
lens_zoomable_picture_zoom_at (LensZoomablePicture *self,
                               double               zoom,
                               double               x,
                               double               y)
{
  double fit;
  double image_x, image_y;

  g_return_if_fail (LENS_IS_ZOOMABLE_PICTURE (self));

  fit = lens_zoomable_picture_get_fit_zoom (self);
  zoom = CLAMP (zoom, fit, LENS_ZOOMABLE_PICTURE_MAX_ZOOM);
  lens_zoomable_picture_widget_to_image (self, x, y, &image_x, &image_y);
  self->x = x - image_x * zoom;
  self->y = y - image_y * zoom;
  set_state (self, zoom, zoom <= fit);
}

/**
 * lens_zoomable_picture_get_fit_zoom:
 *
 * Returns: the zoom at which the whole image shows, at most 1: a small
 *   image is not enlarged; 1 before the widget has a size or an image
 */
double
lens_zoomable_picture_get_fit_zoom (LensZoomablePicture *self)
{
  double width, height;

  g_return_val_if_fail (LENS_IS_ZOOMABLE_PICTURE (self), 1.0);

  width = image_width (self);
  height = image_height (self);
  if (width <= 0 || height <= 0 || self->width <= 0 || self->height <= 0)
    return 1.0;
  return MIN (1.0, MIN (self->width / width, self->height / height));
}

gboolean
lens_zoomable_picture_get_best_fit (LensZoomablePicture *self)
{
  g_return_val_if_fail (LENS_IS_ZOOMABLE_PICTURE (self), TRUE);
  return self->best_fit;
}

/* Best fit shows the whole image, centred, and follows the size; leaving
 * it keeps the zoom as it is, for the next zoom to start from. */
void
lens_zoomable_picture_set_best_fit (LensZoomablePicture *self,
                                    gboolean             best_fit)
{
  g_return_if_fail (LENS_IS_ZOOMABLE_PICTURE (self));

  set_state (self, best_fit ? lens_zoomable_picture_get_fit_zoom (self) : self->zoom, best_fit);
}

/* Moves the image by @dx, @dy logical pixels, as far as its edges allow. */
void
lens_zoomable_picture_pan_by (LensZoomablePicture *self,
                              double               dx,
                              double               dy)
{
  g_return_if_fail (LENS_IS_ZOOMABLE_PICTURE (self));

  self->x += dx;
  self->y += dy;
  clamp_offsets (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * lens_zoomable_picture_widget_to_image:
 * @image_x: (out): the image's pixel at @x, @y (which may be outside it)
 * @image_y: (out): the same
 */
void
lens_zoomable_picture_widget_to_image (LensZoomablePicture *self,
                                       double               x,
                                       double               y,
                                       double              *image_x,
                                       double              *image_y)
{
  g_return_if_fail (LENS_IS_ZOOMABLE_PICTURE (self));
  g_return_if_fail (image_x != NULL && image_y != NULL);

  *image_x = (x - self->x) / self->zoom;
  *image_y = (y - self->y) / self->zoom;
}
