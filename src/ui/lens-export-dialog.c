/* lens-export-dialog.c — Export Tasks…: the list as a CSV or JSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asks where (the file dialog, through the portal when there is one), with
 * the two formats as its filters: CSV for spreadsheets, JSON for Tasklens
 * and scripts (importing it brings the tasks back without asking AceData).
 * It exports every task, or only those picked in the list (their ids).
 * The export itself runs in the context (lens_context_export_async()), off
 * the main thread, and the window says how it went: how many tasks, with
 * Open and Show in Files (win.toast-saved), or why it failed (win.toast).
 */

#define G_LOG_DOMAIN "lens-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-export-dialog.h"

/* What an answer needs: the window to tell, the context to ask. */
typedef struct
{
  GtkWindow    *parent;       /* owned */
  LensContext  *context;      /* owned */
  GCancellable *cancellable;  /* owned, nullable */
  GFile        *destination;  /* owned, nullable: until chosen */
  GStrv         ids;          /* owned, nullable: the tasks picked; every task when NULL */
} Export;

static Export *
export_new (GtkWindow          *parent,
            LensContext        *context,
            const char * const *ids,
            GCancellable       *cancellable)
{
  Export *export = g_new0 (Export, 1);

  export->ids = g_strdupv ((char **) ids);

  export->parent = g_object_ref (parent);
  export->context = g_object_ref (context);
  export->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return export;
}

static void
export_free (Export *export)
{
  g_clear_object (&export->parent);
  g_clear_object (&export->context);
  g_clear_object (&export->cancellable);
  g_clear_object (&export->destination);
  g_strfreev (export->ids);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

static void
add_filter (GListStore *filters,
            const char *name,
            const char *mime_type,
            const char *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_filter_add_pattern (filter, pattern);
  g_list_store_append (filters, filter);
}

static void
exported_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  g_autofree char *uri = NULL;
  guint n_tasks = 0;

  if (!lens_context_export_finish (LENS_CONTEXT (source_object), result, &n_tasks, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why, e.g. “No space left on device” */
      message = g_strdup_printf (_("Could not export the tasks: %s"), error->message);
      gtk_widget_activate_action (GTK_WIDGET (export->parent), "win.toast", "s", message);
      return;
    }

  name = g_file_get_basename (export->destination);
  uri = g_file_get_uri (export->destination);
  /* Translators: %u is a number of tasks, %s a file name */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u task to “%s”",
                                          "Exported %u tasks to “%s”", n_tasks),
                             n_tasks, name);
  gtk_widget_activate_action (GTK_WIDGET (export->parent), "win.toast-saved", "(ss)", message, uri);
}

/* A name without a format's extension is a CSV file: it says so. */
static GFile *
with_extension (GFile *chosen)
{
  g_autofree char *name = g_file_get_basename (chosen);
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_autoptr(GFile) parent = NULL;
  g_autofree char *named = NULL;

  if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".json"))
    return g_object_ref (chosen);
  parent = g_file_get_parent (chosen);
  named = g_strconcat (name, ".csv", NULL);
  return parent != NULL ? g_file_get_child (parent, named) : g_object_ref (chosen);
}

static void
export_to (Export *export,
           GFile  *destination)
{
  g_autofree char *name = NULL;

  export->destination = with_extension (destination);
  name = g_file_get_basename (export->destination);
  lens_context_export_async (export->context, (const char * const *) export->ids,
                             lens_export_format_for_name (name), export->destination,
                             export->cancellable, exported_cb, export);
}

/**
 * _lens_export_dialog_export_ids_to:
 * @ids: (nullable) (array zero-terminated=1): the tasks to export, in this
 *   order; %NULL for every task
 * @destination: the file chosen
 *
 * The export the dialog starts once a file is chosen; for tests, which
 * cannot answer a file dialog.
 */
void
_lens_export_dialog_export_ids_to (GtkWindow          *parent,
                                   LensContext        *context,
                                   const char * const *ids,
                                   GFile              *destination,
                                   GCancellable       *cancellable)
{
  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (LENS_IS_CONTEXT (context));
  g_return_if_fail (G_IS_FILE (destination));

  export_to (export_new (parent, context, ids, cancellable), destination);
}

/* Every task, in the list's order. */
void
_lens_export_dialog_export_to (GtkWindow    *parent,
                               LensContext  *context,
                               GFile        *destination,
                               GCancellable *cancellable)
{
  _lens_export_dialog_export_ids_to (parent, context, NULL, destination, cancellable);
}

static void
chosen_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GFile) file = NULL;

  /* Dismissed: nothing to say. */
  file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source_object), result, NULL);
  if (file == NULL)
    return;
  export_to (g_steal_pointer (&export), file);
}

/**
 * lens_export_dialog_run:
 * @parent: the window, which says how the export went (win.toast and
 *   win.toast-saved)
 * @context: whose tasks to export
 * @ids: (nullable) (array zero-terminated=1): the tasks to export (those
 *   picked in the list), in this order; %NULL for every task, in the
 *   list's order
 *
 * Asks for a file, then exports the tasks to it.
 */
void
lens_export_dialog_run (GtkWindow          *parent,
                        LensContext        *context,
                        const char * const *ids,
                        GCancellable       *cancellable)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (LENS_IS_CONTEXT (context));

  add_filter (filters, _("CSV for Spreadsheets"), "text/csv", "*.csv");
  add_filter (filters, _("JSON for Tasklens and Scripts"), "application/json", "*.json");
  gtk_file_dialog_set_title (dialog, _("Export Tasks"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  /* Translators: the file an export suggests; %s is today's date, 2024-07-07 */
  name = g_strdup_printf (_("Tasklens Tasks %s.csv"), date);
  gtk_file_dialog_set_initial_name (dialog, name);
  if (documents != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (documents);

      gtk_file_dialog_set_initial_folder (dialog, folder);
    }
  gtk_file_dialog_save (dialog, parent, cancellable, chosen_cb, export_new (parent, context, ids, cancellable));
}
