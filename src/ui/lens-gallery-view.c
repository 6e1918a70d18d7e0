/* lens-gallery-view.c — the tasks as a grid of thumbnails, grouped by day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gallery shows the same tasks as the list (the window's selection
 * model, sorted and filtered), as photo galleries do: square thumbnails,
 * rows as many cells wide as fit, under a header for each day ("Today",
 * "Monday", "7 July 2024") with how many tasks it holds. It is a
 * GtkListView whose items are rows of cells (LensGalleryRows, which says
 * why), with a header factory for the days.
 *
 * The cells are not list items, so what a grid view would do for them is
 * done here: a click selects the cell's task in the window's one selection
 * (double-click, or a single click in the narrow layout, opens it), and
 * with Ctrl or Shift, or in selection mode, picks it beside the others
 * (LensBulkSelection, the window's too); the
 * arrow keys move to the next task, or to the cell in the same column of
 * the row above or below, across days; Home and End go to the first and
 * the last; with Shift, they pick the tasks on the way, as a click with
 * Shift does; Enter and Space open. The keys are caught before the list
 * view's own (which would move between rows), and only while a cell has
 * the focus.
 *
 * While it is not shown (the list is), the gallery has no tasks at all,
 * and costs nothing.
 */

#define G_LOG_DOMAIN "lens-gallery-view"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-bulk-selection.h"
#include "lens-format.h"
#include "lens-gallery-cell.h"
#include "lens-gallery-view.h"
#include "lens-row-menu.h"

/* The narrowest a cell may be, and the room between cells; a row has as
 * many cells as fit. */
#define CELL_MIN_WIDTH 104
#define CELL_SPACING 4
#define ROW_PADDING 8

struct _LensGalleryView
{
  GtkWidget           parent_instance;

  GtkListView        *list_view;
  GtkScrolledWindow  *scroller;

  LensContext        *context;          /* owned, nullable until bound */
  LensImageLoader    *image_loader;     /* owned, nullable */
  GtkSingleSelection *selection;        /* owned, nullable: the window's */
  LensBulkSelection  *bulk;             /* owned, nullable: the window's tasks picked */
  LensGalleryRows    *rows;             /* owned */
  GPtrArray          *items;            /* the list items made, borrowed */
  gboolean            active;
  gboolean            single_click_activate;
  char               *sort_order;       /* owned, nullable */
  guint               wanted_columns;
  guint               columns_id;       /* idle: the columns, out of allocation */
  guint               undated_id;       /* timeout: tasks whose time came, placed again */
  guint               focus_position;   /* a task whose cell is to have the focus once made */
  guint               scroll_position;  /* a task to scroll to once placed */
};

enum {
  PROP_0,
  PROP_SINGLE_CLICK_ACTIVATE,
  PROP_SORT_ORDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LensGalleryView, lens_gallery_view, GTK_TYPE_WIDGET)

/* ─── cells, selection and focus ───────────────────────────────────────── */

static GtkListItem *
item_at_row (LensGalleryView *self,
             guint            row)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      GtkListItem *item = g_ptr_array_index (self->items, i);

      if (gtk_list_item_get_item (item) != NULL && gtk_list_item_get_position (item) == row)
        return item;
    }
  return NULL;
}

static GtkWidget *
nth_cell (GtkListItem *item,
          guint        column)
{
  GtkWidget *cell = gtk_widget_get_first_child (gtk_list_item_get_child (item));

  for (guint i = 0; cell != NULL && i < column; i++)
    cell = gtk_widget_get_next_sibling (cell);
  return cell;
}

/* Whether the task of @cell, in the row of @item, is picked. */
static gboolean
cell_is_picked (LensGalleryView *self,
                GtkListItem     *item,
                GtkWidget       *cell)
{
  guint position;

  if (self->bulk == NULL || gtk_list_item_get_item (item) == NULL)
    return FALSE;
  position = lens_gallery_rows_get_position (self->rows, gtk_list_item_get_position (item),
                                             lens_gallery_cell_get_column (LENS_GALLERY_CELL (cell)));
  return position != GTK_INVALID_LIST_POSITION && lens_bulk_selection_is_picked (self->bulk, position);
}

