/* test-task.c — mapping AceData records onto LensTask, and the state rule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "lens-json.h"
#include "lens-number.h"
#include "lens-task.h"
#include "lens-task-list.h"
#include "lens-task-private.h"
#include "lens-test.h"

#define CAT_ID "7489df4c-ef03-4de0-b598-e9a590793434"

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static char *
load_example (const char *name)
{
  return lens_test_read_data ("api-examples", name, NULL);
}

static LensTask *
task_from_json (const char *id,
                const char *json)
{
  g_autoptr(JsonNode) record = parse_json (json);
  LensTask *task = lens_task_new (id);

  lens_task_update_from_json (task, record);
  return task;
}

/* A record around a response-only example, as the server would send it. */
static char *
wrap_response (const char *id,
               const char *type,
               const char *response_json,
               const char *extra)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"type\": \"%s\", \"created_at\": 1720364607.5,"
                          " \"request\": {\"prompt\": \"p\"}, \"response\": %s%s}",
                          id, type, response_json, extra != NULL ? extra : "");
}

static void
test_example_retrieve (void)
{
  g_autofree char *json = load_example ("retrieve.json");
  g_autoptr(LensTask) task = task_from_json (CAT_ID, json);
  const char * const *actions = lens_task_get_actions (task);

  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
  g_assert_true (lens_task_is_finished (task));
  g_assert_cmpstr (lens_task_get_id (task), ==, CAT_ID);
  g_assert_cmpstr (lens_task_get_task_type (task), ==, "imagine");
  g_assert_cmpstr (lens_task_get_prompt (task), ==, "A cat sitting on a table");
  g_assert_cmpstr (lens_task_get_mode (task), ==, "fast");
  g_assert_cmpstr (lens_task_get_action (task), ==, "generate");
  g_assert_cmpint (lens_task_get_progress (task), ==, 100);
  g_assert_cmpfloat_with_epsilon (lens_task_get_created_at (task), 1720364607.967, 1e-6);
  g_assert_cmpfloat_with_epsilon (lens_task_get_finished_at (task), 1720364637.404, 1e-6);
  g_assert_cmpfloat (lens_task_get_started_at (task), ==, -1);
  g_assert_cmpfloat_with_epsilon (lens_task_get_duration (task), 29.437000036239624, 1e-9);
  g_assert_cmpstr (lens_task_get_image_url (task), ==,
                   "https://platform.cdn.acedata.cloud/midjourney/" CAT_ID ".png?imageMogr2/thumbnail/!50p");
  g_assert_cmpstr (lens_task_get_raw_image_url (task), ==,
                   "https://platform.cdn.acedata.cloud/midjourney/" CAT_ID ".png");
  g_assert_cmpint (lens_task_get_image_width (task), ==, 1024);
  g_assert_cmpint (lens_task_get_image_height (task), ==, 1024);
  g_assert_cmpint (lens_task_get_raw_image_width (task), ==, 2048);
  g_assert_cmpint (lens_task_get_raw_image_height (task), ==, 2048);
  g_assert_cmpuint (g_strv_length ((GStrv) actions), ==, 9);
  g_assert_cmpstr (actions[0], ==, "upscale1");
  g_assert_cmpstr (actions[8], ==, "variation4");
  g_assert_cmpstr (lens_task_get_image_id (task), ==, "1259525319472185344");
  g_assert_cmpstr (lens_task_get_job_id (task), ==, "da317da6-f500-48e6-bf32-dd48b3e6f84f");
  g_assert_null (lens_task_get_error_code (task));
  g_assert_null (lens_task_get_error_message (task));
  g_assert_null (lens_task_get_descriptions (task));

  /* The raw record keeps what the UI does not show. */
  g_assert_nonnull (strstr (lens_task_get_raw_json (task), "\"_id\":\"668aae3f550a4144a540803b\""));
  g_assert_nonnull (strstr (lens_task_get_raw_json (task), "credential_id"));
}

static void
test_example_batch_items (void)
{
  g_autofree char *json = load_example ("retrieve_batch.json");
  g_autoptr(JsonNode) root = parse_json (json);
  JsonArray *items = json_object_get_array_member (json_node_get_object (root), "items");

  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      const char *id = json_object_get_string_member (json_node_get_object (item), "id");
      g_autoptr(LensTask) task = lens_task_new (id);

      lens_task_update_from_json (task, item);
      g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
      g_assert_nonnull (lens_task_get_prompt (task));
    }
}

static void
test_example_describe (void)
{
  g_autofree char *response = load_example ("describe_response.json");
  g_autofree char *json = NULL;
  g_autoptr(LensTask) task = NULL;
  const char * const *descriptions;

  json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"describe\", \"created_at\": 1720000000,"
                          " \"request\": {\"image_url\": \"https://example.com/in.png\"},"
                          " \"response\": %s}", CAT_ID, response);
  task = task_from_json (CAT_ID, json);
  descriptions = lens_task_get_descriptions (task);

  /* No success, no progress, no finished_at: the descriptions are the result. */
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpuint (g_strv_length ((GStrv) descriptions), ==, 4);
  g_assert_true (g_str_has_suffix (descriptions[0], "--ar 75:44"));
  g_assert_nonnull (strstr (descriptions[1], "K鬥"));
  g_assert_cmpstr (lens_task_get_request_image_url (task), ==, "https://example.com/in.png");
  g_assert_null (lens_task_get_prompt (task));
}

