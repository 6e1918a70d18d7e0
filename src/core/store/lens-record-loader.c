/* lens-record-loader.c — the records of the tasks on screen, read from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three sets of tasks:
 * - held: shown somewhere now (a bound row, the task view), with a count;
 *   their details are never dropped;
 * - wanted: held without details; read from the store in one batch per
 *   main-loop turn, one read at a time (those wanted meanwhile go in the
 *   next one);
 * - recent: have details and are not held, most recently used first. When
 *   there are more than the budget, the oldest drop their details.
 *
 * A task gets details from elsewhere too: every record the refresher or a
 * sync applies. The list says so in "task-changed::raw-json", and such a
 * task joins the recent ones, so that bringing in 10,000 records leaves no
 * more than the budget in memory. The history took the record when it came
 * (lens-history.c), so dropping it loses nothing.
 *
 * A task that is no longer in the list keeps its details: it may come back
 * (undo) and be written again.
 */

#define G_LOG_DOMAIN "lens-record-loader"

#include "config.h"

#include "lens-record-loader.h"
#include "lens-task-private.h"

struct _LensRecordLoader
{
  GObject        parent_instance;

  LensTaskStore *store;          /* owned */
  LensTaskList  *tasks;          /* owned */
  GCancellable  *cancellable;    /* owned */
  gulong         record_changed_id;

  GHashTable    *held;           /* LensTask (owned) → count */
  GHashTable    *wanted;         /* id (borrowed) → LensTask (owned): to read */
  GHashTable    *reading;        /* id (borrowed) → LensTask (owned): being read */
  GQueue         recent;         /* of LensTask (owned): most recent first */
  GHashTable    *recent_links;   /* LensTask (borrowed) → its GList in recent */
  guint          budget;
  guint          read_source_id;
};

G_DEFINE_FINAL_TYPE (LensRecordLoader, lens_record_loader, G_TYPE_OBJECT)

/* ─── recent ───────────────────────────────────────────────────────────── */

static void
forget_recent (LensRecordLoader *self,
               LensTask         *task)
{
  GList *link = g_hash_table_lookup (self->recent_links, task);

  if (link == NULL)
    return;
  g_hash_table_remove (self->recent_links, task);
  g_queue_delete_link (&self->recent, link);
  g_object_unref (task);
}

static void
drop_over_budget (LensRecordLoader *self)
{
  while (self->recent.length > self->budget)
    {
      LensTask *task = g_queue_peek_tail (&self->recent);

      g_object_ref (task);
      forget_recent (self, task);
      if (lens_task_list_lookup (self->tasks, lens_task_get_id (task)) == task)
        _lens_task_drop_details (task);
      g_object_unref (task);
    }
}

/* @task has details and is not held: it is the most recent one now. */
static void
touch_recent (LensRecordLoader *self,
              LensTask         *task)
{
  forget_recent (self, task);
  g_queue_push_head (&self->recent, g_object_ref (task));
  g_hash_table_insert (self->recent_links, task, self->recent.head);
  drop_over_budget (self);
}

static void
record_changed_cb (LensTaskList     *list,
                   LensTask         *task,
                   GParamSpec       *pspec,
                   LensRecordLoader *self)
{
  if (!g_hash_table_contains (self->held, task) && lens_task_has_details (task))
    touch_recent (self, task);
}

/* ─── reading ──────────────────────────────────────────────────────────── */

static void schedule_read (LensRecordLoader *self);

/* The store's copy goes to the task if it still wants one (a record may
 * have come meanwhile); a task the store does not have gets empty details,
 * so that it is not asked for again. */
static void
give_details (LensRecordLoader *self,
              LensTask         *task,
              LensTask         *stored)
{
  g_autoptr(LensTask) none = NULL;

  if (stored == NULL)
    stored = none = lens_task_new (lens_task_get_id (task));
  _lens_task_take_details (task, stored);
  if (!g_hash_table_contains (self->held, task))
    touch_recent (self, task);
}

