/* lens-image-decoder.c — pictures decoded and scaled in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The last step of a LensImageLoader load: the fetched bytes become a
 * texture, scaled while they are read where the format allows it (JPEG,
 * WebP). Only the formats image hosts serve are decoded, and pictures too
 * large to decode safely are refused from their header, before any pixel
 * is allocated. Decodes wait in one queue for the whole process: at most
 * two run at once, and together they never hold more pixels than one
 * budget, reserved from the header's size; a picture over the whole budget
 * is refused. A cancelled decode returns at once, and its worker stops at
 * its next chunk. This is the only part of the loader that runs outside
 * the main thread, which is why it has a file of its own.
 */

#define G_LOG_DOMAIN "lens-image-loader"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-http.h"
#include "lens-image-decoder-private.h"
#include "lens-image-loader.h"

/* The loader's errors beyond fetching are all made here, in decoding: the
 * domain lives with them, so that this file never calls back into
 * lens-image-loader.c. */
G_DEFINE_QUARK (lens-image-loader-error-quark, lens_image_loader_error)

/* Decoding a bigger picture could take gigabytes, even to scale it down. */
#define MAX_SOURCE_PIXELS     ((gint64) 8192 * 8192)
#define DECODE_CHUNK_SIZE     (64 * 1024)

/* gdk-pixbuf scales PNG and GIF only once they are decoded at full size, so
 * each decode holds its whole picture in memory. Decodes are therefore
 * scheduled, for the whole process: at most a few at once, and together
 * never more pixels than the budget, which is the largest picture accepted
 * at all — twelve huge pictures decode one after the other, not together. */
#define DEFAULT_MAX_IN_FLIGHT 2
#define DEFAULT_BUDGET        ((gsize) MAX_SOURCE_PIXELS * 4)

typedef struct
{
  GBytes       *data;         /* owned: the encoded picture */
  int           pixel_size;
  GTask        *task;         /* owned, nullable: the caller's, until it returned */
  GSource      *cancel_source; /* owned, nullable */
  GCancellable *cancellable;  /* owned, nullable: the caller's */
  int           width;        /* the picture's, once a first attempt read them */
  int           height;
  gsize         cost;         /* the bytes reserved in the budget, or 0 */
  /* Set in the worker, read back in the main thread once it is done. */
  gboolean      too_large;
  gboolean      over_budget;  /* wait for the budget, then try again */
  GdkTexture   *texture;      /* owned, nullable */
  GError       *error;        /* owned, nullable */
} DecodeJob;

/* The schedule. The queue and the counts of decodes belong to the main
 * thread; the budget is also reserved from workers, under the lock. */
static struct
{
  GQueue   waiting;          /* DecodeJob, owned */
  guint    in_flight;
  guint    max_in_flight;
  guint    peak_in_flight;
  GMutex   lock;             /* for what follows */
  gsize    budget;
  gsize    reserved;
  gsize    peak_reserved;
} schedule = {
  G_QUEUE_INIT, 0, DEFAULT_MAX_IN_FLIGHT, 0, { 0 }, DEFAULT_BUDGET, 0, 0,
};

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

/* The fetcher's cap on what it downloads says the same, in its own domain.
 * A picture larger than the whole decode budget is refused the same way. */
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

/* ─── the budget ───────────────────────────────────────────────────────── */

/* What a decode of a @width × @height picture holds: gdk-pixbuf decodes PNG
 * and GIF at full size before it scales, and JPEG and WebP at most at full
 * size, so the full size is an upper bound for every format. */
static gsize
decode_cost (int width,
             int height)
{
  return (gsize) width * (gsize) height * 4;
}

typedef enum
{
  RESERVE_OK,
  RESERVE_WAIT,
  RESERVE_TOO_LARGE,
} ReserveResult;

/* Any thread. */
static ReserveResult
budget_reserve (gsize cost)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&schedule.lock);

  if (cost > schedule.budget)
    return RESERVE_TOO_LARGE;
  if (schedule.reserved + cost > schedule.budget)
    return RESERVE_WAIT;

  schedule.reserved += cost;
  schedule.peak_reserved = MAX (schedule.peak_reserved, schedule.reserved);
  return RESERVE_OK;
}

static void
budget_release (gsize cost)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&schedule.lock);

  g_assert (schedule.reserved >= cost);
  schedule.reserved -= cost;
}

/* ─── jobs ─────────────────────────────────────────────────────────────── */

static void
decode_job_free (DecodeJob *job)
{
  g_assert (job->task == NULL);
  g_assert (job->cost == 0);

  lens_http_clear_source (&job->cancel_source);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->texture);
  g_clear_error (&job->error);
  g_bytes_unref (job->data);
  g_free (job);
}

