/* lens-free-later.c — what a worker made, freed by a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * glibc gives each thread an arena of its own, and free() of a chunk takes
 * the lock of the arena it came from. Records parsed and prepared in a
 * worker were freed on the main thread once applied (and again when a task
 * off screen dropped its details): during a paste of 10,000 ids the main
 * thread went to sleep on a worker's arena lock some 120 times, for up to
 * 28 ms at once, when the worker holding it had been preempted on a busy
 * machine (HACKING.md, "Where a stall comes from"). What the main thread has
 * done with is handed here instead, and freed on a thread of its own,
 * which may wait for that lock as long as it likes.
 *
 * Only plain data goes here — strings, arrays, structs of them — nothing
 * whose destruction must happen on the main thread (GObjects with signal
 * handlers, anything a main context owns).
 */

#define G_LOG_DOMAIN "lens-free-later"

#include "config.h"

#include "lens-free-later.h"

typedef struct
{
  gpointer       data;
  GDestroyNotify destroy;
} Garbage;

static GMutex       lock;
static GCond        all_freed;
static GThreadPool *pool;      /* one thread at most, made on first use */
static guint        n_pending; /* handed over, not yet freed */

static void
free_garbage (gpointer data,
              gpointer user_data)
{
  Garbage *garbage = data;

  garbage->destroy (garbage->data);
  g_free (garbage);

  g_mutex_lock (&lock);
  if (--n_pending == 0)
    g_cond_broadcast (&all_freed);
  g_mutex_unlock (&lock);
}

/**
 * lens_free_later:
 * @data: (transfer full) (nullable): what to free; nothing happens for %NULL
 * @destroy: frees @data, on another thread
 *
 * Frees @data on a thread of its own, soon. May be called from any thread;
 * @data must not be used afterwards by anyone.
 */
void
lens_free_later (gpointer       data,
                 GDestroyNotify destroy)
{
  Garbage *garbage;

  g_return_if_fail (destroy != NULL);

  if (data == NULL)
    return;

  garbage = g_new (Garbage, 1);
  garbage->data = data;
  garbage->destroy = destroy;

  g_mutex_lock (&lock);
  if (pool == NULL)
    /* Not exclusive: the thread is one of GLib's shared ones, which goes
     * back to waiting in GLib's pool when there is nothing to free. */
    pool = g_thread_pool_new (free_garbage, NULL, 1, FALSE, NULL);
  n_pending++;
  g_mutex_unlock (&lock);

  g_thread_pool_push (pool, garbage, NULL);
}

/**
 * lens_free_later_wait:
 *
 * Returns once everything handed to lens_free_later() so far is freed:
 * for tests, and for leak checkers at exit.
 */
void
lens_free_later_wait (void)
{
  g_mutex_lock (&lock);
  while (n_pending > 0)
    g_cond_wait (&all_freed, &lock);
  g_mutex_unlock (&lock);
}
