/* bench-scroll.c — scrolling through a large history, and what it leaves in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-scroll TASKLENS-FAKE-API [N_TASKS…]
 *
 * Issue 9 asks that scrolling to the end of 100,000 tasks never stalls and
 * that scrolling through all of them grows the memory by no more than the
 * texture cache's budget. Nothing drives the real binary's list from
 * outside, so this runs the app in its own process (LensApplication on a
 * LensContext, as the UI tests do, under Xvfb), with a history of N_TASKS
 * (10,000 and 100,000 by default) written as bench-window writes its
 * histories (bench-history.c), their thumbnails (512 × 512 PNGs) on
 * tasklens-fake-api in a process of its own, so that drawing them is
 * neither on this main loop nor in this memory.
 *
 * For each history, once the window shows its first rows and the memory
 * has settled (VmRSS within 1 MiB for 2 s), it:
 *
 * - notes the longest main-loop turn while the app sits idle for 2 s: the
 *   baseline;
 * - scrolls the list from its top to its end, moving it at every frame by
 *   a page (at 10,000 tasks: every row shows once) or by a thousandth of
 *   the list, whichever is more, as a user dragging the scroll bar does;
 *   every row shown fetches and decodes its thumbnail as it would;
 * - waits for the memory to settle again, and compares it with before;
 * - jumps from the end to the top and back, as Home and End do.
 *
 * The longest main-loop turn is timed from one return of the main
 * context's poll to its next call (the work of one turn; the wait in poll is
 * not counted), on the clock and in the main thread's CPU time. The verdict
 * is on the CPU time: the image server and Xvfb draw on the same cores, and
 * on two of them a turn's wall time doubles whenever they run. The
 * baseline is a bare GtkListView of the same prompts, in a window the size
 * of the app's list, scrolled through the same way, in the same run.
 *
 * With BENCH_LOG_TURNS_MS=N, every turn longer than N ms is logged on
 * stderr with when it began on g_get_monotonic_time()'s clock, to line up
 * with `perf record -k CLOCK_MONOTONIC` (HACKING.md, "Where a stall comes
 * from").
 *
 * Prints a line per history with PASS or FAIL against the targets (turns
 * ≤ 16 ms; memory growth ≤ the texture cache's budget); exits 0 unless
 * something broke.
 */

#define G_LOG_DOMAIN "bench-scroll"

#include "config.h"

#include <stdlib.h>

#include "bench-child.h"
#include "bench-history.h"
#include "lens-test-app.h"
#include "lens-test-fake.h"
#include "lens-test-ui.h"

#define TARGET_TURN_MS      16.0
#define TEXTURE_BUDGET_MIB  64.0     /* lens-image-loader.c's DEFAULT_MEMORY_BUDGET */
#define STABLE_MS           2000
#define SETTLE_TIMEOUT_MS   120000
#define SWEEP_TIMEOUT_MS    600000

/* ─── main-loop turns ──────────────────────────────────────────────────── */

typedef struct
{
  gint64 returned;      /* when poll last returned, or 0 */
  gint64 returned_cpu;
  gint64 longest;       /* the longest turn since turns_reset() */
  gint64 longest_cpu;
} Turns;

static Turns turns;
static GPollFunc default_poll;
static gint64 log_turns_over;  /* µs; 0: none logged */

static gint
timed_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout)
{
  gint result;

  if (turns.returned != 0)
    {
      gint64 took = g_get_monotonic_time () - turns.returned;

      if (log_turns_over > 0 && took > log_turns_over)
        g_printerr ("turn of %.1f ms from %" G_GINT64_FORMAT " µs\n", took / 1000.0, turns.returned);
      turns.longest = MAX (turns.longest, took);
      turns.longest_cpu = MAX (turns.longest_cpu, lens_test_thread_cpu_us () - turns.returned_cpu);
    }
  result = default_poll (fds, n_fds, timeout);
  turns.returned = g_get_monotonic_time ();
  turns.returned_cpu = lens_test_thread_cpu_us ();
  return result;
}

static void
turns_reset (void)
{
  turns.longest = 0;
  turns.longest_cpu = 0;
}

/* ─── memory ───────────────────────────────────────────────────────────── */

static double
rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmRSS:")) == NULL)
    g_error ("No VmRSS in /proc/self/status");
  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0;
}

