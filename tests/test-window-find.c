/* test-window-find.c — finding tasks in the window: search, filters, order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The find bar above the list, driven as a user would under Xvfb: typing
 * in its entry, the check items of its menu (find.* actions), the "No
 * Tasks Match" page, and the order of the list, against the whole app and
 * its real store.
 */

#include "config.h"

#include "lens-find-bar.h"
#include "lens-task-store.h"
#include "lens-test-app.h"
#include "lens-test-store.h"
#include "lens-test-ui.h"
#include "lens-window.h"

#define CAT_ID "7489df4c-ef03-4de0-b598-e9a590793434"      /* done, created first */
#define GIRL_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"     /* done, created later */
#define UNKNOWN_ID "00000000-1111-4222-8333-444444444444"  /* not found */

typedef LensTestApp Fixture;

/* The settings outlive a test (one memory backend per program): every
 * test starts with the list unfiltered and in its own order. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.tasklens.Tasklens");

  g_settings_reset (settings, "filter-states");
  g_settings_reset (settings, "filter-types");
  g_settings_reset (settings, "sort-order");
  lens_test_app_set_up (fixture, data);
}

#define fixture_tear_down lens_test_app_tear_down

static GListModel *
shown_tasks (Fixture *fixture)
{
  GtkGridView *list_view = GTK_GRID_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_GRID_VIEW));

  return G_LIST_MODEL (gtk_grid_view_get_model (list_view));
}

static guint
n_shown (Fixture *fixture)
{
  return g_list_model_get_n_items (shown_tasks (fixture));
}

/* The ids shown, in order, joined by spaces. */
static char *
shown_ids (Fixture *fixture)
{
  GListModel *model = shown_tasks (fixture);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (model, i);

      g_strv_builder_add (builder, lens_task_get_id (task));
    }
  ids = g_strv_builder_end (builder);
  return g_strjoinv (" ", ids);
}

static void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *parameter)
{
  gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), action, parameter);
}

static void
type_search (Fixture    *fixture,
             const char *text)
{
  GtkWidget *bar = lens_test_find_widget (GTK_WIDGET (fixture->window), LENS_TYPE_FIND_BAR);

  gtk_editable_set_text (GTK_EDITABLE (lens_test_find_widget (bar, GTK_TYPE_SEARCH_ENTRY)), text);
}

/* Tasks stored before the others, so that those are far below the first
 * screen of rows. */
static void
store_tasks_above (Fixture *fixture,
                   guint    n)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "tasks.db", NULL);
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      LensTaskSummary summary = {
        .id = id, .state = LENS_TASK_STATE_DONE, .progress = -1, .task_type = "imagine",
        .created_at = -1, .finished_at = -1,
      };
      g_autoptr(LensTask) task = lens_task_new_from_summary (&summary);

      g_ptr_array_add (changes, lens_store_change_new_put (task, (gint64) i - n, NULL, 0, 0));
    }
  lens_test_store_write (store, changes);
}

/* After a restart a task far down the list has only its summary: no
 * prompt in memory. Typing a word of its prompt finds it all the same,
 * through the store's search. */
static void
test_prompt_without_details (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(LensTask) shown = NULL;
  LensTask *cat;

  lens_test_app_add_ids (fixture, GIRL_ID " " CAT_ID " " UNKNOWN_ID);
  lens_test_app_wait_until_stored (fixture);
  /* Nothing selected: the list opens at its top. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (shown_tasks (fixture)), GTK_INVALID_LIST_POSITION);
  lens_test_app_stop (fixture);
  store_tasks_above (fixture, 300);
  lens_test_app_start (fixture);

  gtk_window_present (GTK_WINDOW (fixture->window));
  lens_test_spin_for (300);
  cat = lens_task_list_lookup (lens_test_app_get_tasks (fixture), CAT_ID);
  g_assert_nonnull (cat);
  g_assert_false (lens_task_has_details (cat));
  g_assert_null (lens_task_get_prompt (cat));

  type_search (fixture, "Sitting");
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 1, LENS_TEST_DEADLINE_MS);
  shown = g_list_model_get_item (shown_tasks (fixture), 0);
  g_assert_true (shown == cat);

  /* Escape in the entry empties it: every task again. */
  type_search (fixture, "");
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 303, LENS_TEST_DEADLINE_MS);
}

static const char *
selected_id (Fixture *fixture)
{
  LensTask *task = lens_window_get_selected_task (LENS_WINDOW (fixture->window));

  return task != NULL ? lens_task_get_id (task) : NULL;
}

/* A search that hides the selected task only looks around: once it is
 * cleared, the task is selected again (and shown beside the list). */
