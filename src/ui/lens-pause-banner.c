/* lens-pause-banner.c — why no task is being looked up, with what to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A banner bound to the refresher's pause, to whether the account's token
 * is known yet, and to the API scheduler: while AceData is limiting
 * requests it says so calmly, with how much is left and for about how long
 * (nothing is wrong, and nothing needs doing). Its button resumes (after a
 * payment) or opens Preferences (app.preferences) — whatever mends the
 * cause.
 */

#define G_LOG_DOMAIN "lens-pause-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-pause-banner.h"

struct _LensPauseBanner
{
  AdwBin         parent_instance;

  AdwBanner     *banner;
  LensRefresher *refresher;  /* owned, nullable: until bound */
  LensAccount   *account;    /* owned, nullable: until bound */
  LensScheduler *scheduler;  /* owned, nullable: until bound */
};

G_DEFINE_FINAL_TYPE (LensPauseBanner, lens_pause_banner, ADW_TYPE_BIN)

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
update (LensPauseBanner *self)
{
  const char *title = NULL;
  const char *button = NULL;
  g_autofree char *throttled = NULL;

  switch (lens_refresher_get_pause (self->refresher))
    {
    case LENS_REFRESHER_PAUSE_NO_TOKEN:
      /* Not before the keyring has had its say. */
      if (lens_account_get_token_known (self->account))
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
      if (lens_scheduler_get_throttled (self->scheduler))
        title = throttled = throttled_title (self->scheduler);
      break;
    }

  if (title != NULL)
    adw_banner_set_title (self->banner, title);
  adw_banner_set_button_label (self->banner, button);
  adw_banner_set_revealed (self->banner, title != NULL);
}

static void
button_clicked_cb (LensPauseBanner *self)
{
  switch (lens_refresher_get_pause (self->refresher))
    {
    case LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED:
    case LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED:
      lens_refresher_resume (self->refresher);
      break;
    default:
      gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
      break;
    }
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

static void
lens_pause_banner_init (LensPauseBanner *self)
{
  self->banner = ADW_BANNER (adw_banner_new (""));
  g_signal_connect_swapped (self->banner, "button-clicked", G_CALLBACK (button_clicked_cb), self);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->banner));
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
  update (self);
}
