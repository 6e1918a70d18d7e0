/* lens-save-all.c — the scripted bulk save: --save-all and app.save-all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `tasklens --save-all DIR` and the action app.save-all (a folder path)
 * save the image of every finished task into a folder, with the names,
 * metadata and rules of Save Images (LensSaving), grids as the setting
 * "save-grids" says, and skip what the folder has already. Both return
 * only once it is done, and report what they did in words
 * (lens_save_all_describe()). A save started while the history still loads
 * waits for it: the finished tasks are known only then.
 */

#define G_LOG_DOMAIN "lens-save-all"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-save-all.h"

typedef struct
{
  LensContext *context;    /* owned */
  GFile       *folder;     /* owned */
  LensSaveJob *job;        /* owned, nullable: once started */
  gulong       loading_id;
  gulong       finished_id;
} SaveAll;

static void
save_all_free (SaveAll *save)
{
  if (save->loading_id != 0)
    g_signal_handler_disconnect (save->context, save->loading_id);
  if (save->finished_id != 0)
    g_signal_handler_disconnect (save->job, save->finished_id);
  g_clear_object (&save->job);
  g_clear_object (&save->folder);
  g_clear_object (&save->context);
  g_free (save);
}

static LensSaveGrids
grids_from_settings (LensContext *context)
{
  GSettings *settings = lens_context_get_settings (context);
  g_autofree char *nick = settings != NULL ? g_settings_get_string (settings, "save-grids") : NULL;

  if (g_strcmp0 (nick, "split") == 0)
    return LENS_SAVE_GRIDS_SPLIT;
  if (g_strcmp0 (nick, "both") == 0)
    return LENS_SAVE_GRIDS_BOTH;
  return LENS_SAVE_GRIDS_WHOLE;
}

static void
job_finished_cb (LensSaveJob *job,
                 GTask       *task)
{
  SaveAll *save = g_task_get_task_data (task);

  g_signal_handler_disconnect (job, save->finished_id);
  save->finished_id = 0;
  g_task_return_pointer (task, g_object_ref (job), g_object_unref);
  g_object_unref (task);
}

static void
start (GTask *task)
{
  SaveAll *save = g_task_get_task_data (task);
  LensSaving *saving = lens_context_get_saving (save->context);
  g_auto(GStrv) ids = lens_saving_dup_finished_ids (saving, FALSE);
  GError *error = NULL;
  LensSaveJob *job;

  job = lens_saving_start (saving, save->folder, (const char * const *) ids,
                           grids_from_settings (save->context), &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  save->job = g_object_ref (job);
  save->finished_id = g_signal_connect (job, "finished", G_CALLBACK (job_finished_cb), task);
}

static void
loading_cb (LensContext *context,
            GParamSpec  *pspec,
            GTask       *task)
{
  SaveAll *save = g_task_get_task_data (task);

  if (lens_context_get_loading (context))
    return;
  g_signal_handler_disconnect (context, save->loading_id);
  save->loading_id = 0;
  start (task);
}

/**
 * lens_save_all_async:
 * @folder: where to save
 *
 * Saves every finished task's image that @folder does not have, once the
 * history is loaded; completes when the save is over.
 */
void
lens_save_all_async (LensContext         *context,
                     GFile               *folder,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  SaveAll *save;

  g_return_if_fail (LENS_IS_CONTEXT (context));
  g_return_if_fail (G_IS_FILE (folder));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_save_all_async);
  save = g_new0 (SaveAll, 1);
  save->context = g_object_ref (context);
  save->folder = g_object_ref (folder);
  g_task_set_task_data (task, save, (GDestroyNotify) save_all_free);

  /* The task holds itself until the save has ended. */
  if (lens_context_get_loading (context))
    save->loading_id = g_signal_connect (context, "notify::loading", G_CALLBACK (loading_cb), task);
  else
    start (task);
}

/**
 * lens_save_all_finish:
 *
 * Returns: (transfer full) (nullable): the save, ended (its error says
 *   whether the folder could be read); %NULL with @error set when it could
 *   not start
 */
LensSaveJob *
lens_save_all_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lens_save_all_describe:
 * @job: a save that has ended
 *
 * Returns: (transfer full): what it did, in lines a user reads: how many
 *   images were saved, already there, failed (each with its reason)
 */
char *
lens_save_all_describe (LensSaveJob *job)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *folder = g_file_get_parse_name (lens_save_job_get_folder (job));
  GPtrArray *failures = lens_save_job_get_failures (job);
  guint n_saved = lens_save_job_get_n_saved (job);
  guint n_existing = lens_save_job_get_n_existing (job);
  guint n_without = lens_save_job_get_n_without_image (job);

  if (lens_save_job_get_error (job) != NULL)
    {
      g_string_append_printf (text, "%s\n", lens_save_job_get_error (job)->message);
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  /* TRANSLATORS: %u is a number of images, %s a folder */
  g_string_append_printf (text, ngettext ("Saved %u image to %s.", "Saved %u images to %s.", n_saved),
                          n_saved, folder);
  g_string_append_c (text, '\n');
  if (n_existing > 0)
    {
      g_string_append_printf (text, ngettext ("%u image was there already.",
                                              "%u images were there already.", n_existing),
                              n_existing);
      g_string_append_c (text, '\n');
    }
  if (n_without > 0)
    {
      g_string_append_printf (text, ngettext ("%u task has no image to save.",
                                              "%u tasks have no image to save.", n_without),
                              n_without);
      g_string_append_c (text, '\n');
    }
  if (failures->len > 0)
    {
      g_string_append_printf (text, ngettext ("%u image could not be saved:",
                                              "%u images could not be saved:", failures->len),
                              failures->len);
      g_string_append_c (text, '\n');
    }
  for (guint i = 0; i < failures->len; i++)
    {
      LensSaveFailure *failure = g_ptr_array_index (failures, i);

      if (failure->index > 0)
        /* TRANSLATORS: a failed image: the task's prompt or title, the
         * image's number in its grid, the task id, the reason */
        g_string_append_printf (text, _("  %s (image %u, task %s): %s\n"), failure->title, failure->index,
                                failure->task_id, failure->message);
      else
        /* TRANSLATORS: a failed image: the task's prompt or title, the
         * task id, the reason */
        g_string_append_printf (text, _("  %s (task %s): %s\n"), failure->title, failure->task_id,
                                failure->message);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
