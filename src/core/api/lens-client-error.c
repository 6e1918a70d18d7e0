/* lens-client-error.c — HTTP statuses and API codes as user-readable errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lens-client"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "lens-client-error.h"

G_DEFINE_QUARK (lens-client-error-quark, lens_client_error)

/* Longest part of a server message that is shown; the rest is cut. */
#define MAX_SERVER_MESSAGE 200

/* The table of API.md: the HTTP status decides, except for codes that mean
 * something more precise than their status (a 400 token_mismatched is a token
 * problem; a 403 used_up is an empty balance; a 5xx timeout is a timeout). */
LensClientError
lens_client_error_from_status (guint       status,
                               const char *code)
{
  if (g_strcmp0 (code, "token_mismatched") == 0)
    return LENS_CLIENT_ERROR_UNAUTHORIZED;
  if (g_strcmp0 (code, "used_up") == 0)
    return LENS_CLIENT_ERROR_QUOTA_EXHAUSTED;
  if (status >= 500 && g_strcmp0 (code, "timeout") == 0)
    return LENS_CLIENT_ERROR_TIMEOUT;

  switch (status)
    {
    case 400: return LENS_CLIENT_ERROR_BAD_REQUEST;
    case 401: return LENS_CLIENT_ERROR_UNAUTHORIZED;
    case 402: return LENS_CLIENT_ERROR_PAYMENT_REQUIRED;
    case 403: return LENS_CLIENT_ERROR_FORBIDDEN;
    case 404: return LENS_CLIENT_ERROR_WRONG_URL;
    case 408: return LENS_CLIENT_ERROR_TIMEOUT;
    case 429: return LENS_CLIENT_ERROR_RATE_LIMITED;
    case 504: return LENS_CLIENT_ERROR_TIMEOUT;
    default: break;
    }

  if (status >= 500 && status < 600)
    return LENS_CLIENT_ERROR_SERVER_ERROR;
  return LENS_CLIENT_ERROR_UNEXPECTED_STATUS;
}

static const char *
describe (LensClientError error_code)
{
  switch (error_code)
    {
    case LENS_CLIENT_ERROR_BAD_REQUEST:
      return _("The AceData API refused the request");
    case LENS_CLIENT_ERROR_UNAUTHORIZED:
      return _("The API token was rejected; check it in Preferences");
    case LENS_CLIENT_ERROR_PAYMENT_REQUIRED:
      return _("The AceData API asks for payment before it answers");
    case LENS_CLIENT_ERROR_QUOTA_EXHAUSTED:
      return _("The AceData balance is used up");
    case LENS_CLIENT_ERROR_FORBIDDEN:
      return _("The AceData account may not use this API");
    case LENS_CLIENT_ERROR_WRONG_URL:
      return _("There is no AceData Tasks API at this address; check the API URL");
    case LENS_CLIENT_ERROR_RATE_LIMITED:
      return _("The AceData API is limiting requests; Tasklens will try again shortly");
    case LENS_CLIENT_ERROR_SERVER_ERROR:
      return _("The AceData API had a problem");
    case LENS_CLIENT_ERROR_TIMEOUT:
      return _("The AceData API did not answer in time");
    case LENS_CLIENT_ERROR_UNEXPECTED_STATUS:
    default:
      return _("The AceData API gave an unexpected answer");
    }
}

/* Server text goes to the user: valid UTF-8, one line, and not too long. */
static char *
clean_server_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *clean;
  guint n_chars = 0;

  if (text == NULL || *text == '\0')
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  clean = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars == MAX_SERVER_MESSAGE)
        {
          g_string_append (clean, "…");
          break;
        }
      g_string_append_unichar (clean, g_unichar_iscntrl (c) ? ' ' : c);
    }

  g_strstrip (clean->str);
  return g_string_free (clean, clean->len == 0);
}

