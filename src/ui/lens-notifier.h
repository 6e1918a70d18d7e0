/* lens-notifier.h — desktop notifications for tasks that finish
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-refresher.h"

G_BEGIN_DECLS

#define LENS_TYPE_NOTIFIER (lens_notifier_get_type ())
G_DECLARE_FINAL_TYPE (LensNotifier, lens_notifier, LENS, NOTIFIER, GObject)

LensNotifier *lens_notifier_new          (GtkApplication *application,
                                          LensRefresher  *refresher,
                                          LensTaskList   *task_list);
GNotification *lens_notifier_build       (GPtrArray      *tasks,
                                          LensTaskList   *task_list);
char          *lens_notifier_body_for    (GPtrArray      *tasks,
                                          LensTaskList   *task_list);

G_END_DECLS
