/* lens-find-bar.c — the search entry and the filter and sort menu above the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Always there above the list, as in GNOME's apps for big collections: a
 * search entry, and beside it a menu of check items that show only some
 * states and types, and of the list's order. The entry and the check items
 * follow a LensTaskFinder, which decides what matches; the order is the
 * bar's own, given to the window's sort model as a GtkSorter (none for the
 * user's own order, which costs nothing). When a filter hides tasks, the
 * menu's button wears the accent colour, so a list that looks short says
 * why.
 *
 * The actions (find.state-…, find.type-…, find.sort, find.clear) are in a
 * group the window puts on itself, so that its "No Tasks Match" page can
 * clear the filters too. Filters and order are remembered in the settings.
 */

#define G_LOG_DOMAIN "lens-find-bar"

#include "config.h"


#include "lens-core-enums.h"
#include "lens-find-bar.h"
#include "lens-lazy-menu.h"
#include "lens-task.h"

struct _LensFindBar
{
  AdwBin              parent_instance;

  GtkSearchEntry     *entry;
  GtkMenuButton      *menu_button;

  LensTaskFinder     *finder;      /* owned, nullable: until bound */
  GSettings          *settings;    /* owned, nullable */
  GSimpleActionGroup *actions;     /* owned */
  GtkSorter          *sorter;      /* owned, nullable: NULL keeps the list's order */
  char               *sort_order;  /* owned: "added", "created" or "finished" */
};

enum {
  PROP_0,
  PROP_SORT_ORDER,
  PROP_SORTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensFindBar, lens_find_bar, ADW_TYPE_BIN)

/* The menu's check items, each one group of states or types. */
static const struct
{
  const char *action;
  gboolean    is_type;
  guint       group;
} filter_actions[] = {
  { "state-done", FALSE, LENS_STATE_GROUP_DONE },
  { "state-in-progress", FALSE, LENS_STATE_GROUP_IN_PROGRESS },
  { "state-stalled", FALSE, LENS_STATE_GROUP_STALLED },
  { "state-failed", FALSE, LENS_STATE_GROUP_FAILED },
  { "state-not-found", FALSE, LENS_STATE_GROUP_NOT_FOUND },
  { "type-imagine", TRUE, LENS_TYPE_GROUP_IMAGINE },
  { "type-describe", TRUE, LENS_TYPE_GROUP_DESCRIBE },
  { "type-videos", TRUE, LENS_TYPE_GROUP_VIDEOS },
  { "type-edits", TRUE, LENS_TYPE_GROUP_EDITS },
  { "type-other", TRUE, LENS_TYPE_GROUP_OTHER },
};

/* ─── sorting ──────────────────────────────────────────────────────────── */

/* Newest first; an unknown time (-1, a task not looked up yet) last. */
static int
compare_newest_first (double a,
                      double b)
{
  if (a == b)
    return 0;
  if (a < 0 || b < 0)
    return a < 0 ? 1 : -1;
  return a > b ? -1 : 1;
}

static int
compare_created_cb (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  return compare_newest_first (lens_task_get_created_at ((LensTask *) a),
                               lens_task_get_created_at ((LensTask *) b));
}

static int
compare_finished_cb (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  return compare_newest_first (lens_task_get_finished_at ((LensTask *) a),
                               lens_task_get_finished_at ((LensTask *) b));
}

/**
 * lens_find_bar_set_sort_order:
 * @sort_order: "added" (the list's own order), "created" or "finished"
 *   (newest first)
 */
void
lens_find_bar_set_sort_order (LensFindBar *self,
                              const char  *sort_order)
{
  GtkSorter *sorter = NULL;

  g_return_if_fail (LENS_IS_FIND_BAR (self));

  if (g_strcmp0 (sort_order, "created") == 0)
    sorter = GTK_SORTER (gtk_custom_sorter_new (compare_created_cb, NULL, NULL));
  else if (g_strcmp0 (sort_order, "finished") == 0)
    sorter = GTK_SORTER (gtk_custom_sorter_new (compare_finished_cb, NULL, NULL));
  else
    sort_order = "added";

  if (g_strcmp0 (self->sort_order, sort_order) == 0)
    {
      g_clear_object (&sorter);
      return;
    }

  g_free (self->sort_order);
  self->sort_order = g_strdup (sort_order);
  g_clear_object (&self->sorter);
  self->sorter = sorter;
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "sort-order", sort_order);
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "sort")),
                             g_variant_new_string (sort_order));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_ORDER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORTER]);
}

const char *
lens_find_bar_get_sort_order (LensFindBar *self)
{
  g_return_val_if_fail (LENS_IS_FIND_BAR (self), NULL);
  return self->sort_order;
}

