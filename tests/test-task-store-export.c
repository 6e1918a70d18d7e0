/* test-task-store-export.c — the stored tasks as a CSV or JSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 12: the list, or some of it, exported for a spreadsheet (CSV) or
 * for Tasklens and scripts (JSON, the raw records). The file is whole or
 * not there; prompts that are hostile to spreadsheets stay text.
 */

#define G_LOG_DOMAIN "test-task-store-export"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "lens-task-store-export.h"
#include "lens-test.h"
#include "lens-test-store.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C "49589d2c-b6b3-4fbf-9f82-93068509c76f"
#define ID_D "037955e0-deee-4050-baa8-1416300d67e2"

typedef struct
{
  char          *dir;
  char          *path;
  LensTaskStore *store;
} Fixture;

typedef struct
{
  gboolean  done;
  gboolean  written;
  guint     n_tasks;
  GError   *error;
} Exported;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(LensTestLoaded) loaded = { 0 };
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  struct { const char *id; const char *prompt; } finished[] = {
    { ID_A, "A cat sitting on a table, \"golden hour\"\nsecond line" },
    { ID_B, "=HYPERLINK(\"http://evil.example\")" },
    { ID_C, "비 오는 골목의 고양이 --ar 3:2" },
  };
  g_autoptr(LensTask) queued = lens_task_new (ID_D);

  fixture->dir = lens_test_make_scratch_dir ("tasklens-task-store-export");
  fixture->path = g_build_filename (fixture->dir, "tasks.db", NULL);
  fixture->store = lens_task_store_new (fixture->path);
  lens_test_store_load (fixture->store, &loaded);
  g_assert_no_error (loaded.error);

  for (guint i = 0; i < G_N_ELEMENTS (finished); i++)
    {
      g_autofree char *record = lens_test_store_finished_record (finished[i].id, finished[i].prompt);
      g_autoptr(LensTask) task = lens_test_task_with_record (finished[i].id, record);

      g_ptr_array_add (changes, lens_store_change_new_put (task, i, record, 1720400000, 0));
    }
  /* Never answered: no record. */
  g_ptr_array_add (changes, lens_store_change_new_put (queued, 3, NULL, 1720400000, 0));
  g_ptr_array_add (changes, lens_store_change_new_saved_path (ID_A, "/home/me/Pictures/cat.png"));
  lens_test_store_write (fixture->store, changes);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
exported_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Exported *exported = user_data;

  exported->written = lens_task_store_export_finish (LENS_TASK_STORE (source_object), result,
                                                     &exported->n_tasks, &exported->error);
  exported->done = TRUE;
}

static void
export (Fixture            *fixture,
        const char * const *ids,
        LensExportFormat    format,
        GFile              *destination,
        GCancellable       *cancellable,
        Exported           *exported)
{
  lens_task_store_export_async (fixture->store, ids, format, destination, cancellable, exported_cb,
                                exported);
  LENS_TEST_SPIN_UNTIL (exported->done, LENS_TEST_DEADLINE_MS);
  /* The worker lets go of the store just after the answer. */
  LENS_TEST_SPIN_UNTIL (G_OBJECT (fixture->store)->ref_count == 1, LENS_TEST_DEADLINE_MS);
}

static char *
read_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Files in the folder other than the tasks' database. */
static guint
count_other_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (listing)) != NULL)
    if (!g_str_has_prefix (name, "tasks.db"))
      n++;
  return n;
}

/* ─── tests ────────────────────────────────────────────────────────────── */

static void
test_csv (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->dir, "tasks.csv", NULL);
  Exported exported = { 0 };
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  export (fixture, NULL, LENS_EXPORT_CSV, file, NULL, &exported);
  g_assert_no_error (exported.error);
  g_assert_true (exported.written);
  g_assert_cmpuint (exported.n_tasks, ==, 4);

  text = read_file (file);
  /* A byte order mark, so that spreadsheet programs read UTF-8. */
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF" "id,type,action,state,progress,prompt,mode,"
                                         "created,finished,added,image_url,raw_image_url,video_urls,"
                                         "saved_path,error\r\n"));
  g_assert_true (g_utf8_validate (text, -1, NULL));

  /* Commas, quotes and a line break stay inside one quoted field. */
  g_assert_nonnull (strstr (text, "\"" ID_A "\",\"imagine\",,\"done\",\"100\","
                                  "\"A cat sitting on a table, \"\"golden hour\"\"\nsecond line\""));
  g_assert_nonnull (strstr (text, "\"/home/me/Pictures/cat.png\""));
  g_assert_nonnull (strstr (text, "\"https://platform.cdn.acedata.cloud/midjourney/" ID_A ".png\""));
  /* A formula is text. */
  g_assert_nonnull (strstr (text, "\"'=HYPERLINK(\"\"http://evil.example\"\")\""));
  g_assert_nonnull (strstr (text, "\"비 오는 골목의 고양이 --ar 3:2\""));
  /* A task never answered is there too, queued. */
  g_assert_nonnull (strstr (text, "\"" ID_D "\",,,\"queued\""));

  /* Records in the list's order; rows end with CRLF. */
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_true (g_str_has_prefix (lines[1], "\"" ID_A "\""));
  g_assert_true (g_str_has_prefix (lines[2], "\"" ID_B "\""));
  g_assert_true (g_str_has_prefix (lines[3], "\"" ID_C "\""));
  g_assert_true (g_str_has_prefix (lines[4], "\"" ID_D "\""));
  g_assert_cmpstr (lines[5], ==, "");
  g_assert_cmpuint (count_other_files (fixture->dir), ==, 1);
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->dir, "tasks.json", NULL);
  const char * const ids[] = { ID_C, ID_D, ID_A, "00000000-0000-4000-8000-000000000000", NULL };
  Exported exported = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *expected_c = lens_test_store_finished_record (ID_C, "비 오는 골목의 고양이 --ar 3:2");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  export (fixture, ids, LENS_EXPORT_JSON, file, NULL, &exported);
  g_assert_no_error (exported.error);
  g_assert_cmpuint (exported.n_tasks, ==, 3);

  text = read_file (file);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  /* In the order asked for; the id the store does not hold is left out. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"), ==, ID_C);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "id"), ==, ID_D);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2), "id"), ==, ID_A);
  /* The raw record, as the server sent it. */
  g_assert_nonnull (strstr (text, expected_c));
  g_assert_cmpuint (json_object_get_size (json_array_get_object_element (array, 1)), ==, 1);
}

