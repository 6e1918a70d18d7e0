/* test-fake-api-listing.c — the fake AceData server lists the account's tasks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * retrieve_batch without ids, as API.md's "Listing the account's own tasks"
 * describes it: pages newest first, count of all that match, the
 * created_at and type filters, offsets that shift when new tasks arrive,
 * faults for listings only, bad parameters and limits. Like test-fake-api.c,
 * these tests use a plain SoupSession.
 */

#include "config.h"

#define G_LOG_DOMAIN "TestFakeApiListing"

#include <math.h>

#include "lens-test-fake-client.h"

#define TOKEN LENS_TEST_FAKE_TOKEN
#define NEWEST newest

/* An account's newest task, a day before the tests run (set once in
 * main()): tasks made "now" (running ones, new ones) are newer than all of it. */
static gint64 newest;

/* Helpers */

/* A listing body; a negative @offset or @limit is left out, and so is a NaN
 * bound or a %NULL @type. */
static char *
listing_body (gint64      offset,
              gint64      limit,
              double      created_at_min,
              double      created_at_max,
              const char *type)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, "retrieve_batch");
  if (offset >= 0)
    {
      json_builder_set_member_name (builder, "offset");
      json_builder_add_int_value (builder, offset);
    }
  if (limit >= 0)
    {
      json_builder_set_member_name (builder, "limit");
      json_builder_add_int_value (builder, limit);
    }
  if (!isnan (created_at_min))
    {
      json_builder_set_member_name (builder, "created_at_min");
      json_builder_add_double_value (builder, created_at_min);
    }
  if (!isnan (created_at_max))
    {
      json_builder_set_member_name (builder, "created_at_max");
      json_builder_add_double_value (builder, created_at_max);
    }
  if (type != NULL)
    {
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Posts @body, asserts a 200 of the batch shape and returns its object. */
static JsonNode *
list_body (LensFakeApi *api,
           SoupSession *session,
           const char  *body)
{
  g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, body);
  JsonNode *answer;
  JsonObject *object;

  g_assert_cmpuint (lens_test_reply_status (reply), ==, 200);
  answer = lens_test_reply_json (reply);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (answer));
  object = json_node_get_object (answer);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "items")));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "count")),
                   ==, G_TYPE_INT64);
  return answer;
}

static JsonNode *
list (LensFakeApi *api,
      SoupSession *session,
      gint64       offset,
      gint64       limit)
{
  g_autofree char *body = listing_body (offset, limit, NAN, NAN, NULL);

  return list_body (api, session, body);
}

static JsonArray *
items_of (JsonNode *answer)
{
  return json_object_get_array_member (json_node_get_object (answer), "items");
}

static gint64
count_of (JsonNode *answer)
{
  return json_object_get_int_member (json_node_get_object (answer), "count");
}

static JsonObject *
item (JsonNode *answer,
      guint     index)
{
  return json_array_get_object_element (items_of (answer), index);
}

static const char *
item_id (JsonNode *answer,
         guint     index)
{
  return json_object_get_string_member (item (answer, index), "id");
}

static double
item_created_at (JsonNode *answer,
                 guint     index)
{
  return json_object_get_double_member (item (answer, index), "created_at");
}

/* Every item of @answer is newest first, after @previous (the one before it
 * on an earlier page, or NULL): created_at never rises, and equal ones come
 * by id. */
static void
assert_newest_first (JsonNode    *answer,
                     JsonObject **previous)
{
  for (guint i = 0; i < json_array_get_length (items_of (answer)); i++)
    {
      JsonObject *current = item (answer, i);

      g_assert_cmpint (json_node_get_value_type (json_object_get_member (current, "created_at")),
                       ==, G_TYPE_DOUBLE);
      if (*previous != NULL)
        {
          double before = json_object_get_double_member (*previous, "created_at");
          double now = json_object_get_double_member (current, "created_at");

          g_assert_cmpfloat (now, <=, before);
          if (now == before)
            g_assert_cmpstr (json_object_get_string_member (*previous, "id"), <,
                             json_object_get_string_member (current, "id"));
        }
      *previous = current;
    }
}

