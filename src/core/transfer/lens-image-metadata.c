/* lens-image-metadata.c — the prompt and the task's facts, inside a saved image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A saved image keeps its prompt, task id, type, mode, creation time and
 * source URL in its own XMP packet, written by gexiv2 (GNOME's wrapper
 * around exiv2: PNG iTXt, JPEG APP1 and WebP XMP chunks alike), so that a
 * file manager, a photo app or a script can still say what made it once
 * the link has expired, and Tasklens can recognise its own files in a
 * folder. Standard properties where there are some (dc:description for the
 * prompt, dc:source, xmp:CreateDate, xmp:CreatorTool), Tasklens's own
 * namespace for the rest. Every call reads or writes the file: workers
 * only, never the main thread.
 *
 * Workers save several images at once, but the XMP toolkit inside exiv2 is
 * thread-safe only when given lock functions, which gexiv2 does not pass:
 * so every use of it here holds one lock (xmp_lock), taken before any
 * metadata object exists and released after the last is freed.
 *
 * gexiv2 writes only to a file it opens by name. An image held in memory
 * (lens_image_metadata_write_bytes()) is put in an anonymous memory file
 * (memfd) and given to it as /proc/self/fd/N: what it reads and rewrites
 * there never reaches a disk, and no name in any folder is used.
 */

#define G_LOG_DOMAIN "lens-image-metadata"

/* For memfd_create() (glibc 2.27), before any header. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gexiv2/gexiv2.h>
#include <gio/gunixoutputstream.h>

#include "lens-image-metadata.h"

#define TASKLENS_XMP_NAMESPACE "https://tasklens.github.io/xmp/1.0/"
#define TASKLENS_XMP_PREFIX    "tasklens"

static GMutex xmp_lock;

/* gexiv2 and exiv2 set up once, whichever thread comes first. */
static gboolean
ensure_initialized (GError **error)
{
  static gsize initialized = 0;
  static gboolean usable = FALSE;

  if (g_once_init_enter (&initialized))
    {
      usable = gexiv2_initialize ()
               && gexiv2_metadata_try_register_xmp_namespace (TASKLENS_XMP_NAMESPACE, TASKLENS_XMP_PREFIX,
                                                              NULL);
      g_once_init_leave (&initialized, 1);
    }
  if (!usable)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "exiv2 could not be initialised");
  return usable;
}

/* A fact the task does not have clears what the file said of it: an image
 * saved again, or one that came with facts of its own, says nothing that
 * is not about this task. */
static gboolean
set_tag (GExiv2Metadata  *metadata,
         const char      *tag,
         const char      *value,
         GError         **error)
{
  if (value == NULL || value[0] == '\0')
    {
      gexiv2_metadata_try_clear_tag (metadata, tag, NULL);
      return TRUE;
    }
  return gexiv2_metadata_try_set_tag_string (metadata, tag, value, error);
}

/**
 * lens_image_metadata_write:
 * @path: a PNG, JPEG or WebP file, which is rewritten with the facts
 *
 * Blocks: call it in a worker, on the file before it takes its final name.
 *
 * Returns: whether the file now holds @facts
 */
gboolean
lens_image_metadata_write (const char            *path,
                           const LensImageFacts  *facts,
                           GError               **error)
{
  /* Declared first, so that it is released after everything else. */
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GExiv2Metadata) metadata = NULL;
  g_autofree char *created = NULL;
  g_autofree char *index = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (facts != NULL && facts->task_id != NULL, FALSE);

  if (!ensure_initialized (error))
    return FALSE;

  locker = g_mutex_locker_new (&xmp_lock);
  metadata = gexiv2_metadata_new ();
  if (!gexiv2_metadata_open_path (metadata, path, error))
    return FALSE;
  if (!gexiv2_metadata_get_supports_xmp (metadata))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "This kind of image cannot hold XMP metadata");
      return FALSE;
    }

  if (facts->created_at >= 0)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc ((gint64) facts->created_at);

      created = time != NULL ? g_date_time_format_iso8601 (time) : NULL;
    }
  if (facts->index > 0)
    index = g_strdup_printf ("%u", facts->index);

  if (!set_tag (metadata, "Xmp.dc.description", facts->prompt, error)
      || !set_tag (metadata, "Xmp.dc.source", facts->source_url, error)
      || !set_tag (metadata, "Xmp.xmp.CreateDate", created, error)
      || !set_tag (metadata, "Xmp.xmp.CreatorTool", "Midjourney (AceData), saved by Tasklens", error)
      || !set_tag (metadata, "Xmp." TASKLENS_XMP_PREFIX ".TaskId", facts->task_id, error)
      || !set_tag (metadata, "Xmp." TASKLENS_XMP_PREFIX ".TaskType", facts->task_type, error)
      || !set_tag (metadata, "Xmp." TASKLENS_XMP_PREFIX ".Action", facts->action, error)
      || !set_tag (metadata, "Xmp." TASKLENS_XMP_PREFIX ".Mode", facts->mode, error)
      || !set_tag (metadata, "Xmp." TASKLENS_XMP_PREFIX ".GridIndex", index, error))
    return FALSE;

  return gexiv2_metadata_save_file (metadata, path, error);
}

