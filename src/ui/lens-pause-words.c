/* lens-pause-words.c — why tasks are not looked up, in a few words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * While the refresher is paused, whatever shows a task waiting for the
 * server (its row, its page) says that it is not checked and why, rather
 * than spin as if an answer were coming; the banner says what to do. The
 * words are here so that both say the same.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-pause-words.h"

/**
 * lens_pause_words_reason:
 *
 * Not for a missing token: at start-up the keyring has not had its say
 * yet, and the banner asks for one.
 *
 * Returns: (nullable): why tasks are not being looked up, in a few words;
 *   %NULL while they are
 */
const char *
lens_pause_words_reason (LensRefresherPause pause)
{
  switch (pause)
    {
    case LENS_REFRESHER_PAUSE_UNREACHABLE:
    case LENS_REFRESHER_PAUSE_WRONG_URL:
      return _("AceData can’t be reached");
    case LENS_REFRESHER_PAUSE_OFFLINE:
      return _("Offline");
    case LENS_REFRESHER_PAUSE_UNAUTHORIZED:
      return _("AceData refused the API token");
    case LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED:
    case LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED:
      return _("AceData asks for payment");
    case LENS_REFRESHER_PAUSE_FORBIDDEN:
      return _("AceData refused the account");
    case LENS_REFRESHER_PAUSE_NO_TOKEN:
    case LENS_REFRESHER_PAUSE_NONE:
    default:
      return NULL;
    }
}

/* Returns: the icon that goes with lens_pause_words_reason() */
const char *
lens_pause_words_icon (LensRefresherPause pause)
{
  switch (pause)
    {
    case LENS_REFRESHER_PAUSE_UNREACHABLE:
    case LENS_REFRESHER_PAUSE_WRONG_URL:
    case LENS_REFRESHER_PAUSE_OFFLINE:
      return "network-offline-symbolic";
    default:
      return "dialog-warning-symbolic";
    }
}

/**
 * lens_pause_words_title:
 * @list: (nullable): the list @task is in, to name the grid of an upscale
 * @refresher: (nullable): what looks the tasks up
 *
 * The title a task shows, in its row and on its page: lens_format_task_title(),
 * except that a title that only says the task waits for the server would
 * promise an answer while asking is paused: it says the task is not checked
 * instead.
 *
 * Returns: (transfer full): the title
 */
char *
lens_pause_words_title (LensTask      *task,
                        LensTaskList  *list,
                        LensRefresher *refresher)
{
  g_autofree char *title = lens_format_task_title (task, list);
  g_autofree char *waiting = NULL;

  if (refresher == NULL || lens_task_get_state (task) != LENS_TASK_STATE_QUEUED
      || lens_pause_words_reason (lens_refresher_get_pause (refresher)) == NULL)
    return g_steal_pointer (&title);

  waiting = lens_format_task_state (LENS_TASK_STATE_QUEUED, -1);
  if (g_str_equal (title, waiting))
    g_set_str (&title, _("Not checked yet"));
  return g_steal_pointer (&title);
}
