/* lens-account.c — the API address and token the app works with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensAccount is the one place that knows which AceData address Tasklens
 * talks to and with which token, where that token came from, and what the
 * keyring said about it. Everything that sends requests follows it (the
 * context binds the client to it); the preferences dialog is a view of it.
 *
 * The token is kept in the keyring under the address it is for, so a proxy
 * and AceData itself can have different tokens. Environment variables fix
 * the address or the token for the session (url-fixed, token-fixed); then
 * nothing here changes them. Two rules keep a token from reaching an
 * address it is not for:
 * - changing the address drops the token at once, before the keyring is
 *   asked for the new address's own;
 * - a keyring answer is applied only if the address is still the one it was
 *   asked for, and no token was set since (the token generation).
 */

#define G_LOG_DOMAIN "lens-account"

#include "config.h"

#include <string.h>

#include "lens-account.h"
#include "lens-client.h"
#include "lens-secrets.h"

struct _LensAccount
{
  GObject      parent_instance;

  SoupSession *session;           /* owned: for checking a token */
  char        *api_url;           /* owned: normalized, never NULL */
  char        *token;             /* owned, nullable: a secret, never logged */
  char        *keyring_problem;   /* owned, nullable: why nothing is kept */
  gboolean     url_fixed;
  gboolean     token_fixed;
  gboolean     token_known;       /* the keyring has had its say */
  guint        token_generation;  /* bumped whenever a token is set or dropped */
  GCancellable *cancellable;      /* owned: look-ups the account starts itself */
};

enum {
  PROP_0,
  PROP_API_URL,
  PROP_TOKEN,
  PROP_HAS_TOKEN,
  PROP_URL_FIXED,
  PROP_TOKEN_FIXED,
  PROP_TOKEN_KNOWN,
  PROP_KEYRING_PROBLEM,
  N_PROPS
};

enum {
  SIGNAL_KEYRING_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LensAccount, lens_account, G_TYPE_OBJECT)

/* As LensClient and the keyring key it: no surrounding spaces, no trailing
 * slash, and AceData's own address when empty. */
static char *
normalize_url (const char *api_url)
{
  char *url = g_strstrip (g_strdup (api_url != NULL ? api_url : ""));
  gsize length = strlen (url);

  while (length > 0 && url[length - 1] == '/')
    url[--length] = '\0';
  if (length == 0)
    {
      g_free (url);
      url = g_strdup (LENS_CLIENT_DEFAULT_URL);
    }
  return url;
}

static void
set_token (LensAccount *self,
           const char  *token)
{
  gboolean had_token = self->token != NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (token != NULL ? token : ""));

  if (*trimmed == '\0')
    g_clear_pointer (&trimmed, g_free);
  if (g_strcmp0 (self->token, trimmed) == 0)
    return;

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_steal_pointer (&trimmed);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
  if (had_token != (self->token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TOKEN]);
}

static void
set_token_known (LensAccount *self)
{
  if (self->token_known)
    return;
  self->token_known = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_KNOWN]);
}

static void
set_keyring_problem (LensAccount *self,
                     const char  *problem)
{
  if (g_strcmp0 (self->keyring_problem, problem) == 0)
    return;
  g_free (self->keyring_problem);
  self->keyring_problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_PROBLEM]);
}

/* What the keyring answered: a missing keyring is a lasting state (the
 * token then lives for this session only); other failures pass. */
static void
note_keyring_answer (LensAccount  *self,
                     const GError *error)
{
  if (error == NULL)
    set_keyring_problem (self, NULL);
  else if (g_error_matches (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_NO_KEYRING))
    set_keyring_problem (self, error->message);
}

/* ─── the token from the keyring ───────────────────────────────────────── */

typedef struct
{
  char  *api_url;
  guint  generation;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->api_url);
  g_free (lookup);
}

static void
lookup_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LensAccount *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = lens_secrets_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Another address, or a token set meanwhile, wins over this answer. */
  if (token != NULL && g_strcmp0 (self->api_url, lookup->api_url) == 0
      && self->token_generation == lookup->generation)
    set_token (self, token);

  note_keyring_answer (self, error);
  set_token_known (self);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
