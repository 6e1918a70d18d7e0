/* test-gallery.c — the gallery of thumbnails in the window, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lens-gallery-cell.h"
#include "lens-gallery-view.h"
#include "lens-test-app.h"
#include "lens-test-ui.h"
#include "lens-window.h"

#define CAT_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define GIRL_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define UNKNOWN_ID "00000000-1111-4222-8333-444444444444"
#define VIDEO_ID "037955e0-deee-4050-baa8-1416300d67e2"

typedef LensTestApp Fixture;

static LensGalleryView *
gallery_of (Fixture *fixture)
{
  return LENS_GALLERY_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window), LENS_TYPE_GALLERY_VIEW));
}

static GListModel *
shown_tasks (Fixture *fixture)
{
  GtkGridView *list_view = GTK_GRID_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_GRID_VIEW));

  return gtk_single_selection_get_model (GTK_SINGLE_SELECTION (gtk_grid_view_get_model (list_view)));
}

static guint
selected_position (Fixture *fixture)
{
  GtkGridView *list_view = GTK_GRID_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_GRID_VIEW));

  return gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_grid_view_get_model (list_view)));
}

/* The cells drawn with a task, in @widget's tree. */
static guint
count_cells (GtkWidget *widget)
{
  guint n = 0;

  if (LENS_IS_GALLERY_CELL (widget))
    return lens_gallery_cell_get_task (LENS_GALLERY_CELL (widget)) != NULL
           && gtk_widget_get_child_visible (widget) && gtk_widget_get_mapped (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_cells (child);
  return n;
}

static void
show_grid (Fixture *fixture)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.view", "s", "grid");
  LENS_TEST_SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (gallery_of (fixture))), LENS_TEST_DEADLINE_MS);
  lens_test_settle ();
}

/* The view switch shows the gallery, with a cell for every task shown. */
static void
test_switch_shows_grid (Fixture       *fixture,
                        gconstpointer  data)
{
  LensGalleryView *gallery = gallery_of (fixture);
  g_autofree char *view_mode = NULL;

  lens_test_app_add_ids (fixture, CAT_ID " " GIRL_ID " " UNKNOWN_ID);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (gallery)));
  g_assert_false (lens_gallery_view_get_active (gallery));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lens_gallery_view_get_rows (gallery))), ==, 0);

  show_grid (fixture);
  g_object_get (fixture->window, "view-mode", &view_mode, NULL);
  g_assert_cmpstr (view_mode, ==, "grid");
  g_assert_true (lens_gallery_view_get_active (gallery));
  LENS_TEST_SPIN_UNTIL (count_cells (GTK_WIDGET (gallery)) == 3, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (lens_gallery_rows_get_n_placed (lens_gallery_view_get_rows (gallery)), ==,
                    g_list_model_get_n_items (shown_tasks (fixture)));
  lens_test_save_window_png (GTK_WIDGET (fixture->window), "gallery.png");

  /* And back. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.view", "s", "list");
  LENS_TEST_SPIN_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (gallery)), LENS_TEST_DEADLINE_MS);
  g_assert_false (lens_gallery_view_get_active (gallery));
}

/* The choice is remembered across restarts, and the selection survives
 * the switch. */
static void
test_remembered (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *view_mode = NULL;

  lens_test_app_add_ids (fixture, CAT_ID " " GIRL_ID);
  lens_window_select_task (fixture->window, GIRL_ID);
  show_grid (fixture);
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, GIRL_ID);
  lens_test_app_stop (fixture);

  lens_test_app_start (fixture);
  g_object_get (fixture->window, "view-mode", &view_mode, NULL);
  g_assert_cmpstr (view_mode, ==, "grid");
  g_assert_true (lens_gallery_view_get_active (gallery_of (fixture)));
  LENS_TEST_SPIN_UNTIL (count_cells (GTK_WIDGET (gallery_of (fixture))) == 2, LENS_TEST_DEADLINE_MS);
}

/* Arrows move between cells: across rows and days left and right, to the
 * same column up and down; Home, End; Enter opens. */
