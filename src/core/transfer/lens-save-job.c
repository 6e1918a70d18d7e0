/* lens-save-job.c — saving the images of many tasks into one folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Save Images, `tasklens --save-all` and the app.save-all action all come
 * here. A job is given task ids, a folder and how to save grids, and goes:
 *
 *   PREPARING: journal written (lens-save-journal.c) ─┐
 *              folder read (lens-saved-images.c) ─────┼→ RUNNING → DONE
 *              records read from the store, in pages ─┘      ↘ CANCELLED
 *
 * Preparing reads each task's record on the store's reader, a page at a
 * time, and turns it into the images to save (lens-save-plan.c); the
 * folder's images of Tasklens's are read meanwhile, so that an image
 * already there (from an earlier save, or from this one before a crash)
 * is counted as such and never saved twice.
 *
 * Running keeps a few images in flight (MAX_IN_FLIGHT: the image host is
 * a CDN, not the API, but it is someone else's server too). Each goes
 * through LensDownloader with LENS_SAVE_UNIQUE: held in memory, given
 * its metadata, written once to a temporary file, flushed, and renamed to
 * a name no file has (lens-image-file.c) — a user's file is never
 * replaced, and a crash leaves at most a hidden partial file, which the
 * next save into the folder removes. A grid whose
 * four images have no links of their own is downloaded once, to a hidden
 * file, and cut by the split function the UI gives, in a worker
 * (lens-save-cut.c).
 *
 * A failure (an expired link, a full disk) is kept with its reason and
 * the job goes on; lens_save_job_retry_failed() tries just those again.
 * The saved path of each task is recorded in the history, so rows show a
 * saved badge and the task view finds the file.
 *
 * Every operation holds the job; cancelling (or lens_save_job_dispose())
 * cancels them, and their callbacks then only let go.
 */

#define G_LOG_DOMAIN "lens-save-job"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-file-name.h"
#include "lens-image-file.h"
#include "lens-name-template.h"
#include "lens-save-job.h"
#include "lens-save-journal.h"
#include "lens-saved-images.h"

/* Images downloaded at once: enough to hide each one's latency. */
#define DEFAULT_MAX_IN_FLIGHT 4
/* Records read from the store at once while preparing. */
#define PAGE_SIZE 256
/* Images done before a time left is guessed. */
#define MIN_DONE_FOR_ESTIMATE 3

