/* lens-save-journal.h — a bulk save that a quit or a crash interrupted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-save-plan.h"

G_BEGIN_DECLS

/**
 * LensSaveJournal:
 * @folder: where the images go
 * @grids: how grids are saved
 * @ids: (array zero-terminated=1): the tasks whose images are saved
 *
 * What a bulk save was asked to do: enough to do it again.
 */
typedef struct
{
  GFile         *folder;
  LensSaveGrids  grids;
  GStrv          ids;
} LensSaveJournal;

void             lens_save_journal_free  (LensSaveJournal        *journal);
gboolean         lens_save_journal_write (const char             *path,
                                          const LensSaveJournal  *journal,
                                          GError                **error);
LensSaveJournal *lens_save_journal_read  (const char             *path,
                                          GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensSaveJournal, lens_save_journal_free)

/**
 * LensSaveJournalFile:
 *
 * The journal of a save under way, kept from the main thread: written
 * and removed in workers, a removal after the writes under way.
 */
typedef struct _LensSaveJournalFile LensSaveJournalFile;

LensSaveJournalFile *lens_save_journal_file_new        (const char            *path);
LensSaveJournalFile *lens_save_journal_file_ref        (LensSaveJournalFile   *self);
void                 lens_save_journal_file_unref      (LensSaveJournalFile   *self);
const char          *lens_save_journal_file_get_path   (LensSaveJournalFile   *self);
gboolean             lens_save_journal_file_is_writing (LensSaveJournalFile   *self);
void                 lens_save_journal_file_write      (LensSaveJournalFile   *self,
                                                        const LensSaveJournal *journal);
void                 lens_save_journal_file_remove     (LensSaveJournalFile   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensSaveJournalFile, lens_save_journal_file_unref)

G_END_DECLS
