/* lens-lazy-menu.c — a menu button's menu, built when it first opens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkMenuButton given a menu model builds its whole popover at once, and
 * each item of it sets its tooltip, which on X11 asks the display where the
 * pointer is: three round trips to the X server an item. As the window was
 * built that was some 500 round trips, 13 to 39 ms of its start (an
 * LD_PRELOAD library timing xcb_wait_for_reply() under bench-paste). Here
 * the button gets its model when it is first opened, and keeps it.
 *
 * In a template, instead of the button's "menu-model":
 *
 *   <object class="LensLazyMenu">
 *     <property name="button">menu_button</property>
 *     <property name="menu-model">primary_menu</property>
 *   </object>
 *
 * The button keeps the LensLazyMenu alive; the template can drop it.
 */

#define G_LOG_DOMAIN "lens-lazy-menu"

#include "config.h"

#include "lens-lazy-menu.h"

struct _LensLazyMenu
{
  GObject        parent_instance;

  GtkMenuButton *button;  /* weak; until attached */
  GMenuModel    *model;   /* owned */
};

enum
{
  PROP_0,
  PROP_BUTTON,
  PROP_MENU_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensLazyMenu, lens_lazy_menu, G_TYPE_OBJECT)

static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  LensLazyMenu *self = LENS_LAZY_MENU (user_data);

  /* Setting it again would build the popover again. */
  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->model);
}

/* Once both are known, whichever the template gave first. */
static void
attach_when_ready (LensLazyMenu *self)
{
  if (self->button == NULL || self->model == NULL)
    return;
  gtk_menu_button_set_create_popup_func (self->button, create_popup_cb,
                                         g_object_ref (self), g_object_unref);
  g_clear_weak_pointer (&self->button);
}

static void
lens_lazy_menu_finalize (GObject *object)
{
  LensLazyMenu *self = LENS_LAZY_MENU (object);

  g_clear_weak_pointer (&self->button);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (lens_lazy_menu_parent_class)->finalize (object);
}

static void
lens_lazy_menu_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LensLazyMenu *self = LENS_LAZY_MENU (object);

  switch (prop_id)
    {
    case PROP_BUTTON:
      g_set_weak_pointer (&self->button, g_value_get_object (value));
      break;
    case PROP_MENU_MODEL:
      g_set_object (&self->model, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  attach_when_ready (self);
}

static void
lens_lazy_menu_class_init (LensLazyMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lens_lazy_menu_finalize;
  object_class->set_property = lens_lazy_menu_set_property;

  properties[PROP_BUTTON] =
    g_param_spec_object ("button", NULL, NULL, GTK_TYPE_MENU_BUTTON,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MENU_MODEL] =
    g_param_spec_object ("menu-model", NULL, NULL, G_TYPE_MENU_MODEL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_lazy_menu_init (LensLazyMenu *self)
{
}

