/* test-window.c — the main window, driven as a user would, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "lens-add-dialog.h"
#include "lens-application.h"
#include "lens-fake-api.h"
#include "lens-pause-banner.h"
#include "lens-row-menu.h"
#include "lens-test-app.h"
#include "lens-test-fake.h"
#include "lens-test-ui.h"
#include "lens-sync-bar.h"
#include "lens-task-row.h"
#include "lens-task-view.h"
#include "lens-window.h"

#define TOKEN LENS_TEST_APP_TOKEN
#define CAT_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define GIRL_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define UNKNOWN_ID "00000000-1111-4222-8333-444444444444"
#define VIDEO_ID "037955e0-deee-4050-baa8-1416300d67e2"

typedef LensTestApp Fixture;

#define fixture_set_up lens_test_app_set_up
#define fixture_tear_down lens_test_app_tear_down
#define add_ids lens_test_app_add_ids
#define wait_until_looked_up lens_test_app_wait_until_looked_up
#define tasks_of lens_test_app_get_tasks

static guint
n_tasks (Fixture *fixture)
{
  return g_list_model_get_n_items (G_LIST_MODEL (tasks_of (fixture)));
}

static GListModel *
shown_tasks (Fixture *fixture)
{
  GtkGridView *list_view = GTK_GRID_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_GRID_VIEW));

  return G_LIST_MODEL (gtk_grid_view_get_model (list_view));
}

/* app.add-ids fills the list, and the server sees one batched request with
 * the right ids, limit and token. */
static void
test_add_ids_action (Fixture       *fixture,
                     gconstpointer  data)
{
  LensFakeRequest *request;
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;

  add_ids (fixture, "from the bot:\n" CAT_ID "\n" GIRL_ID ", " UNKNOWN_ID "\nnoise");

  g_assert_cmpuint (n_tasks (fixture), ==, 3);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 1);
  request = g_ptr_array_index (lens_fake_api_get_requests (fixture->fake), 0);
  g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
  body = json_from_string (request->body, NULL);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "action"), ==, "retrieve_batch");
  g_assert_cmpint (json_object_get_int_member (object, "limit"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "ids")), ==, 3);

  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (tasks_of (fixture), CAT_ID)), ==,
                   LENS_TASK_STATE_DONE);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (tasks_of (fixture), UNKNOWN_ID)), ==,
                   LENS_TASK_STATE_NOT_FOUND);

  /* The same ids again add nothing. */
  add_ids (fixture, CAT_ID);
  g_assert_cmpuint (n_tasks (fixture), ==, 3);
}

static void
test_add_dialog (Fixture       *fixture,
                 gconstpointer  data)
{
  AdwDialog *dialog;
  GtkWidget *add_button;
  GtkWidget *text_view;

  add_ids (fixture, CAT_ID);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-ids", NULL);
  lens_test_spin_pending ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->window));
  g_assert_true (LENS_IS_ADD_DIALOG (dialog));

  /* Typing goes into the text at once: it has the keyboard focus. */
  text_view = lens_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW);
  LENS_TEST_SPIN_UNTIL (gtk_window_get_focus (GTK_WINDOW (fixture->window)) == text_view,
                        LENS_TEST_DEADLINE_MS);

  add_button = lens_test_find_button (GTK_WIDGET (dialog), "_Add");
  g_assert_nonnull (add_button);
  g_assert_false (gtk_widget_get_sensitive (add_button));

  lens_add_dialog_set_text (LENS_ADD_DIALOG (dialog), "task_id\n" CAT_ID "\n" GIRL_ID "\n" UNKNOWN_ID "\nsee you\n");
  g_assert_cmpstr (lens_add_dialog_get_summary (LENS_ADD_DIALOG (dialog)), ==,
                   "2 new · 1 already in the list · 2 lines not recognised");
  g_assert_true (gtk_widget_get_sensitive (add_button));

  g_signal_emit_by_name (add_button, "clicked");
  wait_until_looked_up (fixture);
  g_assert_cmpuint (n_tasks (fixture), ==, 3);

  /* Nothing new: Add stays off. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-ids", NULL);
  lens_test_spin_pending ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->window));
  lens_add_dialog_set_text (LENS_ADD_DIALOG (dialog), CAT_ID);
  g_assert_false (gtk_widget_get_sensitive (lens_test_find_button (GTK_WIDGET (dialog), "_Add")));
  adw_dialog_force_close (dialog);
}

/* Whether a picture under @widget shows an image, fully. */
static gboolean
shows_picture (GtkWidget *widget)
{
  if (GTK_IS_PICTURE (widget) && gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL
      && gtk_widget_is_drawable (widget))
    {
      GtkWidget *stack = gtk_widget_get_ancestor (widget, GTK_TYPE_STACK);

      /* Shown, and no longer fading in. */
      return stack == NULL || !gtk_stack_get_transition_running (GTK_STACK (stack));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_picture (child))
      return TRUE;
  return FALSE;
}

/* Narrow, as on a phone, only the list shows: a single tap on a task opens
 * its page (the list view activates an item on a single click then). Wide,
 * a click only selects, and the task shows beside the list. */
static void
test_narrow_tap_opens_task (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkGridView *list_view = GTK_GRID_VIEW (lens_test_find_widget (window, GTK_TYPE_GRID_VIEW));
  AdwNavigationSplitView *split_view =
    ADW_NAVIGATION_SPLIT_VIEW (lens_test_find_widget (window, ADW_TYPE_NAVIGATION_SPLIT_VIEW));
  LensTaskView *task_view = LENS_TASK_VIEW (lens_test_find_widget (window, LENS_TYPE_TASK_VIEW));

  add_ids (fixture, CAT_ID "\n" GIRL_ID);
  g_assert_false (adw_navigation_split_view_get_collapsed (split_view));
  g_assert_false (gtk_grid_view_get_single_click_activate (list_view));

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  LENS_TEST_SPIN_UNTIL (adw_navigation_split_view_get_collapsed (split_view), LENS_TEST_DEADLINE_MS);
  g_assert_true (gtk_grid_view_get_single_click_activate (list_view));
  g_assert_false (adw_navigation_split_view_get_show_content (split_view));

  /* What the list view does on that single click. */
  g_signal_emit_by_name (list_view, "activate", 1);
  lens_test_spin_pending ();
  g_assert_true (adw_navigation_split_view_get_show_content (split_view));
  g_assert_cmpstr (lens_task_get_id (lens_task_view_get_task (task_view)), ==, GIRL_ID);
  /* The screenshot shows the task's image, not the moment before it. */
  LENS_TEST_SPIN_UNTIL (shows_picture (GTK_WIDGET (task_view)), LENS_TEST_DEADLINE_MS);
  lens_test_save_window_png (window, "window-narrow-after-tap.png");

  /* Wide again: clicks select. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  LENS_TEST_SPIN_UNTIL (!adw_navigation_split_view_get_collapsed (split_view), LENS_TEST_DEADLINE_MS);
  g_assert_false (gtk_grid_view_get_single_click_activate (list_view));
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

static void
test_drop (Fixture       *fixture,
           gconstpointer  data)
{
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (fixture->window));
  g_autofree char *dir = g_dir_make_tmp ("tasklens-drop-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ids.csv", NULL);
  g_auto(GValue) text = G_VALUE_INIT;
  g_auto(GValue) files = G_VALUE_INIT;
  GSList *list;
  gboolean handled = FALSE;

  g_assert_nonnull (target);

  g_value_init (&text, G_TYPE_STRING);
  g_value_set_string (&text, "dropped " CAT_ID);
  g_signal_emit_by_name (target, "drop", &text, 10.0, 10.0, &handled);
  g_assert_true (handled);
  wait_until_looked_up (fixture);
  g_assert_cmpuint (n_tasks (fixture), ==, 1);

  g_assert_true (g_file_set_contents (path, "id,prompt\n" GIRL_ID ",a girl\n" UNKNOWN_ID ",x\n", -1, NULL));
  list = g_slist_prepend (NULL, g_file_new_for_path (path));
  g_value_init (&files, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&files, gdk_file_list_new_from_list (list));
  g_slist_free_full (list, g_object_unref);
  g_signal_emit_by_name (target, "drop", &files, 10.0, 10.0, &handled);
  g_assert_true (handled);

  LENS_TEST_SPIN_UNTIL (n_tasks (fixture) >= 3, LENS_TEST_DEADLINE_MS);
  wait_until_looked_up (fixture);

  g_unlink (path);
  g_rmdir (dir);
}

/* Selecting a row shows the task in the task view. */
static void
test_select_shows_task (Fixture       *fixture,
                        gconstpointer  data)
{
  LensTaskView *view;

  add_ids (fixture, CAT_ID " " GIRL_ID);
  view = LENS_TASK_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window), LENS_TYPE_TASK_VIEW));

  /* The first import selects the first task. */
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, CAT_ID);
  g_assert_true (lens_task_view_get_task (view) == lens_window_get_selected_task (fixture->window));

  lens_window_select_task (fixture->window, GIRL_ID);
  g_assert_cmpstr (lens_task_get_id (lens_task_view_get_task (view)), ==, GIRL_ID);
}

