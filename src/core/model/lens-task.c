/* lens-task.c — one Midjourney task as Tasklens knows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A LensTask holds the typed fields the UI shows, mapped from one AceData
 * record by lens_task_update_from_json(), and the record itself as compact
 * JSON. The fields live in small arrays (strings, integers, times, lists)
 * indexed by property, so that setting, comparing and notifying is written
 * once: a property notifies only when its value really changed.
 *
 * A history holds 100,000 tasks, and most of them are never looked at in a
 * session: so a task is two parts. Its summary — id, state, progress, type,
 * creation and finishing times, the local error — is always there, in a few
 * words of memory: enough to order, filter and poll it (LensTaskSummary, as
 * the store's columns keep it). Its details — the record and everything
 * mapped from it — are allocated only when a record is applied, or given by
 * whoever read them from the store (_lens_task_take_details()), and may be
 * dropped again (_lens_task_drop_details()) when the task is off screen.
 * Without details a detail getter answers as for an unknown value.
 */

#define G_LOG_DOMAIN "lens-task"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "lens-core-enums.h"
#include "lens-free-later.h"
#include "lens-json.h"
#include "lens-number.h"
#include "lens-task-private.h"
#include "lens-task-values.h"



/* What few tasks have: most have a known type, no local error, and (in a
 * large history) were never saved. */
typedef struct
{
  char *other_type;   /* owned, nullable: a type known_types does not hold */
  char *local_error;  /* owned, nullable: why Tasklens itself marked the task failed */
  char *saved_path;   /* owned, nullable: where its image was last saved */
} LensTaskRare;

/* A history holds 100,000 of these, so the summary is packed: its small
 * numbers in bytes, its type an index into known_types, and what is rare
 * behind one pointer: 88 bytes with the GObject, where the plain fields
 * took 120 (a malloc chunk of 96 bytes instead of 128). */
struct _LensTask
{
  GObject           parent_instance;

  /* The summary. */
  char             *id;
  LensTaskRare     *rare;             /* owned, nullable */
  double            created_at;
  double            finished_at;

  LensTaskValues   *details;          /* owned, nullable: see the top of this file */

  /* The task's order key in the store, kept by the history (see
   * _lens_task_get_position()). */
  gint64            position;

  /* The list the task is in, told of every change (lens-task-private.h). */
  LensTaskObserver *observer;         /* nullable */

  guint8            state;            /* LensTaskState */
  gint8             progress;         /* 0 … 100, or -1 when unknown */
  guint8            type_index;       /* in known_types, or TYPE_NONE, TYPE_OTHER */
  guint8            has_record : 1;   /* a record was ever applied (here or before the store kept it) */
  guint8            removal : 3;      /* LensTaskRemoval, kept by the history */
  guint16           removal_number;   /* which removal set it, kept by the history */
  guint16           pick_mark;        /* kept by the window's picks (lens-pick-selection.c) */
};

G_DEFINE_FINAL_TYPE (LensTask, lens_task, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];



static void details_free (LensTaskValues *details);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensTaskValues, details_free)

static void
details_free (LensTaskValues *details)
{
  lens_task_values_clear (details);
  g_free (details);
}

static LensTaskValues *
details_new (void)
{
  LensTaskValues *details = g_new (LensTaskValues, 1);

  lens_task_values_init (details);
  return details;
}

/* The API's types, so that 100,000 tasks share a handful of strings
 * rather than hold a copy each. Any other type is kept as given. */
static const char * const known_types[] = {
  "imagine", "describe", "videos", "edits", "blend", "shorten", "upscale",
  "variation", "reroll", "inpaint", "outpaint", "pan", "zoom",
};

#define TYPE_NONE  0xff
#define TYPE_OTHER 0xfe
G_STATIC_ASSERT (G_N_ELEMENTS (known_types) < TYPE_OTHER);

static LensTaskRare *
ensure_rare (LensTask *self)
{
  if (self->rare == NULL)
    self->rare = g_new0 (LensTaskRare, 1);
  return self->rare;
}

/* Frees the rare part once it holds nothing again. */
static void
trim_rare (LensTask *self)
{
  if (self->rare != NULL && self->rare->other_type == NULL && self->rare->local_error == NULL
      && self->rare->saved_path == NULL)
    g_clear_pointer (&self->rare, g_free);
}

