/* lens-sync.c — every task the token made, brought in and followed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sync is a chain of pages, one request at a time, through the client's
 * scheduler: USER priority when the user asked, BACKGROUND when the
 * interval did. Which page comes next, and how far the account is synced,
 * is LensSyncPlan's (lens-sync-plan.c, pure); this object asks for the
 * pages, puts what they hold into the list, keeps the mark in the settings
 * after each page and tells how it goes.
 *
 * Where a new task goes, in the user's order: right after the task the
 * account lists just before it (the previous record, in this page or the
 * one before), when that one is in the list; otherwise (the first task of a
 * sync, or after the user removed its neighbour) before the first task of
 * the list created earlier than it, or after the last one created later:
 * at the top when it is newer than everything. In a list sorted newest
 * first that is where it belongs; in one the user ordered otherwise, it is
 * near the tasks of its time. A page's new tasks that follow
 * each other go in with one insertion; then the page's records are applied
 * to them and to the tasks already listed, in the same main-loop turn, so
 * the refresher never looks them up and the history writes each once, with
 * its record. A page is at most 50 tasks: no turn of the main loop does
 * more than that.
 */

#define G_LOG_DOMAIN "lens-sync"

#include "config.h"

#include "lens-json.h"
#include "lens-sync-plan.h"
#include "lens-sync.h"

#define KEY_SYNC_STATE  "sync-state"
#define SYNC_STATE_TYPE "a{s(dddu)}"

struct _LensSync
{
  GObject       parent_instance;

  LensClient   *client;      /* owned */
  LensTaskList *tasks;       /* owned */
  GSettings    *settings;    /* owned, nullable */
  GCancellable *cancellable; /* owned, nullable: the sync under way */
  guint         interval_s;
  guint         interval_id;
  gboolean      running;
  gboolean      ready;       /* may pages go into the list yet */
  gboolean      waiting;     /* started before it was ready: the first page waits */
  guint         n_done;
  guint         n_total;
  guint         n_added;

  LensRequestPriority priority;
  LensSyncPlan  plan;
  /* The mark when there are no settings (tests, a context without them). */
  LensSyncMark  memory_mark;
  char         *anchor_id;   /* owned, nullable: the last record put in the list */
  char         *url;         /* owned, nullable: the API URL the sync under way lists */
  gboolean      restart;     /* the URL or token changed under it: start again */
};

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_N_DONE,
  PROP_N_TOTAL,
  PROP_N_ADDED,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LensSync, lens_sync, G_TYPE_OBJECT)

static void request_page (LensSync *self);

/* ─── the mark, per API URL ────────────────────────────────────────────── */

static void
load_mark (LensSync     *self,
           LensSyncMark *mark)
{
  g_autoptr(GVariant) state = NULL;
  const char *url = lens_client_get_base_url (self->client);
  guint32 done = 0;

  if (self->settings == NULL)
    {
      *mark = self->memory_mark;
      return;
    }

  *mark = (LensSyncMark) { 0 };
  state = g_settings_get_value (self->settings, KEY_SYNC_STATE);
  if (g_variant_lookup (state, url, "(dddu)", &mark->complete_newest, &mark->pending_newest,
                        &mark->pending_oldest, &done))
    mark->pending_done = done;
}

static void
save_mark (LensSync           *self,
           const LensSyncMark *mark)
{
  g_autoptr(GVariant) state = NULL;
  /* Under the URL the sync began with, even if it changed since. */
  const char *url = self->url != NULL ? self->url : lens_client_get_base_url (self->client);
  GVariantBuilder builder;
  GVariantIter iter;
  const char *other_url;
  GVariant *value;

  self->memory_mark = *mark;
  if (self->settings == NULL)
    return;

  state = g_settings_get_value (self->settings, KEY_SYNC_STATE);
  g_variant_builder_init (&builder, G_VARIANT_TYPE (SYNC_STATE_TYPE));
  g_variant_builder_add (&builder, "{s(dddu)}", url, mark->complete_newest, mark->pending_newest,
                         mark->pending_oldest, (guint32) mark->pending_done);
  g_variant_iter_init (&iter, state);
  while (g_variant_iter_next (&iter, "{&s@(dddu)}", &other_url, &value))
    {
      if (g_strcmp0 (other_url, url) != 0)
        g_variant_builder_add (&builder, "{s@(dddu)}", other_url, value);
      g_variant_unref (value);
    }
  g_settings_set_value (self->settings, KEY_SYNC_STATE, g_variant_builder_end (&builder));
}

/* ─── progress ─────────────────────────────────────────────────────────── */

