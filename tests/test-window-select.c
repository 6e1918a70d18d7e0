/* test-window-select.c — picking many tasks in the list and the gallery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12, "Select many": Ctrl-click and Shift-click, Ctrl+A, Escape,
 * selection mode's check boxes, and the bar with what can be done with the
 * tasks picked (Copy IDs, Remove with Undo, Export…).
 */

#include "config.h"

#include <string.h>

#include "lens-bulk-selection.h"
#include "lens-export-dialog.h"
#include "lens-gallery-cell.h"
#include "lens-gallery-view.h"
#include "lens-selection-bar.h"
#include "lens-task-row.h"
#include "lens-task-view.h"
#include "lens-test-app.h"
#include "lens-test-fake.h"
#include "lens-test-ui.h"

#define CAT_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define GIRL_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"

typedef LensTestApp Fixture;

static GtkWidget *
find (Fixture *fixture,
      GType    type)
{
  return lens_test_find_widget (GTK_WIDGET (fixture->window), type);
}

static GtkSingleSelection *
open_selection (Fixture *fixture)
{
  return GTK_SINGLE_SELECTION (gtk_grid_view_get_model (GTK_GRID_VIEW (find (fixture, GTK_TYPE_GRID_VIEW))));
}

static char *
shown_id (Fixture *fixture,
          guint    position)
{
  g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (open_selection (fixture)), position);

  return g_strdup (lens_task_get_id (task));
}

/* The ids picked, one a line. */
static char *
picked_ids (Fixture *fixture)
{
  g_autoptr(GPtrArray) ids = lens_window_dup_selected_ids (fixture->window);

  g_ptr_array_add (ids, NULL);
  return g_strjoinv ("\n", (char **) ids->pdata);
}

/* The ids shown from @first to @last, one a line. */
static char *
shown_ids (Fixture *fixture,
           guint    first,
           guint    last)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = first; i <= last; i++)
    g_strv_builder_take (builder, shown_id (fixture, i));
  ids = g_strv_builder_end (builder);
  return g_strjoinv ("\n", ids);
}

static void
pick (Fixture  *fixture,
      guint     position,
      gboolean  toggle,
      gboolean  extend)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.pick-task", "(ubb)", position, toggle, extend);
}

static gboolean
bar_shown (Fixture *fixture)
{
  return adw_toolbar_view_get_reveal_bottom_bars (ADW_TOOLBAR_VIEW (gtk_widget_get_ancestor (find (fixture, LENS_TYPE_SELECTION_BAR),
                                                                                              ADW_TYPE_TOOLBAR_VIEW)));
}

static const char *
bar_text (Fixture *fixture)
{
  return lens_selection_bar_get_text (LENS_SELECTION_BAR (find (fixture, LENS_TYPE_SELECTION_BAR)));
}

static void
add_tasks (Fixture *fixture,
           guint    n)
{
  g_autofree char *lines = lens_test_make_id_lines (1, n - 2);
  g_autofree char *text = g_strconcat (CAT_ID "\n" GIRL_ID "\n", lines, NULL);

  lens_test_app_add_ids (fixture, text);
  LENS_TEST_SPIN_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (open_selection (fixture))) == n,
                        LENS_TEST_DEADLINE_MS);
}

/* Ctrl-click toggles a task beside the open one; Shift-click picks the
 * range from the last one toggled; a plain choice picks one again. While
 * several are picked, the bar and the content pane say how many. */
