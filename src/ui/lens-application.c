/* lens-application.c — the Tasklens application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns the environment and the settings into a LensContextConfig, owns the
 * LensContext built from it (everything the app shares lives there), and
 * keeps the GApplication parts: the command line, the windows, desktop
 * notifications and the app actions — app.add-ids and app.sync (which
 * scripts and tests can call over D-Bus), app.sync-cancel,
 * app.preferences, app.about and app.quit.
 */

#define G_LOG_DOMAIN "lens-application"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "lens-application.h"
#include "lens-grid-crop.h"
#include "lens-id-parser.h"
#include "lens-image-url.h"
#include "lens-notifier.h"
#include "lens-preferences-dialog.h"
#include "lens-renderer-choice.h"
#include "lens-save-all.h"
#include "lens-window.h"

struct _LensApplication
{
  AdwApplication   parent_instance;

  GSettings       *settings;      /* owned */
  LensContext     *context;       /* owned: from startup on */
  LensNotifier    *notifier;      /* owned */
  char            *env_token;     /* owned, nullable: from the environment, until startup */
};

G_DEFINE_FINAL_TYPE (LensApplication, lens_application, ADW_TYPE_APPLICATION)

static const GOptionEntry options[] = {
  { "sync", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Bring in the tasks the API token made, in the running Tasklens if there is one"), NULL },
  { "save-all", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Save the image of every finished task into FOLDER, skipping those already there; "
       "return when done"), N_("FOLDER") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
  { NULL }
};

static GtkWindow *
ensure_window (LensApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (lens_window_new (GTK_APPLICATION (self), self->context));
  return window;
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

/* ─── --save-all ──────────────────────────────────────────────────────── */

/* The invoking `tasklens` waits until its command line is released: it
 * is, once the save is over and said. */
static void
command_line_saved_cb (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GApplicationCommandLine) command_line = user_data;
  GApplication *application = g_application_get_default ();
  g_autoptr(LensSaveJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  job = lens_save_all_finish (result, &error);
  if (job == NULL)
    {
      g_application_command_line_printerr (command_line, "%s\n", error->message);
      g_application_command_line_set_exit_status (command_line, 1);
    }
  else
    {
      report = lens_save_all_describe (job);
      if (lens_save_job_get_error (job) != NULL)
        g_application_command_line_printerr (command_line, "%s", report);
      else
        g_application_command_line_print (command_line, "%s", report);
      g_application_command_line_set_exit_status (command_line,
                                                  lens_save_job_get_error (job) != NULL
                                                  || lens_save_job_get_n_failed (job) > 0 ? 1 : 0);
    }
  g_application_command_line_done (command_line);
  if (application != NULL)
    g_application_release (application);
}

/* `tasklens --save-all DIR`: the app runs (with its window only if it had
 * one) until the save is over. */
static void
save_all_from_command_line (LensApplication         *self,
                            GApplicationCommandLine *command_line,
                            const char              *path)
{
  g_autoptr(GFile) folder = g_application_command_line_create_file_for_arg (command_line, path);

  g_application_hold (G_APPLICATION (self));
  lens_save_all_async (self->context, folder, NULL, command_line_saved_cb, g_object_ref (command_line));
}

/* `tasklens [--sync] [ID…|FILE…]`: ids are added, files imported and the
 * account synced, in the running instance when there is one (GApplication
 * forwards the command line, options included). */
static int
lens_application_command_line (GApplication            *application,
                               GApplicationCommandLine *command_line)
{
  LensApplication *self = LENS_APPLICATION (application);
  g_auto(GStrv) arguments = g_application_command_line_get_arguments (command_line, NULL);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GString) text = g_string_new (NULL);
  GVariantDict *options_dict = g_application_command_line_get_options_dict (command_line);
  g_autofree char *save_all = NULL;

  if (g_variant_dict_lookup (options_dict, "save-all", "^ay", &save_all))
    {
      save_all_from_command_line (self, command_line, save_all);
      return 0;
    }

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

  gtk_window_present (ensure_window (self));
  if (text->len > 0)
    lens_context_add_text (self->context, text->str, NULL);
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) > 0)
    lens_context_import_files (self->context, G_LIST_MODEL (files));
  if (g_variant_dict_contains (options_dict, "sync"))
    g_action_group_activate_action (G_ACTION_GROUP (self), "sync", NULL);

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
  gtk_window_present (ensure_window (LENS_APPLICATION (application)));
}

