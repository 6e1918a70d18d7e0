/* test-add-dialog.c — the Add Task IDs dialog scans large texts in a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A paste of 10,000 ids must not stall the main loop while the dialog says
 * what Add would do: the text is scanned in a worker, the line under it
 * shows the last scan that finished, a newer text supersedes an older scan,
 * and Add waits for the scan of the text as it is. (What the summary says
 * for a short text, at once, is checked in test-window and test-korean.)
 * Add names the first id new to the list, so that the window need not scan
 * the text again. Ctrl+Enter adds rather than making a new line. (That the text has the
 * focus when the window opens the dialog is checked in test-window.)
 */

#include "config.h"

#include "lens-add-dialog.h"
#include "lens-test.h"
#include "lens-test-ui.h"

typedef struct
{
  LensTaskList  *tasks;
  LensAddDialog *dialog;
  GPtrArray     *summaries;  /* of char*: every text the summary line showed */
  GPtrArray     *added;      /* of char*: the texts of "add" */
  GPtrArray     *first_new;  /* of char* (nullable): the first new ids "add" named */
} Fixture;

static void
summary_shown_cb (GtkLabel   *label,
                  GParamSpec *pspec,
                  Fixture    *fixture)
{
  g_ptr_array_add (fixture->summaries, g_strdup (gtk_label_get_text (label)));
}

static void
add_cb (LensAddDialog *dialog,
        const char    *text,
        const char    *first_new_id,
        Fixture       *fixture)
{
  g_ptr_array_add (fixture->added, g_strdup (text));
  g_ptr_array_add (fixture->first_new, g_strdup (first_new_id));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *label;

  fixture->tasks = lens_task_list_new ();
  fixture->dialog = g_object_ref_sink (lens_add_dialog_new (fixture->tasks));
  fixture->summaries = g_ptr_array_new_with_free_func (g_free);
  fixture->added = g_ptr_array_new_with_free_func (g_free);
  fixture->first_new = g_ptr_array_new_with_free_func (g_free);
  /* Shown in a window of its own, as without a parent. */
  adw_dialog_present (ADW_DIALOG (fixture->dialog), NULL);

  label = lens_test_find_label (GTK_WIDGET (fixture->dialog), "No task IDs yet");
  g_assert_nonnull (label);
  g_signal_connect (label, "notify::label", G_CALLBACK (summary_shown_cb), fixture);
  g_signal_connect (fixture->dialog, "add", G_CALLBACK (add_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Add closes it; otherwise it is closed here. A scan still running holds
   * it until it comes back cancelled. */
  if (gtk_widget_get_root (GTK_WIDGET (fixture->dialog)) != NULL)
    adw_dialog_force_close (ADW_DIALOG (fixture->dialog));
  lens_test_finalize_eventually (&fixture->dialog);
  g_clear_object (&fixture->tasks);
  g_ptr_array_unref (fixture->summaries);
  g_ptr_array_unref (fixture->added);
  g_ptr_array_unref (fixture->first_new);
}

static gboolean
summary_is (Fixture    *fixture,
            const char *expected)
{
  return g_str_equal (lens_add_dialog_get_summary (fixture->dialog), expected);
}

static GtkWidget *
add_button_of (Fixture *fixture)
{
  GtkWidget *button = lens_test_find_button (GTK_WIDGET (fixture->dialog), "_Add");

  g_assert_nonnull (button);
  return button;
}

static GtkTextView *
text_view_of (Fixture *fixture)
{
  return GTK_TEXT_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->dialog), GTK_TYPE_TEXT_VIEW));
}

/* Activates the shortcut for @keyval with Ctrl that the dialog takes in the
 * capture phase, as GTK does with a key press on its way to the focused
 * text view (GTK 4 has no public way to synthesise the key event itself).
 * Returns: whether there was one. A shortcut of the bubble phase would not
 * do: the text view handles Return first and makes a new line. */
static gboolean
press_ctrl (Fixture *fixture,
            guint    keyval)
{
  GtkWidget *dialog = GTK_WIDGET (fixture->dialog);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (dialog);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, GDK_CONTROL_MASK);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller)
          || gtk_event_controller_get_propagation_phase (controller) != GTK_PHASE_CAPTURE)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, dialog, NULL);
        }
    }
  return FALSE;
}

