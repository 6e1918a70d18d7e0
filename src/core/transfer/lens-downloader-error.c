/* lens-downloader-error.c — what went wrong with a download, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by lens-downloader.c, and calls nothing of it. GIO's and
 * libsoup's own messages name temporary files and say nothing of what to
 * do; the server's reason phrase is its own text. These turn them into
 * LENS_DOWNLOADER_ERROR errors a user can act on, for the probe and the
 * transfer alike, and are kept together so that the words stay consistent.
 */

#define G_LOG_DOMAIN "lens-downloader"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "lens-downloader-error.h"
#include "lens-http.h"

G_DEFINE_QUARK (lens-downloader-error-quark, lens_downloader_error)

/* Takes @error; @answered says whether the response head had arrived.
 * Cancellation passes through untouched. */
GError *
_lens_downloader_network_error_new (GError   *error,
                                   gboolean  answered)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    mapped = g_error_new_literal (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK,
                                  _("The image server did not answer in time; try again later"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && !answered)
    mapped = g_error_new_literal (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK,
                                  _("The image server closed the connection without "
                                    "answering; try again later"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    mapped = g_error_new_literal (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK,
                                  _("The connection broke off before the whole image "
                                    "arrived; try again"));
  else
    mapped = g_error_new (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NETWORK,
                          _("Could not download the image: %s"), error->message);

  g_error_free (error);
  return mapped;
}

/* The reason phrase is the server's text, so only the number is shown. */
GError *
_lens_downloader_http_error_new (guint status)
{
  if (lens_http_status_is_expired (status))
    return g_error_new (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_EXPIRED,
                        _("The image is no longer available (HTTP %u); AceData keeps results "
                          "for about 30 days"), status);
  if (status == 429)
    return g_error_new (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_HTTP,
                        _("The image server is busy (HTTP %u); try again in a minute"), status);
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return g_error_new (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_HTTP,
                        _("The image server had a problem (HTTP %u); try again later"), status);

  return g_error_new (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_HTTP,
                      _("The image server refused the download (HTTP %u)"), status);
}

/* @display_name: the destination's name, for the message. An image save
 * that got an error page, an empty body or anything else that is neither
 * an image nor a video. */
GError *
_lens_downloader_not_an_image_error_new (const char *display_name)
{
  return g_error_new (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_NOT_AN_IMAGE,
                      _("“%s” was not saved: the image server sent something that is not an "
                        "image; try again later"),
                      display_name);
}

/* @display_name: the destination's name, for the message */
GError *
_lens_downloader_too_large_error_new (const char *display_name,
                                     goffset     max_size)
{
  g_autofree char *limit = g_format_size ((guint64) max_size);

  return g_error_new (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_TOO_LARGE,
                      _("“%s” was not saved: the file is larger than %s"),
                      display_name, limit);
}

/* Takes @error. GIO's own messages name the temporary file, which means
 * nothing to the user: the system's words for the common causes read better.
 * Cancellation passes through untouched. */
GError *
_lens_downloader_write_error_new (const char *display_name,
                                 GError     *error)
{
  static const struct { GIOErrorEnum code; int errnum; } known[] = {
    { G_IO_ERROR_NO_SPACE, ENOSPC }, { G_IO_ERROR_PERMISSION_DENIED, EACCES },
    { G_IO_ERROR_READ_ONLY, EROFS }, { G_IO_ERROR_FILENAME_TOO_LONG, ENAMETOOLONG },
    { G_IO_ERROR_NOT_DIRECTORY, ENOTDIR }, { G_IO_ERROR_IS_DIRECTORY, EISDIR },
  };
  const char *reason = error->message;
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    reason = _("The folder does not exist");
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_error_matches (error, G_IO_ERROR, known[i].code))
      reason = g_strerror (known[i].errnum);

  mapped = g_error_new (LENS_DOWNLOADER_ERROR, LENS_DOWNLOADER_ERROR_WRITE,
                        _("Could not save “%s”: %s"), display_name, reason);
  g_error_free (error);
  return mapped;
}
