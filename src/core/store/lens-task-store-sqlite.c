/* lens-task-store-sqlite.c — the SQLite habits every store connection shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store has four connections, each in its own thread: the worker's,
 * the reader's, the background check's and a salvage's. These are the few
 * things they all do the same way, written once.
 */

#include "config.h"

#include "lens-task-store-private.h"

/**
 * lens_task_store_step_done:
 *
 * Runs @stmt, which returns no rows, and makes it ready for the next use.
 *
 * Returns: SQLITE_OK, or the error
 */
int
lens_task_store_step_done (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/**
 * lens_task_store_cancelled_cb:
 * @user_data: a GCancellable
 *
 * A progress handler (sqlite3_progress_handler()) that interrupts the
 * statement running once @user_data is cancelled.
 */
int
lens_task_store_cancelled_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}
