/* lens-format.c — times, durations, sizes and titles in words a user reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every function returns a newly allocated string, or NULL when there is
 * nothing to say (an unknown time, size or id): the UI hides what is NULL
 * rather than showing an empty or made-up value.
 */

#define G_LOG_DOMAIN "lens-format"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-number.h"
#include "lens-task-list.h"

/* GDateTime stops at the year 9999; beyond that, and for NaN, there is no
 * date to show. */
#define MAX_UNIX_SECONDS 253402300799.0

#define SHORT_ID_LENGTH 8

/* How long the local time zone is kept before it is read again. */
#define LOCAL_ZONE_LIFETIME_US (60 * G_USEC_PER_SEC)

G_LOCK_DEFINE_STATIC (local_zone);

/* The user's time zone. Without TZ in the environment, GLib reads
 * /etc/localtime again for every local GDateTime (4 µs, eighty times a
 * GDateTime's own cost), and the rows' "5 minutes ago" and the gallery's
 * days ask for thousands of them as the list scrolls. It is kept here: a
 * change of TZ is seen at once, a change of the system's zone within a
 * minute. */
static GTimeZone *
local_zone (void)
{
  static GTimeZone *zone;
  static char *zone_tz;
  static gint64 read_at;
  const char *tz = g_getenv ("TZ");
  gint64 now = g_get_monotonic_time ();
  GTimeZone *result;

  G_LOCK (local_zone);
  if (zone == NULL || g_strcmp0 (tz, zone_tz) != 0 || now - read_at > LOCAL_ZONE_LIFETIME_US)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      zone = g_time_zone_new_local ();
      g_set_str (&zone_tz, tz);
      read_at = now;
    }
  result = g_time_zone_ref (zone);
  G_UNLOCK (local_zone);
  return result;
}

/* @date_time in the user's time zone */
static GDateTime *
to_local (GDateTime *date_time)
{
  g_autoptr(GTimeZone) zone = local_zone ();

  return g_date_time_to_timezone (date_time, zone);
}

static GDateTime *
new_now_local (void)
{
  g_autoptr(GTimeZone) zone = local_zone ();

  return g_date_time_new_now (zone);
}

static GDateTime *
date_time_new_local (double unix_seconds)
{
  g_autoptr(GDateTime) utc = NULL;
  gint64 usec;

  if (!(unix_seconds > 0 && unix_seconds <= MAX_UNIX_SECONDS)
      || !lens_number_seconds_to_usec (unix_seconds, &usec))
    return NULL;

  utc = g_date_time_new_from_unix_utc_usec (usec);
  return utc != NULL ? to_local (utc) : NULL;
}

/* The locale's long date: a month in words (or, in Korean, with its
 * counter), never "07/07/24", which reads differently across the world. */
static char *
format_long_date (GDateTime *date_time)
{
  /* Translators: a date in g_date_time_format() notation, in your
   * language's long form without the weekday, such as "7 July 2024"
   * (Korean: "%Y년 %-m월 %-e일"). %-e is the day without padding, %B the
   * month's name, %Y the year. */
  return g_date_time_format (date_time, _("%-e %B %Y"));
}

/**
 * lens_format_date_time:
 * @unix_seconds: a time in Unix seconds
 *
 * Returns: (transfer full) (nullable): the date in the locale's long form
 *   and the time, in the user's time zone ("7 July 2024, 15:03:27"), or
 *   NULL when @unix_seconds is not a time
 */
char *
lens_format_date_time (double unix_seconds)
{
  g_autoptr(GDateTime) date_time = date_time_new_local (unix_seconds);
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;

  if (date_time == NULL)
    return NULL;

  date = format_long_date (date_time);
  /* Translators: a time of day in g_date_time_format() notation; %X is the
   * locale's own format. */
  time = g_date_time_format (date_time, _("%X"));
  /* Translators: a date ("7 July 2024") and a time of day ("15:03:27"). */
  return g_strdup_printf (_("%s, %s"), date, time);
}

static int
days_between (GDateTime *earlier,
              GDateTime *later)
{
  g_autoptr(GDate) first = g_date_new_dmy (g_date_time_get_day_of_month (earlier),
                                           g_date_time_get_month (earlier),
                                           g_date_time_get_year (earlier));
  g_autoptr(GDate) second = g_date_new_dmy (g_date_time_get_day_of_month (later),
                                            g_date_time_get_month (later),
                                            g_date_time_get_year (later));

  return g_date_days_between (first, second);
}

