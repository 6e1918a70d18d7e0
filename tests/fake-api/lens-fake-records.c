/* lens-fake-records.c — the task records the fake server hands out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A record is stored either as JSON or, when generated, as its kind and
 * index, and rendered on every request: running records change with time.
 * Image URLs are kept relative to the server ("/images/…") and made absolute
 * when a record is served, because the port is only known once the server
 * listens.
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include <string.h>

#include "lens-fake-api-private.h"

/* Running records spend this share of their time pending. */
#define PENDING_SHARE 0.1

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}




int
lens_fake_json_get_int (JsonObject *object,
                        const char *member,
                        int         fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (int) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (int) json_node_get_double (node);
    case G_TYPE_STRING:
      return (int) g_ascii_strtoll (json_node_get_string (node), NULL, 10);
    default:
      return fallback;
    }
}
















LensFakeRecord *
lens_fake_record_new_generated (LensFakeTaskKind kind,
                                guint            index,
                                double           epoch)
{
  LensFakeRecord *record = g_new0 (LensFakeRecord, 1);
  g_autofree char *seed = g_strdup_printf ("%s-%u", lens_fake_task_kind_seed_name (kind), index);

  record->id = lens_fake_api_make_id (seed);
  record->kind = kind;
  record->index = index;
  record->generated = TRUE;
  record->running = kind == LENS_FAKE_TASK_RUNNING;
  record->seeded_usec = g_get_monotonic_time ();
  if (record->running)
    record->created_at = g_get_real_time () / (double) G_USEC_PER_SEC;
  else
    record->created_at = epoch - 120.0 - index * 240.0 - kind * 37.0
                         - lens_fake_mix (record->id, "created") % 120;

  return record;
}

/* Takes ownership of @node, which must be an object with a string "id". */
LensFakeRecord *
lens_fake_record_new_fixed (JsonNode *node)
{
  LensFakeRecord *record = g_new0 (LensFakeRecord, 1);
  JsonObject *object = json_node_get_object (node);

  JsonNode *created_at = json_object_get_member (object, "created_at");

  record->id = g_strdup (string_member (object, "id"));
  record->node = node;
  if (created_at != NULL && JSON_NODE_HOLDS_VALUE (created_at))
    record->created_at = json_node_get_double (created_at);
  record->seeded_usec = g_get_monotonic_time ();
  return record;
}

/* A running imagine task that walks through @states (response objects, the
 * last one final), as imagine_progress.ndjson streams them. Takes @states. */
LensFakeRecord *
lens_fake_record_new_progress (const char *id,
                               GPtrArray  *states)
{
  LensFakeRecord *record = g_new0 (LensFakeRecord, 1);
  JsonObject *base = json_object_new ();
  JsonObject *request = json_object_new ();
  g_autofree char *object_id = g_compute_checksum_for_string (G_CHECKSUM_MD5, id, -1);
  g_autofree char *application = lens_fake_api_make_id ("application");

  g_assert (states->len > 0);

  record->id = g_strdup (id);
  record->running = TRUE;
  record->states = states;
  record->seeded_usec = g_get_monotonic_time ();
  record->created_at = g_get_real_time () / (double) G_USEC_PER_SEC;

  object_id[24] = '\0';
  json_object_set_string_member (request, "mode", "fast");
  json_object_set_string_member (request, "prompt", "A landscape painting of a beautiful sunset");
  json_object_set_string_member (request, "action", "generate");
  json_object_set_string_member (base, "_id", object_id);
  json_object_set_string_member (base, "id", id);
  json_object_set_string_member (base, "application_id", application);
  json_object_set_double_member (base, "created_at", record->created_at);
  json_object_set_string_member (base, "type", "imagine");
  json_object_set_object_member (base, "request", request);
  record->node = json_node_init_object (json_node_alloc (), base);
  json_object_unref (base);
  return record;
}

/**
 * lens_fake_record_get_task_type:
 *
 * Returns: (nullable): the "type" the record is served with, without
 *   rendering it
 */
const char *
lens_fake_record_get_task_type (const LensFakeRecord *record)
{
  if (record->generated)
    return lens_fake_task_kind_type (record->kind);

  return string_member (json_node_get_object (record->node), "type");
}

/* A GCompareFunc of two LensFakeRecord ** (a GPtrArray's sort): newest
 * first, and tasks created at the same moment by id, so that the order
 * never depends on a hash table's. */
