/* lens-task-store.h — the history of tasks, in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-task.h"

G_BEGIN_DECLS

#define LENS_TASK_STORE_ERROR (lens_task_store_error_quark ())

typedef enum
{
  LENS_TASK_STORE_ERROR_OPEN,     /* the database could not be opened or made */
  LENS_TASK_STORE_ERROR_WRITE,    /* a write failed (full disk, read-only …) */
  LENS_TASK_STORE_ERROR_DAMAGED,  /* the file is damaged; the next start salvages it ("damaged") */
} LensTaskStoreError;

/* One change to write, made on the main thread and written in the store's
 * worker; all changes handed over in one call are one transaction. */
typedef enum
{
  LENS_STORE_CHANGE_PUT,          /* insert or update a task (record, position, times) */
  LENS_STORE_CHANGE_DELETE,       /* remove a task */
  LENS_STORE_CHANGE_SAVED_PATH,   /* remember where the original was saved */
} LensStoreChangeKind;

/* A PUT of a task that is already stored updates its position, and its
 * record and checked_at only when the change has them (raw_json not NULL,
 * checked_at not 0); it keeps the stored added_at and saved_path. Its
 * local_state always replaces the stored one: stalled and not found, which
 * no record gives, are restored over the record at the next load, and so is
 * failed when Tasklens decided it (local_error set: the reason, kept with
 * it); any other state stores none (the record decides). */
typedef struct
{
  LensStoreChangeKind  kind;
  char                *id;          /* owned */
  gint64               position;    /* PUT: order in the list */
  char                *raw_json;    /* PUT: owned, nullable: the last record */
  gint64               added_at;    /* PUT: Unix seconds; 0 means now */
  gint64               checked_at;  /* PUT: Unix seconds of the last answer, or 0 */
  LensTaskState        local_state; /* PUT: the task's state (see above) */
  int                  progress;    /* PUT: the task's progress, or -1 */
  char                *local_error; /* PUT: owned, nullable: lens_task_get_local_error() */
  char                *saved_path;  /* SAVED_PATH: owned, nullable (NULL forgets it) */

  /* PUT: what the summary columns keep of raw_json, when whoever made the
   * change knew it (lens_store_change_set_details()); else the store's
   * worker parses raw_json again to find it. */
  gboolean             has_details;
  char                *task_type;   /* owned, nullable */
  char                *prompt;      /* owned, nullable */
  double               created_at;  /* Unix seconds, or -1 */
  double               finished_at; /* Unix seconds, or -1 */
} LensStoreChange;

LensStoreChange *lens_store_change_new_put        (LensTask   *task,
                                                   gint64      position,
                                                   const char *raw_json,
                                                   gint64      added_at,
                                                   gint64      checked_at);
LensStoreChange *lens_store_change_new_put_taking (LensTask   *task,
                                                   gint64      position,
                                                   char       *raw_json,
                                                   gint64      added_at,
                                                   gint64      checked_at);
void             lens_store_change_set_details    (LensStoreChange *change,
                                                   LensTask        *task,
                                                   char            *prompt);
LensStoreChange *lens_store_change_new_delete     (const char *id);
LensStoreChange *lens_store_change_new_saved_path (const char *id,
                                                   const char *path);
void             lens_store_change_free           (LensStoreChange *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensStoreChange, lens_store_change_free)

/* LensTaskStore: the task history in one SQLite database (WAL mode),
 * worked on by two threads of its own: a worker that loads and writes, and
 * a reader, on a read-only connection, that reads records and searches
 * without waiting for the writes. The async calls return on the caller's
 * main context. A load builds the tasks from their summaries alone
 * (lens_task_new_from_summary(): no record is parsed, and
 * lens_task_has_details() is FALSE) and leaves the positions 0 … n−1 in the
 * order it returns them (LensHistory counts on it); read_records gives the
 * tasks on screen whole. Writes are applied in the order asked for, each
 * one transaction; a PUT's record is read in the worker for the summary
 * and search columns.
 *
 * Search finds the tasks whose prompt contains a word, ignoring case: 3 characters or more through a trigram index (Unicode case
 * folding), shorter words by a scan (ASCII case only). The schema is told
 * at the top of lens-task-store-db.c.
 *
 * The load does not check the whole file first: a third thread does after
 * it, at most once a day. Damage found then, or by a later read or write,
 * is said once ("damaged"); the next load salvages what it can read, as a
 * load that meets damage itself does at once, and its recovery message
 * says how many tasks were kept. */
#define LENS_TYPE_TASK_STORE (lens_task_store_get_type ())
G_DECLARE_FINAL_TYPE (LensTaskStore, lens_task_store, LENS, TASK_STORE, GObject)

GQuark         lens_task_store_error_quark   (void);
char          *lens_task_store_default_path  (void);

LensTaskStore *lens_task_store_new           (const char           *path);
const char    *lens_task_store_get_path      (LensTaskStore        *self);

void           lens_task_store_set_load_records (LensTaskStore     *self,
                                                 guint              n_tasks);
void           lens_task_store_load_async    (LensTaskStore        *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GPtrArray     *lens_task_store_load_finish   (LensTaskStore        *self,
                                              GAsyncResult         *result,
                                              char                **out_recovery_message,
                                              GError              **error);

GHashTable    *lens_task_store_load_steal_index (LensTaskStore     *self,
                                                 GAsyncResult      *result);

void           lens_task_store_write_async   (LensTaskStore        *self,
                                              GPtrArray            *changes,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean       lens_task_store_write_finish  (LensTaskStore        *self,
                                              GAsyncResult         *result,
                                              GError              **error);
gboolean       lens_task_store_write_sync    (LensTaskStore        *self,
                                              GPtrArray            *changes,
                                              GError              **error);

void           lens_task_store_read_records_async  (LensTaskStore       *self,
                                                    const char * const  *ids,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray     *lens_task_store_read_records_finish (LensTaskStore       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void           lens_task_store_search_async  (LensTaskStore        *self,
                                              const char           *word,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
void           lens_task_store_prepare_search (LensTaskStore       *self);
GHashTable    *lens_task_store_search_finish (LensTaskStore        *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
