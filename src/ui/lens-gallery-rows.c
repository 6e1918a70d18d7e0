/* lens-gallery-rows.c — tasks cut into rows of thumbnails, a section a day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gallery shows the tasks the list shows (sorted and filtered), as rows
 * of N cells, N from the view's width, under a header for each day. GTK 4.18's
 * GtkGridView has no section headers (they came in 4.26), and GtkListView
 * has them (GtkSectionModel): so the gallery is a list view of rows, and
 * this model makes the rows. A row is a GObject holding up to N tasks; a new
 * row, and a new section, starts wherever the local day of the task's
 * creation (or finish, when the list is sorted so) changes, so that a day
 * in a list sorted by day is one section, and in the list's own order each
 * run of tasks of one day is.
 *
 * Scale (issue 9): what the model keeps is one small run (a day and how
 * many tasks) per section, a few thousand for the largest history. Rows
 * are made only when the list view asks for one. Finding the days is a
 * walk through the tasks, which at 100,000 would stall the main thread:
 * the tasks are placed in slices of a few milliseconds on idle, the rows
 * of the placed tasks showing meanwhile; a small change (a task added,
 * removed, moved) is placed at once from the days of the runs around it
 * and of the tasks added, and only its rows are said to have changed, so
 * that the view keeps its place. A large change (a new sort, a search)
 * places again from where it starts.
 */

#define G_LOG_DOMAIN "lens-gallery-rows"

#include "config.h"

#include "lens-format.h"
#include "lens-gallery-rows.h"

/* How long one idle slice may place tasks, and how many added tasks are
 * placed at once rather than in slices. */
#define SLICE_USEC 4000
#define AT_ONCE_MAX 1024

/* ─── one row ──────────────────────────────────────────────────────────── */

struct _LensGalleryRow
{
  GObject    parent_instance;

  GPtrArray *tasks;       /* owned: of LensTask, at most the model's columns */
  int        day;         /* lens_format_local_day(), 0 for none */
  guint      day_count;   /* the tasks in the row's section */
};

G_DEFINE_FINAL_TYPE (LensGalleryRow, lens_gallery_row, G_TYPE_OBJECT)

static void
lens_gallery_row_finalize (GObject *object)
{
  g_ptr_array_unref (LENS_GALLERY_ROW (object)->tasks);

  G_OBJECT_CLASS (lens_gallery_row_parent_class)->finalize (object);
}

static void
lens_gallery_row_class_init (LensGalleryRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lens_gallery_row_finalize;
}

static void
lens_gallery_row_init (LensGalleryRow *self)
{
  self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

guint
lens_gallery_row_get_n_tasks (LensGalleryRow *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_ROW (self), 0);
  return self->tasks->len;
}

/**
 * lens_gallery_row_get_task:
 * @column: 0 to lens_gallery_row_get_n_tasks() - 1
 *
 * Returns: (transfer none): the task in @column
 */
LensTask *
lens_gallery_row_get_task (LensGalleryRow *self,
                           guint           column)
{
  g_return_val_if_fail (LENS_IS_GALLERY_ROW (self), NULL);
  g_return_val_if_fail (column < self->tasks->len, NULL);
  return g_ptr_array_index (self->tasks, column);
}

/* Returns: the day of the row's section, for lens_format_day(); 0 for
 * tasks without one (not looked up yet) */
int
lens_gallery_row_get_day (LensGalleryRow *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_ROW (self), 0);
  return self->day;
}

/* Returns: how many tasks the row's section holds, for its header */
guint
lens_gallery_row_get_day_count (LensGalleryRow *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_ROW (self), 0);
  return self->day_count;
}

/* ─── the rows ─────────────────────────────────────────────────────────── */

/* A section: tasks in a row of the list that share a day. */
typedef struct
{
  int   day;
  guint count;
} Run;

struct _LensGalleryRows
{
  GObject         parent_instance;

  GListModel     *tasks;       /* owned, nullable */
  guint           columns;
  LensGalleryDay  day_of;
  GArray         *runs;        /* owned: of Run, the days of the tasks placed, in order */
  GArray         *task_ends;   /* owned: of guint, the tasks up to the end of each run */
  GArray         *row_ends;    /* owned: of guint, the rows up to the end of each run */
  guint           place_id;    /* the idle slice placing the rest of the tasks */
};

enum {
  PROP_0,
  PROP_COLUMNS,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void lens_gallery_rows_list_model_init    (GListModelInterface   *iface);
static void lens_gallery_rows_section_model_init (GtkSectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LensGalleryRows, lens_gallery_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, lens_gallery_rows_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SECTION_MODEL, lens_gallery_rows_section_model_init))

