/* lens-intake.c — task ids coming in: texts and files, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every way ids come in — a paste, a drop, the add dialog, the command
 * line, D-Bus, an imported file — ends here. The intake finds the ids
 * (large texts and files in a worker thread), adds the new ones to the list
 * and says in one message what it did.
 *
 * What it says about new tasks waits until the history has written them:
 * the tasks are in the list first; only the claim waits, and the messages
 * after it wait behind it (lens-intake-notes.c).
 *
 * Until it is ready (the history is still loading), what comes in waits, so
 * that new tasks go after the stored ones, in the order they came. Files are
 * read one after the other; the one being read and how far it got are
 * properties, for a progress bar.
 *
 * What was found is added in slices, one per main-loop turn, so that a
 * paste of 10,000 ids never holds the main loop (nor the history, which
 * follows every items-changed) for more than a few milliseconds. Each text
 * or file is a job, in a queue in the order they came (a text when it comes,
 * a file when it has been read); a job is added whole before the next one
 * starts, and what it says comes after its last slice. A small text that
 * finds the queue idle is added at once, in the call.
 *
 * Signals:
 * - "message" (const char *text): one sentence for the user; one that says
 *   tasks were added comes once they are in the history;
 * - "added" (guint n_new, gboolean was_empty): the new tasks of a text or
 *   file are all in the list (before the history has them); @was_empty says
 *   the list had none before its first slice.
 */

#define G_LOG_DOMAIN "lens-intake"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-import.h"
#include "lens-intake.h"
#include "lens-intake-notes.h"
#include "lens-turn-budget.h"

/* How long one turn of adding should hold the main loop, the list's
 * listeners (its view, the history, the refresher) included. */
#define TURN_BUDGET_US 4000

struct _LensIntake
{
  GObject        parent_instance;

  LensTaskList  *tasks;              /* owned */
  GCancellable  *cancellable;        /* owned: cancelled on dispose */
  LensIntakeNotes *notes;            /* owned: messages in the order they will be said */
  gboolean       ready;
  GPtrArray     *pending_texts;      /* of Pending (owned): came while not ready */
  GQueue         jobs;               /* of Job (owned): to add, in order */
  guint          slice_size;         /* the most ids a main-loop turn adds */
  guint          turn_size;          /* the ids the next turn adds (run_turn()) */
  guint          slice_source_id;    /* adds the next slice */
  gboolean       running_jobs;       /* in run_jobs() */

  GQueue         files;              /* of GFile (owned): waiting to be read */
  GCancellable  *import_cancellable; /* owned, nullable: the file being read */
  char          *import_name;        /* owned, nullable */
  double         import_fraction;    /* 0…1, or -1 when the size is unknown */
};

enum {
  PROP_0,
  PROP_IMPORTING,
  PROP_IMPORT_NAME,
  PROP_IMPORT_FRACTION,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  SIGNAL_STARTED,
  SIGNAL_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LensIntake, lens_intake, G_TYPE_OBJECT)

typedef struct
{
  char *text;         /* owned */
  char *source_name;  /* owned, nullable */
} Pending;

static void
pending_free (Pending *pending)
{
  g_free (pending->text);
  g_free (pending->source_name);
  g_free (pending);
}

/* What a callback needs of the call that started it. */
typedef struct
{
  LensIntake *self;  /* owned */
  char       *name;  /* owned, nullable: the source's name */
  gpointer    job;   /* nullable, compared only: the job the text is for */
} Carry;

static Carry *
carry_new (LensIntake *self,
           const char *name,
           gpointer    job)
{
  Carry *carry = g_new0 (Carry, 1);

  carry->self = g_object_ref (self);
  carry->name = g_strdup (name);
  carry->job = job;
  return carry;
}

