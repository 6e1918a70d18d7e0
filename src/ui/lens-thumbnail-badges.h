/* lens-thumbnail-badges.h — the signs over a task's thumbnail: video, saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-task.h"

G_BEGIN_DECLS

void lens_thumbnail_badges_update (GtkAccessible *described,
                                   GtkWidget     *video_badge,
                                   GtkWidget     *saved_badge,
                                   LensTask      *task);

G_END_DECLS
