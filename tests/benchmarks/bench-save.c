/* bench-save.c — saving 1,000 images with LensSaveJob, against the bare transfer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-save TASKLENS-FAKE-API [N_IMAGES] [ROUNDS]
 *
 * Issue 12's target: a bulk save of 1,000 images takes at most 1.3 times
 * the bare transfer of the same bytes, measured in the same run.
 *
 * The fake server runs as a process of its own (bench_fake_api_spawn()),
 * with a grain on its pictures so that they weigh what real renders do
 * (1024×1024 grids of about 2 MB, other aspects 1.2 to 1.6 MB; without the
 * grain its smooth pictures are 170 to 290 KB). It draws N_PICTURES of them,
 * and the N_IMAGES finished grids written into a real LensTaskStore point at
 * those in turn: drawing 1,000 grainy pictures would take the server
 * minutes, and a save neither knows nor cares that two tasks' images have
 * the same pixels (each file gets its own task's metadata).
 *
 * Two ways of getting every image into an empty folder of the same disk,
 * each timed from start to the last file in place, in
 * turns, ROUNDS times each (after one untimed bare run, in which the server
 * draws its pictures):
 *
 *   bare   a plain SoupSession (lens_http_create_session(), as the app's)
 *          with 4 requests in flight, each body streamed into its file
 *          with open(O_EXCL) and write() as it comes (64 KiB reads), then
 *          fsync() + close() in a worker: the least a save that survives a
 *          crash does, with nothing else (no temporary name, no metadata).
 *   save   LensSaveJob as Save Images runs it: 4 in flight (its default),
 *          with a history recording each saved path and a journal; every
 *          image through LensDownloader (temporary file, XMP metadata,
 *          fsync, rename to a name no file has).
 *
 * The folder is on a disk, as a user's Pictures is: under the directory
 * the benchmark runs in (meson's build directory), or $BENCH_SAVE_DIR. Not
 * under $TMPDIR, which is often a tmpfs (and always is in build-aux/sdk):
 * there fsync() costs nothing and the bare transfer is a memory copy, which
 * is no save a user makes. The folder's file system is printed.
 *
 * The folder is removed and the disk synced between runs, outside the time,
 * so that no run writes back another's pages. Prints each run, then the
 * medians: wall time, this process's CPU time (all its threads; the
 * server's is not in it), the bytes received, and the ratio against the
 * target. Exits 0 whatever the figures; not 0 only when something broke (a
 * file missing, an image not saved).
 */

#define G_LOG_DOMAIN "bench-save"
/* sync() and O_CLOEXEC are POSIX 2008, beyond C17. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench-child.h"
#include "lens-history.h"
#include "lens-http.h"
#include "lens-save-job.h"
#include "lens-task-list.h"
#include "lens-test.h"
#include "lens-test-store.h"

#define TOKEN          "bench-token"
#define N_PICTURES     32
#define GRAIN          "8"
#define IN_FLIGHT      4
#define DEFAULT_IMAGES 1000
#define DEFAULT_ROUNDS 3
#define TARGET         1.3
#define RUN_TIMEOUT_S  300

typedef struct
{
  double  wall_s;
  double  cpu_s;
  guint64 bytes;  /* received */
} Figures;

static const char * const prompts[] = {
  "A lighthouse on a cliff at golden hour, oil painting",
  "A cozy reading nook with a sleeping cat, warm lamplight, watercolor",
  "한옥 마을의 눈 내리는 밤, 수채화",
  "Koi fish swirling in a moonlit pond, ukiyo-e style --ar 4:3",
  "An astronaut tending a vegetable garden on Mars, pastel illustration --ar 3:4",
  "제주도 유채꽃밭과 돌담, 봄날 오후, 필름 사진 --ar 16:9",
};

/* ─── measuring ────────────────────────────────────────────────────────── */

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

typedef struct
{
  gint64 start_us;
  double start_cpu;
} Clock;

