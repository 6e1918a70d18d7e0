/* bench-window.c — starting the real tasklens with a large history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-window TASKLENS BARE-WINDOW [N_TASKS…]
 *
 * Measures the tasklens binary as a user starts it, under the current
 * display (Xvfb in `meson test --benchmark`), with histories of N_TASKS
 * stored tasks (0, 10,000 and 100,000 by default), against
 * bench-bare-window — an AdwApplicationWindow with a header bar and
 * nothing else — started the same way in the same run. Each is started
 * N_RUNS times; the figures are medians:
 *
 * - the time from the exec to the marker the program prints with
 *   G_MESSAGES_DEBUG: "first frame drawn" (the bare window) or "first rows
 *   drawn" (tasklens: a frame painted with a row bound to a task, or the
 *   empty page for an empty history; see lens-window.c), timed by this
 *   process as it reads the line;
 * - VmRSS once it has settled (within 1 MiB for 2 s), which for tasklens
 *   includes the first screen of thumbnails: they come from a fake image
 *   host in this process (LensFakeApi's /images/, 512 × 512 PNGs).
 *
 * The histories are bench-history.c's: finished tasks written through
 * LensTaskStore's write API, as the app writes them, with records of about
 * 1 KB of JSON each. Every run has a home, settings (in memory), keyring and cache of
 * its own, no API token and an API URL where nothing listens, so that
 * nothing leaves the machine; the history's file stays in the page cache
 * between runs (warm starts).
 *
 * Under Xvfb, OpenGL is Mesa's llvmpipe (software): Tasklens draws with
 * cairo there (lens-renderer-choice.c), the bare window with GTK's GL
 * renderer, as any GTK app would. Scrolling through the list is
 * bench-scroll's (in the benchmark's own process, where the list can be
 * driven).
 *
 * Prints one line per history, with PASS or FAIL against issue 9's
 * targets: startup within 1.2× Tasklens's own with an empty history
 * (always measured, first), memory over the bare window; exit status 0
 * unless something broke.
 */

#define G_LOG_DOMAIN "bench-window"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bench-child.h"
#include "bench-history.h"
#include "lens-fake-api.h"
#include "lens-test.h"

#define N_RUNS          5  /* starts vary by ±50 ms here: a median of three swung the verdict */
#define BARE_APP_ID     "io.github.tasklens.BenchBareWindow"
#define START_TIMEOUT   300000  /* ms */
#define SETTLE_TIMEOUT  120000  /* ms */
#define MIB             1024.0  /* KiB */

/* ─── one start ────────────────────────────────────────────────────────── */

typedef struct
{
  double seconds;  /* from the exec to the marker */
  double rss_mib;  /* once settled */
} Start;

/* Starts @program once with a home of its own in @scratch_dir, waits for
 * @marker and for its memory to settle (saving its mappings as
 * @smaps_name when BENCH_SMAPS_DIR is set), and stops it. */
static Start
start_once (const char         *smaps_name,
            const char         *program,
            const char         *app_id,
            const char         *marker,
            const char         *scratch_dir,
            const char * const *extra_env)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *run_dir = g_build_filename (scratch_dir, "run-XXXXXX", NULL);
  g_auto(GStrv) env = NULL;
  const char *argv[] = { program, NULL };
  Start start;

  if (g_mkdtemp (run_dir) == NULL)
    g_error ("Cannot make %s", run_dir);
  env = bench_child_environment (run_dir, extra_env);

  bench_wait_for_name_gone (app_id);
  {
    g_autoptr(BenchChild) child = bench_child_spawn (argv, (const char * const *) env);
    gint64 when = bench_child_wait_for (child, marker, START_TIMEOUT);

    start.seconds = (when - bench_child_get_started (child)) / (double) G_USEC_PER_SEC;
    start.rss_mib = bench_child_settled_rss (child, 2000, SETTLE_TIMEOUT) / MIB;
    bench_child_save_smaps (child, smaps_name);
  }
  lens_test_remove_tree (run_dir);
  return start;
}

typedef struct
{
  double seconds;
  double rss_mib;
} Figures;

static Figures
measure (const char         *label,
         const char         *program,
         const char         *app_id,
         const char         *marker,
         const char         *scratch_dir,
         const char * const *extra_env)
{
  double seconds[N_RUNS], rss[N_RUNS];
  Figures figures;

  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autofree char *smaps_name = g_strdup_printf ("%s-%u.smaps", label, r + 1);
      Start start = start_once (smaps_name, program, app_id, marker, scratch_dir, extra_env);

      seconds[r] = start.seconds;
      rss[r] = start.rss_mib;
      g_print ("  %s, run %u: %.2f s, RSS %.0f MB\n", label, r + 1, seconds[r], rss[r]);
    }
  figures.seconds = bench_median (seconds, N_RUNS);
  figures.rss_mib = bench_median (rss, N_RUNS);
  return figures;
}

/* The memory targets, over the bare window; none for no tasks. */
static double
rss_target_mib (guint n_tasks)
{
  if (n_tasks >= 100000)
    return 60;
  if (n_tasks >= 10000)
    return 25;
  return -1;
}