/* A stack switching with a transition, among @root's: its name goes in
 * @animated. */
static void
stack_switched_cb (GtkStack   *stack,
                   GParamSpec *pspec,
                   GPtrArray  *animated)
{
  if (gtk_stack_get_transition_running (stack))
    g_ptr_array_add (animated, g_strdup (gtk_widget_get_name (GTK_WIDGET (stack))));
}

static void
watch_stack (gpointer widget,
             gpointer animated)
{
  if (GTK_IS_STACK (widget))
    g_signal_connect (widget, "notify::visible-child", G_CALLBACK (stack_switched_cb), animated);
}

static void
unwatch_stack (gpointer widget,
               gpointer animated)
{
  if (GTK_IS_STACK (widget))
    g_signal_handlers_disconnect_by_func (widget, stack_switched_cb, animated);
}

/* The first tasks of an empty window, the first task selected and its
 * image loaded: the window's pages and the task page's switch at once. A
 * crossfade over the whole window (or the task's picture) costs drawing
 * without a GPU 10 to 25 ms a frame, over the frames of a paste (bench-paste). */
static void
test_pages_switch_at_once (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) animated = g_ptr_array_new_with_free_func (g_free);
  LensTaskView *view = LENS_TASK_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window),
                                                              LENS_TYPE_TASK_VIEW));

  lens_test_foreach_widget (GTK_WIDGET (fixture->window), watch_stack, animated);
  add_ids (fixture, CAT_ID " " GIRL_ID);
  g_assert_true (lens_task_view_get_task (view) == lens_window_get_selected_task (fixture->window));
  lens_window_select_task (fixture->window, GIRL_ID);
  lens_test_spin_for (500);
  lens_test_foreach_widget (GTK_WIDGET (fixture->window), unwatch_stack, animated);

  g_ptr_array_add (animated, NULL);
  g_assert_cmpstrv ((char **) animated->pdata, ((const char * []) { NULL }));
}

/* Whether a navigation page under @root is titled @title. */
static gboolean
has_page_titled (GtkWidget  *root,
                 const char *title)
{
  if (ADW_IS_NAVIGATION_PAGE (root)
      && g_strcmp0 (adw_navigation_page_get_title (ADW_NAVIGATION_PAGE (root)), title) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_page_titled (child, title))
      return TRUE;
  return FALSE;
}

/* An upscale has no prompt of its own: its row and its page are titled
 * with what it did to which grid, found in the list, never "imagine". */
static void
test_upscale_title (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(GStrv) grid_ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1);
  g_auto(GStrv) upscale_ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_UPSCALE, 1);
  g_autofree char *text = g_strjoin (" ", grid_ids[0], upscale_ids[0], NULL);
  g_autofree char *expected = NULL;
  LensTask *grid;

  gtk_window_present (GTK_WINDOW (fixture->window));
  add_ids (fixture, text);
  wait_until_looked_up (fixture);
  grid = lens_task_list_lookup (tasks_of (fixture), grid_ids[0]);
  g_assert_nonnull (lens_task_get_prompt (grid));
  g_assert_null (lens_task_get_prompt (lens_task_list_lookup (tasks_of (fixture), upscale_ids[0])));
  expected = g_strdup_printf ("Upscale 1 of “%s”", lens_task_get_prompt (grid));

  lens_window_select_task (fixture->window, upscale_ids[0]);
  LENS_TEST_SPIN_UNTIL (has_page_titled (GTK_WIDGET (fixture->window), expected), LENS_TEST_DEADLINE_MS);
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (GTK_WIDGET (fixture->window), expected) != NULL,
                        LENS_TEST_DEADLINE_MS);
}

static void
test_search_filters (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(LensTask) shown = NULL;
  GtkEditable *entry;

  add_ids (fixture, CAT_ID " " GIRL_ID " " UNKNOWN_ID);
  g_assert_cmpuint (g_list_model_get_n_items (shown_tasks (fixture)), ==, 3);

  /* Prompts are searched in the store. */
  lens_test_app_wait_until_stored (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL);
  entry = GTK_EDITABLE (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_SEARCH_ENTRY));

  /* Each step waits for its own count, and no two in a row expect the
   * same, so a search still out cannot pass for a finished one (a fixed
   * wait failed on a busy machine). */
  gtk_editable_set_text (entry, "CAT table");
  LENS_TEST_SPIN_UNTIL (g_list_model_get_n_items (shown_tasks (fixture)) == 1, LENS_TEST_DEADLINE_MS);

  gtk_editable_set_text (entry, "zebra");
  LENS_TEST_SPIN_UNTIL (g_list_model_get_n_items (shown_tasks (fixture)) == 0, LENS_TEST_DEADLINE_MS);

  /* A state word. */
  gtk_editable_set_text (entry, "not-found");
  LENS_TEST_SPIN_UNTIL (g_list_model_get_n_items (shown_tasks (fixture)) == 1, LENS_TEST_DEADLINE_MS);

  gtk_editable_set_text (entry, "");
  LENS_TEST_SPIN_UNTIL (g_list_model_get_n_items (shown_tasks (fixture)) == 3, LENS_TEST_DEADLINE_MS);

  /* Part of an id. */
  gtk_editable_set_text (entry, "807f62de");
  LENS_TEST_SPIN_UNTIL (g_list_model_get_n_items (shown_tasks (fixture)) == 1, LENS_TEST_DEADLINE_MS);
  shown = g_list_model_get_item (shown_tasks (fixture), 0);
  g_assert_cmpstr (lens_task_get_id (shown), ==, GIRL_ID);
}

