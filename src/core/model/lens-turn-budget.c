/* lens-turn-budget.c — one time budget for the slices of work that share a main-loop turn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Long work on the main thread goes in slices at idle priority, each of a
 * few milliseconds: adding pasted ids to the list (lens-intake.c), applying
 * the server's answers and marking a refresh (lens-refresher.c), planning a
 * pass (lens-refresh-pass.c). GLib runs every ready source of the same
 * priority in one turn of its loop, so when all of them had work, one turn
 * ran them all, 4 ms each and more: a D-Bus call or a key press that came
 * meanwhile waited 12 to 20 ms (bench-paste). Input, drawing and D-Bus come
 * at a higher priority, so they never wait for more than one turn; what they
 * wait for is the sum of that turn's slices.
 *
 * So the slices share a budget per turn, LENS_TURN_BUDGET_US: the first one
 * of a turn may take its own budget, up to the turn's, the next ones what
 * is left, and every one at least LENS_TURN_MIN_SLICE_US (or its own
 * budget, if smaller), so that none waits forever behind another.
 *
 * A turn is told by a source of the highest priority whose prepare() the
 * main context calls at the start of every turn: it counts them. It is
 * attached to the global default context, the main thread's, for the
 * program's life; from any other context a slice has its own budget alone.
 */

#define G_LOG_DOMAIN "lens-turn-budget"

#include "config.h"

#include "lens-turn-budget.h"

typedef struct
{
  GSource source;
  guint64 turn;   /* counted in prepare() */
} TurnCounter;

static gboolean
turn_counter_prepare (GSource *source,
                      int     *timeout)
{
  ((TurnCounter *) source)->turn++;
  *timeout = -1;
  return FALSE;
}

static GSourceFuncs turn_counter_funcs = {
  .prepare = turn_counter_prepare,
};

static TurnCounter  *counter;      /* attached to the default context, never freed */
static guint64       deadline_turn = G_MAXUINT64;  /* the turn of the last start: none yet */
static gint64        deadline;     /* monotonic µs: the end of deadline_turn's budget */

static GMainContext *
current_context (void)
{
  GMainContext *context = g_main_context_get_thread_default ();

  return context != NULL ? context : g_main_context_default ();
}

/**
 * lens_turn_budget_until:
 * @own_budget_us: the most this slice would take alone
 *
 * Call at the start of a slice of main-thread work, from the main context.
 *
 * Returns: the monotonic time (g_get_monotonic_time()) at which the slice
 *   stops: its own budget, cut to what the turn has left, but never below
 *   LENS_TURN_MIN_SLICE_US (nor above @own_budget_us)
 */
gint64
lens_turn_budget_until (gint64 own_budget_us)
{
  gint64 now = g_get_monotonic_time ();
  gint64 allowed;

  if (current_context () != g_main_context_default ())
    return now + own_budget_us;
  if (counter == NULL)
    {
      counter = (TurnCounter *) g_source_new (&turn_counter_funcs, sizeof (TurnCounter));
      g_source_set_priority ((GSource *) counter, G_MININT);
      g_source_set_static_name ((GSource *) counter, "[lens-turn-budget] turn counter");
      g_source_attach ((GSource *) counter, NULL);
      /* The context keeps it, for the program's life. */
      g_source_unref ((GSource *) counter);
    }
  /* The first slice of a turn starts the turn's budget. */
  if (deadline_turn != counter->turn)
    {
      deadline_turn = counter->turn;
      deadline = now + LENS_TURN_BUDGET_US;
    }
  allowed = MIN (own_budget_us, MAX (deadline - now, LENS_TURN_MIN_SLICE_US));
  return now + allowed;
}