#define RUN(self, i) (&g_array_index ((self)->runs, Run, (i)))
#define TASK_END(self, i) g_array_index ((self)->task_ends, guint, (i))
#define ROW_END(self, i) g_array_index ((self)->row_ends, guint, (i))

static guint
task_start (LensGalleryRows *self,
            guint            run)
{
  return run > 0 ? TASK_END (self, run - 1) : 0;
}

static guint
row_start (LensGalleryRows *self,
           guint            run)
{
  return run > 0 ? ROW_END (self, run - 1) : 0;
}

static guint
n_placed (LensGalleryRows *self)
{
  return task_start (self, self->runs->len);
}

static guint
n_rows (LensGalleryRows *self)
{
  return row_start (self, self->runs->len);
}

static void
recount (LensGalleryRows *self)
{
  guint tasks = 0, rows = 0;

  g_array_set_size (self->task_ends, self->runs->len);
  g_array_set_size (self->row_ends, self->runs->len);
  for (guint i = 0; i < self->runs->len; i++)
    {
      tasks += RUN (self, i)->count;
      rows += (RUN (self, i)->count + self->columns - 1) / self->columns;
      TASK_END (self, i) = tasks;
      ROW_END (self, i) = rows;
    }
}

/* The run whose end is the first beyond @n in @ends. */
static guint
search_ends (GArray *ends,
             guint   n)
{
  guint low = 0, high = ends->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (ends, guint, middle) > n)
        high = middle;
      else
        low = middle + 1;
    }
  return low;
}

static int
day_at (LensGalleryRows *self,
        guint            position)
{
  g_autoptr(LensTask) task = g_list_model_get_item (self->tasks, position);
  double when;

  when = self->day_of == LENS_GALLERY_DAY_FINISHED ? lens_task_get_finished_at (task)
                                                   : lens_task_get_created_at (task);
  return lens_format_local_day (when);
}

/* Appends @count tasks of @day to @runs, in the last run when it is of
 * the same day. */
static void
push (GArray *runs,
      int     day,
      guint   count)
{
  if (count == 0)
    return;
  if (runs->len > 0 && g_array_index (runs, Run, runs->len - 1).day == day)
    g_array_index (runs, Run, runs->len - 1).count += count;
  else
    g_array_append_val (runs, ((Run) { day, count }));
}

/* Puts @with in the place of runs @low to @high and says which rows
 * changed: all the rows of those runs. */
static void
replace_runs (LensGalleryRows *self,
              guint            low,
              guint            high,
              GArray          *with)
{
  guint first_row = row_start (self, low);
  guint old_rows = row_start (self, high) - first_row;
  guint new_rows;

  g_array_remove_range (self->runs, low, high - low);
  g_array_insert_vals (self->runs, low, with->data, with->len);
  recount (self);
  new_rows = row_start (self, low + with->len) - first_row;
  if (old_rows > 0 || new_rows > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), first_row, old_rows, new_rows);
}

/* Forgets where the tasks from @position on were placed. */
static void
unplace_from (LensGalleryRows *self,
              guint            position)
{
  g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (Run));
  guint run;

  if (position >= n_placed (self))
    return;
  run = search_ends (self->task_ends, position);
  push (kept, RUN (self, run)->day, position - task_start (self, run));
  replace_runs (self, run, self->runs->len, kept);
}

/* Places tasks for at most SLICE_USEC. Returns: whether some are left */
static gboolean
place_slice (LensGalleryRows *self)
{
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (Run));
  guint n_tasks = self->tasks != NULL ? g_list_model_get_n_items (self->tasks) : 0;
  guint position = n_placed (self);
  guint last = self->runs->len > 0 ? self->runs->len - 1 : 0;
  gint64 deadline = g_get_monotonic_time () + SLICE_USEC;

  /* The last run may go on with the first task placed. */
  if (self->runs->len > 0)
    g_array_append_val (placed, *RUN (self, last));
  for (guint i = 0; position < n_tasks; i++, position++)
    {
      if (i % 64 == 63 && g_get_monotonic_time () > deadline)
        break;
      push (placed, day_at (self, position), 1);
    }
  replace_runs (self, last, self->runs->len, placed);
  return position < n_tasks;
}

static gboolean
place_cb (gpointer user_data)
{
  LensGalleryRows *self = user_data;

  if (place_slice (self))
    return G_SOURCE_CONTINUE;
  self->place_id = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  return G_SOURCE_REMOVE;
}