/* Delete removes the selected task; Undo puts it back in its place. */
static void
test_remove_and_undo (Fixture       *fixture,
                      gconstpointer  data)
{
  guint position = 99;

  add_ids (fixture, CAT_ID " " GIRL_ID " " UNKNOWN_ID);
  lens_window_select_task (fixture->window, GIRL_ID);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove", NULL);
  g_assert_cmpuint (n_tasks (fixture), ==, 2);
  g_assert_null (lens_task_list_lookup (tasks_of (fixture), GIRL_ID));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo-remove", NULL);
  g_assert_cmpuint (n_tasks (fixture), ==, 3);
  g_assert_true (lens_task_list_find (tasks_of (fixture), GIRL_ID, &position));
  g_assert_cmpuint (position, ==, 1);
  /* It comes back as it was, without another lookup. */
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (tasks_of (fixture), GIRL_ID)), ==,
                   LENS_TASK_STATE_DONE);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove-finished", NULL);
  g_assert_cmpuint (n_tasks (fixture), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo-remove", NULL);
  g_assert_cmpuint (n_tasks (fixture), ==, 3);
}

static void
test_narrow_layout (Fixture       *fixture,
                    gconstpointer  data)
{
  AdwNavigationSplitView *split_view;

  add_ids (fixture, CAT_ID);
  split_view = ADW_NAVIGATION_SPLIT_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window),
                                                                ADW_TYPE_NAVIGATION_SPLIT_VIEW));
  gtk_window_present (GTK_WINDOW (fixture->window));
  lens_test_spin_for (200);
  g_assert_false (adw_navigation_split_view_get_collapsed (split_view));

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 400, 700);
  LENS_TEST_SPIN_UNTIL (adw_navigation_split_view_get_collapsed (split_view), 5000);
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(GStrv) demo = lens_fake_api_seed_demo (fixture->fake);
  g_autofree char *text = g_strjoinv ("\n", demo);

  gtk_window_present (GTK_WINDOW (fixture->window));
  lens_test_spin_for (300);
  lens_test_save_window_png (GTK_WIDGET (fixture->window), "window-empty.png");

  add_ids (fixture, text);
  lens_window_select_task (fixture->window, CAT_ID);
  lens_test_spin_for (1500);
  lens_test_save_window_png (GTK_WIDGET (fixture->window), "window-tasks.png");
}

/* Quit and start again: the list comes back as it was, in order, with the
 * selection, and finished tasks are not looked up again. */
static void
test_restart_keeps_list (Fixture       *fixture,
                         gconstpointer  data)
{
  guint n_requests;
  LensTask *task;

  add_ids (fixture, GIRL_ID " " CAT_ID " " UNKNOWN_ID);
  lens_window_select_task (fixture->window, CAT_ID);
  n_requests = lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks");
  lens_test_app_stop (fixture);

  lens_test_app_start (fixture);
  g_assert_cmpuint (n_tasks (fixture), ==, 3);
  task = g_list_model_get_item (G_LIST_MODEL (tasks_of (fixture)), 0);
  g_assert_cmpstr (lens_task_get_id (task), ==, GIRL_ID);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpstr (lens_task_get_prompt (task), ==, "A beautiful girl");
  g_object_unref (task);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (tasks_of (fixture), UNKNOWN_ID)), ==,
                   LENS_TASK_STATE_NOT_FOUND);
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, CAT_ID);

  lens_test_spin_for (300);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, n_requests);
}

typedef struct
{
  Fixture *fixture;
  char    *page;            /* owned: the window's page when the first screen came */
  gboolean loading;         /* the history was still loading then */
  guint    n_first;         /* how many tasks that first change brought */
} FirstScreen;

static void
first_screen_cb (GListModel  *tasks,
                 guint        position,
                 guint        removed,
                 guint        added,
                 FirstScreen *seen)
{
  GtkStack *main_stack = GTK_STACK (lens_test_find_widget (GTK_WIDGET (seen->fixture->window), GTK_TYPE_STACK));
  g_autoptr(LensTask) first = NULL;

  if (seen->page != NULL)
    return;
  seen->page = g_strdup (gtk_stack_get_visible_child_name (main_stack));
  seen->loading = lens_context_get_loading (seen->fixture->context);
  seen->n_first = added;
  if (!seen->loading)
    return;
  /* Open, but not yet removable: the history that would remember the
   * removal is not there yet. */
  first = g_list_model_get_item (tasks, 1);
  lens_window_select_task (seen->fixture->window, lens_task_get_id (first));
  g_assert_true (lens_window_get_selected_task (seen->fixture->window) == first);
  gtk_widget_activate_action (GTK_WIDGET (seen->fixture->window), "win.remove", NULL);
  gtk_widget_activate_action (GTK_WIDGET (seen->fixture->window), "win.remove-task", "s",
                              lens_task_get_id (first));
  gtk_widget_activate_action (GTK_WIDGET (seen->fixture->window), "win.remove-finished", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, added);
}

/* A long history shows its first screen while the rest loads: the list,
 * not the loading page, and its tasks can be opened; removing waits for
 * the whole (the first start opened the first task: the one opened while
 * loading is the one open after). */
static void
test_first_screen_while_loading (Fixture       *fixture,
                                 gconstpointer  data)
{
  guint n = LENS_CONTEXT_FIRST_SCREEN_TASKS + 20;
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, n);
  g_autofree char *text = g_strjoinv ("\n", ids);
  FirstScreen seen = { fixture, NULL, FALSE, 0 };

  add_ids (fixture, text);
  LENS_TEST_SPIN_UNTIL (n_tasks (fixture) == n, LENS_TEST_DEADLINE_MS);
  wait_until_looked_up (fixture);
  lens_test_app_stop (fixture);

  lens_test_app_start_loading (fixture);
  g_signal_connect (tasks_of (fixture), "items-changed", G_CALLBACK (first_screen_cb), &seen);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (fixture->context), LENS_TEST_DEADLINE_MS);
  lens_test_spin_pending ();
  g_signal_handlers_disconnect_by_data (tasks_of (fixture), &seen);

  g_assert_true (seen.loading);
  g_assert_cmpuint (seen.n_first, ==, LENS_CONTEXT_FIRST_SCREEN_TASKS);
  g_assert_cmpstr (seen.page, ==, "tasks");
  g_assert_cmpuint (n_tasks (fixture), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (tasks_of (fixture)), i);

      g_assert_cmpstr (lens_task_get_id (task), ==, ids[i]);
    }
  /* The task opened while loading stays open, rather than the one open
   * when the app last ended. */
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, ids[1]);
  g_free (seen.page);
}

typedef struct
{
  gboolean done;
  char    *output;
} ProcessOutcome;

static void
process_done_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ProcessOutcome *outcome = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source_object), result, &outcome->output,
                                        NULL, NULL);
  outcome->done = TRUE;
}

/* Runs the real `tasklens` binary and waits for it, spinning this main loop
 * meanwhile (it may be talking to an application in this process). */
