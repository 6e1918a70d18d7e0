/* lens-fake-generate.c — made-up task records of every kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generated records are deterministic functions of their kind and index, and
 * deliberately vary the way real payloads do (duration or elapsed, sizes as
 * numbers or strings, null or missing started_at, extra keys), so that the
 * client meets every variant API.md lists. Image URLs are relative to the
 * server ("/images/…"); lens_fake_record_render() makes them absolute.
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include "lens-fake-api-private.h"

typedef struct
{
  int         width;
  int         height;
  const char *ratio;
} Aspect;

static const Aspect aspects[] = {
  { 1024, 1024, "1:1" },
  { 1024, 768, "4:3" },
  { 768, 1024, "3:4" },
  { 1024, 576, "16:9" },
};

static const char * const prompts[] = {
  "A lighthouse on a cliff at golden hour, oil painting",
  "A cozy reading nook with a sleeping cat, warm lamplight, watercolor",
  "한옥 마을의 눈 내리는 밤, 수채화",
  "Koi fish swirling in a moonlit pond, ukiyo-e style",
  "A tiny greenhouse café on a rainy street, soft animated film mood",
  "An astronaut tending a vegetable garden on Mars, pastel illustration",
  "Misty bamboo forest at dawn, cinematic lighting",
  "제주도 유채꽃밭과 돌담, 봄날 오후, 필름 사진",
  "A red fox in a field of lavender, macro photography",
  "Art nouveau poster of a hummingbird among magnolias",
  "A steaming bowl of ramen, isometric 3D render",
  "Northern lights over a frozen lake, long exposure",
  "Paper-cut diorama of a mountain village at sunset",
  "A vintage tram climbing a hill in Lisbon, gouache",
  "A whale swimming through clouds above a quiet city, surreal",
  "서울 골목길의 작은 꽃집, 따뜻한 오후 햇살, 일러스트",
};

static const char * const describe_subjects[] = {
  "wooden sailboat moored in a quiet harbor",
  "bowl of ripe peaches on a linen tablecloth",
  "snowy mountain cabin with smoke rising from the chimney",
  "street market lit by paper lanterns at night",
};

/* Each description is before + subject + after, then the aspect ratio. */
static const struct
{
  const char *before;
  const char *after;
} describe_templates[] = {
  { "A ", ", soft morning light, in the style of impressionist painting" },
  { "A photograph of a ", ", shot on 35mm film, muted colors, shallow depth of field" },
  { "A ", ", detailed digital illustration, warm palette, cinematic composition" },
  { "Minimalist watercolor of a ", ", white background, gentle brush strokes" },
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

static const struct
{
  const char *code;
  const char *message;
} failures[] = {
  { "banned_prompt", "The prompt contains words that Midjourney does not allow" },
  { "api_error", "fetch failed" },
  { "timeout", "The task did not finish within 600 seconds" },
};

/* A stable number for @id, different for every @salt. */
guint
lens_fake_mix (const char *id,
               const char *salt)
{
  return g_str_hash (id) * 31u + g_str_hash (salt);
}

char *
lens_fake_make_digits (const char *id,
                       const char *salt)
{
  g_autofree char *seed = g_strconcat (salt, ":", id, NULL);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
  g_autofree char *head = g_strndup (hex, 15);
  guint64 value = g_ascii_strtoull (head, NULL, 16);

  /* Discord snowflakes and video ids are long runs of decimal digits. */
  return g_strdup_printf ("1%018" G_GUINT64_FORMAT,
                          value % G_GUINT64_CONSTANT (1000000000000000000));
}

static char *
make_uuid (const char *id,
           const char *salt)
{
  g_autofree char *seed = g_strconcat (salt, ":", id, NULL);

  return lens_fake_api_make_id (seed);
}

const char *
lens_fake_task_kind_seed_name (LensFakeTaskKind kind)
{
  switch (kind)
    {
    case LENS_FAKE_TASK_IMAGINE: return "imagine";
    case LENS_FAKE_TASK_UPSCALE: return "upscale";
    case LENS_FAKE_TASK_DESCRIBE: return "describe";
    case LENS_FAKE_TASK_VIDEOS: return "videos";
    case LENS_FAKE_TASK_EDITS: return "edits";
    case LENS_FAKE_TASK_FAILED: return "failed";
    case LENS_FAKE_TASK_RUNNING: return "running";
    case LENS_FAKE_TASK_VARIATION: return "variation";
    default: g_return_val_if_reached ("task");
    }
}

static JsonArray *
string_array (const char * const *strings,
              gsize               n_strings)
{
  JsonArray *array = json_array_sized_new (n_strings);

  for (gsize i = 0; i < n_strings; i++)
    json_array_add_string_element (array, strings[i]);

  return array;
}

/* "/images/" ID "-sub-" N ".png" and the like, for N from 0. */
JsonArray *
lens_fake_numbered_urls (const char *directory,
                         const char *id,
                         const char *separator,
                         const char *suffix,
                         guint       count)
{
  JsonArray *array = json_array_sized_new (count);

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s%s%s%u%s", directory, id, separator, i, suffix);

      json_array_add_string_element (array, url);
    }

  return array;
}

