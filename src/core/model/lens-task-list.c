/* lens-task-list.c — the user's tasks, in the user's order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one source of truth the UI shows: a GListModel of LensTask, unique by
 * id. The array keeps the order; the hash table finds a task by id in
 * constant time, which matters when a batch of records for a list of tens of
 * thousands of tasks comes back.
 *
 * A second table finds a grid by its image_id, the name an upscale or a
 * variation gives of the grid it was made from (request.image_id), so that
 * its title can name the grid's prompt without a scan of the list. It holds
 * the tasks whose record was seen this session, and names tasks by id, so
 * that a removed task is simply not found.
 *
 * The last removal is kept, tasks and positions, until it is undone or
 * forgotten: that is the one place undo lives (lens-task-list-removal.c).
 * (The history, for its part, deletes a removed task from disk only after
 * a delay, so that a task put back is never written twice.)
 */

#define G_LOG_DOMAIN "lens-task-list"

#include "config.h"

#include <string.h>

#include "lens-id-parser.h"
#include "lens-json.h"
#include "lens-task-list-private.h"
#include "lens-task-private.h"

static void
removed_clear (Removed *removed)
{
  g_clear_object (&removed->task);
}

static void lens_task_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LensTaskList, lens_task_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, lens_task_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_TASK_CHANGED,
  SIGNAL_TASKS_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Remembers which task holds its image_id. A task whose details are dropped
 * (scrolled away) stays indexed: its image_id does not change. */
static void
index_image_id (LensTaskList *self,
                LensTask     *task)
{
  const char *image_id = lens_task_get_image_id (task);
  const char *indexed;

  if (image_id == NULL)
    return;
  indexed = g_hash_table_lookup (self->by_image_id, image_id);
  if (g_strcmp0 (indexed, lens_task_get_id (task)) != 0)
    g_hash_table_insert (self->by_image_id, g_strdup (image_id), g_strdup (lens_task_get_id (task)));
}

static void
task_changed_cb (LensTaskObserver *observer,
                 LensTask         *task,
                 GParamSpec       *pspec)
{
  LensTaskList *self = (LensTaskList *) ((char *) observer - G_STRUCT_OFFSET (LensTaskList, observer));

  if (g_str_equal (g_param_spec_get_name (pspec), "image-id"))
    index_image_id (self, task);
  g_signal_emit (self, signals[SIGNAL_TASK_CHANGED], g_param_spec_get_name_quark (pspec),
                 task, pspec);
}

/* Every task in the list, and only those, tells the list of its changes. */
void
_lens_task_list_adopt (LensTaskList *self,
       LensTask     *task)
{
  _lens_task_set_observer (task, &self->observer);
  index_image_id (self, task);
  self->added_since_removal = TRUE;
}

void
_lens_task_list_release (LensTask *task)
{
  _lens_task_set_observer (task, NULL);
}

void
_lens_task_list_emit_items_changed (LensTaskList *self,
                    guint         position,
                    guint         removed,
                    guint         added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Once a removal's items-changed were all said: which tasks left. */
void
_lens_task_list_emit_tasks_removed (LensTaskList *self,
                                    GPtrArray    *tasks)
{
  g_signal_emit (self, signals[SIGNAL_TASKS_REMOVED], 0, tasks);
}

static void
append_task (LensTaskList *self,
             LensTask     *task)
{
  g_ptr_array_add (self->tasks, task);
  g_hash_table_insert (self->by_id, (gpointer) lens_task_get_id (task), task);
  _lens_task_list_adopt (self, task);
}

/* Appends a queued task for each of @ids not in the list yet (nor earlier
 * in @ids), in order, with one items-changed for all of them. @ids are
 * trusted to be task ids in lower case. */
static guint
append_new_ids (LensTaskList       *self,
                const char * const *ids,
                guint               n_ids,
                guint              *out_n_existing)
{
  guint first = self->tasks->len, n_added = 0, n_existing = 0;

  for (guint i = 0; i < n_ids; i++)
    {
      if (g_hash_table_contains (self->by_id, ids[i]))
        {
          n_existing++;
          continue;
        }

      append_task (self, lens_task_new (ids[i]));
      n_added++;
    }

  if (n_added > 0)
    _lens_task_list_emit_items_changed (self, first, 0, n_added);

  if (out_n_existing != NULL)
    *out_n_existing = n_existing;

  return n_added;
}

/**
 * lens_task_list_add_ids:
 * @self: the list
 * @ids: (array zero-terminated=1): task ids, in the order to add them
 * @out_n_existing: (out) (optional): how many were already in the list (or
 *   repeated within @ids)
 *
 * Appends a queued task for each id that is not in the list yet, keeping the
 * order of @ids, and emits one items-changed for all of them. Ids in any
 * case are taken; what is not a task id is refused with a warning.
 *
 * Returns: how many tasks were added
 */
guint
lens_task_list_add_ids (LensTaskList       *self,
                        const char * const *ids,
                        guint              *out_n_existing)
{
  g_autoptr(GPtrArray) normal = NULL;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);
  g_return_val_if_fail (ids != NULL, 0);

  normal = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      char *id = g_ascii_strdown (ids[i], -1);

      if (!lens_id_is_task_id (id))
        {
          g_warning ("Not a task id, not added: %s", ids[i]);
          g_free (id);
          continue;
        }
      g_ptr_array_add (normal, id);
    }

  return append_new_ids (self, (const char * const *) normal->pdata, normal->len, out_n_existing);
}