/**
 * lens_client_error_new_for_status:
 * @status: the HTTP status
 * @code: (nullable): the server's `error.code`
 * @server_message: (nullable): the server's `error.message`
 * @trace_id: (nullable): the server's `trace_id`
 *
 * Returns: (transfer full): a LENS_CLIENT_ERROR whose message says what
 *   happened, in the user's words, followed by the server's message, code,
 *   HTTP status and trace id for a support request
 */
GError *
lens_client_error_new_for_status (guint       status,
                                  const char *code,
                                  const char *server_message,
                                  const char *trace_id)
{
  LensClientError error_code = lens_client_error_from_status (status, code);
  g_autofree char *clean_message = clean_server_text (server_message);
  g_autofree char *clean_code = clean_server_text (code);
  g_autofree char *clean_trace = clean_server_text (trace_id);
  g_autoptr(GString) text = g_string_new (describe (error_code));

  if (clean_message != NULL)
    g_string_append_printf (text, ": “%s”", clean_message);

  g_string_append (text, " (");
  if (clean_code != NULL)
    g_string_append_printf (text, "%s, ", clean_code);
  /* Translators: %u is an HTTP status code such as 401 */
  g_string_append_printf (text, _("HTTP %u"), status);
  if (clean_trace != NULL)
    /* Translators: a trace id lets AceData support find the request */
    g_string_append_printf (text, _(", trace ID %s"), clean_trace);
  g_string_append (text, ")");

  return g_error_new_literal (LENS_CLIENT_ERROR, error_code, text->str);
}

/* Errors that may go away by themselves: worth another try after a pause. */
gboolean
lens_client_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != LENS_CLIENT_ERROR)
    return FALSE;

  switch (error->code)
    {
    case LENS_CLIENT_ERROR_RATE_LIMITED:
    case LENS_CLIENT_ERROR_SERVER_ERROR:
    case LENS_CLIENT_ERROR_TIMEOUT:
    case LENS_CLIENT_ERROR_NETWORK:
    case LENS_CLIENT_ERROR_INCOMPLETE_ANSWER:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Errors that every further request would meet too, until the user acts
 * (new token, payment, another URL): sending more is pointless. */
gboolean
lens_client_error_is_fatal (const GError *error)
{
  if (error == NULL)
    return FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;
  if (error->domain != LENS_CLIENT_ERROR)
    return FALSE;

  switch (error->code)
    {
    case LENS_CLIENT_ERROR_INVALID_URL:
    case LENS_CLIENT_ERROR_INSECURE_URL:
    case LENS_CLIENT_ERROR_NO_TOKEN:
    case LENS_CLIENT_ERROR_UNAUTHORIZED:
    case LENS_CLIENT_ERROR_PAYMENT_REQUIRED:
    case LENS_CLIENT_ERROR_QUOTA_EXHAUSTED:
    case LENS_CLIENT_ERROR_FORBIDDEN:
    case LENS_CLIENT_ERROR_WRONG_URL:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * lens_client_error_is_permanent:
 *
 * Errors that the same request would meet again, although other requests
 * may be fine: the server refused these parameters (400 `bad_request`,
 * `api_not_implemented` or another 400 code; `token_mismatched` is a token
 * problem, see lens_client_error_is_fatal()), or answered with something
 * that is not the API's JSON, or too large to read. Asking for the same
 * tasks again is pointless until the user asks.
 *
 * Returns: whether @error is permanent for the tasks it was about
 */
gboolean
lens_client_error_is_permanent (const GError *error)
{
  if (error == NULL || error->domain != LENS_CLIENT_ERROR)
    return FALSE;

  switch (error->code)
    {
    case LENS_CLIENT_ERROR_BAD_REQUEST:
    case LENS_CLIENT_ERROR_INVALID_RESPONSE:
    case LENS_CLIENT_ERROR_RESPONSE_TOO_LARGE:
    case LENS_CLIENT_ERROR_LIST_UNAVAILABLE:
      return TRUE;
    default:
      return FALSE;
    }
}