/* Sizes are numbers in every example but strings in the published schema. */
static void
set_size (JsonObject *object,
          const char *member,
          int         value,
          gboolean    as_string)
{
  g_autofree char *text = NULL;

  if (!as_string)
    {
      json_object_set_int_member (object, member, value);
      return;
    }

  text = g_strdup_printf ("%d", value);
  json_object_set_string_member (object, member, text);
}

static void
set_image (JsonObject   *response,
           const char   *id,
           const Aspect *aspect,
           gboolean      sizes_as_strings)
{
  g_autofree char *thumb = g_strdup_printf ("/images/%s-thumb.png", id);
  g_autofree char *raw = g_strdup_printf ("/images/%s.png", id);

  json_object_set_string_member (response, "image_url", thumb);
  set_size (response, "image_width", aspect->width / 2, sizes_as_strings);
  set_size (response, "image_height", aspect->height / 2, sizes_as_strings);
  json_object_set_string_member (response, "raw_image_url", raw);
  set_size (response, "raw_image_width", aspect->width, sizes_as_strings);
  set_size (response, "raw_image_height", aspect->height, sizes_as_strings);
}

static char *
make_prompt (guint         index,
             const Aspect *aspect)
{
  const char *prompt = prompts[index % G_N_ELEMENTS (prompts)];

  if (g_str_equal (aspect->ratio, "1:1"))
    return g_strdup (prompt);

  return g_strdup_printf ("%s --ar %s", prompt, aspect->ratio);
}

static JsonObject *
make_request (LensFakeTaskKind  kind,
              guint             index,
              const char       *id,
              const Aspect     *aspect)
{
  JsonObject *request = json_object_new ();
  g_autofree char *prompt = make_prompt (index, aspect);
  g_autofree char *source = g_strdup_printf ("/images/%s-source.png", id);
  g_autofree char *own = g_strdup_printf ("/images/%s.png", id);
  /* An upscale or a variation comes from the grid of the imagine task of
   * its index, which the demo and an account hold too: its image_id. */
  g_autofree char *grid_seed = g_strdup_printf ("%s-%u", lens_fake_task_kind_seed_name (LENS_FAKE_TASK_IMAGINE),
                                                index);
  g_autofree char *grid_id = lens_fake_api_make_id (grid_seed);
  g_autofree char *parent = lens_fake_make_digits (grid_id, "image");
  g_autofree char *upscale = g_strdup_printf ("upscale%u", index % 4 + 1);
  g_autofree char *variation = g_strdup_printf ("variation%u", index % 4 + 1);

  switch (kind)
    {
    case LENS_FAKE_TASK_DESCRIBE:
      json_object_set_string_member (request, "image_url", own);
      return request;
    case LENS_FAKE_TASK_UPSCALE:
      json_object_set_string_member (request, "action", upscale);
      json_object_set_string_member (request, "image_id", parent);
      break;
    case LENS_FAKE_TASK_VARIATION:
      /* A variation carries the prompt of the grid it varies. */
      json_object_set_string_member (request, "action", variation);
      json_object_set_string_member (request, "image_id", parent);
      json_object_set_string_member (request, "prompt", prompt);
      break;
    case LENS_FAKE_TASK_VIDEOS:
    case LENS_FAKE_TASK_EDITS:
      json_object_set_string_member (request, "action", "generate");
      json_object_set_string_member (request, "image_url", source);
      json_object_set_string_member (request, "prompt", prompt);
      break;
    default:
      json_object_set_string_member (request, "action", "generate");
      json_object_set_string_member (request, "prompt", prompt);
      break;
    }

  json_object_set_string_member (request, "mode", modes[index % G_N_ELEMENTS (modes)]);
  /* Real requests carry keys the caller left unset. */
  if (index % 2 == 0)
    json_object_set_null_member (request, "callback_url");

  return request;
}

