/* test-client-answer.c — tests for reading an API answer's body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pure steps of lens-client-answer.c, without a server: the JSON parse,
 * the shape of a `retrieve` answer, and which items of a `retrieve_batch`
 * answer are kept, and what a page of the account's tasks must look like.
 * test-client covers the same through HTTP.
 */

#define G_LOG_DOMAIN "test-client-answer"

#include "config.h"

#include <string.h>

#include "lens-client-answer.h"
#include "lens-client-error.h"
#include "lens-json.h"
#include "lens-test.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"

static JsonNode *
parse_text (const char  *text,
            GError     **error)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  return _lens_client_answer_parse (body, error);
}

static void
test_parse (void)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  /* "" has no data at all (g_bytes_get_data() gives NULL); several
   * top-level values made json-glib abort before the parser was strict. */
  const char *invalid[] = {
    "", "<html>502</html>", "{\"items\": [", "\xff\xfe{}",
    "{}{}", "[]{}", "0{}", "{\"items\": []} []", "[] [] []",
  };

  root = parse_text ("{\"items\": []}", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(JsonNode) bad = parse_text (invalid[i], &error);

      g_assert_null (bad);
      g_assert_error (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE);
      g_clear_error (&error);
    }
}

/* json-glib reads 1e400 as infinity, and writes it back as "inf", which is
 * not JSON: the history could not read such a record again. */
