/* lens-file-name.c — what a saved image is called
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions, apart from the downloader that uses them. A name is
 * suggested from the task id and the type the server gave; it never takes
 * anything the server chose but a known extension, so that no URL can put
 * "../" or an odd suffix into a file name. The hidden name of the temporary
 * file a download writes to is made here too.
 */

#define G_LOG_DOMAIN "lens-file-name"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "lens-file-name.h"
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

/* ─── names ────────────────────────────────────────────────────────────── */

/**
 * lens_file_name_suggest:
 * @task_id: (nullable): the task's id
 * @content_type: (nullable): the type the server gave (see
 *   lens_downloader_probe_finish())
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
lens_file_name_suggest (const char *task_id,
                        const char *content_type,
                        const char *url)
{
  /* A task id is a UUID: safe in any file system, and never "../". */
  g_autofree char *stem = lens_id_is_task_id (task_id) ? g_ascii_strdown (task_id, -1)
                                                        : g_strdup ("image");

  return lens_file_name_for_stem (stem, content_type, url);
}

/**
 * lens_file_name_for_stem:
 * @stem: a safe stem (see lens_name_template_expand())
 * @content_type: (nullable): the type the server gave
 * @url: (nullable): the file's URL
 *
 * @stem with the extension lens_file_name_suggest() would choose.
 *
 * Returns: (transfer full): e.g. "2024-07-07 A cat (7489df4c).png"
 */
char *
lens_file_name_for_stem (const char *stem,
                         const char *content_type,
                         const char *url)
{
  const char *extension = extension_for_content_type (content_type);

  g_return_val_if_fail (stem != NULL, NULL);

  if (extension == NULL)
    extension = extension_for_url (url);
  if (extension == NULL)
    extension = "png";

  return g_strconcat (stem, ".", extension, NULL);
}

/**
 * lens_file_name_for_content:
 * @basename: the name asked for, e.g. "cat.png"
 * @head: the first bytes of what the file will hold
 *
 * @basename with the extension of what @head shows the bytes are, whatever
 * the URL or the server's header claimed: a ".png" that is a JPEG becomes
 * ".jpg". Bytes that are no image keep the name asked for.
 *
 * Returns: (transfer full): the name to write
 */
char *
lens_file_name_for_content (const char   *basename,
                            const guint8 *head,
                            gsize         size)
{
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *stem = NULL;
  char *dot;

  g_return_val_if_fail (basename != NULL, NULL);

  if (head == NULL || size == 0)
    return g_strdup (basename);
  content_type = g_content_type_guess (NULL, head, MIN (size, 4096), NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  if (mime_type == NULL || !g_str_has_prefix (mime_type, "image/"))
    return g_strdup (basename);

  stem = g_strdup (basename);
  if ((dot = strrchr (stem, '.')) != NULL && dot != stem)
    *dot = '\0';
  return lens_file_name_for_stem (stem, mime_type, NULL);
}

/**
 * lens_file_name_temp:
 * @basename: the destination's file name
 * @rand: (nullable): where the random part comes from; %NULL for GLib's
 *   global generator (tests pass a seeded one)
 *
 * ".NAME.XXXXXX.part": hidden, recognisable as a partial download, and
 * unique enough that a clash is retried rather than expected. A long name is
 * cut, at a character boundary when it is UTF-8.
 *
 * Returns: (transfer full): the temporary file's name, in the same directory
 */
char *
lens_file_name_temp (const char *basename,
                     GRand      *rand)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char random_part[7];
  gsize stem_length;

  g_return_val_if_fail (basename != NULL, NULL);

  stem_length = strlen (basename);
  if (stem_length > MAX_TEMP_STEM_LENGTH)
    {
      stem_length = MAX_TEMP_STEM_LENGTH;
      if (g_utf8_validate (basename, -1, NULL))
        while (stem_length > 0 && ((guchar) basename[stem_length] & 0xC0) == 0x80)
          stem_length--;
    }

  for (gsize i = 0; i < sizeof random_part - 1; i++)
    {
      gint32 index = rand != NULL ? g_rand_int_range (rand, 0, (gint32) sizeof alphabet - 1)
                                  : g_random_int_range (0, (gint32) sizeof alphabet - 1);

      random_part[i] = alphabet[index];
    }
  random_part[sizeof random_part - 1] = '\0';

  return g_strdup_printf (".%.*s.%s.part", (int) stem_length, basename, random_part);
}

/**
 * lens_file_name_is_temp:
 * @name: a file name (not a path)
 *
 * Whether @name has the shape lens_file_name_temp() gives: ".NAME.XXXXXX.part"
 * with six letters or digits. Only such files are ever removed as left
 * behind by a save that was killed.
 */
gboolean
lens_file_name_is_temp (const char *name)
{
  static const char suffix[] = ".part";
  gsize length, random_start;

  g_return_val_if_fail (name != NULL, FALSE);

  length = strlen (name);
  /* ".", a stem of at least one byte, ".", six, ".part" */
  if (length < 1 + 1 + 1 + 6 + strlen (suffix) || name[0] != '.' || !g_str_has_suffix (name, suffix))
    return FALSE;

  random_start = length - strlen (suffix) - 6;
  if (name[random_start - 1] != '.')
    return FALSE;
  for (gsize i = random_start; i < random_start + 6; i++)
    if (!g_ascii_isalnum (name[i]))
      return FALSE;
  return TRUE;
}