/**
 * lens_task_list_add_parsed_ids:
 * @self: the list
 * @ids: (array length=n_ids): task ids as lens_id_parser_parse() finds them:
 *   valid and in lower case, which is not checked again
 * @n_ids: how many
 * @out_n_existing: (out) (optional): how many were already in the list (or
 *   repeated within @ids)
 *
 * Like lens_task_list_add_ids(), for ids the parser has already checked and
 * put in lower case: what comes in from a paste or a file, where doing it
 * again for every one of 10,000 ids would be wasted work on the main thread.
 *
 * Returns: how many tasks were added
 */
guint
lens_task_list_add_parsed_ids (LensTaskList       *self,
                               const char * const *ids,
                               guint               n_ids,
                               guint              *out_n_existing)
{
  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);
  g_return_val_if_fail (ids != NULL || n_ids == 0, 0);

  return append_new_ids (self, ids, n_ids, out_n_existing);
}

/**
 * lens_task_list_count_parsed_ids:
 * @self: the list
 * @ids: (array length=n_ids): task ids as lens_id_parser_parse() finds them
 * @n_ids: how many
 *
 * Returns: how many of @ids the list holds (for a preview of what adding
 *   them would do)
 */
guint
lens_task_list_count_parsed_ids (LensTaskList       *self,
                                 const char * const *ids,
                                 guint               n_ids)
{
  guint n_held = 0;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);
  g_return_val_if_fail (ids != NULL || n_ids == 0, 0);

  for (guint i = 0; i < n_ids; i++)
    if (g_hash_table_contains (self->by_id, ids[i]))
      n_held++;
  return n_held;
}

/**
 * lens_task_list_insert_ids:
 * @self: the list
 * @position: where the first of them goes (clamped to the end)
 * @ids: (array zero-terminated=1): task ids, in the order to insert them
 *
 * Like lens_task_list_add_ids(), but at @position instead of the end: a
 * queued task for each id not in the list yet (nor earlier in @ids), in the
 * order of @ids, with one items-changed for all of them. Ids that are not
 * task ids are skipped.
 *
 * Returns: how many tasks were inserted
 */
guint
lens_task_list_insert_ids (LensTaskList       *self,
                           guint               position,
                           const char * const *ids)
{
  g_autoptr(GPtrArray) added = NULL;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);
  g_return_val_if_fail (ids != NULL, 0);

  position = MIN (position, self->tasks->len);
  added = g_ptr_array_new ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *id = g_ascii_strdown (ids[i], -1);
      LensTask *task;

      if (!lens_id_is_task_id (id) || g_hash_table_contains (self->by_id, id))
        continue;

      task = lens_task_new (id);
      g_hash_table_insert (self->by_id, (gpointer) lens_task_get_id (task), task);
      _lens_task_list_adopt (self, task);
      g_ptr_array_add (added, task);
    }

  if (added->len == 0)
    return 0;

  /* One move of the tail for all of them, whatever their number. */
  {
    guint old_len = self->tasks->len;

    g_ptr_array_set_size (self->tasks, old_len + added->len);
    memmove (&self->tasks->pdata[position + added->len], &self->tasks->pdata[position],
             (old_len - position) * sizeof (gpointer));
    memcpy (&self->tasks->pdata[position], added->pdata, added->len * sizeof (gpointer));
  }
  _lens_task_list_emit_items_changed (self, position, 0, added->len);
  return added->len;
}

