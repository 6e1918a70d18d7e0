/* lens-task-values.c — what one record says of a task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mapping of one AceData record onto a task's properties, and the state
 * it gives, by the rule of tests/data/API.md. Pure: it reads the record and
 * fills a LensTaskValues; lens-task.c applies it (lens_task_update_from_json()).
 * Kept apart from the task, whose file is about holding and telling its
 * values, because this is all about reading what a server may send.
 */

#define G_LOG_DOMAIN "lens-task"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-json.h"
#include "lens-number.h"
#include "lens-task-values.h"

void
lens_task_values_init (LensTaskValues *values)
{
  memset (values, 0, sizeof *values);
  for (guint i = 0; i < N_INTS; i++)
    values->ints[i] = UNKNOWN_INT;
  for (guint i = 0; i < N_TIMES; i++)
    values->times[i] = UNKNOWN_TIME;
}

void
lens_task_values_clear (LensTaskValues *values)
{
  for (guint i = 0; i < N_STRINGS; i++)
    g_clear_pointer (&values->strings[i], g_free);
  for (guint i = 0; i < N_STRVS; i++)
    g_clear_pointer (&values->strvs[i], g_strfreev);
}

/* Strings from the server are shown to the user: keep them valid UTF-8. */
static char *
dup_text (JsonObject *object,
          const char *member)
{
  const char *text = lens_json_get_string (object, member);

  if (text == NULL || *text == '\0')
    return NULL;
  return g_utf8_make_valid (text, -1);
}

static char *
dup_web_url (JsonObject *object,
             const char *member)
{
  const char *text = lens_json_get_string (object, member);

  return lens_json_is_web_url (text) ? g_strdup (text) : NULL;
}

/* A positive size, sent as a number or as a string; -1 when absent. */
static int
get_size (JsonObject *object,
          const char *member)
{
  gint64 value;

  if (!lens_json_get_int (object, member, &value) || value <= 0 || value > G_MAXINT)
    return UNKNOWN_INT;
  return (int) value;
}

/* A time is kept as seconds but used as microseconds in a gint64 (ages,
 * dates): one that does not fit there (1e300) is no time. */
static double
get_time (JsonObject *object,
          const char *member)
{
  double value;
  gint64 usec;

  if (!lens_json_get_double (object, member, &value) || value <= 0
      || !lens_number_seconds_to_usec (value, &usec))
    return UNKNOWN_TIME;
  return value;
}

static void
map_request (JsonObject     *record,
             LensTaskValues *values)
{
  JsonObject *request = lens_json_get_object (record, "request");

  VALUE_STRING (values, PROP_PROMPT) = dup_text (request, "prompt");
  VALUE_STRING (values, PROP_ACTION) = dup_text (request, "action");
  VALUE_STRING (values, PROP_REQUEST_IMAGE_URL) = dup_web_url (request, "image_url");
  /* An upscale, variation or reroll names the grid it was made from by
   * that grid's image_id. */
  VALUE_STRING (values, PROP_REQUEST_IMAGE_ID) = lens_json_dup_id_string (request, "image_id");

  /* Some records carry the mode at the top level instead. */
  VALUE_STRING (values, PROP_MODE) = dup_text (request, "mode");
  if (VALUE_STRING (values, PROP_MODE) == NULL)
    VALUE_STRING (values, PROP_MODE) = dup_text (record, "mode");
}

static void
map_times (JsonObject     *record,
           LensTaskValues *values)
{
  double created = get_time (record, "created_at");
  double started = get_time (record, "started_at");
  double finished = get_time (record, "finished_at");
  double duration;
  gint64 usec;

  VALUE_TIME (values, PROP_CREATED_AT) = created;
  VALUE_TIME (values, PROP_STARTED_AT) = started;
  VALUE_TIME (values, PROP_FINISHED_AT) = finished;

  /* Older records say duration, newer ones elapsed; either may be null. */
  if (!lens_json_get_double (record, "duration", &duration)
      && !lens_json_get_double (record, "elapsed", &duration))
    {
      double start = started > 0 ? started : created;

      duration = (finished > 0 && start > 0 && finished >= start) ? finished - start : UNKNOWN_TIME;
    }
  if (duration < 0 || !lens_number_seconds_to_usec (duration, &usec))
    duration = UNKNOWN_TIME;
  VALUE_TIME (values, PROP_DURATION) = duration;
}

/* The error may be an object {code, message}, a bare string, or null; it may
 * sit in the response or at the top of the record. Returns whether an error
 * was found. */
static gboolean
map_error (JsonObject     *record,
           JsonObject     *response,
           LensTaskValues *values)
{
  JsonObject *holders[] = { response, record };

  for (guint i = 0; i < G_N_ELEMENTS (holders); i++)
    {
      JsonObject *error_object = lens_json_get_object (holders[i], "error");
      const char *error_text = lens_json_get_string (holders[i], "error");

      if (error_object != NULL)
        {
          VALUE_STRING (values, PROP_ERROR_CODE) = dup_text (error_object, "code");
          VALUE_STRING (values, PROP_ERROR_MESSAGE) = dup_text (error_object, "message");
          return TRUE;
        }
      if (error_text != NULL && *error_text != '\0')
        {
          VALUE_STRING (values, PROP_ERROR_MESSAGE) = g_utf8_make_valid (error_text, -1);
          return TRUE;
        }
    }

  return FALSE;
}