G_DEFINE_ENUM_TYPE (LensSaveJobState, lens_save_job_state,
                    G_DEFINE_ENUM_VALUE (LENS_SAVE_JOB_PREPARING, "preparing"),
                    G_DEFINE_ENUM_VALUE (LENS_SAVE_JOB_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (LENS_SAVE_JOB_DONE, "done"),
                    G_DEFINE_ENUM_VALUE (LENS_SAVE_JOB_CANCELLED, "cancelled"))

struct _LensSaveJob
{
  GObject           parent_instance;

  LensDownloader   *downloader;     /* owned */
  LensTaskStore    *store;          /* owned */
  LensHistory      *history;        /* owned, nullable */
  GFile            *folder;         /* owned */
  GStrv             ids;            /* owned: as given, repeats and all */
  GHashTable       *paged;          /* owned, nullable: set of the ids (borrowed) read so far,
                                     * until the last page is read */
  LensSaveGrids     grids;
  char             *name_template;  /* owned, nullable: the default */
  LensGridSplitFunc split;         /* nullable */
  LensSaveJournalFile *journal;     /* owned, nullable */
  guint             max_in_flight;

  LensSaveJobState  state;
  gboolean          interrupted;    /* by a quit: see lens_save_job_interrupt() */
  GCancellable     *cancellable;    /* owned */
  GError           *error;          /* owned, nullable */

  /* Preparing. */
  guint             next_page;      /* index in ids of the next page to read */
  gboolean          reading;        /* a page is being read */
  GHashTable       *existing;       /* owned, nullable until the folder is read: key → path */
  GPtrArray        *planned;        /* owned: of owned LensSaveItem, until they run */

  /* Running. */
  GQueue            queue;          /* of LensSaveItem, owned: waiting */
  guint             n_in_flight;
  GHashTable       *names_taken;    /* owned: stems given to items under way, to keep them apart */
  guint             n_images;
  guint             n_saved;
  guint             n_existing;
  guint             n_failed;
  guint             n_without_image;
  guint64           bytes_saved;    /* of the files in place */
  guint64           bytes_flying;   /* received so far by the downloads under way */
  gint64            started_us;     /* when the first download began */
  guint             n_downloaded;   /* images that went over the network (saved or failed) */
  GPtrArray        *failures;       /* owned: of LensSaveFailure */
  GPtrArray        *failed_items;   /* owned: of LensSaveItem, for a retry */
};

G_DEFINE_FINAL_TYPE (LensSaveJob, lens_save_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_FOLDER,
  PROP_N_IMAGES,
  PROP_N_SAVED,
  PROP_N_EXISTING,
  PROP_N_FAILED,
  PROP_N_WITHOUT_IMAGE,
  PROP_BYTES_SAVED,
  PROP_SECONDS_LEFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_next (LensSaveJob *self);
static void read_next_page (LensSaveJob *self);

static void
failure_free (LensSaveFailure *failure)
{
  g_free (failure->task_id);
  g_free (failure->title);
  g_free (failure->message);
  g_free (failure);
}

static void
notify (LensSaveJob *self,
        guint        prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
is_over (LensSaveJob *self)
{
  return self->state == LENS_SAVE_JOB_DONE || self->state == LENS_SAVE_JOB_CANCELLED;
}

/* Whether what comes back is only to be let go. */
static gboolean
is_stopped (LensSaveJob *self)
{
  return self->interrupted || self->state == LENS_SAVE_JOB_CANCELLED;
}

/* ─── the journal ──────────────────────────────────────────────────────── */

/* Notes that the job is to save @ids (all of them, or those to retry). */
static void
write_journal (LensSaveJob        *self,
               const char * const *ids)
{
  LensSaveJournal journal = { self->folder, self->grids, (GStrv) ids };

  if (self->journal != NULL)
    lens_save_journal_file_write (self->journal, &journal);
}

static void
remove_journal (LensSaveJob *self)
{
  if (self->journal != NULL)
    lens_save_journal_file_remove (self->journal);
}

/* ─── the end ──────────────────────────────────────────────────────────── */

static void
set_state (LensSaveJob      *self,
           LensSaveJobState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  notify (self, PROP_STATE);
  if (is_over (self))
    {
      remove_journal (self);
      notify (self, PROP_SECONDS_LEFT);
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
    }
}

/* Ends the job with @error (taken): nothing more can be saved. */
static void
fail_job (LensSaveJob *self,
          GError      *error)
{
  g_clear_error (&self->error);
  self->error = error;
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->queue, (GDestroyNotify) lens_save_item_free);
  set_state (self, LENS_SAVE_JOB_DONE);
}

static void
finish_if_done (LensSaveJob *self)
{
  if (self->state == LENS_SAVE_JOB_RUNNING && self->n_in_flight == 0
      && g_queue_is_empty (&self->queue))
    set_state (self, LENS_SAVE_JOB_DONE);
}

/* ─── results ──────────────────────────────────────────────────────────── */

/* The task's saved path, for its badge and its page: the whole image's
 * file, or the first image of a grid when the whole is not saved. */
static void
record_saved (LensSaveJob  *self,
              LensSaveItem *item,
              const char   *path)
{
  if (self->history == NULL || path == NULL)
    return;
  if (item->facts->index == 0
      || (item->facts->index == 1 && self->grids == LENS_SAVE_GRIDS_SPLIT))
    lens_history_set_saved_path (self->history, item->facts->task_id, path);
}

static void
item_failed (LensSaveJob  *self,
             LensSaveItem *item,
             const GError *error)
{
  LensSaveFailure *failure = g_new0 (LensSaveFailure, 1);

  failure->task_id = g_strdup (item->facts->task_id);
  failure->index = item->facts->index;
  failure->title = g_strdup (item->facts->prompt);
  failure->message = g_strdup (error->message);
  g_ptr_array_add (self->failures, failure);
  g_ptr_array_add (self->failed_items, item);
  self->n_failed++;
  notify (self, PROP_N_FAILED);
}

static void
item_saved (LensSaveJob  *self,
            LensSaveItem *item,
            GFile        *file,
            goffset       size)
{
  g_autofree char *path = g_file_get_path (file);

  record_saved (self, item, path);
  self->n_saved++;
  self->bytes_saved += (guint64) MAX (size, 0);
  notify (self, PROP_N_SAVED);
  notify (self, PROP_BYTES_SAVED);
  lens_save_item_free (item);
}

/* ─── one image ────────────────────────────────────────────────────────── */

typedef struct
{
  LensSaveJob  *job;       /* owned */
  GPtrArray    *items;     /* owned: of LensSaveItem; one, or a grid's to cut */
  char         *stem;      /* owned: the first item's */
  goffset       received;  /* bytes so far, for the progress */
  GFile        *grid;      /* owned, nullable: the hidden download of a grid to cut */
} Flight;

static void
grid_deleted_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_file_delete_finish (G_FILE (source_object), result, NULL);
}

static void
flight_free (Flight *flight)
{
  /* The hidden download of a grid is only a means. */
  if (flight->grid != NULL)
    g_file_delete_async (flight->grid, G_PRIORITY_DEFAULT, NULL, grid_deleted_cb, NULL);
  g_clear_object (&flight->grid);
  g_clear_pointer (&flight->items, g_ptr_array_unref);
  g_free (flight->stem);
  g_object_unref (flight->job);
  g_free (flight);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Flight, flight_free)

/* Ends a flight: its bytes are no longer "under way". */
static void
land (Flight *flight)
{
  LensSaveJob *self = flight->job;

  self->n_in_flight--;
  self->bytes_flying -= (guint64) flight->received;
  self->n_downloaded += flight->items->len;
  notify (self, PROP_SECONDS_LEFT);
}

static void
flight_progress_cb (goffset  received,
                    goffset  total,
                    gpointer user_data)
{
  Flight *flight = user_data;

  flight->job->bytes_flying += (guint64) (received - flight->received);
  flight->received = received;
}

static void
saved_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Flight) flight = user_data;
  LensSaveJob *self = flight->job;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  goffset size = flight->received;

  file = lens_downloader_save_finish (LENS_DOWNLOADER (source_object), result, &error);
  land (flight);
  g_hash_table_remove (self->names_taken, flight->stem);
  if (is_stopped (self))
    return;

  if (file != NULL)
    item_saved (self, g_ptr_array_steal_index (flight->items, 0), file, size);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    item_failed (self, g_ptr_array_steal_index (flight->items, 0), error);
  run_next (self);
}

