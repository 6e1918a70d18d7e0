/* lens-find-bar.h — the search entry and the filter and sort menu above the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-task-finder.h"

G_BEGIN_DECLS

#define LENS_TYPE_FIND_BAR (lens_find_bar_get_type ())
G_DECLARE_FINAL_TYPE (LensFindBar, lens_find_bar, LENS, FIND_BAR, AdwBin)

void          lens_find_bar_bind            (LensFindBar    *self,
                                             LensTaskFinder *finder,
                                             GSettings      *settings);
GActionGroup *lens_find_bar_get_actions     (LensFindBar    *self);
GtkSorter    *lens_find_bar_get_sorter      (LensFindBar    *self);
const char   *lens_find_bar_get_sort_order  (LensFindBar    *self);
void          lens_find_bar_set_sort_order  (LensFindBar    *self,
                                             const char     *sort_order);
void          lens_find_bar_focus           (LensFindBar    *self);
void          lens_find_bar_set_key_capture_widget (LensFindBar *self,
                                                    GtkWidget   *widget);

G_END_DECLS
