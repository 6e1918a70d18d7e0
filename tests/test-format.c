/* test-format.c — times, durations, sizes and terms in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs in the C locale and in UTC, so that every expected string is stable.
 */

#include "config.h"

#include <math.h>

#include "lens-format.h"
#include "lens-test.h"

/* 2024-07-07 12:00:00 UTC, a Sunday. */
#define NOW 1720353600.0

#define MINUTE 60.0
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

static void
test_date_time (void)
{
  static const struct
  {
    double      seconds;
    const char *expected;
  } cases[] = {
    { 1720364607.967, "7 July 2024, 15:03:27" },
    { 1720364607.0, "7 July 2024, 15:03:27" },
    { 1.0, "1 January 1970, 00:00:01" },
    { 0.0, NULL },
    { -1.0, NULL },
    { 1e300, NULL },
    { NAN, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lens_format_date_time (cases[i].seconds);

      g_test_message ("case %" G_GSIZE_FORMAT ": %f", i, cases[i].seconds);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* The user's time zone is kept between calls (lens-format.c reads it
 * again at most once a minute), but a change of TZ shows at once. */
static void
test_time_zone_changed (void)
{
  g_autofree char *in_utc = lens_format_date_time (1720364607.0);
  g_autofree char *in_seoul = NULL;
  g_autofree char *day_in_seoul = NULL;
  int seoul_day;

  g_setenv ("TZ", "Asia/Seoul", TRUE);
  in_seoul = lens_format_date_time (1720364607.0);
  seoul_day = lens_format_local_day (1720364607.0);
  g_setenv ("TZ", "UTC", TRUE);

  g_assert_cmpstr (in_utc, ==, "7 July 2024, 15:03:27");
  g_assert_cmpstr (in_seoul, ==, "8 July 2024, 00:03:27");
  g_assert_cmpint (seoul_day, ==, lens_format_local_day (1720364607.0) + 1);
  day_in_seoul = lens_format_day (seoul_day, NULL);
  g_assert_cmpstr (day_in_seoul, ==, "8 July 2024");
}

static void
test_relative_time (void)
{
  static const struct
  {
    double      ago;
    const char *expected;
  } cases[] = {
    { 0, "just now" },
    { -2 * MINUTE, "just now" },         /* the server's clock is ahead */
    { 59, "just now" },
    { MINUTE, "1 minute ago" },
    { 3 * MINUTE + 20, "3 minutes ago" },
    { HOUR - 1, "59 minutes ago" },
    { HOUR, "1 hour ago" },
    { 2 * HOUR + 59 * MINUTE, "2 hours ago" },
    { 23 * HOUR, "23 hours ago" },
    { 25 * HOUR, "Yesterday 11:00" },
    { 36 * HOUR, "Yesterday 00:00" },     /* 2024-07-06 00:00 */
    { 37 * HOUR, "2 days ago" },          /* 2024-07-05 23:00 */
    { 5 * DAY, "5 days ago" },
    { 6 * DAY + 12 * HOUR, "6 days ago" },
    { 6 * DAY + 13 * HOUR, "30 June 2024" },  /* a week ago in calendar days */
    { 30 * DAY, "7 June 2024" },
    { 400 * DAY, "3 June 2023" },
  };
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc ((gint64) NOW);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lens_format_relative_time (NOW - cases[i].ago, now);

      g_test_message ("case %" G_GSIZE_FORMAT ": %f seconds ago", i, cases[i].ago);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_relative_time_unknown (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc ((gint64) NOW);
  g_autofree char *unknown = lens_format_relative_time (-1, now);
  g_autofree char *zero = lens_format_relative_time (0, now);
  g_autofree char *against_clock = lens_format_relative_time (g_get_real_time () / 1e6 - 10, NULL);

  g_assert_null (unknown);
  g_assert_null (zero);
  g_assert_cmpstr (against_clock, ==, "just now");
}

/* The gallery's day headers: 2024-07-07 is a Sunday (UTC here). */
static void
test_day (void)
{
  static const struct
  {
    double      ago;
    const char *expected;
  } cases[] = {
    { 0, "Today" },
    { 11 * HOUR, "Today" },                 /* 01:00 the same day */
    { 13 * HOUR, "Yesterday" },             /* 23:00 the day before */
    { 2 * DAY, "Friday" },
    { 6 * DAY, "Monday" },
    { 7 * DAY, "30 June 2024" },
    { 400 * DAY, "3 June 2023" },
  };
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc ((gint64) NOW);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int day = lens_format_local_day (NOW - cases[i].ago);
      g_autofree char *text = lens_format_day (day, now);

      g_test_message ("case %" G_GSIZE_FORMAT ": %f seconds ago", i, cases[i].ago);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  /* Tasks made the same local day share it, the next day is the next. */
  g_assert_cmpint (lens_format_local_day (NOW), ==, lens_format_local_day (NOW - 11 * HOUR));
  g_assert_cmpint (lens_format_local_day (NOW) - 1, ==, lens_format_local_day (NOW - 13 * HOUR));
  g_assert_cmpint (lens_format_local_day (-1), ==, 0);
  g_assert_cmpint (lens_format_local_day (NAN), ==, 0);
  g_assert_null (lens_format_day (0, now));
}

static void
test_duration (void)
{
  static const struct
  {
    double      seconds;
    const char *expected;
  } cases[] = {
    { 29.437000036239624, "29 s" },
    { 0, "0 s" },
    { 0.4, "0 s" },
    { 59.6, "1 min" },
    { 60, "1 min" },
    { 125, "2 min 5 s" },
    { 107.4, "1 min 47 s" },
    { HOUR, "1 h" },
    { HOUR + 4 * MINUTE + 10, "1 h 4 min" },
    { HOUR + 59, "1 h" },
    { 25 * HOUR + MINUTE + 1, "25 h 1 min" },
    { -1, NULL },
    { -0.001, NULL },
    { NAN, NULL },
    { INFINITY, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lens_format_duration (cases[i].seconds);

      g_test_message ("case %" G_GSIZE_FORMAT ": %f", i, cases[i].seconds);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_size (void)
{
  static const struct
  {
    int         width;
    int         height;
    const char *expected;
  } cases[] = {
    { 2048, 2048, "2048 × 2048" },
    { 1024, 576, "1024 × 576" },
    { 1, 1, "1 × 1" },
    { -1, -1, NULL },
    { -1, 512, NULL },
    { 512, -1, NULL },
    { 0, 0, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lens_format_size (cases[i].width, cases[i].height);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_short_id (void)
{
  static const struct
  {
    const char *id;
    const char *expected;
  } cases[] = {
    { "7489df4c-ef03-4de0-b598-e9a590793434", "7489df4c" },
    { "7489df4c", "7489df4c" },
    { "abc", "abc" },
    { "가나다라마바사아자차", "가나다라마바사아" },  /* characters, not bytes */
    { "", NULL },
    { NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lens_format_short_id (cases[i].id);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_task_state (void)
{
  static const struct
  {
    LensTaskState  state;
    int            progress;
    const char    *expected;
  } cases[] = {
    { LENS_TASK_STATE_QUEUED, -1, "Waiting" },
    { LENS_TASK_STATE_PENDING, -1, "Waiting" },  /* one name for both */
    { LENS_TASK_STATE_RUNNING, -1, "Running" },
    { LENS_TASK_STATE_RUNNING, 0, "Running · 0%" },
    { LENS_TASK_STATE_RUNNING, 45, "Running · 45%" },
    { LENS_TASK_STATE_DONE, 100, "Done" },
    { LENS_TASK_STATE_FAILED, -1, "Failed" },
    { LENS_TASK_STATE_FAILED, 30, "Failed" },
    { LENS_TASK_STATE_NOT_FOUND, -1, "Not found" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lens_format_task_state (cases[i].state, cases[i].progress);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* English writes no space before the percent sign. */
static void
test_percent (void)
{
  g_autofree char *some = lens_format_percent (75);
  g_autofree char *none = lens_format_percent (0);
  g_autofree char *over = lens_format_percent (120);

  g_assert_cmpstr (some, ==, "75%");
  g_assert_cmpstr (none, ==, "0%");
  g_assert_cmpstr (over, ==, "100%");
}

static void
test_term (void)
{
  static const struct
  {
    const char *term;
    const char *expected;
  } cases[] = {
    { "imagine", "Imagine" },
    { "describe", "Describe" },
    { "fast", "Fast" },
    { "generate", "Generate" },
    { "upscale1", "Upscale 1" },
    { "upscale4", "Upscale 4" },
    { "variation3", "Variation 3" },
    { "reroll", "Reroll" },
    { "upscale_2x", "Upscale 2×" },
    { "zoom_out_1_5x", "Zoom Out 1.5×" },
    { "pan_down", "Pan Down" },
    /* Unknown terms are shown as they came. */
    { "upscale5", "upscale5" },
    { "upscale", "upscale" },
    { "xupscale1", "xupscale1" },
    { "variation12", "variation12" },
    { "some_new_action", "some_new_action" },
    { "1", "1" },
    { "", NULL },
    { NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lens_format_term (cases[i].term);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

#define GRID_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define UPSCALE_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define GRID_IMAGE_ID "1259525319472185344"

/* A finished task made from the record @json (single quotes for double). */
static LensTask *
task_from_json (const char *id,
                const char *json)
{
  g_autoptr(LensTask) task = lens_task_new (id);
  g_autofree char *text = g_strdelimit (g_strdup (json), "'", '"');
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  lens_task_update_from_json (task, node);
  return g_steal_pointer (&task);
}

static LensTask *
make_grid (void)
{
  return task_from_json (GRID_ID, "{'id': '" GRID_ID "', 'type': 'imagine', 'created_at': 1720364607,"
                                  " 'request': {'prompt': 'A cat sitting on a table', 'action': 'generate'},"
                                  " 'image_id': '" GRID_IMAGE_ID "', 'response': {'success': true,"
                                  " 'progress': 100, 'image_id': '" GRID_IMAGE_ID "',"
                                  " 'raw_image_url': 'https://example.com/g.png'}}");
}

/* An upscale's request has no prompt: only the action and the grid's
 * image_id, as AceData's API takes them. */
static LensTask *
make_upscale (void)
{
  return task_from_json (UPSCALE_ID, "{'id': '" UPSCALE_ID "', 'type': 'imagine', 'created_at': 1720364700,"
                                     " 'request': {'action': 'upscale2', 'image_id': '" GRID_IMAGE_ID "'},"
                                     " 'response': {'success': true, 'progress': 100,"
                                     " 'image_id': '1259525319472189999',"
                                     " 'raw_image_url': 'https://example.com/u.png'}}");
}

/* A task's one title: the prompt, or what it did to which grid, never the
 * API's word "imagine". */
static void
test_task_title_upscale (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(LensTaskList) other = lens_task_list_new ();
  g_autoptr(LensTask) grid = make_grid ();
  g_autoptr(LensTask) upscale = make_upscale ();
  g_autofree char *grid_title = lens_format_task_title (grid, list);
  g_autofree char *alone = NULL;
  g_autofree char *unlisted = NULL;
  g_autofree char *linked = NULL;
  g_autofree char *removed = NULL;

  g_assert_cmpstr (grid_title, ==, "A cat sitting on a table");

  /* Without the grid in the list, the action alone. */
  alone = lens_format_task_title (upscale, NULL);
  g_assert_cmpstr (alone, ==, "Upscale 2");
  g_assert_true (lens_task_list_insert (other, 0, upscale));
  unlisted = lens_format_task_title (upscale, other);
  g_assert_cmpstr (unlisted, ==, "Upscale 2");

  /* With it, the grid's prompt, found by the image_id the upscale names. */
  g_assert_true (lens_task_list_insert (list, 0, grid));
  linked = lens_format_task_title (upscale, list);
  g_assert_cmpstr (linked, ==, "Upscale 2 of “A cat sitting on a table”");

  /* A grid removed from the list is not named any more. */
  g_assert_true (lens_task_list_remove (list, GRID_ID));
  removed = lens_format_task_title (upscale, list);
  g_assert_cmpstr (removed, ==, "Upscale 2");
}

/* Tasks without a prompt or an action: their state or type, in words. */
static void
test_task_title_others (void)
{
  g_autoptr(LensTask) queued = lens_task_new (GRID_ID);
  g_autoptr(LensTask) not_found = lens_task_new (UPSCALE_ID);
  g_autoptr(LensTask) video = task_from_json (GRID_ID, "{'id': '" GRID_ID "', 'type': 'videos',"
                                                       " 'request': {'action': 'generate'}, 'response':"
                                                       " {'success': true, 'progress': 100,"
                                                       " 'video_urls': ['https://example.com/v.mp4']}}");
  g_autoptr(LensTask) describe = task_from_json (GRID_ID, "{'id': '" GRID_ID "', 'type': 'describe',"
                                                          " 'request': {}, 'response': {'success': true,"
                                                          " 'descriptions': ['A red fox --ar 1:1']}}");
  g_autofree char *queued_title = lens_format_task_title (queued, NULL);
  g_autofree char *not_found_title = NULL;
  g_autofree char *video_title = lens_format_task_title (video, NULL);
  g_autofree char *describe_title = lens_format_task_title (describe, NULL);

  lens_task_mark_not_found (not_found);
  not_found_title = lens_format_task_title (not_found, NULL);

  g_assert_cmpstr (queued_title, ==, "Waiting");
  g_assert_cmpstr (not_found_title, ==, "Unknown task");
  g_assert_cmpstr (video_title, ==, "Video");
  g_assert_cmpstr (describe_title, ==, "A red fox --ar 1:1");
}

static void
test_json_pretty (void)
{
  g_autofree char *pretty = lens_format_json_pretty ("{\"id\":\"7489df4c\",\"response\":"
                                                     "{\"actions\":[\"reroll\"],\"x\":null}}");
  g_autofree char *broken = lens_format_json_pretty ("{\"id\": ");
  g_autofree char *none = lens_format_json_pretty (NULL);

  g_assert_cmpstr (pretty, ==,
                   "{\n"
                   "  \"id\" : \"7489df4c\",\n"
                   "  \"response\" : {\n"
                   "    \"actions\" : [\n"
                   "      \"reroll\"\n"
                   "    ],\n"
                   "    \"x\" : null\n"
                   "  }\n"
                   "}");
  g_assert_null (broken);
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  /* Stable strings: no translations, the C locale's formats, UTC. */
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("TZ", "UTC", TRUE);

  lens_test_init (&argc, &argv);

  g_test_add_func ("/format/date-time", test_date_time);
  g_test_add_func ("/format/time-zone-changed", test_time_zone_changed);
  g_test_add_func ("/format/relative-time", test_relative_time);
  g_test_add_func ("/format/relative-time/unknown", test_relative_time_unknown);
  g_test_add_func ("/format/day", test_day);
  g_test_add_func ("/format/duration", test_duration);
  g_test_add_func ("/format/size", test_size);
  g_test_add_func ("/format/short-id", test_short_id);
  g_test_add_func ("/format/task-state", test_task_state);
  g_test_add_func ("/format/percent", test_percent);
  g_test_add_func ("/format/task-title/upscale", test_task_title_upscale);
  g_test_add_func ("/format/task-title/others", test_task_title_others);
  g_test_add_func ("/format/term", test_term);
  g_test_add_func ("/format/json-pretty", test_json_pretty);

  return g_test_run ();
}
