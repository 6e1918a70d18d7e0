/* lens-fake-limits.c — the fake server admits what a real token would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AceData limits each token to a few requests in flight and to a rate, and
 * answers 429 beyond either (API.md, "Limits"). Only POST /midjourney/tasks is
 * limited: images come from a CDN. A request is checked first against the
 * requests in flight, then against a sliding window holding the arrival times
 * of the requests admitted in the last second (in the last 1/r seconds below
 * one request a second); a refused request takes no place in either. An
 * admitted answer may be held back for a latency: the message is paused and
 * answered from a timeout, so that meanwhile the main loop keeps receiving,
 * counting and refusing other requests.
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include <math.h>

#include <libsoup/soup.h>

#include "lens-fake-api-private.h"

#define DEFAULT_RATE_CODE        "too_many_requests"
#define DEFAULT_CONCURRENCY_CODE "rate_limited"
#define RATE_MESSAGE             "Too many requests"
#define CONCURRENCY_MESSAGE      "Concurrency limit exceeded for this token"
#define PAST_SECONDS             60

/* libsoup names no 429. */
#define STATUS_TOO_MANY_REQUESTS 429

/* An admitted answer waiting out the latency. */
typedef struct
{
  LensFakeApi       *self;            /* unowned: dispose drops all held answers first */
  SoupServerMessage *msg;             /* owned */
  GHashTable        *query;           /* owned, nullable */
  char              *path;            /* owned */
  gint64             due_usec;        /* monotonic time the answer is sent */
  GSource           *source;          /* owned */
  gulong             disconnected_id;
} LensFakeHeld;

void
lens_fake_held_free (gpointer data)
{
  LensFakeHeld *held = data;

  g_clear_signal_handler (&held->disconnected_id, held->msg);
  if (held->source != NULL)
    g_source_destroy (held->source);
  g_clear_pointer (&held->source, g_source_unref);
  g_clear_pointer (&held->query, g_hash_table_unref);
  g_clear_object (&held->msg);
  g_free (held->path);
  g_free (held);
}

/* Retry-After */

static char *
http_date (gint64 unix_seconds)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (unix_seconds);

  return soup_date_time_to_string (date, SOUP_DATE_HTTP);
}

/* Returns (nullable) the Retry-After value for a request that would be
 * admitted after @wait_usec. */
