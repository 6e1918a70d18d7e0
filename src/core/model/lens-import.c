/* lens-import.c — from text to tasks, with a summary in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every way in — paste, drop, the add dialog, a file, the command line, the
 * app.add-ids action — ends here: the id parser finds the ids, the list adds
 * the new ones, and the user is told, in one sentence, what happened.
 */

#define G_LOG_DOMAIN "lens-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-http.h"
#include "lens-import.h"
#include "lens-worker.h"

/**
 * lens_import_preview:
 *
 * What lens_import_add() would do, without doing it (the add dialog shows
 * it live while the user types).
 */
LensImportSummary
lens_import_preview (LensTaskList            *list,
                     const LensIdParseResult *parsed)
{
  LensImportSummary summary = { 0 };

  g_return_val_if_fail (LENS_IS_TASK_LIST (list), summary);
  g_return_val_if_fail (parsed != NULL, summary);

  summary.n_found = parsed->ids->len;
  summary.n_unrecognised_lines = parsed->n_unrecognised_lines;
  summary.n_existing = lens_task_list_count_parsed_ids (list, (const char * const *) parsed->ids->pdata,
                                                        parsed->ids->len);
  summary.n_new = summary.n_found - summary.n_existing;

  return summary;
}

/* Gives the tasks ids[start … start + n) the records @parsed holds for
 * them; the tasks are in the list now. A task the server answered for
 * (not queued) keeps what it said: it is newer than a file. */
static void
restore_records (LensTaskList      *list,
                 LensIdParseResult *parsed,
                 guint              start,
                 guint              n)
{
  if (parsed->records == NULL)
    return;

  for (guint i = start; i < start + n; i++)
    {
      const char *id = g_ptr_array_index (parsed->ids, i);
      g_autoptr(LensPreparedRecord) record = lens_id_parse_result_steal_record (parsed, id);
      LensTask *task = record != NULL ? lens_task_list_lookup (list, id) : NULL;

      if (task != NULL && lens_task_get_state (task) == LENS_TASK_STATE_QUEUED)
        lens_task_apply_prepared_record (task, record);
    }
}

/**
 * lens_import_add_slice:
 * @list: the list to add to
 * @parsed: the ids found
 * @cursor: (inout): how many of @parsed's ids were added already (0 at
 *   first)
 * @max: how many ids to add at most in this call
 * @summary: (inout): what adding them did so far (zeroed at first)
 *
 * Adds the next @max ids of @parsed that are not in @list yet, in their
 * order, as queued tasks, and adds what that did to @summary. A task whose
 * record @parsed holds (an export of Tasklens, a saved answer) takes it,
 * unless the server answered for it already: it comes back as it was,
 * without a lookup. Called once
 * per main-loop turn, it adds a paste of 10,000 ids without holding the
 * main loop for long; an id that comes into the list by another way
 * between two calls counts as already in the list, and is not added twice.
 *
 * Returns: whether every id of @parsed has been added now
 */
gboolean
lens_import_add_slice (LensTaskList            *list,
                       LensIdParseResult       *parsed,
                       guint                   *cursor,
                       guint                    max,
                       LensImportSummary       *summary)
{
  guint n, n_existing = 0;

  g_return_val_if_fail (LENS_IS_TASK_LIST (list), TRUE);
  g_return_val_if_fail (parsed != NULL, TRUE);
  g_return_val_if_fail (cursor != NULL && *cursor <= parsed->ids->len, TRUE);
  g_return_val_if_fail (summary != NULL, TRUE);

  summary->n_found = parsed->ids->len;
  summary->n_unrecognised_lines = parsed->n_unrecognised_lines;

  n = MIN (max, parsed->ids->len - *cursor);
  summary->n_new += lens_task_list_add_parsed_ids (list, (const char * const *) parsed->ids->pdata + *cursor,
                                                   n, &n_existing);
  summary->n_existing += n_existing;
  restore_records (list, parsed, *cursor, n);
  *cursor += n;

  return *cursor == parsed->ids->len;
}

/**
 * lens_import_add:
 *
 * Adds the ids of @parsed that are not in @list yet, in their order, as
 * queued tasks, all at once.
 */
LensImportSummary
lens_import_add (LensTaskList            *list,
                 LensIdParseResult       *parsed)
{
  LensImportSummary summary = { 0 };
  guint cursor = 0;

  g_return_val_if_fail (LENS_IS_TASK_LIST (list), summary);
  g_return_val_if_fail (parsed != NULL, summary);

  lens_import_add_slice (list, parsed, &cursor, G_MAXUINT, &summary);
  return summary;
}

/**
 * lens_import_summary_to_text:
 * @source_name: (nullable): the file the text came from, for the message
 *   when it held no ids
 *
 * Returns: (transfer full): one sentence for a toast, such as “Added 12
 *   tasks · 3 were already in the list”
 */
char *
lens_import_summary_to_text (const LensImportSummary *summary,
                             const char              *source_name)
{
  GPtrArray *parts = NULL;

  g_return_val_if_fail (summary != NULL, NULL);

  if (summary->n_found == 0)
    {
      if (source_name != NULL)
        return g_strdup_printf (_("No task IDs found in %s"), source_name);
      if (summary->n_unrecognised_lines > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "No task IDs found in %u line",
                                             "No task IDs found in %u lines",
                                             summary->n_unrecognised_lines),
                                summary->n_unrecognised_lines);
      return g_strdup (_("No task IDs found"));
    }

  parts = g_ptr_array_new_with_free_func (g_free);
  if (summary->n_new > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Added %u task", "Added %u tasks",
                                                          summary->n_new),
                                             summary->n_new));
  if (summary->n_existing > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u was already in the list",
                                                          "%u were already in the list",
                                                          summary->n_existing),
                                             summary->n_existing));
  return lens_import_finish_summary (parts, summary);
}

