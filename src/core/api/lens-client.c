/* lens-client.c — the AceData Midjourney Tasks API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensClient knows HTTP and JSON, and nothing of GTK or storage. It is given
 * its SoupSession, base URL and token; it builds the request bodies, splits
 * large sets of ids into chunks (each with `limit` equal to its size, since
 * the server silently stops at 12 otherwise), and checks the shape of what
 * comes back (the checks themselves in lens-client-answer.c). Sending,
 * retrying and parsing live in lens-client-request.c.
 */

#define G_LOG_DOMAIN "lens-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-client-answer.h"
#include "lens-client-private.h"
#include "lens-free-later.h"
#include "lens-http.h"
#include "lens-id-parser.h"
#include "lens-json.h"
#include "lens-prepared-record.h"

/* Enough for the largest batch many times over; a larger answer is refused
 * before it can exhaust memory. */
#define DEFAULT_MAX_BODY_SIZE  (32 * 1024 * 1024)
#define DEFAULT_MAX_RETRIES    5
#define DEFAULT_BASE_DELAY_MS  1000
/* How many times the ids an answer cut off are asked for again. */
#define MAX_FOLLOW_UPS         2

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BASE_URL,
  PROP_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CREDENTIALS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LensClient, lens_client, G_TYPE_OBJECT)

void
lens_batch_result_free (LensBatchResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->prepared, g_ptr_array_unref);
  g_clear_pointer (&result->answered_ids, g_ptr_array_unref);
  g_clear_pointer (&result->failed_ids, g_ptr_array_unref);
  g_clear_error (&result->error);
  g_free (result);
}

static LensBatchResult *
lens_batch_result_new (void)
{
  LensBatchResult *result = g_new0 (LensBatchResult, 1);

  result->answered_ids = g_ptr_array_new_with_free_func (g_free);
  result->failed_ids = g_ptr_array_new_with_free_func (g_free);
  return result;
}

static GBytes *
build_body (const char         *action,
            const char         *id,
            const char * const *ids,
            guint               n_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  if (id != NULL)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
    }
  if (ids != NULL)
    {
      json_builder_set_member_name (builder, "ids");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_ids; i++)
        json_builder_add_string_value (builder, ids[i]);
      json_builder_end_array (builder);
      /* Without it the server stops at 12 records, silently. */
      json_builder_set_member_name (builder, "limit");
      json_builder_add_int_value (builder, n_ids);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

/* ─── retrieve ─────────────────────────────────────────────────────────── */

