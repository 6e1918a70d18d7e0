/* lens-import.h — from text to tasks, with a summary in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-id-parser.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

/* Texts smaller than this may be scanned for ids on the main thread, larger
 * ones go to a worker (lens_import_parse_text_async()). The parser reads 12
 * (JSON) to 200 (plain text) MB/s (bench-id-parser): 16 KiB, some 400 ids,
 * takes at most about 1.3 ms, and a short paste is added without a wait. */
#define LENS_IMPORT_SMALL_TEXT_SIZE (16 * 1024)

/**
 * LensImportSummary:
 * @n_found: distinct task ids found in the text
 * @n_new: of those, how many are not in the list yet
 * @n_existing: of those, how many the list already has
 * @n_unrecognised_lines: non-blank lines that held no task id
 *
 * What adding a text did, or would do.
 */
typedef struct
{
  guint n_found;
  guint n_new;
  guint n_existing;
  guint n_unrecognised_lines;
} LensImportSummary;

LensImportSummary lens_import_preview          (LensTaskList            *list,
                                                const LensIdParseResult *parsed);
LensImportSummary lens_import_add              (LensTaskList            *list,
                                                LensIdParseResult       *parsed);
gboolean          lens_import_add_slice        (LensTaskList            *list,
                                                LensIdParseResult       *parsed,
                                                guint                   *cursor,
                                                guint                    max,
                                                LensImportSummary       *summary);
char             *lens_import_summary_to_text  (const LensImportSummary *summary,
                                                const char              *source_name);
char             *lens_import_finish_summary   (GPtrArray               *parts,
                                                const LensImportSummary *summary);

G_END_DECLS

G_BEGIN_DECLS

/* Called on the caller's main context while a file is read. */
typedef void (*LensImportProgressFunc) (goffset  bytes_read,
                                        goffset  total_bytes,
                                        gpointer user_data);

#define LENS_IMPORT_MAX_FILE_SIZE ((goffset) 256 * 1024 * 1024)

void               lens_import_read_file_async  (GFile                  *file,
                                                 LensImportProgressFunc  progress,
                                                 gpointer                progress_data,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
LensIdParseResult *lens_import_read_file_finish (GAsyncResult           *result,
                                                 GError                **error);
void               lens_import_parse_text_async (const char             *text,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
LensIdParseResult *lens_import_parse_text_finish (GAsyncResult          *result,
                                                 GError                **error);

G_END_DECLS
