/* lens-history.c — keeps the store in step with the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history watches the list: its items (items-changed) and the records
 * and states of its tasks (task-changed, one signal for all of them), and
 * remembers what is to be written:
 * which tasks to put, which to delete, which saved paths to set. It writes
 * in an idle, so that everything changed in one main-loop turn — a whole
 * batch of records from the refresher — is one write and one transaction,
 * and never starts a write while one is in flight. The changes are built
 * from the tasks as they are when written, so a task changed five times
 * between two writes is put once — all but the record, which is taken when
 * it comes: by the write, the task may have dropped its details
 * (lens-task.c). Nothing is kept per task but what is to be written; the
 * order key lives in the task.
 *
 * Positions only need to be in order, not dense: appends take the last
 * position + 1, removals leave a gap, a task put back (undo) takes its old
 * position when that still fits between its neighbours, and only when no
 * number fits is the whole list renumbered. A load closes the gaps again.
 *
 * A removed task is deleted from the store only after the undo delay; if it
 * comes back before, nothing is deleted, nor written
 * (lens-history-removals.c).
 *
 * A write takes at most WRITE_CHUNK puts, the tasks marked first (a queue
 * beside the table): the changes of 100,000 pasted tasks are built, and
 * freed again once written, a few milliseconds a turn of the main loop,
 * not in one turn of a tenth of a second. Deletions due are all taken by
 * the next write, before its puts: they are made due in slices already. A
 * saved path goes with its task's put when one is pending (a removal parks
 * it with the put, an undo brings it back), else with the next write: an
 * update needs the row. A put that comes back to the queue (its write
 * failed, its task came back by undo) goes first, numbered no higher than
 * the first one there.
 *
 * A parked put waits until its task is back, or its row's deletion is
 * committed: a task due for deletion can still come back, and its row
 * may never have been put. A put whose write failed after its task left
 * the list is parked too: undo would otherwise take the row as stored.
 * A task put back as a new row (its row deleted already) brings its saved
 * path with it.
 *
 * Writes are numbered as they start; each change marked is numbered too
 * (its place in the queue). lens_history_sync_async() waits for the write
 * that holds everything changed before it was called: one started after
 * the call when changes are pending, else the one in flight, and one that
 * left in the queue nothing marked before the call. Writes never overlap
 * and the store applies them in order, so once that write is committed, so
 * is every change before it.
 */

#define G_LOG_DOMAIN "lens-history"

#include "config.h"

#include <string.h>

#include "lens-history.h"
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
#define NO_POSITION        G_MININT64

/* A task to put at the next write. The record is taken when it comes, not
 * at the write: by then the task may have dropped its details (it scrolled
 * off screen), and the store is where they go. */
typedef struct
{
  GList     link;            /* in the queue of puts; data is the Pending */
  guint64   seq;             /* its number in that queue: when it was first marked */
  LensTask *task;            /* owned */
  char     *raw_json;        /* owned, nullable: a record not yet written */
  char     *prompt;          /* owned, nullable: its prompt, taken with it */
  char     *saved_path;      /* owned, nullable: to set once the row is put */
  gboolean  has_saved_path;  /* saved_path is to be set (NULL forgets it) */
  gboolean  has_details;     /* prompt is the record's: the store need not read it */
  gint64    checked_at;      /* Unix seconds of the last answer, 0 when none since the last write */
} Pending;

/* One write to the store, from take_changes() until the store answers. */
typedef struct
{
  guint64    number;   /* writes are numbered as they start */
  guint64    covers;   /* every change numbered up to this is in it or before it */
  GPtrArray *changes;  /* of LensStoreChange (owned) */
  GPtrArray *gone;     /* of LensTask (owned): whose rows it deletes */
  GPtrArray *put;      /* of LensTask (owned): whose rows it puts, in the order of its puts */
} Write;

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
  LensHistoryRemovals *removals;    /* owned: out of the list, deleted once undo is too late */
  GHashTable    *dirty;             /* id (borrowed from the task) → Pending (owned): to put */
  GQueue         dirty_order;       /* of Pending (the links in dirty's), first marked first */
  guint64        n_marked;          /* the number of the change last marked */
  GHashTable    *parked;            /* LensTask (borrowed from the Pending) → Pending (owned):
                                     * puts of tasks removed before they were written,
                                     * put again if they come back */
  GHashTable    *saved_paths;       /* id (owned) → path (owned, nullable): to set on rows
                                     * with no put pending (else the Pending holds it) */

  Write         *in_flight;         /* owned, nullable: the write the store is doing */
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

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->task);
  g_free (pending->raw_json);
  g_free (pending->prompt);
  g_free (pending->saved_path);
  g_free (pending);
}

