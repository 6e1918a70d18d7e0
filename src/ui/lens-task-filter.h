/* lens-task-filter.h — which tasks the list shows, as its finder decides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-task-finder.h"

G_BEGIN_DECLS

#define LENS_TYPE_TASK_FILTER (lens_task_filter_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskFilter, lens_task_filter, LENS, TASK_FILTER, GtkFilter)

LensTaskFilter *lens_task_filter_new (LensTaskFinder *finder);

G_END_DECLS
