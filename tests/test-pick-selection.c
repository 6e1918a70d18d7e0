/* test-pick-selection.c — the tasks picked follow the tasks, with no table of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensPickSelection marks the tasks picked (lens-pick-selection.c). These
 * tests check what GtkMultiSelection's table of items did for the window:
 * picks follow a sort, a task a search hides is let go and does not come
 * back picked, and a task removed comes back with Undo not picked.
 */

#include "config.h"

#include <string.h>

#include "lens-pick-selection.h"
#include "lens-task.h"
#include "lens-task-private.h"
#include "lens-test.h"

#define N_TASKS 10

typedef struct
{
  LensTaskList      *list;
  GtkSortListModel  *sorted;
  GtkFilterListModel *filtered;
  LensPickSelection *picks;
  gboolean           reversed;
  const char        *hidden_id;   /* nullable: the one task the filter hides */
} Fixture;

/* The tasks' own order (their ids end in their number), or its reverse. */
static int
compare_cb (gconstpointer a,
            gconstpointer b,
            gpointer      user_data)
{
  Fixture *fixture = user_data;
  int order = g_strcmp0 (lens_task_get_id ((LensTask *) a), lens_task_get_id ((LensTask *) b));

  return fixture->reversed ? -order : order;
}

static gboolean
match_cb (gpointer item,
          gpointer user_data)
{
  Fixture *fixture = user_data;

  return g_strcmp0 (lens_task_get_id (item), fixture->hidden_id) != 0;
}

static char *
id_of (guint n)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012u", n);
}

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < N_TASKS; i++)
    g_strv_builder_take (builder, id_of (i));
  ids = g_strv_builder_end (builder);
  fixture->list = lens_task_list_new ();
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  fixture->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (fixture->list)),
                                             GTK_SORTER (gtk_custom_sorter_new (compare_cb, fixture, NULL)));
  fixture->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (fixture->sorted)),
                                                 GTK_FILTER (gtk_custom_filter_new (match_cb, fixture, NULL)));
  fixture->picks = lens_pick_selection_new (G_LIST_MODEL (fixture->filtered), fixture->list);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  g_clear_object (&fixture->picks);
  g_clear_object (&fixture->filtered);
  g_clear_object (&fixture->sorted);
  g_clear_object (&fixture->list);
}

static void
resort (Fixture  *fixture,
        gboolean  reversed)
{
  fixture->reversed = reversed;
  gtk_sorter_changed (gtk_sort_list_model_get_sorter (fixture->sorted), GTK_SORTER_CHANGE_INVERTED);
}

static void
hide (Fixture    *fixture,
      const char *id)
{
  fixture->hidden_id = id;
  gtk_filter_changed (gtk_filter_list_model_get_filter (fixture->filtered), GTK_FILTER_CHANGE_DIFFERENT);
}

static GtkSelectionModel *
picks (Fixture *fixture)
{
  return GTK_SELECTION_MODEL (fixture->picks);
}

static void
pick (Fixture *fixture,
      guint    n)
{
  g_autofree char *id = id_of (n);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->picks)); i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (fixture->picks), i);

      if (g_str_equal (lens_task_get_id (task), id))
        {
          gtk_selection_model_select_item (picks (fixture), i, FALSE);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
append_number (GString  *numbers,
               LensTask *task)
{
  const char *id = lens_task_get_id (task);

  g_string_append_printf (numbers, "%s%u", numbers->len > 0 ? " " : "",
                          (guint) g_ascii_strtoull (id + strlen (id) - 12, NULL, 10));
}

/* The numbers of the tasks picked, in the order shown: "7 4 1". The tasks
 * read back by their marks (lens_pick_selection_dup_picked()) are the
 * same, in the same order. */
static char *
picked (Fixture *fixture)
{
  g_autoptr(GtkBitset) positions = gtk_selection_model_get_selection (picks (fixture));
  g_autoptr(GPtrArray) read_back = lens_pick_selection_dup_picked (fixture->picks);
  g_autoptr(GString) read_numbers = g_string_new (NULL);
  GString *numbers = g_string_new (NULL);
  GtkBitsetIter iter;
  guint position;

  g_assert_cmpuint (gtk_bitset_get_size (positions), ==, lens_pick_selection_get_n_picked (fixture->picks));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, positions, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (fixture->picks), position);

      append_number (numbers, task);
    }
  for (guint i = 0; i < read_back->len; i++)
    append_number (read_numbers, g_ptr_array_index (read_back, i));
  g_assert_cmpstr (read_numbers->str, ==, numbers->str);
  return g_string_free (numbers, FALSE);
}

