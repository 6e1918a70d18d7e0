/* bench-child.c — a program a benchmark starts and watches from outside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-window and bench-paste measure the real tasklens binary as a user
 * meets it: a process of its own, started with an environment that keeps it
 * away from the user's settings, keyring, history and network. This holds
 * what they share: that environment, the child's output as lines stamped
 * with the time this process read them (so that a marker a program prints
 * times it without trusting its clock), its resident memory from
 * /proc/PID/status, and stopping it.
 *
 * Every wait spins the default main context, so that whatever else the
 * benchmark serves (an image host, D-Bus probes) goes on meanwhile.
 */

#define G_LOG_DOMAIN "bench-child"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "bench-child.h"
#include "lens-test.h"

typedef struct
{
  gint64  when;  /* monotonic µs: when this process read it */
  char   *text;  /* owned */
} Line;

struct _BenchChild
{
  GSubprocess      *process;
  GDataInputStream *lines_in;
  GCancellable     *cancellable;
  GArray           *lines;     /* of Line */
  guint             next_line; /* the first line bench_child_next_line() has not returned */
  gint64            started;   /* monotonic µs, just before the exec */
  gboolean          exited;
  gboolean          eof;
};

/* How long the fake server may take to print its address and ids. */
#define FAKE_API_START_TIMEOUT_MS 60000

/* Variables the test setup (tests/meson.build) sets for the GLib tests that
 * would make the measured program unlike the one a user runs: fatal
 * criticals, gc-friendly freeing, the cairo renderer, GTK's test
 * accessibility backend. */
static const char * const test_only_variables[] = {
  "G_DEBUG", "G_ENABLE_DIAGNOSTIC", "GSK_RENDERER", "GTK_A11Y", "NO_AT_BRIDGE", "G_SLICE",
  "G_MESSAGES_DEBUG", "GIO_USE_VFS",
};

/**
 * bench_child_environment:
 * @scratch_dir: a directory of the benchmark's, for the child's home
 * @extra: (nullable): NULL-terminated NAME, VALUE pairs set on top
 *
 * Our environment, without what the test setup adds for the GLib tests,
 * and with a home and XDG directories of its own under @scratch_dir,
 * settings in memory, a file keyring there, no API token and an API URL
 * where nothing listens: nothing the child does reaches the user's files,
 * keyring or the network.
 *
 * Returns: (transfer full): the environment for bench_child_spawn()
 */
GStrv
bench_child_environment (const char         *scratch_dir,
                         const char * const *extra)
{
  static const char * const xdg[][2] = {
    { "XDG_CONFIG_HOME", "config" }, { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  GStrv env = g_get_environ ();
  g_autofree char *home = g_build_filename (scratch_dir, "home", NULL);
  g_autofree char *keyring = g_build_filename (scratch_dir, "home", "keyring", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (test_only_variables); i++)
    env = g_environ_unsetenv (env, test_only_variables[i]);

  g_mkdir_with_parents (home, 0700);
  env = g_environ_setenv (env, "HOME", home, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *dir = g_build_filename (home, xdg[i][1], NULL);

      g_mkdir_with_parents (dir, 0700);
      env = g_environ_setenv (env, xdg[i][0], dir, TRUE);
    }
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  env = g_environ_setenv (env, "SECRET_BACKEND", "file", TRUE);
  env = g_environ_setenv (env, "SECRET_FILE_TEST_PATH", keyring, TRUE);
  env = g_environ_setenv (env, "SECRET_FILE_TEST_PASSWORD", "bench", TRUE);
  env = g_environ_setenv (env, "GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  env = g_environ_setenv (env, "ACEDATA_API_TOKEN", "", TRUE);
  /* Port 1 on loopback: a request is refused at once, never sent away. */
  env = g_environ_setenv (env, "TASKLENS_API_URL", "http://127.0.0.1:1", TRUE);

  /* The app picks its renderer as for a user (cairo where OpenGL is
   * software: lens-renderer-choice.c); BENCH_GSK_RENDERER=ngl or cairo
   * runs the child with that one instead. */
  if (g_getenv ("BENCH_GSK_RENDERER") != NULL)
    env = g_environ_setenv (env, "GSK_RENDERER", g_getenv ("BENCH_GSK_RENDERER"), TRUE);

  for (guint i = 0; extra != NULL && extra[i] != NULL; i += 2)
    env = g_environ_setenv (env, extra[i], extra[i + 1], TRUE);
  return env;
}

/* The child ends with the benchmark, even when the benchmark is killed. */
static void
die_with_benchmark (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void read_next (BenchChild *child);

/* BENCH_CHILD_LOG=FILE keeps what the children wrote, each line after the
 * child's pid and when it was read (ms since the child started): to see why
 * a figure is what it is, e.g. with GDK_DEBUG=frames for GTK's frame
 * timings. */
static void
log_line (BenchChild *child,
          Line       *line)
{
  static FILE *log;
  const char *path = g_getenv ("BENCH_CHILD_LOG");

  if (path == NULL)
    return;
  if (log == NULL && (log = fopen (path, "a")) == NULL)
    g_error ("Cannot open BENCH_CHILD_LOG %s: %s", path, g_strerror (errno));
  fprintf (log, "%s %.1f %s\n", g_subprocess_get_identifier (child->process),
           (line->when - child->started) / 1000.0, line->text);
  fflush (log);
}

static void
line_read_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BenchChild *child = user_data;
  g_autoptr(GError) error = NULL;
  char *text = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source_object),
                                                          result, NULL, &error);
  Line line;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (text == NULL)
    {
      child->eof = TRUE;
      return;
    }

  line.when = g_get_monotonic_time ();
  line.text = text;
  g_array_append_val (child->lines, line);
  log_line (child, &line);
  read_next (child);
}

static void
read_next (BenchChild *child)
{
  g_data_input_stream_read_line_async (child->lines_in, G_PRIORITY_HIGH, child->cancellable,
                                       line_read_cb, child);
}

static void
exited_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BenchChild *child = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source_object), result, NULL);
  child->exited = TRUE;
}

