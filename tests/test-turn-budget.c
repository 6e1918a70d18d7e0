/* test-turn-budget.c — the slices of one main-loop turn share its budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib runs every ready source of a priority in one turn: slices of work
 * (adding ids, applying answers, planning a pass) that each took their own
 * few milliseconds added up to a turn of 12 to 20 ms. lens_turn_budget_until()
 * gives the first slice of a turn up to LENS_TURN_BUDGET_US, the next ones
 * what is left, each at least LENS_TURN_MIN_SLICE_US.
 */

#include "config.h"

#include "lens-test.h"
#include "lens-turn-budget.h"

typedef struct
{
  gint64 before[3];   /* the clock just before each slice asked */
  gint64 after[3];    /* and just after */
  gint64 until[3];    /* what each was given */
  guint  n_run;
} Slices;

/* A slice that works until it is told to stop. */
static gboolean
slice_cb (gpointer user_data)
{
  Slices *slices = user_data;
  guint i = slices->n_run++;

  slices->before[i] = g_get_monotonic_time ();
  slices->until[i] = lens_turn_budget_until (4000);
  slices->after[i] = g_get_monotonic_time ();
  while (g_get_monotonic_time () < slices->until[i])
    ;
  return G_SOURCE_REMOVE;
}

/* That slice @i was given @budget_us from when it asked. The clock moves
 * between the test's reading and the budget's. */
static void
assert_given (const Slices *slices,
              guint         i,
              gint64        budget_us)
{
  g_assert_cmpint (slices->until[i], >=, slices->before[i] + budget_us);
  g_assert_cmpint (slices->until[i], <=, slices->after[i] + budget_us);
}

/* Three slices ready at once run in one turn, 4 ms each alone: together
 * they take the turn's budget, and the late ones their least. */
static void
test_shared_in_a_turn (void)
{
  Slices slices = { 0 };

  for (guint i = 0; i < 3; i++)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, slice_cb, &slices, NULL);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (slices.n_run, ==, 3);

  /* The first has its own 4 ms; the second what is left of the turn's 5,
   * or its least, 1 ms; the third its least. */
  assert_given (&slices, 0, 4000);
  g_assert_cmpint (slices.until[1], <=, MAX (slices.after[0] + LENS_TURN_BUDGET_US,
                                             slices.after[1] + LENS_TURN_MIN_SLICE_US));
  assert_given (&slices, 2, LENS_TURN_MIN_SLICE_US);
}

/* The next turn has a budget of its own. */
static void
test_next_turn_fresh (void)
{
  Slices slices = { 0 };

  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, slice_cb, &slices, NULL);
  g_main_context_iteration (NULL, FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, slice_cb, &slices, NULL);
  g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (slices.n_run, ==, 2);
  assert_given (&slices, 1, 4000);
}

/* A budget smaller than the least slice stays as it is. */
static void
test_own_budget_is_the_most (void)
{
  gint64 before = g_get_monotonic_time ();
  gint64 until = lens_turn_budget_until (10);

  g_assert_cmpint (until - before, <=, 10 + 1000);
  g_assert_cmpint (until, <=, g_get_monotonic_time () + 10);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/turn-budget/shared-in-a-turn", test_shared_in_a_turn);
  g_test_add_func ("/turn-budget/next-turn-fresh", test_next_turn_fresh);
  g_test_add_func ("/turn-budget/own-budget-is-the-most", test_own_budget_is_the_most);

  return g_test_run ();
}
