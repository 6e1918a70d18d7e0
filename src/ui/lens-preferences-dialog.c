/* lens-preferences-dialog.c — the API token and address, and how tasks are followed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A view of the app's LensAccount: the token and the address take effect on
 * Apply, through the account, which keeps the token in the keyring under the
 * address it is for and brings another address's own token when the address
 * changes. Environment variables win over both; the dialog then says so and
 * offers nothing to edit. The other preferences are GSettings keys, bound to
 * their rows.
 */

#define G_LOG_DOMAIN "lens-preferences-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-client.h"
#include "lens-file-names-group.h"
#include "lens-preferences-dialog.h"
#include "lens-secrets.h"

struct _LensPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  AdwPreferencesGroup  *api_group;
  AdwSpinRow           *batch_row;
  LensFileNamesGroup   *file_names_group;
  GtkButton            *check_button;
  AdwActionRow         *check_row;
  AdwSpinner           *check_spinner;
  AdwSwitchRow         *polling_row;
  AdwSpinRow           *rate_row;
  AdwSwitchRow         *sync_row;
  AdwPasswordEntryRow  *token_row;
  AdwEntryRow          *url_row;

  LensAccount          *account;            /* owned: the app's */
  GSettings            *settings;           /* owned */
  GCancellable         *check_cancellable;  /* owned, nullable: the check in progress */
  gboolean              token_edited;       /* the user typed since the row was filled */
};

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensPreferencesDialog, lens_preferences_dialog, ADW_TYPE_PREFERENCES_DIALOG)

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
  gboolean token_fixed = lens_account_get_token_fixed (self->account);
  const char *keyring_problem = lens_account_get_keyring_problem (self->account);

  if (token_fixed)
    g_ptr_array_add (lines, _("The token comes from the ACEDATA_API_TOKEN environment variable"));
  if (lens_account_get_url_fixed (self->account))
    g_ptr_array_add (lines, _("The API address comes from the TASKLENS_API_URL environment "
                              "variable"));
  if (!token_fixed && keyring_problem != NULL)
    g_ptr_array_add (lines, (char *) keyring_problem);
  if (lines->len == 0)
    g_ptr_array_add (lines, _("The token is kept in your keyring, one for each API address"));
  g_ptr_array_add (lines, NULL);

  description = g_strjoinv ("\n", (char **) lines->pdata);
  adw_preferences_group_set_description (self->api_group, description);
}

/* What the keyring said, told to the user: a missing keyring stays in the
 * group's description (the account's keyring-problem), as it holds for the
 * whole session; other failures are one-off toasts. */
static void
report_keyring_error (LensPreferencesDialog *self,
                      const GError          *error)
{
  if (error != NULL && !g_error_matches (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_NO_KEYRING)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_toast (self, error->message);
}

/* The row shows the token in use, unless the user has begun typing. */
static void
fill_token_row (LensPreferencesDialog *self)
{
  const char *token = lens_account_get_token (self->account);

  if (lens_account_get_token_fixed (self->account) || self->token_edited)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token != NULL ? token : "");
  self->token_edited = FALSE;
}

static char *
dup_token_to_check (LensPreferencesDialog *self)
{
  if (lens_account_get_token_fixed (self->account))
    return g_strdup (lens_account_get_token (self->account));
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

/* ─── applying the token ───────────────────────────────────────────────── */

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GWeakRef, weak_ref_free)

static void
token_kept_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GWeakRef) ref = user_data;
  g_autoptr(LensPreferencesDialog) self = NULL;
  g_autoptr(GError) error = NULL;

  if (lens_account_set_token_finish (LENS_ACCOUNT (source_object), result, &error))
    return;

  /* The keyring write is not cancelled with the dialog: it may be gone, or
   * disposed but not yet finalized (its rows gone). */
  self = g_weak_ref_get (ref);
  if (self != NULL && self->account != NULL)
    report_keyring_error (self, error);
}

static void
token_applied_cb (LensPreferencesDialog *self)
{
  g_autofree char *token = NULL;
  GWeakRef *ref;

  if (lens_account_get_token_fixed (self->account))
    return;

  token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  self->token_edited = FALSE;
  /* The account uses the token at once, whatever the keyring does. */
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  lens_account_set_token_async (self->account, token, NULL, token_kept_cb, ref);
}

