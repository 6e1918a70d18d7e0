/* test-task-store-damage.c — the history's check after the load, and salvage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 9: the load no longer checks the whole file first. Damage the load
 * does not read (a page of records, not the summary index) is found by the
 * check that runs after it, in the background, at most once a day; the
 * store says so once and marks the file, and the next opening keeps every
 * task it can read and sets the file aside. Damage the load itself meets
 * is in test-task-store (damaged-pages).
 */

#define G_LOG_DOMAIN "test-task-store-damage"

#include "config.h"

#include <string.h>

#include "lens-task-store.h"
#include "lens-task-store-private.h"
#include "lens-test.h"
#include "lens-test-store.h"

#define N_TASKS 300
#define DAY     (24 * 60 * 60)

typedef struct
{
  char *dir;     /* scratch directory */
  char *path;    /* tasks.db inside it */
  char *marker;  /* tasks.db.damaged beside it */
} Fixture;

/* ─── helpers ──────────────────────────────────────────────────────────── */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = lens_test_make_scratch_dir ("tasklens-task-store-damage");
  fixture->path = g_build_filename (fixture->dir, "tasks.db", NULL);
  fixture->marker = g_strconcat (fixture->path, ".damaged", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->marker);
}

static void
damaged_cb (LensTaskStore *store,
            const GError  *error,
            gpointer       user_data)
{
  GError **said = user_data;

  /* Once only. */
  g_assert_null (*said);
  *said = g_error_copy (error);
}