static const char *
task_type_of (LensTask *self)
{
  if (self->type_index == TYPE_NONE)
    return NULL;
  if (self->type_index == TYPE_OTHER)
    return self->rare->other_type;
  return known_types[self->type_index];
}

static const char *
local_error_of (LensTask *self)
{
  return self->rare != NULL ? self->rare->local_error : NULL;
}

/* A detail of the task, or what an unknown value is while it has no
 * details: for the getters and for get_property(). */
static const char *
detail_string (LensTask *self,
               guint     prop)
{
  return self->details != NULL ? self->details->strings[prop - FIRST_STRING_PROP] : NULL;
}

static int
detail_int (LensTask *self,
            guint     prop)
{
  return self->details != NULL ? self->details->ints[prop - FIRST_INT_PROP] : UNKNOWN_INT;
}

static double
detail_time (LensTask *self,
             guint     prop)
{
  return self->details != NULL ? self->details->times[prop - FIRST_TIME_PROP] : UNKNOWN_TIME;
}

static const char * const *
detail_strv (LensTask *self,
             guint     prop)
{
  return self->details != NULL ? (const char * const *) self->details->strvs[prop - FIRST_STRV_PROP] : NULL;
}

static void
set_task_type_value (LensTask   *self,
                     const char *type)
{
  if (self->rare != NULL)
    g_clear_pointer (&self->rare->other_type, g_free);
  self->type_index = TYPE_NONE;
  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (known_types); i++)
    if (strcmp (type, known_types[i]) == 0)
      {
        self->type_index = i;
        break;
      }
  if (type != NULL && self->type_index == TYPE_NONE)
    {
      ensure_rare (self)->other_type = g_strdup (type);
      self->type_index = TYPE_OTHER;
    }
  trim_rare (self);
}

/* Says a property changed: to whoever is connected to the task, and to the
 * list that holds it. A hook of the list's rather than a "notify" class
 * handler, which would make GObject emit "notify" for every property set
 * on every task, connected to or not. */
static void
notify_changed (LensTask   *self,
                GParamSpec *pspec)
{
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  if (self->observer != NULL)
    self->observer->changed (self->observer, self, pspec);
}

static void
set_state (LensTask      *self,
           LensTaskState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  notify_changed (self, properties[PROP_STATE]);
}

/* Where a property lives: in the summary, or in the details (which the
 * caller has made sure exist). */

static double *
time_field (LensTask *self,
            guint     prop)
{
  if (prop == PROP_CREATED_AT)
    return &self->created_at;
  if (prop == PROP_FINISHED_AT)
    return &self->finished_at;
  return &self->details->times[prop - FIRST_TIME_PROP];
}

/* Progress is 0 … 100 or unknown; anything else read from the store is
 * unknown too. */
static gint8
progress_value (int progress)
{
  return progress >= 0 && progress <= 100 ? (gint8) progress : UNKNOWN_INT;
}

static void
set_int (LensTask *self,
         guint     prop,
         int       value)
{
  int *field;

  if (prop == PROP_PROGRESS)
    {
      if (self->progress == progress_value (value))
        return;
      self->progress = progress_value (value);
      notify_changed (self, properties[prop]);
      return;
    }

  field = &self->details->ints[prop - FIRST_INT_PROP];
  if (*field == value)
    return;
  *field = value;
  notify_changed (self, properties[prop]);
}

static void
set_time (LensTask *self,
          guint     prop,
          double    value)
{
  double *field = time_field (self, prop);

  if (*field == value)
    return;
  *field = value;
  notify_changed (self, properties[prop]);
}

/* Takes ownership of @value. */
static void
take_string (LensTask *self,
             guint     prop,
             char     *value)
{
  char **field;

  if (prop == PROP_TASK_TYPE)
    {
      if (g_strcmp0 (task_type_of (self), value) != 0)
        {
          set_task_type_value (self, value);
          notify_changed (self, properties[prop]);
        }
      g_free (value);
      return;
    }

  field = &self->details->strings[prop - FIRST_STRING_PROP];
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
  notify_changed (self, properties[prop]);
}

