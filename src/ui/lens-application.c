/* lens-application.c — the Tasklens application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns what the whole app shares — one SoupSession, one LensClient, one
 * LensTaskList with its history in SQLite, the refresher that keeps it up to
 * date, the image loader and the downloader — and the app actions:
 * app.add-ids (which scripts and tests can call over D-Bus),
 * app.preferences, app.about and app.quit.
 *
 * Start-up does no I/O on the main thread: the history loads in the store's
 * worker and the token comes from the keyring asynchronously. Ids that
 * arrive meanwhile (command line, D-Bus) wait until the history is loaded,
 * so that the list keeps its order.
 */

#define G_LOG_DOMAIN "lens-application"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-application.h"
#include "lens-http.h"
#include "lens-id-parser.h"
#include "lens-notifier.h"
#include "lens-preferences-dialog.h"
#include "lens-secrets.h"
#include "lens-task-store.h"
#include "lens-window.h"

struct _LensApplication
{
  AdwApplication   parent_instance;

  GSettings       *settings;      /* owned */
  SoupSession     *session;       /* owned */
  LensClient      *client;        /* owned */
  LensTaskList    *tasks;         /* owned */
  LensRefresher   *refresher;     /* owned */
  LensImageLoader *image_loader;  /* owned */
  LensDownloader  *downloader;    /* owned */
  LensTaskStore   *store;         /* owned */
  LensHistory     *history;       /* owned, nullable: until loaded, or without history */
  LensNotifier    *notifier;      /* owned */
  GCancellable    *cancellable;   /* owned: cancelled on shutdown */

  gboolean         loading;
  gint64           loading_since;   /* monotonic µs: for the start-up time */
  gboolean         token_known;
  GPtrArray       *pending_texts; /* of char*: ids that came while loading */
  GListStore      *pending_files; /* of GFile: files that came while loading */
  char            *startup_message; /* owned, nullable: said once the window exists */
};

G_DEFINE_FINAL_TYPE (LensApplication, lens_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_TOKEN_KNOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry options[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
  { NULL }
};

static LensWindow *
ensure_window (LensApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (lens_window_new (self));
      if (self->startup_message != NULL)
        lens_window_show_toast (LENS_WINDOW (window), self->startup_message);
      g_clear_pointer (&self->startup_message, g_free);
    }
  return LENS_WINDOW (window);
}

/* Says @message in the window, or once there is one. */
static void
tell_user (LensApplication *self,
           const char      *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    lens_window_show_toast (LENS_WINDOW (window), message);
  else
    {
      g_free (self->startup_message);
      self->startup_message = g_strdup (message);
    }
}

/* ─── bringing ids in ──────────────────────────────────────────────────── */

static void
add_text (LensApplication *self,
          const char      *text)
{
  if (self->loading)
    g_ptr_array_add (self->pending_texts, g_strdup (text));
  else
    lens_window_add_text (ensure_window (self), text, NULL);
}

static void
import_files (LensApplication *self,
              GListModel      *files)
{
  guint n_files = g_list_model_get_n_items (files);

  if (self->loading)
    {
      for (guint i = 0; i < n_files; i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          g_list_store_append (self->pending_files, file);
        }
      return;
    }
  lens_window_import_files (ensure_window (self), files);
}

/* Whether a command-line argument names a file rather than holding ids:
 * a URI (file managers pass file:// URIs), a path, or a name with the
 * ending of a file Tasklens imports. Decided from the text alone, so that
 * nothing touches the disk on the main thread. */
static gboolean
argument_is_file (const char *argument)
{
  static const char * const endings[] = {
    ".txt", ".csv", ".tsv", ".json", ".ndjson", ".jsonl", ".log", ".md",
  };
  g_autofree char *lower = NULL;

  if (lens_id_is_task_id (argument))
    return FALSE;
  if (g_uri_peek_scheme (argument) != NULL || g_path_is_absolute (argument)
      || g_str_has_prefix (argument, "./") || g_str_has_prefix (argument, "../"))
    return TRUE;

  lower = g_ascii_strdown (argument, -1);
  for (guint i = 0; i < G_N_ELEMENTS (endings); i++)
    if (g_str_has_suffix (lower, endings[i]) && strpbrk (argument, " \t\n") == NULL)
      return TRUE;
  return FALSE;
}