static void
write_free (Write *write)
{
  g_ptr_array_unref (write->changes);
  g_ptr_array_unref (write->gone);
  g_ptr_array_unref (write->put);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Write, write_free)

/* @pending is to be put, after every put marked before it. */
static void
enqueue_dirty (LensHistory *self,
               Pending     *pending)
{
  pending->link.data = pending;
  pending->seq = ++self->n_marked;
  g_queue_push_tail_link (&self->dirty_order, &pending->link);
  g_hash_table_insert (self->dirty, (gpointer) lens_task_get_id (pending->task), pending);
}

/* Takes @pending out of those to put; it is the caller's now. */
static void
steal_dirty (LensHistory *self,
             Pending     *pending)
{
  g_queue_unlink (&self->dirty_order, &pending->link);
  g_hash_table_steal (self->dirty, lens_task_get_id (pending->task));
}

/* @pending comes back to the queue (its write failed, its task came back
 * by undo): first, numbered no higher than @limit (what it was numbered
 * before) nor than the first already there, so that the queue stays in the
 * order of its numbers. A lower number only makes a sync wait longer; a
 * higher one could let it finish too early. */
static void
requeue_first (LensHistory *self,
               Pending     *pending,
               guint64      limit)
{
  GList *head;

  if (g_hash_table_lookup (self->dirty, lens_task_get_id (pending->task)) == pending)
    steal_dirty (self, pending);
  head = self->dirty_order.head;
  pending->link.data = pending;  /* a put parked after its write failed was never queued */
  pending->seq = MIN (pending->seq, limit);
  if (head != NULL)
    pending->seq = MIN (pending->seq, ((Pending *) head->data)->seq);
  /* Numbers start at 1: a write that covers 0 covers nothing, and "one
   * below" must stay a number. */
  pending->seq = MAX (pending->seq, 1);
  g_queue_push_head_link (&self->dirty_order, &pending->link);
  g_hash_table_insert (self->dirty, (gpointer) lens_task_get_id (pending->task), pending);
  /* Back in the queue, it is not in the write in flight (a parked put was
   * in none): that write no longer covers its number. */
  if (self->in_flight != NULL)
    self->in_flight->covers = MIN (self->in_flight->covers, pending->seq - 1);
}

/* The task is to be put at a coming write; returns what will be put. A
 * task marked again keeps its place in the queue. */
static Pending *
mark_dirty (LensHistory *self,
            LensTask    *task)
{
  Pending *pending = g_hash_table_lookup (self->dirty, lens_task_get_id (task));

  if (pending == NULL)
    {
      pending = g_new0 (Pending, 1);
      pending->task = g_object_ref (task);
      enqueue_dirty (self, pending);
    }
  return pending;
}

/* The record to write is the task's as it is now; its prompt is taken
 * with it, while the task has its details (lens_store_change_set_details()). */
static void
pending_set_record (Pending    *pending,
                    const char *raw_json)
{
  g_free (pending->raw_json);
  pending->raw_json = g_strdup (raw_json);
  g_free (pending->prompt);
  pending->prompt = g_strdup (lens_task_get_prompt (pending->task));
  pending->has_details = TRUE;
}

