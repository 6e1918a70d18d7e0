/* lens-history.c — keeps the store in step with the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history watches the list: its items (items-changed) and the records
 * and states of its tasks (task-changed, one signal for all of them), and
 * hands what is to be written to its queue (lens-history-queue.c: the
 * puts, each once however often its task changed, and the saved paths)
 * and its removals (lens-history-removals.c: a removed task is deleted
 * from the store only after the undo delay; if it comes back before,
 * nothing is deleted, nor written). It writes in an idle, so that
 * everything changed in one main-loop turn — a whole batch of records from
 * the refresher — is one write and one transaction, and never starts a
 * write while one is in flight. Nothing is kept per task but what is to
 * be written; the order key lives in the task.
 *
 * Positions only need to be in order, not dense: appends take the last
 * position + 1, removals leave a gap, a task put back (undo) takes its old
 * position when that still fits between its neighbours, and only when no
 * number fits is the whole list renumbered. A load closes the gaps again.
 *
 * A write takes at most DELETE_CHUNK deletions due, then at most
 * WRITE_CHUNK puts: the changes of 100,000 pasted or removed tasks are
 * built, and freed again once written, a few milliseconds a turn of the
 * main loop, not in one turn of a tenth of a second. A task undone between
 * two chunks of deletions is back in time if its deletion was not taken
 * yet (its row is intact), else it is put again as a new row; its parked
 * put waits for the deletion's commit either way (lens-history-queue.c).
 * A write that leaves deletions due completes no sync: a sync waits for
 * the last of them.
 *
 * Writes are numbered as they start; each change marked is numbered too
 * (by the queue). lens_history_sync_async() waits for the write that holds
 * everything changed before it was called: one started after the call
 * when changes are pending, else the one in flight, and one that left in
 * the queue nothing marked before the call. Writes never overlap and the
 * store applies them in order, so once that write is committed, so is
 * every change before it. When nothing is left to write nor in flight —
 * what a sync waited for was all parked, its tasks removed — every sync is
 * done.
 */

#define G_LOG_DOMAIN "lens-history"

#include "config.h"

#include <string.h>

#include "lens-history.h"
#include "lens-history-queue.h"
#include "lens-history-removals.h"
#include "lens-task-private.h"

#define RETRY_SECONDS      5
/* Removals due this close together are deleted in one write. */
#define DELETE_SLACK_US    (100 * 1000)
/* Removed tasks made due for deletion in one main-loop turn: each is
 * looked up by id, about 0.1 µs (bench-remove). */
#define DUE_PER_TURN       10000
/* Puts taken by one write: building and freeing each change costs about a
 * microsecond on the main thread (bench-paste's 100,000 ids). */
#define WRITE_CHUNK        2000
/* Deletions taken by one write: about 0.15 µs each; all of 100,000 at
 * once were turns of 13 to 19 ms (bench-remove). */
#define DELETE_CHUNK       5000
#define NO_POSITION        G_MININT64

struct _LensHistory
{
  GObject        parent_instance;

  LensTaskStore *store;             /* owned */
  LensTaskList  *tasks;             /* owned */
  GCancellable  *cancellable;       /* owned */
  gulong         items_changed_id;
  gulong         record_changed_id;
  gulong         state_changed_id;

  /* Only what is to be written is kept per task: with 100,000 tasks, a
   * table entry for each would cost more than the tasks themselves. The
   * order key of each task is in the task (_lens_task_get_position()). */
  GPtrArray     *mirror;            /* of LensTask (owned): the list as last seen */
  LensHistoryQueue    *queue;       /* owned: puts and saved paths to write */
  LensHistoryRemovals *removals;    /* owned: out of the list, deleted once undo is too late */

