/* lens-fake-api.c — a local stand-in for the AceData Midjourney Tasks API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request is first logged, then checked against the queue of faults for
 * its target; a request no fault claims is checked against the limits of a
 * token (lens-fake-limits.c) and gets the answer the contract in API.md
 * describes. Answers are built as LensFakeAnswer values before they are
 * sent, so that faults such as a truncated body can reuse the real answer.
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include <string.h>

#include <libsoup/soup.h>

#include "lens-fake-api-private.h"

#define DEFAULT_RUNNING_DURATION 60000

G_DEFINE_FINAL_TYPE (LensFakeApi, lens_fake_api, G_TYPE_OBJECT)

/* Request log */

static void
lens_fake_request_free (gpointer data)
{
  LensFakeRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->body);
  g_free (request->authorization);
  g_free (request->user_agent);
  g_free (request->content_type);
  g_free (request->accept);
  g_free (request);
}

static void
log_request (LensFakeApi       *self,
             SoupServerMessage *msg,
             const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  LensFakeRequest *request = g_new0 (LensFakeRequest, 1);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  request->body = size > 0 ? g_strndup (data, size) : NULL;
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  request->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  request->accept = g_strdup (soup_message_headers_get_one (headers, "Accept"));
  g_ptr_array_add (self->requests, request);
}

/* Records */

static void
current_clock (LensFakeApi   *self,
               LensFakeClock *clock)
{
  clock->base_url = self->url;
  clock->epoch = self->epoch;
  clock->running_duration = self->running_duration;
  clock->now_usec = g_get_monotonic_time ();
}

JsonNode *
lens_fake_api_render_record (LensFakeApi *self,
                             const char  *id,
                             gboolean     absolute)
{
  LensFakeRecord *record = g_hash_table_lookup (self->records, id);
  LensFakeClock clock;

  if (record == NULL)
    return NULL;

  current_clock (self, &clock);
  if (!absolute)
    clock.base_url = NULL;

  return lens_fake_record_render (record, &clock);
}

/* Returns (transfer full) (nullable): the JSON text of the record @id as a
 * batch answer carries it (absolute URLs), or %NULL if there is none.
 *
 * A finished record never changes, so its text is made once: the server
 * shares the machine's cores with the client it serves, and rebuilding and
 * writing out 50 records for every batch would make the client look slower
 * than it is. A running record changes with time and is made every time. */
char *
lens_fake_api_serve_record (LensFakeApi *self,
                            const char  *id)
{
  LensFakeRecord *record = g_hash_table_lookup (self->records, id);
  const char *served;
  g_autoptr(JsonNode) node = NULL;
  char *text;

  if (record == NULL)
    return NULL;
  served = g_hash_table_lookup (self->served, id);
  if (served != NULL)
    return g_strdup (served);

  node = lens_fake_api_render_record (self, id, TRUE);
  text = json_to_string (node, FALSE);
  if (!record->running)
    g_hash_table_insert (self->served, g_strdup (id), g_strdup (text));
  return text;
}

/* Takes @record, replacing any with its id. */
void
lens_fake_api_insert_record (LensFakeApi    *self,
                             LensFakeRecord *record)
{
  g_hash_table_remove (self->served, record->id);
  g_hash_table_replace (self->records, record->id, record);
}

/* Routing */

LensFakeAnswer *
lens_fake_api_route (LensFakeApi       *self,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, LENS_FAKE_TASKS_PATH))
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) body = soup_message_body_flatten (request_body);

      return lens_fake_answer_tasks (self, method,
                                     soup_message_headers_get_one (headers, "Authorization"),
                                     body, self->token);
    }

  if (g_str_has_prefix (path, "/images/"))
    return lens_fake_answer_image (self, method, path + strlen ("/images/"), query,
                                   g_uri_get_query (soup_server_message_get_uri (msg)));

  if (g_str_has_prefix (path, "/videos/"))
    return lens_fake_answer_video (self, method, path + strlen ("/videos/"));

  return lens_fake_answer_error (SOUP_STATUS_NOT_FOUND, "no_api", "No API at this path");
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  LensFakeApi *self = user_data;
  g_autoptr(LensFakeAnswer) answer = NULL;

  log_request (self, msg, path);
  if (lens_fake_api_apply_fault (self, msg, path, query)
      || lens_fake_api_apply_limits (self, msg, path, query))
    return;

  answer = lens_fake_api_route (self, msg, path, query);
  lens_fake_answer_apply (answer, msg);
}

