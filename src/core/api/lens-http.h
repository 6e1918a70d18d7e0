/* lens-http.h — what every HTTP user of the app shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The API client's four requests in flight, with room for two more; image
 * fetches open at most as many connections, as browsers do. */
#define LENS_HTTP_MAX_CONNS_PER_HOST 6

#define LENS_HTTP_ERROR (lens_http_error_quark ())

/**
 * LensHttpError:
 * @LENS_HTTP_ERROR_TOO_LARGE: the body is longer than the cap
 *
 * Errors of lens_http_read_bytes_async(); its callers turn them into
 * messages of their own domain.
 */
typedef enum
{
  LENS_HTTP_ERROR_TOO_LARGE,
} LensHttpError;

/**
 * LensHttpUrlSafety:
 * @LENS_HTTP_URL_INVALID: not an http or https URL with a host
 * @LENS_HTTP_URL_INSECURE: plain http to another computer
 * @LENS_HTTP_URL_SECURE: https, or plain http to this computer
 */
typedef enum
{
  LENS_HTTP_URL_INVALID,
  LENS_HTTP_URL_INSECURE,
  LENS_HTTP_URL_SECURE,
} LensHttpUrlSafety;

/**
 * LensHttpReadFlags:
 * @LENS_HTTP_READ_NONE: a body over the cap is an error
 * @LENS_HTTP_READ_TRUNCATE: a body over the cap is cut at the cap, and
 *   reading stops there (for error answers, whose start says it all)
 */
typedef enum
{
  LENS_HTTP_READ_NONE = 0,
  LENS_HTTP_READ_TRUNCATE = 1 << 0,
} LensHttpReadFlags;

/* The most a whole request may take, from sending to the body's last byte:
 * the session's timeout is per read, and a server that sends a byte now and
 * then would hold a connection forever. */
#define LENS_HTTP_API_DEADLINE_MS    (2 * 60 * 1000)
#define LENS_HTTP_IMAGE_DEADLINE_MS  (3 * 60 * 1000)
/* Originals saved to a file may be large and the line slow: generous, but
 * finite. */
#define LENS_HTTP_DOWNLOAD_DEADLINE_MS (30 * 60 * 1000)

typedef struct _LensHttpDeadline LensHttpDeadline;

/* Called as bytes arrive: @received so far. */
typedef void (*LensHttpProgressFunc) (gsize    received,
                                      gpointer user_data);

GQuark             lens_http_error_quark         (void);

SoupSession       *lens_http_create_session      (void);

gboolean           lens_http_url_is_loopback     (const char            *url);
LensHttpUrlSafety  lens_http_url_safety          (const char            *url);
gboolean           lens_http_status_is_expired   (guint                  status);
gboolean           lens_http_announces_more_than (SoupMessage           *message,
                                                  goffset                max_size);

void               lens_http_read_bytes_async    (GInputStream          *stream,
                                                  gsize                  max_size,
                                                  LensHttpReadFlags      flags,
                                                  int                    io_priority,
                                                  LensHttpProgressFunc   progress,
                                                  gpointer               progress_data,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
GBytes            *lens_http_read_bytes_finish   (GAsyncResult          *result,
                                                  GError               **error);

gulong             lens_http_chain_cancellable   (GCancellable          *from,
                                                  GCancellable          *to);
void               lens_http_clear_source        (GSource              **source);
GSource           *lens_http_watch_cancel        (GTask                 *task,
                                                  GCancellableSourceFunc callback,
                                                  gpointer               data,
                                                  GDestroyNotify         data_free,
                                                  const char            *name);

LensHttpDeadline  *lens_http_deadline_new        (GCancellable          *cancellable,
                                                  guint                  timeout_ms);
void               lens_http_deadline_free       (LensHttpDeadline      *deadline);
gboolean           lens_http_deadline_expired    (LensHttpDeadline      *deadline);
GError            *lens_http_deadline_check      (LensHttpDeadline      *deadline,
                                                  GError                *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensHttpDeadline, lens_http_deadline_free)

G_END_DECLS
