/* test-api-pace.c — how fast, and how many at once, requests may go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensApiPace is told the time, so these tests move the clock by hand: no
 * timers, no waiting. The last tests run it against a simulated server
 * (a sliding window of r requests a second, k in flight) for a few hundred
 * requests, in simulated time: the targets, checked in
 * milliseconds.
 */

#include "config.h"

#include "lens-api-pace.h"
#include "lens-test.h"

#define SEC G_GINT64_CONSTANT (1000000)
#define MS  G_GINT64_CONSTANT (1000)

/* The monotonic clock starts anywhere; not at zero. */
#define T0  (1000 * SEC)

/* Sends one request at @now, answered with success at @now + @latency. */
static gint64
send_ok (LensApiPace *pace,
         gint64       now,
         gint64       latency)
{
  lens_api_pace_sent (pace, now);
  lens_api_pace_succeeded (pace, now, now + latency);
  return now + latency;
}

/* With nothing learnt, the first request goes at once, at most two are in
 * flight (one more every four successes, up to four), and the pace starts
 * at 8 a second. */
static void
test_first_request (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;

  g_assert_cmpint (lens_api_pace_next_send (pace, 0, T0), ==, T0);
  g_assert_cmpint (lens_api_pace_next_send (pace, 1, T0), ==, T0);
  g_assert_cmpint (lens_api_pace_next_send (pace, 2, T0), ==, G_MAXINT64);
  for (guint i = 0; i < 4; i++)
    now = send_ok (pace, now, MS);
  g_assert_cmpuint (lens_api_pace_get_max_in_flight (pace), ==, 3);
  for (guint i = 0; i < 4; i++)
    now = send_ok (pace, now, MS);
  g_assert_cmpuint (lens_api_pace_get_max_in_flight (pace), ==, 4);

  lens_api_pace_forget (pace);
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), ==, 8.0);

  lens_api_pace_sent (pace, T0);
  /* Evenly spaced, never a burst. */
  g_assert_cmpint (lens_api_pace_next_send (pace, 1, T0), ==, T0 + 125 * MS);
}

/* Every success doubles the pace while no limit is known. At full speed,
 * all in flight and never refused, the API has no limit worth learning:
 * that is kept, and the next session starts there. */
static void
test_slow_start (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;
  double limit;
  guint in_flight;

  now = send_ok (pace, now, 5 * MS);
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), ==, 16.0);
  now = send_ok (pace, now, 5 * MS);
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), ==, 32.0);
  /* An answer lets the next request go at once; one sent without an
   * answer in between waits for the pace. */
  g_assert_cmpint (lens_api_pace_next_send (pace, 0, now), ==, now);
  lens_api_pace_sent (pace, now);
  g_assert_cmpint (lens_api_pace_next_send (pace, 1, now), ==, now + SEC / 32);
  now = send_ok (pace, now, 5 * MS);

  for (guint i = 0; i < 4; i++)
    g_assert_false (lens_api_pace_succeeded (pace, now, now));
  /* 1000 a second, four in flight. */
  g_assert_true (lens_api_pace_succeeded (pace, now, now));
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), ==, 1000.0);
  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 1000.0);
  g_assert_cmpuint (in_flight, ==, 4);
}

/* The first 429 ends the slow start: what was admitted in the second before
 * is the limit, and the pace settles at 95 % of it. */
static void
test_first_refusal_measures (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;
  double limit;
  guint in_flight;

  for (guint i = 0; i < 5; i++)
    {
      now = lens_api_pace_next_send (pace, 0, now);
      now = send_ok (pace, now, 2 * MS);
    }
  now = lens_api_pace_next_send (pace, 0, now);
  lens_api_pace_sent (pace, now);
  g_assert_true (lens_api_pace_refused (pace, now, 0, LENS_API_REFUSAL_RATE, SEC, now + 2 * MS));

  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 5.0);
  g_assert_cmpuint (in_flight, ==, 3);
  g_assert_cmpfloat_with_epsilon (lens_api_pace_get_rate (pace), 4.75, 1e-9);
}

/* Requests in flight together are answered in any order: those sent
 * before the refused one and not answered yet were admitted before it, and
 * count in the limit it measures. */