/**
 * lens_format_relative_time:
 * @unix_seconds: a time in Unix seconds
 * @now: (nullable): the present, or NULL for the clock's
 *
 * Times in the future (a server clock ahead of ours) count as "just now";
 * anything a week old or older is shown as its date.
 *
 * Returns: (transfer full) (nullable): "3 minutes ago", "Yesterday 14:03",
 *   "3 days ago", "7 July 2024", or NULL when @unix_seconds is not a time
 */
char *
lens_format_relative_time (double     unix_seconds,
                           GDateTime *now)
{
  g_autoptr(GDateTime) then = date_time_new_local (unix_seconds);
  g_autoptr(GDateTime) local_now = NULL;
  gint64 seconds;
  gint64 count;
  int days;

  if (then == NULL)
    return NULL;

  local_now = now != NULL ? to_local (now) : new_now_local ();
  seconds = g_date_time_difference (local_now, then) / G_USEC_PER_SEC;

  if (seconds < 60)
    return g_strdup (_("just now"));

  if (seconds < 60 * 60)
    {
      count = seconds / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                           count),
                              (int) count);
    }

  if (seconds < 24 * 60 * 60)
    {
      count = seconds / (60 * 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", count),
                              (int) count);
    }

  days = days_between (then, local_now);
  if (days <= 1)
    /* Translators: yesterday at a time of day, in g_date_time_format()
     * notation; %H:%M is the hour (00–23) and the minutes. */
    return g_date_time_format (then, _("Yesterday %H:%M"));
  if (days < 7)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", days),
                            days);

  return format_long_date (then);
}

/**
 * lens_format_local_day:
 * @unix_seconds: a time in Unix seconds
 *
 * The gallery groups tasks by the day they were made in the user's time
 * zone; a day number is cheap to keep and compare for 100,000 tasks.
 *
 * Returns: the Julian day number (1 for 1 January of the year 1) of the
 *   local date of @unix_seconds, or 0 when it is not a time
 */
int
lens_format_local_day (double unix_seconds)
{
  g_autoptr(GDateTime) date_time = date_time_new_local (unix_seconds);
  GDate date;
  int year, month, day;

  if (date_time == NULL)
    return 0;
  g_date_time_get_ymd (date_time, &year, &month, &day);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return (int) g_date_get_julian (&date);
}

/**
 * lens_format_day:
 * @julian_day: a day, as lens_format_local_day() gives it
 * @now: (nullable): the present, or NULL for the clock's
 *
 * A day as a photo gallery names it above its pictures.
 *
 * Returns: (transfer full) (nullable): "Today", "Yesterday", the weekday
 *   within the last week ("Wednesday"), the locale's long date otherwise
 *   ("7 July 2024"), or NULL for 0 (no day)
 */
char *
lens_format_day (int        julian_day,
                 GDateTime *now)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) noon = NULL;
  GDate date = { 0 };
  int days;

  if (julian_day <= 0 || !g_date_valid_julian (julian_day))
    return NULL;

  g_date_set_julian (&date, julian_day);
  zone = local_zone ();
  noon = g_date_time_new (zone, g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date), 12, 0, 0);
  if (noon == NULL)
    return NULL;
  local_now = now != NULL ? to_local (now) : new_now_local ();
  days = days_between (noon, local_now);

  if (days == 0)
    return g_strdup (_("Today"));
  if (days == 1)
    return g_strdup (_("Yesterday"));
  if (days > 1 && days < 7)
    /* Translators: a day of this week in g_date_time_format() notation;
     * %A is the weekday's name. */
    return g_date_time_format (noon, _("%A"));
  return format_long_date (noon);
}

/**
 * lens_format_duration:
 * @seconds: a duration in seconds
 *
 * Returns: (transfer full) (nullable): "29 s", "2 min 5 s", "1 h 4 min", or
 *   NULL when @seconds is negative or not a number
 */
char *
lens_format_duration (double seconds)
{
  gint64 total;
  int hours, minutes, rest;

  if (!(seconds >= 0 && seconds < G_MAXINT) || !lens_number_to_int64 (round (seconds), &total))
    return NULL;

  hours = (int) (total / 3600);
  minutes = (int) (total % 3600 / 60);
  rest = (int) (total % 60);

  /* Translators: durations use the short unit symbols, without plurals. */
  if (hours > 0 && minutes > 0)
    return g_strdup_printf (C_("duration", "%d h %d min"), hours, minutes);
  if (hours > 0)
    return g_strdup_printf (C_("duration", "%d h"), hours);
  if (minutes > 0 && rest > 0)
    return g_strdup_printf (C_("duration", "%d min %d s"), minutes, rest);
  if (minutes > 0)
    return g_strdup_printf (C_("duration", "%d min"), minutes);
  return g_strdup_printf (C_("duration", "%d s"), rest);
}

