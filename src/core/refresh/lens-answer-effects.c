/* lens-answer-effects.c — what an answer of the server does to the tasks,
 * their poll schedule and asking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The refresher (lens-refresher.c) sends the requests and hears their
 * answers; this is what an answer then does, with no request, timer or
 * signal of its own. Records go into the list, and each task is reported
 * to the poll schedule (lens-poll-schedule.c): moved, unchanged, finished.
 * What the refresher has to do next comes back to it: the ids whose absence
 * from a batch must be confirmed with a retrieve of their own, and each
 * task the answer finished, for LensRefresher::task-finished. A failed
 * request's tasks go back on the schedule, or fail, by the kind of error,
 * and the error says which pause it calls for, if any; the refresher says
 * so and pauses.
 */

#define G_LOG_DOMAIN "lens-answer-effects"

#include "config.h"

#include "lens-answer-effects.h"
#include "lens-client-error.h"
#include "lens-prepared-record.h"

typedef struct
{
  LensTaskState state;
  int           progress;
} Before;

static gboolean
is_unfinished (LensTaskState state)
{
  return state == LENS_TASK_STATE_PENDING || state == LENS_TASK_STATE_RUNNING;
}

/* Absence from a batch proves nothing about a task the server knew: an
 * answer may leave items out. What had a record (pending, running, done,
 * failed, stalled) is confirmed with a single retrieve; only what was never
 * found is not found by its absence. */
static gboolean
was_found (LensTask *task)
{
  return lens_task_has_record (task)
      && lens_task_get_state (task) != LENS_TASK_STATE_NOT_FOUND;
}

/**
 * lens_answer_effects_apply:
 * @answered_ids: (element-type utf8): the ids whose request was answered
 * @records: (element-type LensPreparedRecord): the records the answer had
 * @confirm: whether an id answered without a record is to be confirmed
 *   (an answer to a batch, not to a retrieve of one id)
 * @now: the monotonic time, in µs
 * @finished_func: called for each task the answer finished, in turn
 *
 * Applies the records of @answered_ids, and reports each task to the
 * schedule. With @confirm, an id answered without a record whose task had
 * been found before is not applied but returned, to be asked for again
 * alone (see was_found()); it stays in flight.
 *
 * @finished_func is called for each task that is done or failed now, while the
 * schedule watched it, right after its state was applied: it may change
 * the list, and the tasks after it are looked up again.
 *
 * Returns: (transfer container) (element-type utf8): the ids of
 *   @answered_ids to confirm, borrowed from it
 */
GPtrArray *
lens_answer_effects_apply (LensTaskList           *tasks,
                           LensPollSchedule       *schedule,
                           GPtrArray              *answered_ids,
                           GPtrArray              *records,
                           gboolean                confirm,
                           gint64                  now,
                           LensAnswerFinishedFunc  finished_func,
                           gpointer                user_data)
{
  g_autoptr(GHashTable) with_record = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) applied = g_ptr_array_new ();   /* of borrowed ids */
  GPtrArray *to_confirm = g_ptr_array_new ();          /* of borrowed ids */
  g_autofree Before *before = NULL;
  char **ids;
  guint n_answered;

  for (guint i = 0; i < records->len; i++)
    g_hash_table_add (with_record,
                      (gpointer) lens_prepared_record_get_id (g_ptr_array_index (records, i)));

  for (guint i = 0; i < answered_ids->len; i++)
    {
      const char *id = g_ptr_array_index (answered_ids, i);
      g_autofree char *lower = g_ascii_strdown (id, -1);
      LensTask *task = lens_task_list_lookup (tasks, id);

      if (confirm && task != NULL && !g_hash_table_contains (with_record, lower)
          && was_found (task))
        g_ptr_array_add (to_confirm, (gpointer) id);
      else
        g_ptr_array_add (applied, (gpointer) id);
    }

  n_answered = applied->len;
  before = g_new0 (Before, MAX (n_answered, 1));
  g_ptr_array_add (applied, NULL);
  ids = (char **) applied->pdata;

  for (guint i = 0; i < n_answered; i++)
    {
      LensTask *task = lens_task_list_lookup (tasks, ids[i]);

      before[i].state = task != NULL ? lens_task_get_state (task) : LENS_TASK_STATE_QUEUED;
      before[i].progress = task != NULL ? lens_task_get_progress (task) : -1;
    }

  lens_task_list_apply_prepared (tasks, (const char * const *) ids, records);

  for (guint i = 0; i < n_answered; i++)
    {
      /* Looked up again each time: a task-finished handler may change the list. */
      LensTask *task = lens_task_list_lookup (tasks, ids[i]);
      LensTaskState state;
      gboolean changed;

      if (task == NULL)
        continue;
      state = lens_task_get_state (task);

      if (!is_unfinished (state))
        {
          g_autoptr(LensTask) finished = g_object_ref (task);

          if (lens_poll_schedule_finished (schedule, lens_task_get_id (task))
              && (state == LENS_TASK_STATE_DONE || state == LENS_TASK_STATE_FAILED))
            finished_func (finished, user_data);
          continue;
        }

      changed = state != before[i].state || lens_task_get_progress (task) != before[i].progress;
      lens_poll_schedule_report (schedule, lens_task_get_id (task),
                                 changed ? LENS_POLL_CHANGED : LENS_POLL_UNCHANGED, now);
    }

  return to_confirm;
}