static void
set_uint (LensSync *self,
          guint    *field,
          guint     value,
          int       prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_running (LensSync *self,
             gboolean  running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void start (LensSync            *self,
                   LensRequestPriority  priority);

static void
finish (LensSync     *self,
        const GError *error)
{
  self->waiting = FALSE;
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->anchor_id, g_free);
  g_clear_pointer (&self->url, g_free);
  set_running (self, FALSE);

  /* Cancelled because the URL or the token changed: the account is
   * another one now, and its own sync begins (where it got to before). */
  if (self->restart && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->restart = FALSE;
      if (lens_client_has_token (self->client))
        start (self, self->priority);
      return;
    }
  self->restart = FALSE;
  g_signal_emit (self, signals[FINISHED], 0, error);
}

/* Every page of a sync must come from the same account: a new URL or token
 * mid-way stops it, and starts the new account's. */
static void
credentials_changed_cb (LensSync *self)
{
  if (!self->running)
    return;
  self->restart = TRUE;
  lens_sync_cancel (self);
}

/* ─── putting a page into the list ─────────────────────────────────────── */

static double
record_created_at (JsonNode *record)
{
  double created_at = 0;

  lens_json_get_double (json_node_get_object (record), "created_at", &created_at);
  return created_at;
}

/* Before the first task of the list created earlier than @created_at;
 * when there is none, after the last one created later, or at the top when
 * none is (tasks without a record yet do not count either way). */
static guint
position_by_age (LensSync *self,
                 double    created_at)
{
  GListModel *model = G_LIST_MODEL (self->tasks);
  guint n_items = g_list_model_get_n_items (model);
  guint after_newer = 0;

  if (created_at <= 0)
    return n_items;
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (model, i);
      double other = lens_task_get_created_at (task);

      if (other <= 0)
        continue;
      if (other < created_at)
        return i;
      after_newer = i + 1;
    }
  return after_newer;
}

static guint
insert_position (LensSync *self,
                 double    created_at)
{
  guint position;

  if (self->anchor_id != NULL && lens_task_list_find (self->tasks, self->anchor_id, &position))
    return position + 1;
  return position_by_age (self, created_at);
}

static guint
insert_run (LensSync  *self,
            GPtrArray *run,
            guint      position)
{
  guint n_added;

  if (run->len == 0)
    return 0;
  g_ptr_array_add (run, NULL);
  n_added = lens_task_list_insert_ids (self->tasks, position, (const char * const *) run->pdata);
  g_ptr_array_set_size (run, 0);
  return n_added;
}

/* Returns how many tasks of @records were new to the list. */
static guint
apply_page (LensSync  *self,
            GPtrArray *records)
{
  g_autoptr(GPtrArray) run = g_ptr_array_new_with_free_func (g_free);
  guint run_position = 0, n_added = 0;

  for (guint i = 0; i < records->len; i++)
    {
      JsonNode *record = g_ptr_array_index (records, i);
      const char *id = lens_json_get_string (json_node_get_object (record), "id");

      if (lens_task_list_lookup (self->tasks, id) != NULL)
        {
          n_added += insert_run (self, run, run_position);
        }
      else
        {
          if (run->len == 0)
            run_position = insert_position (self, record_created_at (record));
          g_ptr_array_add (run, g_ascii_strdown (id, -1));
        }
      g_free (self->anchor_id);
      self->anchor_id = g_ascii_strdown (id, -1);
    }
  n_added += insert_run (self, run, run_position);

  /* The new tasks and the known ones alike: in this turn, so that the
   * refresher's next tick sees records, not queued tasks to look up. */
  lens_task_list_apply_records (self->tasks, NULL, records);
  return n_added;
}

/* ─── paging ───────────────────────────────────────────────────────────── */

static void
page_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LensSync) self = user_data;
  g_autoptr(LensListPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = lens_client_list_finish (LENS_CLIENT (source_object), result, &error);
  if (page == NULL)
    {
      /* Everything brought in so far stays, and so does the mark of the
       * last page: the next sync resumes there. */
      finish (self, error);
      return;
    }
  /* Cancelled while the answer was on its way: nothing more goes in. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         "Cancelled");
      finish (self, cancelled);
      return;
    }

  set_uint (self, &self->n_added, self->n_added + apply_page (self, page->records), PROP_N_ADDED);
  lens_sync_plan_page_done (&self->plan, page->count, page->records);
  save_mark (self, &self->plan.mark);
  set_uint (self, &self->n_total, self->plan.n_total, PROP_N_TOTAL);
  set_uint (self, &self->n_done, lens_sync_plan_get_n_done (&self->plan), PROP_N_DONE);

  if (self->plan.finished)
    finish (self, NULL);
  else
    request_page (self);
}

static void
request_page (LensSync *self)
{
  LensListQuery query;

  lens_sync_plan_get_query (&self->plan, lens_client_get_chunk_size (self->client), &query);
  lens_client_list_async (self->client, &query, self->priority, self->cancellable, page_cb,
                          g_object_ref (self));
}

static void
start (LensSync            *self,
       LensRequestPriority  priority)
{
  LensSyncMark mark;

  if (self->running)
    return;

  load_mark (self, &mark);
  lens_sync_plan_init (&self->plan, &mark);
  self->priority = priority;
  g_free (self->url);
  self->url = g_strdup (lens_client_get_base_url (self->client));
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->anchor_id, g_free);

  g_object_freeze_notify (G_OBJECT (self));
  set_uint (self, &self->n_done, self->plan.done_before, PROP_N_DONE);
  set_uint (self, &self->n_total, 0, PROP_N_TOTAL);
  set_uint (self, &self->n_added, 0, PROP_N_ADDED);
  set_running (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));

  if (self->ready)
    request_page (self);
  else
    self->waiting = TRUE;
}

static gboolean
interval_cb (gpointer user_data)
{
  LensSync *self = user_data;

  /* Without a token there is nothing to ask; the user is told elsewhere. */
  if (lens_client_has_token (self->client))
    start (self, LENS_REQUEST_PRIORITY_BACKGROUND);
  return G_SOURCE_CONTINUE;
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_sync_dispose (GObject *object)
{
  LensSync *self = LENS_SYNC (object);

  g_clear_handle_id (&self->interval_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->tasks);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lens_sync_parent_class)->dispose (object);
}

