/* lens-fake-answer.c — what the fake server answers, before it is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include <string.h>

#include <libsoup/soup.h>

#include "lens-fake-api-private.h"

#define DEFAULT_BATCH_LIMIT 12
#define PAD_CHUNK_SIZE 65536
#define PREVIEW_SIZE 512
#define SOURCE_SIZE 1024

typedef struct
{
  guint       status;
  const char *code;
  const char *message;
} DocumentedError;

/* The codes API.md documents per status; 402 has none documented. */
static const DocumentedError documented_errors[] = {
  { 400, "bad_request", "Bad request" },
  { 401, "invalid_token", "The token is invalid" },
  { 402, "payment_required", "Payment required" },
  { 403, "used_up", "The balance of this token is used up" },
  { 404, "no_api", "No API at this path" },
  { 405, "method_not_allowed", "Method not allowed" },
  { 429, "too_many_requests", "Too many requests, slow down" },
  { 500, "api_error", "fetch failed" },
  { 502, "timeout", "The upstream server timed out" },
  { 503, "timeout", "The service is temporarily unavailable" },
  { 504, "timeout", "The gateway timed out" },
};

typedef enum
{
  IMAGE_FULL,
  IMAGE_THUMB,
  IMAGE_SOURCE,
  IMAGE_SUB,
  IMAGE_PREVIEW,
} ImagePart;

/* Basics */

/* Takes @body, which may be %NULL for none. */
LensFakeAnswer *
lens_fake_answer_new (guint       status,
                      const char *content_type,
                      GBytes     *body)
{
  LensFakeAnswer *answer = g_new0 (LensFakeAnswer, 1);

  answer->status = status;
  answer->content_type = content_type;
  answer->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  answer->retry_after = -1;
  if (body != NULL)
    g_ptr_array_add (answer->chunks, body);

  return answer;
}

void
lens_fake_answer_free (LensFakeAnswer *answer)
{
  if (answer == NULL)
    return;

  g_ptr_array_unref (answer->chunks);
  g_free (answer->retry_after_value);
  g_free (answer->etag);
  g_free (answer);
}

static LensFakeAnswer *
answer_text (guint       status,
             const char *content_type,
             const char *text)
{
  return lens_fake_answer_new (status, content_type, g_bytes_new_static (text, strlen (text)));
}

/* Takes @node. */
static LensFakeAnswer *
answer_json (guint     status,
             JsonNode *node)
{
  char *text = json_to_string (node, FALSE);

  json_node_unref (node);
  return lens_fake_answer_new (status, "application/json", g_bytes_new_take (text, strlen (text)));
}

static const DocumentedError *
documented_error (guint status)
{
  for (gsize i = 0; i < G_N_ELEMENTS (documented_errors); i++)
    if (documented_errors[i].status == status)
      return &documented_errors[i];

  return NULL;
}

/**
 * lens_fake_answer_error:
 * @code: (nullable): error.code; %NULL picks the documented one for @status
 * @message: (nullable): error.message; %NULL picks a stock one
 *
 * Returns: an error answer shaped like API.md's, with a fresh trace_id
 */
LensFakeAnswer *
lens_fake_answer_error (guint       status,
                        const char *code,
                        const char *message)
{
  const DocumentedError *documented = documented_error (status);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *trace_id = g_uuid_string_random ();

  if (code == NULL)
    code = documented ? documented->code : "api_error";
  if (message == NULL)
    message = documented ? documented->message : soup_status_get_phrase (status);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "trace_id");
  json_builder_add_string_value (builder, trace_id);
  json_builder_end_object (builder);

  return answer_json (status, json_builder_get_root (builder));
}

static LensFakeAnswer *
answer_not_allowed (const char *allow)
{
  LensFakeAnswer *answer = lens_fake_answer_error (SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, NULL);

  answer->allow = allow;
  return answer;
}

/* Faults that need no connection tricks */

static GBytes *
padding (gsize size)
{
  static char pad[PAD_CHUNK_SIZE];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      memset (pad, 'x', sizeof pad);
      g_once_init_leave (&initialized, 1);
    }

  return g_bytes_new_static (pad, MIN (size, sizeof pad));
}

