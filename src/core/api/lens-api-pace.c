/* lens-api-pace.c — how fast, and how many at once, the API lets us ask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AceData throttles per token, and its published figures disagree (about
 * five in flight; one guide says under one request a second, another 60;
 * a plan may change them). So the limit is learnt from the server's
 * answers. This is the learning, without timers: a plain struct told the
 * time ("now", monotonic µs), tested by moving a number
 * (tests/test-api-pace.c). LensScheduler applies it.
 *
 * Requests leave at most `rate` a second, evenly spaced (never in bursts,
 * which a sliding window would refuse), and at most `max_in_flight` at once.
 *
 * - **Slow start.** With nothing learnt, the first request goes at once and
 *   the pace doubles with every success, from a cautious 8 a second, with
 *   two in flight and one more every four successes (up to four); each
 *   success also lets the next request go at once (the pace spaces only
 *   requests sent without an answer in between): an API
 *   without a limit is soon asked as fast as the requests in flight allow
 *   (and that is kept: the next session starts there), one with a limit is
 *   found within its first second.
 * - **The first 429** ends the slow start. The requests admitted in the
 *   second before the refused one was sent are what the server allows a
 *   second: that is the limit, and the pace settles just under it (95 %).
 * - **Later 429s** cut the pace at once (to 70 %) and measure the limit
 *   again the same way; the pace climbs back under it within a second or
 *   two. When the pace was probing above the limit, it goes back under the
 *   old one.
 * - **Probing.** After a minute without a refusal the limit is assumed 10 %
 *   higher (a plan may have changed); a refusal then costs one request and
 *   doubles the time to the next probe, so a steady limit is hardly ever
 *   overrun.
 * - **Hold.** Every refusal holds every request until Retry-After has run
 *   (seconds or a date, parsed by the caller; 0 or a past date still waits
 *   a second), or without one for 1, 2, 4, 8, 16… s plus jitter.
 * - A refusal of a request sent before the last cut is not news: requests
 *   that were on their way together are refused together, and cut once.
 * - **Concurrency.** A 429 that says "too many at once", for a request sent
 *   while others were in flight, lowers the number in flight to what was
 *   admitted; it comes back one at a time after a minute without one.
 *
 * What was learnt (the limit and the number in flight) is read and set by
 * the owner, which keeps it per API URL across restarts.
 */

#define G_LOG_DOMAIN "lens-api-pace"

#include "config.h"

#include "lens-api-pace.h"

#define SECOND                G_TIME_SPAN_SECOND
#define INITIAL_RATE          8.0
#define MAX_RATE              1000.0
#define MIN_RATE              0.05
#define MARGIN                0.95
#define DECREASE              0.7
#define PROBE_STEP            1.1
/* Under the limit, the pace climbs back by this share of it every second. */
#define CLIMB_PER_SECOND      0.25
#define MIN_HOLD              (1 * SECOND)
#define MAX_HOLD              (300 * SECOND)
#define FIRST_PROBE_AFTER     (60 * SECOND)
#define MAX_PROBE_AFTER       (16 * 60 * SECOND)
/* Send times of admitted requests kept to measure a limit: more than any
 * limit worth measuring admits in a second. */
#define N_ADMITTED            256
/* In flight at first, and how many successes add one more in the slow
 * start. */
#define INITIAL_IN_FLIGHT     2
#define SUCCESSES_PER_SLOT    4

struct _LensApiPace
{
  double   rate;             /* requests a second, now */
  double   limit;            /* learnt requests a second; 0 while unknown */
  double   confirmed_limit;  /* the limit before a probe raised it */
  double   cap;              /* the user's ceiling; 0 for none */
  gboolean slow_start;
  gboolean probing;
  guint    max_in_flight;
  gint64   last_send;        /* monotonic µs; -1 before the first */
  gint64   hold_until;       /* monotonic µs */
  gint64   last_cut;         /* monotonic µs: the last time a refusal was acted on */
  gint64   steady_since;     /* monotonic µs: no refusal acted on since */
  gint64   probe_after;      /* µs of steady success before probing */
  gint64   last_window_change; /* monotonic µs */
  guint    consecutive_refusals;
  guint    successes_since_window_change;

