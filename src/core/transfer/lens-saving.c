/* lens-saving.c — the app's bulk save: one at a time, resumed after a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The context owns one LensSaving. It makes the LensSaveJob of each bulk
 * save (Save Images…, `tasklens --save-all`, app.save-all), one at a time,
 * and keeps the last one for whoever shows how it went. Each job notes
 * itself in the journal (lens-save-journal.c); once the history is loaded
 * (lens_saving_set_history()), a journal left by a save that a quit or a
 * crash interrupted is read, in a worker, and that save starts again: it
 * recognises what it had saved already and goes on from there.
 */

#define G_LOG_DOMAIN "lens-saving"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-save-journal.h"
#include "lens-saving.h"

struct _LensSaving
{
  GObject            parent_instance;

  LensDownloader    *downloader;     /* owned */
  LensTaskStore     *store;          /* owned */
  LensTaskList      *tasks;          /* owned */
  LensHistory       *history;        /* owned, nullable: until loaded */
  char              *journal_path;   /* owned, nullable */
  char              *name_template;  /* owned, nullable */
  LensGridSplitFunc  split;          /* nullable */
  LensSaveJob       *job;            /* owned, nullable */
  GCancellable      *cancellable;    /* owned: the journal's read */
};

G_DEFINE_FINAL_TYPE (LensSaving, lens_saving, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_JOB,
  PROP_NAME_TEMPLATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_JOB_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
job_finished_cb (LensSaveJob *job,
                 LensSaving  *self)
{
  g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, job);
}

static LensSaveJob *
start_job (LensSaving         *self,
           GFile              *folder,
           const char * const *ids,
           LensSaveGrids       grids)
{
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  self->job = lens_save_job_new (self->downloader, self->store, folder, ids, grids);
  lens_save_job_set_history (self->job, self->history);
  lens_save_job_set_name_template (self->job, self->name_template);
  lens_save_job_set_split_func (self->job, self->split);
  lens_save_job_set_journal_path (self->job, self->journal_path);
  g_signal_connect (self->job, "finished", G_CALLBACK (job_finished_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
  lens_save_job_start (self->job);
  return self->job;
}

/* ─── resuming ─────────────────────────────────────────────────────────── */

static void
read_journal_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;
  LensSaveJournal *journal = lens_save_journal_read (task_data, &error);

  if (journal == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, journal, (GDestroyNotify) lens_save_journal_free);
}

static void
journal_read_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LensSaving) self = user_data;
  g_autoptr(LensSaveJournal) journal = NULL;
  g_autoptr(GError) error = NULL;

  journal = g_task_propagate_pointer (G_TASK (result), &error);
  if (journal == NULL)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("An interrupted save cannot be resumed: %s", error->message);
      return;
    }
  /* A save the user started meanwhile wins; the journal is its now. */
  if (lens_saving_is_busy (self))
    return;
  g_message ("Resuming the save of %u tasks' images that was interrupted",
             g_strv_length (journal->ids));
  start_job (self, journal->folder, (const char * const *) journal->ids, journal->grids);
}

static void
resume_interrupted (LensSaving *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->journal_path == NULL)
    return;
  task = g_task_new (NULL, self->cancellable, journal_read_cb, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (self->journal_path), g_free);
  g_task_run_in_thread (task, read_journal_in_thread);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_saving_dispose (GObject *object)
{
  LensSaving *self = LENS_SAVING (object);

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->job, self);
      lens_save_job_interrupt (self->job);
    }
  g_clear_object (&self->job);
  g_clear_object (&self->downloader);
  g_clear_object (&self->store);
  g_clear_object (&self->tasks);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (lens_saving_parent_class)->dispose (object);
}

static void
lens_saving_finalize (GObject *object)
{
  LensSaving *self = LENS_SAVING (object);

  g_clear_object (&self->cancellable);
  g_free (self->journal_path);
  g_free (self->name_template);

  G_OBJECT_CLASS (lens_saving_parent_class)->finalize (object);
}

