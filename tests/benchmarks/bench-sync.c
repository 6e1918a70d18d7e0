/* bench-sync.c — an account of 10,000 tasks brought in at the API's pace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-sync [TASKLENS-FAKE-API] [RATE]
 *
 * Runs tasklens-fake-api --account=10000 --rate=RATE (5 by default) as a
 * subprocess, so that its clock and main loop are not the client's, and
 * syncs it the way the app does: a LensClient on the app's session, a
 * LensTaskList and a LensSync, started by the user. Prints the time, the
 * requests (pages, and 429s the scheduler met), the minimum the rate allows
 * (pages / rate), the longest a page took to go into the list, the
 * longest the main loop was kept from a 5 ms timer (on a busy machine,
 * that includes the scheduler's own delays), then the same for an incremental sync with
 * nothing new. Exit status 0 unless the sync failed or missed a task.
 */

#define G_LOG_DOMAIN "bench-sync"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "lens-client.h"
#include "lens-http.h"
#include "lens-sync.h"
#include "lens-task-list.h"

#define TOKEN     "bench-token"
#define N_TASKS   10000
#define TICK_MS   5

typedef struct
{
  gboolean done;
  gboolean failed;
  guint    n_pages;
  gint64   last_tick;
  gint64   max_late;
  gint64   page_start;  /* when the page's first insertion was announced */
  gint64   max_apply;   /* the longest from there to the page's n-done */
} Run;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
tick_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  if (run->last_tick > 0)
    run->max_late = MAX (run->max_late, now - run->last_tick - TICK_MS * 1000);
  run->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Run        *run)
{
  if (run->page_start == 0)
    run->page_start = g_get_monotonic_time ();
}

static void
page_cb (LensSync   *sync,
         GParamSpec *pspec,
         Run        *run)
{
  run->n_pages++;
  if (run->page_start > 0)
    run->max_apply = MAX (run->max_apply, g_get_monotonic_time () - run->page_start);
  run->page_start = 0;
}

static void
finished_cb (LensSync     *sync,
             const GError *error,
             Run          *run)
{
  if (error != NULL)
    {
      g_printerr ("The sync failed: %s\n", error->message);
      run->failed = TRUE;
    }
  run->done = TRUE;
}

static double
sync_once (LensSync     *sync,
           LensTaskList *tasks,
           Run          *run)
{
  gint64 start = g_get_monotonic_time ();
  guint tick_id = g_timeout_add (TICK_MS, tick_cb, run);
  gulong finished_id = g_signal_connect (sync, "finished", G_CALLBACK (finished_cb), run);
  gulong items_id = g_signal_connect (tasks, "items-changed", G_CALLBACK (items_changed_cb), run);
  gulong page_id;

  lens_sync_start (sync);
  /* After the start, which sets the progress back to 0: one notify a page. */
  page_id = g_signal_connect (sync, "notify::n-done", G_CALLBACK (page_cb), run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick_id);
  g_signal_handler_disconnect (sync, page_id);
  g_signal_handler_disconnect (sync, finished_id);
  g_signal_handler_disconnect (tasks, items_id);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  const char *program = argc > 1 ? argv[1] : g_getenv ("TASKLENS_FAKE_API");
  double rate = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 5;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *account_arg = g_strdup_printf ("--account=%u", N_TASKS);
  char rate_text[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *rate_arg = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(LensClient) client = NULL;
  g_autoptr(LensTaskList) tasks = NULL;
  g_autoptr(LensSync) sync = NULL;
  Run full = { 0 }, again = { 0 };
  double seconds, minimum, again_seconds;
  guint n_pages_expected = (N_TASKS + LENS_CLIENT_DEFAULT_CHUNK_SIZE - 1) / LENS_CLIENT_DEFAULT_CHUNK_SIZE;
  char *line;

  if (program == NULL || !(rate > 0))
    {
      g_printerr ("Usage: bench-sync [TASKLENS-FAKE-API] [RATE]\n"
                  "(or the server's path in TASKLENS_FAKE_API)\n");
      return EXIT_FAILURE;
    }

  rate_arg = g_strconcat ("--rate=", g_ascii_dtostr (rate_text, sizeof rate_text, rate), NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, program, "--token=" TOKEN, account_arg,
                                        rate_arg, "--in-flight=3", NULL);
  if (server == NULL)
    g_error ("Cannot start %s: %s", program, error->message);

  /* Blocking reads: nothing else runs yet. The account is ready once the
   * server says how many tasks it has. */
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      gboolean ready = g_str_has_prefix (line, "ACCOUNT: ");

      if (g_str_has_prefix (line, "URL: "))
        url = g_strdup (line + strlen ("URL: "));
      g_free (line);
      if (ready)
        break;
    }
  if (url == NULL)
    g_error ("The fake server did not say its URL");

  session = lens_http_create_session ();
  client = lens_client_new (session, url, TOKEN);
  tasks = lens_task_list_new ();
  sync = lens_sync_new (client, tasks, NULL);

  seconds = sync_once (sync, tasks, &full);
  minimum = n_pages_expected / rate;
  g_print ("sync-10000: tasks %u, pages %u, time %.1f s, minimum %.1f s at %.0f/s, ratio %.2f, "
           "longest page put in the list %.1f ms, longest main-loop stall %.1f ms\n",
           g_list_model_get_n_items (G_LIST_MODEL (tasks)), full.n_pages, seconds, minimum, rate,
           seconds / minimum, full.max_apply / 1000.0, full.max_late / 1000.0);

  again_seconds = sync_once (sync, tasks, &again);
  g_print ("sync-10000 again (nothing new): pages %u, time %.2f s, added %u\n",
           again.n_pages, again_seconds, lens_sync_get_n_added (sync));

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);

  if (full.failed || again.failed || g_list_model_get_n_items (G_LIST_MODEL (tasks)) < N_TASKS)
    return EXIT_FAILURE;
  return EXIT_SUCCESS;
}
