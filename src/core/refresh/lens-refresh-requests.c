/* lens-refresh-requests.c — the refresher's requests to the server, and
 * their answers in turn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the refresher asks goes out in four ways, all through LensClient:
 * what the user asked for, and new tasks, at once, a batch per request;
 * the poll round in chunks that wait and leave as the poll schedule's
 * pacing allows (lens_poll_schedule_next_send()); a single retrieve to
 * confirm a task an answer left out; one batch to learn whether a server
 * that could not be reached is back (a probe). This sends them, counts what is under
 * way, and keeps the answers in a queue that is applied a few milliseconds
 * a turn of the main loop, in the order they came: each is handed to the
 * refresher (LensRefreshRequestsCallbacks.answered), which knows what an
 * answer means. Nothing here reads an answer.
 */

#define G_LOG_DOMAIN "lens-refresh-requests"

#include "config.h"

#include "lens-free-later.h"
#include "lens-refresh-requests.h"
#include "lens-turn-budget.h"

struct _LensRefreshRequests
{
  LensClient                    *client;         /* owned */
  LensTaskList                  *tasks;          /* owned */
  LensPollSchedule              *schedule;       /* borrowed: the refresher's */
  LensRefreshRequestsCallbacks   callbacks;
  gpointer                       user_data;

  GCancellable                  *cancellable;    /* owned: cancelled by lens_refresh_requests_cancel() */
  GQueue                         waiting;        /* of GStrv (owned): poll chunks not sent yet */
  guint                          send_id;
  guint                          n_batches;      /* batches under way, answered ones not applied yet included */
  GQueue                         answers;        /* of LensRefreshAnswer (owned): answered, to apply in turn */
  guint                          apply_id;
};

/* How long one turn of the main loop may spend applying answers. */
#define APPLY_BUDGET_US 4000

/* A batch does not keep the requests alive: cancelling them cancels every
 * batch, and a cancelled batch never touches them. */
typedef struct
{
  LensRefreshRequests *requests;  /* borrowed: valid unless the batch was cancelled */
  GStrv                ids;       /* owned: what this batch asked for */
  LensRequestPriority  priority;
  gboolean             probe;     /* sent by the refresher's probe: is the server back? */
} BatchData;

static void
batch_data_free (BatchData *data)
{
  g_strfreev (data->ids);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatchData, batch_data_free)

static void
answer_free (LensRefreshAnswer *answer)
{
  g_strfreev (answer->ids);
  /* Both were made in the client's workers: freed by a worker too
   * (lens-free-later.c). */
  lens_free_later (g_steal_pointer (&answer->batch), (GDestroyNotify) lens_batch_result_free);
  lens_free_later (g_steal_pointer (&answer->record), (GDestroyNotify) json_node_unref);
  g_clear_error (&answer->error);
  g_free (answer);
}

/**
 * lens_refresh_requests_new:
 * @schedule: the poll schedule, which paces the poll round and is told
 *   what leaves; it must outlive the requests
 * @callbacks: (not nullable): copied
 */
LensRefreshRequests *
lens_refresh_requests_new (LensClient                         *client,
                           LensTaskList                       *tasks,
                           LensPollSchedule                   *schedule,
                           const LensRefreshRequestsCallbacks *callbacks,
                           gpointer                            user_data)
{
  LensRefreshRequests *requests = g_new0 (LensRefreshRequests, 1);

  requests->client = g_object_ref (client);
  requests->tasks = g_object_ref (tasks);
  requests->schedule = schedule;
  requests->callbacks = *callbacks;
  requests->user_data = user_data;
  requests->cancellable = g_cancellable_new ();
  g_queue_init (&requests->waiting);
  g_queue_init (&requests->answers);
  return requests;
}

void
lens_refresh_requests_free (LensRefreshRequests *requests)
{
  if (requests == NULL)
    return;
  lens_refresh_requests_cancel (requests);
  g_clear_object (&requests->cancellable);
  g_clear_object (&requests->tasks);
  g_clear_object (&requests->client);
  g_free (requests);
}

/**
 * lens_refresh_requests_cancel:
 *
 * Cancels every request under way and drops what waits: the poll chunks
 * not sent and the answers not applied yet. Their tasks are not held back:
 * for the end of the refresher.
 */
void
lens_refresh_requests_cancel (LensRefreshRequests *requests)
{
  g_cancellable_cancel (requests->cancellable);
  g_clear_handle_id (&requests->send_id, g_source_remove);
  g_clear_handle_id (&requests->apply_id, g_source_remove);
  g_queue_clear_full (&requests->waiting, (GDestroyNotify) g_strfreev);
  /* Answers not applied yet are dropped with their batches. */
  g_queue_clear_full (&requests->answers, (GDestroyNotify) answer_free);
}

