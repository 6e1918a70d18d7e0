/* test-free-later.c — what a worker made is freed by a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lens_free_later() hands memory the main thread is done with to a thread
 * of its own, so that the main thread never waits for the lock of the
 * arena a worker allocated it from (lens-free-later.c).
 */

#include "config.h"

#include <string.h>

#include "lens-free-later.h"
#include "lens-test.h"

typedef struct
{
  GThread *freed_on;  /* the thread that freed it */
  gint     n_freed;
} Freed;

static Freed freed;

static void
note_freed (gpointer data)
{
  /* Only this test's thread reads it, after lens_free_later_wait(). */
  freed.freed_on = g_thread_self ();
  g_atomic_int_inc (&freed.n_freed);
  g_free (data);
}

/* Freed, and not on the thread that handed it over. */
static void
test_freed_on_another_thread (void)
{
  memset (&freed, 0, sizeof freed);

  lens_free_later (g_strdup ("a record"), note_freed);
  lens_free_later_wait ();

  g_assert_cmpint (g_atomic_int_get (&freed.n_freed), ==, 1);
  g_assert_nonnull (freed.freed_on);
  g_assert_true (freed.freed_on != g_thread_self ());
}

/* Everything handed over is freed, from any thread, and waiting returns
 * once the last one is. */
static gpointer
hand_over_thread (gpointer user_data)
{
  for (guint i = 0; i < 500; i++)
    lens_free_later (g_malloc (64), note_freed);
  return NULL;
}

static void
test_all_freed_from_any_thread (void)
{
  GThread *threads[3];

  memset (&freed, 0, sizeof freed);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hand-over", hand_over_thread, NULL);
  for (guint i = 0; i < 500; i++)
    lens_free_later (g_malloc (64), note_freed);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  lens_free_later_wait ();

  g_assert_cmpint (g_atomic_int_get (&freed.n_freed), ==, 4 * 500);
}

/* NULL is nothing to free. */
static void
test_null_is_nothing (void)
{
  memset (&freed, 0, sizeof freed);
  lens_free_later (NULL, note_freed);
  lens_free_later_wait ();
  g_assert_cmpint (g_atomic_int_get (&freed.n_freed), ==, 0);
}

int
main (int argc, char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/free-later/freed-on-another-thread", test_freed_on_another_thread);
  g_test_add_func ("/free-later/all-freed-from-any-thread", test_all_freed_from_any_thread);
  g_test_add_func ("/free-later/null-is-nothing", test_null_is_nothing);

  return g_test_run ();
}