/* Places the tasks from @position on again: a slice now, so that the
 * view is not empty for a frame, the rest on idle. */
static void
replace_from (LensGalleryRows *self,
              guint            position)
{
  unplace_from (self, position);
  if (!place_slice (self) || self->place_id != 0)
    return;
  /* After drawing, so that the rows placed show while the rest is. */
  self->place_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, place_cb, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/* A change among the tasks placed, of a few: @removed tasks at @position
 * gave way to @added. The runs around it (the one before @position, for
 * the added tasks may be of its day, to the one after the removed tasks)
 * are cut and joined again, with the days of the added tasks only. */
static void
place_change (LensGalleryRows *self,
              guint            position,
              guint            removed,
              guint            added)
{
  g_autoptr(GArray) local = g_array_new (FALSE, FALSE, sizeof (Run));
  guint placed = n_placed (self);
  guint end = position + removed;
  guint low = 0, high = 0;

  if (self->runs->len > 0)
    {
      low = position > 0 ? search_ends (self->task_ends, position - 1) : 0;
      high = end < placed ? search_ends (self->task_ends, end) + 1 : self->runs->len;
    }

  for (guint i = low; i < high; i++)
    push (local, RUN (self, i)->day, MIN (TASK_END (self, i), position) - MIN (task_start (self, i), position));
  for (guint i = 0; i < added; i++)
    push (local, day_at (self, position + i), 1);
  for (guint i = low; i < high; i++)
    push (local, RUN (self, i)->day, TASK_END (self, i) - MAX (task_start (self, i), MIN (end, TASK_END (self, i))));

  /* Whole runs before and after the change that stay as they were keep
   * their rows: the view keeps those rows' widgets. */
  while (low < high && local->len > 0 && TASK_END (self, low) <= position
         && g_array_index (local, Run, 0).day == RUN (self, low)->day
         && g_array_index (local, Run, 0).count == RUN (self, low)->count)
    {
      g_array_remove_index (local, 0);
      low++;
    }
  while (high > low && local->len > 0 && task_start (self, high - 1) >= end
         && g_array_index (local, Run, local->len - 1).day == RUN (self, high - 1)->day
         && g_array_index (local, Run, local->len - 1).count == RUN (self, high - 1)->count)
    {
      g_array_set_size (local, local->len - 1);
      high--;
    }
  replace_runs (self, low, high, local);
}

static void
tasks_changed_cb (GListModel      *tasks,
                  guint            position,
                  guint            removed,
                  guint            added,
                  LensGalleryRows *self)
{
  guint placed = n_placed (self);

  /* Beyond what is placed: the slices get there. */
  if (position > placed || (position == placed && self->place_id != 0))
    return;
  if (position + removed > placed || added > AT_ONCE_MAX)
    replace_from (self, position);
  else
    place_change (self, position, removed, added);
}

/* The positions of the tasks of @range that now have a day: from the
 * first to the last of them. Returns: whether there are any */
static gboolean
find_dated (LensGalleryRows *self,
            guint            start,
            guint            end,
            guint           *first,
            guint           *last)
{
  gboolean found = FALSE;

  for (guint position = start; position < end; position++)
    if (day_at (self, position) != 0)
      {
        if (!found)
          *first = position;
        *last = position;
        found = TRUE;
      }
  return found;
}

/* ─── GListModel, GtkSectionModel ──────────────────────────────────────── */

static GType
lens_gallery_rows_get_item_type (GListModel *model)
{
  return LENS_TYPE_GALLERY_ROW;
}

static guint
lens_gallery_rows_get_n_items (GListModel *model)
{
  return n_rows (LENS_GALLERY_ROWS (model));
}

static gpointer
lens_gallery_rows_get_item (GListModel *model,
                            guint       position)
{
  LensGalleryRows *self = LENS_GALLERY_ROWS (model);
  LensGalleryRow *row;
  guint run, first, count;

  if (position >= n_rows (self))
    return NULL;

  run = search_ends (self->row_ends, position);
  first = task_start (self, run) + (position - row_start (self, run)) * self->columns;
  count = MIN (self->columns, TASK_END (self, run) - first);

  row = g_object_new (LENS_TYPE_GALLERY_ROW, NULL);
  row->day = RUN (self, run)->day;
  row->day_count = RUN (self, run)->count;
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (row->tasks, g_list_model_get_item (self->tasks, first + i));
  return row;
}

static void
lens_gallery_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = lens_gallery_rows_get_item_type;
  iface->get_n_items = lens_gallery_rows_get_n_items;
  iface->get_item = lens_gallery_rows_get_item;
}

