/* lens-add-dialog.c — type or paste task IDs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As the user types or pastes, the dialog says what Add would do — “12 new ·
 * 3 already in the list · 2 lines not recognised” — and Add is only possible
 * when there is something new. The text is handed to whoever listens to
 * ::add; the dialog itself changes nothing.
 *
 * A pasted text can hold 10,000 ids: it is scanned in a worker, and the line
 * shows the last scan that finished. A newer text cancels the scan of an
 * older one, whose result is then never shown. Only a small text (below
 * LENS_IMPORT_SMALL_TEXT_SIZE, about a millisecond to scan) is scanned on the
 * spot. Add waits for the scan of the text as it is, and adds only when it
 * finds something new.
 *
 * ::add names the first id of the text that is new to the list, found in
 * the ids that scan kept: whoever adds the text need not scan it again on
 * the main thread to know which task to show.
 */

#define G_LOG_DOMAIN "lens-add-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-add-dialog.h"
#include "lens-id-parser.h"
#include "lens-import.h"

/* Typing should not re-scan a large paste on every key. */
#define PREVIEW_DELAY_MS 120

struct _LensAddDialog
{
  AdwDialog     parent_instance;

  GtkButton    *add_button;
  GtkLabel     *summary_label;
  GtkTextView  *text_view;

  LensTaskList *tasks;             /* owned */
  guint         preview_id;        /* the delay before scanning again */
  GCancellable *scan_cancellable;  /* owned, nullable: the scan in flight */
  GPtrArray    *scanned_ids;       /* owned, nullable: of char*, what the last scan shown found */
  gboolean      add_requested;     /* Add waits for the scan */
};

G_DEFINE_FINAL_TYPE (LensAddDialog, lens_add_dialog, ADW_TYPE_DIALOG)

enum {
  ADD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_text (LensAddDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
summary_to_text (const LensImportSummary *summary)
{
  GPtrArray *parts;

  if (summary->n_found == 0 && summary->n_unrecognised_lines == 0)
    return g_strdup (_("No task IDs yet"));

  parts = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new", "%u new",
                                                        summary->n_new), summary->n_new));
  if (summary->n_existing > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u already in the list",
                                                          "%u already in the list",
                                                          summary->n_existing),
                                             summary->n_existing));
  return lens_import_finish_summary (parts, summary);
}

/* The list may have changed since the scan: it is asked again, one lookup
 * an id, up to the first it does not hold. */
static const char *
first_new_id (LensAddDialog *self)
{
  for (guint i = 0; self->scanned_ids != NULL && i < self->scanned_ids->len; i++)
    {
      const char *id = g_ptr_array_index (self->scanned_ids, i);

      if (lens_task_list_lookup (self->tasks, id) == NULL)
        return id;
    }
  return NULL;
}

static void
add_now (LensAddDialog *self)
{
  g_autofree char *text = NULL;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->add_button)))
    return;

  text = dup_text (self);
  g_signal_emit (self, signals[ADD], 0, text, first_new_id (self));
  adw_dialog_close (ADW_DIALOG (self));
}

static void
show_preview (LensAddDialog           *self,
              const LensIdParseResult *parsed)
{
  LensImportSummary summary = lens_import_preview (self->tasks, parsed);
  g_autofree char *summary_text = summary_to_text (&summary);

  gtk_label_set_text (self->summary_label, summary_text);
  g_clear_pointer (&self->scanned_ids, g_ptr_array_unref);
  self->scanned_ids = g_ptr_array_ref (parsed->ids);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), summary.n_new > 0);

  /* Add waits for the scan of the text as it is: text typed since this
   * scan began has a scan of its own due, which adds. */
  if (self->add_requested && self->preview_id == 0)
    {
      self->add_requested = FALSE;
      add_now (self);
    }
}

static void
scanned_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LensAddDialog) self = user_data;
  g_autoptr(LensIdParseResult) parsed = lens_import_parse_text_finish (result, NULL);

  /* Only cancellation fails: a newer text is being scanned, or the dialog
   * went away. Either way this result must not be shown. */
  if (parsed == NULL)
    return;

  g_clear_object (&self->scan_cancellable);
  show_preview (self, parsed);
}