static void
cut_cb (GObject      *source_object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Flight) flight = user_data;
  LensSaveJob *self = flight->job;
  g_autoptr(GArray) results = lens_save_cut_finish (result);

  land (flight);
  g_hash_table_remove (self->names_taken, flight->stem);
  g_clear_object (&flight->grid);
  if (is_stopped (self))
    return;

  /* Each item is taken from the flight as it is counted. */
  for (guint i = 0; i < results->len; i++)
    {
      LensSaveCutResult *outcome = &g_array_index (results, LensSaveCutResult, i);
      LensSaveItem *item = g_ptr_array_index (flight->items, i);

      g_ptr_array_index (flight->items, i) = NULL;
      if (outcome->final != NULL)
        item_saved (self, item, outcome->final, outcome->size);
      else if (g_error_matches (outcome->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lens_save_item_free (item);
      else
        item_failed (self, item, outcome->error);
    }
  run_next (self);
}

static void
grid_downloaded_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Flight) flight = user_data;
  LensSaveJob *self = flight->job;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) stems = NULL;
  GPtrArray *items;
  GFile *grid;

  file = lens_downloader_save_finish (LENS_DOWNLOADER (source_object), result, &error);
  if (file == NULL || is_stopped (self))
    {
      land (flight);
      g_hash_table_remove (self->names_taken, flight->stem);
      if (is_stopped (self))
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        while (flight->items->len > 0)
          item_failed (self, g_ptr_array_steal_index (flight->items, 0), error);
      run_next (self);
      return;
    }

  stems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < flight->items->len; i++)
    {
      LensSaveItem *item = g_ptr_array_index (flight->items, i);

      g_ptr_array_add (stems, lens_name_template_expand (self->name_template, item->facts));
    }
  /* The flight, which holds the items, lives until cut_cb. */
  grid = flight->grid;
  items = flight->items;
  lens_save_cut_async (grid, self->folder, items, stems, self->split, self->cancellable, cut_cb,
                       g_steal_pointer (&flight));
}