/* The selected cell, and those picked beside it, look selected; the
 * selections are the window's. */
static void
mark_selected (LensGalleryView *self,
               GtkListItem     *item)
{
  gpointer selected = self->selection != NULL ? gtk_single_selection_get_selected_item (self->selection)
                                              : NULL;
  gboolean selection_mode = self->bulk != NULL && lens_bulk_selection_get_selection_mode (self->bulk);

  for (GtkWidget *cell = gtk_widget_get_first_child (gtk_list_item_get_child (item)); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      LensTask *task = lens_gallery_cell_get_task (LENS_GALLERY_CELL (cell));
      gboolean picked = task != NULL && cell_is_picked (self, item, cell);

      if (task != NULL && (task == selected || picked))
        gtk_widget_set_state_flags (cell, GTK_STATE_FLAG_SELECTED, FALSE);
      else
        gtk_widget_unset_state_flags (cell, GTK_STATE_FLAG_SELECTED);
      lens_gallery_cell_set_check (LENS_GALLERY_CELL (cell), selection_mode && task != NULL, picked);
    }
}

static void
selection_changed_cb (LensGalleryView *self)
{
  for (guint i = 0; i < self->items->len; i++)
    mark_selected (self, g_ptr_array_index (self->items, i));
}

/* Gives the focus to the cell of the task at @position, now if its row is
 * made, or when it is (bind_row_cb). */
static void
focus_position (LensGalleryView *self,
                guint            position)
{
  guint row, column;
  GtkListItem *item;

  self->focus_position = GTK_INVALID_LIST_POSITION;
  if (!lens_gallery_rows_locate (self->rows, position, &row, &column))
    return;
  item = item_at_row (self, row);
  if (item != NULL && nth_cell (item, column) != NULL)
    gtk_widget_grab_focus (nth_cell (item, column));
  else
    self->focus_position = position;
}

/* Scrolls the row of the task at @position into view, once it is placed
 * (a long history is placed in slices). */
static void
show_position (LensGalleryView *self,
               guint            position)
{
  guint row;

  self->scroll_position = GTK_INVALID_LIST_POSITION;
  if (lens_gallery_rows_locate (self->rows, position, &row, NULL))
    gtk_list_view_scroll_to (self->list_view, row, GTK_LIST_SCROLL_NONE, NULL);
  else if (lens_gallery_rows_get_pending (self->rows))
    self->scroll_position = position;
}

static void
rows_pending_cb (LensGalleryView *self)
{
  if (self->scroll_position != GTK_INVALID_LIST_POSITION)
    show_position (self, self->scroll_position);
}

static guint
selected_position (LensGalleryView *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position >= lens_gallery_rows_get_n_placed (self->rows))
    return GTK_INVALID_LIST_POSITION;
  return position;
}

static void
select_position (LensGalleryView *self,
                 guint            position)
{
  gtk_single_selection_set_selected (self->selection, position);
  show_position (self, position);
  focus_position (self, position);
}

/* ─── keys ─────────────────────────────────────────────────────────────── */

/* Where @direction leads from @from; @from itself at an edge. */
static guint
position_towards (LensGalleryView *self,
                  guint            from,
                  const char      *direction)
{
  guint n_placed = lens_gallery_rows_get_n_placed (self->rows);
  guint row, column, to = GTK_INVALID_LIST_POSITION;

  if (g_str_equal (direction, "first"))
    return 0;
  if (g_str_equal (direction, "last"))
    return n_placed - 1;
  if (g_str_equal (direction, "left"))
    return from > 0 ? from - 1 : from;
  if (g_str_equal (direction, "right"))
    return from + 1 < n_placed ? from + 1 : from;

  lens_gallery_rows_locate (self->rows, from, &row, &column);
  if (g_str_equal (direction, "up") && row > 0)
    to = lens_gallery_rows_get_position (self->rows, row - 1, column);
  else if (g_str_equal (direction, "down"))
    to = lens_gallery_rows_get_position (self->rows, row + 1, column);
  return to != GTK_INVALID_LIST_POSITION ? to : from;
}