static Clock
clock_start (void)
{
  return (Clock) { g_get_monotonic_time (), cpu_seconds () };
}

static void
clock_stop (const Clock *clock,
            Figures     *figures)
{
  figures->wall_s = (g_get_monotonic_time () - clock->start_us) / (double) G_USEC_PER_SEC;
  figures->cpu_s = cpu_seconds () - clock->start_cpu;
}

/* The files a run left in @folder must be @n_images, visible and whole;
 * then they go, and the disk is synced, before the next run's clock. */
static void
check_and_clear (const char *folder,
                 guint       n_images)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (name[0] == '.')
        g_error ("A run left the hidden file “%s”", name);
      n++;
    }
  if (n != n_images)
    g_error ("A run left %u files in place of %u", n, n_images);
  g_clear_pointer (&dir, g_dir_close);
  lens_test_remove_tree (folder);
  sync ();
}

/* A new directory on the disk the benchmark runs from (see the top). */
static char *
make_scratch_dir (void)
{
  const char *parent = g_getenv ("BENCH_SAVE_DIR");
  g_autofree char *current = g_get_current_dir ();
  g_autofree char *template = g_build_filename (parent != NULL ? parent : current,
                                                "tasklens-bench-save-XXXXXX", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (g_mkdtemp (template) == NULL)
    g_error ("Cannot make a folder in %s: %s", parent != NULL ? parent : current, g_strerror (errno));
  file = g_file_new_for_path (template);
  info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_TYPE, NULL, NULL);
  g_print ("saving under %s (%s)\n", template,
           info != NULL ? g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_FILESYSTEM_TYPE) : "?");
  return g_steal_pointer (&template);
}

/* ─── bare: a plain client and write() + fsync() ───────────────────────── */

typedef struct
{
  SoupSession *session;
  GPtrArray   *urls;    /* one per image */
  GPtrArray   *paths;   /* one per image */
  guint        next;
  guint        n_in_flight;
  guint        n_done;
  guint64      bytes;
} Bare;

typedef struct
{
  Bare         *bare;
  const char   *path;     /* borrowed from bare->paths */
  SoupMessage  *message;  /* owned */
  GInputStream *body;     /* owned, nullable until sent */
  int           fd;
} BareFile;

static void bare_next (Bare *bare);
static void read_chunk (BareFile *file);

static void
bare_file_free (BareFile *file)
{
  g_clear_object (&file->body);
  g_clear_object (&file->message);
  g_free (file);
}

static void
flush_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  BareFile *file = task_data;

  if (g_fsync (file->fd) != 0 || !g_close (file->fd, NULL))
    g_error ("Cannot flush %s: %s", file->path, g_strerror (errno));
  g_task_return_boolean (task, TRUE);
}

static void
flushed_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Bare *bare = user_data;

  g_task_propagate_boolean (G_TASK (result), NULL);
  bare->n_in_flight--;
  bare->n_done++;
  bare_next (bare);
}

/* Each chunk goes into the page cache as it comes, on this thread: the
 * least a client can do; only the flush, which waits for the disk, goes
 * to a worker. */
static void
chunk_read_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BareFile *file = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (file->body, result, &error);
  g_autoptr(GTask) task = NULL;
  gsize size = 0;
  const guint8 *data;

  if (chunk == NULL)
    g_error ("Bare read failed: %s", error->message);
  data = g_bytes_get_data (chunk, &size);
  if (size > 0)
    {
      file->bare->bytes += size;
      while (size > 0)
        {
          gssize n = write (file->fd, data, size);

          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0)
            g_error ("Cannot write %s: %s", file->path, g_strerror (errno));
          data += n;
          size -= (gsize) n;
        }
      read_chunk (file);
      return;
    }

  task = g_task_new (NULL, NULL, flushed_cb, file->bare);
  g_task_set_task_data (task, file, (GDestroyNotify) bare_file_free);
  g_task_run_in_thread (task, flush_in_thread);
}