/* A stem no image under way has, so that two images named alike (one
 * prompt, one day) do not race for one name: the second gets " (2)". */
static char *
unique_stem (LensSaveJob *self,
             const char  *stem)
{
  char *candidate = g_strdup (stem);

  for (guint n = 2; g_hash_table_contains (self->names_taken, candidate); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s (%u)", stem, n);
    }
  g_hash_table_add (self->names_taken, g_strdup (candidate));
  return candidate;
}

/* Counts @item as already in the folder, and frees it, when it is: the
 * badge shows it, nothing is written. */
static gboolean
skip_if_existing (LensSaveJob  *self,
                  LensSaveItem *item)
{
  g_autofree char *key = lens_save_item_key (item->facts->task_id, item->facts->index);
  const char *path = g_hash_table_lookup (self->existing, key);

  if (path == NULL)
    return FALSE;
  record_saved (self, item, path);
  self->n_existing++;
  notify (self, PROP_N_EXISTING);
  lens_save_item_free (item);
  return TRUE;
}

static void
launch (LensSaveJob  *self,
        LensSaveItem *item)
{
  g_autoptr(LensSaveItem) owned = item;
  g_autofree char *stem = lens_name_template_expand (self->name_template, item->facts);
  Flight *flight = g_new0 (Flight, 1);
  g_autofree char *name = NULL;
  g_autoptr(GFile) destination = NULL;
  LensSaveFlags flags = LENS_SAVE_UNIQUE | LENS_SAVE_NAME_BY_CONTENT;

  flight->job = g_object_ref (self);
  flight->items = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_save_item_free);
  flight->stem = unique_stem (self, stem);
  g_ptr_array_add (flight->items, g_steal_pointer (&owned));
  self->n_in_flight++;
  if (self->started_us == 0)
    self->started_us = g_get_monotonic_time ();

  if (!item->crop)
    {
      name = lens_file_name_for_stem (flight->stem, NULL, item->facts->source_url);
      destination = g_file_get_child (self->folder, name);
      lens_downloader_save_async (self->downloader, item->facts->source_url, destination, item->facts,
                                  flags, flight_progress_cb, flight, NULL, self->cancellable,
                                  saved_cb, flight);
      return;
    }

  /* The images of one grid to cut are next to each other in the queue:
   * they share one download. */
  while (!g_queue_is_empty (&self->queue))
    {
      LensSaveItem *next = g_queue_peek_head (&self->queue);

      if (!next->crop || g_strcmp0 (next->facts->task_id, item->facts->task_id) != 0)
        break;
      next = g_queue_pop_head (&self->queue);
      if (!skip_if_existing (self, next))
        g_ptr_array_add (flight->items, next);
    }
  name = lens_file_name_temp (flight->stem, NULL);
  flight->grid = g_file_get_child (self->folder, name);
  lens_downloader_save_async (self->downloader, item->facts->source_url, flight->grid, NULL,
                              LENS_SAVE_NONE, flight_progress_cb, flight, NULL, self->cancellable,
                              grid_downloaded_cb, flight);
}