static void
clear_line (gpointer data)
{
  g_free (((Line *) data)->text);
}

/**
 * bench_child_spawn:
 * @argv: the program and its arguments
 * @envp: its whole environment (see bench_child_environment())
 *
 * Starts @argv and reads its standard output and error together, as lines
 * (GLib writes debug messages to standard output, warnings to standard
 * error). Aborts the benchmark when it cannot start.
 */
BenchChild *
bench_child_spawn (const char * const *argv,
                   const char * const *envp)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  BenchChild *child = g_new0 (BenchChild, 1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_environ (launcher, (char **) envp);
  g_subprocess_launcher_set_child_setup (launcher, die_with_benchmark, NULL, NULL);

  child->lines = g_array_new (FALSE, FALSE, sizeof (Line));
  g_array_set_clear_func (child->lines, clear_line);
  child->cancellable = g_cancellable_new ();
  child->started = g_get_monotonic_time ();
  child->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child->process == NULL)
    g_error ("Cannot start %s: %s", argv[0], error->message);

  child->lines_in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  read_next (child);
  g_subprocess_wait_async (child->process, NULL, exited_cb, child);
  return child;
}

/* Monotonic µs, taken just before the child was started. */
gint64
bench_child_get_started (BenchChild *child)
{
  return child->started;
}

/**
 * bench_child_next_line:
 * @out_when: (out) (optional): when the line was read (monotonic µs)
 *
 * Returns: (transfer full) (nullable): the next line the child wrote that
 *   this has not returned yet; %NULL when it wrote none within
 *   @timeout_ms, or ended
 */
char *
bench_child_next_line (BenchChild *child,
                       guint       timeout_ms,
                       gint64     *out_when)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  Line *line;

  while (child->next_line >= child->lines->len && !child->eof
         && g_get_monotonic_time () < deadline)
    lens_test_spin_for (1);
  if (child->next_line >= child->lines->len)
    return NULL;

  line = &g_array_index (child->lines, Line, child->next_line++);
  if (out_when != NULL)
    *out_when = line->when;
  return g_strdup (line->text);
}

static char *
describe_exit (GSubprocess *process)
{
  if (g_subprocess_get_if_signaled (process))
    return g_strdup_printf ("signal %d", g_subprocess_get_term_sig (process));
  return g_strdup_printf ("status %d", g_subprocess_get_exit_status (process));
}

/**
 * bench_child_print_output:
 *
 * Prints to standard error what the child said so far (the lines read, and
 * those still in the pipe once it ended) and how it ended, if it did: for a
 * benchmark about to abort because of it.
 */
void
bench_child_print_output (BenchChild *child)
{
  g_autofree char *rest = NULL;
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  /* A child that is going away may have left its last words unread, and
   * its end unseen. */
  while ((rest = bench_child_next_line (child, 500, NULL)) != NULL)
    g_clear_pointer (&rest, g_free);
  while (!child->exited && g_get_monotonic_time () < deadline)
    lens_test_spin_for (10);
  for (guint i = 0; i < child->lines->len; i++)
    g_printerr ("  | %s\n", g_array_index (child->lines, Line, i).text);
  if (child->exited)
    {
      g_autofree char *how = describe_exit (child->process);

      g_printerr ("  (the program ended: %s)\n", how);
    }
}

