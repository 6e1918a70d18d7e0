/* lens-pick-selection.c — which of the shown tasks are picked, marked on the tasks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkSelectionModel over the shown tasks (sorted and filtered), for the
 * tasks picked to act on together (lens-bulk-selection.c). It does what a
 * GtkMultiSelection does for it, without its table of the items picked.
 *
 * Picks must follow the tasks, not their places: when the sort moves a
 * task, the shown model says its old place was removed and its new one
 * added, and only the task itself can say it was picked. GtkMultiSelection
 * keeps every item picked in a hash table for that: Ctrl+A at 100,000 tasks
 * fetched and added 100,000 items to it (about 20 ms), every change of the
 * shown tasks walked all of it, and removing them unreffed each.
 *
 * Here the positions picked are a GtkBitset, as there, and each task picked
 * carries this selection's mark (a number in the task's padding,
 * _lens_task_set_pick_mark()). Between changes, only the tasks picked carry
 * the mark, so:
 *   - a change that removes no picked task adds none either: nothing to
 *     look at (a removal of tasks not picked, a paste, an Undo);
 *   - a change that removes k picked tasks looks at the tasks it adds until
 *     it has found k with the mark (a sort moves them);
 *   - picked tasks that left (removed, or hidden by a search) would keep the
 *     mark. Instead of finding them, which the model can no longer do, the
 *     selection takes a new mark and puts it on the tasks still picked.
 *     Removing every task picked leaves none to mark. A search typed with
 *     many tasks picked pays that at each step of the filter: as much as
 *     GtkMultiSelection's walk of its table, no more.
 * Ctrl+A with no search marks every task straight in the list, without the
 * models in between: 100,000 tasks in well under a millisecond. Under a
 * search, every task shown picked are the tasks of the list its filter
 * lets through: those are marked in the list too, asking the filter of
 * each, as taking each from the filter model cost 37 ms for 50,000 of
 * 100,000 (bench-picks, "Ctrl+A under a search"). Tasks
 * removed from the list lose their mark at once ("tasks-removed"): one put
 * back by Undo never carries one.
 *
 * The marks are numbers from one counter for every selection. After 65,535
 * of them the counter starts again, and the tasks of the list lose their
 * marks first, so that an old mark is never taken for a new one. That
 * clears the marks of any other selection over the same list too: there is
 * one, the window's.
 */

#define G_LOG_DOMAIN "lens-pick-selection"

#include "config.h"

#include "lens-pick-selection.h"
#include "lens-task-private.h"

struct _LensPickSelection
{
  GObject       parent_instance;

  GListModel   *shown;    /* owned: the tasks shown, sorted and filtered */
  LensTaskList *all;      /* owned, nullable: the list they are taken from */
  GtkBitset    *picked;   /* owned: the positions picked, in shown */
  guint16       mark;     /* the mark every task picked carries; never 0 */
};

static void lens_pick_selection_list_model_init (GListModelInterface *iface);
static void lens_pick_selection_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LensPickSelection, lens_pick_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      lens_pick_selection_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      lens_pick_selection_selection_model_init))

/* The last mark given, to any selection. */
static guint16 last_mark;

/* ─── marks ────────────────────────────────────────────────────────────── */

/* Whether every task of the list is shown, and picked: their marks can then
 * be set in the list itself. */
static gboolean
picks_whole_list (LensPickSelection *self)
{
  guint n_shown = g_list_model_get_n_items (self->shown);

  return self->all != NULL && n_shown == g_list_model_get_n_items (G_LIST_MODEL (self->all))
         && gtk_bitset_get_size (self->picked) == n_shown;
}

/* The filter that makes the shown tasks of the list's, when they are all
 * picked and the filter is done: the tasks picked are then those of the
 * list that it lets through (a sort in between only orders them). */
static GtkFilter *
filter_of_all_picked (LensPickSelection *self)
{
  GtkFilterListModel *filtered;
  guint n_shown = g_list_model_get_n_items (self->shown);

  if (self->all == NULL || !GTK_IS_FILTER_LIST_MODEL (self->shown)
      || gtk_bitset_get_size (self->picked) != n_shown)
    return NULL;
  filtered = GTK_FILTER_LIST_MODEL (self->shown);
  if (gtk_filter_list_model_get_pending (filtered) > 0 || gtk_filter_list_model_get_filter (filtered) == NULL)
    return NULL;
  return gtk_filter_list_model_get_filter (filtered);
}

