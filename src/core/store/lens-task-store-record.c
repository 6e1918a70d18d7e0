/* lens-task-store-record.c — a stored task made whole from its record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensTaskStore; see lens-task-store-private.h. The one rule that
 * turns what a row keeps (the last record, and the state Tasklens decided
 * beside it) into a LensTask with all its details. The worker uses it to
 * fill the summary columns (a PUT with a record, the migration to version
 * 5) and the reader to answer lens_task_store_read_records_async(): both
 * must say the same of the same row, so the rule lives once, here. It
 * touches no database.
 */

#define G_LOG_DOMAIN "lens-task-store"

#include "config.h"

#include "lens-id-parser.h"
#include "lens-task-store-private.h"

/* What a row's id must be for a list to hold it: a task id, in lower case
 * (the store keeps them so). A row with another id is a file written behind
 * Tasklens's back, or damage. */
gboolean
lens_task_store_record_is_stored_id (const char *id)
{
  if (id == NULL || !lens_id_is_task_id (id))
    return FALSE;
  /* Checked for every task at every load: no copy made to compare
   * (g_ascii_strdown() was 20 ms of the worker's load of 100,000). */
  for (const char *p = id; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* The states a record does not give, kept beside it: the name of the state
 * (its GEnum nick), or NULL when the record decides. Failed is such a state
 * only when Tasklens decided it, which its reason (@local_error) tells. */
const char *
lens_task_store_record_local_state_name (LensTaskState  state,
                                         const char    *local_error)
{
  if (state == LENS_TASK_STATE_STALLED || state == LENS_TASK_STATE_NOT_FOUND
      || (state == LENS_TASK_STATE_FAILED && local_error != NULL))
    return lens_task_state_to_string (state);
  return NULL;
}

/* After the record: a task that was stalled stays stalled (not polled until
 * the user asks again), one the server did not know stays not found, and
 * one Tasklens gave up on stays failed with its reason, instead of loading
 * as the running (or queued) task its last record describes. */
static void
restore_local_state (LensTask   *task,
                     const char *name,
                     const char *local_error)
{
  if (name == NULL)
    return;
  if (g_strcmp0 (name, lens_task_store_record_local_state_name (LENS_TASK_STATE_NOT_FOUND, NULL)) == 0)
    lens_task_mark_not_found (task);
  else if (g_strcmp0 (name, lens_task_store_record_local_state_name (LENS_TASK_STATE_FAILED, "")) == 0
           && local_error != NULL)
    lens_task_mark_failed (task, local_error);
  else if (g_strcmp0 (name, lens_task_store_record_local_state_name (LENS_TASK_STATE_STALLED, NULL)) == 0
           && !lens_task_is_finished (task))
    lens_task_mark_stalled (task);
  else
    g_message ("Task %s has the unknown stored state “%s”; its record decides",
               lens_task_get_id (task), name);
}

/**
 * lens_task_store_record_to_task:
 * @raw_json: (nullable): the stored record, @length bytes (-1: to its nul)
 * @local_state: (nullable): the stored local_state column
 * @local_error: (nullable): the stored local_error column
 * @parser: a parser to reuse (one per thread)
 *
 * Returns: (transfer full): the task as its record and local state say
 */
LensTask *
lens_task_store_record_to_task (const char *id,
                                const char *raw_json,
                                gssize      length,
                                const char *local_state,
                                const char *local_error,
                                JsonParser *parser)
{
  g_autoptr(LensTask) task = lens_task_new (id);
  g_autoptr(GError) error = NULL;

  /* A task never answered has no record and stays queued. */
  if (raw_json != NULL)
    {
      if (json_parser_load_from_data (parser, raw_json, length, &error))
        lens_task_update_from_json (task, json_parser_get_root (parser));
      else
        g_message ("The stored record of task %s is not JSON (%s); it will be looked up again",
                   id, error->message);
    }
  restore_local_state (task, local_state, local_error);
  return g_steal_pointer (&task);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_time_or_null (sqlite3_stmt *stmt,
                   int           index,
                   double        time)
{
  if (time >= 0)
    sqlite3_bind_double (stmt, index, time);
  else
    sqlite3_bind_null (stmt, index);
}

/**
 * lens_task_store_record_bind_details:
 * @record_task: (nullable): a task made from its record; NULL for none
 * @first: the parameter of task_type; prompt, created_at and finished_at
 *   follow it
 *
 * Binds what the summary columns keep of a record (unknowns as NULL).
 */
void
lens_task_store_record_bind_details (sqlite3_stmt *stmt,
                                     int           first,
                                     LensTask     *record_task)
{
  lens_task_store_record_bind_values (stmt, first,
                                      record_task != NULL ? lens_task_get_task_type (record_task) : NULL,
                                      record_task != NULL ? lens_task_get_prompt (record_task) : NULL,
                                      record_task != NULL ? lens_task_get_created_at (record_task) : -1,
                                      record_task != NULL ? lens_task_get_finished_at (record_task) : -1);
}

/**
 * lens_task_store_record_bind_values:
 * @first: the parameter of task_type; prompt, created_at and finished_at
 *   follow it
 *
 * lens_task_store_record_bind_details() from the values themselves.
 */
void
lens_task_store_record_bind_values (sqlite3_stmt *stmt,
                                    int           first,
                                    const char   *task_type,
                                    const char   *prompt,
                                    double        created_at,
                                    double        finished_at)
{
  bind_text_or_null (stmt, first, task_type);
  bind_text_or_null (stmt, first + 1, prompt);
  bind_time_or_null (stmt, first + 2, created_at);
  bind_time_or_null (stmt, first + 3, finished_at);
}

/**
 * lens_task_store_record_bind_state:
 * @first: the parameter of state; progress follows it
 *
 * Binds the task's effective state (its nick) and its progress (NULL when
 * unknown).
 */
void
lens_task_store_record_bind_state (sqlite3_stmt  *stmt,
                                   int            first,
                                   LensTaskState  state,
                                   int            progress)
{
  sqlite3_bind_text (stmt, first, lens_task_state_to_string (state), -1, SQLITE_STATIC);
  if (progress >= 0)
    sqlite3_bind_int (stmt, first + 1, progress);
  else
    sqlite3_bind_null (stmt, first + 1);
}