static void
retrieve_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) record = NULL;
  GError *error = NULL;

  root = lens_client_request_finish (LENS_CLIENT (source_object), result, &error);
  if (root == NULL || !_lens_client_answer_get_record (root, &record, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* NULL: the server does not know the id. */
  g_task_return_pointer (task, g_steal_pointer (&record), (GDestroyNotify) json_node_unref);
}

/**
 * lens_client_retrieve_async:
 * @self: the client
 * @id: a task id
 * @priority: who is waiting for the answer
 *
 * Looks up one task (`"action": "retrieve"`).
 */
void
lens_client_retrieve_async (LensClient          *self,
                            const char          *id,
                            LensRequestPriority  priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (LENS_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_client_retrieve_async);

  body = build_body ("retrieve", id, NULL, 0);
  lens_client_request_async (self, body, priority, 0, 1, cancellable, retrieve_cb,
                             g_steal_pointer (&task));
}

/**
 * lens_client_retrieve_finish:
 * @out_record: (out) (transfer full) (optional) (nullable): the task record,
 *   or %NULL when the server does not know the id
 *
 * Returns: %FALSE with @error set when the request failed
 */
gboolean
lens_client_retrieve_finish (LensClient    *self,
                             GAsyncResult  *result,
                             JsonNode     **out_record,
                             GError       **error)
{
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  record = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (out_record != NULL)
    *out_record = g_steal_pointer (&record);
  return TRUE;
}

/* ─── retrieve_batch ───────────────────────────────────────────────────── */

typedef struct
{
  LensBatchResult *result;           /* owned */
  GPtrArray       *records;          /* owned, of JsonNode: read and freed in a worker */
  GCancellable    *cancellable;      /* owned: cancels the chunks still out */
  gulong           chain_id;
  guint            n_pending;
  GError          *fatal_error;      /* owned, nullable */
} BatchData;

typedef struct
{
  GTask               *batch_task;   /* owned */
  GStrv                ids;          /* owned: the ids of this chunk */
  LensRequestPriority  priority;
  guint                group;
  guint                follow_up;    /* 0 for the chunk itself, then 1, 2… */
} ChunkData;

static void
batch_data_free (BatchData *data)
{
  lens_batch_result_free (data->result);
  g_clear_pointer (&data->records, g_ptr_array_unref);
  g_clear_object (&data->cancellable);
  g_clear_error (&data->fatal_error);
  g_free (data);
}

static void
chunk_data_free (ChunkData *chunk)
{
  g_clear_object (&chunk->batch_task);
  g_strfreev (chunk->ids);
  g_free (chunk);
}

static void chunk_send (LensClient *self,
                        ChunkData  *chunk);

static void
add_failed (LensBatchResult    *result,
            const char * const *ids,
            GError            **error)
{
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (result->failed_ids, g_strdup (ids[i]));
  if (result->error == NULL)
    result->error = g_steal_pointer (error);
  else
    g_clear_error (error);
}

/* Keeps the records for ids of this chunk (lens-client-answer.c). An id
 * without a record is answered (unknown to the server) unless the answer's
 * `count` says more tasks matched than it held: then the ids that did not
 * come back were cut off, and are asked for again, at most
 * MAX_FOLLOW_UPS times; after that they fail, transiently. */
static GError *
collect_records (LensClient *self,
                 JsonNode   *root,
                 ChunkData  *chunk,
                 BatchData  *data)
{
  LensBatchResult *result = data->result;
  g_autoptr(GHashTable) returned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GStrvBuilder) cut_off = g_strv_builder_new ();
  g_auto(GStrv) cut_off_ids = NULL;
  guint first = data->records->len;
  gint64 count = -1;
  GError *error = NULL;

  if (!_lens_client_answer_collect_records (root, (const char * const *) chunk->ids,
                                            data->records, &count, &error))
    return error;

  for (guint i = first; i < data->records->len; i++)
    {
      JsonNode *record = g_ptr_array_index (data->records, i);
      const char *id = lens_json_get_string (json_node_get_object (record), "id");

      g_hash_table_add (returned, g_ascii_strdown (id, -1));
    }

  for (guint i = 0; chunk->ids[i] != NULL; i++)
    {
      if (count > (gint64) g_hash_table_size (returned)
          && !g_hash_table_contains (returned, chunk->ids[i]))
        g_strv_builder_add (cut_off, chunk->ids[i]);
      else
        g_ptr_array_add (result->answered_ids, g_strdup (chunk->ids[i]));
    }

  cut_off_ids = g_strv_builder_end (cut_off);
  if (cut_off_ids[0] == NULL)
    return NULL;

  if (chunk->follow_up < MAX_FOLLOW_UPS)
    {
      ChunkData *again = g_new0 (ChunkData, 1);

      again->batch_task = g_object_ref (chunk->batch_task);
      again->ids = g_steal_pointer (&cut_off_ids);
      again->priority = chunk->priority;
      again->group = chunk->group;
      again->follow_up = chunk->follow_up + 1;
      data->n_pending++;
      chunk_send (self, again);
      return NULL;
    }

  error = g_error_new_literal (LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INCOMPLETE_ANSWER,
                               _("The AceData API answered only part of a batch; "
                                 "Tasklens will ask for the rest again"));
  add_failed (result, (const char * const *) cut_off_ids, &error);
  return NULL;
}

static void
prepare_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BatchData *data = task_data;

  data->result->prepared = lens_prepared_records_new_all (data->records);
  g_clear_pointer (&data->records, g_ptr_array_unref);
  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) batch_task = user_data;
  BatchData *data = g_task_get_task_data (batch_task);

  g_task_return_pointer (batch_task, g_steal_pointer (&data->result),
                         (GDestroyNotify) lens_batch_result_free);
}

