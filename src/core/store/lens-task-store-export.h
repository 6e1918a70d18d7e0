/* lens-task-store-export.h — the stored tasks as a CSV or JSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-task-store.h"

G_BEGIN_DECLS

/**
 * LensExportFormat:
 * @LENS_EXPORT_CSV: one row per task, the fields a spreadsheet user wants,
 *   UTF-8 with a header
 * @LENS_EXPORT_JSON: an array of the tasks' raw records, as the server sent
 *   them; Tasklens can import it back without asking the server again
 */
typedef enum
{
  LENS_EXPORT_CSV,
  LENS_EXPORT_JSON,
} LensExportFormat;

LensExportFormat lens_export_format_for_name    (const char          *file_name);

void             lens_task_store_export_async  (LensTaskStore       *self,
                                                const char * const  *ids,
                                                LensExportFormat     format,
                                                GFile               *destination,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         lens_task_store_export_finish (LensTaskStore       *self,
                                                GAsyncResult        *result,
                                                guint               *out_n_tasks,
                                                GError             **error);

G_END_DECLS