/* Exporting again over a file replaces it whole. */
static void
test_replaces (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->dir, "tasks.csv", NULL);
  const char * const ids[] = { ID_B, NULL };
  Exported first = { 0 };
  Exported second = { 0 };
  g_autofree char *text = NULL;

  export (fixture, NULL, LENS_EXPORT_CSV, file, NULL, &first);
  export (fixture, ids, LENS_EXPORT_CSV, file, NULL, &second);
  g_assert_no_error (second.error);
  g_assert_cmpuint (second.n_tasks, ==, 1);
  text = read_file (file);
  g_assert_null (strstr (text, ID_A));
  g_assert_nonnull (strstr (text, ID_B));
  g_assert_cmpuint (count_other_files (fixture->dir), ==, 1);
}

/* Cancelled or failed: the destination is as it was, and no partial file
 * is left beside it. */
static void
test_nothing_half_written (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->dir, "tasks.json", NULL);
  g_autoptr(GFile) nowhere = g_file_new_build_filename (fixture->dir, "missing", "tasks.csv", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Exported cancelled = { 0 };
  Exported failed = { 0 };
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (g_file_peek_path (file), "before", -1, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  export (fixture, NULL, LENS_EXPORT_JSON, file, cancellable, &cancelled);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (cancelled.written);
  text = read_file (file);
  g_assert_cmpstr (text, ==, "before");
  g_assert_cmpuint (count_other_files (fixture->dir), ==, 1);

  export (fixture, NULL, LENS_EXPORT_CSV, nowhere, NULL, &failed);
  g_assert_error (failed.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_other_files (fixture->dir), ==, 1);

  g_clear_error (&cancelled.error);
  g_clear_error (&failed.error);
}

/* Many tasks, in order, in one pass. */
static void
test_many (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("tasklens-task-store-export-many");
  g_autofree char *path = g_build_filename (dir, "tasks.db", NULL);
  g_autoptr(GFile) file = g_file_new_build_filename (dir, "all.json", NULL);
  g_autoptr(LensTaskStore) store = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *last_id = lens_test_store_fill_id (4999);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  Exported exported = { 0 };

  lens_test_store_fill (path, 5000);
  store = lens_task_store_new (path);
  lens_test_store_load (store, &loaded);
  lens_task_store_export_async (store, NULL, LENS_EXPORT_JSON, file, NULL, exported_cb, &exported);
  LENS_TEST_SPIN_UNTIL (exported.done, LENS_TEST_DEADLINE_MS);
  LENS_TEST_SPIN_UNTIL (G_OBJECT (store)->ref_count == 1, LENS_TEST_DEADLINE_MS);
  g_assert_no_error (exported.error);
  g_assert_cmpuint (exported.n_tasks, ==, 5000);

  text = read_file (file);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 5000);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (root), 4999),
                                                  "id"), ==, last_id);

  g_assert_finalize_object (g_steal_pointer (&store));
  lens_test_remove_tree (dir);
}

static void
test_format_for_name (void)
{
  g_assert_cmpint (lens_export_format_for_name ("tasks.json"), ==, LENS_EXPORT_JSON);
  g_assert_cmpint (lens_export_format_for_name ("TASKS.JSON"), ==, LENS_EXPORT_JSON);
  g_assert_cmpint (lens_export_format_for_name ("tasks.csv"), ==, LENS_EXPORT_CSV);
  g_assert_cmpint (lens_export_format_for_name ("tasks"), ==, LENS_EXPORT_CSV);
  g_assert_cmpint (lens_export_format_for_name (NULL), ==, LENS_EXPORT_CSV);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/task-store-export/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("csv", test_csv);
  ADD ("json", test_json);
  ADD ("replaces", test_replaces);
  ADD ("nothing-half-written", test_nothing_half_written);
  ADD ("many", test_many);
#undef ADD
  g_test_add_func ("/task-store-export/format-for-name", test_format_for_name);

  return g_test_run ();
}