/* Batch answers cut short */

/**
 * lens_fake_api_take_hidden:
 *
 * Called once for every id a retrieve_batch asks for.
 *
 * Returns: %TRUE if this answer leaves @id out of its items
 */
gboolean
lens_fake_api_take_hidden (LensFakeApi *self,
                           const char  *id)
{
  gpointer remaining;

  if (!g_hash_table_lookup_extended (self->hidden, id, NULL, &remaining))
    return FALSE;

  if (GPOINTER_TO_UINT (remaining) == G_MAXUINT)
    return TRUE;
  if (GPOINTER_TO_UINT (remaining) <= 1)
    g_hash_table_remove (self->hidden, id);
  else
    g_hash_table_insert (self->hidden, g_strdup (id),
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (remaining) - 1));
  return TRUE;
}

/* Images, cached by what they show */

GBytes *
lens_fake_api_get_image (LensFakeApi        *self,
                         const char         *id,
                         LensFakeImageStyle  style,
                         int                 hue_shift,
                         int                 width,
                         int                 height,
                         char              **out_etag)
{
  g_autofree char *key = g_strdup_printf ("%s/%d/%d/%dx%d/%u", id, style, hue_shift, width, height,
                                          self->image_grain);
  GBytes *bytes = g_hash_table_lookup (self->images, key);
  const char *etag;

  if (bytes == NULL)
    {
      bytes = lens_fake_image_make_png (id, style, hue_shift, width, height, self->image_grain);
      g_hash_table_insert (self->images, g_steal_pointer (&key), bytes);
    }

  /* Hashing a 2 MB picture for every request would make the server, not
   * the client, what a benchmark that moves pictures measures. */
  etag = g_hash_table_lookup (self->image_etags, bytes);
  if (etag == NULL)
    {
      g_autofree char *sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, bytes);

      etag = g_strdup_printf ("\"%s\"", sha1);
      g_hash_table_insert (self->image_etags, bytes, (char *) etag);
    }
  *out_etag = g_strdup (etag);

  return g_bytes_ref (bytes);
}

/* GObject */

static void
lens_fake_api_dispose (GObject *object)
{
  LensFakeApi *self = LENS_FAKE_API (object);

  g_ptr_array_set_size (self->work, 0);
  g_ptr_array_set_size (self->held, 0);
  if (self->new_tasks != NULL)
    g_source_destroy (self->new_tasks);
  g_clear_pointer (&self->new_tasks, g_source_unref);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (lens_fake_api_parent_class)->dispose (object);
}

static void
lens_fake_api_finalize (GObject *object)
{
  LensFakeApi *self = LENS_FAKE_API (object);

  g_queue_clear_full (&self->faults, lens_fake_pending_fault_free);
  g_clear_pointer (&self->records, g_hash_table_unref);
  g_clear_pointer (&self->served, g_hash_table_unref);
  g_clear_pointer (&self->image_etags, g_hash_table_unref);
  g_clear_pointer (&self->images, g_hash_table_unref);
  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->work, g_ptr_array_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->admitted, g_array_unref);
  g_free (self->rate_code);
  g_free (self->concurrency_code);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->token);
  g_free (self->url);

  G_OBJECT_CLASS (lens_fake_api_parent_class)->finalize (object);
}

static void
lens_fake_api_class_init (LensFakeApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_fake_api_dispose;
  object_class->finalize = lens_fake_api_finalize;
}

