/* lens-format.h — times, durations, sizes and titles in words a user reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "lens-task-list.h"

G_BEGIN_DECLS

char *lens_format_date_time     (double         unix_seconds);
char *lens_format_relative_time (double         unix_seconds,
                                 GDateTime     *now);
int   lens_format_local_day     (double         unix_seconds);
char *lens_format_day           (int            julian_day,
                                 GDateTime     *now);
char *lens_format_duration      (double         seconds);
char *lens_format_size          (int            width,
                                 int            height);
char *lens_format_short_id      (const char    *id);
char *lens_format_task_state    (LensTaskState  state,
                                 int            progress);
char *lens_format_percent       (int            percent);
char *lens_format_term          (const char    *term);
char *lens_format_task_title    (LensTask      *task,
                                 LensTaskList  *list);
char *lens_format_json_pretty   (const char    *json);

G_END_DECLS