/**
 * lens_refresh_requests_is_busy:
 *
 * Returns: whether a request is under way (or answered and not applied
 *   yet), or a poll chunk waits to leave
 */
gboolean
lens_refresh_requests_is_busy (LensRefreshRequests *requests)
{
  return requests->n_batches > 0 || !g_queue_is_empty (&requests->waiting);
}

/* ─── answers ──────────────────────────────────────────────────────────── */

static gboolean
apply_answers_cb (gpointer user_data)
{
  LensRefreshRequests *requests = user_data;
  gint64 until = lens_turn_budget_until (APPLY_BUDGET_US);
  LensRefreshAnswer *answer;

  while ((answer = g_queue_pop_head (&requests->answers)) != NULL)
    {
      requests->n_batches--;
      requests->callbacks.answered (answer, requests->user_data);
      answer_free (answer);
      if (g_get_monotonic_time () >= until)
        break;
    }

  if (!g_queue_is_empty (&requests->answers))
    return G_SOURCE_CONTINUE;
  requests->apply_id = 0;
  return G_SOURCE_REMOVE;
}

/* With no limit on the server, answers come faster than they can be
 * applied in one turn of the main loop (each is 50 records, their rows
 * redrawn, the history told): they wait in a queue, and each turn applies
 * what fits in a few milliseconds, at idle priority, so that input,
 * drawing and D-Bus calls are never kept waiting behind a burst of them.
 * They are applied in the order they came. Takes @data. */
static void
queue_answer (BatchData         *data,
              LensRefreshAnswer *answer)
{
  LensRefreshRequests *requests = data->requests;

  answer->ids = g_steal_pointer (&data->ids);
  answer->priority = data->priority;
  answer->probe = data->probe;
  batch_data_free (data);

  g_queue_push_tail (&requests->answers, answer);
  if (requests->apply_id != 0)
    return;
  requests->apply_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, apply_answers_cb, requests, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, requests->apply_id),
                            "[lens-refresher] apply answers");
}

static void
batch_done_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BatchData) data = user_data;
  g_autoptr(GError) error = NULL;
  LensRefreshAnswer *answer;
  LensBatchResult *batch;

  batch = lens_client_retrieve_batch_finish (LENS_CLIENT (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&batch, lens_batch_result_free);
      return;
    }

  answer = g_new0 (LensRefreshAnswer, 1);
  answer->batch = batch;
  answer->error = g_steal_pointer (&error);
  queue_answer (g_steal_pointer (&data), answer);
}

/* The answer to one retrieve sent by lens_refresh_requests_confirm(): a
 * record is applied, none means not found, an error is handled as a failed
 * batch of one. */