static void
test_example_edits_and_videos (void)
{
  g_autofree char *edits = load_example ("edits_response.json");
  g_autofree char *videos = load_example ("videos_response.json");
  g_autofree char *edits_json = wrap_response ("26c39859-f54a-4998-9e42-3da96eceee8c", "edits", edits, NULL);
  g_autofree char *videos_json = wrap_response ("037955e0-deee-4050-baa8-1416300d67e2", "videos", videos, NULL);
  g_autoptr(LensTask) edit = task_from_json ("26c39859-f54a-4998-9e42-3da96eceee8c", edits_json);
  g_autoptr(LensTask) video = task_from_json ("037955e0-deee-4050-baa8-1416300d67e2", videos_json);

  g_assert_cmpint (lens_task_get_state (edit), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpstr (lens_task_get_task_type (edit), ==, "edits");
  g_assert_cmpuint (g_strv_length ((GStrv) lens_task_get_sub_image_urls (edit)), ==, 4);
  g_assert_cmpint (lens_task_get_raw_image_width (edit), ==, 960);
  g_assert_cmpint (lens_task_get_raw_image_height (edit), ==, 1200);

  g_assert_cmpint (lens_task_get_state (video), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpstr (lens_task_get_task_type (video), ==, "videos");
  g_assert_cmpuint (g_strv_length ((GStrv) lens_task_get_video_urls (video)), ==, 4);
  g_assert_cmpstr (lens_task_get_video_id (video), ==, "1751816807896311");
  g_assert_cmpstr (lens_task_get_image_url (video), ==, "https://storage.fonedis.cc/upload_1751816808164156352.png");
}

/* One rule for "this task is a video", which rows, cells and the task view
 * share: by its type (known from the summary alone) or by its links. */
static void
test_has_video (void)
{
  g_autofree char *videos = load_example ("videos_response.json");
  g_autofree char *videos_json = wrap_response ("037955e0-deee-4050-baa8-1416300d67e2", "videos", videos, NULL);
  g_autoptr(LensTask) video = task_from_json ("037955e0-deee-4050-baa8-1416300d67e2", videos_json);
  g_autofree char *imagine_json = wrap_response ("7489df4c-ef03-4de0-b598-e9a590793434", "imagine",
                                                "{\"success\": true, \"progress\": 100}", NULL);
  g_autoptr(LensTask) imagine = task_from_json ("7489df4c-ef03-4de0-b598-e9a590793434", imagine_json);
  /* A type this version does not know, with video links. */
  g_autofree char *other_json = wrap_response ("7489df4c-ef03-4de0-b598-e9a590793435", "motion",
                                              "{\"success\": true, \"video_urls\": [\"https://x.test/v.mp4\"]}",
                                              NULL);
  g_autoptr(LensTask) other = task_from_json ("7489df4c-ef03-4de0-b598-e9a590793435", other_json);
  g_autoptr(LensTask) bare = lens_task_new ("7489df4c-ef03-4de0-b598-e9a590793436");

  g_assert_true (lens_task_has_video (video));
  g_assert_true (lens_task_has_video (other));
  g_assert_false (lens_task_has_video (imagine));
  g_assert_false (lens_task_has_video (bare));
}

/* A grid offers the four upscales; an upscale's image is one picture
 * (its actions are others), and a task without a record is no grid. */
static void
test_is_grid (void)
{
  g_autofree char *grid_json = wrap_response ("7489df4c-ef03-4de0-b598-e9a590793434", "imagine",
                                             "{\"success\": true, \"progress\": 100, \"actions\":"
                                             " [\"upscale1\", \"upscale2\", \"upscale3\", \"upscale4\","
                                             " \"reroll\", \"variation1\"]}", NULL);
  g_autofree char *upscaled_json = wrap_response ("7489df4c-ef03-4de0-b598-e9a590793435", "upscale",
                                                 "{\"success\": true, \"progress\": 100, \"actions\":"
                                                 " [\"upscale_2x\", \"upscale_4x\", \"zoom_out_2x\"]}", NULL);
  g_autoptr(LensTask) grid = task_from_json ("7489df4c-ef03-4de0-b598-e9a590793434", grid_json);
  g_autoptr(LensTask) upscaled = task_from_json ("7489df4c-ef03-4de0-b598-e9a590793435", upscaled_json);
  g_autoptr(LensTask) bare = lens_task_new ("7489df4c-ef03-4de0-b598-e9a590793436");

  g_assert_true (lens_task_is_grid (grid));
  g_assert_false (lens_task_is_grid (upscaled));
  g_assert_false (lens_task_is_grid (bare));
}

/* The three streamed states of one imagine task: running at 35 %, at 75 %
 * (success: true already, empty actions, a temporary grid preview), then done. */
static void
test_example_progress (void)
{
  g_autofree char *ndjson = load_example ("imagine_progress.ndjson");
  g_auto(GStrv) lines = g_strsplit (g_strstrip (ndjson), "\n", -1);
  const char *id = "49589d2c-b6b3-4fbf-9f82-93068509c76f";
  g_autoptr(LensTask) task = lens_task_new (id);
  const LensTaskState expected_state[] = {
    LENS_TASK_STATE_RUNNING, LENS_TASK_STATE_RUNNING, LENS_TASK_STATE_DONE,
  };
  const int expected_progress[] = { 35, 75, 100 };

  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *json = wrap_response (id, "imagine", lines[i], NULL);
      g_autoptr(JsonNode) record = parse_json (json);

      lens_task_update_from_json (task, record);
      g_assert_cmpint (lens_task_get_state (task), ==, expected_state[i]);
      g_assert_cmpint (lens_task_get_progress (task), ==, expected_progress[i]);
    }
  g_assert_cmpuint (g_strv_length ((GStrv) lens_task_get_actions (task)), ==, 9);
}

/* Every row of the state rule in API.md, and every variation it lists. */
typedef struct
{
  const char    *name;
  const char    *json;
  LensTaskState  state;
  int            progress;
} StateCase;

#define R(body) "{\"id\": \"" CAT_ID "\", \"type\": \"imagine\", \"created_at\": 1720364607.9, " body "}"

static const StateCase state_cases[] = {
  { "empty-object", "{}", LENS_TASK_STATE_NOT_FOUND, -1 },
  { "null", "null", LENS_TASK_STATE_NOT_FOUND, -1 },
  { "no-id", "{\"type\": \"imagine\", \"response\": {\"success\": true}}", LENS_TASK_STATE_NOT_FOUND, -1 },
  { "id-not-a-string", "{\"id\": 42}", LENS_TASK_STATE_NOT_FOUND, -1 },
  { "array", "[1, 2]", LENS_TASK_STATE_NOT_FOUND, -1 },
  { "pending-no-response", R ("\"request\": {\"prompt\": \"x\"}"), LENS_TASK_STATE_PENDING, -1 },
  { "pending-null-response", R ("\"response\": null, \"finished_at\": null"), LENS_TASK_STATE_PENDING, -1 },
  { "failed-success-false", R ("\"response\": {\"success\": false}"), LENS_TASK_STATE_FAILED, -1 },
  { "failed-error-object", R ("\"response\": {\"success\": true, \"progress\": 20, \"error\": {\"code\": \"x\", \"message\": \"y\"}}"), LENS_TASK_STATE_FAILED, 20 },
  { "failed-error-string", R ("\"response\": {\"error\": \"banned prompt\"}"), LENS_TASK_STATE_FAILED, -1 },
  { "failed-response-not-object", R ("\"response\": \"oops\""), LENS_TASK_STATE_FAILED, -1 },
  { "failed-finished-without-response", R ("\"finished_at\": 1720364637.4"), LENS_TASK_STATE_FAILED, -1 },
  { "done-finished-at", R ("\"finished_at\": 1720364637.4, \"response\": {\"success\": true}"), LENS_TASK_STATE_DONE, 100 },
  { "done-success-100-raw", R ("\"response\": {\"success\": true, \"progress\": 100, \"raw_image_url\": \"https://x.test/a.png\"}"), LENS_TASK_STATE_DONE, 100 },
  { "done-success-100-descriptions", R ("\"response\": {\"success\": true, \"progress\": 100, \"descriptions\": [\"a\"]}"), LENS_TASK_STATE_DONE, 100 },
  { "done-success-100-videos", R ("\"response\": {\"success\": true, \"progress\": 100, \"video_urls\": [\"https://x.test/v.mp4\"]}"), LENS_TASK_STATE_DONE, 100 },
  { "done-success-100-sub-images", R ("\"response\": {\"success\": true, \"progress\": 100, \"sub_image_urls\": [\"https://x.test/0.png\"]}"), LENS_TASK_STATE_DONE, 100 },
  { "running-success-100-no-result", R ("\"response\": {\"success\": true, \"progress\": 100}"), LENS_TASK_STATE_RUNNING, 100 },
  { "running-success-partial", R ("\"response\": {\"success\": true, \"progress\": 40, \"actions\": [], \"image_url\": \"https://x.test/a_grid_0.webp\", \"raw_image_url\": \"https://x.test/a_grid_0.webp\"}"), LENS_TASK_STATE_RUNNING, 40 },
  { "running-no-progress", R ("\"response\": {\"success\": true}"), LENS_TASK_STATE_RUNNING, -1 },
  { "running-empty-response", R ("\"response\": {}"), LENS_TASK_STATE_RUNNING, -1 },
  { "running-progress-as-string", R ("\"response\": {\"success\": true, \"progress\": \"42\"}"), LENS_TASK_STATE_RUNNING, 42 },
  { "running-progress-double", R ("\"response\": {\"progress\": 57.6}"), LENS_TASK_STATE_RUNNING, 57 },
  { "running-progress-clamped", R ("\"response\": {\"progress\": 250}"), LENS_TASK_STATE_RUNNING, 100 },
  { "running-error-null", R ("\"response\": {\"success\": true, \"progress\": 5, \"error\": null}"), LENS_TASK_STATE_RUNNING, 5 },
  { "unknown-type", "{\"id\": \"" CAT_ID "\", \"type\": \"blend-v9\", \"shiny_new_key\": [1, {}], \"response\": {\"success\": true, \"progress\": 100, \"raw_image_url\": \"https://x.test/b.png\"}}", LENS_TASK_STATE_DONE, 100 },
  { "upper-case-id", "{\"id\": \"7489DF4C-EF03-4DE0-B598-E9A590793434\", \"response\": null}", LENS_TASK_STATE_PENDING, -1 },
};

static void
test_state_rule (gconstpointer data)
{
  const StateCase *test_case = data;
  g_autoptr(LensTask) task = task_from_json (CAT_ID, test_case->json);

  g_assert_cmpstr (lens_task_state_to_string (lens_task_get_state (task)), ==,
                   lens_task_state_to_string (test_case->state));
  g_assert_cmpint (lens_task_get_progress (task), ==, test_case->progress);
}

static void
test_errors (void)
{
  g_autoptr(LensTask) object_error = task_from_json (CAT_ID,
    R ("\"response\": {\"success\": false, \"error\": {\"code\": \"prompt_banned\", \"message\": \"Banned word\"}, \"trace_id\": \"t-1\"}"));
  g_autoptr(LensTask) string_error = task_from_json (CAT_ID, R ("\"response\": {\"error\": \"it broke\"}, \"trace_id\": \"t-2\""));
  g_autoptr(LensTask) null_error = task_from_json (CAT_ID, R ("\"response\": {\"success\": false, \"error\": null}"));
  g_autoptr(LensTask) top_error = task_from_json (CAT_ID, R ("\"response\": {\"success\": true}, \"error\": {\"code\": \"c\", \"message\": \"top\"}"));

  g_assert_cmpstr (lens_task_get_error_code (object_error), ==, "prompt_banned");
  g_assert_cmpstr (lens_task_get_error_message (object_error), ==, "Banned word");
  g_assert_cmpstr (lens_task_get_trace_id (object_error), ==, "t-1");
  g_assert_null (lens_task_get_error_code (string_error));
  g_assert_cmpstr (lens_task_get_error_message (string_error), ==, "it broke");
  g_assert_cmpstr (lens_task_get_trace_id (string_error), ==, "t-2");
  g_assert_cmpint (lens_task_get_state (null_error), ==, LENS_TASK_STATE_FAILED);
  g_assert_null (lens_task_get_error_message (null_error));
  g_assert_cmpint (lens_task_get_state (top_error), ==, LENS_TASK_STATE_FAILED);
  g_assert_cmpstr (lens_task_get_error_message (top_error), ==, "top");
}

static void
test_times (void)
{
  g_autoptr(LensTask) elapsed = task_from_json (CAT_ID, R ("\"elapsed\": 12.5, \"duration\": null, \"response\": null"));
  g_autoptr(LensTask) null_duration = task_from_json (CAT_ID, R ("\"duration\": null, \"started_at\": null, \"response\": null"));
  g_autoptr(LensTask) derived = task_from_json (CAT_ID, R ("\"started_at\": 1720364610.0, \"finished_at\": 1720364640.0, \"response\": {\"success\": true}"));
  g_autoptr(LensTask) string_time = task_from_json (CAT_ID, "{\"id\": \"" CAT_ID "\", \"created_at\": \"1720364607.5\", \"finished_at\": false}");

  g_assert_cmpfloat (lens_task_get_duration (elapsed), ==, 12.5);
  g_assert_cmpfloat (lens_task_get_duration (null_duration), ==, -1);
  g_assert_cmpfloat (lens_task_get_started_at (null_duration), ==, -1);
  g_assert_cmpfloat (lens_task_get_finished_at (null_duration), ==, -1);
  g_assert_cmpfloat (lens_task_get_duration (derived), ==, 30.0);
  g_assert_cmpfloat (lens_task_get_started_at (derived), ==, 1720364610.0);
  g_assert_cmpfloat (lens_task_get_created_at (string_time), ==, 1720364607.5);
  g_assert_cmpfloat (lens_task_get_finished_at (string_time), ==, -1);
}

/* Numbers no 64-bit integer holds are refused, not converted (which would
 * be undefined behaviour): a time, a size or a progress that does not fit
 * is unknown. Run under UBSan by `build-aux/test --sanitize`. */
static void
test_huge_numbers (void)
{
  g_autoptr(LensTask) running = task_from_json (CAT_ID,
    "{\"id\": \"" CAT_ID "\", \"type\": \"imagine\", \"created_at\": 1e300,"
    " \"started_at\": -1e300, \"finished_at\": \"nan\", \"duration\": 1e300,"
    " \"request\": {\"prompt\": \"p\"},"
    " \"response\": {\"success\": true, \"progress\": 9223372036854775808,"
    " \"image_width\": 9223372036854775808, \"image_height\": 1e300,"
    " \"raw_image_width\": \"9223372036854775808\", \"raw_image_height\": 2147483648}}");
  g_autoptr(LensTask) strings = task_from_json (CAT_ID,
    "{\"id\": \"" CAT_ID "\", \"created_at\": \"1e999\", \"started_at\": \"-inf\","
    " \"finished_at\": 9.3e12, \"elapsed\": \"NaN\","
    " \"response\": {\"success\": true, \"progress\": \"-1e300\","
    " \"image_width\": \"infinity\", \"image_height\": -9223372036854775808}}");
  g_autoptr(LensTask) fitting = task_from_json (CAT_ID,
    "{\"id\": \"" CAT_ID "\", \"created_at\": 9.2e12, \"duration\": 9.2e12,"
    " \"response\": {\"success\": true, \"progress\": 9223372036854775807e-19,"
    " \"image_width\": 2147483647}}");

  g_assert_cmpint (lens_task_get_state (running), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpfloat (lens_task_get_created_at (running), ==, -1);
  g_assert_cmpfloat (lens_task_get_started_at (running), ==, -1);
  g_assert_cmpfloat (lens_task_get_finished_at (running), ==, -1);
  g_assert_cmpfloat (lens_task_get_duration (running), ==, -1);
  g_assert_cmpint (lens_task_get_progress (running), ==, -1);
  g_assert_cmpint (lens_task_get_image_width (running), ==, -1);
  g_assert_cmpint (lens_task_get_image_height (running), ==, -1);
  g_assert_cmpint (lens_task_get_raw_image_width (running), ==, -1);
  g_assert_cmpint (lens_task_get_raw_image_height (running), ==, -1);

  g_assert_cmpfloat (lens_task_get_created_at (strings), ==, -1);
  g_assert_cmpfloat (lens_task_get_started_at (strings), ==, -1);
  /* Microseconds of 9.3e12 s are past 2^63. */
  g_assert_cmpfloat (lens_task_get_finished_at (strings), ==, -1);
  g_assert_cmpfloat (lens_task_get_duration (strings), ==, -1);
  g_assert_cmpint (lens_task_get_progress (strings), ==, -1);
  g_assert_cmpint (lens_task_get_image_width (strings), ==, -1);
  g_assert_cmpint (lens_task_get_image_height (strings), ==, -1);

  g_assert_cmpfloat (lens_task_get_created_at (fitting), ==, 9.2e12);
  g_assert_cmpfloat (lens_task_get_duration (fitting), ==, 9.2e12);
  g_assert_cmpint (lens_task_get_progress (fitting), ==, 0);
  g_assert_cmpint (lens_task_get_image_width (fitting), ==, G_MAXINT);
}

/* The integer getter refuses 2^63 exactly (a double, and what json-glib
 * makes of a larger integer), and takes −2^63. */
static void
test_json_int_bounds (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"big\": 9223372036854775808, \"max\": 9223372036854775807,"
                                         " \"min\": -9223372036854775808, \"huge\": 1e300,"
                                         " \"text\": \"-1e300\", \"nan\": \"nan\", \"exact\": 9007199254740993}");
  JsonObject *object = json_node_get_object (node);
  gint64 value = 7;

  json_object_set_double_member (object, "two63", 9223372036854775808.0);
  json_object_set_double_member (object, "minus63", -9223372036854775808.0);

  g_assert_false (lens_json_get_int (object, "two63", &value));
  g_assert_false (lens_json_get_int (object, "big", &value));
  g_assert_false (lens_json_get_int (object, "max", &value));
  g_assert_false (lens_json_get_int (object, "huge", &value));
  g_assert_false (lens_json_get_int (object, "text", &value));
  g_assert_false (lens_json_get_int (object, "nan", &value));
  g_assert_cmpint (value, ==, 7);

  g_assert_true (lens_json_get_int (object, "minus63", &value));
  g_assert_cmpint (value, ==, G_MININT64);
  g_assert_true (lens_json_get_int (object, "min", &value));
  g_assert_cmpint (value, ==, G_MININT64);
  g_assert_true (lens_json_get_int (object, "exact", &value));
  g_assert_cmpint (value, ==, 9007199254740992);
}

/* The one helper every conversion goes through. */
static void
test_number_bounds (void)
{
  gint64 value = 7;

  g_assert_false (lens_number_to_int64 (9223372036854775808.0, &value));
  g_assert_false (lens_number_to_int64 (-9223372036854777856.0, &value));
  g_assert_false (lens_number_to_int64 (1e300, &value));
  g_assert_false (lens_number_to_int64 (-1e300, &value));
  g_assert_false (lens_number_to_int64 (INFINITY, &value));
  g_assert_false (lens_number_to_int64 (-INFINITY, &value));
  g_assert_false (lens_number_to_int64 (NAN, &value));
  g_assert_false (lens_number_seconds_to_usec (1e300, &value));
  g_assert_false (lens_number_seconds_to_usec (9.3e12, &value));
  g_assert_cmpint (value, ==, 7);

  g_assert_true (lens_number_to_int64 (9223372036854774784.0, &value));
  g_assert_cmpint (value, ==, G_GINT64_CONSTANT (9223372036854774784));
  g_assert_true (lens_number_to_int64 (-9223372036854775808.0, &value));
  g_assert_cmpint (value, ==, G_MININT64);
  g_assert_true (lens_number_to_int64 (-2.9, &value));
  g_assert_cmpint (value, ==, -2);
  g_assert_true (lens_number_seconds_to_usec (1720364607.5, &value));
  g_assert_cmpint (value, ==, G_GINT64_CONSTANT (1720364607500000));
}

static void
test_loose_types (void)
{
  g_autoptr(LensTask) task = task_from_json (CAT_ID,
    "{\"id\": \"" CAT_ID "\", \"mode\": \"relax\", \"request\": null, \"image_id\": 1259525319472185344,"
    " \"response\": {\"image_width\": \"1024\", \"image_height\": \" 512 \", \"raw_image_width\": \"wide\","
    " \"raw_image_height\": -5, \"actions\": [\"upscale_2x\", 7, null, \"zoom_out_1_5x\", \"\"],"
    " \"job_id\": null, \"progress\": null}}");
  const char * const *actions = lens_task_get_actions (task);

  g_assert_cmpstr (lens_task_get_mode (task), ==, "relax");
  g_assert_null (lens_task_get_prompt (task));
  g_assert_cmpstr (lens_task_get_image_id (task), ==, "1259525319472185344");
  g_assert_cmpint (lens_task_get_image_width (task), ==, 1024);
  g_assert_cmpint (lens_task_get_image_height (task), ==, 512);
  g_assert_cmpint (lens_task_get_raw_image_width (task), ==, -1);
  g_assert_cmpint (lens_task_get_raw_image_height (task), ==, -1);
  g_assert_cmpuint (g_strv_length ((GStrv) actions), ==, 2);
  g_assert_cmpstr (actions[1], ==, "zoom_out_1_5x");
  g_assert_null (lens_task_get_job_id (task));
  g_assert_cmpint (lens_task_get_progress (task), ==, -1);
}

/* Server data is untrusted: only http and https URLs are ever kept. */
static void
test_untrusted_urls (void)
{
  g_autoptr(LensTask) task = task_from_json (CAT_ID,
    R ("\"request\": {\"image_url\": \"file:///etc/passwd\"}, \"response\": {\"image_url\": \"javascript:alert(1)\","
       " \"raw_image_url\": \"file:///home/user/.ssh/id_rsa\", \"sub_image_urls\": [\"https://ok.test/1.png\", \"data:image/png;base64,AAAA\", \"http:/\"],"
       " \"video_urls\": [\"ftp://x.test/v.mp4\"]}"));
  const char * const *subs = lens_task_get_sub_image_urls (task);

  g_assert_null (lens_task_get_request_image_url (task));
  g_assert_null (lens_task_get_image_url (task));
  g_assert_null (lens_task_get_raw_image_url (task));
  g_assert_cmpuint (g_strv_length ((GStrv) subs), ==, 1);
  g_assert_cmpstr (subs[0], ==, "https://ok.test/1.png");
  g_assert_null (lens_task_get_video_urls (task));
}

static void
test_invalid_utf8_text (void)
{
  g_autoptr(JsonNode) record = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(LensTask) task = lens_task_new (CAT_ID);

  json_object_set_string_member (object, "id", CAT_ID);
  json_object_set_string_member (request, "prompt", "bad \xff\xfe bytes");
  json_object_set_object_member (object, "request", g_steal_pointer (&request));
  json_node_set_object (record, object);

  lens_task_update_from_json (task, record);
  g_assert_true (g_utf8_validate (lens_task_get_prompt (task), -1, NULL));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GHashTable *counts)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));
  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (count + 1));
}

