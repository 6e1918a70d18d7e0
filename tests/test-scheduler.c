/* test-scheduler.c — when each API request may go, with real timers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensScheduler alone, without HTTP: the pacing decisions themselves are
 * tested with an injected clock in test-api-pace.c; these check that the
 * object applies them — the order of its lines, cancellation, what it
 * tells (throttled, n-tasks-left, learnt-changed) and that its timers wait
 * as long as the pace says. Times are only checked from below (a timer
 * never fires early). Where the order of grants matters, a learnt pace of
 * one request in flight makes it depend on releases, not on timers.
 */

#include "config.h"

#include "lens-scheduler.h"
#include "lens-test.h"

#define WAIT_UNTIL(cond) LENS_TEST_SPIN_UNTIL (cond, LENS_TEST_DEADLINE_MS)

/* One request asking for a slot. */
typedef struct
{
  const char        *name;
  LensSchedulerSlot *slot;      /* owned, nullable: until released */
  GError            *error;     /* owned, nullable */
  gboolean           done;      /* the acquire has returned */
  gint64             granted_at;
  GPtrArray         *order;     /* nullable, not owned: names, in the order granted */
} Request;

static void
request_clear (Request *request)
{
  /* A slot still held would be lost: every test releases what it got. */
  g_assert_null (request->slot);
  g_clear_error (&request->error);
}

static void
acquired_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Request *request = user_data;

  g_assert_false (request->done);
  request->slot = lens_scheduler_acquire_finish (LENS_SCHEDULER (source_object), result,
                                                 &request->error);
  request->done = TRUE;
  /* When the scheduler let it go, not when the callback ran. */
  request->granted_at = request->slot != NULL ? request->slot->sent_at : g_get_monotonic_time ();
  if (request->slot != NULL && request->order != NULL)
    g_ptr_array_add (request->order, (gpointer) request->name);
}

static void
acquire_in_group (LensScheduler       *scheduler,
                  Request             *request,
                  LensRequestPriority  priority,
                  guint                group,
                  gboolean             again,
                  GCancellable        *cancellable)
{
  lens_scheduler_acquire_async (scheduler, priority, group, 1, again, cancellable, acquired_cb,
                                request);
}

/* A request in a group of its own. */
static void
acquire (LensScheduler       *scheduler,
         Request             *request,
         LensRequestPriority  priority,
         guint                n_tasks,
         gboolean             again,
         GCancellable        *cancellable)
{
  lens_scheduler_acquire_async (scheduler, priority, 0, n_tasks, again, cancellable, acquired_cb,
                                request);
}

/* Checks that the requests were granted in the order expected, and that
 * the scheduler goes once they are done. */