/* Fills a new memory file with @image; -1 with @error set on failure. */
static int
memory_file_new (GBytes  *image,
                 GError **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  int fd = memfd_create ("tasklens-image", MFD_CLOEXEC);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), g_strerror (saved_errno));
      return -1;
    }
  stream = g_unix_output_stream_new (fd, FALSE);
  if (!g_output_stream_write_all (stream, data, size, NULL, NULL, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

/**
 * lens_image_metadata_write_bytes:
 * @image: a PNG, JPEG or WebP image
 *
 * lens_image_metadata_write() for an image in memory. Blocks: call it in a
 * worker.
 *
 * Returns: (transfer full) (nullable): @image with @facts inside it, or
 *   %NULL with @error set
 */
GBytes *
lens_image_metadata_write_bytes (GBytes                *image,
                                 const LensImageFacts  *facts,
                                 GError               **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autofree char *path = NULL;
  gboolean written;
  int fd;

  g_return_val_if_fail (image != NULL, NULL);

  fd = memory_file_new (image, error);
  if (fd < 0)
    return NULL;
  path = g_strdup_printf ("/proc/self/fd/%d", fd);
  written = lens_image_metadata_write (path, facts, error);
  /* The mapping keeps the memory file once its descriptor is closed. */
  if (written)
    mapped = g_mapped_file_new_from_fd (fd, FALSE, error);
  close (fd);
  return mapped != NULL ? g_mapped_file_get_bytes (mapped) : NULL;
}

/**
 * lens_image_metadata_read_tag:
 * @tag: an exiv2 key, such as "Xmp.dc.description"
 *
 * Blocks: for workers, and for tests that read back what was written.
 *
 * Returns: (transfer full) (nullable): the tag's value in @path
 */
char *
lens_image_metadata_read_tag (const char *path,
                              const char *tag)
{
  /* Declared first, so that it is released after everything else. */
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GExiv2Metadata) metadata = NULL;

  g_return_val_if_fail (path != NULL && tag != NULL, NULL);

  if (!ensure_initialized (NULL))
    return NULL;
  locker = g_mutex_locker_new (&xmp_lock);
  metadata = gexiv2_metadata_new ();
  if (!gexiv2_metadata_open_path (metadata, path, NULL))
    return NULL;
  return gexiv2_metadata_try_get_tag_string (metadata, tag, NULL);
}

/**
 * lens_image_metadata_read_task_id:
 * @out_index: (out) (optional): the image's number in its grid, 0 for the
 *   whole image
 *
 * Which task a file Tasklens saved came from, so that saving again into a
 * folder recognises what is already there.
 *
 * Returns: (transfer full) (nullable): the task id, or %NULL for a file
 *   that does not say (not saved by Tasklens, not an image, damaged)
 */
char *
lens_image_metadata_read_task_id (const char *path,
                                  guint      *out_index)
{
  /* Declared first, so that it is released after everything else. */
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GExiv2Metadata) metadata = NULL;
  g_autofree char *index = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (out_index != NULL)
    *out_index = 0;
  if (!ensure_initialized (NULL))
    return NULL;
  locker = g_mutex_locker_new (&xmp_lock);
  metadata = gexiv2_metadata_new ();
  if (!gexiv2_metadata_open_path (metadata, path, NULL))
    return NULL;

  index = gexiv2_metadata_try_get_tag_string (metadata, "Xmp." TASKLENS_XMP_PREFIX ".GridIndex", NULL);
  if (out_index != NULL && index != NULL)
    *out_index = (guint) CLAMP (g_ascii_strtoull (index, NULL, 10), 0, 4);
  return gexiv2_metadata_try_get_tag_string (metadata, "Xmp." TASKLENS_XMP_PREFIX ".TaskId", NULL);
}
