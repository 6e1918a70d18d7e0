/* lens-save-journal.c — a bulk save that a quit or a crash interrupted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bulk save of thousands of images takes a while, and the app may be
 * quit or killed meanwhile. Before it starts, the save writes what it was
 * asked (folder, grids, task ids) to a small key file in the data folder,
 * durably; it removes the file when it ends or is cancelled. At the next
 * start, a file still there means the save did not end: it is started
 * again, and since a save recognises the images the folder already has
 * (lens-saved-images.c), it goes on where it stopped without writing any
 * image twice. Nothing is written per image: the folder is the record.
 *
 * lens_save_journal_write() and lens_save_journal_read() block: workers
 * only. LensSaveJournalFile is the journal of a save under way, for the
 * main thread: it writes in a worker, and removes the file only once no
 * write is under way, since a write that landed after the removal would
 * put back the journal of a save that is over.
 */

#define G_LOG_DOMAIN "lens-save-journal"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-save-journal.h"

#define GROUP "Save"

void
lens_save_journal_free (LensSaveJournal *journal)
{
  if (journal == NULL)
    return;
  g_clear_object (&journal->folder);
  g_strfreev (journal->ids);
  g_free (journal);
}

/**
 * lens_save_journal_write:
 * @path: the journal's file
 *
 * Writes @journal to @path, replacing it whole, and flushed to the disk
 * before this returns.
 */
gboolean
lens_save_journal_write (const char             *path,
                         const LensSaveJournal  *journal,
                         GError                **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GEnumClass) grids = g_type_class_ref (LENS_TYPE_SAVE_GRIDS);
  g_autofree char *folder = g_file_get_path (journal->folder);
  g_autofree char *text = NULL;
  GEnumValue *value = g_enum_get_value (grids, journal->grids);
  gsize length;

  g_return_val_if_fail (folder != NULL && value != NULL, FALSE);

  g_key_file_set_string (file, GROUP, "folder", folder);
  g_key_file_set_string (file, GROUP, "grids", value->value_nick);
  g_key_file_set_string_list (file, GROUP, "ids", (const char * const *) journal->ids,
                              g_strv_length (journal->ids));
  text = g_key_file_to_data (file, &length, NULL);
  return g_file_set_contents_full (path, text, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/**
 * lens_save_journal_read:
 * @path: the journal's file
 *
 * Returns: (transfer full) (nullable): the save it describes; %NULL with
 *   @error set when there is none (G_FILE_ERROR_NOENT) or it cannot be
 *   read
 */
LensSaveJournal *
lens_save_journal_read (const char  *path,
                        GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GEnumClass) grids = g_type_class_ref (LENS_TYPE_SAVE_GRIDS);
  g_autofree char *folder = NULL;
  g_autofree char *grids_nick = NULL;
  g_autoptr(LensSaveJournal) journal = g_new0 (LensSaveJournal, 1);
  GEnumValue *value;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return NULL;

  folder = g_key_file_get_string (file, GROUP, "folder", NULL);
  grids_nick = g_key_file_get_string (file, GROUP, "grids", NULL);
  journal->ids = g_key_file_get_string_list (file, GROUP, "ids", NULL, NULL);
  value = grids_nick != NULL ? g_enum_get_value_by_nick (grids, grids_nick) : NULL;
  if (folder == NULL || !g_path_is_absolute (folder) || value == NULL || journal->ids == NULL)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           _("The record of an interrupted save is damaged"));
      return NULL;
    }
  journal->folder = g_file_new_for_path (folder);
  journal->grids = (LensSaveGrids) value->value;
  return g_steal_pointer (&journal);
}

/* ─── the journal of a save under way ──────────────────────────────────── */

/* Its references are taken and dropped on the main thread only (by the
 * save, and by each write until its callback): a count without atomics. */
struct _LensSaveJournalFile
{
  char     *path;
  guint     n_writes;   /* under way: a removal waits for them */
  gboolean  to_remove;  /* asked while writes were under way */
};

typedef struct
{
  char            *path;
  LensSaveJournal *journal;
} JournalWrite;

static void
journal_write_free (JournalWrite *write)
{
  g_free (write->path);
  lens_save_journal_free (write->journal);
  g_free (write);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  JournalWrite *write = task_data;
  GError *error = NULL;

  if (!lens_save_journal_write (write->path, write->journal, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
written_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LensSaveJournalFile) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Without the journal the save still runs; it just cannot resume. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not note the save, which a crash would then not resume: %s", error->message);
  if (--self->n_writes == 0 && self->to_remove)
    lens_save_journal_file_remove (self);
}

static void
removed_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_file_delete_finish (G_FILE (source_object), result, NULL);
}

static void
journal_file_clear (LensSaveJournalFile *self)
{
  g_free (self->path);
}

/**
 * lens_save_journal_file_new:
 * @path: the journal's file
 *
 * Returns: (transfer full): the journal at @path, of which nothing is
 *   written or removed yet
 */
LensSaveJournalFile *
lens_save_journal_file_new (const char *path)
{
  LensSaveJournalFile *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_rc_box_new0 (LensSaveJournalFile);
  self->path = g_strdup (path);
  return self;
}

LensSaveJournalFile *
lens_save_journal_file_ref (LensSaveJournalFile *self)
{
  return g_rc_box_acquire (self);
}

void
lens_save_journal_file_unref (LensSaveJournalFile *self)
{
  g_rc_box_release_full (self, (GDestroyNotify) journal_file_clear);
}

const char *
lens_save_journal_file_get_path (LensSaveJournalFile *self)
{
  return self->path;
}

/* Whether a write is under way: a removal asked now waits for it. */
gboolean
lens_save_journal_file_is_writing (LensSaveJournalFile *self)
{
  return self->n_writes > 0;
}

/**
 * lens_save_journal_file_write:
 * @journal: what the save is to do now (copied)
 *
 * Writes @journal in a worker, and returns at once. A removal asked
 * before is dropped: the save goes on. A failure is only logged.
 */
void
lens_save_journal_file_write (LensSaveJournalFile   *self,
                              const LensSaveJournal *journal)
{
  g_autoptr(GTask) task = NULL;
  JournalWrite *write = g_new0 (JournalWrite, 1);

  write->path = g_strdup (self->path);
  write->journal = g_new0 (LensSaveJournal, 1);
  write->journal->folder = g_object_ref (journal->folder);
  write->journal->grids = journal->grids;
  write->journal->ids = g_strdupv (journal->ids);
  self->n_writes++;
  self->to_remove = FALSE;
  task = g_task_new (NULL, NULL, written_cb, lens_save_journal_file_ref (self));
  g_task_set_task_data (task, write, (GDestroyNotify) journal_write_free);
  g_task_run_in_thread (task, write_in_thread);
}

/**
 * lens_save_journal_file_remove:
 *
 * Removes the file, once the writes under way have ended, in a worker;
 * returns at once.
 */
void
lens_save_journal_file_remove (LensSaveJournalFile *self)
{
  g_autoptr(GFile) file = NULL;

  /* A write still under way would put it back: the removal comes after. */
  self->to_remove = TRUE;
  if (self->n_writes > 0)
    return;
  self->to_remove = FALSE;
  file = g_file_new_for_path (self->path);
  g_file_delete_async (file, G_PRIORITY_DEFAULT, NULL, removed_cb, NULL);
}