static void
read_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LensRecordLoader) self = user_data;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;

  stored = lens_task_store_read_records_finish (LENS_TASK_STORE (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (stored == NULL)
    {
      /* Shown without details; the next time one is held, it is asked
       * for again. */
      g_warning ("Could not read task records: %s", error->message);
      g_hash_table_remove_all (self->reading);
      schedule_read (self);
      return;
    }

  for (guint i = 0; i < stored->len; i++)
    {
      LensTask *copy = g_ptr_array_index (stored, i);
      LensTask *task = g_hash_table_lookup (self->reading, lens_task_get_id (copy));

      if (task != NULL)
        {
          give_details (self, task, copy);
          g_hash_table_remove (self->reading, lens_task_get_id (copy));
        }
    }

  g_hash_table_iter_init (&iter, self->reading);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    give_details (self, value, NULL);
  g_hash_table_remove_all (self->reading);

  schedule_read (self);
}

static gboolean
read_wanted_cb (gpointer user_data)
{
  LensRecordLoader *self = user_data;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  GHashTable *swap;
  GHashTableIter iter;
  gpointer key;

  self->read_source_id = 0;

  swap = self->reading;
  self->reading = self->wanted;
  self->wanted = swap;

  g_hash_table_iter_init (&iter, self->reading);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, key);
  g_ptr_array_add (ids, NULL);

  lens_task_store_read_records_async (self->store, (const char * const *) ids->pdata, self->cancellable,
                                      read_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_read (LensRecordLoader *self)
{
  if (self->read_source_id != 0 || g_hash_table_size (self->reading) > 0
      || g_hash_table_size (self->wanted) == 0)
    return;
  self->read_source_id = g_idle_add_full (G_PRIORITY_DEFAULT, read_wanted_cb, self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->read_source_id),
                            "[lens-record-loader] read");
}

/* Reads @task's record with the next batch, unless it has details or is
 * already on its way. */
static void
want (LensRecordLoader *self,
      LensTask         *task)
{
  if (lens_task_has_details (task)
      || g_hash_table_contains (self->reading, lens_task_get_id (task))
      || g_hash_table_contains (self->wanted, lens_task_get_id (task)))
    return;

  g_hash_table_insert (self->wanted, (gpointer) lens_task_get_id (task), g_object_ref (task));
  schedule_read (self);
}

/* ─── the object ───────────────────────────────────────────────────────── */

static void
lens_record_loader_dispose (GObject *object)
{
  LensRecordLoader *self = LENS_RECORD_LOADER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->read_source_id, g_source_remove);
  if (self->tasks != NULL)
    g_clear_signal_handler (&self->record_changed_id, self->tasks);
  g_hash_table_remove_all (self->held);
  g_hash_table_remove_all (self->wanted);
  g_hash_table_remove_all (self->reading);
  g_hash_table_remove_all (self->recent_links);
  g_queue_clear_full (&self->recent, g_object_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->tasks);

  G_OBJECT_CLASS (lens_record_loader_parent_class)->dispose (object);
}

static void
lens_record_loader_finalize (GObject *object)
{
  LensRecordLoader *self = LENS_RECORD_LOADER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->held, g_hash_table_unref);
  g_clear_pointer (&self->wanted, g_hash_table_unref);
  g_clear_pointer (&self->reading, g_hash_table_unref);
  g_clear_pointer (&self->recent_links, g_hash_table_unref);

  G_OBJECT_CLASS (lens_record_loader_parent_class)->finalize (object);
}

static void
lens_record_loader_class_init (LensRecordLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_record_loader_dispose;
  object_class->finalize = lens_record_loader_finalize;
}

static void
lens_record_loader_init (LensRecordLoader *self)
{
  self->cancellable = g_cancellable_new ();
  self->held = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->wanted = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->reading = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->recent_links = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_queue_init (&self->recent);
  self->budget = LENS_RECORD_LOADER_DEFAULT_BUDGET;
}

