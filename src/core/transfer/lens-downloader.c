/* lens-downloader.c — saves a task's image to a file, safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A download streams the response body, chunk by chunk, into a private
 * temporary file beside the destination, closes it, flushes it to disk and
 * renames it over the destination: both names are in one directory, so the
 * rename is atomic and the destination only ever holds the old file or the
 * whole new one. On failure or cancellation the temporary file is deleted
 * before the operation returns.
 *
 *   SEND → SWEEP folder → CREATE temporary file → READ ⇄ WRITE → CLOSE → COMMIT (worker)
 *   failure: [close the temporary file] → [delete it] → return the error
 *
 * The steps on the temporary file itself (create, close, commit, delete) do
 * not get the cancellable: a create cancelled just after the file appeared
 * would leave a file nobody knows of, and a rename cancelled after it
 * happened would report a failure that did not happen. Cancellation is
 * checked between them instead.
 *
 * A save that is killed leaves its temporary file: the first save into a
 * folder first removes such files left there before (lens-stale-files.c).
 *
 * A save (lens_downloader_save_async()) does more: the task's facts go
 * into the file as metadata, so that it has them from the moment it has
 * its name; it can name the file by what the bytes are; and it can refuse
 * to replace a file (LENS_SAVE_UNIQUE), which a bulk save needs: the
 * user's files are never overwritten. A save whose body announces a modest
 * length (MAX_IN_MEMORY_SIZE) is held in memory instead of a temporary
 * file, and written once, facts and all, by lens-image-file.c:
 *
 *   SEND → SWEEP folder → READ ⇄ KEEP → COMMIT (worker: lens_image_file_write())
 *
 * Any other save streams to its temporary file as a download does, and the
 * facts are written into that file at the commit (lens-image-metadata.c),
 * which rewrites it: slower, but for bodies too large to hold, or of no
 * announced length.
 *
 * Before the user picks a file, the probe asks the server (with HEAD) what
 * type the image is, so that lens-file-name.c can suggest a name. What went
 * wrong is put into words by lens-downloader-error.c.
 */

#define G_LOG_DOMAIN "lens-downloader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lens-downloader.h"
#include "lens-downloader-error.h"
#include "lens-file-name.h"
#include "lens-atomic-file.h"
#include "lens-http.h"
#include "lens-http-send.h"
#include "lens-image-metadata.h"
#include "lens-json.h"
#include "lens-stale-files.h"

#define DEFAULT_MAX_SIZE      ((goffset) 1024 * 1024 * 1024)
#define READ_CHUNK_SIZE       (64 * 1024)
#define PROGRESS_INTERVAL_US  (G_USEC_PER_SEC / 10)
#define MAX_TEMP_NAME_TRIES   32
/* A render is 1 to 8 MB; a save holds at most this much per image in
 * flight (a bulk save has 4). */
#define MAX_IN_MEMORY_SIZE    ((goffset) 64 * 1024 * 1024)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _LensDownloader
{
  GObject      parent_instance;

  SoupSession    *session;      /* owned */
  LensStaleFiles *stale_files;  /* owned */
  goffset         max_size;
  guint           deadline_ms;
};

G_DEFINE_FINAL_TYPE (LensDownloader, lens_downloader, G_TYPE_OBJECT)

typedef struct
{
  SoupMessage              *message;        /* owned */
  GFile                    *destination;    /* owned */
  GFile                    *directory;      /* owned, nullable until checked */
  char                     *display_name;   /* owned: the destination's name, for messages */
  GInputStream             *input;          /* owned, nullable: the response body */
  GFile                    *temp_file;      /* owned, nullable: only once we created it */
  GOutputStream            *output;         /* owned, nullable: open on temp_file */
  GBytes                   *chunk;          /* owned, nullable: being written */
  GByteArray               *body;           /* owned, nullable: a save held in memory */
  guint8                    head[4096];     /* the body's first bytes, to tell what it is */
  gsize                     head_size;
  GError                   *error;          /* owned, nullable: returned after cleaning up */
  goffset                   max_size;
  goffset                   expected;       /* Content-Length, or -1 when unknown */
  goffset                   received;
  gint64                    last_progress_us;
  guint                     n_name_tries;
  LensDownloadProgressFunc  progress;       /* nullable */
  gpointer                  progress_data;
  GDestroyNotify            progress_data_free;
  /* The request and the body's reads run under a cancellable of their own,
   * cancelled with the caller's, and by the deadline: a server that sends a
   * byte now and then cannot hold a download for ever. */
  GCancellable             *caller;         /* owned, nullable */
  GCancellable             *network;        /* owned */
  gulong                    chain_id;
  LensHttpDeadline         *deadline;       /* owned, nullable once the body is in */
  /* For a save (see the top of this file). */
  LensImageFacts           *facts;          /* owned, nullable: metadata to write */
  LensSaveFlags             flags;
} Download;

