/* lens-sync-bar.c — the account's sync: how far, a way to stop, what went wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bar that slides in above the task list while LensSync brings the
 * account's tasks in: "Syncing… 3,150 of 12,400", a progress bar (pulsing
 * until the server has said how many there are) and a button that stops
 * the sync. The list stays usable underneath. When a sync fails, the bar
 * says why, with Try Again; a sync that completes says nothing here (the
 * context's message does).
 *
 * The bar only follows the sync's properties (running, n-done, n-total)
 * and its finished signal; its buttons go through the app's actions
 * (app.sync-cancel, app.sync), as the menu does. It never calls the sync,
 * so that it can be tried against any object that has those properties.
 */

#define G_LOG_DOMAIN "lens-sync-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-client-error.h"
#include "lens-sync-bar.h"

struct _LensSyncBar
{
  AdwBin          parent_instance;

  GtkLabel       *error_label;
  GtkLabel       *label;
  GtkProgressBar *progress;
  GtkRevealer    *revealer;
  GtkStack       *stack;

  GObject        *sync;     /* owned, nullable: until bound */
  char           *error;    /* owned, nullable: why the last sync failed */
  gboolean        revealed;
};

enum {
  PROP_0,
  PROP_REVEALED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensSyncBar, lens_sync_bar, ADW_TYPE_BIN)

static void
set_revealed (LensSyncBar *self,
              gboolean     revealed)
{
  gtk_revealer_set_reveal_child (self->revealer, revealed);
  if (self->revealed == revealed)
    return;
  self->revealed = revealed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

static void
show_progress (LensSyncBar *self)
{
  guint n_done = 0, n_total = 0;
  g_autofree char *text = NULL;

  g_object_get (self->sync, "n-done", &n_done, "n-total", &n_total, NULL);
  if (n_total == 0)
    {
      /* The server has not said yet how many there are. */
      gtk_label_set_text (self->label, _("Syncing…"));
      gtk_progress_bar_pulse (self->progress);
    }
  else
    {
      /* Translators: "Syncing… 3,150 of 12,400" — tasks seen so far, of
       * all the account's; %'u groups thousands as the locale does */
      text = g_strdup_printf (_("Syncing… %'u of %'u"), MIN (n_done, n_total), n_total);
      gtk_label_set_text (self->label, text);
      gtk_progress_bar_set_fraction (self->progress, (double) MIN (n_done, n_total) / n_total);
    }
  gtk_stack_set_visible_child_name (self->stack, "progress");
}

static void
update (LensSyncBar *self)
{
  gboolean running = FALSE;

  g_object_get (self->sync, "running", &running, NULL);
  if (running)
    {
      show_progress (self);
      set_revealed (self, TRUE);
    }
  else if (self->error != NULL)
    {
      gtk_label_set_text (self->error_label, self->error);
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_revealed (self, TRUE);
    }
  else
    {
      set_revealed (self, FALSE);
    }
}

static void
running_changed_cb (LensSyncBar *self)
{
  gboolean running = FALSE;

  /* A new sync replaces what the last one said. */
  g_object_get (self->sync, "running", &running, NULL);
  if (running)
    g_clear_pointer (&self->error, g_free);
  update (self);
}

static void
finished_cb (LensSyncBar  *self,
             const GError *error)
{
  g_clear_pointer (&self->error, g_free);
  /* Stopping is what the user asked for. Without a token the pause banner
   * already asks for one, with a button that mends it: not twice. */
  if (error != NULL
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_NO_TOKEN))
    self->error = g_strdup (error->message);
  update (self);
}

static void
dismiss_clicked_cb (LensSyncBar *self)
{
  g_clear_pointer (&self->error, g_free);
  update (self);
}

static void
lens_sync_bar_dispose (GObject *object)
{
  LensSyncBar *self = LENS_SYNC_BAR (object);

  /* The template's root is also AdwBin's child: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_SYNC_BAR);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (lens_sync_bar_parent_class)->dispose (object);
}

static void
lens_sync_bar_finalize (GObject *object)
{
  LensSyncBar *self = LENS_SYNC_BAR (object);

  g_free (self->error);

  G_OBJECT_CLASS (lens_sync_bar_parent_class)->finalize (object);
}

static void
lens_sync_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LensSyncBar *self = LENS_SYNC_BAR (object);

  switch (prop_id)
    {
    case PROP_REVEALED:
      g_value_set_boolean (value, self->revealed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_sync_bar_class_init (LensSyncBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_sync_bar_dispose;
  object_class->finalize = lens_sync_bar_finalize;
  object_class->get_property = lens_sync_bar_get_property;

  /**
   * LensSyncBar:revealed:
   *
   * Whether the bar has something to say: a sync under way, or why the
   * last one failed.
   */
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-sync-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LensSyncBar, error_label);
  gtk_widget_class_bind_template_child (widget_class, LensSyncBar, label);
  gtk_widget_class_bind_template_child (widget_class, LensSyncBar, progress);
  gtk_widget_class_bind_template_child (widget_class, LensSyncBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, LensSyncBar, stack);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);
}

static void
lens_sync_bar_init (LensSyncBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * lens_sync_bar_bind:
 * @sync: the context's LensSync (tests may give any object with its
 *   running, n-done and n-total properties and its finished signal)
 *
 * Follows @sync from now on. Called once.
 */
void
lens_sync_bar_bind (LensSyncBar *self,
                    GObject     *sync)
{
  g_return_if_fail (LENS_IS_SYNC_BAR (self));
  g_return_if_fail (G_IS_OBJECT (sync));
  g_return_if_fail (self->sync == NULL);

  self->sync = g_object_ref (sync);
  g_signal_connect_object (sync, "notify::running", G_CALLBACK (running_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::n-done", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::n-total", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "finished", G_CALLBACK (finished_cb), self, G_CONNECT_SWAPPED);
  update (self);
}

/**
 * lens_sync_bar_get_revealed:
 *
 * Returns: whether the bar shows a sync under way, or why the last failed
 */
gboolean
lens_sync_bar_get_revealed (LensSyncBar *self)
{
  g_return_val_if_fail (LENS_IS_SYNC_BAR (self), FALSE);
  return self->revealed;
}
