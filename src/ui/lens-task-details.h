/* lens-task-details.h — the rows that show a task's fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-task.h"

G_BEGIN_DECLS

#define LENS_TYPE_TASK_DETAILS (lens_task_details_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskDetails, lens_task_details, LENS, TASK_DETAILS, AdwBin)

LensTaskDetails *lens_task_details_new      (void);
LensTask        *lens_task_details_get_task (LensTaskDetails *self);
void             lens_task_details_set_task (LensTaskDetails *self,
                                             LensTask        *task);

G_END_DECLS
