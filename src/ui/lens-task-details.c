/* lens-task-details.c — the rows that show a task's fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every field a task has goes into a group of property rows: the prompt,
 * the state, the error, the descriptions and links, the sizes, the action
 * chips, the times, the ids and the raw JSON. Fields a task does not have
 * are hidden, never shown empty. The rows follow the task's notifications,
 * and "3 minutes ago" is brought up to date while they are on screen.
 *
 * The copy and open buttons of the rows use the "task." actions of the
 * LensTaskView that contains the details.
 */

#define G_LOG_DOMAIN "lens-task-details"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-raw-json-view.h"
#include "lens-task-details.h"
#include "lens-tooltip.h"

/* For how long after a time "3 minutes ago" is worth saying
 * (lens_format_relative_time() then says the date). */
#define RECENT_S (7 * 24 * 60 * 60)

/* How often "3 minutes ago" is brought up to date. */
#define RELATIVE_TIME_INTERVAL_S 30

struct _LensTaskDetails
{
  AdwBin               parent_instance;

  AdwActionRow        *action_row;
  AdwPreferencesGroup *chips_group;
  AdwWrapBox          *chips_box;
  GtkLabel            *created_relative_label;
  AdwActionRow        *created_row;
  AdwPreferencesGroup *descriptions_group;
  AdwActionRow        *duration_row;
  AdwActionRow        *error_code_row;
  AdwPreferencesGroup *error_group;
  AdwActionRow        *error_message_row;
  GtkLabel            *finished_relative_label;
  AdwActionRow        *finished_row;
  AdwPreferencesGroup *ids_group;
  AdwActionRow        *image_id_row;
  AdwActionRow        *image_size_row;
  AdwPreferencesGroup *images_group;
  AdwActionRow        *job_id_row;
  AdwPreferencesGroup *links_group;
  AdwActionRow        *mode_row;
  GtkProgressBar      *progress_bar;
  AdwActionRow        *prompt_row;
  AdwExpanderRow      *raw_json_row;
  LensRawJsonView     *raw_json_view;
  AdwActionRow        *raw_size_row;
  GtkLabel            *started_relative_label;
  AdwActionRow        *started_row;
  AdwActionRow        *state_row;
  AdwActionRow        *task_id_row;
  AdwPreferencesGroup *timing_group;
  AdwActionRow        *trace_id_row;
  AdwActionRow        *type_row;
  AdwActionRow        *video_id_row;

  LensTask            *task;               /* owned, nullable */
  GSignalGroup        *task_signals;       /* owned: the task's notifications */

  GStrv                shown_actions;      /* owned, nullable: what the chips show */
  GStrv                shown_descriptions; /* owned, nullable */
  GStrv                shown_links;        /* owned, nullable */
  GPtrArray           *dynamic_rows;       /* owned: description and link rows */

  guint                relative_time_source;
};

G_DEFINE_FINAL_TYPE (LensTaskDetails, lens_task_details, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TASK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ─── rows ─────────────────────────────────────────────────────────────── */

/* Shows @text in @row, or hides the row when there is no text. */
static gboolean
set_row (AdwActionRow *row,
         const char   *text)
{
  gboolean visible = text != NULL && *text != '\0';

  if (visible)
    adw_action_row_set_subtitle (row, text);
  gtk_widget_set_visible (GTK_WIDGET (row), visible);
  return visible;
}

static gboolean
set_time_row (AdwActionRow *row,
              GtkLabel     *relative_label,
              double        unix_seconds)
{
  g_autofree char *text = lens_format_date_time (unix_seconds);
  g_autofree char *relative = lens_format_relative_time (unix_seconds, NULL);
  double age = g_get_real_time () / (double) G_USEC_PER_SEC - unix_seconds;

  /* After a week "ago" becomes a date, which the row already shows. */
  gtk_label_set_text (relative_label, relative != NULL ? relative : "");
  gtk_widget_set_visible (GTK_WIDGET (relative_label), relative != NULL && age < RECENT_S);
  return set_row (row, text);
}


/* Stores a copy of @strv in @shown; FALSE when it was there already. */
static gboolean
take_shown (GStrv              *shown,
            const char * const *strv)
{
  if (lens_strv_equal0 ((const char * const *) *shown, strv))
    return FALSE;
  g_strfreev (*shown);
  *shown = g_strdupv ((char **) strv);
  return TRUE;
}

static GtkWidget *
new_copy_button (const char *text,
                 const char *accessible_label)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  lens_tooltip_set_text (button, _("Copy"));
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "task.copy-text");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  return button;
}

