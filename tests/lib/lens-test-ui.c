/* lens-test-ui.c — what the UI test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "lens-test-ui.h"

#ifdef __SANITIZE_ADDRESS__
/* What a UI program allocates goes through GLib, GTK and Pango, which are
 * built without frame pointers: the fast unwinder stops at g_malloc(), and a
 * leak report would name no function, so tests/lsan.supp could not tell a
 * leak of GTK's from one of ours. The slow unwinder sees through them; a
 * short context (enough to name GTK's render nodes in tests/lsan.supp)
 * keeps it affordable; to see where a leak of ours comes from, run the
 * program again with ASAN_OPTIONS=malloc_context_size=30. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=6";
}
#endif

/**
 * lens_test_ui_init:
 *
 * lens_test_init(), then GTK and libadwaita, without letting GTK change the
 * locale the program (or lens_test_init()) chose.
 */
void
lens_test_ui_init (int    *argc,
                   char ***argv)
{
  lens_test_init (argc, argv);
  gtk_disable_setlocale ();
  adw_init ();
  /* As the application does at startup, for the raw record's view. */
  gtk_source_init ();
}

/**
 * lens_test_foreach_widget:
 *
 * Calls @func with every widget of @root's tree, @root first, depth first.
 */
void
lens_test_foreach_widget (GtkWidget *root,
                          GFunc      func,
                          gpointer   user_data)
{
  func (root, user_data);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    lens_test_foreach_widget (child, func, user_data);
}

/**
 * lens_test_foreach_shortcut:
 *
 * Calls @func with every shortcut of @widget's own shortcut controllers
 * (its class's key bindings among them), with its controller.
 */
void
lens_test_foreach_shortcut (GtkWidget            *widget,
                            LensTestShortcutFunc  func,
                            gpointer              user_data)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          func (GTK_SHORTCUT_CONTROLLER (controller), shortcut, user_data);
        }
    }
}

typedef struct
{
  GtkWidget          *widget;
  GtkShortcutTrigger *trigger;  /* owned */
  gboolean            found;
  gboolean            handled;
} KeyPress;

static void
press_if_matching (GtkShortcutController *controller,
                   GtkShortcut           *shortcut,
                   gpointer               user_data)
{
  KeyPress *press = user_data;

  if (press->found || !gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), press->trigger))
    return;
  press->found = TRUE;
  press->handled = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, press->widget,
                                                 gtk_shortcut_get_arguments (shortcut));
}

/**
 * lens_test_press_key:
 * @widget: the widget whose own shortcut controller has the key
 * @keyval: the key
 * @modifiers: the modifiers held with it
 *
 * Runs what @widget's shortcut for the key does, as a key press reaching
 * it would, with the shortcut's arguments: Xvfb has no keyboard to type
 * on. Fails the test when @widget has no such shortcut.
 *
 * Returns: whether the shortcut took the key
 */
gboolean
lens_test_press_key (GtkWidget       *widget,
                     guint            keyval,
                     GdkModifierType  modifiers)
{
  KeyPress press = { widget, gtk_keyval_trigger_new (keyval, modifiers), FALSE, FALSE };

  lens_test_foreach_shortcut (widget, press_if_matching, &press);
  g_object_unref (press.trigger);
  g_assert_true (press.found);
  return press.handled;
}

static void
open_menu (gpointer widget,
           gpointer user_data)
{
  guint *n_opened = user_data;
  GtkMenuButton *button;
  GtkPopover *popover;

  if (!GTK_IS_MENU_BUTTON (widget))
    return;
  button = GTK_MENU_BUTTON (widget);
  /* Not built until opened (lens-lazy-menu.c). */
  g_assert_null (gtk_menu_button_get_popover (button));
  gtk_menu_button_popup (button);
  popover = gtk_menu_button_get_popover (button);
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  g_assert_cmpint (g_menu_model_get_n_items (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover))),
                   >, 0);
  gtk_menu_button_popdown (button);
  (*n_opened)++;
}

/**
 * lens_test_open_menus:
 *
 * Opens every menu button of @root's tree once, and checks that each had
 * no menu before (menus are built when first opened) and has one, not
 * empty, after.
 *
 * Returns: how many there were
 */
guint
lens_test_open_menus (GtkWidget *root)
{
  guint n_opened = 0;

  lens_test_foreach_widget (root, open_menu, &n_opened);
  lens_test_settle ();
  return n_opened;
}

/**
 * lens_test_find_widget:
 *
 * Returns: (nullable) (transfer none): the first widget in @root's tree,
 * depth first, that is a @type (or a subclass of it).
 */
GtkWidget *
lens_test_find_widget (GtkWidget *root,
                       GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lens_test_find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_title (GtkWidget  *widget,
           const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget))
    return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
  if (ADW_IS_PREFERENCES_GROUP (widget))
    return g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), title) == 0;
  /* An icon button is known by its tooltip, as a user knows it. */
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    return g_strcmp0 (gtk_widget_get_tooltip_text (widget), title) == 0;
  if (GTK_IS_BUTTON (widget))
    return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), title) == 0;
  return FALSE;
}

/**
 * lens_test_find_titled:
 * @title: (nullable): a row's or group's title, a button's label, or an
 *   icon button's tooltip
 *
 * Returns: (nullable) (transfer none): the first widget in @root's tree that
 * is exactly of @type (not a subclass) and, when @title is given, shows it.
 */
