/* lens-fake-listing.c — the account's own tasks, a page at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A retrieve_batch without "ids" and "trace_ids" lists every task the server
 * knows (the fake has one account), newest first by created_at and, between
 * tasks created at the same moment, by id, so that pages never overlap while
 * nothing is added. offset and limit page (limit defaults to 12 like the real
 * server's and is capped at MAX_LIMIT); created_at_min, created_at_max
 * (inclusive) and type filter; count is the number of all tasks the filters
 * match, not the page size. A task added between two pages shifts the
 * offsets of all older ones by one, as on the real server: clients match by id.
 *
 * The list is sorted again on every request, from the records' kind and time
 * alone: only the page is rendered, so that 200 pages of an account of
 * 10,000 tasks stay cheap.
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include "lens-fake-api-private.h"

#define DEFAULT_LIMIT 12
#define MAX_LIMIT 100

typedef struct
{
  gint64      offset;
  gint64      limit;
  gboolean    has_min;
  double      min;
  gboolean    has_max;
  double      max;
  const char *type;    /* nullable: any type */
} Listing;

/**
 * lens_fake_parse_request:
 *
 * Returns: (transfer full) (nullable): the request body's object, or %NULL
 *   when it is not a JSON object
 */
JsonObject *
lens_fake_parse_request (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  JsonNode *root;

  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static gboolean
member_absent (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/**
 * lens_fake_listing_is_listing:
 * @request: (nullable): a tasks request body
 *
 * Returns: %TRUE if @request lists the account's tasks: a retrieve_batch
 *   without ids and trace_ids (a null one counts as absent)
 */
gboolean
lens_fake_listing_is_listing (JsonObject *request)
{
  JsonNode *action = request ? json_object_get_member (request, "action") : NULL;

  return action != NULL && json_node_get_value_type (action) == G_TYPE_STRING
         && g_str_equal (json_node_get_string (action), "retrieve_batch")
         && member_absent (request, "ids") && member_absent (request, "trace_ids");
}

static gboolean
read_count (JsonObject *request,
            const char *member,
            gint64      fallback,
            gint64      least,
            gint64     *value)
{
  JsonNode *node = json_object_get_member (request, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *value = fallback;
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < least)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_time (JsonObject *request,
           const char *member,
           gboolean   *present,
           double     *value)
{
  JsonNode *node = json_object_get_member (request, member);
  GType type;

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;

  *present = TRUE;
  *value = json_node_get_double (node);
  return TRUE;
}

/* Returns the message of a 400 for a parameter of the wrong type or range,
 * or %NULL when @listing is filled in. */
static const char *
read_listing (JsonObject *request,
              Listing    *listing)
{
  JsonNode *type = json_object_get_member (request, "type");

  if (!read_count (request, "offset", 0, 0, &listing->offset))
    return "offset must be a whole number, 0 or more";
  if (!read_count (request, "limit", DEFAULT_LIMIT, 1, &listing->limit))
    return "limit must be a whole number, 1 or more";
  if (!read_time (request, "created_at_min", &listing->has_min, &listing->min))
    return "created_at_min must be a number of seconds";
  if (!read_time (request, "created_at_max", &listing->has_max, &listing->max))
    return "created_at_max must be a number of seconds";

  listing->type = NULL;
  if (type != NULL && !JSON_NODE_HOLDS_NULL (type))
    {
      if (json_node_get_value_type (type) != G_TYPE_STRING)
        return "type must be a string";
      listing->type = json_node_get_string (type);
    }

  listing->limit = MIN (listing->limit, MAX_LIMIT);
  return NULL;
}

static gboolean
listing_matches (const Listing        *listing,
                 const LensFakeRecord *record)
{
  if (listing->has_min && record->created_at < listing->min)
    return FALSE;
  if (listing->has_max && record->created_at > listing->max)
    return FALSE;

  return listing->type == NULL
         || g_strcmp0 (lens_fake_record_get_task_type (record), listing->type) == 0;
}

static GPtrArray *
collect (LensFakeApi   *self,
         const Listing *listing)
{
  GPtrArray *records = g_ptr_array_sized_new (g_hash_table_size (self->records));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (listing == NULL || listing_matches (listing, value))
      g_ptr_array_add (records, value);

  g_ptr_array_sort (records, lens_fake_record_compare_newest);
  return records;
}

/**
 * lens_fake_listing_sorted:
 *
 * Returns: (transfer container) (element-type LensFakeRecord): every record,
 *   in the order a listing pages through them
 */
GPtrArray *
lens_fake_listing_sorted (LensFakeApi *self)
{
  return collect (self, NULL);
}

/**
 * lens_fake_listing_answer:
 * @request: a request for which lens_fake_listing_is_listing() holds
 * @error_message: (out): set to the message of a 400 when %NULL is returned
 *
 * Returns: (transfer full) (nullable): the answer, {"items": […], "count": N},
 *   or %NULL for a parameter of the wrong type or range
 */
JsonNode *
lens_fake_listing_answer (LensFakeApi  *self,
                          JsonObject   *request,
                          char        **error_message)
{
  g_autoptr(GPtrArray) matching = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonArray *items;
  Listing listing;
  const char *invalid = read_listing (request, &listing);
  guint start, end;

  if (invalid != NULL)
    {
      *error_message = g_strdup (invalid);
      return NULL;
    }

  /* A batch cut (lens_fake_api_set_batch_cut()) shortens pages too, while
   * count still tells how many matched. */
  if (self->batch_cut > 0)
    listing.limit = MIN (listing.limit, (gint64) self->batch_cut);

  matching = collect (self, &listing);
  start = (guint) MIN (listing.offset, (gint64) matching->len);
  end = start + (guint) MIN (listing.limit, (gint64) (matching->len - start));
  items = json_array_new ();
  for (guint i = start; i < end; i++)
    {
      const LensFakeRecord *record = g_ptr_array_index (matching, i);

      json_array_add_element (items, lens_fake_api_render_record (self, record->id, TRUE));
    }

  json_object_set_array_member (answer, "items", items);
  json_object_set_int_member (answer, "count", matching->len);
  return json_node_init_object (json_node_alloc (), answer);
}

/**
 * lens_fake_api_list_ids:
 *
 * Returns: (transfer full): the ids of every task the server knows, in the
 *   order a listing without filters pages through them: newest first
 */
GStrv
lens_fake_api_list_ids (LensFakeApi *self)
{
  g_autoptr(GPtrArray) sorted = NULL;
  GStrv ids;

  g_return_val_if_fail (LENS_IS_FAKE_API (self), NULL);

  sorted = lens_fake_listing_sorted (self);
  ids = g_new0 (char *, sorted->len + 1);
  for (guint i = 0; i < sorted->len; i++)
    ids[i] = g_strdup (((LensFakeRecord *) g_ptr_array_index (sorted, i))->id);

  return ids;
}