/* Valid JSON of exactly @size bytes (or the least there can be), sent as
 * chunks of one shared buffer so that even a huge body costs little memory. */
static LensFakeAnswer *
answer_oversized (gsize size)
{
  static const char head[] = "{\"items\": [], \"pad\": \"";
  static const char tail[] = "\"}";
  gsize overhead = strlen (head) + strlen (tail);
  gsize left = size > overhead ? size - overhead : 0;
  LensFakeAnswer *answer = answer_text (SOUP_STATUS_OK, "application/json", head);

  while (left > 0)
    {
      GBytes *chunk = padding (left);

      left -= g_bytes_get_size (chunk);
      g_ptr_array_add (answer->chunks, chunk);
    }

  g_ptr_array_add (answer->chunks, g_bytes_new_static (tail, strlen (tail)));
  return answer;
}

LensFakeAnswer *
lens_fake_answer_for_fault (const LensFakeFault *fault)
{
  LensFakeAnswer *answer;

  switch (fault->kind)
    {
    case LENS_FAKE_FAULT_STATUS:
      answer = lens_fake_answer_error (fault->status, fault->code, NULL);
      answer->retry_after = fault->retry_after;
      return answer;
    case LENS_FAKE_FAULT_INVALID_JSON:
      return answer_text (SOUP_STATUS_OK, "application/json",
                          "{\"items\": [{\"id\": \"7489df4c-ef03-4de0-b598-e9a5907934");
    case LENS_FAKE_FAULT_WRONG_SHAPE:
      return answer_text (SOUP_STATUS_OK, "application/json", "[1, 2, 3]");
    case LENS_FAKE_FAULT_NO_ITEMS:
      return answer_text (SOUP_STATUS_OK, "application/json", "{\"data\": []}");
    case LENS_FAKE_FAULT_OVERSIZED:
      return answer_oversized (fault->size);
    case LENS_FAKE_FAULT_WRONG_CONTENT_TYPE:
      return answer_text (SOUP_STATUS_OK, "text/html",
                          "<!DOCTYPE html>\n<html><head><title>Captive portal</title></head>"
                          "<body><h1>Please sign in to the network</h1></body></html>\n");
    default:
      g_return_val_if_reached (lens_fake_answer_error (SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                                       NULL, NULL));
    }
}

/* POST /midjourney/tasks */

/* Returns the error code for @authorization, or %NULL when it is accepted. */
static const char *
check_token (const char *authorization,
             const char *token)
{
  g_autofree char *given = NULL;

  /* Headers arrive stripped: "Bearer " with no token is "Bearer". */
  if (authorization == NULL || *authorization == '\0' ||
      g_ascii_strcasecmp (authorization, "Bearer") == 0)
    return "no_token";
  if (g_ascii_strncasecmp (authorization, "Bearer ", strlen ("Bearer ")) != 0)
    return "invalid_token";

  given = g_strstrip (g_strdup (authorization + strlen ("Bearer ")));
  if (*given == '\0')
    return "no_token";
  if (token != NULL && !g_str_equal (given, token))
    return "invalid_token";

  return NULL;
}

static JsonNode *
empty_object (void)
{
  g_autoptr(JsonObject) object = json_object_new ();

  return json_node_init_object (json_node_alloc (), object);
}

static LensFakeAnswer *
answer_retrieve (LensFakeApi *self,
                 JsonObject  *body)
{
  JsonNode *id = json_object_get_member (body, "id");
  JsonNode *record;

  if (id == NULL || json_node_get_value_type (id) != G_TYPE_STRING)
    return lens_fake_answer_error (SOUP_STATUS_BAD_REQUEST, "bad_request", "id is required");

  /* An unknown id is not an error: the API answers an empty object. */
  record = lens_fake_api_render_record (self, json_node_get_string (id), TRUE);
  return answer_json (SOUP_STATUS_OK, record ? record : empty_object ());
}

