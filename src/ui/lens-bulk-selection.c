/* lens-bulk-selection.c — the tasks picked to act on together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's GtkSingleSelection says which task is open: the one the
 * content pane, the image viewer and the gallery's arrow keys follow, and
 * the one remembered for the next start. Beside it, this object keeps the
 * tasks picked for Save Images…, Export…, Copy IDs, Refresh and Remove: a
 * LensPickSelection over the same shown tasks, a bitset that follows the
 * model's changes (a sort, a search, a removal), attached to no view. It
 * marks the tasks picked instead of keeping a table of them, as a
 * GtkMultiSelection would (lens-pick-selection.c says what that costs).
 *
 * The list's model stays the single selection: what opens on a plain
 * click, the arrow keys and a tap in the narrow layout is unchanged, and a
 * multiple selection has no "the" selected task for the views that show one.
 *
 * The open task is always picked, unless none is. A new open task chosen
 * elsewhere (a plain click, the arrow keys, a search giving back the task
 * it hid, the viewer's arrows) is picked alone. A click with Ctrl, or a tap
 * in selection mode, toggles one task and opens it (or, when it was the
 * open one and is let go, the first task still picked); with Shift, it
 * picks the tasks from the last one toggled or opened to it.
 */

#define G_LOG_DOMAIN "lens-bulk-selection"

#include "config.h"

#include "lens-bulk-selection.h"
#include "lens-pick-selection.h"
#include "lens-task.h"

struct _LensBulkSelection
{
  GObject             parent_instance;

  GtkSingleSelection *open;       /* owned: the window's, the task shown */
  LensPickSelection  *picked;     /* owned: over the same tasks */
  GSimpleActionGroup *actions;    /* owned: "selection.…" */
  gpointer            open_item;  /* borrowed, compared only: the open task last seen */
  guint               anchor;     /* where a Shift-click's range starts */
  guint               n_picked;
  guint               guard;      /* > 0 while this object moves the open task */
  gboolean            selection_mode;
  gboolean            active;
};

enum {
  PROP_0,
  PROP_N_PICKED,
  PROP_SELECTION_MODE,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensBulkSelection, lens_bulk_selection, G_TYPE_OBJECT)

/* ─── private functions ────────────────────────────────────────────────── */

static guint
n_shown (LensBulkSelection *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->picked));
}

/* The bar shows, and Escape has something to undo, while several tasks
 * are picked or selection mode is on. */
static void
update_counts (LensBulkSelection *self)
{
  guint n_picked = lens_pick_selection_get_n_picked (self->picked);
  gboolean active = n_picked > 1 || self->selection_mode;

  if (n_picked != self->n_picked)
    {
      self->n_picked = n_picked;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PICKED]);
    }
  if (active != self->active)
    {
      self->active = active;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
    }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "one")),
                               active);
}

/* Opens the task at @position (or none), without picking it alone. */
static void
set_open (LensBulkSelection *self,
          guint              position)
{
  self->guard++;
  gtk_single_selection_set_selected (self->open, position);
  self->open_item = gtk_single_selection_get_selected_item (self->open);
  self->guard--;
}

/* A task opened from elsewhere is picked alone. Only a change of task
 * counts: the open task's position also changes when tasks come or go
 * above it. */
static void
open_changed_cb (LensBulkSelection *self)
{
  gpointer item = gtk_single_selection_get_selected_item (self->open);
  guint position = gtk_single_selection_get_selected (self->open);

  if (self->guard > 0 || item == self->open_item)
    return;
  self->open_item = item;
  self->anchor = position;
  if (item != NULL)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->picked), position, TRUE);
  else
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->picked));
}

/* ─── actions ──────────────────────────────────────────────────────────── */

static void
select_all_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  lens_bulk_selection_select_all (user_data);
}

static void
select_none_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  lens_bulk_selection_select_none (user_data);
}

static void
select_one_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  lens_bulk_selection_reset (user_data);
}

static void
change_mode_cb (GSimpleAction *action,
                GVariant      *state,
                gpointer       user_data)
{
  lens_bulk_selection_set_selection_mode (user_data, g_variant_get_boolean (state));
}

/* A stateful action of its own rather than a GPropertyAction: that one
 * holds a reference to its object, and the object holds its actions, so
 * neither would ever go (with them the window's models, the task list and
 * the store). Its state follows the property in
 * lens_bulk_selection_set_selection_mode(). */