/**
 * lens_import_finish_summary:
 * @parts: (element-type utf8): what was said so far; taken over
 * @summary: the summary
 *
 * Adds the unrecognised lines, the same way in every summary (the toast
 * and the add dialog's preview), and joins the parts into one line.
 *
 * Returns: (transfer full): the line
 */
char *
lens_import_finish_summary (GPtrArray               *parts,
                            const LensImportSummary *summary)
{
  g_autoptr(GPtrArray) owned = parts;

  if (summary->n_unrecognised_lines > 0)
    g_ptr_array_add (owned, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u line not recognised",
                                                          "%u lines not recognised",
                                                          summary->n_unrecognised_lines),
                                             summary->n_unrecognised_lines));

  g_ptr_array_add (owned, NULL);
  return g_strjoinv (" · ", (char **) owned->pdata);
}

/* ─── reading files ────────────────────────────────────────────────────── */

typedef struct
{
  GFile                  *file;           /* owned */
  GInputStream           *stream;         /* owned, nullable */
  goffset                 total;          /* -1 when unknown */
  LensImportProgressFunc  progress;
  gpointer                progress_data;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->file);
  g_clear_object (&data->stream);
  g_free (data);
}

/* Runs in a worker (lens_worker_parse_bytes()): a large text takes a
 * noticeable moment to scan. */
static gpointer
parse_ids (GBytes  *bytes,
           GError **error)
{
  gsize size = 0;
  const char *text = g_bytes_get_data (bytes, &size);

  return lens_id_parser_parse (text, (gssize) size);
}

/* Takes @cause. Cancellation passes through untouched. */
static GError *
read_error (GFile  *file,
            GError *cause)
{
  g_autofree char *name = NULL;
  GError *error;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return cause;

  name = g_file_get_basename (file);
  error = g_error_new (cause->domain, cause->code, _("Could not read “%s”: %s"), name,
                       cause->message);
  g_error_free (cause);
  return error;
}

static void
read_progress_cb (gsize    received,
                  gpointer user_data)
{
  ReadData *data = user_data;

  if (data->progress != NULL)
    data->progress ((goffset) received, data->total, data->progress_data);
}

/* The file is read by the same capped reader as HTTP bodies are. */
static void
contents_read_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = NULL;

  contents = lens_http_read_bytes_finish (result, &error);
  if (g_error_matches (error, LENS_HTTP_ERROR, LENS_HTTP_ERROR_TOO_LARGE))
    {
      g_autofree char *name = g_file_get_basename (data->file);
      g_autofree char *limit = g_format_size (LENS_IMPORT_MAX_FILE_SIZE);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               _("“%s” is larger than %s; split it into smaller files"),
                               name, limit);
      return;
    }
  if (contents == NULL)
    {
      g_task_return_error (task, read_error (data->file, g_steal_pointer (&error)));
      return;
    }

  lens_worker_parse_bytes (g_steal_pointer (&task), contents, parse_ids,
                           (GDestroyNotify) lens_id_parse_result_free);
}

static void
file_read_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->stream = G_INPUT_STREAM (g_file_read_finish (G_FILE (source_object), result, &error));
  if (data->stream == NULL)
    {
      g_task_return_error (task, read_error (data->file, g_steal_pointer (&error)));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  lens_http_read_bytes_async (data->stream, LENS_IMPORT_MAX_FILE_SIZE, LENS_HTTP_READ_NONE,
                              G_PRIORITY_DEFAULT, read_progress_cb, data, cancellable,
                              contents_read_cb, g_steal_pointer (&task));
}

static void
size_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source_object), result, NULL);
  GCancellable *cancellable;

  /* The size only drives the progress bar; without it reading goes on. */
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    data->total = g_file_info_get_size (info);

  cancellable = g_task_get_cancellable (task);
  g_file_read_async (data->file, G_PRIORITY_DEFAULT, cancellable, file_read_cb,
                     g_steal_pointer (&task));
}

/**
 * lens_import_read_file_async:
 * @file: a text, CSV, JSON or log file
 * @progress: (nullable): called as the file is read
 *
 * Reads @file in chunks, without blocking, and finds the task ids in it in a
 * worker thread. Files over LENS_IMPORT_MAX_FILE_SIZE are refused.
 */
void
lens_import_read_file_async (GFile                  *file,
                             LensImportProgressFunc  progress,
                             gpointer                progress_data,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_import_read_file_async);

  data = g_new0 (ReadData, 1);
  data->file = g_object_ref (file);
  data->total = -1;
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);

  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, cancellable, size_cb, g_steal_pointer (&task));
}

/**
 * lens_import_read_file_finish:
 * Returns: (transfer full): the ids found
 */
LensIdParseResult *
lens_import_read_file_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lens_import_parse_text_async:
 *
 * Finds the ids in a large text (a drop, a big paste) in a worker thread.
 */
void
lens_import_parse_text_async (const char          *text,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (text != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_import_parse_text_async);
  bytes = g_bytes_new (text, strlen (text));
  lens_worker_parse_bytes (g_steal_pointer (&task), bytes, parse_ids,
                           (GDestroyNotify) lens_id_parse_result_free);
}

LensIdParseResult *
lens_import_parse_text_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
