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
 * The histories are finished tasks written through LensTaskStore's write
 * API, as the app writes them, with records of about 1 KB of JSON each:
 * imagine, upscale and variation tasks, their prompts varied, one in six in
 * Korean. Every run has a home, settings (in memory), keyring and cache of
 * its own, no API token and an API URL where nothing listens, so that
 * nothing leaves the machine; the history's file stays in the page cache
 * between runs (warm starts).
 *
 * Under Xvfb, GTK draws with its GL renderer on Mesa's llvmpipe (software),
 * the bare window as Tasklens. RSS after scrolling to the end is not
 * measured: nothing drives the list from outside yet.
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

#include <json-glib/json-glib.h>

#include "bench-child.h"
#include "lens-fake-api.h"
#include "lens-task-store.h"
#include "lens-test.h"

#define N_RUNS          3
#define N_IMAGES        200     /* distinct thumbnails, for the rows of the first screens */
#define CHUNK           5000    /* tasks written in one transaction */
#define BARE_APP_ID     "io.github.tasklens.BenchBareWindow"
#define START_TIMEOUT   300000  /* ms */
#define SETTLE_TIMEOUT  120000  /* ms */
#define MIB             1024.0  /* KiB */

/* ─── the history ──────────────────────────────────────────────────────── */

static const char * const subjects[] = {
  "a lighthouse on a basalt cliff", "an old tram in the rain", "a fox in a snowy birch forest",
  "a glass greenhouse full of orchids", "portrait of an elderly fisherman", "a koi pond at dusk",
  "a desert caravan under the milky way", "a robot tending a rooftop garden",
  "a bowl of ramen with steam rising", "a Victorian library with spiral stairs",
};
static const char * const styles[] = {
  "watercolor", "35mm film photo", "isometric 3D render", "ukiyo-e woodblock print",
  "oil painting, thick impasto", "studio ghibli style", "cinematic lighting, volumetric fog",
  "low-poly illustration",
};
static const char * const korean[] = {
  "한옥 마을의 가을 풍경, 수채화", "비 오는 서울 골목의 네온사인, 필름 사진",
  "제주도 바다 위의 일출, 유화", "고양이가 창가에서 낮잠을 자는 모습, 따뜻한 조명",
  "눈 덮인 설악산과 작은 절, 수묵화",
};
static const char * const modes[] = { "fast", "relax", "turbo" };
static const char * const grid_actions[] = {
  "upscale1", "upscale2", "upscale3", "upscale4", "reroll",
  "variation1", "variation2", "variation3", "variation4",
};
static const char * const upscale_actions[] = {
  "upscale_2x", "upscale_4x", "variation_subtle", "variation_strong", "zoom_out_2x",
  "zoom_out_1_5x", "pan_left", "pan_right", "pan_up", "pan_down",
};

static char *
make_prompt (guint i)
{
  if (i % 6 == 5)
    return g_strdup_printf ("%s --ar 3:2 --v 6.1", korean[i / 6 % G_N_ELEMENTS (korean)]);
  return g_strdup_printf ("%s, %s, highly detailed --ar %s --stylize %u --v 6.1",
                          subjects[i % G_N_ELEMENTS (subjects)],
                          styles[i / 3 % G_N_ELEMENTS (styles)],
                          i % 4 == 0 ? "16:9" : "1:1", 100 + i % 900);
}

static char *
make_uuid (GRand *rand)
{
  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%08x%04x", g_rand_int (rand),
                          g_rand_int (rand) & 0xffff, g_rand_int (rand) & 0xfff,
                          0x8000 | (g_rand_int (rand) & 0x3fff), g_rand_int (rand),
                          g_rand_int (rand) & 0xffff);
}