/* gallery.move: "left", "right", "up", "down", "first" or "last", from the
 * selected task (from the first when none is shown). */
static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LensGalleryView *self = LENS_GALLERY_VIEW (widget);
  guint from;

  if (self->selection == NULL || lens_gallery_rows_get_n_placed (self->rows) == 0)
    return;
  from = selected_position (self);
  if (from == GTK_INVALID_LIST_POSITION)
    select_position (self, 0);
  else
    select_position (self, position_towards (self, from, g_variant_get_string (parameter, NULL)));
}

/* gallery.activate: opens the selected task. */
static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LensGalleryView *self = LENS_GALLERY_VIEW (widget);
  guint position;

  if (self->selection == NULL)
    return;
  position = selected_position (self);
  if (position != GTK_INVALID_LIST_POSITION)
    g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0, position);
}

/* With Shift, a move picks the tasks from where the last pick or open
 * started to where it leads, and opens that one, as a click with Shift
 * does (lens_bulk_selection_click()). */
static void
move_extending (LensGalleryView *self,
                const char      *direction)
{
  guint from, to;

  if (self->selection == NULL || lens_gallery_rows_get_n_placed (self->rows) == 0)
    return;
  from = selected_position (self);
  to = from == GTK_INVALID_LIST_POSITION ? 0 : position_towards (self, from, direction);
  if (self->bulk == NULL || !lens_bulk_selection_click (self->bulk, to, FALSE, TRUE))
    {
      select_position (self, to);
      return;
    }
  show_position (self, to);
  focus_position (self, to);
}

/* The keys act only while a cell has the focus: a menu opened on a cell
 * (a popover, inside the gallery) keeps its own. */
