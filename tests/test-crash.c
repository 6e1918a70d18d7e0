/* test-crash.c — killed at any moment, Tasklens loses nothing it acknowledged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two kinds of work are killed with SIGKILL at random points, round after
 * round, each round starting again where the last one was killed:
 *
 * - importing: the real `tasklens` imports a file of 10,000 ids (its own
 *   command line, under this test's display, with a private D-Bus and the
 *   fake server). What it acknowledged is what it logged "Acknowledged:
 *   N tasks added" for (a g_debug of lens-intake, said together with the
 *   "Added N tasks" message). After each kill, the history's file is read
 *   as the next start reads it: every acknowledged id must be there, and
 *   the file must load without being taken for damaged. At the end the app
 *   starts once more and must load all of it.
 * - saving originals: crash-saver (a helper in tests/) saves images through
 *   LensDownloads, printing "saved PATH" as each is in place. After each
 *   kill every acknowledged file, and every image file at all, must be
 *   complete; partial files may stay after a kill (nothing can remove them
 *   then) but the next run must remove them, which the last, unkilled run
 *   checks. The last killed round kills while a partial file is known to
 *   exist, so that there is one to remove.
 *
 * The kill points come from a seeded generator: the seed is printed, and
 * TASKLENS_CRASH_SEED=N runs the same points again. Half of the import
 * rounds kill at the moment the acknowledgement is read, which is when a
 * write that has not happened yet would be lost.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "lens-file-name.h"
#include "lens-http.h"
#include "lens-task-store.h"
#include "lens-test.h"
#include "lens-test-fake.h"
#include "lens-test-fetch.h"
#include "lens-test-store.h"

#define TOKEN           "crash-test-token"
#define APPLICATION_ID  "io.github.tasklens.Tasklens"
#define N_IDS           10000
#define N_IMPORT_ROUNDS 6
#define N_SAVE_ROUNDS   6
#define N_IMAGES        16
/* Random kills fall within this much of the start: the app starts and
 * imports 10,000 ids in about a second. */
#define IMPORT_KILL_MS  2500
#define SAVE_KILL_MS    200
#define ACK_PREFIX      "Acknowledged: "

/* ─── a child process and its lines ────────────────────────────────────── */

typedef struct
{
  GSubprocess      *process;  /* owned */
  GDataInputStream *lines;    /* owned: its stdout or stderr */
  GPtrArray        *seen;     /* of char* (owned): every line so far */
  GCancellable     *cancellable;
  gboolean          eof;
  gboolean          exited;
} Child;


/* GTestDBus unsets DISPLAY (so that no bus is autolaunched over X), and
 * does not set it again: each test's app gets the display the program
 * started with, whichever test ran before. */
static char *display_at_start;
static void read_next_line (Child *child);

static void
line_read_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source_object),
                                                         result, NULL, &error);

  if (line == NULL)
    {
      child->eof = TRUE;
      return;
    }
  g_ptr_array_add (child->seen, line);
  read_next_line (child);
}

static void
read_next_line (Child *child)
{
  g_data_input_stream_read_line_async (child->lines, G_PRIORITY_DEFAULT, child->cancellable,
                                       line_read_cb, child);
}

static void
exited_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Child *child = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source_object), result, NULL);
  child->exited = TRUE;
}

/* Starts @argv with @env added to ours; reads its stdout or, with
 * @with_stderr, its stdout and stderr together (GLib logs debug messages
 * to stdout, warnings to stderr). */
static Child *
child_spawn (const char * const *argv,
             const char * const *env,
             gboolean            with_stderr)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  Child *child = g_new0 (Child, 1);
  GInputStream *stream;

  launcher = g_subprocess_launcher_new (with_stderr
                                        ? G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE
                                        : G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);

  child->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  stream = g_subprocess_get_stdout_pipe (child->process);
  child->lines = g_data_input_stream_new (stream);
  child->seen = g_ptr_array_new_with_free_func (g_free);
  child->cancellable = g_cancellable_new ();
  read_next_line (child);
  g_subprocess_wait_async (child->process, NULL, exited_cb, child);
  return child;
}

/* Kills it (unless it ended) and waits until it is gone and all it wrote
 * before is read. */
static void
child_kill (Child *child)
{
  if (!child->exited)
    g_subprocess_send_signal (child->process, SIGKILL);
  LENS_TEST_SPIN_UNTIL (child->exited && child->eof, LENS_TEST_DEADLINE_MS);
}

