/* lens-save-cut.c — a downloaded grid cut into its images, each saved as a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a bulk save that keeps a grid as four images when the record has no
 * links of their own (lens-save-job.c): the grid, downloaded to a hidden
 * file in the folder, is read and cut by the split function the UI gives,
 * and each image asked for is written as a file of its own, atomically and
 * with its facts (lens-image-file.c), under a name no file has. All of it
 * in a worker. The hidden file is deleted before the results go back, so
 * that no image counts as saved while the grid still lies in the folder.
 */

#define G_LOG_DOMAIN "lens-save-cut"

#include "config.h"

#include "lens-file-name.h"
#include "lens-image-file.h"
#include "lens-save-cut.h"

typedef struct
{
  GFile            *grid;     /* owned */
  GFile            *folder;   /* owned */
  GPtrArray        *items;    /* owned: of LensSaveItem, borrowed from the caller */
  GPtrArray        *stems;    /* owned: one name stem per item */
  GArray           *results;  /* owned: of LensSaveCutResult, one per item */
  LensGridSplitFunc split;
} Cut;

static void
result_clear (LensSaveCutResult *result)
{
  g_clear_object (&result->final);
  g_clear_error (&result->error);
}

static void
cut_free (Cut *cut)
{
  g_object_unref (cut->grid);
  g_object_unref (cut->folder);
  g_ptr_array_unref (cut->items);
  g_ptr_array_unref (cut->stems);
  g_clear_pointer (&cut->results, g_array_unref);
  g_free (cut);
}

static GFile *
write_image (Cut           *cut,
             GPtrArray     *images,
             guint          i,
             goffset       *out_size,
             GCancellable  *cancellable,
             GError       **error)
{
  LensSaveItem *item = g_ptr_array_index (cut->items, i);
  g_autofree char *name = lens_file_name_for_stem (g_ptr_array_index (cut->stems, i), "image/png", NULL);
  g_autoptr(GFile) destination = g_file_get_child (cut->folder, name);
  GBytes *image = g_ptr_array_index (images, item->facts->index - 1);

  *out_size = (goffset) g_bytes_get_size (image);
  return lens_image_file_write (image, destination, item->facts, LENS_SAVE_UNIQUE, cancellable, error);
}

static void
cut_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Cut *cut = task_data;
  g_autoptr(GBytes) grid = NULL;
  g_autoptr(GPtrArray) images = NULL;
  GError *error = NULL;

  grid = g_file_load_bytes (cut->grid, cancellable, NULL, &error);
  if (grid != NULL)
    images = cut->split (grid, cancellable, &error);
  for (guint i = 0; i < cut->items->len; i++)
    {
      LensSaveCutResult outcome = { NULL };

      if (images == NULL)
        outcome.error = g_error_copy (error);
      else
        outcome.final = write_image (cut, images, i, &outcome.size, cancellable, &outcome.error);
      g_array_append_val (cut->results, outcome);
    }
  g_clear_error (&error);
  /* The grid's hidden file goes before the images count as saved. */
  g_file_delete (cut->grid, NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

/**
 * lens_save_cut_async:
 * @grid: the grid's hidden file; deleted once cut
 * @folder: where the images go
 * @items: (element-type LensSaveItem): the grid's images to save (their
 *   facts say which, 1 to 4); read in the worker, so the caller keeps
 *   them, unchanged, until @callback
 * @stems: (element-type utf8): one name stem per item
 *   (lens_name_template_expand())
 * @split: cuts the grid (called in the worker)
 *
 * Cancelling stops at the next image; the results then say
 * G_IO_ERROR_CANCELLED for the rest.
 */
void
lens_save_cut_async (GFile               *grid,
                     GFile               *folder,
                     GPtrArray           *items,
                     GPtrArray           *stems,
                     LensGridSplitFunc    split,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Cut *cut;

  g_return_if_fail (G_IS_FILE (grid) && G_IS_FILE (folder));
  g_return_if_fail (items != NULL && stems != NULL && stems->len == items->len);
  g_return_if_fail (split != NULL);

  cut = g_new0 (Cut, 1);
  cut->grid = g_object_ref (grid);
  cut->folder = g_object_ref (folder);
  cut->items = g_ptr_array_ref (items);
  cut->stems = g_ptr_array_ref (stems);
  cut->split = split;
  cut->results = g_array_new (FALSE, TRUE, sizeof (LensSaveCutResult));
  g_array_set_clear_func (cut->results, (GDestroyNotify) result_clear);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_save_cut_async);
  g_task_set_task_data (task, cut, (GDestroyNotify) cut_free);
  /* The results say what was written, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, cut_in_thread);
}

/**
 * lens_save_cut_finish:
 *
 * Returns: (transfer full) (element-type LensSaveCutResult): one result
 *   per item, in their order
 */
GArray *
lens_save_cut_finish (GAsyncResult *result)
{
  Cut *cut;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_save_cut_async, NULL);

  g_task_propagate_boolean (G_TASK (result), NULL);
  cut = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&cut->results);
}