/* Hands the caller its result; the job itself may still be decoding. */
static void
decode_job_return (DecodeJob  *job,
                   GdkTexture *texture,
                   GError     *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&job->task);

  lens_http_clear_source (&job->cancel_source);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (texture != NULL)
    g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
  else
    g_task_return_error (task, error);
}

/* ─── the worker ───────────────────────────────────────────────────────── */

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

  /* Read from the header, before any pixel is allocated. */
  job->width = width;
  job->height = height;
  if ((gint64) width * height > MAX_SOURCE_PIXELS)
    job->too_large = TRUE;
  else if (job->cost == 0)
    {
      switch (budget_reserve (decode_cost (width, height)))
        {
        case RESERVE_OK:
          job->cost = decode_cost (width, height);
          break;
        case RESERVE_WAIT:
          job->over_budget = TRUE;
          break;
        case RESERVE_TOO_LARGE:
          job->too_large = TRUE;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (job->too_large || job->over_budget)
    {
      /* A size of 0 × 0 makes the loader stop before it allocates. */
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

/* The decode itself, in the calling thread: the picture's texture in
 * @job->texture, or why not in @job->error (or @job->over_budget). */
static void
decode_job_run (DecodeJob    *job,
                GCancellable *cancellable)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (job->data, &size);
  const char *format = sniff_format (data, size);
  gboolean ok = TRUE;
  GdkPixbuf *pixbuf;

  if (format != NULL)
    loader = gdk_pixbuf_loader_new_with_type (format, &error);
  if (loader == NULL)
    {
      if (error != NULL)
        g_debug ("No %s loader: %s", format, error->message);
      job->error = decode_error ();
      return;
    }

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), job);

  /* In pieces, so that a cancelled load stops early. */
  for (gsize offset = 0; ok && offset < size; offset += DECODE_CHUNK_SIZE)
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      ok = gdk_pixbuf_loader_write (loader, data + offset, MIN (DECODE_CHUNK_SIZE, size - offset),
                                    &error) && !job->too_large && !job->over_budget;
    }

  /* A loader must be closed, even after a failure. */
  if (!gdk_pixbuf_loader_close (loader, ok ? &error : NULL))
    ok = FALSE;

  if (job->too_large)
    job->error = too_large_error ();
  else if (!job->over_budget && !g_cancellable_is_cancelled (cancellable))
    {
      pixbuf = ok ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
      if (pixbuf != NULL)
        job->texture = gdk_texture_new_for_pixbuf (pixbuf);
      else
        {
          if (error != NULL)
            g_debug ("Undecodable %s image: %s", format, error->message);
          job->error = decode_error ();
        }
    }
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  decode_job_run (task_data, cancellable);
  g_task_return_boolean (task, TRUE);
}

/**
 * _lens_image_decoder_decode_bytes:
 * @data: an encoded picture (PNG, JPEG, WebP or GIF)
 * @pixel_size: the longest side wanted, in device pixels; 0 for the
 *   original size (never scaled up)
 * @cancellable: (nullable): stops the decode at its next chunk
 *
 * Decodes @data in the calling thread, with the same checks as a scheduled
 * decode (the pixel cap, the budget), but without waiting for the budget: a
 * picture that does not fit now is refused as too large. For the fuzzer
 * (tests/fuzz).
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

  decode_job_run (&job, cancellable);
  if (job.cost > 0)
    budget_release (job.cost);

  if (job.texture != NULL)
    return job.texture;
  if (job.over_budget)
    g_propagate_error (error, too_large_error ());
  else if (job.error != NULL)
    g_propagate_error (error, job.error);
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  return NULL;
}

/* ─── the schedule ─────────────────────────────────────────────────────── */

static void decode_done_cb (GObject      *source_object,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
schedule_start (DecodeJob *job)
{
  g_autoptr(GTask) task = g_task_new (NULL, job->cancellable, decode_done_cb, job);

  schedule.in_flight++;
  schedule.peak_in_flight = MAX (schedule.peak_in_flight, schedule.in_flight);

  g_task_set_source_tag (task, schedule_start);
  g_task_set_static_name (task, "[tasklens] decode image");
  /* Not returned on cancel: the decode is counted until its worker is done. */
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, decode_thread);
}

