/* lens-test-ui.h — what the UI test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only for programs that link GTK: the core tests use lens-test.h alone.
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-task-list.h"
#include "lens-test.h"

G_BEGIN_DECLS

void        lens_test_ui_init           (int         *argc,
                                         char      ***argv);

void        lens_test_foreach_widget    (GtkWidget   *root,
                                         GFunc        func,
                                         gpointer     user_data);
typedef void (*LensTestShortcutFunc) (GtkShortcutController *controller,
                                      GtkShortcut           *shortcut,
                                      gpointer               user_data);

void        lens_test_foreach_shortcut  (GtkWidget            *widget,
                                         LensTestShortcutFunc  func,
                                         gpointer              user_data);
gboolean    lens_test_press_key         (GtkWidget       *widget,
                                         guint            keyval,
                                         GdkModifierType  modifiers);
guint       lens_test_open_menus        (GtkWidget   *root);
GtkWidget  *lens_test_find_widget       (GtkWidget   *root,
                                         GType        type);
GtkWidget  *lens_test_find_titled       (GtkWidget   *root,
                                         GType        type,
                                         const char  *title);
GtkWidget  *lens_test_find_button       (GtkWidget   *root,
                                         const char  *label);

const char *lens_test_text_of           (GtkWidget   *widget);
GtkWidget  *lens_test_find_label        (GtkWidget   *root,
                                         const char  *text);
GtkWidget  *lens_test_find_styled       (GtkWidget   *root,
                                         const char  *css_class);
void        lens_test_settle            (void);
char       *lens_test_read_clipboard    (GtkWidget   *widget);
void        lens_test_save_window_png   (GtkWidget   *window,
                                         const char  *name);

GtkFilterListModel *lens_test_window_models_new (LensTaskList      *list,
                                                 GtkSortListModel **sorted);
void        lens_test_wait_for_models   (GtkSortListModel   *sorted,
                                         GtkFilterListModel *filtered);

G_END_DECLS
