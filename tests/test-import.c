/* test-import.c — from text and files to tasks, and the words that say so
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lens-import.h"
#include "lens-test.h"
#include "lens-test-store.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C "49589d2c-b6b3-4fbf-9f82-93068509c76f"
#define ID_D "037955e0-deee-4050-baa8-1416300d67e2"
#define ID_E "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"

static void
test_preview_and_add (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(LensIdParseResult) first = lens_id_parser_parse (ID_A "\n", -1);
  g_autoptr(LensIdParseResult) parsed = lens_id_parser_parse ("id\n" ID_A "\n" ID_B "\nnothing here\n" ID_C "\n", -1);
  LensImportSummary preview, added;

  lens_import_add (list, first);
  preview = lens_import_preview (list, parsed);
  g_assert_cmpuint (preview.n_found, ==, 3);
  g_assert_cmpuint (preview.n_new, ==, 2);
  g_assert_cmpuint (preview.n_existing, ==, 1);
  g_assert_cmpuint (preview.n_unrecognised_lines, ==, 2);
  /* A preview changes nothing. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  added = lens_import_add (list, parsed);
  g_assert_cmpuint (added.n_new, ==, 2);
  g_assert_cmpuint (added.n_existing, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
}

/* Added a slice at a time, the ids keep their order and the summary adds
 * up; an id that came into the list between two slices counts as already
 * there. */
static void
test_add_in_slices (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(LensIdParseResult) parsed = lens_id_parser_parse (ID_A "\n" ID_B "\n" ID_C "\nnothing\n", -1);
  LensImportSummary summary = { 0 };
  guint cursor = 0;

  g_assert_false (lens_import_add_slice (list, parsed, &cursor, 2, &summary));
  g_assert_cmpuint (cursor, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_cmpuint (summary.n_new, ==, 2);

  lens_task_list_add_ids (list, (const char *[]) { ID_C, NULL }, NULL);
  g_assert_true (lens_import_add_slice (list, parsed, &cursor, 2, &summary));
  g_assert_cmpuint (cursor, ==, 3);
  g_assert_cmpuint (summary.n_found, ==, 3);
  g_assert_cmpuint (summary.n_new, ==, 2);
  g_assert_cmpuint (summary.n_existing, ==, 1);
  g_assert_cmpuint (summary.n_unrecognised_lines, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_true (lens_task_list_find (list, ID_B, &cursor));
  g_assert_cmpuint (cursor, ==, 1);
}

typedef struct
{
  LensImportSummary summary;
  const char       *source;
  const char       *expected;
} SummaryCase;

static const SummaryCase summary_cases[] = {
  { { 12, 12, 0, 0 }, NULL, "Added 12 tasks" },
  { { 1, 1, 0, 0 }, NULL, "Added 1 task" },
  { { 15, 12, 3, 0 }, NULL, "Added 12 tasks · 3 were already in the list" },
  { { 4, 0, 4, 0 }, NULL, "4 were already in the list" },
  { { 1, 0, 1, 0 }, NULL, "1 was already in the list" },
  { { 13, 12, 1, 2 }, NULL, "Added 12 tasks · 1 was already in the list · 2 lines not recognised" },
  { { 0, 0, 0, 7 }, NULL, "No task IDs found in 7 lines" },
  { { 0, 0, 0, 1 }, NULL, "No task IDs found in 1 line" },
  { { 0, 0, 0, 0 }, NULL, "No task IDs found" },
  { { 0, 0, 0, 40 }, "report.csv", "No task IDs found in report.csv" },
};

static void
test_summary_text (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (summary_cases); i++)
    {
      g_autofree char *text = lens_import_summary_to_text (&summary_cases[i].summary,
                                                           summary_cases[i].source);
      g_assert_cmpstr (text, ==, summary_cases[i].expected);
    }
}

typedef struct
{
  gboolean           done;
  LensIdParseResult *parsed;
  GError            *error;
  guint              n_progress;
  goffset            last_read;
  goffset            total;
} ReadOutcome;

static void
progress_cb (goffset  bytes_read,
             goffset  total_bytes,
             gpointer user_data)
{
  ReadOutcome *outcome = user_data;

  g_assert_cmpint (bytes_read, >, outcome->last_read);
  outcome->last_read = bytes_read;
  outcome->total = total_bytes;
  outcome->n_progress++;
}

static void
read_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ReadOutcome *outcome = user_data;

  outcome->parsed = lens_import_read_file_finish (result, &outcome->error);
  outcome->done = TRUE;
}

static void
read_file (GFile        *file,
           GCancellable *cancellable,
           ReadOutcome  *outcome)
{
  lens_import_read_file_async (file, progress_cb, outcome, cancellable, read_cb, outcome);
  lens_test_spin_until (&outcome->done, LENS_TEST_DEADLINE_MS);
}

