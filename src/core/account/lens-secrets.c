/* lens-secrets.c — the API token, in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One secret per API URL, so that a proxy and AceData itself can have
 * different tokens. libsecret talks D-Bus to the Secret Service, or, inside
 * Flatpak, keeps an encrypted file whose key comes from the Secret portal;
 * either way off the main thread (below). Tasklens never
 * writes the token anywhere else, and never puts it in a message.
 */

#define G_LOG_DOMAIN "lens-secrets"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "lens-secrets-private.h"

G_DEFINE_QUARK (lens-secrets-error-quark, lens_secrets_error)

static const SecretSchema token_schema = {
  .name = "io.github.tasklens.Tasklens.Token",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "api-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* The key under which a token is kept: the URL as LensClient uses it, without
 * surrounding spaces or trailing slashes, so that "https://host/" and
 * "https://host" share a token. */
static char *
normalize_url (const char *api_url)
{
  char *url = g_strstrip (g_strdup (api_url));
  gsize length = strlen (url);

  while (length > 0 && url[length - 1] == '/')
    url[--length] = '\0';
  return url;
}

/* Whether @error says that there is no Secret Service to talk to at all, as
 * opposed to one that failed. GIO reports a missing session bus with plain
 * GIOErrors (“Cannot autolaunch D-Bus without X11 $DISPLAY” is
 * G_IO_ERROR_FAILED, a bus address with no socket behind it is NOT_FOUND or
 * CONNECTION_REFUSED) whose messages are translated, so the codes decide. A
 * bus without a keyring answers SERVICE_UNKNOWN or NAME_HAS_NO_OWNER, or
 * fails to start one (SPAWN_*); a Flatpak portal without a Secret backend has
 * no such interface or method. */
static gboolean
is_no_keyring (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_UNKNOWN_INTERFACE:
        case G_DBUS_ERROR_UNKNOWN_METHOD:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
          return TRUE;
        default:
          return FALSE;
        }
    }

  /* dbus-launch missing or failing while GIO tries to autolaunch a bus. */
  if (error->domain == G_SPAWN_ERROR || error->domain == G_SPAWN_EXIT_ERROR)
    return TRUE;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_FAILED:
        case G_IO_ERROR_NOT_FOUND:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_NOT_SUPPORTED:
          return TRUE;
        default:
          return FALSE;
        }
    }

  return FALSE;
}

/**
 * lens_secrets_error_from_keyring:
 * @error: what libsecret reported
 * @operation: what was being done, for the message
 *
 * Turns a libsecret failure into a #LensSecretsError: a missing keyring
 * becomes %LENS_SECRETS_ERROR_NO_KEYRING, anything else
 * %LENS_SECRETS_ERROR_FAILED with a message that says what failed.
 * Cancellation is returned as it is.
 *
 * Returns: (transfer full): the error to report
 */
GError *
lens_secrets_error_from_keyring (const GError         *error,
                                 LensSecretsOperation  operation)
{
  g_autoptr(GError) cause = NULL;
  const char *reason;

  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (is_no_keyring (error))
    return g_error_new_literal (LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_NO_KEYRING,
                                _("No keyring is available, so the token is kept only "
                                  "until Tasklens quits"));

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      reason = _("the keyring is locked");
    }
  else
    {
      /* “GDBus.Error:org.freedesktop…: ” means nothing to a user. */
      cause = g_error_copy (error);
      if (g_dbus_error_is_remote_error (cause))
        g_dbus_error_strip_remote_error (cause);
      reason = cause->message;
    }

  switch (operation)
    {
    case LENS_SECRETS_OPERATION_LOOKUP:
      return g_error_new (LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED,
                          _("Could not read the API token from the keyring: %s"), reason);
    case LENS_SECRETS_OPERATION_STORE:
      return g_error_new (LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED,
                          _("Could not save the API token in the keyring: %s"), reason);
    case LENS_SECRETS_OPERATION_CLEAR:
      return g_error_new (LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED,
                          _("Could not remove the API token from the keyring: %s"), reason);
    default:
      g_assert_not_reached ();
    }
}

/* ─── the calls ────────────────────────────────────────────────────────── */

/* Lookup, store and clear are one call each to libsecret, keyed the same
 * way and answered the same way: they share this code, and differ only in
 * the switch statements.
 *
 * They run in a worker, through libsecret's blocking calls, which run its
 * asynchronous ones on a main context of the worker's own. Inside Flatpak
 * (and wherever libsecret keeps an encrypted file) opening the keyring
 * derives its key from the portal's secret, PBKDF2 on the CPU: run from the
 * main thread, that held it for 18 ms at every start (perf, under
 * bench-window with the file backend the tests use). One call at a time:
 * libsecret's file backend is one object for the process. */