static void create_temp_file (GTask *task);
static void read_next_chunk (GTask *task);

static void
download_free (Download *download)
{
  /* A download ends only once its temporary file is renamed or deleted. */
  g_assert (download->temp_file == NULL);

  g_clear_object (&download->message);
  g_clear_object (&download->destination);
  g_clear_object (&download->directory);
  g_clear_pointer (&download->display_name, g_free);
  g_clear_object (&download->input);
  g_clear_object (&download->output);
  g_clear_pointer (&download->chunk, g_bytes_unref);
  g_clear_pointer (&download->body, g_byte_array_unref);
  g_clear_error (&download->error);
  g_clear_pointer (&download->deadline, lens_http_deadline_free);
  g_clear_pointer (&download->facts, lens_image_facts_free);
  if (download->caller != NULL)
    g_cancellable_disconnect (download->caller, download->chain_id);
  g_clear_object (&download->caller);
  g_clear_object (&download->network);
  if (download->progress_data_free != NULL)
    download->progress_data_free (download->progress_data);
  g_free (download);
}

/* ─── the request ──────────────────────────────────────────────────────── */

static SoupMessage *
new_message (const char  *method,
                             const char  *url,
                             GError     **error)
{
  SoupMessage *message = NULL;

  /* The URL comes from the server's record: nothing but http and https. */
  if (lens_json_is_web_url (url))
    message = soup_message_new (method, url);

  if (message == NULL)
    g_set_error_literal (error, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_INVALID_URL,
                         _("The image address is not a web address (http or https)"));
  else
    /* Originals are saved once; in the shared disk cache they would only push
     * out the thumbnails that the list needs offline. */
    soup_message_disable_feature (message, SOUP_TYPE_CACHE);
  return message;
}

/* ─── download ─────────────────────────────────────────────────────────── */

static void
report_progress (Download *download,
                 gboolean  final)
{
  gint64 now = g_get_monotonic_time ();

  if (download->progress == NULL)
    return;
  if (!final && download->last_progress_us != 0
      && now - download->last_progress_us < PROGRESS_INTERVAL_US)
    return;

  download->last_progress_us = now;
  /* At the end the total is known, whatever the server said. */
  download->progress (download->received, final ? download->received : download->expected,
                      download->progress_data);
}

static void
fail_deleted_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (source_object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_warning ("Could not remove a partial download: %s", error->message);

  g_clear_object (&download->temp_file);
  g_task_return_error (task, g_steal_pointer (&download->error));
}

/* The second half of download_fail(), once the temporary file is closed. */
static void
fail_closed_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);

  /* The file is deleted next: how its closing went no longer matters. */
  if (source_object != NULL)
    g_output_stream_close_finish (G_OUTPUT_STREAM (source_object), result, NULL);
  g_clear_object (&download->output);

  if (download->temp_file != NULL)
    {
      g_file_delete_async (download->temp_file, G_PRIORITY_DEFAULT, NULL, fail_deleted_cb, task);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&download->error));
  g_object_unref (task);
}

/* Ends the download with @error once the temporary file is gone. Takes
 * @task and @error. */
static void
download_fail (GTask  *task,
               GError *error)
{
  Download *download = g_task_get_task_data (task);

  g_assert (download->error == NULL);
  download->error = error;

  /* libsoup closes a connection whose body was not read to the end,
   * rather than reading the rest of it. */
  g_clear_object (&download->input);
  g_clear_pointer (&download->chunk, g_bytes_unref);

  if (download->output != NULL && !g_output_stream_is_closed (download->output))
    g_output_stream_close_async (download->output, G_PRIORITY_DEFAULT, NULL,
                                 fail_closed_cb, task);
  else
    fail_closed_cb (NULL, NULL, task);
}

