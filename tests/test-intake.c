/* test-intake.c — LensIntake adds what comes in, in slices and in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A paste of 10,000 ids must not hold the main loop: the intake adds them a
 * slice per main-loop turn. These tests check what the user relies on
 * meanwhile: every id comes in, once and in order; "Added N tasks" is said
 * once, with the whole count, after the history has written all of them;
 * and texts and files that come during a long add wait their turn.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "lens-intake.h"
#include "lens-test.h"
#include "lens-test-store.h"
#include "lens-turn-budget.h"

/* Large enough to be scanned in a worker and added over many turns. */
#define N_IDS 10000

typedef struct
{
  char          *dir;
  char          *path;       /* the history's file */
  LensTaskStore *store;
  LensTaskList  *tasks;
  LensHistory   *history;
  LensIntake    *intake;
  GPtrArray     *messages;   /* of char* */
  GArray        *n_stored;   /* of guint: tasks in the file when each message came */
  GArray        *added;      /* of guint: n_new of each "added" */
  GArray        *slices;     /* of guint: the ids each items-changed of the list added */
  guint          listener_us_per_id; /* what the list's listener takes per id it is told of */
} Fixture;

static guint
count_stored (Fixture *fixture)
{
  g_autofree char *count = lens_test_db_query (fixture->path, "SELECT count(*) FROM tasks");

  return (guint) g_ascii_strtoull (count, NULL, 10);
}

static void
message_cb (LensIntake *intake,
            const char *text,
            Fixture    *fixture)
{
  guint n = count_stored (fixture);

  g_ptr_array_add (fixture->messages, g_strdup (text));
  g_array_append_val (fixture->n_stored, n);
}

static void
added_cb (LensIntake *intake,
          guint       n_new,
          gboolean    was_empty,
          Fixture    *fixture)
{
  g_array_append_val (fixture->added, n_new);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       n_removed,
                  guint       n_added,
                  Fixture    *fixture)
{
  g_array_append_val (fixture->slices, n_added);
  /* A listener as slow as a view making rows. */
  if (fixture->listener_us_per_id > 0)
    g_usleep ((gulong) n_added * fixture->listener_us_per_id);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(LensTestLoaded) loaded = { 0 };

  fixture->dir = lens_test_make_scratch_dir ("intake");
  fixture->path = g_build_filename (fixture->dir, "tasks.db", NULL);
  fixture->store = lens_task_store_new (fixture->path);
  lens_test_store_load (fixture->store, &loaded);
  g_assert_no_error (loaded.error);

  fixture->tasks = lens_task_list_new ();
  fixture->history = lens_history_new (fixture->store, fixture->tasks);
  fixture->intake = lens_intake_new (fixture->tasks);
  lens_intake_set_history (fixture->intake, fixture->history);

  fixture->messages = g_ptr_array_new_with_free_func (g_free);
  fixture->n_stored = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->added = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->slices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (fixture->intake, "message", G_CALLBACK (message_cb), fixture);
  g_signal_connect (fixture->intake, "added", G_CALLBACK (added_cb), fixture);
  g_signal_connect (fixture->tasks, "items-changed", G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) nothing = g_ptr_array_new ();

  lens_intake_cancel_all (fixture->intake);
  lens_test_finalize_eventually (&fixture->intake);
  /* An empty write waits in the worker for one still in flight. */
  g_assert_true (lens_task_store_write_sync (fixture->store, nothing, NULL));
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&fixture->history));
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  g_clear_object (&fixture->tasks);
  g_ptr_array_unref (fixture->messages);
  g_array_unref (fixture->slices);
  g_array_unref (fixture->n_stored);
  g_array_unref (fixture->added);
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static guint
n_tasks (Fixture *fixture)
{
  return g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks));
}

/* Checks that the list holds, from @position on, the ids
 * lens_test_make_id() makes for @first … @first + @n_ids - 1. */
static void
assert_ids_at (Fixture *fixture,
               guint    position,
               guint    first,
               guint    n_ids)
{
  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (fixture->tasks), position + i);
      g_autofree char *expected = lens_test_make_id (first + i);

      g_assert_nonnull (task);
      g_assert_cmpstr (lens_task_get_id (task), ==, expected);
    }
}

static const char *
message_at (Fixture *fixture,
            guint    index)
{
  return g_ptr_array_index (fixture->messages, index);
}

/* Tests */