/**
 * lens_task_list_append_tasks:
 * @tasks: (element-type LensTask): tasks made elsewhere (for example loaded
 *   from the store in a worker thread), in order
 *
 * Appends the tasks whose ids are not in the list yet, with one
 * items-changed for all of them.
 *
 * Returns: how many were appended
 */
guint
lens_task_list_append_tasks (LensTaskList *self,
                             GPtrArray    *tasks)
{
  guint first, n_added = 0;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);
  g_return_val_if_fail (tasks != NULL, 0);

  first = self->tasks->len;
  for (guint i = 0; i < tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (tasks, i);

      if (g_hash_table_contains (self->by_id, lens_task_get_id (task)))
        continue;
      append_task (self, g_object_ref (task));
      n_added++;
    }

  if (n_added > 0)
    _lens_task_list_emit_items_changed (self, first, 0, n_added);
  return n_added;
}

/**
 * lens_task_list_insert:
 * @self: the list
 * @position: where to put it (clamped to the end)
 * @task: a task whose id is not in the list
 *
 * Puts a task back where it was, for undo. Returns FALSE (and changes
 * nothing) when a task with its id is already in the list.
 */
gboolean
lens_task_list_insert (LensTaskList *self,
                       guint         position,
                       LensTask     *task)
{
  g_return_val_if_fail (LENS_IS_TASK_LIST (self), FALSE);
  g_return_val_if_fail (LENS_IS_TASK (task), FALSE);

  if (g_hash_table_contains (self->by_id, lens_task_get_id (task)))
    return FALSE;

  position = MIN (position, self->tasks->len);
  g_ptr_array_insert (self->tasks, position, g_object_ref (task));
  g_hash_table_insert (self->by_id, (gpointer) lens_task_get_id (task), task);
  _lens_task_list_adopt (self, task);
  _lens_task_list_emit_items_changed (self, position, 0, 1);

  return TRUE;
}

/**
 * lens_task_list_peek:
 * @position: less than the number of items
 *
 * g_list_model_get_item() without the reference, for those that follow
 * every change of a large list (the history).
 *
 * Returns: (transfer none): the task at @position
 */
LensTask *
lens_task_list_peek (LensTaskList *self,
                     guint         position)
{
  g_return_val_if_fail (LENS_IS_TASK_LIST (self), NULL);
  g_return_val_if_fail (position < self->tasks->len, NULL);

  return g_ptr_array_index (self->tasks, position);
}

/**
 * lens_task_list_dup_all:
 *
 * Returns: (transfer container) (element-type LensTask): every task, in
 *   order: one copy of the array, for whoever acts on all of them
 */
GPtrArray *
lens_task_list_dup_all (LensTaskList *self)
{
  g_return_val_if_fail (LENS_IS_TASK_LIST (self), NULL);

  return g_ptr_array_copy (self->tasks, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
}

/**
 * lens_task_list_lookup:
 * Returns: (transfer none) (nullable): the task with @id
 */
LensTask *
lens_task_list_lookup (LensTaskList *self,
                       const char   *id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  /* The ids are kept in lower case, and most callers have one already (a
   * task's own): no copy for them. */
  for (const char *c = id; *c != '\0'; c++)
    if (g_ascii_isupper (*c))
      {
        key = g_ascii_strdown (id, -1);
        break;
      }
  return g_hash_table_lookup (self->by_id, key != NULL ? key : id);
}

/**
 * lens_task_list_lookup_by_image_id:
 * @image_id: an image_id, as a task's record names it, or as an upscale's
 *   request names the grid it comes from
 *
 * Finds the task of the list whose record said it holds @image_id, in
 * constant time. Only tasks whose record was seen since the list was made
 * are found: a task known only by its summary has said nothing of it.
 *
 * Returns: (transfer none) (nullable): the task holding @image_id
 */
LensTask *
lens_task_list_lookup_by_image_id (LensTaskList *self,
                                   const char   *image_id)
{
  const char *id;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), NULL);
  g_return_val_if_fail (image_id != NULL, NULL);

  id = g_hash_table_lookup (self->by_image_id, image_id);
  return id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
}