static void
test_arrow_keys (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *ids = lens_test_make_id_lines (1, 12);
  GtkWidget *gallery = NULL;
  LensGalleryRows *rows;
  AdwNavigationSplitView *split_view =
    ADW_NAVIGATION_SPLIT_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_NAVIGATION_SPLIT_VIEW));
  guint n = 0, row, column;

  lens_test_app_add_ids (fixture, ids);
  n = g_list_model_get_n_items (shown_tasks (fixture));
  g_assert_cmpuint (n, ==, 12);
  show_grid (fixture);
  gallery = GTK_WIDGET (gallery_of (fixture));
  rows = lens_gallery_view_get_rows (LENS_GALLERY_VIEW (gallery));
  LENS_TEST_SPIN_UNTIL (lens_gallery_rows_get_columns (rows) > 1, LENS_TEST_DEADLINE_MS);

  gtk_widget_activate_action (gallery, "gallery.move", "s", "first");
  g_assert_cmpuint (selected_position (fixture), ==, 0);
  gtk_widget_activate_action (gallery, "gallery.move", "s", "right");
  g_assert_cmpuint (selected_position (fixture), ==, 1);
  gtk_widget_activate_action (gallery, "gallery.move", "s", "left");
  gtk_widget_activate_action (gallery, "gallery.move", "s", "left");
  g_assert_cmpuint (selected_position (fixture), ==, 0);

  /* Down: the same column of the next row. */
  gtk_widget_activate_action (gallery, "gallery.move", "s", "right");
  gtk_widget_activate_action (gallery, "gallery.move", "s", "down");
  g_assert_true (lens_gallery_rows_locate (rows, selected_position (fixture), &row, &column));
  g_assert_cmpuint (row, ==, 1);
  g_assert_cmpuint (column, ==, 1);
  g_assert_cmpuint (selected_position (fixture), ==, lens_gallery_rows_get_columns (rows) + 1);
  gtk_widget_activate_action (gallery, "gallery.move", "s", "up");
  g_assert_cmpuint (selected_position (fixture), ==, 1);

  gtk_widget_activate_action (gallery, "gallery.move", "s", "last");
  g_assert_cmpuint (selected_position (fixture), ==, n - 1);
  /* The cell selected has the focus, and shows it. */
  lens_test_settle ();
  g_assert_true (LENS_IS_GALLERY_CELL (gtk_root_get_focus (GTK_ROOT (fixture->window))));
  g_assert_true (gtk_widget_get_state_flags (gtk_root_get_focus (GTK_ROOT (fixture->window)))
                 & GTK_STATE_FLAG_SELECTED);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 700);
  LENS_TEST_SPIN_UNTIL (adw_navigation_split_view_get_collapsed (split_view), LENS_TEST_DEADLINE_MS);
  gtk_widget_activate_action (gallery, "gallery.activate", NULL);
  lens_test_spin_pending ();
  g_assert_true (adw_navigation_split_view_get_show_content (split_view));
}

/* With Shift, the arrow keys pick the tasks on the way, from where the
 * last pick or open started, as a Shift-click does, and open where they
 * lead; without, they move alone. */
static void
test_shift_arrow_keys (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *ids = lens_test_make_id_lines (1, 12);
  GtkWidget *gallery;
  LensGalleryRows *rows;
  g_autoptr(GPtrArray) picked = NULL;
  guint columns;

  lens_test_app_add_ids (fixture, ids);
  show_grid (fixture);
  gallery = GTK_WIDGET (gallery_of (fixture));
  rows = lens_gallery_view_get_rows (LENS_GALLERY_VIEW (gallery));
  LENS_TEST_SPIN_UNTIL (lens_gallery_rows_get_columns (rows) > 1, LENS_TEST_DEADLINE_MS);
  columns = lens_gallery_rows_get_columns (rows);
  gtk_widget_activate_action (gallery, "gallery.move", "s", "first");
  lens_test_settle ();
  g_assert_true (LENS_IS_GALLERY_CELL (gtk_root_get_focus (GTK_ROOT (fixture->window))));

  g_assert_true (lens_test_press_key (gallery, GDK_KEY_Right, GDK_SHIFT_MASK));
  g_assert_true (lens_test_press_key (gallery, GDK_KEY_Down, GDK_SHIFT_MASK));
  g_assert_cmpuint (selected_position (fixture), ==, columns + 1);
  picked = lens_window_dup_selected_ids (fixture->window);
  g_assert_cmpuint (picked->len, ==, columns + 2);

  /* Alone, a key moves and picks the task it leads to alone. */
  g_assert_true (lens_test_press_key (gallery, GDK_KEY_Left, 0));
  g_clear_pointer (&picked, g_ptr_array_unref);
  picked = lens_window_dup_selected_ids (fixture->window);
  g_assert_cmpuint (picked->len, ==, 1);
  g_assert_cmpuint (selected_position (fixture), ==, columns);
}

/* The search filters the gallery as it filters the list. */
static void
test_search_filters (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *gallery = GTK_WIDGET (gallery_of (fixture));
  GtkEditable *entry;

  lens_test_app_add_ids (fixture, CAT_ID " " GIRL_ID " " UNKNOWN_ID);
  lens_test_app_wait_until_stored (fixture);
  show_grid (fixture);
  LENS_TEST_SPIN_UNTIL (count_cells (gallery) == 3, LENS_TEST_DEADLINE_MS);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL);
  entry = GTK_EDITABLE (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_SEARCH_ENTRY));
  gtk_editable_set_text (entry, "CAT table");
  LENS_TEST_SPIN_UNTIL (count_cells (gallery) == 1, LENS_TEST_DEADLINE_MS);
  gtk_editable_set_text (entry, "");
  LENS_TEST_SPIN_UNTIL (count_cells (gallery) == 3, LENS_TEST_DEADLINE_MS);
}

/* The cell's play sign, in @cell's tree; NULL when there is none. */
static GtkWidget *
video_badge_of (GtkWidget *cell)
{
  for (GtkWidget *child = gtk_widget_get_first_child (cell); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_has_css_class (child, "video-badge"))
      return child;
  return NULL;
}

