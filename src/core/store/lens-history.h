/* lens-history.h — keeps the store in step with the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-task-list.h"
#include "lens-task-store.h"

G_BEGIN_DECLS

#define LENS_HISTORY_DEFAULT_UNDO_MS 10000

/* LensHistory writes every change of a LensTaskList to a LensTaskStore:
 * added tasks, records, removals (once the undo delay has passed), the
 * order. Everything that changes in one main-loop turn is one write, and so
 * one transaction.
 *
 * Make it AFTER the tasks loaded from the store were appended to the list:
 * the tasks the list holds when the history is made are taken as already
 * stored, at positions 0 … n−1 (as lens_task_store_load_async() leaves
 * them), and are not written again until they change.
 *
 * Signals:
 * - "write-failed" (const GError *error): a write failed; the changes are
 *   kept and tried again on the next change or after a few seconds. Emitted
 *   once per distinct failure, not for each retry.
 * - "written" (guint n_changes): a write went through, as one transaction.
 */
#define LENS_TYPE_HISTORY (lens_history_get_type ())
G_DECLARE_FINAL_TYPE (LensHistory, lens_history, LENS, HISTORY, GObject)

LensHistory *lens_history_new              (LensTaskStore *store,
                                            LensTaskList  *tasks);
void         lens_history_set_undo_delay   (LensHistory   *self,
                                            guint          milliseconds);
void         lens_history_set_saved_path   (LensHistory   *self,
                                            const char    *id,
                                            const char    *path);
void         lens_history_flush            (LensHistory   *self);
void         lens_history_sync_async       (LensHistory         *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     lens_history_sync_finish      (LensHistory   *self,
                                            GAsyncResult  *result,
                                            GError       **error);

G_END_DECLS