  LensHistoryWrite *in_flight;      /* owned, nullable: the write the store is doing */
  guint64        n_writes;          /* how many writes were started: the last one's number */
  GQueue         waiters;           /* of Waiter (owned), by target: lens_history_sync_async() */
  GError        *last_failure;      /* owned, nullable: the failure last told about */
  guint          undo_delay_ms;
  guint          write_source_id;
  guint          delete_source_id;
  guint          retry_source_id;
};

G_DEFINE_FINAL_TYPE (LensHistory, lens_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TASKS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_WRITE_FAILED,
  SIGNAL_WRITTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static LensTask *
mirror_task (LensHistory *self,
             guint        index)
{
  return g_ptr_array_index (self->mirror, index);
}

static gboolean
has_pending (LensHistory *self)
{
  return lens_history_queue_has_changes (self->queue)
      || lens_history_removals_has_deletes (self->removals);
}

/* ─── waiting for writes ───────────────────────────────────────────────── */

/* One lens_history_sync_async() call. */
typedef struct
{
  GTask   *task;           /* owned */
  guint64  first_write;    /* the first write that can hold what it waits for */
  guint64  last_marked;    /* the number of the last change marked before the call */
  GSource *cancel_source;  /* owned, nullable */
} Waiter;

static void
waiter_return (Waiter *waiter,
               GError *error)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  if (error != NULL)
    g_task_return_error (waiter->task, error);
  else
    g_task_return_boolean (waiter->task, TRUE);
  g_object_unref (waiter->task);
  g_free (waiter);
}

/* Write @number, which left nothing numbered up to @covers to write, went
 * through: the waiters for what it holds are done. Or it failed with
 * @error: so did every waiter that could have been waiting for it. Every
 * waiter is looked at: a task removed while a write is in flight can make
 * a later call's first write an earlier one. */
static void
wake_waiters (LensHistory  *self,
              guint64       number,
              guint64       covers,
              const GError *error)
{
  GList *link = self->waiters.head;

  while (link != NULL)
    {
      GList *next = link->next;
      Waiter *waiter = link->data;

      if (waiter->first_write <= number && (error != NULL || waiter->last_marked <= covers))
        {
          g_queue_delete_link (&self->waiters, link);
          waiter_return (waiter, error != NULL ? g_error_copy (error) : NULL);
        }
      link = next;
    }
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  LensHistory *self = g_task_get_source_object (waiter->task);

  g_queue_remove (&self->waiters, waiter);
  waiter_return (waiter, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                              "Operation was cancelled"));
  return G_SOURCE_REMOVE;
}

/* ─── writing ──────────────────────────────────────────────────────────── */

static gboolean write_pending_cb (gpointer user_data);

static void
schedule_write (LensHistory *self)
{
  if (self->write_source_id != 0 || self->in_flight != NULL || !has_pending (self))
    return;
  self->write_source_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, write_pending_cb, self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->write_source_id),
                            "[lens-history] write");
}

/* What is pending, as the next write (numbered by the caller): at most
 * @max_deletes deletions due, then what the queue gives a write (at most
 * @max_puts puts). With @all_removals, removals still inside the undo
 * delay are deleted too. */
static LensHistoryWrite *
take_changes (LensHistory *self,
              gboolean     all_removals,
              guint        max_deletes,
              guint        max_puts)
{
  LensHistoryWrite *write = lens_history_write_new ();
  GPtrArray *deletions;
  gboolean replaced;

  if (all_removals)
    {
      lens_history_removals_make_due (self->removals, self->tasks, G_MAXINT64, G_MAXUINT);
      lens_history_queue_drop_parked (self->queue);
    }
  /* The puts first, so that the queue sees as gone only tasks whose
   * deletion went through; the deletions go first in the write all the
   * same, before a put of another task with the same id. */
  lens_history_queue_take (self->queue, write, max_puts);
  deletions = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  write->gone = lens_history_removals_take_deletes (self->removals, self->tasks, deletions, max_deletes,
                                                    &replaced);
  /* Their ids came back: their parked puts will never be written. */
  if (replaced)
    lens_history_queue_drop_parked (self->queue);
  g_ptr_array_extend_and_steal (deletions, g_steal_pointer (&write->changes));
  write->changes = deletions;
  /* Deletions left for the next write: the deletions due were changes
   * before any sync waiting now, and this write does not hold them all. */
  write->partial = lens_history_removals_has_deletes (self->removals);
  return write;
}