gboolean
lens_task_list_find (LensTaskList *self,
                     const char   *id,
                     guint        *out_position)
{
  LensTask *task;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), FALSE);

  task = lens_task_list_lookup (self, id);
  if (task == NULL)
    return FALSE;

  return g_ptr_array_find (self->tasks, task, out_position);
}

gboolean
lens_task_list_remove (LensTaskList *self,
                       const char   *id)
{
  g_autoptr(GPtrArray) one = NULL;
  LensTask *task;
  guint position;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), FALSE);

  if (!lens_task_list_find (self, id, &position))
    return FALSE;

  g_hash_table_remove (self->by_id, lens_task_get_id (g_ptr_array_index (self->tasks, position)));
  /* The index kept for undo would hold it again. */
  g_clear_pointer (&self->index_before_removal, g_hash_table_unref);
  task = g_ptr_array_steal_index (self->tasks, position);
  _lens_task_list_release (task);
  _lens_task_list_emit_items_changed (self, position, 1, 0);
  one = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (one, task);
  _lens_task_list_emit_tasks_removed (self, one);

  return TRUE;
}

/**
 * lens_task_list_apply_records:
 * @self: the list
 * @answered_ids: (array zero-terminated=1): the ids the server answered for
 * @records: (element-type JsonNode): the records it sent back
 *
 * Updates each task from its record (matched by id: the server returns
 * records in any order), and marks every answered id that came back without
 * a record as not found. Records for tasks not in the list are ignored.
 *
 * Returns: how many tasks were updated from a record
 */
guint
lens_task_list_apply_records (LensTaskList       *self,
                              const char * const *answered_ids,
                              GPtrArray          *records)
{
  g_autoptr(GPtrArray) prepared = NULL;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);
  g_return_val_if_fail (records != NULL, 0);

  prepared = lens_prepared_records_new_all (records);
  return lens_task_list_apply_prepared (self, answered_ids, prepared);
}

/**
 * lens_task_list_apply_prepared:
 * @self: the list
 * @answered_ids: (array zero-terminated=1) (nullable): the ids the server
 *   answered for
 * @records: (element-type LensPreparedRecord): the records it sent back,
 *   prepared (off the main thread, by the client); each is moved into its
 *   task, so they can be applied only once
 *
 * lens_task_list_apply_records() for records already read.
 *
 * Returns: how many tasks were updated from a record
 */
guint
lens_task_list_apply_prepared (LensTaskList       *self,
                               const char * const *answered_ids,
                               GPtrArray          *records)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_updated = 0;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), 0);
  g_return_val_if_fail (records != NULL, 0);

  for (guint i = 0; i < records->len; i++)
    {
      LensPreparedRecord *record = g_ptr_array_index (records, i);
      const char *id = lens_prepared_record_get_id (record);
      LensTask *task = lens_task_list_lookup (self, id);

      if (task == NULL)
        continue;

      lens_task_apply_prepared_record (task, record);
      g_hash_table_add (seen, (gpointer) id);
      n_updated++;
    }

  for (guint i = 0; answered_ids != NULL && answered_ids[i] != NULL; i++)
    {
      g_autofree char *id = g_ascii_strdown (answered_ids[i], -1);
      LensTask *task;

      if (g_hash_table_contains (seen, id))
        continue;
      if ((task = lens_task_list_lookup (self, id)) != NULL)
        lens_task_mark_not_found (task);
    }

  return n_updated;
}

/**
 * lens_task_list_dup_tasks_in_states:
 * @states: which states, as a mask of `1 << LensTaskState`
 *
 * Faster than going through the list model for a few tasks of many: the
 * list is read directly, and only the tasks returned are referenced.
 *
 * Returns: (transfer full) (element-type LensTask): the tasks in one of
 *   @states, in list order
 */
GPtrArray *
lens_task_list_dup_tasks_in_states (LensTaskList *self,
                                    guint         states)
{
  GPtrArray *tasks;

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), NULL);

  tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (self->tasks, i);

      if (states & (1u << lens_task_get_state (task)))
        g_ptr_array_add (tasks, g_object_ref (task));
    }
  return tasks;
}