static void
child_free (Child *child)
{
  g_cancellable_cancel (child->cancellable);
  lens_test_spin_pending ();
  g_clear_object (&child->cancellable);
  g_clear_object (&child->lines);
  g_clear_object (&child->process);
  g_ptr_array_unref (child->seen);
  g_free (child);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Child, child_free)

/* Whether a line so far holds @text (log lines start with the domain). */
static gboolean
child_saw (Child      *child,
           const char *text)
{
  for (guint i = 0; i < child->seen->len; i++)
    if (strstr (g_ptr_array_index (child->seen, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* What it said, when it ended on its own. */
static void
child_dump (Child *child)
{
  for (guint i = 0; i < child->seen->len; i++)
    g_test_message ("  | %s", (const char *) g_ptr_array_index (child->seen, i));
}

/* Waits until a line holds @text, or the child ended, or the deadline:
 * fails the test, with what it said, unless a line holds it. */
static void
child_wait_for (Child      *child,
                const char *text)
{
  gint64 deadline = g_get_monotonic_time () + LENS_TEST_DEADLINE_MS * 1000;

  while (!child_saw (child, text) && !child->eof && g_get_monotonic_time () < deadline)
    lens_test_spin_for (10);
  if (!child_saw (child, text))
    {
      g_test_message ("Waited for “%s”; it said:", text);
      child_dump (child);
    }
  g_assert_true (child_saw (child, text));
}

static GRand *
seeded_rand (void)
{
  const char *fixed = g_getenv ("TASKLENS_CRASH_SEED");
  guint32 seed = fixed != NULL ? (guint32) g_ascii_strtoull (fixed, NULL, 10)
                               : (guint32) g_test_rand_int ();

  g_test_message ("Kill points from seed %u (TASKLENS_CRASH_SEED=%u repeats them)", seed, seed);
  return g_rand_new_with_seed (seed);
}

static void
wait_ms (guint milliseconds)
{
  if (milliseconds > 0)
    lens_test_spin_for (milliseconds);
}

/* ─── importing ────────────────────────────────────────────────────────── */

/* Waits until the application id is free on @bus: a killed app's name goes
 * once the bus has seen it die, and the next one must not find it taken. */
static void
wait_for_name_gone (GDBusConnection *bus)
{
  gint64 deadline = g_get_monotonic_time () + LENS_TEST_DEADLINE_MS * 1000;

  for (;;)
    {
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GError) error = NULL;
      gboolean owned;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", APPLICATION_ID),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
      if (!owned)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      wait_ms (5);
    }
}

/* A file of N_IDS new ids for @round; their ids go into @ids. */
static char *
write_ids (const char *dir,
           guint       round,
           GPtrArray  *ids)
{
  g_autofree char *name = g_strdup_printf ("ids-%u.txt", round);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GString) text = g_string_new ("id\n");

  g_ptr_array_set_size (ids, 0);
  for (guint i = 0; i < N_IDS; i++)
    {
      char *id = g_strdup_printf ("%08x-%04x-4000-8000-%012x", g_str_hash (dir), round, i);

      g_string_append_printf (text, "%s\n", id);
      g_ptr_array_add (ids, id);
    }
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
  return path;
}

/* Reads the history as the next start does: it loads, not as damaged, and
 * holds every id in @acknowledged. Returns how many tasks it holds. */
static guint
check_history (const char *db_path,
               GHashTable *acknowledged)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (db_path);
  g_auto(LensTestLoaded) loaded = { 0 };
  g_autoptr(GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer id;
  guint n_missing = 0;

  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_null (loaded.recovery_message);

  for (guint i = 0; i < loaded.tasks->len; i++)
    g_hash_table_add (stored, (gpointer) lens_task_get_id (g_ptr_array_index (loaded.tasks, i)));
  g_hash_table_iter_init (&iter, acknowledged);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (stored, id))
      n_missing++;
  if (n_missing > 0)
    g_test_message ("%u acknowledged ids are not in the history", n_missing);
  g_assert_cmpuint (n_missing, ==, 0);

  return loaded.tasks->len;
}

static void
test_import (void)
{
  g_autoptr(LensFakeApi) fake = lens_test_start_fake_api (TOKEN);
  g_autoptr(GTestDBus) dbus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GRand) rand = seeded_rand ();
  g_autofree char *dir = lens_test_make_scratch_dir ("crash-import");
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, "tasks.db", NULL);
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *display = display_at_start;
  const char *env[] = {
    "DISPLAY", display,
    "TASKLENS_DATA_DIR", data_dir,
    "TASKLENS_API_URL", lens_fake_api_get_url (fake),
    "ACEDATA_API_TOKEN", TOKEN,
    "G_MESSAGES_DEBUG", "lens-intake lens-context",
    /* Not fatal-criticals: under this test's isolated directories a
     * library of the desktop stack logs a critical at start-up, and what is
     * tested here is what a kill leaves, not the log. */
    "G_DEBUG", "gc-friendly",
    NULL,
  };
  guint n_acknowledged_rounds = 0, n_stored = 0;

  /* The ui suite runs under a display (build-aux/meson-test: xvfb-run). */
  g_assert_nonnull (display);
  /* A bus of its own: no other test's Tasklens can take the command line. */
  g_test_dbus_up (dbus);
  bus = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (dbus),
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);

  for (guint round = 0; round < N_IMPORT_ROUNDS; round++)
    {
      g_autofree char *ids_path = write_ids (dir, round, ids);
      const char *argv[] = { g_getenv ("TASKLENS_BINARY"), ids_path, NULL };
      gboolean at_ack = round % 2 == 1;
      guint delay = at_ack ? (guint) g_rand_int_range (rand, 0, 20)
                           : (guint) g_rand_int_range (rand, 0, IMPORT_KILL_MS);
      g_autoptr(Child) app = NULL;
      gboolean acked;

      wait_for_name_gone (bus);
      app = child_spawn (argv, env, TRUE);
      if (at_ack)
        child_wait_for (app, ACK_PREFIX);
      wait_ms (delay);
      if (app->exited)
        {
          LENS_TEST_SPIN_UNTIL (app->eof, LENS_TEST_DEADLINE_MS);
          child_dump (app);
        }
      g_assert_false (app->exited);
      child_kill (app);

      acked = child_saw (app, ACK_PREFIX);
      g_test_message ("Import round %u: killed %u ms after %s, %s", round, delay,
                      at_ack ? "the acknowledgement" : "the start",
                      acked ? "acknowledged" : "not acknowledged");
      if (acked)
        {
          n_acknowledged_rounds++;
          for (guint i = 0; i < ids->len; i++)
            g_hash_table_add (acknowledged, g_strdup (g_ptr_array_index (ids, i)));
        }
      n_stored = check_history (db_path, acknowledged);
      g_test_message ("  the history holds %u tasks, %u acknowledged", n_stored,
                      g_hash_table_size (acknowledged));
      g_unlink (ids_path);
    }
  g_assert_cmpuint (n_acknowledged_rounds, >=, N_IMPORT_ROUNDS / 2);

  /* The app itself starts again on what the kills left, and loads it all. */
  {
    g_autofree char *expected = g_strdup_printf ("History loaded: %u tasks", n_stored);
    const char *argv[] = { g_getenv ("TASKLENS_BINARY"), NULL };
    g_autoptr(Child) app = NULL;

    wait_for_name_gone (bus);
    app = child_spawn (argv, env, TRUE);
    child_wait_for (app, "History loaded: ");
    child_kill (app);
    child_wait_for (app, expected);
  }

  g_dbus_connection_close_sync (bus, NULL, NULL);
  g_clear_object (&bus);
  g_test_dbus_down (dbus);
  lens_test_remove_tree (dir);
}

