/* lens-save-plan.c — which images of a task a bulk save writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A task has one image to keep (its original, `raw_image_url`, or the
 * preview when the record has no original), or none: a task that failed,
 * is still running, describes an image, or is a video (Save Images saves
 * images; a video is saved from its page). A 2×2 grid can also be kept as
 * its four images: each from its own link when the record has them
 * (`sub_image_urls`), else cut out of the grid after the download, when
 * the caller can (a bulk save is given a crop function by the UI, which
 * can decode images; the core cannot).
 *
 * Each image has a key, the task id and its index, which the saved file
 * carries in its metadata: that is how a save recognises the images a
 * folder has already, whatever their names became.
 */

#include "config.h"

#include "lens-save-plan.h"

G_DEFINE_ENUM_TYPE (LensSaveGrids, lens_save_grids,
                    G_DEFINE_ENUM_VALUE (LENS_SAVE_GRIDS_WHOLE, "whole"),
                    G_DEFINE_ENUM_VALUE (LENS_SAVE_GRIDS_SPLIT, "split"),
                    G_DEFINE_ENUM_VALUE (LENS_SAVE_GRIDS_BOTH, "both"))

void
lens_save_item_free (LensSaveItem *item)
{
  if (item == NULL)
    return;
  lens_image_facts_free (item->facts);
  g_free (item);
}

/**
 * lens_save_item_key:
 * @task_id: a task id
 * @index: 0 for the whole image, 1 to 4 for one image of a grid
 *
 * Returns: (transfer full): what identifies one saved image, e.g.
 *   "7489df4c-…#2"
 */
char *
lens_save_item_key (const char *task_id,
                    guint       index)
{
  g_autofree char *lower = g_ascii_strdown (task_id, -1);

  return g_strdup_printf ("%s#%u", lower, index);
}

static void
add_item (GPtrArray  *items,
          LensTask   *task,
          const char *url,
          guint       index,
          gboolean    crop)
{
  LensSaveItem *item = g_new0 (LensSaveItem, 1);

  item->facts = lens_image_facts_new_for_task (task, url, index);
  item->crop = crop;
  g_ptr_array_add (items, item);
}

/**
 * lens_save_plan_task:
 * @task: a task with its details
 * @grids: how a grid is saved
 * @can_crop: whether a grid's image without a link of its own can be cut
 *   out of the grid; without, such a grid is saved whole
 * @items: (element-type LensSaveItem): where the task's images are added
 *
 * Returns: how many images were added (0 for a task with no image to keep)
 */
guint
lens_save_plan_task (LensTask      *task,
                     LensSaveGrids  grids,
                     gboolean       can_crop,
                     GPtrArray     *items)
{
  const char *url;
  const char * const *subs;
  guint n_before = items->len;
  gboolean has_subs;

  g_return_val_if_fail (LENS_IS_TASK (task), 0);
  g_return_val_if_fail (items != NULL, 0);

  if (lens_task_get_state (task) != LENS_TASK_STATE_DONE || lens_task_has_video (task)
      || g_strcmp0 (lens_task_get_task_type (task), "describe") == 0)
    return 0;

  url = lens_task_get_raw_image_url (task);
  if (url == NULL)
    url = lens_task_get_image_url (task);
  subs = lens_task_get_sub_image_urls (task);
  has_subs = subs != NULL && g_strv_length ((GStrv) subs) == 4;
  if (url == NULL && !has_subs)
    return 0;

  if (!lens_task_is_grid (task) || grids == LENS_SAVE_GRIDS_WHOLE
      || (!has_subs && (!can_crop || url == NULL)))
    {
      if (url != NULL)
        add_item (items, task, url, 0, FALSE);
      return items->len - n_before;
    }

  if (grids == LENS_SAVE_GRIDS_BOTH && url != NULL)
    add_item (items, task, url, 0, FALSE);
  for (guint i = 0; i < 4; i++)
    add_item (items, task, has_subs ? subs[i] : url, i + 1, !has_subs);
  return items->len - n_before;
}