static char *
run_tasklens (const char * const *arguments)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  ProcessOutcome outcome = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("TASKLENS_BINARY"));
  for (guint i = 0; arguments[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) arguments[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, process_done_cb, &outcome);
  lens_test_spin_until (&outcome.done, LENS_TEST_DEADLINE_MS);
  g_assert_true (g_subprocess_get_successful (process));

  return outcome.output;
}

/* `tasklens --help` tells of --sync. */
static void
test_help (void)
{
  const char *arguments[] = { "--help", NULL };
  g_autofree char *output = run_tasklens (arguments);

  g_assert_nonnull (strstr (output, "--sync"));
  g_assert_nonnull (strstr (output, "Bring in the tasks the API token made"));
}

static void
test_version (void)
{
  const char *arguments[] = { "--version", NULL };
  g_autofree char *output = run_tasklens (arguments);

  g_assert_cmpstr (output, ==, "Tasklens " PACKAGE_VERSION "\n");
}

/* `tasklens --sync ID FILE` hands its arguments to the running Tasklens:
 * the ids are added, the file imported and the account synced there. */
static void
test_command_line_forwarding (void)
{
  g_autoptr(LensFakeApi) fake = lens_fake_api_new (TOKEN);
  g_autoptr(LensApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklens-forward-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "more.csv", NULL);
  g_autofree char *output = NULL;
  const char *arguments[] = { "--sync", CAT_ID, path, NULL };
  g_auto(GStrv) account = NULL;
  LensTaskList *tasks;

  lens_fake_api_start (fake, 0, &error);
  g_assert_no_error (error);
  account = lens_fake_api_seed_account (fake, 60, g_get_real_time () / G_USEC_PER_SEC);
  g_setenv ("TASKLENS_API_URL", lens_fake_api_get_url (fake), TRUE);
  g_setenv ("ACEDATA_API_TOKEN", TOKEN, TRUE);
  g_setenv ("TASKLENS_DATA_DIR", dir, TRUE);
  g_assert_true (g_file_set_contents (path, "id\n" GIRL_ID "\n", -1, NULL));

  /* The primary instance, under the real application id. */
  app = lens_application_new (APPLICATION_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (lens_application_get_context (app)), LENS_TEST_DEADLINE_MS);

  output = run_tasklens (arguments);
  tasks = lens_context_get_task_list (lens_application_get_context (app));
  /* The three arrive in any order: the sync may well bring its first page
   * before the import has read its file. */
  LENS_TEST_SPIN_UNTIL (lens_task_list_lookup (tasks, CAT_ID) != NULL, LENS_TEST_DEADLINE_MS);
  LENS_TEST_SPIN_UNTIL (lens_task_list_lookup (tasks, GIRL_ID) != NULL, LENS_TEST_DEADLINE_MS);
  for (guint i = 0; account[i] != NULL; i++)
    LENS_TEST_SPIN_UNTIL (lens_task_list_lookup (tasks, account[i]) != NULL, LENS_TEST_DEADLINE_MS);

  g_signal_emit_by_name (app, "shutdown");
  lens_test_spin_pending ();
  /* See lens_test_app_stop(): it stays registered until the program ends. */
  g_object_ref (app);
  g_unlink (path);
  lens_test_remove_tree (dir);
}

/* The token the environment gives is used, and taken out of the
 * environment: nothing Tasklens starts (a browser opening a link) inherits
 * it. */
static void
test_token_not_inherited (void)
{
  g_autoptr(LensFakeApi) fake = lens_fake_api_new (TOKEN);
  g_autoptr(LensApplication) app = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklens-token-XXXXXX", NULL);
  g_autofree char *child_env = NULL;
  LensContext *context;

  lens_fake_api_start (fake, 0, &error);
  g_assert_no_error (error);
  g_setenv ("TASKLENS_API_URL", lens_fake_api_get_url (fake), TRUE);
  g_setenv ("TASKLENS_DATA_DIR", dir, TRUE);
  g_setenv ("ACEDATA_API_TOKEN", TOKEN, TRUE);

  app = lens_application_new (APPLICATION_ID ".TokenTest", G_APPLICATION_NON_UNIQUE);
  g_assert_null (g_getenv ("ACEDATA_API_TOKEN"));
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  context = lens_application_get_context (app);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);

  g_assert_null (g_getenv ("ACEDATA_API_TOKEN"));
  g_assert_cmpstr (lens_account_get_token (lens_context_get_account (context)), ==, TOKEN);

  /* What a program started from here sees. */
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "env", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &child_env, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (child_env, "TASKLENS_DATA_DIR="));
  g_assert_null (strstr (child_env, "ACEDATA_API_TOKEN"));
  g_assert_null (strstr (child_env, TOKEN));

  g_signal_emit_by_name (app, "shutdown");
  lens_test_spin_pending ();
  /* See lens_test_app_stop(): it stays registered until the program ends. */
  g_object_ref (app);
  g_unsetenv ("TASKLENS_DATA_DIR");
  lens_test_remove_tree (dir);
}

/* The label of the item in @menu (sections included) that activates
 * @action, or NULL. */
static char *
menu_label_for (GMenuModel *menu,
                const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *item_action = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        {
          char *found = menu_label_for (section, action);

          if (found != NULL)
            return found;
          continue;
        }
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action)
          && g_strcmp0 (item_action, action) == 0
          && g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        return g_steal_pointer (&label);
    }
  return NULL;
}

/* Every menu of the window (the main menu on the empty page and on the
 * list, the search's, the selection's, the task page's Copy) is built when
 * it is first opened, and opens. */
static void
test_menus_built_when_opened (Fixture       *fixture,
                              gconstpointer  data)
{
  add_ids (fixture, CAT_ID);
  lens_window_select_task (LENS_WINDOW (fixture->window), CAT_ID);
  lens_test_settle ();
  g_assert_cmpuint (lens_test_open_menus (GTK_WIDGET (fixture->window)), ==, 5);
}

/* The main menu offers the sync, with Ctrl+Shift+R, which the shortcuts
 * dialog lists. */
static void
test_sync_in_menu (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkMenuButton *menu_button = GTK_MENU_BUTTON (lens_test_find_widget (GTK_WIDGET (fixture->window),
                                                                       GTK_TYPE_MENU_BUTTON));
  g_autofree char *label = NULL;
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app),
                                                                "app.sync");
  AdwDialog *dialog;

  /* The menu is built when it first opens (lens-lazy-menu.c). */
  g_assert_null (gtk_menu_button_get_popover (menu_button));
  gtk_menu_button_popup (menu_button);
  label = menu_label_for (gtk_menu_button_get_menu_model (menu_button), "app.sync");
  gtk_menu_button_popdown (menu_button);
  g_assert_cmpstr (label, ==, "_Sync With AceData");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sync"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "sync-cancel"));
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Shift><Control>r");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-shortcuts", NULL);
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->window));
  g_assert_nonnull (dialog);
  g_assert_nonnull (lens_test_find_titled (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW,
                                           "Sync with AceData"));
  adw_dialog_force_close (dialog);
}

/* The label the shortcuts dialog shows for @keyval with @modifiers; the
 * keypad's and ISO keyboards' twins of a key count as the key itself, which
 * the dialog lists once, and so does "=", "+" without Shift. */
