/* lens-grid-image-save.c — one image of a grid, saved with its task's facts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Save Image 2…" on the task page. A record made with split_images has
 * each image of the grid at its own address (sub_image_urls): that file is
 * downloaded through LensDownloads, as Download Original's is, with the
 * facts written into it. Without one, or when it does not answer (expired,
 * gone), the image is cut out of the grid itself: the original decoded by
 * the image loader (size 0: full resolution), its quarter copied into a
 * PNG (lens-grid-crop.c) and written with the facts, whole or not at all
 * (lens-image-file.c). All of it off the main thread; the saved path goes
 * into the history as a download's does.
 *
 *   sub_image_url? → DOWNLOAD ─ failed ─┐
 *                       │ done          ↓
 *                       │        LOAD original → CROP → WRITE → history
 *                       ↓                                  ↓
 *                     return ←─────────────────────────────┘
 */

#define G_LOG_DOMAIN "lens-grid-image-save"

#include "config.h"

#include "lens-grid-crop.h"
#include "lens-grid-image-save.h"
#include "lens-image-file.h"

typedef struct
{
  LensDownloads   *downloads;    /* owned */
  LensImageLoader *loader;       /* owned */
  char            *grid_url;     /* owned */
  LensImageFacts  *facts;        /* owned */
  GFile           *destination;  /* owned */
  LensDownload    *download;     /* owned, nullable: the sub-image's */
} Save;

static void
save_free (Save *save)
{
  g_clear_object (&save->download);
  g_object_unref (save->downloads);
  g_object_unref (save->loader);
  g_free (save->grid_url);
  lens_image_facts_free (save->facts);
  g_object_unref (save->destination);
  g_free (save);
}

/* ─── cutting it out ───────────────────────────────────────────────────── */

static void
written_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  file = lens_image_file_write_finish (result, &error);
  if (file == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  path = g_file_get_path (file);
  if (path != NULL && lens_downloads_get_history (save->downloads) != NULL)
    lens_history_set_saved_path (lens_downloads_get_history (save->downloads), save->facts->task_id,
                                 path);
  g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
}

static void
cropped_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  g_autoptr(GBytes) png = NULL;
  GError *error = NULL;

  png = lens_grid_crop_finish (result, &error);
  if (png == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The user chose the file, and the dialog asked before replacing it. */
  lens_image_file_write_async (png, save->destination, save->facts, LENS_SAVE_NONE,
                               g_task_get_cancellable (task), written_cb, task);
  g_steal_pointer (&task);
}

static void
original_loaded_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  g_autoptr(GdkTexture) grid = NULL;
  GError *error = NULL;

  grid = lens_image_loader_load_finish (LENS_IMAGE_LOADER (source_object), result, &error);
  if (grid == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  lens_grid_crop_async (grid, save->facts->index, g_task_get_cancellable (task), cropped_cb, task);
  g_steal_pointer (&task);
}

static void
crop (GTask *task)
{
  Save *save = g_task_get_task_data (task);

  /* Size 0: the original, at full resolution. */
  lens_image_loader_load_async (save->loader, save->grid_url, 0, 1, g_task_get_cancellable (task),
                                original_loaded_cb, task);
}

/* ─── downloading it ───────────────────────────────────────────────────── */

static void
download_state_cb (LensDownload *download,
                   GParamSpec   *pspec,
                   GTask        *task)
{
  Save *save = g_task_get_task_data (task);

  /* The task's reference is held by this handler until it disconnects. */
  switch (lens_download_get_state (download))
    {
    case LENS_DOWNLOAD_STATE_DONE:
      g_signal_handlers_disconnect_by_func (download, download_state_cb, task);
      g_task_return_pointer (task, g_object_ref (save->destination), g_object_unref);
      g_object_unref (task);
      break;
    case LENS_DOWNLOAD_STATE_FAILED:
      /* The separate image did not answer: the grid still has it. */
      g_signal_handlers_disconnect_by_func (download, download_state_cb, task);
      crop (task);
      break;
    case LENS_DOWNLOAD_STATE_CANCELLED:
      g_signal_handlers_disconnect_by_func (download, download_state_cb, task);
      g_task_return_new_error_literal (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      g_object_unref (task);
      break;
    case LENS_DOWNLOAD_STATE_PREPARING:
    case LENS_DOWNLOAD_STATE_RUNNING:
    default:
      break;
    }
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_grid_image_save_async:
 * @downloads: where downloads go, and the history they are recorded in
 * @loader: decodes the grid when the image is cut out of it
 * @grid_url: the grid's original
 * @sub_image_url: (nullable): the image alone, when the record has it
 * @facts: what the image says of its task; its index (1…4) is the image
 * @destination: the file the user chose
 *
 * Saves image @facts->index of a grid to @destination, with @facts in it.
 */
void
lens_grid_image_save_async (LensDownloads        *downloads,
                            LensImageLoader      *loader,
                            const char           *grid_url,
                            const char           *sub_image_url,
                            const LensImageFacts *facts,
                            GFile                *destination,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Save *save;

  g_return_if_fail (LENS_IS_DOWNLOADS (downloads));
  g_return_if_fail (LENS_IS_IMAGE_LOADER (loader));
  g_return_if_fail (grid_url != NULL);
  g_return_if_fail (facts != NULL && facts->index >= 1 && facts->index <= 4);
  g_return_if_fail (G_IS_FILE (destination));

  save = g_new0 (Save, 1);
  save->downloads = g_object_ref (downloads);
  save->loader = g_object_ref (loader);
  save->grid_url = g_strdup (grid_url);
  save->facts = lens_image_facts_copy (facts);
  save->destination = g_object_ref (destination);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_grid_image_save_async);
  g_task_set_task_data (task, save, (GDestroyNotify) save_free);

  if (sub_image_url != NULL)
    {
      LensImageFacts sub_facts = *facts;
      LensDownload *download;

      sub_facts.source_url = sub_image_url;
      download = lens_downloads_start_with_facts (downloads, facts->task_id, sub_image_url,
                                                  destination, &sub_facts);
      /* NULL while the task has another download under way: cut it out. */
      if (download != NULL)
        {
          save->download = g_object_ref (download);
          g_signal_connect (download, "notify::state", G_CALLBACK (download_state_cb),
                            g_steal_pointer (&task));
          return;
        }
    }
  crop (g_steal_pointer (&task));
}

/**
 * lens_grid_image_save_finish:
 *
 * Returns: (transfer full) (nullable): the file saved, or %NULL with @error
 */
GFile *
lens_grid_image_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
