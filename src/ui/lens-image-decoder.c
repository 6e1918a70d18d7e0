/* lens-image-decoder.c — pictures decoded and scaled in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The last step of a LensImageLoader load: the fetched bytes become a
 * texture, scaled while they are read so that a huge original never sits
 * in memory at full size. Only the formats image hosts serve are decoded,
 * pictures too large to decode safely are refused before any pixel is
 * allocated, and a cancelled decode stops at its next chunk. This is the
 * only part of the loader that runs outside the main thread, which is why
 * it has a file of its own.
 */

#define G_LOG_DOMAIN "lens-image-loader"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-image-decoder-private.h"
#include "lens-image-loader.h"

/* The loader's errors beyond fetching are all made here, in decoding: the
 * domain lives with them, so that this file never calls back into
 * lens-image-loader.c. */
G_DEFINE_QUARK (lens-image-loader-error-quark, lens_image_loader_error)

/* Decoding a bigger picture could take gigabytes, even to scale it down. */
#define MAX_SOURCE_PIXELS     ((gint64) 8192 * 8192)
#define DECODE_CHUNK_SIZE     (64 * 1024)

typedef struct
{
  GBytes   *data;        /* the encoded picture: owned by a task's job */
  int       pixel_size;
  gboolean  too_large;   /* set by size_prepared_cb, in the decoding thread */
} DecodeJob;

/* The fetcher's cap on what it downloads says the same, in its own domain. */
static GError *
too_large_error (void)
{
  return g_error_new_literal (LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_TOO_LARGE,
                              _("The image is too large to show"));
}

static GError *
decode_error (void)
{
  return g_error_new_literal (LENS_IMAGE_LOADER_ERROR, LENS_IMAGE_LOADER_ERROR_DECODE,
                              _("The image could not be read"));
}

static void
decode_job_free (gpointer data)
{
  DecodeJob *job = data;

  g_bytes_unref (job->data);
  g_free (job);
}

/* Only the formats image hosts serve are decoded: every other loader
 * gdk-pixbuf has would be attack surface for nothing. */
static const char *
sniff_format (const guint8 *data,
              gsize         size)
{
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "jpeg";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "webp";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";

  return NULL;
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  DecodeJob *job = user_data;
  int longest = MAX (width, height);
  int size = job->pixel_size;

  if (width <= 0 || height <= 0)
    return;

  if ((gint64) width * height > MAX_SOURCE_PIXELS)
    {
      /* A size of 0 × 0 makes the loader stop before it allocates. */
      job->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  /* Never upscale: a small picture stays small and sharp. */
  if (size == 0 || longest <= size)
    return;

  if (width >= height)
    gdk_pixbuf_loader_set_size (loader, size,
                                (int) MAX (((gint64) height * size + width / 2) / width, 1));
  else
    gdk_pixbuf_loader_set_size (loader,
                                (int) MAX (((gint64) width * size + height / 2) / height, 1), size);
}

/**
 * _lens_image_decoder_decode_bytes:
 * @data: an encoded picture (PNG, JPEG, WebP or GIF)
 * @pixel_size: the longest side wanted, in device pixels; 0 for the
 *   original size (never scaled up)
 * @cancellable: (nullable): stops the decode at its next chunk
 *
 * Decodes @data in the calling thread: the worker's decode, and the
 * fuzzer's (tests/fuzz).
 *
 * Returns: (transfer full): the texture, or %NULL with @error set (a
 *   #LensImageLoaderError, or %G_IO_ERROR_CANCELLED)
 */
GdkTexture *
_lens_image_decoder_decode_bytes (GBytes        *data,
                                  int            pixel_size,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  DecodeJob job = { .data = data, .pixel_size = pixel_size };
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (data, &size);
  const char *format = sniff_format (bytes, size);
  gboolean ok = TRUE;
  GdkPixbuf *pixbuf;

  if (format != NULL)
    loader = gdk_pixbuf_loader_new_with_type (format, &local_error);
  if (loader == NULL)
    {
      if (local_error != NULL)
        g_debug ("No %s loader: %s", format, local_error->message);
      g_propagate_error (error, decode_error ());
      return NULL;
    }

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &job);

  /* In pieces, so that a cancelled load stops early. */
  for (gsize offset = 0; ok && offset < size; offset += DECODE_CHUNK_SIZE)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      ok = gdk_pixbuf_loader_write (loader, bytes + offset, MIN (DECODE_CHUNK_SIZE, size - offset),
                                    &local_error) && !job.too_large;
    }

  /* A loader must be closed, even after a failure. */
  if (!gdk_pixbuf_loader_close (loader, ok ? &local_error : NULL))
    ok = FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (job.too_large)
    {
      g_propagate_error (error, too_large_error ());
      return NULL;
    }

  pixbuf = ok ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (pixbuf == NULL)
    {
      if (local_error != NULL)
        g_debug ("Undecodable %s image: %s", format, local_error->message);
      g_propagate_error (error, decode_error ());
      return NULL;
    }

  return gdk_texture_new_for_pixbuf (pixbuf);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeJob *job = task_data;
  GError *error = NULL;
  GdkTexture *texture;

  texture = _lens_image_decoder_decode_bytes (job->data, job->pixel_size, cancellable, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

/**
 * lens_image_decoder_decode_async:
 * @data: an encoded picture (PNG, JPEG, WebP or GIF)
 * @pixel_size: the longest side wanted, in device pixels; 0 for the
 *   original size (never scaled up)
 *
 * Decodes @data in a worker thread. A cancelled decode returns at once.
 */
void
lens_image_decoder_decode_async (GBytes              *data,
                                 int                  pixel_size,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  DecodeJob *job = g_new0 (DecodeJob, 1);

  job->data = g_bytes_ref (data);
  job->pixel_size = pixel_size;

  g_task_set_source_tag (task, lens_image_decoder_decode_async);
  g_task_set_static_name (task, "[tasklens] decode image");
  g_task_set_task_data (task, job, decode_job_free);
  /* A cancelled decode returns at once; the worker stops at its next chunk,
   * on data the task keeps alive. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, decode_thread);
}

/**
 * lens_image_decoder_decode_finish:
 *
 * Returns: (transfer full): the texture, or %NULL with @error set (a
 *   #LensImageLoaderError, or %G_IO_ERROR_CANCELLED)
 */
GdkTexture *
lens_image_decoder_decode_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_image_decoder_decode_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
