/* lens-api-pace.h — how fast, and how many at once, the API lets us ask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LensApiRefusal:
 * @LENS_API_REFUSAL_RATE: too many requests a second (429 `too_many_requests`)
 * @LENS_API_REFUSAL_CONCURRENCY: too many requests at once (429
 *   `rate_limited`, "Concurrency limit exceeded for this token")
 *
 * What a 429 said was exceeded.
 */
typedef enum
{
  LENS_API_REFUSAL_RATE,
  LENS_API_REFUSAL_CONCURRENCY,
} LensApiRefusal;

/* The most requests in flight: AceData documents about five per token; one
 * is kept in hand for the user's other clients. */
#define LENS_API_PACE_MAX_IN_FLIGHT 4

typedef struct _LensApiPace LensApiPace;

LensApiPace *lens_api_pace_new               (void);
void         lens_api_pace_free              (LensApiPace    *self);

void         lens_api_pace_set_cap           (LensApiPace    *self,
                                              double          max_per_second);
double       lens_api_pace_get_cap           (LensApiPace    *self);
void         lens_api_pace_set_learnt        (LensApiPace    *self,
                                              double          limit_per_second,
                                              guint           max_in_flight,
                                              gint64          now);
void         lens_api_pace_get_learnt        (LensApiPace    *self,
                                              double         *limit_per_second,
                                              guint          *max_in_flight);
void         lens_api_pace_forget            (LensApiPace    *self);

gint64       lens_api_pace_next_send         (LensApiPace    *self,
                                              guint           n_in_flight,
                                              gint64          now);
void         lens_api_pace_sent              (LensApiPace    *self,
                                              gint64          now);
gboolean     lens_api_pace_succeeded         (LensApiPace    *self,
                                              gint64          sent_at,
                                              gint64          now);
void         lens_api_pace_unanswered        (LensApiPace    *self,
                                              gint64          sent_at);
gboolean     lens_api_pace_refused           (LensApiPace    *self,
                                              gint64          sent_at,
                                              guint           in_flight_before,
                                              LensApiRefusal  refusal,
                                              gint64          retry_after_us,
                                              gint64          now);

double       lens_api_pace_get_rate          (LensApiPace    *self);
guint        lens_api_pace_get_max_in_flight (LensApiPace    *self);
gint64       lens_api_pace_get_hold_until    (LensApiPace    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensApiPace, lens_api_pace_free)

G_END_DECLS