/* Returns the limit, DEFAULT_BATCH_LIMIT when absent, or -1 when invalid. */
static gint64
batch_limit (JsonObject *body)
{
  JsonNode *limit = json_object_get_member (body, "limit");

  if (limit == NULL || JSON_NODE_HOLDS_NULL (limit))
    return DEFAULT_BATCH_LIMIT;
  if (json_node_get_value_type (limit) != G_TYPE_INT64 || json_node_get_int (limit) < 0)
    return -1;

  return json_node_get_int (limit);
}

/* Returns (transfer full) the records found for @ids, each once, as JSON
 * text (see lens_fake_api_serve_record()), in the reverse of the order
 * asked: clients must match items by id. Sets @matched to how many were
 * found, including those hidden from this answer (see
 * lens_fake_api_hide_from_batch()), which are not returned. */
static GPtrArray *
find_records (LensFakeApi *self,
              JsonArray   *ids,
              guint       *matched)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  *matched = 0;
  for (guint i = json_array_get_length (ids); i > 0; i--)
    {
      const char *id = json_array_get_string_element (ids, i - 1);
      gboolean hidden;
      char *record;

      if (!g_hash_table_add (seen, (gpointer) id))
        continue;

      hidden = lens_fake_api_take_hidden (self, id);
      record = lens_fake_api_serve_record (self, id);
      if (record == NULL)
        continue;

      *matched += 1;
      if (hidden)
        g_free (record);
      else
        g_ptr_array_add (found, record);
    }

  return found;
}

static gboolean
all_strings (JsonArray *array)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (json_node_get_value_type (json_array_get_element (array, i)) != G_TYPE_STRING)
      return FALSE;

  return TRUE;
}

static LensFakeAnswer *
answer_retrieve_batch (LensFakeApi *self,
                       JsonObject  *body)
{
  JsonNode *ids = json_object_get_member (body, "ids");
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *invalid = NULL;
  GString *text;
  gint64 limit = batch_limit (body);
  guint matched;

  if (lens_fake_listing_is_listing (body))
    {
      JsonNode *listing = lens_fake_listing_answer (self, body, &invalid);

      return listing ? answer_json (SOUP_STATUS_OK, listing)
                     : lens_fake_answer_error (SOUP_STATUS_BAD_REQUEST, "bad_request", invalid);
    }
  if (ids == NULL || !JSON_NODE_HOLDS_ARRAY (ids) || !all_strings (json_node_get_array (ids)))
    return lens_fake_answer_error (SOUP_STATUS_BAD_REQUEST, "bad_request",
                                   "ids must be a list of ids");
  if (limit < 0)
    return lens_fake_answer_error (SOUP_STATUS_BAD_REQUEST, "bad_request",
                                   "limit must be a number");

  found = find_records (self, json_node_get_array (ids), &matched);
  if (self->batch_cut > 0)
    limit = MIN (limit, self->batch_cut);

  /* The records' texts are joined as they are: parsing them back into a
   * tree only to write it out again would cost what their cache saves. */
  text = g_string_new ("{\"items\":[");
  for (guint i = 0; i < found->len && i < limit; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, g_ptr_array_index (found, i));
    }
  /* count is the number matching, which may exceed the number returned:
   * the limit, a batch cut or a hidden id each leave some out. */
  g_string_append_printf (text, "],\"count\":%u}", matched);
  return lens_fake_answer_new (SOUP_STATUS_OK, "application/json", g_string_free_to_bytes (text));
}