static char *
retry_after_value (LensFakeRetryAfter kind,
                   gint64             wait_usec)
{
  gint64 wait_seconds = MAX ((wait_usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1);
  gint64 real_usec = g_get_real_time ();

  switch (kind)
    {
    case LENS_FAKE_RETRY_AFTER_NONE:
      return NULL;
    case LENS_FAKE_RETRY_AFTER_SECONDS:
      return g_strdup_printf ("%" G_GINT64_FORMAT, wait_seconds);
    case LENS_FAKE_RETRY_AFTER_DATE:
      /* An HTTP date has whole seconds: rounded up, it is never early. */
      real_usec += MAX (wait_usec, G_USEC_PER_SEC);
      return http_date ((real_usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    case LENS_FAKE_RETRY_AFTER_ZERO:
      return g_strdup ("0");
    case LENS_FAKE_RETRY_AFTER_PAST:
      return http_date (real_usec / G_USEC_PER_SEC - PAST_SECONDS);
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
refuse (LensFakeApi       *self,
        SoupServerMessage *msg,
        const char        *code,
        const char        *message,
        gint64             wait_usec)
{
  g_autoptr(LensFakeAnswer) answer = NULL;

  answer = lens_fake_answer_error (STATUS_TOO_MANY_REQUESTS, code, message);
  answer->retry_after_value = retry_after_value (self->limits.retry_after, wait_usec);
  self->refused++;
  lens_fake_answer_apply (answer, msg);
}

/* The limits */

/* Returns 0 if a request arriving at @now_usec fits in the rate window,
 * otherwise how long until one would. */
static gint64
rate_wait (LensFakeApi *self,
           gint64       now_usec)
{
  double rate = self->limits.requests_per_second;
  gint64 span_usec = G_USEC_PER_SEC;
  guint capacity;
  guint expired = 0;

  if (rate <= 0)
    return 0;

  if (rate >= 1)
    capacity = (guint) MIN (floor (rate), (double) G_MAXUINT);
  else
    {
      span_usec = (gint64) ceil (G_USEC_PER_SEC / rate);
      capacity = 1;
    }

  while (expired < self->admitted->len
         && g_array_index (self->admitted, gint64, expired) <= now_usec - span_usec)
    expired++;
  g_array_remove_range (self->admitted, 0, expired);

  if (self->admitted->len < capacity)
    return 0;

  /* Once this one leaves the window (and all older with it), fewer than
   * capacity remain in it. */
  return g_array_index (self->admitted, gint64, self->admitted->len - capacity)
         + span_usec - now_usec;
}

/* How long until an answer in flight is sent, as far as the server knows. */
static gint64
concurrency_wait (LensFakeApi *self,
                  gint64       now_usec)
{
  gint64 due_usec = G_MAXINT64;

  for (guint i = 0; i < self->held->len; i++)
    {
      LensFakeHeld *held = g_ptr_array_index (self->held, i);

      due_usec = MIN (due_usec, held->due_usec);
    }

  return due_usec == G_MAXINT64 ? G_USEC_PER_SEC : MAX (due_usec - now_usec, 1);
}

/* Answers @msg, which is in flight. */
static void
answer_admitted (LensFakeApi       *self,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query)
{
  g_autoptr(LensFakeAnswer) answer = lens_fake_api_route (self, msg, path, query);

  lens_fake_answer_apply (answer, msg);
  g_assert (self->in_flight > 0);
  self->in_flight--;
}

static gboolean
held_run_cb (gpointer user_data)
{
  LensFakeHeld *held = user_data;
  LensFakeApi *self = held->self;

  g_clear_signal_handler (&held->disconnected_id, held->msg);
  answer_admitted (self, held->msg, held->path, held->query);
  soup_server_message_unpause (held->msg);

  g_ptr_array_remove_fast (self->held, held);
  return G_SOURCE_REMOVE;
}

static void
held_disconnected_cb (SoupServerMessage *msg,
                      LensFakeHeld      *held)
{
  LensFakeApi *self = held->self;

  /* The client went away: there is nobody left to answer. */
  g_assert (self->in_flight > 0);
  self->in_flight--;
  g_ptr_array_remove_fast (self->held, held);
}

static void
hold (LensFakeApi       *self,
      SoupServerMessage *msg,
      const char        *path,
      GHashTable        *query,
      gint64             now_usec)
{
  LensFakeHeld *held = g_new0 (LensFakeHeld, 1);

  held->self = self;
  held->msg = g_object_ref (msg);
  held->path = g_strdup (path);
  held->query = query != NULL ? g_hash_table_ref (query) : NULL;
  held->due_usec = now_usec + self->limits.latency_ms * (gint64) 1000;
  held->source = g_timeout_source_new (self->limits.latency_ms);
  g_source_set_callback (held->source, held_run_cb, held, NULL);
  g_source_set_static_name (held->source, "[tasklens] fake API latency");
  g_source_attach (held->source, self->context);
  held->disconnected_id = g_signal_connect (msg, "disconnected",
                                            G_CALLBACK (held_disconnected_cb), held);
  g_ptr_array_add (self->held, held);

  soup_server_message_pause (msg);
}

/**
 * lens_fake_api_apply_limits:
 *
 * Refuses, holds or answers a request to the API; called for every request
 * that no fault took over.
 *
 * Returns: %TRUE if the request was one to the API, and is now taken care of
 */
gboolean
lens_fake_api_apply_limits (LensFakeApi       *self,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query)
{
  gint64 now_usec = g_get_monotonic_time ();
  gint64 wait_usec;

  if (!g_str_equal (path, LENS_FAKE_TASKS_PATH)
      || !g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    return FALSE;

  if (self->limits.max_in_flight > 0 && self->in_flight >= self->limits.max_in_flight)
    {
      refuse (self, msg, self->limits.concurrency_code, CONCURRENCY_MESSAGE,
              concurrency_wait (self, now_usec));
      return TRUE;
    }

  wait_usec = rate_wait (self, now_usec);
  if (wait_usec > 0)
    {
      refuse (self, msg, self->limits.rate_code, RATE_MESSAGE, wait_usec);
      return TRUE;
    }
  if (self->limits.requests_per_second > 0)
    g_array_append_val (self->admitted, now_usec);

  self->in_flight++;
  self->max_in_flight_seen = MAX (self->max_in_flight_seen, self->in_flight);

  if (self->limits.latency_ms > 0)
    hold (self, msg, path, query, now_usec);
  else
    answer_admitted (self, msg, path, query);

  return TRUE;
}

/* Public API */

/**
 * lens_fake_api_set_limits:
 * @limits: (nullable): the limits, copied with their strings; %NULL for none
 *
 * Limits POST /midjourney/tasks as a real token is limited: a request that
 * arrives while @limits->max_in_flight admitted ones are not yet answered is
 * refused with 429 @limits->concurrency_code; one that arrives when
 * floor(@limits->requests_per_second) were admitted in the last second (for
 * a rate below 1, when one was admitted in the last 1/rate seconds) is
 * refused with 429 @limits->rate_code. Both carry the chosen Retry-After.
 * Every admitted answer is sent @limits->latency_ms after it arrived.
 *
 * Queued faults take precedence: a request a fault takes over is neither
 * limited nor counted in flight. The requests admitted so far stay in the
 * rate window when the limits change.
 */
void
lens_fake_api_set_limits (LensFakeApi          *self,
                          const LensFakeLimits *limits)
{
  char *rate_code = NULL;
  char *concurrency_code = NULL;

  g_return_if_fail (LENS_IS_FAKE_API (self));
  g_return_if_fail (limits == NULL || limits->requests_per_second >= 0);
  g_return_if_fail (limits == NULL || limits->retry_after <= LENS_FAKE_RETRY_AFTER_PAST);

  /* Copied before the old ones are freed: @limits may hold them. */
  if (limits != NULL)
    {
      rate_code = g_strdup (limits->rate_code != NULL ? limits->rate_code : DEFAULT_RATE_CODE);
      concurrency_code = g_strdup (limits->concurrency_code != NULL
                                   ? limits->concurrency_code : DEFAULT_CONCURRENCY_CODE);
    }
  g_free (self->rate_code);
  g_free (self->concurrency_code);
  self->rate_code = rate_code;
  self->concurrency_code = concurrency_code;

  if (limits != NULL)
    self->limits = *limits;
  else
    self->limits = (LensFakeLimits) { 0 };
  self->limits.rate_code = self->rate_code;
  self->limits.concurrency_code = self->concurrency_code;
}

/**
 * lens_fake_api_count_refused:
 *
 * Returns: how many 429 answers the limits (not faults) gave since the
 *   server started or since lens_fake_api_clear_requests()
 */
guint
lens_fake_api_count_refused (LensFakeApi *self)
{
  g_return_val_if_fail (LENS_IS_FAKE_API (self), 0);

  return self->refused;
}

/**
 * lens_fake_api_get_max_in_flight_seen:
 *
 * Counted whether or not there are limits, since the server started or
 * since lens_fake_api_clear_requests().
 *
 * Returns: the most requests to the API admitted and not yet answered at once
 */
guint
lens_fake_api_get_max_in_flight_seen (LensFakeApi *self)
{
  g_return_val_if_fail (LENS_IS_FAKE_API (self), 0);

  return self->max_in_flight_seen;
}