static void
test_refusal_counts_requests_in_flight (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;
  double limit;
  guint in_flight;

  for (guint i = 0; i < 3; i++)
    now = send_ok (pace, now, 2 * MS);
  lens_api_pace_sent (pace, now);
  lens_api_pace_sent (pace, now + MS);
  lens_api_pace_sent (pace, now + 2 * MS);
  g_assert_true (lens_api_pace_refused (pace, now + 2 * MS, 2, LENS_API_REFUSAL_RATE, SEC,
                                        now + 3 * MS));
  lens_api_pace_succeeded (pace, now, now + 4 * MS);
  lens_api_pace_succeeded (pace, now + MS, now + 5 * MS);

  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 5.0);
}

/* A request that ended without an answer (cancelled, cut off) says nothing
 * of the limit: it is not counted as admitted. */
static void
test_unanswered_not_counted (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;
  double limit;
  guint in_flight;

  for (guint i = 0; i < 3; i++)
    now = send_ok (pace, now, 2 * MS);
  lens_api_pace_sent (pace, now);
  lens_api_pace_unanswered (pace, now);
  lens_api_pace_sent (pace, now + MS);
  g_assert_true (lens_api_pace_refused (pace, now + MS, 0, LENS_API_REFUSAL_RATE, SEC,
                                        now + 2 * MS));

  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 3.0);
}

/* A 429 holds every request: for Retry-After, at least a second (0 or a
 * past date still waits a little), without one 1, 2, 4… s plus jitter. */
static void
test_hold (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;
  gint64 at;

  lens_api_pace_sent (pace, now);
  lens_api_pace_refused (pace, now, 0, LENS_API_REFUSAL_RATE, 3 * SEC, now);
  g_assert_cmpint (lens_api_pace_next_send (pace, 0, now), ==, now + 3 * SEC);
  g_assert_cmpint (lens_api_pace_get_hold_until (pace), ==, now + 3 * SEC);

  now += 3 * SEC;
  lens_api_pace_sent (pace, now);
  lens_api_pace_refused (pace, now, 0, LENS_API_REFUSAL_RATE, 0, now);
  g_assert_cmpint (lens_api_pace_next_send (pace, 0, now), >=, now + SEC);

  now += SEC;
  lens_api_pace_sent (pace, now);
  lens_api_pace_succeeded (pace, now, now);
  lens_api_pace_sent (pace, now + 10 * SEC);
  now += 10 * SEC;
  lens_api_pace_refused (pace, now, 0, LENS_API_REFUSAL_RATE, -1, now);
  at = lens_api_pace_next_send (pace, 0, now);
  g_assert_cmpint (at, >=, now + SEC);
  g_assert_cmpint (at, <=, now + SEC + SEC / 10);

  lens_api_pace_sent (pace, at);
  lens_api_pace_refused (pace, at, 0, LENS_API_REFUSAL_RATE, -1, at);
  g_assert_cmpint (lens_api_pace_next_send (pace, 0, at), >=, at + 2 * SEC);
  g_assert_cmpint (lens_api_pace_next_send (pace, 0, at), <=, at + 2 * SEC + SEC / 5);

  /* A hold is never shortened by a later, shorter Retry-After. */
  lens_api_pace_refused (pace, at, 0, LENS_API_REFUSAL_RATE, 0, at);
  g_assert_cmpint (lens_api_pace_next_send (pace, 0, at), >=, at + 2 * SEC);
}

/* Requests on their way together are refused together: the pace is cut
 * once, not once for each. */
static void
test_refused_together (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;
  double rate;

  lens_api_pace_set_learnt (pace, 10, 4, now);
  while (now < T0 + SEC)
    {
      now = lens_api_pace_next_send (pace, 0, now);
      send_ok (pace, now, MS);
    }
  for (guint i = 0; i < 3; i++)
    lens_api_pace_sent (pace, now + i * MS);
  g_assert_true (lens_api_pace_refused (pace, now, 2, LENS_API_REFUSAL_RATE, SEC, now + 10 * MS));
  rate = lens_api_pace_get_rate (pace);
  g_assert_cmpfloat_with_epsilon (rate, 9.5 * 0.7, 1e-9);
  g_assert_false (lens_api_pace_refused (pace, now + MS, 2, LENS_API_REFUSAL_RATE, SEC, now + 10 * MS));
  g_assert_false (lens_api_pace_refused (pace, now + 2 * MS, 2, LENS_API_REFUSAL_RATE, SEC,
                                         now + 10 * MS));
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), ==, rate);
}

/* A later 429 cuts the pace at once, measures the limit again from what was
 * admitted in the second before, and the pace climbs back to 95 % of it
 * within a second or two, never above. */