/* ─── saving images ────────────────────────────────────────────────────── */

/* The names of our partial files in @dir. */
static guint
count_partial_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (lens_file_name_is_temp (name))
      n++;
  return n;
}

/* Every image in @dir, and so every acknowledged one, is whole. */
static void
check_images (const char *dir,
              GBytes     *expected,
              GHashTable *acknowledged)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  GHashTableIter iter;
  gpointer path;
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (lens_file_name_is_temp (name))
        continue;
      g_assert_true (g_str_has_prefix (name, "image-"));
      g_assert_true (g_file_get_contents (file, &contents, &length, NULL));
      g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
    }

  g_hash_table_iter_init (&iter, acknowledged);
  while (g_hash_table_iter_next (&iter, &path, NULL))
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
note_saved (Child      *saver,
            GHashTable *acknowledged)
{
  for (guint i = 0; i < saver->seen->len; i++)
    {
      const char *line = g_ptr_array_index (saver->seen, i);

      if (g_str_has_prefix (line, "saved "))
        g_hash_table_add (acknowledged, g_strdup (line + strlen ("saved ")));
    }
}

static void
test_save_images (void)
{
  g_autoptr(LensFakeApi) fake = lens_test_start_fake_api (TOKEN);
  g_autoptr(SoupSession) session = lens_http_create_session ();
  g_autoptr(GRand) rand = seeded_rand ();
  g_autofree char *dir = lens_test_make_scratch_dir ("crash-images");
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GBytes) expected = NULL;
  g_autofree char *url = NULL;
  g_autofree char *count = g_strdup_printf ("%u", N_IMAGES);
  const char *argv[] = { g_getenv ("TASKLENS_CRASH_SAVER"), dir, NULL, count, NULL };

  g_assert_nonnull (argv[0]);
  lens_fake_api_seed_examples (fake);
  /* A large picture, so that a kill often falls while one is written. */
  url = g_strdup_printf ("%s/images/7489df4c-ef03-4de0-b598-e9a590793434_grid_0.webp"
                         "?width=1600&height=1600", lens_fake_api_get_url (fake));
  argv[2] = url;
  expected = lens_test_fetch (session, url);
  g_assert_cmpuint (g_bytes_get_size (expected), >, 100 * 1024);

  for (guint round = 0; round < N_SAVE_ROUNDS; round++)
    {
      /* The last round kills while a partial file is there, so that the
       * run after it has one to remove; should the file have been renamed
       * in between, it is tried again. */
      gboolean at_partial = round == N_SAVE_ROUNDS - 1;
      guint delay = at_partial ? 0 : (guint) g_rand_int_range (rand, 0, SAVE_KILL_MS);
      guint n_partial = 0;

      for (guint attempt = 0; attempt < (at_partial ? 5 : 1) && (attempt == 0 || n_partial == 0); attempt++)
        {
          g_autoptr(Child) saver = child_spawn (argv, NULL, FALSE);

          if (at_partial)
            LENS_TEST_SPIN_UNTIL (count_partial_files (dir) > 0 || saver->exited, LENS_TEST_DEADLINE_MS);
          wait_ms (delay);
          child_kill (saver);
          note_saved (saver, acknowledged);
          n_partial = count_partial_files (dir);
        }

      g_test_message ("Save round %u: killed %u ms after %s; %u acknowledged so far, %u partial "
                      "files left", round, delay, at_partial ? "a partial file appeared" : "the start",
                      g_hash_table_size (acknowledged), n_partial);
      check_images (dir, expected, acknowledged);
      if (at_partial)
        g_assert_cmpuint (n_partial, >, 0);
    }

  /* A run that is not killed removes what the kills left, and leaves no
   * partial file of its own. */
  {
    g_autoptr(Child) saver = child_spawn (argv, NULL, FALSE);

    LENS_TEST_SPIN_UNTIL (saver->exited && saver->eof, LENS_TEST_DEADLINE_MS);
    g_assert_true (g_subprocess_get_if_exited (saver->process));
    g_assert_cmpint (g_subprocess_get_exit_status (saver->process), ==, 0);
    g_assert_true (child_saw (saver, "done"));
    note_saved (saver, acknowledged);
  }
  g_assert_cmpuint (count_partial_files (dir), ==, 0);
  g_assert_cmpuint (g_hash_table_size (acknowledged), ==, N_IMAGES);
  check_images (dir, expected, acknowledged);

  lens_test_remove_tree (dir);
}

