/* lens-task-store-private.h — shared by the files of the task store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store is one class in eight files: lens-task-store.c (the GObject,
 * the async API, the job queues and the three threads that run the jobs),
 * lens-task-store-db.c (the writer's connection: opening, salvaging and
 * moving a damaged file aside, loading the summaries and writing changes,
 * on the worker thread), lens-task-store-schema.c (the migrations, run by
 * the worker as it opens the file), lens-task-store-salvage.c (what can be
 * read of a damaged file, copied into a new one, for the worker),
 * lens-task-store-reader.c (a second, read-only connection on the reader
 * thread: records on demand and search), lens-task-store-prompts.c (the
 * reader's copy of every prompt, for words too short for the index),
 * lens-task-store-check.c (the
 * file's check, on a third connection and thread, after the load, at most
 * once a day) and lens-task-store-record.c (a task made whole from its
 * stored record, for the worker and the reader alike). Calls go one way
 * only: store → db → schema, salvage → record, and check (what is damage,
 * when a check is due); store → reader → db (errors, marking damage),
 * check, record and prompts; store → check, which calls nobody.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "lens-task-store.h"

G_BEGIN_DECLS

/* How long a connection waits for another one's lock. */
#define LENS_TASK_STORE_BUSY_TIMEOUT_MS 5000

/* lens-task-store-sqlite.c: in any of the store's threads */
int       lens_task_store_step_done     (sqlite3_stmt       *stmt);
int       lens_task_store_cancelled_cb  (void               *user_data);

/* See the schema at the top of lens-task-store-db.c. */
#define LENS_TASK_STORE_SCHEMA_VERSION 8

/* What the load reads (lens-task-store-db.c): only the covering index
 * (tasks_summary), never a record, in the index's own order. Positions are
 * unique but in a damaged history, where equal ones follow by id (then
 * made consecutive again). Ordered by position and rowid, SQLite sorted
 * every row again in a temporary B-tree: 95 ms of the worker's load of
 * 100,000 tasks against 44 ms (the sqlite3 shell's .timer, on
 * bench-window's history). */
#define LENS_TASK_STORE_LOAD_SQL                                        \
  "SELECT id, position, rowid, state, progress, task_type, created_at," \
  "       finished_at, local_error, saved_path"                         \
  " FROM tasks INDEXED BY tasks_summary ORDER BY position, id"

/* Only ever touched by the worker thread. */
typedef struct
{
  GAsyncQueue  *queue;             /* owned */
  char         *path;              /* owned */
  int          *generation;        /* the store's: bumped each time the file is (re)opened */
  sqlite3      *db;                /* owned, nullable: until opened */
  sqlite3_stmt *put;               /* owned, nullable */
  sqlite3_stmt *delete;            /* owned, nullable */
  sqlite3_stmt *saved_path;        /* owned, nullable */
  JsonParser   *parser;            /* owned: for the records that PUTs bring */
  char         *recovery_message;  /* owned, nullable: for the next load */
} Worker;

/* lens-task-store-prompts.c: in the reader thread only */
typedef struct _LensStorePrompts LensStorePrompts;

LensStorePrompts *lens_store_prompts_read (sqlite3          *db,
                                           GCancellable     *cancellable,
                                           int              *out_rc);
gboolean          lens_store_prompts_find (LensStorePrompts *self,
                                           const char       *word,
                                           GHashTable       *found,
                                           GCancellable     *cancellable);
const char       *lens_store_prompts_id_of (LensStorePrompts *self,
                                            gint64            rowid);
void              lens_store_prompts_free (LensStorePrompts *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensStorePrompts, lens_store_prompts_free)

/* Only ever touched by the reader thread. */
typedef struct
{
  GAsyncQueue  *queue;             /* owned */
  char         *path;              /* owned */
  const int    *generation;        /* the store's: the worker's opening it follows */
  int           opened_generation; /* what *generation was when db was opened */
  sqlite3      *db;                /* owned, nullable: read-only (query_only) */
  gboolean      mapped;            /* db maps the file: once it searched */
  LensStorePrompts *prompts;       /* owned, nullable: for short words, while searching */
  gint64        prompts_version;   /* PRAGMA data_version when prompts were read */
} Reader;

typedef enum
{
  JOB_LOAD,
  JOB_WRITE,
  JOB_READ_RECORDS,
  JOB_SEARCH,
  JOB_PREPARE_SEARCH,  /* the reader readies its copy of the prompts, and frees the job */
  JOB_CHECK_PASSED,  /* the worker notes when the file passed its check, and frees the job */
  JOB_QUIT,
} JobKind;