static void
run_next (LensSaveJob *self)
{
  if (self->state != LENS_SAVE_JOB_RUNNING)
    return;

  while (self->n_in_flight < self->max_in_flight && !g_queue_is_empty (&self->queue))
    {
      LensSaveItem *item = g_queue_pop_head (&self->queue);

      if (!skip_if_existing (self, item))
        launch (self, item);
    }
  finish_if_done (self);
}

/* ─── preparing ────────────────────────────────────────────────────────── */

static void
start_running_if_ready (LensSaveJob *self)
{
  if (self->state != LENS_SAVE_JOB_PREPARING || self->existing == NULL || self->reading
      || self->ids[self->next_page] != NULL)
    return;

  for (guint i = 0; i < self->planned->len; i++)
    g_queue_push_tail (&self->queue, g_ptr_array_index (self->planned, i));
  g_ptr_array_set_free_func (self->planned, NULL);
  g_ptr_array_set_size (self->planned, 0);
  g_ptr_array_set_free_func (self->planned, (GDestroyNotify) lens_save_item_free);
  set_state (self, LENS_SAVE_JOB_RUNNING);
  run_next (self);
}

static void
scanned_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LensSaveJob) self = user_data;
  g_autoptr(GError) error = NULL;
  GHashTable *existing = lens_saved_images_scan_finish (result, &error);

  if (is_over (self) || self->interrupted)
    {
      g_clear_pointer (&existing, g_hash_table_unref);
      return;
    }
  if (existing == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (self->folder);

      fail_job (self, g_error_new (error->domain, error->code, _("The folder “%s” cannot be read: %s"),
                                   name, error->message));
      return;
    }
  self->existing = existing;
  start_running_if_ready (self);
}

static void
page_read_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LensSaveJob) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  guint n_before = self->n_images;

  tasks = lens_task_store_read_records_finish (LENS_TASK_STORE (source_object), result, &error);
  self->reading = FALSE;
  if (is_over (self) || self->interrupted)
    return;
  if (tasks == NULL)
    {
      fail_job (self, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < tasks->len; i++)
    if (lens_save_plan_task (g_ptr_array_index (tasks, i), self->grids, self->split != NULL,
                             self->planned) == 0)
      self->n_without_image++;
  self->n_images = self->planned->len;
  if (self->n_images != n_before)
    notify (self, PROP_N_IMAGES);
  notify (self, PROP_N_WITHOUT_IMAGE);

  read_next_page (self);
  start_running_if_ready (self);
}

/* Ids name one task in any case (the store's too): a set of them, for
 * repeats, needs no lower-case copy of each. */
static guint
ascii_case_hash (gconstpointer id)
{
  guint32 hash = 5381;

  for (const char *p = id; *p != '\0'; p++)
    hash = (hash << 5) + hash + (guchar) g_ascii_tolower (*p);
  return hash;
}