static void
test_ctrl_and_shift_click (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *range = NULL;
  g_autofree char *ids = NULL;
  GtkStack *content;

  add_tasks (fixture, 8);
  content = GTK_STACK (gtk_widget_get_ancestor (find (fixture, LENS_TYPE_TASK_VIEW), GTK_TYPE_STACK));
  gtk_single_selection_set_selected (open_selection (fixture), 0);
  first = shown_id (fixture, 0);
  ids = picked_ids (fixture);
  g_assert_cmpstr (ids, ==, first);
  g_assert_false (bar_shown (fixture));

  pick (fixture, 2, TRUE, FALSE);
  g_clear_pointer (&ids, g_free);
  ids = picked_ids (fixture);
  {
    g_autofree char *second = shown_id (fixture, 2);

    range = g_strconcat (first, "\n", second, NULL);
  }
  g_assert_cmpstr (ids, ==, range);
  g_assert_true (bar_shown (fixture));
  g_assert_cmpstr (bar_text (fixture), ==, "2 tasks selected");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "picked");
  g_assert_nonnull (lens_test_find_label (GTK_WIDGET (fixture->window), "2 Tasks Selected"));
  /* The task clicked is the open one. */
  g_assert_cmpuint (gtk_single_selection_get_selected (open_selection (fixture)), ==, 2);

  /* Shift: from 2 to 5, alone. */
  pick (fixture, 5, FALSE, TRUE);
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&range, g_free);
  ids = picked_ids (fixture);
  range = shown_ids (fixture, 2, 5);
  g_assert_cmpstr (ids, ==, range);
  g_assert_cmpstr (bar_text (fixture), ==, "4 tasks selected");

  /* Ctrl again on a picked task lets it go. */
  pick (fixture, 3, TRUE, FALSE);
  g_assert_cmpstr (bar_text (fixture), ==, "3 tasks selected");

  /* A plain choice (a click, the arrow keys) is one task again. */
  gtk_single_selection_set_selected (open_selection (fixture), 7);
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&range, g_free);
  ids = picked_ids (fixture);
  range = shown_id (fixture, 7);
  g_assert_cmpstr (ids, ==, range);
  g_assert_false (bar_shown (fixture));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "task");
}

/* Shift with the arrow keys, Home and End picks the tasks from where the
 * last pick or open started, and opens the row it leads to, as a
 * Shift-click does; the list's own Shift+arrow would open the row alone. */
static void
test_shift_arrows (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *list = find (fixture, GTK_TYPE_GRID_VIEW);
  g_autofree char *ids = NULL;
  g_autofree char *range = NULL;

  add_tasks (fixture, 8);
  gtk_single_selection_set_selected (open_selection (fixture), 2);
  lens_test_settle ();

  g_assert_true (lens_test_press_key (list, GDK_KEY_Down, GDK_SHIFT_MASK));
  g_assert_true (lens_test_press_key (list, GDK_KEY_Down, GDK_SHIFT_MASK));
  ids = picked_ids (fixture);
  range = shown_ids (fixture, 2, 4);
  g_assert_cmpstr (ids, ==, range);
  g_assert_cmpuint (gtk_single_selection_get_selected (open_selection (fixture)), ==, 4);
  g_assert_cmpstr (bar_text (fixture), ==, "3 tasks selected");

  /* Back up past where it started: the range turns round. */
  for (guint i = 0; i < 3; i++)
    g_assert_true (lens_test_press_key (list, GDK_KEY_Up, GDK_SHIFT_MASK));
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&range, g_free);
  ids = picked_ids (fixture);
  range = shown_ids (fixture, 1, 2);
  g_assert_cmpstr (ids, ==, range);

  /* To the end, and at the start no further than the first. */
  g_assert_true (lens_test_press_key (list, GDK_KEY_End, GDK_SHIFT_MASK));
  g_assert_cmpstr (bar_text (fixture), ==, "6 tasks selected");
  g_assert_cmpuint (gtk_single_selection_get_selected (open_selection (fixture)), ==, 7);
  g_assert_true (lens_test_press_key (list, GDK_KEY_Home, GDK_SHIFT_MASK));
  g_assert_true (lens_test_press_key (list, GDK_KEY_Up, GDK_SHIFT_MASK));
  g_assert_cmpstr (bar_text (fixture), ==, "3 tasks selected");
  g_assert_cmpuint (gtk_single_selection_get_selected (open_selection (fixture)), ==, 0);
}

/* Ctrl+A picks every task shown, as one range; Escape goes back to the
 * open one alone. */
