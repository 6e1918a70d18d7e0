/* lens-refresher.c — decides what to ask the server, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * New tasks are looked up at once: whatever is queued when the main loop is
 * next idle goes out in one retrieve_batch (the client chunks it). Tasks
 * still pending or running are asked for again on a fixed interval, all of
 * them in one batch. Finished tasks (done, failed, not found) are never asked
 * for again unless the user refreshes them.
 *
 * A task whose request failed keeps its state and is simply asked for again
 * in the next round; the failure itself is reported once through the
 * "failed" signal, for the window to show.
 */

#define G_LOG_DOMAIN "lens-refresher"

#include "config.h"

#include "lens-refresher.h"

struct _LensRefresher
{
  GObject       parent_instance;

  LensClient   *client;        /* owned */
  LensTaskList *tasks;         /* owned */
  GCancellable *cancellable;   /* owned: cancelled on dispose */
  GHashTable   *in_flight;     /* id (owned) → TRUE: asked for, no answer yet */
  guint         fetch_idle_id;
  guint         poll_id;
  guint         poll_ms;
  guint         n_batches;     /* batches under way */
};

G_DEFINE_FINAL_TYPE (LensRefresher, lens_refresher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The batch does not keep the refresher alive: disposing the refresher
 * cancels every batch, and a cancelled batch never touches it. */
typedef struct
{
  LensRefresher *self;   /* borrowed: valid unless the batch was cancelled */
  GStrv          ids;    /* owned: what this batch asked for */
} BatchData;

static void
batch_data_free (BatchData *data)
{
  g_strfreev (data->ids);
  g_free (data);
}

static void
set_batches (LensRefresher *self,
             guint          n_batches)
{
  gboolean was_busy = self->n_batches > 0;

  self->n_batches = n_batches;
  if (was_busy != (n_batches > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
batch_done_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BatchData *data = user_data;
  LensRefresher *self = data->self;
  g_autoptr(LensBatchResult) batch = NULL;
  g_autoptr(GError) error = NULL;

  batch = lens_client_retrieve_batch_finish (LENS_CLIENT (source_object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      batch_data_free (data);
      return;
    }

  for (guint i = 0; data->ids[i] != NULL; i++)
    g_hash_table_remove (self->in_flight, data->ids[i]);

  if (batch != NULL)
    {
      g_ptr_array_add (batch->answered_ids, NULL);
      lens_task_list_apply_records (self->tasks, (const char * const *) batch->answered_ids->pdata,
                                    batch->records);
      if (batch->error != NULL)
        g_signal_emit (self, signals[FAILED], 0, batch->error);
    }
  else
    {
      g_signal_emit (self, signals[FAILED], 0, error);
    }

  set_batches (self, self->n_batches - 1);
  batch_data_free (data);
}

/* Sends one batch for the tasks @wanted says, leaving out those already
 * asked for. Returns how many ids went out. */
static guint
send_batch (LensRefresher *self,
            gboolean     (*wanted) (LensTask *task))
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *model = G_LIST_MODEL (self->tasks);
  guint n_items = g_list_model_get_n_items (model);
  BatchData *data;
  guint n_ids = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (model, i);
      const char *id = lens_task_get_id (task);

      if (!wanted (task) || g_hash_table_contains (self->in_flight, id))
        continue;
      g_strv_builder_add (builder, id);
      g_hash_table_add (self->in_flight, g_strdup (id));
      n_ids++;
    }

  if (n_ids == 0)
    return 0;

  data = g_new0 (BatchData, 1);
  data->self = self;
  data->ids = g_strv_builder_end (builder);
  set_batches (self, self->n_batches + 1);
  lens_client_retrieve_batch_async (self->client, (const char * const *) data->ids,
                                    self->cancellable, batch_done_cb, data);
  return n_ids;
}

static gboolean
is_queued (LensTask *task)
{
  return lens_task_get_state (task) == LENS_TASK_STATE_QUEUED;
}

static gboolean
is_unfinished (LensTask *task)
{
  return !lens_task_is_finished (task);
}

static gboolean
fetch_queued_cb (gpointer user_data)
{
  LensRefresher *self = user_data;

  self->fetch_idle_id = 0;
  send_batch (self, is_queued);
  return G_SOURCE_REMOVE;
}

/* Coalesces: everything queued in one turn of the main loop goes out in one
 * batch, however many times this is called. */
static void
schedule_fetch (LensRefresher *self)
{
  if (self->fetch_idle_id == 0)
    self->fetch_idle_id = g_idle_add (fetch_queued_cb, self);
}

static gboolean
poll_cb (gpointer user_data)
{
  LensRefresher *self = user_data;

  send_batch (self, is_unfinished);
  return G_SOURCE_CONTINUE;
}

static void
items_changed_cb (LensRefresher *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *model)
{
  if (added > 0)
    schedule_fetch (self);
}

/**
 * lens_refresher_refresh:
 * @ids: (array zero-terminated=1): tasks to ask for again now, finished or
 *   not (the user asked)
 */
void
lens_refresher_refresh (LensRefresher      *self,
                        const char * const *ids)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  g_return_if_fail (ids != NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      LensTask *task = lens_task_list_lookup (self->tasks, ids[i]);

      if (task != NULL && !g_hash_table_contains (self->in_flight, lens_task_get_id (task)))
        lens_task_mark_queued (task);
    }
  schedule_fetch (self);
}

/**
 * lens_refresher_refresh_unfinished:
 *
 * Asks for every task that is not finished now, without waiting for the
 * next round.
 *
 * Returns: how many tasks were asked for
 */
guint
lens_refresher_refresh_unfinished (LensRefresher *self)
{
  g_return_val_if_fail (LENS_IS_REFRESHER (self), 0);

  return send_batch (self, is_unfinished);
}

void
lens_refresher_set_poll_interval (LensRefresher *self,
                                  guint          milliseconds)
{
  g_return_if_fail (LENS_IS_REFRESHER (self));
  g_return_if_fail (milliseconds > 0);

  self->poll_ms = milliseconds;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->poll_id = g_timeout_add (self->poll_ms, poll_cb, self);
}

gboolean
lens_refresher_get_busy (LensRefresher *self)
{
  g_return_val_if_fail (LENS_IS_REFRESHER (self), FALSE);
  return self->n_batches > 0;
}

static void
lens_refresher_dispose (GObject *object)
{
  LensRefresher *self = LENS_REFRESHER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->fetch_idle_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->tasks != NULL)
    g_signal_handlers_disconnect_by_data (self->tasks, self);
  g_clear_object (&self->tasks);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (lens_refresher_parent_class)->dispose (object);
}

