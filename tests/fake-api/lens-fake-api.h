/* lens-fake-api.h — a local stand-in for the AceData Midjourney Tasks API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real HTTP server (SoupServer on 127.0.0.1) that implements the contract in
 * tests/data/API.md, including its inconvenient parts. Tests start it
 * in-process; tasklens-fake-api runs it standalone for the demo.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LENS_TYPE_FAKE_API (lens_fake_api_get_type ())
G_DECLARE_FINAL_TYPE (LensFakeApi, lens_fake_api, LENS, FAKE_API, GObject)

/* The kinds of generated tasks (see lens_fake_api_seed_generated()). */
typedef enum
{
  LENS_FAKE_TASK_IMAGINE,   /* a finished 2×2 imagine grid */
  LENS_FAKE_TASK_UPSCALE,   /* a finished upscale (one image, upscale_2x… actions) */
  LENS_FAKE_TASK_DESCRIBE,  /* a finished describe: four descriptions */
  LENS_FAKE_TASK_VIDEOS,    /* a finished videos task: video_urls, poster image */
  LENS_FAKE_TASK_EDITS,     /* a finished edits task: sub_image_urls */
  LENS_FAKE_TASK_FAILED,    /* response.success false with an error object */
  LENS_FAKE_TASK_RUNNING,   /* pending, then running with rising progress, then done */
  LENS_FAKE_TASK_VARIATION, /* a finished variation of a grid: a new 2×2 grid */
} LensFakeTaskKind;

/* Where a fault applies. */
typedef enum
{
  LENS_FAKE_TARGET_TASKS,   /* POST /midjourney/tasks, listings included */
  LENS_FAKE_TARGET_IMAGES,  /* GET /images/… */
  LENS_FAKE_TARGET_LISTING, /* only listings: a retrieve_batch without ids and trace_ids */
} LensFakeTarget;

typedef enum
{
  LENS_FAKE_FAULT_STATUS,         /* answer @status with its documented error body */
  LENS_FAKE_FAULT_DELAY,          /* answer normally after @delay_ms */
  LENS_FAKE_FAULT_TRUNCATED_BODY, /* announce the full Content-Length, send half, close */
  LENS_FAKE_FAULT_RESET,          /* close the connection without answering */
  LENS_FAKE_FAULT_INVALID_JSON,   /* 200, application/json, a body that is not JSON */
  LENS_FAKE_FAULT_WRONG_SHAPE,    /* 200, valid JSON of the wrong shape (an array of numbers) */
  LENS_FAKE_FAULT_OVERSIZED,      /* 200, valid JSON of @size bytes */
  LENS_FAKE_FAULT_WRONG_CONTENT_TYPE, /* 200, text/html body */
  LENS_FAKE_FAULT_TRICKLE,        /* 200, then one byte of body every @delay_ms, never done */
  LENS_FAKE_FAULT_NO_ITEMS,       /* 200, a JSON object without "items": {"data": []} */
} LensFakeFaultKind;

typedef struct
{
  LensFakeFaultKind kind;
  LensFakeTarget    target;
  guint             status;       /* FAULT_STATUS: the HTTP status */
  const char       *code;         /* FAULT_STATUS: error.code; NULL picks the documented one */
  int               retry_after;  /* FAULT_STATUS: Retry-After seconds, or -1 for none */
  guint             delay_ms;     /* FAULT_DELAY, FAULT_TRICKLE */
  gsize             size;         /* FAULT_OVERSIZED: body size in bytes */
} LensFakeFault;

/* What a rate refusal says about when to come back. */
typedef enum
{
  LENS_FAKE_RETRY_AFTER_NONE,     /* no Retry-After header */
  LENS_FAKE_RETRY_AFTER_SECONDS,  /* "Retry-After: N": whole seconds until a request would be admitted (at least 1) */
  LENS_FAKE_RETRY_AFTER_DATE,     /* an HTTP date that far ahead (rounded up to the next whole second, at least 1 s ahead) */
  LENS_FAKE_RETRY_AFTER_ZERO,     /* "Retry-After: 0" */
  LENS_FAKE_RETRY_AFTER_PAST,     /* an HTTP date one minute in the past */
} LensFakeRetryAfter;

/* The limits of a real token, for POST /midjourney/tasks only (see
 * lens_fake_api_set_limits()). */
typedef struct
{
  double             requests_per_second; /* 0: no rate limit */
  guint              max_in_flight;       /* 0: no concurrency limit */
  LensFakeRetryAfter retry_after;
  const char        *rate_code;           /* error.code of a rate refusal; NULL: "too_many_requests" */
  const char        *concurrency_code;    /* error.code of a concurrency refusal; NULL: "rate_limited" */
  guint              latency_ms;          /* every tasks answer is sent this long after arrival (0: at once) */
} LensFakeLimits;

/* One request the server received, in arrival order. */
typedef struct
{
  char *method;
  char *path;           /* without the query */
  char *query;          /* nullable */
  char *body;           /* nullable; the request body as text */
  char *authorization;  /* nullable; the header as sent */
  char *user_agent;     /* nullable */
  char *content_type;   /* nullable */
  char *accept;         /* nullable */
} LensFakeRequest;

LensFakeApi *lens_fake_api_new                (const char       *token);
gboolean     lens_fake_api_start              (LensFakeApi      *self,
                                               guint             port,
                                               GError          **error);
const char  *lens_fake_api_get_url            (LensFakeApi      *self);

void         lens_fake_api_add_record         (LensFakeApi      *self,
                                               const char       *record_json);
guint        lens_fake_api_seed_examples      (LensFakeApi      *self);
GStrv        lens_fake_api_seed_generated     (LensFakeApi      *self,
                                               LensFakeTaskKind  kind,
                                               guint             count);
GStrv        lens_fake_api_seed_demo          (LensFakeApi      *self);
GStrv        lens_fake_api_seed_account       (LensFakeApi      *self,
                                               guint             n,
                                               gint64            newest_unix_s);
void         lens_fake_api_add_new_tasks_every (LensFakeApi     *self,
                                               guint             interval_ms,
                                               guint             max);
guint        lens_fake_api_count_new_tasks    (LensFakeApi      *self);
GStrv        lens_fake_api_list_ids           (LensFakeApi      *self);
void         lens_fake_api_set_running_duration (LensFakeApi    *self,
                                               guint             milliseconds);
void         lens_fake_api_set_image_grain    (LensFakeApi      *self,
                                               guint             grain);

void         lens_fake_api_push_fault         (LensFakeApi         *self,
                                               const LensFakeFault *fault,
                                               guint                times);
void         lens_fake_api_clear_faults       (LensFakeApi      *self);

void         lens_fake_api_set_limits         (LensFakeApi          *self,
                                               const LensFakeLimits *limits);
guint        lens_fake_api_count_refused      (LensFakeApi      *self);
guint        lens_fake_api_get_max_in_flight_seen (LensFakeApi  *self);

void         lens_fake_api_hide_from_batch    (LensFakeApi      *self,
                                               const char       *id,
                                               guint             times);
void         lens_fake_api_set_batch_cut      (LensFakeApi      *self,
                                               guint             max_items);

GPtrArray   *lens_fake_api_get_requests       (LensFakeApi      *self);
guint        lens_fake_api_count_requests     (LensFakeApi      *self,
                                               const char       *path);
void         lens_fake_api_clear_requests     (LensFakeApi      *self);

char        *lens_fake_api_make_id            (const char       *seed);

G_END_DECLS