/* Puts @mark on the tasks of the list that @filter lets through, in the
 * list's own array. */
static void
set_marks_on_matches (LensPickSelection *self,
                      GtkFilter         *filter,
                      guint16            mark)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->all));

  for (guint i = 0; i < n; i++)
    {
      LensTask *task = lens_task_list_peek (self->all, i);

      if (gtk_filter_match (filter, task))
        _lens_task_set_pick_mark (task, mark);
    }
}

/* Puts @mark on the shown tasks at @positions. */
static void
set_marks (LensPickSelection *self,
           const GtkBitset   *positions,
           guint16            mark)
{
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, positions, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(LensTask) task = g_list_model_get_item (self->shown, position);

      if (task != NULL)
        _lens_task_set_pick_mark (task, mark);
    }
}

/* Puts @mark on every task of the list, in its own array. */
static void
set_marks_in_list (LensPickSelection *self,
                   guint16            mark)
{
  guint n = self->all != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->all)) : 0;

  for (guint i = 0; i < n; i++)
    _lens_task_set_pick_mark (lens_task_list_peek (self->all, i), mark);
}

/* Marks the tasks at @positions, all picked. */
static void
mark_picks (LensPickSelection *self,
            const GtkBitset   *positions)
{
  GtkFilter *filter;

  if (picks_whole_list (self))
    set_marks_in_list (self, self->mark);
  else if (gtk_bitset_get_size (positions) > 64 && (filter = filter_of_all_picked (self)) != NULL)
    set_marks_on_matches (self, filter, self->mark);
  else
    set_marks (self, positions, self->mark);
}

static void
take_new_mark (LensPickSelection *self)
{
  last_mark++;
  if (last_mark == 0)
    {
      /* Round again: no task of the list may keep a mark about to be
       * given. */
      set_marks_in_list (self, 0);
      last_mark = 1;
    }
  self->mark = last_mark;
}

/* Picked tasks carry a mark they should not keep (they left, or were let
 * go): the tasks still picked get a new one instead. */
static void
renew_mark (LensPickSelection *self)
{
  take_new_mark (self);
  mark_picks (self, self->picked);
}

/* ─── GListModel ───────────────────────────────────────────────────────── */

static GType
lens_pick_selection_get_item_type (GListModel *model)
{
  return LENS_TYPE_TASK;
}

static guint
lens_pick_selection_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (LENS_PICK_SELECTION (model)->shown);
}

static gpointer
lens_pick_selection_get_item (GListModel *model,
                              guint       position)
{
  return g_list_model_get_item (LENS_PICK_SELECTION (model)->shown, position);
}

static void
lens_pick_selection_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = lens_pick_selection_get_item_type;
  iface->get_n_items = lens_pick_selection_get_n_items;
  iface->get_item = lens_pick_selection_get_item;
}

/* ─── GtkSelectionModel ────────────────────────────────────────────────── */

static gboolean
lens_pick_selection_is_selected (GtkSelectionModel *model,
                                 guint              position)
{
  return gtk_bitset_contains (LENS_PICK_SELECTION (model)->picked, position);
}

static GtkBitset *
lens_pick_selection_get_selection_in_range (GtkSelectionModel *model,
                                            guint              position,
                                            guint              n_items)
{
  GtkBitset *picked = gtk_bitset_copy (LENS_PICK_SELECTION (model)->picked);
  g_autoptr(GtkBitset) range = gtk_bitset_new_range (position, n_items);

  gtk_bitset_intersect (picked, range);
  return picked;
}

/* The one way picks change: GtkSelectionModel's select_item, select_all,
 * unselect_range… all come here. */
