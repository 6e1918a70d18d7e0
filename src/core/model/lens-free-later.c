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

/* What is handed over waits in one array, which the thread takes whole:
 * a paste drops thousands of tasks' details, and one wakeup and one
 * allocation each would put back on the main thread some of what this
 * saves it. */
static GMutex       lock;
static GCond        all_freed;
static GArray      *pending;   /* of Garbage, nullable: handed over, not taken yet */
static gboolean     draining;  /* the thread has been asked to, and has not finished */
static GThreadPool *pool;      /* one thread at most, made on first use */

static void
drain (gpointer data,
       gpointer user_data)
{
  for (;;)
    {
      GArray *batch;

      g_mutex_lock (&lock);
      batch = g_steal_pointer (&pending);
      if (batch == NULL)
        {
          draining = FALSE;
          g_cond_broadcast (&all_freed);
          g_mutex_unlock (&lock);
          return;
        }
      g_mutex_unlock (&lock);

      for (guint i = 0; i < batch->len; i++)
        {
          Garbage *garbage = &g_array_index (batch, Garbage, i);

          garbage->destroy (garbage->data);
        }
      g_array_unref (batch);
    }
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
  Garbage garbage = { data, destroy };
  gboolean wake;

  g_return_if_fail (destroy != NULL);

  if (data == NULL)
    return;

  g_mutex_lock (&lock);
  if (pending == NULL)
    pending = g_array_new (FALSE, FALSE, sizeof (Garbage));
  g_array_append_val (pending, garbage);
  wake = !draining;
  draining = TRUE;
  if (pool == NULL)
    /* Not exclusive: the thread is one of GLib's shared ones, which goes
     * back to waiting in GLib's pool when there is nothing to free. */
    pool = g_thread_pool_new (drain, NULL, 1, FALSE, NULL);
  g_mutex_unlock (&lock);

  if (wake)
    g_thread_pool_push (pool, GINT_TO_POINTER (TRUE), NULL);
}

/**
 * lens_free_later_wait:
 *
 * Returns once everything handed to lens_free_later() so far is freed:
 * for tests.
 */
void
lens_free_later_wait (void)
{
  g_mutex_lock (&lock);
  while (draining)
    g_cond_wait (&all_freed, &lock);
  g_mutex_unlock (&lock);
}
