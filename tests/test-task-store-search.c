/* test-task-store-search.c — summaries, records on demand and search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 9: the store loads 100,000 tasks from their summary columns
 * without reading a record, reads the records of the tasks on screen when
 * asked, and finds tasks by a word of their prompt or id. These tests look
 * at each, and at a version 4 history brought to version 5.
 */

#define G_LOG_DOMAIN "test-task-store-search"

#include "config.h"

#include <string.h>

#include "lens-task-store.h"
#include "lens-test.h"
#include "lens-test-store.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C "49589d2c-b6b3-4fbf-9f82-93068509c76f"
#define ID_D "037955e0-deee-4050-baa8-1416300d67e2"
#define ID_E "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"
#define NOT_STORED "00000000-0000-4000-8000-000000000000"

typedef struct
{
  char          *dir;    /* scratch directory */
  char          *path;   /* tasks.db inside it */
  LensTaskStore *store;  /* loaded once, empty */
} Fixture;

/* ─── helpers ──────────────────────────────────────────────────────────── */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(LensTestLoaded) loaded = { 0 };

  fixture->dir = lens_test_make_scratch_dir ("tasklens-task-store-search");
  fixture->path = g_build_filename (fixture->dir, "tasks.db", NULL);
  fixture->store = lens_task_store_new (fixture->path);
  /* As the app does: a load first, which opens the file. */
  lens_test_store_load (fixture->store, &loaded);
  g_assert_no_error (loaded.error);
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

/* Puts a finished task with @prompt, as LensHistory would with its record. */
static void
put_prompt (LensTaskStore *store,
            const char    *id,
            gint64         position,
            const char    *prompt)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  g_autofree char *record = lens_test_store_finished_record (id, prompt);
  g_autoptr(LensTask) task = lens_test_task_with_record (id, record);

  g_ptr_array_add (changes, lens_store_change_new_put (task, position, record, 0, 0));
  lens_test_store_write (store, changes);
}

static void
put_task (LensTaskStore *store,
          LensTask      *task,
          gint64         position,
          const char    *raw_json)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);

  g_ptr_array_add (changes, lens_store_change_new_put (task, position, raw_json, 0, 0));
  lens_test_store_write (store, changes);
}

static void
delete_task (LensTaskStore *store,
             const char    *id)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);

  g_ptr_array_add (changes, lens_store_change_new_delete (id));
  lens_test_store_write (store, changes);
}

/* Searches for @word and checks that exactly @expected (NULL-terminated)
 * were found. */
static void
assert_search (LensTaskStore      *store,
               const char         *word,
               const char * const *expected)
{
  g_autoptr(GHashTable) found = lens_test_store_search (store, word);

  g_test_message ("Search “%s”: %u found", word, g_hash_table_size (found));
  for (guint i = 0; expected[i] != NULL; i++)
    if (!g_hash_table_contains (found, expected[i]))
      g_error ("Search “%s” did not find %s", word, expected[i]);
  g_assert_cmpuint (g_hash_table_size (found), ==, g_strv_length ((GStrv) expected));
}

#define NONE ((const char *[]) { NULL })
#define IDS(...) ((const char *[]) { __VA_ARGS__, NULL })

static void
assert_query (const char *path,
              const char *sql,
              const char *expected)
{
  g_autofree char *text = lens_test_db_query (path, sql);

  g_assert_cmpstr (text, ==, expected);
}

/* The search index is sound (FTS5's own check) and holds exactly the id
 * and prompt of every task, under its rowid: a trigger that missed a
 * change fails it. */
static void
assert_index_intact (const char *path)
{
  lens_test_db_exec (path, "INSERT INTO tasks_search (tasks_search) VALUES ('integrity-check')");
  assert_query (path,
                "SELECT (SELECT count(*) FROM tasks) = (SELECT count(*) FROM tasks_search)"
                " AND (SELECT count(*) FROM tasks) = (SELECT count(*) FROM tasks JOIN tasks_search AS s"
                "   ON s.rowid = tasks.rowid WHERE s.id IS tasks.id AND s.prompt IS tasks.prompt)",
                "1");
}

/* ─── load ─────────────────────────────────────────────────────────────── */

/* A load reads the summary columns only: a row whose record is damaged
 * still loads as its columns say, without details; its record is read
 * only when asked for. */