/* Every slice is at most twice the one before, and none above the most. */
static void
assert_slices_grow_gently (Fixture *fixture)
{
  guint total = 0;

  g_assert_cmpuint (fixture->slices->len, >, 0);
  g_assert_cmpuint (g_array_index (fixture->slices, guint, 0), ==, LENS_INTAKE_FIRST_SLICE);
  for (guint i = 0; i < fixture->slices->len; i++)
    {
      guint slice = g_array_index (fixture->slices, guint, i);

      g_assert_cmpuint (slice, <=, LENS_INTAKE_SLICE_SIZE);
      if (i > 0)
        g_assert_cmpuint (slice, <=, 2 * g_array_index (fixture->slices, guint, i - 1));
      total += slice;
    }
  g_assert_cmpuint (total, ==, N_IDS);
}

/* 10,000 pasted ids come in over many main-loop turns, a slice at a time,
 * yet all of them, in order; one "added" and one message give the whole
 * count, and the message comes once the history holds every one of them.
 * The first slice is small (into an empty window, the view makes a row for
 * each of the first ids), and the slices grow from there, at most doubling. */
static void
test_slices (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (0, N_IDS);
  guint n_first;

  lens_intake_set_ready (fixture->intake, TRUE);
  lens_intake_add_text (fixture->intake, text, NULL);

  /* The first slice goes in as soon as the worker has found the ids… */
  LENS_TEST_SPIN_UNTIL (n_tasks (fixture) > 0, LENS_TEST_DEADLINE_MS);
  n_first = n_tasks (fixture);
  g_assert_cmpuint (n_first, ==, LENS_INTAKE_FIRST_SLICE);
  g_assert_cmpuint (fixture->added->len, ==, 0);
  /* …and one turn of the main loop adds one more, not the rest. */
  g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n_tasks (fixture), <, N_IDS);

  LENS_TEST_SPIN_UNTIL (fixture->messages->len > 0, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (n_tasks (fixture), ==, N_IDS);
  assert_ids_at (fixture, 0, 0, N_IDS);
  assert_slices_grow_gently (fixture);

  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_cmpuint (g_array_index (fixture->added, guint, 0), ==, N_IDS);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_cmpstr (message_at (fixture, 0), ==, "Added 10000 tasks");
  g_assert_cmpuint (g_array_index (fixture->n_stored, guint, 0), ==, N_IDS);

  /* Nothing else is said later. */
  lens_test_spin_for (100);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
}

/* Slices are sized by what a turn takes: with a listener of the list that
 * takes 100 µs per id, a turn of 4 ms fits 40 ids, and no slice after the
 * first is larger, where a cheap listener lets them grow to
 * LENS_INTAKE_SLICE_SIZE. The paste still comes in whole and in order. */
static void
test_slices_sized_by_time (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (0, N_IDS);

  fixture->listener_us_per_id = 100;
  lens_intake_set_ready (fixture->intake, TRUE);
  lens_intake_add_text (fixture->intake, text, NULL);
  LENS_TEST_SPIN_UNTIL (fixture->messages->len > 0, LENS_TEST_DEADLINE_MS);

  assert_slices_grow_gently (fixture);
  for (guint i = 1; i < fixture->slices->len; i++)
    g_assert_cmpuint (g_array_index (fixture->slices, guint, i), <=, 40);
  assert_ids_at (fixture, 0, 0, N_IDS);
  g_assert_cmpstr (message_at (fixture, 0), ==, "Added 10000 tasks");
}

/* Other main-thread work of the same priority that takes what the turn
 * gives it (the refresher applying a burst of answers), every turn, until
 * removed. */
static gboolean
busy_slice_cb (gpointer user_data)
{
  gint64 until = lens_turn_budget_until (4000);

  while (g_get_monotonic_time () < until)
    ;
  return G_SOURCE_CONTINUE;
}

/* A slice that comes late in a turn has what the turn has left
 * (lens-turn-budget.c), at least a millisecond: cheap ids fill more of it
 * than a handful. Its slices are still sized by what they take, and grow
 * past the first while another slice holds the rest of every turn. */
static void
test_slices_grow_beside_other_work (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (0, N_IDS);
  guint busy_id;
  guint largest = 0;

  /* Before the intake's slice, in every turn. */
  busy_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, busy_slice_cb, NULL, NULL);
  lens_intake_set_ready (fixture->intake, TRUE);
  lens_intake_add_text (fixture->intake, text, NULL);
  lens_test_spin_for (500);
  g_source_remove (busy_id);

  for (guint i = 1; i < fixture->slices->len; i++)
    largest = MAX (largest, g_array_index (fixture->slices, guint, i));
  g_test_message ("%u slices in 500 ms beside other work, %u ids, the largest after the first %u",
                  fixture->slices->len, n_tasks (fixture), largest);
  g_assert_cmpuint (largest, >, LENS_INTAKE_FIRST_SLICE);

  LENS_TEST_SPIN_UNTIL (fixture->messages->len > 0, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (n_tasks (fixture), ==, N_IDS);
}