/**
 * lens_answer_effects_apply_failure:
 * @ids: (array zero-terminated=1): the ids of the request that failed
 * @error: why it failed
 * @pausing: whether @error pauses asking (lens_answer_effects_pause_for())
 * @now: the monotonic time, in µs
 *
 * Tells the schedule, and the tasks, what a failed request means for each
 * task of @ids that is in the list.
 */
void
lens_answer_effects_apply_failure (LensTaskList       *tasks,
                                   LensPollSchedule   *schedule,
                                   const char * const *ids,
                                   const GError       *error,
                                   gboolean            pausing,
                                   gint64              now)
{
  gboolean permanent = lens_client_error_is_permanent (error);

  /* Fatal errors leave the tasks due, for when asking goes on; permanent
   * ones fail the tasks; the others back off one step. */
  for (guint i = 0; ids[i] != NULL; i++)
    {
      LensTask *task = lens_task_list_lookup (tasks, ids[i]);
      const char *id;

      if (task == NULL)
        continue;
      id = lens_task_get_id (task);
      if (permanent)
        {
          /* Asking again would get the same answer, and the same toast,
           * every round: the task fails with the reason, and is asked for
           * again only when the user refreshes it. */
          lens_poll_schedule_finished (schedule, id);
          lens_task_mark_failed (task, error->message);
        }
      else if (lens_task_is_finished (task))
        lens_poll_schedule_finished (schedule, id);
      else
        lens_poll_schedule_report (schedule, id,
                                   pausing ? LENS_POLL_HELD_BACK : LENS_POLL_FAILED,
                                   now);
    }
}

/* A request that found no server at all, after the client's retries: the
 * address is wrong, the server is down, or something between cuts the
 * connection. Every other request would meet it too. */
static gboolean
is_unreachable_error (const GError *error)
{
  return g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_NETWORK);
}

static LensRefresherPause
pause_for_error (const GError *error)
{
  switch (error->code)
    {
    case LENS_CLIENT_ERROR_NO_TOKEN:
      return LENS_REFRESHER_PAUSE_NO_TOKEN;
    case LENS_CLIENT_ERROR_UNAUTHORIZED:
      return LENS_REFRESHER_PAUSE_UNAUTHORIZED;
    case LENS_CLIENT_ERROR_PAYMENT_REQUIRED:
      return LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED;
    case LENS_CLIENT_ERROR_QUOTA_EXHAUSTED:
      return LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED;
    case LENS_CLIENT_ERROR_FORBIDDEN:
      return LENS_REFRESHER_PAUSE_FORBIDDEN;
    default:
      /* WRONG_URL, INVALID_URL, INSECURE_URL: the address needs mending. */
      return LENS_REFRESHER_PAUSE_WRONG_URL;
    }
}

/**
 * lens_answer_effects_pause_for:
 * @error: why a request failed
 *
 * Returns: the pause @error calls for: %LENS_REFRESHER_PAUSE_UNREACHABLE
 *   when no server was found (is_unreachable_error()), the pause of an
 *   error asking again cannot mend (lens_client_error_is_fatal()), or
 *   %LENS_REFRESHER_PAUSE_NONE for one that may pass
 */
LensRefresherPause
lens_answer_effects_pause_for (const GError *error)
{
  if (is_unreachable_error (error))
    return LENS_REFRESHER_PAUSE_UNREACHABLE;
  if (lens_client_error_is_fatal (error))
    return pause_for_error (error);
  return LENS_REFRESHER_PAUSE_NONE;
}

/**
 * lens_answer_effects_server_answered:
 * @error: (nullable): why a request failed; %NULL when it did not
 *
 * Whether the server sent an HTTP answer, whatever it said: it can be
 * reached. (A timeout proves nothing.)
 */
gboolean
lens_answer_effects_server_answered (const GError *error)
{
  return error == NULL
      || (!is_unreachable_error (error)
          && !g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_TIMEOUT)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}
