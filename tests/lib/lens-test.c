/* lens-test.c — what every Tasklens test program shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <time.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "lens-test.h"

static char *keyring_path;

/* Reads what GIO would otherwise read lazily from XDG_DATA_DIRS, while that
 * still names the system's directories: once g_test_init() has isolated the
 * directories, the MIME database and the system's GSettings schemas would
 * no longer be found. */
static void
load_system_data (void)
{
  g_free (g_content_type_guess ("warm-up.png", NULL, 0, NULL));
  g_settings_schema_source_get_default ();
}

/* A file keyring in this program's scratch directory: nothing a test does
 * may reach the user's keyring (under Xvfb a real one would prompt and
 * hang). libsecret reads these once, when its backend is first made. */
static void
use_scratch_keyring (void)
{
  const char *tmp_dir = g_getenv ("G_TEST_TMPDIR");
  g_autofree char *dir = NULL;

  g_assert_nonnull (tmp_dir);
  dir = g_build_filename (tmp_dir, "keyring", NULL);
  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  keyring_path = g_build_filename (dir, "test.keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
}

/**
 * lens_test_init:
 *
 * g_test_init() with G_TEST_OPTION_ISOLATE_DIRS: every test gets its own
 * HOME and XDG directories, removed after it. Also a UTF-8 locale unless the
 * program chose one, data files found through G_TEST_SRCDIR, and a scratch
 * file keyring.
 */
void
lens_test_init (int    *argc,
                char ***argv)
{
  if (g_getenv ("G_TEST_SRCDIR") == NULL)
    g_setenv ("G_TEST_SRCDIR", LENS_TEST_SRCDIR, TRUE);
  if (g_strcmp0 (setlocale (LC_ALL, NULL), "C") == 0)
    setlocale (LC_ALL, "C.UTF-8");
  load_system_data ();

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  use_scratch_keyring ();
}

static char *
data_path_va (const char *first_element,
              va_list     args)
{
  const char *src_dir = g_getenv ("G_TEST_SRCDIR");
  g_autoptr(GPtrArray) elements = g_ptr_array_new ();

  g_ptr_array_add (elements, (gpointer) (src_dir != NULL ? src_dir : LENS_TEST_SRCDIR));
  g_ptr_array_add (elements, (gpointer) "data");
  for (const char *element = first_element; element != NULL; element = va_arg (args, const char *))
    g_ptr_array_add (elements, (gpointer) element);
  g_ptr_array_add (elements, NULL);

  return g_build_filenamev ((char **) elements->pdata);
}

/**
 * lens_test_data_path:
 *
 * Returns: (transfer full): the path of a file under tests/data, such as
 * lens_test_data_path ("api-examples", "retrieve.json", NULL). Works without
 * lens_test_init() too, for the benchmarks.
 */
char *
lens_test_data_path (const char *first_element,
                     ...)
{
  va_list args;
  char *path;

  va_start (args, first_element);
  path = data_path_va (first_element, args);
  va_end (args);
  return path;
}

/**
 * lens_test_read_data:
 *
 * Returns: (transfer full): the contents of a file under tests/data; a file
 * that cannot be read fails the test.
 */
char *
lens_test_read_data (const char *first_element,
                     ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  va_list args;
  char *contents = NULL;

  va_start (args, first_element);
  path = data_path_va (first_element, args);
  va_end (args);

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("Cannot read test data %s: %s", path, error->message);
  return contents;
}

/**
 * lens_test_make_id:
 *
 * Returns: (transfer full): a valid task id in lower case, another for each
 *   @n
 */
char *
lens_test_make_id (guint n)
{
  return g_strdup_printf ("%08x-%04x-4%03x-8%03x-%012x",
                          n * 2654435761u, n & 0xffff, n % 0xfff, (n >> 12) & 0xfff, n);
}

/**
 * lens_test_make_id_lines:
 *
 * Returns: (transfer full): the ids lens_test_make_id() makes for @first up
 *   to @first + @n_ids, one per line, as a user pastes them
 */
char *
lens_test_make_id_lines (guint first,
                         guint n_ids)
{
  GString *text = g_string_new (NULL);

  for (guint i = first; i < first + n_ids; i++)
    {
      g_autofree char *id = lens_test_make_id (i);

      g_string_append_printf (text, "%s\n", id);
    }
  return g_string_free (text, FALSE);
}

/**
 * lens_test_load_file:
 *
 * Returns: (transfer full): what @file holds; fails the test when it
 *   cannot be read
 */
GBytes *
lens_test_load_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

/**
 * lens_test_make_scratch_dir:
 * @name: what the directory is for, a prefix of its name
 *
 * Returns: (transfer full): a new empty directory. Inside a test it lies
 * among the test's isolated directories, so it goes away with them even if
 * the test fails before removing it.
 */
char *
lens_test_make_scratch_dir (const char *name)
{
  const char *home = g_getenv ("HOME");
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strconcat (name, "-XXXXXX", NULL);
  g_autofree char *path = NULL;

  /* Outside a test, g_test_init() has pointed HOME at /dev/null. */
  if (home == NULL || g_str_equal (home, "/dev/null"))
    {
      char *dir = g_dir_make_tmp (template, &error);

      g_assert_no_error (error);
      return dir;
    }

  g_assert_no_errno (g_mkdir_with_parents (home, 0700));
  path = g_build_filename (home, template, NULL);
  g_assert_nonnull (g_mkdtemp (path));
  return g_steal_pointer (&path);
}

/**
 * lens_test_count_files:
 *
 * Returns: how many entries @folder has (hidden ones too); fails the test
 *   if it cannot be read
 */
guint
lens_test_count_files (const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/**
 * lens_test_remove_tree:
 * @path: (nullable): a file or directory; nothing happens if it is %NULL or
 *   does not exist
 *
 * Removes @path and, for a directory, everything under it, without following
 * symbolic links. Directories a test made read-only are made writable first.
 * Anything that cannot be removed fails the test: a file that stays is one
 * the code under test still writes, or should not have made.
 */
void
lens_test_remove_tree (const char *path)
{
  gboolean is_link;

  if (path == NULL)
    return;
  /* A dangling link does not "exist", but is there to remove. */
  is_link = g_file_test (path, G_FILE_TEST_IS_SYMLINK);
  if (!is_link && !g_file_test (path, G_FILE_TEST_EXISTS))
    return;

  if (!is_link && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_assert_no_errno (g_chmod (path, 0700));
      dir = g_dir_open (path, 0, &error);
      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          lens_test_remove_tree (child);
        }
      g_assert_no_errno (g_rmdir (path));
    }
  else
    g_assert_no_errno (g_unlink (path));
}

/**
 * lens_test_keyring_path:
 *
 * Returns: the file keyring lens_test_init() set up for this program.
 */
const char *
lens_test_keyring_path (void)
{
  g_assert_nonnull (keyring_path);
  return keyring_path;
}

/**
 * lens_test_finalize_eventually:
 * @object_pointer: (inout): where a #GObject pointer is; cleared
 *
 * Drops the last reference the test holds to the object, then waits until
 * whatever it had under way (each async operation holds a reference) has
 * wound down and freed it. Fails the test if it is still alive at the
 * deadline: then something leaks it.
 */
void
lens_test_finalize_eventually (gpointer object_pointer)
{
  GObject *object = G_OBJECT (g_steal_pointer ((GObject **) object_pointer));

  g_object_add_weak_pointer (object, (gpointer *) &object);
  g_object_unref (object);
  LENS_TEST_SPIN_UNTIL (object == NULL, LENS_TEST_DEADLINE_MS);
}

/**
 * lens_test_count_cb:
 * @user_data: a guint
 *
 * A "notify" handler that counts the notifications in the #guint at
 * @user_data.
 */
void
lens_test_count_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/**
 * lens_test_set_true_cb:
 * @user_data: a gboolean
 *
 * A #GSourceFunc that sets the #gboolean at @user_data and runs once.
 */
gboolean
lens_test_set_true_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * lens_test_spin_pending:
 *
 * Runs everything that is ready, without waiting for timeouts.
 */
void
lens_test_spin_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/**
 * lens_test_spin_for:
 *
 * Runs the main loop for @milliseconds, so that whatever would happen in
 * that time (more requests, timers, drawing) has the chance to.
 */
void
lens_test_spin_for (guint milliseconds)
{
  gboolean elapsed = FALSE;

  g_timeout_add (milliseconds, lens_test_set_true_cb, &elapsed);
  while (!elapsed)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * lens_test_thread_cpu_us:
 *
 * Returns: the CPU time the calling thread has used, in microseconds: what
 *   a benchmark measures a main-loop turn by, since a busy machine does
 *   not inflate it as it inflates the time on the clock
 */
gint64
lens_test_thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

/* The main thread's CPU time when it last left poll(), and the longest
 * turn since the last reset: what lies between two polls is one turn of
 * the main loop. */
static GPollFunc default_poll;
static gint64 turn_started;
static gint64 longest_turn;

static int
timed_poll (GPollFD *fds,
            guint    n_fds,
            int      timeout)
{
  int result;

  if (turn_started != 0)
    longest_turn = MAX (longest_turn, lens_test_thread_cpu_us () - turn_started);
  result = default_poll (fds, n_fds, timeout);
  turn_started = lens_test_thread_cpu_us ();
  return result;
}

/**
 * lens_test_turns_reset:
 *
 * From now on, times each turn of the default main context by the CPU
 * time of the thread that runs it; lens_test_turns_longest_us() says the
 * longest since this call. For benchmarks: the longest turn is the
 * longest the main loop was held.
 */
void
lens_test_turns_reset (void)
{
  if (default_poll == NULL)
    {
      default_poll = g_main_context_get_poll_func (NULL);
      g_main_context_set_poll_func (NULL, timed_poll);
    }
  turn_started = 0;
  longest_turn = 0;
}

/* Returns: the longest main-loop turn since lens_test_turns_reset(), in
 *   microseconds of CPU time. */
gint64
lens_test_turns_longest_us (void)
{
  return longest_turn;
}

/**
 * lens_test_spin_until:
 *
 * Runs the main loop until *@flag is %TRUE, and fails the test if it is not
 * within @deadline_ms. For any other condition, LENS_TEST_SPIN_UNTIL().
 */
void
lens_test_spin_until (const gboolean *flag,
                      guint           deadline_ms)
{
  LENS_TEST_SPIN_UNTIL (*flag, deadline_ms);
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
_lens_test_wait_start (LensTestWait *wait,
                       guint         deadline_ms)
{
  wait->deadline_ms = deadline_ms;
  wait->deadline = g_get_monotonic_time () + (gint64) deadline_ms * 1000;
  /* Makes the loop come back to check the condition and the deadline even
   * when nothing else happens. */
  wait->wake_id = g_timeout_add (10, wake_cb, NULL);
}

void
_lens_test_wait_step (LensTestWait *wait,
                      const char   *file,
                      int           line,
                      const char   *func,
                      const char   *condition)
{
  if (g_get_monotonic_time () > wait->deadline)
    {
      g_autofree char *message = g_strdup_printf ("gave up after %u ms waiting for %s",
                                                  wait->deadline_ms, condition);

      g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
    }
  g_main_context_iteration (NULL, TRUE);
}

void
_lens_test_wait_stop (LensTestWait *wait)
{
  g_clear_handle_id (&wait->wake_id, g_source_remove);
}
