/* lens-downloader-name.c — what a saved image is called
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensDownloader; see lens-downloader-private.h. Before the user
 * picks a file, the server is asked (with HEAD) what type the image is, and
 * a name is suggested from the task id and that type. The name never takes
 * anything the server chose but a known extension, so that no URL can put
 * "../" or an odd suffix into a file name. The hidden name of the
 * temporary file a download writes to is made here too. Apart from the
 * transfer because it is all about names, and the probe happens before any
 * transfer starts.
 */

#define G_LOG_DOMAIN "lens-downloader"

#include "config.h"

#include <string.h>

#include "lens-downloader-private.h"
#include "lens-id-parser.h"

/* Keeps ".NAME.XXXXXX.part" within the 255 bytes file systems allow. */
#define MAX_TEMP_STEM_LENGTH  200

/* ─── extensions ───────────────────────────────────────────────────────── */

/* What a name may end in. The result is always one of these static strings,
 * never text from the server. */
static const struct
{
  const char *content_type;
  const char *url_suffix;
  const char *extension;
} known_files[] = {
  { "image/png", "png", "png" },
  { "image/jpeg", "jpg", "jpg" },
  { "image/jpg", "jpeg", "jpg" },  /* a common misspelling; and the long suffix */
  { "image/webp", "webp", "webp" },
  { "image/gif", "gif", "gif" },
  { "video/mp4", "mp4", "mp4" },
};

static const char *
extension_for_content_type (const char *content_type)
{
  g_autofree char *bare = NULL;

  if (content_type == NULL)
    return NULL;

  /* "image/png; charset=binary" → "image/png" */
  bare = g_strndup (content_type, strcspn (content_type, ";"));
  g_strstrip (bare);

  for (gsize i = 0; i < G_N_ELEMENTS (known_files); i++)
    if (g_ascii_strcasecmp (bare, known_files[i].content_type) == 0)
      return known_files[i].extension;
  return NULL;
}

/* Only the suffix of the last path segment counts: never the query, the
 * fragment or the host. */
static const char *
extension_for_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *name;
  const char *dot;

  if (url == NULL)
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL)
    return NULL;

  name = strrchr (g_uri_get_path (uri), '/');
  name = name != NULL ? name + 1 : g_uri_get_path (uri);
  dot = strrchr (name, '.');
  if (dot == NULL)
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (known_files); i++)
    if (g_ascii_strcasecmp (dot + 1, known_files[i].url_suffix) == 0)
      return known_files[i].extension;
  return NULL;
}

/* ─── the temporary file's name ────────────────────────────────────────── */

/* ".NAME.XXXXXX.part": hidden, recognisable as a partial download, and
 * unique enough that a clash is retried rather than expected. */
char *
lens_downloader_make_temp_name (GFile *destination)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  g_autofree char *basename = g_file_get_basename (destination);
  char random_part[7];
  gsize stem_length = strlen (basename);

  /* A long name is cut at a character boundary when it is UTF-8. */
  if (stem_length > MAX_TEMP_STEM_LENGTH)
    {
      stem_length = MAX_TEMP_STEM_LENGTH;
      if (g_utf8_validate (basename, -1, NULL))
        while (stem_length > 0 && ((guchar) basename[stem_length] & 0xC0) == 0x80)
          stem_length--;
    }

  for (gsize i = 0; i < sizeof random_part - 1; i++)
    random_part[i] = alphabet[g_random_int_range (0, (gint32) sizeof alphabet - 1)];
  random_part[sizeof random_part - 1] = '\0';

  return g_strdup_printf (".%.*s.%s.part", (int) stem_length, basename, random_part);
}

/* ─── probe ────────────────────────────────────────────────────────────── */

static void
probe_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  const char *content_type;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, lens_downloader_network_error_new (error, FALSE));
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
      g_task_return_error (task, lens_downloader_http_error_new (status));
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (message),
                                                        NULL);
  g_task_return_pointer (task, content_type != NULL ? g_ascii_strdown (content_type, -1) : NULL,
                         g_free);
}

/* ─── public API ───────────────────────────────────────────────────────── */

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
  GError *error = NULL;

  g_return_if_fail (LENS_IS_DOWNLOADER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_downloader_probe_async);

  message = lens_downloader_new_message (SOUP_METHOD_HEAD, url, &error);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_set_task_data (task, message, g_object_unref);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
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

/**
 * lens_downloader_suggest_name:
 * @task_id: (nullable): the task's id
 * @content_type: (nullable): the type from lens_downloader_probe_finish()
 * @url: (nullable): the image URL
 *
 * A file name for saving: the task id, and an extension from the content
 * type, else from the URL's own suffix when it is a known one, else "png".
 * Nothing else of the URL, which the server chose, reaches the name; without
 * a valid task id the name is "image.EXT".
 *
 * Returns: (transfer full): e.g. "7489df4c-ef03-4de0-b598-e9a590793434.png"
 */
char *
lens_downloader_suggest_name (const char *task_id,
                              const char *content_type,
                              const char *url)
{
  g_autofree char *stem = NULL;
  const char *extension = extension_for_content_type (content_type);

  if (extension == NULL)
    extension = extension_for_url (url);
  if (extension == NULL)
    extension = "png";

  /* A task id is a UUID: safe in any file system, and never "../". */
  stem = lens_id_is_task_id (task_id) ? g_ascii_strdown (task_id, -1) : g_strdup ("image");

  return g_strconcat (stem, ".", extension, NULL);
}