/* `tasklens [ID…|FILE…]`: ids are added and files imported, in the running
 * instance when there is one (GApplication forwards the command line). */
static int
lens_application_command_line (GApplication            *application,
                               GApplicationCommandLine *command_line)
{
  LensApplication *self = LENS_APPLICATION (application);
  g_auto(GStrv) arguments = g_application_command_line_get_arguments (command_line, NULL);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 1; arguments[i] != NULL; i++)
    {
      if (argument_is_file (arguments[i]))
        {
          g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line,
                                                                                 arguments[i]);
          g_list_store_append (files, file);
        }
      else
        g_string_append_printf (text, "%s\n", arguments[i]);
    }

  gtk_window_present (GTK_WINDOW (ensure_window (self)));
  if (text->len > 0)
    add_text (self, text->str);
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) > 0)
    import_files (self, G_LIST_MODEL (files));

  return 0;
}

static int
lens_application_handle_local_options (GApplication *application,
                                       GVariantDict *options_dict)
{
  if (g_variant_dict_contains (options_dict, "version"))
    {
      g_print ("%s %s\n", _("Tasklens"), PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static void
lens_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (ensure_window (LENS_APPLICATION (application))));
}

/* ─── history ──────────────────────────────────────────────────────────── */

static void
history_write_failed_cb (LensApplication *self,
                         const GError    *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not save the task history: %s"), error->message);
  tell_user (self, message);
}

static void
store_loaded_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LensApplication) self = user_data;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery_message = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GListStore) files = NULL;

  tasks = lens_task_store_load_finish (LENS_TASK_STORE (source_object), result, &recovery_message, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (tasks != NULL)
    {
      lens_task_list_append_tasks (self->tasks, tasks);
      g_debug ("History loaded: %u tasks, %.0f ms after start-up began", tasks->len,
               (g_get_monotonic_time () - self->loading_since) / 1000.0);
      /* Made after loading, so that the loaded tasks are not written back. */
      self->history = lens_history_new (self->store, self->tasks);
      g_signal_connect_object (self->history, "write-failed", G_CALLBACK (history_write_failed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Tasklens could not open its task history, so "
                                                    "tasks added now will not be remembered: %s"),
                                                  error->message);
      tell_user (self, message);
    }
  if (recovery_message != NULL)
    tell_user (self, recovery_message);

  self->loading = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  /* What came in while loading goes after the stored tasks, in order. */
  texts = g_steal_pointer (&self->pending_texts);
  self->pending_texts = g_ptr_array_new_with_free_func (g_free);
  files = g_steal_pointer (&self->pending_files);
  self->pending_files = g_list_store_new (G_TYPE_FILE);
  for (guint i = 0; i < texts->len; i++)
    add_text (self, g_ptr_array_index (texts, i));
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) > 0)
    import_files (self, G_LIST_MODEL (files));
}

static char *
store_path (void)
{
  const char *dir = g_getenv ("TASKLENS_DATA_DIR");

  /* Tests and scripts may keep a history of their own. */
  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, "tasks.db", NULL);
  return lens_task_store_default_path ();
}

/* ─── the token ────────────────────────────────────────────────────────── */

static void
set_token_known (LensApplication *self)
{
  if (self->token_known)
    return;
  self->token_known = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_KNOWN]);
}

static void
token_found_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LensApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = lens_secrets_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A token applied in Preferences meanwhile wins. */
  if (token != NULL && !lens_client_has_token (self->client))
    lens_client_set_token (self->client, token);
  else if (error != NULL && g_error_matches (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED))
    tell_user (self, error->message);

  set_token_known (self);
}

/* ACEDATA_API_TOKEN wins; otherwise the keyring has the token for the API
 * URL in use. */
static void
look_up_token (LensApplication *self)
{
  const char *env_token = g_getenv ("ACEDATA_API_TOKEN");

  if (env_token != NULL && *env_token != '\0')
    {
      lens_client_set_token (self->client, env_token);
      set_token_known (self);
      return;
    }

  lens_secrets_lookup_async (lens_client_get_base_url (self->client), self->cancellable,
                             token_found_cb, g_object_ref (self));
}

/* ─── start and end ────────────────────────────────────────────────────── */

static char *
image_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "tasklens", "images", NULL);
}