/* Properties notify once, and only when their value changed. */
static void
test_notify_only_on_change (void)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(LensTask) task = lens_task_new (CAT_ID);
  g_autoptr(JsonNode) first = parse_json (R ("\"request\": {\"prompt\": \"a fox\"}, \"response\": {\"success\": true, \"progress\": 10}"));
  g_autoptr(JsonNode) again = parse_json (R ("\"request\": {\"prompt\": \"a fox\"}, \"response\": {\"success\": true, \"progress\": 10}"));
  g_autoptr(JsonNode) later = parse_json (R ("\"request\": {\"prompt\": \"a fox\"}, \"response\": {\"success\": true, \"progress\": 60}"));

  g_signal_connect (task, "notify", G_CALLBACK (count_notify_cb), counts);

  lens_task_update_from_json (task, first);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "state")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "prompt")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "progress")), ==, 1);
  g_assert_null (g_hash_table_lookup (counts, "image-url"));

  g_hash_table_remove_all (counts);
  lens_task_update_from_json (task, again);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  lens_task_update_from_json (task, later);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "progress")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "raw-json")), ==, 1);

  g_signal_handlers_disconnect_by_func (task, count_notify_cb, counts);
}

/* A not-found answer keeps what the task had. */
static void
test_not_found_keeps_data (void)
{
  g_autoptr(LensTask) task = task_from_json (CAT_ID, R ("\"request\": {\"prompt\": \"kept\"}, \"response\": null"));
  g_autoptr(JsonNode) empty = parse_json ("{}");

  lens_task_update_from_json (task, empty);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_NOT_FOUND);
  g_assert_cmpstr (lens_task_get_prompt (task), ==, "kept");
}

