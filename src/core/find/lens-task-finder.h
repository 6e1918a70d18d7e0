/* lens-task-finder.h — the search text and filters of a task list, as one match
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-task-match.h"
#include "lens-task-store.h"

G_BEGIN_DECLS

/* Looks up one word in every task's prompt, off the main thread; finishes
 * with the set of the lower-case ids of the tasks whose prompt contains it
 * (as
 * lens_task_store_search_async() does). Tests give their own. */
typedef void        (*LensWordSearchAsync)  (gpointer             source,
                                             const char          *word,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
typedef GHashTable *(*LensWordSearchFinish) (gpointer             source,
                                             GAsyncResult        *result,
                                             GError             **error);
/* A search is about to start: makes ready, off the main thread, what the
 * searches will need (lens_task_store_prepare_search()). */
typedef void        (*LensWordSearchPrepare) (gpointer            source);

#define LENS_TYPE_TASK_FINDER (lens_task_finder_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskFinder, lens_task_finder, LENS, TASK_FINDER, GObject)

LensTaskFinder  *lens_task_finder_new            (GObject              *source,
                                                  LensWordSearchAsync   search_async,
                                                  LensWordSearchFinish  search_finish);
LensTaskFinder  *lens_task_finder_new_for_store  (LensTaskStore        *store);
void             lens_task_finder_set_prepare    (LensTaskFinder       *self,
                                                  LensWordSearchPrepare prepare);
void             lens_task_finder_prepare        (LensTaskFinder       *self,
                                                  const char           *text);

void             lens_task_finder_set_text       (LensTaskFinder       *self,
                                                  const char           *text);
const char      *lens_task_finder_get_text       (LensTaskFinder       *self);
void             lens_task_finder_set_states     (LensTaskFinder       *self,
                                                  LensStateGroups       states);
LensStateGroups  lens_task_finder_get_states     (LensTaskFinder       *self);
void             lens_task_finder_set_types      (LensTaskFinder       *self,
                                                  LensTypeGroups        types);
LensTypeGroups   lens_task_finder_get_types      (LensTaskFinder       *self);
void             lens_task_finder_clear          (LensTaskFinder       *self);

gboolean         lens_task_finder_get_searching  (LensTaskFinder       *self);
gboolean         lens_task_finder_get_filtering  (LensTaskFinder       *self);
LensTaskMatch   *lens_task_finder_get_match      (LensTaskFinder       *self);

G_END_DECLS