/**
 * lens_find_bar_get_sorter:
 *
 * Returns: (transfer none) (nullable): the order chosen, or %NULL for the
 *   list's own
 */
GtkSorter *
lens_find_bar_get_sorter (LensFindBar *self)
{
  g_return_val_if_fail (LENS_IS_FIND_BAR (self), NULL);
  return self->sorter;
}

/* ─── filters ──────────────────────────────────────────────────────────── */

static GStrv
flags_to_nicks (GType flags_type,
                guint value)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (flags_type);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < klass->n_values; i++)
    if ((value & klass->values[i].value) != 0)
      g_strv_builder_add (builder, klass->values[i].value_nick);
  return g_strv_builder_end (builder);
}

static guint
nicks_to_flags (GType               flags_type,
                const char * const *nicks)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (flags_type);
  guint value = 0;

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      GFlagsValue *flag = g_flags_get_value_by_nick (klass, nicks[i]);

      if (flag != NULL)
        value |= flag->value;
    }
  return value;
}

/* The check items, the button's colour and the settings follow the finder. */
/* Writes @key only when it changes: the bar follows both filters, and
 * reads them back at start-up, and a write is a trip to dconf. */
static void
remember_filter (GSettings  *settings,
                 const char *key,
                 GType       flags_type,
                 guint       flags)
{
  g_auto(GStrv) stored = g_settings_get_strv (settings, key);
  g_auto(GStrv) nicks = flags_to_nicks (flags_type, flags);

  if (!g_strv_equal ((const char * const *) stored, (const char * const *) nicks))
    g_settings_set_strv (settings, key, (const char * const *) nicks);
}

static void
filters_changed_cb (LensFindBar *self)
{
  guint states = lens_task_finder_get_states (self->finder);
  guint types = lens_task_finder_get_types (self->finder);

  for (guint i = 0; i < G_N_ELEMENTS (filter_actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), filter_actions[i].action);
      guint groups = filter_actions[i].is_type ? types : states;

      g_simple_action_set_state (G_SIMPLE_ACTION (action),
                                 g_variant_new_boolean ((groups & filter_actions[i].group) != 0));
    }

  if (states != 0 || types != 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "accent");

  if (self->settings != NULL)
    {
      remember_filter (self->settings, "filter-states", LENS_TYPE_STATE_GROUPS, states);
      remember_filter (self->settings, "filter-types", LENS_TYPE_TYPE_GROUPS, types);
    }
}

static void
filter_change_state_cb (GSimpleAction *action,
                        GVariant      *state,
                        gpointer       user_data)
{
  LensFindBar *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  gboolean on = g_variant_get_boolean (state);

  if (self->finder == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (filter_actions); i++)
    {
      guint group = filter_actions[i].group;
      guint groups;

      if (g_strcmp0 (filter_actions[i].action, name) != 0)
        continue;
      if (filter_actions[i].is_type)
        {
          groups = lens_task_finder_get_types (self->finder);
          lens_task_finder_set_types (self->finder, on ? groups | group : groups & ~group);
        }
      else
        {
          groups = lens_task_finder_get_states (self->finder);
          lens_task_finder_set_states (self->finder, on ? groups | group : groups & ~group);
        }
    }
}

static void
sort_change_state_cb (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  lens_find_bar_set_sort_order (user_data, g_variant_get_string (state, NULL));
}

static void
clear_activate_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  LensFindBar *self = user_data;

  /* The entry too: it may hold text the finder has not heard yet (the
   * entry waits a moment after each keystroke). */
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  if (self->finder != NULL)
    lens_task_finder_clear (self->finder);
}

/* ─── the entry ────────────────────────────────────────────────────────── */

/* At every keystroke, while the entry waits for a pause in the typing
 * before it says "search-changed": the store gets ready and the words
 * typed so far are looked up meanwhile (lens_task_finder_prepare()), so
 * that the search does not wait for either. */
static void
entry_changed_cb (LensFindBar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  if (self->finder != NULL && *text != '\0')
    lens_task_finder_prepare (self->finder, text);
}