/* ─── a bulk save ─────────────────────────────────────────────────────── */

#define N_BULK 12

/* The visible files of @dir: images a bulk save put there. */
static guint
count_visible_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (name[0] != '.')
      n++;
  return n;
}

/* A history of N_BULK finished grids whose images the fake serves. */
static GStrv
seed_history (LensFakeApi *fake,
              const char  *db_path)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (db_path);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  g_auto(LensTestLoaded) loaded = { 0 };
  GStrv ids = lens_fake_api_seed_generated (fake, LENS_FAKE_TASK_IMAGINE, N_BULK);

  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  for (guint i = 0; i < N_BULK; i++)
    {
      g_autofree char *url = lens_test_image_url (fake, ids[i], ".png");
      g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\","
                                               " \"created_at\": 1720364607.5, \"request\": {\"prompt\":"
                                               " \"Cat %u\"}, \"response\": {\"success\": true, \"progress\": 100,"
                                               " \"raw_image_url\": \"%s\"}}", ids[i], i, url);
      g_autoptr(LensTask) task = lens_test_task_with_record (ids[i], json);

      g_ptr_array_add (changes, lens_store_change_new_put (task, i, json, 0, 0));
    }
  lens_test_store_write (store, changes);
  return ids;
}

/* `tasklens --save-all DIR`, killed half-way: the next start resumes the
 * save by itself, and the folder ends with each image once; a last
 * --save-all finds them all there and says so. */
