/* lens-http-send.c — sending a request through libsoup, cancellable safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup before 3.6.6 finishes a request twice, and frees it while it is
 * still in use, when the request's cancellable is cancelled after the
 * answer's headers were read but before libsoup's own callback for them
 * ran: the GTask that read them then reports the cancellation although the
 * reading went on (soup-session.c, run_until_read_done(); fixed upstream
 * by "fix 'heap-use-after-free' caused by 'finishing' queue item twice").
 * That callback runs from an idle of the request's priority, in the main
 * loop's next turn. Pasting 10,000 ids against a quick server, thumbnails
 * scrolled away in that turn often enough to crash the app now and then
 * (caught under AddressSanitizer, with a libsoup built with it, in
 * soup_session_send_finish()).
 *
 * Every request of the app is sent from here, with a cancellable of its
 * own that follows the caller's. Until the answer's headers are in
 * (SoupMessage::got-headers), it follows at once: a request cancelled
 * before, waiting in line or for its answer, is never sent or is dropped
 * as libsoup always did it. Once they are in, it follows one step behind:
 * the cancellation reaches libsoup from a source of lower priority than
 * the request's, which the main loop dispatches only once no source of the
 * request's priority is ready, so after libsoup's callback for them. The
 * caller's callback gets libsoup's result, for soup_session_send_finish()
 * or soup_session_send_and_read_finish().
 */

#define G_LOG_DOMAIN "lens-http"

#include "config.h"

#include "lens-http-send.h"

typedef struct
{
  GCancellable        *soup_cancellable; /* owned: the one libsoup watches */
  GCancellable        *cancellable;      /* owned, nullable: the caller's */
  gulong               cancelled_id;
  GMainContext        *context;          /* owned: where the request runs */
  SoupMessage         *message;          /* owned */
  gulong               got_headers_id;
  gboolean             got_headers;      /* the answer's headers are in */
  GSource             *pending_cancel;   /* owned, nullable */
  int                  io_priority;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} Send;

static void
send_free (Send *send)
{
  /* First: it waits for a handler running in another thread. */
  if (send->cancelled_id != 0)
    g_cancellable_disconnect (send->cancellable, send->cancelled_id);
  if (send->pending_cancel != NULL)
    {
      g_source_destroy (send->pending_cancel);
      g_source_unref (send->pending_cancel);
    }
  g_clear_object (&send->cancellable);
  g_clear_object (&send->soup_cancellable);
  g_clear_signal_handler (&send->got_headers_id, send->message);
  g_clear_object (&send->message);
  g_main_context_unref (send->context);
  g_free (send);
}

static gboolean
pass_cancel_on_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
got_headers_cb (SoupMessage *message,
                Send        *send)
{
  send->got_headers = TRUE;
}

/* Runs where the caller cancels: at once before the headers, or through a
 * source of lower priority after them (see the top of the file). */
static void
cancelled_cb (GCancellable *cancellable,
              Send         *send)
{
  GSource *source;

  if (!send->got_headers)
    {
      g_cancellable_cancel (send->soup_cancellable);
      return;
    }
  if (send->pending_cancel != NULL)
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, send->io_priority < G_MAXINT ? send->io_priority + 1
                                                               : send->io_priority);
  g_source_set_callback (source, pass_cancel_on_cb, g_object_ref (send->soup_cancellable),
                         g_object_unref);
  g_source_set_static_name (source, "[lens-http] cancel a request");
  send->pending_cancel = source;
  g_source_attach (source, send->context);
}

static void
sent_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;
  GAsyncReadyCallback callback = send->callback;
  gpointer callback_data = send->user_data;

  /* From here on the caller's cancellable is the caller's business again. */
  send_free (send);
  callback (source_object, result, callback_data);
}

static Send *
send_new (SoupMessage         *message,
          int                  io_priority,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  Send *send = g_new0 (Send, 1);

  send->message = g_object_ref (message);
  send->got_headers_id = g_signal_connect (message, "got-headers", G_CALLBACK (got_headers_cb), send);

  send->soup_cancellable = g_cancellable_new ();
  send->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  send->context = g_main_context_ref_thread_default ();
  send->io_priority = io_priority;
  send->callback = callback;
  send->user_data = user_data;

  /* Cancelled already: libsoup sees it before the request starts, where
   * nothing is read yet. */
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    g_cancellable_cancel (send->soup_cancellable);
  else if (cancellable != NULL)
    send->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), send, NULL);
  return send;
}

/* soup_session_send_async() and soup_session_send_and_read_async() alike. */
typedef void (*SoupSendFunc) (SoupSession         *session,
                              SoupMessage         *message,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);

static void
send_with (SoupSendFunc         soup_send,
           SoupSession         *session,
           SoupMessage         *message,
           int                  io_priority,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  Send *send;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (callback != NULL);

  send = send_new (message, io_priority, cancellable, callback, user_data);
  soup_send (session, message, io_priority, send->soup_cancellable, sent_cb, send);
}

/**
 * lens_http_send_async:
 *
 * soup_session_send_async(), cancellable safely whatever the libsoup (see
 * the top of lens-http-send.c). @callback gets libsoup's own result: finish
 * with soup_session_send_finish().
 */
void
lens_http_send_async (SoupSession         *session,
                      SoupMessage         *message,
                      int                  io_priority,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  send_with (soup_session_send_async, session, message, io_priority, cancellable, callback,
             user_data);
}

/**
 * lens_http_send_and_read_async:
 *
 * soup_session_send_and_read_async(), cancellable safely likewise. Finish
 * with soup_session_send_and_read_finish().
 */
void
lens_http_send_and_read_async (SoupSession         *session,
                               SoupMessage         *message,
                               int                  io_priority,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  send_with (soup_session_send_and_read_async, session, message, io_priority, cancellable,
             callback, user_data);
}
