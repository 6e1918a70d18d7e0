/* test-gallery-rows.c — tasks cut into rows of thumbnails, a section a day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in UTC (lens_test_init's TZ is the machine's: the days are set at
 * noon, far from any midnight), without a display: the model is GTK's
 * GListModel and GtkSectionModel only.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "lens-format.h"
#include "lens-gallery-rows.h"
#include "lens-test.h"

/* 2024-07-07 12:00:00 UTC. */
#define NOON 1720353600.0
#define DAY (24 * 60 * 60.0)

/* A task made @days_ago days before NOON, or not looked up yet (-1). */
static LensTask *
task_new (guint n,
          int   days_ago)
{
  g_autofree char *id = lens_test_make_id (n);
  LensTaskSummary summary = {
    .id = id, .state = LENS_TASK_STATE_DONE, .progress = 100, .task_type = "imagine",
    .created_at = days_ago >= 0 ? NOON - days_ago * DAY : -1,
    .finished_at = days_ago >= 0 ? NOON - days_ago * DAY + 60 : -1,
  };

  return lens_task_new_from_summary (&summary);
}

/* A store of tasks made the given days ago, in that order; -1 ends. */
static GListStore *
store_new (const int *days_ago)
{
  GListStore *store = g_list_store_new (LENS_TYPE_TASK);

  for (guint i = 0; days_ago[i] != -1; i++)
    {
      g_autoptr(LensTask) task = task_new (i, days_ago[i]);

      g_list_store_append (store, task);
    }
  return store;
}

/* "3+2|1" for rows of 3 and 2 tasks in one section, then one of 1. */
static char *
describe (LensGalleryRows *rows)
{
  GListModel *model = G_LIST_MODEL (rows);
  GString *text = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LensGalleryRow) row = g_list_model_get_item (model, i);
      guint start, end;

      gtk_section_model_get_section (GTK_SECTION_MODEL (rows), i, &start, &end);
      if (i > 0)
        g_string_append_c (text, start == i ? '|' : '+');
      g_string_append_printf (text, "%u", lens_gallery_row_get_n_tasks (row));
      /* Each row's section says its day's count. */
      g_assert_cmpuint (end, >, i);
    }
  return g_string_free (text, FALSE);
}

static guint
n_changes (guint *counter)
{
  guint n = *counter;

  *counter = 0;
  return n;
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *counter)
{
  (*counter)++;
}

/* A new row at every day and every N tasks; sections are days. */
static void
test_rows_cut (void)
{
  static const int days[] = { 0, 0, 0, 0, 0, 1, 1, 3, 3, 3, -1 };
  g_autoptr(GListStore) store = store_new (days);
  g_autoptr(LensGalleryRows) rows = lens_gallery_rows_new (G_LIST_MODEL (store));
  g_autofree char *one = NULL;
  g_autofree char *three = NULL;
  g_autoptr(LensGalleryRow) first = NULL;
  g_autoptr(LensGalleryRow) last = NULL;

  g_assert_false (lens_gallery_rows_get_pending (rows));
  one = describe (rows);
  g_assert_cmpstr (one, ==, "1+1+1+1+1|1+1|1+1+1");

  lens_gallery_rows_set_columns (rows, 3);
  three = describe (rows);
  g_assert_cmpstr (three, ==, "3+2|2|3");

  first = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  g_assert_cmpint (lens_gallery_row_get_day (first), ==, lens_format_local_day (NOON));
  g_assert_cmpuint (lens_gallery_row_get_day_count (first), ==, 5);
  g_assert_true (lens_gallery_row_get_task (first, 0) == g_list_model_get_item (G_LIST_MODEL (store), 0));
  g_object_unref (lens_gallery_row_get_task (first, 0));
  last = g_list_model_get_item (G_LIST_MODEL (rows), 3);
  g_assert_cmpint (lens_gallery_row_get_day (last), ==, lens_format_local_day (NOON - 3 * DAY));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (rows), 4));
}