static void
test_load_from_columns (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LensTask) running = lens_test_task_with_record (ID_B, NULL);
  g_autoptr(LensTaskStore) again = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };
  LensTask *done, *stalled;

  put_prompt (fixture->store, ID_A, 0, "A lighthouse at dusk");
  lens_task_mark_stalled (running);
  put_task (fixture->store, running, 1, NULL);
  lens_test_db_exec (fixture->path, "UPDATE tasks SET raw_json = 'this is no record {' WHERE id = '" ID_A "'");

  again = lens_task_store_new (fixture->path);
  lens_test_store_load (again, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_cmpuint (loaded.tasks->len, ==, 2);

  done = g_ptr_array_index (loaded.tasks, 0);
  g_assert_cmpstr (lens_task_get_id (done), ==, ID_A);
  g_assert_false (lens_task_has_details (done));
  g_assert_cmpint (lens_task_get_state (done), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpint (lens_task_get_progress (done), ==, 100);
  g_assert_cmpstr (lens_task_get_task_type (done), ==, "imagine");
  g_assert_cmpfloat (lens_task_get_created_at (done), ==, 1720364607.5);
  g_assert_cmpfloat (lens_task_get_finished_at (done), ==, 1720364637.25);
  g_assert_null (lens_task_get_prompt (done));

  stalled = g_ptr_array_index (loaded.tasks, 1);
  g_assert_cmpint (lens_task_get_state (stalled), ==, LENS_TASK_STATE_STALLED);
  g_assert_cmpint (lens_task_get_progress (stalled), ==, -1);
  g_assert_null (lens_task_get_task_type (stalled));
  g_assert_cmpfloat (lens_task_get_created_at (stalled), ==, -1);
  g_assert_false (lens_task_has_details (stalled));
  g_assert_finalize_object (g_steal_pointer (&again));
}

/* ─── records ──────────────────────────────────────────────────────────── */

/* Records are read on demand, whole, with the state Tasklens decided over
 * what the record says; ids not stored are left out, and ids in upper case
 * are the same tasks. */
static void
test_read_records (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *record_c = lens_test_store_finished_record (ID_C, "A tiny greenhouse café");
  g_autoptr(LensTask) refused = lens_test_task_with_record (ID_C, record_c);
  g_autoptr(LensTask) gone = lens_test_task_with_record (ID_D, NULL);
  g_autoptr(LensTask) never = lens_test_task_with_record (ID_E, NULL);
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  const char *ids[] = { ID_A, NOT_STORED, "807F62DE-C63E-4ADD-8345-7F0AE6DD18E7", ID_C, ID_D, ID_E, NULL };
  LensTask *task;

  put_prompt (fixture->store, ID_A, 0, "A lighthouse at dusk");
  put_prompt (fixture->store, ID_B, 1, "Koi in a moonlit pond");
  lens_task_mark_failed (refused, "The AceData API refused the request");
  put_task (fixture->store, refused, 2, record_c);
  lens_task_mark_not_found (gone);
  put_task (fixture->store, gone, 3, NULL);
  put_task (fixture->store, never, 4, NULL);

  read = lens_test_store_read_records (fixture->store, ids);
  for (guint i = 0; i < read->len; i++)
    g_hash_table_insert (by_id, (gpointer) lens_task_get_id (g_ptr_array_index (read, i)),
                         g_ptr_array_index (read, i));
  g_assert_cmpuint (read->len, ==, 5);
  g_assert_false (g_hash_table_contains (by_id, NOT_STORED));

  task = g_hash_table_lookup (by_id, ID_A);
  g_assert_true (lens_task_has_details (task));
  g_assert_cmpstr (lens_task_get_prompt (task), ==, "A lighthouse at dusk");
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
  g_assert_nonnull (lens_task_get_raw_image_url (task));

  task = g_hash_table_lookup (by_id, ID_B);
  g_assert_cmpstr (lens_task_get_prompt (task), ==, "Koi in a moonlit pond");

  /* Failed by Tasklens, over a record that says done. */
  task = g_hash_table_lookup (by_id, ID_C);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpstr (lens_task_get_local_error (task), ==, "The AceData API refused the request");
  g_assert_cmpstr (lens_task_get_prompt (task), ==, "A tiny greenhouse café");

  /* Stored with the server's {}: not found, no details to show. */
  task = g_hash_table_lookup (by_id, ID_D);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_NOT_FOUND);
  task = g_hash_table_lookup (by_id, ID_E);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_QUEUED);
  g_assert_false (lens_task_has_details (task));
}