static gboolean
retry_cb (gpointer user_data)
{
  LensHistory *self = user_data;

  self->retry_source_id = 0;
  schedule_write (self);
  return G_SOURCE_REMOVE;
}

/* With nothing left to write and no write in flight, what was marked is
 * written, parked or dropped: every waiter is done. */
static void
wake_waiters_if_idle (LensHistory *self)
{
  if (self->in_flight == NULL && !has_pending (self))
    wake_waiters (self, G_MAXUINT64, lens_history_queue_n_marked (self->queue), NULL);
}

/* @write went through, or failed with @error. */
static void
written (LensHistory      *self,
         LensHistoryWrite *write,
         GError           *error)
{
  if (error == NULL)
    {
      g_clear_error (&self->last_failure);
      g_clear_handle_id (&self->retry_source_id, g_source_remove);
      lens_history_queue_drop_parked_of (self->queue, write->gone);
      g_signal_emit (self, signals[SIGNAL_WRITTEN], 0, write->changes->len);
      /* A flush (shutdown) while a write is in flight: a sync may wait for
       * that write too, which has not answered; it wakes them. */
      if (!write->partial && self->in_flight == NULL)
        wake_waiters (self, write->number, write->covers, NULL);
      wake_waiters_if_idle (self);
      return;
    }

  lens_history_removals_restore (self->removals, write->gone);
  lens_history_queue_restore (self->queue, write, self->tasks);
  /* Those waiting are told now, not after the retry: what they wait for
   * is not written, and they must not say otherwise. Those waiting for a
   * later write are done if it has nothing to hold: what failed was all
   * parked, its tasks removed meanwhile. */
  wake_waiters (self, write->number, write->covers, error);
  wake_waiters_if_idle (self);
  if (self->retry_source_id == 0)
    self->retry_source_id = g_timeout_add_seconds (RETRY_SECONDS, retry_cb, self);

  /* A full disk fails every write the same way: say it once. */
  if (self->last_failure != NULL
      && g_error_matches (error, self->last_failure->domain, self->last_failure->code)
      && g_strcmp0 (error->message, self->last_failure->message) == 0)
    return;
  g_clear_error (&self->last_failure);
  self->last_failure = g_error_copy (error);
  g_signal_emit (self, signals[SIGNAL_WRITE_FAILED], 0, error);
}

static void
write_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LensHistory) self = user_data;
  g_autoptr(LensHistoryWrite) write = g_steal_pointer (&self->in_flight);
  g_autoptr(GError) error = NULL;

  if (!lens_task_store_write_finish (LENS_TASK_STORE (source_object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  written (self, write, error);
  /* After a failure, the next change or the retry writes again, not this. */
  if (error == NULL)
    schedule_write (self);
}

static gboolean
write_pending_cb (gpointer user_data)
{
  LensHistory *self = user_data;

  self->write_source_id = 0;
  self->in_flight = take_changes (self, FALSE, DELETE_CHUNK, WRITE_CHUNK);
  self->in_flight->number = ++self->n_writes;
  lens_task_store_write_async (self->store, self->in_flight->changes, self->cancellable,
                               write_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* ─── removals ─────────────────────────────────────────────────────────── */

static gboolean deletions_due_cb (gpointer user_data);

static void
schedule_deletions (LensHistory *self)
{
  gint64 first;

  if (self->delete_source_id != 0)
    return;
  first = lens_history_removals_next_due (self->removals);
  if (first == G_MAXINT64)
    return;

  self->delete_source_id =
    g_timeout_add (MAX (0, first - g_get_monotonic_time () + 999) / 1000, deletions_due_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->delete_source_id),
                            "[lens-history] deletions due");
}

/* The undo delay of some removals passed: their tasks are made due a slice
 * a turn (100,000 removed at once are ten turns), and each write deletes
 * what is due by then. */
static gboolean
deletions_due_cb (gpointer user_data)
{
  LensHistory *self = user_data;
  gboolean more;

  self->delete_source_id = 0;
  more = lens_history_removals_make_due (self->removals, self->tasks,
                                         g_get_monotonic_time () + DELETE_SLACK_US, DUE_PER_TURN);
  lens_history_queue_drop_parked (self->queue);
  schedule_write (self);
  if (more)
    {
      self->delete_source_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, deletions_due_cb, self, NULL);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->delete_source_id),
                                "[lens-history] deletions due");
    }
  else
    schedule_deletions (self);
  return G_SOURCE_REMOVE;
}

