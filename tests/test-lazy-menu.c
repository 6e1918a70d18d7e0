/* test-lazy-menu.c — a menu button's menu, built when it first opens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built at once, a menu cost the window's start three round trips to the
 * X server an item (lens-lazy-menu.c). As the templates use it: the button
 * has no menu until it is opened, then the one the template named, built
 * once, and kept when the template's builder is gone.
 */

#include "config.h"

#include "lens-lazy-menu.h"
#include "lens-test.h"
#include "lens-test-ui.h"

static const char *ui =
  "<interface>"
  "  <menu id='menu'>"
  "    <section>"
  "      <item><attribute name='label'>_Sync</attribute><attribute name='action'>app.sync</attribute></item>"
  "      <item><attribute name='label'>_About</attribute><attribute name='action'>app.about</attribute></item>"
  "    </section>"
  "  </menu>"
  "  <object class='GtkWindow' id='window'>"
  "    <property name='child'>"
  "      <object class='GtkMenuButton' id='button'>"
  "        <property name='icon-name'>open-menu-symbolic</property>"
  "      </object>"
  "    </property>"
  "  </object>"
  "  <object class='LensLazyMenu'>"
  "    <property name='button'>button</property>"
  "    <property name='menu-model'>menu</property>"
  "  </object>"
  "</interface>";

static void
test_built_when_opened (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *window;
  GtkMenuButton *button;
  GMenuModel *menu;
  GtkPopover *popover;

  g_type_ensure (LENS_TYPE_LAZY_MENU);
  builder = gtk_builder_new_from_string (ui, -1);
  window = GTK_WINDOW (gtk_builder_get_object (builder, "window"));
  button = GTK_MENU_BUTTON (gtk_builder_get_object (builder, "button"));
  menu = G_MENU_MODEL (g_object_ref (gtk_builder_get_object (builder, "menu")));
  g_clear_object (&builder);

  /* Nothing built, yet the button can be used. */
  g_assert_null (gtk_menu_button_get_menu_model (button));
  g_assert_null (gtk_menu_button_get_popover (button));
  gtk_window_present (window);
  lens_test_settle ();
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));

  gtk_menu_button_popup (button);
  g_assert_true (gtk_menu_button_get_menu_model (button) == menu);
  popover = gtk_menu_button_get_popover (button);
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  LENS_TEST_SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (popover)), LENS_TEST_DEADLINE_MS);
  g_assert_nonnull (lens_test_find_label (GTK_WIDGET (popover), "Sync"));

  /* Opened again: the same menu, not built again. */
  gtk_menu_button_popdown (button);
  lens_test_settle ();
  gtk_menu_button_popup (button);
  g_assert_true (gtk_menu_button_get_popover (button) == popover);

  gtk_menu_button_popdown (button);
  gtk_window_destroy (window);
  lens_test_settle ();
  g_object_unref (menu);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_ui_init (&argc, &argv);

  g_test_add_func ("/lazy-menu/built-when-opened", test_built_when_opened);
  return g_test_run ();
}
