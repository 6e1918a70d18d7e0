/* lens-history-removals.c — tasks out of the list, deleted from the store once undo is too late
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A task taken out of the list keeps its row for the undo delay: put back
 * in time, nothing is written either way. Removing 100,000 tasks (Ctrl+A,
 * Delete) and putting them back are each one main-loop turn, so nothing
 * here looks a task up by id then, nor copies its id: each task is marked
 * where it stands (_lens_task_set_removal()) and kept, referenced, in the
 * batch of its removal. A table keyed by id cost the history half of the
 * 50 ms such a removal took (bench-remove).
 *
 * Once a batch's delay has passed, its tasks still out are made due, a
 * slice at a time; only there is each looked up by id, as another task
 * with the same id may have come in since (pasted again), and the row is
 * now that task's: one in the list, or one removed again since, in a later
 * batch. The next write deletes what is due.
 *
 *   NONE --removed--> KEPT --delay passed--> DUE --taken by a write--> GONE
 *   KEPT, DUE --put back--> NONE: the row is intact, nothing to write
 *   GONE, REPLACED --put back--> NONE: written again, as a new task
 *   GONE --its write failed--> DUE
 *   KEPT, DUE --its id came back in another task--> REPLACED: the row is that one's
 *
 * The later batches' ids are counted only when a slice has a task that
 * needs them (still out, its id not in the list), and only if there are
 * later batches: two removals within one undo delay, and both of the same
 * id, are rare; copying every pasted id while a removal waits, in case,
 * cost 10 MB and 50 ms for 100,000 ids.
 *
 * A task removed, put back and removed again is in two batches: only the
 * batch whose number it carries makes it due, at the last removal's
 * deadline.
 */

#define G_LOG_DOMAIN "lens-history"

#include "config.h"

#include "lens-history-removals.h"
#include "lens-task-private.h"
#include "lens-task-store.h"

/* The tasks of one removal. */
typedef struct
{
  gint64     delete_at;  /* monotonic µs */
  guint16    number;     /* what its tasks carry while it is theirs */
  GPtrArray *tasks;      /* of LensTask (owned) */
  guint      next;       /* those before it are dealt with */
} Batch;

struct _LensHistoryRemovals
{
  GQueue     batches;    /* of Batch (owned), oldest first */
  guint16    n_batches;  /* the number of the last one (it wraps: only equality counts) */
  GPtrArray *due;        /* of LensTask (owned): made due, some put back since */
};

static void
batch_free (Batch *batch)
{
  g_ptr_array_unref (batch->tasks);
  g_free (batch);
}

LensHistoryRemovals *
lens_history_removals_new (void)
{
  LensHistoryRemovals *self = g_new0 (LensHistoryRemovals, 1);

  g_queue_init (&self->batches);
  self->due = g_ptr_array_new_with_free_func (g_object_unref);
  return self;
}

void
lens_history_removals_free (LensHistoryRemovals *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->batches, (GDestroyNotify) batch_free);
  g_ptr_array_unref (self->due);
  g_free (self);
}

/**
 * lens_history_removals_add:
 * @tasks: (transfer full) (element-type LensTask): tasks that just left
 *   the list, holding a reference to each
 * @delete_at: when their rows are deleted unless they come back (monotonic µs)
 */
void
lens_history_removals_add (LensHistoryRemovals *self,
                           GPtrArray           *tasks,
                           gint64               delete_at)
{
  Batch *batch;

  if (tasks->len == 0)
    {
      g_ptr_array_unref (tasks);
      return;
    }

  batch = g_new0 (Batch, 1);
  batch->delete_at = delete_at;
  batch->number = ++self->n_batches;
  batch->tasks = tasks;
  for (guint i = 0; i < tasks->len; i++)
    _lens_task_set_removal (g_ptr_array_index (tasks, i), LENS_TASK_REMOVAL_KEPT, batch->number);
  g_queue_push_tail (&self->batches, batch);
}

/**
 * lens_history_removals_take_back:
 * @task: a task that came (back) into the list
 *
 * Returns: %TRUE when its row is still stored as it was, so nothing needs
 *   writing; %FALSE for a task new to the store, or whose row is deleted
 */