static void
add_string_array (JsonBuilder        *builder,
                  const char         *name,
                  const char * const *values,
                  guint               n_values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_values; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

#define ADD_STRING(b, name, value) \
  (json_builder_set_member_name ((b), (name)), json_builder_add_string_value ((b), (value)))
#define ADD_INT(b, name, value) \
  (json_builder_set_member_name ((b), (name)), json_builder_add_int_value ((b), (value)))
#define ADD_DOUBLE(b, name, value) \
  (json_builder_set_member_name ((b), (name)), json_builder_add_double_value ((b), (value)))
#define ADD_BOOL(b, name, value) \
  (json_builder_set_member_name ((b), (name)), json_builder_add_boolean_value ((b), (value)))

/* A finished task as AceData's retrieve answers it (compare
 * tests/data/api-examples/retrieve.json), of about 1 KB; its thumbnail is
 * one of the image host's. */
static JsonNode *
make_record (GRand      *rand,
             const char *id,
             guint       i,
             double      created_at,
             const char *image_host,
             const char *image_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *prompt = make_prompt (i);
  g_autofree char *object_id = g_strdup_printf ("%08x%08x%08x", g_rand_int (rand),
                                                g_rand_int (rand), g_rand_int (rand));
  g_autofree char *job_id = make_uuid (rand);
  g_autofree char *application_id = make_uuid (rand);
  g_autofree char *credential_id = make_uuid (rand);
  g_autofree char *discord_id = g_strdup_printf ("12595%014u", g_rand_int (rand));
  g_autofree char *thumb = g_strdup_printf ("%s/images/%s-thumb.png", image_host, image_id);
  g_autofree char *raw = g_strdup_printf ("%s/images/%s.png", image_host, image_id);
  gboolean upscale = i % 5 == 3;
  const char *action = upscale ? "upscale2" : i % 5 == 4 ? "variation3" : "generate";
  double duration = 20 + g_rand_double_range (rand, 0, 60);
  int width = upscale ? 2048 : 1024;

  json_builder_begin_object (builder);
  ADD_STRING (builder, "_id", object_id);
  ADD_STRING (builder, "id", id);
  ADD_STRING (builder, "application_id", application_id);
  ADD_DOUBLE (builder, "created_at", created_at);
  ADD_STRING (builder, "credential_id", credential_id);
  json_builder_set_member_name (builder, "request");
  json_builder_begin_object (builder);
  ADD_STRING (builder, "mode", modes[i % G_N_ELEMENTS (modes)]);
  ADD_STRING (builder, "prompt", prompt);
  ADD_STRING (builder, "action", action);
  json_builder_end_object (builder);
  ADD_STRING (builder, "type", "imagine");
  ADD_BOOL (builder, "hold", FALSE);
  ADD_STRING (builder, "image_id", discord_id);
  ADD_STRING (builder, "job_id", job_id);
  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);
  ADD_STRING (builder, "image_url", thumb);
  ADD_INT (builder, "image_width", width);
  ADD_INT (builder, "image_height", width);
  if (upscale)
    add_string_array (builder, "actions", upscale_actions, G_N_ELEMENTS (upscale_actions));
  else
    add_string_array (builder, "actions", grid_actions, G_N_ELEMENTS (grid_actions));
  ADD_STRING (builder, "raw_image_url", raw);
  ADD_INT (builder, "raw_image_width", width * 2);
  ADD_INT (builder, "raw_image_height", width * 2);
  ADD_INT (builder, "progress", 100);
  ADD_STRING (builder, "image_id", discord_id);
  ADD_STRING (builder, "task_id", id);
  ADD_BOOL (builder, "success", TRUE);
  ADD_STRING (builder, "job_id", job_id);
  ADD_BOOL (builder, "hold", FALSE);
  json_builder_end_object (builder);
  ADD_DOUBLE (builder, "duration", duration);
  ADD_DOUBLE (builder, "finished_at", created_at + duration);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Writes @n_tasks finished tasks into a new history at @path, newest
 * first, through the store's write API; returns the mean record size. */
static double
fill_history (const char         *path,
              guint               n_tasks,
              const char         *image_host,
              const char * const *image_ids)
{
  g_autoptr(LensTaskStore) store = lens_task_store_new (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (n_tasks);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint64 bytes = 0;
  guint i = 0;

  do
    {
      g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
      g_autoptr(GError) error = NULL;

      for (; i < n_tasks && changes->len < CHUNK; i++)
        {
          g_autofree char *id = make_uuid (rand);
          /* A task every three minutes or so, back from now. */
          double created_at = now - 180.0 * (i + 1) + g_rand_double_range (rand, 0, 60);
          g_autoptr(JsonNode) record = make_record (rand, id, i, created_at, image_host,
                                                    image_ids[i % N_IMAGES]);
          g_autoptr(LensTask) task = lens_task_new (id);
          g_autofree char *json = json_to_string (record, FALSE);

          lens_task_update_from_json (task, record);
          bytes += strlen (json);
          g_ptr_array_add (changes, lens_store_change_new_put (task, i, json, (gint64) created_at + 5,
                                                               (gint64) created_at + 90));
        }

      /* Even with no tasks, the file exists as after a first session. */
      if (!lens_task_store_write_sync (store, changes, &error))
        g_error ("Could not fill the history: %s", error->message);
    }
  while (i < n_tasks);

  return n_tasks > 0 ? bytes / (double) n_tasks : 0;
}

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
  image_ids = lens_fake_api_seed_generated (image_host, LENS_FAKE_TASK_IMAGINE, N_IMAGES);
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
      record_size = fill_history (db_path, n_tasks, lens_fake_api_get_url (image_host),
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