/* Takes ownership of @reason. The error message a user sees is the
 * record's when it has one, so only then does the local one not show. */
static void
take_local_error (LensTask *self,
                  char     *reason)
{
  if (g_strcmp0 (local_error_of (self), reason) == 0)
    {
      g_free (reason);
      return;
    }
  if (self->rare != NULL)
    g_free (self->rare->local_error);
  if (reason != NULL)
    ensure_rare (self)->local_error = reason;
  else if (self->rare != NULL)
    self->rare->local_error = NULL;
  trim_rare (self);
  if (detail_string (self, PROP_ERROR_MESSAGE) == NULL)
    notify_changed (self, properties[PROP_ERROR_MESSAGE]);
}

/**
 * lens_strv_equal0:
 *
 * Whether two string lists of a task are the same, as its list properties
 * hold them: %NULL (none) equals only %NULL.
 */
gboolean
lens_strv_equal0 (const char * const *a,
                  const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal (a, b);
}

/* Takes ownership of @value. */
static void
take_strv (LensTask *self,
           guint     prop,
           GStrv     value)
{
  GStrv *field = &self->details->strvs[prop - FIRST_STRV_PROP];

  if (lens_strv_equal0 ((const char * const *) *field, (const char * const *) value))
    {
      g_strfreev (value);
      return;
    }
  g_strfreev (*field);
  *field = value;
  notify_changed (self, properties[prop]);
}

static void
apply_values (LensTask       *self,
              LensTaskValues *values)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (self->details == NULL)
    self->details = details_new ();
  for (guint i = 0; i < N_INTS; i++)
    set_int (self, FIRST_INT_PROP + i, values->ints[i]);
  for (guint i = 0; i < N_TIMES; i++)
    set_time (self, FIRST_TIME_PROP + i, values->times[i]);
  for (guint i = 0; i < N_STRINGS; i++)
    take_string (self, FIRST_STRING_PROP + i, g_steal_pointer (&values->strings[i]));
  for (guint i = 0; i < N_STRVS; i++)
    take_strv (self, FIRST_STRV_PROP + i, g_steal_pointer (&values->strvs[i]));
  set_state (self, values->state);

  g_object_thaw_notify (G_OBJECT (self));
}


/**
 * lens_task_update_from_json:
 * @self: a task
 * @record: (nullable): one task record as the server sent it
 *
 * Maps @record onto the task's properties and derives its state. A record
 * that is not an object with an id (`{}`, `null`) means the server does not
 * know the task: the task becomes not-found and keeps what it had.
 */
void
lens_task_update_from_json (LensTask *self,
                            JsonNode *record)
{
  g_autoptr(LensPreparedRecord) prepared = NULL;

  g_return_if_fail (LENS_IS_TASK (self));

  prepared = record != NULL ? lens_prepared_record_new (record) : NULL;
  if (prepared == NULL)
    lens_task_mark_not_found (self);
  else
    lens_task_apply_prepared_record (self, prepared);
}

/**
 * lens_task_apply_prepared_record:
 * @self: a task
 * @record: a record for this task, read by lens_prepared_record_new()
 *
 * lens_task_update_from_json() for a record already read: what @record
 * holds is moved into the task, so @record can be applied only once.
 */
void
lens_task_apply_prepared_record (LensTask           *self,
                                 LensPreparedRecord *record)
{
  g_return_if_fail (LENS_IS_TASK (self));
  g_return_if_fail (record != NULL);

  if (g_ascii_strcasecmp (record->id, self->id) != 0)
    {
      g_warning ("A record for task %s was applied to task %s; ignored", record->id, self->id);
      return;
    }

  self->has_record = TRUE;

  /* A record is an answer: whatever made Tasklens give up on the task
   * before is over. */
  take_local_error (self, NULL);
  apply_values (self, &record->values);
}

void
lens_task_mark_not_found (LensTask *self)
{
  g_return_if_fail (LENS_IS_TASK (self));
  take_local_error (self, NULL);
  set_state (self, LENS_TASK_STATE_NOT_FOUND);
}