static void
pending_set_saved_path (Pending    *pending,
                        const char *path)
{
  g_free (pending->saved_path);
  pending->saved_path = g_strdup (path);
  pending->has_saved_path = TRUE;
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
  return g_hash_table_size (self->dirty) > 0
      || lens_history_removals_has_deletes (self->removals)
      || g_hash_table_size (self->saved_paths) > 0;
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

static void drop_parked (LensHistory *self);

/* What is pending, as the next write (numbered by the caller): the
 * deletions due, then at most @max_puts puts, first marked first, each
 * followed by its saved path, then the saved paths of rows with no put
 * pending. With @all_removals, removals still inside the undo delay are
 * deleted too. */
static Write *
take_changes (LensHistory  *self,
              gboolean      all_removals,
              guint         max_puts)
{
  Write *write = g_new0 (Write, 1);
  GHashTableIter iter;
  gpointer key, value;
  GList *link;

  write->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  write->put = g_ptr_array_new_with_free_func (g_object_unref);
  if (all_removals)
    {
      lens_history_removals_make_due (self->removals, self->tasks, G_MAXINT64, G_MAXUINT);
      drop_parked (self);
    }
  write->gone = lens_history_removals_take_deletes (self->removals, write->changes);

  for (guint n = 0; n < max_puts && (link = self->dirty_order.head) != NULL; n++)
    {
      Pending *pending = link->data;
      LensStoreChange *change;

      steal_dirty (self, pending);
      /* added_at 0: now for a new row; a stored one keeps its own. */
      change = lens_store_change_new_put_taking (pending->task, _lens_task_get_position (pending->task),
                                                 g_steal_pointer (&pending->raw_json), 0,
                                                 pending->checked_at);
      if (change->raw_json != NULL && pending->has_details)
        lens_store_change_set_details (change, pending->task, g_steal_pointer (&pending->prompt));
      g_ptr_array_add (write->changes, change);
      g_ptr_array_add (write->put, g_object_ref (pending->task));
      if (pending->has_saved_path)
        g_ptr_array_add (write->changes, lens_store_change_new_saved_path (lens_task_get_id (pending->task),
                                                                           pending->saved_path));
      pending_free (pending);
    }

  /* Paths of rows that had no put pending when they were set: put
   * already, or by a write before this one. */
  g_hash_table_iter_init (&iter, self->saved_paths);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (write->changes, lens_store_change_new_saved_path (key, value));
  g_hash_table_remove_all (self->saved_paths);

  link = self->dirty_order.head;
  write->covers = link != NULL ? ((Pending *) link->data)->seq - 1 : self->n_marked;
  return write;
}

/* The put of @change, which failed, is pending again in @pending: with
 * its record unless a newer one came since. */
static void
pending_take_failed_put (Pending         *pending,
                         LensStoreChange *change)
{
  if (pending->raw_json == NULL)
    {
      pending->raw_json = g_steal_pointer (&change->raw_json);
      g_free (pending->prompt);
      pending->prompt = g_steal_pointer (&change->prompt);
      pending->has_details = change->has_details;
    }
  if (pending->checked_at == 0)
    pending->checked_at = change->checked_at;
}

/* The put of @task failed after the task left the list: parked (or added
 * to what is parked for it), to be put should undo bring it back. Its row
 * may not exist at all, and undo would take it as still stored. */
static Pending *
park_failed_put (LensHistory     *self,
                 LensTask        *task,
                 LensStoreChange *change,
                 guint64          covers)
{
  Pending *pending = g_hash_table_lookup (self->parked, task);

  if (pending == NULL)
    {
      pending = g_new0 (Pending, 1);
      pending->task = g_object_ref (task);
      pending->seq = MAX (covers, 1);  /* see requeue_first() */
      g_hash_table_insert (self->parked, task, pending);
    }
  pending_take_failed_put (pending, change);
  return pending;
}

/* After @write failed: what is still true is pending again, as it is now
 * (a path set since is kept; the put of a task removed since is parked). */
static void
restore_changes (LensHistory *self,
                 Write       *write)
{
  g_autoptr(GPtrArray) requeued = g_ptr_array_new ();  /* of Pending (borrowed) */
  g_autoptr(GHashTable) parked_here = g_hash_table_new (g_str_hash, g_str_equal);  /* id → Pending */
  guint n_puts = 0;

  lens_history_removals_restore (self->removals, write->gone);
  for (guint i = 0; i < write->changes->len; i++)
    {
      LensStoreChange *change = g_ptr_array_index (write->changes, i);
      Pending *pending;
      LensTask *task;
      LensTaskRemoval removal;

      switch (change->kind)
        {
        case LENS_STORE_CHANGE_PUT:
          task = g_ptr_array_index (write->put, n_puts++);
          removal = _lens_task_get_removal (task, NULL);
          /* Its id in the list (this task, or the same id pasted again):
           * put again. */
          if ((task = lens_task_list_lookup (self->tasks, change->id)) != NULL)
            {
              gpointer newer_path;

              pending = mark_dirty (self, task);
              /* A path set while the write was in flight is newer than the
               * write's, and needs the row: it goes with the put. */
              if (g_hash_table_lookup_extended (self->saved_paths, change->id, NULL, &newer_path))
                {
                  pending_set_saved_path (pending, newer_path);
                  g_hash_table_remove (self->saved_paths, change->id);
                }
              pending_take_failed_put (pending, change);
              g_ptr_array_add (requeued, pending);
            }
          else if (removal == LENS_TASK_REMOVAL_KEPT || removal == LENS_TASK_REMOVAL_DUE)
            {
              gpointer newer_path;

              pending = park_failed_put (self, g_ptr_array_index (write->put, n_puts - 1), change,
                                         write->covers);
              /* As above: a path set while the write was in flight waits
               * for the row, which undo puts. */
              if (g_hash_table_lookup_extended (self->saved_paths, change->id, NULL, &newer_path))
                {
                  pending_set_saved_path (pending, newer_path);
                  g_hash_table_remove (self->saved_paths, change->id);
                }
              g_hash_table_insert (parked_here, (gpointer) lens_task_get_id (pending->task), pending);
            }
          break;
        case LENS_STORE_CHANGE_DELETE:
          /* From write->gone, above. */
          break;
        case LENS_STORE_CHANGE_SAVED_PATH:
          /* A path set since is newer. One whose task has a put pending
           * (put back just above: it followed its put) or parked goes with
           * it. */
          if ((pending = g_hash_table_lookup (self->dirty, change->id)) != NULL)
            {
              if (!pending->has_saved_path)
                pending_set_saved_path (pending, change->saved_path);
              g_ptr_array_add (requeued, pending);
            }
          else if ((pending = g_hash_table_lookup (parked_here, change->id)) != NULL)
            {
              if (!pending->has_saved_path)
                pending_set_saved_path (pending, change->saved_path);
            }
          else if (!g_hash_table_contains (self->saved_paths, change->id))
            g_hash_table_insert (self->saved_paths, g_strdup (change->id), g_strdup (change->saved_path));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  /* What the write held goes first again, in its order, numbered as it
   * was at most: no higher than what the write covered. */
  for (guint i = requeued->len; i-- > 0;)
    requeue_first (self, g_ptr_array_index (requeued, i), write->covers);
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
    wake_waiters (self, G_MAXUINT64, self->n_marked, NULL);
}

/* The puts parked for tasks whose rows @write deleted: they will not come
 * back as they were (undo would put them as new rows). */
static void
drop_parked_of_deleted (LensHistory *self,
                        Write       *write)
{
  if (g_hash_table_size (self->parked) == 0)
    return;
  for (guint i = 0; i < write->gone->len; i++)
    {
      LensTask *task = g_ptr_array_index (write->gone, i);

      if (_lens_task_get_removal (task, NULL) == LENS_TASK_REMOVAL_GONE)
        g_hash_table_remove (self->parked, task);
    }
}

/* @write went through, or failed with @error. */
static void
written (LensHistory *self,
         Write       *write,
         GError      *error)
{
  if (error == NULL)
    {
      g_clear_error (&self->last_failure);
      g_clear_handle_id (&self->retry_source_id, g_source_remove);
      drop_parked_of_deleted (self, write);
      g_signal_emit (self, signals[SIGNAL_WRITTEN], 0, write->changes->len);
      wake_waiters (self, write->number, write->covers, NULL);
      wake_waiters_if_idle (self);
      return;
    }

  restore_changes (self, write);
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
  g_autoptr(Write) write = g_steal_pointer (&self->in_flight);
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
  self->in_flight = take_changes (self, FALSE, WRITE_CHUNK);
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
  drop_parked (self);
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

/* Puts not written yet of tasks that just left the list wait in parked:
 * should the tasks come back (undo), they are put after all. Only needed
 * while puts are pending, which a removal of thousands seldom meets:
 * whichever of the two is smaller is walked. */
static void
park_pending (LensHistory *self,
              GPtrArray   *leaving)
{
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->dirty) == 0)
    return;

  if (g_hash_table_size (self->dirty) < leaving->len)
    {
      g_hash_table_iter_init (&iter, self->dirty);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Pending *pending = value;

          /* Tasks put are in the list, but for those just out. */
          if (_lens_task_get_observer (pending->task) != NULL)
            continue;
          g_hash_table_iter_steal (&iter);
          g_queue_unlink (&self->dirty_order, &pending->link);
          g_hash_table_insert (self->parked, pending->task, pending);
        }
      return;
    }
  for (guint i = 0; i < leaving->len; i++)
    {
      LensTask *task = g_ptr_array_index (leaving, i);
      Pending *pending = g_hash_table_lookup (self->dirty, lens_task_get_id (task));

      if (pending != NULL)
        {
          steal_dirty (self, pending);
          g_hash_table_insert (self->parked, task, pending);
        }
    }
}

/* The puts parked for tasks that will not come back: their rows belong to
 * another task in the list with their id now. Those whose deletion was
 * taken by a write (gone too) keep theirs until it is committed
 * (drop_parked_of_deleted()): should it fail, they are due again, undo may
 * bring them back, and their rows may never have been put. */
static void
drop_parked (LensHistory *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->parked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      LensTask *task = key, *listed;

      if (_lens_task_get_removal (task, NULL) == LENS_TASK_REMOVAL_GONE
          && (listed = lens_task_list_lookup (self->tasks, lens_task_get_id (task))) != NULL
          && listed != task)
        g_hash_table_iter_remove (&iter);
    }
}

