/* lens-task-store.c — the history of tasks, in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One database file, two connections, two threads, each connection only
 * ever used by its own thread, which the store starts and joins, so the
 * main thread never waits for the disk. The worker owns the connection
 * that writes: loads and writes go to it through a queue, which also keeps
 * writes in the order they were asked for. The reader owns a read-only
 * one: records on demand and searches go to it through a second queue, so
 * that they never wait behind a long write (WAL lets a reader read while
 * the writer writes). Each result goes back to the caller's main context
 * in an idle source, so that no GTask is ever dropped in a thread (and the
 * store can never be finalized there).
 *
 * A third thread checks the whole file after a load, at most once a day
 * (lens-task-store-check.c): it holds no reference to the store, which
 * interrupts it and joins it when it goes; a check cut short that way
 * counts as not run.
 *
 * The class spans several files; see lens-task-store-private.h. How the
 * database itself is kept safe (WAL, one transaction per write, a damaged
 * file salvaged and moved aside) is told in lens-task-store-db.c.
 */

#define G_LOG_DOMAIN "lens-task-store"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-task-list.h"
#include "lens-task-store-private.h"

/* After GLib's headers, which define __GLIBC__ on a GNU C library. */
#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __linux__
#include <errno.h>
#include <sys/resource.h>
#endif

/* How long the reader keeps its copy of the prompts after the last job: a
 * user typing a search makes a keystroke a second at least, and the copy
 * (some 10 MB for 100,000 short prompts) is only for a search. */
#define READER_IDLE_US (30 * G_USEC_PER_SEC)

struct _LensTaskStore
{
  GObject      parent_instance;

  char        *path;               /* owned */
  GAsyncQueue *queue;              /* owned: of Job, to the worker */
  GThread     *thread;             /* owned */
  GAsyncQueue *reader_queue;       /* owned: of Job, to the reader */
  GThread     *reader_thread;      /* owned */
  int          generation;         /* atomic: how often the worker opened the file */
  GThread     *check_thread;       /* owned, nullable: until a load asks for a check */
  GCancellable *check_cancellable; /* owned: interrupts the check when the store goes */
  gboolean     damage_said;        /* "damaged" is emitted once */
  guint        load_records;       /* a load reads the records of this many first tasks */
};

/* What the check thread works with: never the store itself. */
typedef struct
{
  char         *path;              /* owned */
  GAsyncQueue  *worker_queue;      /* owned: to note a pass */
  GCancellable *cancellable;       /* owned */
  GMainContext *context;           /* owned: where to say it found damage */
  GWeakRef      store;
} Check;

G_DEFINE_FINAL_TYPE (LensTaskStore, lens_task_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  SIGNAL_DAMAGED,
  SIGNAL_FIRST_TASKS_LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The tasks a load read ahead, on their way to the main thread: said by
 * whichever comes first there, their own idle or the load's end, so that
 * they always come before it. */
typedef struct
{
  GTask     *task;   /* owned: the load's */
  GPtrArray *tasks;  /* owned, nullable: NULL once said */
} Ahead;

static void
ahead_clear (Ahead *ahead)
{
  g_clear_object (&ahead->task);
  g_clear_pointer (&ahead->tasks, g_ptr_array_unref);
}

static void
ahead_release (gpointer ahead)
{
  g_atomic_rc_box_release_full (ahead, (GDestroyNotify) ahead_clear);
}

/* In the load's context. */
static void
ahead_say (Ahead *ahead)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&ahead->tasks);

  if (tasks == NULL || g_cancellable_is_cancelled (g_task_get_cancellable (ahead->task)))
    return;
  g_signal_emit (g_task_get_source_object (ahead->task), signals[SIGNAL_FIRST_TASKS_LOADED], 0, tasks);
}

static gboolean
ahead_say_cb (gpointer user_data)
{
  ahead_say (user_data);
  return G_SOURCE_REMOVE;
}