static gint64
passed_at (const char *path)
{
  g_autofree char *text = lens_test_db_query (path, "SELECT passed_at FROM checks WHERE name = 'quick_check'");

  return g_ascii_strtoll (text, NULL, 10);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ─── tests ────────────────────────────────────────────────────────────── */

/* The rule alone: a pass holds for a day, and a pass "in the future" (a
 * clock set back) holds for nothing. */
static void
test_due (void)
{
  const gint64 now = 1760000000;

  g_assert_true (lens_task_store_check_is_due (0, now));
  g_assert_false (lens_task_store_check_is_due (now, now));
  g_assert_false (lens_task_store_check_is_due (now - DAY + 1, now));
  g_assert_true (lens_task_store_check_is_due (now - DAY, now));
  g_assert_true (lens_task_store_check_is_due (now - 30 * DAY, now));
  g_assert_true (lens_task_store_check_is_due (now + 60, now));
}

/* A damaged page of records: the load reads only the summary index, so it
 * loads every summary and says nothing; the check after it finds the
 * damage, the store says so once and marks the file; the next opening
 * keeps every task whole whose row reads, and the others, which the
 * summary index still knows, as tasks to look up again; it sets the file
 * aside and says how many it kept, of how many. */
static void
test_record_page (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = NULL;
  g_autoptr(GError) said = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *relooked = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };
  g_auto(LensTestLoaded) salvaged = { 0 };
  g_auto(LensTestLoaded) again = { 0 };
  guint n_lost, n_queued = 0;

  lens_test_store_fill (fixture->path, N_TASKS);
  n_lost = lens_test_db_damage_record_page (fixture->path);
  g_test_message ("The damaged page held %u tasks", n_lost);
  g_assert_cmpuint (n_lost, >, 0);

  store = lens_task_store_new (fixture->path);
  g_signal_connect (store, "damaged", G_CALLBACK (damaged_cb), &said);
  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_null (loaded.recovery_message);
  g_assert_cmpuint (loaded.tasks->len, ==, N_TASKS);

  LENS_TEST_SPIN_UNTIL (said != NULL, LENS_TEST_DEADLINE_MS);
  g_assert_error (said, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_DAMAGED);
  g_test_message ("Said: %s", said->message);
  g_assert_true (g_file_test (fixture->marker, G_FILE_TEST_IS_REGULAR));
  g_assert_finalize_object (g_steal_pointer (&store));

  store = lens_task_store_new (fixture->path);
  lens_test_store_load (store, &salvaged);
  g_assert_no_error (salvaged.error);
  g_assert_nonnull (salvaged.recovery_message);
  g_test_message ("Recovery message: %s", salvaged.recovery_message);
  g_assert_cmpuint (salvaged.tasks->len, ==, N_TASKS);
  for (guint i = 0; i < salvaged.tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (salvaged.tasks, i);
      g_autofree char *id = lens_test_store_fill_id (i);

      /* In the list's order still. */
      g_assert_cmpstr (lens_task_get_id (task), ==, id);
      if (lens_task_get_state (task) == LENS_TASK_STATE_QUEUED)
        n_queued++;
      else
        g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
    }
  g_assert_cmpuint (n_queued, ==, n_lost);
  {
    g_autofree char *id = lens_test_store_fill_id (0);
    g_autoptr(LensTask) whole = lens_test_store_read_record (store, id);

    g_assert_nonnull (whole);
    g_assert_true (lens_task_has_details (whole));
    g_assert_cmpstr (lens_task_get_prompt (whole), ==, "A cat sitting on a table");
  }
  g_assert_finalize_object (g_steal_pointer (&store));

  expected = g_strdup_printf ("kept %u of its %u tasks", N_TASKS, N_TASKS);
  g_assert_nonnull (strstr (salvaged.recovery_message, expected));
  relooked = g_strdup_printf ("%u of them lost their last record", n_lost);
  g_assert_nonnull (strstr (salvaged.recovery_message, relooked));
  g_assert_nonnull (strstr (salvaged.recovery_message, ".corrupt-"));
  g_assert_false (g_file_test (fixture->marker, G_FILE_TEST_EXISTS));

  /* The new file is whole: the next start says nothing. */
  store = lens_task_store_new (fixture->path);
  lens_test_store_load (store, &again);
  g_assert_no_error (again.error);
  g_assert_null (again.recovery_message);
  g_assert_cmpuint (again.tasks->len, ==, N_TASKS);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* A pass is remembered; within a day the load starts no check, after a day
 * it does. The file is damaged after the first pass, on a page the load
 * does not read, so that a check that runs says so. */
static void
test_once_a_day (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(LensTaskStore) store = NULL;
  g_autoptr(GPtrArray) nothing = g_ptr_array_new ();
  g_autoptr(GError) said = NULL;
  g_autofree char *set = NULL;
  gint64 before = now_seconds ();
  gint64 an_hour_ago = before - 3600;

  lens_test_store_fill (fixture->path, 60);
  g_assert_cmpint (passed_at (fixture->path), ==, 0);

  /* Never checked: the first load checks it, and notes the pass. */
  store = lens_task_store_new (fixture->path);
  {
    g_auto(LensTestLoaded) loaded = { 0 };

    lens_test_store_load (store, &loaded);
    g_assert_no_error (loaded.error);
  }
  LENS_TEST_SPIN_UNTIL (passed_at (fixture->path) >= before, LENS_TEST_DEADLINE_MS);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Passed an hour ago: the load starts no check, which would have found
   * the damage (a check of 60 tasks takes a millisecond; the write's round
   * trip and the main loop's turn leave it time to mark the file). */
  lens_test_db_damage_record_page (fixture->path);
  set = g_strdup_printf ("UPDATE checks SET passed_at = %" G_GINT64_FORMAT, an_hour_ago);
  lens_test_db_exec (fixture->path, set);
  store = lens_task_store_new (fixture->path);
  g_signal_connect (store, "damaged", G_CALLBACK (damaged_cb), &said);
  {
    g_auto(LensTestLoaded) loaded = { 0 };

    lens_test_store_load (store, &loaded);
    g_assert_no_error (loaded.error);
    g_assert_cmpuint (loaded.tasks->len, ==, 60);
  }
  lens_test_store_write (store, nothing);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&store));
  g_assert_null (said);
  g_assert_false (g_file_test (fixture->marker, G_FILE_TEST_EXISTS));
  g_assert_cmpint (passed_at (fixture->path), ==, an_hour_ago);

  /* A day and more ago: checked again, and the damage found. */
  g_free (set);
  set = g_strdup_printf ("UPDATE checks SET passed_at = %" G_GINT64_FORMAT, before - DAY - 1);
  lens_test_db_exec (fixture->path, set);
  store = lens_task_store_new (fixture->path);
  g_signal_connect (store, "damaged", G_CALLBACK (damaged_cb), &said);
  {
    g_auto(LensTestLoaded) loaded = { 0 };

    lens_test_store_load (store, &loaded);
    g_assert_no_error (loaded.error);
  }
  LENS_TEST_SPIN_UNTIL (said != NULL, LENS_TEST_DEADLINE_MS);
  g_assert_true (g_file_test (fixture->marker, G_FILE_TEST_IS_REGULAR));
  g_assert_finalize_object (g_steal_pointer (&store));
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/task-store-damage/due", test_due);
#define ADD(name, func) \
  g_test_add ("/task-store-damage/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("record-page", test_record_page);
  ADD ("once-a-day", test_once_a_day);
#undef ADD

  return g_test_run ();
}