/* Tests */

/* Ctrl+Enter (@data: Return, or Enter on the keypad) adds what was typed,
 * once the preview has caught up with the typing, and closes the dialog. */
static void
test_ctrl_enter_adds (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *id = lens_test_make_id (1);

  /* As typing does: the buffer changes, the preview is due later. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_view_of (fixture)), id, -1);
  g_assert_true (press_ctrl (fixture, GPOINTER_TO_UINT (data)));

  LENS_TEST_SPIN_UNTIL (fixture->added->len == 1, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (g_ptr_array_index (fixture->added, 0), ==, id);
  LENS_TEST_SPIN_UNTIL (gtk_widget_get_root (GTK_WIDGET (fixture->dialog)) == NULL,
                        LENS_TEST_DEADLINE_MS);
}

/* With nothing to add, Ctrl+Enter is still taken: no new line appears. */
static void
test_ctrl_enter_without_ids (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text_view_of (fixture));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  lens_add_dialog_set_text (fixture->dialog, "no ids here");
  g_assert_false (gtk_widget_get_sensitive (add_button_of (fixture)));
  g_assert_true (press_ctrl (fixture, GDK_KEY_Return));
  lens_test_spin_for (200);

  g_assert_cmpuint (fixture->added->len, ==, 0);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "no ids here");
}

/* Setting a large text does not scan it on the spot: the line catches up
 * once the worker is done. */
static void
test_large_text_scanned_in_worker (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (0, 10000);
  g_autofree char *listed = lens_test_make_id (0);

  lens_task_list_add_ids (fixture->tasks, (const char *[]) { listed, NULL }, NULL);
  lens_add_dialog_set_text (fixture->dialog, text);
  g_assert_cmpstr (lens_add_dialog_get_summary (fixture->dialog), ==, "No task IDs yet");
  g_assert_false (gtk_widget_get_sensitive (add_button_of (fixture)));

  LENS_TEST_SPIN_UNTIL (!summary_is (fixture, "No task IDs yet"), LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (lens_add_dialog_get_summary (fixture->dialog), ==,
                   "9999 new · 1 already in the list");
  g_assert_true (gtk_widget_get_sensitive (add_button_of (fixture)));
}

/* A newer text supersedes the scan of an older one: the older, larger
 * text's summary never shows, not even when its scan ends last. */
static void
test_newer_text_wins (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *older = lens_test_make_id_lines (0, 20000);
  g_autofree char *newer = lens_test_make_id_lines (0, 1000);

  lens_add_dialog_set_text (fixture->dialog, older);
  lens_add_dialog_set_text (fixture->dialog, newer);
  LENS_TEST_SPIN_UNTIL (summary_is (fixture, "1000 new"), LENS_TEST_DEADLINE_MS);
  /* Long enough for the older scan to have ended too. */
  lens_test_spin_for (500);

  g_assert_cmpstr (lens_add_dialog_get_summary (fixture->dialog), ==, "1000 new");
  for (guint i = 0; i < fixture->summaries->len; i++)
    g_assert_cmpstr (g_ptr_array_index (fixture->summaries, i), !=, "20000 new");
}

/* Add pressed while the preview is behind the text (the user just pasted)
 * adds only once the scan has caught up, and only once. */
static void
test_add_waits_for_scan (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (0, 10000);
  GtkTextView *view = GTK_TEXT_VIEW (lens_test_find_widget (GTK_WIDGET (fixture->dialog),
                                                            GTK_TYPE_TEXT_VIEW));

  /* As a paste does: the buffer changes, and the preview is due later. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
  g_signal_emit_by_name (add_button_of (fixture), "clicked");
  g_signal_emit_by_name (add_button_of (fixture), "clicked");
  g_assert_cmpuint (fixture->added->len, ==, 0);

  LENS_TEST_SPIN_UNTIL (fixture->added->len > 0, LENS_TEST_DEADLINE_MS);
  lens_test_spin_for (200);
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->added, 0), ==, text);
  g_assert_cmpstr (lens_add_dialog_get_summary (fixture->dialog), ==, "10000 new");
}

/* Add names the first id of the text the list does not hold, from the ids
 * the worker's scan found, asking the list again as it is when Add is
 * pressed: an id added to the list since the scan is not new any more. */
static void
test_add_names_first_new (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (0, 10000);
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *added_since = lens_test_make_id (5000);
  g_autofree char *expected = lens_test_make_id (5001);

  for (guint i = 0; i < 5000; i++)
    g_ptr_array_add (listed, lens_test_make_id (i));
  g_ptr_array_add (listed, NULL);
  lens_task_list_add_ids (fixture->tasks, (const char **) listed->pdata, NULL);

  lens_add_dialog_set_text (fixture->dialog, text);
  LENS_TEST_SPIN_UNTIL (summary_is (fixture, "5000 new · 5000 already in the list"),
                        LENS_TEST_DEADLINE_MS);
  lens_task_list_add_ids (fixture->tasks, (const char *[]) { added_since, NULL }, NULL);
  g_signal_emit_by_name (add_button_of (fixture), "clicked");

  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->first_new, 0), ==, expected);
}

