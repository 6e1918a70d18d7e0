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
 * The calls block: workers only.
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
