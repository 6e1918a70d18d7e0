/* lens-window-input.c — every way task ids come into the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensWindow; see lens-window-private.h.
 */

#define G_LOG_DOMAIN "lens-window"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "lens-add-dialog.h"
#include "lens-import.h"
#include "lens-window-private.h"

/* Texts larger than this are scanned for ids in a worker thread. */
#define LARGE_TEXT_SIZE (64 * 1024)

/* ─── adding ids ───────────────────────────────────────────────────────── */

static void
apply_parsed (LensWindow              *self,
              const LensIdParseResult *parsed,
              const char              *source_name)
{
  gboolean was_empty = g_list_model_get_n_items (G_LIST_MODEL (self->tasks)) == 0;
  LensImportSummary summary = lens_import_add (self->tasks, parsed);
  g_autofree char *text = lens_import_summary_to_text (&summary, source_name);

  lens_window_show_toast (self, text);

  /* On a first import, show the first task rather than an empty pane. */
  if (was_empty && summary.n_new > 0 && !adw_navigation_split_view_get_collapsed (self->split_view))
    gtk_single_selection_set_selected (self->selection, 0);
}

typedef struct
{
  LensWindow *self;         /* owned */
  char       *source_name;  /* owned, nullable */
} ParseData;

static void
parse_data_free (ParseData *data)
{
  g_clear_object (&data->self);
  g_free (data->source_name);
  g_free (data);
}

static void
text_parsed_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ParseData *data = user_data;
  g_autoptr(LensIdParseResult) parsed = lens_import_parse_text_finish (result, NULL);

  /* Only cancellation fails here: the window is going away. */
  if (parsed != NULL)
    apply_parsed (data->self, parsed, data->source_name);
  parse_data_free (data);
}

/**
 * lens_window_add_text:
 * @text: text that may hold task ids
 * @source_name: (nullable): where it came from, for the message
 *
 * Adds the task ids in @text and says how many, in a toast. A large text is
 * scanned in a worker thread.
 */
void
lens_window_add_text (LensWindow *self,
                      const char *text,
                      const char *source_name)
{
  g_autoptr(LensIdParseResult) parsed = NULL;
  ParseData *data;

  g_return_if_fail (LENS_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  if (strlen (text) < LARGE_TEXT_SIZE)
    {
      parsed = lens_id_parser_parse (text, -1);
      apply_parsed (self, parsed, source_name);
      return;
    }

  data = g_new0 (ParseData, 1);
  data->self = g_object_ref (self);
  data->source_name = g_strdup (source_name);
  lens_import_parse_text_async (text, self->cancellable, text_parsed_cb, data);
}

static void
clipboard_read_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LensWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source_object), result, &error);

  if (text == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lens_window_show_toast (self, _("The clipboard holds no text"));
      return;
    }
  lens_window_add_text (self, text, NULL);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);

  gdk_clipboard_read_text_async (clipboard, self->cancellable, clipboard_read_cb, g_object_ref (self));
}

static void
add_dialog_add_cb (LensWindow *self,
                   const char *text)
{
  lens_window_add_text (self, text, NULL);
}

static void
add_ids_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  LensAddDialog *dialog = lens_add_dialog_new (self->tasks);

  g_signal_connect_object (dialog, "add", G_CALLBACK (add_dialog_add_cb), self, G_CONNECT_SWAPPED);
  adw_dialog_present (ADW_DIALOG (dialog), widget);
}

/* ─── importing files ──────────────────────────────────────────────────── */

static void import_next (LensWindow *self);

static void
import_progress_cb (goffset  bytes_read,
                    goffset  total_bytes,
                    gpointer user_data)
{
  LensWindow *self = user_data;

  if (total_bytes > 0)
    gtk_progress_bar_set_fraction (self->import_progress, (double) bytes_read / total_bytes);
  else
    gtk_progress_bar_pulse (self->import_progress);
}

typedef struct
{
  LensWindow *self;  /* owned */
  GFile      *file;  /* owned */
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->file);
  g_free (data);
}