static JsonArray *
make_descriptions (guint         index,
                   const Aspect *aspect)
{
  JsonArray *array = json_array_sized_new (4);
  const char *subject = describe_subjects[index % G_N_ELEMENTS (describe_subjects)];

  for (gsize i = 0; i < G_N_ELEMENTS (describe_templates); i++)
    {
      g_autofree char *text = g_strdup_printf ("%s%s%s --ar %s",
                                               describe_templates[i].before, subject,
                                               describe_templates[i].after, aspect->ratio);

      json_array_add_string_element (array, text);
    }

  return array;
}

static void
fill_failed_response (JsonObject *response,
                      guint       index,
                      const char *id)
{
  JsonObject *error = json_object_new ();
  g_autofree char *trace = make_uuid (id, "trace");
  gsize which = index % G_N_ELEMENTS (failures);

  json_object_set_string_member (error, "code", failures[which].code);
  json_object_set_string_member (error, "message", failures[which].message);
  json_object_set_boolean_member (response, "success", FALSE);
  json_object_set_object_member (response, "error", error);
  json_object_set_string_member (response, "trace_id", trace);
}

static void
fill_videos_response (JsonObject *response,
                      const char *id)
{
  g_autofree char *poster = g_strdup_printf ("/images/%s.png", id);
  g_autofree char *video_id = lens_fake_make_digits (id, "video");

  json_object_set_string_member (response, "image_url", poster);
  json_object_set_int_member (response, "image_width", 576);
  json_object_set_int_member (response, "image_height", 1024);
  json_object_set_int_member (response, "progress", 100);
  json_object_set_string_member (response, "video_id", video_id);
  json_object_set_array_member (response, "video_urls",
                                lens_fake_numbered_urls ("/videos/", id, "/", ".mp4", 4));
}

static JsonObject *
make_response (LensFakeTaskKind  kind,
               guint             index,
               const char       *id,
               const Aspect     *aspect)
{
  JsonObject *response = json_object_new ();
  gboolean sizes_as_strings = index % 6 == 3;

  switch (kind)
    {
    case LENS_FAKE_TASK_FAILED:
      fill_failed_response (response, index, id);
      return response;
    case LENS_FAKE_TASK_DESCRIBE:
      json_object_set_array_member (response, "descriptions", make_descriptions (index, aspect));
      break;
    case LENS_FAKE_TASK_VIDEOS:
      fill_videos_response (response, id);
      break;
    case LENS_FAKE_TASK_UPSCALE:
      set_image (response, id, aspect, sizes_as_strings);
      json_object_set_array_member (response, "actions",
                                    string_array (upscale_actions, G_N_ELEMENTS (upscale_actions)));
      break;
    case LENS_FAKE_TASK_EDITS:
      set_image (response, id, aspect, sizes_as_strings);
      json_object_set_array_member (response, "sub_image_urls",
                                    lens_fake_numbered_urls ("/images/", id, "-sub-", ".png", 4));
      break;
    default:
      set_image (response, id, aspect, sizes_as_strings);
      json_object_set_array_member (response, "actions",
                                    string_array (grid_actions, G_N_ELEMENTS (grid_actions)));
      break;
    }

  json_object_set_int_member (response, "progress", 100);
  json_object_set_boolean_member (response, "success", TRUE);
  json_object_set_string_member (response, "task_id", id);
  return response;
}