/* Starts what the slots and the budget allow, in the order asked. */
static void
schedule_pump (void)
{
  while (schedule.in_flight < schedule.max_in_flight && !g_queue_is_empty (&schedule.waiting))
    {
      DecodeJob *job = g_queue_peek_head (&schedule.waiting);

      /* A job that has waited for the budget knows its size: it starts only
       * once the budget has room, so it cannot be turned away again. */
      if (job->width > 0)
        {
          gsize cost = decode_cost (job->width, job->height);

          switch (budget_reserve (cost))
            {
            case RESERVE_OK:
              job->cost = cost;
              break;
            case RESERVE_WAIT:
              return;
            case RESERVE_TOO_LARGE:
              g_queue_pop_head (&schedule.waiting);
              decode_job_return (job, NULL, too_large_error ());
              decode_job_free (job);
              continue;
            default:
              g_assert_not_reached ();
            }
        }

      g_queue_pop_head (&schedule.waiting);
      schedule_start (job);
    }
}

static void
decode_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DecodeJob *job = user_data;

  g_assert (schedule.in_flight > 0);
  schedule.in_flight--;
  if (job->cost > 0)
    {
      budget_release (job->cost);
      job->cost = 0;
    }

  if (job->over_budget && job->task != NULL &&
      !g_cancellable_is_cancelled (job->cancellable))
    {
      /* First in line for the budget that the decodes in flight will free. */
      job->over_budget = FALSE;
      g_queue_push_head (&schedule.waiting, job);
    }
  else
    {
      if (job->texture != NULL)
        decode_job_return (job, job->texture, NULL);
      else if (job->error != NULL)
        decode_job_return (job, NULL, g_steal_pointer (&job->error));
      else
        decode_job_return (job, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                            "Decoding was cancelled"));
      decode_job_free (job);
    }

  schedule_pump ();
}

static gboolean
decode_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  DecodeJob *job = user_data;
  GTask *task = job->task;

  /* Still waiting: it never started, and goes now. Running: its worker
   * stops at its next chunk, and the job goes when it is done. */
  if (g_queue_remove (&schedule.waiting, job))
    {
      g_task_return_error_if_cancelled (task);
      g_clear_object (&job->task);
      decode_job_free (job);
      schedule_pump ();
      return G_SOURCE_REMOVE;
    }

  job->task = NULL;
  lens_http_clear_source (&job->cancel_source);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_image_decoder_decode_async:
 * @data: an encoded picture (PNG, JPEG, WebP or GIF)
 * @pixel_size: the longest side wanted, in device pixels; 0 for the
 *   original size (never scaled up)
 *
 * Decodes @data in a worker thread, once a decode slot and enough of the
 * memory budget are free. Call it from the main thread. A cancelled decode
 * returns at once.
 */
void
lens_image_decoder_decode_async (GBytes              *data,
                                 int                  pixel_size,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  DecodeJob *job;

  g_return_if_fail (data != NULL);

  g_task_set_source_tag (task, lens_image_decoder_decode_async);
  g_task_set_static_name (task, "[tasklens] decode image");
  if (g_task_return_error_if_cancelled (task))
    return;

  job = g_new0 (DecodeJob, 1);
  job->data = g_bytes_ref (data);
  job->pixel_size = pixel_size;
  job->task = g_steal_pointer (&task);
  g_set_object (&job->cancellable, cancellable);
  job->cancel_source = lens_http_watch_cancel (job->task, decode_cancelled_cb, job, NULL,
                                               "[tasklens] decode cancelled");

  g_queue_push_tail (&schedule.waiting, job);
  schedule_pump ();
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

/**
 * lens_image_decoder_set_limits:
 * @max_in_flight: how many decodes may run at once; 0 for the default
 * @budget: how many bytes of pixels decodes may hold together; 0 for the
 *   default, which is the largest picture accepted
 *
 * For tests, which try the schedule with small pictures.
 */
void
lens_image_decoder_set_limits (guint max_in_flight,
                               gsize budget)
{
  g_mutex_lock (&schedule.lock);
  schedule.budget = budget > 0 ? budget : DEFAULT_BUDGET;
  g_mutex_unlock (&schedule.lock);
  schedule.max_in_flight = max_in_flight > 0 ? max_in_flight : DEFAULT_MAX_IN_FLIGHT;
  schedule_pump ();
}

/**
 * lens_image_decoder_get_stats:
 * @peak_in_flight: (out) (optional): the most decodes that ran at once
 * @peak_reserved: (out) (optional): the most bytes of pixels reserved at once
 *
 * The high-water marks since the last lens_image_decoder_reset_stats(),
 * for tests and benchmarks.
 */
void
lens_image_decoder_get_stats (guint *peak_in_flight,
                              gsize *peak_reserved)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&schedule.lock);

  if (peak_in_flight != NULL)
    *peak_in_flight = schedule.peak_in_flight;
  if (peak_reserved != NULL)
    *peak_reserved = schedule.peak_reserved;
}

void
lens_image_decoder_reset_stats (void)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&schedule.lock);

  schedule.peak_in_flight = schedule.in_flight;
  schedule.peak_reserved = schedule.reserved;
}
