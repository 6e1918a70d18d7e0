/* bench-picks.c — what picking every one of 100,000 tasks, and removing them, costs the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-picks
 *
 * A list of 100,000 tasks followed by the window's models: sorted (an
 * incremental GtkSortListModel), filtered (an incremental
 * GtkFilterListModel), a GtkSingleSelection for the open task and,
 * beside it, the selection of the tasks picked. Then, each one call on the
 * main thread and timed by its CPU time:
 *   - Ctrl+A: every task picked (gtk_selection_model_select_all());
 *   - 100 tasks added one at a time while all are picked (a paste, or the
 *     account's sync, while the user has everything picked): the longest;
 *   - Delete: every task picked removed (lens_task_list_remove_tasks());
 *   - Undo (lens_task_list_undo_remove());
 *   - Ctrl+A while a search shows half of the tasks;
 *   - the picks read back, in the order shown, while a search shows half
 *     of the tasks, all picked (Copy IDs, Save Images… on a search's
 *     results): by position through the filter model for GtkMultiSelection,
 *     by their marks for LensPickSelection (lens_pick_selection_dup_picked());
 *   - that search cleared (Escape in the search entry): the other half
 *     come back among the picks.
 * The picks are kept three ways in the same run: by no selection at all
 * (what the models alone cost), by GTK's GtkMultiSelection (the baseline:
 * what the window used, a table of the items picked) and by
 * LensPickSelection (the window's, marks on the tasks). The medians of
 * three rounds are printed.
 * Target: no call over 16 ms (issue 9) with LensPickSelection.
 */

#define G_LOG_DOMAIN "bench-picks"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gtk/gtk.h>

#include "lens-pick-selection.h"
#include "lens-task-list.h"
#include "lens-test-ui.h"

#define N_TASKS  100000
#define N_ADDED  100
#define N_ROUNDS 3

typedef enum
{
  PICKS_NONE,
  PICKS_GTK_MULTI,
  PICKS_LENS,
} Picks;

typedef enum
{
  STEP_SELECT_ALL,
  STEP_ADD_ONE,
  STEP_REMOVE,
  STEP_UNDO,
  STEP_SELECT_ALL_SEARCHED,
  STEP_READ_BACK,
  STEP_SEARCH_CLEARED,
  N_STEPS
} Step;

static const char * const step_names[N_STEPS] = {
  "Ctrl+A", "add one, all picked (longest of 100)", "Delete", "Undo",
  "Ctrl+A under a search", "picks read back under a search", "search cleared, its tasks picked",
};

/* A search that shows every other task. */
static gboolean
even_cb (gpointer item,
         gpointer user_data)
{
  const char *id = lens_task_get_id (item);

  return (id[strlen (id) - 1] - '0') % 2 == 0;
}

static char *
make_id (guint n)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012u", n);
}

