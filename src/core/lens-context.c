/* lens-context.c — one of each of the app's services, wired together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The context is the only place where the app's objects are made and
 * connected: the HTTP session, the account (address and token), the API
 * client that follows it, the task list with its history in SQLite, the
 * refresher, the image fetcher (thumbnails and originals as bytes, with
 * their disk cache), the downloads of original images, the bulk saves
 * and the intake of new ids. The application
 * builds one from the environment and its settings; the window is given it
 * and hands it down; tests build their own from a config of their own.
 *
 * Start-up does no I/O on the main thread: the history loads in the store's
 * worker and the token comes from the keyring asynchronously. Its first
 * screen of tasks is in the list first, the rest after the frame that
 * draws it; until the whole is, nothing changes the tasks (see
 * first_tasks_loaded_cb()). Ids that arrive meanwhile wait in the intake
 * until the history is loaded, so that the list keeps its order; once it
 * is, the intake says what it added only after the history has written it.
 *
 * Properties: "loading" (the history is being read: the list may hold its
 * first screen already).
 * Signals: "message" (const char *text): something the user should read —
 * a history that could not be written or was recovered, a keyring failure,
 * what an import added, a lookup that failed (the same failure at most
 * once a minute). Said while nothing listens, it waits for the first window
 * (lens_context_take_unheard_messages()).
 */

#define G_LOG_DOMAIN "lens-context"

#include "config.h"

#include <glib/gi18n.h>

/* After GLib's headers, which define __GLIBC__ on a GNU C library. */
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "lens-context.h"
#include "lens-http.h"
#include "lens-pace-memory.h"
#include "lens-secrets.h"

/* How long quitting waits for cancelled saves to clean up. */
#define SETTLE_TIMEOUT_MS 1000
/* A lookup that keeps failing the same way is said again after this. */
#define REPEAT_FAILURE_US (60 * G_USEC_PER_SEC)
/* Messages kept for a window that does not exist yet. */
#define MAX_UNHEARD 8
/* "Keep in sync": how often to ask for new tasks, while the app runs. */
#define KEEP_IN_SYNC_SECONDS 180

struct _LensContext
{
  GObject         parent_instance;

  GSettings      *settings;     /* owned, nullable */
  LensPaceMemory *pace_memory;  /* owned, nullable: with settings */
  char           *cache_dir;    /* owned */
  SoupSession    *session;      /* owned */
  LensAccount    *account;      /* owned */
  LensClient     *client;       /* owned */
  LensTaskList   *tasks;        /* owned */
  LensRefresher  *refresher;    /* owned */
  LensDownloader *downloader;   /* owned */
  LensDownloads  *downloads;    /* owned */
  LensSaving     *saving;       /* owned: bulk saves */
  LensImageFetcher *image_fetcher; /* owned */
  LensIntake     *intake;       /* owned */
  LensSync       *sync;         /* owned */
  LensTaskStore  *store;        /* owned */
  LensRecordLoader *record_loader; /* owned */
  LensHistory    *history;      /* owned, nullable: until loaded, or when it could not be */
  GCancellable   *cancellable;  /* owned: cancelled on shutdown */

  gboolean        loading;
  gint64          loading_since; /* monotonic µs: for the start-up time */
  guint           trim_id;       /* the memory trim after start-up, see trim_after_start() */

  GPtrArray      *unheard;       /* owned: of char*, said while nobody listened */
  GQuark          last_failure_domain; /* the lookup failure last said, 0 for none */
  int             last_failure_code;
  gint64          last_failure_time;
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LensContext, lens_context, G_TYPE_OBJECT)