/* Runs the main loop until VmRSS has stayed within 1 MiB for STABLE_MS. */
static double
settled_rss_mib (void)
{
  gint64 deadline = g_get_monotonic_time () + SETTLE_TIMEOUT_MS * 1000;
  double rss = rss_mib ();
  gint64 stable_since = g_get_monotonic_time ();

  while (g_get_monotonic_time () - stable_since < STABLE_MS * 1000)
    {
      double now;

      lens_test_spin_for (100);
      now = rss_mib ();
      if (ABS (now - rss) > 1.0)
        {
          rss = now;
          stable_since = g_get_monotonic_time ();
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("The memory did not settle in %d s", SETTLE_TIMEOUT_MS / 1000);
    }
  return rss;
}

/* ─── scrolling ────────────────────────────────────────────────────────── */

typedef struct
{
  GtkAdjustment *adjustment;
  double         step;       /* 0: a page */
  guint          n_frames;
  gboolean       done;
} Sweep;

static gboolean
sweep_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  Sweep *sweep = user_data;
  double page = gtk_adjustment_get_page_size (sweep->adjustment);
  double end = gtk_adjustment_get_upper (sweep->adjustment) - page;
  double value = gtk_adjustment_get_value (sweep->adjustment);

  /* The list's height is an estimate that grows as rows are measured:
   * the end is where the value stays put. */
  if (value >= end)
    {
      sweep->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  sweep->n_frames++;
  gtk_adjustment_set_value (sweep->adjustment, MIN (end, value + MAX (page, sweep->step)));
  return G_SOURCE_CONTINUE;
}

/* Scrolls @scroller from its top to its end, a frame at a time; notes
 * the longest turn meanwhile in @out_turn (ms, and in CPU time) and
 * returns the number of frames. */
static guint
sweep_through (GtkScrolledWindow *scroller,
               double            *out_turn_ms,
               double            *out_turn_cpu_ms)
{
  Sweep sweep = { .adjustment = gtk_scrolled_window_get_vadjustment (scroller) };

  gtk_adjustment_set_value (sweep.adjustment, 0);
  lens_test_spin_for (500);
  sweep.step = gtk_adjustment_get_upper (sweep.adjustment) / 1000;
  turns_reset ();
  gtk_widget_add_tick_callback (GTK_WIDGET (scroller), sweep_tick_cb, &sweep, NULL);
  LENS_TEST_SPIN_UNTIL (sweep.done, SWEEP_TIMEOUT_MS);
  *out_turn_ms = turns.longest / 1000.0;
  *out_turn_cpu_ms = turns.longest_cpu / 1000.0;
  return sweep.n_frames;
}

/* Jumps to @value, and gives the frames after it a second. */
static void
jump (GtkAdjustment *adjustment,
      double         value)
{
  gtk_adjustment_set_value (adjustment, value);
  lens_test_spin_for (1000);
}

/* ─── the baseline: a bare list of the same texts ─────────────────────── */

static void
setup_bare_row_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new ("5 minutes ago · Upscale");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (item, box);
}

static void
bind_bare_row_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (item));

  gtk_label_set_text (GTK_LABEL (title),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

/* A GtkListView of @n_rows rows of two one-line labels (the history's
 * prompts), in a window of @width × @height: what GTK costs to scroll
 * through that many rows, without thumbnails. Returns its longest turn. */
static double
measure_bare_list (guint   n_rows,
                   int     width,
                   int     height,
                   double *out_cpu_ms)
{
  g_autoptr(GtkStringList) prompts = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list_view;
  double turn_ms;

  for (guint i = 0; i < n_rows; i++)
    gtk_string_list_take (prompts, bench_history_prompt (i));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_bare_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_bare_row_cb), NULL);
  list_view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (prompts)))),
                                 g_object_ref (factory));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list_view);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  lens_test_spin_for (1000);

  sweep_through (GTK_SCROLLED_WINDOW (scroller), &turn_ms, out_cpu_ms);
  gtk_window_destroy (GTK_WINDOW (window));
  lens_test_spin_for (200);
  return turn_ms;
}

/* ─── one history ──────────────────────────────────────────────────────── */