static void
test_selection_comes_back (Fixture       *fixture,
                           gconstpointer  data)
{
  lens_test_app_add_ids (fixture, CAT_ID " " GIRL_ID " " UNKNOWN_ID);
  /* The search looks the words up in the history's prompts. */
  lens_test_app_wait_until_stored (fixture);
  lens_window_select_task (LENS_WINDOW (fixture->window), GIRL_ID);
  g_assert_cmpstr (selected_id (fixture), ==, GIRL_ID);

  type_search (fixture, "Sitting");
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 1, LENS_TEST_DEADLINE_MS);
  g_assert_null (selected_id (fixture));

  type_search (fixture, "");
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 3, LENS_TEST_DEADLINE_MS);
  LENS_TEST_SPIN_UNTIL (g_strcmp0 (selected_id (fixture), GIRL_ID) == 0, LENS_TEST_DEADLINE_MS);

  /* Hidden by a filter, then another task chosen: the new choice stays. */
  activate (fixture, "find.state-not-found", NULL);
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 1, LENS_TEST_DEADLINE_MS);
  g_assert_null (selected_id (fixture));
  lens_window_select_task (LENS_WINDOW (fixture->window), UNKNOWN_ID);
  activate (fixture, "find.state-not-found", NULL);
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 3, LENS_TEST_DEADLINE_MS);
  lens_test_spin_for (100);
  g_assert_cmpstr (selected_id (fixture), ==, UNKNOWN_ID);
}

static gboolean
action_state (Fixture    *fixture,
              const char *action)
{
  GtkWidget *bar = lens_test_find_widget (GTK_WIDGET (fixture->window), LENS_TYPE_FIND_BAR);
  g_autoptr(GVariant) state = g_action_group_get_action_state (lens_find_bar_get_actions (LENS_FIND_BAR (bar)),
                                                                action);

  return g_variant_get_boolean (state);
}

static gboolean
filter_button_is_accent (Fixture *fixture)
{
  GtkWidget *bar = lens_test_find_widget (GTK_WIDGET (fixture->window), LENS_TYPE_FIND_BAR);

  return gtk_widget_has_css_class (lens_test_find_widget (bar, GTK_TYPE_MENU_BUTTON), "accent");
}

/* The menu's check items show only some states and types; the button says
 * a filter is on; with nothing left, the list says so and offers to clear
 * the filters; the filters are remembered for the next start. */
static void
test_filter_menu (Fixture       *fixture,
                  gconstpointer  data)
{
  GSettings *settings = lens_context_get_settings (lens_test_app_get_context (fixture));
  g_auto(GStrv) states = NULL;
  GtkWidget *no_match;
  GtkWidget *clear;

  lens_test_app_add_ids (fixture, CAT_ID " " GIRL_ID " " UNKNOWN_ID);
  g_assert_cmpuint (n_shown (fixture), ==, 3);
  g_assert_false (filter_button_is_accent (fixture));

  activate (fixture, "find.state-not-found", NULL);
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 1, LENS_TEST_DEADLINE_MS);
  g_assert_true (action_state (fixture, "state-not-found"));
  g_assert_true (filter_button_is_accent (fixture));
  states = g_settings_get_strv (settings, "filter-states");
  g_assert_cmpstrv (states, ((const char *[]) { "not-found", NULL }));

  /* Two states: either. */
  activate (fixture, "find.state-done", NULL);
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 3, LENS_TEST_DEADLINE_MS);

  /* And a type: both. No task is a describe. */
  activate (fixture, "find.type-describe", NULL);
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 0, LENS_TEST_DEADLINE_MS);
  clear = lens_test_find_button (GTK_WIDGET (fixture->window), "_Clear Filters");
  g_assert_nonnull (clear);
  no_match = gtk_widget_get_ancestor (clear, ADW_TYPE_STATUS_PAGE);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (no_match)), ==, "No Tasks Match");
  LENS_TEST_SPIN_UNTIL (gtk_widget_get_child_visible (no_match), LENS_TEST_DEADLINE_MS);

  /* Remembered at the next start. */
  lens_test_app_stop (fixture);
  lens_test_app_start (fixture);
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 0, LENS_TEST_DEADLINE_MS);
  g_assert_true (action_state (fixture, "type-describe"));
  g_assert_true (filter_button_is_accent (fixture));

  /* The search goes too: a clear list, all of it. */
  type_search (fixture, "cat");
  clear = lens_test_find_button (GTK_WIDGET (fixture->window), "_Clear Filters");
  g_assert_nonnull (clear);
  g_signal_emit_by_name (clear, "clicked");
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 3, LENS_TEST_DEADLINE_MS);
  lens_test_spin_for (300);
  g_assert_cmpuint (n_shown (fixture), ==, 3);
  g_assert_false (action_state (fixture, "state-done"));
  g_assert_false (action_state (fixture, "type-describe"));
  g_assert_false (filter_button_is_accent (fixture));
  g_clear_pointer (&states, g_strfreev);
  states = g_settings_get_strv (settings, "filter-states");
  g_assert_cmpstrv (states, ((const char *[]) { NULL }));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (lens_test_find_widget (GTK_WIDGET (fixture->window),
                                                                                 GTK_TYPE_SEARCH_ENTRY))), ==, "");
}