static void
say (LensContext *self,
     const char  *message)
{
  /* Before the first window exists (a history recovered at start-up, the
   * app started as a service), a message waits for it. */
  if (!g_signal_has_handler_pending (self, signals[SIGNAL_MESSAGE], 0, TRUE))
    {
      if (self->unheard->len < MAX_UNHEARD)
        g_ptr_array_add (self->unheard, g_strdup (message));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
}

/* A lookup that keeps failing the same way is said once a minute, not
 * every round. "The same way" is the same error, not the same words: the
 * server's trace id differs in every answer. */
static void
lookup_failed_cb (LensContext  *self,
                  const GError *error)
{
  gint64 now = g_get_monotonic_time ();

  if (error->domain == self->last_failure_domain && error->code == self->last_failure_code
      && now - self->last_failure_time < REPEAT_FAILURE_US)
    return;

  self->last_failure_domain = error->domain;
  self->last_failure_code = error->code;
  self->last_failure_time = now;
  say (self, error->message);
}

/* ─── the account's own tasks ──────────────────────────────────────────── */

/* What a sync brought in. Why one stopped is the window's sync bar's to
 * say (with Try Again), and a missing token the pause banner's: said here
 * too, it was said twice. A cancel is the user's own doing and needs no
 * words, and a background sync that brought nothing new says nothing
 * either. */
static void
sync_finished_cb (LensContext  *self,
                  const GError *error)
{
  guint n_added = lens_sync_get_n_added (self->sync);
  g_autofree char *message = NULL;

  if (error != NULL || n_added == 0)
    return;

  /* Translators: %'u is a number of tasks, with the locale's digit groups (1,234) */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Brought in %'u task from your AceData account",
                                          "Brought in %'u tasks from your AceData account", n_added),
                             n_added);
  say (self, message);
}

/* ─── the history ──────────────────────────────────────────────────────── */

static void
history_write_failed_cb (LensContext  *self,
                         const GError *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not save the task history: %s"), error->message);
  say (self, message);
}

static void
store_damaged_cb (LensContext  *self,
                  const GError *error)
{
  say (self, error->message);
}

/* ─── memory after start-up ───────────────────────────────────────────── */

/* A start-up with a long history frees much of what it used — the load's
 * rows and tasks built in the store's worker, hashing, the first screen's
 * image bytes — but the C library keeps freed memory in its arenas for
 * reuse, so the process stays that much bigger for its whole life (10 MB
 * with 10,000 tasks). A second after the load, when the first screen is
 * drawn (0.1 s after the load at 100,000 tasks), it is given back, once, in
 * a thread: trimming walks every arena, in 1.5 ms with 100,000 tasks. At
 * 3 s, a window that had settled before it kept the 10 MB a while longer
 * (and bench-window measured it there one run in two). */
#define TRIM_DELAY_SECONDS 1

static void
trim_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  g_task_return_boolean (task, TRUE);
}

static gboolean
trim_cb (gpointer user_data)
{
  LensContext *self = user_data;
  g_autoptr(GTask) task = g_task_new (self, NULL, NULL, NULL);

  self->trim_id = 0;
  g_task_set_source_tag (task, trim_cb);
  g_task_run_in_thread (task, trim_in_thread);
  return G_SOURCE_REMOVE;
}

static void
trim_after_start (LensContext *self)
{
  if (self->trim_id != 0)
    return;
  self->trim_id = g_timeout_add_seconds (TRIM_DELAY_SECONDS, trim_cb, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->trim_id),
                            "[lens-context] trim after start-up");
}

/* The first screen of a history that is still loading, shown at once: a
 * long history's whole takes the store a tenth of a second more, which
 * the first rows need not wait for. Nothing in the list is written nor
 * asked for before the whole is in (the refresher is held, the intake and
 * the sync wait, the window's actions that change tasks are off). */
static void
first_tasks_loaded_cb (LensContext *self,
                       GPtrArray   *tasks)
{
  if (!self->loading || g_list_model_get_n_items (G_LIST_MODEL (self->tasks)) > 0)
    return;
  lens_task_list_append_tasks (self->tasks, tasks);
  g_debug ("First %u tasks loaded, %.0f ms after start-up began", tasks->len,
           (g_get_monotonic_time () - self->loading_since) / 1000.0);
}

/* The history is in the list (after its first screen, when that came
 * first): it is followed from now on, and what came in while it loaded
 * goes after it. */
static void
history_loaded (LensContext  *self,
                GPtrArray    *tasks,
                GHashTable   *index,
                const char   *recovery_message,
                const GError *error)
{
  /* The first screen shown ahead stays if the load confirms it, and goes
   * if it failed: no history would remember what is done to it. */
  lens_task_list_take_loaded (self->tasks, tasks, index);
  if (tasks != NULL)
    {
      g_debug ("History loaded: %u tasks, %.0f ms after start-up began", tasks->len,
               (g_get_monotonic_time () - self->loading_since) / 1000.0);
      /* Made after loading, so that the loaded tasks are not written back. */
      self->history = lens_history_new (self->store, self->tasks);
      g_signal_connect_object (self->history, "write-failed", G_CALLBACK (history_write_failed_cb),
                               self, G_CONNECT_SWAPPED);
      lens_downloads_set_history (self->downloads, self->history);
      /* A save a crash interrupted resumes now. */
      lens_saving_set_history (self->saving, self->history);
      /* "Added …" is said once the history has written them. */
      lens_intake_set_history (self->intake, self->history);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Tasklens could not open its task history, so "
                                                    "tasks added now will not be remembered: %s"),
                                                  error->message);
      say (self, message);
    }
  if (recovery_message != NULL)
    say (self, recovery_message);

  self->loading = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  lens_refresher_set_held (self->refresher, FALSE);

  /* What came in while loading goes after the stored tasks, in order. */
  lens_intake_set_ready (self->intake, TRUE);
  lens_sync_set_ready (self->sync, TRUE);
  trim_after_start (self);
}