static void
carry_free (Carry *carry)
{
  g_clear_object (&carry->self);
  g_free (carry->name);
  g_free (carry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Carry, carry_free)

static void import_next (LensIntake *self);

/* ─── saying it ──────────────────────────────────────────────────────── */

static void
emit_message (GObject    *owner,
              const char *text)
{
  g_signal_emit (owner, signals[SIGNAL_MESSAGE], 0, text);
}

/* ─── adding ids, in slices ────────────────────────────────────────────── */

/* One text or file, from its arrival until all its ids are in the list. */
typedef struct
{
  char              *source_name;  /* owned, nullable */
  LensIdParseResult *parsed;       /* owned, nullable: not parsed yet, or failed */
  char              *failure;      /* owned, nullable: what to say instead of adding */
  gboolean           started;
  gboolean           was_empty;    /* the list had no tasks when it started */
  guint              cursor;       /* how many of parsed->ids were added */
  LensImportSummary  summary;      /* what adding did so far */
} Job;

static void
job_free (Job *job)
{
  g_free (job->source_name);
  g_clear_pointer (&job->parsed, lens_id_parse_result_free);
  g_free (job->failure);
  g_free (job);
}

static Job *
job_new (const char        *source_name,
         LensIdParseResult *parsed)
{
  Job *job = g_new0 (Job, 1);

  job->source_name = g_strdup (source_name);
  job->parsed = parsed;
  return job;
}

static void
clear_jobs (LensIntake *self)
{
  g_clear_handle_id (&self->slice_source_id, g_source_remove);
  g_queue_clear_full (&self->jobs, (GDestroyNotify) job_free);
}

/* Adds the next slice of @job (the head of the queue), at most @budget
 * ids. Once the job is done, it leaves the queue and is freed, and then
 * what it did is said: a listener may cancel or add jobs, or drop the
 * intake, and must find the queue without it. */
static gboolean
job_run (LensIntake *self,
         Job        *job,
         guint      *budget)
{
  g_autoptr(LensIntake) keep = NULL;
  g_autofree char *text = NULL;
  g_autofree char *failure = NULL;
  guint before = job->cursor;
  guint n_new;
  gboolean was_empty;

  g_assert (job == g_queue_peek_head (&self->jobs));

  if (job->failure == NULL)
    {
      if (!job->started)
        {
          job->started = TRUE;
          job->was_empty = g_list_model_get_n_items (G_LIST_MODEL (self->tasks)) == 0;
          /* Nothing but a mark: the job and the queue stay as they are. */
          g_signal_emit (self, signals[SIGNAL_STARTED], 0);
        }
      if (!lens_import_add_slice (self->tasks, job->parsed, &job->cursor, *budget, &job->summary))
        {
          *budget -= job->cursor - before;
          return FALSE;
        }
      *budget -= job->cursor - before;
      text = lens_import_summary_to_text (&job->summary, job->source_name);
    }

  failure = g_steal_pointer (&job->failure);
  n_new = job->summary.n_new;
  was_empty = job->was_empty;
  job_free (g_queue_pop_head (&self->jobs));

  keep = g_object_ref (self);
  if (failure != NULL)
    {
      lens_intake_notes_add (self->notes, failure, 0);
      return TRUE;
    }
  if (n_new > 0)
    g_signal_emit (self, signals[SIGNAL_ADDED], 0, n_new, was_empty);
  /* After the last slice: the history's sync covers all of them. */
  lens_intake_notes_add (self->notes, text, n_new);
  return TRUE;
}

static gboolean slice_cb (gpointer user_data);

/* Adds one slice's worth (@budget ids) of the jobs at the head that are
 * ready, and comes back for the rest in the next main-loop turn. A job
 * still being parsed holds back those behind it. */
static void
run_ready_jobs (LensIntake *self,
                guint      *budget)
{
  Job *job;

  while ((job = g_queue_peek_head (&self->jobs)) != NULL
         && (job->parsed != NULL || job->failure != NULL))
    {
      if (*budget == 0)
        {
          if (self->slice_source_id == 0)
            {
              /* Below redrawing and input, as the history's writes. */
              self->slice_source_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, slice_cb, self, NULL);
              g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->slice_source_id),
                                        "[lens-intake] slice");
            }
          return;
        }
      job_run (self, job, budget);
    }
}

/* Adds what is ready, at most @budget ids, and returns how many it added. */
static guint
run_jobs (LensIntake *self,
          guint       budget)
{
  guint left = budget;

  /* A listener of "added" or "message" may bring in more: that waits in the
   * queue, for this loop, and the job being finished is not run again. */
  if (self->running_jobs)
    return 0;
  self->running_jobs = TRUE;
  run_ready_jobs (self, &left);
  self->running_jobs = FALSE;
  return budget - left;
}

static guint
first_turn_size (LensIntake *self)
{
  return self->slice_size == G_MAXUINT ? G_MAXUINT : MIN (LENS_INTAKE_FIRST_SLICE, self->slice_size);
}

/* The ids a turn that added @n_added in @took_us should have added to take
 * TURN_BUDGET_US: at most twice @grown_from, at least the first slice,
 * never more than @most. */
