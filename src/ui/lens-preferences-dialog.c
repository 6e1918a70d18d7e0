/* lens-preferences-dialog.c — the API token and address, and how tasks are followed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token and the address take effect on Apply, on the app's LensClient at
 * once: the token is kept in the keyring under the address it is for (or, with
 * no keyring, only in the client for this session), and changing the address
 * brings that address's own token from the keyring. Environment variables win
 * over both; the dialog then says so and offers nothing to edit. The other
 * preferences are GSettings keys, bound to their rows.
 */

#define G_LOG_DOMAIN "lens-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-preferences-dialog.h"
#include "lens-secrets.h"

struct _LensPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  AdwPreferencesGroup  *api_group;
  AdwSpinRow           *batch_row;
  GtkButton            *check_button;
  AdwActionRow         *check_row;
  AdwSpinner           *check_spinner;
  AdwSwitchRow         *polling_row;
  AdwPasswordEntryRow  *token_row;
  AdwEntryRow          *url_row;

  LensClient           *client;             /* owned: the app's */
  GSettings            *settings;           /* owned */
  GCancellable         *cancellable;        /* owned: the keyring look-up that fills the row */
  GCancellable         *check_cancellable;  /* owned, nullable: the check in progress */

  char                 *env_token;          /* owned, nullable: ACEDATA_API_TOKEN */
  gboolean              url_from_env;       /* TASKLENS_API_URL is set */
  char                 *keyring_problem;    /* owned, nullable: why nothing is kept */
  guint                 token_generation;   /* bumped whenever the user applies a token */
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensPreferencesDialog, lens_preferences_dialog, ADW_TYPE_PREFERENCES_DIALOG)

/* A keyring look-up for one API address. The one that follows an address
 * change outlives the dialog: closing the dialog right after Apply must not
 * leave the client without the new address's token. So it holds the client,
 * and the dialog only weakly. */
typedef struct
{
  GWeakRef    dialog;
  LensClient *client;        /* owned */
  char       *api_url;       /* owned: as the client has it */
  gboolean    set_on_client;
  guint       generation;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_weak_ref_clear (&lookup->dialog);
  g_clear_object (&lookup->client);
  g_free (lookup->api_url);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static const char *
nonempty_env (const char *name)
{
  const char *value = g_getenv (name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

/* The dialog, if it is still there: callbacks of keyring operations that
 * outlive it get NULL. */
static LensPreferencesDialog *
dialog_from_weak_ref (GWeakRef *ref)
{
  LensPreferencesDialog *self = g_weak_ref_get (ref);

  /* Disposed but not yet finalized: its rows are gone. */
  if (self != NULL && self->client == NULL)
    g_clear_object (&self);
  return self;
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GWeakRef, weak_ref_free)

static void
show_toast (LensPreferencesDialog *self,
            const char            *text)
{
  AdwToast *toast = adw_toast_new (text);

  /* Messages can quote a URL the user typed or a server's words. */
  adw_toast_set_use_markup (toast, FALSE);
  adw_toast_set_timeout (toast, 5);
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self), toast);
}

static void
update_description (LensPreferencesDialog *self)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_autofree char *description = NULL;

  if (self->env_token != NULL)
    g_ptr_array_add (lines, _("The token comes from the ACEDATA_API_TOKEN environment variable"));
  if (self->url_from_env)
    g_ptr_array_add (lines, _("The API address comes from the TASKLENS_API_URL environment "
                              "variable"));
  if (self->env_token == NULL && self->keyring_problem != NULL)
    g_ptr_array_add (lines, self->keyring_problem);
  if (lines->len == 0)
    g_ptr_array_add (lines, _("The token is kept in your keyring, one for each API address"));
  g_ptr_array_add (lines, NULL);

  description = g_strjoinv ("\n", (char **) lines->pdata);
  adw_preferences_group_set_description (self->api_group, description);
}

static void
set_keyring_problem (LensPreferencesDialog *self,
                     const char            *problem)
{
  if (g_strcmp0 (self->keyring_problem, problem) == 0)
    return;
  g_free (self->keyring_problem);
  self->keyring_problem = g_strdup (problem);
  update_description (self);
}

/* What the keyring said, told to the user: a missing keyring stays in the
 * group's description, as it holds for the whole session; other failures are
 * one-off toasts. */
static void
report_keyring_error (LensPreferencesDialog *self,
                      const GError          *error)
{
  if (g_error_matches (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_NO_KEYRING))
    set_keyring_problem (self, error->message);
  else
    show_toast (self, error->message);
}

static char *
dup_token_to_check (LensPreferencesDialog *self)
{
  if (self->env_token != NULL)
    return g_strstrip (g_strdup (self->env_token));
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
}