static gboolean
ascii_case_equal (gconstpointer a,
                  gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* Pages go to the store's worker in the order given, each task once.
 * Repeats are left out here, a page at a time, rather than when the job
 * is made: for 100,000 tasks that took 12 ms of the click on Save. */
static void
read_next_page (LensSaveJob *self)
{
  g_autofree const char **page = NULL;
  guint n = 0;

  if (self->ids[self->next_page] == NULL)
    return;

  page = g_new0 (const char *, PAGE_SIZE + 1);
  while (n < PAGE_SIZE && self->ids[self->next_page] != NULL)
    {
      const char *id = self->ids[self->next_page++];

      if (g_hash_table_add (self->paged, (gpointer) id))
        page[n++] = id;
    }
  if (self->ids[self->next_page] == NULL)
    g_clear_pointer (&self->paged, g_hash_table_unref);
  if (n == 0)
    return;
  self->reading = TRUE;
  lens_task_store_read_records_async (self->store, page, self->cancellable, page_read_cb,
                                      g_object_ref (self));
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_save_job_dispose (GObject *object)
{
  LensSaveJob *self = LENS_SAVE_JOB (object);

  /* Operations hold the job: here none is left. */
  g_queue_clear_full (&self->queue, (GDestroyNotify) lens_save_item_free);
  g_clear_object (&self->downloader);
  g_clear_object (&self->store);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (lens_save_job_parent_class)->dispose (object);
}

static void
lens_save_job_finalize (GObject *object)
{
  LensSaveJob *self = LENS_SAVE_JOB (object);

  g_clear_object (&self->folder);
  g_clear_object (&self->cancellable);
  g_strfreev (self->ids);
  g_clear_pointer (&self->paged, g_hash_table_unref);
  g_free (self->name_template);
  g_clear_pointer (&self->journal, lens_save_journal_file_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->existing, g_hash_table_unref);
  g_ptr_array_unref (self->planned);
  g_hash_table_unref (self->names_taken);
  g_ptr_array_unref (self->failures);
  g_ptr_array_unref (self->failed_items);

  G_OBJECT_CLASS (lens_save_job_parent_class)->finalize (object);
}

static void
lens_save_job_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LensSaveJob *self = LENS_SAVE_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FOLDER:
      g_value_set_object (value, self->folder);
      break;
    case PROP_N_IMAGES:
      g_value_set_uint (value, self->n_images);
      break;
    case PROP_N_SAVED:
      g_value_set_uint (value, self->n_saved);
      break;
    case PROP_N_EXISTING:
      g_value_set_uint (value, self->n_existing);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_N_WITHOUT_IMAGE:
      g_value_set_uint (value, self->n_without_image);
      break;
    case PROP_BYTES_SAVED:
      g_value_set_uint64 (value, lens_save_job_get_bytes_saved (self));
      break;
    case PROP_SECONDS_LEFT:
      g_value_set_double (value, lens_save_job_get_seconds_left (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READABLE (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static void
lens_save_job_class_init (LensSaveJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_save_job_dispose;
  object_class->finalize = lens_save_job_finalize;
  object_class->get_property = lens_save_job_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, LENS_TYPE_SAVE_JOB_STATE, LENS_SAVE_JOB_PREPARING, READABLE);
  properties[PROP_FOLDER] = g_param_spec_object ("folder", NULL, NULL, G_TYPE_FILE, READABLE);
  properties[PROP_N_IMAGES] = g_param_spec_uint ("n-images", NULL, NULL, 0, G_MAXUINT, 0, READABLE);
  properties[PROP_N_SAVED] = g_param_spec_uint ("n-saved", NULL, NULL, 0, G_MAXUINT, 0, READABLE);
  properties[PROP_N_EXISTING] = g_param_spec_uint ("n-existing", NULL, NULL, 0, G_MAXUINT, 0, READABLE);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, READABLE);
  properties[PROP_N_WITHOUT_IMAGE] =
    g_param_spec_uint ("n-without-image", NULL, NULL, 0, G_MAXUINT, 0, READABLE);
  properties[PROP_BYTES_SAVED] =
    g_param_spec_uint64 ("bytes-saved", NULL, NULL, 0, G_MAXUINT64, 0, READABLE);
  properties[PROP_SECONDS_LEFT] =
    g_param_spec_double ("seconds-left", NULL, NULL, -1, G_MAXDOUBLE, -1, READABLE);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
lens_save_job_init (LensSaveJob *self)
{
  self->max_in_flight = DEFAULT_MAX_IN_FLIGHT;
  self->cancellable = g_cancellable_new ();
  self->planned = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_save_item_free);
  self->names_taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) failure_free);
  self->failed_items = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_save_item_free);
  g_queue_init (&self->queue);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_save_job_new:
 * @store: where the tasks' records are read
 * @folder: a local folder, which must exist
 * @ids: (array zero-terminated=1): the tasks whose images to save, in
 *   order (repeats are dropped)
 * @grids: how grids are saved
 *
 * Returns: (transfer full): a job, not started
 */
LensSaveJob *
lens_save_job_new (LensDownloader     *downloader,
                   LensTaskStore      *store,
                   GFile              *folder,
                   const char * const *ids,
                   LensSaveGrids       grids)
{
  LensSaveJob *self;

  g_return_val_if_fail (LENS_IS_DOWNLOADER (downloader), NULL);
  g_return_val_if_fail (LENS_IS_TASK_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  self = g_object_new (LENS_TYPE_SAVE_JOB, NULL);
  self->downloader = g_object_ref (downloader);
  self->store = g_object_ref (store);
  self->folder = g_object_ref (folder);
  self->grids = grids;
  self->ids = g_strdupv ((GStrv) ids);
  self->paged = g_hash_table_new (ascii_case_hash, ascii_case_equal);
  return self;
}

/**
 * lens_save_job_set_history:
 * @history: (nullable): where each task's saved path is recorded
 */
void
lens_save_job_set_history (LensSaveJob *self,
                           LensHistory *history)
{
  g_return_if_fail (LENS_IS_SAVE_JOB (self));
  g_set_object (&self->history, history);
}

/**
 * lens_save_job_set_name_template:
 * @name_template: (nullable): how files are named (lens-name-template.h);
 *   %NULL for the default
 */
void
lens_save_job_set_name_template (LensSaveJob *self,
                                 const char  *name_template)
{
  g_return_if_fail (LENS_IS_SAVE_JOB (self));
  g_set_str (&self->name_template, name_template);
}

/**
 * lens_save_job_set_split_func:
 * @split: (nullable): cuts a grid into its four images; without one, a
 *   grid whose images have no links of their own is saved whole
 */
void
lens_save_job_set_split_func (LensSaveJob       *self,
                              LensGridSplitFunc  split)
{
  g_return_if_fail (LENS_IS_SAVE_JOB (self));
  self->split = split;
}

/**
 * lens_save_job_set_journal_path:
 * @path: (nullable): where the job notes what it does, so that a save a
 *   crash interrupted resumes at the next start (lens-save-journal.c)
 */
void
lens_save_job_set_journal_path (LensSaveJob *self,
                                const char  *path)
{
  const char *current;

  g_return_if_fail (LENS_IS_SAVE_JOB (self));

  /* The same journal is kept: the writes under way are its. */
  current = self->journal != NULL ? lens_save_journal_file_get_path (self->journal) : NULL;
  if (g_strcmp0 (path, current) == 0)
    return;
  g_clear_pointer (&self->journal, lens_save_journal_file_unref);
  if (path != NULL)
    self->journal = lens_save_journal_file_new (path);
}

/**
 * lens_save_job_set_max_in_flight:
 * @max_in_flight: how many images are downloaded at once (at least 1)
 */
void
lens_save_job_set_max_in_flight (LensSaveJob *self,
                                 guint        max_in_flight)
{
  g_return_if_fail (LENS_IS_SAVE_JOB (self));
  self->max_in_flight = MAX (max_in_flight, 1);
}

/**
 * lens_save_job_start:
 *
 * Notes the job in its journal, reads the folder and the records, then
 * saves: "finished" is emitted when it is over.
 */
void
lens_save_job_start (LensSaveJob *self)
{
  g_return_if_fail (LENS_IS_SAVE_JOB (self));
  g_return_if_fail (self->state == LENS_SAVE_JOB_PREPARING && !self->reading && self->next_page == 0);

  write_journal (self, (const char * const *) self->ids);
  lens_saved_images_scan_async (self->folder, self->cancellable, scanned_cb, g_object_ref (self));
  read_next_page (self);
  start_running_if_ready (self);
}

/**
 * lens_save_job_cancel:
 *
 * Stops the job: the images under way are dropped (no partial file stays),
 * those saved stay saved, and the journal is removed.
 */
void
lens_save_job_cancel (LensSaveJob *self)
{
  g_return_if_fail (LENS_IS_SAVE_JOB (self));

  if (is_over (self))
    return;
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->queue, (GDestroyNotify) lens_save_item_free);
  set_state (self, LENS_SAVE_JOB_CANCELLED);
}

/**
 * lens_save_job_interrupt:
 *
 * Stops the job as a quit does: like a cancel, but the journal stays, so
 * that the next start resumes the save; no "finished" is emitted.
 */
void
lens_save_job_interrupt (LensSaveJob *self)
{
  g_return_if_fail (LENS_IS_SAVE_JOB (self));

  if (is_over (self))
    return;
  self->interrupted = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->queue, (GDestroyNotify) lens_save_item_free);
}