/* The list in its own order, newest created first or newest finished
 * first (a task not looked up last); removing and undoing work on the
 * sorted and filtered list. */
static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *ids = NULL;
  g_autofree char *sort_order = NULL;

  lens_test_app_add_ids (fixture, CAT_ID " " UNKNOWN_ID " " GIRL_ID);

  activate (fixture, "find.sort", g_variant_new_string ("created"));
  LENS_TEST_SPIN_UNTIL (g_strcmp0 ((g_free (ids), ids = shown_ids (fixture)), GIRL_ID " " CAT_ID " " UNKNOWN_ID) == 0,
                        LENS_TEST_DEADLINE_MS);
  sort_order = g_settings_get_string (lens_context_get_settings (lens_test_app_get_context (fixture)), "sort-order");
  g_assert_cmpstr (sort_order, ==, "created");

  activate (fixture, "find.sort", g_variant_new_string ("finished"));
  activate (fixture, "find.state-done", NULL);
  LENS_TEST_SPIN_UNTIL (g_strcmp0 ((g_free (ids), ids = shown_ids (fixture)), GIRL_ID " " CAT_ID) == 0,
                        LENS_TEST_DEADLINE_MS);

  /* Delete takes the selected task out of the list; the selection stays
   * where it was, and Undo puts the task back, selected. */
  lens_window_select_task (fixture->window, CAT_ID);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove", NULL);
  g_assert_null (lens_task_list_lookup (lens_test_app_get_tasks (fixture), CAT_ID));
  LENS_TEST_SPIN_UNTIL (n_shown (fixture) == 1, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, GIRL_ID);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo-remove", NULL);
  LENS_TEST_SPIN_UNTIL (g_strcmp0 ((g_free (ids), ids = shown_ids (fixture)), GIRL_ID " " CAT_ID) == 0,
                        LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, CAT_ID);

  activate (fixture, "find.sort", g_variant_new_string ("added"));
  LENS_TEST_SPIN_UNTIL (g_strcmp0 ((g_free (ids), ids = shown_ids (fixture)), CAT_ID " " GIRL_ID) == 0,
                        LENS_TEST_DEADLINE_MS);
}

/* Under a state filter, a task whose state changed since the filter went
 * through the list (Refresh marks it queued at once) still shows where it
 * did: the list is not filtered again for it. Selecting another task that
 * shows below it (a notification's, Undo's) selects that one all the same. */
static void
test_select_below_task_whose_state_changed (Fixture       *fixture,
                                            gconstpointer  data)
{
  LensTaskList *tasks;
  g_autofree char *ids = NULL;

  lens_test_app_add_ids (fixture, CAT_ID " " UNKNOWN_ID " " GIRL_ID);
  tasks = lens_test_app_get_tasks (fixture);
  activate (fixture, "find.state-done", NULL);
  LENS_TEST_SPIN_UNTIL (g_strcmp0 ((g_free (ids), ids = shown_ids (fixture)), CAT_ID " " GIRL_ID) == 0,
                        LENS_TEST_DEADLINE_MS);

  lens_task_mark_queued (lens_task_list_lookup (tasks, CAT_ID));
  g_clear_pointer (&ids, g_free);
  ids = shown_ids (fixture);
  g_assert_cmpstr (ids, ==, CAT_ID " " GIRL_ID);

  lens_window_select_task (fixture->window, GIRL_ID);
  g_assert_nonnull (lens_window_get_selected_task (fixture->window));
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, GIRL_ID);
}

/* Ctrl+F goes to the search entry, which is always there. */
static void
test_search_is_visible (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *entry;

  lens_test_app_add_ids (fixture, CAT_ID);
  gtk_window_present (GTK_WINDOW (fixture->window));
  lens_test_spin_for (200);
  entry = lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_SEARCH_ENTRY);
  g_assert_true (gtk_widget_get_mapped (entry));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL);
  LENS_TEST_SPIN_UNTIL (gtk_window_get_focus (GTK_WINDOW (fixture->window)) != NULL
                        && gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (fixture->window)), entry),
                        LENS_TEST_DEADLINE_MS);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/window-find/prompt-without-details", Fixture, NULL, fixture_set_up,
              test_prompt_without_details, fixture_tear_down);
  g_test_add ("/window-find/filter-menu", Fixture, NULL, fixture_set_up, test_filter_menu, fixture_tear_down);
  g_test_add ("/window-find/selection-comes-back", Fixture, NULL, fixture_set_up,
              test_selection_comes_back, fixture_tear_down);
  g_test_add ("/window-find/sort", Fixture, NULL, fixture_set_up, test_sort, fixture_tear_down);
  g_test_add ("/window-find/select-below-task-whose-state-changed", Fixture, NULL, fixture_set_up,
              test_select_below_task_whose_state_changed, fixture_tear_down);
  g_test_add ("/window-find/search-is-visible", Fixture, NULL, fixture_set_up, test_search_is_visible,
              fixture_tear_down);

  return g_test_run ();
}
