/* lens-shortcuts-dialog.c — the keyboard shortcuts, listed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkShortcutsWindow is deprecated in GTK 4.18 and AdwShortcutsDialog only
 * arrives in libadwaita 1.8, so the list is a preferences page of rows, one
 * per shortcut, with the keys as the platform names them.
 */

#define G_LOG_DOMAIN "lens-shortcuts-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-shortcuts-dialog.h"

struct _LensShortcutsDialog
{
  AdwDialog           parent_instance;

  AdwPreferencesPage *page;
};

G_DEFINE_FINAL_TYPE (LensShortcutsDialog, lens_shortcuts_dialog, ADW_TYPE_DIALOG)

/* Every shortcut the application, the window, the Add dialog and the
 * image viewer set, and only those: test-window compares this list with
 * the accelerators they install. */
typedef struct
{
  const char *accelerator;  /* NULL starts a new group titled @title; keys
                             * that do the same are separated by spaces */
  const char *title;
} Shortcut;

static const Shortcut shortcuts[] = {
  { NULL, N_("Adding Tasks") },
  { "<Control>v", N_("Add the task IDs on the clipboard") },
  { "<Control>n", N_("Add task IDs…") },
  { "<Control>Return", N_("Add the IDs typed in the Add dialog") },
  { "<Control>o", N_("Import files…") },
  { "<Control><Shift>r", N_("Sync with AceData") },
  { NULL, N_("Tasks") },
  { "<Control>f", N_("Search") },
  { "<Control>r", N_("Refresh the selected task") },
  { "<Control>s", N_("Download the original image") },
  { "Delete", N_("Remove the selected task") },
  { "<Control>a", N_("Select all tasks") },
  { "<Shift>Up <Shift>Down", N_("Select the task above or below too") },
  { "<Shift>Home <Shift>End", N_("Select up to the first or the last task") },
  { "<Control>1", N_("Show the tasks as a list") },
  { "<Control>2", N_("Show the tasks as a gallery") },
  { NULL, N_("Image Viewer") },
  { "<Control>plus plus", N_("Zoom in") },
  { "<Control>minus minus", N_("Zoom out") },
  { "<Control>0", N_("Best fit") },
  { "<Control>1 1", N_("Original size (100%)") },
  { "Left", N_("Previous image") },
  { "Right", N_("Next image") },
  { "F11", N_("Fullscreen") },
  { NULL, N_("General") },
  { "<Control>comma", N_("Preferences") },
  { "<Control>question", N_("Keyboard shortcuts") },
  { "<Control>w", N_("Close the window") },
  { "<Control>q", N_("Quit") },
};

static GtkWidget *
new_row (const Shortcut *shortcut)
{
  GtkWidget *row = adw_action_row_new ();
  g_auto(GStrv) accelerators = g_strsplit (shortcut->accelerator, " ", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(shortcut->title));
  for (guint i = 0; accelerators[i] != NULL; i++)
    {
      guint key = 0;
      GdkModifierType modifiers = 0;
      g_autofree char *label = NULL;
      GtkWidget *keys;

      gtk_accelerator_parse (accelerators[i], &key, &modifiers);
      label = gtk_accelerator_get_label (key, modifiers);
      keys = gtk_label_new (label);
      gtk_widget_set_valign (keys, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (keys, "keycap");
      gtk_widget_add_css_class (keys, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), keys);
    }

  return row;
}

static void
lens_shortcuts_dialog_class_init (LensShortcutsDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-shortcuts-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LensShortcutsDialog, page);
}

static void
lens_shortcuts_dialog_init (LensShortcutsDialog *self)
{
  AdwPreferencesGroup *group = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    {
      if (shortcuts[i].accelerator == NULL)
        {
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, _(shortcuts[i].title));
          adw_preferences_page_add (self->page, group);
          continue;
        }
      adw_preferences_group_add (group, new_row (&shortcuts[i]));
    }
}

LensShortcutsDialog *
lens_shortcuts_dialog_new (void)
{
  return g_object_new (LENS_TYPE_SHORTCUTS_DIALOG, NULL);
}