/**
 * lens_save_job_retry_failed:
 *
 * Tries the images that failed again, in the same job, which is running
 * again until they are done.
 *
 * Returns: whether there was anything to retry
 */
gboolean
lens_save_job_retry_failed (LensSaveJob *self)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) journal_ids = NULL;

  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), FALSE);

  if (self->state != LENS_SAVE_JOB_DONE || self->failed_items->len == 0 || self->error != NULL)
    return FALSE;

  for (guint i = 0; i < self->failed_items->len; i++)
    {
      LensSaveItem *item = g_ptr_array_index (self->failed_items, i);

      g_strv_builder_add (ids, item->facts->task_id);
      g_queue_push_tail (&self->queue, item);
    }
  g_ptr_array_set_free_func (self->failed_items, NULL);
  g_ptr_array_set_size (self->failed_items, 0);
  g_ptr_array_set_free_func (self->failed_items, (GDestroyNotify) lens_save_item_free);
  g_ptr_array_set_size (self->failures, 0);
  self->n_failed = 0;
  notify (self, PROP_N_FAILED);

  journal_ids = g_strv_builder_end (ids);
  write_journal (self, (const char * const *) journal_ids);
  set_state (self, LENS_SAVE_JOB_RUNNING);
  run_next (self);
  return TRUE;
}