static void
read_chunk (BareFile *file)
{
  /* The size LensDownloader reads at once. */
  g_input_stream_read_bytes_async (file->body, 64 * 1024, G_PRIORITY_DEFAULT, NULL, chunk_read_cb,
                                   file);
}

static void
sent_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  BareFile *file = user_data;
  g_autoptr(GError) error = NULL;

  file->body = soup_session_send_finish (SOUP_SESSION (source_object), result, &error);
  if (file->body == NULL)
    g_error ("Bare fetch failed: %s", error->message);
  if (soup_message_get_status (file->message) != SOUP_STATUS_OK)
    g_error ("Bare fetch answered %u", soup_message_get_status (file->message));
  file->fd = g_open (file->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (file->fd < 0)
    g_error ("Cannot create %s: %s", file->path, g_strerror (errno));
  read_chunk (file);
}

static void
bare_next (Bare *bare)
{
  while (bare->n_in_flight < IN_FLIGHT && bare->next < bare->urls->len)
    {
      BareFile *file = g_new0 (BareFile, 1);

      file->bare = bare;
      file->path = g_ptr_array_index (bare->paths, bare->next);
      file->message = soup_message_new (SOUP_METHOD_GET, g_ptr_array_index (bare->urls, bare->next));
      file->fd = -1;
      bare->next++;
      bare->n_in_flight++;
      soup_session_send_async (bare->session, file->message, G_PRIORITY_DEFAULT, NULL, sent_cb, file);
    }
}

static Figures
run_bare (SoupSession *session,
          GPtrArray   *urls,
          const char  *folder)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  Bare bare = { session, urls, paths, 0, 0, 0, 0 };
  Figures figures = { 0 };
  gint64 deadline;
  Clock clock;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  for (guint i = 0; i < urls->len; i++)
    g_ptr_array_add (paths, g_strdup_printf ("%s/%u.png", folder, i));

  clock = clock_start ();
  deadline = g_get_monotonic_time () + RUN_TIMEOUT_S * G_USEC_PER_SEC;
  bare_next (&bare);
  while (bare.n_done < urls->len && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  clock_stop (&clock, &figures);
  if (bare.n_done < urls->len)
    g_error ("The bare transfer wrote %u of %u files in %d s", bare.n_done, urls->len, RUN_TIMEOUT_S);
  figures.bytes = bare.bytes;

  check_and_clear (folder, urls->len);
  return figures;
}

/* ─── save: LensSaveJob ────────────────────────────────────────────────── */

typedef struct
{
  LensDownloader *downloader;
  LensTaskStore  *store;
  LensHistory    *history;
  GStrv           ids;
  char           *journal;
} Saver;