/* Asked for again, for example by a refresh the user requested. */
void
lens_task_mark_queued (LensTask *self)
{
  g_return_if_fail (LENS_IS_TASK (self));
  take_local_error (self, NULL);
  set_state (self, LENS_TASK_STATE_QUEUED);
}

/* Decided by the refresher, not by the record: see LENS_TASK_STATE_STALLED. */
void
lens_task_mark_stalled (LensTask *self)
{
  g_return_if_fail (LENS_IS_TASK (self));
  take_local_error (self, NULL);
  set_state (self, LENS_TASK_STATE_STALLED);
}

/**
 * lens_task_mark_failed:
 * @reason: why, for the user (lens_task_get_error_message() returns it
 *   unless the record has a message of its own)
 *
 * Decided by Tasklens, not by the record: the server answered for this
 * task in a way that asking again would not change (a refused request, an
 * answer that is not the API's). The task keeps what it had, is failed,
 * and is not asked for again until the user asks.
 */
void
lens_task_mark_failed (LensTask   *self,
                       const char *reason)
{
  g_return_if_fail (LENS_IS_TASK (self));
  g_return_if_fail (reason != NULL);

  /* The reason first: whoever follows the state finds it set. */
  take_local_error (self, g_strdup (reason));
  set_state (self, LENS_TASK_STATE_FAILED);
}

const char *
lens_task_state_to_string (LensTaskState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (LENS_TYPE_TASK_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value != NULL ? value->value_nick : NULL;
}

gboolean
lens_task_is_finished (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), FALSE);

  return (LENS_TASK_FINISHED_STATES & (1u << self->state)) != 0;
}

/**
 * lens_task_has_video:
 *
 * Whether @self is a video task: of the `videos` type, which its summary
 * always knows (a row shows it before the record is read), or with video
 * links in its record. The list, the gallery and the task view share this
 * rule, so that a task is a video everywhere or nowhere.
 */
gboolean
lens_task_has_video (LensTask *self)
{
  const char * const *videos;

  g_return_val_if_fail (LENS_IS_TASK (self), FALSE);

  if (g_strcmp0 (task_type_of (self), "videos") == 0)
    return TRUE;
  videos = lens_task_get_video_urls (self);
  return videos != NULL && videos[0] != NULL;
}

/**
 * lens_task_is_grid:
 *
 * Whether the task's image is a 2×2 grid of four candidates: an imagine
 * (or variation, reroll …) result, which offers `upscale1` … `upscale4`
 * (tests/data/API.md). After an upscale the actions are others: its image
 * is one picture. The task view's split view and the bulk save's "four
 * images" share this rule.
 */
gboolean
lens_task_is_grid (LensTask *self)
{
  const char * const *actions;

  g_return_val_if_fail (LENS_IS_TASK (self), FALSE);

  actions = lens_task_get_actions (self);
  if (actions == NULL)
    return FALSE;
  for (guint i = 1; i <= 4; i++)
    {
      char upscale[] = "upscale0";

      upscale[sizeof upscale - 2] = (char) ('0' + i);
      if (!g_strv_contains (actions, upscale))
        return FALSE;
    }
  return TRUE;
}

/**
 * lens_task_get_thumbnail_url:
 *
 * The picture that stands for @self in a list or a gallery: its result
 * image, or for a task without one (a describe task), the image it was
 * given. The row and the gallery cell share this rule.
 *
 * Returns: (nullable): an address, or %NULL when there is no picture
 */
const char *
lens_task_get_thumbnail_url (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), NULL);

  if (lens_task_get_image_url (self) != NULL)
    return lens_task_get_image_url (self);
  return lens_task_get_request_image_url (self);
}

#define DEFINE_DETAIL_GETTER(type, kind, name, prop, unknown) \
  type                                                      \
  lens_task_get_##name (LensTask *self)                     \
  {                                                         \
    g_return_val_if_fail (LENS_IS_TASK (self), unknown);    \
    return detail_##kind (self, prop);                      \
  }