/* Failed by Tasklens: the task keeps what it had, says the reason where
 * the record says nothing, and forgets it on the next record or request. */
static void
test_mark_failed (void)
{
  g_autoptr(LensTask) task = task_from_json (CAT_ID, R ("\"request\": {\"prompt\": \"kept\"}, \"response\": null"));
  g_autoptr(LensTask) with_message = task_from_json (CAT_ID, R ("\"response\": {\"error\": \"it broke\"}"));
  g_autoptr(JsonNode) running = parse_json (R ("\"response\": {\"success\": true, \"progress\": 5}"));
  guint n_message = 0;
  g_autofree char *property = NULL;

  g_signal_connect (task, "notify::error-message", G_CALLBACK (lens_test_count_cb), &n_message);
  lens_task_mark_failed (task, "The AceData API refused the request");
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_FAILED);
  g_assert_true (lens_task_is_finished (task));
  g_assert_cmpstr (lens_task_get_error_message (task), ==, "The AceData API refused the request");
  g_assert_cmpstr (lens_task_get_local_error (task), ==, "The AceData API refused the request");
  g_object_get (task, "error-message", &property, NULL);
  g_assert_cmpstr (property, ==, "The AceData API refused the request");
  g_assert_cmpstr (lens_task_get_prompt (task), ==, "kept");
  g_assert_cmpuint (n_message, ==, 1);

  lens_task_mark_failed (task, "The AceData API refused the request");
  g_assert_cmpuint (n_message, ==, 1);

  lens_task_update_from_json (task, running);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_RUNNING);
  g_assert_null (lens_task_get_error_message (task));
  g_assert_null (lens_task_get_local_error (task));
  g_assert_cmpuint (n_message, ==, 2);

  lens_task_mark_failed (task, "reason");
  lens_task_mark_queued (task);
  g_assert_null (lens_task_get_local_error (task));
  g_assert_null (lens_task_get_error_message (task));

  /* The record's own message comes first. */
  lens_task_mark_failed (with_message, "reason");
  g_assert_cmpstr (lens_task_get_error_message (with_message), ==, "it broke");
  g_assert_cmpstr (lens_task_get_local_error (with_message), ==, "reason");
}