/* @task came into the list: back within the undo delay, its row is as it
 * was, and only what was pending for it is put (parked when it left);
 * else it is new to the store, and its row is put with what it knows. */
static void
take_in (LensHistory *self,
         LensTask    *task)
{
  guint64 number;

  /* Back in the queue, its put is not in the write in flight (a parked put
   * was in none): that write no longer covers its number. */
  if (lens_history_queue_take_back (self->queue, task, &number) && self->in_flight != NULL)
    self->in_flight->covers = MIN (self->in_flight->covers, number - 1);
  if (lens_history_removals_take_back (self->removals, task))
    return;
  lens_history_queue_put_new (self->queue, task);
}

/* ─── following the list ───────────────────────────────────────────────── */

static void
renumber (LensHistory *self)
{
  for (guint i = 0; i < self->mirror->len; i++)
    {
      LensTask *task = mirror_task (self, i);

      if (_lens_task_get_position (task) != i)
        {
          _lens_task_set_position (task, i);
          lens_history_queue_mark (self->queue, task);
        }
    }
}

/* Gives the @n_added tasks inserted at @first positions between those of
 * their neighbours. */
static void
place (LensHistory *self,
       guint        first,
       guint        n_added)
{
  guint end = first + n_added;
  gint64 low = first > 0 ? _lens_task_get_position (mirror_task (self, first - 1)) : NO_POSITION;
  gint64 high = end < self->mirror->len ? _lens_task_get_position (mirror_task (self, end)) : G_MAXINT64;

  for (guint i = first; i < end; i++)
    {
      LensTask *task = mirror_task (self, i);
      gint64 position = _lens_task_get_position (task);

      if (position != NO_POSITION && low < position && position < high)
        ; /* put back where it was: its row still says so */
      else if (high == G_MAXINT64)
        position = low == NO_POSITION ? 0 : low + 1;
      else if (low == NO_POSITION)
        position = high - (gint64) (end - i);
      else if (high - low > (gint64) (end - i))
        /* Spread evenly, so that each of the rest still finds a number:
         * a run inserted at once (a page of a sync at the top) is not a
         * renumbering of the whole list. */
        position = low + (high - low) / (gint64) (end - i + 1);
      else
        {
          renumber (self);
          return;
        }
      /* A new task is written anyway; one that only moved is written
       * when its number changes. */
      if (position != _lens_task_get_position (task))
        {
          _lens_task_set_position (task, position);
          lens_history_queue_mark (self->queue, task);
        }
      low = position;
    }
}

/* Replaces @n_removed tasks of the mirror at @position by @n_added of the
 * list's, in one move of the tail. Returns the tasks taken out, with the
 * mirror's references. */