/* Scans the text as it is now, superseding any scan still running. */
static void
scan (LensAddDialog *self)
{
  g_autofree char *text = dup_text (self);

  g_clear_handle_id (&self->preview_id, g_source_remove);
  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);

  if (strlen (text) < LENS_IMPORT_SMALL_TEXT_SIZE)
    {
      g_autoptr(LensIdParseResult) parsed = lens_id_parser_parse (text, -1);

      show_preview (self, parsed);
      return;
    }

  self->scan_cancellable = g_cancellable_new ();
  lens_import_parse_text_async (text, self->scan_cancellable, scanned_cb, g_object_ref (self));
}

static gboolean
scan_cb (gpointer user_data)
{
  LensAddDialog *self = user_data;

  self->preview_id = 0;
  scan (self);
  return G_SOURCE_REMOVE;
}

static void
text_changed_cb (LensAddDialog *self)
{
  g_clear_handle_id (&self->preview_id, g_source_remove);
  self->preview_id = g_timeout_add (PREVIEW_DELAY_MS, scan_cb, self);
}

static void
add_clicked_cb (LensAddDialog *self)
{
  /* The preview may be behind the text: add once it has caught up, with
   * what it finds then. */
  if (self->preview_id != 0 || self->scan_cancellable != NULL)
    {
      self->add_requested = TRUE;
      if (self->preview_id != 0)
        scan (self);
      return;
    }

  add_now (self);
}

/* Handled whether or not there is anything to add: Ctrl+Enter never makes
 * a new line in the text. */
static gboolean
add_shortcut_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  add_clicked_cb (LENS_ADD_DIALOG (user_data));
  return TRUE;
}

/* Ctrl+Enter adds, as Enter makes a new line in the text. The text view
 * has the focus and handles Return (with any modifier) before a binding of
 * the dialog's could: the shortcut is taken in the capture phase, on its
 * way down to the text view. */
static void
add_add_shortcut (LensAddDialog *self)
{
  static const guint keyvals[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keyvals); i++)
    {
      GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (keyvals[i], GDK_CONTROL_MASK);
      GtkShortcutAction *action = gtk_callback_action_new (add_shortcut_cb, self, NULL);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                            gtk_shortcut_new (trigger, action));
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
cancel_clicked_cb (LensAddDialog *self)
{
  adw_dialog_close (ADW_DIALOG (self));
}

/**
 * lens_add_dialog_set_text:
 * @text: (nullable): the text to show
 *
 * Puts @text in the dialog and scans it at once: the summary of a small text
 * shows when this returns, that of a large one once a worker has scanned it.
 */
void
lens_add_dialog_set_text (LensAddDialog *self,
                          const char    *text)
{
  g_return_if_fail (LENS_IS_ADD_DIALOG (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
  scan (self);
}

/* The line under the text, as shown (for tests and accessibility). */
const char *
lens_add_dialog_get_summary (LensAddDialog *self)
{
  g_return_val_if_fail (LENS_IS_ADD_DIALOG (self), NULL);
  return gtk_label_get_text (self->summary_label);
}

static void
lens_add_dialog_dispose (GObject *object)
{
  LensAddDialog *self = LENS_ADD_DIALOG (object);

  g_clear_handle_id (&self->preview_id, g_source_remove);
  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_ADD_DIALOG);
  g_clear_object (&self->tasks);
  g_clear_pointer (&self->scanned_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (lens_add_dialog_parent_class)->dispose (object);
}

static void
lens_add_dialog_class_init (LensAddDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_add_dialog_dispose;

  /**
   * LensAddDialog::add:
   * @text: the text the user entered
   * @first_new_id: (nullable): the first task id in @text that the list
   *   does not hold, as the scan of @text found them
   */
  signals[ADD] = g_signal_new ("add", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                               NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-add-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LensAddDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, LensAddDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LensAddDialog, text_view);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
lens_add_dialog_init (LensAddDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_add_shortcut (self);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
}

LensAddDialog *
lens_add_dialog_new (LensTaskList *tasks)
{
  LensAddDialog *self;

  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), NULL);

  self = g_object_new (LENS_TYPE_ADD_DIALOG, NULL);
  self->tasks = g_object_ref (tasks);
  return self;
}