/* The file could not be written: says so in the words of the destination. */
static void
download_fail_write (GTask  *task,
                     GError *error)
{
  Download *download = g_task_get_task_data (task);

  download_fail (task, _lens_downloader_write_error_new (download->display_name, error));
}

static void
download_fail_too_large (GTask *task)
{
  Download *download = g_task_get_task_data (task);

  download_fail (task, _lens_downloader_too_large_error_new (download->display_name,
                                                             download->max_size));
}

/* Between the steps that do not take the cancellable: ends the download
 * when it was cancelled meanwhile, taking *@task. */
static gboolean
download_fail_if_cancelled (GTask **task)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (*task), &error))
    return FALSE;

  download_fail (g_steal_pointer (task), error);
  return TRUE;
}

static void
committed_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;
  GFile *final;

  final = g_task_propagate_pointer (G_TASK (result), &error);
  if (final == NULL)
    {
      download_fail_write (g_steal_pointer (&task), error);
      return;
    }

  /* The temporary file is the destination now: nothing to clean up. */
  g_clear_object (&download->temp_file);
  report_progress (download, TRUE);
  g_task_return_pointer (task, final, g_object_unref);
}

/* The destination, with the extension of what the file holds when asked
 * (LENS_SAVE_NAME_BY_CONTENT): its first bytes say, kept as they streamed
 * in, whatever the URL or the server's header claimed. */
static GFile *
destination_for_content (Download *download)
{
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GFile) parent = NULL;

  if (!(download->flags & LENS_SAVE_NAME_BY_CONTENT))
    return g_object_ref (download->destination);

  basename = g_file_get_basename (download->destination);
  name = lens_file_name_for_content (basename, download->head, download->head_size);
  parent = g_file_get_parent (download->destination);
  return g_file_get_child (parent, name);
}

/* Runs in a worker: fsync() and rename() block, the first for long, and so
 * does the metadata's rewrite of the file. */
static void
commit_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Download *download = task_data;
  g_autofree char *path = g_file_get_path (download->temp_file);
  g_autoptr(GFile) destination = NULL;
  GFile *final = NULL;
  GError *error = NULL;
  int fd;

  if (path == NULL)
    {
      g_task_return_new_error_literal (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                       _("Only files on this computer can be written"));
      return;
    }

  /* An image that cannot hold them (a GIF) is saved without: the image is
   * what matters. */
  if (download->facts != NULL && !lens_image_metadata_write (path, download->facts, &error))
    {
      g_debug ("Saved without its metadata: %s", error->message);
      g_clear_error (&error);
    }
  destination = destination_for_content (download);

  /* Without the flush, a crash soon after the rename could leave an empty
   * file under the destination's name on some file systems. */
  fd = g_open (path, O_RDONLY, 0);
  if (fd >= 0)
    {
      int saved_errno = g_fsync (fd) != 0 && errno != EINVAL ? errno : 0;

      g_close (fd, NULL);
      if (saved_errno != 0)
        {
          g_task_return_new_error_literal (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                           g_strerror (saved_errno));
          return;
        }
    }

  /* A rename or nothing: a copy would not be atomic. */
  if (download->flags & LENS_SAVE_UNIQUE)
    {
      if (!lens_atomic_file_place_unique (path, destination, &final, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else if (!g_file_move (download->temp_file, destination,
                         G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                         NULL, NULL, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  else
    final = g_object_ref (destination);
  g_task_return_pointer (task, final, g_object_unref);
}

/* The commit of a save held in memory (see the top of this file). */
static void
commit_from_memory_in_thread (GTask        *task,
                              gpointer      source_object,
                              gpointer      task_data,
                              GCancellable *cancellable)
{
  Download *download = task_data;
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&download->body));
  GError *error = NULL;
  GFile *final;

  final = lens_image_file_write (body, download->destination, download->facts, download->flags,
                                 NULL, &error);
  if (final == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, final, g_object_unref);
}

static void
commit (GTask          *task,
        GTaskThreadFunc func)
{
  Download *download = g_task_get_task_data (task);
  g_autoptr(GTask) commit_task = NULL;

  /* @download lives as long as @task, which the commit holds. */
  commit_task = g_task_new (NULL, NULL, committed_cb, task);
  g_task_set_source_tag (commit_task, func);
  g_task_set_task_data (commit_task, download, NULL);
  g_task_run_in_thread (commit_task, func);
}

static void
output_closed_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source_object), result, &error))
    {
      download_fail_write (g_steal_pointer (&task), error);
      return;
    }

  /* The last moment a cancellation can still leave no file behind. */
  if (download_fail_if_cancelled (&task))
    return;

  commit (g_steal_pointer (&task), commit_in_thread);
}

