/* lens-task-filter.h — which tasks a search shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LENS_TYPE_TASK_FILTER (lens_task_filter_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskFilter, lens_task_filter, LENS, TASK_FILTER, GtkFilter)

LensTaskFilter *lens_task_filter_new        (void);
void            lens_task_filter_set_search (LensTaskFilter *self,
                                             const char     *search);
gboolean        lens_task_filter_is_empty   (LensTaskFilter *self);

G_END_DECLS