static void
lens_sync_finalize (GObject *object)
{
  LensSync *self = LENS_SYNC (object);

  g_free (self->anchor_id);
  g_free (self->url);

  G_OBJECT_CLASS (lens_sync_parent_class)->finalize (object);
}

static void
lens_sync_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LensSync *self = LENS_SYNC (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, self->n_total);
      break;
    case PROP_N_ADDED:
      g_value_set_uint (value, self->n_added);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_sync_class_init (LensSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = lens_sync_dispose;
  object_class->finalize = lens_sync_finalize;
  object_class->get_property = lens_sync_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_TOTAL] = g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_ADDED] = g_param_spec_uint ("n-added", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
lens_sync_init (LensSync *self)
{
  self->ready = TRUE;
}

LensSync *
lens_sync_new (LensClient   *client,
               LensTaskList *tasks,
               GSettings    *settings)
{
  LensSync *self;

  g_return_val_if_fail (LENS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (LENS_TYPE_SYNC, NULL);
  self->client = g_object_ref (client);
  self->tasks = g_object_ref (tasks);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  g_signal_connect_object (client, "credentials-changed", G_CALLBACK (credentials_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

/**
 * lens_sync_start:
 *
 * Starts a sync at USER priority: the whole account the first time, what
 * is new since the last complete sync afterwards, or the rest of an
 * interrupted one. Does nothing while a sync is under way.
 */
void
lens_sync_start (LensSync *self)
{
  g_return_if_fail (LENS_IS_SYNC (self));
  start (self, LENS_REQUEST_PRIORITY_USER);
}

/**
 * lens_sync_cancel:
 *
 * Stops the sync under way: #LensSync::finished comes with
 * %G_IO_ERROR_CANCELLED, and the next sync resumes where this one stopped.
 */
void
lens_sync_cancel (LensSync *self)
{
  g_return_if_fail (LENS_IS_SYNC (self));

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  /* No request is out to answer with the cancel. */
  if (self->waiting)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");

      finish (self, error);
    }
}

/**
 * lens_sync_set_ready:
 * @ready: whether pages may go into the list
 *
 * While not ready (the history is still loading, and would take tasks added
 * now as already saved), a sync that starts is running but asks for its
 * first page only once ready. Ready by default.
 */
void
lens_sync_set_ready (LensSync *self,
                     gboolean  ready)
{
  g_return_if_fail (LENS_IS_SYNC (self));

  self->ready = !!ready;
  if (self->ready && self->waiting)
    {
      self->waiting = FALSE;
      request_page (self);
    }
}

/**
 * lens_sync_set_interval:
 * @seconds: how often to sync in the background; 0 for never
 *
 * "Keep in sync": a sync at BACKGROUND priority every @seconds while the
 * app runs (the first one @seconds from now), skipped while one is under
 * way or no token is set.
 */
void
lens_sync_set_interval (LensSync *self,
                        guint     seconds)
{
  g_return_if_fail (LENS_IS_SYNC (self));

  if (self->interval_s == seconds)
    return;
  self->interval_s = seconds;
  g_clear_handle_id (&self->interval_id, g_source_remove);
  if (seconds > 0)
    self->interval_id = g_timeout_add_seconds (seconds, interval_cb, self);
}

guint
lens_sync_get_interval (LensSync *self)
{
  g_return_val_if_fail (LENS_IS_SYNC (self), 0);
  return self->interval_s;
}

gboolean
lens_sync_get_running (LensSync *self)
{
  g_return_val_if_fail (LENS_IS_SYNC (self), FALSE);
  return self->running;
}

guint
lens_sync_get_n_done (LensSync *self)
{
  g_return_val_if_fail (LENS_IS_SYNC (self), 0);
  return self->n_done;
}

guint
lens_sync_get_n_total (LensSync *self)
{
  g_return_val_if_fail (LENS_IS_SYNC (self), 0);
  return self->n_total;
}

guint
lens_sync_get_n_added (LensSync *self)
{
  g_return_val_if_fail (LENS_IS_SYNC (self), 0);
  return self->n_added;
}