static void
lens_saving_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LensSaving *self = LENS_SAVING (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    case PROP_NAME_TEMPLATE:
      g_value_set_string (value, self->name_template);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_saving_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LensSaving *self = LENS_SAVING (object);

  switch (prop_id)
    {
    case PROP_NAME_TEMPLATE:
      if (g_set_str (&self->name_template, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_saving_class_init (LensSavingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_saving_dispose;
  object_class->finalize = lens_saving_finalize;
  object_class->get_property = lens_saving_get_property;
  object_class->set_property = lens_saving_set_property;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, LENS_TYPE_SAVE_JOB,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* How files are named (lens-name-template.h); the context binds it to
   * the "file-name-template" setting, as it does LensDownloads's. */
  properties[PROP_NAME_TEMPLATE] =
    g_param_spec_string ("name-template", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LENS_TYPE_SAVE_JOB);
}

static void
lens_saving_init (LensSaving *self)
{
  self->cancellable = g_cancellable_new ();
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_saving_new:
 * @tasks: the list, for lens_saving_dup_finished_ids()
 * @journal_path: (nullable): where a save notes itself, to be resumed
 *   after a crash; %NULL for saves that are not
 *
 * Returns: (transfer full): the bulk saves of the app
 */
LensSaving *
lens_saving_new (LensDownloader *downloader,
                 LensTaskStore  *store,
                 LensTaskList   *tasks,
                 const char     *journal_path)
{
  LensSaving *self;

  g_return_val_if_fail (LENS_IS_DOWNLOADER (downloader), NULL);
  g_return_val_if_fail (LENS_IS_TASK_STORE (store), NULL);
  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), NULL);

  self = g_object_new (LENS_TYPE_SAVING, NULL);
  self->downloader = g_object_ref (downloader);
  self->store = g_object_ref (store);
  self->tasks = g_object_ref (tasks);
  self->journal_path = g_strdup (journal_path);
  return self;
}

/**
 * lens_saving_set_history:
 * @history: the loaded history, where saved paths are recorded
 *
 * Once the history is there, a save a crash interrupted is resumed.
 */
void
lens_saving_set_history (LensSaving  *self,
                         LensHistory *history)
{
  g_return_if_fail (LENS_IS_SAVING (self));
  g_return_if_fail (LENS_IS_HISTORY (history));

  if (!g_set_object (&self->history, history))
    return;
  if (self->job != NULL)
    lens_save_job_set_history (self->job, history);
  resume_interrupted (self);
}

/**
 * lens_saving_set_split_func:
 * @split: (nullable): cuts grids into their four images (the UI's)
 */
void
lens_saving_set_split_func (LensSaving        *self,
                            LensGridSplitFunc  split)
{
  g_return_if_fail (LENS_IS_SAVING (self));
  self->split = split;
}

/**
 * lens_saving_get_job:
 *
 * Returns: (transfer none) (nullable): the save under way, or the last one
 */
LensSaveJob *
lens_saving_get_job (LensSaving *self)
{
  g_return_val_if_fail (LENS_IS_SAVING (self), NULL);
  return self->job;
}

/* Whether a save is under way (one at a time). */
gboolean
lens_saving_is_busy (LensSaving *self)
{
  LensSaveJobState state;

  g_return_val_if_fail (LENS_IS_SAVING (self), FALSE);

  if (self->job == NULL)
    return FALSE;
  state = lens_save_job_get_state (self->job);
  return state == LENS_SAVE_JOB_PREPARING || state == LENS_SAVE_JOB_RUNNING;
}

/**
 * lens_saving_start:
 * @folder: a local folder
 * @ids: (array zero-terminated=1): the tasks whose images to save
 * @grids: how grids are saved
 *
 * Returns: (transfer none) (nullable): the job, started; %NULL with @error
 *   set while another save is under way or before the history is loaded
 */
LensSaveJob *
lens_saving_start (LensSaving          *self,
                   GFile               *folder,
                   const char * const  *ids,
                   LensSaveGrids        grids,
                   GError             **error)
{
  g_return_val_if_fail (LENS_IS_SAVING (self), NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  if (lens_saving_is_busy (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("Images are being saved already; wait for that to end, or stop it"));
      return NULL;
    }
  if (self->history == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("The task history is not open yet"));
      return NULL;
    }
  return start_job (self, folder, ids, grids);
}

/**
 * lens_saving_dup_finished_ids:
 * @only_unsaved: leave out the tasks saved before (with a saved path)
 *
 * The finished tasks of the list, in its order: what "Save All Images"
 * saves. Each task's summary says it: no record is read.
 *
 * Returns: (transfer full): their ids
 */
static gboolean
task_is_finished (LensTask *task,
                  gpointer  only_unsaved)
{
  return lens_task_get_state (task) == LENS_TASK_STATE_DONE
         && (only_unsaved == NULL || lens_task_get_saved_path (task) == NULL);
}

GStrv
lens_saving_dup_finished_ids (LensSaving *self,
                              gboolean    only_unsaved)
{
  g_return_val_if_fail (LENS_IS_SAVING (self), NULL);

  return lens_task_list_dup_ids_where (self->tasks, task_is_finished,
                                       only_unsaved ? GINT_TO_POINTER (TRUE) : NULL);
}

/**
 * lens_saving_interrupt:
 *
 * For the app's end: the save under way stops, and its journal stays, so
 * that the next start resumes it.
 */
void
lens_saving_interrupt (LensSaving *self)
{
  g_return_if_fail (LENS_IS_SAVING (self));

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    lens_save_job_interrupt (self->job);
}