static void
batch_size_changed_cb (LensApplication *self)
{
  lens_client_set_chunk_size (self->client,
                              (guint) CLAMP (g_settings_get_int (self->settings, "batch-size"), 1, 100));
}

static void
polling_changed_cb (LensApplication *self)
{
  lens_refresher_set_polling_enabled (self->refresher,
                                      g_settings_get_boolean (self->settings, "polling-enabled"));
}

static void
lens_application_startup (GApplication *application)
{
  LensApplication *self = LENS_APPLICATION (application);
  const char *env_url = g_getenv ("TASKLENS_API_URL");
  g_autofree char *api_url = NULL;
  g_autofree char *cache_dir = image_cache_dir ();
  g_autofree char *path = store_path ();
  g_autoptr(LensImageFetcher) image_fetcher = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (lens_application_parent_class)->startup (application);

  self->settings = g_settings_new ("io.github.tasklens.Tasklens");
  api_url = (env_url != NULL && *env_url != '\0') ? g_strdup (env_url)
                                                   : g_settings_get_string (self->settings, "api-url");

  self->session = lens_http_create_session ();
  self->client = lens_client_new (self->session, api_url, NULL);
  self->tasks = lens_task_list_new ();
  self->refresher = lens_refresher_new (self->client, self->tasks, NULL);
  image_fetcher = lens_image_fetcher_new (self->session, cache_dir);
  self->image_loader = lens_image_loader_new (image_fetcher);
  self->downloader = lens_downloader_new (self->session);
  self->notifier = lens_notifier_new (GTK_APPLICATION (self), self->refresher);

  g_signal_connect_object (self->settings, "changed::batch-size", G_CALLBACK (batch_size_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::polling-enabled", G_CALLBACK (polling_changed_cb),
                           self, G_CONNECT_SWAPPED);
  batch_size_changed_cb (self);
  polling_changed_cb (self);

  look_up_token (self);

  self->loading = TRUE;
  self->loading_since = g_get_monotonic_time ();
  self->store = lens_task_store_new (path);
  lens_task_store_load_async (self->store, self->cancellable, store_loaded_cb, g_object_ref (self));

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  /* The icon comes from the resources (icons/ under the resource base
   * path), so that it shows when running uninstalled too. */
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
lens_application_shutdown (GApplication *application)
{
  LensApplication *self = LENS_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  /* Stop asking the server before the windows go, then save what is left. */
  if (self->refresher != NULL)
    g_object_run_dispose (G_OBJECT (self->refresher));
  if (self->history != NULL)
    lens_history_flush (self->history);
  if (self->image_loader != NULL)
    lens_image_loader_flush (self->image_loader);

  G_APPLICATION_CLASS (lens_application_parent_class)->shutdown (application);
}

static void
lens_application_dispose (GObject *object)
{
  LensApplication *self = LENS_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->notifier);
  g_clear_object (&self->history);
  g_clear_object (&self->store);
  g_clear_object (&self->refresher);
  g_clear_object (&self->downloader);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->tasks);
  g_clear_object (&self->client);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_texts, g_ptr_array_unref);
  g_clear_object (&self->pending_files);
  g_clear_pointer (&self->startup_message, g_free);

  G_OBJECT_CLASS (lens_application_parent_class)->dispose (object);
}

/* ─── actions ──────────────────────────────────────────────────────────── */