static gboolean
key_cb (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  LensGalleryView *self = LENS_GALLERY_VIEW (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  const char *direction = NULL;
  gboolean extend = FALSE;

  if (!LENS_IS_GALLERY_CELL (focus) || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    return FALSE;
  g_variant_get (args, "(&sb)", &direction, &extend);
  if (g_str_equal (direction, "open"))
    gtk_widget_activate_action (widget, "gallery.activate", NULL);
  else if (extend)
    move_extending (self, direction);
  else
    gtk_widget_activate_action (widget, "gallery.move", "s", direction);
  return TRUE;
}

static void
add_keys (LensGalleryView *self)
{
  static const struct
  {
    guint       keyval;
    const char *direction;
  } keys[] = {
    { GDK_KEY_Left, "left" }, { GDK_KEY_KP_Left, "left" },
    { GDK_KEY_Right, "right" }, { GDK_KEY_KP_Right, "right" },
    { GDK_KEY_Up, "up" }, { GDK_KEY_KP_Up, "up" },
    { GDK_KEY_Down, "down" }, { GDK_KEY_KP_Down, "down" },
    { GDK_KEY_Home, "first" }, { GDK_KEY_KP_Home, "first" },
    { GDK_KEY_End, "last" }, { GDK_KEY_KP_End, "last" },
    { GDK_KEY_Return, "open" }, { GDK_KEY_KP_Enter, "open" }, { GDK_KEY_space, "open" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  /* Before the list view's own bindings, which move between rows. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  /* Each key alone moves; with Shift (but Enter and Space), it picks. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    for (guint extend = 0; extend <= !g_str_equal (keys[i].direction, "open"); extend++)
      {
        GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].keyval,
                                                                          extend ? GDK_SHIFT_MASK : 0),
                                                  gtk_callback_action_new (key_cb, NULL, NULL));

        gtk_shortcut_set_arguments (shortcut, g_variant_new ("(sb)", keys[i].direction, extend));
        gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
      }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* ─── the rows ─────────────────────────────────────────────────────────── */

static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *item)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  LensGalleryView *self = LENS_GALLERY_VIEW (gtk_widget_get_ancestor (cell, LENS_TYPE_GALLERY_VIEW));
  guint position;

  if (lens_gallery_cell_get_task (LENS_GALLERY_CELL (cell)) == NULL || self->selection == NULL)
    return;
  position = lens_gallery_rows_get_position (self->rows, gtk_list_item_get_position (item),
                                             lens_gallery_cell_get_column (LENS_GALLERY_CELL (cell)));
  if (position == GTK_INVALID_LIST_POSITION)
    return;
  /* With Ctrl or Shift, or in selection mode, the task is picked: it is
   * not opened, nor gone to in the narrow layout. */
  if (self->bulk != NULL)
    {
      GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

      if (lens_bulk_selection_click (self->bulk, position, (state & GDK_CONTROL_MASK) != 0,
                                     (state & GDK_SHIFT_MASK) != 0))
        {
          gtk_widget_grab_focus (cell);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_grab_focus (cell);
  if (n_press == 2 || self->single_click_activate)
    g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0, position);
}

static LensTask *
cell_task (gpointer cell)
{
  return lens_gallery_cell_get_task (cell);
}

static GtkWidget *
cell_new (LensGalleryView *self,
          GtkListItem     *item,
          guint            column)
{
  LensGalleryCell *cell = lens_gallery_cell_new (column, self->image_loader,
                                                 lens_context_get_record_loader (self->context),
                                                 lens_context_get_refresher (self->context),
                                                 lens_context_get_task_list (self->context));
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (click, "pressed", G_CALLBACK (cell_pressed_cb), item);
  gtk_widget_add_controller (GTK_WIDGET (cell), GTK_EVENT_CONTROLLER (click));
  lens_row_menu_attach_with (GTK_WIDGET (cell), cell_task, cell);
  return GTK_WIDGET (cell);
}

/* A row has as many cells as the rows have columns, made when the row is
 * set up; only when the columns change (the view was resized) does a
 * bound row gain or lose some. */
static void
fit_cells (LensGalleryView *self,
           GtkListItem     *item)
{
  GtkBox *box = GTK_BOX (gtk_list_item_get_child (item));
  guint columns = lens_gallery_rows_get_columns (self->rows);
  guint n = 0;
  GtkWidget *cell;

  for (cell = gtk_widget_get_first_child (GTK_WIDGET (box)); cell != NULL; cell = gtk_widget_get_next_sibling (cell))
    n++;
  for (; n < columns; n++)
    gtk_box_append (box, cell_new (self, item, n));
  while (n > columns)
    {
      gtk_box_remove (box, gtk_widget_get_last_child (GTK_WIDGET (box)));
      n--;
    }
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              LensGalleryView          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, CELL_SPACING);

  /* The cells take the focus, the selection and the clicks, not the row. */
  gtk_list_item_set_focusable (item, FALSE);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_list_item_set_child (item, box);
  fit_cells (self, item);
  g_ptr_array_add (self->items, item);
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 LensGalleryView          *self)
{
  g_ptr_array_remove_fast (self->items, item);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             LensGalleryView          *self)
{
  LensGalleryRow *row = gtk_list_item_get_item (item);
  guint column = 0;

  fit_cells (self, item);
  for (GtkWidget *cell = gtk_widget_get_first_child (gtk_list_item_get_child (item)); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell), column++)
    {
      gboolean shown = column < lens_gallery_row_get_n_tasks (row);

      lens_gallery_cell_set_task (LENS_GALLERY_CELL (cell), shown ? lens_gallery_row_get_task (row, column) : NULL);
      /* A day's last row may be short: its empty cells keep their room. */
      gtk_widget_set_child_visible (cell, shown);
    }
  mark_selected (self, item);

  if (self->focus_position != GTK_INVALID_LIST_POSITION)
    focus_position (self, self->focus_position);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               LensGalleryView          *self)
{
  for (GtkWidget *cell = gtk_widget_get_first_child (gtk_list_item_get_child (item)); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    lens_gallery_cell_set_task (LENS_GALLERY_CELL (cell), NULL);
}

/* ─── the day headers ──────────────────────────────────────────────────── */

static void
setup_header_cb (GtkSignalListItemFactory *factory,
                 GtkListHeader            *header,
                 LensGalleryView          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *day = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (day), 0);
  gtk_label_set_ellipsize (GTK_LABEL (day), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (day, "heading");
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), day);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_header_set_child (header, box);
}

static void
bind_header_cb (GtkSignalListItemFactory *factory,
                GtkListHeader            *header,
                LensGalleryView          *self)
{
  LensGalleryRow *row = gtk_list_header_get_item (header);
  GtkWidget *day = gtk_widget_get_first_child (gtk_list_header_get_child (header));
  guint n = lens_gallery_row_get_day_count (row);
  g_autofree char *day_text = lens_format_day (lens_gallery_row_get_day (row), NULL);
  g_autofree char *count_text = NULL;

  if (day_text == NULL)
    day_text = g_strdup (lens_gallery_rows_get_day_of (self->rows) == LENS_GALLERY_DAY_FINISHED
                         ? _("Not Finished") : _("Not Looked Up Yet"));
  count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task", "%u tasks", n), n);
  gtk_label_set_text (GTK_LABEL (day), day_text);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (day)), count_text);
}