static void
lens_fake_api_init (LensFakeApi *self)
{
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) lens_fake_record_free);
  self->served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_bytes_unref);
  self->image_etags = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->faults);
  self->requests = g_ptr_array_new_with_free_func (lens_fake_request_free);
  self->work = g_ptr_array_new_with_free_func (lens_fake_work_free);
  self->held = g_ptr_array_new_with_free_func (lens_fake_held_free);
  self->admitted = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->running_duration = DEFAULT_RUNNING_DURATION;
  self->epoch = g_get_real_time () / (double) G_USEC_PER_SEC;
}

/* Public API */

/**
 * lens_fake_api_new:
 * @token: (nullable): the bearer token to require; %NULL accepts any
 *
 * Returns: (transfer full): a fake server, not yet listening
 */
LensFakeApi *
lens_fake_api_new (const char *token)
{
  LensFakeApi *self = g_object_new (LENS_TYPE_FAKE_API, NULL);

  self->token = g_strdup (token);
  return self;
}

/**
 * lens_fake_api_start:
 * @port: the port on 127.0.0.1, or 0 for a free one
 *
 * Listens on the thread-default main context of the caller, which must then
 * be iterated for the server to answer.
 */
gboolean
lens_fake_api_start (LensFakeApi  *self,
                     guint         port,
                     GError      **error)
{
  GSList *uris;

  g_return_val_if_fail (LENS_IS_FAKE_API (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "tasklens-fake-api ", NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);

  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      g_clear_object (&self->server);
      g_clear_pointer (&self->context, g_main_context_unref);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_hash_table_remove_all (self->served);  /* their URLs name the server */
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

/**
 * lens_fake_api_get_url:
 *
 * Returns: (nullable): the base URL, e.g. "http://127.0.0.1:40123", once started
 */
const char *
lens_fake_api_get_url (LensFakeApi *self)
{
  g_return_val_if_fail (LENS_IS_FAKE_API (self), NULL);

  return self->url;
}

/**
 * lens_fake_api_add_record:
 * @record_json: a task record: a JSON object with a string "id"
 *
 * Adds or replaces a record served as is, except that URLs beginning with "/"
 * are made absolute against the server. Listings place it by its
 * "created_at" (a record without one counts as created in 1970, the oldest),
 * so this also puts a task anywhere in the account's history.
 */
void
lens_fake_api_add_record (LensFakeApi *self,
                          const char  *record_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonNode *id;

  g_return_if_fail (LENS_IS_FAKE_API (self));
  g_return_if_fail (record_json != NULL);

  if (!json_parser_load_from_data (parser, record_json, -1, &error))
    {
      g_critical ("Fake record is not JSON: %s", error->message);
      return;
    }

  root = json_parser_get_root (parser);
  id = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
       ? json_object_get_member (json_node_get_object (root), "id") : NULL;
  if (id == NULL || json_node_get_value_type (id) != G_TYPE_STRING)
    {
      g_critical ("Fake record must be a JSON object with a string \"id\"");
      return;
    }

  lens_fake_api_insert_record (self, lens_fake_record_new_fixed (json_node_copy (root)));
}

/**
 * lens_fake_api_seed_examples:
 *
 * Adds every record from the documented examples, with their image URLs
 * pointing at this server.
 *
 * Returns: the number of distinct records the examples hold
 */
guint
lens_fake_api_seed_examples (LensFakeApi *self)
{
  g_autoptr(GPtrArray) records = NULL;
  guint count;

  g_return_val_if_fail (LENS_IS_FAKE_API (self), 0);

  /* Counted first: inserting a record frees any earlier one with its id. */
  records = lens_fake_examples_load ();
  count = lens_fake_examples_count_distinct (records);

  g_ptr_array_set_free_func (records, NULL);
  for (guint i = 0; i < records->len; i++)
    lens_fake_api_insert_record (self, g_ptr_array_index (records, i));

  return count;
}

/**
 * lens_fake_api_seed_generated:
 * @kind: what kind of task to make
 * @count: how many
 *
 * Makes @count more records of @kind, with ids from lens_fake_api_make_id()
 * of "KIND-N" (e.g. "imagine-17"), N counting on from earlier calls.
 *
 * Returns: (transfer full): the new ids, in order
 */
GStrv
lens_fake_api_seed_generated (LensFakeApi      *self,
                              LensFakeTaskKind  kind,
                              guint             count)
{
  GStrv ids;

  g_return_val_if_fail (LENS_IS_FAKE_API (self), NULL);
  g_return_val_if_fail (kind < LENS_FAKE_N_TASK_KINDS, NULL);

  ids = g_new0 (char *, count + 1);
  for (guint i = 0; i < count; i++)
    {
      LensFakeRecord *record = lens_fake_record_new_generated (kind, self->next_index[kind]++,
                                                               self->epoch);

      ids[i] = g_strdup (record->id);
      lens_fake_api_insert_record (self, record);
    }

  return ids;
}

static int
compare_created_at (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  GHashTable *records = user_data;
  const LensFakeRecord *ra = g_hash_table_lookup (records, a);
  const LensFakeRecord *rb = g_hash_table_lookup (records, b);

  return (ra->created_at > rb->created_at) - (ra->created_at < rb->created_at);
}

/* Running demo tasks start at different points, so that the demo shows a
 * pending one next to others already well along. */
static void
stagger_running (LensFakeApi *self,
                 GStrv        ids)
{
  for (guint i = 0; ids[i] != NULL; i++)
    {
      LensFakeRecord *record = g_hash_table_lookup (self->records, ids[i]);

      record->phase_offset = 0.35 * i;
      record->created_at -= record->phase_offset * self->running_duration / 1000.0;
    }
}

static void
append_ids (GPtrArray *all,
            GStrv      ids)
{
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (all, ids[i]);

  /* The strings now belong to @all. */
  g_free (ids);
}

/**
 * lens_fake_api_seed_demo:
 *
 * Seeds a good-looking mixed set for the demo: the examples, finished tasks
 * of every kind, failures and running tasks.
 *
 * Returns: (transfer full): the ids, oldest first
 */
GStrv
lens_fake_api_seed_demo (LensFakeApi *self)
{
  static const struct { LensFakeTaskKind kind; guint count; } plan[] = {
    { LENS_FAKE_TASK_IMAGINE, 6 }, { LENS_FAKE_TASK_UPSCALE, 2 }, { LENS_FAKE_TASK_DESCRIBE, 2 },
    { LENS_FAKE_TASK_VIDEOS, 1 }, { LENS_FAKE_TASK_EDITS, 1 }, { LENS_FAKE_TASK_FAILED, 2 },
  };
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) examples = NULL;
  GStrv running;

  g_return_val_if_fail (LENS_IS_FAKE_API (self), NULL);

  examples = lens_fake_examples_load ();
  for (guint i = 0; i < examples->len; i++)
    {
      LensFakeRecord *record = g_ptr_array_index (examples, i);

      if (!g_hash_table_contains (self->records, record->id))
        g_ptr_array_add (all, g_strdup (record->id));
      lens_fake_api_insert_record (self, record);
    }
  g_ptr_array_set_free_func (examples, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (plan); i++)
    append_ids (all, lens_fake_api_seed_generated (self, plan[i].kind, plan[i].count));

  running = lens_fake_api_seed_generated (self, LENS_FAKE_TASK_RUNNING, 3);
  stagger_running (self, running);
  append_ids (all, running);

  g_ptr_array_sort_values_with_data (all, compare_created_at, self->records);
  g_ptr_array_add (all, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&all), FALSE);
}