/* Returns the unfiltered listing, all of it (at most 1,000 tasks). */
static JsonNode *
list_all (LensFakeApi *api,
          SoupSession *session,
          GPtrArray   *pages)
{
  for (gint64 offset = 0; offset < 1000; offset += 100)
    {
      JsonNode *page = list (api, session, offset, 100);

      g_ptr_array_add (pages, page);
      if (offset + 100 >= count_of (page))
        break;
    }

  return g_ptr_array_index (pages, 0);
}

/* Tests */

static void
test_paging (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) listed = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  static const guint expected[] = { 50, 50, 20, 0 };
  JsonObject *previous = NULL;
  guint position = 0;

  lens_fake_api_set_running_duration (api, 0);
  ids = lens_fake_api_seed_account (api, 120, NEWEST);
  g_assert_cmpuint (g_strv_length (ids), ==, 120);

  for (guint page = 0; page < G_N_ELEMENTS (expected); page++)
    {
      JsonNode *answer = list (api, session, page * 50, 50);

      g_ptr_array_add (pages, answer);
      g_assert_cmpuint (json_array_get_length (items_of (answer)), ==, expected[page]);
      g_assert_cmpint (count_of (answer), ==, 120);
      assert_newest_first (answer, &previous);
      for (guint i = 0; i < expected[page]; i++)
        {
          /* No overlap, and the order seed_account() promised. */
          g_assert_true (g_hash_table_add (seen, (gpointer) item_id (answer, i)));
          g_assert_cmpstr (item_id (answer, i), ==, ids[position++]);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 120);

  /* The newest task was created when asked. */
  g_assert_cmpfloat (item_created_at (g_ptr_array_index (pages, 0), 0), ==, (double) NEWEST);

  listed = lens_fake_api_list_ids (api);
  g_assert_cmpstrv (listed, ids);

  lens_test_fake_client_finish (api, session);
}

static void
test_default_limit (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_account (api, 150, NEWEST);
  g_autoptr(JsonNode) bare = list (api, session, -1, -1);
  g_autoptr(JsonNode) large = list (api, session, 10, 1000);
  g_autoptr(JsonNode) past_end = list (api, session, 150, 50);
  g_autoptr(JsonNode) far = list (api, session, G_MAXINT64, 50);
  g_autoptr(JsonNode) tail = list (api, session, 145, 50);
  g_autoptr(JsonNode) nulls = list_body (api, session,
                                         "{\"action\": \"retrieve_batch\", \"ids\": null, "
                                         "\"trace_ids\": null, \"offset\": null, "
                                         "\"limit\": null, \"type\": null, "
                                         "\"created_at_min\": null}");

  /* Like the real server: 12 without a limit, 100 at most. */
  g_assert_cmpuint (json_array_get_length (items_of (bare)), ==, 12);
  g_assert_cmpstr (item_id (bare, 0), ==, ids[0]);
  g_assert_cmpint (count_of (bare), ==, 150);
  g_assert_cmpuint (json_array_get_length (items_of (large)), ==, 100);
  g_assert_cmpstr (item_id (large, 0), ==, ids[10]);
  g_assert_cmpuint (json_array_get_length (items_of (past_end)), ==, 0);
  g_assert_cmpint (count_of (past_end), ==, 150);
  g_assert_cmpuint (json_array_get_length (items_of (far)), ==, 0);
  g_assert_cmpuint (json_array_get_length (items_of (tail)), ==, 5);
  g_assert_cmpstr (item_id (tail, 4), ==, ids[149]);
  g_assert_cmpuint (json_array_get_length (items_of (nulls)), ==, 12);
  g_assert_cmpint (count_of (nulls), ==, 150);

  lens_test_fake_client_finish (api, session);
}