/* Positions of tasks ↔ rows and cells, for the keys. */
static void
test_locate (void)
{
  static const int days[] = { 0, 0, 0, 0, 0, 1, 1, 3, 3, 3, -1 };
  g_autoptr(GListStore) store = store_new (days);
  g_autoptr(LensGalleryRows) rows = lens_gallery_rows_new (G_LIST_MODEL (store));
  guint row = 0, column = 0;

  lens_gallery_rows_set_columns (rows, 3);   /* 3+2|2|3 */
  g_assert_true (lens_gallery_rows_locate (rows, 4, &row, &column));
  g_assert_cmpuint (row, ==, 1);
  g_assert_cmpuint (column, ==, 1);
  g_assert_true (lens_gallery_rows_locate (rows, 9, &row, &column));
  g_assert_cmpuint (row, ==, 3);
  g_assert_cmpuint (column, ==, 2);
  g_assert_false (lens_gallery_rows_locate (rows, 10, NULL, NULL));

  /* Down from the third cell into a row of two: its last. */
  g_assert_cmpuint (lens_gallery_rows_get_position (rows, 1, 2), ==, 4);
  g_assert_cmpuint (lens_gallery_rows_get_position (rows, 2, 2), ==, 6);
  g_assert_cmpuint (lens_gallery_rows_get_position (rows, 3, 0), ==, 7);
  g_assert_cmpuint (lens_gallery_rows_get_position (rows, 4, 0), ==, GTK_INVALID_LIST_POSITION);
}

/* Changes in the tasks change only the rows they touch. */
static void
test_items_changed (void)
{
  static const int days[] = { 0, 0, 0, 0, 1, 1, 3, -1 };
  g_autoptr(GListStore) store = store_new (days);
  g_autoptr(LensGalleryRows) rows = lens_gallery_rows_new (G_LIST_MODEL (store));
  g_autoptr(LensTask) today = task_new (100, 0);
  g_autoptr(LensTask) other = task_new (101, 2);
  guint changes = 0;
  char *text;

  lens_gallery_rows_set_columns (rows, 3);
  text = describe (rows);
  g_assert_cmpstr (text, ==, "3+1|2|1");
  g_free (text);
  g_signal_connect (rows, "items-changed", G_CALLBACK (count_changes_cb), &changes);

  /* A task of today at the top: today's rows change. */
  g_list_store_insert (store, 0, today);
  text = describe (rows);
  g_assert_cmpstr (text, ==, "3+2|2|1");
  g_free (text);
  g_assert_cmpuint (n_changes (&changes), ==, 1);

  /* Another day between two: a section of its own. */
  g_list_store_insert (store, 7, other);
  text = describe (rows);
  g_assert_cmpstr (text, ==, "3+2|2|1|1");
  g_free (text);

  /* Removing it joins nothing (days differ), removing a whole day does. */
  g_list_store_remove (store, 7);
  g_list_store_splice (store, 5, 2, NULL, 0);
  text = describe (rows);
  g_assert_cmpstr (text, ==, "3+2|1");
  g_free (text);

  /* A task of another day in the middle of today splits it in two. */
  g_list_store_insert (store, 2, other);
  text = describe (rows);
  g_assert_cmpstr (text, ==, "2|1|3|1");
  g_free (text);
  g_list_store_remove (store, 2);
  text = describe (rows);
  g_assert_cmpstr (text, ==, "3+2|1");
  g_free (text);

  /* Everything goes. */
  g_list_store_remove_all (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 0);
}

typedef struct
{
  guint position, removed, added;
} Change;

static void
record_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Change     *change)
{
  *change = (Change) { position, removed, added };
}

/* Only the rows of the day changed are said to change: the view keeps the
 * others' widgets. */
static void
test_change_is_local (void)
{
  static const int days[] = { 0, 0, 1, 1, 1, 1, 3, 3, -1 };
  g_autoptr(GListStore) store = store_new (days);
  g_autoptr(LensGalleryRows) rows = lens_gallery_rows_new (G_LIST_MODEL (store));
  g_autoptr(LensTask) yesterday = task_new (100, 1);
  Change change = { 0 };

  lens_gallery_rows_set_columns (rows, 2);   /* 2|2+2|2 */
  g_signal_connect (rows, "items-changed", G_CALLBACK (record_change_cb), &change);

  g_list_store_insert (store, 4, yesterday);
  g_assert_cmpuint (change.position, ==, 1);
  g_assert_cmpuint (change.removed, ==, 2);
  g_assert_cmpuint (change.added, ==, 3);
}

