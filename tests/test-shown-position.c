/* test-shown-position.c — where a task shows, without asking the filter model for every row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lens_shown_position_find() answers what a scan of the window's filter
 * model would (lens-shown-position.c): for every task, sorted or in the
 * list's order, under a filter that keeps all, some or none, and when tasks
 * changed since the filter model asked about them. While the sort or the
 * filter model is still going through the tasks, it may say a task is not
 * shown yet, but never names a wrong row.
 */

#include "config.h"

#include "lens-shown-position.h"
#include "lens-task.h"
#include "lens-test.h"

#define N_TASKS 300

typedef enum
{
  KEEP_ALL,
  KEEP_SOME,   /* every task whose number is not a multiple of 3 */
  KEEP_NONE,
} Keep;

typedef struct
{
  LensTaskList       *list;
  GtkSortListModel   *sorted;
  GtkFilterListModel *filtered;
  GtkCustomSorter    *reverse;   /* owned: the list's order, reversed */
  Keep                keep;
} Fixture;

static guint
number_of (LensTask *task)
{
  /* lens_test_make_id() ends the id with its number, in hexadecimal. */
  return (guint) g_ascii_strtoull (lens_task_get_id (task) + 24, NULL, 16);
}

static int
reverse_cb (gconstpointer a,
            gconstpointer b,
            gpointer      user_data)
{
  guint na = number_of ((LensTask *) a), nb = number_of ((LensTask *) b);

  return na < nb ? 1 : na > nb ? -1 : 0;
}

static gboolean
keep_cb (gpointer item,
         gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->keep == KEEP_SOME && number_of (item) % 3 != 0;
}

/* A filter that says how strict it is, as the window's does: a custom
 * filter is always "some". */
static GtkFilter *
filter_for (Fixture *fixture)
{
  switch (fixture->keep)
    {
    case KEEP_ALL:
      return GTK_FILTER (gtk_every_filter_new ());
    case KEEP_NONE:
      return GTK_FILTER (gtk_any_filter_new ());
    case KEEP_SOME:
    default:
      return GTK_FILTER (gtk_custom_filter_new (keep_cb, fixture, NULL));
    }
}

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < N_TASKS; i++)
    g_strv_builder_take (builder, lens_test_make_id (i));
  ids = g_strv_builder_end (builder);
  fixture->list = lens_task_list_new ();
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  fixture->reverse = gtk_custom_sorter_new (reverse_cb, NULL, NULL);
  fixture->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (fixture->list)), NULL);
  fixture->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (fixture->sorted)), NULL);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  g_clear_object (&fixture->filtered);
  g_clear_object (&fixture->sorted);
  g_clear_object (&fixture->reverse);
  g_clear_object (&fixture->list);
}

static void
show (Fixture  *fixture,
      gboolean  reversed,
      Keep      keep)
{
  fixture->keep = keep;
  gtk_sort_list_model_set_sorter (fixture->sorted, reversed ? GTK_SORTER (fixture->reverse) : NULL);
  gtk_filter_list_model_set_filter (fixture->filtered, filter_for (fixture));
  g_object_unref (gtk_filter_list_model_get_filter (fixture->filtered));
}

/* Where a scan of the filter model finds @task, or G_MAXUINT. */
static guint
scanned_position (Fixture  *fixture,
                  LensTask *task)
{
  GListModel *model = G_LIST_MODEL (fixture->filtered);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LensTask) item = g_list_model_get_item (model, i);

      if (item == task)
        return i;
    }
  return G_MAXUINT;
}

/* Each task is found where a scan finds it, or not at all when a scan
 * does not find it; %TRUE for @some_pending allows "not found" for a task
 * a scan finds (a model still at work). Returns: how many were found. */
static guint
assert_like_a_scan (Fixture  *fixture,
                    gboolean  some_pending)
{
  guint n_found = 0;

  for (guint i = 0; i < N_TASKS; i++)
    {
      LensTask *task = lens_task_list_peek (fixture->list, i);
      guint expected = scanned_position (fixture, task);
      guint position = G_MAXUINT;

      if (lens_shown_position_find (fixture->list, fixture->sorted, fixture->filtered, task, &position))
        {
          g_assert_cmpuint (position, ==, expected);
          n_found++;
        }
      else if (!some_pending)
        g_assert_cmpuint (expected, ==, G_MAXUINT);
    }
  return n_found;
}

/* Tests */

/* In the list's order or reversed, under a filter that keeps all, some or
 * none: what a scan of the filter model says. */
static void
test_like_a_scan (Fixture       *fixture,
                  gconstpointer  data)
{
  static const guint n_shown[] = { [KEEP_ALL] = N_TASKS, [KEEP_SOME] = N_TASKS * 2 / 3,
                                   [KEEP_NONE] = 0 };

  for (int reversed = 0; reversed <= 1; reversed++)
    for (Keep keep = KEEP_ALL; keep <= KEEP_NONE; keep++)
      {
        g_test_message ("%s, keeping %s", reversed ? "reversed" : "the list's order",
                        keep == KEEP_ALL ? "all" : keep == KEEP_SOME ? "some" : "none");
        show (fixture, reversed, keep);
        g_assert_cmpuint (assert_like_a_scan (fixture, FALSE), ==, n_shown[keep]);
      }
}

/* A task not in the list, or none at all, is not shown. */
static void
test_not_in_list (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = lens_test_make_id (N_TASKS);
  g_autoptr(LensTask) stranger = lens_task_new (id);
  guint position = 7;

  show (fixture, TRUE, KEEP_SOME);
  g_assert_false (lens_shown_position_find (fixture->list, fixture->sorted, fixture->filtered,
                                            stranger, &position));
  g_assert_false (lens_shown_position_find (fixture->list, fixture->sorted, fixture->filtered,
                                            NULL, &position));
  g_assert_cmpuint (position, ==, 7);
}