static void
lens_refresher_finalize (GObject *object)
{
  LensRefresher *self = LENS_REFRESHER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);

  G_OBJECT_CLASS (lens_refresher_parent_class)->finalize (object);
}

static void
lens_refresher_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LensRefresher *self = LENS_REFRESHER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_batches > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_refresher_class_init (LensRefresherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_refresher_dispose;
  object_class->finalize = lens_refresher_finalize;
  object_class->get_property = lens_refresher_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensRefresher::failed:
   * @error: why a lookup failed (a LENS_CLIENT_ERROR)
   *
   * A lookup failed; the tasks it was for keep their state and are asked for
   * again in the next round.
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
lens_refresher_init (LensRefresher *self)
{
  self->cancellable = g_cancellable_new ();
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * lens_refresher_new:
 *
 * Starts watching @tasks: what is queued is looked up at once, what is
 * unfinished every few seconds.
 */
LensRefresher *
lens_refresher_new (LensClient   *client,
                    LensTaskList *tasks)
{
  LensRefresher *self;

  g_return_val_if_fail (LENS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), NULL);

  self = g_object_new (LENS_TYPE_REFRESHER, NULL);
  self->client = g_object_ref (client);
  self->tasks = g_object_ref (tasks);
  g_signal_connect_swapped (tasks, "items-changed", G_CALLBACK (items_changed_cb), self);
  lens_refresher_set_poll_interval (self, LENS_REFRESHER_DEFAULT_POLL_MS);
  if (g_list_model_get_n_items (G_LIST_MODEL (tasks)) > 0)
    schedule_fetch (self);

  return self;
}
