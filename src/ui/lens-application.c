/* lens-application.c — the Tasklens application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns what the whole app shares — one SoupSession, one LensClient, one
 * LensTaskList, the refresher that keeps it up to date, the image loader and
 * the downloader — and the app actions: app.add-ids (which scripts and tests
 * can call over D-Bus), app.preferences, app.about and app.quit.
 */

#define G_LOG_DOMAIN "lens-application"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "lens-application.h"
#include "lens-id-parser.h"
#include "lens-window.h"

struct _LensApplication
{
  AdwApplication   parent_instance;

  SoupSession     *session;       /* owned */
  LensClient      *client;        /* owned */
  LensTaskList    *tasks;         /* owned */
  LensRefresher   *refresher;     /* owned */
  LensImageLoader *image_loader;  /* owned */
  LensDownloader  *downloader;    /* owned */
};

G_DEFINE_FINAL_TYPE (LensApplication, lens_application, ADW_TYPE_APPLICATION)

static LensWindow *
ensure_window (LensApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (lens_window_new (self));
  return LENS_WINDOW (window);
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
  LensWindow *window = ensure_window (self);

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

  if (text->len > 0)
    lens_window_add_text (window, text->str, NULL);
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) > 0)
    lens_window_import_files (window, G_LIST_MODEL (files));

  gtk_window_present (GTK_WINDOW (window));
  return 0;
}

static void
lens_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (ensure_window (LENS_APPLICATION (application))));
}

static char *
image_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "tasklens", "images", NULL);
}

static void
lens_application_startup (GApplication *application)
{
  LensApplication *self = LENS_APPLICATION (application);
  g_autoptr(GSettings) settings = NULL;
  const char *env_url = g_getenv ("TASKLENS_API_URL");
  const char *env_token = g_getenv ("ACEDATA_API_TOKEN");
  g_autofree char *api_url = NULL;
  g_autofree char *cache_dir = image_cache_dir ();
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (lens_application_parent_class)->startup (application);

  settings = g_settings_new ("io.github.tasklens.Tasklens");
  api_url = (env_url != NULL && *env_url != '\0') ? g_strdup (env_url)
                                                   : g_settings_get_string (settings, "api-url");

  self->session = lens_client_create_session ();
  self->client = lens_client_new (self->session, api_url, env_token);
  self->tasks = lens_task_list_new ();
  self->refresher = lens_refresher_new (self->client, self->tasks);
  self->image_loader = lens_image_loader_new (self->session, cache_dir);
  self->downloader = lens_downloader_new (self->session);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  /* The icon comes from the resources (icons/ under the resource base
   * path), so that it shows when running uninstalled too. */
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
lens_application_shutdown (GApplication *application)
{
  LensApplication *self = LENS_APPLICATION (application);

  /* Stop asking the server before the windows go. */
  if (self->refresher != NULL)
    g_object_run_dispose (G_OBJECT (self->refresher));
  if (self->image_loader != NULL)
    lens_image_loader_flush (self->image_loader);

  G_APPLICATION_CLASS (lens_application_parent_class)->shutdown (application);
}

static void
lens_application_dispose (GObject *object)
{
  LensApplication *self = LENS_APPLICATION (object);

  g_clear_object (&self->refresher);
  g_clear_object (&self->downloader);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->tasks);
  g_clear_object (&self->client);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lens_application_parent_class)->dispose (object);
}

static void
add_ids_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);
  LensWindow *window = ensure_window (self);

  lens_window_add_text (window, g_variant_get_string (parameter, NULL), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);
  AdwDialog *dialog;

  /* Until the preferences dialog exists, say how the token is set. */
  dialog = adw_alert_dialog_new (_("Preferences"),
                                 _("For now, Tasklens reads your AceData API token from the "
                                   "ACEDATA_API_TOKEN environment variable, and another API "
                                   "address from TASKLENS_API_URL. A preferences dialog that "
                                   "keeps the token in your keyring is coming."));
  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "close", _("_Close"));
  adw_dialog_present (dialog, GTK_WIDGET (ensure_window (self)));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);
  AdwDialog *dialog = adw_about_dialog_new ();
  const char *developers[] = { "The Tasklens developers", NULL };

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
  adw_about_dialog_set_copyright (ADW_ABOUT_DIALOG (dialog), "© 2026 The Tasklens developers");
  adw_dialog_present (dialog, GTK_WIDGET (ensure_window (self)));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
lens_application_class_init (LensApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lens_application_dispose;
  app_class->activate = lens_application_activate;
  app_class->startup = lens_application_startup;
  app_class->shutdown = lens_application_shutdown;
  app_class->command_line = lens_application_command_line;
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

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
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

#define DEFINE_GETTER(Type, name)                                 \
  Type *                                                          \
  lens_application_get_##name (LensApplication *self)             \
  {                                                               \
    g_return_val_if_fail (LENS_IS_APPLICATION (self), NULL);      \
    return self->name;                                            \
  }

LensTaskList *
lens_application_get_task_list (LensApplication *self)
{
  g_return_val_if_fail (LENS_IS_APPLICATION (self), NULL);
  return self->tasks;
}

DEFINE_GETTER (LensClient, client)
DEFINE_GETTER (LensRefresher, refresher)
DEFINE_GETTER (LensImageLoader, image_loader)
DEFINE_GETTER (LensDownloader, downloader)