/**
 * lens_format_size:
 * @width: a width in pixels, or -1 when unknown
 * @height: a height in pixels, or -1 when unknown
 *
 * Returns: (transfer full) (nullable): "2048 × 2048", or NULL when either
 *   side is unknown
 */
char *
lens_format_size (int width,
                  int height)
{
  if (width <= 0 || height <= 0)
    return NULL;

  /* Translators: an image size in pixels, width × height. */
  return g_strdup_printf (C_("image size", "%d × %d"), width, height);
}

/**
 * lens_format_short_id:
 * @id: (nullable): a task id
 *
 * Returns: (transfer full) (nullable): the first eight characters of @id,
 *   enough to tell tasks apart in a list
 */
char *
lens_format_short_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return NULL;

  return g_utf8_substring (id, 0, MIN (g_utf8_strlen (id, -1), SHORT_ID_LENGTH));
}

/**
 * lens_format_task_state:
 * @state: the state of a task
 * @progress: its progress in percent, or -1 when unknown
 *
 * Returns: (transfer full): the state in words, with the progress while the
 *   task runs ("Running · 45%")
 */
char *
lens_format_task_state (LensTaskState state,
                        int           progress)
{
  switch (state)
    {
    case LENS_TASK_STATE_QUEUED:
    case LENS_TASK_STATE_PENDING:
      /* One name for a task the server has not told of yet, whether it was
       * asked or not: the difference is Tasklens's, not the user's. */
      return g_strdup (C_("task state", "Waiting"));
    case LENS_TASK_STATE_RUNNING:
      if (progress < 0)
        return g_strdup (C_("task state", "Running"));
      /* Translators: a running task and its progress in percent ("Running ·
       * 45%"); %d is the number, %% the percent sign. Write the number and
       * the sign as your language does ("45 %" in French). */
      return g_strdup_printf (C_("task state", "Running · %d%%"), CLAMP (progress, 0, 100));
    case LENS_TASK_STATE_DONE:
      return g_strdup (C_("task state", "Done"));
    case LENS_TASK_STATE_FAILED:
      return g_strdup (C_("task state", "Failed"));
    case LENS_TASK_STATE_NOT_FOUND:
      return g_strdup (C_("task state", "Not found"));
    case LENS_TASK_STATE_STALLED:
      return g_strdup (C_("task state", "Stalled"));
    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

/**
 * lens_format_percent:
 * @percent: a percentage, 0 to 100
 *
 * Returns: (transfer full): the percentage as the locale writes it ("75%")
 */
char *
lens_format_percent (int percent)
{
  /* Translators: a percentage; %d is the number, %% the percent sign.
   * Write them as your language does ("75 %" in French, "75%" in Korean). */
  return g_strdup_printf (_("%d%%"), CLAMP (percent, 0, 100));
}

/* The terms AceData uses for task types, modes and actions, as a person
 * would say them; anything else is shown as the server sent it. */
static const struct
{
  const char *term;
  const char *label;  /* in the "term" translation context */
} terms[] = {
  /* Task types */
  { "imagine", NC_("term", "Imagine") },
  { "describe", NC_("term", "Describe") },
  { "videos", NC_("term", "Video") },
  { "edits", NC_("term", "Edit") },
  { "blend", NC_("term", "Blend") },
  /* Modes */
  { "fast", NC_("term", "Fast") },
  { "relax", NC_("term", "Relax") },
  { "turbo", NC_("term", "Turbo") },
  /* Actions */
  { "generate", NC_("term", "Generate") },
  { "reroll", NC_("term", "Reroll") },
  { "upscale_2x", NC_("term", "Upscale 2×") },
  { "upscale_4x", NC_("term", "Upscale 4×") },
  { "upscale_subtle", NC_("term", "Upscale (Subtle)") },
  { "upscale_creative", NC_("term", "Upscale (Creative)") },
  { "variation_subtle", NC_("term", "Vary (Subtle)") },
  { "variation_strong", NC_("term", "Vary (Strong)") },
  { "variation_region", NC_("term", "Vary (Region)") },
  { "zoom_out_2x", NC_("term", "Zoom Out 2×") },
  { "zoom_out_1_5x", NC_("term", "Zoom Out 1.5×") },
  { "pan_left", NC_("term", "Pan Left") },
  { "pan_right", NC_("term", "Pan Right") },
  { "pan_up", NC_("term", "Pan Up") },
  { "pan_down", NC_("term", "Pan Down") },
};

/* "upscale3" and "variation2" pick one of the four images of a grid. */
static char *
format_numbered_term (const char *term)
{
  gsize length = strlen (term);
  char digit = length > 0 ? term[length - 1] : '\0';

  if (digit < '1' || digit > '4')
    return NULL;

  if (length == strlen ("upscale") + 1 && g_str_has_prefix (term, "upscale"))
    /* Translators: %c is the number of the grid image, 1 to 4. */
    return g_strdup_printf (C_("term", "Upscale %c"), digit);
  if (length == strlen ("variation") + 1 && g_str_has_prefix (term, "variation"))
    /* Translators: %c is the number of the grid image, 1 to 4. */
    return g_strdup_printf (C_("term", "Variation %c"), digit);
  return NULL;
}

/**
 * lens_format_term:
 * @term: (nullable): a task type, mode or action as AceData names it
 *
 * Returns: (transfer full) (nullable): the term in words ("Upscale 2",
 *   "Zoom Out 1.5×"); an unknown term unchanged
 */
char *
lens_format_term (const char *term)
{
  char *numbered;

  if (term == NULL || *term == '\0')
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (terms); i++)
    if (g_str_equal (term, terms[i].term))
      return g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "term", terms[i].label));

  numbered = format_numbered_term (term);
  return numbered != NULL ? numbered : g_strdup (term);
}