/* In the worker, as soon as they are read. */
static void
ahead_send (Job *job)
{
  Ahead *ahead = g_atomic_rc_box_new0 (Ahead);
  GSource *source;

  ahead->task = g_object_ref (job->task);
  ahead->tasks = g_ptr_array_ref (job->first);
  job->ahead = g_atomic_rc_box_acquire (ahead);

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, ahead_say_cb, ahead, ahead_release);
  g_source_set_static_name (source, "[lens-task-store] first tasks loaded");
  g_source_attach (source, g_task_get_context (job->task));
  g_source_unref (source);
}

static Job *
job_new (JobKind       kind,
         GTask        *task,
         GCancellable *cancellable,
         GPtrArray    *changes)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->task = task != NULL ? g_object_ref (task) : NULL;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->changes = changes != NULL ? g_ptr_array_ref (changes) : NULL;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  return job;
}

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->changes, g_ptr_array_unref);
  g_clear_pointer (&job->ids, g_strfreev);
  g_clear_pointer (&job->word, g_free);
  g_clear_pointer (&job->tasks, g_ptr_array_unref);
  g_clear_pointer (&job->first, g_ptr_array_unref);
  g_clear_pointer (&job->ahead, ahead_release);
  g_clear_pointer (&job->index, g_hash_table_unref);
  g_clear_pointer (&job->found, g_hash_table_unref);
  g_clear_pointer (&job->recovery_message, g_free);
  g_clear_error (&job->error);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
}

/* ─── the worker thread ────────────────────────────────────────────────── */

static void start_check (LensTaskStore *self,
                         GMainContext  *context);

/* The first time only: the file is marked, and saying it again at every
 * failed read or write would say nothing new. */
static void
say_damaged (LensTaskStore *self)
{
  g_autoptr(GError) error = NULL;

  if (self->damage_said)
    return;
  self->damage_said = TRUE;
  error = g_error_new_literal (LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_DAMAGED,
                               _("The task history file is damaged. Start Tasklens again to keep "
                                 "the tasks it can still read; the damaged file will be set aside, "
                                 "not deleted."));
  g_signal_emit (self, signals[SIGNAL_DAMAGED], 0, error);
}

static gboolean
job_complete_cb (gpointer user_data)
{
  Job *job = user_data;
  LensTaskStore *self = g_task_get_source_object (job->task);

  if (job->ahead != NULL)
    ahead_say (job->ahead);
  if (job->damaged)
    say_damaged (self);
  if (job->kind == JOB_LOAD && job->check_due && job->error == NULL)
    start_check (self, g_task_get_context (job->task));

  /* A load says what it recovered from even when it failed after. */
  if (job->kind == JOB_LOAD)
    g_task_set_task_data (job->task, g_steal_pointer (&job->recovery_message), g_free);
  if (job->index != NULL)
    g_object_set_data_full (G_OBJECT (job->task), "lens-task-store-index", g_steal_pointer (&job->index),
                            (GDestroyNotify) g_hash_table_unref);

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else if (job->kind == JOB_LOAD || job->kind == JOB_READ_RECORDS)
    g_task_return_pointer (job->task, g_steal_pointer (&job->tasks), (GDestroyNotify) g_ptr_array_unref);
  else if (job->kind == JOB_SEARCH)
    g_task_return_pointer (job->task, g_steal_pointer (&job->found), (GDestroyNotify) g_hash_table_unref);
  else
    g_task_return_boolean (job->task, TRUE);

  return G_SOURCE_REMOVE;
}

static void
job_complete (Job *job)
{
  GSource *source;

  if (job->task == NULL)
    {
      g_mutex_lock (&job->mutex);
      job->done = TRUE;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
      return;
    }

  /* Not g_main_context_invoke(): when nobody iterates the caller's context,
   * it would run the callback here, in the worker. */
  source = g_idle_source_new ();
  /* A load that gave its first screen ahead (#LensTaskStore::first-tasks-loaded)
   * returns the rest once the main loop has nothing more urgent: after
   * the frame that draws that screen, rather than in it. */
  g_source_set_priority (source, job->ahead != NULL ? G_PRIORITY_LOW : G_PRIORITY_DEFAULT);
  g_source_set_callback (source, job_complete_cb, job, (GDestroyNotify) job_free);
  g_source_set_static_name (source, "[lens-task-store] job complete");
  g_source_attach (source, g_task_get_context (job->task));
  g_source_unref (source);
}

