/* lens-client-error.h — what can go wrong talking to the AceData API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LENS_CLIENT_ERROR (lens_client_error_quark ())

/**
 * LensClientError:
 * @LENS_CLIENT_ERROR_INVALID_URL: the API URL cannot be parsed
 * @LENS_CLIENT_ERROR_INSECURE_URL: the API URL is plain HTTP to a host that is
 *   not on this machine; the token would travel in the clear
 * @LENS_CLIENT_ERROR_NO_TOKEN: no API token is set
 * @LENS_CLIENT_ERROR_BAD_REQUEST: 400 — the server refused the parameters
 * @LENS_CLIENT_ERROR_UNAUTHORIZED: 401 (or `token_mismatched`) — the token is
 *   missing, wrong, expired, or for another API
 * @LENS_CLIENT_ERROR_PAYMENT_REQUIRED: 402 — payment required
 * @LENS_CLIENT_ERROR_QUOTA_EXHAUSTED: 403 `used_up` — the balance is used up
 * @LENS_CLIENT_ERROR_FORBIDDEN: 403 — the account is disabled or forbidden
 * @LENS_CLIENT_ERROR_WRONG_URL: 404 — no API at that address
 * @LENS_CLIENT_ERROR_RATE_LIMITED: 429 — too many requests (retried)
 * @LENS_CLIENT_ERROR_SERVER_ERROR: 500 and other 5xx (retried)
 * @LENS_CLIENT_ERROR_TIMEOUT: 504, a `timeout` code, or no answer in time (retried)
 * @LENS_CLIENT_ERROR_NETWORK: the server could not be reached, or the
 *   connection broke (retried)
 * @LENS_CLIENT_ERROR_INVALID_RESPONSE: an answer that is not the JSON the API
 *   documents
 * @LENS_CLIENT_ERROR_RESPONSE_TOO_LARGE: an answer over the size cap
 * @LENS_CLIENT_ERROR_UNEXPECTED_STATUS: any other HTTP status
 * @LENS_CLIENT_ERROR_INCOMPLETE_ANSWER: a batch answer said more tasks
 *   matched than it held, and asking again did not bring the rest (retried
 *   later)
 * @LENS_CLIENT_ERROR_LIST_UNAVAILABLE: the API did not list the account's
 *   tasks: a 400 or an answer without the page API.md describes (no
 *   `items`, no sensible `count`); this token may not be allowed to list
 *
 * Error codes of the LENS_CLIENT_ERROR domain. Messages are written for the
 * user and include the server's own message and trace id when it sent them;
 * they never include the token or a raw response body.
 */
typedef enum
{
  LENS_CLIENT_ERROR_INVALID_URL,
  LENS_CLIENT_ERROR_INSECURE_URL,
  LENS_CLIENT_ERROR_NO_TOKEN,
  LENS_CLIENT_ERROR_BAD_REQUEST,
  LENS_CLIENT_ERROR_UNAUTHORIZED,
  LENS_CLIENT_ERROR_PAYMENT_REQUIRED,
  LENS_CLIENT_ERROR_QUOTA_EXHAUSTED,
  LENS_CLIENT_ERROR_FORBIDDEN,
  LENS_CLIENT_ERROR_WRONG_URL,
  LENS_CLIENT_ERROR_RATE_LIMITED,
  LENS_CLIENT_ERROR_SERVER_ERROR,
  LENS_CLIENT_ERROR_TIMEOUT,
  LENS_CLIENT_ERROR_NETWORK,
  LENS_CLIENT_ERROR_INVALID_RESPONSE,
  LENS_CLIENT_ERROR_RESPONSE_TOO_LARGE,
  LENS_CLIENT_ERROR_UNEXPECTED_STATUS,
  LENS_CLIENT_ERROR_INCOMPLETE_ANSWER,
  LENS_CLIENT_ERROR_LIST_UNAVAILABLE,
} LensClientError;

GQuark          lens_client_error_quark          (void);

LensClientError lens_client_error_from_status    (guint        status,
                                                  const char  *code);
GError         *lens_client_error_new_for_status (guint        status,
                                                  const char  *code,
                                                  const char  *server_message,
                                                  const char  *trace_id);
gboolean        lens_client_error_is_transient   (const GError *error);
gboolean        lens_client_error_is_fatal       (const GError *error);
gboolean        lens_client_error_is_permanent   (const GError *error);

G_END_DECLS
