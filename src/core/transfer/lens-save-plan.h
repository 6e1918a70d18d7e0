/* lens-save-plan.h — which images of a task a bulk save writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-image-facts.h"
#include "lens-task.h"

G_BEGIN_DECLS

/**
 * LensSaveGrids:
 * @LENS_SAVE_GRIDS_WHOLE: a 2×2 grid is saved as one image
 * @LENS_SAVE_GRIDS_SPLIT: as its four images
 * @LENS_SAVE_GRIDS_BOTH: as the grid and its four images
 */
typedef enum
{
  LENS_SAVE_GRIDS_WHOLE,
  LENS_SAVE_GRIDS_SPLIT,
  LENS_SAVE_GRIDS_BOTH,
} LensSaveGrids;

#define LENS_TYPE_SAVE_GRIDS (lens_save_grids_get_type ())
GType lens_save_grids_get_type (void) G_GNUC_CONST;

/**
 * LensSaveItem:
 * @facts: the image's facts; @facts->source_url is what is downloaded and
 *   @facts->index which image of a grid it is (0: the whole image)
 * @crop: the download is the whole grid, and image @facts->index is cut
 *   out of it here (the record has no separate link for it)
 *
 * One file a bulk save writes.
 */
typedef struct
{
  LensImageFacts *facts;
  gboolean        crop;
} LensSaveItem;

void     lens_save_item_free      (LensSaveItem  *item);
char    *lens_save_item_key       (const char    *task_id,
                                   guint          index);

guint    lens_save_plan_task      (LensTask      *task,
                                   LensSaveGrids  grids,
                                   gboolean       can_crop,
                                   GPtrArray     *items);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensSaveItem, lens_save_item_free)

G_END_DECLS