static void
token_changed_cb (LensPreferencesDialog *self)
{
  self->token_edited = TRUE;
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
  g_autoptr(GError) error = NULL;
  const char *outcome;

  lens_account_check_token_finish (LENS_ACCOUNT (source_object), result, &error);
  /* Cancelled when the dialog went away or the token changed: nothing to
   * say, and the dialog may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LENS_PREFERENCES_DIALOG (user_data);
  g_clear_object (&self->check_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), TRUE);

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

  if (*token == '\0')
    return;

  reset_check (self);
  self->check_cancellable = g_cancellable_new ();

  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), FALSE);
  adw_action_row_set_subtitle (self->check_row, _("Checking…"));

  /* The token typed, not yet applied: the account's own stays until Apply. */
  lens_account_check_token_async (self->account, token, self->check_cancellable, check_cb, self);
}

/* ─── the API address ──────────────────────────────────────────────────── */

static void
url_applied_cb (LensPreferencesDialog *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  if (lens_account_get_url_fixed (self->account))
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

  if (!lens_account_set_api_url (self->account, url, &error))
    {
      show_url_error (self, error->message);
      return;
    }
  clear_url_error (self);
  /* As typed: the account keeps it normalized. */
  g_settings_set_string (self->settings, "api-url", url);
}

/* Another address has a token of its own (or none): what the row showed
 * is no longer the one in use. */
static void
api_url_changed_cb (LensPreferencesDialog *self)
{
  self->token_edited = FALSE;
  reset_check (self);
  fill_token_row (self);
}

static void
url_changed_cb (LensPreferencesDialog *self)
{
  clear_url_error (self);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

/* No ceiling (0) reads "Automatic": the pace is learnt. */
static gboolean
rate_output_cb (AdwSpinRow *row)
{
  double value = adw_spin_row_get_value (row);
  g_autofree char *text = NULL;

  if (value <= 0)
    text = g_strdup (_("Automatic"));
  else
    text = g_strdup_printf ("%.1f", value);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  return TRUE;
}

static void
lens_preferences_dialog_constructed (GObject *object)
{
  LensPreferencesDialog *self = LENS_PREFERENCES_DIALOG (object);

  G_OBJECT_CLASS (lens_preferences_dialog_parent_class)->constructed (object);

  g_assert (LENS_IS_ACCOUNT (self->account));
  g_assert (G_IS_SETTINGS (self->settings));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), lens_account_get_api_url (self->account));
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !lens_account_get_url_fixed (self->account));
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !lens_account_get_token_fixed (self->account));
  fill_token_row (self);
  update_description (self);
  reset_check (self);

  g_signal_connect_object (self->account, "notify::token", G_CALLBACK (fill_token_row), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::api-url", G_CALLBACK (api_url_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::keyring-problem", G_CALLBACK (update_description),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "keyring-failed", G_CALLBACK (report_keyring_error), self,
                           G_CONNECT_SWAPPED);

  g_settings_bind (self->settings, "polling-enabled", self->polling_row, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "keep-in-sync", self->sync_row, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "batch-size", self->batch_row, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-requests-per-second", self->rate_row, "value",
                   G_SETTINGS_BIND_DEFAULT);
  /* The value may not have changed: show it as rate_output_cb() says. */
  rate_output_cb (self->rate_row);
  lens_file_names_group_set_settings (self->file_names_group, self->settings);
}

static void
lens_preferences_dialog_dispose (GObject *object)
{
  LensPreferencesDialog *self = LENS_PREFERENCES_DIALOG (object);

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->account);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lens_preferences_dialog_parent_class)->dispose (object);
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
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
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
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
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
  object_class->get_property = lens_preferences_dialog_get_property;
  object_class->set_property = lens_preferences_dialog_set_property;

  /**
   * LensPreferencesDialog:account:
   *
   * The app's account: the token and address are applied to it.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, LENS_TYPE_ACCOUNT,
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

  g_type_ensure (LENS_TYPE_FILE_NAMES_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, api_group);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, batch_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, check_button);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, check_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, polling_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, rate_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, sync_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, LensPreferencesDialog, file_names_group);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, rate_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_changed_cb);
}

static void
lens_preferences_dialog_init (LensPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * lens_preferences_dialog_new:
 * @account: the app's account, which the token and address are applied to
 * @settings: the app's settings
 *
 * Returns: (transfer floating): a new dialog, to present with adw_dialog_present()
 */
LensPreferencesDialog *
lens_preferences_dialog_new (LensAccount *account,
                             GSettings   *settings)
{
  g_return_val_if_fail (LENS_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (LENS_TYPE_PREFERENCES_DIALOG,
                       "account", account,
                       "settings", settings,
                       NULL);
}