static void
remove_dynamic_rows (LensTaskDetails     *self,
                     AdwPreferencesGroup *group)
{
  for (guint i = self->dynamic_rows->len; i > 0; i--)
    {
      GtkWidget *row = g_ptr_array_index (self->dynamic_rows, i - 1);

      if (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP) != GTK_WIDGET (group))
        continue;
      adw_preferences_group_remove (group, row);
      g_ptr_array_remove_index (self->dynamic_rows, i - 1);
    }
}

static void
update_descriptions (LensTaskDetails *self)
{
  const char * const *descriptions = lens_task_get_descriptions (self->task);

  gtk_widget_set_visible (GTK_WIDGET (self->descriptions_group), descriptions != NULL);
  if (!take_shown (&self->shown_descriptions, descriptions))
    return;

  remove_dynamic_rows (self, self->descriptions_group);
  for (guint i = 0; descriptions != NULL && descriptions[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *label = g_strdup_printf (_("Copy Description %u"), i + 1);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), descriptions[i]);
      adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_copy_button (descriptions[i], label));
      adw_preferences_group_add (self->descriptions_group, row);
      g_ptr_array_add (self->dynamic_rows, row);
    }
}

/* Videos, and the separate images of an edit, each in a row that opens it. */
static void
update_links (LensTaskDetails *self)
{
  const char * const *videos = lens_task_get_video_urls (self->task);
  const char * const *links = videos != NULL ? videos : lens_task_get_sub_image_urls (self->task);

  gtk_widget_set_visible (GTK_WIDGET (self->links_group), links != NULL);
  if (!take_shown (&self->shown_links, links))
    return;

  remove_dynamic_rows (self, self->links_group);
  adw_preferences_group_set_title (self->links_group,
                                   videos != NULL ? _("Videos") : _("Separate Images"));
  for (guint i = 0; links != NULL && links[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Open"));
      g_autofree char *title = g_strdup_printf (videos != NULL ? _("Video %u") : _("Image %u"),
                                                i + 1);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      lens_tooltip_set_text (button, _("Open in a web browser"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "task.open-link");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", links[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), links[i]);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->links_group, row);
      g_ptr_array_add (self->dynamic_rows, row);
    }
}

static void
update_chips (LensTaskDetails *self)
{
  const char * const *actions = lens_task_get_actions (self->task);
  GtkWidget *child;

  gtk_widget_set_visible (GTK_WIDGET (self->chips_group), actions != NULL && actions[0] != NULL);
  if (!take_shown (&self->shown_actions, actions))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips_box))) != NULL)
    adw_wrap_box_remove (self->chips_box, child);

  /* Plain text, one dot between two actions: Tasklens cannot act on them,
   * and anything shaped like a button would promise that it can. */
  for (guint i = 0; actions != NULL && actions[i] != NULL; i++)
    {
      g_autofree char *text = lens_format_term (actions[i]);
      GtkWidget *label = gtk_label_new (text);

      if (i > 0)
        {
          GtkWidget *dot = g_object_new (GTK_TYPE_LABEL,
                                         "label", "·",
                                         "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                         NULL);

          gtk_widget_add_css_class (dot, "dimmed");
          adw_wrap_box_append (self->chips_box, dot);
        }
      /* The API's own name, for scripts that call it. */
      lens_tooltip_set_text (label, actions[i]);
      adw_wrap_box_append (self->chips_box, label);
    }
}

