/* lens-task-store-export.c — the stored tasks as a CSV or JSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An export reads the store's file on a connection of its own, read-only,
 * in a worker thread (SQLite's WAL lets it read beside the store's own
 * threads without waiting for their writes), and writes through
 * LensAtomicFile: the destination is the whole export or what it was
 * before, never half of one. 100,000 tasks are one pass over the table.
 *
 * CSV is for spreadsheets: one row per task, a header, UTF-8 with a byte
 * order mark (without it, spreadsheet programs on Windows read Korean
 * prompts as mojibake), fields quoted as RFC 4180 says. A field that a
 * spreadsheet would run as a formula (it starts with =, +, -, @ or a tab)
 * gets a leading apostrophe: a prompt is someone else's text.
 *
 * JSON is for Tasklens and scripts: an array of the raw records as the
 * server sent them (a task never answered, or whose record is damaged, as
 * {"id": …}), which importing the file turns back into tasks without
 * asking the server again.
 */

#define G_LOG_DOMAIN "lens-task-store"

#include "config.h"

#include <string.h>

#include "lens-atomic-file.h"
#include "lens-task-store-export.h"
#include "lens-task-store-private.h"

/* How often a long export looks whether it was cancelled. */
#define CANCEL_CHECK_ROWS 256

typedef struct
{
  char             *db_path;
  GStrv             ids;          /* owned, nullable: every task */
  LensExportFormat  format;
  GFile            *destination;  /* owned */
  guint             n_tasks;
} Export;

static void
export_free (Export *export)
{
  g_free (export->db_path);
  g_strfreev (export->ids);
  g_clear_object (&export->destination);
  g_free (export);
}

/* One stored row, as the export reads it. */
typedef struct
{
  const char *id;
  const char *raw_json;     /* nullable */
  const char *local_state;  /* nullable */
  const char *local_error;  /* nullable */
  gint64      added_at;
  const char *saved_path;   /* nullable */
} Row;

/**
 * lens_export_format_for_name:
 * @file_name: (nullable): the name the user chose
 *
 * Returns: JSON for a name ending in ".json", CSV otherwise
 */
LensExportFormat
lens_export_format_for_name (const char *file_name)
{
  if (file_name != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (file_name, -1);

      if (g_str_has_suffix (lower, ".json"))
        return LENS_EXPORT_JSON;
    }
  return LENS_EXPORT_CSV;
}

/* ─── CSV ──────────────────────────────────────────────────────────────── */

static const char * const csv_header[] = {
  "id", "type", "action", "state", "progress", "prompt", "mode", "created", "finished",
  "added", "image_url", "raw_image_url", "video_urls", "saved_path", "error",
};