GtkWidget *
lens_test_find_titled (GtkWidget  *root,
                       GType       type,
                       const char *title)
{
  if (G_OBJECT_TYPE (root) == type && (title == NULL || has_title (root, title)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lens_test_find_titled (child, type, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * lens_test_find_button:
 *
 * Returns: (nullable) (transfer none): the first button in @root's tree
 * whose label is @label, mnemonic underline included.
 */
GtkWidget *
lens_test_find_button (GtkWidget  *root,
                       const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lens_test_find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * lens_test_find_styled:
 *
 * Returns: (nullable) (transfer none): the first widget in @root's tree,
 * @root included, that has the CSS class @css_class, shown or not
 */
GtkWidget *
lens_test_find_styled (GtkWidget  *root,
                       const char *css_class)
{
  if (gtk_widget_has_css_class (root, css_class))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lens_test_find_styled (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * lens_test_text_of:
 *
 * Returns: (nullable): the text @widget shows, if it is a GtkLabel (without
 * markup or mnemonic underlines) or a GtkInscription (the list's rows)
 */
const char *
lens_test_text_of (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return NULL;
}

/**
 * lens_test_find_label:
 *
 * Returns: (nullable) (transfer none): the first label or inscription in
 * @root's tree whose text is @text (lens_test_text_of())
 */
GtkWidget *
lens_test_find_label (GtkWidget  *root,
                      const char *text)
{
  if (g_strcmp0 (lens_test_text_of (root), text) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lens_test_find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * lens_test_settle:
 *
 * Lets pending idles, layout and drawing run.
 */
void
lens_test_settle (void)
{
  lens_test_spin_for (200);
}

typedef struct
{
  GtkWidget  *window;
  GdkTexture *texture;
} Capture;

/* Right after a frame is painted the window's render nodes are complete:
 * at any other moment a redraw queued by a spinner or a toast may have
 * dropped one, and the snapshot would be empty. */
static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  Capture *capture = user_data;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (capture->window);
  int height = gtk_widget_get_height (capture->window);

  if (capture->texture != NULL)
    return;

  paintable = gtk_widget_paintable_new (capture->window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  capture->texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (capture->window)),
                                                  node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/**
 * lens_test_save_window_png:
 *
 * Renders @window, as next painted, to the PNG @name in the test's build
 * directory, to look at.
 */
void
lens_test_save_window_png (GtkWidget  *window,
                           const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gint64 deadline = g_get_monotonic_time () + LENS_TEST_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;
  Capture capture = { window, NULL };
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &capture);
  while (capture.texture == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      gtk_widget_queue_draw (window);
      lens_test_spin_for (20);
    }
  g_signal_handler_disconnect (clock, handler);

  g_assert_true (gdk_texture_save_to_png (capture.texture, path));
  g_object_unref (capture.texture);
  g_test_message ("Saved %s", path);
}

static void
clipboard_read_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source_object), result, &error);
  g_assert_no_error (error);
}

/**
 * lens_test_read_clipboard:
 *
 * Returns: (transfer full): the text on @widget's clipboard, once read
 */
char *
lens_test_read_clipboard (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, clipboard_read_cb, &text);
  LENS_TEST_SPIN_UNTIL (text != NULL, LENS_TEST_DEADLINE_MS);
  return text;
}

/* Newest first, as the window can sort. */
static int
compare_created_cb (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  double x = lens_task_get_created_at ((LensTask *) a), y = lens_task_get_created_at ((LensTask *) b);

  return (x < y) - (x > y);
}

static gboolean
match_all_cb (gpointer item,
              gpointer user_data)
{
  return TRUE;
}

/**
 * lens_test_window_models_new:
 * @list: the tasks
 * @sorted: (out) (transfer full): the sorted model, for its pending count
 *
 * The models the window puts between its list and its views, for the
 * benchmarks that measure what a change costs through them: sorted newest
 * first by a GtkCustomSorter (an incremental GtkSortListModel), then
 * filtered by a filter that keeps every task (an incremental
 * GtkFilterListModel). Returns once both have gone through every task.
 *
 * Returns: (transfer full): the filtered model, the tasks shown
 */
GtkFilterListModel *
lens_test_window_models_new (LensTaskList      *list,
                             GtkSortListModel **sorted)
{
  GtkFilterListModel *filtered;

  *sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (list)),
                                     GTK_SORTER (gtk_custom_sorter_new (compare_created_cb, NULL, NULL)));
  gtk_sort_list_model_set_incremental (*sorted, TRUE);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (*sorted)),
                                        GTK_FILTER (gtk_custom_filter_new (match_all_cb, NULL, NULL)));
  gtk_filter_list_model_set_incremental (filtered, TRUE);
  lens_test_wait_for_models (*sorted, filtered);
  return filtered;
}

/* Runs the main loop until @sorted and @filtered went through every task,
 * and what else was due has run. */
void
lens_test_wait_for_models (GtkSortListModel   *sorted,
                           GtkFilterListModel *filtered)
{
  while (gtk_sort_list_model_get_pending (sorted) > 0 || gtk_filter_list_model_get_pending (filtered) > 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