static char *
shortcut_label (guint           keyval,
                GdkModifierType modifiers)
{
  switch (keyval)
    {
    case GDK_KEY_KP_Delete: keyval = GDK_KEY_Delete; break;
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter: keyval = GDK_KEY_Return; break;
    case GDK_KEY_KP_Add:
    case GDK_KEY_equal: keyval = GDK_KEY_plus; break;
    case GDK_KEY_KP_Subtract: keyval = GDK_KEY_minus; break;
    case GDK_KEY_KP_Up: keyval = GDK_KEY_Up; break;
    case GDK_KEY_KP_Down: keyval = GDK_KEY_Down; break;
    case GDK_KEY_KP_Home: keyval = GDK_KEY_Home; break;
    case GDK_KEY_KP_End: keyval = GDK_KEY_End; break;
    default: break;
    }
  return gtk_accelerator_get_label (keyval, modifiers);
}

/* Adds the labels of the key shortcuts @widget itself handles to @labels:
 * those that activate a "win.", "window.", "selection." (Ctrl+A) or (the
 * image viewer's) "viewer." action (GTK's own bindings,
 * such as Tab or the inspector's, emit signals), and, with @callbacks,
 * those a controller of the capture phase takes to call a function (the
 * Add dialog's Ctrl+Enter; GTK and libadwaita bind theirs, such as Return
 * for the default button or Ctrl+Shift+I for the inspector, in the bubble
 * phase). Escape closes any dialog and is not listed. */
typedef struct
{
  gboolean    callbacks;
  GHashTable *labels;
} Collected;

static void
collect_shortcut (GtkShortcutController *controller,
                  GtkShortcut           *shortcut,
                  gpointer               user_data)
{
  Collected *collected = user_data;
  GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
  GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
  guint keyval;

  if (!GTK_IS_KEYVAL_TRIGGER (trigger))
    return;
  keyval = gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger));
  if (keyval == GDK_KEY_Escape)
    return;
  if ((GTK_IS_NAMED_ACTION (action)
       && (g_str_has_prefix (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "win.")
           || g_str_has_prefix (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "window.")
           || g_str_has_prefix (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "selection.")
           || g_str_has_prefix (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "viewer.")))
      || (collected->callbacks && GTK_IS_CALLBACK_ACTION (action)
          && gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller))
             == GTK_PHASE_CAPTURE))
    g_hash_table_add (collected->labels,
                      shortcut_label (keyval, gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger))));
}

static void
collect_shortcuts (GtkWidget  *widget,
                   gboolean    callbacks,
                   GHashTable *labels)
{
  Collected collected = { callbacks, labels };

  lens_test_foreach_shortcut (widget, collect_shortcut, &collected);
}

/* The window, other than @parent, that @parent's application has for it
 * (the image viewer). */
static GtkWindow *
find_transient_of (LensWindow *parent)
{
  GList *windows = gtk_application_get_windows (gtk_window_get_application (GTK_WINDOW (parent)));

  for (GList *l = windows; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == GTK_WINDOW (parent))
      return l->data;
  return NULL;
}

/* Adds the label of a keycap to @labels. */
static void
collect_keycap (gpointer widget,
                gpointer labels)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "keycap"))
    g_hash_table_add (labels, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
}

/* The shortcuts dialog lists every shortcut the app has — the
 * application's accelerators, the window's bindings, the list's Shift
 * with the arrows, the Add dialog's Ctrl+Enter and the image viewer's
 * keys — and no other: a shortcut added without a line in the dialog,
 * or a line left for one gone, fails here. */
static void
test_shortcuts_dialog_complete (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (fixture->app));
  AdwDialog *dialog;
  GtkWindow *viewer;
  GHashTableIter iter;
  const char *label;

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app),
                                                                    actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval = 0;
          GdkModifierType modifiers = 0;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &modifiers));
          g_hash_table_add (set, shortcut_label (keyval, modifiers));
        }
    }
  collect_shortcuts (GTK_WIDGET (fixture->window), FALSE, set);
  /* The list's Shift with the arrows, Home and End. */
  collect_shortcuts (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_GRID_VIEW), TRUE, set);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-ids", NULL);
  lens_test_spin_pending ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->window));
  g_assert_true (LENS_IS_ADD_DIALOG (dialog));
  collect_shortcuts (GTK_WIDGET (dialog), TRUE, set);
  adw_dialog_force_close (dialog);
  lens_test_spin_pending ();

  add_ids (fixture, CAT_ID);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.view-image", NULL);
  viewer = find_transient_of (fixture->window);
  g_assert_nonnull (viewer);
  collect_shortcuts (GTK_WIDGET (viewer), FALSE, set);
  gtk_window_destroy (viewer);
  lens_test_spin_pending ();
  g_assert_true (g_hash_table_contains (set, "F11"));

  /* The two the issue found missing are among those set. */
  g_assert_true (g_hash_table_contains (set, "Ctrl+,"));
  g_assert_true (g_hash_table_size (set) >= 13);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-shortcuts", NULL);
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->window));
  g_assert_nonnull (dialog);
  lens_test_foreach_widget (GTK_WIDGET (dialog), collect_keycap, listed);
  adw_dialog_force_close (dialog);

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, (gpointer *) &label, NULL))
    if (!g_hash_table_contains (listed, label))
      g_error ("The shortcuts dialog does not list %s", label);
  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, (gpointer *) &label, NULL))
    if (!g_hash_table_contains (set, label))
      g_error ("The shortcuts dialog lists %s, which nothing sets", label);
}

/* The toast that says an image was saved offers to open it and to show it
 * in the file manager, both for that file. */
static void
test_saved_toast (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  const char *uri = "file:///tmp/cat.png";
  GtkWidget *show = NULL;
  GtkWidget *open = NULL;

  gtk_widget_activate_action (window, "win.toast-saved", "(ss)", "Saved “cat.png”", uri);
  LENS_TEST_SPIN_UNTIL ((show = lens_test_find_button (window, "Show in _Files")) != NULL,
                        LENS_TEST_DEADLINE_MS);
  open = lens_test_find_button (window, "_Open");
  g_assert_nonnull (open);
  g_assert_nonnull (lens_test_find_label (window, "Saved “cat.png”"));

  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (show)), ==, "win.show-saved");
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (show)),
                                         NULL), ==, uri);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (open)), ==, "win.open-saved");
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (open)),
                                         NULL), ==, uri);
}

/* The row of the list that shows @task's prompt. */
static GtkWidget *
row_showing (Fixture  *fixture,
             LensTask *task)
{
  GtkWidget *list_view = lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_GRID_VIEW);

  g_assert_nonnull (lens_task_get_prompt (task));
  for (GtkWidget *cell = gtk_widget_get_first_child (list_view); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *row = lens_test_find_widget (cell, LENS_TYPE_TASK_ROW);

      if (row != NULL && lens_test_find_label (row, lens_task_get_prompt (task)) != NULL)
        return row;
    }
  g_assert_not_reached ();
}

/* The gesture of @type (a click or a long press) @row has. */
static GtkGesture *
gesture_of (GtkWidget *row,
            GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_OBJECT_TYPE (controller) == type)
        return GTK_GESTURE (controller);
    }
  return NULL;
}