  GArray  *outstanding;      /* of gint64: send times of requests not answered yet */
  gint64   admitted[N_ADMITTED]; /* a ring of send times of admitted requests */
  guint    admitted_next;
  guint    n_admitted;
};

static void
start_over (LensApiPace *self)
{
  self->rate = INITIAL_RATE;
  self->limit = 0;
  self->confirmed_limit = 0;
  self->slow_start = TRUE;
  self->probing = FALSE;
  self->max_in_flight = INITIAL_IN_FLIGHT;
  self->successes_since_window_change = 0;
  self->last_send = -1;
  self->hold_until = G_MININT64;
  self->last_cut = G_MININT64;
  self->steady_since = 0;
  self->probe_after = FIRST_PROBE_AFTER;
  self->last_window_change = 0;
  self->consecutive_refusals = 0;
  self->admitted_next = 0;
  self->n_admitted = 0;
  g_array_set_size (self->outstanding, 0);
}

LensApiPace *
lens_api_pace_new (void)
{
  LensApiPace *self = g_new0 (LensApiPace, 1);

  self->outstanding = g_array_new (FALSE, FALSE, sizeof (gint64));
  start_over (self);
  return self;
}

void
lens_api_pace_free (LensApiPace *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->outstanding);
  g_free (self);
}

/**
 * lens_api_pace_set_cap:
 * @max_per_second: never more requests a second than this; 0 for no cap
 *
 * The user's own ceiling (Preferences): the pace learns as before, but
 * never goes faster.
 */
void
lens_api_pace_set_cap (LensApiPace *self,
                       double       max_per_second)
{
  self->cap = MAX (max_per_second, 0);
}

double
lens_api_pace_get_cap (LensApiPace *self)
{
  return self->cap;
}

/**
 * lens_api_pace_set_learnt:
 * @limit_per_second: the limit learnt before (for this API URL), 0 when
 *   none was ever met
 * @max_in_flight: how many requests at once were admitted
 *
 * Starts near a pace learnt in an earlier session, rather than slowly.
 */
void
lens_api_pace_set_learnt (LensApiPace *self,
                          double       limit_per_second,
                          guint        max_in_flight,
                          gint64       now)
{
  start_over (self);
  self->max_in_flight = CLAMP (max_in_flight, 1, LENS_API_PACE_MAX_IN_FLIGHT);
  self->last_window_change = now;
  self->steady_since = now;
  if (limit_per_second > 0)
    {
      self->limit = CLAMP (limit_per_second, MIN_RATE, MAX_RATE);
      self->rate = self->limit * MARGIN;
      self->slow_start = FALSE;
    }
}

/**
 * lens_api_pace_get_learnt:
 * @limit_per_second: (out): the limit learnt, 0 when none was met
 * @max_in_flight: (out): how many requests at once are admitted
 */
void
lens_api_pace_get_learnt (LensApiPace *self,
                          double      *limit_per_second,
                          guint       *max_in_flight)
{
  *limit_per_second = self->probing ? self->confirmed_limit : self->limit;
  *max_in_flight = self->max_in_flight;
}

/* Back to a cautious start: for another API URL or token. */
void
lens_api_pace_forget (LensApiPace *self)
{
  start_over (self);
}

static double
effective_rate (LensApiPace *self)
{
  return self->cap > 0 ? MIN (self->rate, self->cap) : self->rate;
}

/**
 * lens_api_pace_next_send:
 * @n_in_flight: requests sent and not answered yet
 *
 * Returns: when the next request may leave (monotonic µs; @now or earlier
 *   means at once), or %G_MAXINT64 when one in flight must end first
 */
gint64
lens_api_pace_next_send (LensApiPace *self,
                         guint        n_in_flight,
                         gint64       now)
{
  gint64 at = MAX (now, self->hold_until);

  if (n_in_flight >= self->max_in_flight)
    return G_MAXINT64;
  if (self->last_send >= 0)
    at = MAX (at, self->last_send + (gint64) (SECOND / effective_rate (self)));
  return at;
}

void
lens_api_pace_sent (LensApiPace *self,
                    gint64       now)
{
  self->last_send = now;
  g_array_append_val (self->outstanding, now);
}