/* Lists with the filters and checks the answer against @all, filtered here. */
static void
assert_filtered (LensFakeApi *api,
                 SoupSession *session,
                 GStrv        all_ids,
                 GHashTable  *created,
                 GHashTable  *types,
                 double       min,
                 double       max,
                 const char  *type)
{
  g_autofree char *body = listing_body (0, 100, min, max, type);
  g_autoptr(JsonNode) answer = list_body (api, session, body);
  JsonObject *previous = NULL;
  guint n_expected = 0;
  guint n_items = json_array_get_length (items_of (answer));

  assert_newest_first (answer, &previous);
  for (guint i = 0; all_ids[i] != NULL; i++)
    {
      double *at = g_hash_table_lookup (created, all_ids[i]);

      if ((!isnan (min) && *at < min) || (!isnan (max) && *at > max)
          || (type != NULL && g_strcmp0 (g_hash_table_lookup (types, all_ids[i]), type) != 0))
        continue;

      /* The first 100 that match, in the listing's order. */
      if (n_expected < n_items)
        g_assert_cmpstr (item_id (answer, n_expected), ==, all_ids[i]);
      n_expected++;
    }

  g_assert_cmpint (count_of (answer), ==, n_expected);
  g_assert_cmpuint (n_items, ==, MIN (n_expected, 100));
}

static void
test_filters (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) created = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) type_set = g_hash_table_new (g_str_hash, g_str_equal);
  double at_30, at_80, at_200;

  lens_fake_api_seed_examples (api);
  g_strfreev (lens_fake_api_seed_account (api, 250, NEWEST));
  ids = lens_fake_api_list_ids (api);
  list_all (api, session, pages);
  for (guint p = 0, n = 0; p < pages->len; p++)
    {
      JsonNode *page = g_ptr_array_index (pages, p);

      for (guint i = 0; i < json_array_get_length (items_of (page)); i++, n++)
        {
          const char *type = json_object_get_string_member (item (page, i), "type");

          g_assert_cmpstr (item_id (page, i), ==, ids[n]);
          g_hash_table_insert (created, ids[n], g_memdup2 (&(double) { item_created_at (page, i) },
                                                           sizeof (double)));
          g_hash_table_insert (types, ids[n], (gpointer) type);
          g_hash_table_add (type_set, (gpointer) type);
        }
    }
  g_assert_cmpuint (g_hash_table_size (created), ==, 250 + 6);
  /* Imagine, describe, edits, videos: every type can be asked for. */
  g_assert_cmpuint (g_hash_table_size (type_set), ==, 4);

  at_30 = *(double *) g_hash_table_lookup (created, ids[30]);
  at_80 = *(double *) g_hash_table_lookup (created, ids[80]);
  at_200 = *(double *) g_hash_table_lookup (created, ids[200]);

  /* Bounds are inclusive: the task created at exactly the bound is in. */
  assert_filtered (api, session, ids, created, types, at_30, NAN, NULL);
  assert_filtered (api, session, ids, created, types, NAN, at_80, NULL);
  assert_filtered (api, session, ids, created, types, at_200, at_30, NULL);
  assert_filtered (api, session, ids, created, types, at_200, at_30, "imagine");
  assert_filtered (api, session, ids, created, types, NAN, NAN, "imagine");
  assert_filtered (api, session, ids, created, types, NAN, NAN, "describe");
  assert_filtered (api, session, ids, created, types, NAN, NAN, "videos");
  assert_filtered (api, session, ids, created, types, NAN, NAN, "no-such-type");
  assert_filtered (api, session, ids, created, types, at_30, at_200, NULL);

  {
    g_autofree char *body = listing_body (0, 100, at_30, at_30, NULL);
    g_autoptr(JsonNode) exact = list_body (api, session, body);

    g_assert_cmpint (count_of (exact), >=, 1);
    g_assert_cmpfloat (item_created_at (exact, 0), ==, at_30);
  }
  {
    /* Whole seconds are numbers too. */
    g_autofree char *body = g_strdup_printf ("{\"action\": \"retrieve_batch\", \"limit\": 100, "
                                             "\"created_at_min\": %" G_GINT64_FORMAT "}",
                                             (gint64) NEWEST - 3600 * 24);
    g_autoptr(JsonNode) whole = list_body (api, session, body);

    g_assert_cmpint (count_of (whole), >, 0);
    g_assert_cmpint (count_of (whole), <, 250);
    g_assert_cmpfloat (item_created_at (whole, json_array_get_length (items_of (whole)) - 1),
                       >=, (double) NEWEST - 3600 * 24);
  }

  lens_test_fake_client_finish (api, session);
}