#define assert_picked(fixture, expected) G_STMT_START {  \
  g_autofree char *_picked = picked (fixture);           \
  g_assert_cmpstr (_picked, ==, (expected));             \
} G_STMT_END

/* A sort moves the tasks; the same ones stay picked. */
static void
test_follows_a_sort (Fixture       *fixture,
                     gconstpointer  data)
{
  pick (fixture, 1);
  pick (fixture, 4);
  pick (fixture, 7);
  assert_picked (fixture, "1 4 7");
  resort (fixture, TRUE);
  assert_picked (fixture, "7 4 1");
  resort (fixture, FALSE);
  assert_picked (fixture, "1 4 7");
}

/* With no sorter, the picks are read back from the list in its order. */
static void
test_read_back_unsorted (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *five = id_of (5);

  gtk_sort_list_model_set_sorter (fixture->sorted, NULL);
  pick (fixture, 8);
  pick (fixture, 2);
  pick (fixture, 5);
  assert_picked (fixture, "2 5 8");
  hide (fixture, five);
  assert_picked (fixture, "2 8");
}

/* A task a search hides is let go, and does not come back picked, even in
 * a change that moves picked tasks as it shows it again. */
static void
test_hidden_is_let_go (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *five = id_of (5);

  pick (fixture, 2);
  pick (fixture, 5);
  hide (fixture, five);
  assert_picked (fixture, "2");
  hide (fixture, NULL);
  assert_picked (fixture, "2");
  resort (fixture, TRUE);
  assert_picked (fixture, "2");
}

/* Ctrl+A with a search picks what is shown; the others, shown again, are
 * not picked, and stay so through a sort. */
static void
test_select_all_shown (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *three = id_of (3);

  hide (fixture, three);
  gtk_selection_model_select_all (picks (fixture));
  assert_picked (fixture, "0 1 2 4 5 6 7 8 9");
  hide (fixture, NULL);
  assert_picked (fixture, "0 1 2 4 5 6 7 8 9");
  resort (fixture, TRUE);
  assert_picked (fixture, "9 8 7 6 5 4 2 1 0");
}

/* Ctrl+A under a search with many tasks shown marks the tasks the filter
 * lets through in the list itself (lens-pick-selection.c): the same tasks
 * are picked as when each is taken from the shown model, and the one
 * hidden is not, also once shown again and sorted. */
static void
test_select_all_many_shown (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autofree char *hidden = id_of (150);
  g_autofree char *shown = NULL;
  g_autofree char *after = NULL;

  for (guint i = N_TASKS; i < 300; i++)
    g_strv_builder_take (builder, id_of (i));
  ids = g_strv_builder_end (builder);
  lens_task_list_add_ids (fixture->list, (const char * const *) ids, NULL);
  hide (fixture, hidden);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->picks)), ==, 299);

  gtk_selection_model_select_all (picks (fixture));
  g_assert_cmpuint (lens_pick_selection_get_n_picked (fixture->picks), ==, 299);
  shown = picked (fixture);
  g_assert_null (strstr (shown, " 150 "));
  g_assert_nonnull (strstr (shown, " 149 151 "));

  hide (fixture, NULL);
  resort (fixture, TRUE);
  g_assert_cmpuint (lens_pick_selection_get_n_picked (fixture->picks), ==, 299);
  after = picked (fixture);
  g_assert_null (strstr (after, " 150 "));
  g_assert_nonnull (strstr (after, " 151 149 "));
}

/* Removing every task picked, then Undo: they come back not picked, and a
 * later pick follows a sort alone. */
static void
test_removed_come_back_not_picked (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) all = lens_task_list_dup_all (fixture->list);
  g_autoptr(GPtrArray) restored = NULL;

  gtk_selection_model_select_all (picks (fixture));
  assert_picked (fixture, "0 1 2 3 4 5 6 7 8 9");
  lens_task_list_remove_tasks (fixture->list, all);
  assert_picked (fixture, "");
  restored = lens_task_list_undo_remove (fixture->list);
  g_assert_cmpuint (restored->len, ==, N_TASKS);
  assert_picked (fixture, "");
  pick (fixture, 6);
  resort (fixture, TRUE);
  assert_picked (fixture, "6");
}

/* Letting most tasks go (they then take a new mark) and a few (each loses
 * its own): the rest follow a sort either way. */
static void
test_let_go (Fixture       *fixture,
             gconstpointer  data)
{
  gtk_selection_model_select_all (picks (fixture));
  gtk_selection_model_unselect_range (picks (fixture), 0, 8);
  assert_picked (fixture, "8 9");
  resort (fixture, TRUE);
  assert_picked (fixture, "9 8");
  gtk_selection_model_select_all (picks (fixture));
  gtk_selection_model_unselect_range (picks (fixture), 0, 2);
  assert_picked (fixture, "7 6 5 4 3 2 1 0");
  resort (fixture, FALSE);
  assert_picked (fixture, "0 1 2 3 4 5 6 7");
  gtk_selection_model_select_item (picks (fixture), 4, TRUE);
  assert_picked (fixture, "4");
  resort (fixture, TRUE);
  assert_picked (fixture, "4");
}