#define DEFINE_STRING_GETTER(name, prop) DEFINE_DETAIL_GETTER (const char *, string, name, prop, NULL)
#define DEFINE_INT_GETTER(name, prop)    DEFINE_DETAIL_GETTER (int, int, name, prop, UNKNOWN_INT)
#define DEFINE_TIME_GETTER(name, prop)   DEFINE_DETAIL_GETTER (double, time, name, prop, UNKNOWN_TIME)
#define DEFINE_STRV_GETTER(name, prop)   DEFINE_DETAIL_GETTER (const char * const *, strv, name, prop, NULL)

DEFINE_STRING_GETTER (prompt, PROP_PROMPT)
DEFINE_STRING_GETTER (mode, PROP_MODE)
DEFINE_STRING_GETTER (action, PROP_ACTION)
DEFINE_STRING_GETTER (image_url, PROP_IMAGE_URL)
DEFINE_STRING_GETTER (raw_image_url, PROP_RAW_IMAGE_URL)
DEFINE_STRING_GETTER (request_image_url, PROP_REQUEST_IMAGE_URL)
DEFINE_STRING_GETTER (request_image_id, PROP_REQUEST_IMAGE_ID)
DEFINE_STRING_GETTER (image_id, PROP_IMAGE_ID)
DEFINE_STRING_GETTER (job_id, PROP_JOB_ID)
DEFINE_STRING_GETTER (video_id, PROP_VIDEO_ID)
DEFINE_STRING_GETTER (error_code, PROP_ERROR_CODE)
DEFINE_STRING_GETTER (trace_id, PROP_TRACE_ID)
DEFINE_STRING_GETTER (raw_json, PROP_RAW_JSON)
DEFINE_INT_GETTER (image_width, PROP_IMAGE_WIDTH)
DEFINE_INT_GETTER (image_height, PROP_IMAGE_HEIGHT)
DEFINE_INT_GETTER (raw_image_width, PROP_RAW_IMAGE_WIDTH)
DEFINE_INT_GETTER (raw_image_height, PROP_RAW_IMAGE_HEIGHT)
DEFINE_TIME_GETTER (started_at, PROP_STARTED_AT)
DEFINE_TIME_GETTER (duration, PROP_DURATION)
DEFINE_STRV_GETTER (actions, PROP_ACTIONS)
DEFINE_STRV_GETTER (descriptions, PROP_DESCRIPTIONS)
DEFINE_STRV_GETTER (video_urls, PROP_VIDEO_URLS)
DEFINE_STRV_GETTER (sub_image_urls, PROP_SUB_IMAGE_URLS)

/* The summary's getters: always known. */
const char *
lens_task_get_task_type (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), NULL);
  return task_type_of (self);
}

int
lens_task_get_progress (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), UNKNOWN_INT);
  return self->progress;
}

double
lens_task_get_created_at (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), UNKNOWN_TIME);
  return self->created_at;
}

double
lens_task_get_finished_at (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), UNKNOWN_TIME);
  return self->finished_at;
}

/* Returns: (nullable): the record's error message, or else why Tasklens
 * marked the task failed */
const char *
lens_task_get_error_message (LensTask *self)
{
  const char *message;

  g_return_val_if_fail (LENS_IS_TASK (self), NULL);

  message = detail_string (self, PROP_ERROR_MESSAGE);
  return message != NULL ? message : local_error_of (self);
}

/* Returns: (nullable): why Tasklens itself marked the task failed (see
 * lens_task_mark_failed()), or %NULL when it did not */
const char *
lens_task_get_local_error (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), NULL);
  return local_error_of (self);
}

const char *
lens_task_get_id (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), NULL);
  return self->id;
}

LensTaskState
lens_task_get_state (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), LENS_TASK_STATE_QUEUED);
  return self->state;
}

static void
lens_task_finalize (GObject *object)
{
  LensTask *self = (LensTask *) object;

  g_free (self->id);
  if (self->rare != NULL)
    {
      g_free (self->rare->other_type);
      g_free (self->rare->local_error);
      g_free (self->rare->saved_path);
      g_free (self->rare);
    }
  g_clear_pointer (&self->details, details_free);

  G_OBJECT_CLASS (lens_task_parent_class)->finalize (object);
}