static void
append_csv_field (GString    *line,
                  const char *value)
{
  if (line->len > 0 && line->str[line->len - 1] != '\n')
    g_string_append_c (line, ',');
  if (value == NULL || value[0] == '\0')
    return;

  g_string_append_c (line, '"');
  /* Text a spreadsheet would run as a formula is shown as text. */
  if (strchr ("=+-@\t\r", value[0]) != NULL)
    g_string_append_c (line, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
append_csv_time (GString *line,
                 double   unix_seconds)
{
  g_autoptr(GDateTime) local = unix_seconds >= 0 ? g_date_time_new_from_unix_local ((gint64) unix_seconds)
                                                 : NULL;
  g_autofree char *text = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : NULL;

  append_csv_field (line, text);
}

static void
append_csv_row (GString    *line,
                const Row  *row,
                JsonParser *parser)
{
  g_autoptr(LensTask) task = lens_task_store_record_to_task (row->id, row->raw_json, -1, row->local_state,
                                                             row->local_error, parser);
  const char * const *videos = lens_task_get_video_urls (task);
  g_autofree char *progress = lens_task_get_progress (task) >= 0
                              ? g_strdup_printf ("%d", lens_task_get_progress (task)) : NULL;
  g_autofree char *video_list = videos != NULL ? g_strjoinv (" ", (char **) videos) : NULL;

  append_csv_field (line, row->id);
  append_csv_field (line, lens_task_get_task_type (task));
  append_csv_field (line, lens_task_get_action (task));
  append_csv_field (line, lens_task_state_to_string (lens_task_get_state (task)));
  append_csv_field (line, progress);
  append_csv_field (line, lens_task_get_prompt (task));
  append_csv_field (line, lens_task_get_mode (task));
  append_csv_time (line, lens_task_get_created_at (task));
  append_csv_time (line, lens_task_get_finished_at (task));
  append_csv_time (line, row->added_at > 0 ? (double) row->added_at : -1);
  append_csv_field (line, lens_task_get_image_url (task));
  append_csv_field (line, lens_task_get_raw_image_url (task));
  append_csv_field (line, video_list);
  append_csv_field (line, row->saved_path);
  append_csv_field (line, lens_task_get_error_message (task));
  /* RFC 4180 ends records with CRLF; spreadsheets expect it. */
  g_string_append (line, "\r\n");
}

/* ─── JSON ─────────────────────────────────────────────────────────────── */

static void
append_json_row (GString    *text,
                 const Row  *row,
                 JsonParser *parser,
                 gboolean    first)
{
  g_string_append (text, first ? "\n" : ",\n");

  /* "{}" is what the store keeps for a task the server did not know. */
  if (row->raw_json != NULL && strcmp (row->raw_json, "{}") != 0
      && json_parser_load_from_data (parser, row->raw_json, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_string_append (text, row->raw_json);
      return;
    }
  /* Ids are checked when stored: nothing in one needs escaping. */
  g_string_append_printf (text, "{\"id\": \"%s\"}", row->id);
}

/* ─── the worker ───────────────────────────────────────────────────────── */

static gboolean
write_text (GOutputStream  *stream,
            GString        *text,
            GCancellable   *cancellable,
            GError        **error)
{
  gboolean written = g_output_stream_write_all (stream, text->str, text->len, NULL, cancellable, error);

  g_string_truncate (text, 0);
  return written;
}

static sqlite3 *
open_read_only (const char  *path,
                GError     **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                            NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, LENS_TASK_STORE_BUSY_TIMEOUT_MS);
      /* Never checkpoint a -wal that the store's own threads are using. */
      rc = sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    }
  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, lens_task_store_db_error_new (db, rc, LENS_TASK_STORE_ERROR_OPEN));
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static void
row_from_stmt (Row          *row,
               sqlite3_stmt *stmt)
{
  row->id = (const char *) sqlite3_column_text (stmt, 0);
  row->raw_json = (const char *) sqlite3_column_text (stmt, 1);
  row->local_state = (const char *) sqlite3_column_text (stmt, 2);
  row->local_error = (const char *) sqlite3_column_text (stmt, 3);
  row->added_at = sqlite3_column_int64 (stmt, 4);
  row->saved_path = (const char *) sqlite3_column_text (stmt, 5);
}

static void
append_row (Export     *export,
            GString    *text,
            const Row  *row,
            JsonParser *parser)
{
  if (export->format == LENS_EXPORT_CSV)
    append_csv_row (text, row, parser);
  else
    append_json_row (text, row, parser, export->n_tasks == 0);
  export->n_tasks++;
}

#define COLUMNS "id, raw_json, local_state, local_error, added_at, saved_path"

/* Every row in the list's order, or the rows of @export->ids in theirs. */
static gboolean
write_rows (Export         *export,
            sqlite3        *db,
            GOutputStream  *stream,
            GString        *text,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  sqlite3_stmt *stmt = NULL;
  const char *sql = export->ids == NULL ? "SELECT " COLUMNS " FROM tasks ORDER BY position"
                                        : "SELECT " COLUMNS " FROM tasks WHERE id = ?";
  guint next_id = 0;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  while (rc == SQLITE_OK)
    {
      Row row;

      if (export->ids != NULL)
        {
          g_autofree char *lower = NULL;

          if (export->ids[next_id] == NULL)
            break;
          lower = g_ascii_strdown (export->ids[next_id++], -1);
          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, lower, -1, SQLITE_TRANSIENT);
        }

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          /* A task removed meanwhile is left out; the end of the table ends. */
          rc = SQLITE_OK;
          if (export->ids == NULL)
            break;
          continue;
        }
      if (rc != SQLITE_ROW)
        break;
      rc = SQLITE_OK;

      row_from_stmt (&row, stmt);
      append_row (export, text, &row, parser);
      if (export->n_tasks % CANCEL_CHECK_ROWS == 0
          && (g_cancellable_set_error_if_cancelled (cancellable, error)
              || !write_text (stream, text, cancellable, error)))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }

  if (rc != SQLITE_OK)
    {
      g_propagate_error (error, lens_task_store_db_error_new (db, rc, LENS_TASK_STORE_ERROR_OPEN));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static void
export_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Export *export = task_data;
  g_autoptr(LensAtomicFile) file = NULL;
  g_autoptr(GString) text = g_string_sized_new (64 * 1024);
  GOutputStream *stream;
  GError *error = NULL;
  sqlite3 *db;

  db = open_read_only (export->db_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  file = lens_atomic_file_create (export->destination, &error);
  if (file == NULL)
    {
      sqlite3_close (db);
      g_task_return_error (task, error);
      return;
    }
  stream = lens_atomic_file_get_stream (file);

  if (export->format == LENS_EXPORT_CSV)
    {
      g_string_append (text, "\xEF\xBB\xBF");  /* UTF-8's byte order mark */
      for (gsize i = 0; i < G_N_ELEMENTS (csv_header); i++)
        g_string_append_printf (text, i == 0 ? "%s" : ",%s", csv_header[i]);
      g_string_append (text, "\r\n");
    }
  else
    g_string_append_c (text, '[');

  if (!write_rows (export, db, stream, text, cancellable, &error))
    {
      sqlite3_close (db);
      g_task_return_error (task, error);
      return;
    }
  sqlite3_close (db);

  if (export->format == LENS_EXPORT_JSON)
    g_string_append (text, "\n]\n");
  if (!write_text (stream, text, cancellable, &error)
      || g_cancellable_set_error_if_cancelled (cancellable, &error)
      || !lens_atomic_file_commit (file, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_task_store_export_async:
 * @self: the store
 * @ids: (nullable) (array zero-terminated=1): the tasks to export, in this
 *   order; %NULL for every stored task, in the list's order
 * @format: CSV or JSON
 * @destination: the file to write (replaced whole, or left as it was)
 *
 * Writes what the store holds now; a task not written to it yet (added a
 * moment ago) is not in the file, and an id it does not hold is left out.
 */
void
lens_task_store_export_async (LensTaskStore       *self,
                              const char * const  *ids,
                              LensExportFormat     format,
                              GFile               *destination,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Export *export;

  g_return_if_fail (LENS_IS_TASK_STORE (self));
  g_return_if_fail (G_IS_FILE (destination));

  export = g_new0 (Export, 1);
  export->db_path = g_strdup (lens_task_store_get_path (self));
  export->ids = ids != NULL ? g_strdupv ((char **) ids) : NULL;
  export->format = format;
  export->destination = g_object_ref (destination);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_task_store_export_async);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, export_in_thread);
}

/**
 * lens_task_store_export_finish:
 * @out_n_tasks: (out) (optional): how many tasks the file holds
 *
 * Returns: whether the file was written
 */
gboolean
lens_task_store_export_finish (LensTaskStore  *self,
                               GAsyncResult   *result,
                               guint          *out_n_tasks,
                               GError        **error)
{
  Export *export;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_task_store_export_async, FALSE);

  export = g_task_get_task_data (G_TASK (result));
  if (out_n_tasks != NULL)
    *out_n_tasks = export->n_tasks;
  return g_task_propagate_boolean (G_TASK (result), error);
}
