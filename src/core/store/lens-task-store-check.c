/* lens-task-store-check.c — the history's check, in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensTaskStore; see lens-task-store-private.h. SQLite's quick
 * check reads every page of the file: at 100,000 tasks some 200 MB, one to
 * four seconds. Run before every load, it was most of the start-up
 * (issue 9). It now runs after the load has returned, at most once a day,
 * in a thread of its own (started by lens-task-store.c) on a read-only
 * connection of its own, at the lowest CPU priority: in WAL mode it holds
 * up neither the worker's writes nor the reader's reads, and it may take
 * its time. Damage the load itself meets is still handled at once (the
 * load salvages what it can read); this check finds the rest, which the
 * next opening salvages.
 */

#define G_LOG_DOMAIN "lens-task-store"
/* SCHED_IDLE is Linux's; the check does without it elsewhere. */
#define _GNU_SOURCE

#include "config.h"

#include <pthread.h>
#include <sched.h>

#include "lens-task-store-private.h"

/* How many virtual machine steps between two looks at the cancellable. */
#define CANCEL_CHECK_STEPS  1000

/**
 * lens_task_store_check_is_due:
 * @last_passed: Unix seconds when the file last passed its check, or 0
 *   for never
 * @now: Unix seconds
 *
 * A file that passed less than a day ago is not checked again; one whose
 * last pass lies in the future (a clock set back) is.
 */
gboolean
lens_task_store_check_is_due (gint64 last_passed,
                              gint64 now)
{
  return last_passed <= 0 || last_passed > now
         || now - last_passed >= LENS_TASK_STORE_CHECK_INTERVAL_S;
}

/**
 * lens_task_store_check_is_corrupt:
 * @rc: what SQLite returned
 *
 * Damage, as opposed to an error of the moment (locked, full, read-only) or
 * of the statement (a constraint): the file itself cannot be read.
 */
gboolean
lens_task_store_check_is_corrupt (int rc)
{
  return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* The calling thread only: the rest of the app keeps its priority. */
static void
lower_priority (void)
{
#ifdef SCHED_IDLE
  struct sched_param param = { .sched_priority = 0 };
  int rc = pthread_setschedparam (pthread_self (), SCHED_IDLE, &param);

  if (rc != 0)
    g_debug ("The history's check keeps its CPU priority: %s", g_strerror (rc));
#endif
}

/**
 * lens_task_store_check_run:
 * @cancellable: interrupts the check (the app quits); an interrupted check
 *   did not run
 * @out_detail: (out) (optional): on damage, what SQLite found, for the log
 *
 * Runs the quick check of the file at @path, in the calling thread, whose
 * CPU priority it lowers for good: call it in a thread of its own.
 */
LensStoreCheckResult
lens_task_store_check_run (const char    *path,
                           GCancellable  *cancellable,
                           char         **out_detail)
{
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  LensStoreCheckResult result = LENS_STORE_CHECK_NOT_RUN;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  int rc;

  lower_priority ();

  rc = sqlite3_open_v2 (path, &db, flags, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, LENS_TASK_STORE_BUSY_TIMEOUT_MS);
      /* Like the reader's: never checkpoint into, nor remove, a -wal. */
      rc = sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    }
  if (rc == SQLITE_OK && cancellable != NULL)
    sqlite3_progress_handler (db, CANCEL_CHECK_STEPS, lens_task_store_cancelled_cb, cancellable);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *first = (const char *) sqlite3_column_text (stmt, 0);

      result = g_strcmp0 (first, "ok") == 0 ? LENS_STORE_CHECK_PASSED : LENS_STORE_CHECK_DAMAGED;
      detail = g_strdup (first);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK && lens_task_store_check_is_corrupt (rc))
    {
      result = LENS_STORE_CHECK_DAMAGED;
      detail = g_strdup (sqlite3_errmsg (db));
    }
  else if (rc != SQLITE_OK && !g_cancellable_is_cancelled (cancellable))
    g_message ("The task history could not be checked: %s", db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));

  sqlite3_close (db);
  if (out_detail != NULL)
    *out_detail = g_steal_pointer (&detail);
  return result;
}