static void
lens_task_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LensTask *self = LENS_TASK (object);

  if (prop_id == PROP_ERROR_MESSAGE)
    g_value_set_string (value, lens_task_get_error_message (self));
  else if (prop_id == PROP_TASK_TYPE)
    g_value_set_string (value, task_type_of (self));
  else if (prop_id == PROP_PROGRESS)
    g_value_set_int (value, self->progress);
  else if (prop_id == PROP_CREATED_AT)
    g_value_set_double (value, self->created_at);
  else if (prop_id == PROP_FINISHED_AT)
    g_value_set_double (value, self->finished_at);
  else if (prop_id >= FIRST_STRING_PROP && prop_id < N_PROPS)
    g_value_set_string (value, detail_string (self, prop_id));
  else if (prop_id >= FIRST_TIME_PROP && prop_id < FIRST_TIME_PROP + N_TIMES)
    g_value_set_double (value, detail_time (self, prop_id));
  else if (prop_id >= FIRST_INT_PROP && prop_id < FIRST_INT_PROP + N_INTS)
    g_value_set_int (value, detail_int (self, prop_id));
  else if (prop_id >= FIRST_STRV_PROP && prop_id < FIRST_STRV_PROP + N_STRVS)
    g_value_set_boxed (value, detail_strv (self, prop_id));
  else if (prop_id == PROP_ID)
    g_value_set_string (value, self->id);
  else if (prop_id == PROP_STATE)
    g_value_set_enum (value, self->state);
  else if (prop_id == PROP_SAVED_PATH)
    g_value_set_string (value, lens_task_get_saved_path (self));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
lens_task_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  LensTask *self = LENS_TASK (object);

  switch (prop_id)
    {
    case PROP_ID:
      /* Ids are compared and stored in lower case everywhere. */
      self->id = g_ascii_strdown (g_value_get_string (value), -1);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READABLE (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

/**
 * _lens_task_set_observer:
 * @observer: (nullable): told of each change; %NULL to stop
 *
 * For the list that holds the task: a task is in one list at a time.
 */
void
_lens_task_set_observer (LensTask         *self,
                         LensTaskObserver *observer)
{
  g_return_if_fail (LENS_IS_TASK (self));
  g_return_if_fail (observer == NULL || self->observer == NULL);

  self->observer = observer;
}

/* The list the task is in (its observer), or NULL: a test of membership
 * that costs no lookup by id. */
LensTaskObserver *
_lens_task_get_observer (LensTask *self)
{
  /* No type check in these private accessors: removing 100,000 tasks
   * calls each a few times per task, and the checks were a fifth of it
   * (bench-remove). */
  return self->observer;
}

static void
lens_task_class_init (LensTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char * const string_names[N_STRINGS] = {
    "task-type", "prompt", "mode", "action", "image-url", "raw-image-url",
    "request-image-url", "request-image-id", "image-id", "job-id", "video-id", "error-code",
    "error-message", "trace-id", "raw-json",
  };
  static const char * const int_names[N_INTS] = {
    "progress", "image-width", "image-height", "raw-image-width", "raw-image-height",
  };
  static const char * const time_names[N_TIMES] = {
    "created-at", "started-at", "finished-at", "duration",
  };
  static const char * const strv_names[N_STRVS] = {
    "actions", "descriptions", "video-urls", "sub-image-urls",
  };

  object_class->finalize = lens_task_finalize;
  object_class->get_property = lens_task_get_property;
  object_class->set_property = lens_task_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LENS_TYPE_TASK_STATE, LENS_TASK_STATE_QUEUED, READABLE);
  /* Where the task's image was last saved (lens_task_set_saved_path()). */
  properties[PROP_SAVED_PATH] =
    g_param_spec_string ("saved-path", NULL, NULL, NULL, READABLE);

  for (guint i = 0; i < N_STRINGS; i++)
    properties[FIRST_STRING_PROP + i] = g_param_spec_string (string_names[i], NULL, NULL, NULL, READABLE);
  for (guint i = 0; i < N_INTS; i++)
    properties[FIRST_INT_PROP + i] = g_param_spec_int (int_names[i], NULL, NULL, -1, G_MAXINT, -1, READABLE);
  for (guint i = 0; i < N_TIMES; i++)
    properties[FIRST_TIME_PROP + i] = g_param_spec_double (time_names[i], NULL, NULL, -1, G_MAXDOUBLE, -1, READABLE);
  for (guint i = 0; i < N_STRVS; i++)
    properties[FIRST_STRV_PROP + i] = g_param_spec_boxed (strv_names[i], NULL, NULL, G_TYPE_STRV, READABLE);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_task_init (LensTask *self)
{
  self->state = LENS_TASK_STATE_QUEUED;
  self->progress = UNKNOWN_INT;
  self->type_index = TYPE_NONE;
  self->position = G_MININT64;
  self->created_at = UNKNOWN_TIME;
  self->finished_at = UNKNOWN_TIME;
}

/**
 * lens_task_new:
 * @id: the task id (a UUID; stored in lower case)
 *
 * Returns: (transfer full): a queued task that knows only its id
 */
LensTask *
lens_task_new (const char *id)
{
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  return g_object_new (LENS_TYPE_TASK, "id", id, NULL);
}

/**
 * lens_task_new_from_summary:
 * @summary: what the store's columns say of the task
 *
 * Returns: (transfer full): a task that knows its summary but not its
 *   record (lens_task_has_details() is %FALSE until one is given)
 */
LensTask *
lens_task_new_from_summary (const LensTaskSummary *summary)
{
  LensTask *self;

  g_return_val_if_fail (summary != NULL, NULL);

  self = lens_task_new (summary->id);
  g_return_val_if_fail (self != NULL, NULL);
  self->state = summary->state;
  self->progress = progress_value (summary->progress);
  self->created_at = summary->created_at;
  self->finished_at = summary->finished_at;
  set_task_type_value (self, summary->task_type);
  if (summary->local_error != NULL)
    ensure_rare (self)->local_error = g_strdup (summary->local_error);
  if (summary->saved_path != NULL)
    ensure_rare (self)->saved_path = g_strdup (summary->saved_path);
  self->has_record = summary->has_record != FALSE;
  return self;
}

/**
 * lens_task_get_saved_path:
 *
 * Returns: (nullable): the file the task's image was last saved as, as the
 *   history remembers it (the file may have been moved or deleted since)
 */
const char *
lens_task_get_saved_path (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), NULL);
  return self->rare != NULL ? self->rare->saved_path : NULL;
}