static GPtrArray *
mirror_splice (LensHistory *self,
               guint        position,
               guint        n_removed,
               guint        n_added)
{
  GPtrArray *removed;
  guint old_len;

  if (n_removed > 0 && n_removed == self->mirror->len)
    {
      /* All of it (Ctrl+A, Delete): the array itself is what left. */
      removed = g_steal_pointer (&self->mirror);
      self->mirror = g_ptr_array_new_full (n_added, g_object_unref);
    }
  else
    {
      removed = g_ptr_array_new_full (n_removed, g_object_unref);
      if (n_removed > 0)
        {
          g_ptr_array_set_size (removed, n_removed);
          memcpy (removed->pdata, &self->mirror->pdata[position], n_removed * sizeof (gpointer));
          /* Their references moved to @removed: only the pointers go. */
          g_ptr_array_set_free_func (self->mirror, NULL);
          g_ptr_array_remove_range (self->mirror, position, n_removed);
          g_ptr_array_set_free_func (self->mirror, g_object_unref);
        }
    }

  if (n_added == 0)
    return removed;
  old_len = self->mirror->len;
  g_ptr_array_set_size (self->mirror, old_len + n_added);
  memmove (&self->mirror->pdata[position + n_added], &self->mirror->pdata[position],
           (old_len - position) * sizeof (gpointer));
  for (guint i = 0; i < n_added; i++)
    self->mirror->pdata[position + i] = g_object_ref (lens_task_list_peek (self->tasks, position + i));
  return removed;
}

/* Whether @task, put in by a change, was in the mirror before it: taken
 * out and put in by the same change, it only moved. Everything that
 * leaves the mirror is marked as removed (lens-history-removals.c) until
 * it comes back, and everything in it has a position. */
static gboolean
was_in_mirror (LensTask *task)
{
  return _lens_task_get_removal (task, NULL) == LENS_TASK_REMOVAL_NONE
      && _lens_task_get_position (task) != NO_POSITION;
}

/* Keeps of @tasks, taken out of the mirror, those the list let go of: the
 * others are in it still, and only moved. */
static void
keep_only_let_go (GPtrArray *tasks)
{
  guint kept = 0;

  for (guint i = 0; i < tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (tasks, i);

      if (_lens_task_get_observer (task) == NULL)
        tasks->pdata[kept++] = task;
      else
        g_object_unref (task);
    }
  g_ptr_array_set_free_func (tasks, NULL);
  g_ptr_array_set_size (tasks, kept);
  g_ptr_array_set_free_func (tasks, g_object_unref);
}

/* A change may take out and put in the same tasks: the list says many
 * scattered removals as one change of the stretch they span
 * (lens-task-list-removal.c). A task on both sides only moved: it is
 * neither deleted nor written again, unless its place needs a new number.
 * Removing or putting back 100,000 tasks is one such change: nothing here
 * looks a task up in a table then. */
static void
items_changed_cb (GListModel  *model,
                  guint        position,
                  guint        n_removed,
                  guint        n_added,
                  LensHistory *self)
{
  gint64 delete_at = g_get_monotonic_time () + (gint64) self->undo_delay_ms * 1000;
  g_autoptr(GPtrArray) leaving = NULL;

  leaving = mirror_splice (self, position, n_removed, n_added);
  for (guint i = 0; i < n_added; i++)
    {
      LensTask *task = mirror_task (self, position + i);

      if (n_removed == 0 || !was_in_mirror (task))
        take_in (self, task);
    }
  /* Only a change that also puts tasks in can have moved some. */
  if (n_added > 0)
    keep_only_let_go (leaving);
  if (leaving->len > 0)
    {
      lens_history_removals_add (self->removals, g_steal_pointer (&leaving), delete_at);
      schedule_deletions (self);
    }
  if (n_added > 0)
    place (self, position, n_added);
  schedule_write (self);
  /* What a sync waits for may all have been parked just now. */
  wake_waiters_if_idle (self);
}

/* A new record is an answer; so is not found, which has none. The other
 * states a record does not give (stalled, queued again) are written too,
 * but are not answers. */