/* Offsets shift: a task added between two pages is at offset 0 afterwards,
 * and pushes the last task of page 1 to the start of page 2, so that a
 * client paging on sees it twice. That is why clients match by id. */
static void
test_new_task_shifts_offsets (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_account (api, 120, NEWEST);
  g_autoptr(JsonNode) first = list (api, session, 0, 50);
  g_auto(GStrv) added = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) top = NULL;

  g_assert_cmpint (count_of (first), ==, 120);
  g_assert_cmpstr (item_id (first, 49), ==, ids[49]);

  added = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_RUNNING, 1);
  second = list (api, session, 50, 50);
  g_assert_cmpint (count_of (second), ==, 121);
  g_assert_cmpstr (item_id (second, 0), ==, ids[49]);
  g_assert_cmpstr (item_id (second, 1), ==, ids[50]);

  top = list (api, session, 0, 2);
  g_assert_cmpstr (item_id (top, 0), ==, added[0]);
  g_assert_cmpstr (item_id (top, 1), ==, ids[0]);
  g_assert_cmpfloat (item_created_at (top, 0), >, item_created_at (top, 1));

  lens_test_fake_client_finish (api, session);
}

static void
test_add_record_listed (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_account (api, 10, NEWEST);
  g_autofree char *record = g_strdup_printf ("{\"id\": \"added-by-hand\", \"type\": \"imagine\", "
                                             "\"created_at\": %.3f, \"request\": {}}",
                                             (double) NEWEST - 1.5);
  g_autoptr(JsonNode) answer = NULL;

  /* lens_fake_api_add_record() is all a test needs to put a task anywhere
   * in the account's history. */
  lens_fake_api_add_record (api, record);
  answer = list (api, session, 0, 3);
  g_assert_cmpint (count_of (answer), ==, 11);
  g_assert_cmpstr (item_id (answer, 0), ==, ids[0]);
  g_assert_cmpstr (item_id (answer, 1), ==, "added-by-hand");
  g_assert_cmpstr (item_id (answer, 2), ==, ids[1]);

  lens_test_fake_client_finish (api, session);
}

static void
test_new_tasks_every (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_account (api, 20, NEWEST);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) later = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  lens_fake_api_add_new_tasks_every (api, 10, 3);
  while (lens_fake_api_count_new_tasks (api) < 3)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  answer = list (api, session, 0, 50);
  g_assert_cmpint (count_of (answer), ==, 23);
  g_assert_cmpstr (item_id (answer, 3), ==, ids[0]);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *record = item (answer, i);

      /* Just submitted: created now, not finished. */
      g_assert_cmpfloat (json_object_get_double_member (record, "created_at"), >,
                         (double) NEWEST);
      g_assert_false (json_object_has_member (record, "finished_at"));
    }

  /* No more than asked for. */
  lens_test_spin_for (60);
  g_assert_cmpuint (lens_fake_api_count_new_tasks (api), ==, 3);

  /* Again, then stopped. */
  lens_fake_api_add_new_tasks_every (api, 10, 0);
  while (lens_fake_api_count_new_tasks (api) < 2)
    g_main_context_iteration (NULL, TRUE);
  lens_fake_api_add_new_tasks_every (api, 0, 0);
  lens_test_spin_for (40);
  later = list (api, session, 0, 1);
  g_assert_cmpint (count_of (later), ==, 25);

  lens_test_fake_client_finish (api, session);
}