/* ─── search ───────────────────────────────────────────────────────────── */

static void
put_search_tasks (LensTaskStore *store)
{
  put_prompt (store, ID_A, 0, "A cozy reading nook with a sleeping Cat, warm lamplight");
  put_prompt (store, ID_B, 1, "귀여운 고양이가 창가에서 졸고 있다, 수채화");
  put_prompt (store, ID_C, 2, "Koi fish in a moonlit pond, ukiyo-e style");
  put_prompt (store, ID_D, 3, "CAFÉ TERRACE AT NIGHT, 50% off");
  put_prompt (store, ID_E, 4, NULL);
}

/* Substrings of the prompt, in any case, in English and Korean. */
static void
test_search_prompts (Fixture       *fixture,
                     gconstpointer  data)
{
  put_search_tasks (fixture->store);

  assert_search (fixture->store, "cat", IDS (ID_A));
  assert_search (fixture->store, "CAT", IDS (ID_A));
  assert_search (fixture->store, "sleeping cat, warm", IDS (ID_A));
  assert_search (fixture->store, "eading no", IDS (ID_A));
  assert_search (fixture->store, "moonlit", IDS (ID_C));
  assert_search (fixture->store, "고양이", IDS (ID_B));
  assert_search (fixture->store, "양이가 창", IDS (ID_B));
  /* Beyond ASCII, 3 characters and more are case folded. */
  assert_search (fixture->store, "café", IDS (ID_D));
  /* What LIKE and FTS5 would read as their own syntax is plain text. */
  assert_search (fixture->store, "50% off", IDS (ID_D));
  assert_search (fixture->store, "\"koi\"", NONE);
  assert_search (fixture->store, "koi OR cat", NONE);
  assert_search (fixture->store, "dog", NONE);
  assert_search (fixture->store, "강아지", NONE);
}

/* Ids are not searched in the store: the finder compares them in memory
 * (test-task-finder), and a word in every id would otherwise hand back
 * every id of the history at each keystroke (bench-find). */
static void
test_search_ids (Fixture       *fixture,
                 gconstpointer  data)
{
  put_search_tasks (fixture->store);

  assert_search (fixture->store, ID_C, NONE);
  assert_search (fixture->store, "2de-c63e", NONE);
  assert_search (fixture->store, "F1E2D3", NONE);
  assert_search (fixture->store, "4a", NONE);
  /* A prompt is still found, whatever the ids hold. */
  assert_search (fixture->store, "moonlit", IDS (ID_C));
}

/* Words of 1 and 2 characters have no trigram: they are scanned for,
 * still ignoring ASCII case, and still with LIKE's characters as text
 * (test_search_prepared(): the same in the reader's copy of the prompts). */
static void
test_search_short_words (Fixture       *fixture,
                         gconstpointer  data)
{
  put_search_tasks (fixture->store);

  assert_search (fixture->store, "ko", IDS (ID_C));
  assert_search (fixture->store, "KO", IDS (ID_C));
  assert_search (fixture->store, "고양", IDS (ID_B));
  assert_search (fixture->store, "수", IDS (ID_B));
  assert_search (fixture->store, "%", IDS (ID_D));
  assert_search (fixture->store, "_", NONE);
  /* Only in ids: not found here (see test_search_ids()). */
  assert_search (fixture->store, "5B", NONE);
  assert_search (fixture->store, "z", IDS (ID_A));
  /* Every prompt contains the empty word; ID_E has none. */
  assert_search (fixture->store, "", IDS (ID_A, ID_B, ID_C, ID_D));
}

/* Getting ready for a search (the user began typing) reads every prompt
 * ahead of the search, into a copy that short words are looked for in and
 * that gives the ids of what the index finds. A search after a change
 * still sees the change, whether the copy was read again or not. */