static void
file_read_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ImportData *data = user_data;
  LensWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(LensIdParseResult) parsed = lens_import_read_file_finish (result, &error);
  g_autofree char *name = g_file_get_basename (data->file);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      import_data_free (data);
      return;
    }

  if (parsed != NULL)
    apply_parsed (self, parsed, name);
  else
    lens_window_show_toast (self, error->message);

  g_clear_object (&self->import_cancellable);
  import_next (self);
  import_data_free (data);
}

/* Files are read one after the other, each with its progress shown. */
static void
import_next (LensWindow *self)
{
  g_autoptr(GFile) file = g_queue_pop_head (&self->import_queue);
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  ImportData *data;

  if (file == NULL)
    {
      gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
      update_pages (self);
      return;
    }

  name = g_file_get_basename (file);
  /* Translators: %s is a file name */
  label = g_strdup_printf (_("Reading “%s”…"), name);
  gtk_label_set_text (self->import_label, label);
  gtk_progress_bar_set_fraction (self->import_progress, 0);
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);

  data = g_new0 (ImportData, 1);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  self->import_cancellable = g_cancellable_new ();
  lens_import_read_file_async (file, import_progress_cb, self, self->import_cancellable,
                               file_read_cb, data);
}

/**
 * lens_window_import_files:
 * @files: (element-type GFile): text, CSV, JSON or log files
 *
 * Reads the files one by one, without blocking, and adds the ids found.
 */
void
lens_window_import_files (LensWindow *self,
                          GListModel *files)
{
  guint n_files;
  gboolean idle;

  g_return_if_fail (LENS_IS_WINDOW (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  /* Without a list yet, the import progress shows in the task list. */
  gtk_stack_set_visible_child_name (self->main_stack, "tasks");

  idle = self->import_cancellable == NULL && g_queue_is_empty (&self->import_queue);
  n_files = g_list_model_get_n_items (files);
  for (guint i = 0; i < n_files; i++)
    g_queue_push_tail (&self->import_queue, g_list_model_get_item (files, i));
  if (idle)
    import_next (self);
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);

  g_queue_clear_full (&self->import_queue, g_object_unref);
  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  update_pages (self);
}

static void
open_dialog_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LensWindow) self = user_data;
  g_autoptr(GListModel) files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (source_object),
                                                                      result, NULL);

  if (files != NULL)
    lens_window_import_files (self, files);
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

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LensWindow *self = LENS_WINDOW (widget);
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  const char *text_types[] = { "text/plain", "text/csv", "application/json", "application/x-ndjson",
                               "text/x-log", NULL };
  const char *text_patterns[] = { "*.txt", "*.csv", "*.tsv", "*.json", "*.ndjson", "*.jsonl",
                                  "*.log", "*.md", NULL };
  const char *all_patterns[] = { "*", NULL };

  add_filter (filters, _("Text, CSV, JSON and Log Files"), text_types, text_patterns);
  add_filter (filters, _("All Files"), NULL, all_patterns);
  gtk_file_dialog_set_title (dialog, _("Import Task IDs"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_open_multiple (dialog, GTK_WINDOW (self), self->cancellable, open_dialog_cb,
                                 g_object_ref (self));
}

/* ─── drop ─────────────────────────────────────────────────────────────── */

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  LensWindow *self = user_data;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);
      g_autoptr(GListStore) store = g_list_store_new (G_TYPE_FILE);

      for (GSList *l = files; l != NULL; l = l->next)
        g_list_store_append (store, l->data);
      lens_window_import_files (self, G_LIST_MODEL (store));
      return TRUE;
    }

  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    {
      lens_window_add_text (self, g_value_get_string (value), NULL);
      return TRUE;
    }

  return FALSE;
}


void
lens_window_input_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "win.add-ids", NULL, add_ids_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);
}

/* Text and files dropped anywhere on the window are taken in. */
void
lens_window_input_init (LensWindow *self)
{
  GtkDropTarget *drop_target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_STRING };

  gtk_drop_target_set_gtypes (drop_target, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect (drop_target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));
}