static void
test_select_all_and_escape (Fixture       *fixture,
                            gconstpointer  data)
{
  guint n = 600;
  g_autofree char *label = NULL;

  add_tasks (fixture, n);
  gtk_single_selection_set_selected (open_selection (fixture), 4);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "selection.all", NULL);
  label = g_strdup_printf ("%u tasks selected", n);
  g_assert_cmpstr (bar_text (fixture), ==, label);
  g_assert_true (bar_shown (fixture));
  {
    g_autoptr(GPtrArray) ids = lens_window_dup_selected_ids (fixture->window);

    g_assert_cmpuint (ids->len, ==, n);
  }

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "selection.one", NULL);
  g_assert_cmpstr (bar_text (fixture), ==, "1 task selected");
  g_assert_false (bar_shown (fixture));
  g_assert_cmpuint (gtk_single_selection_get_selected (open_selection (fixture)), ==, 4);
}

/* Copy IDs puts the ids picked on the clipboard, one a line, in the
 * order shown. */
static void
test_copy_ids (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *expected = NULL;
  g_autofree char *copied = NULL;

  add_tasks (fixture, 5);
  gtk_single_selection_set_selected (open_selection (fixture), 1);
  pick (fixture, 3, FALSE, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-ids", NULL);
  copied = lens_test_read_clipboard (GTK_WIDGET (fixture->window));
  expected = shown_ids (fixture, 1, 3);
  g_assert_cmpstr (copied, ==, expected);
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (GTK_WIDGET (fixture->window), "Copied 3 IDs") != NULL, LENS_TEST_DEADLINE_MS);
}

/* Opens the first of the tasks shown and picks the third and the fifth
 * beside it. Returns: (transfer full): the ids of the three */
static GStrv
pick_three (Fixture *fixture)
{
  g_autofree char *picked = NULL;
  GStrv ids;

  gtk_single_selection_set_selected (open_selection (fixture), 0);
  pick (fixture, 2, TRUE, FALSE);
  pick (fixture, 4, TRUE, FALSE);
  picked = picked_ids (fixture);
  ids = g_strsplit (picked, "\n", -1);
  g_assert_cmpuint (g_strv_length (ids), ==, 3);
  return ids;
}

/* Remove takes every task picked out, with one Undo for them all. */
static void
test_remove_and_undo (Fixture       *fixture,
                      gconstpointer  data)
{
  LensTaskList *tasks = lens_test_app_get_tasks (fixture);
  g_auto(GStrv) ids = NULL;

  add_tasks (fixture, 6);
  ids = pick_three (fixture);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, 3);
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_null (lens_task_list_lookup (tasks, ids[i]));
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (GTK_WIDGET (fixture->window), "3 tasks removed") != NULL, LENS_TEST_DEADLINE_MS);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo-remove", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, 6);
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_nonnull (lens_task_list_lookup (tasks, ids[i]));
}

/* Refresh asks again for every task picked, and only for them: they show
 * as waiting at once, and each is in a request to the server. */
static void
test_refresh_picked (Fixture       *fixture,
                     gconstpointer  data)
{
  LensTaskList *tasks = lens_test_app_get_tasks (fixture);
  g_autoptr(GString) asked = g_string_new (NULL);
  g_auto(GStrv) ids = NULL;
  guint before, n_queued = 0;

  add_tasks (fixture, 6);
  lens_test_app_wait_until_looked_up (fixture);
  ids = pick_three (fixture);
  before = lens_fake_api_count_requests (fixture->fake, NULL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tasks)); i++)
    if (lens_task_get_state (lens_task_list_peek (tasks, i)) == LENS_TASK_STATE_QUEUED)
      n_queued++;
  g_assert_cmpuint (n_queued, ==, 3);
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (tasks, ids[i])), ==, LENS_TASK_STATE_QUEUED);

  lens_test_app_wait_until_looked_up (fixture);
  for (guint i = before; i < lens_fake_api_count_requests (fixture->fake, NULL); i++)
    g_string_append (asked, lens_test_fake_request (fixture->fake, i)->body != NULL
                            ? lens_test_fake_request (fixture->fake, i)->body : "");
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_nonnull (strstr (asked->str, ids[i]));
}

