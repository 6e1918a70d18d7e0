/* lens-history-queue.c — the puts and saved paths waiting to be written, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What LensHistory is to write for the tasks in the list: a put for each
 * task changed (one, however often it changed), first marked first, each
 * with the saved path set while it waited; and the saved paths of rows
 * with no put waiting. A write takes the puts first in the queue, as many
 * as it may (lens_history_queue_take()); a failed write gives them back,
 * first again (lens_history_queue_restore()).
 *
 * The record is taken when it comes, not at the write: by then the task
 * may have dropped its details (it scrolled off screen), and the store is
 * where they go.
 *
 * A task that leaves the list before its put is written has the put
 * parked: should the task come back (undo), it is put after all. It is
 * parked when a write reaches it in the queue (or another task with its
 * id is marked), not when the task leaves: Ctrl+A, Delete of 100,000
 * tasks just pasted moved 100,000 puts from table to table in one turn,
 * 55% of that removal's 25 to 40 ms (bench-remove), and their undo moved
 * them back. Put back before a write reached it, the put simply stays in
 * the queue. A parked put waits until its task is back, or until its
 * row's deletion is committed (lens_history_queue_drop_parked_of()): a
 * task due for deletion can still come back, and its row may never have
 * been put; or until another task owns its row (replaced). A put whose
 * write failed after its task left the list is parked too.
 *
 * Every change marked is numbered (lens_history_queue_n_marked()), a put
 * by its place in the queue, for lens_history_sync_async(): a write covers
 * every number below the first put left in the queue. A put that comes
 * back goes first, numbered no higher than before nor than the first one
 * there, so that the numbers stay in the queue's order: a lower number
 * only makes a sync wait longer, a higher one could let it finish too
 * early. Numbers start at 1: a write that covers 0 covers nothing.
 */

#define G_LOG_DOMAIN "lens-history"

#include "config.h"

#include "lens-history-queue.h"
#include "lens-task-private.h"

/* A task to put at a coming write. */
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

struct _LensHistoryQueue
{
  GHashTable *dirty;        /* id (borrowed from the task) → Pending (owned): to put */
  GQueue      order;        /* of Pending (the links in dirty's), first marked first */
  guint64     n_marked;     /* the number of the change last marked */
  GHashTable *parked;       /* LensTask (borrowed from the Pending) → Pending (owned):
                             * puts of tasks out of the list, put again if they come back */
  GHashTable *saved_paths;  /* id (owned) → path (owned, nullable): to set on rows
                             * with no put waiting (else the Pending holds it) */
};

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->task);
  g_free (pending->raw_json);
  g_free (pending->prompt);
  g_free (pending->saved_path);
  g_free (pending);
}

/* What an older put of the same task held (a failed write's, a parked
 * one's), where @pending has nothing newer: the record with its prompt,
 * and when the server last answered. Takes the strings. */
static void
pending_take_older (Pending  *pending,
                    char    **raw_json,
                    char    **prompt,
                    gboolean  has_details,
                    gint64    checked_at)
{
  if (pending->raw_json == NULL)
    {
      pending->raw_json = g_steal_pointer (raw_json);
      g_free (pending->prompt);
      pending->prompt = g_steal_pointer (prompt);
      pending->has_details = has_details;
    }
  if (pending->checked_at == 0)
    pending->checked_at = checked_at;
}

LensHistoryWrite *
lens_history_write_new (void)
{
  LensHistoryWrite *write = g_new0 (LensHistoryWrite, 1);

  write->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_store_change_free);
  write->put = g_ptr_array_new_with_free_func (g_object_unref);
  return write;
}

void
lens_history_write_free (LensHistoryWrite *write)
{
  if (write == NULL)
    return;
  g_ptr_array_unref (write->changes);
  g_clear_pointer (&write->gone, g_ptr_array_unref);
  g_ptr_array_unref (write->put);
  g_free (write);
}

