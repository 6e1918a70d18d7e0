/* lens-file-names-group.c — Preferences: how saved images are named
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "file-name-template" setting, edited as text with its fields a menu
 * away, and the name it gives shown as the user types, for an example task
 * whose prompt is in the user's language (a Korean prompt shows how a
 * Korean name looks). A template that cannot name files says why and is
 * not applied; the setting keeps the last good one.
 */

#define G_LOG_DOMAIN "lens-file-names-group"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-file-name.h"
#include "lens-file-names-group.h"
#include "lens-lazy-menu.h"
#include "lens-name-template.h"

#define EXAMPLE_TASK_ID "7489df4c-ef03-4de0-b598-e9a590793434"

struct _LensFileNamesGroup
{
  AdwPreferencesGroup parent_instance;

  AdwEntryRow        *template_row;
  AdwActionRow       *example_row;
  GtkWidget          *reset_button;

  GSettings          *settings;  /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (LensFileNamesGroup, lens_file_names_group, ADW_TYPE_PREFERENCES_GROUP)

/* ─── private functions ────────────────────────────────────────────────── */

static char *
example_name (const char *name_template)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  LensImageFacts fields = {
    .task_id = EXAMPLE_TASK_ID,
    .task_type = "imagine",
    /* Translators: an example prompt, to show how a saved image is named */
    .prompt = _("A cat sitting on a table --ar 3:2"),
    .created_at = (double) g_date_time_to_unix (now),
  };
  g_autofree char *stem = lens_name_template_expand (name_template, &fields);

  return lens_file_name_for_stem (stem, "image/png", NULL);
}

static void
show_template_state (LensFileNamesGroup *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->template_row));
  g_autoptr(GError) error = NULL;

  gtk_widget_set_visible (self->reset_button, g_strcmp0 (text, LENS_NAME_TEMPLATE_DEFAULT) != 0);

  if (!lens_name_template_check (text, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->template_row), "error");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->example_row), _("Not a Valid Name"));
      adw_action_row_set_subtitle (self->example_row, error->message);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->template_row), "error");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->example_row), _("Example"));
  {
    g_autofree char *name = example_name (text);

    adw_action_row_set_subtitle (self->example_row, name);
  }
}

static void
fill_from_settings (LensFileNamesGroup *self)
{
  g_autofree char *saved = g_settings_get_string (self->settings, "file-name-template");

  gtk_editable_set_text (GTK_EDITABLE (self->template_row), saved);
  show_template_state (self);
}

/* ─── callbacks ────────────────────────────────────────────────────────── */

static void
template_changed_cb (LensFileNamesGroup *self)
{
  show_template_state (self);
}

static void
template_apply_cb (LensFileNamesGroup *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->template_row));

  if (self->settings == NULL || !lens_name_template_check (text, NULL))
    return;
  g_settings_set_string (self->settings, "file-name-template", text);
}

static void
reset_clicked_cb (LensFileNamesGroup *self)
{
  if (self->settings != NULL)
    g_settings_reset (self->settings, "file-name-template");
  gtk_editable_set_text (GTK_EDITABLE (self->template_row), LENS_NAME_TEMPLATE_DEFAULT);
}

/* A field goes where the cursor is, with the focus back in the text. */
static void
insert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LensFileNamesGroup *self = LENS_FILE_NAMES_GROUP (widget);
  GtkEditable *editable = GTK_EDITABLE (self->template_row);
  int position = gtk_editable_get_position (editable);

  gtk_editable_insert_text (editable, g_variant_get_string (parameter, NULL), -1, &position);
  gtk_widget_grab_focus (GTK_WIDGET (self->template_row));
  gtk_editable_set_position (editable, position);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_file_names_group_dispose (GObject *object)
{
  LensFileNamesGroup *self = LENS_FILE_NAMES_GROUP (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_FILE_NAMES_GROUP);

  G_OBJECT_CLASS (lens_file_names_group_parent_class)->dispose (object);
}

static void
lens_file_names_group_class_init (LensFileNamesGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_file_names_group_dispose;

  g_type_ensure (LENS_TYPE_LAZY_MENU);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-file-names-group.ui");
  gtk_widget_class_bind_template_child (widget_class, LensFileNamesGroup, template_row);
  gtk_widget_class_bind_template_child (widget_class, LensFileNamesGroup, example_row);
  gtk_widget_class_bind_template_child (widget_class, LensFileNamesGroup, reset_button);
  gtk_widget_class_bind_template_callback (widget_class, template_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, template_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked_cb);
  gtk_widget_class_install_action (widget_class, "names.insert", "s", insert_action);
}

static void
lens_file_names_group_init (LensFileNamesGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  show_template_state (self);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_file_names_group_set_settings:
 * @settings: the app's settings, whose "file-name-template" the group edits
 */
void
lens_file_names_group_set_settings (LensFileNamesGroup *self,
                                    GSettings          *settings)
{
  g_return_if_fail (LENS_IS_FILE_NAMES_GROUP (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  g_signal_connect_object (settings, "changed::file-name-template", G_CALLBACK (fill_from_settings),
                           self, G_CONNECT_SWAPPED);
  fill_from_settings (self);
}