/* "label → action(target)" for each item of @menu and its sections. */
static void
describe_menu (GMenuModel *menu,
               GString    *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;

      if (section != NULL)
        {
          describe_menu (section, out);
          continue;
        }
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
      g_string_append_printf (out, "%s → %s(%s)\n", label, action,
                              target != NULL ? g_variant_get_string (target, NULL) : "");
    }
}

/* A right-click on a row opens a menu for that row's task (not the
 * selected one), and its items act on that task. */
static void
test_row_menu (Fixture       *fixture,
               gconstpointer  data)
{
  LensTask *girl;
  GtkWidget *row;
  GtkWidget *popover;
  g_autoptr(GString) items = g_string_new (NULL);

  add_ids (fixture, CAT_ID "\n" GIRL_ID);
  lens_window_select_task (LENS_WINDOW (fixture->window), CAT_ID);
  girl = lens_task_list_lookup (tasks_of (fixture), GIRL_ID);
  lens_test_settle ();
  row = row_showing (fixture, girl);

  g_signal_emit_by_name (gesture_of (row, GTK_TYPE_GESTURE_CLICK), "pressed", 1, 10.0, 10.0);
  popover = lens_test_find_widget (row, GTK_TYPE_POPOVER_MENU);
  g_assert_nonnull (popover);
  LENS_TEST_SPIN_UNTIL (gtk_widget_get_mapped (popover), LENS_TEST_DEADLINE_MS);
  describe_menu (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)), items);
  g_assert_cmpstr (items->str, ==,
                   "_Open → win.open-task(" GIRL_ID ")\n"
                   "Copy _ID → win.copy-task-id(" GIRL_ID ")\n"
                   "Copy _Prompt → win.copy-task-prompt(" GIRL_ID ")\n"
                   "_Save Image… → win.save-task(" GIRL_ID ")\n"
                   "_Refresh → win.refresh-task(" GIRL_ID ")\n"
                   "Re_move → win.remove-task(" GIRL_ID ")\n");

  /* A task without a prompt or an image offers neither to copy nor to save. */
  {
    g_autoptr(LensTask) unknown = lens_task_new (UNKNOWN_ID);
    g_autoptr(GMenuModel) model = NULL;
    g_autoptr(GString) unknown_items = g_string_new (NULL);

    lens_task_mark_not_found (unknown);
    model = lens_row_menu_new_model (unknown);
    describe_menu (model, unknown_items);
    g_assert_null (strstr (unknown_items->str, "Copy _Prompt"));
    g_assert_null (strstr (unknown_items->str, "_Save Image…"));
    g_assert_nonnull (strstr (unknown_items->str, "Re_move → win.remove-task(" UNKNOWN_ID ")"));
  }

  /* A finished video task saves its video instead (the task view saves
   * the one it shows). */
  {
    g_autoptr(LensTask) video = lens_task_new (VIDEO_ID);
    g_autoptr(JsonNode) record = json_from_string ("{\"id\": \"" VIDEO_ID "\", \"type\": \"videos\","
                                                   " \"response\": {\"success\": true, \"progress\": 100,"
                                                   " \"video_urls\": [\"https://x.test/0.mp4\"]}}", NULL);
    g_autoptr(GMenuModel) model = NULL;
    g_autoptr(GString) video_items = g_string_new (NULL);

    lens_task_update_from_json (video, record);
    model = lens_row_menu_new_model (video);
    describe_menu (model, video_items);
    g_assert_nonnull (strstr (video_items->str, "_Save Video… → win.save-task(" VIDEO_ID ")"));
    g_assert_null (strstr (video_items->str, "_Save Image…"));
  }

  /* Closed, the menu goes with its popover. */
  gtk_popover_popdown (GTK_POPOVER (popover));
  LENS_TEST_SPIN_UNTIL (lens_test_find_widget (row, GTK_TYPE_POPOVER_MENU) == NULL, LENS_TEST_DEADLINE_MS);

  /* A long press, on a touch screen, opens the same menu. */
  g_signal_emit_by_name (gesture_of (row, GTK_TYPE_GESTURE_LONG_PRESS), "pressed", 10.0, 10.0);
  popover = lens_test_find_widget (row, GTK_TYPE_POPOVER_MENU);
  g_assert_nonnull (popover);
  gtk_popover_popdown (GTK_POPOVER (popover));
  LENS_TEST_SPIN_UNTIL (lens_test_find_widget (row, GTK_TYPE_POPOVER_MENU) == NULL, LENS_TEST_DEADLINE_MS);

  /* Remove acts on the task pressed; the selection stays on its own. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove-task", "s", GIRL_ID);
  g_assert_null (lens_task_list_lookup (tasks_of (fixture), GIRL_ID));
  g_assert_nonnull (lens_task_list_lookup (tasks_of (fixture), CAT_ID));
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (LENS_WINDOW (fixture->window))), ==,
                   CAT_ID);

  /* Open selects the task named and shows it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo-remove", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-task", "s", GIRL_ID);
  LENS_TEST_SPIN_UNTIL (lens_window_get_selected_task (LENS_WINDOW (fixture->window))
                        == lens_task_list_lookup (tasks_of (fixture), GIRL_ID), LENS_TEST_DEADLINE_MS);
}

/* The tasks the Add dialog adds are what the user wants to see next: the
 * first new one is selected (and scrolled to), not left somewhere below. */
static void
test_add_dialog_selects_new (Fixture       *fixture,
                             gconstpointer  data)
{
  AdwDialog *dialog;

  add_ids (fixture, CAT_ID);
  lens_window_select_task (LENS_WINDOW (fixture->window), CAT_ID);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-ids", NULL);
  lens_test_spin_pending ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->window));
  lens_add_dialog_set_text (LENS_ADD_DIALOG (dialog), CAT_ID "\n" UNKNOWN_ID "\n" GIRL_ID);
  g_signal_emit_by_name (lens_test_find_button (GTK_WIDGET (dialog), "_Add"), "clicked");
  wait_until_looked_up (fixture);

  LENS_TEST_SPIN_UNTIL (g_strcmp0 (lens_task_get_id (lens_window_get_selected_task (LENS_WINDOW (fixture->window))),
                                   UNKNOWN_ID) == 0, LENS_TEST_DEADLINE_MS);
}

/* The empty window offers to bring the account's tasks in only once there
 * is a token to do it with. */
static void
test_sync_on_empty_page (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkStack *main_stack = GTK_STACK (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_STACK));
  GtkWidget *button;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "empty");
  button = lens_test_find_button (GTK_WIDGET (fixture->window), "_Bring In My Tasks");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.sync");

  lens_test_app_stop (fixture);
  fixture->token = NULL;
  lens_test_app_start (fixture);
  button = lens_test_find_button (GTK_WIDGET (fixture->window), "_Bring In My Tasks");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_visible (button));
  /* Paste and import stay. */
  g_assert_true (gtk_widget_get_visible (lens_test_find_button (GTK_WIDGET (fixture->window),
                                                                "_Paste IDs")));
}

/* ─── the account's sync, end to end against the fake server ───────────── */

static LensSyncBar *
sync_bar_of (Fixture *fixture)
{
  return LENS_SYNC_BAR (lens_test_find_widget (GTK_WIDGET (fixture->window), LENS_TYPE_SYNC_BAR));
}

