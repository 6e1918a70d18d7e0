/* lens-fake-examples.c — the documented example payloads as task records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only retrieve.json and retrieve_batch.json are whole records; the other
 * examples are bare responses, so they are wrapped into records the way the
 * API stores them (request, response, times). Their URLs point at the real
 * CDNs, which tests must never reach, so they are rewritten to the fake server.
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include "lens-fake-api-private.h"
#include "lens-fake-api-resources.h"

#define EXAMPLES_PATH "/io/github/tasklens/FakeApi/examples/"

/* The describe example carries no task_id, so its id is made from this. */
#define DESCRIBE_SEED "example-describe"

typedef struct
{
  const char *file;
  const char *type;
  double      created_at;
  double      duration;
  const char *prompt;   /* nullable: a describe request has none */
} Wrapping;

static const Wrapping wrappings[] = {
  { "describe_response.json", "describe", 1751700000.25, 9.81, NULL },
  { "edits_response.json", "edits", 1751784000.5, 41.2,
    "A cat sitting on a table, wearing a red scarf" },
  { "videos_response.json", "videos", 1751816700.75, 107.4,
    "The cat stretches and yawns in the sun" },
};

static GBytes *
load_example (const char *file)
{
  g_autofree char *path = g_strconcat (EXAMPLES_PATH, file, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = g_resource_lookup_data (lens_fake_api_resources_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The fake API lost its example %s: %s", file, error->message);

  return bytes;
}

static JsonNode *
parse_json (const char *text,
            gssize      length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, length, &error))
    g_error ("An example payload is not JSON: %s", error->message);

  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
load_example_json (const char *file)
{
  g_autoptr(GBytes) bytes = load_example (file);
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  return parse_json (data, size);
}

static void
add_fixed (GPtrArray *records,
           JsonNode  *node)
{
  JsonObject *object = json_node_get_object (node);

  lens_fake_record_localize (node, json_object_get_string_member (object, "id"));
  g_ptr_array_add (records, lens_fake_record_new_fixed (node));
}

static void
add_batch (GPtrArray *records)
{
  g_autoptr(JsonNode) batch = load_example_json ("retrieve_batch.json");
  JsonArray *items = json_object_get_array_member (json_node_get_object (batch), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    add_fixed (records, json_node_copy (json_array_get_element (items, i)));
}

static JsonObject *
wrapped_request (const Wrapping *wrapping)
{
  JsonObject *request = json_object_new ();

  /* The image is rewritten to the fake server by lens_fake_record_localize(). */
  json_object_set_string_member (request, "image_url", "https://example.invalid/source.png");
  if (wrapping->prompt != NULL)
    {
      json_object_set_string_member (request, "action", "generate");
      json_object_set_string_member (request, "prompt", wrapping->prompt);
    }

  return request;
}

static void
add_wrapped (GPtrArray      *records,
             const Wrapping *wrapping)
{
  JsonNode *response = load_example_json (wrapping->file);
  JsonObject *record = json_object_new ();
  const char *task_id = json_object_get_string_member_with_default (json_node_get_object (response),
                                                                     "task_id", NULL);
  g_autofree char *id = task_id ? g_strdup (task_id) : lens_fake_api_make_id (DESCRIBE_SEED);
  g_autofree char *object_id = g_compute_checksum_for_string (G_CHECKSUM_MD5, id, -1);
  g_autofree char *application = lens_fake_api_make_id ("application");

  object_id[24] = '\0';
  json_object_set_string_member (record, "_id", object_id);
  json_object_set_string_member (record, "id", id);
  json_object_set_string_member (record, "application_id", application);
  json_object_set_double_member (record, "created_at", wrapping->created_at);
  json_object_set_string_member (record, "type", wrapping->type);
  json_object_set_object_member (record, "request", wrapped_request (wrapping));
  json_object_set_member (record, "response", response);
  json_object_set_double_member (record, "duration", wrapping->duration);
  json_object_set_double_member (record, "finished_at", wrapping->created_at + wrapping->duration);

  add_fixed (records, json_node_init_object (json_node_alloc (), record));
  json_object_unref (record);
}

static void
add_progress (GPtrArray *records)
{
  g_autoptr(GBytes) bytes = load_example ("imagine_progress.ndjson");
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *states = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *id = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonNode *state;

      if (*g_strstrip (lines[i]) == '\0')
        continue;

      state = parse_json (lines[i], -1);
      g_set_str (&id, json_object_get_string_member (json_node_get_object (state), "task_id"));
      lens_fake_record_localize (state, id);
      g_ptr_array_add (states, state);
    }

  g_ptr_array_add (records, lens_fake_record_new_progress (id, states));
}

/**
 * lens_fake_examples_load:
 *
 * Returns: (transfer full) (element-type LensFakeRecord): the example
 *   records, some possibly with the same id (retrieve.json is also in the batch)
 */
GPtrArray *
lens_fake_examples_load (void)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_fake_record_free);

  add_fixed (records, load_example_json ("retrieve.json"));
  add_batch (records);
  for (gsize i = 0; i < G_N_ELEMENTS (wrappings); i++)
    add_wrapped (records, &wrappings[i]);
  add_progress (records);

  return records;
}

guint
lens_fake_examples_count_distinct (GPtrArray *records)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < records->len; i++)
    {
      LensFakeRecord *record = g_ptr_array_index (records, i);

      g_hash_table_add (ids, record->id);
    }

  return g_hash_table_size (ids);
}