static guint
next_turn_size (guint  n_added,
                gint64 took_us,
                guint  grown_from,
                guint  most)
{
  guint64 fits = (guint64) n_added * TURN_BUDGET_US / (guint64) MAX (took_us, 1);

  fits = MIN (fits, (guint64) grown_from * 2);
  fits = MAX (fits, LENS_INTAKE_FIRST_SLICE);
  return (guint) MIN (fits, (guint64) most);
}

/* One main-loop turn of adding. What a slice costs is only known by
 * measuring: it is mostly what the list's listeners do. An empty list's
 * view makes a row for each of the first ids that come, about half a
 * millisecond each: 500 ids into an empty window held the main loop 18 ms
 * in bench-paste, where 16 took 9 ms and 500 into a full list take under
 * one. So a burst starts with a small slice, and each turn's slice is sized
 * by how long the last one took. */
static void
run_turn (LensIntake *self)
{
  gint64 started = g_get_monotonic_time ();
  gint64 allowed = lens_turn_budget_until (TURN_BUDGET_US) - started;
  guint size = self->turn_size;
  guint n_added;

  /* Other slices ran in this turn before (lens-turn-budget.c): fewer. */
  if (self->slice_size != G_MAXUINT && allowed < TURN_BUDGET_US)
    size = MAX (1, (guint) ((guint64) size * (guint64) allowed / TURN_BUDGET_US));
  n_added = run_jobs (self, size);

  if (self->slice_size == G_MAXUINT)
    return;
  /* A slice cut short still says what an id costs: the next whole turn's
   * size grows from the whole size, not from the cut one. */
  if (g_queue_is_empty (&self->jobs))
    self->turn_size = first_turn_size (self);
  else if (n_added > 0)
    self->turn_size = next_turn_size (n_added, g_get_monotonic_time () - started,
                                      size < self->turn_size ? self->turn_size : n_added,
                                      self->slice_size);
}

static gboolean
slice_cb (gpointer user_data)
{
  LensIntake *self = user_data;

  self->slice_source_id = 0;
  run_turn (self);
  return G_SOURCE_REMOVE;
}

/* Takes @job into the queue. Unless a slice is already due (then the queue
 * is busy, and this one waits its turn there), the head is added now: a
 * small text @at_once, in this call, anything else as a turn's slice. */
static void
push_job (LensIntake *self,
          Job        *job,
          gboolean    at_once)
{
  g_queue_push_tail (&self->jobs, job);
  if (self->slice_source_id != 0)
    return;
  if (at_once)
    run_jobs (self, G_MAXUINT);
  else
    run_turn (self);
}

static void
text_parsed_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Carry) carry = user_data;
  LensIntake *self = carry->self;
  g_autoptr(LensIdParseResult) parsed = lens_import_parse_text_finish (result, NULL);
  Job *job;

  /* Only cancellation fails here: the intake is going away. And only a job
   * still in the queue is waiting for this. */
  if (parsed == NULL || g_queue_find (&self->jobs, carry->job) == NULL)
    return;

  job = carry->job;
  job->parsed = g_steal_pointer (&parsed);
  if (self->slice_source_id == 0)
    run_turn (self);
}

/**
 * lens_intake_add_text:
 * @text: text that may hold task ids
 * @source_name: (nullable): where it came from, for the message
 *
 * Adds the task ids in @text, now or once ready and once what came before
 * is added, and says how many.
 */
void
lens_intake_add_text (LensIntake *self,
                      const char *text,
                      const char *source_name)
{
  Job *job;

  g_return_if_fail (LENS_IS_INTAKE (self));
  g_return_if_fail (text != NULL);

  if (!self->ready)
    {
      Pending *pending = g_new0 (Pending, 1);

      pending->text = g_strdup (text);
      pending->source_name = g_strdup (source_name);
      g_ptr_array_add (self->pending_texts, pending);
      return;
    }

  if (strlen (text) < LENS_IMPORT_SMALL_TEXT_SIZE)
    {
      push_job (self, job_new (source_name, lens_id_parser_parse (text, -1)), TRUE);
      return;
    }

  /* In the queue already, so that what comes after it waits for it. */
  job = job_new (source_name, NULL);
  g_queue_push_tail (&self->jobs, job);
  lens_import_parse_text_async (text, self->cancellable, text_parsed_cb,
                                carry_new (self, source_name, job));
}