LensFakeAnswer *
lens_fake_answer_tasks (LensFakeApi *self,
                        const char  *method,
                        const char  *authorization,
                        GBytes      *body,
                        const char  *token)
{
  g_autoptr(JsonObject) request = NULL;
  const char *code;
  const char *action;

  if (!g_str_equal (method, SOUP_METHOD_POST))
    return answer_not_allowed ("POST");

  code = check_token (authorization, token);
  if (code != NULL)
    return lens_fake_answer_error (SOUP_STATUS_UNAUTHORIZED, code,
                                   g_str_equal (code, "no_token") ? "No token was sent"
                                                                  : "The token is invalid");

  request = lens_fake_parse_request (body);
  if (request == NULL)
    return lens_fake_answer_error (SOUP_STATUS_BAD_REQUEST, "bad_request",
                                   "The body must be a JSON object");

  action = json_object_get_string_member_with_default (request, "action", "");
  if (g_strcmp0 (action, "retrieve") == 0)
    return answer_retrieve (self, request);
  if (g_strcmp0 (action, "retrieve_batch") == 0)
    return answer_retrieve_batch (self, request);

  return lens_fake_answer_error (SOUP_STATUS_BAD_REQUEST, "bad_request", "Unknown action");
}

/* GET /images/… and /videos/… */

static gboolean
media_method_allowed (const char *method)
{
  return g_str_equal (method, SOUP_METHOD_GET) || g_str_equal (method, SOUP_METHOD_HEAD);
}

static LensFakeAnswer *
answer_media_not_found (void)
{
  return answer_text (SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");
}

/* Splits "ID-thumb.png", "ID-sub-2.png", "ID_grid_0.webp"… */
static char *
parse_image_name (const char *name,
                  ImagePart  *part,
                  int        *sub)
{
  static const struct { const char *suffix; ImagePart part; } suffixes[] = {
    { "-thumb.png", IMAGE_THUMB }, { "-source.png", IMAGE_SOURCE },
    { "_grid_0.webp", IMAGE_PREVIEW }, { ".png", IMAGE_FULL },
  };
  gsize length = strlen (name);

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize suffix_length = strlen (suffixes[i].suffix);
      g_autofree char *id = NULL;

      if (!g_str_has_suffix (name, suffixes[i].suffix) || length == suffix_length)
        continue;

      id = g_strndup (name, length - suffix_length);
      *part = suffixes[i].part;
      if (*part == IMAGE_FULL && strlen (id) > 6 && g_str_has_prefix (id + strlen (id) - 6, "-sub-")
          && g_ascii_isdigit (id[strlen (id) - 1]))
        {
          *sub = id[strlen (id) - 1] - '0';
          *part = IMAGE_SUB;
          id[strlen (id) - 6] = '\0';
        }
      return g_steal_pointer (&id);
    }

  return NULL;
}

static gboolean
has_grid (JsonObject *response)
{
  JsonNode *actions = response ? json_object_get_member (response, "actions") : NULL;
  JsonNode *subs = response ? json_object_get_member (response, "sub_image_urls") : NULL;

  if (subs != NULL && JSON_NODE_HOLDS_ARRAY (subs))
    return TRUE;
  if (actions == NULL || !JSON_NODE_HOLDS_ARRAY (actions))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (actions)); i++)
    {
      JsonNode *action = json_array_get_element (json_node_get_array (actions), i);

      if (json_node_get_value_type (action) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (action), "upscale1"))
        return TRUE;
    }

  return FALSE;
}

/* The size and look of a record's full image, from what its record says. */
static void
image_facts (JsonNode           *record,
             int                *width,
             int                *height,
             LensFakeImageStyle *style)
{
  JsonNode *node = json_object_get_member (json_node_get_object (record), "response");
  JsonObject *response = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  int shown_width = lens_fake_json_get_int (response, "image_width", LENS_FAKE_DEFAULT_SIZE);
  int shown_height = lens_fake_json_get_int (response, "image_height", LENS_FAKE_DEFAULT_SIZE);

  *width = lens_fake_json_get_int (response, "raw_image_width", shown_width);
  *height = lens_fake_json_get_int (response, "raw_image_height", shown_height);
  if (*width <= 0 || *height <= 0)
    *width = *height = LENS_FAKE_DEFAULT_SIZE;

  *style = has_grid (response) ? LENS_FAKE_IMAGE_GRID : LENS_FAKE_IMAGE_SINGLE;
}

static int
query_int (GHashTable *query,
           const char *key,
           int         fallback)
{
  const char *value = query ? g_hash_table_lookup (query, key) : NULL;
  int number = value ? (int) g_ascii_strtoll (value, NULL, 10) : 0;

  return number > 0 ? number : fallback;
}