static void
end_in_order (LensScheduler      *scheduler,
              GPtrArray          *order,
              const char * const *expected,
              guint               n_expected,
              Request            *requests,
              guint               n_requests)
{
  g_assert_cmpuint (order->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpstr (g_ptr_array_index (order, i), ==, expected[i]);
  for (guint i = 0; i < n_requests; i++)
    request_clear (&requests[i]);
  lens_test_spin_pending ();
  g_assert_finalize_object (scheduler);
}

static void
release (LensScheduler        *scheduler,
         Request              *request,
         LensSchedulerOutcome  outcome)
{
  g_assert_nonnull (request->slot);
  lens_scheduler_release (scheduler, g_steal_pointer (&request->slot), outcome,
                          LENS_API_REFUSAL_RATE, -1);
}

/* Refused as a rate 429 with "Retry-After: 0": the scheduler still holds
 * every request for a second. */
static void
refuse (LensScheduler *scheduler,
        Request       *request)
{
  g_assert_nonnull (request->slot);
  lens_scheduler_release (scheduler, g_steal_pointer (&request->slot), LENS_SCHEDULER_REFUSED,
                          LENS_API_REFUSAL_RATE, 0);
}

static void
count_signal_cb (LensScheduler *scheduler,
                 guint         *counter)
{
  (*counter)++;
}

/* A scheduler that grants one request at a time, quickly: the order of
 * grants then follows the releases. */
static LensScheduler *
new_one_at_a_time (void)
{
  LensScheduler *scheduler = lens_scheduler_new ();

  lens_scheduler_set_learnt (scheduler, 100, 1);
  return scheduler;
}

static Request *
find_granted (Request *requests,
              guint    n_requests)
{
  for (guint i = 0; i < n_requests; i++)
    if (requests[i].slot != NULL)
      return &requests[i];
  return NULL;
}

/* Releases @n_grants requests of @requests as they are granted, one at a
 * time. */
static void
release_granted (LensScheduler *scheduler,
                 Request       *requests,
                 guint          n_requests,
                 guint          n_grants)
{
  for (guint i = 0; i < n_grants; i++)
    {
      WAIT_UNTIL (find_granted (requests, n_requests) != NULL);
      release (scheduler, find_granted (requests, n_requests), LENS_SCHEDULER_ADMITTED);
    }
}

/* Releases every request in @requests as it is granted, one at a time. */
static void
drain (LensScheduler *scheduler,
       Request       *requests,
       guint          n_requests)
{
  release_granted (scheduler, requests, n_requests, n_requests);
}

/* ─── tests ────────────────────────────────────────────────────────────── */

/* Nothing is known of the server: the first request still goes at once. */
static void
test_first_granted_at_once (void)
{
  g_autoptr(LensScheduler) scheduler = lens_scheduler_new ();
  Request request = { .name = "first" };
  gint64 start = g_get_monotonic_time ();

  acquire (scheduler, &request, LENS_REQUEST_PRIORITY_BACKGROUND, 1, FALSE, NULL);
  g_assert_cmpuint (lens_scheduler_get_n_in_flight (scheduler), ==, 1);
  g_assert_cmpuint (lens_scheduler_get_n_waiting (scheduler), ==, 0);
  WAIT_UNTIL (request.done);
  g_assert_no_error (request.error);
  g_assert_nonnull (request.slot);
  g_assert_cmpuint (request.slot->in_flight_before, ==, 0);
  g_assert_cmpuint (request.slot->n_tasks, ==, 1);
  g_assert_cmpint (request.slot->sent_at, >=, start);
  /* No timer was waited for: far less than the 250 ms of the first pace. */
  g_assert_cmpint (request.granted_at - start, <, 200 * 1000);

  release (scheduler, &request, LENS_SCHEDULER_ADMITTED);
  g_assert_cmpuint (lens_scheduler_get_n_in_flight (scheduler), ==, 0);
  g_assert_cmpuint (lens_scheduler_get_n_refused (scheduler), ==, 0);
  g_assert_false (lens_scheduler_get_throttled (scheduler));
  request_clear (&request);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

/* What the user asked for goes before background requests that were
 * waiting longer; within a line, first come, first served. */
static void
test_user_before_background (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  Request requests[] = {
    { .name = "held" }, { .name = "background-1" }, { .name = "background-2" },
    { .name = "user-1" }, { .name = "user-2" },
  };
  const char *expected[] = { "held", "user-1", "user-2", "background-1", "background-2" };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    requests[i].order = order;

  acquire (scheduler, &requests[0], LENS_REQUEST_PRIORITY_BACKGROUND, 1, FALSE, NULL);
  WAIT_UNTIL (requests[0].done);
  acquire (scheduler, &requests[1], LENS_REQUEST_PRIORITY_BACKGROUND, 1, FALSE, NULL);
  acquire (scheduler, &requests[2], LENS_REQUEST_PRIORITY_BACKGROUND, 1, FALSE, NULL);
  lens_test_spin_for (30);
  acquire (scheduler, &requests[3], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  acquire (scheduler, &requests[4], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  g_assert_cmpuint (lens_scheduler_get_n_waiting (scheduler), ==, 4);

  drain (scheduler, requests, G_N_ELEMENTS (requests));

  end_in_order (g_steal_pointer (&scheduler), order, expected, G_N_ELEMENTS (expected),
                requests, G_N_ELEMENTS (requests));
}

/* A request alone that asks again (it was refused) goes first in its
 * priority, and no further: the user's requests still go first. */
static void
test_again_at_head_of_line (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  Request requests[] = {
    { .name = "held" }, { .name = "user-1" }, { .name = "user-2" },
    { .name = "background" }, { .name = "background-again" }, { .name = "user-again" },
  };
  const char *expected[] = {
    "held", "user-again", "user-1", "user-2", "background-again", "background",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    requests[i].order = order;

  acquire (scheduler, &requests[0], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  WAIT_UNTIL (requests[0].done);
  acquire (scheduler, &requests[1], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  acquire (scheduler, &requests[2], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  acquire (scheduler, &requests[3], LENS_REQUEST_PRIORITY_BACKGROUND, 1, FALSE, NULL);
  acquire (scheduler, &requests[4], LENS_REQUEST_PRIORITY_BACKGROUND, 1, TRUE, NULL);
  acquire (scheduler, &requests[5], LENS_REQUEST_PRIORITY_USER, 1, TRUE, NULL);

  drain (scheduler, requests, G_N_ELEMENTS (requests));

  end_in_order (g_steal_pointer (&scheduler), order, expected, G_N_ELEMENTS (expected),
                requests, G_N_ELEMENTS (requests));
}

/* A request that asks again (it was refused) goes to the head of its
 * group, so that a paste keeps its order, and no further: a small group
 * still goes before the rest of a large one. Had its group gone first, a
 * paste refused again and again would have kept a refresh waiting until
 * all of it was through. */
static void
test_again_at_head_of_group (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  Request requests[] = {
    { .name = "paste-1" }, { .name = "paste-2" },
    /* Granted after the refusal: */
    { .name = "paste-3" }, { .name = "paste-4" }, { .name = "paste-5" }, { .name = "paste-6" },
    { .name = "refresh" }, { .name = "paste-2-again" }, { .name = "background" },
  };
  const char *expected[] = {
    "paste-1", "paste-2", "refresh", "paste-2-again", "paste-3", "paste-4", "paste-5", "paste-6",
    "background",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    requests[i].order = order;

  for (guint i = 0; i < 6; i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 4, FALSE, NULL);
  WAIT_UNTIL (requests[0].done);
  release (scheduler, &requests[0], LENS_SCHEDULER_ADMITTED);
  WAIT_UNTIL (requests[1].done);

  acquire_in_group (scheduler, &requests[6], LENS_REQUEST_PRIORITY_USER, 5, FALSE, NULL);
  acquire (scheduler, &requests[8], LENS_REQUEST_PRIORITY_BACKGROUND, 1, FALSE, NULL);
  refuse (scheduler, &requests[1]);
  acquire_in_group (scheduler, &requests[7], LENS_REQUEST_PRIORITY_USER, 4, TRUE, NULL);

  drain (scheduler, &requests[2], 7);

  end_in_order (g_steal_pointer (&scheduler), order, expected, G_N_ELEMENTS (expected),
                requests, G_N_ELEMENTS (requests));
}

/* Within a priority, small groups (four requests at most) go first, then
 * the others, the oldest first in both: one task refreshed, or a request
 * alone, while a paste's lookups wait goes next, and a large group waits
 * for no more than the small ones and those asked for before it. A group
 * whose last request was cancelled is gone. */
static void
test_small_groups_first (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Request requests[] = {
    { .name = "held" },
    { .name = "paste-a" }, { .name = "paste-a" }, { .name = "paste-a" }, { .name = "paste-a" },
    { .name = "paste-a" },
    { .name = "paste-b" }, { .name = "paste-b" }, { .name = "paste-b" }, { .name = "paste-b" },
    { .name = "paste-b" },
    { .name = "refresh" }, { .name = "refresh" }, { .name = "alone" }, { .name = "background" },
    { .name = "cancelled" },   /* last: never granted */
  };
  const char *expected[] = {
    "held", "refresh", "refresh", "alone",
    "paste-a", "paste-a", "paste-a", "paste-a", "paste-a",
    "paste-b", "paste-b", "paste-b", "paste-b", "paste-b",
    "background",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    requests[i].order = order;

  acquire (scheduler, &requests[0], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  WAIT_UNTIL (requests[0].done);
  acquire (scheduler, &requests[14], LENS_REQUEST_PRIORITY_BACKGROUND, 1, FALSE, NULL);
  for (guint i = 1; i <= 5; i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 7, FALSE, NULL);
  for (guint i = 6; i <= 10; i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 10, FALSE, NULL);
  acquire_in_group (scheduler, &requests[15], LENS_REQUEST_PRIORITY_USER, 9, FALSE, cancellable);
  acquire_in_group (scheduler, &requests[11], LENS_REQUEST_PRIORITY_USER, 8, FALSE, NULL);
  acquire_in_group (scheduler, &requests[12], LENS_REQUEST_PRIORITY_USER, 8, FALSE, NULL);
  acquire (scheduler, &requests[13], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  g_assert_cmpuint (lens_scheduler_get_n_waiting (scheduler), ==, 15);

  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (requests[15].done);
  g_assert_error (requests[15].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (lens_scheduler_get_n_waiting (scheduler), ==, 14);

  drain (scheduler, requests, G_N_ELEMENTS (requests) - 1);

  end_in_order (g_steal_pointer (&scheduler), order, expected, G_N_ELEMENTS (expected),
                requests, G_N_ELEMENTS (requests));
}

/* A group waiting is not passed over for ever by smaller groups that came
 * after it. The app adds a paste in slices, a pass of the refresher each,
 * so a paste of twenty requests comes as ten groups of two: a refresh of
 * three requests asked for before it must not wait for all of it (the very
 * wait these groups are there to spare it). */
static void
test_group_not_passed_over_for_ever (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  enum { N_SLICES = 10 };
  Request requests[1 + 3 + 2 * N_SLICES] = { { 0 } };
  guint refresh_at = G_MAXUINT, last_slice_at = 0;

  requests[0].name = "held";
  for (guint i = 1; i <= 3; i++)
    requests[i].name = "refresh";
  for (guint i = 4; i < G_N_ELEMENTS (requests); i++)
    requests[i].name = "slice";
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    requests[i].order = order;

  acquire (scheduler, &requests[0], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  WAIT_UNTIL (requests[0].done);
  for (guint i = 1; i <= 3; i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  for (guint k = 0; k < N_SLICES; k++)
    for (guint j = 0; j < 2; j++)
      acquire_in_group (scheduler, &requests[4 + 2 * k + j], LENS_REQUEST_PRIORITY_USER, 2 + k,
                        FALSE, NULL);

  drain (scheduler, requests, G_N_ELEMENTS (requests));

  for (guint i = 0; i < order->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (order, i), "refresh"))
        refresh_at = MIN (refresh_at, i);
      else if (g_str_equal (g_ptr_array_index (order, i), "slice"))
        last_slice_at = i;
    }
  g_test_message ("the refresh's first request went %uth of %u", refresh_at, order->len);
  g_assert_cmpuint (refresh_at, <, last_slice_at);

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    request_clear (&requests[i]);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

/* Small groups pass a large one, but a stream of them does not hold it
 * back: while one small request after another comes (a task refreshed, a
 * few ids pasted, each confirming retrieve of a batch that left ids out),
 * the paste waiting since before them still has every fifth slot. */
static void
test_stream_of_small_groups (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  enum { N_PASTE = 6, N_SMALL = 40 };
  Request held = { .name = "held", .order = order };
  Request paste[N_PASTE] = { { 0 } };
  Request small[N_SMALL] = { { 0 } };
  guint since_paste = 0, longest_wait = 0, n_small_asked = 1;

  for (guint i = 0; i < N_PASTE; i++)
    paste[i] = (Request) { .name = "paste", .order = order };
  for (guint i = 0; i < N_SMALL; i++)
    small[i] = (Request) { .name = "small", .order = order };

  acquire (scheduler, &held, LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  WAIT_UNTIL (held.done);
  for (guint i = 0; i < N_PASTE; i++)
    acquire_in_group (scheduler, &paste[i], LENS_REQUEST_PRIORITY_USER, 7, FALSE, NULL);
  acquire (scheduler, &small[0], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  release (scheduler, &held, LENS_SCHEDULER_ADMITTED);

  /* A small request waits at every moment: each one granted brings the
   * next, until the paste is through. */
  while (!paste[N_PASTE - 1].done)
    {
      Request *granted;

      WAIT_UNTIL ((granted = find_granted (paste, N_PASTE)) != NULL
                  || (granted = find_granted (small, N_SMALL)) != NULL);
      since_paste = granted >= paste && granted < paste + N_PASTE ? 0 : since_paste + 1;
      longest_wait = MAX (longest_wait, since_paste);
      if (granted >= small && granted < small + N_SMALL && n_small_asked < N_SMALL)
        acquire (scheduler, &small[n_small_asked++], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
      release (scheduler, granted, LENS_SCHEDULER_ADMITTED);
    }
  g_test_message ("%u small requests; the paste waited for %u of them in a row at most",
                  n_small_asked, longest_wait);
  g_assert_cmpuint (longest_wait, <=, 4);

  /* The small request still waiting, if any. */
  for (guint i = 0; i < n_small_asked; i++)
    if (!small[i].done || small[i].slot != NULL)
      {
        WAIT_UNTIL (small[i].slot != NULL);
        release (scheduler, &small[i], LENS_SCHEDULER_ADMITTED);
      }
  request_clear (&held);
  for (guint i = 0; i < N_PASTE; i++)
    request_clear (&paste[i]);
  for (guint i = 0; i < N_SMALL; i++)
    request_clear (&small[i]);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

/* Requests refused together ask again in the order they were sent:
 * "a throttled paste keeps its order" (lens-scheduler.c). @data is the
 * group of the three requests: 4, or 0 for requests alone (poll rounds, a
 * task asked for alone). */
static void
test_refused_together_keep_order (gconstpointer data)
{
  guint group = GPOINTER_TO_UINT (data);
  g_autoptr(LensScheduler) scheduler = lens_scheduler_new ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  Request requests[] = {
    { .name = "ask-1" }, { .name = "ask-2" }, { .name = "ask-3" },
    { .name = "ask-1-again" }, { .name = "ask-2-again" },
  };
  const char *expected[] = { "ask-1", "ask-2", "ask-1-again", "ask-2-again", "ask-3" };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    requests[i].order = order;
  /* Two in flight at once, quickly. */
  lens_scheduler_set_learnt (scheduler, 100, 2);

  for (guint i = 0; i < 3; i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, group, FALSE, NULL);
  WAIT_UNTIL (requests[0].done && requests[1].done);
  g_assert_false (requests[2].done);

  /* Both refused, in the order they were sent; each asks again at once, as
   * lens-client-request.c does. */
  refuse (scheduler, &requests[0]);
  acquire_in_group (scheduler, &requests[3], LENS_REQUEST_PRIORITY_USER, group, TRUE, NULL);
  refuse (scheduler, &requests[1]);
  acquire_in_group (scheduler, &requests[4], LENS_REQUEST_PRIORITY_USER, group, TRUE, NULL);

  drain (scheduler, &requests[2], 3);

  end_in_order (g_steal_pointer (&scheduler), order, expected, G_N_ELEMENTS (expected),
                requests, G_N_ELEMENTS (requests));
}

/* What an action asks for after one of its requests was refused is not a
 * re-ask: its group, large now, waits as any large group does, after a
 * large group asked for before it, and the re-ask at its head with it. (A
 * paste's first slice, one request, goes at once as a small group and is
 * refused; the rest of the paste comes in the same group a moment later.)
 * A review found the rest of such a paste going before the older one. */
static void
test_again_group_not_joined_by_new (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  Request requests[] = {
    { .name = "held" },
    { .name = "paste-a" }, { .name = "paste-a" }, { .name = "paste-a" }, { .name = "paste-a" },
    { .name = "paste-a" }, { .name = "paste-a" },
    { .name = "paste-b" }, { .name = "paste-b-again" },
    { .name = "paste-b" }, { .name = "paste-b" }, { .name = "paste-b" }, { .name = "paste-b" },
    { .name = "paste-b" },
  };
  const char *expected[] = {
    "held", "paste-b",
    "paste-a", "paste-a", "paste-a", "paste-a", "paste-a", "paste-a",
    "paste-b-again", "paste-b", "paste-b", "paste-b", "paste-b", "paste-b",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    requests[i].order = order;

  acquire (scheduler, &requests[0], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  WAIT_UNTIL (requests[0].done);
  for (guint i = 1; i <= 6; i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 7, FALSE, NULL);
  acquire_in_group (scheduler, &requests[7], LENS_REQUEST_PRIORITY_USER, 8, FALSE, NULL);
  release (scheduler, &requests[0], LENS_SCHEDULER_ADMITTED);
  WAIT_UNTIL (requests[7].done);

  /* Refused: it asks again, then the rest of its paste comes. */
  refuse (scheduler, &requests[7]);
  acquire_in_group (scheduler, &requests[8], LENS_REQUEST_PRIORITY_USER, 8, TRUE, NULL);
  for (guint i = 9; i < G_N_ELEMENTS (requests); i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 8, FALSE, NULL);

  /* Six of paste-a, one asking again, five of paste-b. */
  release_granted (scheduler, requests, G_N_ELEMENTS (requests), 12);

  end_in_order (g_steal_pointer (&scheduler), order, expected, G_N_ELEMENTS (expected),
                requests, G_N_ELEMENTS (requests));
}

/* A group counts every request it asked for, also those already granted:
 * a group that went (small) and asks for more in the same group is large
 * once it has asked for more than four, and waits for a large group asked
 * for before it. */
static void
test_group_counts_what_went (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  Request requests[] = {
    { .name = "held" },
    { .name = "paste-a" }, { .name = "paste-a" }, { .name = "paste-a" }, { .name = "paste-a" },
    { .name = "paste-a" }, { .name = "paste-a" },
    { .name = "paste-b" }, { .name = "paste-b" }, { .name = "paste-b" },
    { .name = "paste-b" }, { .name = "paste-b" }, { .name = "paste-b" },
  };
  const char *expected[] = {
    "held", "paste-b", "paste-b", "paste-b",
    "paste-a", "paste-a", "paste-a", "paste-a", "paste-a", "paste-a",
    "paste-b", "paste-b", "paste-b",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    requests[i].order = order;

  acquire (scheduler, &requests[0], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  WAIT_UNTIL (requests[0].done);
  for (guint i = 1; i <= 6; i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 7, FALSE, NULL);
  for (guint i = 7; i <= 9; i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 8, FALSE, NULL);
  /* The three of paste-b go (a small group), the last one stays in flight. */
  release (scheduler, &requests[0], LENS_SCHEDULER_ADMITTED);
  WAIT_UNTIL (requests[7].done);
  release (scheduler, &requests[7], LENS_SCHEDULER_ADMITTED);
  WAIT_UNTIL (requests[8].done);
  release (scheduler, &requests[8], LENS_SCHEDULER_ADMITTED);
  WAIT_UNTIL (requests[9].done);

  /* The rest of paste-b: six requests in all. */
  for (guint i = 10; i < G_N_ELEMENTS (requests); i++)
    acquire_in_group (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 8, FALSE, NULL);

  release (scheduler, &requests[9], LENS_SCHEDULER_ADMITTED);
  /* Six of paste-a, the rest of paste-b. */
  release_granted (scheduler, requests, G_N_ELEMENTS (requests), 9);

  end_in_order (g_steal_pointer (&scheduler), order, expected, G_N_ELEMENTS (expected),
                requests, G_N_ELEMENTS (requests));
}

/* A waiting request whose cancellable fires ends at once with
 * G_IO_ERROR_CANCELLED; the others keep their places and their slots. */
static void
test_cancel_while_waiting (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  Request held = { .name = "held" }, cancelled = { .name = "cancelled" };
  Request next = { .name = "next" }, late = { .name = "late" };

  acquire (scheduler, &held, LENS_REQUEST_PRIORITY_USER, 3, FALSE, NULL);
  WAIT_UNTIL (held.done);
  acquire (scheduler, &cancelled, LENS_REQUEST_PRIORITY_USER, 5, FALSE, cancellable);
  acquire (scheduler, &next, LENS_REQUEST_PRIORITY_USER, 7, FALSE, NULL);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 15);

  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (cancelled.done);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cancelled.slot);
  g_assert_cmpuint (lens_scheduler_get_n_waiting (scheduler), ==, 1);
  g_assert_cmpuint (lens_scheduler_get_n_in_flight (scheduler), ==, 1);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 10);
  g_assert_false (next.done);
  g_assert_nonnull (held.slot);

  /* Cancelled before it asked: it never waits. */
  g_cancellable_cancel (already);
  acquire (scheduler, &late, LENS_REQUEST_PRIORITY_USER, 2, FALSE, already);
  WAIT_UNTIL (late.done);
  g_assert_error (late.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 10);

  release (scheduler, &held, LENS_SCHEDULER_ADMITTED);
  WAIT_UNTIL (next.done);
  g_assert_no_error (next.error);
  g_assert_cmpuint (next.slot->n_tasks, ==, 7);
  release (scheduler, &next, LENS_SCHEDULER_UNANSWERED);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 0);

  request_clear (&held);
  request_clear (&cancelled);
  request_clear (&next);
  request_clear (&late);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

/* n-tasks-left counts the tasks of the requests waiting and in flight, and
 * is notified only when that number changes. */
static void
test_n_tasks_left (void)
{
  g_autoptr(LensScheduler) scheduler = new_one_at_a_time ();
  Request first = { .name = "first" }, second = { .name = "second" };
  Request empty = { .name = "empty" };
  guint n_notifies = 0, left = G_MAXUINT;

  g_signal_connect (scheduler, "notify::n-tasks-left", G_CALLBACK (lens_test_count_cb),
                    &n_notifies);

  acquire (scheduler, &first, LENS_REQUEST_PRIORITY_USER, 50, FALSE, NULL);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 50);
  g_assert_cmpuint (n_notifies, ==, 1);
  WAIT_UNTIL (first.done);
  /* Granted: no longer waiting, but in flight, so still left. */
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 50);
  g_assert_cmpuint (n_notifies, ==, 1);

  acquire (scheduler, &second, LENS_REQUEST_PRIORITY_BACKGROUND, 20, FALSE, NULL);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 70);
  g_assert_cmpuint (n_notifies, ==, 2);
  /* A request for no tasks (a token check) changes nothing. */
  acquire (scheduler, &empty, LENS_REQUEST_PRIORITY_BACKGROUND, 0, FALSE, NULL);
  g_assert_cmpuint (n_notifies, ==, 2);

  release (scheduler, &first, LENS_SCHEDULER_ADMITTED);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 20);
  g_assert_cmpuint (n_notifies, ==, 3);
  WAIT_UNTIL (second.done);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 20);
  g_assert_cmpuint (n_notifies, ==, 3);
  release (scheduler, &second, LENS_SCHEDULER_ADMITTED);
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 0);
  g_assert_cmpuint (n_notifies, ==, 4);
  WAIT_UNTIL (empty.done);
  release (scheduler, &empty, LENS_SCHEDULER_ADMITTED);
  g_assert_cmpuint (n_notifies, ==, 4);
  g_object_get (scheduler, "n-tasks-left", &left, NULL);
  g_assert_cmpuint (left, ==, 0);

  request_clear (&first);
  request_clear (&second);
  request_clear (&empty);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

/* A 429 sets `throttled` once, holds every request — not only the refused
 * one — for the Retry-After (0 still means a second), and `throttled` ends
 * only when nothing is left and the hold is over. A refusal that changed
 * what was learnt is told with learnt-changed, once for requests that were
 * refused together. */
static void
test_refusal_holds_everything (void)
{
  g_autoptr(LensScheduler) scheduler = lens_scheduler_new ();
  Request first = { .name = "first" }, second = { .name = "second" };
  Request waiting = { .name = "waiting" };
  guint n_throttled = 0, n_learnt = 0;
  gint64 refused_at;

  g_signal_connect (scheduler, "notify::throttled", G_CALLBACK (lens_test_count_cb),
                    &n_throttled);
  g_signal_connect (scheduler, "learnt-changed", G_CALLBACK (count_signal_cb), &n_learnt);

  /* Two in flight (the slow start allows two), a third waiting. */
  acquire (scheduler, &first, LENS_REQUEST_PRIORITY_USER, 50, FALSE, NULL);
  acquire (scheduler, &second, LENS_REQUEST_PRIORITY_USER, 50, FALSE, NULL);
  WAIT_UNTIL (first.done && second.done);
  acquire (scheduler, &waiting, LENS_REQUEST_PRIORITY_USER, 50, FALSE, NULL);
  g_assert_cmpuint (lens_scheduler_get_n_waiting (scheduler), ==, 1);

  refused_at = g_get_monotonic_time ();
  refuse (scheduler, &first);
  g_assert_true (lens_scheduler_get_throttled (scheduler));
  g_assert_cmpuint (n_throttled, ==, 1);
  g_assert_cmpuint (n_learnt, ==, 1);
  /* Sent before the cut: refused with the first, not news. */
  refuse (scheduler, &second);
  g_assert_cmpuint (n_throttled, ==, 1);
  g_assert_cmpuint (n_learnt, ==, 1);
  g_assert_cmpuint (lens_scheduler_get_n_refused (scheduler), ==, 2);
  /* The hold is in the estimate of what is left. */
  g_assert_cmpuint (lens_scheduler_get_seconds_left (scheduler), >=, 1);

  /* The refused ones ask again at the head of the line: after the hold. */
  first.done = FALSE;
  acquire (scheduler, &first, LENS_REQUEST_PRIORITY_USER, 50, TRUE, NULL);
  WAIT_UNTIL (first.done);
  g_assert_cmpint (first.granted_at - refused_at, >=, 900 * 1000);
  g_assert_false (waiting.done);
  g_assert_true (lens_scheduler_get_throttled (scheduler));

  release (scheduler, &first, LENS_SCHEDULER_ADMITTED);
  WAIT_UNTIL (waiting.done);
  g_assert_cmpint (waiting.granted_at - refused_at, >=, 900 * 1000);
  /* Still something in flight: still throttled. */
  g_assert_true (lens_scheduler_get_throttled (scheduler));
  release (scheduler, &waiting, LENS_SCHEDULER_ADMITTED);
  g_assert_false (lens_scheduler_get_throttled (scheduler));
  g_assert_cmpuint (n_throttled, ==, 2);
  /* Successes are not news worth keeping. */
  g_assert_cmpuint (n_learnt, ==, 1);

  request_clear (&first);
  request_clear (&second);
  request_clear (&waiting);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

/* With nothing left to ask, `throttled` still waits for the hold to end:
 * the next request would be held too. */
static void
test_throttled_until_hold_over (void)
{
  g_autoptr(LensScheduler) scheduler = lens_scheduler_new ();
  Request request = { .name = "refused" };
  guint n_throttled = 0;
  gint64 refused_at;

  g_signal_connect (scheduler, "notify::throttled", G_CALLBACK (lens_test_count_cb),
                    &n_throttled);

  acquire (scheduler, &request, LENS_REQUEST_PRIORITY_BACKGROUND, 1, FALSE, NULL);
  WAIT_UNTIL (request.done);
  refused_at = g_get_monotonic_time ();
  refuse (scheduler, &request);
  g_assert_true (lens_scheduler_get_throttled (scheduler));
  g_assert_cmpuint (lens_scheduler_get_n_in_flight (scheduler), ==, 0);
  g_assert_cmpuint (lens_scheduler_get_n_waiting (scheduler), ==, 0);

  WAIT_UNTIL (!lens_scheduler_get_throttled (scheduler));
  g_assert_cmpint (g_get_monotonic_time () - refused_at, >=, 900 * 1000);
  g_assert_cmpuint (n_throttled, ==, 2);

  request_clear (&request);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

/* The user's ceiling spaces requests even when the server would take more. */
static void
test_max_rate (void)
{
  g_autoptr(LensScheduler) scheduler = lens_scheduler_new ();
  Request requests[5] = { { .name = "0" }, { .name = "1" }, { .name = "2" }, { .name = "3" },
                          { .name = "4" } };
  guint n_notifies = 0;
  double max_rate = 0;
  gint64 start;

  g_signal_connect (scheduler, "notify::max-rate", G_CALLBACK (lens_test_count_cb), &n_notifies);
  /* A server known to take a thousand a second. */
  lens_scheduler_set_learnt (scheduler, 1000, 4);
  lens_scheduler_set_max_rate (scheduler, 20);
  lens_scheduler_set_max_rate (scheduler, 20);
  g_assert_cmpuint (n_notifies, ==, 1);
  g_assert_cmpfloat (lens_scheduler_get_max_rate (scheduler), ==, 20);
  g_object_get (scheduler, "max-rate", &max_rate, NULL);
  g_assert_cmpfloat (max_rate, ==, 20);
  g_assert_cmpfloat (lens_scheduler_get_rate (scheduler), <=, 20);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    acquire (scheduler, &requests[i], LENS_REQUEST_PRIORITY_USER, 1, FALSE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      WAIT_UNTIL (requests[i].done);
      release (scheduler, &requests[i], LENS_SCHEDULER_ADMITTED);
    }
  /* Four gaps of at least 50 ms. */
  g_assert_cmpint (requests[4].granted_at - start, >=, 200 * 1000);
  for (guint i = 1; i < G_N_ELEMENTS (requests); i++)
    g_assert_cmpint (requests[i].granted_at - requests[i - 1].granted_at, >=, 49 * 1000);

  g_object_set (scheduler, "max-rate", 0.0, NULL);
  g_assert_cmpuint (n_notifies, ==, 2);
  g_assert_cmpfloat (lens_scheduler_get_max_rate (scheduler), ==, 0);
  g_assert_cmpfloat (lens_scheduler_get_rate (scheduler), >, 20);

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    request_clear (&requests[i]);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

/* What was learnt goes out and comes back as it was; forgetting it starts
 * cautiously again, but keeps the user's ceiling. */
static void
test_learnt_round_trip (void)
{
  g_autoptr(LensScheduler) scheduler = lens_scheduler_new ();
  double limit = -1;
  guint in_flight = 0;

  lens_scheduler_get_learnt (scheduler, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 0);
  g_assert_cmpuint (in_flight, >=, 1);

  lens_scheduler_set_learnt (scheduler, 3.5, 3);
  lens_scheduler_get_learnt (scheduler, &limit, &in_flight);
  g_assert_cmpfloat_with_epsilon (limit, 3.5, 1e-9);
  g_assert_cmpuint (in_flight, ==, 3);
  /* Just under the limit, not above it. */
  g_assert_cmpfloat (lens_scheduler_get_rate (scheduler), <=, 3.5);
  g_assert_cmpfloat (lens_scheduler_get_rate (scheduler), >, 3.0);

  /* Never more in flight than AceData allows, whatever was stored. */
  lens_scheduler_set_learnt (scheduler, 10, 99);
  lens_scheduler_get_learnt (scheduler, &limit, &in_flight);
  g_assert_cmpuint (in_flight, ==, LENS_API_PACE_MAX_IN_FLIGHT);

  lens_scheduler_set_max_rate (scheduler, 2);
  g_assert_cmpfloat (lens_scheduler_get_rate (scheduler), <=, 2);
  lens_scheduler_forget (scheduler);
  lens_scheduler_get_learnt (scheduler, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 0);
  g_assert_cmpuint (in_flight, <, LENS_API_PACE_MAX_IN_FLIGHT);
  g_assert_cmpfloat (lens_scheduler_get_max_rate (scheduler), ==, 2);
  g_assert_cmpfloat (lens_scheduler_get_rate (scheduler), <=, 2);

  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

/* The estimate of the time left: nothing when idle, the waiting requests at
 * the pace, plus a hold. */
static void
test_seconds_left (void)
{
  g_autoptr(LensScheduler) scheduler = lens_scheduler_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Request held = { .name = "held" };
  Request waiting[4] = { { .name = "0" }, { .name = "1" }, { .name = "2" }, { .name = "3" } };
  guint seconds;

  g_assert_cmpuint (lens_scheduler_get_seconds_left (scheduler), ==, 0);

  /* Two a second, one at a time: four waiting take about two seconds. */
  lens_scheduler_set_learnt (scheduler, 2, 1);
  acquire (scheduler, &held, LENS_REQUEST_PRIORITY_USER, 50, FALSE, NULL);
  WAIT_UNTIL (held.done);
  g_assert_cmpuint (lens_scheduler_get_seconds_left (scheduler), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (waiting); i++)
    acquire (scheduler, &waiting[i], LENS_REQUEST_PRIORITY_USER, 50, FALSE, cancellable);
  seconds = lens_scheduler_get_seconds_left (scheduler);
  g_assert_cmpuint (seconds, >=, 2);
  g_assert_cmpuint (seconds, <=, 4);

  /* A hold of a second comes on top. */
  refuse (scheduler, &held);
  g_assert_cmpuint (lens_scheduler_get_seconds_left (scheduler), >=, seconds);
  g_assert_cmpuint (lens_scheduler_get_seconds_left (scheduler), <=, 4 + 1 + 1);

  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (waiting); i++)
    {
      WAIT_UNTIL (waiting[i].done);
      g_assert_error (waiting[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      request_clear (&waiting[i]);
    }
  g_assert_cmpuint (lens_scheduler_get_n_tasks_left (scheduler), ==, 0);
  request_clear (&held);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&scheduler));
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/scheduler/first-granted-at-once", test_first_granted_at_once);
  g_test_add_func ("/scheduler/user-before-background", test_user_before_background);
  g_test_add_func ("/scheduler/again-at-head-of-line", test_again_at_head_of_line);
  g_test_add_func ("/scheduler/again-at-head-of-group", test_again_at_head_of_group);
  g_test_add_func ("/scheduler/small-groups-first", test_small_groups_first);
  g_test_add_func ("/scheduler/group-not-passed-over-for-ever", test_group_not_passed_over_for_ever);
  g_test_add_func ("/scheduler/stream-of-small-groups", test_stream_of_small_groups);
  g_test_add_data_func ("/scheduler/refused-together-keep-order", GUINT_TO_POINTER (4),
                        test_refused_together_keep_order);
  g_test_add_data_func ("/scheduler/refused-alone-keep-order", GUINT_TO_POINTER (0),
                        test_refused_together_keep_order);
  g_test_add_func ("/scheduler/again-group-not-joined-by-new", test_again_group_not_joined_by_new);
  g_test_add_func ("/scheduler/group-counts-what-went", test_group_counts_what_went);
  g_test_add_func ("/scheduler/cancel-while-waiting", test_cancel_while_waiting);
  g_test_add_func ("/scheduler/n-tasks-left", test_n_tasks_left);
  g_test_add_func ("/scheduler/refusal-holds-everything", test_refusal_holds_everything);
  g_test_add_func ("/scheduler/throttled-until-hold-over", test_throttled_until_hold_over);
  g_test_add_func ("/scheduler/max-rate", test_max_rate);
  g_test_add_func ("/scheduler/learnt-round-trip", test_learnt_round_trip);
  g_test_add_func ("/scheduler/seconds-left", test_seconds_left);

  return g_test_run ();
}