int
lens_fake_record_compare_newest (gconstpointer a,
                                 gconstpointer b)
{
  const LensFakeRecord *ra = *(const LensFakeRecord * const *) a;
  const LensFakeRecord *rb = *(const LensFakeRecord * const *) b;

  if (ra->created_at != rb->created_at)
    return ra->created_at > rb->created_at ? -1 : 1;

  return strcmp (ra->id, rb->id);
}

void
lens_fake_record_free (LensFakeRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_clear_pointer (&record->node, json_node_unref);
  g_clear_pointer (&record->states, g_ptr_array_unref);
  g_free (record);
}

/* Where a running record is: below PENDING_SHARE pending, then running, and
 * done from 1. */
static double
record_phase (const LensFakeRecord *record,
              const LensFakeClock  *clock)
{
  double elapsed_ms = (clock->now_usec - record->seeded_usec) / 1000.0;

  if (clock->running_duration == 0)
    return 1.0;

  return elapsed_ms / clock->running_duration + record->phase_offset;
}

static JsonObject *
running_preview (const LensFakeRecord *record,
                 double                phase)
{
  JsonObject *response = json_object_new ();
  g_autofree char *preview = g_strdup_printf ("/images/%s_grid_0.webp", record->id);
  g_autofree char *thumb = g_strdup_printf ("%s?width=256&height=256", preview);
  g_autofree char *image_id = lens_fake_make_digits (record->id, "preview");
  int progress = (int) ((phase - PENDING_SHARE) / (1.0 - PENDING_SHARE) * 100.0);

  json_object_set_string_member (response, "image_url", thumb);
  json_object_set_int_member (response, "image_width", 256);
  json_object_set_int_member (response, "image_height", 256);
  json_object_set_string_member (response, "raw_image_url", preview);
  json_object_set_int_member (response, "raw_image_width", 512);
  json_object_set_int_member (response, "raw_image_height", 512);
  json_object_set_string_member (response, "image_id", image_id);
  json_object_set_int_member (response, "progress", CLAMP (progress, 0, 99));
  json_object_set_array_member (response, "actions", json_array_new ());
  json_object_set_string_member (response, "task_id", record->id);
  json_object_set_boolean_member (response, "success", TRUE);
  return response;
}

/* Returns (transfer full) a deep copy of the object in @node. */
static JsonObject *
copy_object (JsonNode *node)
{
  g_autoptr(JsonNode) copy = json_node_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

static JsonObject *
running_response (const LensFakeRecord *record,
                  double                phase)
{
  guint n_running;
  guint which;

  if (record->states == NULL)
    return running_preview (record, phase);

  /* Every state but the last is a running one. */
  n_running = MAX (record->states->len, 2) - 1;
  which = (guint) ((phase - PENDING_SHARE) / (1.0 - PENDING_SHARE) * n_running);
  which = MIN (which, n_running - 1);
  return copy_object (g_ptr_array_index (record->states, which));
}

static void
remove_finish (JsonObject *object)
{
  json_object_remove_member (object, "finished_at");
  json_object_remove_member (object, "duration");
  json_object_remove_member (object, "elapsed");
  json_object_remove_member (object, "started_at");
}

/* Turns the finished @object of a running record into its state now. */
static void
apply_running_state (const LensFakeRecord *record,
                     JsonObject           *object,
                     const LensFakeClock  *clock)
{
  double phase = record_phase (record, clock);
  double seconds = clock->running_duration / 1000.0;
  double started_at = record->created_at + seconds * PENDING_SHARE;

  remove_finish (object);
  json_object_set_double_member (object, "created_at", record->created_at);
  if (phase >= 1.0)
    {
      json_object_set_double_member (object, "started_at", started_at);
      json_object_set_double_member (object, "finished_at", record->created_at + seconds);
      json_object_set_double_member (object, "duration", seconds);
      return;
    }

  if (phase < PENDING_SHARE)
    {
      /* Pending answers both ways: no response at all, or a null one. */
      json_object_remove_member (object, "response");
      if (record->index % 2 == 1)
        json_object_set_null_member (object, "response");
      return;
    }

  json_object_set_double_member (object, "started_at", started_at);
  json_object_set_object_member (object, "response", running_response (record, phase));
}

static void
absolutize_member (JsonObject *object,
                   const char *member,
                   const char *base_url)
{
  const char *url = string_member (object, member);
  g_autofree char *absolute = NULL;

  if (url == NULL || url[0] != '/')
    return;

  absolute = g_strconcat (base_url, url, NULL);
  json_object_set_string_member (object, member, absolute);
}

static void
absolutize_array (JsonObject *object,
                  const char *member,
                  const char *base_url)
{
  JsonArray *array = array_member (object, member);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *url = json_node_get_value_type (element) == G_TYPE_STRING
                        ? json_node_get_string (element) : NULL;
      g_autofree char *absolute = NULL;

      if (url == NULL || url[0] != '/')
        continue;

      absolute = g_strconcat (base_url, url, NULL);
      json_node_set_string (element, absolute);
    }
}