/* The width a Qiniu-style resize asks for, as AceData's CDN takes it:
 * "imageMogr2/thumbnail/<w>x", alone or as the last operation of a "|"
 * pipeline; 0 when @raw_query asks for none. */
static int
thumbnail_width (const char *raw_query)
{
  const char *operation;
  const char *end = NULL;
  gint64 width;

  if (raw_query == NULL)
    return 0;

  operation = strrchr (raw_query, '|');
  operation = operation != NULL ? operation + 1 : raw_query;
  if (!g_str_has_prefix (operation, "imageMogr2/thumbnail/"))
    return 0;

  operation += strlen ("imageMogr2/thumbnail/");
  if (!g_ascii_isdigit (*operation))
    return 0;
  width = g_ascii_strtoll (operation, (char **) &end, 10);
  if (end == NULL || g_strcmp0 (end, "x") != 0 || width <= 0 || width > G_MAXINT)
    return 0;

  return (int) width;
}

/* @raw_query: (nullable): the query as sent; a "?imageMogr2/thumbnail/<w>x"
 * in it scales whatever the name gives to <w> pixels wide, keeping the
 * aspect ratio (larger as well as smaller, up to the drawing cap), as
 * AceData's CDN does. */
LensFakeAnswer *
lens_fake_answer_image (LensFakeApi *self,
                        const char  *method,
                        const char  *name,
                        GHashTable  *query,
                        const char  *raw_query)
{
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *id = NULL;
  g_autofree char *etag = NULL;
  LensFakeAnswer *answer;
  GBytes *bytes;
  ImagePart part = IMAGE_FULL;
  LensFakeImageStyle style;
  int sub = 0, width, height, hue_shift = 0, resized_width;

  if (!media_method_allowed (method))
    return answer_not_allowed ("GET, HEAD");

  id = parse_image_name (name, &part, &sub);
  record = id ? lens_fake_api_render_record (self, id, FALSE) : NULL;
  if (record == NULL || sub > 3)
    return answer_media_not_found ();

  image_facts (record, &width, &height, &style);
  switch (part)
    {
    case IMAGE_THUMB:
      width = MAX (width / 2, 1);
      height = MAX (height / 2, 1);
      break;
    case IMAGE_SOURCE:
      style = LENS_FAKE_IMAGE_SINGLE;
      hue_shift = 180;
      width = height = SOURCE_SIZE;
      break;
    case IMAGE_SUB:
      style = LENS_FAKE_IMAGE_SINGLE;
      hue_shift = 90 * sub;
      width = MAX (width / 2, 1);
      height = MAX (height / 2, 1);
      break;
    case IMAGE_PREVIEW:
      style = LENS_FAKE_IMAGE_GRID;
      width = query_int (query, "width", PREVIEW_SIZE);
      height = query_int (query, "height", PREVIEW_SIZE);
      break;
    default:
      break;
    }

  resized_width = thumbnail_width (raw_query);
  if (resized_width > 0)
    {
      height = (int) MAX (((gint64) height * resized_width + width / 2) / width, 1);
      width = resized_width;
    }

  bytes = lens_fake_api_get_image (self, id, style, hue_shift, width, height, &etag);
  answer = lens_fake_answer_new (SOUP_STATUS_OK, "image/png", bytes);
  answer->etag = g_steal_pointer (&etag);
  return answer;
}

LensFakeAnswer *
lens_fake_answer_video (LensFakeApi *self,
                        const char  *method,
                        const char  *name)
{
  /* The smallest start of an MP4 file: an ftyp box. A player cannot show
   * it, but a download and its type check can. */
  static const guint8 mp4[] = {
    0x00, 0x00, 0x00, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
    0x00, 0x00, 0x02, 0x00, 'i', 's', 'o', 'm', 'm', 'p', '4', '1',
  };
  g_auto(GStrv) parts = g_strsplit (name, "/", -1);
  g_autoptr(JsonNode) record = NULL;

  if (!media_method_allowed (method))
    return answer_not_allowed ("GET, HEAD");

  if (g_strv_length (parts) != 2 || !g_str_has_suffix (parts[1], ".mp4"))
    return answer_media_not_found ();

  record = lens_fake_api_render_record (self, parts[0], FALSE);
  if (record == NULL)
    return answer_media_not_found ();

  return lens_fake_answer_new (SOUP_STATUS_OK, "video/mp4", g_bytes_new_static (mp4, sizeof mp4));
}