static void
test_climb_back (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;
  double limit;
  guint in_flight;

  lens_api_pace_set_learnt (pace, 10, 4, now);
  while (now < T0 + 2 * SEC)
    {
      now = lens_api_pace_next_send (pace, 0, now);
      send_ok (pace, now, MS);
    }
  now = lens_api_pace_next_send (pace, 0, now);
  lens_api_pace_sent (pace, now);
  g_assert_true (lens_api_pace_refused (pace, now, 0, LENS_API_REFUSAL_RATE, 0, now));
  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 9.0);
  g_assert_cmpfloat_with_epsilon (lens_api_pace_get_rate (pace), 9.5 * 0.7, 1e-9);

  now = lens_api_pace_get_hold_until (pace);
  for (guint i = 0; i < 15; i++)
    {
      now = lens_api_pace_next_send (pace, 0, now);
      send_ok (pace, now, MS);
    }
  g_assert_cmpfloat_with_epsilon (lens_api_pace_get_rate (pace), 9.0 * 0.95, 1e-9);
}

/* After a minute without a refusal the pace probes 10 % higher; a refusal
 * then puts it back under the old limit and doubles the time to the next
 * probe. A probe that holds becomes the limit. */
static void
test_probe (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;
  gint64 steady_from;
  double limit;
  guint in_flight;

  lens_api_pace_set_learnt (pace, 2, 4, now);
  while (now < T0 + 59 * SEC)
    {
      now = lens_api_pace_next_send (pace, 0, now);
      send_ok (pace, now, MS);
    }
  g_assert_cmpfloat_with_epsilon (lens_api_pace_get_rate (pace), 1.9, 1e-9);

  while (now < T0 + 62 * SEC)
    {
      now = lens_api_pace_next_send (pace, 0, now);
      send_ok (pace, now, MS);
    }
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), >, 1.9);
  /* What is kept for the next session is what was confirmed. */
  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 2.0);

  now = lens_api_pace_next_send (pace, 0, now);
  lens_api_pace_sent (pace, now);
  g_assert_true (lens_api_pace_refused (pace, now, 0, LENS_API_REFUSAL_RATE, 0, now));
  g_assert_cmpfloat_with_epsilon (lens_api_pace_get_rate (pace), 1.9, 1e-9);

  /* The next probe waits two minutes. */
  steady_from = now;
  now = lens_api_pace_get_hold_until (pace);
  while (now < steady_from + 119 * SEC)
    {
      now = lens_api_pace_next_send (pace, 0, now);
      send_ok (pace, now, MS);
    }
  g_assert_cmpfloat_with_epsilon (lens_api_pace_get_rate (pace), 1.9, 1e-9);
  while (now < steady_from + 121 * SEC)
    {
      now = lens_api_pace_next_send (pace, 0, now);
      send_ok (pace, now, MS);
    }
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), >, 1.9);

  /* This probe holds for a minute: the limit is now 2.2. */
  while (now < steady_from + 190 * SEC)
    {
      now = lens_api_pace_next_send (pace, 0, now);
      send_ok (pace, now, MS);
    }
  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat_with_epsilon (limit, 2.2, 1e-9);
}

/* "Too many at once", for a request sent while others were in flight,
 * lowers the number in flight to what was admitted; a minute later one more
 * is tried. Without others in flight it is taken as a rate refusal. */
static void
test_concurrency (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;
  double rate;

  lens_api_pace_set_learnt (pace, 100, 4, now);
  rate = lens_api_pace_get_rate (pace);
  lens_api_pace_sent (pace, now);
  g_assert_true (lens_api_pace_refused (pace, now, 2, LENS_API_REFUSAL_CONCURRENCY, 0, now));
  g_assert_cmpuint (lens_api_pace_get_max_in_flight (pace), ==, 2);
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), ==, rate);
  g_assert_cmpint (lens_api_pace_next_send (pace, 2, now + 2 * SEC), ==, G_MAXINT64);

  now += 61 * SEC;
  send_ok (pace, now, MS);
  g_assert_cmpuint (lens_api_pace_get_max_in_flight (pace), ==, 3);

  /* (That success also began a probe above the limit: a minute passed.) */
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), >, rate);
  now += SEC;
  lens_api_pace_sent (pace, now);
  g_assert_true (lens_api_pace_refused (pace, now, 0, LENS_API_REFUSAL_CONCURRENCY, 0, now));
  g_assert_cmpuint (lens_api_pace_get_max_in_flight (pace), ==, 3);
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), ==, rate);
}