static void
test_search_prepared (Fixture       *fixture,
                      gconstpointer  data)
{
  put_search_tasks (fixture->store);
  lens_task_store_prepare_search (fixture->store);
  assert_search (fixture->store, "ko", IDS (ID_C));
  assert_search (fixture->store, "KO", IDS (ID_C));
  assert_search (fixture->store, "%", IDS (ID_D));
  assert_search (fixture->store, "_", NONE);
  assert_search (fixture->store, "moonlit", IDS (ID_C));
  assert_search (fixture->store, "a", IDS (ID_A, ID_C, ID_D));

  /* The copy is not current after this: searches go without it. */
  put_prompt (fixture->store, ID_B, 1, "Koala on a kayak");
  assert_search (fixture->store, "ko", IDS (ID_B, ID_C));
  assert_search (fixture->store, "수", NONE);
  assert_search (fixture->store, "koala", IDS (ID_B));

  /* Read again, with the change. */
  lens_task_store_prepare_search (fixture->store);
  assert_search (fixture->store, "ko", IDS (ID_B, ID_C));
  assert_search (fixture->store, "수", NONE);
  assert_search (fixture->store, "koala", IDS (ID_B));
  assert_search (fixture->store, "cozy", IDS (ID_A));
  delete_task (fixture->store, ID_A);
  assert_search (fixture->store, "z", NONE);
  assert_search (fixture->store, "cozy", NONE);
}

/* The index follows the rows: a new record's prompt replaces the old one,
 * a PUT without a record keeps it, a record {} has none, and a deleted
 * task is found no more. */
static void
test_search_follows_changes (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(LensTask) summary = NULL;
  g_autoptr(LensTask) gone = lens_test_task_with_record (ID_C, NULL);

  put_search_tasks (fixture->store);
  assert_search (fixture->store, "z", IDS (ID_A));

  put_prompt (fixture->store, ID_A, 0, "A red fox in a field of lavender");
  assert_search (fixture->store, "cat", NONE);
  assert_search (fixture->store, "lavender", IDS (ID_A));
  assert_search (fixture->store, "z", NONE);
  assert_search (fixture->store, "fo", IDS (ID_A));

  /* As LensHistory puts a task whose record did not change. */
  summary = lens_test_task_with_record (ID_B, NULL);
  lens_task_mark_stalled (summary);
  put_task (fixture->store, summary, 1, NULL);
  assert_search (fixture->store, "고양이", IDS (ID_B));
  assert_query (fixture->path, "SELECT state FROM tasks WHERE id = '" ID_B "'", "stalled");

  /* The server says it does not know the task (stored as {}). */
  lens_task_mark_not_found (gone);
  put_task (fixture->store, gone, 2, NULL);
  assert_search (fixture->store, "moonlit", NONE);

  assert_search (fixture->store, "%", IDS (ID_D));
  delete_task (fixture->store, ID_D);
  assert_search (fixture->store, "café", NONE);
  assert_search (fixture->store, "%", NONE);
  assert_search (fixture->store, ID_D, NONE);

  assert_index_intact (fixture->path);
}

typedef struct
{
  gboolean    done;
  GHashTable *found;
  GError     *error;
} Searched;

static void
search_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Searched *searched = user_data;

  searched->found = lens_task_store_search_finish (LENS_TASK_STORE (source_object), result, &searched->error);
  searched->done = TRUE;
}

/* A newer keystroke cancels the older search: it ends cancelled, whether
 * it had started or not, and the newer one answers. */
static void
test_search_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) during = g_cancellable_new ();
  Searched first = { 0 }, second = { 0 }, third = { 0 };

  put_search_tasks (fixture->store);

  g_cancellable_cancel (before);
  lens_task_store_search_async (fixture->store, "cat", before, search_cb, &first);
  lens_task_store_search_async (fixture->store, "cat", during, search_cb, &second);
  g_cancellable_cancel (during);
  lens_task_store_search_async (fixture->store, "moonlit", NULL, search_cb, &third);
  LENS_TEST_SPIN_UNTIL (first.done && second.done && third.done, LENS_TEST_DEADLINE_MS);

  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (first.found);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (second.found);
  g_assert_no_error (third.error);
  g_assert_cmpuint (g_hash_table_size (third.found), ==, 1);
  g_assert_true (g_hash_table_contains (third.found, ID_C));

  g_clear_error (&first.error);
  g_clear_error (&second.error);
  g_hash_table_unref (third.found);
}

/* ─── migration ────────────────────────────────────────────────────────── */

/* A history of version 4 (made with its own statements) gets the summary
 * columns and the search index, filled from its records and local states
 * by the rules its load used. */