static void
store_loaded_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LensContext) self = user_data;
  LensTaskStore *store = LENS_TASK_STORE (source_object);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery_message = NULL;

  tasks = lens_task_store_load_finish (store, result, &recovery_message, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The ids were hashed in the store's worker: appending 100,000 tasks
   * costs the main thread a reference each. */
  history_loaded (self, tasks, tasks != NULL ? lens_task_store_load_steal_index (store, result) : NULL,
                  recovery_message, error);
}

/* ─── the account ──────────────────────────────────────────────────────── */

static void
token_loaded_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LensContext) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A missing keyring is said in Preferences, where it matters. */
  if (!lens_account_load_token_finish (LENS_ACCOUNT (source_object), result, &error)
      && g_error_matches (error, LENS_SECRETS_ERROR, LENS_SECRETS_ERROR_FAILED))
    say (self, error->message);
}

/* The client follows the account. */
static void
account_changed_cb (LensContext *self)
{
  /* Not even between two calls may the client hold the new address with
   * the old token. */
  lens_client_set_token (self->client, NULL);
  lens_client_set_base_url (self->client, lens_account_get_api_url (self->account));
  lens_client_set_token (self->client, lens_account_get_token (self->account));
}

/* ─── settings ─────────────────────────────────────────────────────────── */

static void
batch_size_changed_cb (LensContext *self)
{
  int size = g_settings_get_int (self->settings, "batch-size");

  lens_client_set_chunk_size (self->client, (guint) CLAMP (size, 1, LENS_CLIENT_MAX_CHUNK_SIZE));
}

static void
polling_changed_cb (LensContext *self)
{
  lens_refresher_set_polling_enabled (self->refresher,
                                      g_settings_get_boolean (self->settings, "polling-enabled"));
}

static void
keep_in_sync_changed_cb (LensContext *self)
{
  gboolean keep = g_settings_get_boolean (self->settings, "keep-in-sync");

  lens_sync_set_interval (self->sync, keep ? KEEP_IN_SYNC_SECONDS : 0);
}