/* Sending */

/* A strong validator for @answer's body: the same bytes, the same tag. */
static char *
media_etag (LensFakeAnswer *answer)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);

  for (guint i = 0; i < answer->chunks->len; i++)
    {
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (answer->chunks, i), &size);

      g_checksum_update (checksum, data, size);
    }

  return g_strdup_printf ("\"%s\"", g_checksum_get_string (checksum));
}

void
lens_fake_answer_apply (LensFakeAnswer    *answer,
                        SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_server_message_set_status (msg, answer->status, NULL);
  if (answer->retry_after_value != NULL)
    soup_message_headers_replace (headers, "Retry-After", answer->retry_after_value);
  else if (answer->retry_after >= 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%d", answer->retry_after);

      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  if (answer->allow != NULL)
    soup_message_headers_replace (headers, "Allow", answer->allow);

  soup_message_headers_replace (headers, "Content-Type", answer->content_type);
  /* Images and videos are as cacheable as a CDN's (/images/ and /videos/
   * answer these types), so that a client's HTTP cache can be tested. */
  if (SOUP_STATUS_IS_SUCCESSFUL (answer->status)
      && (g_str_has_prefix (answer->content_type, "image/")
          || g_str_has_prefix (answer->content_type, "video/")))
    {
      g_autofree char *etag = answer->etag != NULL ? g_strdup (answer->etag) : media_etag (answer);

      soup_message_headers_replace (headers, "Cache-Control", "public, max-age=2592000");
      soup_message_headers_replace (headers, "ETag", etag);
    }
  for (guint i = 0; i < answer->chunks->len; i++)
    soup_message_body_append_bytes (body, g_ptr_array_index (answer->chunks, i));
}

/* Broken answers, written straight to a stolen connection */

typedef struct
{
  GIOStream *stream;  /* owned */
  GBytes    *bytes;   /* owned: what is being written */
} BrokenWrite;

static void
broken_write_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BrokenWrite *write = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close (write->stream, NULL, NULL);

  g_object_unref (write->stream);
  g_bytes_unref (write->bytes);
  g_free (write);
}

/* The head announcing the whole of @answer, then half its body. */
static GBytes *
truncated_bytes (LensFakeAnswer *answer)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < answer->chunks->len; i++)
    {
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (answer->chunks, i), &size);

      g_byte_array_append (body, data, size);
    }

  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n",
                          answer->status, soup_status_get_phrase (answer->status));
  g_string_append_printf (text, "Content-Type: %s\r\n", answer->content_type);
  g_string_append_printf (text, "Content-Length: %u\r\n\r\n", body->len);
  g_string_append_len (text, (const char *) body->data, body->len / 2);

  return g_string_free_to_bytes (text);
}

/**
 * lens_fake_answer_write_broken:
 * @answer: (nullable): what to send half of; %NULL closes at once
 * @context: where the write completes
 *
 * Closes @stream after sending the head of @answer and half its body, so that
 * the client sees a truncated body, or without sending anything at all.
 */
void
lens_fake_answer_write_broken (GIOStream      *stream,
                               LensFakeAnswer *answer,
                               GMainContext   *context)
{
  BrokenWrite *write;

  if (answer == NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      return;
    }

  write = g_new0 (BrokenWrite, 1);
  write->stream = g_object_ref (stream);
  write->bytes = truncated_bytes (answer);

  g_main_context_push_thread_default (context);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (write->bytes, NULL),
                                   g_bytes_get_size (write->bytes),
                                   G_PRIORITY_DEFAULT, NULL, broken_write_cb, write);
  g_main_context_pop_thread_default (context);
}