/**
 * lens_task_set_saved_path:
 * @path: (nullable): where its image was saved; %NULL to forget
 *
 * For whoever saved it (the history, which also keeps it in the store).
 */
void
lens_task_set_saved_path (LensTask   *self,
                          const char *path)
{
  g_return_if_fail (LENS_IS_TASK (self));

  if (g_strcmp0 (lens_task_get_saved_path (self), path) == 0)
    return;
  if (self->rare != NULL)
    g_clear_pointer (&self->rare->saved_path, g_free);
  if (path != NULL)
    ensure_rare (self)->saved_path = g_strdup (path);
  trim_rare (self);
  notify_changed (self, properties[PROP_SAVED_PATH]);
}

/**
 * lens_task_has_record:
 *
 * Returns: whether the server ever answered with a record for the task
 *   (whether or not the task holds it now: see lens_task_has_details())
 */
gboolean
lens_task_has_record (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), FALSE);
  return self->has_record;
}

/**
 * lens_task_has_details:
 *
 * Returns: whether the task holds its record and all that is mapped from
 *   it, rather than only its summary (see LensTaskSummary)
 */
gboolean
lens_task_has_details (LensTask *self)
{
  g_return_val_if_fail (LENS_IS_TASK (self), FALSE);
  return self->details != NULL;
}

/* Notifies the detail properties that differ between @old and @new (either
 * may be NULL: no details), to those connected only: taking or dropping
 * details is not a change of the task, and its list is not told. */