/* Whether @head is clearly no image: nothing at all, or text (a CDN's
 * error page sent with 200, a JSON error). A save of a task's image (one
 * with facts) refuses it: saved under the image's name, it would be taken
 * for the image, and never saved again. Any other bytes are saved as they
 * came. Text is told by GIO's own test, which needs no MIME database: a
 * system without one still saves its images. */
static gboolean
holds_no_image (const guint8 *head,
                gsize         size)
{
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;

  if (size == 0)
    return TRUE;
  content_type = g_content_type_guess (NULL, head, size, NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  if (mime_type != NULL && g_str_has_prefix (mime_type, "image/"))
    return FALSE;
  return g_content_type_is_a (content_type, "text/plain");
}

static void
body_complete (GTask *task)
{
  Download *download = g_task_get_task_data (task);

  /* libsoup reads a body without keep-alive up to the end of the
   * connection, so a server that closes early can look like a whole one. */
  if (download->expected >= 0 && download->received != download->expected)
    {
      GError *partial = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "");

      download_fail (task, _lens_downloader_network_error_new (partial, TRUE));
      return;
    }
  if (download_fail_if_cancelled (&task))
    return;
  if (download->facts != NULL && holds_no_image (download->head, download->head_size))
    {
      download_fail (task, _lens_downloader_not_an_image_error_new (download->display_name));
      return;
    }

  /* The network's part is done; writing the file has no deadline. */
  g_clear_pointer (&download->deadline, lens_http_deadline_free);
  g_clear_object (&download->input);
  if (download->body != NULL)
    {
      commit (task, commit_from_memory_in_thread);
      return;
    }
  g_output_stream_close_async (download->output, G_PRIORITY_DEFAULT, NULL,
                               output_closed_cb, task);
}

static void
chunk_written_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source_object), result, NULL, &error))
    {
      download_fail_write (g_steal_pointer (&task), error);
      return;
    }

  g_clear_pointer (&download->chunk, g_bytes_unref);
  report_progress (download, FALSE);
  read_next_chunk (g_steal_pointer (&task));
}

static void
chunk_read_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;
  gsize size;

  download->chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object), result,
                                                      &error);
  if (download->chunk == NULL)
    {
      error = lens_http_deadline_check (download->deadline, error);
      download_fail (g_steal_pointer (&task), _lens_downloader_network_error_new (error, TRUE));
      return;
    }

  size = g_bytes_get_size (download->chunk);
  if (size == 0)
    {
      g_clear_pointer (&download->chunk, g_bytes_unref);
      body_complete (g_steal_pointer (&task));
      return;
    }

  if (download->head_size < sizeof download->head)
    {
      gsize n = MIN (size, sizeof download->head - download->head_size);

      memcpy (download->head + download->head_size, g_bytes_get_data (download->chunk, NULL), n);
      download->head_size += n;
    }

  /* Checked as it streams too: a chunked answer announces no length. */
  download->received += (goffset) size;
  if (download->received > download->max_size)
    {
      download_fail_too_large (g_steal_pointer (&task));
      return;
    }

  if (download->body != NULL)
    {
      g_byte_array_append (download->body, g_bytes_get_data (download->chunk, NULL), (guint) size);
      g_clear_pointer (&download->chunk, g_bytes_unref);
      report_progress (download, FALSE);
      read_next_chunk (g_steal_pointer (&task));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_output_stream_write_all_async (download->output, g_bytes_get_data (download->chunk, NULL),
                                   size, G_PRIORITY_DEFAULT, cancellable,
                                   chunk_written_cb, g_steal_pointer (&task));
}

static void
read_next_chunk (GTask *task)
{
  Download *download = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (download->input, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   download->network, chunk_read_cb, task);
}

