/* lens-import-bar.c — the file being imported, how far, and a way to stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bar that slides in above the task list while LensIntake reads a file:
 * its name, a progress bar (pulsing when the size is unknown) and a button
 * that stops the import and forgets the files still waiting.
 */

#define G_LOG_DOMAIN "lens-import-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-import-bar.h"

struct _LensImportBar
{
  AdwBin          parent_instance;

  GtkLabel       *label;
  GtkProgressBar *progress;
  GtkRevealer    *revealer;

  LensIntake     *intake;  /* owned, nullable: until bound */
};

G_DEFINE_FINAL_TYPE (LensImportBar, lens_import_bar, ADW_TYPE_BIN)

static void
update (LensImportBar *self)
{
  const char *name = lens_intake_get_import_name (self->intake);
  double fraction = lens_intake_get_import_fraction (self->intake);

  if (name != NULL)
    {
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("Reading “%s”…"), name);

      gtk_label_set_text (self->label, text);
      if (fraction >= 0)
        gtk_progress_bar_set_fraction (self->progress, fraction);
      else
        gtk_progress_bar_pulse (self->progress);
    }
  gtk_revealer_set_reveal_child (self->revealer, name != NULL);
}

static void
stop_clicked_cb (LensImportBar *self)
{
  if (self->intake != NULL)
    lens_intake_cancel_import (self->intake);
}

static void
lens_import_bar_dispose (GObject *object)
{
  LensImportBar *self = LENS_IMPORT_BAR (object);

  /* The template's root is also AdwBin's child: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_IMPORT_BAR);
  g_clear_object (&self->intake);

  G_OBJECT_CLASS (lens_import_bar_parent_class)->dispose (object);
}

static void
lens_import_bar_class_init (LensImportBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_import_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-import-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LensImportBar, label);
  gtk_widget_class_bind_template_child (widget_class, LensImportBar, progress);
  gtk_widget_class_bind_template_child (widget_class, LensImportBar, revealer);
  gtk_widget_class_bind_template_callback (widget_class, stop_clicked_cb);
}

static void
lens_import_bar_init (LensImportBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * lens_import_bar_bind:
 *
 * Follows @intake's imports from now on. Called once.
 */
void
lens_import_bar_bind (LensImportBar *self,
                      LensIntake    *intake)
{
  g_return_if_fail (LENS_IS_IMPORT_BAR (self));
  g_return_if_fail (LENS_IS_INTAKE (intake));
  g_return_if_fail (self->intake == NULL);

  self->intake = g_object_ref (intake);
  g_signal_connect_object (intake, "notify::import-name", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (intake, "notify::import-fraction", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
}