static void
search_changed_cb (LensFindBar *self)
{
  if (self->finder != NULL)
    lens_task_finder_set_text (self->finder, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

/* Escape empties the search. */
static void
stop_search_cb (LensFindBar *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

/* The text can change elsewhere (Clear Filters). */
static void
finder_text_changed_cb (LensFindBar *self)
{
  const char *text = lens_task_finder_get_text (self->finder);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_find_bar_dispose (GObject *object)
{
  LensFindBar *self = LENS_FIND_BAR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_FIND_BAR);
  g_clear_object (&self->finder);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
  g_clear_object (&self->sorter);

  G_OBJECT_CLASS (lens_find_bar_parent_class)->dispose (object);
}

static void
lens_find_bar_finalize (GObject *object)
{
  g_free (LENS_FIND_BAR (object)->sort_order);

  G_OBJECT_CLASS (lens_find_bar_parent_class)->finalize (object);
}

static void
lens_find_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LensFindBar *self = LENS_FIND_BAR (object);

  switch (prop_id)
    {
    case PROP_SORT_ORDER:
      g_value_set_string (value, self->sort_order);
      break;
    case PROP_SORTER:
      g_value_set_object (value, self->sorter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_find_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LensFindBar *self = LENS_FIND_BAR (object);

  switch (prop_id)
    {
    case PROP_SORT_ORDER:
      lens_find_bar_set_sort_order (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_find_bar_class_init (LensFindBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_find_bar_dispose;
  object_class->finalize = lens_find_bar_finalize;
  object_class->get_property = lens_find_bar_get_property;
  object_class->set_property = lens_find_bar_set_property;

  /* "added", "created" or "finished": the find.sort action's state. */
  properties[PROP_SORT_ORDER] =
    g_param_spec_string ("sort-order", NULL, NULL, "added",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SORTER] =
    g_param_spec_object ("sorter", NULL, NULL, GTK_TYPE_SORTER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LENS_TYPE_LAZY_MENU);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tasklens/Tasklens/lens-find-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LensFindBar, entry);
  gtk_widget_class_bind_template_child (widget_class, LensFindBar, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
}

static void
lens_find_bar_init (LensFindBar *self)
{
  g_autoptr(GSimpleAction) sort = g_simple_action_new_stateful ("sort", G_VARIANT_TYPE_STRING,
                                                                 g_variant_new_string ("added"));
  g_autoptr(GSimpleAction) clear = g_simple_action_new ("clear", NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->sort_order = g_strdup ("added");
  self->actions = g_simple_action_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (filter_actions); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (filter_actions[i].action, NULL,
                                                                      g_variant_new_boolean (FALSE));

      g_signal_connect (action, "change-state", G_CALLBACK (filter_change_state_cb), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
    }
  /* Not a GPropertyAction, which would hold the bar from its own group. */
  g_signal_connect (sort, "change-state", G_CALLBACK (sort_change_state_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (sort));
  g_signal_connect (clear, "activate", G_CALLBACK (clear_activate_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (clear));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "find", G_ACTION_GROUP (self->actions));
}

/* ─── public ───────────────────────────────────────────────────────────── */

/**
 * lens_find_bar_bind:
 * @finder: what the entry and the filters set
 * @settings: (nullable): where the filters and the order are remembered
 *
 * Binds the bar once; the filters and order remembered in @settings apply
 * at once.
 */
void
lens_find_bar_bind (LensFindBar    *self,
                    LensTaskFinder *finder,
                    GSettings      *settings)
{
  g_return_if_fail (LENS_IS_FIND_BAR (self));
  g_return_if_fail (LENS_IS_TASK_FINDER (finder));
  g_return_if_fail (self->finder == NULL);

  self->finder = g_object_ref (finder);
  if (settings != NULL)
    {
      g_auto(GStrv) states = g_settings_get_strv (settings, "filter-states");
      g_auto(GStrv) types = g_settings_get_strv (settings, "filter-types");
      g_autofree char *sort_order = g_settings_get_string (settings, "sort-order");

      lens_task_finder_set_states (finder, nicks_to_flags (LENS_TYPE_STATE_GROUPS, (const char * const *) states));
      lens_task_finder_set_types (finder, nicks_to_flags (LENS_TYPE_TYPE_GROUPS, (const char * const *) types));
      lens_find_bar_set_sort_order (self, sort_order);
      self->settings = g_object_ref (settings);
    }

  g_signal_connect_object (finder, "notify::states", G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (finder, "notify::types", G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (finder, "notify::text", G_CALLBACK (finder_text_changed_cb), self,
                           G_CONNECT_SWAPPED);
  filters_changed_cb (self);
  finder_text_changed_cb (self);
}

/**
 * lens_find_bar_get_actions:
 *
 * Returns: (transfer none): the bar's actions, for the window to put on
 *   itself as "find"
 */
GActionGroup *
lens_find_bar_get_actions (LensFindBar *self)
{
  g_return_val_if_fail (LENS_IS_FIND_BAR (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

/* Ctrl+F: into the entry, its text selected to be typed over. */
void
lens_find_bar_focus (LensFindBar *self)
{
  g_return_if_fail (LENS_IS_FIND_BAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

/* Typing anywhere in @widget starts a search. */
void
lens_find_bar_set_key_capture_widget (LensFindBar *self,
                                      GtkWidget   *widget)
{
  g_return_if_fail (LENS_IS_FIND_BAR (self));
  gtk_search_entry_set_key_capture_widget (self->entry, widget);
}