/* Server-relative URLs ("/images/…") become absolute ones. */
static void
absolutize (JsonObject *object,
            const char *base_url)
{
  JsonObject *response = object_member (object, "response");

  if (base_url == NULL)
    return;

  absolutize_member (object_member (object, "request"), "image_url", base_url);
  absolutize_member (response, "image_url", base_url);
  absolutize_member (response, "raw_image_url", base_url);
  absolutize_array (response, "sub_image_urls", base_url);
  absolutize_array (response, "video_urls", base_url);
}

static JsonObject *
finished_object (const LensFakeRecord *record)
{
  JsonObject *object;

  if (record->generated)
    {
      LensFakeTaskKind kind = record->kind == LENS_FAKE_TASK_RUNNING
                              ? LENS_FAKE_TASK_IMAGINE : record->kind;

      return lens_fake_generate_record (kind, record->index, record->id, record->created_at);
    }

  object = copy_object (record->node);

  if (record->states != NULL)
    {
      JsonNode *last = g_ptr_array_index (record->states, record->states->len - 1);

      json_object_set_member (object, "response", json_node_copy (last));
    }

  return object;
}

/* Returns (transfer full) the record as the server answers it right now. */
JsonNode *
lens_fake_record_render (const LensFakeRecord *record,
                         const LensFakeClock  *clock)
{
  g_autoptr(JsonObject) object = finished_object (record);

  if (record->running)
    apply_running_state (record, object, clock);

  absolutize (object, clock->base_url);
  return json_node_init_object (json_node_alloc (), object);
}

static void
localize_image_url (JsonObject *response,
                    const char *member,
                    const char *id,
                    gboolean    may_be_thumbnail)
{
  const char *url = string_member (response, member);
  g_autofree char *local = NULL;

  if (url == NULL)
    return;

  if (strstr (url, "_grid_0.webp") != NULL && may_be_thumbnail)
    local = g_strdup_printf ("/images/%s_grid_0.webp?width=%d&height=%d", id,
                             lens_fake_json_get_int (response, "image_width", 256),
                             lens_fake_json_get_int (response, "image_height", 256));
  else if (strstr (url, "_grid_0.webp") != NULL)
    local = g_strdup_printf ("/images/%s_grid_0.webp", id);
  else if (may_be_thumbnail &&
           lens_fake_json_get_int (response, "image_width", 0) <
           lens_fake_json_get_int (response, "raw_image_width", 0))
    local = g_strdup_printf ("/images/%s-thumb.png", id);
  else
    local = g_strdup_printf ("/images/%s.png", id);

  json_object_set_string_member (response, member, local);
}

static void
localize_array (JsonObject *response,
                const char *member,
                const char *directory,
                const char *id,
                const char *separator,
                const char *suffix)
{
  JsonArray *array = array_member (response, member);

  if (array == NULL)
    return;

  json_object_set_array_member (response, member,
                                lens_fake_numbered_urls (directory, id, separator, suffix,
                                                         json_array_get_length (array)));
}

/* Points the URLs of an example record (or bare response) at the fake
 * server, so that everything a client downloads stays local. */
void
lens_fake_record_localize (JsonNode   *node,
                           const char *id)
{
  JsonObject *object = json_node_get_object (node);
  JsonObject *response = object_member (object, "response");
  JsonObject *request = object_member (object, "request");

  if (response == NULL && request == NULL)
    response = object;

  if (string_member (request, "image_url") != NULL)
    {
      g_autofree char *source = g_strdup_printf ("/images/%s-source.png", id);

      json_object_set_string_member (request, "image_url", source);
    }

  if (response == NULL)
    return;

  localize_image_url (response, "image_url", id, TRUE);
  localize_image_url (response, "raw_image_url", id, FALSE);
  localize_array (response, "sub_image_urls", "/images/", id, "-sub-", ".png");
  localize_array (response, "video_urls", "/videos/", id, "/", ".mp4");
}