/* A load reads every page of the file once (the quick check, then the
 * summaries) and builds every task here: the pages will not be read again
 * soon, and what the load freed stays in this thread's malloc arena. Both
 * go back to the system, so that a long history does not keep its load's
 * working memory for the whole session. */
static void
release_load_memory (Worker *worker)
{
  if (worker->db != NULL)
    sqlite3_db_release_memory (worker->db);
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

/* The writer and the check work in the background: where both CPUs are
 * busy, they give way to the main thread, and to the X server it waits on
 * in every frame. Under bench-paste, on two cores, the writer took 0.8 s
 * of CPU in a paste's 1.5 s, and the main thread waited up to 18 ms at a
 * time for a CPU (its schedstat). Linux's nice applies to the calling
 * thread alone. The writer gives way only once its first job is done: that
 * is the history's load, which the first rows wait for, while the main
 * thread and the X server are busiest making the window. */
static void
give_way_to_the_main_thread (void)
{
#ifdef __linux__
  if (setpriority (PRIO_PROCESS, 0, 10) != 0)
    g_debug ("Could not lower the store's thread's priority: %s", g_strerror (errno));
#endif
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  gboolean given_way = FALSE;

  for (;;)
    {
      Job *job = g_async_queue_pop (worker->queue);
      JobKind kind;

      if (job->kind == JOB_QUIT)
        {
          job_free (job);
          break;
        }
      if (job->kind == JOB_CHECK_PASSED)
        {
          lens_task_store_db_note_check_passed (worker, job);
          job_free (job);
          continue;
        }

      kind = job->kind;
      if (kind == JOB_LOAD)
        {
          /* The first screen, then the rest, which the first rows need not
           * wait for: the main thread is still building the window, and
           * the whole of a long history is a tenth of a second of CPU. */
          job->first = lens_task_store_db_load_first (worker, job);
          if (job->first != NULL && job->task != NULL)
            {
              ahead_send (job);
              if (!given_way)
                {
                  give_way_to_the_main_thread ();
                  given_way = TRUE;
                }
            }
          lens_task_store_db_load (worker, job);
          /* Hashing 100,000 ids here, not in the main loop, and without
           * another trip to a thread that a busy main loop would delay
           * (lens_task_store_load_steal_index()). */
          if (job->tasks != NULL)
            job->index = lens_task_list_index_tasks (job->tasks);
        }
      else
        lens_task_store_db_write (worker, job);
      if (!given_way)
        {
          give_way_to_the_main_thread ();
          given_way = TRUE;
        }
      job_complete (job);
      /* Once the tasks are on their way to the main thread. */
      if (kind == JOB_LOAD)
        release_load_memory (worker);
    }

  lens_task_store_db_close (worker);
  g_async_queue_unref (worker->queue);
  g_free (worker->path);
  g_free (worker->recovery_message);
  g_free (worker);
  return NULL;
}

static gpointer
reader_thread (gpointer data)
{
  Reader *reader = data;

  for (;;)
    {
      Job *job = reader->prompts != NULL ? g_async_queue_timeout_pop (reader->queue, READER_IDLE_US)
                                         : g_async_queue_pop (reader->queue);

      if (job == NULL)
        {
          lens_task_store_reader_idle (reader);
          continue;
        }
      if (job->kind == JOB_QUIT)
        {
          job_free (job);
          break;
        }
      if (job->kind == JOB_PREPARE_SEARCH)
        {
          lens_task_store_reader_prepare (reader);
          job_free (job);
          continue;
        }

      if (job->kind == JOB_READ_RECORDS)
        lens_task_store_reader_read_records (reader, job);
      else
        lens_task_store_reader_search (reader, job);
      job_complete (job);
    }

  lens_task_store_reader_close (reader);
  g_async_queue_unref (reader->queue);
  g_free (reader->path);
  g_free (reader);
  return NULL;
}

/* ─── the check thread ─────────────────────────────────────────────────── */

static void
check_free (Check *check)
{
  g_free (check->path);
  g_async_queue_unref (check->worker_queue);
  g_object_unref (check->cancellable);
  g_main_context_unref (check->context);
  g_weak_ref_clear (&check->store);
  g_free (check);
}

/* On the store's context: the store may be gone by now. */
static gboolean
check_found_damage_cb (gpointer user_data)
{
  Check *check = user_data;
  g_autoptr(LensTaskStore) self = g_weak_ref_get (&check->store);

  if (self != NULL)
    say_damaged (self);
  return G_SOURCE_REMOVE;
}

static gpointer
check_thread (gpointer data)
{
  Check *check = data;
  gint64 started = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *detail = NULL;
  GSource *source;
  Job *job;

  give_way_to_the_main_thread ();
  switch (lens_task_store_check_run (check->path, check->cancellable, &detail))
    {
    case LENS_STORE_CHECK_PASSED:
      /* Written by the worker, between two of its writes. */
      job = job_new (JOB_CHECK_PASSED, NULL, NULL, NULL);
      job->check_passed_at = started;
      g_async_queue_push (check->worker_queue, job);
      check_free (check);
      break;
    case LENS_STORE_CHECK_DAMAGED:
      /* Marked here, at once: the app may be quitting. */
      lens_task_store_db_mark_damaged (check->path, detail);
      source = g_idle_source_new ();
      g_source_set_callback (source, check_found_damage_cb, check, (GDestroyNotify) check_free);
      g_source_set_static_name (source, "[lens-task-store] check found damage");
      g_source_attach (source, check->context);
      g_source_unref (source);
      break;
    case LENS_STORE_CHECK_NOT_RUN:
    default:
      check_free (check);
      break;
    }
  return NULL;
}

/* After a load that found the check due; once per store. */
static void
start_check (LensTaskStore *self,
             GMainContext  *context)
{
  Check *check;

  if (self->check_thread != NULL)
    return;
  check = g_new0 (Check, 1);
  check->path = g_strdup (self->path);
  check->worker_queue = g_async_queue_ref (self->queue);
  check->cancellable = g_object_ref (self->check_cancellable);
  check->context = g_main_context_ref (context);
  g_weak_ref_init (&check->store, self);
  self->check_thread = g_thread_new ("store-check", check_thread, check);
}

/* ─── changes ──────────────────────────────────────────────────────────── */

/**
 * lens_store_change_new_put_taking:
 * @task: the task, whose id and state are copied
 * @position: its place in the list
 * @raw_json: (transfer full) (nullable): the record to store, as the task
 *   had it when it changed; %NULL keeps the stored one
 * @added_at: when it was first added (Unix seconds; 0 for now), kept when
 *   the task is already stored
 * @checked_at: when the server last answered for it, or 0 to keep what is
 *   stored
 *
 * The history's way: it holds each record it has yet to write, and hands
 * it over instead of copying it (10,000 records are 11 MB to copy on the
 * main thread).
 */
LensStoreChange *
lens_store_change_new_put_taking (LensTask *task,
                                  gint64    position,
                                  char     *raw_json,
                                  gint64    added_at,
                                  gint64    checked_at)
{
  LensStoreChange *change;

  g_return_val_if_fail (LENS_IS_TASK (task), NULL);

  change = g_new0 (LensStoreChange, 1);
  change->kind = LENS_STORE_CHANGE_PUT;
  change->id = g_strdup (lens_task_get_id (task));
  change->position = position;
  change->raw_json = raw_json;
  /* The server's whole answer for an unknown id is {}: kept as such, it
   * loads as not found, and is not asked for again at every start. */
  if (change->raw_json == NULL && lens_task_get_state (task) == LENS_TASK_STATE_NOT_FOUND)
    change->raw_json = g_strdup ("{}");
  change->added_at = added_at;
  change->checked_at = checked_at;
  change->local_state = lens_task_get_state (task);
  change->progress = lens_task_get_progress (task);
  change->local_error = g_strdup (lens_task_get_local_error (task));
  return change;
}

/**
 * lens_store_change_new_put:
 * @raw_json: (nullable): copied
 *
 * As lens_store_change_new_put_taking(), with a copy of @raw_json.
 */
LensStoreChange *
lens_store_change_new_put (LensTask   *task,
                           gint64      position,
                           const char *raw_json,
                           gint64      added_at,
                           gint64      checked_at)
{
  return lens_store_change_new_put_taking (task, position, g_strdup (raw_json), added_at, checked_at);
}

/**
 * lens_store_change_set_details:
 * @change: a PUT with a record
 * @task: the task that record was applied to: its type and times are the
 *   record's
 * @prompt: (transfer full) (nullable): the record's prompt, as the task
 *   had it when the record came (its details may be gone since)
 *
 * Hands the store what its summary columns keep of the record, so that its
 * worker does not parse the record again for it: that was a third of the
 * worker's time while 10,000 pasted ids were answered (perf), on a machine
 * whose two cores the main thread shares.
 */
void
lens_store_change_set_details (LensStoreChange *change,
                               LensTask        *task,
                               char            *prompt)
{
  g_return_if_fail (change != NULL && change->kind == LENS_STORE_CHANGE_PUT);
  g_return_if_fail (LENS_IS_TASK (task));

  change->has_details = TRUE;
  change->task_type = g_strdup (lens_task_get_task_type (task));
  g_free (change->prompt);
  change->prompt = prompt;
  change->created_at = lens_task_get_created_at (task);
  change->finished_at = lens_task_get_finished_at (task);
}

LensStoreChange *
lens_store_change_new_delete (const char *id)
{
  LensStoreChange *change;

  g_return_val_if_fail (id != NULL, NULL);

  change = g_new0 (LensStoreChange, 1);
  change->kind = LENS_STORE_CHANGE_DELETE;
  change->id = g_strdup (id);
  return change;
}

/**
 * lens_store_change_new_saved_path:
 * @path: (nullable): where the task's original was saved; NULL forgets it
 */
LensStoreChange *
lens_store_change_new_saved_path (const char *id,
                                  const char *path)
{
  LensStoreChange *change;

  g_return_val_if_fail (id != NULL, NULL);

  change = g_new0 (LensStoreChange, 1);
  change->kind = LENS_STORE_CHANGE_SAVED_PATH;
  change->id = g_strdup (id);
  change->saved_path = g_strdup (path);
  return change;
}

void
lens_store_change_free (LensStoreChange *change)
{
  if (change == NULL)
    return;
  g_free (change->id);
  g_free (change->raw_json);
  g_free (change->local_error);
  g_free (change->saved_path);
  g_free (change->task_type);
  g_free (change->prompt);
  g_free (change);
}

/* ─── the store ────────────────────────────────────────────────────────── */

static void
lens_task_store_constructed (GObject *object)
{
  LensTaskStore *self = LENS_TASK_STORE (object);
  Worker *worker = g_new0 (Worker, 1);
  Reader *reader = g_new0 (Reader, 1);

  G_OBJECT_CLASS (lens_task_store_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = lens_task_store_default_path ();
  self->check_cancellable = g_cancellable_new ();

  /* Both threads hold a pointer to the generation: the store joins them
   * before it goes. */
  self->queue = g_async_queue_new ();
  worker->queue = g_async_queue_ref (self->queue);
  worker->path = g_strdup (self->path);
  worker->generation = &self->generation;
  self->thread = g_thread_new ("store-writer", worker_thread, worker);

  self->reader_queue = g_async_queue_new ();
  reader->queue = g_async_queue_ref (self->reader_queue);
  reader->path = g_strdup (self->path);
  reader->generation = &self->generation;
  self->reader_thread = g_thread_new ("store-reader", reader_thread, reader);
}

static void
lens_task_store_finalize (GObject *object)
{
  LensTaskStore *self = LENS_TASK_STORE (object);

  /* The check first, so that a pass it noted reaches the worker before it
   * quits. */
  g_cancellable_cancel (self->check_cancellable);
  if (self->check_thread != NULL)
    g_thread_join (self->check_thread);
  g_object_unref (self->check_cancellable);

  /* Every job holds a reference to the store until its result is back on
   * the caller's context, so the queue is empty here and the worker never
   * holds the last reference: joining cannot wait for ourselves. */
  g_async_queue_push (self->queue, job_new (JOB_QUIT, NULL, NULL, NULL));
  g_async_queue_push (self->reader_queue, job_new (JOB_QUIT, NULL, NULL, NULL));
  g_thread_join (self->thread);
  g_thread_join (self->reader_thread);
  g_async_queue_unref (self->queue);
  g_async_queue_unref (self->reader_queue);
  g_free (self->path);

  G_OBJECT_CLASS (lens_task_store_parent_class)->finalize (object);
}

static void
lens_task_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LensTaskStore *self = LENS_TASK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LensTaskStore *self = LENS_TASK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_store_class_init (LensTaskStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lens_task_store_constructed;
  object_class->finalize = lens_task_store_finalize;
  object_class->get_property = lens_task_store_get_property;
  object_class->set_property = lens_task_store_set_property;

  /**
   * LensTaskStore:path:
   *
   * The database file; NULL at construction means
   * lens_task_store_default_path().
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensTaskStore::damaged:
   * @error: what to tell the user (%LENS_TASK_STORE_ERROR_DAMAGED)
   *
   * The history file was found damaged after the load: by its check, or a
   * read or write that met damage. The file is marked, and the next
   * opening salvages what it can read of it. Emitted once.
   */
  signals[SIGNAL_DAMAGED] =
    g_signal_new ("damaged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * LensTaskStore::first-tasks-loaded:
   * @tasks: (element-type LensTask): the first tasks of the history, in
   *   order, with their details; not to be changed
   *
   * During a load (lens_task_store_load_async()) that reads the records of
   * a first screen of tasks (lens_task_store_set_load_records()), as soon
   * as those tasks are read, while the rest of the history still is: a
   * start-up can show them without waiting for 100,000 more. Always before
   * the load returns, whose first tasks are then these same objects,
   * unless the file changed in between (it was found damaged and
   * salvaged); the load may also fail after it, for want of a file it
   * can read further. Not emitted for an empty history, nor when the
   * load is cancelled first.
   */
  signals[SIGNAL_FIRST_TASKS_LOADED] =
    g_signal_new ("first-tasks-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
lens_task_store_init (LensTaskStore *self)
{
}

/**
 * lens_task_store_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/tasklens/tasks.db` (under
 *   Flatpak, the application's own data directory)
 */
char *
lens_task_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tasklens", "tasks.db", NULL);
}

/**
 * lens_task_store_new:
 * @path: (nullable): the database file, made (with its directory) when
 *   missing; NULL for lens_task_store_default_path()
 *
 * Nothing is opened until the first load or write.
 */
LensTaskStore *
lens_task_store_new (const char *path)
{
  return g_object_new (LENS_TYPE_TASK_STORE, "path", path, NULL);
}

const char *
lens_task_store_get_path (LensTaskStore *self)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (self), NULL);
  return self->path;
}

/**
 * lens_task_store_set_load_records:
 * @n_tasks: how many of the first tasks a load returns with their details
 *
 * A load returns only summaries, unless told to read the records of a
 * first screen of tasks too (0 by default): in the same job, they reach
 * the list with the tasks, before its first rows are drawn, rather than a
 * trip to the reader later, once the rows ask (issue 9). Those tasks are
 * read first and said at once (#LensTaskStore::first-tasks-loaded), while
 * the rest is read; the load then returns at low priority, after what the
 * main loop had to do with them (a frame that draws them). Applies to the
 * loads started afterwards.
 */
void
lens_task_store_set_load_records (LensTaskStore *self,
                                  guint          n_tasks)
{
  g_return_if_fail (LENS_IS_TASK_STORE (self));
  self->load_records = n_tasks;
}

/**
 * lens_task_store_load_async:
 *
 * Opens the database (making it, or salvaging what it can read of a
 * damaged one into a new one), brings its schema up to date and makes a
 * LensTask of every row from its summary columns alone (no details: see
 * lens_task_store_read_records_async()), in the list's order, all in the
 * store's worker. Afterwards the positions in the database are 0 … n−1 in
 * the order returned. When the file's check is due (it last passed a day
 * ago or more), it starts after the load has returned (see
 * #LensTaskStore::damaged).
 */
void
lens_task_store_load_async (LensTaskStore       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (LENS_IS_TASK_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_task_store_load_async);
  job = job_new (JOB_LOAD, task, cancellable, NULL);
  job->n_records = self->load_records;
  g_async_queue_push (self->queue, job);
}

/**
 * lens_task_store_load_finish:
 * @out_recovery_message: (out) (optional) (nullable): set when the old
 *   database could not be used and was moved aside: what happened, how many
 *   tasks were kept of it, and where the old file is, to show to the user
 *   (also when the load then failed); NULL otherwise
 *
 * Fails with %LENS_TASK_STORE_ERROR_OPEN only when no database at all could
 * be used; the app then runs without history.
 *
 * Returns: (transfer full) (element-type LensTask): the stored tasks, in
 *   order, each as its summary says (lens_task_has_details() FALSE)
 */
GPtrArray *
lens_task_store_load_finish (LensTaskStore  *self,
                             GAsyncResult   *result,
                             char          **out_recovery_message,
                             GError        **error)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_task_store_load_async, NULL);

  if (out_recovery_message != NULL)
    *out_recovery_message = g_strdup (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lens_task_store_load_steal_index:
 * @result: what lens_task_store_load_finish() was given, after it returned
 *   the tasks
 *
 * Returns: (transfer full) (nullable): the loaded tasks by id, made in the
 *   store's worker, for lens_task_list_append_indexed(); %NULL when the load
 *   failed or the index was taken already
 */
GHashTable *
lens_task_store_load_steal_index (LensTaskStore *self,
                                  GAsyncResult  *result)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_object_steal_data (G_OBJECT (result), "lens-task-store-index");
}

/**
 * lens_task_store_write_async:
 * @changes: (element-type LensStoreChange): the changes, applied in order in
 *   one transaction; the store keeps a reference, so do not change the
 *   array afterwards
 * @cancellable: (nullable): cancels the write if it has not started yet
 *
 * Writes are applied in the order they were asked for, behind any load.
 */
void
lens_task_store_write_async (LensTaskStore       *self,
                             GPtrArray           *changes,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LENS_IS_TASK_STORE (self));
  g_return_if_fail (changes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_task_store_write_async);
  /* A transaction that ran is reported as done even if cancelled since. */
  g_task_set_check_cancellable (task, FALSE);
  g_async_queue_push (self->queue, job_new (JOB_WRITE, task, cancellable, changes));
}

