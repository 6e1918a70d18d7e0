/* lens-task-list.h — the user's tasks, in the user's order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lens-task.h"

G_BEGIN_DECLS

#define LENS_TYPE_TASK_LIST (lens_task_list_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskList, lens_task_list, LENS, TASK_LIST, GObject)

LensTaskList *lens_task_list_new           (void);

guint         lens_task_list_add_ids       (LensTaskList       *self,
                                            const char * const *ids,
                                            guint              *out_n_existing);
guint         lens_task_list_add_parsed_ids (LensTaskList     *self,
                                            const char * const *ids,
                                            guint               n_ids,
                                            guint              *out_n_existing);
guint         lens_task_list_count_parsed_ids (LensTaskList   *self,
                                            const char * const *ids,
                                            guint               n_ids);
guint         lens_task_list_insert_ids    (LensTaskList       *self,
                                            guint               position,
                                            const char * const *ids);
guint         lens_task_list_append_tasks  (LensTaskList       *self,
                                            GPtrArray          *tasks);
GHashTable   *lens_task_list_index_tasks   (GPtrArray          *tasks);
guint         lens_task_list_append_indexed (LensTaskList      *self,
                                            GPtrArray          *tasks,
                                            GHashTable         *index);
guint         lens_task_list_take_loaded    (LensTaskList      *self,
                                            GPtrArray          *tasks,
                                            GHashTable         *index);
gboolean      lens_task_list_insert        (LensTaskList       *self,
                                            guint               position,
                                            LensTask           *task);
LensTask     *lens_task_list_peek          (LensTaskList       *self,
                                            guint               position);
GPtrArray    *lens_task_list_dup_all       (LensTaskList       *self);
LensTask     *lens_task_list_lookup        (LensTaskList       *self,
                                            const char         *id);
LensTask     *lens_task_list_lookup_by_image_id (LensTaskList *self,
                                            const char         *image_id);
gboolean      lens_task_list_find          (LensTaskList       *self,
                                            const char         *id,
                                            guint              *out_position);
gboolean      lens_task_list_remove        (LensTaskList       *self,
                                            const char         *id);
guint         lens_task_list_remove_tasks  (LensTaskList       *self,
                                            GPtrArray          *tasks);
GPtrArray    *lens_task_list_undo_remove   (LensTaskList       *self);
void          lens_task_list_forget_removed (LensTaskList      *self);
guint         lens_task_list_apply_records (LensTaskList       *self,
                                            const char * const *answered_ids,
                                            GPtrArray          *records);
guint         lens_task_list_apply_prepared (LensTaskList       *self,
                                             const char * const *answered_ids,
                                             GPtrArray          *records);
GPtrArray    *lens_task_list_dup_tasks_in_states (LensTaskList *self,
                                                  guint         states);
GStrv         lens_task_list_dup_ids_in_state (LensTaskList    *self,
                                            LensTaskState       state);

/* Says whether @task is wanted. */
typedef gboolean (*LensTaskPredicate) (LensTask *task,
                                       gpointer  user_data);

GStrv         lens_task_list_dup_ids_where (LensTaskList       *self,
                                            LensTaskPredicate   predicate,
                                            gpointer            user_data);

G_END_DECLS