/* ─── times that come ──────────────────────────────────────────────────── */

/* A task added is placed under no day until it is looked up (or, sorted by
 * finish, until it finishes); when its time comes it moves to its day.
 * 10,000 pasted ids bring 10,000 times in a few seconds: they are placed
 * together, a few times a second. */
#define UNDATED_DELAY_MS 250

static gboolean
place_undated_cb (gpointer user_data)
{
  LensGalleryView *self = user_data;

  self->undated_id = 0;
  lens_gallery_rows_place_undated (self->rows);
  return G_SOURCE_REMOVE;
}

static void
task_time_changed_cb (LensGalleryView *self)
{
  if (self->active && self->undated_id == 0)
    self->undated_id = g_timeout_add (UNDATED_DELAY_MS, place_undated_cb, self);
}

/* ─── size ─────────────────────────────────────────────────────────────── */

static gboolean
set_columns_cb (gpointer user_data)
{
  LensGalleryView *self = user_data;

  self->columns_id = 0;
  lens_gallery_rows_set_columns (self->rows, self->wanted_columns);
  return G_SOURCE_REMOVE;
}

static void
lens_gallery_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  gtk_widget_measure (GTK_WIDGET (LENS_GALLERY_VIEW (widget)->scroller), orientation, for_size,
                      minimum, natural, NULL, NULL);
}

/* The columns follow the width; they are set after the allocation, since
 * they change every row of the list being allocated. */
static void
lens_gallery_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  LensGalleryView *self = LENS_GALLERY_VIEW (widget);
  int room = width - 2 * ROW_PADDING + CELL_SPACING;

  gtk_widget_allocate (GTK_WIDGET (self->scroller), width, height, -1, NULL);

  self->wanted_columns = MAX (1, room / (CELL_MIN_WIDTH + CELL_SPACING));
  if (self->wanted_columns != lens_gallery_rows_get_columns (self->rows) && self->columns_id == 0)
    self->columns_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, set_columns_cb, self, NULL);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_gallery_view_dispose (GObject *object)
{
  LensGalleryView *self = LENS_GALLERY_VIEW (object);

  lens_gallery_view_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_GALLERY_VIEW);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (lens_gallery_view_parent_class)->dispose (object);
}