static void
temp_file_created_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  GFileOutputStream *output;
  GError *error = NULL;

  output = g_file_create_finish (G_FILE (source_object), result, &error);
  if (output == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS)
          && ++download->n_name_tries < MAX_TEMP_NAME_TRIES)
        {
          g_error_free (error);
          create_temp_file (g_steal_pointer (&task));
        }
      else
        download_fail_write (g_steal_pointer (&task), error);
      return;
    }

  download->temp_file = g_object_ref (G_FILE (source_object));
  download->output = G_OUTPUT_STREAM (output);

  if (!download_fail_if_cancelled (&task))
    read_next_chunk (g_steal_pointer (&task));
}

static void
create_temp_file (GTask *task)
{
  Download *download = g_task_get_task_data (task);
  g_autofree char *basename = g_file_get_basename (download->destination);
  g_autofree char *name = lens_file_name_temp (basename, NULL);
  g_autoptr(GFile) candidate = g_file_get_child (download->directory, name);

  /* Not private: the saved image gets the user's usual permissions. */
  g_file_create_async (candidate, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, NULL,
                       temp_file_created_cb, task);
}

/* The folder holds no partial file of a killed save now. */
static void
swept_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);

  lens_stale_files_sweep_finish (LENS_STALE_FILES (source_object), result);
  if (download_fail_if_cancelled (&task))
    return;
  if (download->body != NULL)
    read_next_chunk (g_steal_pointer (&task));
  else
    create_temp_file (g_steal_pointer (&task));
}

static void
sent_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  LensDownloader *self;
  SoupMessageHeaders *headers = soup_message_get_response_headers (download->message);
  GError *error = NULL;
  guint status;

  download->input = soup_session_send_finish (SOUP_SESSION (source_object), result, &error);
  if (download->input == NULL)
    {
      error = lens_http_deadline_check (download->deadline, error);
      download_fail (g_steal_pointer (&task), _lens_downloader_network_error_new (error, FALSE));
      return;
    }

  status = soup_message_get_status (download->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      download_fail (g_steal_pointer (&task), _lens_downloader_http_error_new (status));
      return;
    }

  if (lens_http_announces_more_than (download->message, download->max_size))
    {
      download_fail_too_large (g_steal_pointer (&task));
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      const char *encoding = soup_message_headers_get_one (headers, "Content-Encoding");

      /* A compressed body is unpacked on the way in; its length then says
       * nothing about the bytes that reach the file. */
      if (encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0)
        download->expected = soup_message_headers_get_content_length (headers);
    }

  /* See the top of this file. */
  if (download->facts != NULL && download->expected >= 0 && download->expected <= MAX_IN_MEMORY_SIZE)
    download->body = g_byte_array_sized_new ((guint) download->expected);

  self = g_task_get_source_object (task);
  lens_stale_files_sweep_async (self->stale_files, download->directory, NULL, swept_cb,
                                g_steal_pointer (&task));
}

/* ─── probe ────────────────────────────────────────────────────────────── */

/* A HEAD request, under a deadline of its own like the download. */
typedef struct
{
  SoupMessage      *message;   /* owned */
  GCancellable     *caller;    /* owned, nullable */
  GCancellable     *network;   /* owned */
  gulong            chain_id;
  LensHttpDeadline *deadline;  /* owned */
} Probe;

static void
probe_free (Probe *probe)
{
  lens_http_deadline_free (probe->deadline);
  if (probe->caller != NULL)
    g_cancellable_disconnect (probe->caller, probe->chain_id);
  g_clear_object (&probe->caller);
  g_clear_object (&probe->network);
  g_clear_object (&probe->message);
  g_free (probe);
}

static void
probe_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  SoupMessage *message = probe->message;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  const char *content_type;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result, &error);
  if (body == NULL)
    {
      error = lens_http_deadline_check (probe->deadline, error);
      g_task_return_error (task, _lens_downloader_network_error_new (error, FALSE));
      return;
    }

  /* A server that does not do HEAD may still serve the file: the type is
   * just unknown, and the name falls back to the URL or to PNG. */
  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_METHOD_NOT_ALLOWED || status == SOUP_STATUS_NOT_IMPLEMENTED)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, _lens_downloader_http_error_new (status));
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (message),
                                                        NULL);
  g_task_return_pointer (task, content_type != NULL ? g_ascii_strdown (content_type, -1) : NULL,
                         g_free);
}