typedef struct
{
  guint position, n_items, n_signals;
} Changed;

static void
selection_changed_cb (GtkSelectionModel *model,
                      guint              position,
                      guint              n_items,
                      Changed           *changed)
{
  changed->position = position;
  changed->n_items = n_items;
  changed->n_signals++;
}

/* Each change says once which positions it covers; one that changes
 * nothing says nothing. */
static void
test_selection_changed (Fixture       *fixture,
                        gconstpointer  data)
{
  Changed changed = { 0 };

  g_signal_connect (fixture->picks, "selection-changed", G_CALLBACK (selection_changed_cb), &changed);
  gtk_selection_model_select_item (picks (fixture), 3, FALSE);
  g_assert_cmpuint (changed.n_signals, ==, 1);
  g_assert_cmpuint (changed.position, ==, 3);
  g_assert_cmpuint (changed.n_items, ==, 1);
  gtk_selection_model_select_item (picks (fixture), 6, TRUE);
  g_assert_cmpuint (changed.n_signals, ==, 2);
  g_assert_cmpuint (changed.position, ==, 3);
  g_assert_cmpuint (changed.n_items, ==, 4);
  gtk_selection_model_select_item (picks (fixture), 6, TRUE);
  g_assert_cmpuint (changed.n_signals, ==, 2);
  gtk_selection_model_select_all (picks (fixture));
  g_assert_cmpuint (changed.n_signals, ==, 3);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.n_items, ==, N_TASKS);
}

/* The marks are numbers that come round again after 65,535: by then, a
 * task that kept an old mark (it was hidden while picked) has lost it, and
 * is not taken for one picked when it comes back in the same change as a
 * picked task moves. */
static void
test_marks_come_round_again (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *five = id_of (5);

  pick (fixture, 5);
  hide (fixture, five);             /* five keeps its mark; the picks take the next */
  assert_picked (fixture, "");
  /* Each round lets one task go with none left: one new mark. 65,534 of
   * them bring the mark five kept round again. */
  for (guint i = 0; i < 65534; i++)
    {
      gtk_selection_model_select_item (picks (fixture), 0, FALSE);
      gtk_selection_model_unselect_all (picks (fixture));
    }
  pick (fixture, 2);
  hide (fixture, NULL);
  assert_picked (fixture, "2");
  resort (fixture, TRUE);           /* five comes before two: it is looked at first */
  assert_picked (fixture, "2");
}

/* A picked task removed loses its mark at once: put back by Undo, it is
 * not picked, and it could not be taken for a pick later either. */
static void
test_removed_lose_their_mark (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = id_of (3);
  g_autoptr(LensTask) three = g_object_ref (lens_task_list_lookup (fixture->list, id));
  g_autoptr(GPtrArray) taken = g_ptr_array_new ();
  g_autoptr(GPtrArray) restored = NULL;

  pick (fixture, 3);
  pick (fixture, 7);
  g_assert_cmpuint (_lens_task_get_pick_mark (three), !=, 0);
  g_ptr_array_add (taken, three);
  lens_task_list_remove_tasks (fixture->list, taken);
  g_assert_cmpuint (_lens_task_get_pick_mark (three), ==, 0);
  restored = lens_task_list_undo_remove (fixture->list);
  assert_picked (fixture, "7");
  resort (fixture, TRUE);
  assert_picked (fixture, "7");
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, set_up, func, tear_down)
  ADD ("/pick-selection/follows-a-sort", test_follows_a_sort);
  ADD ("/pick-selection/hidden-is-let-go", test_hidden_is_let_go);
  ADD ("/pick-selection/read-back-unsorted", test_read_back_unsorted);
  ADD ("/pick-selection/select-all-shown", test_select_all_shown);
  ADD ("/pick-selection/select-all-many-shown", test_select_all_many_shown);
  ADD ("/pick-selection/removed-come-back-not-picked", test_removed_come_back_not_picked);
  ADD ("/pick-selection/let-go", test_let_go);
  ADD ("/pick-selection/removed-lose-their-mark", test_removed_lose_their_mark);
  ADD ("/pick-selection/selection-changed", test_selection_changed);
  ADD ("/pick-selection/marks-come-round-again", test_marks_come_round_again);
#undef ADD

  return g_test_run ();
}