/**
 * lens_fake_api_set_running_duration:
 * @milliseconds: how long a running task takes from seeding to done
 */
void
lens_fake_api_set_running_duration (LensFakeApi *self,
                                    guint        milliseconds)
{
  g_return_if_fail (LENS_IS_FAKE_API (self));

  self->running_duration = milliseconds;
}

/**
 * lens_fake_api_set_image_grain:
 * @grain: how far (0 to 255) the noise added to each pixel's channels goes;
 *   0, the default, for smooth pictures
 *
 * Images drawn afterwards get a grain, which makes their PNGs as large as a
 * real render's: about 2 MB for a 1024×1024 grid at 8.
 */
void
lens_fake_api_set_image_grain (LensFakeApi *self,
                               guint        grain)
{
  g_return_if_fail (LENS_IS_FAKE_API (self));
  g_return_if_fail (grain <= 255);

  self->image_grain = grain;
}

/**
 * lens_fake_api_hide_from_batch:
 * @id: a task id
 * @times: how many retrieve_batch answers leave it out; %G_MAXUINT until
 *   called again; 0 stops hiding it
 *
 * The next @times retrieve_batch answers that ask for @id leave it out of
 * their items, while their count still counts it: an answer cut short, as a
 * real server may send. A single retrieve still finds it.
 */