/* @sent_at was answered, or will never be. */
static void
settle (LensApiPace *self,
        gint64       sent_at)
{
  for (guint i = 0; i < self->outstanding->len; i++)
    if (g_array_index (self->outstanding, gint64, i) == sent_at)
      {
        g_array_remove_index_fast (self->outstanding, i);
        return;
      }
}

/**
 * lens_api_pace_unanswered:
 * @sent_at: when the request was sent
 *
 * A request ended without an answer that says anything of the limit (a
 * cancel, a broken connection).
 */
void
lens_api_pace_unanswered (LensApiPace *self,
                          gint64       sent_at)
{
  settle (self, sent_at);
}

/* The requests admitted in the second before @sent_at: those answered,
 * and those sent before it and still unanswered, which the server took
 * before it (requests in flight together are answered in any order). */
static guint
admitted_in_second_before (LensApiPace *self,
                           gint64       sent_at)
{
  guint n = 0;

  for (guint i = 0; i < self->n_admitted; i++)
    {
      gint64 at = self->admitted[i];

      if (at <= sent_at && at > sent_at - SECOND)
        n++;
    }
  for (guint i = 0; i < self->outstanding->len; i++)
    {
      gint64 at = g_array_index (self->outstanding, gint64, i);

      if (at < sent_at && at > sent_at - SECOND)
        n++;
    }
  return n;
}

/* One more in flight: every few successes in the slow start, then after a
 * minute without a refusal. */
static gboolean
grow_window (LensApiPace *self,
             gint64       now)
{
  self->successes_since_window_change++;
  if (self->max_in_flight >= LENS_API_PACE_MAX_IN_FLIGHT)
    return FALSE;
  if (!(self->slow_start ? self->successes_since_window_change >= SUCCESSES_PER_SLOT
                         : now - self->last_window_change >= self->probe_after))
    return FALSE;

  self->max_in_flight++;
  self->last_window_change = now;
  self->successes_since_window_change = 0;
  /* Worth keeping once learnt; in the slow start it is only starting. */
  return !self->slow_start;
}

/**
 * lens_api_pace_succeeded:
 * @sent_at: when the request was sent (its lens_api_pace_sent() time)
 *
 * A request was admitted: the server answered it with anything but a 429.
 *
 * Returns: whether what was learnt changed (a probe held, or one more
 *   request in flight is admitted)
 */
gboolean
lens_api_pace_succeeded (LensApiPace *self,
                         gint64       sent_at,
                         gint64       now)
{
  gboolean learnt;

  settle (self, sent_at);
  self->admitted[self->admitted_next] = sent_at;
  self->admitted_next = (self->admitted_next + 1) % N_ADMITTED;
  self->n_admitted = MIN (self->n_admitted + 1, N_ADMITTED);
  self->consecutive_refusals = 0;

  learnt = grow_window (self, now);

  if (self->slow_start)
    {
      self->rate = MIN (self->rate * 2, MAX_RATE);
      /* An answer clocks out the next request at once, as in TCP's slow
       * start: while nothing is known, the requests in flight are the
       * caution (a limit is met after as many requests either way), and
       * waiting for the pace as well only kept an API without a limit
       * waiting through its first few hundred milliseconds. */
      self->last_send = -1;
      /* As fast as is worth asking, all in flight, and never refused: this
       * API has no limit worth learning. Kept, so that the next session
       * starts at full speed. */
      if (self->rate >= MAX_RATE && self->max_in_flight == LENS_API_PACE_MAX_IN_FLIGHT)
        {
          self->slow_start = FALSE;
          self->limit = self->confirmed_limit = MAX_RATE;
          self->steady_since = now;
          return TRUE;
        }
      return learnt;
    }

  /* A probe that has held for half the probing time is the new limit. */
  if (self->probing && now - self->steady_since >= self->probe_after / 2)
    {
      self->probing = FALSE;
      self->confirmed_limit = self->limit;
      self->steady_since = now;
      learnt = TRUE;
    }
  else if (!self->probing && now - self->steady_since >= self->probe_after)
    {
      self->probing = TRUE;
      self->confirmed_limit = self->limit;
      self->limit = MIN (self->limit * PROBE_STEP, MAX_RATE);
      self->steady_since = now;
    }

  /* Climb back under the limit within a few seconds: a fixed share of the
   * limit per second of requests, so per request it shrinks as the pace
   * grows. */
  self->rate = MIN (self->rate + CLIMB_PER_SECOND * self->limit / self->rate,
                    self->limit * MARGIN);
  return learnt;
}

