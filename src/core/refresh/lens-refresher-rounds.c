/* lens-refresher-rounds.c — when each task is asked for, and what the
 * answers change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensRefresher; see lens-refresher-private.h. This is the
 * refresher's timing: new tasks go out at once in one batch; pending and
 * running tasks are polled on a schedule counted from their last answer,
 * in rounds cut into chunks that leave one per minimum request interval;
 * answers move each task one step along the schedule, or back to its start,
 * and mark tasks stalled. It is kept apart from the pauses, the signals the
 * refresher follows and the public API: this is the one part that decides
 * timing, and it reads best on its own.
 */

#define G_LOG_DOMAIN "lens-refresher"

#include "config.h"

#include "lens-refresher-private.h"

static void tick (LensRefresher *self);

/* The batch does not keep the refresher alive: disposing the refresher
 * cancels every batch, and a cancelled batch never touches it. */
typedef struct
{
  LensRefresher *self;   /* borrowed: valid unless the batch was cancelled */
  GStrv          ids;    /* owned: what this batch asked for */
} BatchData;

static void
batch_data_free (BatchData *data)
{
  g_strfreev (data->ids);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatchData, batch_data_free)

/* ─── watches and the timer ────────────────────────────────────────────── */

guint
lens_refresher_rounds_schedule_ms (LensRefresher *self,
                                   guint          step)
{
  return g_array_index (self->schedule, guint, MIN (step, self->schedule->len - 1));
}

Watch *
lens_refresher_rounds_ensure_watch (LensRefresher *self,
                                    const char    *id,
                                    gint64         now)
{
  Watch *watch = g_hash_table_lookup (self->watches, id);

  if (watch == NULL)
    {
      watch = g_new0 (Watch, 1);
      watch->due = now;
      watch->last_change = now;
      g_hash_table_insert (self->watches, g_strdup (id), watch);
    }
  return watch;
}

/* Poll chunks not sent yet go back: their tasks are due at once when asking
 * starts again. */
