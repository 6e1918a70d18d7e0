/* lens-save-failures-dialog.c — the images a bulk save could not save, and why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The summary's Details: one row per image that failed, titled with its
 * task's title, its subtitle the image's number in a grid and the reason
 * ("Image 2 · The link has expired"). A snapshot of the failures when it
 * opens: a retry that follows does not change what it says.
 *
 * The rows are plain widgets, made at once; a save whose every image
 * failed (links expired, the network gone) would make thousands, so the
 * list stops at MAX_ROWS and says how many more there are: the reason is
 * then the same for most of them anyway.
 */

#define G_LOG_DOMAIN "lens-save-failures-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-save-failures-dialog.h"

#define MAX_ROWS 200

static GtkWidget *
failure_row (const LensSaveFailure *failure)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;

  /* Titles and reasons come from the server and the system: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), failure->title != NULL ? failure->title : failure->task_id);
  if (failure->index > 0)
    /* Translators: which of a grid's four images, then why it was not saved */
    subtitle = g_strdup_printf (_("Image %u · %s"), failure->index, failure->message);
  else
    subtitle = g_strdup (failure->message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_selectable (ADW_ACTION_ROW (row), TRUE);
  return row;
}

/**
 * lens_save_failures_dialog_new:
 *
 * Returns: (transfer floating): a dialog listing @job's failures, to present
 */
AdwDialog *
lens_save_failures_dialog_new (LensSaveJob *job)
{
  AdwDialog *dialog;
  GtkWidget *toolbar = adw_toolbar_view_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GPtrArray *failures;
  guint n_shown;

  g_return_val_if_fail (LENS_IS_SAVE_JOB (job), NULL);

  failures = lens_save_job_get_failures (job);
  n_shown = MIN (failures->len, MAX_ROWS);
  for (guint i = 0; i < n_shown; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), failure_row (g_ptr_array_index (failures, i)));
  if (failures->len > n_shown)
    {
      guint n_more = failures->len - n_shown;
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "And %'u more image",
                                                            "And %'u more images", n_more),
                                               n_more);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), more);
    }

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar), adw_header_bar_new ());
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (toolbar), page);

  dialog = adw_dialog_new ();
  adw_dialog_set_title (dialog, _("Images Not Saved"));
  adw_dialog_set_content_width (dialog, 520);
  adw_dialog_set_content_height (dialog, 480);
  adw_dialog_set_child (dialog, toolbar);
  return dialog;
}