/* While an incremental sort and filter go through the tasks, a task may be
 * "not shown yet", never at a wrong row; once they are done, all are found. */
static void
test_models_at_work (Fixture       *fixture,
                     gconstpointer  data)
{
  gtk_sort_list_model_set_incremental (fixture->sorted, TRUE);
  gtk_filter_list_model_set_incremental (fixture->filtered, TRUE);
  show (fixture, TRUE, KEEP_SOME);
  g_assert_true (gtk_sort_list_model_get_pending (fixture->sorted) > 0
                 || gtk_filter_list_model_get_pending (fixture->filtered) > 0);

  while (gtk_sort_list_model_get_pending (fixture->sorted) > 0
         || gtk_filter_list_model_get_pending (fixture->filtered) > 0)
    {
      assert_like_a_scan (fixture, TRUE);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (assert_like_a_scan (fixture, FALSE), ==, N_TASKS * 2 / 3);
}

static gboolean
queued_cb (gpointer item,
           gpointer user_data)
{
  return lens_task_get_state (item) == LENS_TASK_STATE_QUEUED;
}

/* The window's filter answers from what a task is now (its state, its
 * type), but the filter model asks it again only when the filter says it
 * changed or the list says a task moved: a task whose state changed under
 * a state filter (Refresh marks it queued, an answer marks it done) goes on
 * showing where it showed, with nothing pending. Every task is still found
 * where a scan finds it. */
static void
test_state_changed_under_filter (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GtkFilter) queued = GTK_FILTER (gtk_custom_filter_new (queued_cb, NULL, NULL));

  for (int reversed = 0; reversed <= 1; reversed++)
    {
      g_test_message ("%s", reversed ? "reversed" : "the list's order");
      for (guint i = 0; i < N_TASKS; i++)
        lens_task_mark_queued (lens_task_list_peek (fixture->list, i));
      gtk_sort_list_model_set_sorter (fixture->sorted, reversed ? GTK_SORTER (fixture->reverse) : NULL);
      gtk_filter_list_model_set_filter (fixture->filtered, NULL);
      gtk_filter_list_model_set_filter (fixture->filtered, queued);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->filtered)), ==, N_TASKS);

      /* Answers come for one task in ten. */
      for (guint i = 0; i < N_TASKS; i += 10)
        lens_task_mark_not_found (lens_task_list_peek (fixture->list, i));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->filtered)), ==, N_TASKS);
      g_assert_cmpuint (gtk_filter_list_model_get_pending (fixture->filtered), ==, 0);

      g_assert_cmpuint (assert_like_a_scan (fixture, FALSE), ==, N_TASKS);
    }
}

/* When more tasks changed than the filter model was told of, the row is
 * far from where the filter's answers put it: it is found all the same. */
static void
test_state_changed_far (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GtkFilter) queued = GTK_FILTER (gtk_custom_filter_new (queued_cb, NULL, NULL));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  LensTask *last;
  guint position = 0;

  for (guint i = N_TASKS; i < 4000; i++)
    g_strv_builder_take (builder, lens_test_make_id (i));
  ids = g_strv_builder_end (builder);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  gtk_filter_list_model_set_filter (fixture->filtered, queued);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->filtered)), ==, 4000);

  /* Answers come for the first 3,000: they still show. */
  for (guint i = 0; i < 3000; i++)
    lens_task_mark_not_found (lens_task_list_peek (fixture->list, i));
  last = lens_task_list_peek (fixture->list, 3999);

  g_assert_true (lens_shown_position_find (fixture->list, fixture->sorted, fixture->filtered,
                                           last, &position));
  g_assert_cmpuint (position, ==, 3999);
}

/* Tasks before a shown one came to match the filter since the filter model
 * asked (Refresh marks them queued) while that task finished: the filter's
 * answers count more rows before it than the filter model shows at all.
 * It still shows, a few rows from that guess, and is found there. */
static void
test_state_changed_past_end (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GtkFilter) queued = GTK_FILTER (gtk_custom_filter_new (queued_cb, NULL, NULL));

  for (guint i = 0; i < N_TASKS; i++)
    {
      if (i < N_TASKS / 2)
        lens_task_mark_not_found (lens_task_list_peek (fixture->list, i));
      else
        lens_task_mark_queued (lens_task_list_peek (fixture->list, i));
    }
  gtk_filter_list_model_set_filter (fixture->filtered, queued);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->filtered)), ==, N_TASKS / 2);

  /* Refresh marks the first half queued; the last task's answer comes. */
  for (guint i = 0; i < N_TASKS / 2; i++)
    lens_task_mark_queued (lens_task_list_peek (fixture->list, i));
  lens_task_mark_not_found (lens_task_list_peek (fixture->list, N_TASKS - 1));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->filtered)), ==, N_TASKS / 2);
  g_assert_cmpuint (gtk_filter_list_model_get_pending (fixture->filtered), ==, 0);

  g_assert_cmpuint (assert_like_a_scan (fixture, FALSE), ==, N_TASKS / 2);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, set_up, func, tear_down)
  ADD ("/shown-position/like-a-scan", test_like_a_scan);
  ADD ("/shown-position/not-in-list", test_not_in_list);
  ADD ("/shown-position/models-at-work", test_models_at_work);
  ADD ("/shown-position/state-changed-under-filter", test_state_changed_under_filter);
  ADD ("/shown-position/state-changed-far", test_state_changed_far);
  ADD ("/shown-position/state-changed-past-end", test_state_changed_past_end);

  return g_test_run ();
}