/**
 * lens_downloader_probe_async:
 * @url: an http or https URL
 *
 * Asks the server (with HEAD) what type of file @url is, so that a file name
 * can be suggested before anything is downloaded.
 */
void
lens_downloader_probe_async (LensDownloader      *self,
                             const char          *url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *message;
  Probe *probe;
  GError *error = NULL;

  g_return_if_fail (LENS_IS_DOWNLOADER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_downloader_probe_async);

  message = new_message (SOUP_METHOD_HEAD, url, &error);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  probe = g_new0 (Probe, 1);
  probe->message = message;
  g_set_object (&probe->caller, cancellable);
  probe->network = g_cancellable_new ();
  probe->chain_id = lens_http_chain_cancellable (cancellable, probe->network);
  /* A head has no body to wait for: the shorter of the two. */
  probe->deadline = lens_http_deadline_new (probe->network,
                                            MIN (self->deadline_ms, LENS_HTTP_API_DEADLINE_MS));
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  lens_http_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, probe->network,
                                    probe_cb, g_steal_pointer (&task));
}

/**
 * lens_downloader_probe_finish:
 *
 * Returns: (transfer full) (nullable): the content type without parameters,
 *   in lower case (e.g. "image/png"), or %NULL — with @error unset — when the
 *   server did not say
 */