/**
 * lens_intake_set_slice_size:
 * @slice_size: the most ids to add per main-loop turn, at least 1
 *
 * For tests and benchmarks: G_MAXUINT adds everything at once.
 */
void
lens_intake_set_slice_size (LensIntake *self,
                            guint       slice_size)
{
  g_return_if_fail (LENS_IS_INTAKE (self));
  g_return_if_fail (slice_size > 0);

  self->slice_size = slice_size;
  self->turn_size = first_turn_size (self);
}

/* ─── importing files ──────────────────────────────────────────────────── */

static void
set_import (LensIntake *self,
            const char *name,
            double      fraction)
{
  gboolean was_importing = self->import_name != NULL;

  if (g_strcmp0 (self->import_name, name) != 0)
    {
      g_free (self->import_name);
      self->import_name = g_strdup (name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORT_NAME]);
    }
  /* An unknown size notifies every time, so that a bar can pulse. */
  if (self->import_fraction != fraction || fraction < 0)
    {
      self->import_fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORT_FRACTION]);
    }
  if (was_importing != (self->import_name != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
}

static void
import_progress_cb (goffset  bytes_read,
                    goffset  total_bytes,
                    gpointer user_data)
{
  LensIntake *self = user_data;

  set_import (self, self->import_name, total_bytes > 0 ? (double) bytes_read / total_bytes : -1);
}

static void
file_read_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Carry) carry = user_data;
  LensIntake *self = carry->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(LensIdParseResult) parsed = lens_import_read_file_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* After what came before it; a failure too, so that it is said in turn. */
  if (parsed != NULL)
    push_job (self, job_new (carry->name, g_steal_pointer (&parsed)), FALSE);
  else
    {
      Job *job = job_new (carry->name, NULL);

      job->failure = g_strdup (error->message);
      push_job (self, job, FALSE);
    }

  g_clear_object (&self->import_cancellable);
  import_next (self);
}

static void
import_next (LensIntake *self)
{
  g_autoptr(GFile) file = g_queue_pop_head (&self->files);
  g_autofree char *name = NULL;

  if (file == NULL)
    {
      set_import (self, NULL, 0);
      return;
    }

  name = g_file_get_basename (file);
  set_import (self, name, 0);

  self->import_cancellable = g_cancellable_new ();
  lens_import_read_file_async (file, import_progress_cb, self, self->import_cancellable,
                               file_read_cb, carry_new (self, name, NULL));
}

/**
 * lens_intake_import_files:
 * @files: (element-type GFile): text, CSV, JSON or log files
 *
 * Reads the files one by one, without blocking, and adds the ids found.
 */
