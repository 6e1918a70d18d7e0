/* bench-history.h — a large history of realistic finished tasks, for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Distinct thumbnails the tasks point at in turn: enough for the rows of
 * the first screens to differ. */
#define BENCH_HISTORY_N_IMAGES 200

char  *bench_history_prompt (guint               i);
double bench_history_fill   (const char         *path,
                             guint               n_tasks,
                             const char         *image_host,
                             const char * const *image_ids);

G_END_DECLS
