/* lens-lazy-menu.h — a menu button's menu, built when it first opens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LENS_TYPE_LAZY_MENU (lens_lazy_menu_get_type ())

G_DECLARE_FINAL_TYPE (LensLazyMenu, lens_lazy_menu, LENS, LAZY_MENU, GObject)

G_END_DECLS