/**
 * bench_child_wait_for:
 * @text: what a line is to hold
 *
 * Reads lines until one holds @text. Aborts the benchmark, with what the
 * child said, if none does within @timeout_ms or the child ends first.
 *
 * Returns: when that line was read (monotonic µs)
 */
gint64
bench_child_wait_for (BenchChild *child,
                      const char *text,
                      guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (g_get_monotonic_time () < deadline)
    {
      gint64 when = 0;
      g_autofree char *line = bench_child_next_line (child, 100, &when);

      if (line != NULL && strstr (line, text) != NULL)
        return when;
      if (line == NULL && child->eof)
        break;
    }

  bench_child_print_output (child);
  g_error ("Waited %u ms for “%s”%s", timeout_ms, text, child->eof ? "; the program ended" : "");
}

/* VmRSS of the child, in KiB; 0 once it is gone. */
guint64
bench_child_get_rss_kib (BenchChild *child)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (child->process));
  g_autofree char *status = NULL;
  const char *rss;

  if (child->exited || !g_file_get_contents (path, &status, NULL, NULL))
    return 0;
  rss = strstr (status, "\nVmRSS:");
  return rss != NULL ? g_ascii_strtoull (rss + strlen ("\nVmRSS:"), NULL, 10) : 0;
}

/**
 * bench_child_save_smaps:
 * @name: the file's name, without directory
 *
 * When BENCH_SMAPS_DIR names a directory, copies the child's
 * /proc/PID/smaps there as @name, to see afterwards where its memory went
 * (tests/benchmarks/smaps-summary sums it up by mapping); otherwise does
 * nothing.
 */
void
bench_child_save_smaps (BenchChild *child,
                        const char *name)
{
  const char *dir = g_getenv ("BENCH_SMAPS_DIR");
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autofree char *smaps = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  if (dir == NULL || child->exited)
    return;
  source = g_strdup_printf ("/proc/%s/smaps", g_subprocess_get_identifier (child->process));
  target = g_build_filename (dir, name, NULL);
  g_mkdir_with_parents (dir, 0700);
  if (!g_file_get_contents (source, &smaps, &length, &error) ||
      !g_file_set_contents (target, smaps, length, &error))
    g_printerr ("  (no smaps saved: %s)\n", error->message);
}


/**
 * bench_child_settled_rss:
 * @stable_ms: how long the resident memory must stay within 1 MiB
 * @timeout_ms: how long to wait at most; the last figure counts then
 *
 * Samples VmRSS every 100 ms until the last @stable_ms of samples lie
 * within 1 MiB of each other.
 *
 * Returns: the last sample, in KiB
 */
guint64
bench_child_settled_rss (BenchChild *child,
                         guint       stable_ms,
                         guint       timeout_ms)
{
  guint window = MAX (stable_ms / 100, 2);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (guint64));
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (g_get_monotonic_time () < deadline)
    {
      guint64 rss = bench_child_get_rss_kib (child);
      guint64 low = G_MAXUINT64, high = 0;

      /* A program that ended has no memory to measure: that is a failure,
       * not a figure of 0. */
      if (child->exited)
        {
          g_autofree char *how = describe_exit (child->process);

          bench_child_print_output (child);
          g_error ("The program ended (%s) before its memory settled", how);
        }

      g_array_append_val (samples, rss);
      if (samples->len >= window)
        {
          for (guint i = samples->len - window; i < samples->len; i++)
            {
              low = MIN (low, g_array_index (samples, guint64, i));
              high = MAX (high, g_array_index (samples, guint64, i));
            }
          if (high - low <= 1024)
            return rss;
        }
      lens_test_spin_for (100);
    }

  g_printerr ("  (memory still changing after %u s)\n", timeout_ms / 1000);
  return samples->len > 0 ? g_array_index (samples, guint64, samples->len - 1) : 0;
}

/* Asks the child to end (SIGTERM), and kills it if it has not within 10 s;
 * returns once it is gone. */
void
bench_child_stop (BenchChild *child)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (!child->exited)
    g_subprocess_send_signal (child->process, SIGTERM);
  while (!child->exited && g_get_monotonic_time () < deadline)
    lens_test_spin_for (10);
  if (!child->exited)
    {
      g_subprocess_force_exit (child->process);
      while (!child->exited)
        lens_test_spin_for (10);
    }
}

void
bench_child_free (BenchChild *child)
{
  bench_child_stop (child);
  g_cancellable_cancel (child->cancellable);
  lens_test_spin_for (1);
  g_clear_object (&child->cancellable);
  g_clear_object (&child->lines_in);
  g_clear_object (&child->process);
  g_array_unref (child->lines);
  g_free (child);
}