static gint64
hold_for (LensApiPace *self,
          gint64       retry_after_us)
{
  gint64 hold;

  if (retry_after_us >= 0)
    return CLAMP (retry_after_us, MIN_HOLD, MAX_HOLD);

  /* 1, 2, 4, 8, 16 s…, plus up to a tenth of it, so that clients throttled
   * together do not come back together. */
  hold = MIN_HOLD << MIN (self->consecutive_refusals - 1, 8);
  hold += g_random_int_range (0, (gint32) (hold / 10) + 1);
  return MIN (hold, MAX_HOLD);
}

/**
 * lens_api_pace_refused:
 * @sent_at: when the refused request was sent
 * @in_flight_before: how many others were in flight when it was sent
 * @refusal: what the server said was exceeded
 * @retry_after_us: the server's Retry-After in µs from @now, or -1 for none
 *
 * A request was refused with a 429: every request is held for a while,
 * and the pace or the number in flight is cut.
 *
 * Returns: whether what was learnt changed
 */
gboolean
lens_api_pace_refused (LensApiPace    *self,
                       gint64          sent_at,
                       guint           in_flight_before,
                       LensApiRefusal  refusal,
                       gint64          retry_after_us,
                       gint64          now)
{
  guint admitted;

  settle (self, sent_at);

  /* Sent before the last cut: part of the congestion already acted on. Only
   * the server's own Retry-After may hold longer. */
  if (sent_at <= self->last_cut)
    {
      if (retry_after_us >= 0)
        self->hold_until = MAX (self->hold_until, now + hold_for (self, retry_after_us));
      return FALSE;
    }

  self->consecutive_refusals++;
  self->hold_until = MAX (self->hold_until, now + hold_for (self, retry_after_us));
  self->last_cut = now;
  self->steady_since = now;

  if (refusal == LENS_API_REFUSAL_CONCURRENCY && in_flight_before > 0)
    {
      self->max_in_flight = MAX (1, MIN (self->max_in_flight, in_flight_before));
      self->last_window_change = now;
      self->successes_since_window_change = 0;
      return TRUE;
    }

  admitted = admitted_in_second_before (self, sent_at);
  if (self->probing)
    {
      self->limit = self->confirmed_limit;
      self->rate = self->limit * MARGIN;
      self->probe_after = MIN (self->probe_after * 2, MAX_PROBE_AFTER);
    }
  else if (admitted > 0)
    {
      /* What the server admitted in the second before is what it allows
       * (a sliding window, or what another client of the same token left
       * over). Out of the slow start, the pace is also cut at once, and
       * climbs back under the limit within a second or two. */
      self->limit = CLAMP ((double) admitted, MIN_RATE, MAX_RATE);
      self->rate = MIN (self->slow_start ? self->rate : effective_rate (self) * DECREASE,
                        self->limit * MARGIN);
    }
  else if (!self->slow_start && admitted < self->limit / 2 && self->consecutive_refusals == 1)
    {
      /* Refused while far under a limit learnt before (at the start of a
       * session, say): the server's window may still be full of the last
       * session's requests, or of another client's. Holding is enough this
       * once; what a whole session learnt stays. A second refusal in a row
       * cuts. */
      return FALSE;
    }
  else
    {
      /* Nothing admitted for a second, and still refused: a limit below
       * one a second, or the first request refused. Cut at once. */
      self->rate = MAX (effective_rate (self) * DECREASE, MIN_RATE);
      self->limit = self->rate / MARGIN;
    }
  /* Out of the slow start, one more in flight waits a minute from now. */
  if (self->slow_start)
    self->last_window_change = now;
  self->slow_start = FALSE;
  self->probing = FALSE;
  self->confirmed_limit = self->limit;
  return TRUE;
}

double
lens_api_pace_get_rate (LensApiPace *self)
{
  return effective_rate (self);
}

guint
lens_api_pace_get_max_in_flight (LensApiPace *self)
{
  return self->max_in_flight;
}

/* Returns: until when every request is held (monotonic µs) */
gint64
lens_api_pace_get_hold_until (LensApiPace *self)
{
  return self->hold_until;
}
