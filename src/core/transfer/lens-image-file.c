/* lens-image-file.c — an image's bytes saved with its task's facts, whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For an image held in memory: one cut out of a grid (lens-grid-crop.c),
 * or a download of a known, modest size (lens-downloader.c). The task's
 * facts go into the bytes first, in memory (lens-image-metadata.h); the
 * result is written once into a LensAtomicFile, flushed, and only then
 * does it take its name. So the destination never holds an image without
 * its facts, and a failure at any step leaves nothing behind. gexiv2, the
 * writing and the fsync block: it all runs in a worker.
 *
 * exiv2 reads and rewrites every byte it is given, several times over and
 * under a lock that no other save can pass meanwhile: about 6 ms for a
 * 2 MB render, which made a bulk save twice as slow as the transfer. For a
 * PNG whose pixels are followed by nothing but IEND (lens-png-layout.c),
 * exiv2 is given only what comes before the pixels, a PNG of a few hundred
 * bytes, and the pixels are copied across as they came.
 *
 * An image exiv2 cannot put facts into (a GIF, or bytes that are no image
 * at all) is saved as it came: the image is what matters.
 */

#define G_LOG_DOMAIN "lens-image-file"

#include "config.h"

#include <string.h>

#include "lens-atomic-file.h"
#include "lens-file-name.h"
#include "lens-image-file.h"
#include "lens-image-metadata.h"
#include "lens-png-layout.h"

/* ─── the facts, in memory ─────────────────────────────────────────────── */

/* A PNG's chunks before its pixels at @pixels, closed by an IEND: a PNG
 * without pixels, which exiv2 reads and writes like any other. */
static GBytes *
png_head (const guint8 *data,
          gsize         pixels)
{
  guint8 *head = g_malloc (pixels + LENS_PNG_END_CHUNK_SIZE);

  memcpy (head, data, pixels);
  memcpy (head + pixels, LENS_PNG_END_CHUNK, LENS_PNG_END_CHUNK_SIZE);
  return g_bytes_new_take (head, pixels + LENS_PNG_END_CHUNK_SIZE);
}

/* @image with @facts inside it, as the parts to write one after the
 * other (GBytes); %NULL with @error set when exiv2 could not. */
static GPtrArray *
stamp (GBytes               *image,
       const LensImageFacts *facts,
       GError              **error)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize size, pixels = 0, stamped_size = 0;
  const guint8 *data = g_bytes_get_data (image, &size);
  const guint8 *stamped_data = NULL;
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) stamped = NULL;

  if (lens_png_layout_find_pixels (data, size, &pixels))
    {
      head = png_head (data, pixels);
      stamped = lens_image_metadata_write_bytes (head, facts, NULL);
    }
  if (stamped != NULL)
    stamped_data = g_bytes_get_data (stamped, &stamped_size);

  /* exiv2 keeps the IEND last; the pixels go before it. Anything else
   * (exiv2 refused the head, or laid it out otherwise) and exiv2 is given
   * the whole image after all. */
  if (stamped == NULL || stamped_size < LENS_PNG_END_CHUNK_SIZE
      || memcmp (stamped_data + stamped_size - LENS_PNG_END_CHUNK_SIZE, LENS_PNG_END_CHUNK,
                 LENS_PNG_END_CHUNK_SIZE) != 0)
    {
      GBytes *whole = lens_image_metadata_write_bytes (image, facts, error);

      if (whole == NULL)
        return NULL;
      g_ptr_array_add (parts, whole);
      return g_steal_pointer (&parts);
    }

  g_ptr_array_add (parts, g_bytes_new_from_bytes (stamped, 0, stamped_size - LENS_PNG_END_CHUNK_SIZE));
  g_ptr_array_add (parts, g_bytes_new_from_bytes (image, pixels, size - pixels));
  return g_steal_pointer (&parts);
}

/* ─── the file ─────────────────────────────────────────────────────────── */

typedef struct
{
  GBytes         *bytes;        /* owned */
  GFile          *destination;  /* owned */
  LensImageFacts *facts;        /* owned, nullable */
  LensSaveFlags   flags;
} Write;

static void
write_free (Write *write)
{
  g_bytes_unref (write->bytes);
  g_object_unref (write->destination);
  g_clear_pointer (&write->facts, lens_image_facts_free);
  g_free (write);
}