static gboolean
lens_pick_selection_set_selection (GtkSelectionModel *model,
                                   GtkBitset         *selected,
                                   GtkBitset         *mask)
{
  LensPickSelection *self = LENS_PICK_SELECTION (model);
  g_autoptr(GtkBitset) to_pick = gtk_bitset_copy (selected);
  g_autoptr(GtkBitset) to_let_go = gtk_bitset_copy (self->picked);
  g_autoptr(GtkBitset) changed = NULL;
  guint64 n_let_go;

  gtk_bitset_intersect (to_pick, mask);
  gtk_bitset_subtract (to_pick, self->picked);
  gtk_bitset_intersect (to_let_go, mask);
  gtk_bitset_subtract (to_let_go, selected);
  if (gtk_bitset_is_empty (to_pick) && gtk_bitset_is_empty (to_let_go))
    return TRUE;

  gtk_bitset_subtract (self->picked, to_let_go);
  gtk_bitset_union (self->picked, to_pick);

  /* The tasks let go lose the mark: one by one when they are fewer than
   * the tasks still picked, else the rest take a new one. */
  n_let_go = gtk_bitset_get_size (to_let_go);
  if (n_let_go > 0 && n_let_go > gtk_bitset_get_size (self->picked))
    renew_mark (self);
  else
    {
      set_marks (self, to_let_go, 0);
      mark_picks (self, to_pick);
    }

  changed = gtk_bitset_copy (to_pick);
  gtk_bitset_union (changed, to_let_go);
  gtk_selection_model_selection_changed (model, gtk_bitset_get_minimum (changed),
                                         gtk_bitset_get_maximum (changed) - gtk_bitset_get_minimum (changed) + 1);
  return TRUE;
}

static void
lens_pick_selection_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = lens_pick_selection_is_selected;
  iface->get_selection_in_range = lens_pick_selection_get_selection_in_range;
  iface->set_selection = lens_pick_selection_set_selection;
}

/* ─── following the shown tasks ────────────────────────────────────────── */

