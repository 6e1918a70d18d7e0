/* lens-saved-images.c — the images a folder already has from Tasklens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bulk save never saves an image twice into one folder: before it
 * starts, it reads which images the folder holds. Names prove nothing (the
 * user renames files, the template changes), so each image file's own
 * metadata is read: Tasklens writes the task id and the image's index into
 * every file it saves (lens-image-metadata.c). Files without them (saved
 * by something else, or damaged) are not Tasklens's, and are left alone.
 *
 * Only the folder itself is read, not its subfolders, and only files with
 * an image's ending; each read is a few kilobytes at the start of the file.
 * It all runs in a worker.
 */

#define G_LOG_DOMAIN "lens-saved-images"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-file-name.h"
#include "lens-image-metadata.h"
#include "lens-save-plan.h"
#include "lens-saved-images.h"

/* How often a long scan looks whether it was cancelled. */
#define CANCEL_CHECK_FILES 64

static gboolean
has_image_ending (const char *name)
{
  static const char * const endings[] = { ".png", ".jpg", ".jpeg", ".webp" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (endings); i++)
    if (g_str_has_suffix (lower, endings[i]))
      return TRUE;
  return FALSE;
}

static void
scan_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GFile *folder = task_data;
  g_autofree char *folder_path = g_file_get_path (folder);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDir) dir = NULL;
  GError *error = NULL;
  const char *name;
  guint n_files = 0;

  if (folder_path == NULL)
    {
      g_task_return_new_error_literal (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                       _("Only folders on this computer can be saved into"));
      return;
    }
  dir = g_dir_open (folder_path, 0, &error);
  if (dir == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *task_id = NULL;
      guint index = 0;

      if (++n_files % CANCEL_CHECK_FILES == 0 && g_task_return_error_if_cancelled (task))
        return;
      /* Hidden files are partial saves (lens_file_name_temp()) or not ours. */
      if (name[0] == '.' || lens_file_name_is_temp (name) || !has_image_ending (name))
        continue;

      path = g_build_filename (folder_path, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      task_id = lens_image_metadata_read_task_id (path, &index);
      if (task_id != NULL)
        g_hash_table_replace (found, lens_save_item_key (task_id, index), g_steal_pointer (&path));
    }

  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) g_hash_table_unref);
}

/**
 * lens_saved_images_scan_async:
 * @folder: a local folder
 *
 * Reads which images Tasklens saved into @folder, in a worker.
 */
void
lens_saved_images_scan_async (GFile               *folder,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (folder));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_saved_images_scan_async);
  g_task_set_task_data (task, g_object_ref (folder), g_object_unref);
  g_task_run_in_thread (task, scan_in_thread);
}

/**
 * lens_saved_images_scan_finish:
 *
 * Returns: (transfer full) (nullable): image key (lens_save_item_key()) →
 *   the file's path, for every image of Tasklens's in the folder; %NULL
 *   with @error set when the folder cannot be read
 */
GHashTable *
lens_saved_images_scan_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