void
lens_refresher_rounds_drop_waiting (LensRefresher *self)
{
  GStrv ids;

  while ((ids = g_queue_pop_head (&self->waiting)) != NULL)
    {
      for (guint i = 0; ids[i] != NULL; i++)
        {
          Watch *watch = g_hash_table_lookup (self->watches, ids[i]);

          if (watch != NULL)
            {
              watch->in_flight = FALSE;
              watch->due = 0;
            }
        }
      g_strfreev (ids);
    }
  g_clear_handle_id (&self->send_id, g_source_remove);
  lens_refresher_update_busy (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  LensRefresher *self = user_data;

  self->tick_id = 0;
  self->tick_is_idle = FALSE;
  tick (self);
  return G_SOURCE_REMOVE;
}

/* Coalesces: however often this is called in one turn of the main loop,
 * one tick follows, so what was queued in that turn goes out together. */
void
lens_refresher_rounds_schedule_tick (LensRefresher *self)
{
  if (self->tick_is_idle)
    return;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_id = g_idle_add (tick_cb, self);
  self->tick_is_idle = TRUE;
}

static void
arm_tick (LensRefresher *self,
          gint64         when)
{
  gint64 delay_ms = MAX (0, (when - g_get_monotonic_time () + 999) / 1000);

  if (self->tick_is_idle)
    return;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_id = g_timeout_add ((guint) MIN (delay_ms, G_MAXUINT), tick_cb, self);
}

/* ─── answers ──────────────────────────────────────────────────────────── */

/* A task still unfinished long after it was created, and unchanged for as
 * long, will not finish: the API gives up on tasks after about ten minutes. */
static gboolean
check_stalled (LensRefresher *self,
               LensTask      *task,
               Watch         *watch,
               gint64         now)
{
  double created_at = lens_task_get_created_at (task);
  gint64 stall_after = (gint64) self->stall_after_s * G_USEC_PER_SEC;

  if (created_at <= 0
      || g_get_real_time () - (gint64) (created_at * G_USEC_PER_SEC) <= stall_after
      || now - watch->last_change <= stall_after)
    return FALSE;

  lens_task_mark_stalled (task);
  return TRUE;
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

typedef struct
{
  LensTaskState state;
  int           progress;
} Before;

static void
apply_answers (LensRefresher   *self,
               LensBatchResult *batch)
{
  guint n_answered = batch->answered_ids->len;
  g_autofree Before *before = g_new0 (Before, MAX (n_answered, 1));
  gint64 now = g_get_monotonic_time ();
  char **ids;

  g_ptr_array_add (batch->answered_ids, NULL);
  ids = (char **) batch->answered_ids->pdata;

  for (guint i = 0; i < n_answered; i++)
    {
      LensTask *task = lens_task_list_lookup (self->tasks, ids[i]);

      before[i].state = task != NULL ? lens_task_get_state (task) : LENS_TASK_STATE_QUEUED;
      before[i].progress = task != NULL ? lens_task_get_progress (task) : -1;
    }

  lens_task_list_apply_records (self->tasks, (const char * const *) ids, batch->records);

  for (guint i = 0; i < n_answered; i++)
    {
      /* Looked up again each time: a task-finished handler may change the list. */
      LensTask *task = lens_task_list_lookup (self->tasks, ids[i]);
      LensTaskState state;
      Watch *watch;

      if (task == NULL)
        continue;
      state = lens_task_get_state (task);

      if (state != LENS_TASK_STATE_PENDING && state != LENS_TASK_STATE_RUNNING)
        {
          g_autoptr(LensTask) finished = g_object_ref (task);
          gboolean was_watched;

          watch = g_hash_table_lookup (self->watches, lens_task_get_id (task));
          was_watched = watch != NULL && watch->seen_unfinished;
          g_hash_table_remove (self->watches, lens_task_get_id (task));
          if (was_watched && (state == LENS_TASK_STATE_DONE || state == LENS_TASK_STATE_FAILED))
            lens_refresher_emit_task_finished (self, finished);
          continue;
        }

      watch = lens_refresher_rounds_ensure_watch (self, lens_task_get_id (task), now);
      watch->seen_unfinished = TRUE;
      if (state != before[i].state || lens_task_get_progress (task) != before[i].progress)
        {
          watch->step = 0;
          watch->last_change = now;
        }
      else if (watch->step + 1 < self->schedule->len)
        {
          watch->step++;
        }
      watch->due = now + (gint64) lens_refresher_rounds_schedule_ms (self, watch->step) * 1000;
      check_stalled (self, task, watch, now);
    }
}

static void
handle_failure (LensRefresher      *self,
                const char * const *ids,
                const GError       *error)
{
  gint64 now = g_get_monotonic_time ();
  gboolean rate_limited = g_error_matches (error, LENS_CLIENT_ERROR,
                                           LENS_CLIENT_ERROR_RATE_LIMITED);

  if (rate_limited)
    {
      self->quiet_until = now + (gint64) self->rate_limit_ms * 1000;
      lens_refresher_set_rate_limited (self, TRUE);
    }
  else if (!lens_client_error_is_fatal (error) && self->pause == LENS_REFRESHER_PAUSE_NONE)
    {
      /* While paused, the banner already says why things fail. */
      lens_refresher_emit_failed (self, error);
    }

  /* Fatal errors leave the tasks due, for when asking resumes; the others
   * back off one step, so that a broken server is not hammered. */
  for (guint i = 0; ids[i] != NULL; i++)
    {
      LensTask *task = lens_task_list_lookup (self->tasks, ids[i]);
      Watch *watch;

      if (task == NULL || lens_task_is_finished (task))
        continue;
      watch = lens_refresher_rounds_ensure_watch (self, lens_task_get_id (task), now);
      if (lens_client_error_is_fatal (error) || rate_limited)
        {
          watch->due = 0;
          continue;
        }
      watch->step = MIN (watch->step + 1, self->schedule->len - 1);
      watch->due = now + (gint64) lens_refresher_rounds_schedule_ms (self, watch->step) * 1000;
    }

  if (lens_client_error_is_fatal (error))
    lens_refresher_set_pause (self, pause_for_error (error), error->message);
}

static void
batch_done_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BatchData) data = user_data;
  LensRefresher *self = data->self;
  g_autoptr(LensBatchResult) batch = NULL;
  g_autoptr(GError) error = NULL;

  batch = lens_client_retrieve_batch_finish (LENS_CLIENT (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->n_batches--;
  for (guint i = 0; data->ids[i] != NULL; i++)
    {
      Watch *watch = g_hash_table_lookup (self->watches, data->ids[i]);

      if (watch != NULL)
        watch->in_flight = FALSE;
    }

  if (batch != NULL)
    {
      if (batch->answered_ids->len > 0
          && !g_error_matches (batch->error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_RATE_LIMITED))
        lens_refresher_set_rate_limited (self, FALSE);
      apply_answers (self, batch);
      if (batch->error != NULL)
        {
          g_ptr_array_add (batch->failed_ids, NULL);
          handle_failure (self, (const char * const *) batch->failed_ids->pdata, batch->error);
        }
    }
  else
    {
      handle_failure (self, (const char * const *) data->ids, error);
    }

  lens_refresher_update_busy (self);
  if (self->pause == LENS_REFRESHER_PAUSE_NONE)
    lens_refresher_rounds_schedule_tick (self);
}

/* ─── asking ───────────────────────────────────────────────────────────── */

/* Takes @ids. */
static void
send_batch (LensRefresher *self,
            GStrv          ids)
{
  BatchData *data = g_new0 (BatchData, 1);

  data->self = self;
  data->ids = ids;
  self->n_batches++;
  self->last_send = g_get_monotonic_time ();
  lens_client_retrieve_batch_async (self->client, (const char * const *) data->ids,
                                    self->cancellable, batch_done_cb, data);
  lens_refresher_update_busy (self);
}

static gboolean
pump_cb (gpointer user_data)
{
  LensRefresher *self = user_data;

  self->send_id = 0;
  lens_refresher_rounds_pump (self);
  return G_SOURCE_REMOVE;
}

/* Sends the waiting poll chunks, each at least the minimum request interval
 * after the one before, and none while rate limited. */
void
lens_refresher_rounds_pump (LensRefresher *self)
{
  g_clear_handle_id (&self->send_id, g_source_remove);

  while (!g_queue_is_empty (&self->waiting) && self->pause == LENS_REFRESHER_PAUSE_NONE)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 earliest = MAX (self->last_send + (gint64) self->min_request_ms * 1000,
                             self->quiet_until);

      if (now < earliest)
        {
          self->send_id = g_timeout_add ((guint) ((earliest - now + 999) / 1000), pump_cb, self);
          break;
        }
      send_batch (self, g_queue_pop_head (&self->waiting));
    }
  lens_refresher_update_busy (self);
}

static void
queue_round (LensRefresher *self,
             GPtrArray     *ids)
{
  guint chunk_size = lens_client_get_chunk_size (self->client);

  for (guint start = 0; start < ids->len; start += chunk_size)
    {
      guint n = MIN (chunk_size, ids->len - start);
      GStrv chunk = g_new0 (char *, n + 1);

      for (guint i = 0; i < n; i++)
        chunk[i] = g_strdup (g_ptr_array_index (ids, start + i));
      g_queue_push_tail (&self->waiting, chunk);
    }
  lens_refresher_rounds_pump (self);
}

/* Decides what goes out now: tasks the user just added or asked for, in one
 * batch; pending and running tasks that are due, as one poll round. Then
 * sleeps until the next task is due. */
static void
tick (LensRefresher *self)
{
  GListModel *model = G_LIST_MODEL (self->tasks);
  guint n_items = g_list_model_get_n_items (model);
  g_autoptr(GStrvBuilder) fresh = g_strv_builder_new ();
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) near = g_ptr_array_new_with_free_func (g_free);
  gint64 now = g_get_monotonic_time ();
  gint64 slack = (gint64) lens_refresher_rounds_schedule_ms (self, 0) * 1000 / 2;
  gint64 next = G_MAXINT64;
  guint n_fresh = 0;

  if (self->pause != LENS_REFRESHER_PAUSE_NONE)
    return;
  if (now < self->quiet_until)
    {
      arm_tick (self, self->quiet_until);
      return;
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (model, i);
      const char *id = lens_task_get_id (task);
      LensTaskState state = lens_task_get_state (task);
      gboolean unfinished = state == LENS_TASK_STATE_PENDING || state == LENS_TASK_STATE_RUNNING;
      Watch *watch = g_hash_table_lookup (self->watches, id);

      if (watch != NULL && watch->in_flight)
        continue;

      if ((state == LENS_TASK_STATE_QUEUED && (watch == NULL || watch->due <= now))
          || (watch != NULL && watch->urgent))
        {
          watch = lens_refresher_rounds_ensure_watch (self, id, now);
          watch->in_flight = TRUE;
          watch->urgent = FALSE;
          watch->seen_unfinished |= unfinished;
          g_strv_builder_add (fresh, id);
          n_fresh++;
          continue;
        }

      if (state == LENS_TASK_STATE_QUEUED)
        next = MIN (next, watch->due);
      if (!unfinished || !self->polling_enabled)
        continue;

      /* Unfinished tasks not seen before (restored from the history) are
       * due at once. */
      watch = lens_refresher_rounds_ensure_watch (self, id, now);
      watch->seen_unfinished = TRUE;
      if (watch->due <= now)
        g_ptr_array_add (due, g_strdup (id));
      else if (watch->due <= now + slack)
        g_ptr_array_add (near, g_strdup (id));
      else
        next = MIN (next, watch->due);
    }

  if (n_fresh > 0)
    send_batch (self, g_strv_builder_end (fresh));

  /* Tasks almost due join a round that goes out anyway, so that tasks added
   * at different times end up asked for together. */
  if (due->len > 0)
    g_ptr_array_extend_and_steal (due, g_steal_pointer (&near));
  else
    for (guint i = 0; i < near->len; i++)
      next = MIN (next, ((Watch *) g_hash_table_lookup (self->watches,
                                                        g_ptr_array_index (near, i)))->due);

  for (guint i = 0; i < due->len; i++)
    ((Watch *) g_hash_table_lookup (self->watches, g_ptr_array_index (due, i)))->in_flight = TRUE;
  if (due->len > 0)
    queue_round (self, due);

  if (next != G_MAXINT64)
    arm_tick (self, next);
}