/* Removing the open task opens the one after it, which is picked: Copy
 * IDs, Export and Save Images act on it, and Delete again removes it. */
static void
test_next_open_is_picked (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *next = NULL;
  g_autofree char *picked = NULL;

  add_tasks (fixture, 6);
  gtk_single_selection_set_selected (open_selection (fixture), 2);
  next = shown_id (fixture, 3);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove", NULL);

  g_assert_cmpuint (gtk_single_selection_get_selected (open_selection (fixture)), ==, 2);
  picked = picked_ids (fixture);
  g_assert_cmpstr (picked, ==, next);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-ids", NULL));
}

/* Ctrl+A, Delete takes every task out (the list's own tasks, not each
 * asked of the views' models), and Undo puts them all back in order. */
static void
test_remove_all_and_undo (Fixture       *fixture,
                          gconstpointer  data)
{
  LensTaskList *tasks = lens_test_app_get_tasks (fixture);
  g_autoptr(GPtrArray) before = NULL;

  add_tasks (fixture, 50);
  before = lens_task_list_dup_all (tasks);
  gtk_single_selection_set_selected (open_selection (fixture), 3);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "selection.all", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, 0);
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (GTK_WIDGET (fixture->window), "50 tasks removed") != NULL, LENS_TEST_DEADLINE_MS);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo-remove", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, 50);
  for (guint i = 0; i < before->len; i++)
    {
      g_assert_true (lens_task_list_peek (tasks, i) == g_ptr_array_index (before, i));
      g_assert_true (lens_task_list_lookup (tasks, lens_task_get_id (g_ptr_array_index (before, i)))
                     == g_ptr_array_index (before, i));
    }
}

/* The capture-phase click each row has, which picks (the first click
 * gesture is the row menu's). */
static GtkGesture *
pick_gesture_of (GtkWidget *row)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller)
          && gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        return GTK_GESTURE (controller);
    }
  g_assert_not_reached ();
}

static gboolean
is_visible_check (GtkWidget *widget)
{
  return GTK_IS_CHECK_BUTTON (widget) && gtk_widget_get_visible (widget);
}

static gboolean
is_selected_cell (GtkWidget *widget)
{
  return LENS_IS_GALLERY_CELL (widget) && lens_gallery_cell_get_task (LENS_GALLERY_CELL (widget)) != NULL
         && (gtk_widget_get_state_flags (widget) & GTK_STATE_FLAG_SELECTED) != 0;
}

/* How many widgets under @widget (itself included) are @what. */
static guint
count_widgets (GtkWidget *widget,
               gboolean (*what) (GtkWidget *))
{
  guint n = what (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child, what);
  return n;
}

#define count_visible_checks(widget) count_widgets ((widget), is_visible_check)
#define count_selected_cells(widget) count_widgets ((widget), is_selected_cell)

/* Selection mode, in the narrow layout of a phone: every row has a check
 * box, and a tap picks (and unpicks) its task without going to its page. */
