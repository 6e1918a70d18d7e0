/* bench-history.c — a large history of realistic finished tasks, for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The histories bench-window and bench-scroll start the app with: finished
 * tasks written through LensTaskStore's write API, as the app writes them,
 * with records of about 1 KB of JSON each (imagine, upscale and variation
 * tasks, their prompts varied, one in six in Korean), their thumbnails on a
 * fake image host.
 */

#define G_LOG_DOMAIN "bench-history"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bench-history.h"
#include "lens-task-store.h"

#define CHUNK 5000  /* tasks written in one transaction */

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

/**
 * bench_history_prompt:
 * @i: the task's place in the history
 *
 * Returns: (transfer full): the prompt of the history's task @i
 */
char *
bench_history_prompt (guint i)
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
  g_autofree char *prompt = bench_history_prompt (i);
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

/**
 * bench_history_fill:
 * @path: where the history's file goes
 * @n_tasks: how many tasks it holds
 * @image_host: the URL of a LensFakeApi whose /images/ the records point at
 * @image_ids: (array zero-terminated=1): BENCH_HISTORY_N_IMAGES of its
 *   images (lens_fake_api_seed_generated()), used in turn
 *
 * Writes @n_tasks finished tasks into a new history at @path, newest
 * first, through the store's write API, as the app writes them.
 *
 * Returns: the mean size of their records, in bytes
 */
double
bench_history_fill (const char         *path,
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
                                                    image_ids[i % BENCH_HISTORY_N_IMAGES]);
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