static Figures
run_save (Saver      *saver,
          const char *folder_path)
{
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(LensSaveJob) job = NULL;
  guint n_ids = g_strv_length (saver->ids);
  Figures figures = { 0 };
  gint64 deadline;
  Clock clock;

  g_assert_cmpint (g_mkdir (folder_path, 0755), ==, 0);
  job = lens_save_job_new (saver->downloader, saver->store, folder,
                           (const char * const *) saver->ids, LENS_SAVE_GRIDS_WHOLE);
  lens_save_job_set_history (job, saver->history);
  lens_save_job_set_journal_path (job, saver->journal);
  lens_save_job_set_max_in_flight (job, IN_FLIGHT);

  clock = clock_start ();
  deadline = g_get_monotonic_time () + RUN_TIMEOUT_S * G_USEC_PER_SEC;
  lens_save_job_start (job);
  while (lens_save_job_get_state (job) != LENS_SAVE_JOB_DONE && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  clock_stop (&clock, &figures);

  if (lens_save_job_get_state (job) != LENS_SAVE_JOB_DONE)
    g_error ("The save did not end in %d s", RUN_TIMEOUT_S);
  if (lens_save_job_get_error (job) != NULL)
    g_error ("The save failed: %s", lens_save_job_get_error (job)->message);
  if (lens_save_job_get_n_saved (job) != n_ids)
    g_error ("The save saved %u of %u images (%u failed%s%s)", lens_save_job_get_n_saved (job), n_ids,
             lens_save_job_get_n_failed (job), lens_save_job_get_n_failed (job) > 0 ? ": " : "",
             lens_save_job_get_n_failed (job) > 0
               ? ((LensSaveFailure *) g_ptr_array_index (lens_save_job_get_failures (job), 0))->message
               : "");
  figures.bytes = lens_save_job_get_bytes_saved (job);

  /* The job's journal goes once it is done, after the clock: a job ends
   * with it, it does not wait for it. */
  g_clear_object (&job);
  lens_test_spin_for (50);
  check_and_clear (folder_path, n_ids);
  return figures;
}

/* The tasks' records, in the store the job reads: finished grids whose
 * full images are the server's pictures, in turn. */
static void
write_tasks (LensTaskStore *store,
             const char    *url,
             GPtrArray     *picture_ids,
             GStrv          ids,
             GPtrArray     *urls)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  g_auto(LensTestLoaded) loaded = { 0 };

  lens_test_store_load (store, &loaded);
  if (loaded.error != NULL)
    g_error ("The store did not load: %s", loaded.error->message);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *picture = g_ptr_array_index (picture_ids, i % picture_ids->len);
      g_autofree char *image_url = g_strdup_printf ("%s/images/%s.png", url, picture);
      g_autofree char *json = NULL;
      g_autoptr(LensTask) task = NULL;

      json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\", \"created_at\": %u.5,"
                              " \"finished_at\": %u.25, \"request\": {\"prompt\": \"%s\", \"mode\": \"fast\"},"
                              " \"response\": {\"success\": true, \"progress\": 100,"
                              " \"raw_image_url\": \"%s\", \"image_url\": \"%s?imageMogr2/thumbnail/!50p\","
                              " \"actions\": [\"upscale1\", \"upscale2\", \"upscale3\", \"upscale4\"]}}",
                              ids[i], 1720364607u + 60 * i, 1720364637u + 60 * i,
                              prompts[i % G_N_ELEMENTS (prompts)], image_url, image_url);
      task = lens_test_task_with_record (ids[i], json);
      g_ptr_array_add (changes, lens_store_change_new_put (task, i, json, 0, 0));
      g_ptr_array_add (urls, g_steal_pointer (&image_url));
    }
  lens_test_store_write (store, changes);
}

/* ─── the report ───────────────────────────────────────────────────────── */