static void
test_record_for_other_task (void)
{
  g_autoptr(LensTask) task = lens_task_new ("807f62de-c63e-4add-8345-7f0ae6dd18e7");
  g_autoptr(JsonNode) record = parse_json (R ("\"response\": null"));

  g_test_expect_message ("lens-task", G_LOG_LEVEL_WARNING, "*was applied to task*");
  lens_task_update_from_json (task, record);
  g_test_assert_expected_messages ();
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_QUEUED);
}


static gpointer
prepare_in_thread (gpointer data)
{
  return lens_prepared_record_new (data);
}

/* The client reads a batch's records in a worker (lens-client.c); what the
 * main thread then applies must be what the record itself would give. */
static void
test_prepared_record_in_thread (void)
{
  g_autofree char *json = load_example ("retrieve.json");
  g_autoptr(JsonNode) record = parse_json (json);
  g_autoptr(LensTask) from_json = task_from_json (CAT_ID, json);
  g_autoptr(LensTask) prepared_task = lens_task_new (CAT_ID);
  g_autoptr(LensPreparedRecord) prepared = NULL;
  GThread *thread = g_thread_new ("prepare", prepare_in_thread, record);

  prepared = g_thread_join (thread);
  g_assert_nonnull (prepared);
  g_assert_cmpstr (lens_prepared_record_get_id (prepared), ==, CAT_ID);

  lens_task_apply_prepared_record (prepared_task, prepared);
  g_assert_true (lens_task_has_record (prepared_task));
  g_assert_cmpint (lens_task_get_state (prepared_task), ==, lens_task_get_state (from_json));
  g_assert_cmpstr (lens_task_get_prompt (prepared_task), ==, lens_task_get_prompt (from_json));
  g_assert_cmpstr (lens_task_get_image_url (prepared_task), ==,
                   lens_task_get_image_url (from_json));
  g_assert_cmpfloat (lens_task_get_finished_at (prepared_task), ==,
                     lens_task_get_finished_at (from_json));
  g_assert_cmpstr (lens_task_get_raw_json (prepared_task), ==, lens_task_get_raw_json (from_json));
  g_assert_nonnull (lens_task_get_raw_json (prepared_task));
}