typedef struct
{
  JobKind       kind;
  GTask        *task;              /* owned, nullable: NULL when someone waits */
  GCancellable *cancellable;       /* owned, nullable */
  GPtrArray    *changes;           /* owned, nullable: of LensStoreChange */
  GStrv         ids;               /* owned, nullable: READ_RECORDS, lower case */
  char         *word;              /* owned, nullable: SEARCH */

  GPtrArray    *tasks;             /* owned, nullable: what a load or a read found */
  GHashTable   *index;             /* owned, nullable: LOAD: the tasks by id (lens_task_list_index_tasks()) */
  GHashTable   *found;             /* owned, nullable: what a search found (set of ids) */
  LensStorePrompts *prompts;       /* unowned, nullable: SEARCH, in the reader, while it runs */
  char         *recovery_message;  /* owned, nullable */
  GError       *error;             /* owned, nullable */
  gboolean      check_due;         /* LOAD: the file's check should run now */
  guint         n_records;         /* LOAD: the first tasks that come with their details */
  GPtrArray    *first;             /* owned, nullable: LOAD: those tasks, read ahead of the rest */
  gpointer      ahead;             /* owned, nullable: LOAD: their way to the main thread (lens-task-store.c) */
  gboolean      damaged;           /* the job met damage; the file is marked */
  gint64        check_passed_at;   /* CHECK_PASSED: Unix seconds */

  /* For write_sync, which waits for the worker. */
  GMutex        mutex;
  GCond         cond;
  gboolean      done;
} Job;

/* The file's check runs again this long after it last passed. */
#define LENS_TASK_STORE_CHECK_INTERVAL_S (24 * 60 * 60)

typedef enum
{
  LENS_STORE_CHECK_PASSED,
  LENS_STORE_CHECK_DAMAGED,
  LENS_STORE_CHECK_NOT_RUN,   /* interrupted, or the file cannot be read for now */
} LensStoreCheckResult;

/* What a salvage kept of a damaged file. */
typedef struct
{
  guint   n_whole;     /* tasks copied whole */
  guint   n_relooked;  /* tasks only an index still knew: kept to look up again */
  gint64  n_total;     /* how many the file held, or -1 when no count reads */
} LensStoreSalvage;

/* lens-task-store-db.c: in the worker thread only */
void      lens_task_store_db_close      (Worker             *worker);
GPtrArray *lens_task_store_db_load_first (Worker           *worker,
                                          Job              *job);
void      lens_task_store_db_load       (Worker             *worker,
                                         Job                *job);
void      lens_task_store_db_write      (Worker             *worker,
                                         Job                *job);
void      lens_task_store_db_note_check_passed (Worker      *worker,
                                                Job         *job);
/* …and these in any thread. */
GError   *lens_task_store_db_error_new  (sqlite3            *db,
                                         int                 rc,
                                         LensTaskStoreError  code);
void      lens_task_store_db_mark_damaged (const char       *path,
                                           const char       *detail);

/* lens-task-store-salvage.c: in the worker thread */
int       lens_task_store_salvage_copy  (sqlite3            *from,
                                         sqlite3            *to,
                                         LensStoreSalvage   *out_salvage);

/* lens-task-store-check.c: pure, and run in the check's own thread */
gboolean             lens_task_store_check_is_due (gint64         last_passed,
                                                   gint64         now);
gboolean             lens_task_store_check_is_corrupt (int         rc);
LensStoreCheckResult lens_task_store_check_run    (const char    *path,
                                                   GCancellable  *cancellable,
                                                   char         **out_detail);

/* lens-task-store-schema.c: in the worker thread, inside worker_try_open() */
int       lens_task_store_schema_migrate (sqlite3           *db,
                                          int                from_version);

/* lens-task-store-reader.c: in the reader thread only */
void      lens_task_store_reader_close        (Reader *reader);
void      lens_task_store_reader_idle         (Reader *reader);
void      lens_task_store_reader_prepare      (Reader *reader);
void      lens_task_store_reader_read_records (Reader *reader,
                                               Job    *job);
void      lens_task_store_reader_search       (Reader *reader,
                                               Job    *job);

/* lens-task-store-record.c: in any thread */
gboolean    lens_task_store_record_is_stored_id     (const char    *id);
const char *lens_task_store_record_local_state_name (LensTaskState  state,
                                                     const char    *local_error);
LensTask   *lens_task_store_record_to_task          (const char    *id,
                                                     const char    *raw_json,
                                                     gssize         length,
                                                     const char    *local_state,
                                                     const char    *local_error,
                                                     JsonParser    *parser);
void        lens_task_store_record_bind_values      (sqlite3_stmt  *stmt,
                                                     int            first,
                                                     const char    *task_type,
                                                     const char    *prompt,
                                                     double         created_at,
                                                     double         finished_at);
void        lens_task_store_record_bind_details     (sqlite3_stmt  *stmt,
                                                     int            first,
                                                     LensTask      *record_task);
void        lens_task_store_record_bind_state       (sqlite3_stmt  *stmt,
                                                     int            first,
                                                     LensTaskState  state,
                                                     int            progress);

G_END_DECLS
