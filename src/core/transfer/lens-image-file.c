/* lens-image-file.c — an image's bytes saved with its task's facts, whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For an image made here rather than downloaded (one image of a grid, cut
 * out by lens-grid-crop.c): its bytes go into a LensAtomicFile, the task's
 * facts into that temporary file (lens-image-metadata.h), and only then
 * does it take its name. So the destination never holds an image without
 * its facts, and a failure at any step leaves nothing behind. Writing,
 * gexiv2 and the fsync block: it all runs in a worker.
 */

#define G_LOG_DOMAIN "lens-image-file"

#include "config.h"

#include "lens-atomic-file.h"
#include "lens-image-file.h"
#include "lens-image-metadata.h"

typedef struct
{
  GBytes         *bytes;        /* owned */
  GFile          *destination;  /* owned */
  LensImageFacts *facts;        /* owned */
  gboolean        unique;
} Write;

static void
write_free (Write *write)
{
  g_bytes_unref (write->bytes);
  g_object_unref (write->destination);
  lens_image_facts_free (write->facts);
  g_free (write);
}

/**
 * lens_image_file_write:
 * @bytes: an image (PNG, JPEG or WebP: a format that holds XMP)
 * @destination: the file to write; its folder must exist
 * @facts: what the image says of its task (lens-image-metadata.h)
 * @unique: as for lens_image_file_write_async()
 *
 * lens_image_file_write_async()'s work, for whoever is in a worker
 * already (a bulk save cutting a grid). Blocks.
 *
 * Returns: (transfer full) (nullable): the file written, or %NULL with
 *   @error set
 */
GFile *
lens_image_file_write (GBytes                *bytes,
                       GFile                 *destination,
                       const LensImageFacts  *facts,
                       gboolean               unique,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autoptr(LensAtomicFile) file = NULL;
  GFile *final = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  file = lens_atomic_file_create (destination, error);
  if (file == NULL
      || !g_output_stream_write_all (lens_atomic_file_get_stream (file), data, size, NULL,
                                     cancellable, error)
      || !lens_atomic_file_close (file, error)
      || !lens_image_metadata_write (lens_atomic_file_get_temp_path (file), facts, error)
      /* The last moment a cancellation leaves no file behind. */
      || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (unique)
    return lens_atomic_file_commit_unique (file, &final, error) ? final : NULL;
  if (!lens_atomic_file_commit (file, error))
    return NULL;
  return g_object_ref (destination);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Write *write = task_data;
  GError *error = NULL;
  GFile *final = lens_image_file_write (write->bytes, write->destination, write->facts, write->unique,
                                        cancellable, &error);

  if (final == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, final, g_object_unref);
}

/**
 * lens_image_file_write_async:
 * @bytes: an image (PNG, JPEG or WebP: a format that holds XMP)
 * @destination: the file to write; its folder must exist
 * @facts: what the image says of its task (lens-image-metadata.h)
 * @unique: %TRUE to never replace a file: a taken name gets a counter
 *   ("name (2).png"); %FALSE to replace @destination (the user chose it)
 *
 * Writes @bytes with @facts inside them to @destination, in a worker, in
 * one step: on failure or cancellation nothing is left behind, and a
 * replaced file keeps its old contents.
 */
void
lens_image_file_write_async (GBytes               *bytes,
                             GFile                *destination,
                             const LensImageFacts *facts,
                             gboolean              unique,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Write *write;

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (facts != NULL && facts->task_id != NULL);

  write = g_new0 (Write, 1);
  write->bytes = g_bytes_ref (bytes);
  write->destination = g_object_ref (destination);
  write->facts = lens_image_facts_copy (facts);
  write->unique = unique;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_image_file_write_async);
  g_task_set_task_data (task, write, (GDestroyNotify) write_free);
  g_task_run_in_thread (task, write_in_thread);
}

/**
 * lens_image_file_write_finish:
 *
 * Returns: (transfer full) (nullable): the file written (another name than
 *   the destination's when @unique found it taken), or %NULL with @error
 */
GFile *
lens_image_file_write_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_image_file_write_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