static void
confirm_done_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BatchData) data = user_data;
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(GError) error = NULL;
  LensRefreshAnswer *answer;

  if (!lens_client_retrieve_finish (LENS_CLIENT (source_object), result, &record, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  answer = g_new0 (LensRefreshAnswer, 1);
  answer->confirm = TRUE;
  answer->record = g_steal_pointer (&record);
  answer->error = g_steal_pointer (&error);
  queue_answer (g_steal_pointer (&data), answer);
}

/* ─── asking ───────────────────────────────────────────────────────────── */

/**
 * lens_refresh_requests_confirm:
 *
 * Asks for @id alone (a batch's answer left it out): its answer comes back
 * with @confirm set.
 */
void
lens_refresh_requests_confirm (LensRefreshRequests *requests,
                               const char          *id,
                               LensRequestPriority  priority)
{
  BatchData *data = g_new0 (BatchData, 1);

  data->requests = requests;
  data->ids = g_new0 (char *, 2);
  data->ids[0] = g_strdup (id);
  data->priority = priority;
  requests->n_batches++;
  lens_client_retrieve_async (requests->client, id, priority, requests->cancellable,
                              confirm_done_cb, data);
  requests->callbacks.changed (requests->user_data);
}

/* Takes @ids. */
static void
send_batch (LensRefreshRequests *requests,
            GStrv                ids,
            LensRequestPriority  priority,
            guint                group,
            gboolean             probe)
{
  BatchData *data = g_new0 (BatchData, 1);

  data->requests = requests;
  data->ids = ids;
  data->priority = priority;
  data->probe = probe;
  requests->n_batches++;
  lens_poll_schedule_sent (requests->schedule, g_get_monotonic_time ());
  lens_client_retrieve_batch_async (requests->client, (const char * const *) data->ids,
                                    data->priority, group, requests->cancellable,
                                    batch_done_cb, data);
  requests->callbacks.changed (requests->user_data);
}

/**
 * lens_refresh_requests_send_probe:
 * @ids: (transfer full): at most one request's worth
 *
 * Sends one batch, at the user's priority, to learn whether the server can
 * be reached: its answer comes back with @probe set.
 */
void
lens_refresh_requests_send_probe (LensRefreshRequests *requests,
                                  GStrv                ids)
{
  send_batch (requests, ids, LENS_REQUEST_PRIORITY_USER, 0, TRUE);
}

static gboolean
pump_cb (gpointer user_data)
{
  LensRefreshRequests *requests = user_data;

  requests->send_id = 0;
  lens_refresh_requests_pump (requests);
  return G_SOURCE_REMOVE;
}

/**
 * lens_refresh_requests_pump:
 *
 * Sends the waiting poll chunks as fast as the schedule allows; call it
 * again when the schedule's pacing changed.
 */
void
lens_refresh_requests_pump (LensRefreshRequests *requests)
{
  g_clear_handle_id (&requests->send_id, g_source_remove);

  while (!g_queue_is_empty (&requests->waiting)
         && !requests->callbacks.is_paused (requests->user_data))
    {
      gint64 now = g_get_monotonic_time ();
      gint64 earliest = lens_poll_schedule_next_send (requests->schedule);

      if (now < earliest)
        {
          requests->send_id = g_timeout_add ((guint) ((earliest - now + 999) / 1000), pump_cb,
                                             requests);
          break;
        }
      send_batch (requests, g_queue_pop_head (&requests->waiting),
                  LENS_REQUEST_PRIORITY_BACKGROUND, 0, FALSE);
    }
  requests->callbacks.changed (requests->user_data);
}

/**
 * lens_refresh_requests_drop_waiting:
 *
 * Poll chunks not sent yet go back: their tasks are due at once when asking
 * starts again.
 */
void
lens_refresh_requests_drop_waiting (LensRefreshRequests *requests)
{
  gint64 now = g_get_monotonic_time ();
  GStrv ids;

  while ((ids = g_queue_pop_head (&requests->waiting)) != NULL)
    {
      for (guint i = 0; ids[i] != NULL; i++)
        if (lens_task_list_lookup (requests->tasks, ids[i]) != NULL)
          lens_poll_schedule_report (requests->schedule, ids[i], LENS_POLL_HELD_BACK, now);
      g_strfreev (ids);
    }
  g_clear_handle_id (&requests->send_id, g_source_remove);
  requests->callbacks.changed (requests->user_data);
}

/* Returns: (transfer full): @ids from @start, at most one request's worth */
static GStrv
cut_chunk (LensRefreshRequests *requests,
           GPtrArray           *ids,
           guint                start)
{
  guint n = MIN (lens_client_get_chunk_size (requests->client), ids->len - start);
  GStrv chunk = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    chunk[i] = g_strdup (g_ptr_array_index (ids, start + i));
  return chunk;
}

/**
 * lens_refresh_requests_queue_round:
 * @ids: (element-type utf8): tasks of the poll round
 *
 * Cuts @ids into chunks of the client's chunk size, which wait their turn
 * (lens_refresh_requests_pump()).
 */
void
lens_refresh_requests_queue_round (LensRefreshRequests *requests,
                                   GPtrArray           *ids)
{
  for (guint start = 0; start < ids->len; start += lens_client_get_chunk_size (requests->client))
    g_queue_push_tail (&requests->waiting, cut_chunk (requests, ids, start));
  lens_refresh_requests_pump (requests);
}

/**
 * lens_refresh_requests_send_at_once:
 * @ids: (element-type utf8): what the user asked for, or new tasks
 * @group: the group of requests (lens_client_new_group()) of the action
 *   that asked
 *
 * What the user asked for goes at once, one batch per request, so that each
 * answer shows as soon as it comes (at the pace the API allows, 10,000
 * pasted ids take a while) rather than all at the end. What one action of
 * the user's asks for is one group (@group), which the API scheduler lets
 * a small one pass (lens-scheduler.c): a refresh, or a few more ids, goes
 * before the rest of a paste.
 */
void
lens_refresh_requests_send_at_once (LensRefreshRequests *requests,
                                    GPtrArray           *ids,
                                    guint                group)
{
  for (guint start = 0; start < ids->len; start += lens_client_get_chunk_size (requests->client))
    send_batch (requests, cut_chunk (requests, ids, start), LENS_REQUEST_PRIORITY_USER, group,
                FALSE);
}