/* The user's cap holds whatever is learnt. */
static void
test_cap (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  gint64 now = T0;

  lens_api_pace_set_cap (pace, 2);
  for (guint i = 0; i < 10; i++)
    now = send_ok (pace, now, MS);
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), ==, 2.0);
  g_assert_cmpint (lens_api_pace_next_send (pace, 0, now), ==, now - MS + SEC / 2);

  lens_api_pace_set_cap (pace, 0);
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), >, 2.0);
}

/* What was learnt is read back, set again next session, and forgotten for
 * another URL or token. */
static void
test_learnt (void)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  double limit;
  guint in_flight;

  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 0);
  g_assert_cmpuint (in_flight, ==, 2);

  lens_api_pace_set_learnt (pace, 5, 3, T0);
  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 5);
  g_assert_cmpuint (in_flight, ==, 3);
  g_assert_cmpfloat_with_epsilon (lens_api_pace_get_rate (pace), 4.75, 1e-9);
  /* Starting near the pace: no doubling from 4 a second. */
  send_ok (pace, T0, MS);
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), <=, 4.75);

  /* A first request refused does not undo what a whole session learnt
   * (the server's window may still be full of that session's requests):
   * everything is held, the pace stays. */
  lens_api_pace_sent (pace, T0 + SEC);
  g_assert_false (lens_api_pace_refused (pace, T0 + SEC, 0, LENS_API_REFUSAL_RATE, -1, T0 + SEC));
  g_assert_cmpint (lens_api_pace_next_send (pace, 0, T0 + SEC), >=, T0 + 2 * SEC);
  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 5);

  /* Nonsense from the settings is kept in range. */
  lens_api_pace_set_learnt (pace, 1e9, 99, T0);
  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 1000);
  g_assert_cmpuint (in_flight, ==, 4);

  lens_api_pace_forget (pace);
  lens_api_pace_get_learnt (pace, &limit, &in_flight);
  g_assert_cmpfloat (limit, ==, 0);
  g_assert_cmpfloat (lens_api_pace_get_rate (pace), ==, 8.0);
}

/* ─── against a simulated server ───────────────────────────────────────── */

typedef struct
{
  double rate;          /* admitted a second (sliding window); 0: no limit */
  guint  max_in_flight; /* 0: no limit */
  gint64 latency;       /* µs from sending to the answer */
} Server;

typedef struct
{
  gint64   done_at;
  gint64   sent_at;
  guint    in_flight_before;
  gboolean refused;
  gboolean concurrency;
} Flight;

typedef struct
{
  gint64 elapsed;
  guint  n_refused;
  guint  n_sent;
} Outcome;

static gboolean
admits (const Server *server,
        GArray       *admitted,
        guint         n_held,
        gint64        now,
        gboolean     *concurrency)
{
  guint in_window = 0;

  *concurrency = server->max_in_flight > 0 && n_held >= server->max_in_flight;
  if (*concurrency)
    return FALSE;
  if (server->rate <= 0)
    return TRUE;
  for (guint i = 0; i < admitted->len; i++)
    if (g_array_index (admitted, gint64, i) > now - SEC)
      in_window++;
  return in_window < (guint) server->rate;
}

/* Sends @n requests through @pace to @server, in simulated time. */
static Outcome
simulate (const Server *server,
          guint         n)
{
  g_autoptr(LensApiPace) pace = lens_api_pace_new ();
  g_autoptr(GArray) flights = g_array_new (FALSE, FALSE, sizeof (Flight));
  g_autoptr(GArray) admitted = g_array_new (FALSE, FALSE, sizeof (gint64));
  Outcome outcome = { 0 };
  guint n_done = 0;
  gint64 now = T0;

  while (n_done < n)
    {
      gint64 next_done = G_MAXINT64;
      gint64 next_send = G_MAXINT64;
      guint n_held = 0;

      for (guint i = 0; i < flights->len; i++)
        next_done = MIN (next_done, g_array_index (flights, Flight, i).done_at);
      if (n_done + flights->len < n)
        next_send = lens_api_pace_next_send (pace, flights->len, now);
      now = MAX (now, MIN (next_done, next_send));
      g_assert_cmpint (now, <, T0 + 3600 * SEC);

      /* Answers first. */
      for (guint i = 0; i < flights->len;)
        {
          Flight flight = g_array_index (flights, Flight, i);

          if (flight.done_at > now)
            {
              i++;
              continue;
            }
          g_array_remove_index (flights, i);
          if (flight.refused)
            lens_api_pace_refused (pace, flight.sent_at, flight.in_flight_before,
                                   flight.concurrency ? LENS_API_REFUSAL_CONCURRENCY
                                                      : LENS_API_REFUSAL_RATE,
                                   -1, now);
          else
            {
              lens_api_pace_succeeded (pace, flight.sent_at, now);
              n_done++;
            }
        }

      if (n_done + flights->len < n && lens_api_pace_next_send (pace, flights->len, now) <= now)
        {
          Flight flight = { .done_at = now + server->latency, .sent_at = now,
                            .in_flight_before = flights->len };

          for (guint i = 0; i < flights->len; i++)
            n_held += !g_array_index (flights, Flight, i).refused;
          flight.refused = !admits (server, admitted, n_held, now, &flight.concurrency);
          if (flight.refused)
            outcome.n_refused++;
          else
            g_array_append_val (admitted, now);
          lens_api_pace_sent (pace, now);
          g_array_append_val (flights, flight);
          outcome.n_sent++;
        }
    }

  outcome.elapsed = now - T0;
  return outcome;
}

