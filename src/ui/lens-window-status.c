/* lens-window-status.c — toasts, the banner and the window's saved state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensWindow; see lens-window-private.h.
 */

#define G_LOG_DOMAIN "lens-window"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-window-private.h"

/* ─── toasts ───────────────────────────────────────────────────────────── */

void
lens_window_show_toast (LensWindow *self,
                        const char *text)
{
  AdwToast *toast;

  g_return_if_fail (LENS_IS_WINDOW (self));

  toast = adw_toast_new (text);
  /* Messages may hold server text or file names: never markup. */
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  lens_window_show_toast (LENS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* A lookup that keeps failing the same way is said once, not every round. */
static void
lookup_failed_cb (LensWindow   *self,
                  const GError *error)
{
  gint64 now = g_get_monotonic_time ();

  if (g_strcmp0 (self->last_error, error->message) == 0
      && now - self->last_error_time < 60 * G_USEC_PER_SEC)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (error->message);
  self->last_error_time = now;
  lens_window_show_toast (self, error->message);
}

/* ─── the banner: why nothing is being looked up ───────────────────────── */

static void
update_banner (LensWindow *self)
{
  LensRefresher *refresher = lens_application_get_refresher (self->application);
  const char *title = NULL;
  const char *button = NULL;

  switch (lens_refresher_get_pause (refresher))
    {
    case LENS_REFRESHER_PAUSE_NO_TOKEN:
      /* Not before the keyring has had its say. */
      if (lens_application_get_token_known (self->application))
        {
          title = _("Add your AceData API token to look up tasks");
          button = _("_Add Token…");
        }
      break;
    case LENS_REFRESHER_PAUSE_UNAUTHORIZED:
      title = _("The API token was rejected");
      button = _("_Preferences");
      break;
    case LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED:
      title = _("The AceData API asks for payment before it answers");
      button = _("_Try Again");
      break;
    case LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED:
      title = _("Balance used up: top up your AceData account, then try again");
      button = _("_Try Again");
      break;
    case LENS_REFRESHER_PAUSE_FORBIDDEN:
      title = _("The AceData account may not use this API");
      button = _("_Preferences");
      break;
    case LENS_REFRESHER_PAUSE_WRONG_URL:
      title = _("There is no AceData API at the address in Preferences");
      button = _("_Preferences");
      break;
    case LENS_REFRESHER_PAUSE_OFFLINE:
      title = _("Offline — Tasklens will look tasks up again when the network is back");
      break;
    case LENS_REFRESHER_PAUSE_NONE:
    default:
      if (lens_refresher_get_rate_limited (refresher))
        title = _("AceData asked Tasklens to slow down; it will try again shortly");
      break;
    }

  if (title != NULL)
    adw_banner_set_title (self->banner, title);
  adw_banner_set_button_label (self->banner, button);
  adw_banner_set_revealed (self->banner, title != NULL);
}

static void
banner_button_clicked_cb (LensWindow *self)
{
  LensRefresher *refresher = lens_application_get_refresher (self->application);

  switch (lens_refresher_get_pause (refresher))
    {
    case LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED:
    case LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED:
      lens_refresher_resume (refresher);
      break;
    default:
      g_action_group_activate_action (G_ACTION_GROUP (self->application), "preferences", NULL);
      break;
    }
}

/* ─── window state ─────────────────────────────────────────────────────── */

static gboolean
close_request_cb (LensWindow *self)
{
  GSettings *settings = lens_application_get_settings (self->application);
  int width = 0, height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));

  return FALSE;
}

static void
restore_size (LensWindow *self)
{
  GSettings *settings = lens_application_get_settings (self->application);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* Once the history is loaded, the task that was open last time is again. */
void
lens_window_loading_changed (LensWindow *self)
{
  g_autofree char *selected = NULL;

  update_pages (self);
  if (lens_application_get_loading (self->application))
    return;

  selected = g_settings_get_string (lens_application_get_settings (self->application), "selected-task");
  if (*selected != '\0')
    lens_window_select_task (self, selected);
}

void
lens_window_status_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_bind_template_callback (widget_class, banner_button_clicked_cb);
}

/* Connects what the status parts follow, and restores the saved state. */
void
lens_window_status_setup (LensWindow *self)
{
  LensRefresher *refresher = lens_application_get_refresher (self->application);

  g_signal_connect_object (refresher, "failed", G_CALLBACK (lookup_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (refresher, "notify::pause", G_CALLBACK (update_banner), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (refresher, "notify::rate-limited", G_CALLBACK (update_banner), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::token-known", G_CALLBACK (update_banner),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->application, "notify::loading",
                           G_CALLBACK (lens_window_loading_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);

  restore_size (self);
  update_banner (self);
  lens_window_loading_changed (self);
}
