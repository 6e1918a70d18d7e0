/* test-export.c — Export Tasks… and importing the export back, in the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12: the list as CSV for a spreadsheet and as JSON (the raw
 * records); importing that JSON into an empty history restores the tasks
 * without asking AceData again.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "lens-export-dialog.h"
#include "lens-test-app.h"
#include "lens-test-ui.h"

#define CAT_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define GIRL_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"

typedef LensTestApp Fixture;

static gboolean
window_says (Fixture    *fixture,
             const char *text)
{
  return lens_test_find_label (GTK_WIDGET (fixture->window), text) != NULL;
}

static void
export_to (Fixture    *fixture,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  _lens_export_dialog_export_to (GTK_WINDOW (fixture->window), fixture->context, file, NULL);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* Both formats, from the window; the toast names the file and offers to
 * open it. A name without an extension becomes a CSV file. */
static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("export");
  g_autofree char *bare = g_build_filename (dir, "tasks", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "tasks.csv", NULL);
  g_autofree char *json_path = g_build_filename (dir, "tasks.json", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;

  lens_test_app_add_ids (fixture, CAT_ID "\n" GIRL_ID);

  export_to (fixture, bare);
  LENS_TEST_SPIN_UNTIL (window_says (fixture, "Exported 2 tasks to “tasks.csv”"), LENS_TEST_DEADLINE_MS);
  g_assert_nonnull (lens_test_find_button (GTK_WIDGET (fixture->window), "Show in _Files"));
  csv = read_text (csv_path);
  g_assert_nonnull (strstr (csv, "\"" CAT_ID "\",\"imagine\""));
  g_assert_nonnull (strstr (csv, "A cat sitting on a table"));

  export_to (fixture, json_path);
  LENS_TEST_SPIN_UNTIL (window_says (fixture, "Exported 2 tasks to “tasks.json”"), LENS_TEST_DEADLINE_MS);
  json = read_text (json_path);
  g_assert_true (g_str_has_prefix (json, "["));
  g_assert_nonnull (strstr (json, "\"raw_image_url\""));

  lens_test_remove_tree (dir);
}

/* Where nothing can be written, the window says why. */
static void
test_export_fails (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *nowhere = g_build_filename (fixture->data_dir, "no-such-folder", "tasks.csv", NULL);

  lens_test_app_add_ids (fixture, CAT_ID);
  export_to (fixture, nowhere);
  LENS_TEST_SPIN_UNTIL (window_says (fixture, "Could not export the tasks: No such file or directory"),
                        LENS_TEST_DEADLINE_MS);
}

/* The JSON export, imported into an empty history, brings the tasks back
 * as they were — and AceData is not asked. */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("export-round-trip");
  g_autofree char *json_path = g_build_filename (dir, "tasks.json", NULL);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path (json_path);
  LensTaskList *tasks;
  LensTask *cat;

  lens_test_app_add_ids (fixture, CAT_ID "\n" GIRL_ID);
  export_to (fixture, json_path);
  LENS_TEST_SPIN_UNTIL (window_says (fixture, "Exported 2 tasks to “tasks.json”"), LENS_TEST_DEADLINE_MS);

  /* A new start on an empty history. */
  lens_test_app_stop (fixture);
  lens_test_remove_tree (fixture->data_dir);
  g_assert_cmpint (g_mkdir_with_parents (fixture->data_dir, 0700), ==, 0);
  lens_test_app_start (fixture);
  tasks = lens_test_app_get_tasks (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tasks)), ==, 0);
  lens_fake_api_clear_requests (fixture->fake);

  g_list_store_append (files, file);
  lens_context_import_files (fixture->context, G_LIST_MODEL (files));
  LENS_TEST_SPIN_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (tasks)) == 2, LENS_TEST_DEADLINE_MS);

  cat = lens_task_list_lookup (tasks, CAT_ID);
  g_assert_cmpint (lens_task_get_state (cat), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpstr (lens_task_get_prompt (cat), ==, "A cat sitting on a table");
  g_assert_nonnull (lens_task_get_raw_image_url (cat));

  /* Long enough for a lookup to have gone out, had one been due. */
  lens_test_app_wait_until_stored (fixture);
  lens_test_spin_for (500);
  g_assert_cmpuint (lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks"), ==, 0);

  lens_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/export/csv-and-json", Fixture, NULL, lens_test_app_set_up, test_export,
              lens_test_app_tear_down);
  g_test_add ("/export/fails", Fixture, NULL, lens_test_app_set_up, test_export_fails,
              lens_test_app_tear_down);
  g_test_add ("/export/round-trip", Fixture, NULL, lens_test_app_set_up, test_round_trip,
              lens_test_app_tear_down);

  return g_test_run ();
}