static void
update_state (LensTaskDetails *self)
{
  LensTaskState state = lens_task_get_state (self->task);
  int progress = lens_task_get_progress (self->task);
  g_autofree char *text = lens_format_task_state (state, progress);

  set_row (self->state_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                          state == LENS_TASK_STATE_RUNNING && progress >= 0);
  if (progress >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, progress / 100.0);
}

static void
update_times (LensTaskDetails *self)
{
  LensTask *task = self->task;
  g_autofree char *duration = lens_format_duration (lens_task_get_duration (task));
  gboolean any = FALSE;

  any |= set_time_row (self->created_row, self->created_relative_label,
                       lens_task_get_created_at (task));
  any |= set_time_row (self->started_row, self->started_relative_label,
                       lens_task_get_started_at (task));
  any |= set_time_row (self->finished_row, self->finished_relative_label,
                       lens_task_get_finished_at (task));
  any |= set_row (self->duration_row, duration);
  gtk_widget_set_visible (GTK_WIDGET (self->timing_group), any);
}

static void
update (LensTaskDetails *self)
{
  LensTask *task = self->task;
  g_autofree char *type = lens_format_term (lens_task_get_task_type (task));
  g_autofree char *action = lens_format_term (lens_task_get_action (task));
  g_autofree char *mode = lens_format_term (lens_task_get_mode (task));
  g_autofree char *image_size = lens_format_size (lens_task_get_image_width (task),
                                                  lens_task_get_image_height (task));
  g_autofree char *raw_size = lens_format_size (lens_task_get_raw_image_width (task),
                                                lens_task_get_raw_image_height (task));
  gboolean failed = lens_task_get_state (task) == LENS_TASK_STATE_FAILED;
  gboolean any;

  set_row (self->prompt_row, lens_task_get_prompt (task));
  set_row (self->type_row, type);
  set_row (self->action_row, action);
  set_row (self->mode_row, mode);
  update_state (self);

  set_row (self->error_message_row, lens_task_get_error_message (task));
  set_row (self->error_code_row, lens_task_get_error_code (task));
  set_row (self->trace_id_row, lens_task_get_trace_id (task));
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), failed);

  update_descriptions (self);
  update_links (self);

  any = set_row (self->raw_size_row, raw_size);
  any |= set_row (self->image_size_row, image_size);
  gtk_widget_set_visible (GTK_WIDGET (self->images_group), any);

  update_chips (self);
  update_times (self);

  set_row (self->task_id_row, lens_task_get_id (task));
  set_row (self->image_id_row, lens_task_get_image_id (task));
  set_row (self->job_id_row, lens_task_get_job_id (task));
  set_row (self->video_id_row, lens_task_get_video_id (task));
}

/* The record is pretty-printed (in a worker) only while someone looks at
 * it. */
static void
update_raw_json (LensTaskDetails *self)
{
  const char *json = NULL;

  if (self->task != NULL && adw_expander_row_get_expanded (self->raw_json_row))
    json = lens_task_get_raw_json (self->task);

  lens_raw_json_view_set_json (self->raw_json_view, json);
  gtk_widget_set_visible (GTK_WIDGET (self->raw_json_row),
                          self->task != NULL && lens_task_get_raw_json (self->task) != NULL);
}

/* ─── callbacks ────────────────────────────────────────────────────────── */

static void
task_notify_cb (LensTaskDetails *self,
                GParamSpec      *pspec,
                LensTask        *task)
{
  if (g_str_equal (g_param_spec_get_name (pspec), "raw-json"))
    update_raw_json (self);
  else
    update (self);
}

static void
raw_json_expanded_cb (LensTaskDetails *self)
{
  update_raw_json (self);
}

