/* lens-fake-api-private.h — what the fake server's source files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lens-fake-api.h"

G_BEGIN_DECLS

/* The size of an image whose record advertises none. */
#define LENS_FAKE_DEFAULT_SIZE 1024

#define LENS_FAKE_TASKS_PATH "/midjourney/tasks"

#define LENS_FAKE_N_TASK_KINDS (LENS_FAKE_TASK_VARIATION + 1)

/* One task the server knows. Generated records keep only their kind and
 * index, and are built again on every request: that keeps seeding 10,000 of
 * them cheap, and lets running tasks change with time. */
typedef struct
{
  char             *id;
  LensFakeTaskKind  kind;          /* generated records only */
  guint             index;         /* generated records: the n-th of its kind */
  gboolean          generated;
  JsonNode         *node;          /* owned, nullable: a fixed record */
  GPtrArray        *states;        /* owned, nullable: responses a running record walks through */
  gboolean          running;       /* pending, then running, then done, with time */
  gint64            seeded_usec;   /* monotonic time the record was seeded */
  double            phase_offset;  /* running records: how far along they start, 0…1 */
  double            created_at;    /* Unix seconds */
} LensFakeRecord;

/* What the server needs to build a record as it is at this moment. */
typedef struct
{
  const char *base_url;            /* nullable: relative URLs stay relative */
  double      epoch;               /* wall time the fake server was made */
  guint       running_duration;    /* milliseconds */
  gint64      now_usec;            /* monotonic */
} LensFakeClock;

typedef enum
{
  LENS_FAKE_IMAGE_SINGLE,   /* one picture: a gradient */
  LENS_FAKE_IMAGE_GRID,     /* four pictures in a 2×2 grid */
} LensFakeImageStyle;

/* An answer, built before it is sent (see lens-fake-answer.c). */
typedef struct
{
  guint       status;
  const char *content_type;  /* static */
  GPtrArray  *chunks;        /* GBytes: the body */
  int         retry_after;   /* seconds, or -1 for no Retry-After */
  char       *retry_after_value; /* owned, nullable: a Retry-After value; wins over retry_after */
  const char *allow;         /* static, nullable: the Allow header of a 405 */
  char       *etag;          /* owned, nullable: the body's ETag, when known before it is sent */
} LensFakeAnswer;

/* The fake server's state, shared by the files that implement it. */
struct _LensFakeApi
{
  GObject       parent_instance;

  char         *token;             /* nullable: any bearer token is accepted */
  SoupServer   *server;            /* owned, nullable until started */
  GMainContext *context;           /* owned: where the server and its timers run */
  char         *url;               /* nullable until started */

  GHashTable   *records;           /* id → LensFakeRecord */
  GHashTable   *served;            /* id → its finished record as a batch serves it (JSON text) */
  GHashTable   *images;            /* cache key → GBytes of an encoded picture */
  GHashTable   *image_etags;       /* GBytes in images → its ETag, made once */
  guint         image_grain;       /* noise added to every pixel: see lens-fake-images.c */
  GQueue        faults;            /* PendingFault, in push order */
  GPtrArray    *requests;          /* LensFakeRequest, in arrival order */
  GPtrArray    *work;              /* LensFakeWork: delayed and stolen answers */

  LensFakeLimits limits;           /* its codes point at the two below */
  char         *rate_code;         /* owned, nullable */
  char         *concurrency_code;  /* owned, nullable */
  GArray       *admitted;          /* gint64: monotonic arrival times in the rate window, oldest first */
  GPtrArray    *held;              /* LensFakeHeld: admitted answers waiting out the latency */
  guint         in_flight;         /* admitted requests to the API not answered yet */
  guint         max_in_flight_seen;
  guint         refused;           /* 429s the limits gave */

  GHashTable   *hidden;            /* id → remaining batch answers that leave it out */
  guint         batch_cut;         /* most items a batch answer carries; 0: no cut */

  guint         running_duration;  /* milliseconds */
  double        epoch;             /* wall time at creation; generated records predate it */
  guint         next_index[LENS_FAKE_N_TASK_KINDS];

  GSource      *new_tasks;         /* owned, nullable: adds a task every interval */
  guint         new_tasks_max;     /* 0: no end */
  guint         new_tasks_added;   /* since lens_fake_api_add_new_tasks_every() */
};

/* lens-fake-generate.c */
JsonObject     *lens_fake_generate_record      (LensFakeTaskKind     kind,
                                                guint                index,
                                                const char          *id,
                                                double               created_at);
const char     *lens_fake_task_kind_seed_name  (LensFakeTaskKind     kind);
const char     *lens_fake_task_kind_type       (LensFakeTaskKind     kind);
guint           lens_fake_mix                  (const char          *id,
                                                const char          *salt);
char           *lens_fake_make_digits          (const char          *id,
                                                const char          *salt);