static void
notify_details (LensTask       *self,
                LensTaskValues *old,
                LensTaskValues *new)
{
  LensTaskValues unknown;

  lens_task_values_init (&unknown);
  if (old == NULL)
    old = &unknown;
  if (new == NULL)
    new = &unknown;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < N_INTS; i++)
    if (FIRST_INT_PROP + i != PROP_PROGRESS && old->ints[i] != new->ints[i])
      g_object_notify_by_pspec (G_OBJECT (self), properties[FIRST_INT_PROP + i]);
  for (guint i = 0; i < N_TIMES; i++)
    if (FIRST_TIME_PROP + i != PROP_CREATED_AT && FIRST_TIME_PROP + i != PROP_FINISHED_AT
        && old->times[i] != new->times[i])
      g_object_notify_by_pspec (G_OBJECT (self), properties[FIRST_TIME_PROP + i]);
  for (guint i = 0; i < N_STRINGS; i++)
    if (FIRST_STRING_PROP + i != PROP_TASK_TYPE && g_strcmp0 (old->strings[i], new->strings[i]) != 0)
      g_object_notify_by_pspec (G_OBJECT (self), properties[FIRST_STRING_PROP + i]);
  for (guint i = 0; i < N_STRVS; i++)
    if (!lens_strv_equal0 ((const char * const *) old->strvs[i], (const char * const *) new->strvs[i]))
      g_object_notify_by_pspec (G_OBJECT (self), properties[FIRST_STRV_PROP + i]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * _lens_task_take_details:
 * @self: a task without details
 * @from: the same task as read from the store (it loses its details)
 *
 * Gives @self the details @from has, or empty details when it has none (a
 * task never answered for: asking the store again would not change that).
 * The summary stays as @self has it: in memory it is never older than the
 * store's. Does nothing when @self has details already, for those came
 * with a record, which is at least as new as the store's.
 */
void
_lens_task_take_details (LensTask *self,
                         LensTask *from)
{
  g_return_if_fail (LENS_IS_TASK (self));
  g_return_if_fail (LENS_IS_TASK (from));

  if (self->details != NULL)
    return;
  self->has_record |= from->has_record;
  self->details = from->details != NULL ? g_steal_pointer (&from->details) : details_new ();
  notify_details (self, NULL, self->details);
}

/**
 * _lens_task_drop_details:
 *
 * Forgets the record and what was mapped from it, keeping the summary: the
 * store has them, and _lens_task_take_details() gives them back.
 */
void
_lens_task_drop_details (LensTask *self)
{
  LensTaskValues *old;

  g_return_if_fail (LENS_IS_TASK (self));

  old = g_steal_pointer (&self->details);
  if (old == NULL)
    return;
  notify_details (self, old, NULL);
  /* Made in the reader's or the client's worker: freed by a worker too
   * (lens-free-later.c). */
  lens_free_later (old, (GDestroyNotify) details_free);
}

/**
 * _lens_task_get_position:
 *
 * Returns: the task's order key in the store (only the order of the keys
 *   matters), or %G_MININT64 while it has none. The history keeps it here
 *   rather than in a table of its own: one number in each of 100,000 tasks
 *   is less than a table entry for each.
 */
gint64
_lens_task_get_position (LensTask *self)
{
  return self->position;
}

void
_lens_task_set_position (LensTask *self,
                         gint64    position)
{
  g_return_if_fail (LENS_IS_TASK (self));
  self->position = position;
}

/**
 * _lens_task_get_removal:
 * @removal_number: (out) (optional): the number of the removal that set it
 *
 * Returns: where the task stands in the store once out of the list. The
 *   history keeps it here, with the position: removing 100,000 tasks then
 *   marks each, instead of filling a table keyed by id (lens-history-removals.c).
 */
LensTaskRemoval
_lens_task_get_removal (LensTask *self,
                        guint16  *removal_number)
{
  if (removal_number != NULL)
    *removal_number = self->removal_number;
  return self->removal;
}

void
_lens_task_set_removal (LensTask        *self,
                        LensTaskRemoval  removal,
                        guint16          removal_number)
{
  self->removal = removal;
  self->removal_number = removal_number;
}

/**
 * _lens_task_get_pick_mark:
 *
 * Returns: the mark the window's picks left on the task: picking 100,000
 *   tasks marks each, instead of filling a table of them, and the mark
 *   tells a picked task that moved (a sort) from one that came (see
 *   lens-pick-selection.c). It sits in the padding: the task is no larger.
 */
guint16
_lens_task_get_pick_mark (LensTask *self)
{
  return self->pick_mark;
}

void
_lens_task_set_pick_mark (LensTask *self,
                          guint16   pick_mark)
{
  self->pick_mark = pick_mark;
}