/* The tasks picked, in the order shown, as the window reads them. */
static void
read_back (Picks              kind,
           GtkSelectionModel *picks)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GtkBitset) picked = NULL;
  GtkBitsetIter iter;
  guint position;

  if (kind == PICKS_LENS)
    {
      tasks = lens_pick_selection_dup_picked (LENS_PICK_SELECTION (picks));
      return;
    }
  if (kind == PICKS_NONE)
    return;
  tasks = g_ptr_array_new_with_free_func (g_object_unref);
  picked = gtk_selection_model_get_selection (picks);
  for (gboolean more = gtk_bitset_iter_init_first (&iter, picked, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (tasks, g_list_model_get_item (G_LIST_MODEL (picks), position));
}

/* One round: the CPU time of each step, in microseconds, in @times. */
static void
run_round (Picks  kind,
           gint64 times[N_STEPS])
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GtkSortListModel) sorted = NULL;
  g_autoptr(GtkFilterListModel) filtered = NULL;
  g_autoptr(GtkSingleSelection) open = NULL;
  g_autoptr(GtkSelectionModel) picks = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) restored = NULL;
  g_auto(GStrv) ids = g_new0 (char *, N_TASKS + 1);
  gint64 started;

  for (guint i = 0; i < N_TASKS; i++)
    ids[i] = make_id (i);
  lens_task_list_add_ids (list, (const char * const *) ids, NULL);
  filtered = lens_test_window_models_new (list, &sorted);
  open = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (filtered)));
  if (kind == PICKS_GTK_MULTI)
    picks = GTK_SELECTION_MODEL (gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (filtered))));
  else if (kind == PICKS_LENS)
    picks = GTK_SELECTION_MODEL (lens_pick_selection_new (G_LIST_MODEL (filtered), list));

  started = lens_test_thread_cpu_us ();
  if (picks != NULL)
    gtk_selection_model_select_all (picks);
  times[STEP_SELECT_ALL] = lens_test_thread_cpu_us () - started;

  times[STEP_ADD_ONE] = 0;
  for (guint i = 0; i < N_ADDED; i++)
    {
      g_autofree char *id = make_id (N_TASKS + i);
      const char *one[] = { id, NULL };

      started = lens_test_thread_cpu_us ();
      lens_task_list_add_ids (list, one, NULL);
      times[STEP_ADD_ONE] = MAX (times[STEP_ADD_ONE], lens_test_thread_cpu_us () - started);
      lens_test_wait_for_models (sorted, filtered);
    }
  if (picks != NULL)
    {
      g_autoptr(GtkBitset) picked = gtk_selection_model_get_selection (picks);

      if (gtk_bitset_get_size (picked) != N_TASKS)
        g_error ("%" G_GUINT64_FORMAT " picked instead of %u", gtk_bitset_get_size (picked), N_TASKS);
    }

  all = lens_task_list_dup_all (list);
  started = lens_test_thread_cpu_us ();
  lens_task_list_remove_tasks (list, all);
  times[STEP_REMOVE] = lens_test_thread_cpu_us () - started;
  lens_test_wait_for_models (sorted, filtered);

  started = lens_test_thread_cpu_us ();
  restored = lens_task_list_undo_remove (list);
  times[STEP_UNDO] = lens_test_thread_cpu_us () - started;
  if (restored->len != all->len)
    g_error ("%u put back instead of %u", restored->len, all->len);
  lens_test_wait_for_models (sorted, filtered);

  if (picks != NULL)
    gtk_selection_model_unselect_all (picks);
  gtk_filter_list_model_set_filter (filtered, GTK_FILTER (gtk_custom_filter_new (even_cb, NULL, NULL)));
  g_object_unref (gtk_filter_list_model_get_filter (filtered));
  lens_test_wait_for_models (sorted, filtered);
  started = lens_test_thread_cpu_us ();
  if (picks != NULL)
    gtk_selection_model_select_all (picks);
  times[STEP_SELECT_ALL_SEARCHED] = lens_test_thread_cpu_us () - started;
  started = lens_test_thread_cpu_us ();
  read_back (kind, picks);
  times[STEP_READ_BACK] = lens_test_thread_cpu_us () - started;
  started = lens_test_thread_cpu_us ();
  gtk_filter_list_model_set_filter (filtered, NULL);
  times[STEP_SEARCH_CLEARED] = lens_test_thread_cpu_us () - started;
  lens_test_wait_for_models (sorted, filtered);
  if (picks != NULL)
    {
      g_autoptr(GtkBitset) picked = gtk_selection_model_get_selection (picks);
      guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (filtered));

      if (gtk_bitset_get_size (picked) != n_shown / 2)
        g_error ("%" G_GUINT64_FORMAT " picked after the search instead of %u",
                 gtk_bitset_get_size (picked), n_shown / 2);
    }
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const kind_names[] = {
    "models alone, nothing picked", "GtkMultiSelection (baseline)", "LensPickSelection",
  };
  gint64 worst = 0;

  g_print ("picking all of %u tasks, adding, removing them, Undo, a search cleared; CPU time of the main thread, "
           "medians of %u rounds, target ≤ 16 ms a call\n", N_TASKS, N_ROUNDS);
  for (Picks kind = PICKS_NONE; kind <= PICKS_LENS; kind++)
    {
      gint64 times[N_STEPS][N_ROUNDS];

      for (guint round = 0; round < N_ROUNDS; round++)
        {
          gint64 one[N_STEPS];

          run_round (kind, one);
          for (Step step = 0; step < N_STEPS; step++)
            times[step][round] = one[step];
        }
      g_print ("  %s:", kind_names[kind]);
      for (Step step = 0; step < N_STEPS; step++)
        {
          qsort (times[step], N_ROUNDS, sizeof (gint64), compare_times);
          g_print ("%s %s %.1f ms", step > 0 ? "," : "", step_names[step], times[step][N_ROUNDS / 2] / 1000.0);
          if (kind == PICKS_LENS)
            worst = MAX (worst, times[step][N_ROUNDS / 2]);
        }
      g_print ("\n");
    }
  g_print ("  LensPickSelection, longest call: %.1f ms (%s)\n", worst / 1000.0, worst <= 16000 ? "PASS" : "FAIL");
  return EXIT_SUCCESS;
}