/* Whether @action makes a task from an image of another (an upscale, a
 * variation, a zoom…), rather than from a prompt of its own. */
static gboolean
is_derived_action (const char *action)
{
  return action != NULL && *action != '\0' && !g_str_equal (action, "generate");
}

/* The grid an upscale or a variation was made from, when the list holds it
 * and its prompt is at hand: one hash lookup, never a scan. */
static const char *
parent_prompt (LensTask     *task,
               LensTaskList *list)
{
  const char *image_id = lens_task_get_request_image_id (task);
  LensTask *parent;

  if (list == NULL || image_id == NULL)
    return NULL;
  parent = lens_task_list_lookup_by_image_id (list, image_id);
  if (parent == NULL || parent == task)
    return NULL;
  return lens_task_get_prompt (parent);
}

/**
 * lens_format_task_title:
 * @task: a task
 * @list: (nullable): the list @task is in, where the grid it was made from
 *   may be found
 *
 * The one title of a task, for its row, its page and notifications: its
 * prompt; a describe task's first suggestion; for an upscale or a
 * variation without a prompt, what it did and to which grid ("Upscale 2 of
 * “A cat sitting on a table”" when @list holds the grid and its record,
 * "Upscale 2" otherwise); "Waiting" before the server told of it;
 * otherwise its type in words.
 *
 * Returns: (transfer full): the title
 */
char *
lens_format_task_title (LensTask     *task,
                        LensTaskList *list)
{
  const char * const *descriptions;
  const char *action;

  g_return_val_if_fail (LENS_IS_TASK (task), NULL);

  if (lens_task_get_prompt (task) != NULL)
    return g_strdup (lens_task_get_prompt (task));

  descriptions = lens_task_get_descriptions (task);
  if (descriptions != NULL && descriptions[0] != NULL)
    return g_strdup (descriptions[0]);

  action = lens_task_get_action (task);
  if (is_derived_action (action))
    {
      g_autofree char *term = lens_format_term (action);
      const char *prompt = parent_prompt (task, list);

      if (prompt == NULL)
        return g_steal_pointer (&term);
      /* Translators: a task made from another's image, and that image's
       * prompt: "Upscale 2 of “A cat sitting on a table”". */
      return g_strdup_printf (_("%s of “%s”"), term, prompt);
    }

  switch (lens_task_get_state (task))
    {
    case LENS_TASK_STATE_QUEUED:
    case LENS_TASK_STATE_PENDING:
      return lens_format_task_state (LENS_TASK_STATE_QUEUED, -1);
    case LENS_TASK_STATE_NOT_FOUND:
      return g_strdup (_("Unknown task"));
    default:
      if (lens_task_get_task_type (task) != NULL)
        return lens_format_term (lens_task_get_task_type (task));
      return g_strdup (_("Task"));
    }
}

/**
 * lens_format_json_pretty:
 * @json: (nullable): JSON text
 *
 * Returns: (transfer full) (nullable): @json indented for reading, or NULL
 *   when it is not JSON
 */
char *
lens_format_json_pretty (const char *json)
{
  g_autoptr(JsonNode) node = NULL;

  if (json == NULL)
    return NULL;

  node = json_from_string (json, NULL);
  if (node == NULL)
    return NULL;

  return json_to_string (node, TRUE);
}