static void
test_selection_mode (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  AdwNavigationSplitView *split_view = ADW_NAVIGATION_SPLIT_VIEW (find (fixture, ADW_TYPE_NAVIGATION_SPLIT_VIEW));
  GtkWidget *list_view = find (fixture, GTK_TYPE_GRID_VIEW);
  GtkWidget *row;
  GtkCheckButton *check;

  add_tasks (fixture, 5);
  /* The first task was opened as it came; none is, on a phone. */
  gtk_single_selection_set_selected (open_selection (fixture), GTK_INVALID_LIST_POSITION);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  LENS_TEST_SPIN_UNTIL (adw_navigation_split_view_get_collapsed (split_view), LENS_TEST_DEADLINE_MS);
  lens_test_settle ();
  g_assert_cmpuint (count_visible_checks (list_view), ==, 0);
  gtk_widget_activate_action (window, "selection.mode", NULL);
  lens_test_settle ();
  g_assert_cmpuint (count_visible_checks (list_view), ==, 5);
  g_assert_true (bar_shown (fixture));

  row = lens_test_find_widget (gtk_widget_get_first_child (list_view), LENS_TYPE_TASK_ROW);
  check = GTK_CHECK_BUTTON (lens_test_find_widget (row, GTK_TYPE_CHECK_BUTTON));
  g_assert_false (gtk_check_button_get_active (check));
  g_signal_emit_by_name (pick_gesture_of (row), "pressed", 1, 10.0, 10.0);
  lens_test_spin_pending ();
  g_assert_true (gtk_check_button_get_active (check));
  g_assert_cmpstr (bar_text (fixture), ==, "1 task selected");
  g_assert_false (adw_navigation_split_view_get_show_content (split_view));

  /* A second task, by another tap. */
  g_signal_emit_by_name (pick_gesture_of (lens_test_find_widget (gtk_widget_get_next_sibling (gtk_widget_get_first_child (list_view)),
                                                                 LENS_TYPE_TASK_ROW)),
                         "pressed", 1, 10.0, 10.0);
  g_assert_cmpstr (bar_text (fixture), ==, "2 tasks selected");
  g_assert_false (adw_navigation_split_view_get_show_content (split_view));
  lens_test_save_window_png (window, "selection-mode-narrow.png");

  /* A tap on a picked task lets it go. */
  g_signal_emit_by_name (pick_gesture_of (row), "pressed", 1, 10.0, 10.0);
  lens_test_spin_pending ();
  g_assert_false (gtk_check_button_get_active (check));
  g_assert_cmpstr (bar_text (fixture), ==, "1 task selected");

  /* Out of selection mode, the boxes go. */
  gtk_widget_activate_action (window, "selection.one", NULL);
  lens_test_settle ();
  g_assert_cmpuint (count_visible_checks (list_view), ==, 0);
}

/* The selection-mode button's action follows the property both ways, and
 * a bulk selection dropped goes at once: its action once held it (and so
 * the window's models, the task list and the store) for ever. */
static void
test_mode_action (void)
{
  static const char * const ids[] = { CAT_ID, GIRL_ID, NULL };
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GtkSingleSelection) open = NULL;
  LensBulkSelection *bulk;
  GActionGroup *actions;
  g_autoptr(GVariant) state = NULL;

  lens_task_list_add_ids (list, ids, NULL);
  open = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (list)));
  bulk = lens_bulk_selection_new (open, list);
  actions = lens_bulk_selection_get_actions (bulk);

  g_action_group_activate_action (actions, "mode", NULL);
  g_assert_true (lens_bulk_selection_get_selection_mode (bulk));
  g_assert_true (lens_bulk_selection_get_active (bulk));

  lens_bulk_selection_set_selection_mode (bulk, FALSE);
  state = g_action_group_get_action_state (actions, "mode");
  g_assert_false (g_variant_get_boolean (state));

  g_action_group_change_action_state (actions, "mode", g_variant_new_boolean (TRUE));
  g_assert_true (lens_bulk_selection_get_selection_mode (bulk));

  g_object_add_weak_pointer (G_OBJECT (bulk), (gpointer *) &bulk);
  g_object_unref (bulk);
  g_assert_null (bulk);
}

/* The gallery picks as the list does: selection mode shows check boxes on
 * the cells, and the cells picked look selected. */
static void
test_gallery_picks (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *gallery;

  add_tasks (fixture, 6);
  gtk_widget_activate_action (window, "win.view", "s", "grid");
  gallery = find (fixture, LENS_TYPE_GALLERY_VIEW);
  LENS_TEST_SPIN_UNTIL (lens_gallery_rows_get_n_placed (lens_gallery_view_get_rows (LENS_GALLERY_VIEW (gallery))) == 6,
                        LENS_TEST_DEADLINE_MS);
  lens_test_settle ();
  gtk_single_selection_set_selected (open_selection (fixture), 0);
  pick (fixture, 3, FALSE, TRUE);
  lens_test_settle ();
  g_assert_cmpuint (count_selected_cells (gallery), ==, 4);
  g_assert_cmpuint (count_visible_checks (gallery), ==, 0);
  gtk_widget_activate_action (window, "selection.mode", NULL);
  lens_test_settle ();
  g_assert_cmpuint (count_visible_checks (gallery), ==, 6);
}