static void
test_bulk_save_resumes (void)
{
  g_autoptr(LensFakeApi) fake = lens_test_start_fake_api (TOKEN);
  g_autoptr(GTestDBus) dbus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autofree char *dir = lens_test_make_scratch_dir ("crash-bulk");
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, "tasks.db", NULL);
  g_autofree char *journal = g_build_filename (data_dir, "save-job.ini", NULL);
  g_autofree char *folder = g_build_filename (dir, "Pictures", NULL);
  const char *display = display_at_start;
  g_autofree char *expected = g_strdup_printf ("%u images were there already.", N_BULK);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  const char *env[] = {
    "DISPLAY", display,
    "TASKLENS_DATA_DIR", data_dir,
    "TASKLENS_API_URL", lens_fake_api_get_url (fake),
    "ACEDATA_API_TOKEN", TOKEN,
    "LANGUAGE", "C",
    "G_MESSAGES_DEBUG", "lens-context",
    "G_DEBUG", "gc-friendly",
    NULL,
  };
  const char *save_argv[] = { g_getenv ("TASKLENS_BINARY"), "--save-all", folder, NULL };
  const char *start_argv[] = { g_getenv ("TASKLENS_BINARY"), NULL };
  guint n_before_kill;

  g_assert_nonnull (display);
  g_test_dbus_up (dbus);
  bus = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (dbus),
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  ids = seed_history (fake, db_path);

  /* Every image is slow, so that the kill falls in the middle. */
  lens_test_push_image_fault (fake, LENS_FAKE_FAULT_DELAY, 300, N_BULK);
  {
    g_autoptr(Child) app = child_spawn (save_argv, env, TRUE);

    LENS_TEST_SPIN_UNTIL (count_visible_files (folder) >= 3 || app->exited, LENS_TEST_DEADLINE_MS);
    if (app->exited)
      child_dump (app);
    g_assert_false (app->exited);
    child_kill (app);
  }
  n_before_kill = count_visible_files (folder);
  g_test_message ("Killed with %u of %u images saved", n_before_kill, N_BULK);
  g_assert_cmpuint (n_before_kill, <, N_BULK);
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));

  /* A plain start resumes it. */
  lens_fake_api_clear_faults (fake);
  {
    g_autoptr(Child) app = NULL;

    wait_for_name_gone (bus);
    app = child_spawn (start_argv, env, TRUE);
    LENS_TEST_SPIN_UNTIL ((count_visible_files (folder) == N_BULK && !g_file_test (journal, G_FILE_TEST_EXISTS))
                          || app->exited, LENS_TEST_DEADLINE_MS);
    g_assert_false (app->exited);
    child_kill (app);
  }
  g_assert_cmpuint (count_visible_files (folder), ==, N_BULK);

  /* Run to its end, --save-all says what it did and that nothing failed. */
  {
    g_autoptr(Child) app = NULL;

    wait_for_name_gone (bus);
    app = child_spawn (save_argv, env, FALSE);
    LENS_TEST_SPIN_UNTIL (app->exited && app->eof, LENS_TEST_DEADLINE_MS);
    child_dump (app);
    g_assert_true (g_subprocess_get_if_exited (app->process));
    g_assert_cmpint (g_subprocess_get_exit_status (app->process), ==, 0);
    g_assert_true (child_saw (app, "Saved 0 images to "));
    g_assert_true (child_saw (app, expected));
  }
  g_assert_cmpuint (count_visible_files (folder), ==, N_BULK);
  g_assert_cmpuint (count_partial_files (folder), ==, 0);

  g_dbus_connection_close_sync (bus, NULL, NULL);
  g_clear_object (&bus);
  g_test_dbus_down (dbus);
  lens_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);
  display_at_start = g_strdup (g_getenv ("DISPLAY"));

  g_test_add_func ("/crash/import", test_import);
  g_test_add_func ("/crash/save-images", test_save_images);
  g_test_add_func ("/crash/bulk-save-resumes", test_bulk_save_resumes);

  return g_test_run ();
}