static void
count_finished_cb (LensSync     *sync,
                   const GError *error,
                   gpointer      user_data)
{
  GError **last = user_data;

  g_clear_error (last);
  *last = error != NULL ? g_error_copy (error) : g_error_new_literal (G_IO_ERROR, 0, "none");
}

/* app.sync (Sync With AceData, Bring In My Tasks) brings in every task the
 * account has. While it runs the list is shown, with the bar above it
 * saying how far; once done the bar goes, and the context's message says
 * what came in. */
static void
test_sync_action (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(GStrv) seeded = lens_fake_api_seed_account (fixture->fake, 180,
                                                      g_get_real_time () / G_USEC_PER_SEC);
  g_auto(GStrv) listed = lens_fake_api_list_ids (fixture->fake);
  LensFakeLimits limits = { .latency_ms = 100 };
  LensSync *sync = lens_context_get_sync (fixture->context);
  LensSyncBar *bar = sync_bar_of (fixture);
  GtkStack *main_stack = GTK_STACK (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_STACK));
  g_autofree char *progress = NULL;

  lens_fake_api_set_limits (fixture->fake, &limits);
  g_assert_false (lens_sync_bar_get_revealed (bar));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync", NULL);

  LENS_TEST_SPIN_UNTIL (lens_sync_get_n_total (sync) > 0 && lens_sync_get_running (sync),
                        LENS_TEST_DEADLINE_MS);
  g_assert_true (lens_sync_bar_get_revealed (bar));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "tasks");
  /* The C locale groups no digits. */
  progress = g_strdup_printf ("Syncing… %u of %u", lens_sync_get_n_done (sync),
                              lens_sync_get_n_total (sync));
  g_assert_nonnull (lens_test_find_label (GTK_WIDGET (bar), progress));
  g_assert_cmpuint (lens_sync_get_n_total (sync), ==, g_strv_length (listed));

  LENS_TEST_SPIN_UNTIL (!lens_sync_get_running (sync), LENS_TEST_DEADLINE_MS);
  g_assert_false (lens_sync_bar_get_revealed (bar));
  for (guint i = 0; listed[i] != NULL; i++)
    g_assert_nonnull (lens_task_list_lookup (tasks_of (fixture), listed[i]));
  g_assert_cmpuint (n_tasks (fixture), ==, g_strv_length (listed));
  g_assert_cmpuint (g_strv_length (seeded), ==, 180);
}

/* The bar's stop button stops the sync; what came in stays, and nothing
 * more is said. */
static void
test_sync_stop (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(GStrv) seeded = lens_fake_api_seed_account (fixture->fake, 400,
                                                      g_get_real_time () / G_USEC_PER_SEC);
  LensFakeLimits limits = { .latency_ms = 300 };
  LensSync *sync = lens_context_get_sync (fixture->context);
  LensSyncBar *bar = sync_bar_of (fixture);
  g_autoptr(GError) finished = NULL;
  GtkWidget *stop;

  lens_fake_api_set_limits (fixture->fake, &limits);
  g_signal_connect (sync, "finished", G_CALLBACK (count_finished_cb), &finished);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync", NULL);
  LENS_TEST_SPIN_UNTIL (lens_sync_get_running (sync), LENS_TEST_DEADLINE_MS);

  stop = lens_test_find_titled (GTK_WIDGET (bar), GTK_TYPE_BUTTON, NULL);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (stop), ==, "Stop Syncing");
  g_signal_emit_by_name (stop, "clicked");
  LENS_TEST_SPIN_UNTIL (finished != NULL, LENS_TEST_DEADLINE_MS);
  g_assert_error (finished, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  LENS_TEST_SPIN_UNTIL (!lens_sync_get_running (sync), LENS_TEST_DEADLINE_MS);
  g_assert_false (lens_sync_bar_get_revealed (bar));
  g_assert_cmpuint (n_tasks (fixture), <, g_strv_length (seeded) + 1);
  g_signal_handlers_disconnect_by_func (sync, count_finished_cb, &finished);
}

/* A listing the server refuses (a 400: this token may not list) is said in
 * the bar with Try Again; the list keeps what it had; Try Again syncs. */
static void
test_sync_failure (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(GStrv) seeded = lens_fake_api_seed_account (fixture->fake, 30,
                                                      g_get_real_time () / G_USEC_PER_SEC);
  g_auto(GStrv) listed = lens_fake_api_list_ids (fixture->fake);
  LensFakeFault refusal = { .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_LISTING,
                            .status = 400, .retry_after = -1 };
  LensSync *sync = lens_context_get_sync (fixture->context);
  LensSyncBar *bar = sync_bar_of (fixture);
  g_autoptr(GError) finished = NULL;
  GtkWidget *retry;

  add_ids (fixture, CAT_ID);
  lens_fake_api_push_fault (fixture->fake, &refusal, 1);
  g_signal_connect (sync, "finished", G_CALLBACK (count_finished_cb), &finished);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sync", NULL);
  LENS_TEST_SPIN_UNTIL (finished != NULL && !lens_sync_get_running (sync), LENS_TEST_DEADLINE_MS);
  g_assert_nonnull (finished->message);
  g_assert_true (lens_sync_bar_get_revealed (bar));
  g_assert_nonnull (lens_test_find_label (GTK_WIDGET (bar), finished->message));
  g_assert_cmpuint (n_tasks (fixture), ==, 1);

  g_clear_error (&finished);
  retry = lens_test_find_button (GTK_WIDGET (bar), "_Try Again");
  g_assert_nonnull (retry);
  g_signal_emit_by_name (retry, "clicked");
  LENS_TEST_SPIN_UNTIL (finished != NULL && !lens_sync_get_running (sync), LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (finished->message, ==, "none");
  g_assert_false (lens_sync_bar_get_revealed (bar));
  g_assert_cmpuint (n_tasks (fixture), ==, g_strv_length (listed));
  g_assert_cmpuint (g_strv_length (seeded), ==, 30);
  g_signal_handlers_disconnect_by_func (sync, count_finished_cb, &finished);
}

/* What the context says (here: what adding did) is shown in a toast. */
static void
test_messages_are_toasts (Fixture       *fixture,
                          gconstpointer  data)
{
  add_ids (fixture, CAT_ID "\n" GIRL_ID "\nnoise");
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (GTK_WIDGET (fixture->window),
                                              "Added 2 tasks · 1 line not recognised") != NULL,
                        LENS_TEST_DEADLINE_MS);
}

/* Without a token, once the keyring has had its say, a banner asks for one
 * and its button opens Preferences. */
static void
test_banner_asks_for_token (Fixture       *fixture,
                            gconstpointer  data)
{
  LensPauseBanner *banner;
  AdwDialog *dialog;

  lens_test_app_stop (fixture);
  fixture->token = NULL;
  lens_test_app_start (fixture);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "add-ids", g_variant_new_string (CAT_ID));

  banner = LENS_PAUSE_BANNER (lens_test_find_widget (GTK_WIDGET (fixture->window), LENS_TYPE_PAUSE_BANNER));
  LENS_TEST_SPIN_UNTIL (lens_pause_banner_get_revealed (banner), LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (lens_pause_banner_get_title (banner), ==, "Add your AceData API token to look up tasks");
  g_assert_cmpstr (lens_pause_banner_get_button_label (banner), ==, "_Add Token…");
  g_assert_null (lens_pause_banner_get_secondary_label (banner));

  g_signal_emit_by_name (lens_test_find_button (GTK_WIDGET (banner), "_Add Token…"), "clicked");
  lens_test_spin_pending ();
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->window));
  g_assert_nonnull (dialog);
  adw_dialog_force_close (dialog);
}