static void
map_response (JsonObject     *record,
              JsonObject     *response,
              LensTaskValues *values)
{
  gint64 progress;

  VALUE_STRING (values, PROP_IMAGE_URL) = dup_web_url (response, "image_url");
  VALUE_STRING (values, PROP_RAW_IMAGE_URL) = dup_web_url (response, "raw_image_url");
  VALUE_INT (values, PROP_IMAGE_WIDTH) = get_size (response, "image_width");
  VALUE_INT (values, PROP_IMAGE_HEIGHT) = get_size (response, "image_height");
  VALUE_INT (values, PROP_RAW_IMAGE_WIDTH) = get_size (response, "raw_image_width");
  VALUE_INT (values, PROP_RAW_IMAGE_HEIGHT) = get_size (response, "raw_image_height");

  VALUE_STRV (values, PROP_ACTIONS) = lens_json_dup_strv (response, "actions", FALSE);
  VALUE_STRV (values, PROP_DESCRIPTIONS) = lens_json_dup_strv (response, "descriptions", FALSE);
  VALUE_STRV (values, PROP_VIDEO_URLS) = lens_json_dup_strv (response, "video_urls", TRUE);
  VALUE_STRV (values, PROP_SUB_IMAGE_URLS) = lens_json_dup_strv (response, "sub_image_urls", TRUE);

  if (lens_json_get_int (response, "progress", &progress))
    VALUE_INT (values, PROP_PROGRESS) = (int) CLAMP (progress, 0, 100);

  VALUE_STRING (values, PROP_IMAGE_ID) = lens_json_dup_id_string (response, "image_id");
  if (VALUE_STRING (values, PROP_IMAGE_ID) == NULL)
    VALUE_STRING (values, PROP_IMAGE_ID) = lens_json_dup_id_string (record, "image_id");
  VALUE_STRING (values, PROP_JOB_ID) = lens_json_dup_id_string (response, "job_id");
  if (VALUE_STRING (values, PROP_JOB_ID) == NULL)
    VALUE_STRING (values, PROP_JOB_ID) = lens_json_dup_id_string (record, "job_id");
  VALUE_STRING (values, PROP_VIDEO_ID) = lens_json_dup_id_string (response, "video_id");
  VALUE_STRING (values, PROP_TRACE_ID) = dup_text (response, "trace_id");
  if (VALUE_STRING (values, PROP_TRACE_ID) == NULL)
    VALUE_STRING (values, PROP_TRACE_ID) = dup_text (record, "trace_id");
}

static gboolean
has_result (LensTaskValues *values)
{
  return VALUE_STRING (values, PROP_RAW_IMAGE_URL) != NULL
      || VALUE_STRV (values, PROP_DESCRIPTIONS) != NULL
      || VALUE_STRV (values, PROP_VIDEO_URLS) != NULL
      || VALUE_STRV (values, PROP_SUB_IMAGE_URLS) != NULL;
}

/* The state rule of API.md, in its order: pending without a response; failed
 * on success == false or an error; done once finished_at is set, or on
 * success with progress 100 and a result; running otherwise. A running task
 * may already say success: true, so that alone never means done. */
static LensTaskState
derive_state (JsonObject     *record,
              LensTaskValues *values)
{
  JsonNode *response_node = json_object_get_member (record, "response");
  JsonObject *response = lens_json_get_object (record, "response");
  gboolean success = FALSE, has_success;
  gboolean has_error = VALUE_STRING (values, PROP_ERROR_CODE) != NULL
                    || VALUE_STRING (values, PROP_ERROR_MESSAGE) != NULL;
  gboolean finished = VALUE_TIME (values, PROP_FINISHED_AT) > 0;

  if (response_node == NULL || JSON_NODE_HOLDS_NULL (response_node))
    {
      /* Not in the table: a task that finished with no response at all has
       * nothing to show and will never get anything, so it counts as failed
       * rather than being polled forever as pending. */
      if (finished)
        {
          if (!has_error)
            VALUE_STRING (values, PROP_ERROR_MESSAGE) = g_strdup (_("The task finished without a result."));
          return LENS_TASK_STATE_FAILED;
        }
      return has_error ? LENS_TASK_STATE_FAILED : LENS_TASK_STATE_PENDING;
    }

  if (response == NULL)
    {
      if (!has_error)
        VALUE_STRING (values, PROP_ERROR_MESSAGE) = g_strdup (_("The server sent a response Tasklens does not understand."));
      return LENS_TASK_STATE_FAILED;
    }

  has_success = lens_json_get_boolean (response, "success", &success);
  if ((has_success && !success) || has_error)
    return LENS_TASK_STATE_FAILED;

  if (finished)
    return LENS_TASK_STATE_DONE;

  if (success && VALUE_INT (values, PROP_PROGRESS) == 100 && has_result (values))
    return LENS_TASK_STATE_DONE;

  /* Not in the table either: describe responses carry only their
   * descriptions, with neither success nor progress. A result that nothing
   * marks as partial (no progress below 100, no success: false) is final. */
  if (!has_success && VALUE_INT (values, PROP_PROGRESS) == UNKNOWN_INT && has_result (values))
    return LENS_TASK_STATE_DONE;

  return LENS_TASK_STATE_RUNNING;
}

/**
 * lens_task_values_map_record:
 * @record: one task record, an object with an id
 * @values: initialised with lens_task_values_init()
 *
 * Gathers everything @record says of its task, and the state it gives.
 */
void
lens_task_values_map_record (JsonObject     *record,
                             LensTaskValues *values)
{
  JsonObject *response = lens_json_get_object (record, "response");

  VALUE_STRING (values, PROP_TASK_TYPE) = dup_text (record, "type");
  map_request (record, values);
  map_times (record, values);
  map_response (record, response, values);
  map_error (record, response, values);
  values->state = derive_state (record, values);

  if (values->state == LENS_TASK_STATE_DONE)
    VALUE_INT (values, PROP_PROGRESS) = 100;
}