JsonArray      *lens_fake_numbered_urls        (const char          *directory,
                                                const char          *id,
                                                const char          *separator,
                                                const char          *suffix,
                                                guint                count);

/* lens-fake-records.c */
LensFakeRecord *lens_fake_record_new_generated (LensFakeTaskKind     kind,
                                                guint                index,
                                                double               epoch);
LensFakeRecord *lens_fake_record_new_fixed     (JsonNode            *node);
LensFakeRecord *lens_fake_record_new_progress  (const char          *id,
                                                GPtrArray           *states);
void            lens_fake_record_free          (LensFakeRecord      *record);
JsonNode       *lens_fake_record_render        (const LensFakeRecord *record,
                                                const LensFakeClock *clock);
void            lens_fake_record_localize      (JsonNode            *node,
                                                const char          *id);
const char     *lens_fake_record_get_task_type (const LensFakeRecord *record);
int             lens_fake_record_compare_newest (gconstpointer       a,
                                                gconstpointer       b);
int             lens_fake_json_get_int         (JsonObject          *object,
                                                const char          *member,
                                                int                  fallback);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensFakeRecord, lens_fake_record_free)

/* lens-fake-images.c */
GBytes *lens_fake_image_make_png (const char         *id,
                                  LensFakeImageStyle  style,
                                  int                 hue_shift,
                                  int                 width,
                                  int                 height,
                                  guint               grain);

/* lens-fake-examples.c: the documented payloads as records */
GPtrArray      *lens_fake_examples_load            (void);
guint           lens_fake_examples_count_distinct  (GPtrArray *records);

/* lens-fake-listing.c: the account's tasks, newest first */
JsonObject     *lens_fake_parse_request            (GBytes             *body);
gboolean        lens_fake_listing_is_listing       (JsonObject         *request);
GPtrArray      *lens_fake_listing_sorted           (LensFakeApi        *self);
JsonNode       *lens_fake_listing_answer           (LensFakeApi        *self,
                                                    JsonObject         *request,
                                                    char              **error_message);

/* lens-fake-api.c: what the answers and faults need from the server */
LensFakeAnswer *lens_fake_api_route                (LensFakeApi        *self,
                                                    SoupServerMessage  *msg,
                                                    const char         *path,
                                                    GHashTable         *query);
JsonNode       *lens_fake_api_render_record        (LensFakeApi        *self,
                                                    const char         *id,
                                                    gboolean            absolute);
char           *lens_fake_api_serve_record         (LensFakeApi        *self,
                                                    const char         *id);
void            lens_fake_api_insert_record        (LensFakeApi        *self,
                                                    LensFakeRecord     *record);
gboolean        lens_fake_api_take_hidden          (LensFakeApi        *self,
                                                    const char         *id);
GBytes         *lens_fake_api_get_image            (LensFakeApi        *self,
                                                    const char         *id,
                                                    LensFakeImageStyle  style,
                                                    int                 hue_shift,
                                                    int                 width,
                                                    int                 height,
                                                    char              **out_etag);

/* lens-fake-answer.c */
LensFakeAnswer *lens_fake_answer_new           (guint                status,
                                                const char          *content_type,
                                                GBytes              *body);
void            lens_fake_answer_free          (LensFakeAnswer      *answer);
LensFakeAnswer *lens_fake_answer_error         (guint                status,
                                                const char          *code,
                                                const char          *message);
LensFakeAnswer *lens_fake_answer_for_fault     (const LensFakeFault *fault);
LensFakeAnswer *lens_fake_answer_tasks         (LensFakeApi         *self,
                                                const char          *method,
                                                const char          *authorization,
                                                GBytes              *body,
                                                const char          *token);
LensFakeAnswer *lens_fake_answer_image         (LensFakeApi         *self,
                                                const char          *method,
                                                const char          *name,
                                                GHashTable          *query,
                                                const char          *raw_query);
LensFakeAnswer *lens_fake_answer_video         (LensFakeApi         *self,
                                                const char          *method,
                                                const char          *name);
void            lens_fake_answer_apply         (LensFakeAnswer      *answer,
                                                SoupServerMessage   *msg);
void            lens_fake_answer_write_broken  (GIOStream           *stream,
                                                LensFakeAnswer      *answer,
                                                GMainContext        *context);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensFakeAnswer, lens_fake_answer_free)

/* lens-fake-faults.c */
gboolean        lens_fake_api_apply_fault      (LensFakeApi         *self,
                                                SoupServerMessage   *msg,
                                                const char          *path,
                                                GHashTable          *query);
void            lens_fake_pending_fault_free   (gpointer             data);
void            lens_fake_work_free            (gpointer             data);

/* lens-fake-limits.c */
gboolean        lens_fake_api_apply_limits     (LensFakeApi         *self,
                                                SoupServerMessage   *msg,
                                                const char          *path,
                                                GHashTable          *query);
void            lens_fake_held_free            (gpointer             data);

G_END_DECLS