/**
 * lens_task_store_write_finish:
 *
 * Returns: TRUE when every change was written; on failure none was
 *   (%LENS_TASK_STORE_ERROR_WRITE, or %LENS_TASK_STORE_ERROR_OPEN when the
 *   database could not be opened)
 */
gboolean
lens_task_store_write_finish (LensTaskStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_task_store_write_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lens_task_store_write_sync:
 * @changes: (element-type LensStoreChange): as for lens_task_store_write_async()
 *
 * Writes and waits, behind every write asked for before: for shutdown and
 * for tests only, never while the app runs.
 */
gboolean
lens_task_store_write_sync (LensTaskStore  *self,
                            GPtrArray      *changes,
                            GError        **error)
{
  Job *job;
  gboolean ok;

  g_return_val_if_fail (LENS_IS_TASK_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  job = job_new (JOB_WRITE, NULL, NULL, changes);
  g_async_queue_push (self->queue, job);

  g_mutex_lock (&job->mutex);
  while (!job->done)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  ok = job->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&job->error));
  job_free (job);
  return ok;
}

/**
 * lens_task_store_read_records_async:
 * @ids: the ids whose records to read (any case)
 * @cancellable: (nullable): stops between two records
 *
 * Reads the tasks' records on the store's reader connection, which never
 * waits for the worker's writes (it sees what they committed), and makes
 * each task whole: its record, with the state Tasklens decided beside it
 * (stalled, not found, failed with a reason) restored over it, as a load
 * before version 5 did. Before the first load has opened the history,
 * nothing is found.
 */