/* Collects a cell that shows a task. */
static void
collect_cell (gpointer widget,
              gpointer cells)
{
  if (LENS_IS_GALLERY_CELL (widget) && lens_gallery_cell_get_task (LENS_GALLERY_CELL (widget)) != NULL
      && gtk_widget_get_mapped (widget))
    g_ptr_array_add (cells, widget);
}

/* A video's cell wears the play sign the list's row wears; an image's
 * does not. */
static void
test_video_badge (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  lens_test_app_add_ids (fixture, CAT_ID " " VIDEO_ID);
  show_grid (fixture);
  LENS_TEST_SPIN_UNTIL (count_cells (GTK_WIDGET (gallery_of (fixture))) == 2, LENS_TEST_DEADLINE_MS);
  lens_test_settle ();

  lens_test_foreach_widget (GTK_WIDGET (gallery_of (fixture)), collect_cell, cells);
  g_assert_cmpuint (cells->len, ==, 2);
  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *cell = g_ptr_array_index (cells, i);
      LensTask *task = lens_gallery_cell_get_task (LENS_GALLERY_CELL (cell));
      GtkWidget *badge = video_badge_of (cell);

      g_assert_nonnull (badge);
      g_assert_cmpint (gtk_widget_get_visible (badge), ==, g_str_equal (lens_task_get_id (task), VIDEO_ID));
    }
}

/* A saved task's cell wears the saved sign the list's row wears, as soon
 * as the history records the save, and loses it with the record. */
/* The cell on screen that shows task @id, or NULL. */
static GtkWidget *
cell_of (Fixture    *fixture,
         const char *id)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  lens_test_foreach_widget (GTK_WIDGET (gallery_of (fixture)), collect_cell, cells);
  for (guint i = 0; i < cells->len; i++)
    {
      LensTask *task = lens_gallery_cell_get_task (g_ptr_array_index (cells, i));

      if (g_str_equal (lens_task_get_id (task), id))
        return g_ptr_array_index (cells, i);
    }
  return NULL;
}

static void
test_saved_badge (Fixture       *fixture,
                  gconstpointer  data)
{
  lens_test_app_add_ids (fixture, CAT_ID);
  show_grid (fixture);
  LENS_TEST_SPIN_UNTIL (count_cells (GTK_WIDGET (gallery_of (fixture))) == 1, LENS_TEST_DEADLINE_MS);
  lens_test_app_check_saved_badge (fixture, cell_of, CAT_ID);
}

/* A cell's tooltip, its title and state, is made when GTK asks for it:
 * none is set at a bind (each set on a cell in the window asks the X
 * server where the pointer is, lens-tooltip.c), and the accessible label
 * says the same. */
static void
test_tooltip_when_asked (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *cell;
  g_autoptr(GtkTooltip) tooltip = NULL;
  g_autofree char *failure = NULL;
  gboolean shown = FALSE;

  lens_test_app_add_ids (fixture, UNKNOWN_ID);
  show_grid (fixture);
  LENS_TEST_SPIN_UNTIL ((cell = cell_of (fixture, UNKNOWN_ID)) != NULL, LENS_TEST_DEADLINE_MS);
  LENS_TEST_SPIN_UNTIL (lens_task_get_state (lens_gallery_cell_get_task (LENS_GALLERY_CELL (cell)))
                        == LENS_TASK_STATE_NOT_FOUND, LENS_TEST_DEADLINE_MS);
  lens_test_settle ();

  g_assert_true (gtk_widget_get_has_tooltip (cell));
  g_assert_null (gtk_widget_get_tooltip_text (cell));
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                "Unknown task — Not found");
  g_assert_cmpstr (failure, ==, NULL);

  tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  g_signal_emit_by_name (cell, "query-tooltip", 4, 4, FALSE, tooltip, &shown);
  g_assert_true (shown);
}

int
main (int    argc,
      char **argv)
{
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/gallery/switch-shows-grid", Fixture, NULL, lens_test_app_set_up, test_switch_shows_grid,
              lens_test_app_tear_down);
  g_test_add ("/gallery/remembered", Fixture, NULL, lens_test_app_set_up, test_remembered,
              lens_test_app_tear_down);
  g_test_add ("/gallery/video-badge", Fixture, NULL, lens_test_app_set_up, test_video_badge,
              lens_test_app_tear_down);
  g_test_add ("/gallery/saved-badge", Fixture, NULL, lens_test_app_set_up, test_saved_badge,
              lens_test_app_tear_down);
  g_test_add ("/gallery/tooltip-when-asked", Fixture, NULL, lens_test_app_set_up,
              test_tooltip_when_asked, lens_test_app_tear_down);
  g_test_add ("/gallery/arrow-keys", Fixture, NULL, lens_test_app_set_up, test_arrow_keys,
              lens_test_app_tear_down);
  g_test_add ("/gallery/shift-arrow-keys", Fixture, NULL, lens_test_app_set_up,
              test_shift_arrow_keys, lens_test_app_tear_down);
  g_test_add ("/gallery/search-filters", Fixture, NULL, lens_test_app_set_up, test_search_filters,
              lens_test_app_tear_down);

  return g_test_run ();
}