/* ─── the fake server ──────────────────────────────────────────────────── */

/* Reads "NAME: value" from the fake server's first lines. */
static char *
read_field (BenchChild *server,
            const char *name)
{
  g_autofree char *line = bench_child_next_line (server, FAKE_API_START_TIMEOUT_MS, NULL);
  gsize length = strlen (name);

  if (line == NULL || strncmp (line, name, length) != 0 || strncmp (line + length, ": ", 2) != 0)
    g_error ("The fake server said “%s” where “%s: …” was expected", line ? line : "nothing", name);
  return g_strdup (line + length + 2);
}

/**
 * bench_fake_api_spawn:
 * @program: the path of tasklens-fake-api
 * @scratch_dir: a directory of the benchmark's; the server's home goes
 *   into its "server" folder
 * @token: the token the server accepts
 * @n_tasks: how many finished imagine tasks it makes up (--count)
 * @extra_args: (nullable): more options for it (--image-grain=8…)
 * @out_url: (out) (transfer full): where it listens
 *
 * Starts the fake server as a process of its own, so that its work (drawing
 * and sending images, answering) is neither on the benchmark's main loop
 * nor in its CPU time, and reads what it prints first.
 *
 * Returns: (transfer full): the server; its tasks' ids go into @out_ids
 */
BenchChild *
bench_fake_api_spawn (const char         *program,
                      const char         *scratch_dir,
                      const char         *token,
                      guint               n_tasks,
                      const char * const *extra_args,
                      char              **out_url,
                      GPtrArray          *out_ids)
{
  g_autofree char *server_dir = g_build_filename (scratch_dir, "server", NULL);
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) env = bench_child_environment (server_dir, NULL);
  g_autofree char *token_said = NULL;
  BenchChild *server;

  g_strv_builder_add (argv, program);
  g_strv_builder_take (argv, g_strdup_printf ("--token=%s", token));
  g_strv_builder_take (argv, g_strdup_printf ("--count=%u", n_tasks));
  if (extra_args != NULL)
    g_strv_builder_addv (argv, (const char **) extra_args);
  args = g_strv_builder_end (argv);
  server = bench_child_spawn ((const char * const *) args, (const char * const *) env);

  *out_url = read_field (server, "URL");
  token_said = read_field (server, "TOKEN");
  if (g_strcmp0 (token_said, token) != 0)
    g_error ("The fake server accepts “%s”, not “%s”", token_said, token);
  for (guint i = 0; i < n_tasks; i++)
    g_ptr_array_add (out_ids, read_field (server, "ID"));
  return server;
}

/* ─── small things the benchmarks share ────────────────────────────────── */

/**
 * bench_wait_for_name_gone:
 *
 * Tasklens is a unique application: started while the one before still
 * owns its name on the session bus, it would hand its command line over
 * and quit, and the benchmark would time nothing. Waits (10 s at most)
 * until nobody owns @bus_name.
 */
void
bench_wait_for_name_gone (const char *bus_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (bus == NULL)
    g_error ("No session bus (run under dbus-run-session): %s", error->message);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus",
                                                               "/org/freedesktop/DBus",
                                                               "org.freedesktop.DBus",
                                                               "NameHasOwner",
                                                               g_variant_new ("(s)", bus_name),
                                                               G_VARIANT_TYPE ("(b)"),
                                                               G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                                               &error);
      gboolean owned = TRUE;

      if (reply == NULL)
        g_error ("NameHasOwner failed: %s", error->message);
      g_variant_get (reply, "(b)", &owned);
      if (!owned)
        return;
      lens_test_spin_for (20);
    }
  g_error ("%s is still owned on the session bus", bus_name);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The median of @values, which it sorts. */
double
bench_median (double *values,
              guint   n_values)
{
  g_assert (n_values > 0);
  qsort (values, n_values, sizeof *values, compare_doubles);
  return n_values % 2 == 1 ? values[n_values / 2]
                           : (values[n_values / 2 - 1] + values[n_values / 2]) / 2;
}

/* Figures print with "≤" and "×", and the programs measured run as a user
 * runs them, in a UTF-8 locale: without one, C.UTF-8 for all. */
void
bench_init (void)
{
  setlocale (LC_ALL, "");
  if (!g_get_charset (NULL))
    {
      g_setenv ("LC_ALL", "C.UTF-8", TRUE);
      setlocale (LC_ALL, "");
    }
}

/* The figures depend on what else the two cores do: the load goes beside them. */
void
bench_print_load (void)
{
  g_autofree char *loadavg = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    g_print ("machine load (1, 5, 15 min): %.*s\n", 14, loadavg);
}