/* A 50 MB log is read in chunks, with progress, and scanned in a worker. */
static void
test_read_large_file (void)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("import");
  g_autofree char *path = g_build_filename (dir, "huge.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GString) text = g_string_new (NULL);
  ReadOutcome outcome = { 0 };
  guint i;

  for (i = 0; text->len < 50 * 1024 * 1024; i++)
    g_string_append_printf (text, "2026-11-24T05:00:00Z worker=%u finished task %08x-0000-4000-8000-%012x in 31.2s\n",
                            i % 8, i, i);
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));

  read_file (file, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.parsed->ids->len, ==, i);
  g_assert_cmpuint (outcome.parsed->n_unrecognised_lines, ==, 0);
  g_assert_cmpuint (outcome.n_progress, >, 10);
  g_assert_cmpint (outcome.last_read, ==, (goffset) text->len);
  g_assert_cmpint (outcome.total, ==, (goffset) text->len);

  lens_id_parse_result_free (outcome.parsed);
  lens_test_remove_tree (dir);
}

static void
test_read_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/tasklens/report.csv");
  ReadOutcome outcome = { 0 };

  read_file (file, NULL, &outcome);

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (outcome.error->message, "report.csv"));
  g_assert_null (outcome.parsed);
  g_clear_error (&outcome.error);
}

static void
test_read_cancelled (void)
{
  g_autofree char *path = lens_test_data_path ("api-examples", "retrieve.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ReadOutcome outcome = { 0 };

  g_cancellable_cancel (cancellable);
  read_file (file, cancellable, &outcome);

  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&outcome.error);
}

static void
test_read_json_file (void)
{
  g_autofree char *path = lens_test_data_path ("api-examples", "retrieve_batch.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ReadOutcome outcome = { 0 };

  read_file (file, NULL, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_true (outcome.parsed->was_json);
  g_assert_cmpuint (outcome.parsed->ids->len, ==, 2);
  lens_id_parse_result_free (outcome.parsed);
}

/* A file of whole records (Tasklens's JSON export, a saved answer) brings
 * its tasks back as they were, without a lookup; a task the server has
 * answered for already keeps what it said. */
static void
test_restores_records (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autofree char *done_a = lens_test_store_finished_record (ID_A, "A cat sitting on a table");
  g_autofree char *done_d = lens_test_store_finished_record (ID_D, "what the file says");
  g_autofree char *done_d_newer = lens_test_store_finished_record (ID_D, "what the server said");
  g_autofree char *done_e = lens_test_store_finished_record (ID_E, "queued here, done in the file");
  g_autofree char *text = g_strdup_printf ("[%s,\n"
                                           "{\"id\": \"" ID_B "\", \"type\": \"imagine\","
                                           " \"request\": {\"prompt\": \"a fox\"},"
                                           " \"response\": {\"success\": true, \"progress\": 40}},\n"
                                           "{\"id\": \"" ID_C "\"},\n%s,\n%s]",
                                           done_a, done_d, done_e);
  g_autoptr(LensIdParseResult) parsed = lens_id_parser_parse (text, -1);
  g_autoptr(LensTask) answered = lens_test_task_with_record (ID_D, done_d_newer);
  LensImportSummary added;

  g_assert_nonnull (parsed->records);
  /* A bare {"id": …} is an id, not a record. */
  g_assert_cmpuint (g_hash_table_size (parsed->records), ==, 4);

  lens_task_list_insert (list, 0, answered);
  lens_task_list_add_ids (list, (const char *[]) { ID_E, NULL }, NULL);
  added = lens_import_add (list, parsed);
  g_assert_cmpuint (added.n_new, ==, 3);
  g_assert_cmpuint (added.n_existing, ==, 2);

  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (list, ID_A)), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpstr (lens_task_get_prompt (lens_task_list_lookup (list, ID_A)), ==, "A cat sitting on a table");
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (list, ID_B)), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpint (lens_task_get_progress (lens_task_list_lookup (list, ID_B)), ==, 40);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (list, ID_C)), ==, LENS_TASK_STATE_QUEUED);
  g_assert_cmpstr (lens_task_get_prompt (lens_task_list_lookup (list, ID_D)), ==, "what the server said");
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (list, ID_E)), ==, LENS_TASK_STATE_DONE);
  /* Each record was used once (or, for the answered task, let go). */
  g_assert_cmpuint (g_hash_table_size (parsed->records), ==, 0);
}

/* Ids alone, or objects that only name tasks, bring no records. */
static void
test_no_records (void)
{
  g_autoptr(LensIdParseResult) plain = lens_id_parser_parse (ID_A "\n" ID_B "\n", -1);
  g_autoptr(LensIdParseResult) named = lens_id_parser_parse ("{\"ids\": [\"" ID_A "\"],"
                                                             " \"task\": {\"id\": \"" ID_B "\"}}", -1);

  g_assert_null (plain->records);
  g_assert_null (named->records);
  g_assert_cmpuint (named->ids->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  /* The summary sentences are checked in English. */
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_init (&argc, &argv);

  g_test_add_func ("/import/preview-and-add", test_preview_and_add);
  g_test_add_func ("/import/add-in-slices", test_add_in_slices);
  g_test_add_func ("/import/summary-text", test_summary_text);
  g_test_add_func ("/import/read/large-file", test_read_large_file);
  g_test_add_func ("/import/read/missing-file", test_read_missing_file);
  g_test_add_func ("/import/read/cancelled", test_read_cancelled);
  g_test_add_func ("/import/read/json-file", test_read_json_file);

  g_test_add_func ("/import/restores-records", test_restores_records);
  g_test_add_func ("/import/no-records", test_no_records);

  return g_test_run ();
}
