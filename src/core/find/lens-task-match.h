/* lens-task-match.h — which tasks a search and the filters let through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "lens-task.h"

G_BEGIN_DECLS

/**
 * LensStateGroups:
 * @LENS_STATE_GROUP_DONE: finished with a result
 * @LENS_STATE_GROUP_IN_PROGRESS: queued, pending or running
 * @LENS_STATE_GROUP_STALLED: no progress for too long
 * @LENS_STATE_GROUP_FAILED: finished with an error
 * @LENS_STATE_GROUP_NOT_FOUND: unknown to the server
 *
 * The states as a user sorts them; no group at all means every state.
 */
typedef enum /*< flags >*/
{
  LENS_STATE_GROUP_DONE        = 1 << 0,
  LENS_STATE_GROUP_IN_PROGRESS = 1 << 1,
  LENS_STATE_GROUP_STALLED     = 1 << 2,
  LENS_STATE_GROUP_FAILED      = 1 << 3,
  LENS_STATE_GROUP_NOT_FOUND   = 1 << 4,
} LensStateGroups;

/**
 * LensTypeGroups:
 * @LENS_TYPE_GROUP_IMAGINE: `imagine`
 * @LENS_TYPE_GROUP_DESCRIBE: `describe`
 * @LENS_TYPE_GROUP_VIDEOS: `videos`
 * @LENS_TYPE_GROUP_EDITS: `edits`
 * @LENS_TYPE_GROUP_OTHER: any other type, or none known yet
 *
 * The task types as the filter offers them; no group means every type.
 */
typedef enum /*< flags >*/
{
  LENS_TYPE_GROUP_IMAGINE  = 1 << 0,
  LENS_TYPE_GROUP_DESCRIBE = 1 << 1,
  LENS_TYPE_GROUP_VIDEOS   = 1 << 2,
  LENS_TYPE_GROUP_EDITS    = 1 << 3,
  LENS_TYPE_GROUP_OTHER    = 1 << 4,
} LensTypeGroups;

/**
 * LensMatchChange:
 * @LENS_MATCH_CHANGE_DIFFERENT: any task may match differently
 * @LENS_MATCH_CHANGE_LESS_STRICT: every task that matched still does
 * @LENS_MATCH_CHANGE_MORE_STRICT: no task that did not match does now
 *
 * How one match relates to the one before it (as GtkFilterChange says it).
 */
typedef enum
{
  LENS_MATCH_CHANGE_DIFFERENT,
  LENS_MATCH_CHANGE_LESS_STRICT,
  LENS_MATCH_CHANGE_MORE_STRICT,
} LensMatchChange;

typedef struct _LensTaskMatch LensTaskMatch;

LensStateGroups lens_state_group_of          (LensTaskState         state);
LensTypeGroups  lens_type_group_of           (const char           *task_type);
GStrv           lens_task_match_split_words  (const char           *text);

LensTaskMatch  *lens_task_match_new          (LensStateGroups       states,
                                              LensTypeGroups        types);
void            lens_task_match_add_word     (LensTaskMatch        *self,
                                              const char           *word,
                                              GHashTable           *ids);
void            lens_task_match_unref_ids    (GHashTable           *ids);
LensTaskMatch  *lens_task_match_ref          (LensTaskMatch        *self);
void            lens_task_match_unref        (LensTaskMatch        *self);

gboolean        lens_task_match_is_all       (const LensTaskMatch  *self);
gboolean        lens_task_match_matches      (const LensTaskMatch  *self,
                                              LensTask             *task);
LensMatchChange lens_task_match_compare      (const LensTaskMatch  *before,
                                              const LensTaskMatch  *after);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensTaskMatch, lens_task_match_unref)

G_END_DECLS