/* Only the rows around what is shown are made, bound and given their
 * records: some thirty, not the 200 a GtkListView keeps, however long the
 * list (lens-window.c, setup_list()). */
static void
test_few_rows_bound (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (1, 1000);
  LensRecordLoader *loader = lens_context_get_record_loader (fixture->context);

  add_ids (fixture, text);
  LENS_TEST_SPIN_UNTIL (n_tasks (fixture) == 1000, LENS_TEST_DEADLINE_MS);
  lens_test_spin_for (200);

  g_test_message ("%u rows bound for 1000 tasks", lens_record_loader_get_n_held (loader));
  g_assert_cmpuint (lens_record_loader_get_n_held (loader), >, 0);
  /* The rows bound, and the task shown in full. */
  g_assert_cmpuint (lens_record_loader_get_n_held (loader), <=, 40);
}

/* A fling through 1,000 finished tasks (looked up within the deadline under
 * AddressSanitizer too, where 3,000 took over 90 s) whose thumbnails come from a
 * slow host, while the rows pass by faster than their records and images
 * arrive: every row bound and unbound, every fetch started and cancelled.
 * The app stays up (GTK's and libsoup's criticals are fatal here), and at
 * rest only the rows on screen are fetched. */
static void
test_fling_through_history (Fixture       *fixture,
                            gconstpointer  data)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, 1000);
  g_autofree char *text = g_strjoinv ("\n", ids);
  GtkGridView *grid = GTK_GRID_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_GRID_VIEW));
  GtkAdjustment *adjustment;
  guint steps = 0, after;

  add_ids (fixture, text);
  LENS_TEST_SPIN_UNTIL (n_tasks (fixture) == 1000, LENS_TEST_DEADLINE_MS);
  wait_until_looked_up (fixture);

  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_DELAY, 100, G_MAXUINT);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  while (gtk_adjustment_get_value (adjustment)
         < gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment))
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                            + 4 * gtk_adjustment_get_page_size (adjustment));
      lens_test_spin_for (16);
      steps++;
    }
  /* And back to the top, as fast. */
  while (gtk_adjustment_get_value (adjustment) > 0)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                            - 4 * gtk_adjustment_get_page_size (adjustment));
      lens_test_spin_for (16);
      steps++;
    }
  lens_test_spin_for (1500);
  after = lens_test_count_media_requests (fixture->fake);
  lens_test_spin_for (1000);
  g_test_message ("%u steps; %u image requests", steps, after);
  g_assert_cmpuint (steps, >, 20);
  /* At rest, nothing more is fetched than the rows on screen asked for. */
  g_assert_cmpuint (lens_test_count_media_requests (fixture->fake) - after, <=, 40);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (grid)));
  lens_fake_api_clear_faults (fixture->fake);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/window/add-ids-action", Fixture, NULL, fixture_set_up, test_add_ids_action, fixture_tear_down);
  g_test_add ("/window/few-rows-bound", Fixture, NULL, fixture_set_up, test_few_rows_bound, fixture_tear_down);
  g_test_add ("/window/fling-through-history", Fixture, NULL, fixture_set_up, test_fling_through_history,
              fixture_tear_down);
  g_test_add ("/window/add-dialog", Fixture, NULL, fixture_set_up, test_add_dialog, fixture_tear_down);
  g_test_add ("/window/drop", Fixture, NULL, fixture_set_up, test_drop, fixture_tear_down);
  g_test_add ("/window/messages-are-toasts", Fixture, NULL, fixture_set_up, test_messages_are_toasts,
              fixture_tear_down);
  g_test_add ("/window/narrow-tap-opens-task", Fixture, NULL, fixture_set_up,
              test_narrow_tap_opens_task, fixture_tear_down);
  g_test_add ("/window/banner-asks-for-token", Fixture, NULL, fixture_set_up, test_banner_asks_for_token,
              fixture_tear_down);
  g_test_add ("/window/select-shows-task", Fixture, NULL, fixture_set_up, test_select_shows_task, fixture_tear_down);
  g_test_add ("/window/pages-switch-at-once", Fixture, NULL, fixture_set_up, test_pages_switch_at_once,
              fixture_tear_down);
  g_test_add ("/window/upscale-title", Fixture, NULL, fixture_set_up, test_upscale_title, fixture_tear_down);
  g_test_add ("/window/search-filters", Fixture, NULL, fixture_set_up, test_search_filters, fixture_tear_down);
  g_test_add ("/window/remove-and-undo", Fixture, NULL, fixture_set_up, test_remove_and_undo, fixture_tear_down);
  g_test_add ("/window/narrow-layout", Fixture, NULL, fixture_set_up, test_narrow_layout, fixture_tear_down);
  g_test_add ("/window/restart-keeps-list", Fixture, NULL, fixture_set_up, test_restart_keeps_list, fixture_tear_down);
  g_test_add ("/window/first-screen-while-loading", Fixture, NULL, fixture_set_up,
              test_first_screen_while_loading, fixture_tear_down);
  g_test_add_func ("/window/command-line/version", test_version);
  g_test_add_func ("/window/command-line/help", test_help);
  g_test_add ("/window/sync/menu", Fixture, NULL, fixture_set_up, test_sync_in_menu, fixture_tear_down);
  g_test_add ("/window/sync/empty-page", Fixture, NULL, fixture_set_up, test_sync_on_empty_page,
              fixture_tear_down);
  g_test_add ("/window/sync/action", Fixture, NULL, fixture_set_up, test_sync_action, fixture_tear_down);
  g_test_add ("/window/sync/stop", Fixture, NULL, fixture_set_up, test_sync_stop, fixture_tear_down);
  g_test_add ("/window/sync/failure", Fixture, NULL, fixture_set_up, test_sync_failure, fixture_tear_down);
  g_test_add_func ("/window/command-line/forwarding", test_command_line_forwarding);
  g_test_add_func ("/window/command-line/token-not-inherited", test_token_not_inherited);
  g_test_add ("/window/shortcuts-dialog-complete", Fixture, NULL, fixture_set_up,
              test_shortcuts_dialog_complete, fixture_tear_down);
  g_test_add ("/window/menus-built-when-opened", Fixture, NULL, fixture_set_up,
              test_menus_built_when_opened, fixture_tear_down);
  g_test_add ("/window/saved-toast", Fixture, NULL, fixture_set_up, test_saved_toast, fixture_tear_down);
  g_test_add ("/window/row-menu", Fixture, NULL, fixture_set_up, test_row_menu, fixture_tear_down);
  g_test_add ("/window/add-dialog-selects-new", Fixture, NULL, fixture_set_up,
              test_add_dialog_selects_new, fixture_tear_down);
  g_test_add ("/window/render", Fixture, NULL, fixture_set_up, test_render, fixture_tear_down);

  return g_test_run ();
}