/**
 * lens_task_list_dup_ids_where:
 * @predicate: says whether a task's id is wanted
 *
 * One pass over the list's own array, without the list model's reference
 * per item: about 6 ms for 100,000 tasks, where the list model took twice
 * that (Save Images for every finished task asks it on the main thread).
 *
 * Returns: (transfer full): the ids of the tasks @predicate accepts, in
 *   list order
 */
GStrv
lens_task_list_dup_ids_where (LensTaskList      *self,
                              LensTaskPredicate  predicate,
                              gpointer           user_data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (LENS_IS_TASK_LIST (self), NULL);
  g_return_val_if_fail (predicate != NULL, NULL);

  for (guint i = 0; i < self->tasks->len; i++)
    {
      LensTask *task = g_ptr_array_index (self->tasks, i);

      if (predicate (task, user_data))
        g_strv_builder_add (builder, lens_task_get_id (task));
    }

  return g_strv_builder_end (builder);
}

static gboolean
task_is_in_state (LensTask *task,
                  gpointer  state)
{
  return lens_task_get_state (task) == (LensTaskState) GPOINTER_TO_INT (state);
}

/**
 * lens_task_list_dup_ids_in_state:
 * Returns: (transfer full): the ids of the tasks in @state, in list order
 */
GStrv
lens_task_list_dup_ids_in_state (LensTaskList  *self,
                                 LensTaskState  state)
{
  return lens_task_list_dup_ids_where (self, task_is_in_state, GINT_TO_POINTER (state));
}

static GType
lens_task_list_get_item_type (GListModel *model)
{
  return LENS_TYPE_TASK;
}

static guint
lens_task_list_get_n_items (GListModel *model)
{
  return LENS_TASK_LIST (model)->tasks->len;
}

static gpointer
lens_task_list_get_item (GListModel *model,
                         guint       position)
{
  LensTaskList *self = LENS_TASK_LIST (model);

  if (position >= self->tasks->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->tasks, position));
}

static void
lens_task_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = lens_task_list_get_item_type;
  iface->get_n_items = lens_task_list_get_n_items;
  iface->get_item = lens_task_list_get_item;
}

static void
lens_task_list_finalize (GObject *object)
{
  LensTaskList *self = (LensTaskList *) object;

  g_clear_pointer (&self->removed, g_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->index_before_removal, g_hash_table_unref);
  g_clear_pointer (&self->by_image_id, g_hash_table_unref);
  /* A task may outlive the list (a row, an undo): it must not call it. */
  g_ptr_array_foreach (self->tasks, (GFunc) _lens_task_list_release, NULL);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);

  G_OBJECT_CLASS (lens_task_list_parent_class)->finalize (object);
}

static void
lens_task_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LensTaskList *self = LENS_TASK_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->tasks->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_list_class_init (LensTaskListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lens_task_list_finalize;
  object_class->get_property = lens_task_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensTaskList::task-changed:
   * @task: a task of the list
   * @pspec: the property that changed; the signal's detail is its name
   *
   * One signal for the changes of every task in the list, so that who
   * follows all of them (the history) needs no handler on each.
   */
  signals[SIGNAL_TASK_CHANGED] =
    g_signal_new ("task-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, LENS_TYPE_TASK, G_TYPE_PARAM);

  /**
   * LensTaskList::tasks-removed:
   * @tasks: (element-type LensTask): the tasks that left the list
   *
   * After a removal's items-changed: which tasks it took out, for who
   * keeps something of each task by id (the refresher's schedule), and
   * would otherwise have to look every id it keeps up in the list again.
   * Undo puts them back with items-changed alone.
   */
  signals[SIGNAL_TASKS_REMOVED] =
    g_signal_new ("tasks-removed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
lens_task_list_init (LensTaskList *self)
{
  self->observer.changed = task_changed_cb;
  self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_image_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->removed = g_array_new (FALSE, TRUE, sizeof (Removed));
  g_array_set_clear_func (self->removed, (GDestroyNotify) removed_clear);
}

LensTaskList *
lens_task_list_new (void)
{
  return g_object_new (LENS_TYPE_TASK_LIST, NULL);
}