static void
reset_check (LensPreferencesDialog *self)
{
  g_autofree char *token = dup_token_to_check (self);

  if (self->check_cancellable != NULL)
    {
      g_cancellable_cancel (self->check_cancellable);
      g_clear_object (&self->check_cancellable);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), *token != '\0');
  adw_action_row_set_subtitle (self->check_row,
                               _("Ask the server whether it accepts the token"));
}

static void
show_url_error (LensPreferencesDialog *self,
                const char            *message)
{
  gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_row), message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->url_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
  show_toast (self, message);
}

static void
clear_url_error (LensPreferencesDialog *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_row), NULL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->url_row),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* ─── the token from the keyring ───────────────────────────────────────── */

static void
lookup_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  g_autoptr(LensPreferencesDialog) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gboolean still_current;

  token = lens_secrets_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = dialog_from_weak_ref (&lookup->dialog);
  still_current = g_strcmp0 (lens_client_get_base_url (lookup->client), lookup->api_url) == 0;

  /* A token the user applied since, or another address, wins. */
  if (lookup->set_on_client && still_current && error == NULL &&
      (self == NULL || self->token_generation == lookup->generation))
    lens_client_set_token (lookup->client, token);

  if (self == NULL)
    return;
  if (error != NULL)
    {
      report_keyring_error (self, error);
      return;
    }
  set_keyring_problem (self, NULL);

  /* Fill the row unless the user has begun typing in it. */
  if (still_current && token != NULL && self->token_generation == lookup->generation &&
      *gtk_editable_get_text (GTK_EDITABLE (self->token_row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->token_row), token);
}

static void
look_up_token (LensPreferencesDialog *self,
               gboolean               set_on_client)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  g_weak_ref_init (&lookup->dialog, self);
  lookup->client = g_object_ref (self->client);
  lookup->api_url = g_strdup (lens_client_get_base_url (self->client));
  lookup->set_on_client = set_on_client;
  lookup->generation = self->token_generation;

  lens_secrets_lookup_async (lookup->api_url, set_on_client ? NULL : self->cancellable,
                             lookup_cb, lookup);
}

/* ─── applying the token ───────────────────────────────────────────────── */

/* What became of a token written to or removed from the keyring. */
static void
report_token_kept (GWeakRef     *ref,
                   const GError *error)
{
  g_autoptr(LensPreferencesDialog) self = dialog_from_weak_ref (ref);

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error == NULL)
    set_keyring_problem (self, NULL);
  else
    report_keyring_error (self, error);
}

static void
token_stored_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GWeakRef) ref = user_data;
  g_autoptr(GError) error = NULL;

  lens_secrets_store_finish (result, &error);
  report_token_kept (ref, error);
}

static void
token_cleared_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GWeakRef) ref = user_data;
  g_autoptr(GError) error = NULL;

  lens_secrets_clear_finish (result, &error);
  report_token_kept (ref, error);
}

static void
token_applied_cb (LensPreferencesDialog *self)
{
  g_autofree char *token = NULL;
  const char *api_url;

  if (self->env_token != NULL)
    return;

  token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  api_url = lens_client_get_base_url (self->client);
  self->token_generation++;

  /* The client first, so that the next request uses the new token whatever
   * the keyring does; the keyring write is not cancelled with the dialog. */
  if (*token == '\0')
    {
      lens_client_set_token (self->client, NULL);
      lens_secrets_clear_async (api_url, NULL, token_cleared_cb, weak_ref_new (self));
    }
  else
    {
      lens_client_set_token (self->client, token);
      lens_secrets_store_async (api_url, token, NULL, token_stored_cb, weak_ref_new (self));
    }
}

static void
token_changed_cb (LensPreferencesDialog *self)
{
  /* A result said about another token would mislead. */
  reset_check (self);
}

/* ─── checking the token ───────────────────────────────────────────────── */

static void
check_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  LensPreferencesDialog *self;
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(GError) error = NULL;
  const char *outcome;

  lens_client_retrieve_finish (LENS_CLIENT (source_object), result, &record, &error);
  /* Cancelled when the dialog went away or the token changed: nothing to
   * say, and the dialog may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LENS_PREFERENCES_DIALOG (user_data);
  g_clear_object (&self->check_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), TRUE);

  /* A random id is unknown to the server: a good token gets {} back. */
  if (error == NULL)
    outcome = _("The token works");
  else if (g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_UNAUTHORIZED))
    outcome = _("The token was rejected");
  else
    outcome = error->message;

  /* The row's accessible description follows its subtitle. (Not
   * gtk_accessible_announce(): GTK 4.18's test accessibility backend has no
   * announce and crashes.) */
  adw_action_row_set_subtitle (self->check_row, outcome);
}