/* Reading the records into task values, and freeing their JSON, cost more
 * than anything else the main thread would do with an answer: both are
 * done in a worker, once the whole batch is in (lens-prepared-record.c). */
static void
prepare_and_return (GTask *batch_task)
{
  BatchData *data = g_task_get_task_data (batch_task);
  g_autoptr(GTask) worker = g_task_new (NULL, NULL, prepared_cb, g_object_ref (batch_task));

  g_task_set_source_tag (worker, prepare_and_return);
  g_task_set_static_name (worker, "[tasklens] prepare records");
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, prepare_in_thread);
}

static void
batch_maybe_complete (GTask *batch_task)
{
  BatchData *data = g_task_get_task_data (batch_task);
  LensBatchResult *result = data->result;

  if (data->n_pending > 0)
    return;

  g_cancellable_disconnect (g_task_get_cancellable (batch_task), data->chain_id);
  data->chain_id = 0;

  if (g_task_return_error_if_cancelled (batch_task))
    return;

  /* A token, payment or address problem stops the whole batch, and so does
   * a batch of which no chunk was answered. */
  if (data->fatal_error != NULL)
    g_task_return_error (batch_task, g_steal_pointer (&data->fatal_error));
  else if (result->answered_ids->len == 0 && result->error != NULL)
    g_task_return_error (batch_task, g_error_copy (result->error));
  else
    prepare_and_return (batch_task);
}

static void
chunk_cb (GObject      *source_object,
          GAsyncResult *res,
          gpointer      user_data)
{
  ChunkData *chunk = user_data;
  LensClient *self = LENS_CLIENT (source_object);
  GTask *batch_task = chunk->batch_task;
  BatchData *data = g_task_get_task_data (batch_task);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = lens_client_request_finish (self, res, &error);
  if (root != NULL)
    error = collect_records (self, root, chunk, data);

  if (error != NULL)
    {
      if (lens_client_error_is_fatal (error) && data->fatal_error == NULL
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          data->fatal_error = g_error_copy (error);
          g_cancellable_cancel (data->cancellable);
        }
      add_failed (data->result, (const char * const *) chunk->ids, &error);
    }

  data->n_pending--;
  batch_maybe_complete (batch_task);
  chunk_data_free (chunk);
  /* Parsed in a worker: what is left of it (the records are the batch's
   * now) is freed by a worker too (lens-free-later.c). */
  lens_free_later (g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
}

/* Takes @chunk. */
static void
chunk_send (LensClient *self,
            ChunkData  *chunk)
{
  BatchData *data = g_task_get_task_data (chunk->batch_task);
  guint n = g_strv_length (chunk->ids);
  g_autoptr(GBytes) body = NULL;

  body = build_body ("retrieve_batch", NULL, (const char * const *) chunk->ids, n);
  lens_client_request_async (self, body, chunk->priority, chunk->group, n, data->cancellable, chunk_cb,
                             chunk);
}

/**
 * lens_client_new_group:
 *
 * Returns: a number for the requests of one action, which wait together
 *   (see lens_client_retrieve_batch_async()); never 0
 */
guint
lens_client_new_group (LensClient *self)
{
  g_return_val_if_fail (LENS_IS_CLIENT (self), 0);

  /* Wrapping around after four billion actions skips 0; a number still in
   * use by then is merely shared. */
  if (++self->last_group == 0)
    self->last_group = 1;
  return self->last_group;
}

/**
 * lens_client_retrieve_batch_async:
 * @self: the client
 * @ids: (array zero-terminated=1): task ids
 * @priority: who is waiting for the answer
 * @group: a number from lens_client_new_group() that the requests of one
 *   action share, when it makes more than one call; 0 for a group of this
 *   call's own
 *
 * Looks up many tasks with `"action": "retrieve_batch"`, in chunks of at most
 * the chunk size (50 by default), each with `limit` set to its size. The
 * chunks go out together and wait their turn for the client's few slots,
 * as one group: small groups go first (see lens-scheduler.c).
 */
void
lens_client_retrieve_batch_async (LensClient          *self,
                                  const char * const  *ids,
                                  LensRequestPriority  priority,
                                  guint                group,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) unique = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BatchData *data;

  g_return_if_fail (LENS_IS_CLIENT (self));
  g_return_if_fail (ids != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_client_retrieve_batch_async);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      char *id = g_ascii_strdown (ids[i], -1);

      if (g_hash_table_add (seen, id))
        g_ptr_array_add (unique, id);
      else
        g_free (id);
    }

  data = g_new0 (BatchData, 1);
  data->result = lens_batch_result_new ();
  data->records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  data->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) batch_data_free);
  data->chain_id = lens_http_chain_cancellable (cancellable, data->cancellable);

  /* Every chunk is counted before any is sent, so that a chunk failing at
   * once cannot complete the batch early. */
  data->n_pending = (unique->len + self->chunk_size - 1) / self->chunk_size;
  data->n_pending++;
  if (group == 0)
    group = lens_client_new_group (self);

  for (guint start = 0; start < unique->len; start += self->chunk_size)
    {
      guint n = MIN (self->chunk_size, unique->len - start);
      ChunkData *chunk = g_new0 (ChunkData, 1);

      chunk->batch_task = g_object_ref (task);
      chunk->priority = priority;
      chunk->group = group;
      chunk->ids = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        chunk->ids[i] = g_strdup (g_ptr_array_index (unique, start + i));

      chunk_send (self, chunk);
    }

  data->n_pending--;
  batch_maybe_complete (task);
}

