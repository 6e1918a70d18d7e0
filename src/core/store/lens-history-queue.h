/* lens-history-queue.h — the puts and saved paths waiting to be written, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For LensHistory only.
 */

#pragma once

#include "lens-task-list.h"
#include "lens-task-store.h"

G_BEGIN_DECLS

/* One write to the store, from when its changes are taken until the store
 * answers. */
typedef struct
{
  guint64    number;   /* writes are numbered as they start */
  guint64    covers;   /* every change numbered up to this is in it or before it */
  GPtrArray *changes;  /* of LensStoreChange (owned) */
  GPtrArray *gone;     /* of LensTask (owned): whose rows it deletes */
  GPtrArray *put;      /* of LensTask (owned): whose rows it puts, in the order of its puts */
  gboolean   partial;  /* deletions due were left for the next write: it completes no sync */
} LensHistoryWrite;

LensHistoryWrite *lens_history_write_new  (void);
void              lens_history_write_free (LensHistoryWrite *write);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensHistoryWrite, lens_history_write_free)

typedef struct _LensHistoryQueue LensHistoryQueue;

LensHistoryQueue *lens_history_queue_new            (void);
void              lens_history_queue_free           (LensHistoryQueue *self);

gboolean          lens_history_queue_has_changes    (LensHistoryQueue *self);
guint64           lens_history_queue_n_marked       (LensHistoryQueue *self);

void              lens_history_queue_mark           (LensHistoryQueue *self,
                                                     LensTask         *task);
void              lens_history_queue_set_record     (LensHistoryQueue *self,
                                                     LensTask         *task,
                                                     const char       *raw_json);
void              lens_history_queue_set_checked_at (LensHistoryQueue *self,
                                                     LensTask         *task,
                                                     gint64           checked_at);
void              lens_history_queue_put_new        (LensHistoryQueue *self,
                                                     LensTask         *task);
void              lens_history_queue_set_saved_path (LensHistoryQueue *self,
                                                     LensTask         *task,
                                                     const char       *id,
                                                     const char       *path);

gboolean          lens_history_queue_take_back      (LensHistoryQueue *self,
                                                     LensTask         *task,
                                                     guint64          *out_number);
void              lens_history_queue_drop_parked    (LensHistoryQueue *self);
void              lens_history_queue_drop_parked_of (LensHistoryQueue *self,
                                                     GPtrArray        *gone);

void              lens_history_queue_take           (LensHistoryQueue *self,
                                                     LensHistoryWrite *write,
                                                     guint             max_puts);
void              lens_history_queue_restore        (LensHistoryQueue *self,
                                                     LensHistoryWrite *write,
                                                     LensTaskList     *list);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensHistoryQueue, lens_history_queue_free)

G_END_DECLS