static void
push_listing_fault (LensFakeApi       *api,
                    LensFakeFaultKind  kind,
                    LensFakeTarget     target,
                    guint              status,
                    const char        *code,
                    guint              times)
{
  LensFakeFault fault = {
    .kind = kind, .target = target, .status = status, .code = code, .retry_after = -1,
  };

  lens_fake_api_push_fault (api, &fault, times);
}

static void
test_listing_faults (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_account (api, 5, NEWEST);
  g_autofree char *listing = listing_body (0, 50, NAN, NAN, NULL);
  g_autofree char *batch = g_strdup_printf ("{\"action\": \"retrieve_batch\", \"ids\": [\"%s\"], "
                                            "\"limit\": 1}", ids[0]);

  /* Listing not allowed for this token: lookups by id still work. */
  push_listing_fault (api, LENS_FAKE_FAULT_STATUS, LENS_FAKE_TARGET_LISTING, 400,
                      "api_not_implemented", G_MAXUINT);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(LensTestReply) refused = lens_test_post_tasks (api, session, listing);
      g_autoptr(LensTestReply) found = lens_test_post_tasks (api, session, batch);
      g_autoptr(JsonNode) record = lens_test_retrieve_record (api, session, ids[1]);
      g_autoptr(JsonNode) answer = NULL;

      lens_test_assert_error_body (refused, 400, "api_not_implemented");
      g_assert_cmpuint (lens_test_reply_status (found), ==, 200);
      answer = lens_test_reply_json (found);
      g_assert_cmpint (count_of (answer), ==, 1);
      g_assert_cmpstr (lens_test_record_string (record, "id"), ==, ids[1]);
    }
  lens_fake_api_clear_faults (api);

  /* A fault for all tasks requests takes listings too, in queue order; a
   * lookup passes a listing fault by. */
  push_listing_fault (api, LENS_FAKE_FAULT_STATUS, LENS_FAKE_TARGET_LISTING, 400,
                      "api_not_implemented", 1);
  push_listing_fault (api, LENS_FAKE_FAULT_STATUS, LENS_FAKE_TARGET_TASKS, 503, NULL, 1);
  {
    g_autoptr(LensTestReply) lookup = lens_test_post_tasks (api, session, batch);
    g_autoptr(LensTestReply) first = lens_test_post_tasks (api, session, listing);
    g_autoptr(JsonNode) then = list_body (api, session, listing);

    lens_test_assert_error_body (lookup, 503, "timeout");
    lens_test_assert_error_body (first, 400, "api_not_implemented");
    g_assert_cmpint (count_of (then), ==, 5);
  }

  /* An answer the contract does not describe: 200 without items. */
  push_listing_fault (api, LENS_FAKE_FAULT_NO_ITEMS, LENS_FAKE_TARGET_LISTING, 0, NULL, 1);
  {
    g_autoptr(LensTestReply) odd = lens_test_post_tasks (api, session, listing);
    g_autoptr(LensTestReply) lookup = lens_test_post_tasks (api, session, batch);
    g_autoptr(JsonNode) node = NULL;
    JsonObject *object;

    g_assert_cmpuint (lens_test_reply_status (odd), ==, 200);
    g_assert_cmpstr (lens_test_reply_header (odd, "Content-Type"), ==, "application/json");
    node = lens_test_reply_json (odd);
    object = json_node_get_object (node);
    g_assert_false (json_object_has_member (object, "items"));
    g_assert_false (json_object_has_member (object, "count"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "data")),
                      ==, 0);
    g_assert_cmpuint (lens_test_reply_status (lookup), ==, 200);
  }

  /* Any other fault kind can target listings. */
  push_listing_fault (api, LENS_FAKE_FAULT_WRONG_SHAPE, LENS_FAKE_TARGET_LISTING, 0, NULL, 1);
  {
    g_autoptr(LensTestReply) shape = lens_test_post_tasks (api, session, listing);
    g_autoptr(JsonNode) node = NULL;

    g_assert_cmpuint (lens_test_reply_status (shape), ==, 200);
    node = lens_test_reply_json (shape);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  }

  lens_test_fake_client_finish (api, session);
}

