/* lens-saved-copy.c — the user's saved file of an image, decoded for showing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When an image's link has expired, the task page shows the copy the user
 * saved instead (lens-task-view-image.c). The file is read asynchronously,
 * up to the size the image fetcher takes from the network (MAX_FILE_SIZE:
 * a file the user replaced by something huge is not read whole into
 * memory), and decoded by the same decoder as every picture from the
 * network (lens-image-decoder.c), in a worker and at the size shown, so
 * the main thread neither reads nor decodes. A file that is no longer
 * there fails with G_IO_ERROR_NOT_FOUND, which is how the page learns that
 * there is nothing to fall back to: no separate check.
 */

#define G_LOG_DOMAIN "lens-saved-copy"

#include "config.h"

#include "lens-http.h"
#include "lens-image-decoder.h"
#include "lens-image-fetcher.h"
#include "lens-saved-copy.h"

/* As the image fetcher's cap: far above any Midjourney image. */
#define MAX_FILE_SIZE (64 * 1024 * 1024)

static void
decoded_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GdkTexture *texture = lens_image_decoder_decode_finish (result, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
read_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = lens_http_read_bytes_finish (result, &error);
  int pixel_size = GPOINTER_TO_INT (g_task_get_task_data (task));
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  lens_image_decoder_decode_async (bytes, pixel_size, cancellable, decoded_cb, g_steal_pointer (&task));
}

static void
opened_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GFileInputStream) stream = g_file_read_finish (G_FILE (source_object), result, &error);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  lens_http_read_bytes_async (G_INPUT_STREAM (stream), MAX_FILE_SIZE, LENS_HTTP_READ_NONE,
                              G_PRIORITY_DEFAULT, NULL, NULL, cancellable, read_cb,
                              g_steal_pointer (&task));
}

/**
 * lens_saved_copy_path_instead:
 * @task: (nullable): the task whose image failed
 * @link_error: why its link failed
 *
 * The one rule for the task page and the image viewer: a saved copy is
 * shown when the link failed for good (403, 404, 410: expired) and the
 * user saved the image.
 *
 * Returns: (nullable): the saved file to show instead, or %NULL
 */
const char *
lens_saved_copy_path_instead (LensTask     *task,
                              const GError *link_error)
{
  const char *path = task != NULL ? lens_task_get_saved_path (task) : NULL;

  g_return_val_if_fail (link_error != NULL, NULL);

  if (path == NULL || !lens_http_status_is_expired (lens_image_fetcher_error_get_status (link_error)))
    return NULL;
  return path;
}

/**
 * lens_saved_copy_load_async:
 * @path: the saved file, as the task's saved path says
 * @pixel_size: the longest side wanted, in device pixels; 0 for the
 *   file's own size
 *
 * Reads and decodes @path off the main thread.
 */
void
lens_saved_copy_load_async (const char          *path,
                            int                  pixel_size,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GFile) file = NULL;
  GTask *task;

  g_return_if_fail (path != NULL);
  g_return_if_fail (pixel_size >= 0);

  file = g_file_new_for_path (path);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_saved_copy_load_async);
  g_task_set_task_data (task, GINT_TO_POINTER (pixel_size), NULL);
  g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable, opened_cb, task);
}

/**
 * lens_saved_copy_load_finish:
 *
 * Returns: (transfer full): the picture, or %NULL with @error set (the
 *   file is gone, unreadable, or not an image)
 */
GdkTexture *
lens_saved_copy_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_saved_copy_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
