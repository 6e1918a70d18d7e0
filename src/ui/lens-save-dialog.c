/* lens-save-dialog.c — Save Images…: which tasks, how grids are saved, where
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one question before a bulk save (issue 12). Opened with the tasks
 * picked in the list, it offers them or every finished task; from the
 * main menu's Save All Images…, every finished task. "Skip Tasks Saved
 * Before" leaves out the tasks whose images were saved to any folder
 * already (the folder itself is always checked: what is there is not
 * saved again). Grids, the 2×2 images, are saved whole, as their four
 * images, or both, as the last save did (the `save-grids` setting, which
 * `tasklens --save-all` follows too). The folder is the last one used (the
 * `save-folder` setting), else Pictures, and another is chosen with the
 * file dialog, through the portal under Flatpak.
 *
 * Save hands all that to LensSaving and closes: the save runs in the
 * context, and the window's progress bar (lens-save-progress.c) follows
 * it. When it cannot start (another save is under way), the dialog stays
 * and says why.
 */

#define G_LOG_DOMAIN "lens-save-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-save-dialog.h"

/* The positions of the Tasks row's choices. */
enum {
  WHICH_SELECTED,
  WHICH_ALL,
};

struct _LensSaveDialog
{
  AdwDialog       parent_instance;

  GtkLabel       *error_label;
  AdwActionRow   *folder_row;
  AdwComboRow    *grids_row;
  AdwSwitchRow   *skip_row;
  GtkStringList  *which_choices;
  AdwComboRow    *which_row;

  LensSaving     *saving;        /* owned */
  GSettings      *settings;      /* owned, nullable */
  GStrv           selected_ids;  /* owned, nullable: opened for every finished task */
  GFile          *folder;        /* owned */
  GCancellable   *cancellable;   /* owned: the file dialog, cancelled on dispose */
};

G_DEFINE_FINAL_TYPE (LensSaveDialog, lens_save_dialog, ADW_TYPE_DIALOG)

/* ─── the folder ───────────────────────────────────────────────────────── */

/* The last folder saved into, else Pictures (else the home folder, on a
 * system without one). No I/O: whether it still exists is the job's to
 * find out, and it says so in words. */
static GFile *
default_folder (GSettings *settings)
{
  g_autofree char *remembered = settings != NULL ? g_settings_get_string (settings, "save-folder") : NULL;
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);

  if (remembered != NULL && g_path_is_absolute (remembered))
    return g_file_new_for_path (remembered);
  return g_file_new_for_path (pictures != NULL ? pictures : g_get_home_dir ());
}

/* The folder as a person reads it: its path, the home folder as "~". */
static char *
folder_words (GFile *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  g_autofree char *shown = NULL;
  const char *home = g_get_home_dir ();
  gsize home_len = strlen (home);

  if (path == NULL)
    return g_file_get_parse_name (folder);
  shown = g_filename_display_name (path);
  if (g_str_has_prefix (shown, home) && home_len > 1 && (shown[home_len] == '/' || shown[home_len] == '\0'))
    return g_strconcat ("~", shown + home_len, NULL);
  return g_steal_pointer (&shown);
}

/**
 * _lens_save_dialog_set_folder:
 *
 * Chooses @folder, as the file dialog does; tests call it instead.
 */
void
_lens_save_dialog_set_folder (LensSaveDialog *self,
                              GFile          *folder)
{
  g_autofree char *words = NULL;

  g_return_if_fail (LENS_IS_SAVE_DIALOG (self));
  g_return_if_fail (G_IS_FILE (folder));

  g_set_object (&self->folder, folder);
  words = folder_words (folder);
  adw_action_row_set_subtitle (self->folder_row, words);
}

/**
 * lens_save_dialog_get_folder:
 *
 * Returns: (transfer none): where the images will go
 */
GFile *
lens_save_dialog_get_folder (LensSaveDialog *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_DIALOG (self), NULL);
  return self->folder;
}

static void
folder_chosen_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LensSaveDialog) self = user_data;
  g_autoptr(GFile) folder = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (source), result, NULL);

  /* Dismissed: the folder stays as it was. */
  if (folder != NULL)
    _lens_save_dialog_set_folder (self, folder);
}

static void
folder_clicked_cb (LensSaveDialog *self)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_file_dialog_set_title (dialog, _("Choose a Folder for the Images"));
  gtk_file_dialog_set_initial_folder (dialog, self->folder);
  gtk_file_dialog_select_folder (dialog, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->cancellable,
                                 folder_chosen_cb, g_object_ref (self));
}

/* ─── the choices remembered ───────────────────────────────────────────── */

static void
restore_grids (LensSaveDialog *self)
{
  g_autofree char *nick = NULL;
  g_autoptr(GEnumClass) grids = NULL;
  GEnumValue *value;

  if (self->settings == NULL)
    return;
  nick = g_settings_get_string (self->settings, "save-grids");
  grids = g_type_class_ref (LENS_TYPE_SAVE_GRIDS);
  value = g_enum_get_value_by_nick (grids, nick);
  if (value != NULL)
    adw_combo_row_set_selected (self->grids_row, (guint) value->value);
}

