/* lens-toast-layer.c — toasts over the window's content, drawn on their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwToastOverlay wrapped around the window's content makes every toast
 * redraw the whole window three times: when it appears, when it has slid
 * in and when it is gone. The overlay's render node is its child's alone
 * without a toast, a clip while the toast slides in from below its edge,
 * and a container of two once it sits; GSK cannot compare nodes of
 * different kinds, so it redraws all they cover. Where GTK draws with cairo
 * (no GPU: lens-renderer-choice.c) such a frame of the whole window costs
 * 10 to 15 ms (bench-paste, a library logging cairo's paints).
 *
 * Here the toast overlay has no child: it lies over the content, at the
 * bottom's centre, as large as its toast (nothing at all without one, so it
 * takes no click from the content). As large as libadwaita would make the
 * toast over the whole content, that is: its natural width, but at least
 * NATURAL_WIDTH for a toast with a button, within the layer's width
 * (allocate_toast() in adw-toast-overlay.c, which takes the overlay's own
 * width as the limit: at its natural width, a toast with a button would be
 * as narrow as its text). The layer's own node holds an empty
 * node beside the content, so that it is a container at all times (GTK
 * gives a lone node back as it is): a toast only adds a child to it, and
 * only the toast's area is drawn again.
 *
 * Escape dismisses the toast on show, as it does with the overlay around
 * the content, wherever the focus is in it (unless the focus uses Escape).
 */

#define G_LOG_DOMAIN "lens-toast-layer"

#include "config.h"

#include "lens-toast-layer.h"

/* adw-toast-overlay.c's: the least width of a toast with a button. */
#define NATURAL_WIDTH 450

struct _LensToastLayer
{
  GtkWidget        parent_instance;

  GtkWidget       *child;     /* nullable */
  AdwToastOverlay *overlay;   /* always the last child: on top */
};

enum
{
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensToastLayer, lens_toast_layer, GTK_TYPE_WIDGET)

/* The toast on show, if any: it alone takes clicks, one leaving cannot
 * (AdwToastOverlay). Its widget says which toast it shows. */
static AdwToast *
shown_toast (LensToastLayer *self)
{
  for (GtkWidget *widget = gtk_widget_get_first_child (GTK_WIDGET (self->overlay));
       widget != NULL; widget = gtk_widget_get_next_sibling (widget))
    if (gtk_widget_get_can_target (widget))
      {
        AdwToast *toast = NULL;

        g_object_get (widget, "toast", &toast, NULL);
        return toast;
      }
  return NULL;
}

/* As AdwToastOverlay's own Escape: the toast on show goes, and the next
 * one waiting shows. Not adw_toast_overlay_dismiss_all(): that drops the
 * waiting ones unseen, and in libadwaita 1.7.6 frees a toast that a
 * high-priority one (the window's Undo) is fading out while its animation
 * still runs (a use after free, then a double free). */
static gboolean
dismiss_cb (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  g_autoptr(AdwToast) toast = shown_toast (LENS_TOAST_LAYER (widget));

  if (toast == NULL)
    return GDK_EVENT_PROPAGATE;
  adw_toast_dismiss (toast);
  return GDK_EVENT_STOP;
}

static gboolean
has_button (GtkWidget *toast_widget)
{
  g_autoptr(AdwToast) toast = NULL;
  const char *label;

  g_object_get (toast_widget, "toast", &toast, NULL);
  label = toast != NULL ? adw_toast_get_button_label (toast) : NULL;
  return label != NULL && label[0] != '\0';
}

/* The width libadwaita gives its widest toast within @width, on show or
 * leaving; 0 without one. */
static int
toasts_width (LensToastLayer *self,
              int             width)
{
  int widest = 0;

  for (GtkWidget *widget = gtk_widget_get_first_child (GTK_WIDGET (self->overlay));
       widget != NULL; widget = gtk_widget_get_next_sibling (widget))
    {
      GtkRequisition natural;

      gtk_widget_get_preferred_size (widget, NULL, &natural);
      if (has_button (widget))
        natural.width = MAX (natural.width, NATURAL_WIDTH);
      widest = MAX (widest, MIN (natural.width, width));
    }
  return widest;
}

static void
lens_toast_layer_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0;
      int child_nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, for_size, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

static void
lens_toast_layer_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  LensToastLayer *self = LENS_TOAST_LAYER (widget);
  int toast_width;
  int toast_height = 0;

  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);

  /* At the bottom's centre, as large as its toasts (see above). */
  toast_width = toasts_width (self, width);
  if (toast_width > 0)
    {
      gtk_widget_measure (GTK_WIDGET (self->overlay), GTK_ORIENTATION_VERTICAL, toast_width,
                          NULL, &toast_height, NULL, NULL);
      toast_height = MIN (toast_height, height);
    }
  gtk_widget_size_allocate (GTK_WIDGET (self->overlay),
                            &(GtkAllocation) { (width - toast_width) / 2, height - toast_height,
                                               toast_width, toast_height },
                            -1);
}

static void
lens_toast_layer_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  /* Nothing to see: it keeps the layer's node a container (above). */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0 }, graphene_rect_zero ());
  GTK_WIDGET_CLASS (lens_toast_layer_parent_class)->snapshot (widget, snapshot);
}

static void
lens_toast_layer_dispose (GObject *object)
{
  LensToastLayer *self = LENS_TOAST_LAYER (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (self->overlay != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->overlay));
      self->overlay = NULL;
    }

  G_OBJECT_CLASS (lens_toast_layer_parent_class)->dispose (object);
}

static void
lens_toast_layer_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LensToastLayer *self = LENS_TOAST_LAYER (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_toast_layer_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LensToastLayer *self = LENS_TOAST_LAYER (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      lens_toast_layer_set_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_toast_layer_class_init (LensToastLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_toast_layer_dispose;
  object_class->get_property = lens_toast_layer_get_property;
  object_class->set_property = lens_toast_layer_set_property;
  widget_class->measure = lens_toast_layer_measure;
  widget_class->size_allocate = lens_toast_layer_size_allocate;
  widget_class->snapshot = lens_toast_layer_snapshot;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "toastlayer");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, dismiss_cb, NULL);
}

static void
lens_toast_layer_init (LensToastLayer *self)
{
  self->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->overlay), GTK_WIDGET (self));
}

GtkWidget *
lens_toast_layer_new (void)
{
  return g_object_new (LENS_TYPE_TOAST_LAYER, NULL);
}

/**
 * lens_toast_layer_set_child:
 * @child: (nullable): the content under the toasts
 */
void
lens_toast_layer_set_child (LensToastLayer *self,
                            GtkWidget      *child)
{
  g_return_if_fail (LENS_IS_TOAST_LAYER (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;
  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_insert_before (child, GTK_WIDGET (self), GTK_WIDGET (self->overlay));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

/**
 * lens_toast_layer_add_toast:
 * @toast: (transfer full): the toast to show
 *
 * As adw_toast_overlay_add_toast().
 */
void
lens_toast_layer_add_toast (LensToastLayer *self,
                            AdwToast       *toast)
{
  g_return_if_fail (LENS_IS_TOAST_LAYER (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->overlay, toast);
}