/* Export… writes the tasks picked, and only those. */
static void
test_export_selection (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("export");
  g_autofree char *path = g_build_filename (dir, "picked.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *left_out = NULL;

  add_tasks (fixture, 4);
  gtk_single_selection_set_selected (open_selection (fixture), 0);
  pick (fixture, 2, TRUE, FALSE);
  left_out = shown_id (fixture, 1);
  ids = lens_window_dup_selected_ids (fixture->window);
  g_ptr_array_add (ids, NULL);
  _lens_export_dialog_export_ids_to (GTK_WINDOW (fixture->window), fixture->context,
                                     (const char * const *) ids->pdata, file, NULL);
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (GTK_WIDGET (fixture->window), "Exported 2 tasks to “picked.csv”") != NULL,
                        LENS_TEST_DEADLINE_MS);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_assert_nonnull (strstr (csv, g_ptr_array_index (ids, 0)));
  g_assert_nonnull (strstr (csv, g_ptr_array_index (ids, 1)));
  g_assert_null (strstr (csv, left_out));
  lens_test_remove_tree (dir);
}

/* What the bar looks like, wide, with five tasks picked. */
static void
test_render_bar (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkStack *content;

  add_tasks (fixture, 8);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.view", "s", "list");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_single_selection_set_selected (open_selection (fixture), 0);
  pick (fixture, 4, FALSE, TRUE);
  lens_test_settle ();
  g_assert_cmpstr (bar_text (fixture), ==, "5 tasks selected");
  /* The content pane's page, once it has faded in. */
  content = GTK_STACK (gtk_widget_get_ancestor (find (fixture, LENS_TYPE_TASK_VIEW), GTK_TYPE_STACK));
  LENS_TEST_SPIN_UNTIL (!gtk_stack_get_transition_running (content), LENS_TEST_DEADLINE_MS);
  lens_test_save_window_png (GTK_WIDGET (fixture->window), "selection-bar.png");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/window-select/ctrl-and-shift-click", Fixture, NULL, lens_test_app_set_up,
              test_ctrl_and_shift_click, lens_test_app_tear_down);
  g_test_add ("/window-select/shift-arrows", Fixture, NULL, lens_test_app_set_up,
              test_shift_arrows, lens_test_app_tear_down);
  g_test_add ("/window-select/next-open-is-picked", Fixture, NULL, lens_test_app_set_up,
              test_next_open_is_picked, lens_test_app_tear_down);
  g_test_add ("/window-select/remove-all-and-undo", Fixture, NULL, lens_test_app_set_up,
              test_remove_all_and_undo, lens_test_app_tear_down);
  g_test_add ("/window-select/select-all-and-escape", Fixture, NULL, lens_test_app_set_up,
              test_select_all_and_escape, lens_test_app_tear_down);
  g_test_add ("/window-select/copy-ids", Fixture, NULL, lens_test_app_set_up, test_copy_ids,
              lens_test_app_tear_down);
  g_test_add ("/window-select/refresh-picked", Fixture, NULL, lens_test_app_set_up, test_refresh_picked,
              lens_test_app_tear_down);
  g_test_add ("/window-select/remove-and-undo", Fixture, NULL, lens_test_app_set_up, test_remove_and_undo,
              lens_test_app_tear_down);
  g_test_add ("/window-select/selection-mode", Fixture, NULL, lens_test_app_set_up, test_selection_mode,
              lens_test_app_tear_down);
  g_test_add_func ("/window-select/mode-action", test_mode_action);
  g_test_add ("/window-select/gallery-picks", Fixture, NULL, lens_test_app_set_up, test_gallery_picks,
              lens_test_app_tear_down);
  g_test_add ("/window-select/export-selection", Fixture, NULL, lens_test_app_set_up, test_export_selection,
              lens_test_app_tear_down);
  g_test_add ("/window-select/render-bar", Fixture, NULL, lens_test_app_set_up, test_render_bar,
              lens_test_app_tear_down);

  return g_test_run ();
}