/* Not a record: nothing to prepare, and no task could take it. */
static void
test_prepared_record_needs_id (void)
{
  const char *not_records[] = { "{}", "null", "[]", "{\"id\": \"\"}", "{\"id\": 7}" };

  for (guint i = 0; i < G_N_ELEMENTS (not_records); i++)
    {
      g_autoptr(JsonNode) node = parse_json (not_records[i]);

      g_assert_null (lens_prepared_record_new (node));
    }
}

/* Ids come in any case; the prepared record says it in the task's. */
static void
test_prepared_record_id_lower_case (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"id\": \"7489DF4C-EF03-4DE0-B598-E9A590793434\"}");
  g_autoptr(LensPreparedRecord) prepared = lens_prepared_record_new (node);
  g_autoptr(LensTask) task = lens_task_new (CAT_ID);

  g_assert_cmpstr (lens_prepared_record_get_id (prepared), ==, CAT_ID);
  lens_task_apply_prepared_record (task, prepared);
  g_assert_true (lens_task_has_record (task));
}

/* What the store's columns give: the summary, and nothing of the record. */
static void
test_summary_only (void)
{
  LensTaskSummary summary = {
    .id = CAT_ID, .state = LENS_TASK_STATE_DONE, .progress = 100, .task_type = "imagine",
    .created_at = 1720364607.9, .finished_at = 1720364637.4, .local_error = NULL,
  };
  g_autoptr(LensTask) task = lens_task_new_from_summary (&summary);

  g_assert_false (lens_task_has_details (task));
  g_assert_cmpstr (lens_task_get_id (task), ==, CAT_ID);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpint (lens_task_get_progress (task), ==, 100);
  g_assert_cmpstr (lens_task_get_task_type (task), ==, "imagine");
  g_assert_cmpfloat (lens_task_get_created_at (task), ==, 1720364607.9);
  g_assert_cmpfloat (lens_task_get_finished_at (task), ==, 1720364637.4);
  /* The details answer as unknown. */
  g_assert_null (lens_task_get_prompt (task));
  g_assert_null (lens_task_get_raw_json (task));
  g_assert_null (lens_task_get_actions (task));
  g_assert_cmpint (lens_task_get_image_width (task), ==, -1);
  g_assert_cmpfloat (lens_task_get_duration (task), ==, -1.0);
}

