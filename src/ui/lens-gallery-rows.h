/* lens-gallery-rows.h — tasks cut into rows of thumbnails, a section a day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-task.h"

G_BEGIN_DECLS

/**
 * LensGalleryDay:
 * @LENS_GALLERY_DAY_CREATED: tasks are grouped by the day they were made
 * @LENS_GALLERY_DAY_FINISHED: … by the day they finished
 */
typedef enum
{
  LENS_GALLERY_DAY_CREATED,
  LENS_GALLERY_DAY_FINISHED,
} LensGalleryDay;

#define LENS_TYPE_GALLERY_ROW (lens_gallery_row_get_type ())
G_DECLARE_FINAL_TYPE (LensGalleryRow, lens_gallery_row, LENS, GALLERY_ROW, GObject)

guint     lens_gallery_row_get_n_tasks   (LensGalleryRow *self);
LensTask *lens_gallery_row_get_task      (LensGalleryRow *self,
                                          guint           column);
int       lens_gallery_row_get_day       (LensGalleryRow *self);
guint     lens_gallery_row_get_day_count (LensGalleryRow *self);

#define LENS_TYPE_GALLERY_ROWS (lens_gallery_rows_get_type ())
G_DECLARE_FINAL_TYPE (LensGalleryRows, lens_gallery_rows, LENS, GALLERY_ROWS, GObject)

LensGalleryRows *lens_gallery_rows_new          (GListModel      *tasks);
GListModel      *lens_gallery_rows_get_tasks    (LensGalleryRows *self);
void             lens_gallery_rows_set_tasks    (LensGalleryRows *self,
                                                 GListModel      *tasks);
guint            lens_gallery_rows_get_columns  (LensGalleryRows *self);
void             lens_gallery_rows_set_columns  (LensGalleryRows *self,
                                                 guint            columns);
LensGalleryDay   lens_gallery_rows_get_day_of   (LensGalleryRows *self);
void             lens_gallery_rows_set_day_of   (LensGalleryRows *self,
                                                 LensGalleryDay   day_of);
void             lens_gallery_rows_place_undated (LensGalleryRows *self);
gboolean         lens_gallery_rows_get_pending  (LensGalleryRows *self);
guint            lens_gallery_rows_get_n_placed (LensGalleryRows *self);
gboolean         lens_gallery_rows_locate       (LensGalleryRows *self,
                                                 guint            position,
                                                 guint           *row,
                                                 guint           *column);
guint            lens_gallery_rows_get_position (LensGalleryRows *self,
                                                 guint            row,
                                                 guint            column);

G_END_DECLS