/* Text typed while Add waits for a worker's scan (Ctrl+Enter right after a
 * paste, then an id typed at the top): what is added is the text as it is
 * then, and the id named must be the first new one of that text, not of
 * the text the finished scan read. */
static void
test_first_new_of_text_added (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text_view_of (fixture));
  g_autofree char *pasted = lens_test_make_id_lines (0, 1000);
  g_autofree char *typed = lens_test_make_id (20000);
  g_autofree char *added = NULL;
  GtkTextIter start;

  /* As a paste does: the buffer changes, the preview is due later; Add
   * scans at once, in a worker (the text is not small). */
  gtk_text_buffer_set_text (buffer, pasted, -1);
  g_assert_true (press_ctrl (fixture, GDK_KEY_Return));
  g_assert_cmpuint (fixture->added->len, ==, 0);

  /* The user types an id at the top meanwhile. The worker ends well
   * before the preview's delay after the typing. */
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_insert (buffer, &start, "\n", -1);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_insert (buffer, &start, typed, -1);
  g_usleep (60 * 1000);

  LENS_TEST_SPIN_UNTIL (fixture->added->len == 1, LENS_TEST_DEADLINE_MS);
  added = g_strconcat (typed, "\n", pasted, NULL);
  g_assert_cmpstr (g_ptr_array_index (fixture->added, 0), ==, added);
  g_assert_cmpstr (g_ptr_array_index (fixture->first_new, 0), ==, typed);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/add-dialog/ctrl-enter-adds", Fixture, GUINT_TO_POINTER (GDK_KEY_Return),
              fixture_set_up, test_ctrl_enter_adds, fixture_tear_down);
  g_test_add ("/add-dialog/ctrl-keypad-enter-adds", Fixture, GUINT_TO_POINTER (GDK_KEY_KP_Enter),
              fixture_set_up, test_ctrl_enter_adds, fixture_tear_down);
  g_test_add ("/add-dialog/ctrl-enter-without-ids", Fixture, NULL,
              fixture_set_up, test_ctrl_enter_without_ids, fixture_tear_down);
  g_test_add ("/add-dialog/large-text-scanned-in-worker", Fixture, NULL,
              fixture_set_up, test_large_text_scanned_in_worker, fixture_tear_down);
  g_test_add ("/add-dialog/newer-text-wins", Fixture, NULL,
              fixture_set_up, test_newer_text_wins, fixture_tear_down);
  g_test_add ("/add-dialog/add-names-first-new", Fixture, NULL,
              fixture_set_up, test_add_names_first_new, fixture_tear_down);
  g_test_add ("/add-dialog/first-new-of-text-added", Fixture, NULL,
              fixture_set_up, test_first_new_of_text_added, fixture_tear_down);
  g_test_add ("/add-dialog/add-waits-for-scan", Fixture, NULL,
              fixture_set_up, test_add_waits_for_scan, fixture_tear_down);

  return g_test_run ();
}