static void
follow_settings (LensContext *self)
{
  if (self->settings == NULL)
    return;

  g_signal_connect_object (self->settings, "changed::batch-size", G_CALLBACK (batch_size_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::polling-enabled", G_CALLBACK (polling_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::keep-in-sync",
                           G_CALLBACK (keep_in_sync_changed_cb), self, G_CONNECT_SWAPPED);
  batch_size_changed_cb (self);
  polling_changed_cb (self);
  keep_in_sync_changed_cb (self);
  g_settings_bind (self->settings, "file-name-template", self->downloads, "name-template",
                   G_SETTINGS_BIND_GET);
  self->pace_memory = lens_pace_memory_new (self->settings, self->client);
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_context_dispose (GObject *object)
{
  LensContext *self = LENS_CONTEXT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  /* Its page in flight holds it: without this it would sync on. */
  if (self->sync != NULL)
    lens_sync_cancel (self->sync);
  g_clear_object (&self->sync);
  g_clear_object (&self->intake);
  g_clear_object (&self->history);
  g_clear_object (&self->record_loader);
  g_clear_object (&self->store);
  g_clear_object (&self->refresher);
  g_clear_object (&self->saving);
  g_clear_object (&self->downloads);
  g_clear_object (&self->downloader);
  g_clear_object (&self->image_fetcher);
  g_clear_object (&self->tasks);
  g_clear_object (&self->client);
  g_clear_object (&self->account);
  g_clear_object (&self->session);
  g_clear_object (&self->pace_memory);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lens_context_parent_class)->dispose (object);
}

static void
lens_context_finalize (GObject *object)
{
  LensContext *self = LENS_CONTEXT (object);

  g_clear_object (&self->cancellable);
  g_free (self->cache_dir);
  g_ptr_array_unref (self->unheard);

  G_OBJECT_CLASS (lens_context_parent_class)->finalize (object);
}

static void
lens_context_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LensContext *self = LENS_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_context_class_init (LensContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_context_dispose;
  object_class->finalize = lens_context_finalize;
  object_class->get_property = lens_context_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensContext::message:
   * @text: one sentence for the user, never markup
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
lens_context_init (LensContext *self)
{
  self->cancellable = g_cancellable_new ();
  self->unheard = g_ptr_array_new_with_free_func (g_free);
}

static const char *
nonempty (const char *text)
{
  return (text != NULL && *text != '\0') ? text : NULL;
}

/**
 * lens_context_new:
 * @config: what to build it from
 *
 * Builds every service, then starts loading the history and the token;
 * #LensContext:loading is %TRUE until the history is in the list.
 *
 * Returns: (transfer full): the context
 */
LensContext *
lens_context_new (const LensContextConfig *config)
{
  LensContext *self;
  g_autofree char *settings_url = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *journal_path = NULL;
  g_autofree char *images_dir = NULL;
  const char *api_url;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->settings == NULL || G_IS_SETTINGS (config->settings), NULL);

  self = g_object_new (LENS_TYPE_CONTEXT, NULL);
  self->settings = config->settings != NULL ? g_object_ref (config->settings) : NULL;
  self->cache_dir = nonempty (config->cache_dir) != NULL
                    ? g_strdup (config->cache_dir)
                    : g_build_filename (g_get_user_cache_dir (), "tasklens", NULL);

  api_url = nonempty (config->api_url);
  if (api_url == NULL && self->settings != NULL)
    api_url = settings_url = g_settings_get_string (self->settings, "api-url");

  self->session = lens_http_create_session ();
  if (config->request_timeout_s > 0)
    soup_session_set_timeout (self->session, config->request_timeout_s);
  self->account = lens_account_new (self->session, api_url, nonempty (config->api_url) != NULL,
                                    nonempty (config->token));
  self->client = lens_client_new (self->session, lens_account_get_api_url (self->account),
                                  lens_account_get_token (self->account));
  if (config->retry_base_ms > 0)
    lens_client_set_retry_policy (self->client, 5, config->retry_base_ms);
  self->tasks = lens_task_list_new ();
  self->refresher = lens_refresher_new (self->client, self->tasks, config->network_monitor);
  self->downloader = lens_downloader_new (self->session);
  /* Saved paths go to the history once it is loaded (store_loaded_cb()). */
  self->downloads = lens_downloads_new (self->downloader, NULL);
  images_dir = g_build_filename (self->cache_dir, "images", NULL);
  /* Images go through a session of their own, with the disk cache in it
   * from the start (see lens-image-fetcher.c): the API's answers and the
   * downloads never share it. */
  self->image_fetcher = lens_image_fetcher_new (NULL, images_dir);
  lens_image_fetcher_set_resizing_hosts (self->image_fetcher, config->resizing_image_hosts);
  self->intake = lens_intake_new (self->tasks);
  self->sync = lens_sync_new (self->client, self->tasks, self->settings);
  lens_sync_set_ready (self->sync, FALSE);

  g_signal_connect_object (self->account, "notify::api-url", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::token", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->intake, "message", G_CALLBACK (say), self, G_CONNECT_SWAPPED);
  /* Each text or file is an action of its own for the API's scheduler. */
  g_signal_connect_object (self->intake, "started", G_CALLBACK (lens_refresher_new_action),
                           self->refresher, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->refresher, "failed", G_CALLBACK (lookup_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "finished", G_CALLBACK (sync_finished_cb), self,
                           G_CONNECT_SWAPPED);
  follow_settings (self);

  lens_account_load_token_async (self->account, self->cancellable, token_loaded_cb,
                                 g_object_ref (self));

  self->loading = TRUE;
  self->loading_since = g_get_monotonic_time ();
  lens_refresher_set_held (self->refresher, TRUE);
  if (nonempty (config->data_dir) != NULL)
    store_path = g_build_filename (config->data_dir, "tasks.db", NULL);
  self->store = lens_task_store_new (store_path);
  /* Damage found after the load: said as it is, like a recovery. */
  g_signal_connect_object (self->store, "damaged", G_CALLBACK (store_damaged_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "first-tasks-loaded", G_CALLBACK (first_tasks_loaded_cb), self,
                           G_CONNECT_SWAPPED);
  self->record_loader = lens_record_loader_new (self->store, self->tasks);
  /* A bulk save notes itself beside the history, to resume after a crash. */
  store_dir = g_path_get_dirname (lens_task_store_get_path (self->store));
  journal_path = g_build_filename (store_dir, "save-job.ini", NULL);
  self->saving = lens_saving_new (self->downloader, self->store, self->tasks, journal_path);
  if (self->settings != NULL)
    g_settings_bind (self->settings, "file-name-template", self->saving, "name-template",
                     G_SETTINGS_BIND_GET);
  /* The first screen of rows is drawn whole from the start. */
  lens_task_store_set_load_records (self->store, LENS_CONTEXT_FIRST_SCREEN_TASKS);
  lens_task_store_load_async (self->store, self->cancellable, store_loaded_cb, g_object_ref (self));

  return self;
}

static gboolean
set_true_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_settled (LensContext *self)
{
  return lens_downloads_is_settled (self->downloads)
         && lens_image_fetcher_is_ready (self->image_fetcher)
         && !lens_image_fetcher_is_flushing (self->image_fetcher);
}

/* The app ends after shutdown: cancelled saves get a moment to delete their
 * partial files, and the image cache to finish reading or writing its
 * index, which they do in the background. Bounded, as quitting must not hang on a stuck disk. */
static void
let_downloads_settle (LensContext *self)
{
  g_autoptr(GMainContext) main_context = g_main_context_ref_thread_default ();
  gboolean timed_out = FALSE;
  guint timeout_id;

  if (is_settled (self))
    return;

  timeout_id = g_timeout_add (SETTLE_TIMEOUT_MS, set_true_cb, &timed_out);
  while (!is_settled (self) && !timed_out)
    g_main_context_iteration (main_context, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
}

/**
 * lens_context_shutdown:
 *
 * For the end of the app, before its windows go: stops asking the server,
 * reading files and saving images, writes what is left to the history and
 * the image cache's index, and lets cancelled saves clean up.
 */
void
lens_context_shutdown (LensContext *self)
{
  g_return_if_fail (LENS_IS_CONTEXT (self));

  g_cancellable_cancel (self->cancellable);
  lens_intake_cancel_all (self->intake);
  lens_downloads_cancel_all (self->downloads);
  /* Its journal stays: the next start resumes it. */
  lens_saving_interrupt (self->saving);
  /* Its mark is written after every page: the next session resumes. */
  lens_sync_set_interval (self->sync, 0);
  lens_sync_cancel (self->sync);
  if (self->refresher != NULL)
    g_object_run_dispose (G_OBJECT (self->refresher));
  if (self->history != NULL)
    lens_history_flush (self->history);
  lens_image_fetcher_flush (self->image_fetcher);
  let_downloads_settle (self);
}

/**
 * lens_context_add_text:
 * @text: text that may hold task ids
 * @source_name: (nullable): where it came from, for the message
 *
 * Adds the task ids in @text (once the history is loaded) and says how many
 * through #LensContext::message.
 */
void
lens_context_add_text (LensContext *self,
                       const char  *text,
                       const char  *source_name)
{
  g_return_if_fail (LENS_IS_CONTEXT (self));
  lens_intake_add_text (self->intake, text, source_name);
}

/**
 * lens_context_import_files:
 * @files: (element-type GFile): text, CSV, JSON or log files
 *
 * Reads the files one by one (once the history is loaded), without
 * blocking, and adds the ids found.
 */
void
lens_context_import_files (LensContext *self,
                           GListModel  *files)
{
  g_return_if_fail (LENS_IS_CONTEXT (self));
  lens_intake_import_files (self->intake, files);
}

/* ─── export ───────────────────────────────────────────────────────────── */

typedef struct
{
  GStrv             ids;          /* owned, nullable */
  LensExportFormat  format;
  GFile            *destination;  /* owned */
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_strfreev (data->ids);
  g_clear_object (&data->destination);
  g_free (data);
}

static void
exported_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  guint n_tasks = 0;

  if (!lens_task_store_export_finish (LENS_TASK_STORE (source_object), result, &n_tasks, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n_tasks);
}

static void
synced_for_export_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LensContext *self = g_task_get_source_object (task);
  ExportData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lens_history_sync_finish (LENS_HISTORY (source_object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  lens_task_store_export_async (self->store, (const char * const *) data->ids, data->format,
                                data->destination, g_task_get_cancellable (task), exported_cb,
                                g_object_ref (task));
}

/**
 * lens_context_export_async:
 * @ids: (nullable) (array zero-terminated=1): the tasks to export, in this
 *   order; %NULL for every task, in the list's order
 * @format: CSV or JSON
 * @destination: the file to write, whole or not at all
 *
 * Exports the tasks as the history holds them, once every change made to
 * the list before the call is written to it.
 */
void
lens_context_export_async (LensContext         *self,
                           const char * const  *ids,
                           LensExportFormat     format,
                           GFile               *destination,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (LENS_IS_CONTEXT (self));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_context_export_async);
  data = g_new0 (ExportData, 1);
  data->ids = ids != NULL ? g_strdupv ((char **) ids) : NULL;
  data->format = format;
  data->destination = g_object_ref (destination);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);

  if (self->history == NULL)
    {
      g_task_return_new_error_literal (task, LENS_TASK_STORE_ERROR, LENS_TASK_STORE_ERROR_OPEN,
                                       _("The history is not open"));
      return;
    }
  lens_history_sync_async (self->history, cancellable, synced_for_export_cb, g_steal_pointer (&task));
}

/**
 * lens_context_export_finish:
 * @out_n_tasks: (out) (optional): how many tasks the file holds
 *
 * Returns: whether the file was written
 */
gboolean
lens_context_export_finish (LensContext   *self,
                            GAsyncResult  *result,
                            guint         *out_n_tasks,
                            GError       **error)
{
  gssize n_tasks;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_context_export_async, FALSE);

  n_tasks = g_task_propagate_int (G_TASK (result), error);
  if (n_tasks < 0)
    return FALSE;
  if (out_n_tasks != NULL)
    *out_n_tasks = (guint) n_tasks;
  return TRUE;
}

#define DEFINE_GETTER(Type, name)                          \
  Type *                                                   \
  lens_context_get_##name (LensContext *self)              \
  {                                                        \
    g_return_val_if_fail (LENS_IS_CONTEXT (self), NULL);   \
    return self->name;                                     \
  }

DEFINE_GETTER (LensAccount, account)
DEFINE_GETTER (LensClient, client)
DEFINE_GETTER (LensRefresher, refresher)
DEFINE_GETTER (LensDownloads, downloads)
DEFINE_GETTER (LensSaving, saving)
DEFINE_GETTER (LensImageFetcher, image_fetcher)
DEFINE_GETTER (LensIntake, intake)
DEFINE_GETTER (LensSync, sync)
DEFINE_GETTER (GSettings, settings)

LensTaskList *
lens_context_get_task_list (LensContext *self)
{
  g_return_val_if_fail (LENS_IS_CONTEXT (self), NULL);
  return self->tasks;
}

/**
 * lens_context_get_record_loader:
 *
 * Returns: (transfer none): what reads the records of the tasks shown
 */
LensRecordLoader *
lens_context_get_record_loader (LensContext *self)
{
  g_return_val_if_fail (LENS_IS_CONTEXT (self), NULL);
  return self->record_loader;
}

/**
 * lens_context_get_store:
 *
 * Returns: (transfer none): the history's database, for what reads it
 *   without changing it (a search)
 */
LensTaskStore *
lens_context_get_store (LensContext *self)
{
  g_return_val_if_fail (LENS_IS_CONTEXT (self), NULL);
  return self->store;
}

/**
 * lens_context_get_history:
 *
 * Returns: (nullable): the history, once loaded (%NULL while loading, or
 *   when it could not be opened)
 */
LensHistory *
lens_context_get_history (LensContext *self)
{
  g_return_val_if_fail (LENS_IS_CONTEXT (self), NULL);
  return self->history;
}

/**
 * lens_context_take_unheard_messages:
 *
 * What #LensContext::message said while nothing listened, oldest first, for
 * the first window to show; they are forgotten here.
 *
 * Returns: (transfer full): a %NULL-terminated array, maybe empty
 */
GStrv
lens_context_take_unheard_messages (LensContext *self)
{
  g_autoptr(GPtrArray) unheard = NULL;

  g_return_val_if_fail (LENS_IS_CONTEXT (self), NULL);

  unheard = g_steal_pointer (&self->unheard);
  self->unheard = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_free_func (unheard, NULL);
  g_ptr_array_add (unheard, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&unheard), FALSE);
}

gboolean
lens_context_get_loading (LensContext *self)
{
  g_return_val_if_fail (LENS_IS_CONTEXT (self), FALSE);
  return self->loading;
}