static void
test_parse_non_finite (void)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonParser) reparser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonArray *array;
  double value = 0;

  root = parse_text ("{\"n\": 1e400, \"a\": [1e999, -1e999, 2.5],"
                     " \"o\": {\"p\": [{\"q\": -1e400}]}, \"s\": \"1e400\"}", &error);
  g_assert_no_error (error);
  g_assert_true (json_node_is_immutable (root));

  object = json_node_get_object (root);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "n")));
  array = json_object_get_array_member (object, "a");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (array, 0)));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (array, 1)));
  g_assert_cmpfloat (json_array_get_double_element (array, 2), ==, 2.5);
  object = json_object_get_object_member (object, "o");
  object = json_array_get_object_element (json_object_get_array_member (object, "p"), 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "q")));
  /* A string holding such a number stays a string; the getter refuses it. */
  g_assert_false (lens_json_get_double (json_node_get_object (root), "s", &value));

  text = json_to_string (root, FALSE);
  json_parser_load_from_data (reparser, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_record (void)
{
  struct {
    const char *body;
    gboolean    ok;
    gboolean    has_record;
  } cases[] = {
    { "{\"id\": \"" ID_A "\", \"response\": {}}", TRUE, TRUE },
    /* An unknown id: {} or null, not found but no error. */
    { "{}", TRUE, FALSE },
    { "null", TRUE, FALSE },
    { "{\"id\": 5}", TRUE, FALSE },
    { "[]", FALSE, FALSE },
    { "\"" ID_A "\"", FALSE, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = parse_text (cases[i].body, NULL);
      g_autoptr(JsonNode) record = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("%s", cases[i].body);
      g_assert_nonnull (root);
      ok = _lens_client_answer_get_record (root, &record, &error);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_true ((record != NULL) == cases[i].has_record);
      if (record != NULL)
        g_assert_true (record == root);
    }
}

static void
test_batch (void)
{
  const char *ids[] = { ID_A, ID_B, NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;

  /* Only objects with an id that was asked for (in any case) are kept. */
  root = parse_text ("{\"items\": [1, null, \"" ID_A "\", {\"id\": 5}, {\"id\": \"\"},"
                     " {\"id\": \"26c39859-f54a-4998-9e42-3da96eceee8c\"},"
                     " {\"id\": \"7489DF4C-EF03-4DE0-B598-E9A590793434\", \"n\": 1},"
                     " {\"id\": \"" ID_B "\", \"n\": 2}]}", NULL);
  g_assert_true (_lens_client_answer_collect_records (root, ids, records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  for (guint i = 0; i < records->len; i++)
    {
      gint64 n = 0;

      g_assert_true (lens_json_get_int (json_node_get_object (g_ptr_array_index (records, i)),
                                        "n", &n));
      g_assert_cmpint (n, ==, i + 1);
    }
}

/* `count` is reported when it is a whole number, not negative (as a number
 * or, liberal like every number the API sends, as a string); anything else
 * is as if absent (-1). */
static void
test_batch_count (void)
{
  const char *ids[] = { ID_A, ID_B, NULL };
  const struct { const char *count; gint64 expected; } cases[] = {
    { "", -1 },
    { ", \"count\": 3", 3 },
    { ", \"count\": 0", 0 },
    { ", \"count\": 1", 1 },
    { ", \"count\": 3.0", 3 },
    { ", \"count\": 2.5", -1 },
    { ", \"count\": -1", -1 },
    { ", \"count\": \"3\"", 3 },
    { ", \"count\": \"many\"", -1 },
    { ", \"count\": null", -1 },
    { ", \"count\": true", -1 },
    { ", \"count\": 1e300", -1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"items\": [{\"id\": \"" ID_A "\"}]%s}",
                                               cases[i].count);
      g_autoptr(JsonNode) root = parse_text (text, NULL);
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      g_autoptr(GError) error = NULL;
      gint64 count = 42;

      g_test_message ("%s", text);
      g_assert_true (_lens_client_answer_collect_records (root, ids, records, &count, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (records->len, ==, 1);
      g_assert_cmpint (count, ==, cases[i].expected);
    }
}

static void
test_batch_wrong_shape (void)
{
  const char *ids[] = { ID_A, NULL };
  const char *bodies[] = { "{}", "null", "[]", "{\"items\": {}}", "{\"items\": null}" };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonNode) root = parse_text (bodies[i], NULL);
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", bodies[i]);
      g_assert_false (_lens_client_answer_collect_records (root, ids, records, NULL, &error));
      g_assert_error (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE);
      g_assert_cmpuint (records->len, ==, 0);
    }
}

/* A page keeps its records in the answer's order (newest first) and its
 * count; items that are not task records are skipped. */
static void
test_page (void)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  guint count = 0;

  root = parse_text ("{\"items\": [{\"id\": \"" ID_B "\", \"created_at\": 2},"
                     " 7, {\"id\": \"not-a-task\"}, {\"id\": \"" ID_A "\", \"created_at\": 1}],"
                     " \"count\": 120}", &error);
  g_assert_no_error (error);
  g_assert_true (_lens_client_answer_get_page (root, records, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 120);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (lens_json_get_string (json_node_get_object (g_ptr_array_index (records, 0)), "id"),
                   ==, ID_B);
  g_assert_cmpstr (lens_json_get_string (json_node_get_object (g_ptr_array_index (records, 1)), "id"),
                   ==, ID_A);

  g_clear_pointer (&root, json_node_unref);
  g_ptr_array_set_size (records, 0);
  root = parse_text ("{\"items\": [], \"count\": 0}", &error);
  g_assert_true (_lens_client_answer_get_page (root, records, &count, &error));
  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpuint (records->len, ==, 0);
}

/* Anything that is not a page is an error that says the account was not
 * listed, never an empty listing: no items, a count that is missing, not a
 * whole number, negative, or smaller than what the page holds. */
static void
test_page_wrong_shape (void)
{
  const char *answers[] = {
    "{}",
    "[]",
    "null",
    "{\"count\": 0}",
    "{\"items\": {}, \"count\": 0}",
    "{\"items\": null, \"count\": 0}",
    "{\"items\": []}",
    "{\"items\": [], \"count\": -1}",
    "{\"items\": [], \"count\": 1.5}",
    "{\"items\": [], \"count\": \"many\"}",
    "{\"items\": [], \"count\": 1e400}",
    "{\"items\": [{\"id\": \"" ID_A "\"}, {\"id\": \"" ID_B "\"}], \"count\": 1}",
    "{\"error\": {\"code\": \"api_not_implemented\"}}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      g_autoptr(GError) error = NULL;
      guint count = 77;

      g_test_message ("answer: %s", answers[i]);
      root = parse_text (answers[i], &error);
      g_assert_no_error (error);
      g_assert_false (_lens_client_answer_get_page (root, records, &count, &error));
      g_assert_error (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_LIST_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "list"));
      g_assert_cmpuint (records->len, ==, 0);
      g_assert_cmpuint (count, ==, 77);
      g_assert_true (lens_client_error_is_permanent (error));
    }
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/client-answer/parse", test_parse);
  g_test_add_func ("/client-answer/parse/non-finite", test_parse_non_finite);
  g_test_add_func ("/client-answer/record", test_record);
  g_test_add_func ("/client-answer/batch", test_batch);
  g_test_add_func ("/client-answer/batch/count", test_batch_count);
  g_test_add_func ("/client-answer/batch/wrong-shape", test_batch_wrong_shape);
  g_test_add_func ("/client-answer/page", test_page);
  g_test_add_func ("/client-answer/page/wrong-shape", test_page_wrong_shape);

  return g_test_run ();
}