gboolean
lens_history_removals_take_back (LensHistoryRemovals *self,
                                 LensTask            *task)
{
  LensTaskRemoval removal = _lens_task_get_removal (task, NULL);

  if (removal != LENS_TASK_REMOVAL_NONE)
    _lens_task_set_removal (task, LENS_TASK_REMOVAL_NONE, 0);
  return removal == LENS_TASK_REMOVAL_KEPT || removal == LENS_TASK_REMOVAL_DUE;
}

/* Counts @batch's tasks still out (the ones it would make due) by id, up
 * (@step 1) or down (-1) in @counts: id (owned: a task of a batch made due
 * may be let go while its id is still counted for another) → guint (owned). */
static void
count_ids (GHashTable *counts,
           Batch      *batch,
           int         step)
{
  guint16 number;

  for (guint i = batch->next; i < batch->tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (batch->tasks, i);
      const char *id = lens_task_get_id (task);
      guint *count;

      if (_lens_task_get_removal (task, &number) != LENS_TASK_REMOVAL_KEPT || number != batch->number)
        continue;
      if ((count = g_hash_table_lookup (counts, id)) == NULL)
        {
          count = g_new0 (guint, 1);
          g_hash_table_insert (counts, g_strdup (id), count);
        }
      *count += step;
      if (*count == 0)
        g_hash_table_remove (counts, id);
    }
}

/* The ids of the tasks still out in the batches from @first on: another
 * task with one of them took the row of a task removed before them. Kept
 * up to date as make_due() goes from batch to batch (count_ids() down), so
 * that a thousand removals of one task each are not a thousand counts of
 * the rest. With @untouched_only, only batches none of whose tasks were
 * made due yet: the one being made due is of the same removal as the
 * tasks due, and with 100,000 removed at once, counting the rest of it at
 * each write of their deletions took 20 ms a turn (bench-remove). */
static GHashTable *
count_waiting_ids (GList    *first,
                   gboolean  untouched_only)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (GList *l = first; l != NULL; l = l->next)
    if (!untouched_only || ((Batch *) l->data)->next == 0)
      count_ids (counts, l->data, 1);
  return counts;
}

/* Returns: when the next removal's delay has passed (monotonic µs), or
 *   %G_MAXINT64 for none. */
gint64
lens_history_removals_next_due (LensHistoryRemovals *self)
{
  gint64 first = G_MAXINT64;

  /* A few batches at most: those of the last undo delay. */
  for (GList *l = self->batches.head; l != NULL; l = l->next)
    first = MIN (first, ((Batch *) l->data)->delete_at);
  return first;
}

/**
 * lens_history_removals_make_due:
 * @list: the list, to tell whether another task has the same id now
 * @limit: batches due by then are made due (monotonic µs)
 * @max_tasks: how many tasks to look at in this call
 *
 * Returns: %TRUE when tasks due by @limit are left for another call
 */
gboolean
lens_history_removals_make_due (LensHistoryRemovals *self,
                                LensTaskList        *list,
                                gint64               limit,
                                guint                max_tasks)
{
  g_autoptr(GHashTable) later = NULL;  /* count_waiting_ids() of the batches after l */
  guint looked_at = 0;
  GList *l = self->batches.head;

  while (l != NULL)
    {
      Batch *batch = l->data;
      GList *next = l->next;

      if (batch->delete_at > limit)
        {
          if (later != NULL && next != NULL)
            count_ids (later, next->data, -1);
          l = next;
          continue;
        }
      for (; batch->next < batch->tasks->len; batch->next++)
        {
          LensTask *task = g_ptr_array_index (batch->tasks, batch->next);
          guint16 number;
          gboolean replaced;

          if (looked_at++ == max_tasks)
            return TRUE;
          if (_lens_task_get_removal (task, &number) != LENS_TASK_REMOVAL_KEPT || number != batch->number)
            continue;
          replaced = lens_task_list_lookup (list, lens_task_get_id (task)) != NULL;
          if (!replaced && l->next != NULL)
            {
              if (later == NULL)
                later = count_waiting_ids (l->next, FALSE);
              replaced = g_hash_table_contains (later, lens_task_get_id (task));
            }
          if (replaced)
            {
              /* Its id is back, in another task (maybe out of the list
               * again): the row is that one's, and this one has none of
               * its own any more. */
              _lens_task_set_removal (task, LENS_TASK_REMOVAL_REPLACED, 0);
              continue;
            }
          _lens_task_set_removal (task, LENS_TASK_REMOVAL_DUE, 0);
          g_ptr_array_add (self->due, g_object_ref (task));
        }
      g_queue_delete_link (&self->batches, l);
      batch_free (batch);
      if (later != NULL && next != NULL)
        count_ids (later, next->data, -1);
      l = next;
    }
  return FALSE;
}