/**
 * lens_client_retrieve_batch_finish:
 *
 * Returns: (transfer full): what came back, including which chunks failed;
 *   %NULL with @error set when the batch was cancelled, when a token, payment
 *   or address problem stopped it, or when no chunk was answered at all
 */
LensBatchResult *
lens_client_retrieve_batch_finish (LensClient    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ─── configuration ────────────────────────────────────────────────────── */

/**
 * lens_client_get_scheduler:
 *
 * Returns: (transfer none): the scheduler every request of this client
 *   waits in; it starts learning afresh when the URL or the token changes
 */
LensScheduler *
lens_client_get_scheduler (LensClient *self)
{
  g_return_val_if_fail (LENS_IS_CLIENT (self), NULL);
  return self->scheduler;
}

const char *
lens_client_get_base_url (LensClient *self)
{
  g_return_val_if_fail (LENS_IS_CLIENT (self), NULL);
  return self->base_url;
}

void
lens_client_set_base_url (LensClient *self,
                          const char *base_url)
{
  g_autofree char *trimmed = NULL;
  gsize length;

  g_return_if_fail (LENS_IS_CLIENT (self));

  if (base_url == NULL || *base_url == '\0')
    base_url = LENS_CLIENT_DEFAULT_URL;

  trimmed = g_strstrip (g_strdup (base_url));
  length = strlen (trimmed);
  while (length > 0 && trimmed[length - 1] == '/')
    trimmed[--length] = '\0';

  if (g_strcmp0 (self->base_url, trimmed) == 0)
    return;
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&trimmed);
  /* Another server, another limit. */
  lens_scheduler_forget (self->scheduler);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  g_signal_emit (self, signals[SIGNAL_CREDENTIALS_CHANGED], 0);
}

gboolean
lens_client_has_token (LensClient *self)
{
  g_return_val_if_fail (LENS_IS_CLIENT (self), FALSE);
  return self->token != NULL && *self->token != '\0';
}

