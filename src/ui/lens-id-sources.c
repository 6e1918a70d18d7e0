/* lens-id-sources.c — task ids from the clipboard, from files chosen and from drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three of the ways a user brings task ids in, each ending where the Add
 * dialog's does: in the context (lens_context_add_text(),
 * lens_context_import_files()), which parses off the main thread and says
 * in one message what happened. Ctrl+V reads the clipboard's text; Import
 * opens the file chooser (through the portal inside Flatpak) for text, CSV,
 * JSON and log files; text and files dropped on the window are taken as
 * they would be pasted or imported.
 */

#define G_LOG_DOMAIN "lens-id-sources"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-id-sources.h"

/* ─── the clipboard ────────────────────────────────────────────────────── */

typedef struct
{
  GtkWidget   *widget;   /* owned: where a toast says the clipboard held nothing */
  LensContext *context;  /* owned */
} Paste;

static void
paste_free (Paste *paste)
{
  g_object_unref (paste->widget);
  g_object_unref (paste->context);
  g_free (paste);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Paste, paste_free)

static void
clipboard_read_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Paste) paste = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source_object), result, &error);

  if (text == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_widget_activate_action (paste->widget, "win.toast", "s", _("The clipboard holds no text"));
      return;
    }
  lens_context_add_text (paste->context, text, NULL);
}

/**
 * lens_id_sources_paste:
 * @widget: whose clipboard is read, in a window with "win.toast"
 *
 * Adds the task ids in the text on the clipboard, or says there is none.
 */
void
lens_id_sources_paste (GtkWidget    *widget,
                       LensContext  *context,
                       GCancellable *cancellable)
{
  Paste *paste = g_new0 (Paste, 1);

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (LENS_IS_CONTEXT (context));

  paste->widget = g_object_ref (widget);
  paste->context = g_object_ref (context);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), cancellable, clipboard_read_cb, paste);
}

/* ─── files chosen ─────────────────────────────────────────────────────── */

static void
open_dialog_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LensContext) context = user_data;
  g_autoptr(GListModel) files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (source_object),
                                                                      result, NULL);

  if (files != NULL)
    lens_context_import_files (context, files);
}

static void
add_filter (GListStore *filters,
            const char *name,
            const char *mime_types[],
            const char *patterns[])
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  g_list_store_append (filters, filter);
}

/**
 * lens_id_sources_choose_files:
 * @parent: the window the file chooser belongs to
 *
 * Lets the user choose files to import task ids from, and imports them.
 */
void
lens_id_sources_choose_files (GtkWindow    *parent,
                              LensContext  *context,
                              GCancellable *cancellable)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  const char *text_types[] = { "text/plain", "text/csv", "application/json", "application/x-ndjson",
                               "text/x-log", NULL };
  const char *text_patterns[] = { "*.txt", "*.csv", "*.tsv", "*.json", "*.ndjson", "*.jsonl",
                                  "*.log", "*.md", NULL };
  const char *all_patterns[] = { "*", NULL };

  g_return_if_fail (LENS_IS_CONTEXT (context));

  add_filter (filters, _("Text, CSV, JSON and Log Files"), text_types, text_patterns);
  add_filter (filters, _("All Files"), NULL, all_patterns);
  gtk_file_dialog_set_title (dialog, _("Import Task IDs"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_open_multiple (dialog, parent, cancellable, open_dialog_cb, g_object_ref (context));
}

/* ─── drops ────────────────────────────────────────────────────────────── */

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         LensContext   *context)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);
      g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE);

      for (GSList *l = files; l != NULL; l = l->next)
        g_list_store_append (store, l->data);
      lens_context_import_files (context, G_LIST_MODEL (store));
      return TRUE;
    }

  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    {
      lens_context_add_text (context, g_value_get_string (value), NULL);
      return TRUE;
    }

  return FALSE;
}

/**
 * lens_id_sources_accept_drops:
 * @widget: what takes drops: the window, anywhere on it
 *
 * Takes text dropped on @widget as pasted, and files as imported, for as
 * long as @context lives.
 */
void
lens_id_sources_accept_drops (GtkWidget   *widget,
                              LensContext *context)
{
  GtkDropTarget *drop_target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_STRING };

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (LENS_IS_CONTEXT (context));

  gtk_drop_target_set_gtypes (drop_target, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect_object (drop_target, "drop", G_CALLBACK (drop_cb), context, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drop_target));
}
