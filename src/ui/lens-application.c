/* lens-application.c — the Tasklens application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns what the whole app shares — one SoupSession, one LensClient, one
 * LensTaskList — and turns the command line into tasks.
 */

#define G_LOG_DOMAIN "lens-application"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-application.h"
#include "lens-id-parser.h"
#include "lens-window.h"

struct _LensApplication
{
  AdwApplication  parent_instance;

  SoupSession    *session;      /* owned */
  LensClient     *client;       /* owned */
  LensTaskList   *tasks;        /* owned */
  GCancellable   *cancellable;  /* owned: cancelled on shutdown */
};

G_DEFINE_FINAL_TYPE (LensApplication, lens_application, ADW_TYPE_APPLICATION)

static void
lookup_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LensApplication) self = user_data;
  g_autoptr(LensBatchResult) batch = NULL;
  g_autoptr(GError) error = NULL;

  batch = lens_client_retrieve_batch_finish (LENS_CLIENT (source_object), result, &error);
  if (batch == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not look up tasks: %s", error->message);
      return;
    }

  g_ptr_array_add (batch->answered_ids, NULL);
  lens_task_list_apply_records (self->tasks, (const char * const *) batch->answered_ids->pdata,
                                batch->records);
}

static void
add_ids_from_text (LensApplication *self,
                   const char      *text)
{
  g_autoptr(LensIdParseResult) parsed = lens_id_parser_parse (text, -1);
  g_auto(GStrv) queued = NULL;

  g_ptr_array_add (parsed->ids, NULL);
  lens_task_list_add_ids (self->tasks, (const char * const *) parsed->ids->pdata, NULL);

  queued = lens_task_list_dup_ids_in_state (self->tasks, LENS_TASK_STATE_QUEUED);
  if (queued[0] != NULL)
    lens_client_retrieve_batch_async (self->client, (const char * const *) queued,
                                      self->cancellable, lookup_done_cb, g_object_ref (self));
}

static int
lens_application_command_line (GApplication            *application,
                               GApplicationCommandLine *command_line)
{
  LensApplication *self = LENS_APPLICATION (application);
  g_auto(GStrv) arguments = g_application_command_line_get_arguments (command_line, NULL);

  if (arguments[0] != NULL && arguments[1] != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", arguments + 1);
      add_ids_from_text (self, text);
    }

  g_application_activate (application);
  return 0;
}

static void
lens_application_activate (GApplication *application)
{
  LensApplication *self = LENS_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (lens_window_new (self));
  gtk_window_present (window);
}

static void
lens_application_startup (GApplication *application)
{
  LensApplication *self = LENS_APPLICATION (application);
  g_autoptr(GSettings) settings = NULL;
  const char *env_url = g_getenv ("TASKLENS_API_URL");
  const char *env_token = g_getenv ("ACEDATA_API_TOKEN");
  g_autofree char *api_url = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (lens_application_parent_class)->startup (application);

  settings = g_settings_new ("io.github.tasklens.Tasklens");
  api_url = (env_url != NULL && *env_url != '\0') ? g_strdup (env_url)
                                                   : g_settings_get_string (settings, "api-url");

  self->session = lens_client_create_session ();
  self->client = lens_client_new (self->session, api_url, env_token);
  self->tasks = lens_task_list_new ();

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
lens_application_shutdown (GApplication *application)
{
  LensApplication *self = LENS_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (lens_application_parent_class)->shutdown (application);
}

static void
lens_application_dispose (GObject *object)
{
  LensApplication *self = LENS_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->tasks);
  g_clear_object (&self->client);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (lens_application_parent_class)->dispose (object);
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
    { .name = "quit", .activate = quit_activated },
  };

  self->cancellable = g_cancellable_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}

LensApplication *
lens_application_new (const char *application_id)
{
  return g_object_new (LENS_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/tasklens/Tasklens",
                       NULL);
}

LensTaskList *
lens_application_get_task_list (LensApplication *self)
{
  g_return_val_if_fail (LENS_IS_APPLICATION (self), NULL);
  return self->tasks;
}

LensClient *
lens_application_get_client (LensApplication *self)
{
  g_return_val_if_fail (LENS_IS_APPLICATION (self), NULL);
  return self->client;
}