/* Returns: whether the next write has rows to delete (or maybe had: some
 *   tasks due may be back, which the write then skips). */
gboolean
lens_history_removals_has_deletes (LensHistoryRemovals *self)
{
  return self->due->len > 0;
}

/**
 * lens_history_removals_take_deletes:
 * @list: the list, to tell whether another task has the same id now
 * @changes: (element-type LensStoreChange): where to append the deletions
 * @max_deletes: how many to take at most; the rest are left for the next
 *   call (lens_history_removals_has_deletes() says whether any are)
 * @out_replaced: (out): whether a task due was found replaced instead
 *
 * Returns: (transfer full) (element-type LensTask): the tasks whose rows
 *   @changes delete, for lens_history_removals_restore() should the write
 *   fail
 */
GPtrArray *
lens_history_removals_take_deletes (LensHistoryRemovals *self,
                                    LensTaskList        *list,
                                    GPtrArray           *changes,
                                    guint                max_deletes,
                                    gboolean            *out_replaced)
{
  GPtrArray *gone = g_ptr_array_new_full (MIN (self->due->len, max_deletes), g_object_unref);
  g_autoptr(GHashTable) waiting = NULL;  /* count_waiting_ids() of every batch */
  guint i;

  *out_replaced = FALSE;
  for (i = 0; i < self->due->len && gone->len < max_deletes; i++)
    {
      LensTask *task = g_ptr_array_index (self->due, i);
      gboolean replaced;

      if (_lens_task_get_removal (task, NULL) != LENS_TASK_REMOVAL_DUE)
        continue;
      /* Due since an earlier write (deletions go 5,000 a write), or again
       * after one failed: its id may have come back since, as when it was
       * made due. */
      replaced = lens_task_list_lookup (list, lens_task_get_id (task)) != NULL;
      if (!replaced && !g_queue_is_empty (&self->batches))
        {
          if (waiting == NULL)
            waiting = count_waiting_ids (self->batches.head, TRUE);
          replaced = g_hash_table_contains (waiting, lens_task_get_id (task));
        }
      if (replaced)
        {
          _lens_task_set_removal (task, LENS_TASK_REMOVAL_REPLACED, 0);
          *out_replaced = TRUE;
          continue;
        }
      _lens_task_set_removal (task, LENS_TASK_REMOVAL_GONE, 0);
      g_ptr_array_add (changes, lens_store_change_new_delete (lens_task_get_id (task)));
      g_ptr_array_add (gone, g_object_ref (task));
    }
  g_ptr_array_remove_range (self->due, 0, i);
  return gone;
}

/**
 * lens_history_removals_restore:
 * @gone: (element-type LensTask): what lens_history_removals_take_deletes()
 *   returned for a write that failed
 *
 * Those still out of the list are due again.
 */
void
lens_history_removals_restore (LensHistoryRemovals *self,
                               GPtrArray           *gone)
{
  for (guint i = 0; i < gone->len; i++)
    {
      LensTask *task = g_ptr_array_index (gone, i);

      if (_lens_task_get_removal (task, NULL) != LENS_TASK_REMOVAL_GONE)
        continue;
      _lens_task_set_removal (task, LENS_TASK_REMOVAL_DUE, 0);
      g_ptr_array_add (self->due, g_object_ref (task));
    }
}
