/* lens-pause-banner.c — why no task is being looked up, with what to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A banner bound to the refresher's pause, to whether the account's token
 * is known yet, and to the API scheduler: while AceData is limiting
 * requests it says so calmly, with how much is left and for about how long
 * (nothing is wrong, and nothing needs doing). Its buttons ask again (after
 * a payment, or when the server could not be reached) or open Preferences
 * (app.preferences) — whatever mends the cause.
 */

#define G_LOG_DOMAIN "lens-pause-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-pause-banner.h"

struct _LensPauseBanner
{
  AdwBin         parent_instance;

  GtkRevealer   *revealer;
  GtkLabel      *title;
  GtkButton     *primary;    /* what mends the cause */
  GtkButton     *secondary;  /* the other remedy, where there is one */
  LensRefresher *refresher;  /* owned, nullable: until bound */
  LensAccount   *account;    /* owned, nullable: until bound */
  LensScheduler *scheduler;  /* owned, nullable: until bound */
};

G_DEFINE_FINAL_TYPE (LensPauseBanner, lens_pause_banner, ADW_TYPE_BIN)

/* What the buttons do. */
typedef enum
{
  REMEDY_NONE,
  REMEDY_RETRY,
  REMEDY_PREFERENCES,
} Remedy;

static const char *
remedy_label (Remedy remedy)
{
  switch (remedy)
    {
    case REMEDY_RETRY:
      return _("_Try Again");
    case REMEDY_PREFERENCES:
      return _("_Preferences");
    case REMEDY_NONE:
    default:
      return NULL;
    }
}

/* "127.0.0.1:8765", "api.acedata.cloud": where Tasklens looked. */
static char *
api_host (LensAccount *account)
{
  const char *url = lens_account_get_api_url (account);
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url != NULL ? url : "");
  if (g_uri_get_port (uri) != -1)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

/* "AceData is limiting requests; 1,200 tasks left, about 4 minutes" */
static char *
throttled_title (LensScheduler *scheduler)
{
  guint n_tasks = lens_scheduler_get_n_tasks_left (scheduler);
  guint seconds = lens_scheduler_get_seconds_left (scheduler);
  g_autofree char *tasks = NULL;
  g_autofree char *time = NULL;

  /* Translators: %'u is a number of tasks (the ' groups thousands: 1,200) */
  tasks = g_strdup_printf (ngettext ("%'u task left", "%'u tasks left", n_tasks), n_tasks);
  if (seconds < 60)
    time = g_strdup (_("less than a minute"));
  else if (seconds < 90 * 60)
    time = g_strdup_printf (ngettext ("about %u minute", "about %u minutes", (seconds + 59) / 60),
                            (seconds + 59) / 60);
  else
    time = g_strdup_printf (ngettext ("about %u hour", "about %u hours", (seconds + 1799) / 3600),
                            (seconds + 1799) / 3600);

  /* Translators: the first %s is "N tasks left", the second "about N minutes" */
  return g_strdup_printf (_("AceData is limiting requests; %s, %s"), tasks, time);
}

static void
show_button (GtkButton  *button,
             const char *label)
{
  if (label != NULL)
    gtk_button_set_label (button, label);
  gtk_widget_set_visible (GTK_WIDGET (button), label != NULL);
}

static void
update (LensPauseBanner *self)
{
  const char *title = NULL;
  const char *primary = NULL;
  Remedy secondary = REMEDY_NONE;
  g_autofree char *text = NULL;
  g_autofree char *host = NULL;

  switch (lens_refresher_get_pause (self->refresher))
    {
    case LENS_REFRESHER_PAUSE_NO_TOKEN:
      /* Not before the keyring has had its say. */
      if (lens_account_get_token_known (self->account))
        {
          title = _("Add your AceData API token to look up tasks");
          primary = _("_Add Token…");
        }
      break;
    case LENS_REFRESHER_PAUSE_UNAUTHORIZED:
      title = _("AceData refused the API token. Check it in Preferences, or make a new one "
                "in the AceData console.");
      primary = remedy_label (REMEDY_PREFERENCES);
      secondary = REMEDY_RETRY;
      break;
    case LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED:
      title = _("The AceData API asks for payment before it answers");
      primary = remedy_label (REMEDY_RETRY);
      break;
    case LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED:
      title = _("Balance used up: top up your AceData account, then try again");
      primary = remedy_label (REMEDY_RETRY);
      break;
    case LENS_REFRESHER_PAUSE_FORBIDDEN:
      title = _("The AceData account may not use this API");
      primary = remedy_label (REMEDY_PREFERENCES);
      secondary = REMEDY_RETRY;
      break;
    case LENS_REFRESHER_PAUSE_WRONG_URL:
      title = _("There is no AceData API at the address in Preferences");
      primary = remedy_label (REMEDY_PREFERENCES);
      secondary = REMEDY_RETRY;
      break;
    case LENS_REFRESHER_PAUSE_UNREACHABLE:
      host = api_host (self->account);
      /* Translators: %s is the API server's host, such as api.acedata.cloud */
      title = text = g_strdup_printf (_("Can’t reach the AceData API at %s. Check the address "
                                        "in Preferences or your connection."), host);
      primary = remedy_label (REMEDY_RETRY);
      secondary = REMEDY_PREFERENCES;
      break;
    case LENS_REFRESHER_PAUSE_OFFLINE:
      title = _("Offline — Tasklens will look tasks up again when the network is back");
      break;
    case LENS_REFRESHER_PAUSE_NONE:
    default:
      if (lens_scheduler_get_throttled (self->scheduler))
        title = text = throttled_title (self->scheduler);
      break;
    }

  if (title != NULL)
    gtk_label_set_text (self->title, title);
  show_button (self->primary, primary);
  show_button (self->secondary, remedy_label (secondary));
  gtk_revealer_set_reveal_child (self->revealer, title != NULL);
}