static void
lens_gallery_view_finalize (GObject *object)
{
  LensGalleryView *self = LENS_GALLERY_VIEW (object);

  g_ptr_array_unref (self->items);
  g_free (self->sort_order);

  G_OBJECT_CLASS (lens_gallery_view_parent_class)->finalize (object);
}

static void
lens_gallery_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LensGalleryView *self = LENS_GALLERY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SINGLE_CLICK_ACTIVATE:
      g_value_set_boolean (value, self->single_click_activate);
      break;
    case PROP_SORT_ORDER:
      g_value_set_string (value, self->sort_order);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_gallery_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LensGalleryView *self = LENS_GALLERY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SINGLE_CLICK_ACTIVATE:
      if (self->single_click_activate != g_value_get_boolean (value))
        {
          self->single_click_activate = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SORT_ORDER:
      if (g_set_str (&self->sort_order, g_value_get_string (value)))
        {
          /* Sorted by when they finished, the days are those. */
          lens_gallery_rows_set_day_of (self->rows, g_strcmp0 (self->sort_order, "finished") == 0
                                                    ? LENS_GALLERY_DAY_FINISHED : LENS_GALLERY_DAY_CREATED);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_gallery_view_class_init (LensGalleryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_gallery_view_dispose;
  object_class->finalize = lens_gallery_view_finalize;
  object_class->get_property = lens_gallery_view_get_property;
  object_class->set_property = lens_gallery_view_set_property;
  widget_class->measure = lens_gallery_view_measure;
  widget_class->size_allocate = lens_gallery_view_size_allocate;

  /* Whether a single click opens a task (the narrow layout), as the
   * list's GtkGridView:single-click-activate. */
  properties[PROP_SINGLE_CLICK_ACTIVATE] =
    g_param_spec_boolean ("single-click-activate", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The list's order (LensFindBar:sort-order), which says which day
   * groups the tasks. */
  properties[PROP_SORT_ORDER] =
    g_param_spec_string ("sort-order", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensGalleryView::activate:
   * @position: the task's position in the selection's model
   *
   * A task is to be opened: double-clicked, tapped in the narrow layout,
   * or Enter on its cell.
   */
  signals[SIGNAL_ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "gallery.move", "s", move_action);
  gtk_widget_class_install_action (widget_class, "gallery.activate", NULL, activate_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-gallery-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LensGalleryView, list_view);
  gtk_widget_class_bind_template_child (widget_class, LensGalleryView, scroller);
  gtk_widget_class_set_css_name (widget_class, "gallery");
}

static void
lens_gallery_view_init (LensGalleryView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) header_factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_ptr_array_new ();
  self->focus_position = GTK_INVALID_LIST_POSITION;
  self->scroll_position = GTK_INVALID_LIST_POSITION;
  self->rows = lens_gallery_rows_new (NULL);
  g_signal_connect_object (self->rows, "notify::pending", G_CALLBACK (rows_pending_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (header_factory, "setup", G_CALLBACK (setup_header_cb), self);
  g_signal_connect (header_factory, "bind", G_CALLBACK (bind_header_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_header_factory (self->list_view, header_factory);
  add_keys (self);
}

/* ─── public ───────────────────────────────────────────────────────────── */

/**
 * lens_gallery_view_bind:
 * @context: the services the cells get theirs from
 * @image_loader: where thumbnails come from (the window's)
 * @selection: the window's selection, over the tasks shown
 *
 * Call once, before the view is made active.
 */
void
lens_gallery_view_bind (LensGalleryView    *self,
                        LensContext        *context,
                        LensImageLoader    *image_loader,
                        GtkSingleSelection *selection)
{
  g_return_if_fail (LENS_IS_GALLERY_VIEW (self));
  g_return_if_fail (LENS_IS_CONTEXT (context));
  g_return_if_fail (GTK_IS_SINGLE_SELECTION (selection));
  g_return_if_fail (self->context == NULL);

  self->context = g_object_ref (context);
  g_set_object (&self->image_loader, image_loader);
  self->selection = g_object_ref (selection);
  g_signal_connect_object (selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* One signal for all the tasks, not one handler on each. */
  g_signal_connect_object (lens_context_get_task_list (context), "task-changed::created-at",
                           G_CALLBACK (task_time_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (lens_context_get_task_list (context), "task-changed::finished-at",
                           G_CALLBACK (task_time_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)))));
}

/**
 * lens_gallery_view_unbind:
 *
 * Lets go of what lens_gallery_view_bind() gave, and of every row. For the
 * window's dispose: a breakpoint still applied when the window goes keeps
 * the widgets it set (the narrow layout's single-click-activate) beyond
 * it, and with them whatever they hold.
 */
void
lens_gallery_view_unbind (LensGalleryView *self)
{
  g_return_if_fail (LENS_IS_GALLERY_VIEW (self));

  g_clear_handle_id (&self->columns_id, g_source_remove);
  g_clear_handle_id (&self->undated_id, g_source_remove);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  if (self->rows != NULL)
    lens_gallery_rows_set_tasks (self->rows, NULL);
  self->active = FALSE;
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->bulk != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->bulk, self);
      g_signal_handlers_disconnect_by_data (lens_bulk_selection_get_picked (self->bulk), self);
    }
  g_clear_object (&self->bulk);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (lens_context_get_task_list (self->context), self);
  g_clear_object (&self->selection);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->context);
}

/**
 * lens_gallery_view_bind_picked:
 * @bulk: the window's tasks picked, of the same tasks as the selection
 *
 * Call once, after lens_gallery_view_bind(): cells then show which tasks
 * are picked, and a click with Ctrl or Shift (or any in selection mode)
 * picks.
 */
void
lens_gallery_view_bind_picked (LensGalleryView   *self,
                               LensBulkSelection *bulk)
{
  g_return_if_fail (LENS_IS_GALLERY_VIEW (self));
  g_return_if_fail (LENS_IS_BULK_SELECTION (bulk));
  g_return_if_fail (self->bulk == NULL);

  self->bulk = g_object_ref (bulk);
  g_signal_connect_object (lens_bulk_selection_get_picked (bulk), "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (bulk, "notify::selection-mode", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

gboolean
lens_gallery_view_get_active (LensGalleryView *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_VIEW (self), FALSE);
  return self->active;
}

/**
 * lens_gallery_view_set_active:
 * @active: whether the gallery is shown; only then does it have rows
 *
 * Shown, it scrolls to the selected task.
 */
void
lens_gallery_view_set_active (LensGalleryView *self,
                              gboolean         active)
{
  g_return_if_fail (LENS_IS_GALLERY_VIEW (self));

  if (self->active == active || self->selection == NULL)
    return;
  self->active = active;
  lens_gallery_rows_set_tasks (self->rows, active ? gtk_single_selection_get_model (self->selection) : NULL);
  if (active && gtk_single_selection_get_selected (self->selection) != GTK_INVALID_LIST_POSITION)
    show_position (self, gtk_single_selection_get_selected (self->selection));
}

/* Scrolls to the task at @position (of the selection's model), now or
 * once it is in a row. */
void
lens_gallery_view_scroll_to (LensGalleryView *self,
                             guint            position)
{
  g_return_if_fail (LENS_IS_GALLERY_VIEW (self));

  if (self->active)
    show_position (self, position);
}

/* Returns: (transfer none): the rows the view shows */
LensGalleryRows *
lens_gallery_view_get_rows (LensGalleryView *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_VIEW (self), NULL);
  return self->rows;
}