void
lens_intake_import_files (LensIntake *self,
                          GListModel *files)
{
  guint n_files;
  gboolean idle;

  g_return_if_fail (LENS_IS_INTAKE (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  idle = self->import_cancellable == NULL && g_queue_is_empty (&self->files);
  n_files = g_list_model_get_n_items (files);
  for (guint i = 0; i < n_files; i++)
    g_queue_push_tail (&self->files, g_list_model_get_item (files, i));
  if (idle && self->ready)
    import_next (self);
}

/**
 * lens_intake_cancel_import:
 *
 * Stops reading the current file and forgets the ones waiting.
 */
void
lens_intake_cancel_import (LensIntake *self)
{
  g_return_if_fail (LENS_IS_INTAKE (self));

  g_queue_clear_full (&self->files, g_object_unref);
  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  set_import (self, NULL, 0);
}

/**
 * lens_intake_cancel_all:
 *
 * Stops everything under way — texts being scanned, ids being added, the
 * file being read — and forgets what waits (when the app quits).
 */
void
lens_intake_cancel_all (LensIntake *self)
{
  g_return_if_fail (LENS_IS_INTAKE (self));

  g_cancellable_cancel (self->cancellable);
  g_ptr_array_set_size (self->pending_texts, 0);
  clear_jobs (self);
  lens_intake_cancel_import (self);
}

/**
 * lens_intake_set_history:
 * @history: (nullable): the history that writes the list
 *
 * From now on, a message that says tasks were added waits until @history
 * has written them. Without one it is said at once.
 */
void
lens_intake_set_history (LensIntake  *self,
                         LensHistory *history)
{
  g_return_if_fail (LENS_IS_INTAKE (self));
  g_return_if_fail (history == NULL || LENS_IS_HISTORY (history));

  lens_intake_notes_set_history (self->notes, history);
}

/**
 * lens_intake_set_ready:
 *
 * Takes in what came while it was not ready: the texts first, in order, then
 * the files.
 */
void
lens_intake_set_ready (LensIntake *self,
                       gboolean    ready)
{
  g_autoptr(GPtrArray) texts = NULL;

  g_return_if_fail (LENS_IS_INTAKE (self));

  if (self->ready == ready)
    return;
  self->ready = ready;
  if (!ready)
    return;

  texts = g_steal_pointer (&self->pending_texts);
  self->pending_texts = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  for (guint i = 0; i < texts->len; i++)
    {
      Pending *pending = g_ptr_array_index (texts, i);
      lens_intake_add_text (self, pending->text, pending->source_name);
    }
  if (self->import_cancellable == NULL && !g_queue_is_empty (&self->files))
    import_next (self);
}

gboolean
lens_intake_get_importing (LensIntake *self)
{
  g_return_val_if_fail (LENS_IS_INTAKE (self), FALSE);
  return self->import_name != NULL;
}

/**
 * lens_intake_get_import_name:
 *
 * Returns: (nullable): the name of the file being read
 */
const char *
lens_intake_get_import_name (LensIntake *self)
{
  g_return_val_if_fail (LENS_IS_INTAKE (self), NULL);
  return self->import_name;
}

/**
 * lens_intake_get_import_fraction:
 *
 * Returns: how much of the file being read is read, 0…1, or -1 when its
 *   size is unknown
 */
double
lens_intake_get_import_fraction (LensIntake *self)
{
  g_return_val_if_fail (LENS_IS_INTAKE (self), 0);
  return self->import_fraction;
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_intake_dispose (GObject *object)
{
  LensIntake *self = LENS_INTAKE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->import_cancellable);
  g_queue_clear_full (&self->files, g_object_unref);
  g_clear_object (&self->import_cancellable);
  clear_jobs (self);
  g_clear_object (&self->tasks);
  lens_intake_notes_clear (self->notes);

  G_OBJECT_CLASS (lens_intake_parent_class)->dispose (object);
}

static void
lens_intake_finalize (GObject *object)
{
  LensIntake *self = LENS_INTAKE (object);

  g_clear_pointer (&self->notes, lens_intake_notes_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_texts, g_ptr_array_unref);
  g_free (self->import_name);

  G_OBJECT_CLASS (lens_intake_parent_class)->finalize (object);
}

static void
lens_intake_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LensIntake *self = LENS_INTAKE (object);

  switch (prop_id)
    {
    case PROP_IMPORTING:
      g_value_set_boolean (value, self->import_name != NULL);
      break;
    case PROP_IMPORT_NAME:
      g_value_set_string (value, self->import_name);
      break;
    case PROP_IMPORT_FRACTION:
      g_value_set_double (value, self->import_fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_intake_class_init (LensIntakeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = lens_intake_dispose;
  object_class->finalize = lens_intake_finalize;
  object_class->get_property = lens_intake_get_property;

  properties[PROP_IMPORTING] = g_param_spec_boolean ("importing", NULL, NULL, FALSE, flags);
  properties[PROP_IMPORT_NAME] = g_param_spec_string ("import-name", NULL, NULL, NULL, flags);
  properties[PROP_IMPORT_FRACTION] =
    g_param_spec_double ("import-fraction", NULL, NULL, -1, 1, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* A text or file starts going into the list: what it adds is another
   * action of the user's (the refresher looks it up as one group). */
  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ADDED] =
    g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BOOLEAN);
}

static void
lens_intake_init (LensIntake *self)
{
  self->cancellable = g_cancellable_new ();
  self->pending_texts = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_queue_init (&self->files);
  self->notes = lens_intake_notes_new (G_OBJECT (self), self->cancellable, emit_message);
  g_queue_init (&self->jobs);
  self->slice_size = LENS_INTAKE_SLICE_SIZE;
  self->turn_size = first_turn_size (self);
}

/**
 * lens_intake_new:
 * @tasks: the list new tasks are added to
 *
 * Returns: (transfer full): an intake that is not ready yet: what comes in
 *   waits for lens_intake_set_ready()
 */
LensIntake *
lens_intake_new (LensTaskList *tasks)
{
  LensIntake *self;

  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), NULL);

  self = g_object_new (LENS_TYPE_INTAKE, NULL);
  self->tasks = g_object_ref (tasks);
  return self;
}