static void
print_run (const char    *label,
           guint          round,
           const Figures *figures)
{
  g_print ("  %s %u: %.2f s, CPU %.2f s, %.0f MB/s\n", label, round, figures->wall_s, figures->cpu_s,
           figures->bytes / 1e6 / figures->wall_s);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const server_args[] = { "--image-grain=" GRAIN, NULL };
  g_autoptr(BenchChild) server = NULL;
  g_autoptr(GPtrArray) picture_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) ids_builder = g_strv_builder_new ();
  g_autoptr(SoupSession) bare_session = NULL;
  g_autoptr(SoupSession) save_session = NULL;
  g_autoptr(LensTaskList) tasks = NULL;
  g_autoptr(GPtrArray) nothing = g_ptr_array_new ();
  g_autofree char *scratch_dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *url = NULL;
  g_autofree double *bare_s = NULL, *bare_cpu = NULL, *save_s = NULL, *save_cpu = NULL;
  Saver saver = { NULL };
  Figures figures = { 0 };
  guint64 bytes = 0;
  guint n_images, rounds;
  double bare_median, save_median, ratio;

  if (argc < 2)
    {
      g_printerr ("Usage: %s TASKLENS-FAKE-API [N_IMAGES] [ROUNDS]\n", argv[0]);
      return EXIT_FAILURE;
    }
  bench_init ();
  n_images = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_IMAGES;
  rounds = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : DEFAULT_ROUNDS;
  if (n_images == 0 || rounds == 0)
    g_error ("N_IMAGES and ROUNDS are at least 1");

  scratch_dir = make_scratch_dir ();
  bench_print_load ();

  /* The server draws its pictures with a grain, so that they weigh what
   * real ones do. */
  server = bench_fake_api_spawn (argv[1], scratch_dir, TOKEN, N_PICTURES, server_args, &url,
                                 picture_ids);

  for (guint i = 0; i < n_images; i++)
    g_strv_builder_take (ids_builder, lens_test_make_id (i));
  saver.ids = g_strv_builder_end (ids_builder);
  db_path = g_build_filename (scratch_dir, "tasks.db", NULL);
  saver.store = lens_task_store_new (db_path);
  write_tasks (saver.store, url, picture_ids, saver.ids, urls);
  tasks = lens_task_list_new ();
  lens_task_list_add_ids (tasks, (const char * const *) saver.ids, NULL);
  saver.history = lens_history_new (saver.store, tasks);
  saver.journal = g_build_filename (scratch_dir, "save-job.ini", NULL);
  save_session = lens_http_create_session ();
  saver.downloader = lens_downloader_new (save_session);
  bare_session = lens_http_create_session ();
  folder = g_build_filename (scratch_dir, "Pictures", NULL);

  /* The server draws its pictures at their first request: not in the time. */
  {
    g_autoptr(GPtrArray) pictures = g_ptr_array_new ();

    for (guint i = 0; i < MIN (N_PICTURES, urls->len); i++)
      g_ptr_array_add (pictures, g_ptr_array_index (urls, i));
    figures = run_bare (bare_session, pictures, folder);
    g_print ("%u images, %u in flight; the server drew its %u pictures in %.2f s\n",
             n_images, IN_FLIGHT, pictures->len, figures.wall_s);
  }

  bare_s = g_new (double, rounds);
  bare_cpu = g_new (double, rounds);
  save_s = g_new (double, rounds);
  save_cpu = g_new (double, rounds);
  for (guint round = 0; round < rounds; round++)
    /* In turns, each first every other round. */
    for (guint turn = 0; turn < 2; turn++)
      {
        gboolean bare = (round + turn) % 2 == 0;

        figures = bare ? run_bare (bare_session, urls, folder) : run_save (&saver, folder);
        print_run (bare ? "bare" : "save", round + 1, &figures);
        (bare ? bare_s : save_s)[round] = figures.wall_s;
        (bare ? bare_cpu : save_cpu)[round] = figures.cpu_s;
        /* Both moved the same bytes, every time. */
        if (bytes == 0)
          bytes = figures.bytes;
        if (figures.bytes != bytes)
          g_error ("A run received %" G_GUINT64_FORMAT " bytes, another %" G_GUINT64_FORMAT,
                   figures.bytes, bytes);
      }

  bare_median = bench_median (bare_s, rounds);
  save_median = bench_median (save_s, rounds);
  ratio = save_median / bare_median;
  g_print ("save %u images (%.0f MB): LensSaveJob %.2f s (CPU %.2f s), bare transfer %.2f s (CPU %.2f s), "
           "%.2f×, target ≤ %.1f×, %s\n",
           n_images, bytes / 1e6, save_median, bench_median (save_cpu, rounds), bare_median,
           bench_median (bare_cpu, rounds), ratio, TARGET, ratio <= TARGET ? "PASS" : "FAIL");
  bench_print_load ();

  lens_history_flush (saver.history);
  lens_task_store_write_sync (saver.store, nothing, NULL);
  lens_test_spin_for (50);
  g_clear_object (&saver.history);
  g_clear_object (&saver.store);
  g_clear_object (&saver.downloader);
  g_strfreev (saver.ids);
  g_free (saver.journal);
  g_clear_pointer (&server, bench_child_free);
  lens_test_remove_tree (scratch_dir);
  return EXIT_SUCCESS;
}
