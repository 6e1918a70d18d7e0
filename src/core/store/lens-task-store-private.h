/* lens-task-store-private.h — shared by the files of the task store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store is one class in two files: lens-task-store.c (the GObject, the
 * async API, the job queue and the worker thread that runs the jobs) and
 * lens-task-store-db.c (everything SQLite: opening, migrating, checking,
 * moving a damaged file aside, reading and writing), which only ever runs
 * in that worker thread.
 */

#pragma once

#include <sqlite3.h>

#include "lens-task-store.h"

G_BEGIN_DECLS

/* Only ever touched by the worker thread. */
typedef struct
{
  GAsyncQueue  *queue;             /* owned */
  char         *path;              /* owned */
  sqlite3      *db;                /* owned, nullable: until opened */
  sqlite3_stmt *put;               /* owned, nullable */
  sqlite3_stmt *delete;            /* owned, nullable */
  sqlite3_stmt *saved_path;        /* owned, nullable */
  char         *recovery_message;  /* owned, nullable: for the next load */
} Worker;

typedef enum
{
  JOB_LOAD,
  JOB_WRITE,
  JOB_QUIT,
} JobKind;

typedef struct
{
  JobKind       kind;
  GTask        *task;              /* owned, nullable: NULL when someone waits */
  GCancellable *cancellable;       /* owned, nullable */
  GPtrArray    *changes;           /* owned, nullable: of LensStoreChange */

  GPtrArray    *tasks;             /* owned, nullable: what a load found */
  char         *recovery_message;  /* owned, nullable */
  GError       *error;             /* owned, nullable */

  /* For write_sync, which waits for the worker. */
  GMutex        mutex;
  GCond         cond;
  gboolean      done;
} Job;

/* lens-task-store-db.c: in the worker thread only */
void lens_task_store_db_close (Worker *worker);
void lens_task_store_db_load  (Worker *worker,
                               Job    *job);
void lens_task_store_db_write (Worker *worker,
                               Job    *job);

G_END_DECLS