static void
task_changed_cb (LensTaskList *list,
                 LensTask     *task,
                 GParamSpec   *pspec,
                 LensHistory  *self)
{
  gboolean record = g_str_equal (g_param_spec_get_name (pspec), "raw-json");

  if (record)
    lens_history_queue_set_record (self->queue, task, lens_task_get_raw_json (task));
  if (record || lens_task_get_state (task) == LENS_TASK_STATE_NOT_FOUND)
    lens_history_queue_set_checked_at (self->queue, task, now_seconds ());
  else
    lens_history_queue_mark (self->queue, task);
  schedule_write (self);
}

/* ─── the object ───────────────────────────────────────────────────────── */

static void
lens_history_constructed (GObject *object)
{
  LensHistory *self = LENS_HISTORY (object);
  GListModel *model = G_LIST_MODEL (self->tasks);
  guint n_items = g_list_model_get_n_items (model);

  G_OBJECT_CLASS (lens_history_parent_class)->constructed (object);

  /* What the list holds now was loaded from the store: stored, in order. */
  g_ptr_array_set_size (self->mirror, 0);
  for (guint i = 0; i < n_items; i++)
    {
      LensTask *task = g_list_model_get_item (model, i);

      _lens_task_set_position (task, i);
      g_ptr_array_add (self->mirror, task);
    }

  self->items_changed_id = g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
  self->record_changed_id = g_signal_connect (self->tasks, "task-changed::raw-json",
                                              G_CALLBACK (task_changed_cb), self);
  self->state_changed_id = g_signal_connect (self->tasks, "task-changed::state",
                                             G_CALLBACK (task_changed_cb), self);
}

static void
lens_history_dispose (GObject *object)
{
  LensHistory *self = LENS_HISTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->write_source_id, g_source_remove);
  g_clear_handle_id (&self->delete_source_id, g_source_remove);
  g_clear_handle_id (&self->retry_source_id, g_source_remove);
  /* Nothing more will be written for those still waiting. */
  while (!g_queue_is_empty (&self->waiters))
    waiter_return (g_queue_pop_head (&self->waiters),
                   g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled"));
  if (self->tasks != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->tasks);
      g_clear_signal_handler (&self->record_changed_id, self->tasks);
      g_clear_signal_handler (&self->state_changed_id, self->tasks);
    }

  /* The mirror and what is pending hold references to the tasks: drop
   * them all now. */
  g_ptr_array_set_size (self->mirror, 0);
  g_clear_pointer (&self->queue, lens_history_queue_free);
  self->queue = lens_history_queue_new ();
  g_clear_pointer (&self->removals, lens_history_removals_free);
  self->removals = lens_history_removals_new ();

  g_clear_object (&self->store);
  g_clear_object (&self->tasks);

  G_OBJECT_CLASS (lens_history_parent_class)->dispose (object);
}

static void
lens_history_finalize (GObject *object)
{
  LensHistory *self = LENS_HISTORY (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->mirror, g_ptr_array_unref);
  g_clear_pointer (&self->queue, lens_history_queue_free);
  g_clear_pointer (&self->removals, lens_history_removals_free);
  g_clear_pointer (&self->in_flight, lens_history_write_free);
  g_clear_error (&self->last_failure);

  G_OBJECT_CLASS (lens_history_parent_class)->finalize (object);
}

