/* lens-task-rows.c — the rows of the task list, and what they do with the tasks picked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The factory of the list's rows (LensTaskRow), and the rows' part in
 * picking tasks (LensBulkSelection, the window's):
 *   - a bound row is a task on screen (or about to be): only those are
 *     given their records (the record loader), so that 100,000 tasks cost
 *     their summaries only;
 *   - a picked row looks as the selected one does, with its check box
 *     ticked in selection mode;
 *   - a click with Ctrl or Shift, or any in selection mode, picks; it is
 *     caught before the list's own click, which would open the task alone
 *     (and in the narrow layout go to its page);
 *   - Shift with an arrow key, Home or End picks the tasks from where the
 *     last pick or open started to the row it leads to, and opens that
 *     one, as a click with Shift does. The list's own Shift+arrow asks its
 *     single selection for a range, which it cannot give, and opens the row
 *     alone.
 *
 * The factory keeps this object, and this object what the rows need: GTK
 * may unbind a row (one that had the focus: a closed row menu gives it
 * back) after the window has gone.
 */

#define G_LOG_DOMAIN "lens-task-rows"

#include "config.h"

#include "lens-record-loader.h"
#include "lens-row-menu.h"
#include "lens-task-row.h"
#include "lens-task-rows.h"

struct _LensTaskRows
{
  GObject            parent_instance;

  LensBulkSelection *bulk;           /* owned */
  LensImageLoader   *image_loader;   /* owned */
  LensRecordLoader  *record_loader;  /* owned */
  LensRefresher     *refresher;      /* owned */
  LensTaskList      *tasks;          /* owned */
  GPtrArray         *items;          /* of GtkListItem, borrowed: the rows made */
};

G_DEFINE_FINAL_TYPE (LensTaskRows, lens_task_rows, G_TYPE_OBJECT)

/* ─── picked rows ──────────────────────────────────────────────────────── */

/* A picked row looks as the selected one does. The style is the list's
 * own item widget's (:selected), so the class goes there too. */
static void
mark_picked (LensTaskRows *self,
             GtkListItem  *item)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *list_child = gtk_widget_get_parent (row);
  gboolean picked = gtk_list_item_get_item (item) != NULL
                    && lens_bulk_selection_is_picked (self->bulk, gtk_list_item_get_position (item));

  if (list_child != NULL)
    {
      if (picked)
        gtk_widget_add_css_class (list_child, "picked");
      else
        gtk_widget_remove_css_class (list_child, "picked");
    }
  lens_task_row_set_check (LENS_TASK_ROW (row), lens_bulk_selection_get_selection_mode (self->bulk), picked);
}

static void
picked_changed_cb (LensTaskRows *self,
                   guint         position,
                   guint         n_items)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      GtkListItem *item = g_ptr_array_index (self->items, i);
      guint item_position = gtk_list_item_get_position (item);

      if (item_position >= position && item_position - position < n_items)
        mark_picked (self, item);
    }
}

static void
selection_mode_cb (LensTaskRows *self)
{
  picked_changed_cb (self, 0, G_MAXUINT);
}

/* What a row's click handler needs: freed with the handler. */
typedef struct
{
  LensTaskRows *rows;  /* borrowed: the factory keeps it */
  GtkListItem  *item;  /* borrowed: it outlives its row */
} RowClick;

static void
row_click_free (gpointer data,
                GClosure *closure)
{
  g_free (data);
}

static void
row_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                RowClick        *click)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  if (gtk_list_item_get_item (click->item) == NULL)
    return;
  if (lens_bulk_selection_click (click->rows->bulk, gtk_list_item_get_position (click->item),
                                 (state & GDK_CONTROL_MASK) != 0, (state & GDK_SHIFT_MASK) != 0))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static gboolean
extend_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  LensTaskRows *self = user_data;
  GtkGridView *list_view = GTK_GRID_VIEW (widget);
  GtkSingleSelection *open = GTK_SINGLE_SELECTION (gtk_grid_view_get_model (list_view));
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  guint n, from, to;
  int step = g_variant_get_int32 (args);

  /* A menu opened on a row keeps its keys. */
  if (focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL)
    return FALSE;
  n = open != NULL ? g_list_model_get_n_items (G_LIST_MODEL (open)) : 0;
  if (n == 0)
    return TRUE;
  from = gtk_single_selection_get_selected (open);
  if (from >= n || step == G_MININT32)
    to = 0;
  else if (step == G_MAXINT32)
    to = n - 1;
  else
    to = (guint) CLAMP ((gint64) from + step, 0, (gint64) n - 1);
  if (lens_bulk_selection_click (self->bulk, to, FALSE, TRUE))
    gtk_grid_view_scroll_to (list_view, to, GTK_LIST_SCROLL_FOCUS, NULL);
  return TRUE;
}