/* @task came into the list: back within the undo delay, its row is as it
 * was, and only what was pending for it is put; else it is new to the
 * store, and comes with what it knows (a record from an import or a sync,
 * or undo putting back one whose row was deleted already). */
static void
take_in (LensHistory *self,
         LensTask    *task)
{
  gpointer pending;
  const char *raw_json;

  if (g_hash_table_size (self->parked) > 0 && g_hash_table_steal_extended (self->parked, task, NULL, &pending))
    {
      requeue_first (self, pending, ((Pending *) pending)->seq);
      /* A path set while its put waited, but not with it (the put was in a
       * write that failed): the task knows it, and the row is put now. */
      if (lens_task_get_saved_path (task) != NULL && !((Pending *) pending)->has_saved_path)
        pending_set_saved_path (pending, lens_task_get_saved_path (task));
    }
  if (lens_history_removals_take_back (self->removals, task))
    return;
  lens_history_removals_reclaim (self->removals, task);
  pending = mark_dirty (self, task);
  if ((raw_json = lens_task_get_raw_json (task)) != NULL)
    pending_set_record (pending, raw_json);
  /* Saved before its row was deleted (undo after the delay): the new row
   * says where, as the task does. */
  if (lens_task_get_saved_path (task) != NULL && !((Pending *) pending)->has_saved_path)
    pending_set_saved_path (pending, lens_task_get_saved_path (task));
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
          mark_dirty (self, task);
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
          mark_dirty (self, task);
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
      park_pending (self, leaving);
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
  Pending *pending = mark_dirty (self, task);

  if (record)
    pending_set_record (pending, lens_task_get_raw_json (task));
  if (record || lens_task_get_state (task) == LENS_TASK_STATE_NOT_FOUND)
    pending->checked_at = now_seconds ();
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
  g_hash_table_remove_all (self->dirty);
  g_queue_init (&self->dirty_order);  /* its links were in the Pendings freed */
  g_hash_table_remove_all (self->parked);
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
  g_clear_pointer (&self->dirty, g_hash_table_unref);
  g_clear_pointer (&self->removals, lens_history_removals_free);
  g_clear_pointer (&self->parked, g_hash_table_unref);
  g_clear_pointer (&self->saved_paths, g_hash_table_unref);
  g_clear_pointer (&self->in_flight, write_free);
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
  self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) pending_free);
  self->parked = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) pending_free);
  self->saved_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->waiters);
  g_queue_init (&self->dirty_order);
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
  Pending *pending;

  g_return_if_fail (LENS_IS_HISTORY (self));
  g_return_if_fail (id != NULL);

  /* The task shows it at once (its row's badge); the store follows. */
  if ((task = lens_task_list_lookup (self->tasks, id)) != NULL)
    lens_task_set_saved_path (task, path);
  /* A row not put yet gets its path with its put, which a removal parks
   * and an undo brings back with it; a row put already, at the next
   * write. Numbered as a change, for lens_history_sync_async(): either way
   * it is written no later than a change marked before it. */
  if (task != NULL && (pending = g_hash_table_lookup (self->dirty, lens_task_get_id (task))) != NULL)
    {
      pending_set_saved_path (pending, path);
      /* An older path still to be written would come after the put. */
      g_hash_table_remove (self->saved_paths, lens_task_get_id (task));
    }
  else
    g_hash_table_insert (self->saved_paths, g_ascii_strdown (id, -1), g_strdup (path));
  self->n_marked++;
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
  g_autoptr(Write) write = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LENS_IS_HISTORY (self));

  g_clear_handle_id (&self->write_source_id, g_source_remove);
  g_clear_handle_id (&self->delete_source_id, g_source_remove);

  write = take_changes (self, TRUE, G_MAXUINT);
  if (write->changes->len == 0)
    return;

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
  waiter->last_marked = self->n_marked;
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