static void
lens_history_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LensHistory *self = LENS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TASKS:
      g_value_set_object (value, self->tasks);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_history_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LensHistory *self = LENS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_TASKS:
      self->tasks = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_history_class_init (LensHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lens_history_constructed;
  object_class->dispose = lens_history_dispose;
  object_class->finalize = lens_history_finalize;
  object_class->get_property = lens_history_get_property;
  object_class->set_property = lens_history_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LENS_TYPE_TASK_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TASKS] =
    g_param_spec_object ("tasks", NULL, NULL, LENS_TYPE_TASK_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_WRITE_FAILED] =
    g_signal_new ("write-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_WRITTEN] =
    g_signal_new ("written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
lens_history_init (LensHistory *self)
{
  self->cancellable = g_cancellable_new ();
  self->undo_delay_ms = LENS_HISTORY_DEFAULT_UNDO_MS;
  self->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  self->removals = lens_history_removals_new ();
  self->queue = lens_history_queue_new ();
  g_queue_init (&self->waiters);
}

/**
 * lens_history_new:
 * @store: where to write
 * @tasks: the list to follow; what it holds now is taken as already stored
 *   (see the top of lens-history.h)
 */
LensHistory *
lens_history_new (LensTaskStore *store,
                  LensTaskList  *tasks)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (store), NULL);
  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), NULL);

  return g_object_new (LENS_TYPE_HISTORY, "store", store, "tasks", tasks, NULL);
}

/* For removals from now on; tests make it short. */
void
lens_history_set_undo_delay (LensHistory *self,
                             guint        milliseconds)
{
  g_return_if_fail (LENS_IS_HISTORY (self));
  self->undo_delay_ms = milliseconds;
}

/**
 * lens_history_set_saved_path:
 * @path: (nullable): where the original of task @id was saved
 */
void
lens_history_set_saved_path (LensHistory *self,
                             const char  *id,
                             const char  *path)
{
  LensTask *task;

  g_return_if_fail (LENS_IS_HISTORY (self));
  g_return_if_fail (id != NULL);

  /* The task shows it at once (its row's badge); the store follows. */
  if ((task = lens_task_list_lookup (self->tasks, id)) != NULL)
    lens_task_set_saved_path (task, path);
  lens_history_queue_set_saved_path (self->queue, task, id, path);
  schedule_write (self);
}

/**
 * lens_history_flush:
 *
 * Writes everything pending now and waits for it, removals still inside the
 * undo delay included: for shutdown. A failure is reported through
 * "write-failed" and the changes stay pending.
 */
void
lens_history_flush (LensHistory *self)
{
  g_autoptr(LensHistoryWrite) write = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LENS_IS_HISTORY (self));

  g_clear_handle_id (&self->write_source_id, g_source_remove);
  g_clear_handle_id (&self->delete_source_id, g_source_remove);

  write = take_changes (self, TRUE, G_MAXUINT, G_MAXUINT);
  if (write->changes->len == 0)
    {
      /* What it took may all have been let go (puts of removed tasks). */
      wake_waiters_if_idle (self);
      return;
    }

  write->number = ++self->n_writes;
  lens_task_store_write_sync (self->store, write->changes, &error);
  written (self, write, error);
}

/**
 * lens_history_sync_async:
 * @cancellable: (nullable): stops waiting (the write goes on)
 *
 * Waits until every change made to the list before this call is committed
 * to the store: new tasks, records, states, saved paths (not removals still
 * inside the undo delay, which are not changes yet). Finishes at once when
 * nothing is pending or in flight. Fails with the store's error when the
 * write that holds those changes fails; they stay pending and are tried
 * again, as for any write.
 */
void
lens_history_sync_async (LensHistory         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Waiter *waiter;

  g_return_if_fail (LENS_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_history_sync_async);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!has_pending (self) && self->in_flight == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_steal_pointer (&task);
  /* Pending changes go into writes not started yet; else the one in
   * flight holds them. */
  waiter->first_write = self->n_writes + (has_pending (self) ? 1 : 0);
  waiter->last_marked = lens_history_queue_n_marked (self->queue);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb), waiter, NULL);
      g_source_set_static_name (waiter->cancel_source, "[lens-history] sync cancelled");
      g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
    }
  g_queue_push_tail (&self->waiters, waiter);
}

/**
 * lens_history_sync_finish:
 *
 * Returns: %TRUE once everything changed before the call is in the store
 */
gboolean
lens_history_sync_finish (LensHistory   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (LENS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_history_sync_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