/* The record's "type": upscales, variations and failures are imagine tasks. */
const char *
lens_fake_task_kind_type (LensFakeTaskKind kind)
{
  switch (kind)
    {
    case LENS_FAKE_TASK_DESCRIBE: return "describe";
    case LENS_FAKE_TASK_VIDEOS: return "videos";
    case LENS_FAKE_TASK_EDITS: return "edits";
    default: return "imagine";
    }
}

/* Times and durations: duration in older records, elapsed in newer ones,
 * sometimes null; started_at present, null or missing. */
static void
set_times (JsonObject *object,
           guint       index,
           const char *id,
           double      created_at)
{
  double duration = 18.0 + (lens_fake_mix (id, "duration") % 600) / 10.0 + 0.137;

  json_object_set_double_member (object, "created_at", created_at);
  if (index % 4 == 0)
    json_object_set_double_member (object, "started_at", created_at + 1.5);
  else if (index % 4 == 1)
    json_object_set_null_member (object, "started_at");

  if (index % 7 == 5)
    json_object_set_null_member (object, "duration");
  else if (index % 3 == 1)
    json_object_set_double_member (object, "elapsed", duration);
  else
    json_object_set_double_member (object, "duration", duration);
  json_object_set_double_member (object, "finished_at", created_at + duration);
}

/* Keys that come and go between API versions. */
static void
set_extras (JsonObject *object,
            guint       index,
            const char *id)
{
  g_autofree char *user = make_uuid (id, "user");
  g_autofree char *trace = make_uuid (id, "trace");

  if (index % 5 != 2)
    return;

  json_object_set_string_member (object, "user_id", user);
  json_object_set_string_member (object, "trace_id", trace);
  json_object_set_null_member (object, "email");
  json_object_set_string_member (object, "api_id", "midjourney-tasks");
}

/**
 * lens_fake_generate_record:
 *
 * Returns: (transfer full): the finished record of the @index-th task of @kind
 */
JsonObject *
lens_fake_generate_record (LensFakeTaskKind  kind,
                           guint             index,
                           const char       *id,
                           double            created_at)
{
  JsonObject *record = json_object_new ();
  const Aspect *aspect = &aspects[index % G_N_ELEMENTS (aspects)];
  g_autofree char *object_id = g_compute_checksum_for_string (G_CHECKSUM_MD5, id, -1);
  g_autofree char *application = lens_fake_api_make_id ("application");
  g_autofree char *credential = make_uuid (index % 3 == 0 ? "a" : "b", "credential");
  g_autofree char *job = make_uuid (id, "job");
  g_autofree char *image_id = lens_fake_make_digits (id, "image");
  JsonObject *response;

  object_id[24] = '\0';
  json_object_set_string_member (record, "_id", object_id);
  json_object_set_string_member (record, "id", id);
  json_object_set_string_member (record, "application_id", application);
  json_object_set_string_member (record, "credential_id", credential);
  json_object_set_string_member (record, "type", lens_fake_task_kind_type (kind));
  json_object_set_object_member (record, "request", make_request (kind, index, id, aspect));
  if (kind != LENS_FAKE_TASK_DESCRIBE)
    json_object_set_string_member (record, "image_id", image_id);
  json_object_set_string_member (record, "job_id", job);
  json_object_set_boolean_member (record, "hold", FALSE);

  response = make_response (kind, index, id, aspect);
  if (json_object_has_member (response, "raw_image_url"))
    {
      json_object_set_string_member (response, "image_id", image_id);
      json_object_set_string_member (response, "job_id", job);
    }
  json_object_set_object_member (record, "response", response);

  set_times (record, index, id, created_at);
  set_extras (record, index, id);
  return record;
}
