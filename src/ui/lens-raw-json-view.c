/* lens-raw-json-view.c — a task's record, as JSON, read-only and highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The record as the server sent it, pretty-printed, in a read-only
 * GtkSourceView: JSON's highlighting, a monospace font, and the text as it
 * is, never wrapped (a label's wrapping split words and hyphenated the
 * data: "li-ght"), so long lines scroll sideways. It scrolls within a
 * sensible height instead of making the page as long as the record. Its
 * colours follow the light or dark style (AdwStyleManager). The text can
 * be selected and copied.
 *
 * A record is parsed and printed again in a worker thread, not on the
 * main thread; a newer record, or none, cancels a print under way.
 *
 * The source view is built with the first record shown, not with the
 * view: every task page has one, folded away until the user opens it, and
 * building it starts GtkSourceView, loads its JSON language and style
 * schemes and compiles their patterns (about 6 MB of a started app's
 * memory).
 */

#define G_LOG_DOMAIN "lens-raw-json-view"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "lens-format.h"
#include "lens-raw-json-view.h"

/* The tallest the view grows before it scrolls, in logical pixels. */
#define MAX_HEIGHT 480

struct _LensRawJsonView
{
  AdwBin             parent_instance;

  GtkScrolledWindow *scrolled;     /* nullable: until a record is shown */
  GtkSourceView     *view;         /* nullable: likewise */
  GtkSourceBuffer   *buffer;       /* owned by the view; nullable likewise */
  GCancellable      *cancellable;  /* owned, nullable: the print under way */
};

G_DEFINE_FINAL_TYPE (LensRawJsonView, lens_raw_json_view, ADW_TYPE_BIN)

/* ─── private functions ────────────────────────────────────────────────── */

static void
follow_style (LensRawJsonView *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (style) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (self->buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

/* As tall as the text, up to MAX_HEIGHT. The scrolled window cannot ask
 * the view: a GtkTextView measures the lines it has laid out, which it
 * does in an idle after the text came, and the row it is in had taken
 * the empty view's height by then (a record showed two lines). The
 * lines of a monospace text are all as tall as one. */
static void
fit_height (LensRawJsonView *self)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (self->view);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->view), "{");
  int lines = gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (self->buffer));
  int line_height = 0;
  int height;

  pango_layout_get_pixel_size (layout, NULL, &line_height);
  height = lines * line_height + gtk_text_view_get_top_margin (text_view)
           + gtk_text_view_get_bottom_margin (text_view);
  gtk_scrolled_window_set_min_content_height (self->scrolled, MIN (height, MAX_HEIGHT));
}

static void
pretty_print_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_task_return_pointer (task, lens_format_json_pretty (task_data), g_free);
}

static void
printed_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  LensRawJsonView *self = LENS_RAW_JSON_VIEW (source_object);
  g_autofree char *pretty = NULL;

  /* A newer record, or none, came meanwhile. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  pretty = g_task_propagate_pointer (G_TASK (result), NULL);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), pretty != NULL ? pretty : "", -1);
  fit_height (self);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_raw_json_view_dispose (GObject *object)
{
  LensRawJsonView *self = LENS_RAW_JSON_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lens_raw_json_view_parent_class)->dispose (object);
}

static void
lens_raw_json_view_class_init (LensRawJsonViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_raw_json_view_dispose;
}

/* Builds the source view, once. */
static void
ensure_view (LensRawJsonView *self)
{
  GtkSourceLanguageManager *languages;

  if (self->view != NULL)
    return;

  /* GtkSourceView's own start (its types, translations and resources),
   * which may be called again: this view is its only user. */
  gtk_source_init ();
  languages = gtk_source_language_manager_get_default ();
  self->buffer = gtk_source_buffer_new_with_language (
    gtk_source_language_manager_get_language (languages, "json"));
  gtk_source_buffer_set_highlight_syntax (self->buffer, TRUE);
  self->view = GTK_SOURCE_VIEW (gtk_source_view_new_with_buffer (self->buffer));
  g_object_unref (self->buffer);

  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->view), GTK_WRAP_NONE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->view), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Raw JSON"), -1);

  self->scrolled = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_propagate_natural_height (self->scrolled, TRUE);
  gtk_scrolled_window_set_max_content_height (self->scrolled, MAX_HEIGHT);
  gtk_scrolled_window_set_child (self->scrolled, GTK_WIDGET (self->view));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->scrolled));

  follow_style (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (follow_style), self, G_CONNECT_SWAPPED);
}

static void
lens_raw_json_view_init (LensRawJsonView *self)
{
}

/* ─── public API ───────────────────────────────────────────────────────── */

LensRawJsonView *
lens_raw_json_view_new (void)
{
  return g_object_new (LENS_TYPE_RAW_JSON_VIEW, NULL);
}

/**
 * lens_raw_json_view_set_json:
 * @json: (nullable): a record as JSON text, or %NULL for none
 *
 * Shows @json pretty-printed, once a worker has printed it; %NULL empties
 * the view at once.
 */
void
lens_raw_json_view_set_json (LensRawJsonView *self,
                             const char      *json)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LENS_IS_RAW_JSON_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (json == NULL)
    {
      if (self->buffer != NULL)
        {
          gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), "", 0);
          fit_height (self);
        }
      return;
    }

  ensure_view (self);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, printed_cb, NULL);
  g_task_set_source_tag (task, lens_raw_json_view_set_json);
  g_task_set_task_data (task, g_strdup (json), g_free);
  g_task_run_in_thread (task, pretty_print_thread);
}