LensSaveJobState
lens_save_job_get_state (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), LENS_SAVE_JOB_DONE);
  return self->state;
}

/**
 * lens_save_job_get_folder:
 *
 * Returns: (transfer none): where the images go
 */
GFile *
lens_save_job_get_folder (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), NULL);
  return self->folder;
}

/* How many ids the job was given, repeats included (it leaves them out as
 * it reads the tasks). */
guint
lens_save_job_get_n_tasks (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), 0);
  return g_strv_length (self->ids);
}

guint
lens_save_job_get_n_images (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), 0);
  return self->n_images;
}

guint
lens_save_job_get_n_saved (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), 0);
  return self->n_saved;
}

guint
lens_save_job_get_n_existing (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), 0);
  return self->n_existing;
}

guint
lens_save_job_get_n_failed (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), 0);
  return self->n_failed;
}

guint
lens_save_job_get_n_without_image (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), 0);
  return self->n_without_image;
}

/* The bytes of the saved files, and of those arriving. */
guint64
lens_save_job_get_bytes_saved (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), 0);
  return self->bytes_saved + self->bytes_flying;
}

/**
 * lens_save_job_get_seconds_left:
 *
 * Returns: a guess of the time the images still to download take, from
 *   the pace so far; -1 while there is no pace yet, and 0 once over
 */
double
lens_save_job_get_seconds_left (LensSaveJob *self)
{
  guint n_left;
  double elapsed;

  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), -1);

  if (is_over (self))
    return 0;
  if (self->state != LENS_SAVE_JOB_RUNNING || self->n_downloaded < MIN_DONE_FOR_ESTIMATE)
    return -1;
  n_left = g_queue_get_length (&self->queue) + self->n_in_flight;
  elapsed = (double) (g_get_monotonic_time () - self->started_us) / G_USEC_PER_SEC;
  return elapsed / self->n_downloaded * n_left;
}

/**
 * lens_save_job_get_failures:
 *
 * Returns: (transfer none) (element-type LensSaveFailure): the images that
 *   could not be saved, with why, in the order they failed
 */
GPtrArray *
lens_save_job_get_failures (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), NULL);
  return self->failures;
}

/**
 * lens_save_job_get_error:
 *
 * Returns: (nullable): why the whole job stopped (the folder cannot be
 *   read, the history cannot be read), or %NULL
 */
const GError *
lens_save_job_get_error (LensSaveJob *self)
{
  g_return_val_if_fail (LENS_IS_SAVE_JOB (self), NULL);
  return self->error;
}