static void
check_clicked_cb (LensPreferencesDialog *self)
{
  g_autofree char *token = dup_token_to_check (self);
  g_autofree char *id = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(LensClient) checker = NULL;

  if (*token == '\0')
    return;

  reset_check (self);
  self->check_cancellable = g_cancellable_new ();

  /* A client of its own, so that the app's keeps its token until Apply; on
   * the app's session and address. */
  g_object_get (self->client, "session", &session, NULL);
  checker = lens_client_new (session, lens_client_get_base_url (self->client), token);
  /* Say at once what went wrong rather than retry for half a minute. */
  lens_client_set_retry_policy (checker, 0, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), FALSE);
  adw_action_row_set_subtitle (self->check_row, _("Checking…"));

  id = g_uuid_string_random ();
  lens_client_retrieve_async (checker, id, self->check_cancellable, check_cb, self);
}

/* ─── the API address ──────────────────────────────────────────────────── */

static void
url_applied_cb (LensPreferencesDialog *self)
{
  g_autofree char *url = NULL;
  g_autofree char *old_url = NULL;
  g_autoptr(GError) error = NULL;

  if (self->url_from_env)
    return;

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));

  /* Emptying the row goes back to AceData's own address. */
  if (*url == '\0')
    {
      g_settings_reset (self->settings, "api-url");
      g_free (url);
      url = g_settings_get_string (self->settings, "api-url");
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
    }

  if (!lens_client_check_base_url (url, &error))
    {
      show_url_error (self, error->message);
      return;
    }

  clear_url_error (self);
  g_settings_set_string (self->settings, "api-url", url);

  old_url = g_strdup (lens_client_get_base_url (self->client));
  lens_client_set_base_url (self->client, url);
  if (g_strcmp0 (old_url, lens_client_get_base_url (self->client)) == 0)
    return;
  reset_check (self);

  if (self->env_token != NULL)
    return;

  /* The old address's token must not go to the new one, even for the moment
   * the keyring takes to answer. */
  lens_client_set_token (self->client, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  look_up_token (self, TRUE);
}

static void
url_changed_cb (LensPreferencesDialog *self)
{
  clear_url_error (self);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_preferences_dialog_constructed (GObject *object)
{
  LensPreferencesDialog *self = LENS_PREFERENCES_DIALOG (object);
  const char *env_url = nonempty_env ("TASKLENS_API_URL");
  g_autofree char *url = NULL;

  G_OBJECT_CLASS (lens_preferences_dialog_parent_class)->constructed (object);

  g_assert (LENS_IS_CLIENT (self->client));
  g_assert (G_IS_SETTINGS (self->settings));

  self->env_token = g_strdup (nonempty_env ("ACEDATA_API_TOKEN"));
  self->url_from_env = env_url != NULL;

  url = env_url != NULL ? g_strdup (env_url) : g_settings_get_string (self->settings, "api-url");
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !self->url_from_env);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), self->env_token == NULL);
  update_description (self);
  reset_check (self);

  g_settings_bind (self->settings, "polling-enabled", self->polling_row, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "batch-size", self->batch_row, "value",
                   G_SETTINGS_BIND_DEFAULT);

  if (self->env_token == NULL)
    look_up_token (self, FALSE);
}

static void
lens_preferences_dialog_dispose (GObject *object)
{
  LensPreferencesDialog *self = LENS_PREFERENCES_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lens_preferences_dialog_parent_class)->dispose (object);
}

static void
lens_preferences_dialog_finalize (GObject *object)
{
  LensPreferencesDialog *self = LENS_PREFERENCES_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->env_token, g_free);
  g_clear_pointer (&self->keyring_problem, g_free);

  G_OBJECT_CLASS (lens_preferences_dialog_parent_class)->finalize (object);
}

static void
lens_preferences_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  LensPreferencesDialog *self = LENS_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_preferences_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  LensPreferencesDialog *self = LENS_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_preferences_dialog_class_init (LensPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lens_preferences_dialog_constructed;
  object_class->dispose = lens_preferences_dialog_dispose;
  object_class->finalize = lens_preferences_dialog_finalize;
  object_class->get_property = lens_preferences_dialog_get_property;
  object_class->set_property = lens_preferences_dialog_set_property;

  /**
   * LensPreferencesDialog:client:
   *
   * The app's client: the token and address are applied to it.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, LENS_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LensPreferencesDialog:settings:
   *
   * The app's settings (schema io.github.tasklens.Tasklens).
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, api_group);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, batch_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, check_button);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, check_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, polling_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, url_row);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_changed_cb);
}

static void
lens_preferences_dialog_init (LensPreferencesDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * lens_preferences_dialog_new:
 * @client: the app's client, which the token and address are applied to
 * @settings: the app's settings
 *
 * Returns: (transfer floating): a new dialog, to present with adw_dialog_present()
 */
LensPreferencesDialog *
lens_preferences_dialog_new (LensClient *client,
                             GSettings  *settings)
{
  g_return_val_if_fail (LENS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (LENS_TYPE_PREFERENCES_DIALOG,
                       "client", client,
                       "settings", settings,
                       NULL);
}
