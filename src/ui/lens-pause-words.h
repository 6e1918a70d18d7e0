/* lens-pause-words.h — why tasks are not looked up, in a few words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-refresher.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

const char *lens_pause_words_reason (LensRefresherPause pause);
const char *lens_pause_words_icon   (LensRefresherPause pause);
char       *lens_pause_words_title  (LensTask          *task,
                                     LensTaskList      *list,
                                     LensRefresher     *refresher);

G_END_DECLS