/* The rarer parts of a summary: a type no table knows, the reason Tasklens
 * gave up on a task, and a progress the store should never hold (a damaged
 * file), which reads as unknown rather than as a percentage. */
static void
test_summary_rare_parts (void)
{
  LensTaskSummary summary = {
    .id = CAT_ID, .state = LENS_TASK_STATE_FAILED, .progress = 250, .task_type = "something-new",
    .created_at = 1.0, .finished_at = -1.0, .local_error = "The AceData API refused the request",
  };
  g_autoptr(LensTask) task = lens_task_new_from_summary (&summary);
  g_autoptr(JsonNode) record = json_from_string ("{\"id\": \"" CAT_ID "\", \"type\": \"imagine\","
                                                 " \"response\": {\"success\": true, \"progress\": 40}}",
                                                 NULL);

  g_assert_cmpstr (lens_task_get_task_type (task), ==, "something-new");
  g_assert_cmpstr (lens_task_get_local_error (task), ==, "The AceData API refused the request");
  g_assert_cmpstr (lens_task_get_error_message (task), ==, "The AceData API refused the request");
  g_assert_cmpint (lens_task_get_progress (task), ==, -1);

  /* A record replaces the type and the progress, and clears the reason. */
  lens_task_update_from_json (task, record);
  g_assert_cmpstr (lens_task_get_task_type (task), ==, "imagine");
  g_assert_null (lens_task_get_local_error (task));
  g_assert_cmpint (lens_task_get_progress (task), ==, 40);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_RUNNING);
}

static void
count_changes_cb (LensTaskList *list,
                  LensTask     *task,
                  GParamSpec   *pspec,
                  guint        *count)
{
  (*count)++;
}

/* Details read from the store are shown (notify) but are no change of the
 * task: the list, and so the history, hear nothing. Dropped, they go as
 * quietly, and the summary stays. */