static void
add_actions (LensBulkSelection *self)
{
  static const GActionEntry entries[] = {
    { .name = "all", .activate = select_all_cb },
    { .name = "none", .activate = select_none_cb },
    { .name = "one", .activate = select_one_cb },
    { .name = "mode", .state = "false", .change_state = change_mode_cb },
  };

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_bulk_selection_dispose (GObject *object)
{
  LensBulkSelection *self = LENS_BULK_SELECTION (object);

  if (self->open != NULL)
    g_signal_handlers_disconnect_by_data (self->open, self);
  g_clear_object (&self->open);
  g_clear_object (&self->picked);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (lens_bulk_selection_parent_class)->dispose (object);
}

static void
lens_bulk_selection_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LensBulkSelection *self = LENS_BULK_SELECTION (object);

  switch (prop_id)
    {
    case PROP_N_PICKED:
      g_value_set_uint (value, self->n_picked);
      break;
    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, self->selection_mode);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_bulk_selection_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LensBulkSelection *self = LENS_BULK_SELECTION (object);

  switch (prop_id)
    {
    case PROP_SELECTION_MODE:
      lens_bulk_selection_set_selection_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_bulk_selection_class_init (LensBulkSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_bulk_selection_dispose;
  object_class->get_property = lens_bulk_selection_get_property;
  object_class->set_property = lens_bulk_selection_set_property;

  /* How many tasks are picked. */
  properties[PROP_N_PICKED] =
    g_param_spec_uint ("n-picked", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Whether a plain click or tap toggles a task (check boxes show). */
  properties[PROP_SELECTION_MODE] =
    g_param_spec_boolean ("selection-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Whether several tasks are picked or selection mode is on: the
   * selection bar shows. */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_bulk_selection_init (LensBulkSelection *self)
{
  add_actions (self);
}

/* ─── public ───────────────────────────────────────────────────────────── */

/**
 * lens_bulk_selection_new:
 * @open: the window's selection, whose task is shown; the tasks picked
 *   are of its model
 * @all: the list the shown tasks are taken from
 */
LensBulkSelection *
lens_bulk_selection_new (GtkSingleSelection *open,
                         LensTaskList       *all)
{
  LensBulkSelection *self;

  g_return_val_if_fail (GTK_IS_SINGLE_SELECTION (open), NULL);
  g_return_val_if_fail (LENS_IS_TASK_LIST (all), NULL);

  self = g_object_new (LENS_TYPE_BULK_SELECTION, NULL);
  self->open = g_object_ref (open);
  self->picked = lens_pick_selection_new (gtk_single_selection_get_model (open), all);
  g_signal_connect_object (self->picked, "selection-changed", G_CALLBACK (update_counts), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->picked, "items-changed", G_CALLBACK (update_counts), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (open, "notify::selected-item", G_CALLBACK (open_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->open_item = NULL;
  open_changed_cb (self);
  update_counts (self);
  return self;
}

/**
 * lens_bulk_selection_get_picked:
 *
 * Returns: (transfer none): the tasks picked, as a selection of the shown
 *   tasks (its "selection-changed" says which positions changed)
 */
GtkSelectionModel *
lens_bulk_selection_get_picked (LensBulkSelection *self)
{
  g_return_val_if_fail (LENS_IS_BULK_SELECTION (self), NULL);
  return GTK_SELECTION_MODEL (self->picked);
}

/**
 * lens_bulk_selection_get_actions:
 *
 * Returns: (transfer none): "all", "none", "one" (back to the open task
 *   alone, out of selection mode; enabled while active) and "mode" (the
 *   selection mode, stateful)
 */
GActionGroup *
lens_bulk_selection_get_actions (LensBulkSelection *self)
{
  g_return_val_if_fail (LENS_IS_BULK_SELECTION (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

guint
lens_bulk_selection_get_n_picked (LensBulkSelection *self)
{
  g_return_val_if_fail (LENS_IS_BULK_SELECTION (self), 0);
  return self->n_picked;
}

gboolean
lens_bulk_selection_get_selection_mode (LensBulkSelection *self)
{
  g_return_val_if_fail (LENS_IS_BULK_SELECTION (self), FALSE);
  return self->selection_mode;
}

void
lens_bulk_selection_set_selection_mode (LensBulkSelection *self,
                                        gboolean           selection_mode)
{
  g_return_if_fail (LENS_IS_BULK_SELECTION (self));

  selection_mode = !!selection_mode;
  if (self->selection_mode == selection_mode)
    return;
  self->selection_mode = selection_mode;
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "mode")),
                             g_variant_new_boolean (selection_mode));
  update_counts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_MODE]);
}

gboolean
lens_bulk_selection_get_active (LensBulkSelection *self)
{
  g_return_val_if_fail (LENS_IS_BULK_SELECTION (self), FALSE);
  return self->active;
}

/**
 * lens_bulk_selection_click:
 * @position: the task clicked, in the shown tasks
 * @toggle: Ctrl was held
 * @extend: Shift was held
 *
 * What a click on a task does to the picked tasks. A plain click outside
 * selection mode is the list's own (it opens the task, picked alone).
 *
 * Returns: whether the click was taken here (the caller must not also
 *   open the task)
 */
gboolean
lens_bulk_selection_click (LensBulkSelection *self,
                           guint              position,
                           gboolean           toggle,
                           gboolean           extend)
{
  GtkSelectionModel *picked;

  g_return_val_if_fail (LENS_IS_BULK_SELECTION (self), FALSE);

  picked = GTK_SELECTION_MODEL (self->picked);
  if (position >= n_shown (self) || !(toggle || extend || self->selection_mode))
    return FALSE;

  if (extend && self->anchor < n_shown (self))
    {
      guint first = MIN (self->anchor, position);
      guint n = MAX (self->anchor, position) - first + 1;

      /* Ctrl+Shift adds the range to what is picked; Shift alone picks it
       * alone, as in Files. */
      gtk_selection_model_select_range (picked, first, n, !toggle);
      set_open (self, position);
    }
  else if (gtk_selection_model_is_selected (picked, position))
    {
      gtk_selection_model_unselect_item (picked, position);
      if (gtk_single_selection_get_selected (self->open) == position)
        {
          g_autoptr(GtkBitset) rest = gtk_selection_model_get_selection (picked);

          set_open (self, gtk_bitset_is_empty (rest) ? GTK_INVALID_LIST_POSITION : gtk_bitset_get_minimum (rest));
        }
      self->anchor = position;
    }
  else
    {
      gtk_selection_model_select_item (picked, position, FALSE);
      set_open (self, position);
      self->anchor = position;
    }
  return TRUE;
}

gboolean
lens_bulk_selection_is_picked (LensBulkSelection *self,
                               guint              position)
{
  g_return_val_if_fail (LENS_IS_BULK_SELECTION (self), FALSE);
  return gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->picked), position);
}

/* Every task shown: one range, whatever their number. The open task stays
 * open (the first one when none was). */
void
lens_bulk_selection_select_all (LensBulkSelection *self)
{
  g_return_if_fail (LENS_IS_BULK_SELECTION (self));

  if (n_shown (self) == 0)
    return;
  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->picked));
  if (gtk_single_selection_get_selected (self->open) == GTK_INVALID_LIST_POSITION)
    set_open (self, 0);
}

/* No task at all, none open. */
void
lens_bulk_selection_select_none (LensBulkSelection *self)
{
  g_return_if_fail (LENS_IS_BULK_SELECTION (self));

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->picked));
  set_open (self, GTK_INVALID_LIST_POSITION);
}

