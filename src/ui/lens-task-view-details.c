/* lens-task-view-details.c — the rows that show a task's fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensTaskView; see lens-task-view-private.h. Every field a task has
 * goes into a group of property rows: the prompt, the state, the error, the
 * descriptions and links, the sizes, the action chips, the times, the ids
 * and the raw JSON. Fields a task does not have are hidden, never shown
 * empty. This is the bulk of the page and changes with the API's fields,
 * not with the image or the downloads, hence a file of its own.
 */

#define G_LOG_DOMAIN "lens-task-view"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-task-view-private.h"

/* For how long after a time "3 minutes ago" is worth saying
 * (lens_format_relative_time() then says the date). */
#define RECENT_S (7 * 24 * 60 * 60)

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

static gboolean
strv_equal_nullable (const char * const *a,
                     const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal (a, b);
}

/* Stores a copy of @strv in @shown; FALSE when it was there already. */
static gboolean
take_shown (GStrv              *shown,
            const char * const *strv)
{
  if (strv_equal_nullable ((const char * const *) *shown, strv))
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
  gtk_widget_set_tooltip_text (button, _("Copy"));
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "task.copy-text");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  return button;
}

static void
remove_dynamic_rows (LensTaskView        *self,
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
update_descriptions (LensTaskView *self)
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
update_links (LensTaskView *self)
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
      gtk_widget_set_tooltip_text (button, _("Open in a web browser"));
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
update_chips (LensTaskView *self)
{
  const char * const *actions = lens_task_get_actions (self->task);
  GtkWidget *child;

  gtk_widget_set_visible (GTK_WIDGET (self->chips_group), actions != NULL && actions[0] != NULL);
  if (!take_shown (&self->shown_actions, actions))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips_box))) != NULL)
    adw_wrap_box_remove (self->chips_box, child);

  for (guint i = 0; actions != NULL && actions[i] != NULL; i++)
    {
      g_autofree char *text = lens_format_term (actions[i]);
      GtkWidget *chip = gtk_label_new (text);

      /* The API's own name, for scripts that call it. */
      gtk_widget_set_tooltip_text (chip, actions[i]);
      gtk_widget_add_css_class (chip, "chip");
      adw_wrap_box_append (self->chips_box, chip);
    }
}

static void
update_state (LensTaskView *self)
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

void
lens_task_view_details_update_times (LensTaskView *self)
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

void
lens_task_view_details_update (LensTaskView *self)
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
  lens_task_view_details_update_times (self);

  set_row (self->task_id_row, lens_task_get_id (task));
  set_row (self->image_id_row, lens_task_get_image_id (task));
  set_row (self->job_id_row, lens_task_get_job_id (task));
  set_row (self->video_id_row, lens_task_get_video_id (task));
}

/* The record is pretty-printed only while someone looks at it. */
void
lens_task_view_details_update_raw_json (LensTaskView *self)
{
  g_autofree char *pretty = NULL;

  if (self->task != NULL && adw_expander_row_get_expanded (self->raw_json_row))
    pretty = lens_format_json_pretty (lens_task_get_raw_json (self->task));

  gtk_label_set_text (self->raw_json_label, pretty != NULL ? pretty : "");
  gtk_widget_set_visible (GTK_WIDGET (self->raw_json_row),
                          self->task != NULL && lens_task_get_raw_json (self->task) != NULL);
}