static void
test_migration_from_v4 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "v4.db", NULL);
  g_autofree char *record_a = lens_test_store_finished_record (ID_A, "귀여운 고양이가 창가에서");
  g_autofree char *record_c = lens_test_store_finished_record (ID_C, "Koi fish in a moonlit pond");
  g_autoptr(LensTaskStore) store = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };
  sqlite3 *db = lens_test_db_create_v4 (path);
  sqlite3_stmt *stmt = NULL;
  static const char *running =
    "{\"id\":\"" ID_B "\",\"type\":\"upscale\",\"created_at\":1720000000,"
    "\"request\":{\"prompt\":\"a running cat\"},\"response\":{\"progress\":42,\"success\":true}}";
  const struct
  {
    const char *id;
    const char *raw_json;
    const char *local_state;
    const char *local_error;
  } rows[] = {
    { ID_A, record_a, NULL, NULL },
    { ID_B, running, "stalled", NULL },
    { ID_C, record_c, "failed", "The AceData API refused the request" },
    { ID_D, "{}", "not-found", NULL },
    { ID_E, NULL, NULL, NULL },
  };
  static const LensTaskState states[] = {
    LENS_TASK_STATE_DONE, LENS_TASK_STATE_STALLED, LENS_TASK_STATE_FAILED,
    LENS_TASK_STATE_NOT_FOUND, LENS_TASK_STATE_QUEUED,
  };

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tasks (id, position, raw_json, added_at, local_state,"
                                           " local_error) VALUES (?1, ?2, ?3, 1600000000, ?4, ?5)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      sqlite3_bind_text (stmt, 1, rows[i].id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, rows[i].raw_json, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, rows[i].local_state, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, rows[i].local_error, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  store = lens_task_store_new (path);
  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_null (loaded.recovery_message);
  g_assert_cmpuint (loaded.tasks->len, ==, G_N_ELEMENTS (rows));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      LensTask *task = g_ptr_array_index (loaded.tasks, i);

      g_assert_cmpstr (lens_task_get_id (task), ==, rows[i].id);
      g_assert_cmpint (lens_task_get_state (task), ==, states[i]);
      g_assert_false (lens_task_has_details (task));
    }
  g_assert_cmpint (lens_task_get_progress (g_ptr_array_index (loaded.tasks, 1)), ==, 42);
  g_assert_cmpstr (lens_task_get_task_type (g_ptr_array_index (loaded.tasks, 1)), ==, "upscale");
  g_assert_cmpfloat (lens_task_get_created_at (g_ptr_array_index (loaded.tasks, 1)), ==, 1720000000);
  g_assert_cmpstr (lens_task_get_local_error (g_ptr_array_index (loaded.tasks, 2)), ==,
                   "The AceData API refused the request");

  /* The columns, as stored. */
  assert_query (path, "PRAGMA user_version", "8");
  assert_query (path, "SELECT group_concat (state, ' ' ORDER BY position) FROM tasks", "done stalled failed not-found queued");
  assert_query (path, "SELECT prompt FROM tasks WHERE id = '" ID_C "'", "Koi fish in a moonlit pond");
  assert_query (path, "SELECT finished_at FROM tasks WHERE id = '" ID_A "'", "1720364637.25");
  assert_query (path, "SELECT progress FROM tasks WHERE id = '" ID_A "'", "100");
  assert_query (path, "SELECT task_type FROM tasks WHERE id = '" ID_D "'", "NULL");

  /* And the search index. */
  assert_search (store, "고양이", IDS (ID_A));
  assert_search (store, "moonlit", IDS (ID_C));
  assert_search (store, "running", IDS (ID_B));
  assert_index_intact (path);
  /* Version 7 indexes prompts alone: no id is left in the index of
   * versions 5 and 6, though the index still keeps each id beside its
   * prompt. */
  assert_query (path, "SELECT count(*) FROM tasks_search_content WHERE c0 = '" ID_B "'", "1");
  assert_query (path, "SELECT count(*) FROM tasks_search WHERE tasks_search MATCH '\"807f62de\"'", "0");
  g_assert_finalize_object (g_steal_pointer (&store));
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/task-store-search/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("load-from-columns", test_load_from_columns);
  ADD ("read-records", test_read_records);
  ADD ("prompts", test_search_prompts);
  ADD ("ids", test_search_ids);
  ADD ("short-words", test_search_short_words);
  ADD ("prepared", test_search_prepared);
  ADD ("follows-changes", test_search_follows_changes);
  ADD ("cancelled", test_search_cancelled);
  ADD ("migration-from-v4", test_migration_from_v4);
#undef ADD

  return g_test_run ();
}
