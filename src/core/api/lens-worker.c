/* lens-worker.c — bytes parsed in a worker thread, for a GTask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A whole API answer or an imported file is parsed off the main thread, so
 * that a large one never stalls it. The worker needs a GTask of its own
 * (the caller's task carries the caller's data), whose result is then
 * handed on to the caller's task: that relay lives here, once.
 */

#define G_LOG_DOMAIN "lens-worker"

#include "config.h"

#include "lens-worker.h"

typedef struct
{
  GBytes              *bytes;        /* owned */
  LensWorkerParseFunc  parse;
  GDestroyNotify       result_free;  /* nullable */
} Job;

static void
job_free (Job *job)
{
  g_bytes_unref (job->bytes);
  g_free (job);
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  gpointer result = job->parse (job->bytes, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job->result_free);
}

static void
parsed_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gpointer parsed = g_task_propagate_pointer (G_TASK (result), &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, parsed, job->result_free);
}

/**
 * lens_worker_parse_bytes:
 * @task: (transfer full): the caller's task, which the result ends
 * @bytes: what to parse
 * @parse: (scope async): run over @bytes in a worker thread
 * @result_free: (nullable): frees what @parse returns
 *
 * Runs @parse over @bytes in a worker thread and returns its result, or
 * its error, from @task, on @task's main context. Cancelling @task's
 * cancellable returns %G_IO_ERROR_CANCELLED instead.
 */
void
lens_worker_parse_bytes (GTask               *task,
                         GBytes              *bytes,
                         LensWorkerParseFunc  parse,
                         GDestroyNotify       result_free)
{
  g_autoptr(GTask) worker = NULL;
  Job *job;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (parse != NULL);

  job = g_new0 (Job, 1);
  job->bytes = g_bytes_ref (bytes);
  job->parse = parse;
  job->result_free = result_free;

  worker = g_task_new (NULL, g_task_get_cancellable (task), parsed_cb, task);
  g_task_set_source_tag (worker, lens_worker_parse_bytes);
  g_task_set_static_name (worker, "[tasklens] parse");
  g_task_set_task_data (worker, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (worker, parse_in_thread);
}