/* ─── start and end ────────────────────────────────────────────────────── */

static const char *
nonempty_env (const char *name)
{
  const char *value = g_getenv (name);

  return (value != NULL && *value != '\0') ? value : NULL;
}

/* The token is read once, then taken out of the environment: every program
 * Tasklens starts (a browser opening a link when there is no portal, a
 * file manager) inherits the environment, and none of them is to see the
 * token. This runs when the application is made, in main() before
 * anything starts a thread (the environment is not safe to change while
 * another thread may read it). A command line forwarded from another
 * `tasklens` carries that process's environment in the
 * GApplicationCommandLine; its token is never read. */
static char *
take_token_from_env (void)
{
  g_autofree char *token = g_strdup (nonempty_env ("ACEDATA_API_TOKEN"));

  g_unsetenv ("ACEDATA_API_TOKEN");
  return g_steal_pointer (&token);
}

static void
lens_application_startup (GApplication *application)
{
  LensApplication *self = LENS_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *sync_accels[] = { "<Control><Shift>r", NULL };
  LensContextConfig config = { 0 };
  g_auto(GStrv) resizing_hosts = NULL;

  /* A context given at construction (tests) is used as it is. */
  if (self->context != NULL && lens_context_get_settings (self->context) != NULL)
    self->settings = g_object_ref (lens_context_get_settings (self->context));
  else
    self->settings = g_settings_new ("io.github.tasklens.Tasklens");

  if (self->context == NULL)
    {
      /* The environment wins over the settings, for scripts; a history of
       * their own with TASKLENS_DATA_DIR. */
      config.settings = self->settings;
      config.data_dir = nonempty_env ("TASKLENS_DATA_DIR");
      config.api_url = nonempty_env ("TASKLENS_API_URL");
      config.token = self->env_token;
      /* The demo names its fake server here, so that thumbnails ask it for
       * their size as they ask AceData's CDN (see lens-image-url.c). */
      resizing_hosts = lens_image_url_parse_hosts (nonempty_env ("TASKLENS_RESIZING_IMAGE_HOSTS"));
      config.resizing_image_hosts = (const char * const *) resizing_hosts;
      self->context = lens_context_new (&config);
    }
  g_clear_pointer (&self->env_token, g_free);
  /* The core cannot decode images: a bulk save cuts grids with GTK's. */
  lens_saving_set_split_func (lens_context_get_saving (self->context), lens_grid_split);

  /* After the context, which needs nothing of GTK: its history loads in a
   * thread of its own while GTK starts (the display, the theme), and a long
   * history then comes before the window's first frame (issue 9). */
  G_APPLICATION_CLASS (lens_application_parent_class)->startup (application);
  /* Before the first window picks its renderer. */
  if (gdk_display_get_default () != NULL)
    lens_renderer_choice_apply (gdk_display_get_default ());
  self->notifier = lens_notifier_new (GTK_APPLICATION (self), lens_context_get_refresher (self->context),
                                      lens_context_get_task_list (self->context));

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync", sync_accels);
  /* The icon comes from the resources (icons/ under the resource base
   * path), so that it shows when running uninstalled too. */
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
lens_application_shutdown (GApplication *application)
{
  LensApplication *self = LENS_APPLICATION (application);

  /* Stop asking the server before the windows go, then save what is left. */
  if (self->context != NULL)
    lens_context_shutdown (self->context);

  G_APPLICATION_CLASS (lens_application_parent_class)->shutdown (application);

  /* The services end with the app's run, not with the object, which may
   * stay registered on the bus for a while. */
  g_clear_object (&self->notifier);
  g_clear_object (&self->context);
}

static void
lens_application_dispose (GObject *object)
{
  LensApplication *self = LENS_APPLICATION (object);

  g_clear_object (&self->notifier);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->env_token, g_free);

  G_OBJECT_CLASS (lens_application_parent_class)->dispose (object);
}