void
lens_fake_api_hide_from_batch (LensFakeApi *self,
                               const char  *id,
                               guint        times)
{
  g_return_if_fail (LENS_IS_FAKE_API (self));
  g_return_if_fail (id != NULL);

  if (times == 0)
    g_hash_table_remove (self->hidden, id);
  else
    g_hash_table_insert (self->hidden, g_strdup (id), GUINT_TO_POINTER (times));
}

/**
 * lens_fake_api_set_batch_cut:
 * @max_items: the most items a retrieve_batch answer carries; 0 for no cut
 *
 * Every later retrieve_batch answer carries at most @max_items items, while
 * its count is the number of all that matched.
 */
void
lens_fake_api_set_batch_cut (LensFakeApi *self,
                             guint        max_items)
{
  g_return_if_fail (LENS_IS_FAKE_API (self));

  self->batch_cut = max_items;
}

/**
 * lens_fake_api_get_requests:
 *
 * Returns: (transfer none) (element-type LensFakeRequest): every request so far
 */
GPtrArray *
lens_fake_api_get_requests (LensFakeApi *self)
{
  g_return_val_if_fail (LENS_IS_FAKE_API (self), NULL);

  return self->requests;
}

/**
 * lens_fake_api_count_requests:
 * @path: (nullable): a path without query, or %NULL for all requests
 */
guint
lens_fake_api_count_requests (LensFakeApi *self,
                              const char  *path)
{
  guint count = 0;

  g_return_val_if_fail (LENS_IS_FAKE_API (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      LensFakeRequest *request = g_ptr_array_index (self->requests, i);

      if (path == NULL || g_strcmp0 (request->path, path) == 0)
        count++;
    }

  return count;
}

/**
 * lens_fake_api_clear_requests:
 *
 * Forgets the requests so far, and starts counting anew what
 * lens_fake_api_count_refused() and lens_fake_api_get_max_in_flight_seen()
 * tell.
 */
void
lens_fake_api_clear_requests (LensFakeApi *self)
{
  g_return_if_fail (LENS_IS_FAKE_API (self));

  g_ptr_array_set_size (self->requests, 0);
  self->refused = 0;
  self->max_in_flight_seen = self->in_flight;
}

/**
 * lens_fake_api_make_id:
 * @seed: any string
 *
 * Returns: (transfer full): a lower-case UUID (version 4 form) that depends
 *   only on @seed
 */
char *
lens_fake_api_make_id (const char *seed)
{
  g_autofree char *hex = NULL;
  const char variant[] = "89ab";

  g_return_val_if_fail (seed != NULL, NULL);

  hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
  hex[12] = '4';
  hex[16] = variant[g_ascii_xdigit_value (hex[16]) & 3];

  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s",
                          hex, hex + 8, hex + 12, hex + 16, hex + 20);
}