static void
test_bad_parameters (void)
{
  static const char * const bodies[] = {
    "{\"action\": \"retrieve_batch\", \"offset\": -1}",
    "{\"action\": \"retrieve_batch\", \"offset\": \"0\"}",
    "{\"action\": \"retrieve_batch\", \"offset\": 1.5}",
    "{\"action\": \"retrieve_batch\", \"offset\": [0]}",
    "{\"action\": \"retrieve_batch\", \"limit\": 0}",
    "{\"action\": \"retrieve_batch\", \"limit\": -3}",
    "{\"action\": \"retrieve_batch\", \"limit\": \"50\"}",
    "{\"action\": \"retrieve_batch\", \"limit\": true}",
    "{\"action\": \"retrieve_batch\", \"created_at_min\": \"yesterday\"}",
    "{\"action\": \"retrieve_batch\", \"created_at_max\": true}",
    "{\"action\": \"retrieve_batch\", \"created_at_max\": {}}",
    "{\"action\": \"retrieve_batch\", \"type\": 3}",
    "{\"action\": \"retrieve_batch\", \"type\": [\"imagine\"]}",
  };
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();

  g_strfreev (lens_fake_api_seed_account (api, 3, NEWEST));
  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(LensTestReply) reply = lens_test_post_tasks (api, session, bodies[i]);

      g_test_message ("%s", bodies[i]);
      lens_test_assert_error_body (reply, 400, "bad_request");
    }

  lens_test_fake_client_finish (api, session);
}

static void
test_listing_limited (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  /* A window of ten seconds: the second listing is refused at once. */
  LensFakeLimits limits = { .requests_per_second = 0.1 };
  g_autofree char *listing = listing_body (0, 50, NAN, NAN, NULL);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(LensTestReply) second = NULL;
  g_autoptr(LensTestReply) lookup = NULL;

  g_strfreev (lens_fake_api_seed_account (api, 60, NEWEST));
  lens_fake_api_set_limits (api, &limits);
  first = list_body (api, session, listing);
  g_assert_cmpuint (json_array_get_length (items_of (first)), ==, 50);
  second = lens_test_post_tasks (api, session, listing);
  lens_test_assert_error_body (second, 429, "too_many_requests");
  lookup = lens_test_post_tasks (api, session, "{\"action\": \"retrieve\", \"id\": \"x\"}");
  lens_test_assert_error_body (lookup, 429, "too_many_requests");
  g_assert_cmpuint (lens_fake_api_count_refused (api), ==, 2);

  lens_test_fake_client_finish (api, session);
}

static void
test_batch_cut (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_account (api, 30, NEWEST);
  g_autoptr(JsonNode) answer = NULL;

  /* A page cut short still counts all that match. */
  lens_fake_api_set_batch_cut (api, 7);
  answer = list (api, session, 10, 20);
  g_assert_cmpuint (json_array_get_length (items_of (answer)), ==, 7);
  g_assert_cmpint (count_of (answer), ==, 30);
  g_assert_cmpstr (item_id (answer, 0), ==, ids[10]);

  lens_test_fake_client_finish (api, session);
}

