/* test-request-queue.c — at most N in flight, the others in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lens-request-queue.h"
#include "lens-test.h"

typedef struct
{
  GArray *order;     /* of guint: which requests got a slot, in order */
  guint   n_done;
  guint   n_cancelled;
} Log;

typedef struct
{
  Log   *log;
  guint  index;
} Request;

static void
acquired_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;

  if (lens_request_queue_acquire_finish (LENS_REQUEST_QUEUE (source_object), result, &error))
    g_array_append_val (request->log->order, request->index);
  else
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      request->log->n_cancelled++;
    }
  request->log->n_done++;
}

static void
run_until (Log   *log,
           guint  n_done)
{
  LENS_TEST_SPIN_UNTIL (log->n_done >= n_done, LENS_TEST_DEADLINE_MS);
}

static void
test_limit_and_order (void)
{
  g_autoptr(LensRequestQueue) queue = lens_request_queue_new (2);
  Log log = { .order = g_array_new (FALSE, FALSE, sizeof (guint)) };
  Request requests[5];

  g_assert_cmpuint (lens_request_queue_get_max_in_flight (queue), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      requests[i] = (Request) { &log, i };
      lens_request_queue_acquire_async (queue, NULL, acquired_cb, &requests[i]);
    }

  /* Two get a slot; three wait. */
  run_until (&log, 2);
  lens_test_spin_pending ();
  g_assert_cmpuint (log.n_done, ==, 2);
  g_assert_cmpuint (lens_request_queue_get_n_in_flight (queue), ==, 2);
  g_assert_cmpuint (lens_request_queue_get_n_waiting (queue), ==, 3);

  /* Each release lets the oldest waiting one in, and only one. */
  for (guint i = 2; i < G_N_ELEMENTS (requests); i++)
    {
      lens_request_queue_release (queue);
      run_until (&log, i + 1);
      lens_test_spin_pending ();
      g_assert_cmpuint (log.n_done, ==, i + 1);
      g_assert_cmpuint (lens_request_queue_get_n_in_flight (queue), ==, 2);
    }
  g_assert_cmpuint (lens_request_queue_get_n_waiting (queue), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    g_assert_cmpuint (g_array_index (log.order, guint, i), ==, i);

  lens_request_queue_release (queue);
  lens_request_queue_release (queue);
  g_assert_cmpuint (lens_request_queue_get_n_in_flight (queue), ==, 0);

  g_array_unref (log.order);
  g_assert_finalize_object (g_steal_pointer (&queue));
}

static void
test_cancel_waiting (void)
{
  g_autoptr(LensRequestQueue) queue = lens_request_queue_new (1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Log log = { .order = g_array_new (FALSE, FALSE, sizeof (guint)) };
  Request first = { &log, 0 }, second = { &log, 1 }, third = { &log, 2 };

  lens_request_queue_acquire_async (queue, NULL, acquired_cb, &first);
  lens_request_queue_acquire_async (queue, cancellable, acquired_cb, &second);
  lens_request_queue_acquire_async (queue, NULL, acquired_cb, &third);
  run_until (&log, 1);

  /* A waiting request leaves at once, without a release. */
  g_cancellable_cancel (cancellable);
  run_until (&log, 2);
  g_assert_cmpuint (log.n_cancelled, ==, 1);
  g_assert_cmpuint (lens_request_queue_get_n_waiting (queue), ==, 1);
  g_assert_cmpuint (lens_request_queue_get_n_in_flight (queue), ==, 1);

  /* The slot goes to the next one still waiting. */
  lens_request_queue_release (queue);
  run_until (&log, 3);
  g_assert_cmpuint (log.order->len, ==, 2);
  g_assert_cmpuint (g_array_index (log.order, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (log.order, guint, 1), ==, 2);

  lens_request_queue_release (queue);
  g_array_unref (log.order);
  g_assert_finalize_object (g_steal_pointer (&queue));
}

static void
test_cancelled_before (void)
{
  g_autoptr(LensRequestQueue) queue = lens_request_queue_new (1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Log log = { .order = g_array_new (FALSE, FALSE, sizeof (guint)) };
  Request request = { &log, 0 };

  /* Cancelled already: no slot is taken, even though one is free. */
  g_cancellable_cancel (cancellable);
  lens_request_queue_acquire_async (queue, cancellable, acquired_cb, &request);
  run_until (&log, 1);
  g_assert_cmpuint (log.n_cancelled, ==, 1);
  g_assert_cmpuint (lens_request_queue_get_n_in_flight (queue), ==, 0);

  g_array_unref (log.order);
  g_assert_finalize_object (g_steal_pointer (&queue));
}

static void
test_granted_stays_granted (void)
{
  g_autoptr(LensRequestQueue) queue = lens_request_queue_new (1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Log log = { .order = g_array_new (FALSE, FALSE, sizeof (guint)) };
  Request request = { &log, 0 };

  /* Granted at once, cancelled before the callback ran: the slot is still
   * the caller's, to release, so that none is ever lost. */
  lens_request_queue_acquire_async (queue, cancellable, acquired_cb, &request);
  g_cancellable_cancel (cancellable);
  run_until (&log, 1);
  g_assert_cmpuint (log.n_cancelled, ==, 0);
  g_assert_cmpuint (log.order->len, ==, 1);
  g_assert_cmpuint (lens_request_queue_get_n_in_flight (queue), ==, 1);

  lens_request_queue_release (queue);
  g_assert_cmpuint (lens_request_queue_get_n_in_flight (queue), ==, 0);

  g_array_unref (log.order);
  g_assert_finalize_object (g_steal_pointer (&queue));
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/request-queue/limit-and-order", test_limit_and_order);
  g_test_add_func ("/request-queue/cancel-waiting", test_cancel_waiting);
  g_test_add_func ("/request-queue/cancelled-before", test_cancelled_before);
  g_test_add_func ("/request-queue/granted-stays-granted", test_granted_stays_granted);

  return g_test_run ();
}