static void
shown_changed_cb (LensPickSelection *self,
                  guint              position,
                  guint              removed,
                  guint              added)
{
  guint64 n_picked_out = removed > 0 ? gtk_bitset_get_size_in_range (self->picked, position,
                                                                     position + removed - 1)
                                     : 0;
  g_autoptr(GtkBitset) found = gtk_bitset_new_empty ();
  guint64 n_found = 0;

  gtk_bitset_splice (self->picked, position, removed, added);
  /* Only the picked tasks just taken out can carry the mark: once they are
   * all found, the rest are new. They go into a set of their own, joined
   * to the picks once: added one by one among the picks' ranges, 50,000
   * positions took half a second (a search cleared with its tasks picked). */
  for (guint i = 0; n_found < n_picked_out && i < added; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (self->shown, position + i);

      if (task != NULL && _lens_task_get_pick_mark (task) == self->mark)
        {
          gtk_bitset_add (found, position + i);
          n_found++;
        }
    }
  gtk_bitset_union (self->picked, found);
  if (n_found < n_picked_out)
    renew_mark (self);

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* Tasks out of the list (waiting for Undo) keep no mark: one that came
 * back could be taken for a pick. */
static void
tasks_removed_cb (LensPickSelection *self,
                  GPtrArray         *removed)
{
  for (guint i = 0; i < removed->len; i++)
    _lens_task_set_pick_mark (g_ptr_array_index (removed, i), 0);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_pick_selection_dispose (GObject *object)
{
  LensPickSelection *self = LENS_PICK_SELECTION (object);

  if (self->shown != NULL)
    g_signal_handlers_disconnect_by_data (self->shown, self);
  if (self->all != NULL)
    g_signal_handlers_disconnect_by_data (self->all, self);
  g_clear_object (&self->shown);
  g_clear_object (&self->all);

  G_OBJECT_CLASS (lens_pick_selection_parent_class)->dispose (object);
}

static void
lens_pick_selection_finalize (GObject *object)
{
  LensPickSelection *self = LENS_PICK_SELECTION (object);

  g_clear_pointer (&self->picked, gtk_bitset_unref);

  G_OBJECT_CLASS (lens_pick_selection_parent_class)->finalize (object);
}

static void
lens_pick_selection_class_init (LensPickSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_pick_selection_dispose;
  object_class->finalize = lens_pick_selection_finalize;
}

static void
lens_pick_selection_init (LensPickSelection *self)
{
  self->picked = gtk_bitset_new_empty ();
}

/* ─── public ───────────────────────────────────────────────────────────── */

/**
 * lens_pick_selection_new:
 * @shown: the tasks shown, made of @all's (sorted, filtered, each once)
 * @all: (nullable): the list they come from: with every task shown and
 *   picked, the marks are set there, without going through @shown
 *
 * Returns: (transfer full): a selection of @shown, with nothing picked
 */
LensPickSelection *
lens_pick_selection_new (GListModel   *shown,
                         LensTaskList *all)
{
  LensPickSelection *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (shown), NULL);
  g_return_val_if_fail (all == NULL || LENS_IS_TASK_LIST (all), NULL);

  self = g_object_new (LENS_TYPE_PICK_SELECTION, NULL);
  self->shown = g_object_ref (shown);
  self->all = all != NULL ? g_object_ref (all) : NULL;
  take_new_mark (self);
  g_signal_connect_object (shown, "items-changed", G_CALLBACK (shown_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (all != NULL)
    g_signal_connect_object (all, "tasks-removed", G_CALLBACK (tasks_removed_cb), self,
                             G_CONNECT_SWAPPED);
  return self;
}

/* The sort model under @shown, when @shown filters a sort of @all, as the
 * window's does; otherwise NULL. */
static GtkSortListModel *
sorted_under (GListModel   *shown,
              LensTaskList *all)
{
  GListModel *under;

  if (all == NULL || !GTK_IS_FILTER_LIST_MODEL (shown))
    return NULL;
  under = gtk_filter_list_model_get_model (GTK_FILTER_LIST_MODEL (shown));
  if (!GTK_IS_SORT_LIST_MODEL (under)
      || gtk_sort_list_model_get_model (GTK_SORT_LIST_MODEL (under)) != G_LIST_MODEL (all))
    return NULL;
  return GTK_SORT_LIST_MODEL (under);
}

/* Adds to @tasks those of @model that carry @mark, in its order, until it
 * holds @n. */
static void
take_marked (GListModel *model,
             guint16     mark,
             guint       n,
             GPtrArray  *tasks)
{
  guint n_items = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_items && tasks->len < n; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (model, i);

      if (_lens_task_get_pick_mark (task) == mark)
        g_ptr_array_add (tasks, g_steal_pointer (&task));
    }
}

/**
 * lens_pick_selection_dup_picked:
 *
 * The tasks picked are read by their mark from the sort model under the
 * filter (or from the list itself, when nothing sorts it): the filter model
 * only takes tasks out, so that order is the order shown, and the sort
 * model gives each task in constant time. Read through the filter model,
 * by position, a search's 68,750 results picked of 100,000 took 100 ms.
 *
 * Returns: (transfer container) (element-type LensTask): the tasks picked,
 *   in the order shown
 */
GPtrArray *
lens_pick_selection_dup_picked (LensPickSelection *self)
{
  guint n_picked = lens_pick_selection_get_n_picked (self);
  GtkSortListModel *sorted = sorted_under (self->shown, self->all);
  GPtrArray *tasks = g_ptr_array_new_full (n_picked, g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (n_picked == 0)
    return tasks;
  if (sorted != NULL)
    {
      take_marked (gtk_sort_list_model_get_sorter (sorted) != NULL ? G_LIST_MODEL (sorted)
                                                                   : G_LIST_MODEL (self->all),
                   self->mark, n_picked, tasks);
      if (tasks->len == n_picked)
        return tasks;
      /* Only the tasks picked carry the mark, and all of them: never here. */
      g_warn_if_reached ();
      g_ptr_array_set_size (tasks, 0);
    }

  for (gboolean more = gtk_bitset_iter_init_first (&iter, self->picked, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      LensTask *task = g_list_model_get_item (self->shown, position);

      if (task != NULL)
        g_ptr_array_add (tasks, task);
    }
  return tasks;
}

/* How many tasks are picked: the bitset's size, with no copy of it. */
guint
lens_pick_selection_get_n_picked (LensPickSelection *self)
{
  g_return_val_if_fail (LENS_IS_PICK_SELECTION (self), 0);
  return (guint) MIN (gtk_bitset_get_size (self->picked), G_MAXUINT);
}