/* What was in the list before, and what comes into it by another way (a
 * sync) between two slices, is counted as already there and not added
 * twice; the rest keeps its order. */
static void
test_slices_count_existing (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *text = lens_test_make_id_lines (0, N_IDS);
  g_autofree char *before = lens_test_make_id (N_IDS / 2);
  g_autofree char *late = lens_test_make_id (N_IDS - 1);

  lens_task_list_add_ids (fixture->tasks, (const char *[]) { before, NULL }, NULL);
  lens_intake_set_ready (fixture->intake, TRUE);
  lens_intake_add_text (fixture->intake, text, NULL);
  LENS_TEST_SPIN_UNTIL (n_tasks (fixture) > 1, LENS_TEST_DEADLINE_MS);
  lens_task_list_add_ids (fixture->tasks, (const char *[]) { late, NULL }, NULL);

  LENS_TEST_SPIN_UNTIL (fixture->messages->len > 0, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (message_at (fixture, 0), ==, "Added 9998 tasks · 2 were already in the list");
  g_assert_cmpuint (n_tasks (fixture), ==, N_IDS);
  g_assert_cmpuint (g_array_index (fixture->added, guint, 0), ==, N_IDS - 2);
}

typedef struct
{
  Fixture *fixture;
  GArray  *sizes;    /* of guint: the list's size at each start */
} Starts;

static void
started_cb (LensIntake *intake,
            Starts     *starts)
{
  guint n = n_tasks (starts->fixture);

  g_array_append_val (starts->sizes, n);
}

/* Texts, large or small, go in in the order they came, and so do their
 * messages: a small paste waits for a large one still being scanned or
 * added before it, and so does a file read meanwhile. Each says when it
 * starts going in ("started": the refresher looks each up as a group of
 * its own), once the one before is in whole. */
static void
test_order_of_texts_and_files (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  Starts starts = { fixture, sizes };
  g_autofree char *large = lens_test_make_id_lines (0, N_IDS);
  g_autofree char *small = lens_test_make_id_lines (N_IDS, 2);
  g_autofree char *file_ids = lens_test_make_id_lines (N_IDS + 2, 3);
  g_autofree char *file_path = g_build_filename (fixture->dir, "ids.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (file_path);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  g_assert_true (g_file_set_contents (file_path, file_ids, -1, NULL));
  g_list_store_append (files, file);
  lens_intake_set_ready (fixture->intake, TRUE);
  g_signal_connect (fixture->intake, "started", G_CALLBACK (started_cb), &starts);

  lens_intake_add_text (fixture->intake, large, NULL);
  lens_intake_add_text (fixture->intake, small, NULL);
  lens_intake_import_files (fixture->intake, G_LIST_MODEL (files));
  /* The small text does not jump the queue while the large one is scanned. */
  g_assert_cmpuint (n_tasks (fixture), ==, 0);

  LENS_TEST_SPIN_UNTIL (fixture->messages->len == 3, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (n_tasks (fixture), ==, N_IDS + 5);
  assert_ids_at (fixture, 0, 0, N_IDS + 5);
  g_assert_cmpstr (message_at (fixture, 0), ==, "Added 10000 tasks");
  g_assert_cmpstr (message_at (fixture, 1), ==, "Added 2 tasks");
  g_assert_cmpstr (message_at (fixture, 2), ==, "Added 3 tasks");
  g_assert_cmpuint (g_array_index (fixture->n_stored, guint, 2), ==, N_IDS + 5);
  g_assert_cmpuint (sizes->len, ==, 3);
  g_assert_cmpuint (g_array_index (sizes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (sizes, guint, 1), ==, N_IDS);
  g_assert_cmpuint (g_array_index (sizes, guint, 2), ==, N_IDS + 2);
  g_signal_handlers_disconnect_by_data (fixture->intake, &starts);
}

/* What comes before the intake is ready (the history still loading) waits,
 * and then goes in in the order it came: the texts, then the files. */
static void
test_order_when_ready (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *large = lens_test_make_id_lines (0, N_IDS);
  g_autofree char *small = lens_test_make_id_lines (N_IDS, 2);
  g_autofree char *file_ids = lens_test_make_id_lines (N_IDS + 2, 3);
  g_autofree char *file_path = g_build_filename (fixture->dir, "ids.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (file_path);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  g_assert_true (g_file_set_contents (file_path, file_ids, -1, NULL));
  g_list_store_append (files, file);

  lens_intake_import_files (fixture->intake, G_LIST_MODEL (files));
  lens_intake_add_text (fixture->intake, large, NULL);
  lens_intake_add_text (fixture->intake, small, NULL);
  lens_test_spin_for (50);
  g_assert_cmpuint (n_tasks (fixture), ==, 0);

  lens_intake_set_ready (fixture->intake, TRUE);
  LENS_TEST_SPIN_UNTIL (fixture->messages->len == 3, LENS_TEST_DEADLINE_MS);
  assert_ids_at (fixture, 0, 0, N_IDS + 5);
  g_assert_cmpstr (message_at (fixture, 0), ==, "Added 10000 tasks");
  g_assert_cmpstr (message_at (fixture, 1), ==, "Added 2 tasks");
  g_assert_cmpstr (message_at (fixture, 2), ==, "Added 3 tasks");
}

/* A file that cannot be read is said in its turn, after what came before. */
static void
test_failed_file_in_turn (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *large = lens_test_make_id_lines (0, N_IDS);
  g_autofree char *missing_path = g_build_filename (fixture->dir, "missing.txt", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  g_list_store_append (files, missing);
  lens_intake_set_ready (fixture->intake, TRUE);
  lens_intake_add_text (fixture->intake, large, NULL);
  lens_intake_import_files (fixture->intake, G_LIST_MODEL (files));

  LENS_TEST_SPIN_UNTIL (fixture->messages->len == 2, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (message_at (fixture, 0), ==, "Added 10000 tasks");
  g_assert_true (g_str_has_prefix (message_at (fixture, 1), "Could not read “missing.txt”"));
}

static void
add_more_cb (LensIntake *intake,
             guint       n_new,
             gboolean    was_empty,
             char      **more)
{
  g_autofree char *text = g_steal_pointer (more);

  if (text != NULL)
    lens_intake_add_text (intake, text, NULL);
}

/* Who listens to "added" may bring more in from its handler: that goes
 * after, and the job being finished is neither run nor said twice. */
static void
test_listener_adds_more (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *first = lens_test_make_id_lines (0, 2);
  char *more = lens_test_make_id_lines (2, 3);

  g_signal_connect (fixture->intake, "added", G_CALLBACK (add_more_cb), &more);
  lens_intake_set_ready (fixture->intake, TRUE);
  lens_intake_add_text (fixture->intake, first, NULL);

  LENS_TEST_SPIN_UNTIL (fixture->messages->len == 2, LENS_TEST_DEADLINE_MS);
  lens_test_spin_for (50);
  g_assert_null (more);
  assert_ids_at (fixture, 0, 0, 5);
  g_assert_cmpuint (fixture->added->len, ==, 2);
  g_assert_cmpuint (fixture->messages->len, ==, 2);
  g_assert_cmpstr (message_at (fixture, 0), ==, "Added 2 tasks");
  g_assert_cmpstr (message_at (fixture, 1), ==, "Added 3 tasks");
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add ("/intake/slices", Fixture, NULL, fixture_set_up, test_slices, fixture_tear_down);
  g_test_add ("/intake/slices-sized-by-time", Fixture, NULL,
              fixture_set_up, test_slices_sized_by_time, fixture_tear_down);
  g_test_add ("/intake/slices-grow-beside-other-work", Fixture, NULL,
              fixture_set_up, test_slices_grow_beside_other_work, fixture_tear_down);
  g_test_add ("/intake/slices-count-existing", Fixture, NULL,
              fixture_set_up, test_slices_count_existing, fixture_tear_down);
  g_test_add ("/intake/order-of-texts-and-files", Fixture, NULL,
              fixture_set_up, test_order_of_texts_and_files, fixture_tear_down);
  g_test_add ("/intake/order-when-ready", Fixture, NULL,
              fixture_set_up, test_order_when_ready, fixture_tear_down);
  g_test_add ("/intake/failed-file-in-turn", Fixture, NULL,
              fixture_set_up, test_failed_file_in_turn, fixture_tear_down);

  g_test_add ("/intake/listener-adds-more", Fixture, NULL,
              fixture_set_up, test_listener_adds_more, fixture_tear_down);

  return g_test_run ();
}