look_up_token (LensAccount         *self,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);

  g_task_set_source_tag (task, look_up_token);
  lookup->api_url = g_strdup (self->api_url);
  lookup->generation = self->token_generation;
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);

  if (self->token_fixed)
    {
      set_token_known (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  lens_secrets_lookup_async (lookup->api_url, cancellable, lookup_cb, g_steal_pointer (&task));
}

/**
 * lens_account_load_token_async:
 *
 * Brings the token kept for the current address from the keyring, unless
 * the environment fixed it. Afterwards #LensAccount:token-known is %TRUE.
 * Fails with the keyring's error (LENS_SECRETS_ERROR); the token stays as it
 * was then.
 */
void
lens_account_load_token_async (LensAccount         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (LENS_IS_ACCOUNT (self));

  look_up_token (self, cancellable, callback, user_data);
}

gboolean
lens_account_load_token_finish (LensAccount   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
address_lookup_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LensAccount *self = LENS_ACCOUNT (source_object);
  g_autoptr(GError) error = NULL;

  if (!lens_account_load_token_finish (self, result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !g_error_matches (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_NO_KEYRING))
    g_signal_emit (self, signals[SIGNAL_KEYRING_FAILED], 0, error);
}

/* ─── the address ──────────────────────────────────────────────────────── */

/**
 * lens_account_set_api_url:
 * @api_url: (nullable): the new address; empty or %NULL means AceData's own
 *
 * Switches to another API address, if it is one the token may travel to
 * (HTTPS, or plain HTTP to this computer). The old address's token is
 * dropped at once and the new address's own is brought from the keyring.
 *
 * Returns: %FALSE with @error (LENS_CLIENT_ERROR) when the address is refused
 */
gboolean
lens_account_set_api_url (LensAccount  *self,
                          const char   *api_url,
                          GError      **error)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (LENS_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (!self->url_fixed, FALSE);

  url = normalize_url (api_url);
  if (!lens_client_check_base_url (url, error))
    return FALSE;
  if (g_strcmp0 (self->api_url, url) == 0)
    return TRUE;

  g_free (self->api_url);
  self->api_url = g_steal_pointer (&url);

  if (!self->token_fixed)
    {
      self->token_generation++;
      set_token (self, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_URL]);

  if (!self->token_fixed)
    look_up_token (self, self->cancellable, address_lookup_cb, NULL);
  return TRUE;
}

/* ─── applying a token ─────────────────────────────────────────────────── */

static void
token_kept_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LensAccount *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean stored = GPOINTER_TO_INT (g_task_get_task_data (task));

  if (stored)
    lens_secrets_store_finish (result, &error);
  else
    lens_secrets_clear_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    note_keyring_answer (self, error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * lens_account_set_token_async:
 * @token: (nullable): the new token; empty or %NULL forgets it
 *
 * Uses @token from now on, for the current address, and keeps it in the
 * keyring (or removes it from there). The token is in use at once, whatever
 * the keyring does; the result says whether the keyring kept it.
 */
void
lens_account_set_token_async (LensAccount         *self,
                              const char          *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LENS_IS_ACCOUNT (self));
  g_return_if_fail (!self->token_fixed);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_account_set_token_async);

  self->token_generation++;
  set_token (self, token);
  set_token_known (self);

  g_task_set_task_data (task, GINT_TO_POINTER (self->token != NULL), NULL);
  if (self->token != NULL)
    lens_secrets_store_async (self->api_url, self->token, cancellable, token_kept_cb,
                              g_steal_pointer (&task));
  else
    lens_secrets_clear_async (self->api_url, cancellable, token_kept_cb, g_steal_pointer (&task));
}

gboolean
lens_account_set_token_finish (LensAccount   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ─── checking a token ─────────────────────────────────────────────────── */

static void
check_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(GError) error = NULL;

  /* A random id is unknown to the server: a good token gets {} back. */
  if (lens_client_retrieve_finish (LENS_CLIENT (source_object), result, &record, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * lens_account_check_token_async:
 * @token: the token to try, which need not be the one in use
 *
 * Asks the current address whether it accepts @token, with one request and
 * no retries, so that the answer comes at once. Nothing changes here.
 */
void
lens_account_check_token_async (LensAccount         *self,
                                const char          *token,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(LensClient) checker = NULL;
  g_autofree char *id = g_uuid_string_random ();

  g_return_if_fail (LENS_IS_ACCOUNT (self));
  g_return_if_fail (token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_account_check_token_async);

  checker = lens_client_new (self->session, self->api_url, token);
  lens_client_set_retry_policy (checker, 0, 0);
  lens_client_retrieve_async (checker, id, LENS_REQUEST_PRIORITY_USER, cancellable, check_cb, g_steal_pointer (&task));
}

gboolean
lens_account_check_token_finish (LensAccount   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_account_dispose (GObject *object)
{
  LensAccount *self = LENS_ACCOUNT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lens_account_parent_class)->dispose (object);
}

static void
lens_account_finalize (GObject *object)
{
  LensAccount *self = LENS_ACCOUNT (object);

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_free (self->api_url);
  g_free (self->keyring_problem);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lens_account_parent_class)->finalize (object);
}

static void
lens_account_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LensAccount *self = LENS_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_HAS_TOKEN:
      g_value_set_boolean (value, self->token != NULL);
      break;
    case PROP_URL_FIXED:
      g_value_set_boolean (value, self->url_fixed);
      break;
    case PROP_TOKEN_FIXED:
      g_value_set_boolean (value, self->token_fixed);
      break;
    case PROP_TOKEN_KNOWN:
      g_value_set_boolean (value, self->token_known);
      break;
    case PROP_KEYRING_PROBLEM:
      g_value_set_string (value, self->keyring_problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_account_class_init (LensAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = lens_account_dispose;
  object_class->finalize = lens_account_finalize;
  object_class->get_property = lens_account_get_property;

  properties[PROP_API_URL] = g_param_spec_string ("api-url", NULL, NULL, NULL, flags);
  /* Readable so that the client can follow it; never logged or shown. */
  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL, flags);
  properties[PROP_HAS_TOKEN] = g_param_spec_boolean ("has-token", NULL, NULL, FALSE, flags);
  properties[PROP_URL_FIXED] = g_param_spec_boolean ("url-fixed", NULL, NULL, FALSE, flags);
  properties[PROP_TOKEN_FIXED] = g_param_spec_boolean ("token-fixed", NULL, NULL, FALSE, flags);
  properties[PROP_TOKEN_KNOWN] = g_param_spec_boolean ("token-known", NULL, NULL, FALSE, flags);
  properties[PROP_KEYRING_PROBLEM] = g_param_spec_string ("keyring-problem", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensAccount::keyring-failed:
   * @error: what the keyring said
   *
   * A look-up that the account started by itself (after the address
   * changed) failed for another reason than a missing keyring.
   */
  signals[SIGNAL_KEYRING_FAILED] =
    g_signal_new ("keyring-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
lens_account_init (LensAccount *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * lens_account_new:
 * @session: the app's session, for checking tokens
 * @api_url: (nullable): the address; empty or %NULL means AceData's own
 * @url_fixed: the environment set @api_url: it cannot be changed
 * @token_override: (nullable): a token from the environment, which wins
 *   over the keyring and cannot be changed
 */
LensAccount *
lens_account_new (SoupSession *session,
                  const char  *api_url,
                  gboolean     url_fixed,
                  const char  *token_override)
{
  LensAccount *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = g_object_new (LENS_TYPE_ACCOUNT, NULL);
  self->session = g_object_ref (session);
  self->api_url = normalize_url (api_url);
  self->url_fixed = url_fixed;
  if (token_override != NULL && *token_override != '\0')
    {
      self->token = g_strstrip (g_strdup (token_override));
      self->token_fixed = TRUE;
      self->token_known = TRUE;
    }
  return self;
}

const char *
lens_account_get_api_url (LensAccount *self)
{
  g_return_val_if_fail (LENS_IS_ACCOUNT (self), NULL);
  return self->api_url;
}

/**
 * lens_account_get_token:
 *
 * Returns: (nullable): the token in use: a secret, for the client only
 */
const char *
lens_account_get_token (LensAccount *self)
{
  g_return_val_if_fail (LENS_IS_ACCOUNT (self), NULL);
  return self->token;
}

gboolean
lens_account_get_has_token (LensAccount *self)
{
  g_return_val_if_fail (LENS_IS_ACCOUNT (self), FALSE);
  return self->token != NULL;
}

gboolean
lens_account_get_url_fixed (LensAccount *self)
{
  g_return_val_if_fail (LENS_IS_ACCOUNT (self), FALSE);
  return self->url_fixed;
}

gboolean
lens_account_get_token_fixed (LensAccount *self)
{
  g_return_val_if_fail (LENS_IS_ACCOUNT (self), FALSE);
  return self->token_fixed;
}

gboolean
lens_account_get_token_known (LensAccount *self)
{
  g_return_val_if_fail (LENS_IS_ACCOUNT (self), FALSE);
  return self->token_known;
}

/**
 * lens_account_get_keyring_problem:
 *
 * Returns: (nullable): why the token cannot be kept (no keyring), in words
 *   for the user, or %NULL when the keyring works
 */
const char *
lens_account_get_keyring_problem (LensAccount *self)
{
  g_return_val_if_fail (LENS_IS_ACCOUNT (self), NULL);
  return self->keyring_problem;
}
