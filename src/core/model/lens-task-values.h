/* lens-task-values.h — what one record says of a task, before it is applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to LensTask (lens-task.c) and the mapping of a record
 * (lens-task-values.c, lens-prepared-record.c): the task's properties, in the order of the arrays
 * that hold them, and those arrays. lens-task.c applies what the mapping
 * gathered, and keeps the same struct as a task's details.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "lens-prepared-record.h"
#include "lens-task.h"

G_BEGIN_DECLS

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_SAVED_PATH,
  PROP_ACTIONS,
  PROP_DESCRIPTIONS,
  PROP_VIDEO_URLS,
  PROP_SUB_IMAGE_URLS,

  /* Integer properties, in the order of LensTask.ints. */
  PROP_PROGRESS,
  PROP_IMAGE_WIDTH,
  PROP_IMAGE_HEIGHT,
  PROP_RAW_IMAGE_WIDTH,
  PROP_RAW_IMAGE_HEIGHT,

  /* Time properties (Unix seconds, or -1 when unknown), in LensTask.times. */
  PROP_CREATED_AT,
  PROP_STARTED_AT,
  PROP_FINISHED_AT,
  PROP_DURATION,

  /* String properties, in the order of LensTask.strings. */
  PROP_TASK_TYPE,
  PROP_PROMPT,
  PROP_MODE,
  PROP_ACTION,
  PROP_IMAGE_URL,
  PROP_RAW_IMAGE_URL,
  PROP_REQUEST_IMAGE_URL,
  PROP_REQUEST_IMAGE_ID,
  PROP_IMAGE_ID,
  PROP_JOB_ID,
  PROP_VIDEO_ID,
  PROP_ERROR_CODE,
  PROP_ERROR_MESSAGE,
  PROP_TRACE_ID,
  PROP_RAW_JSON,

  N_PROPS
};

#define FIRST_INT_PROP    PROP_PROGRESS
#define N_INTS            (PROP_CREATED_AT - PROP_PROGRESS)
#define FIRST_TIME_PROP   PROP_CREATED_AT
#define N_TIMES           (PROP_TASK_TYPE - PROP_CREATED_AT)
#define FIRST_STRING_PROP PROP_TASK_TYPE
#define N_STRINGS         (N_PROPS - PROP_TASK_TYPE)

#define FIRST_STRV_PROP   PROP_ACTIONS
#define N_STRVS           (PROP_PROGRESS - PROP_ACTIONS)

/* Everything a record maps to, gathered before any property is touched;
 * also what a task's details are. The slots of the summary properties
 * (progress, created-at, finished-at, task-type) are only used while
 * gathering: the task keeps those in its summary. */
typedef struct
{
  LensTaskState state;
  int           ints[N_INTS];
  double        times[N_TIMES];
  char         *strings[N_STRINGS];
  GStrv         strvs[N_STRVS];
} LensTaskValues;

#define UNKNOWN_TIME (-1.0)
#define UNKNOWN_INT  (-1)

#define VALUE_INT(values, prop)    ((values)->ints[(prop) - FIRST_INT_PROP])
#define VALUE_TIME(values, prop)   ((values)->times[(prop) - FIRST_TIME_PROP])
#define VALUE_STRING(values, prop) ((values)->strings[(prop) - FIRST_STRING_PROP])
#define VALUE_STRV(values, prop)   ((values)->strvs[(prop) - FIRST_STRV_PROP])

/* A record mapped, with the id it is for: lens-prepared-record.c; applied
 * by lens-task.c, which moves the values out. */
struct _LensPreparedRecord
{
  char           *id;      /* in lower case */
  LensTaskValues  values;
};

void lens_task_values_init       (LensTaskValues *values);
void lens_task_values_clear      (LensTaskValues *values);
void lens_task_values_map_record (JsonObject     *record,
                                  LensTaskValues *values);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LensTaskValues, lens_task_values_clear)

G_END_DECLS