/* The token is write-only: nothing can read it back out of the client. */
void
lens_client_set_token (LensClient *self,
                       const char *token)
{
  g_return_if_fail (LENS_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = (token != NULL && *token != '\0') ? g_strstrip (g_strdup (token)) : NULL;
  /* AceData limits each token on its own. */
  if (self->scheduler != NULL)
    lens_scheduler_forget (self->scheduler);
  g_signal_emit (self, signals[SIGNAL_CREDENTIALS_CHANGED], 0);
}

guint
lens_client_get_chunk_size (LensClient *self)
{
  g_return_val_if_fail (LENS_IS_CLIENT (self), LENS_CLIENT_DEFAULT_CHUNK_SIZE);
  return self->chunk_size;
}

/**
 * lens_client_set_chunk_size:
 * @chunk_size: how many ids go into one request; more than
 *   %LENS_CLIENT_MAX_CHUNK_SIZE is taken as that many
 */
void
lens_client_set_chunk_size (LensClient *self,
                            guint       chunk_size)
{
  g_return_if_fail (LENS_IS_CLIENT (self));
  g_return_if_fail (chunk_size > 0);
  self->chunk_size = MIN (chunk_size, LENS_CLIENT_MAX_CHUNK_SIZE);
}

/**
 * lens_client_set_retry_policy:
 * @max_retries: how many times a transient failure is tried again
 * @base_delay_ms: the first pause; each next one doubles (tests use a few ms)
 */
void
lens_client_set_retry_policy (LensClient *self,
                              guint       max_retries,
                              guint       base_delay_ms)
{
  g_return_if_fail (LENS_IS_CLIENT (self));
  self->max_retries = max_retries;
  self->base_delay_ms = base_delay_ms;
}

void
lens_client_set_max_body_size (LensClient *self,
                               gsize       max_body_size)
{
  g_return_if_fail (LENS_IS_CLIENT (self));
  g_return_if_fail (max_body_size > 0);
  self->max_body_size = max_body_size;
}

/**
 * lens_client_set_deadline:
 * @deadline_ms: how long one attempt of a request may take, from sending
 *   to the answer's last byte (LENS_HTTP_API_DEADLINE_MS unless set)
 *
 * The session's timeout bounds each read; this bounds the whole attempt.
 * An attempt over it fails with %LENS_CLIENT_ERROR_TIMEOUT, which is
 * retried like any timeout.
 */
void
lens_client_set_deadline (LensClient *self,
                          guint       deadline_ms)
{
  g_return_if_fail (LENS_IS_CLIENT (self));
  g_return_if_fail (deadline_ms > 0);
  self->deadline_ms = deadline_ms;
}

static void
lens_client_finalize (GObject *object)
{
  LensClient *self = (LensClient *) object;

  /* Requests hold a reference to the client, so none can be waiting now. */
  g_assert (lens_scheduler_get_n_waiting (self->scheduler) == 0);
  g_clear_object (&self->scheduler);

  lens_client_set_token (self, NULL);
  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (lens_client_parent_class)->finalize (object);
}

static void
lens_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LensClient *self = LENS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_client_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LensClient *self = LENS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_BASE_URL:
      lens_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_TOKEN:
      lens_client_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_client_constructed (GObject *object)
{
  LensClient *self = LENS_CLIENT (object);

  G_OBJECT_CLASS (lens_client_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = lens_http_create_session ();
  if (self->base_url == NULL)
    lens_client_set_base_url (self, NULL);
}

static void
lens_client_class_init (LensClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lens_client_constructed;
  object_class->finalize = lens_client_finalize;
  object_class->get_property = lens_client_get_property;
  object_class->set_property = lens_client_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, LENS_CLIENT_DEFAULT_URL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensClient::credentials-changed:
   *
   * The address or the token changed: what the server refused before may
   * be accepted now, or the other way round. (The token itself is
   * write-only; this is how it can be followed without being read.)
   */
  signals[SIGNAL_CREDENTIALS_CHANGED] =
    g_signal_new ("credentials-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lens_client_init (LensClient *self)
{
  self->chunk_size = LENS_CLIENT_DEFAULT_CHUNK_SIZE;
  self->max_retries = DEFAULT_MAX_RETRIES;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->max_body_size = DEFAULT_MAX_BODY_SIZE;
  self->deadline_ms = LENS_HTTP_API_DEADLINE_MS;
  self->scheduler = lens_scheduler_new ();
}

/**
 * lens_client_new:
 * @session: (nullable): the app's session; %NULL makes one
 * @base_url: (nullable): the API base URL; %NULL for AceData's
 * @token: (nullable): the API token
 */
LensClient *
lens_client_new (SoupSession *session,
                 const char  *base_url,
                 const char  *token)
{
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  return g_object_new (LENS_TYPE_CLIENT,
                       "session", session,
                       "base-url", base_url,
                       "token", token,
                       NULL);
}