void
lens_task_store_read_records_async (LensTaskStore       *self,
                                    const char * const  *ids,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;
  guint n_ids;

  g_return_if_fail (LENS_IS_TASK_STORE (self));
  g_return_if_fail (ids != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_task_store_read_records_async);
  job = job_new (JOB_READ_RECORDS, task, cancellable, NULL);
  n_ids = g_strv_length ((GStrv) ids);
  job->ids = g_new0 (char *, n_ids + 1);
  for (guint i = 0; i < n_ids; i++)
    job->ids[i] = g_ascii_strdown (ids[i], -1);
  g_async_queue_push (self->reader_queue, job);
}

/**
 * lens_task_store_read_records_finish:
 *
 * Returns: (transfer full) (element-type LensTask): the tasks found, with
 *   their details, in any order; an id not stored is simply not there
 */
GPtrArray *
lens_task_store_read_records_finish (LensTaskStore  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_task_store_read_records_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lens_task_store_search_async:
 * @word: what to look for (UTF-8)
 * @cancellable: (nullable): interrupts the search, also in the middle
 *
 * Finds the stored tasks whose prompt contains @word, ignoring case, on
 * the store's reader connection (ids are not searched: they are all in
 * memory, where the finder compares them). A word of 3 characters or
 * more is looked up in the trigram index, with Unicode case folding; a
 * shorter one is a scan, which ignores the case of ASCII letters only. An
 * empty word is in every prompt. Cancel an older search when a newer one starts: it
 * stops at once, and the newer one does not wait for it.
 */