typedef struct
{
  LensSecretsOperation  operation;
  char                 *url;    /* normalized */
  char                 *token;  /* for a store */
  char                 *label;  /* for a store */
} Call;

static void
call_free (Call *call)
{
  g_free (call->url);
  g_free (call->token);
  g_free (call->label);
  g_free (call);
}

static GMutex keyring_lock;

static void
call_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Call *call = task_data;
  g_autoptr(GError) error = NULL;
  char *secret = NULL;
  char *token = NULL;

  g_mutex_lock (&keyring_lock);
  switch (call->operation)
    {
    case LENS_SECRETS_OPERATION_LOOKUP:
      secret = secret_password_lookup_sync (&token_schema, cancellable, &error,
                                            "api-url", call->url,
                                            NULL);
      break;
    case LENS_SECRETS_OPERATION_STORE:
      secret_password_store_sync (&token_schema, SECRET_COLLECTION_DEFAULT, call->label,
                                  call->token, cancellable, &error,
                                  "api-url", call->url,
                                  NULL);
      break;
    case LENS_SECRETS_OPERATION_CLEAR:
      /* FALSE without an error only means that there was nothing to remove. */
      secret_password_clear_sync (&token_schema, cancellable, &error,
                                  "api-url", call->url,
                                  NULL);
      break;
    default:
      g_assert_not_reached ();
    }
  g_mutex_unlock (&keyring_lock);

  if (error != NULL)
    {
      g_task_return_error (task, lens_secrets_error_from_keyring (error, call->operation));
      return;
    }
  if (call->operation != LENS_SECRETS_OPERATION_LOOKUP)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* libsecret keeps secrets in memory that is wiped when freed; the copy
   * handed on is an ordinary string, like the one LensClient keeps. */
  if (secret != NULL && *secret != '\0')
    token = g_strdup (secret);
  secret_password_free (secret);

  g_task_return_pointer (task, token, g_free);
}

/* @token only for a store; @source_tag the public function called. */
static void
call_keyring (LensSecretsOperation  operation,
              const char           *api_url,
              const char           *token,
              GCancellable         *cancellable,
              GAsyncReadyCallback   callback,
              gpointer              user_data,
              gpointer              source_tag)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  /* Every call's own arguments, checked once for all three. */
  g_return_if_fail (api_url != NULL && *api_url != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  call = g_new0 (Call, 1);
  call->operation = operation;
  call->url = normalize_url (api_url);
  if (operation == LENS_SECRETS_OPERATION_STORE)
    {
      call->token = g_strdup (token);
      /* The label is what keyring managers such as Passwords and Keys show. */
      call->label = g_strdup_printf (_("Tasklens API token for %s"), call->url);
    }
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  g_task_run_in_thread (task, call_in_thread);
}

static gboolean
finish_done (GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ─── the public API ───────────────────────────────────────────────────── */

/**
 * lens_secrets_lookup_async:
 * @api_url: the API URL the token is for
 *
 * Reads the token kept for @api_url.
 */
void
lens_secrets_lookup_async (const char          *api_url,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  call_keyring (LENS_SECRETS_OPERATION_LOOKUP, api_url, NULL, cancellable, callback, user_data,
                lens_secrets_lookup_async);
}

/**
 * lens_secrets_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL with @error unset
 *   when none is kept for the URL
 */
char *
lens_secrets_lookup_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_secrets_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lens_secrets_store_async:
 * @api_url: the API URL the token is for
 * @token: the token; not empty (use lens_secrets_clear_async() to forget it)
 *
 * Keeps @token for @api_url in the default collection, replacing the one
 * kept before.
 */
void
lens_secrets_store_async (const char          *api_url,
                          const char          *token,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (token != NULL && *token != '\0');

  call_keyring (LENS_SECRETS_OPERATION_STORE, api_url, token, cancellable, callback, user_data,
                lens_secrets_store_async);
}

gboolean
lens_secrets_store_finish (GAsyncResult  *result,
                           GError       **error)
{
  return finish_done (result, lens_secrets_store_async, error);
}

/**
 * lens_secrets_clear_async:
 * @api_url: the API URL whose token is forgotten
 *
 * Removes the token kept for @api_url; removing one that is not there is
 * not an error.
 */
void
lens_secrets_clear_async (const char          *api_url,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  call_keyring (LENS_SECRETS_OPERATION_CLEAR, api_url, NULL, cancellable, callback, user_data,
                lens_secrets_clear_async);
}

gboolean
lens_secrets_clear_finish (GAsyncResult  *result,
                           GError       **error)
{
  return finish_done (result, lens_secrets_clear_async, error);
}
