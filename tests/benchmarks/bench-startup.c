/* bench-startup.c — what the task history costs at startup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-startup [N_TASKS]
 *
 * Makes a history with no tasks and one with N_TASKS (10,000 by default)
 * finished imagine tasks — the documented record of
 * tests/data/api-examples/retrieve.json under other ids — then starts as
 * the app does, several times each: a new LensTaskStore, load_async to
 * completion (open, quick check, read and build every LensTask, all in the
 * store's worker), then lens_task_list_append_indexed() (the ids hashed
 * beforehand, as the context does in a thread) and lens_history_new()
 * on the main thread. Prints the wall time from asking to having the list
 * filled and followed, the part the main thread spends appending (and
 * making the history), and the longest the main loop went without running
 * while the worker loaded. The files stay in the page cache between runs: these
 * are warm starts.
 */

#define G_LOG_DOMAIN "bench-startup"

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "lens-history.h"
#include "lens-test.h"

#define TEMPLATE_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define N_RUNS      5

typedef struct
{
  GPtrArray *tasks;
  gint64     last_beat;
  gint64     longest_gap;
} Run;

static void
load_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  run->tasks = lens_task_store_load_finish (LENS_TASK_STORE (source_object), result, NULL, &error);
  if (run->tasks == NULL)
    g_error ("Load failed: %s", error->message);
}

/* Runs every millisecond while the worker loads: a long gap between two
 * beats is a main loop that was kept from running. */
static gboolean
heartbeat_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  run->longest_gap = MAX (run->longest_gap, now - run->last_beat);
  run->last_beat = now;
  return G_SOURCE_CONTINUE;
}

static void
fill (const char *path,
      guint       n_tasks)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  g_autofree char *template = lens_test_read_data ("api-examples", "retrieve.json", NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_tasks; i++)
    {
      LensStoreChange *change = g_new0 (LensStoreChange, 1);
      GString *record = g_string_new (template);

      change->kind = LENS_STORE_CHANGE_PUT;
      change->id = g_strdup_printf ("%08x-%04x-4%03x-8%03x-%012x", g_random_int (), i % 0xffff,
                                    i % 0xfff, (i * 7) % 0xfff, i);
      g_string_replace (record, TEMPLATE_ID, change->id, 0);
      change->raw_json = g_string_free (record, FALSE);
      change->position = i;
      /* What the task of that record says of itself (issue 9: the store
       * keeps it in a column). */
      change->local_state = LENS_TASK_STATE_DONE;
      change->progress = 100;
      change->added_at = 1720364607 + i;
      change->checked_at = 1720364637 + i;
      g_ptr_array_add (changes, change);
    }

  /* Even with no tasks, the file exists as after a first session. */
  if (!lens_task_store_write_sync (store, changes, &error))
    g_error ("Could not fill the history: %s", error->message);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
median_ms (gint64 *values)
{
  qsort (values, N_RUNS, sizeof *values, compare_gint64);
  return values[N_RUNS / 2] / 1000.0;
}

static void
measure (guint n_tasks)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tasklens-bench-startup-XXXXXX", &error);
  g_autofree char *path = NULL;
  gint64 totals[N_RUNS], appends[N_RUNS], histories[N_RUNS], gaps[N_RUNS];
  const char *suffixes[] = { "", "-wal", "-shm" };

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "tasks.db", NULL);
  fill (path, n_tasks);

  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autoptr(LensTaskStore) store = lens_task_store_new (path);
      g_autoptr(LensTaskList) list = lens_task_list_new ();
      g_autoptr(LensHistory) history = NULL;
      Run run = { NULL, 0, 0 };
      GHashTable *index;
      gint64 start, loaded, appended, followed;
      guint heartbeat;

      start = run.last_beat = g_get_monotonic_time ();
      heartbeat = g_timeout_add (1, heartbeat_cb, &run);
      lens_task_store_load_async (store, NULL, load_cb, &run);
      while (run.tasks == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (heartbeat);
      /* As the context does: the ids are hashed in a thread (not timed
       * here), the main thread only appends. */
      index = lens_task_list_index_tasks (run.tasks);
      loaded = g_get_monotonic_time ();

      if (lens_task_list_append_indexed (list, run.tasks, index) != n_tasks)
        g_error ("Loaded %u tasks instead of %u", run.tasks->len, n_tasks);
      appended = g_get_monotonic_time ();
      history = lens_history_new (store, list);
      followed = g_get_monotonic_time ();

      totals[r] = followed - start;
      appends[r] = appended - loaded;
      histories[r] = followed - appended;
      gaps[r] = run.longest_gap;
      g_print ("  run %u: %6.1f ms in all; main thread: %5.2f ms appending, %5.2f ms making the history; "
               "longest main-loop gap while loading %.1f ms\n",
               r + 1, totals[r] / 1000.0, appends[r] / 1000.0, histories[r] / 1000.0, gaps[r] / 1000.0);
      g_ptr_array_unref (run.tasks);
    }

  g_print ("%u tasks (median of %d): %.1f ms wall time in all; on the main thread %.2f ms appending "
           "+ %.2f ms making the history; longest main-loop gap %.1f ms\n\n",
           n_tasks, N_RUNS, median_ms (totals), median_ms (appends), median_ms (histories),
           median_ms (gaps));

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  guint n_tasks = argc > 1 ? (guint) atoi (argv[1]) : 10000;

  measure (0);
  measure (n_tasks);
  return EXIT_SUCCESS;
}