static gboolean
refresh_relative_times_cb (gpointer user_data)
{
  LensTaskDetails *self = user_data;

  if (self->task != NULL)
    update_times (self);
  return G_SOURCE_CONTINUE;
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_task_details_map (GtkWidget *widget)
{
  LensTaskDetails *self = LENS_TASK_DETAILS (widget);

  GTK_WIDGET_CLASS (lens_task_details_parent_class)->map (widget);

  if (self->relative_time_source == 0)
    self->relative_time_source = g_timeout_add_seconds (RELATIVE_TIME_INTERVAL_S,
                                                        refresh_relative_times_cb, self);
  refresh_relative_times_cb (self);
}

static void
lens_task_details_unmap (GtkWidget *widget)
{
  LensTaskDetails *self = LENS_TASK_DETAILS (widget);

  g_clear_handle_id (&self->relative_time_source, g_source_remove);

  GTK_WIDGET_CLASS (lens_task_details_parent_class)->unmap (widget);
}

static void
lens_task_details_dispose (GObject *object)
{
  LensTaskDetails *self = LENS_TASK_DETAILS (object);

  g_clear_handle_id (&self->relative_time_source, g_source_remove);
  g_signal_group_set_target (self->task_signals, NULL);
  g_clear_object (&self->task);

  /* The template's root is also AdwBin's child: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_TASK_DETAILS);

  G_OBJECT_CLASS (lens_task_details_parent_class)->dispose (object);
}

static void
lens_task_details_finalize (GObject *object)
{
  LensTaskDetails *self = LENS_TASK_DETAILS (object);

  g_strfreev (self->shown_actions);
  g_strfreev (self->shown_descriptions);
  g_strfreev (self->shown_links);
  g_ptr_array_unref (self->dynamic_rows);
  g_clear_object (&self->task_signals);

  G_OBJECT_CLASS (lens_task_details_parent_class)->finalize (object);
}

static void
lens_task_details_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LensTaskDetails *self = LENS_TASK_DETAILS (object);

  switch (prop_id)
    {
    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_details_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LensTaskDetails *self = LENS_TASK_DETAILS (object);

  switch (prop_id)
    {
    case PROP_TASK:
      lens_task_details_set_task (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_details_class_init (LensTaskDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_task_details_dispose;
  object_class->finalize = lens_task_details_finalize;
  object_class->get_property = lens_task_details_get_property;
  object_class->set_property = lens_task_details_set_property;
  widget_class->map = lens_task_details_map;
  widget_class->unmap = lens_task_details_unmap;

  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL, LENS_TYPE_TASK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LENS_TYPE_RAW_JSON_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-task-details.ui");
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, action_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, chips_box);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, chips_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, created_relative_label);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, created_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, descriptions_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, duration_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, error_code_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, error_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, error_message_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, finished_relative_label);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, finished_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, ids_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, image_id_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, image_size_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, images_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, job_id_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, links_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, mode_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, prompt_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, raw_json_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, raw_json_view);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, raw_size_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, started_relative_label);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, started_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, state_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, task_id_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, timing_group);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, trace_id_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, type_row);
  gtk_widget_class_bind_template_child (widget_class, LensTaskDetails, video_id_row);
  gtk_widget_class_bind_template_callback (widget_class, raw_json_expanded_cb);
}

static void
lens_task_details_init (LensTaskDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->dynamic_rows = g_ptr_array_new ();
  self->task_signals = g_signal_group_new (LENS_TYPE_TASK);
  g_signal_group_connect_swapped (self->task_signals, "notify", G_CALLBACK (task_notify_cb), self);
}

/* ─── public API ───────────────────────────────────────────────────────── */

LensTaskDetails *
lens_task_details_new (void)
{
  return g_object_new (LENS_TYPE_TASK_DETAILS, NULL);
}

LensTask *
lens_task_details_get_task (LensTaskDetails *self)
{
  g_return_val_if_fail (LENS_IS_TASK_DETAILS (self), NULL);
  return self->task;
}

void
lens_task_details_set_task (LensTaskDetails *self,
                            LensTask        *task)
{
  g_return_if_fail (LENS_IS_TASK_DETAILS (self));
  g_return_if_fail (task == NULL || LENS_IS_TASK (task));

  if (!g_set_object (&self->task, task))
    return;
  g_signal_group_set_target (self->task_signals, task);

  if (task != NULL)
    update (self);
  update_raw_json (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}