/* Escape: back to the open task alone, out of selection mode. */
void
lens_bulk_selection_reset (LensBulkSelection *self)
{
  guint position;

  g_return_if_fail (LENS_IS_BULK_SELECTION (self));

  position = gtk_single_selection_get_selected (self->open);
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->picked), position, TRUE);
  else
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->picked));
  self->anchor = position;
  lens_bulk_selection_set_selection_mode (self, FALSE);
}

/**
 * lens_bulk_selection_dup_tasks:
 *
 * Returns: (transfer container) (element-type LensTask): the tasks
 *   picked, in the order shown
 */
GPtrArray *
lens_bulk_selection_dup_tasks (LensBulkSelection *self)
{
  g_return_val_if_fail (LENS_IS_BULK_SELECTION (self), NULL);
  return lens_pick_selection_dup_picked (self->picked);
}

/**
 * lens_bulk_selection_dup_ids:
 *
 * Returns: (transfer full) (element-type utf8): the ids of the tasks
 *   picked, in the order shown
 */
GPtrArray *
lens_bulk_selection_dup_ids (LensBulkSelection *self)
{
  g_autoptr(GPtrArray) tasks = NULL;
  GPtrArray *ids;

  g_return_val_if_fail (LENS_IS_BULK_SELECTION (self), NULL);

  tasks = lens_bulk_selection_dup_tasks (self);
  ids = g_ptr_array_new_full (tasks->len, g_free);
  for (guint i = 0; i < tasks->len; i++)
    g_ptr_array_add (ids, g_strdup (lens_task_get_id (g_ptr_array_index (tasks, i))));
  return ids;
}