static void
add_extend_keys (LensTaskRows *self,
                 GtkWidget    *list_view)
{
  static const struct
  {
    guint keyval;
    int   step;   /* G_MININT32: to the first, G_MAXINT32: to the last */
  } keys[] = {
    { GDK_KEY_Up, -1 }, { GDK_KEY_KP_Up, -1 },
    { GDK_KEY_Down, 1 }, { GDK_KEY_KP_Down, 1 },
    { GDK_KEY_Home, G_MININT32 }, { GDK_KEY_KP_Home, G_MININT32 },
    { GDK_KEY_End, G_MAXINT32 }, { GDK_KEY_KP_End, G_MAXINT32 },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  /* Before the list view's own bindings. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].keyval, GDK_SHIFT_MASK),
                                                gtk_callback_action_new (extend_key_cb, g_object_ref (self),
                                                                         g_object_unref));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (keys[i].step));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (list_view, controller);
}

/* ─── the factory ──────────────────────────────────────────────────────── */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              LensTaskRows             *self)
{
  LensTaskRow *row = lens_task_row_new (self->image_loader, self->refresher);
  GtkGesture *click = gtk_gesture_click_new ();
  RowClick *data = g_new0 (RowClick, 1);

  lens_task_row_set_task_list (row, self->tasks);
  gtk_list_item_set_child (item, GTK_WIDGET (row));
  /* Before the list's own click: a click with Ctrl or Shift picks. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  data->rows = self;
  data->item = item;
  g_signal_connect_data (click, "pressed", G_CALLBACK (row_pressed_cb), data, row_click_free, 0);
  gtk_widget_add_controller (GTK_WIDGET (row), GTK_EVENT_CONTROLLER (click));
  lens_row_menu_attach (item, GTK_WIDGET (row));
  g_ptr_array_add (self->items, item);
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 LensTaskRows             *self)
{
  g_ptr_array_remove_fast (self->items, item);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             LensTaskRows             *self)
{
  lens_record_loader_hold (self->record_loader, gtk_list_item_get_item (item));
  lens_task_row_set_task (LENS_TASK_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
  mark_picked (self, item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               LensTaskRows             *self)
{
  lens_task_row_set_task (LENS_TASK_ROW (gtk_list_item_get_child (item)), NULL);
  lens_record_loader_release (self->record_loader, gtk_list_item_get_item (item));
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_task_rows_finalize (GObject *object)
{
  LensTaskRows *self = LENS_TASK_ROWS (object);

  g_clear_object (&self->bulk);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->record_loader);
  g_clear_object (&self->refresher);
  g_clear_object (&self->tasks);
  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (lens_task_rows_parent_class)->finalize (object);
}

static void
lens_task_rows_class_init (LensTaskRowsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lens_task_rows_finalize;
}

static void
lens_task_rows_init (LensTaskRows *self)
{
  self->items = g_ptr_array_new ();
}

/**
 * lens_task_rows_attach:
 * @list_view: the window's list of tasks, whose model is the single
 *   selection @bulk was made for
 * @context: the window's context: the rows' task list, refresher and
 *   record loader
 * @image_loader: the window's, for the thumbnails
 * @bulk: the tasks picked
 *
 * Gives @list_view its rows, and their part in picking tasks.
 */
void
lens_task_rows_attach (GtkGridView       *list_view,
                       LensContext       *context,
                       LensImageLoader   *image_loader,
                       LensBulkSelection *bulk)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  LensTaskRows *self;

  g_return_if_fail (GTK_IS_GRID_VIEW (list_view));
  g_return_if_fail (LENS_IS_CONTEXT (context));
  g_return_if_fail (LENS_IS_IMAGE_LOADER (image_loader));
  g_return_if_fail (LENS_IS_BULK_SELECTION (bulk));

  self = g_object_new (LENS_TYPE_TASK_ROWS, NULL);
  self->bulk = g_object_ref (bulk);
  self->image_loader = g_object_ref (image_loader);
  self->record_loader = g_object_ref (lens_context_get_record_loader (context));
  self->refresher = g_object_ref (lens_context_get_refresher (context));
  self->tasks = g_object_ref (lens_context_get_task_list (context));

  g_signal_connect_object (bulk, "notify::selection-mode", G_CALLBACK (selection_mode_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (lens_bulk_selection_get_picked (bulk), "selection-changed",
                           G_CALLBACK (picked_changed_cb), self, G_CONNECT_SWAPPED);
  add_extend_keys (self, GTK_WIDGET (list_view));

  /* The factory owns this object from here on. */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_object_set_data_full (G_OBJECT (factory), "lens-task-rows", self, g_object_unref);
  gtk_grid_view_set_factory (list_view, factory);
}