void
lens_task_store_search_async (LensTaskStore       *self,
                              const char          *word,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (LENS_IS_TASK_STORE (self));
  g_return_if_fail (word != NULL && g_utf8_validate (word, -1, NULL));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_task_store_search_async);
  job = job_new (JOB_SEARCH, task, cancellable, NULL);
  job->word = g_strdup (word);
  g_async_queue_push (self->reader_queue, job);
}

/**
 * lens_task_store_prepare_search:
 *
 * Says that a search is about to start (the user began typing one): the
 * reader makes ready, in its thread, what words too short for the index
 * are looked for in, so that the search itself does not wait for it. Does
 * nothing when that is ready already.
 */
void
lens_task_store_prepare_search (LensTaskStore *self)
{
  g_return_if_fail (LENS_IS_TASK_STORE (self));

  g_async_queue_push (self->reader_queue, job_new (JOB_PREPARE_SEARCH, NULL, NULL, NULL));
}

/**
 * lens_task_store_search_finish:
 *
 * Returns: (transfer full) (element-type utf8 utf8): the set of the ids
 *   found (lower case; keys only, g_str_hash), or NULL with
 *   %G_IO_ERROR_CANCELLED when cancelled
 */
GHashTable *
lens_task_store_search_finish (LensTaskStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (LENS_IS_TASK_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_task_store_search_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