static char *
measure (guint               n_tasks,
         const char         *image_host,
         const char * const *image_ids)
{
  g_autofree char *db_path = NULL;
  LensTestApp app = { 0 };
  GtkWidget *list_view;
  GtkScrolledWindow *scroller;
  GtkAdjustment *adjustment;
  guint n_frames;
  int width, height;
  double bare_ms, bare_cpu_ms;
  double idle_ms, idle_cpu_ms, sweep_ms, sweep_cpu_ms, jump_ms, jump_cpu_ms;
  double rss_before, rss_after, growth, record_size;
  gint64 start;
  gboolean pass;

  app.fake = lens_test_start_fake_api (LENS_TEST_APP_TOKEN);
  app.token = LENS_TEST_APP_TOKEN;
  app.data_dir = lens_test_make_scratch_dir ("bench-scroll");
  db_path = g_build_filename (app.data_dir, "tasks.db", NULL);
  start = g_get_monotonic_time ();
  record_size = bench_history_fill (db_path, n_tasks, image_host, image_ids);
  g_print ("%u tasks: history written in %.1f s, records of %.0f bytes on average\n", n_tasks,
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, record_size);

  lens_test_app_start (&app);
  gtk_window_present (GTK_WINDOW (app.window));
  list_view = lens_test_find_widget (GTK_WIDGET (app.window), GTK_TYPE_GRID_VIEW);
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (list_view, GTK_TYPE_SCROLLED_WINDOW));
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  LENS_TEST_SPIN_UNTIL (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment),
                        SETTLE_TIMEOUT_MS);
  rss_before = settled_rss_mib ();

  turns_reset ();
  lens_test_spin_for (STABLE_MS);
  idle_ms = turns.longest / 1000.0;
  idle_cpu_ms = turns.longest_cpu / 1000.0;

  start = g_get_monotonic_time ();
  n_frames = sweep_through (scroller, &sweep_ms, &sweep_cpu_ms);
  g_print ("%u tasks: scrolled to the end in %u frames, %.1f s\n", n_tasks, n_frames,
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  rss_after = settled_rss_mib ();
  growth = rss_after - rss_before;

  turns_reset ();
  jump (adjustment, 0);
  jump (adjustment, gtk_adjustment_get_upper (adjustment));
  jump_ms = turns.longest / 1000.0;
  jump_cpu_ms = turns.longest_cpu / 1000.0;

  width = gtk_widget_get_width (GTK_WIDGET (scroller));
  height = gtk_widget_get_height (GTK_WIDGET (scroller));
  lens_test_app_tear_down (&app, NULL);

  bare_ms = measure_bare_list (n_tasks, width, height, &bare_cpu_ms);

  pass = sweep_cpu_ms <= TARGET_TURN_MS && jump_cpu_ms <= TARGET_TURN_MS && growth <= TEXTURE_BUDGET_MIB;
  return g_strdup_printf ("%u tasks: scrolling through, longest turn %.1f ms (CPU %.1f ms); "
                          "jumping to the top and the end, %.1f ms (CPU %.1f ms); "
                          "idle app %.1f ms (CPU %.1f ms); a bare GtkListView of the same "
                          "prompts, %d × %d, scrolled through the same way %.1f ms (CPU %.1f ms); "
                          "target ≤ %.0f ms. "
                          "RSS %.0f MB before, %.0f MB after (%+.0f MB, texture cache budget "
                          "%.0f MB). %s",
                          n_tasks, sweep_ms, sweep_cpu_ms, jump_ms, jump_cpu_ms, idle_ms,
                          idle_cpu_ms, width, height, bare_ms, bare_cpu_ms, TARGET_TURN_MS, rss_before, rss_after, growth,
                          TEXTURE_BUDGET_MIB, pass ? "PASS" : "FAIL");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) image_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *scratch_dir = NULL;
  g_autofree char *image_host = NULL;
  BenchChild *image_server;

  lens_test_ui_init (&argc, &argv);
  if (argc < 2)
    {
      g_printerr ("Usage: %s TASKLENS-FAKE-API [N_TASKS…]\n", argv[0]);
      return EXIT_FAILURE;
    }
  for (int i = 2; i < argc; i++)
    {
      guint n = (guint) g_ascii_strtoull (argv[i], NULL, 10);

      g_array_append_val (counts, n);
    }
  if (counts->len == 0)
    g_array_append_vals (counts, (guint[]) { 10000, 100000 }, 2);

  if (g_getenv ("BENCH_LOG_TURNS_MS") != NULL)
    log_turns_over = g_ascii_strtoll (g_getenv ("BENCH_LOG_TURNS_MS"), NULL, 10) * 1000;
  default_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, timed_poll);

  scratch_dir = g_dir_make_tmp ("tasklens-bench-scroll-XXXXXX", &error);
  if (scratch_dir == NULL)
    g_error ("%s", error->message);
  image_server = bench_fake_api_spawn (argv[1], scratch_dir, LENS_TEST_APP_TOKEN,
                                       BENCH_HISTORY_N_IMAGES, NULL, &image_host, image_ids);
  g_ptr_array_add (image_ids, NULL);

  for (guint c = 0; c < counts->len; c++)
    {
      g_ptr_array_add (lines, measure (g_array_index (counts, guint, c), image_host,
                                       (const char * const *) image_ids->pdata));
      g_print ("%s\n\n", (const char *) g_ptr_array_index (lines, lines->len - 1));
    }
  for (guint i = 0; i < lines->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (lines, i));
  bench_child_stop (image_server);
  bench_child_free (image_server);
  lens_test_remove_tree (scratch_dir);
  return EXIT_SUCCESS;
}