/* The targets: 200 requests against 5 a second and 3 in flight,
 * within 1.25 × the minimum (40 s) and at most 2 % refused; the same at 1 a
 * second (200 s), with a long way to the server, and against a generous
 * limit. */
static void
test_simulated_limits (void)
{
  const Server servers[] = {
    { .rate = 5, .max_in_flight = 3, .latency = 20 * MS },
    { .rate = 5, .max_in_flight = 3, .latency = 300 * MS },
    { .rate = 1, .max_in_flight = 3, .latency = 20 * MS },
    { .rate = 60, .max_in_flight = 5, .latency = 150 * MS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      Outcome outcome = simulate (&servers[i], 200);
      /* At the server's rate, or as fast as the requests in flight allow
       * (at most four of ours). */
      guint in_flight = MIN (servers[i].max_in_flight, LENS_API_PACE_MAX_IN_FLIGHT);
      double minimum = 200 / MIN (servers[i].rate, in_flight * (double) SEC / servers[i].latency);

      g_test_message ("%g/s, %u in flight, %" G_GINT64_FORMAT " ms: %.1f s (minimum %.1f s), "
                      "%u of %u refused", servers[i].rate, servers[i].max_in_flight,
                      servers[i].latency / MS, outcome.elapsed / (double) SEC, minimum,
                      outcome.n_refused, outcome.n_sent);
      g_assert_cmpfloat (outcome.elapsed / (double) SEC, <=, 1.25 * MAX (minimum, 1));
      g_assert_cmpuint (outcome.n_refused * 50, <=, outcome.n_sent);
    }
}

/* Without a limit, the pace soon stops mattering: only the number in
 * flight does. */
static void
test_simulated_no_limit (void)
{
  const Server server = { .rate = 0, .max_in_flight = 0, .latency = 20 * MS };
  Outcome outcome = simulate (&server, 200);
  /* Four in flight, 20 ms each: one second for 200. */
  double bare = 200 * 0.020 / 4;

  g_test_message ("no limit: %.2f s (four in flight: %.2f s)",
                  outcome.elapsed / (double) SEC, bare);
  g_assert_cmpuint (outcome.n_refused, ==, 0);
  g_assert_cmpfloat (outcome.elapsed / (double) SEC, <=, bare + 0.3);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/api-pace/first-request", test_first_request);
  g_test_add_func ("/api-pace/slow-start", test_slow_start);
  g_test_add_func ("/api-pace/refusal-counts-requests-in-flight",
                   test_refusal_counts_requests_in_flight);
  g_test_add_func ("/api-pace/unanswered-not-counted", test_unanswered_not_counted);
  g_test_add_func ("/api-pace/first-refusal-measures", test_first_refusal_measures);
  g_test_add_func ("/api-pace/hold", test_hold);
  g_test_add_func ("/api-pace/refused-together", test_refused_together);
  g_test_add_func ("/api-pace/climb-back", test_climb_back);
  g_test_add_func ("/api-pace/probe", test_probe);
  g_test_add_func ("/api-pace/concurrency", test_concurrency);
  g_test_add_func ("/api-pace/cap", test_cap);
  g_test_add_func ("/api-pace/learnt", test_learnt);
  g_test_add_func ("/api-pace/simulated-limits", test_simulated_limits);
  g_test_add_func ("/api-pace/simulated-no-limit", test_simulated_no_limit);

  return g_test_run ();
}