/* @destination, or its name with the extension of what @bytes are. */
static GFile *
destination_for (GBytes        *bytes,
                 GFile         *destination,
                 LensSaveFlags  flags)
{
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (destination);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (!(flags & LENS_SAVE_NAME_BY_CONTENT) || parent == NULL)
    return g_object_ref (destination);
  basename = g_file_get_basename (destination);
  name = lens_file_name_for_content (basename, data, size);
  return g_file_get_child (parent, name);
}

/**
 * lens_image_file_write:
 * @bytes: an image (PNG, JPEG or WebP hold the facts; others are saved
 *   without them)
 * @destination: the file to write; its folder must exist
 * @facts: (nullable): what the image says of its task
 *   (lens-image-metadata.h)
 * @flags: as for lens_image_file_write_async()
 *
 * lens_image_file_write_async()'s work, for whoever is in a worker
 * already (a bulk save cutting a grid, a download's commit). Blocks.
 *
 * Returns: (transfer full) (nullable): the file written, or %NULL with
 *   @error set
 */
GFile *
lens_image_file_write (GBytes                *bytes,
                       GFile                 *destination,
                       const LensImageFacts  *facts,
                       LensSaveFlags          flags,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(LensAtomicFile) file = NULL;
  GOutputStream *stream;
  GFile *final = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  if (facts != NULL)
    {
      g_autoptr(GError) unstamped = NULL;

      parts = stamp (bytes, facts, &unstamped);
      if (parts == NULL)
        g_debug ("Saved without its facts: %s", unstamped->message);
    }
  if (parts == NULL)
    {
      parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      g_ptr_array_add (parts, g_bytes_ref (bytes));
    }

  target = destination_for (bytes, destination, flags);
  file = lens_atomic_file_create (target, error);
  if (file == NULL)
    return NULL;
  stream = lens_atomic_file_get_stream (file);
  for (guint i = 0; i < parts->len; i++)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (parts, i), &size);

      if (!g_output_stream_write_all (stream, data, size, NULL, cancellable, error))
        return NULL;
    }
  if (!lens_atomic_file_close (file, error)
      /* The last moment a cancellation leaves no file behind. */
      || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (flags & LENS_SAVE_UNIQUE)
    return lens_atomic_file_commit_unique (file, &final, error) ? final : NULL;
  if (!lens_atomic_file_commit (file, error))
    return NULL;
  return g_steal_pointer (&target);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Write *write = task_data;
  GError *error = NULL;
  GFile *final = lens_image_file_write (write->bytes, write->destination, write->facts, write->flags,
                                        cancellable, &error);

  if (final == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, final, g_object_unref);
}

/**
 * lens_image_file_write_async:
 * @bytes: an image (PNG, JPEG or WebP hold the facts; others are saved
 *   without them)
 * @destination: the file to write; its folder must exist
 * @facts: (nullable): what the image says of its task
 *   (lens-image-metadata.h)
 * @flags: %LENS_SAVE_UNIQUE to never replace a file (a taken name gets a
 *   counter: "name (2).png"), else @destination is replaced (the user
 *   chose it); %LENS_SAVE_NAME_BY_CONTENT for the extension of what
 *   @bytes are
 *
 * Writes @bytes with @facts inside them to @destination, in a worker, in
 * one step: on failure or cancellation nothing is left behind, and a
 * replaced file keeps its old contents.
 */
void
lens_image_file_write_async (GBytes               *bytes,
                             GFile                *destination,
                             const LensImageFacts *facts,
                             LensSaveFlags         flags,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Write *write;

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (facts == NULL || facts->task_id != NULL);

  write = g_new0 (Write, 1);
  write->bytes = g_bytes_ref (bytes);
  write->destination = g_object_ref (destination);
  write->facts = facts != NULL ? lens_image_facts_copy (facts) : NULL;
  write->flags = flags;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_image_file_write_async);
  g_task_set_task_data (task, write, (GDestroyNotify) write_free);
  g_task_run_in_thread (task, write_in_thread);
}

/**
 * lens_image_file_write_finish:
 *
 * Returns: (transfer full) (nullable): the file written (another name than
 *   the destination's when %LENS_SAVE_UNIQUE found it taken, or
 *   %LENS_SAVE_NAME_BY_CONTENT changed its extension), or %NULL with @error
 */
GFile *
lens_image_file_write_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_image_file_write_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
