/* lens-save-words.c — a bulk save's progress and outcome, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the progress bar in the window (lens-save-progress.c) and the
 * notification at the end say about a LensSaveJob: "Saving images to
 * Pictures — 312 of 1,000 · 120 MB · about 2 minutes left", then "Saved
 * 990 images to Pictures · 8 were already there · 2 failed". Plain
 * functions of the job's numbers, so that a test can read them without a
 * window. Every count goes through ngettext: Korean has one form, other
 * languages more than two.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "lens-save-words.h"

/**
 * lens_save_words_folder:
 *
 * The folder's own name, as the user knows it ("Pictures"): its path's
 * last part, which needs no I/O, unlike its display name.
 *
 * Returns: (transfer full): the folder's name
 */
char *
lens_save_words_folder (LensSaveJob *job)
{
  g_autofree char *basename = NULL;

  g_return_val_if_fail (LENS_IS_SAVE_JOB (job), NULL);

  basename = g_file_get_basename (lens_save_job_get_folder (job));
  if (basename == NULL)
    return g_strdup ("/");
  return g_filename_display_name (basename);
}

/* How many images are done, whichever way: saved, found in the folder, or
 * failed. */
static guint
n_done (LensSaveJob *job)
{
  return lens_save_job_get_n_saved (job) + lens_save_job_get_n_existing (job)
         + lens_save_job_get_n_failed (job);
}

/**
 * lens_save_words_fraction:
 *
 * Returns: how far the job is, from 0 to 1
 */
double
lens_save_words_fraction (LensSaveJob *job)
{
  guint n_images;

  g_return_val_if_fail (LENS_IS_SAVE_JOB (job), 0);

  n_images = lens_save_job_get_n_images (job);
  if (n_images == 0)
    return lens_save_job_get_state (job) == LENS_SAVE_JOB_DONE ? 1 : 0;
  return MIN (1.0, (double) n_done (job) / n_images);
}

/* "about 2 minutes left", rounded up so that the last minute does not say
 * "about 0 minutes"; %NULL while the job cannot tell. */
static char *
time_left (double seconds)
{
  guint n;

  if (seconds < 0)
    return NULL;
  if (seconds < 55)
    return g_strdup (_("less than a minute left"));
  if (seconds < 90 * 60)
    {
      n = (guint) MAX (1, (seconds + 59) / 60);
      /* Translators: the time a save still needs */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u minute left", "about %u minutes left", n), n);
    }
  n = (guint) ((seconds + 1800) / 3600);
  /* Translators: the time a save still needs */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u hour left", "about %u hours left", n), n);
}

/**
 * lens_save_words_progress:
 *
 * Returns: (transfer full): what a running job is doing, in one line
 */
char *
lens_save_words_progress (LensSaveJob *job)
{
  g_autofree char *folder = NULL;
  g_autofree char *size = NULL;
  g_autofree char *left = NULL;
  g_autofree char *head = NULL;
  guint n_images;

  g_return_val_if_fail (LENS_IS_SAVE_JOB (job), NULL);

  if (lens_save_job_get_state (job) == LENS_SAVE_JOB_PREPARING)
    return g_strdup (_("Preparing to save…"));

  folder = lens_save_words_folder (job);
  n_images = lens_save_job_get_n_images (job);
  /* Translators: "Saving images to Pictures — 312 of 1,000": the folder,
   * then the images done and all the images; %'u groups thousands as the
   * locale does */
  head = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saving images to %s — %'u of %'u",
                                       "Saving images to %s — %'u of %'u", n_images),
                          folder, MIN (n_done (job), n_images), n_images);
  size = g_format_size (lens_save_job_get_bytes_saved (job));
  left = time_left (lens_save_job_get_seconds_left (job));
  if (left == NULL)
    return g_strdup_printf ("%s · %s", head, size);
  return g_strdup_printf ("%s · %s · %s", head, size, left);
}

/* The summary of a job that ended by itself: what was saved, and what was
 * not, each part only when it is not nothing. */
static char *
summary_done (LensSaveJob *job,
              const char  *folder)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint n_saved = lens_save_job_get_n_saved (job);
  guint n_existing = lens_save_job_get_n_existing (job);
  guint n_failed = lens_save_job_get_n_failed (job);
  guint n_without = lens_save_job_get_n_without_image (job);

  if (n_saved > 0 || (n_existing == 0 && n_failed == 0))
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saved %'u image to %s",
                                                          "Saved %'u images to %s", n_saved),
                                             n_saved, folder));
  else
    /* Translators: nothing new was saved; %s is the folder */
    g_ptr_array_add (parts, g_strdup_printf (_("Nothing new saved to %s"), folder));
  if (n_existing > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u was already there",
                                                          "%'u were already there", n_existing),
                                             n_existing));
  if (n_failed > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u failed", "%'u failed", n_failed),
                                             n_failed));
  if (n_without > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u task had no image",
                                                          "%'u tasks had no image", n_without),
                                             n_without));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/**
 * lens_save_words_summary:
 *
 * Returns: (transfer full): how a job that is over went, in one line: what
 *   was saved, already there and failed; why a job could not run at all;
 *   or how much a stopped one had saved
 */
char *
lens_save_words_summary (LensSaveJob *job)
{
  g_autofree char *folder = NULL;
  const GError *error;
  guint n_saved;

  g_return_val_if_fail (LENS_IS_SAVE_JOB (job), NULL);

  folder = lens_save_words_folder (job);
  error = lens_save_job_get_error (job);
  n_saved = lens_save_job_get_n_saved (job);

  if (error != NULL)
    /* Translators: %s is a folder, then why nothing more could be saved */
    return g_strdup_printf (_("Could not save images to %s: %s"), folder, error->message);
  if (lens_save_job_get_state (job) == LENS_SAVE_JOB_CANCELLED)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Saving stopped — %'u image saved",
                                         "Saving stopped — %'u images saved", n_saved),
                            n_saved);
  return summary_done (job, folder);
}
