/* lens-thumbnail-badges.c — the signs over a task's thumbnail: video, saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list's rows and the gallery's cells wear the same signs over their
 * thumbnail's corners: a play sign for a video task (lens_task_has_video())
 * and a folder for a task whose image was saved (its saved path, as the
 * history knows it; whether the file is still there is not asked, since
 * that would be a file system call for every row that scrolls by). What the
 * signs say is also said to a screen reader, as the row's or the cell's
 * accessible description.
 */

#define G_LOG_DOMAIN "lens-thumbnail-badges"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-thumbnail-badges.h"

/* Returns: (nullable): what the signs say, in words */
static const char *
description_for (gboolean video,
                 gboolean saved)
{
  if (video && saved)
    /* Translators: said by a screen reader of a row or cell in the list:
     * the task is a video, and it was saved. */
    return _("Video, saved");
  if (video)
    return _("Video");
  if (saved)
    return _("Saved");
  return NULL;
}

/**
 * lens_thumbnail_badges_update:
 * @described: the row or cell that the screen reader describes
 * @video_badge: the play sign
 * @saved_badge: the saved sign
 * @task: the task shown
 *
 * Shows the signs that @task has and describes @described accordingly.
 */
void
lens_thumbnail_badges_update (GtkAccessible *described,
                              GtkWidget     *video_badge,
                              GtkWidget     *saved_badge,
                              LensTask      *task)
{
  gboolean video, saved;
  const char *description;

  g_return_if_fail (GTK_IS_ACCESSIBLE (described));
  g_return_if_fail (LENS_IS_TASK (task));

  video = lens_task_has_video (task);
  saved = lens_task_get_saved_path (task) != NULL;
  if (video == gtk_widget_get_visible (video_badge) && saved == gtk_widget_get_visible (saved_badge))
    return;

  gtk_widget_set_visible (video_badge, video);
  gtk_widget_set_visible (saved_badge, saved);
  description = description_for (video, saved);
  if (description != NULL)
    gtk_accessible_update_property (described, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  else
    gtk_accessible_reset_property (described, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}