/* 100,000 tasks are placed in slices on idle, the first at once. */
static void
test_placed_in_slices (void)
{
  g_autoptr(GListStore) store = g_list_store_new (LENS_TYPE_TASK);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(LensGalleryRows) rows = NULL;
  guint n = 100000, n_first;
  gint64 start, first_slice;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (tasks, task_new (i, i / 100));
  g_list_store_splice (store, 0, 0, tasks->pdata, tasks->len);

  start = g_get_monotonic_time ();
  rows = lens_gallery_rows_new (G_LIST_MODEL (store));
  first_slice = g_get_monotonic_time () - start;
  lens_gallery_rows_set_columns (rows, 4);
  g_assert_true (lens_gallery_rows_get_pending (rows));
  n_first = lens_gallery_rows_get_n_placed (rows);
  g_assert_cmpuint (n_first, >, 0);
  g_assert_cmpuint (n_first, <, n);
  LENS_TEST_SPIN_UNTIL (!lens_gallery_rows_get_pending (rows), LENS_TEST_DEADLINE_MS);
  g_test_message ("100,000 tasks placed in %.0f ms, the first slice (%u tasks) in %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0, n_first, first_slice / 1000.0);
  g_assert_cmpuint (lens_gallery_rows_get_n_placed (rows), ==, n);
  /* 1,000 days of 100 tasks: 25 rows each. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1000 * 25);

  /* A new sort (everything changes) places them again. */
  g_list_store_splice (store, 0, n, tasks->pdata, tasks->len);
  g_assert_true (lens_gallery_rows_get_pending (rows));
  LENS_TEST_SPIN_UNTIL (!lens_gallery_rows_get_pending (rows), LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1000 * 25);
}

/* Sorted by finish, the days are those of the finish. */
static void
test_day_of_finish (void)
{
  static const int days[] = { 0, 0, 1, -1 };
  g_autoptr(GListStore) store = store_new (days);
  g_autoptr(LensGalleryRows) rows = lens_gallery_rows_new (G_LIST_MODEL (store));
  g_autofree char *late_id = lens_test_make_id (51);
  /* Made yesterday, finished today. */
  LensTaskSummary late_summary = {
    .id = late_id, .state = LENS_TASK_STATE_DONE, .progress = 100,
    .created_at = NOON - DAY, .finished_at = NOON,
  };
  g_autoptr(LensTask) late = lens_task_new_from_summary (&late_summary);
  g_autofree char *unfinished_id = lens_test_make_id (50);
  g_autoptr(LensTask) unfinished = lens_task_new (unfinished_id);
  g_autofree char *created = NULL;
  g_autofree char *finished = NULL;

  g_list_store_insert (store, 2, late);
  g_list_store_append (store, unfinished);
  lens_gallery_rows_set_columns (rows, 4);
  created = describe (rows);
  g_assert_cmpstr (created, ==, "2|2|1");

  lens_gallery_rows_set_day_of (rows, LENS_GALLERY_DAY_FINISHED);
  finished = describe (rows);
  g_assert_cmpstr (finished, ==, "3|1|1");
  g_assert_cmpint (lens_gallery_rows_get_day_of (rows), ==, LENS_GALLERY_DAY_FINISHED);
}

/* A task added before it is looked up is under no day; when its time
 * comes, it moves to its day, and the rest stays. */
static void
test_undated_placed (void)
{
  static const int days[] = { 0, 0, -1 };
  g_autoptr(GListStore) store = store_new (days);
  g_autoptr(LensGalleryRows) rows = lens_gallery_rows_new (G_LIST_MODEL (store));
  g_autofree char *id = lens_test_make_id (60);
  g_autoptr(LensTask) waiting = lens_task_new (id);
  g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"created_at\": %.0f}", id, NOON - 3 * DAY);
  g_autoptr(JsonNode) record = json_from_string (json, NULL);
  g_autoptr(LensGalleryRow) last = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_list_store_append (store, waiting);
  lens_gallery_rows_set_columns (rows, 4);
  before = describe (rows);
  g_assert_cmpstr (before, ==, "2|1");

  lens_task_update_from_json (waiting, record);
  g_assert_cmpfloat (lens_task_get_created_at (waiting), >, 0);
  lens_gallery_rows_place_undated (rows);
  after = describe (rows);
  g_assert_cmpstr (after, ==, "2|1");
  last = g_list_model_get_item (G_LIST_MODEL (rows), 1);
  g_assert_cmpint (lens_gallery_row_get_day (last), ==, lens_format_local_day (NOON - 3 * DAY));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  lens_test_init (&argc, &argv);

  g_test_add_func ("/gallery-rows/cut", test_rows_cut);
  g_test_add_func ("/gallery-rows/locate", test_locate);
  g_test_add_func ("/gallery-rows/items-changed", test_items_changed);
  g_test_add_func ("/gallery-rows/change-is-local", test_change_is_local);
  g_test_add_func ("/gallery-rows/placed-in-slices", test_placed_in_slices);
  g_test_add_func ("/gallery-rows/day-of-finish", test_day_of_finish);
  g_test_add_func ("/gallery-rows/undated-placed", test_undated_placed);

  return g_test_run ();
}