/* Try Again asks again (after a payment, or to see whether the server is
 * back); anything else opens Preferences, where the token and the address
 * are mended. */
static void
run_remedy (LensPauseBanner *self,
            GtkButton       *button)
{
  if (g_strcmp0 (gtk_button_get_label (button), remedy_label (REMEDY_RETRY)) == 0)
    lens_refresher_resume (self->refresher);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
}

/**
 * lens_pause_banner_get_revealed:
 *
 * Returns: whether the banner shows (for tests)
 */
gboolean
lens_pause_banner_get_revealed (LensPauseBanner *self)
{
  g_return_val_if_fail (LENS_IS_PAUSE_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

/* Returns: what the banner says (for tests) */
const char *
lens_pause_banner_get_title (LensPauseBanner *self)
{
  g_return_val_if_fail (LENS_IS_PAUSE_BANNER (self), NULL);
  return gtk_label_get_text (self->title);
}

/* Returns: (nullable): the main button's label, %NULL when it is hidden */
const char *
lens_pause_banner_get_button_label (LensPauseBanner *self)
{
  g_return_val_if_fail (LENS_IS_PAUSE_BANNER (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->primary)))
    return NULL;
  return gtk_button_get_label (self->primary);
}

/* Returns: (nullable): the other button's label, %NULL when it is hidden */
const char *
lens_pause_banner_get_secondary_label (LensPauseBanner *self)
{
  g_return_val_if_fail (LENS_IS_PAUSE_BANNER (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->secondary)))
    return NULL;
  return gtk_button_get_label (self->secondary);
}

static void
lens_pause_banner_dispose (GObject *object)
{
  LensPauseBanner *self = LENS_PAUSE_BANNER (object);

  g_clear_object (&self->refresher);
  g_clear_object (&self->account);
  g_clear_object (&self->scheduler);

  G_OBJECT_CLASS (lens_pause_banner_parent_class)->dispose (object);
}

static void
lens_pause_banner_class_init (LensPauseBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_pause_banner_dispose;
}

static GtkButton *
remedy_button_new (LensPauseBanner *self)
{
  GtkWidget *button = gtk_button_new ();

  gtk_button_set_use_underline (GTK_BUTTON (button), TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (button, FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (run_remedy), self);
  return GTK_BUTTON (button);
}

/* As an AdwBanner, which has room for one button only: a server that
 * cannot be reached wants both Try Again and Preferences. */
static void
lens_pause_banner_init (LensPauseBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->title, TRUE);
  gtk_label_set_justify (self->title, GTK_JUSTIFY_CENTER);
  gtk_widget_set_hexpand (GTK_WIDGET (self->title), TRUE);
  self->secondary = remedy_button_new (self);
  self->primary = remedy_button_new (self);
  gtk_widget_add_css_class (GTK_WIDGET (self->secondary), "flat");

  gtk_widget_add_css_class (box, "pause-banner");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->secondary));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->primary));

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_revealer_set_child (self->revealer, box);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->revealer));
}

/**
 * lens_pause_banner_bind:
 *
 * Follows @refresher, @account and @scheduler (the API client's) from now
 * on. Called once.
 */
void
lens_pause_banner_bind (LensPauseBanner *self,
                        LensRefresher   *refresher,
                        LensAccount     *account,
                        LensScheduler   *scheduler)
{
  g_return_if_fail (LENS_IS_PAUSE_BANNER (self));
  g_return_if_fail (LENS_IS_REFRESHER (refresher));
  g_return_if_fail (LENS_IS_ACCOUNT (account));
  g_return_if_fail (LENS_IS_SCHEDULER (scheduler));
  g_return_if_fail (self->refresher == NULL);

  self->refresher = g_object_ref (refresher);
  self->account = g_object_ref (account);
  self->scheduler = g_object_ref (scheduler);
  g_signal_connect_object (refresher, "notify::pause", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (scheduler, "notify::throttled", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (scheduler, "notify::n-tasks-left", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::token-known", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::api-url", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);
}