static void
test_account_tasks (void)
{
  g_autoptr(LensFakeApi) one = lens_fake_api_new (NULL);
  g_autoptr(LensFakeApi) other = lens_fake_api_new (NULL);
  g_auto(GStrv) ids = lens_fake_api_seed_account (one, 500, NEWEST);
  g_auto(GStrv) same = lens_fake_api_seed_account (other, 500, NEWEST);
  g_auto(GStrv) more = lens_fake_api_seed_account (one, 5, NEWEST - 86400 * 365);
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) served = lens_fake_api_seed_account (api, 500, NEWEST);
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  JsonObject *previous = NULL;
  guint running = 0, failed = 0, ties = 0;
  double oldest = 0, last = G_MAXDOUBLE;

  /* Deterministic, and ids never repeat. */
  g_assert_cmpstrv (ids, same);
  g_assert_cmpstrv (served, ids);
  for (guint i = 0; more[i] != NULL; i++)
    g_assert_false (g_strv_contains ((const char * const *) ids, more[i]));

  list_all (api, session, pages);
  g_assert_cmpuint (pages->len, ==, 5);
  for (guint p = 0; p < pages->len; p++)
    {
      JsonNode *page = g_ptr_array_index (pages, p);

      assert_newest_first (page, &previous);
      for (guint i = 0; i < json_array_get_length (items_of (page)); i++)
        {
          JsonObject *record = item (page, i);
          JsonObject *request = json_object_get_object_member (record, "request");
          JsonNode *response = json_object_get_member (record, "response");
          double at = json_object_get_double_member (record, "created_at");
          const char *action = json_object_get_string_member_with_default (request, "action",
                                                                            "describe");

          g_hash_table_add (kinds, (gpointer) action);
          running += !json_object_has_member (record, "finished_at");
          failed += response != NULL && JSON_NODE_HOLDS_OBJECT (response)
                    && json_object_has_member (json_node_get_object (response), "error");
          ties += at == last;
          last = oldest = at;
        }
    }

  /* Mostly grids, with upscales, variations, describes, failures and a few
   * still running; spread over months, some made at the same moment. */
  g_assert_true (g_hash_table_contains (kinds, "generate"));
  g_assert_true (g_hash_table_contains (kinds, "describe"));
  g_assert_true (g_hash_table_contains (kinds, "upscale1"));
  g_assert_true (g_hash_table_contains (kinds, "variation1"));
  g_assert_cmpuint (running, >=, 1);
  g_assert_cmpuint (running, <=, 3);
  g_assert_cmpuint (failed, >=, 5);
  g_assert_cmpuint (ties, >=, 5);
  g_assert_cmpfloat ((double) NEWEST - oldest, >, 14 * 86400.0);

  lens_test_fake_client_finish (api, session);
}

static void
test_demo_listed (void)
{
  LensFakeApi *api = lens_test_start_fake_api (TOKEN);
  SoupSession *session = lens_test_fake_client_new ();
  g_auto(GStrv) ids = lens_fake_api_seed_demo (api);
  guint n = g_strv_length (ids);
  g_autoptr(JsonNode) answer = list (api, session, 0, 100);
  JsonObject *previous = NULL;

  /* The demo's tasks (oldest first) are the whole listing, newest first. */
  g_assert_cmpint (count_of (answer), ==, n);
  assert_newest_first (answer, &previous);
  for (guint i = 0; i < n; i++)
    g_assert_true (g_strv_contains ((const char * const *) ids, item_id (answer, i)));
  g_assert_cmpstr (item_id (answer, n - 1), ==, ids[0]);

  lens_test_fake_client_finish (api, session);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);
  newest = g_get_real_time () / G_USEC_PER_SEC - 86400;

  g_test_add_func ("/fake-api/listing/paging", test_paging);
  g_test_add_func ("/fake-api/listing/default-limit", test_default_limit);
  g_test_add_func ("/fake-api/listing/filters", test_filters);
  g_test_add_func ("/fake-api/listing/new-task-shifts-offsets", test_new_task_shifts_offsets);
  g_test_add_func ("/fake-api/listing/add-record", test_add_record_listed);
  g_test_add_func ("/fake-api/listing/new-tasks-every", test_new_tasks_every);
  g_test_add_func ("/fake-api/listing/faults", test_listing_faults);
  g_test_add_func ("/fake-api/listing/bad-parameters", test_bad_parameters);
  g_test_add_func ("/fake-api/listing/limited", test_listing_limited);
  g_test_add_func ("/fake-api/listing/batch-cut", test_batch_cut);
  g_test_add_func ("/fake-api/listing/account", test_account_tasks);
  g_test_add_func ("/fake-api/listing/demo", test_demo_listed);

  return g_test_run ();
}