LensHistoryQueue *
lens_history_queue_new (void)
{
  LensHistoryQueue *self = g_new0 (LensHistoryQueue, 1);

  self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) pending_free);
  g_queue_init (&self->order);
  self->parked = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) pending_free);
  self->saved_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
lens_history_queue_free (LensHistoryQueue *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->dirty);  /* the queue's links were in its Pendings */
  g_hash_table_unref (self->parked);
  g_hash_table_unref (self->saved_paths);
  g_free (self);
}

/* Returns: whether a write has anything of the queue's to take */
gboolean
lens_history_queue_has_changes (LensHistoryQueue *self)
{
  return g_hash_table_size (self->dirty) > 0 || g_hash_table_size (self->saved_paths) > 0;
}

/* Returns: the number of the change last marked */
guint64
lens_history_queue_n_marked (LensHistoryQueue *self)
{
  return self->n_marked;
}

/* ─── the queue ────────────────────────────────────────────────────────── */

/* @pending is to be put, after every put marked before it. */
static void
enqueue (LensHistoryQueue *self,
         Pending          *pending)
{
  pending->link.data = pending;
  pending->seq = ++self->n_marked;
  g_queue_push_tail_link (&self->order, &pending->link);
  g_hash_table_insert (self->dirty, (gpointer) lens_task_get_id (pending->task), pending);
}

/* Takes @pending out of those to put; it is the caller's now. */
static void
steal (LensHistoryQueue *self,
       Pending          *pending)
{
  g_queue_unlink (&self->order, &pending->link);
  g_hash_table_steal (self->dirty, lens_task_get_id (pending->task));
}

/* Whether @pending's task is out of the list: its put is not written
 * while it is. */
static gboolean
pending_is_out (Pending *pending)
{
  return _lens_task_get_observer (pending->task) == NULL;
}

/* The put waiting of a task out of the list, with its id: parked, or let
 * go when its row is another task's now (it will not come back) or its
 * deletion was committed (undo would put it as a new row). Called only
 * with no write in flight, or from lens_history_queue_take() before the
 * write takes its deletions: a task gone then was deleted by a write
 * that went through. */
static void
park (LensHistoryQueue *self,
      Pending          *pending)
{
  LensTaskRemoval removal = _lens_task_get_removal (pending->task, NULL);
  Pending *parked;

  steal (self, pending);
  if (removal == LENS_TASK_REMOVAL_REPLACED || removal == LENS_TASK_REMOVAL_GONE)
    {
      pending_free (pending);
      return;
    }
  /* A failed put parked for it meanwhile is older: this one says what is
   * newer, and takes the rest from it. */
  if ((parked = g_hash_table_lookup (self->parked, pending->task)) != NULL)
    {
      pending_take_older (pending, &parked->raw_json, &parked->prompt, parked->has_details,
                          parked->checked_at);
      if (!pending->has_saved_path && parked->has_saved_path)
        {
          pending->saved_path = g_steal_pointer (&parked->saved_path);
          pending->has_saved_path = TRUE;
        }
      pending->seq = MIN (pending->seq, parked->seq);
    }
  g_hash_table_replace (self->parked, pending->task, pending);
}

/* @pending comes back to the queue (its write failed, its task came back
 * by undo): first, numbered no higher than @limit (what it was numbered
 * before) nor than the first already there, and 1 at least (see the top). */
static void
requeue_first (LensHistoryQueue *self,
               Pending          *pending,
               guint64           limit)
{
  Pending *queued = g_hash_table_lookup (self->dirty, lens_task_get_id (pending->task));
  GList *head;

  /* One put a task at most, and one an id in the queue: one of another
   * task with the id is of a task out of the list. */
  if (queued == pending)
    steal (self, pending);
  else if (queued != NULL)
    park (self, queued);
  head = self->order.head;
  pending->link.data = pending;  /* a put parked after its write failed was never queued */
  pending->seq = MIN (pending->seq, limit);
  if (head != NULL)
    pending->seq = MIN (pending->seq, ((Pending *) head->data)->seq);
  pending->seq = MAX (pending->seq, 1);
  g_queue_push_head_link (&self->order, &pending->link);
  g_hash_table_insert (self->dirty, (gpointer) lens_task_get_id (pending->task), pending);
}

