/* lens-task.h — one Midjourney task as Tasklens knows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "lens-prepared-record.h"

G_BEGIN_DECLS

/**
 * LensTaskState:
 * @LENS_TASK_STATE_QUEUED: added, not asked for yet
 * @LENS_TASK_STATE_PENDING: known to the server, no response yet
 * @LENS_TASK_STATE_RUNNING: working; progress may be known
 * @LENS_TASK_STATE_DONE: finished with a result
 * @LENS_TASK_STATE_FAILED: finished with an error
 * @LENS_TASK_STATE_NOT_FOUND: the server does not know this id
 * @LENS_TASK_STATE_STALLED: still unfinished long after the API's own limit
 *   (about ten minutes) with no progress; no longer polled, until the user
 *   asks again
 *
 * The AceData API has no status field; the state is derived from the record
 * by the rule in tests/data/API.md (see lens_task_update_from_json()).
 */
typedef enum
{
  LENS_TASK_STATE_QUEUED,
  LENS_TASK_STATE_PENDING,
  LENS_TASK_STATE_RUNNING,
  LENS_TASK_STATE_DONE,
  LENS_TASK_STATE_FAILED,
  LENS_TASK_STATE_NOT_FOUND,
  LENS_TASK_STATE_STALLED,
} LensTaskState;

/* The states lens_task_is_finished() says are finished, as a mask of
 * `1 << LensTaskState` (lens_task_list_dup_tasks_in_states()). */
#define LENS_TASK_FINISHED_STATES ((1u << LENS_TASK_STATE_DONE) | (1u << LENS_TASK_STATE_FAILED) \
                                   | (1u << LENS_TASK_STATE_NOT_FOUND) | (1u << LENS_TASK_STATE_STALLED))

/**
 * LensTaskSummary:
 *
 * What a task is without its record: what the list needs to order, filter
 * and poll it. The store keeps these in columns, so that a history of
 * 100,000 tasks loads without parsing a record.
 */
typedef struct
{
  const char    *id;
  LensTaskState  state;
  int            progress;     /* 0–100, or -1 when unknown */
  const char    *task_type;    /* nullable: the API's word, e.g. "imagine" */
  double         created_at;   /* Unix seconds, or -1 when unknown */
  double         finished_at;  /* Unix seconds, or -1 when unknown */
  const char    *local_error;  /* nullable: see lens_task_mark_failed() */
  const char    *saved_path;   /* nullable: see lens_task_get_saved_path() */
  gboolean       has_record;   /* the server has answered with a record for it */
} LensTaskSummary;

#define LENS_TYPE_TASK (lens_task_get_type ())
G_DECLARE_FINAL_TYPE (LensTask, lens_task, LENS, TASK, GObject)

LensTask           *lens_task_new                   (const char *id);
LensTask           *lens_task_new_from_summary      (const LensTaskSummary *summary);
gboolean            lens_task_has_details           (LensTask   *self);
gboolean            lens_task_has_record            (LensTask   *self);

void                lens_task_update_from_json      (LensTask   *self,
                                                     JsonNode   *record);
void                lens_task_apply_prepared_record (LensTask           *self,
                                                     LensPreparedRecord *record);
void                lens_task_mark_not_found        (LensTask   *self);
void                lens_task_mark_queued           (LensTask   *self);
void                lens_task_mark_stalled          (LensTask   *self);
void                lens_task_mark_failed           (LensTask   *self,
                                                     const char *reason);

const char         *lens_task_get_id                (LensTask   *self);
LensTaskState       lens_task_get_state             (LensTask   *self);
gboolean            lens_task_is_finished           (LensTask   *self);
gboolean            lens_task_has_video             (LensTask   *self);
gboolean            lens_task_is_grid               (LensTask   *self);
const char         *lens_task_get_task_type         (LensTask   *self);
int                 lens_task_get_progress          (LensTask   *self);
const char         *lens_task_get_prompt            (LensTask   *self);
const char         *lens_task_get_mode              (LensTask   *self);
const char         *lens_task_get_action            (LensTask   *self);
double              lens_task_get_created_at        (LensTask   *self);
double              lens_task_get_started_at        (LensTask   *self);
double              lens_task_get_finished_at       (LensTask   *self);
double              lens_task_get_duration          (LensTask   *self);
const char         *lens_task_get_image_url         (LensTask   *self);
const char         *lens_task_get_thumbnail_url     (LensTask   *self);
int                 lens_task_get_image_width       (LensTask   *self);
int                 lens_task_get_image_height      (LensTask   *self);
const char         *lens_task_get_raw_image_url     (LensTask   *self);
int                 lens_task_get_raw_image_width   (LensTask   *self);
int                 lens_task_get_raw_image_height  (LensTask   *self);
const char         *lens_task_get_request_image_url (LensTask   *self);
const char * const *lens_task_get_actions           (LensTask   *self);
const char * const *lens_task_get_descriptions      (LensTask   *self);
const char * const *lens_task_get_video_urls        (LensTask   *self);
const char * const *lens_task_get_sub_image_urls    (LensTask   *self);
const char         *lens_task_get_request_image_id  (LensTask   *self);
const char         *lens_task_get_image_id          (LensTask   *self);
const char         *lens_task_get_job_id            (LensTask   *self);
const char         *lens_task_get_video_id          (LensTask   *self);
const char         *lens_task_get_error_code        (LensTask   *self);
const char         *lens_task_get_error_message     (LensTask   *self);
const char         *lens_task_get_local_error       (LensTask   *self);
const char         *lens_task_get_saved_path        (LensTask   *self);
void                lens_task_set_saved_path        (LensTask   *self,
                                                     const char *path);
const char         *lens_task_get_trace_id          (LensTask   *self);
const char         *lens_task_get_raw_json          (LensTask   *self);

const char         *lens_task_state_to_string       (LensTaskState state);

gboolean            lens_strv_equal0                (const char * const *a,
                                                     const char * const *b);

G_END_DECLS