static void
remember (LensSaveDialog *self,
          LensSaveGrids   chosen)
{
  g_autofree char *path = g_file_get_path (self->folder);
  g_autoptr(GEnumClass) grids = NULL;
  GEnumValue *value;

  if (self->settings == NULL)
    return;
  grids = g_type_class_ref (LENS_TYPE_SAVE_GRIDS);
  value = g_enum_get_value (grids, chosen);
  if (value != NULL)
    g_settings_set_string (self->settings, "save-grids", value->value_nick);
  /* A folder only the portal can name (no path) is not offered again. */
  if (path != NULL)
    g_settings_set_string (self->settings, "save-folder", path);
}

/* ─── saving ───────────────────────────────────────────────────────────── */

/* Returns: (transfer full): the ids of @ids that are also in @allowed, in
 * @ids's order */
static GStrv
keep_allowed (const char * const *ids,
              const char * const *allowed)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();

  for (guint i = 0; allowed[i] != NULL; i++)
    g_hash_table_add (set, (gpointer) allowed[i]);
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_hash_table_contains (set, ids[i]))
      g_strv_builder_add (kept, ids[i]);
  return g_strv_builder_end (kept);
}

/* Returns: (transfer full): the tasks the choices name */
static GStrv
chosen_ids (LensSaveDialog *self)
{
  gboolean skip_saved = adw_switch_row_get_active (self->skip_row);
  g_auto(GStrv) unsaved = NULL;

  if (self->selected_ids == NULL || adw_combo_row_get_selected (self->which_row) == WHICH_ALL)
    return lens_saving_dup_finished_ids (self->saving, skip_saved);
  if (!skip_saved)
    return g_strdupv (self->selected_ids);
  unsaved = lens_saving_dup_finished_ids (self->saving, TRUE);
  return keep_allowed ((const char * const *) self->selected_ids, (const char * const *) unsaved);
}

static void
say_error (LensSaveDialog *self,
           const char     *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
save_clicked_cb (LensSaveDialog *self)
{
  g_auto(GStrv) ids = chosen_ids (self);
  g_autoptr(GError) error = NULL;
  LensSaveGrids grids = (LensSaveGrids) adw_combo_row_get_selected (self->grids_row);

  if (ids[0] == NULL)
    {
      say_error (self, _("There are no images left to save: every task chosen was saved before, or has not finished"));
      return;
    }
  if (lens_saving_start (self->saving, self->folder, (const char * const *) ids, grids, &error) == NULL)
    {
      say_error (self, error->message);
      return;
    }
  remember (self, grids);
  adw_dialog_close (ADW_DIALOG (self));
}

static void
cancel_clicked_cb (LensSaveDialog *self)
{
  adw_dialog_close (ADW_DIALOG (self));
}

/* ─── the object ───────────────────────────────────────────────────────── */

static void
lens_save_dialog_dispose (GObject *object)
{
  LensSaveDialog *self = LENS_SAVE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_SAVE_DIALOG);
  g_clear_object (&self->saving);
  g_clear_object (&self->settings);
  g_clear_object (&self->folder);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lens_save_dialog_parent_class)->dispose (object);
}

static void
lens_save_dialog_finalize (GObject *object)
{
  LensSaveDialog *self = LENS_SAVE_DIALOG (object);

  g_strfreev (self->selected_ids);

  G_OBJECT_CLASS (lens_save_dialog_parent_class)->finalize (object);
}

static void
lens_save_dialog_class_init (LensSaveDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_save_dialog_dispose;
  object_class->finalize = lens_save_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-save-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LensSaveDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, LensSaveDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, LensSaveDialog, grids_row);
  gtk_widget_class_bind_template_child (widget_class, LensSaveDialog, skip_row);
  gtk_widget_class_bind_template_child (widget_class, LensSaveDialog, which_choices);
  gtk_widget_class_bind_template_child (widget_class, LensSaveDialog, which_row);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, folder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
}

static void
lens_save_dialog_init (LensSaveDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * lens_save_dialog_new:
 * @saving: the context's bulk save
 * @settings: (nullable): where the last folder is remembered
 * @selected_ids: (nullable) (transfer full): the tasks picked in the list;
 *   %NULL for Save All Images…. Taken, not copied: they may be 100,000.
 *
 * Returns: (transfer floating): the dialog, to present
 */
AdwDialog *
lens_save_dialog_new (LensSaving *saving,
                      GSettings  *settings,
                      GStrv       selected_ids)
{
  LensSaveDialog *self;
  g_autoptr(GFile) folder = NULL;

  g_return_val_if_fail (LENS_IS_SAVING (saving), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (LENS_TYPE_SAVE_DIALOG, NULL);
  self->saving = g_object_ref (saving);
  g_set_object (&self->settings, settings);
  folder = default_folder (settings);
  _lens_save_dialog_set_folder (self, folder);
  restore_grids (self);

  if (selected_ids != NULL && selected_ids[0] != NULL)
    {
      guint n = g_strv_length (selected_ids);
      g_autofree char *selected = NULL;

      self->selected_ids = g_steal_pointer (&selected_ids);
      /* Translators: a choice of the tasks whose images are saved */
      selected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The %'u Selected Task", "The %'u Selected Tasks", n), n);
      gtk_string_list_append (self->which_choices, selected);
      gtk_string_list_append (self->which_choices, _("All Finished Tasks"));
    }
  else
    {
      gtk_string_list_append (self->which_choices, _("All Finished Tasks"));
      /* One choice is no choice. */
      gtk_widget_set_visible (GTK_WIDGET (self->which_row), FALSE);
      adw_dialog_set_title (ADW_DIALOG (self), _("Save All Images"));
    }
  g_strfreev (selected_ids);
  return ADW_DIALOG (self);
}