/**
 * lens_record_loader_new:
 * @store: where the records are
 * @tasks: the list whose tasks are held (and whose records it follows)
 */
LensRecordLoader *
lens_record_loader_new (LensTaskStore *store,
                        LensTaskList  *tasks)
{
  LensRecordLoader *self;

  g_return_val_if_fail (LENS_IS_TASK_STORE (store), NULL);
  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), NULL);

  self = g_object_new (LENS_TYPE_RECORD_LOADER, NULL);
  self->store = g_object_ref (store);
  self->tasks = g_object_ref (tasks);
  self->record_changed_id = g_signal_connect (tasks, "task-changed::raw-json",
                                              G_CALLBACK (record_changed_cb), self);
  return self;
}

/**
 * lens_record_loader_hold:
 *
 * @task is shown: it gets its details soon if it has none, and keeps them
 * until as many lens_record_loader_release() calls.
 */
void
lens_record_loader_hold (LensRecordLoader *self,
                         LensTask         *task)
{
  guint count;

  g_return_if_fail (LENS_IS_RECORD_LOADER (self));
  g_return_if_fail (LENS_IS_TASK (task));

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->held, task));
  if (count == 0)
    {
      forget_recent (self, task);
      g_hash_table_insert (self->held, g_object_ref (task), GUINT_TO_POINTER (1));
    }
  else
    g_hash_table_insert (self->held, g_object_ref (task), GUINT_TO_POINTER (count + 1));

  want (self, task);
}

/**
 * lens_record_loader_prefetch:
 *
 * @task is about to be shown: its record is read as for
 * lens_record_loader_hold(), but it is not held, so that its details join
 * the recent ones, dropped beyond the budget; details it has already (a
 * load gave them, see lens_task_store_set_load_records()) join them too.
 * For the first screen of a start-up: asked for as soon as the history is
 * loaded rather than when the rows are bound, the records are there for
 * the first frame of rows.
 */
void
lens_record_loader_prefetch (LensRecordLoader *self,
                             LensTask         *task)
{
  g_return_if_fail (LENS_IS_RECORD_LOADER (self));
  g_return_if_fail (LENS_IS_TASK (task));

  if (lens_task_has_details (task) && !g_hash_table_contains (self->held, task))
    touch_recent (self, task);
  else
    want (self, task);
}

void
lens_record_loader_release (LensRecordLoader *self,
                            LensTask         *task)
{
  guint count;

  g_return_if_fail (LENS_IS_RECORD_LOADER (self));
  g_return_if_fail (LENS_IS_TASK (task));

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->held, task));
  g_return_if_fail (count > 0);

  if (count > 1)
    {
      g_hash_table_insert (self->held, g_object_ref (task), GUINT_TO_POINTER (count - 1));
      return;
    }

  g_object_ref (task);
  g_hash_table_remove (self->held, task);
  if (lens_task_has_details (task))
    touch_recent (self, task);
  g_object_unref (task);
}

/* For tests: how many tasks may keep details they are not held for. */
void
lens_record_loader_set_budget (LensRecordLoader *self,
                               guint             n_tasks)
{
  g_return_if_fail (LENS_IS_RECORD_LOADER (self));
  self->budget = n_tasks;
  drop_over_budget (self);
}

/**
 * lens_record_loader_get_n_loaded:
 *
 * Returns: how many tasks it keeps details for without their being held
 */
guint
lens_record_loader_get_n_loaded (LensRecordLoader *self)
{
  g_return_val_if_fail (LENS_IS_RECORD_LOADER (self), 0);
  return self->recent.length;
}

/**
 * lens_record_loader_get_n_held:
 *
 * Returns: how many tasks are held (shown) now
 */
guint
lens_record_loader_get_n_held (LensRecordLoader *self)
{
  g_return_val_if_fail (LENS_IS_RECORD_LOADER (self), 0);
  return g_hash_table_size (self->held);
}