char *
lens_downloader_probe_finish (LensDownloader  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_downloader_probe_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_downloader_dispose (GObject *object)
{
  LensDownloader *self = LENS_DOWNLOADER (object);

  /* Every download holds a reference to the downloader, so none is running
   * here; each is cancelled through its caller's cancellable. */
  g_clear_object (&self->session);
  g_clear_object (&self->stale_files);

  G_OBJECT_CLASS (lens_downloader_parent_class)->dispose (object);
}

static void
lens_downloader_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LensDownloader *self = LENS_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_downloader_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LensDownloader *self = LENS_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_downloader_class_init (LensDownloaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_downloader_dispose;
  object_class->get_property = lens_downloader_get_property;
  object_class->set_property = lens_downloader_set_property;

  /* The app's one session, shared with the API client and the image loader. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_downloader_init (LensDownloader *self)
{
  self->max_size = DEFAULT_MAX_SIZE;
  self->deadline_ms = LENS_HTTP_DOWNLOAD_DEADLINE_MS;
  /* Made with the downloader, at start-up: what is older was not ours. */
  self->stale_files = lens_stale_files_new ();
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_downloader_new:
 * @session: the app's session (see lens_http_create_session())
 *
 * Returns: (transfer full): a new downloader
 */
LensDownloader *
lens_downloader_new (SoupSession *session)
{
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  return g_object_new (LENS_TYPE_DOWNLOADER, "session", session, NULL);
}

/**
 * lens_downloader_suggest_name:
 *
 * The same as lens_file_name_suggest(), kept for the callers of the
 * downloader.
 *
 * Returns: (transfer full): e.g. "7489df4c-ef03-4de0-b598-e9a590793434.png"
 */
char *
lens_downloader_suggest_name (const char *task_id,
                              const char *content_type,
                              const char *url)
{
  return lens_file_name_suggest (task_id, content_type, url);
}

/**
 * lens_downloader_set_max_size:
 * @max_size: the largest file, in bytes, that a download may write
 *
 * Downloads started afterwards fail with %LENS_DOWNLOADER_ERROR_TOO_LARGE
 * beyond this size. The default is 1 GiB.
 */
void
lens_downloader_set_max_size (LensDownloader *self,
                              goffset         max_size)
{
  g_return_if_fail (LENS_IS_DOWNLOADER (self));
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
}

/**
 * lens_downloader_set_deadline:
 * @deadline_ms: how long a download may take, from sending the request to
 *   the body's last byte (LENS_HTTP_DOWNLOAD_DEADLINE_MS unless set)
 *
 * Applies to downloads started afterwards. A download over it fails with
 * %LENS_DOWNLOADER_ERROR_NETWORK, as a server that did not answer in time.
 */
void
lens_downloader_set_deadline (LensDownloader *self,
                              guint           deadline_ms)
{
  g_return_if_fail (LENS_IS_DOWNLOADER (self));
  g_return_if_fail (deadline_ms > 0);

  self->deadline_ms = deadline_ms;
}

/**
 * lens_downloader_download_async:
 * @url: an http or https URL
 * @destination: the file to write; replaced if it exists
 * @progress: (nullable) (scope notified): called as the file arrives, at most
 *   about ten times a second, and once at the end with @received == @total
 * @progress_data_free: (nullable): frees @progress_data when the download ends
 *
 * Streams @url into @destination, which keeps its old contents until the
 * whole new file is on disk and is then replaced in one step. A download that
 * fails or is cancelled leaves no file behind, complete or partial.
 */
void
lens_downloader_download_async (LensDownloader           *self,
                                const char               *url,
                                GFile                    *destination,
                                LensDownloadProgressFunc  progress,
                                gpointer                  progress_data,
                                GDestroyNotify            progress_data_free,
                                GCancellable             *cancellable,
                                GAsyncReadyCallback       callback,
                                gpointer                  user_data)
{
  lens_downloader_save_async (self, url, destination, NULL, LENS_SAVE_NONE, progress, progress_data,
                              progress_data_free, cancellable, callback, user_data);
}

/**
 * lens_downloader_download_finish:
 *
 * Returns: %TRUE when the whole file is at the destination
 */
gboolean
lens_downloader_download_finish (LensDownloader  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_autoptr(GFile) final = lens_downloader_save_finish (self, result, error);

  return final != NULL;
}

/**
 * lens_downloader_save_async:
 * @url: an http or https URL
 * @destination: the file to write (see @flags)
 * @facts: (nullable): written into the file as its metadata
 * @flags: whether to keep a file already there, and whether the extension
 *   follows the bytes received
 * @progress: (nullable) (scope notified): as for
 *   lens_downloader_download_async()
 * @progress_data_free: (nullable): frees @progress_data when it ends
 *
 * Like lens_downloader_download_async(), and the file holds @facts as
 * metadata from the moment it has its name (see the top of this file).
 */
void
lens_downloader_save_async (LensDownloader           *self,
                            const char               *url,
                            GFile                    *destination,
                            const LensImageFacts     *facts,
                            LensSaveFlags             flags,
                            LensDownloadProgressFunc  progress,
                            gpointer                  progress_data,
                            GDestroyNotify            progress_data_free,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *basename = NULL;
  Download *download;
  GError *error = NULL;

  g_return_if_fail (LENS_IS_DOWNLOADER (self));
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  basename = g_file_get_basename (destination);
  download = g_new0 (Download, 1);
  download->destination = g_object_ref (destination);
  download->display_name = g_filename_display_name (basename);
  download->max_size = self->max_size;
  download->expected = -1;
  download->progress = progress;
  download->progress_data = progress_data;
  download->progress_data_free = progress_data_free;
  download->facts = facts != NULL ? lens_image_facts_copy (facts) : NULL;
  download->flags = flags;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_downloader_save_async);
  g_task_set_task_data (task, download, (GDestroyNotify) download_free);
  /* Each stage checks for cancellation itself: once the file is in place,
   * the download succeeded, whenever a cancellation came. */
  g_task_set_check_cancellable (task, FALSE);

  download->message = new_message (SOUP_METHOD_GET, url, &error);
  if (download->message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  download->directory = g_file_get_parent (destination);
  if (download->directory == NULL)
    {
      g_task_return_new_error (task, LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_WRITE,
                               _("Could not save “%s”: it is not a file in a folder"),
                               download->display_name);
      return;
    }

  g_set_object (&download->caller, cancellable);
  download->network = g_cancellable_new ();
  download->chain_id = lens_http_chain_cancellable (cancellable, download->network);
  download->deadline = lens_http_deadline_new (download->network, self->deadline_ms);
  lens_http_send_async (self->session, download->message, G_PRIORITY_DEFAULT,
                           download->network, sent_cb, g_steal_pointer (&task));
}

/**
 * lens_downloader_save_finish:
 *
 * Returns: (transfer full) (nullable): the file the image is now in (with
 *   LENS_SAVE_UNIQUE or LENS_SAVE_NAME_BY_CONTENT, maybe not the
 *   destination asked for), or %NULL with @error set
 */
GFile *
lens_downloader_save_finish (LensDownloader  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_downloader_save_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