static void
test_take_and_drop_details (void)
{
  g_autofree char *json = load_example ("retrieve.json");
  g_autoptr(LensTask) stored = task_from_json (CAT_ID, json);
  LensTaskSummary summary = {
    .id = CAT_ID, .state = LENS_TASK_STATE_DONE, .progress = 100, .task_type = "imagine",
    .created_at = 1.0, .finished_at = 2.0,
  };
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  LensTask *task;
  guint n_list_changes = 0, n_prompt_notified = 0;
  g_autofree char *prompt = NULL;

  g_ptr_array_add (tasks, lens_task_new_from_summary (&summary));
  lens_task_list_append_tasks (list, tasks);
  task = g_ptr_array_index (tasks, 0);
  g_signal_connect (list, "task-changed", G_CALLBACK (count_changes_cb), &n_list_changes);
  g_signal_connect (task, "notify::prompt", G_CALLBACK (lens_test_count_cb), &n_prompt_notified);

  prompt = g_strdup (lens_task_get_prompt (stored));
  g_assert_nonnull (prompt);
  _lens_task_take_details (task, stored);

  g_assert_true (lens_task_has_details (task));
  g_assert_cmpstr (lens_task_get_prompt (task), ==, prompt);
  g_assert_nonnull (lens_task_get_raw_json (task));
  g_assert_cmpuint (n_prompt_notified, ==, 1);
  g_assert_cmpuint (n_list_changes, ==, 0);
  /* The summary is the task's own, not the store's copy's. */
  g_assert_cmpfloat (lens_task_get_created_at (task), ==, 1.0);

  _lens_task_drop_details (task);
  g_assert_false (lens_task_has_details (task));
  g_assert_null (lens_task_get_prompt (task));
  g_assert_cmpuint (n_prompt_notified, ==, 2);
  g_assert_cmpuint (n_list_changes, ==, 0);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpstr (lens_task_get_task_type (task), ==, "imagine");
}

/* A record is newer than what the store had: details that came with one
 * are not replaced by a read that finishes after it. */
static void
test_take_details_keeps_newer (void)
{
  g_autoptr(LensTask) task = task_from_json (CAT_ID, R ("\"request\": {\"prompt\": \"newer\"}, \"response\": null"));
  g_autoptr(LensTask) stored = task_from_json (CAT_ID, R ("\"request\": {\"prompt\": \"older\"}, \"response\": null"));

  _lens_task_take_details (task, stored);
  g_assert_cmpstr (lens_task_get_prompt (task), ==, "newer");
}

/* A type the API documents is shared, not copied: 100,000 tasks hold a
 * handful of strings. Any other is kept as given. */
static void
test_task_types_shared (void)
{
  g_autoptr(LensTask) a = task_from_json (CAT_ID, R ("\"response\": null"));
  g_autoptr(LensTask) b = task_from_json (CAT_ID, R ("\"response\": null"));
  g_autoptr(LensTask) odd = task_from_json (CAT_ID, "{\"id\": \"" CAT_ID "\", \"type\": \"something-new\"}");

  g_assert_true (lens_task_get_task_type (a) == lens_task_get_task_type (b));
  g_assert_cmpstr (lens_task_get_task_type (odd), ==, "something-new");
}

static void
test_new_normalises_id (void)
{
  g_autoptr(LensTask) task = lens_task_new ("7489DF4C-EF03-4DE0-B598-E9A590793434");

  g_assert_cmpstr (lens_task_get_id (task), ==, CAT_ID);
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_QUEUED);
  g_assert_false (lens_task_is_finished (task));
  g_assert_cmpstr (lens_task_state_to_string (LENS_TASK_STATE_NOT_FOUND), ==, "not-found");
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/task/example/retrieve", test_example_retrieve);
  g_test_add_func ("/task/example/batch-items", test_example_batch_items);
  g_test_add_func ("/task/example/describe", test_example_describe);
  g_test_add_func ("/task/example/edits-and-videos", test_example_edits_and_videos);
  g_test_add_func ("/task/has-video", test_has_video);
  g_test_add_func ("/task/is-grid", test_is_grid);
  g_test_add_func ("/task/example/progress", test_example_progress);
  for (guint i = 0; i < G_N_ELEMENTS (state_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/task/state-rule/%s", state_cases[i].name);
      g_test_add_data_func (path, &state_cases[i], test_state_rule);
    }
  g_test_add_func ("/task/errors", test_errors);
  g_test_add_func ("/task/times", test_times);
  g_test_add_func ("/task/huge-numbers", test_huge_numbers);
  g_test_add_func ("/task/json-int-bounds", test_json_int_bounds);
  g_test_add_func ("/task/number-bounds", test_number_bounds);
  g_test_add_func ("/task/loose-types", test_loose_types);
  g_test_add_func ("/task/untrusted-urls", test_untrusted_urls);
  g_test_add_func ("/task/invalid-utf8", test_invalid_utf8_text);
  g_test_add_func ("/task/notify-only-on-change", test_notify_only_on_change);
  g_test_add_func ("/task/not-found-keeps-data", test_not_found_keeps_data);
  g_test_add_func ("/task/mark-failed", test_mark_failed);
  g_test_add_func ("/task/record-for-other-task", test_record_for_other_task);
  g_test_add_func ("/task/new-normalises-id", test_new_normalises_id);
  g_test_add_func ("/task/prepared-record/in-thread", test_prepared_record_in_thread);
  g_test_add_func ("/task/prepared-record/needs-id", test_prepared_record_needs_id);
  g_test_add_func ("/task/prepared-record/id-lower-case", test_prepared_record_id_lower_case);
  g_test_add_func ("/task/summary-only", test_summary_only);
  g_test_add_func ("/task/summary-rare-parts", test_summary_rare_parts);
  g_test_add_func ("/task/take-and-drop-details", test_take_and_drop_details);
  g_test_add_func ("/task/take-details-keeps-newer", test_take_details_keeps_newer);
  g_test_add_func ("/task/task-types-shared", test_task_types_shared);

  return g_test_run ();
}