static void
lens_gallery_rows_get_section (GtkSectionModel *model,
                               guint            position,
                               guint           *out_start,
                               guint           *out_end)
{
  LensGalleryRows *self = LENS_GALLERY_ROWS (model);
  guint run;

  if (position >= n_rows (self))
    {
      *out_start = n_rows (self);
      *out_end = G_MAXUINT;
      return;
    }
  run = search_ends (self->row_ends, position);
  *out_start = row_start (self, run);
  *out_end = ROW_END (self, run);
}

static void
lens_gallery_rows_section_model_init (GtkSectionModelInterface *iface)
{
  iface->get_section = lens_gallery_rows_get_section;
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_gallery_rows_dispose (GObject *object)
{
  LensGalleryRows *self = LENS_GALLERY_ROWS (object);

  g_clear_handle_id (&self->place_id, g_source_remove);
  if (self->tasks != NULL)
    g_signal_handlers_disconnect_by_func (self->tasks, tasks_changed_cb, self);
  g_clear_object (&self->tasks);

  G_OBJECT_CLASS (lens_gallery_rows_parent_class)->dispose (object);
}

static void
lens_gallery_rows_finalize (GObject *object)
{
  LensGalleryRows *self = LENS_GALLERY_ROWS (object);

  g_array_unref (self->runs);
  g_array_unref (self->task_ends);
  g_array_unref (self->row_ends);

  G_OBJECT_CLASS (lens_gallery_rows_parent_class)->finalize (object);
}

static void
lens_gallery_rows_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LensGalleryRows *self = LENS_GALLERY_ROWS (object);

  switch (prop_id)
    {
    case PROP_COLUMNS:
      g_value_set_uint (value, self->columns);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, lens_gallery_rows_get_pending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_gallery_rows_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LensGalleryRows *self = LENS_GALLERY_ROWS (object);

  switch (prop_id)
    {
    case PROP_COLUMNS:
      lens_gallery_rows_set_columns (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_gallery_rows_class_init (LensGalleryRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_gallery_rows_dispose;
  object_class->finalize = lens_gallery_rows_finalize;
  object_class->get_property = lens_gallery_rows_get_property;
  object_class->set_property = lens_gallery_rows_set_property;

  /* How many cells a row has. */
  properties[PROP_COLUMNS] =
    g_param_spec_uint ("columns", NULL, NULL, 1, G_MAXUINT16, 1,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Whether some tasks are not in rows yet (placed on idle). */
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_gallery_rows_init (LensGalleryRows *self)
{
  self->columns = 1;
  self->runs = g_array_new (FALSE, FALSE, sizeof (Run));
  self->task_ends = g_array_new (FALSE, FALSE, sizeof (guint));
  self->row_ends = g_array_new (FALSE, FALSE, sizeof (guint));
}

/* ─── public ───────────────────────────────────────────────────────────── */

/**
 * lens_gallery_rows_new:
 * @tasks: (nullable): a model of LensTask, in the order shown
 */
LensGalleryRows *
lens_gallery_rows_new (GListModel *tasks)
{
  LensGalleryRows *self = g_object_new (LENS_TYPE_GALLERY_ROWS, NULL);

  lens_gallery_rows_set_tasks (self, tasks);
  return self;
}

/* Returns: (transfer none) (nullable): the tasks the rows hold */
GListModel *
lens_gallery_rows_get_tasks (LensGalleryRows *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_ROWS (self), NULL);
  return self->tasks;
}

/**
 * lens_gallery_rows_set_tasks:
 * @tasks: (nullable): a model of LensTask; %NULL for no rows (the gallery
 *   while it is not shown costs nothing)
 */
void
lens_gallery_rows_set_tasks (LensGalleryRows *self,
                             GListModel      *tasks)
{
  g_return_if_fail (LENS_IS_GALLERY_ROWS (self));
  g_return_if_fail (tasks == NULL || G_IS_LIST_MODEL (tasks));

  if (self->tasks == tasks)
    return;
  if (self->tasks != NULL)
    g_signal_handlers_disconnect_by_func (self->tasks, tasks_changed_cb, self);
  unplace_from (self, 0);
  g_set_object (&self->tasks, tasks);
  if (tasks != NULL)
    g_signal_connect (tasks, "items-changed", G_CALLBACK (tasks_changed_cb), self);
  replace_from (self, 0);
}

guint
lens_gallery_rows_get_columns (LensGalleryRows *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_ROWS (self), 1);
  return self->columns;
}

/* Every row changes; the runs stay. */
void
lens_gallery_rows_set_columns (LensGalleryRows *self,
                               guint            columns)
{
  guint old_rows;

  g_return_if_fail (LENS_IS_GALLERY_ROWS (self));
  g_return_if_fail (columns > 0);

  if (self->columns == columns)
    return;
  old_rows = n_rows (self);
  self->columns = columns;
  recount (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_rows, n_rows (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLUMNS]);
}

LensGalleryDay
lens_gallery_rows_get_day_of (LensGalleryRows *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_ROWS (self), LENS_GALLERY_DAY_CREATED);
  return self->day_of;
}

/* Which day groups the tasks; they are placed again. */
void
lens_gallery_rows_set_day_of (LensGalleryRows *self,
                              LensGalleryDay   day_of)
{
  g_return_if_fail (LENS_IS_GALLERY_ROWS (self));

  if (self->day_of == day_of)
    return;
  self->day_of = day_of;
  replace_from (self, 0);
}

/**
 * lens_gallery_rows_place_undated:
 *
 * Places again the tasks that had no day when they were placed (not
 * looked up yet, not finished yet) and have one now. A list keeps its
 * order when a task's time comes (its sorter does not change), so the
 * rows are not told by the tasks: the caller says when times came
 * (LensTaskList::task-changed). Only the sections without a day are read,
 * which hold the tasks still waiting, and only the rows of tasks that
 * have a day now change.
 */
void
lens_gallery_rows_place_undated (LensGalleryRows *self)
{
  g_autoptr(GArray) undated = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_if_fail (LENS_IS_GALLERY_ROWS (self));

  for (guint i = 0; i < self->runs->len; i++)
    if (RUN (self, i)->day == 0)
      {
        guint bounds[2] = { task_start (self, i), TASK_END (self, i) };

        g_array_append_vals (undated, bounds, 2);
      }
  /* A change of as many tasks as it takes away keeps every position. */
  for (guint i = 0; i < undated->len; i += 2)
    {
      guint first, last;

      if (find_dated (self, g_array_index (undated, guint, i), g_array_index (undated, guint, i + 1),
                      &first, &last))
        place_change (self, first, last + 1 - first, last + 1 - first);
    }
}

/* Returns: whether some tasks are still to be placed in rows */
gboolean
lens_gallery_rows_get_pending (LensGalleryRows *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_ROWS (self), FALSE);
  return self->place_id != 0;
}

/* Returns: how many of the tasks, from the first, are in rows */
guint
lens_gallery_rows_get_n_placed (LensGalleryRows *self)
{
  g_return_val_if_fail (LENS_IS_GALLERY_ROWS (self), 0);
  return n_placed (self);
}

/**
 * lens_gallery_rows_locate:
 * @position: a task's position in the tasks
 * @row: (out) (optional): its row
 * @column: (out) (optional): its cell in the row
 *
 * Returns: whether the task at @position is in a row yet
 */
gboolean
lens_gallery_rows_locate (LensGalleryRows *self,
                          guint            position,
                          guint           *row,
                          guint           *column)
{
  guint run, offset;

  g_return_val_if_fail (LENS_IS_GALLERY_ROWS (self), FALSE);

  if (position >= n_placed (self))
    return FALSE;
  run = search_ends (self->task_ends, position);
  offset = position - task_start (self, run);
  if (row != NULL)
    *row = row_start (self, run) + offset / self->columns;
  if (column != NULL)
    *column = offset % self->columns;
  return TRUE;
}

/**
 * lens_gallery_rows_get_position:
 * @row: a row
 * @column: a cell in it; beyond the row's last (a day's last row may be
 *   short), its last
 *
 * Returns: the position of the task there in the tasks, or
 *   %GTK_INVALID_LIST_POSITION when there is no such row
 */
guint
lens_gallery_rows_get_position (LensGalleryRows *self,
                                guint            row,
                                guint            column)
{
  guint run, first, count;

  g_return_val_if_fail (LENS_IS_GALLERY_ROWS (self), GTK_INVALID_LIST_POSITION);

  if (row >= n_rows (self))
    return GTK_INVALID_LIST_POSITION;
  run = search_ends (self->row_ends, row);
  first = task_start (self, run) + (row - row_start (self, run)) * self->columns;
  count = MIN (self->columns, TASK_END (self, run) - first);
  return first + MIN (column, count - 1);
}