static void
add_ids_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);

  gtk_window_present (GTK_WINDOW (ensure_window (self)));
  add_text (self, g_variant_get_string (parameter, NULL));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);
  AdwDialog *dialog = ADW_DIALOG (lens_preferences_dialog_new (self->client, self->settings));

  adw_dialog_present (dialog, GTK_WIDGET (ensure_window (self)));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);
  AdwDialog *dialog = adw_about_dialog_new ();
  const char *developers[] = { _("The Tasklens developers"), NULL };

  adw_about_dialog_set_application_name (ADW_ABOUT_DIALOG (dialog), _("Tasklens"));
  adw_about_dialog_set_application_icon (ADW_ABOUT_DIALOG (dialog), APPLICATION_ID);
  adw_about_dialog_set_version (ADW_ABOUT_DIALOG (dialog), PACKAGE_VERSION);
  adw_about_dialog_set_developer_name (ADW_ABOUT_DIALOG (dialog), _("The Tasklens developers"));
  adw_about_dialog_set_developers (ADW_ABOUT_DIALOG (dialog), developers);
  adw_about_dialog_set_license_type (ADW_ABOUT_DIALOG (dialog), GTK_LICENSE_GPL_3_0);
  adw_about_dialog_set_website (ADW_ABOUT_DIALOG (dialog), "https://github.com/tasklens/tasklens");
  adw_about_dialog_set_issue_url (ADW_ABOUT_DIALOG (dialog), "https://github.com/tasklens/tasklens/issues");
  adw_about_dialog_set_comments (ADW_ABOUT_DIALOG (dialog),
                                 _("Look up Midjourney tasks made through the AceData Cloud API, "
                                   "follow the running ones, and keep their images."));
  /* Translators: put your names here, one per line */
  adw_about_dialog_set_translator_credits (ADW_ABOUT_DIALOG (dialog), _("translator-credits"));
  adw_about_dialog_set_copyright (ADW_ABOUT_DIALOG (dialog), _("© 2026 The Tasklens developers"));
  adw_dialog_present (dialog, GTK_WIDGET (ensure_window (self)));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_application_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LensApplication *self = LENS_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_TOKEN_KNOWN:
      g_value_set_boolean (value, self->token_known);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_application_class_init (LensApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lens_application_dispose;
  object_class->get_property = lens_application_get_property;
  app_class->activate = lens_application_activate;
  app_class->startup = lens_application_startup;
  app_class->shutdown = lens_application_shutdown;
  app_class->command_line = lens_application_command_line;
  app_class->handle_local_options = lens_application_handle_local_options;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOKEN_KNOWN] =
    g_param_spec_boolean ("token-known", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_application_init (LensApplication *self)
{
  static const GActionEntry app_actions[] = {
    { .name = "add-ids", .activate = add_ids_activated, .parameter_type = "s" },
    { .name = "preferences", .activate = preferences_activated },
    { .name = "about", .activate = about_activated },
    { .name = "quit", .activate = quit_activated },
  };

  self->cancellable = g_cancellable_new ();
  self->pending_texts = g_ptr_array_new_with_free_func (g_free);
  self->pending_files = g_list_store_new (G_TYPE_FILE);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[ID…|FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Look up Midjourney tasks made through the AceData Cloud API."));
  g_application_set_option_context_description (G_APPLICATION (self),
    _("Task IDs are added and files (text, CSV, JSON, logs) are imported, into the running "
      "Tasklens if there is one. IDs are found in any text: lists, links, log lines, API "
      "responses.\n\n"
      "Environment:\n"
      "  ACEDATA_API_TOKEN   the AceData API token (instead of the one in the keyring)\n"
      "  TASKLENS_API_URL    another API address, such as a proxy"));
}

/**
 * lens_application_new:
 * @extra_flags: added to G_APPLICATION_HANDLES_COMMAND_LINE; tests pass
 *   G_APPLICATION_NON_UNIQUE so that they never meet a running Tasklens
 */
LensApplication *
lens_application_new (const char        *application_id,
                      GApplicationFlags  extra_flags)
{
  return g_object_new (LENS_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | extra_flags,
                       "resource-base-path", "/io/github/tasklens/Tasklens",
                       NULL);
}

LensTaskList *
lens_application_get_task_list (LensApplication *self)
{
  g_return_val_if_fail (LENS_IS_APPLICATION (self), NULL);
  return self->tasks;
}

#define DEFINE_GETTER(Type, name)                                 \
  Type *                                                          \
  lens_application_get_##name (LensApplication *self)             \
  {                                                               \
    g_return_val_if_fail (LENS_IS_APPLICATION (self), NULL);      \
    return self->name;                                            \
  }

DEFINE_GETTER (LensClient, client)
DEFINE_GETTER (LensRefresher, refresher)
DEFINE_GETTER (LensImageLoader, image_loader)
DEFINE_GETTER (LensDownloader, downloader)
DEFINE_GETTER (LensHistory, history)
DEFINE_GETTER (GSettings, settings)

gboolean
lens_application_get_loading (LensApplication *self)
{
  g_return_val_if_fail (LENS_IS_APPLICATION (self), FALSE);
  return self->loading;
}

gboolean
lens_application_get_token_known (LensApplication *self)
{
  g_return_val_if_fail (LENS_IS_APPLICATION (self), FALSE);
  return self->token_known;
}
