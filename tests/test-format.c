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
    { 1720364607.967, "07/07/24 15:03:27" },
    { 1720364607.0, "07/07/24 15:03:27" },
    { 1.0, "01/01/70 00:00:01" },
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
    { 25 * HOUR, "yesterday" },
    { 36 * HOUR, "yesterday" },           /* 2024-07-06 00:00 */
    { 37 * HOUR, "2 days ago" },          /* 2024-07-05 23:00 */
    { 5 * DAY, "5 days ago" },
    { 6 * DAY + 12 * HOUR, "6 days ago" },
    { 6 * DAY + 13 * HOUR, "06/30/24" },  /* a week ago in calendar days */
    { 30 * DAY, "06/07/24" },
    { 400 * DAY, "06/03/23" },
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
    { LENS_TASK_STATE_QUEUED, -1, "Queued" },
    { LENS_TASK_STATE_PENDING, -1, "Pending" },
    { LENS_TASK_STATE_RUNNING, -1, "Running" },
    { LENS_TASK_STATE_RUNNING, 0, "Running · 0 %" },
    { LENS_TASK_STATE_RUNNING, 45, "Running · 45 %" },
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
  g_test_add_func ("/format/relative-time", test_relative_time);
  g_test_add_func ("/format/relative-time/unknown", test_relative_time_unknown);
  g_test_add_func ("/format/duration", test_duration);
  g_test_add_func ("/format/size", test_size);
  g_test_add_func ("/format/short-id", test_short_id);
  g_test_add_func ("/format/task-state", test_task_state);
  g_test_add_func ("/format/term", test_term);
  g_test_add_func ("/format/json-pretty", test_json_pretty);

  return g_test_run ();
}
