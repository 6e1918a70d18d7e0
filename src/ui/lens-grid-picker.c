/* lens-grid-picker.c — the four images of a 2×2 grid, to pick one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An imagine task's result is four candidates in one picture. Laid over
 * that picture, the picker makes each quarter a button of its own: the
 * pointer highlights the one under it (CSS :hover), a click or Enter or
 * Space picks it (outlined, "selected"), and the picked one again, or
 * Escape, goes back to the whole grid. The arrow keys move between the
 * quarters, and carry the pick along when there is one, so that the
 * keyboard can step through the four as the eye does.
 *
 * The quarters are numbered as Midjourney's buttons are (U1 … U4), as in
 * lens-grid-crop.c: 1 top left, 2 top right, 3 bottom left, 4 bottom right.
 * A double click opens the image viewer (win.view-image), as a click does
 * on an image that is not a grid; its two clicks pick and unpick, so the
 * pick stays as it was.
 */

#define G_LOG_DOMAIN "lens-grid-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-grid-picker.h"
#include "lens-tooltip.h"

struct _LensGridPicker
{
  GtkWidget  parent_instance;

  GtkWidget *quadrants[4];  /* children: GtkButton */
  guint      selected;      /* 1…4, or 0 for the whole grid */
};

G_DEFINE_FINAL_TYPE (LensGridPicker, lens_grid_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ─── private functions ────────────────────────────────────────────────── */

/* The quarter (1…4) that is its window's focus, or 0. The window's focus,
 * not gtk_widget_has_focus(), which is also false while the window is not
 * the active one: a key that reaches the picker came through its window. */
static guint
focused_quadrant (LensGridPicker *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (guint i = 0; i < 4 && focus != NULL; i++)
    if (focus == self->quadrants[i] || gtk_widget_is_ancestor (focus, self->quadrants[i]))
      return i + 1;
  return 0;
}

/* The quarter beside @index in the direction of @keyval, or 0 at the edge:
 * left and right change the column, up and down the row. */
static guint
neighbour (guint index,
           guint keyval)
{
  gboolean right = index == 2 || index == 4;
  gboolean bottom = index == 3 || index == 4;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      return right ? index - 1 : 0;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      return right ? 0 : index + 1;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      return bottom ? index - 2 : 0;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      return bottom ? 0 : index + 2;
    default:
      return 0;
    }
}

/* ─── callbacks ────────────────────────────────────────────────────────── */

static void
quadrant_clicked_cb (GtkButton      *button,
                     LensGridPicker *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "lens-quadrant"));

  lens_grid_picker_set_selected (self, self->selected == index ? 0 : index);
}

static gboolean
key_pressed_cb (LensGridPicker  *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  guint from = focused_quadrant (self);
  guint to;

  if (keyval == GDK_KEY_Escape)
    {
      if (self->selected == 0)
        return GDK_EVENT_PROPAGATE;
      lens_grid_picker_set_selected (self, 0);
      return GDK_EVENT_STOP;
    }

  to = from != 0 ? neighbour (from, keyval) : 0;
  if (to == 0)
    return GDK_EVENT_PROPAGATE;
  gtk_widget_grab_focus (self->quadrants[to - 1]);
  if (self->selected != 0)
    lens_grid_picker_set_selected (self, to);
  return GDK_EVENT_STOP;
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            LensGridPicker  *self)
{
  if (n_press == 2)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.view-image", NULL);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_grid_picker_dispose (GObject *object)
{
  LensGridPicker *self = LENS_GRID_PICKER (object);

  for (guint i = 0; i < 4; i++)
    g_clear_pointer (&self->quadrants[i], gtk_widget_unparent);

  G_OBJECT_CLASS (lens_grid_picker_parent_class)->dispose (object);
}

static void
lens_grid_picker_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LensGridPicker *self = LENS_GRID_PICKER (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_uint (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_grid_picker_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LensGridPicker *self = LENS_GRID_PICKER (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      lens_grid_picker_set_selected (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_grid_picker_class_init (LensGridPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_grid_picker_dispose;
  object_class->get_property = lens_grid_picker_get_property;
  object_class->set_property = lens_grid_picker_set_property;

  properties[PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, 4, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_GRID_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "grid-picker");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lens_grid_picker_init (LensGridPicker *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkGesture *clicks = gtk_gesture_click_new ();

  gtk_grid_layout_set_row_homogeneous (GTK_GRID_LAYOUT (layout), TRUE);
  gtk_grid_layout_set_column_homogeneous (GTK_GRID_LAYOUT (layout), TRUE);

  for (guint i = 0; i < 4; i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkLayoutChild *child;
      /* TRANSLATORS: one of the four images of a Midjourney grid, 1 to 4 */
      g_autofree char *label = g_strdup_printf (_("Image %u"), i + 1);

      g_object_set_data (G_OBJECT (button), "lens-quadrant", GUINT_TO_POINTER (i + 1));
      gtk_widget_add_css_class (button, "grid-quadrant");
      lens_tooltip_set_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_PRESSED,
                                   GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
      g_signal_connect (button, "clicked", G_CALLBACK (quadrant_clicked_cb), self);
      gtk_widget_set_parent (button, GTK_WIDGET (self));
      child = gtk_layout_manager_get_layout_child (layout, button);
      gtk_grid_layout_child_set_column (GTK_GRID_LAYOUT_CHILD (child), i % 2);
      gtk_grid_layout_child_set_row (GTK_GRID_LAYOUT_CHILD (child), i / 2);
      self->quadrants[i] = button;
    }

  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  /* In the capture phase, so that the buttons' own clicks still happen. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (clicks), GTK_PHASE_CAPTURE);
  g_signal_connect (clicks, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (clicks));
}

/* ─── public API ───────────────────────────────────────────────────────── */

GtkWidget *
lens_grid_picker_new (void)
{
  return g_object_new (LENS_TYPE_GRID_PICKER, NULL);
}

/**
 * lens_grid_picker_get_selected:
 *
 * Returns: the image picked, 1 to 4, or 0 for the whole grid
 */
guint
lens_grid_picker_get_selected (LensGridPicker *self)
{
  g_return_val_if_fail (LENS_IS_GRID_PICKER (self), 0);
  return self->selected;
}

/**
 * lens_grid_picker_set_selected:
 * @selected: 1 to 4, or 0 for the whole grid
 */
void
lens_grid_picker_set_selected (LensGridPicker *self,
                               guint           selected)
{
  g_return_if_fail (LENS_IS_GRID_PICKER (self));
  g_return_if_fail (selected <= 4);

  if (self->selected == selected)
    return;
  self->selected = selected;
  for (guint i = 0; i < 4; i++)
    {
      gboolean on = i + 1 == selected;

      if (on)
        gtk_widget_add_css_class (self->quadrants[i], "selected");
      else
        gtk_widget_remove_css_class (self->quadrants[i], "selected");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->quadrants[i]), GTK_ACCESSIBLE_STATE_PRESSED,
                                   on ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                                   -1);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/**
 * lens_grid_picker_get_quadrant:
 * @index: 1 to 4
 *
 * Returns: (transfer none): the button of image @index
 */
GtkWidget *
lens_grid_picker_get_quadrant (LensGridPicker *self,
                               guint           index)
{
  g_return_val_if_fail (LENS_IS_GRID_PICKER (self), NULL);
  g_return_val_if_fail (index >= 1 && index <= 4, NULL);
  return self->quadrants[index - 1];
}