/* The startup target is against Tasklens itself with an empty history
 * (issue 9: "within 1.2× the time the app takes to show its window with an
 * empty history"); the memory targets are against the bare window. */
static char *
report (guint          n_tasks,
        const Figures *app,
        const Figures *empty,
        const Figures *bare)
{
  double time_target = 1.2 * empty->seconds;
  double over = app->rss_mib - bare->rss_mib;
  double rss_target = rss_target_mib (n_tasks);
  g_autofree char *rss_verdict = NULL;
  g_autofree char *time_verdict = NULL;

  if (rss_target >= 0)
    rss_verdict = g_strdup_printf ("target ≤ +%.0f MB, %s", rss_target,
                                   over <= rss_target ? "PASS" : "FAIL");
  else
    rss_verdict = g_strdup ("no target");

  if (n_tasks == 0)
    time_verdict = g_strdup_printf ("the baseline; bare window %.2f s", bare->seconds);
  else
    time_verdict = g_strdup_printf ("empty history %.2f s, target ≤ 1.2× = %.2f s, %s",
                                    empty->seconds, time_target,
                                    app->seconds <= time_target ? "PASS" : "FAIL");

  return g_strdup_printf ("%u tasks: first rows %.2f s (%s); RSS %.0f MB (bare %.0f MB, %+.0f MB, %s)",
                          n_tasks, app->seconds, time_verdict,
                          app->rss_mib, bare->rss_mib, over, rss_verdict);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LensFakeApi) image_host = lens_fake_api_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *scratch_dir = NULL;
  g_autofree char *schemas = NULL;
  g_auto(GStrv) image_ids = NULL;
  const char *bare_env[] = { "G_MESSAGES_DEBUG", "bench-bare-window", NULL };
  Figures bare, empty = { 0 };

  bench_init ();
  if (argc < 3)
    {
      g_printerr ("Usage: %s TASKLENS BARE-WINDOW [N_TASKS…]\n", argv[0]);
      return EXIT_FAILURE;
    }
  for (int i = 3; i < argc; i++)
    {
      guint n = (guint) g_ascii_strtoull (argv[i], NULL, 10);

      g_array_append_val (counts, n);
    }
  if (counts->len == 0)
    g_array_append_vals (counts, (guint[]) { 0, 10000, 100000 }, 3);
  /* The empty history is the startup baseline: always measured, first. */
  if (g_array_index (counts, guint, 0) != 0)
    {
      guint none = 0;

      g_array_prepend_val (counts, none);
    }

  /* Run uninstalled, tasklens needs its schema: <build>/data beside <build>/src. */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      g_autofree char *src_dir = g_path_get_dirname (argv[1]);
      g_autofree char *build_dir = g_path_get_dirname (src_dir);

      schemas = g_build_filename (build_dir, "data", NULL);
      g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
    }

  if (!lens_fake_api_start (image_host, 0, &error))
    g_error ("The image host did not start: %s", error->message);
  image_ids = lens_fake_api_seed_generated (image_host, LENS_FAKE_TASK_IMAGINE, BENCH_HISTORY_N_IMAGES);
  scratch_dir = g_dir_make_tmp ("tasklens-bench-window-XXXXXX", &error);
  if (scratch_dir == NULL)
    g_error ("%s", error->message);

  bench_print_load ();
  bare = measure ("bare window", argv[2], BARE_APP_ID, "first frame drawn", scratch_dir, bare_env);
  g_print ("bare window: first frame %.2f s, RSS %.0f MB\n\n", bare.seconds, bare.rss_mib);

  for (guint c = 0; c < counts->len; c++)
    {
      guint n_tasks = g_array_index (counts, guint, c);
      g_autofree char *data_dir = g_strdup_printf ("%s/history-%u", scratch_dir, n_tasks);
      g_autofree char *db_path = g_build_filename (data_dir, "tasks.db", NULL);
      g_autofree char *label = g_strdup_printf ("%u tasks", n_tasks);
      const char *app_env[] = { "G_MESSAGES_DEBUG", "lens-window", "TASKLENS_DATA_DIR", data_dir,
                                NULL };
      gint64 filling = g_get_monotonic_time ();
      double record_size;
      Figures app;

      g_mkdir_with_parents (data_dir, 0700);
      record_size = bench_history_fill (db_path, n_tasks, lens_fake_api_get_url (image_host),
                                  (const char * const *) image_ids);
      g_print ("  %s: history written in %.1f s, records of %.0f bytes on average\n", label,
               (g_get_monotonic_time () - filling) / (double) G_USEC_PER_SEC, record_size);

      app = measure (label, argv[1], APPLICATION_ID, "first rows drawn", scratch_dir, app_env);
      if (n_tasks == 0)
        empty = app;
      g_ptr_array_add (lines, report (n_tasks, &app, &empty, &bare));
      g_print ("%s\n\n", (const char *) g_ptr_array_index (lines, lines->len - 1));
      lens_test_remove_tree (data_dir);
    }

  /* All together at the end, where a long log shows them. */
  for (guint i = 0; i < lines->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (lines, i));
  bench_print_load ();
  lens_test_remove_tree (scratch_dir);
  return EXIT_SUCCESS;
}
