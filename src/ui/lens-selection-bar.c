/* lens-selection-bar.c — how many tasks are picked, and what to do with them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bar at the bottom of the task list while several tasks are picked or
 * selection mode is on (the window reveals it from LensBulkSelection's
 * "active"): "3 tasks selected", Save Images… (win.save-images, the bulk
 * save), Remove, and a menu with Export…, Copy IDs, Refresh, Select All and
 * Select None. Its buttons name window actions, which act on the tasks
 * picked; it only says how many there are.
 */

#define G_LOG_DOMAIN "lens-selection-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-lazy-menu.h"
#include "lens-selection-bar.h"

struct _LensSelectionBar
{
  AdwBin             parent_instance;

  GtkLabel          *label;

  LensBulkSelection *bulk;  /* owned, nullable until bound */
};

G_DEFINE_FINAL_TYPE (LensSelectionBar, lens_selection_bar, ADW_TYPE_BIN)

static void
update_label (LensSelectionBar *self)
{
  guint n = lens_bulk_selection_get_n_picked (self->bulk);
  g_autofree char *text = NULL;

  /* Translators: %u is a number of tasks */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task selected", "%u tasks selected", n), n);
  gtk_label_set_text (self->label, text);
}

static void
lens_selection_bar_dispose (GObject *object)
{
  LensSelectionBar *self = LENS_SELECTION_BAR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_SELECTION_BAR);
  g_clear_object (&self->bulk);

  G_OBJECT_CLASS (lens_selection_bar_parent_class)->dispose (object);
}

static void
lens_selection_bar_class_init (LensSelectionBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_selection_bar_dispose;

  g_type_ensure (LENS_TYPE_LAZY_MENU);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-selection-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LensSelectionBar, label);
}

static void
lens_selection_bar_init (LensSelectionBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * lens_selection_bar_bind:
 * @bulk: the tasks picked, whose number the bar says
 *
 * Call once.
 */
void
lens_selection_bar_bind (LensSelectionBar  *self,
                         LensBulkSelection *bulk)
{
  g_return_if_fail (LENS_IS_SELECTION_BAR (self));
  g_return_if_fail (LENS_IS_BULK_SELECTION (bulk));
  g_return_if_fail (self->bulk == NULL);

  self->bulk = g_object_ref (bulk);
  g_signal_connect_object (bulk, "notify::n-picked", G_CALLBACK (update_label), self, G_CONNECT_SWAPPED);
  update_label (self);
}

/* What the bar says, "3 tasks selected". */
const char *
lens_selection_bar_get_text (LensSelectionBar *self)
{
  g_return_val_if_fail (LENS_IS_SELECTION_BAR (self), NULL);
  return gtk_label_get_text (self->label);
}