/* ─── actions ──────────────────────────────────────────────────────────── */

static void
add_ids_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);

  gtk_window_present (ensure_window (self));
  lens_context_add_text (self->context, g_variant_get_string (parameter, NULL), NULL);
}

/* Without a token the sync fails at once, and the pause banner already asks
 * for one: the action stays enabled and says nothing of its own. */
static void
sync_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);

  gtk_window_present (ensure_window (self));
  lens_sync_start (lens_context_get_sync (self->context));
}

static void
sync_cancel_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);

  lens_sync_cancel (lens_context_get_sync (self->context));
}

static void
action_saved_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* app.save-all (a folder's path): as --save-all, for scripts that talk to
 * the running app over D-Bus. The call returns only once the save is over,
 * so the action waits for it, running the main loop meanwhile (the window
 * keeps drawing, the save goes on); what it did is printed, and the
 * window's save bar shows it as for any save. */
static void
save_all_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer      user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);
  const char *path = g_variant_get_string (parameter, NULL);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LensSaveJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  if (!g_path_is_absolute (path))
    {
      g_printerr (_("app.save-all needs a folder’s full path, not “%s”\n"), path);
      return;
    }
  folder = g_file_new_for_path (path);
  g_application_hold (G_APPLICATION (self));
  lens_save_all_async (self->context, folder, NULL, action_saved_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_application_release (G_APPLICATION (self));

  job = lens_save_all_finish (result, &error);
  report = job != NULL ? lens_save_all_describe (job) : g_strdup (error->message);
  g_print ("%s", report);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  LensApplication *self = LENS_APPLICATION (user_data);
  AdwDialog *dialog = ADW_DIALOG (lens_preferences_dialog_new (lens_context_get_account (self->context),
                                                               self->settings));

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
lens_application_class_init (LensApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lens_application_dispose;
  app_class->activate = lens_application_activate;
  app_class->startup = lens_application_startup;
  app_class->shutdown = lens_application_shutdown;
  app_class->command_line = lens_application_command_line;
  app_class->handle_local_options = lens_application_handle_local_options;
}

static void
lens_application_init (LensApplication *self)
{
  static const GActionEntry app_actions[] = {
    { .name = "add-ids", .activate = add_ids_activated, .parameter_type = "s" },
    { .name = "sync", .activate = sync_activated },
    { .name = "sync-cancel", .activate = sync_cancel_activated },
    { .name = "save-all", .activate = save_all_activated, .parameter_type = "s" },
    { .name = "preferences", .activate = preferences_activated },
    { .name = "about", .activate = about_activated },
    { .name = "quit", .activate = quit_activated },
  };

  self->env_token = take_token_from_env ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[--sync] [--save-all FOLDER] [ID…|FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Look up Midjourney tasks made through the AceData Cloud API."));
  g_application_set_option_context_description (G_APPLICATION (self),
    _("Task IDs are added and files (text, CSV, JSON, logs) are imported, into the running "
      "Tasklens if there is one. IDs are found in any text: lists, links, log lines, API "
      "responses. With --sync, every task the API token made is brought in as well, and "
      "what is new since the last sync.\n\n"
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

/**
 * lens_application_new_for_context:
 * @context: the services to use, instead of those the environment and the
 *   settings would give (for tests)
 */
LensApplication *
lens_application_new_for_context (const char        *application_id,
                                  GApplicationFlags  extra_flags,
                                  LensContext       *context)
{
  LensApplication *self;

  g_return_val_if_fail (LENS_IS_CONTEXT (context), NULL);

  self = lens_application_new (application_id, extra_flags);
  self->context = g_object_ref (context);
  return self;
}

/**
 * lens_application_get_context:
 *
 * For main() and tests; widgets are given the context, never this.
 *
 * Returns: (nullable): the context, from startup until shutdown
 */
LensContext *
lens_application_get_context (LensApplication *self)
{
  g_return_val_if_fail (LENS_IS_APPLICATION (self), NULL);
  return self->context;
}