/* The put waiting for @task, if any: one waiting for another task with
 * its id (out of the list: @task came in since) is parked first. */
static Pending *
lookup (LensHistoryQueue *self,
        LensTask         *task)
{
  Pending *pending = g_hash_table_lookup (self->dirty, lens_task_get_id (task));

  if (pending != NULL && pending->task != task)
    {
      park (self, pending);
      pending = NULL;
    }
  return pending;
}

/* The task is to be put at a coming write; returns what will be put. A
 * task marked again keeps its place in the queue. */
static Pending *
mark (LensHistoryQueue *self,
      LensTask         *task)
{
  Pending *pending = lookup (self, task);

  if (pending == NULL)
    {
      pending = g_new0 (Pending, 1);
      pending->task = g_object_ref (task);
      enqueue (self, pending);
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

/* A path the task knows, where @pending has none to set: the row put
 * says where the task was saved, as the task does. */
static void
pending_take_task_saved_path (Pending *pending)
{
  const char *path = lens_task_get_saved_path (pending->task);

  if (path != NULL && !pending->has_saved_path)
    pending_set_saved_path (pending, path);
}

/* Its row is to be written again as the task is now (its place in the list
 * changed, say). */
void
lens_history_queue_mark (LensHistoryQueue *self,
                         LensTask         *task)
{
  mark (self, task);
}

/* A new record of @task, to write with its put. */
void
lens_history_queue_set_record (LensHistoryQueue *self,
                               LensTask         *task,
                               const char       *raw_json)
{
  pending_set_record (mark (self, task), raw_json);
}

/* The server answered for @task at @checked_at (Unix seconds). */
void
lens_history_queue_set_checked_at (LensHistoryQueue *self,
                                   LensTask         *task,
                                   gint64            checked_at)
{
  mark (self, task)->checked_at = checked_at;
}

/* @task is new to the store: its row is put with what it knows (a record
 * from an import or a sync; or, put back by undo once its row was
 * deleted, where it was saved). */
void
lens_history_queue_put_new (LensHistoryQueue *self,
                            LensTask         *task)
{
  Pending *pending = mark (self, task);
  const char *raw_json = lens_task_get_raw_json (task);

  if (raw_json != NULL)
    pending_set_record (pending, raw_json);
  pending_take_task_saved_path (pending);
}

/**
 * lens_history_queue_set_saved_path:
 * @task: (nullable): the task with @id in the list, if any
 * @path: (nullable): where the original was saved
 *
 * A row not put yet gets its path with its put, which a removal parks and
 * an undo brings back with it; a row put already, at the next write.
 * Numbered as a change: either way it is written no later than a change
 * marked before it.
 */
void
lens_history_queue_set_saved_path (LensHistoryQueue *self,
                                   LensTask         *task,
                                   const char       *id,
                                   const char       *path)
{
  Pending *pending;

  if (task != NULL && (pending = lookup (self, task)) != NULL)
    {
      pending_set_saved_path (pending, path);
      /* An older path still to be written would come after the put. */
      g_hash_table_remove (self->saved_paths, lens_task_get_id (task));
    }
  else
    g_hash_table_insert (self->saved_paths, g_ascii_strdown (id, -1), g_strdup (path));
  self->n_marked++;
}

/* ─── parked puts ──────────────────────────────────────────────────────── */

/**
 * lens_history_queue_take_back:
 * @task: a task that came back into the list
 * @out_number: (out): the number its put has in the queue again
 *
 * Returns: %TRUE when a put was parked for @task: it goes first in the
 *   queue again, with the saved path the task knows if it had none
 *   (one set while the put was in a write that failed). %FALSE when none
 *   was: a put not parked yet is still in the queue, where it was.
 */
gboolean
lens_history_queue_take_back (LensHistoryQueue *self,
                              LensTask         *task,
                              guint64          *out_number)
{
  gpointer value;
  Pending *pending;

  if (g_hash_table_size (self->parked) == 0
      || !g_hash_table_steal_extended (self->parked, task, NULL, &value))
    return FALSE;
  pending = value;
  requeue_first (self, pending, pending->seq);
  pending_take_task_saved_path (pending);
  *out_number = pending->seq;
  return TRUE;
}

/* The puts parked for tasks whose rows belong to another task with their
 * id now (replaced): their puts would overwrite it. Those whose deletion
 * was taken by a write (gone) keep theirs until it is committed
 * (lens_history_queue_drop_parked_of()): should it fail, they are due
 * again, undo may bring them back, and their rows may never have been put. */
void
lens_history_queue_drop_parked (LensHistoryQueue *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->parked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (_lens_task_get_removal (key, NULL) == LENS_TASK_REMOVAL_REPLACED)
      g_hash_table_iter_remove (&iter);
}

/**
 * lens_history_queue_drop_parked_of:
 * @gone: (element-type LensTask): the tasks whose rows a committed write
 *   deleted
 *
 * Their parked puts are dropped: they will not come back as they were
 * (undo puts them as new rows).
 */
void
lens_history_queue_drop_parked_of (LensHistoryQueue *self,
                                   GPtrArray        *gone)
{
  if (g_hash_table_size (self->parked) == 0)
    return;
  for (guint i = 0; i < gone->len; i++)
    {
      LensTask *task = g_ptr_array_index (gone, i);

      if (_lens_task_get_removal (task, NULL) == LENS_TASK_REMOVAL_GONE)
        g_hash_table_remove (self->parked, task);
    }
}

/* ─── writes ───────────────────────────────────────────────────────────── */

/**
 * lens_history_queue_take:
 * @max_puts: how many puts @write may take
 *
 * Appends to @write at most @max_puts puts, first marked first, each
 * followed by its saved path, then the saved paths of rows with no put
 * waiting; and sets what it covers. Called before the write takes its
 * deletions (see park()).
 */
void
lens_history_queue_take (LensHistoryQueue *self,
                         LensHistoryWrite *write,
                         guint             max_puts)
{
  GHashTableIter iter;
  gpointer key, value;
  GList *link;
  guint n_taken = 0, n_seen = 0;

  /* The puts of tasks out of the list are parked on the way, as many as
   * are put at most, so that a write after a removal of 100,000 is not
   * one turn of 100,000 moves either. */
  while (n_taken < max_puts && n_seen < max_puts && (link = self->order.head) != NULL)
    {
      Pending *pending = link->data;
      LensStoreChange *change;

      if (pending_is_out (pending))
        {
          park (self, pending);
          n_seen++;
          continue;
        }
      n_taken++;
      steal (self, pending);
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

  /* Paths of rows that had no put waiting when they were set: put
   * already, or by a write before this one. */
  g_hash_table_iter_init (&iter, self->saved_paths);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (write->changes, lens_store_change_new_saved_path (key, value));
  g_hash_table_remove_all (self->saved_paths);

  link = self->order.head;
  write->covers = link != NULL ? ((Pending *) link->data)->seq - 1 : self->n_marked;
}

/* A path set while the write of @pending's put was in flight is newer
 * than the write's, and needs the row: it goes with the put. */
static void
take_newer_saved_path (LensHistoryQueue *self,
                       Pending          *pending,
                       const char       *id)
{
  gpointer newer_path;

  if (g_hash_table_lookup_extended (self->saved_paths, id, NULL, &newer_path))
    {
      pending_set_saved_path (pending, newer_path);
      g_hash_table_remove (self->saved_paths, id);
    }
}

/* The put of @task failed after the task left the list: parked (or added
 * to what is parked for it), to be put should undo bring it back. Its row
 * may not exist at all, and undo would take it as still stored. */
static Pending *
park_failed_put (LensHistoryQueue *self,
                 LensTask         *task,
                 LensStoreChange  *change,
                 guint64           covers)
{
  Pending *pending = g_hash_table_lookup (self->parked, task);

  /* Its newer put, not parked yet, is still in the queue: the failed one
   * adds to it what it lacks. */
  if (pending == NULL && (pending = g_hash_table_lookup (self->dirty, change->id)) != NULL
      && pending->task != task)
    pending = NULL;
  if (pending == NULL)
    {
      pending = g_new0 (Pending, 1);
      pending->task = g_object_ref (task);
      pending->seq = MAX (covers, 1);  /* see the top */
      g_hash_table_insert (self->parked, task, pending);
    }
  pending_take_older (pending, &change->raw_json, &change->prompt, change->has_details,
                      change->checked_at);
  take_newer_saved_path (self, pending, change->id);
  return pending;
}

/**
 * lens_history_queue_restore:
 * @write: a write that failed
 * @list: the list as it is now
 *
 * What of @write is still true waits again, as it is now: the puts of
 * tasks in @list go first in the queue again, in @write's order, numbered
 * no higher than @write covered; those of tasks removed since are parked;
 * a path set since is kept. (The deletions are the removals'.)
 */
void
lens_history_queue_restore (LensHistoryQueue *self,
                            LensHistoryWrite *write,
                            LensTaskList     *list)
{
  g_autoptr(GPtrArray) requeued = g_ptr_array_new ();  /* of Pending (borrowed) */
  g_autoptr(GHashTable) parked_here = g_hash_table_new (g_str_hash, g_str_equal);  /* id → Pending */
  guint n_puts = 0;

  for (guint i = 0; i < write->changes->len; i++)
    {
      LensStoreChange *change = g_ptr_array_index (write->changes, i);
      Pending *pending;
      LensTask *put, *listed;
      LensTaskRemoval removal;

      switch (change->kind)
        {
        case LENS_STORE_CHANGE_PUT:
          put = g_ptr_array_index (write->put, n_puts++);
          removal = _lens_task_get_removal (put, NULL);
          /* Its id in the list (this task, or the same id pasted again):
           * put again. */
          if ((listed = lens_task_list_lookup (list, change->id)) != NULL)
            {
              pending = mark (self, listed);
              take_newer_saved_path (self, pending, change->id);
              pending_take_older (pending, &change->raw_json, &change->prompt,
                                  change->has_details, change->checked_at);
              g_ptr_array_add (requeued, pending);
            }
          else if (removal == LENS_TASK_REMOVAL_KEPT || removal == LENS_TASK_REMOVAL_DUE)
            {
              pending = park_failed_put (self, put, change, write->covers);
              g_hash_table_insert (parked_here, (gpointer) lens_task_get_id (put), pending);
            }
          break;
        case LENS_STORE_CHANGE_DELETE:
          break;
        case LENS_STORE_CHANGE_SAVED_PATH:
          /* A path set since is newer. One whose task has a put waiting
           * (put back just above: it followed its put) or parked goes with
           * it. */
          if ((pending = g_hash_table_lookup (self->dirty, change->id)) != NULL
              || (pending = g_hash_table_lookup (parked_here, change->id)) != NULL)
            {
              if (!pending->has_saved_path)
                pending_set_saved_path (pending, change->saved_path);
              /* A put waiting goes first again with the others (a parked
               * one waits for its task). */
              if (g_hash_table_lookup (self->dirty, change->id) == pending)
                g_ptr_array_add (requeued, pending);
            }
          else if (!g_hash_table_contains (self->saved_paths, change->id))
            g_hash_table_insert (self->saved_paths, g_strdup (change->id), g_strdup (change->saved_path));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  /* What the write held goes first again, in its order. */
  for (guint i = requeued->len; i-- > 0;)
    requeue_first (self, g_ptr_array_index (requeued, i), write->covers);
}
