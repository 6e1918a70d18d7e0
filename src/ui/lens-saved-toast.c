/* lens-saved-toast.c — the toast that says a file was saved, and opens it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A saved image is what the user wanted to look at or use: the toast that
 * says it was saved offers to open it (its own button) and to show it in
 * the file manager (a button beside the message). Both buttons activate
 * window actions with the file's URI as target, "win.open-saved" and
 * "win.show-saved", which the window answers with
 * lens_saved_toast_launch(): the toast may outlive the view that saved.
 */

#define G_LOG_DOMAIN "lens-saved-toast"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-saved-toast.h"

/**
 * lens_saved_toast_new:
 * @message: what to say, shown as it is (never markup)
 * @uri: the saved file
 *
 * Returns: (transfer full): a toast with Open and Show in Files for @uri
 */
AdwToast *
lens_saved_toast_new (const char *message,
                      const char *uri)
{
  AdwToast *toast = adw_toast_new ("");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (message);
  GtkWidget *show = gtk_button_new_with_mnemonic (_("Show in _Files"));

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (label, "heading");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (show), "s", uri);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (show), "win.show-saved");
  gtk_widget_set_valign (show, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), show);

  adw_toast_set_custom_title (toast, box);
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_target (toast, "s", uri);
  adw_toast_set_action_name (toast, "win.open-saved");
  adw_toast_set_timeout (toast, 6);
  return toast;
}

static void
launched_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;
  GtkFileLauncher *launcher = GTK_FILE_LAUNCHER (source_object);
  gboolean done;

  if (g_object_get_data (source_object, "containing-folder") != NULL)
    done = gtk_file_launcher_open_containing_folder_finish (launcher, result, &error);
  else
    done = gtk_file_launcher_launch_finish (launcher, result, &error);

  /* Closing the application chooser is a choice, not a failure. */
  if (done || g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED)
      || g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
    return;
  gtk_widget_activate_action (GTK_WIDGET (parent), "win.toast", "s", error->message);
}

/**
 * lens_saved_toast_launch:
 * @parent: the window asking, which says a failure in a "win.toast"
 * @uri: the saved file
 * @containing_folder: whether to show the file in its folder rather than
 *   open it
 *
 * Opens @uri with the user's application for it, or its folder in the file
 * manager with the file selected.
 */
void
lens_saved_toast_launch (GtkWindow  *parent,
                         const char *uri,
                         gboolean    containing_folder)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GtkFileLauncher) launcher = NULL;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (uri != NULL);

  file = g_file_new_for_uri (uri);
  launcher = gtk_file_launcher_new (file);
  if (containing_folder)
    {
      g_object_set_data (G_OBJECT (launcher), "containing-folder", GINT_TO_POINTER (TRUE));
      gtk_file_launcher_open_containing_folder (launcher, parent, NULL, launched_cb,
                                                g_object_ref (parent));
    }
  else
    gtk_file_launcher_launch (launcher, parent, NULL, launched_cb, g_object_ref (parent));
}
