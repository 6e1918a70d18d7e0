/* lens-client-answer.c — what the client makes of an answer's body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps from the bytes a server sent to task records: the JSON parse
 * (run in a worker) and the shape checks of a `retrieve`, of a
 * `retrieve_batch` answer and of a page of the account's tasks. Everything here is pure and synchronous, with
 * no HTTP in sight, so that the fuzzer (tests/fuzz) runs exactly the code
 * the client runs on a server's answer.
 */

#define G_LOG_DOMAIN "lens-client"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "lens-client-answer.h"
#include "lens-client-error.h"
#include "lens-id-parser.h"
#include "lens-json.h"

static void
set_shape_error (GError **error)
{
  g_set_error_literal (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE,
                       _("The AceData API sent an answer of an unexpected form"));
}

/* A number too large for a double (1e400) reads as infinity, which JSON
 * cannot write back: the record saved to the history would no longer
 * parse when the app starts. Such a number says nothing anyway, so it
 * becomes null, as if the member were absent. Iterative, because a
 * server chooses the depth. */
static void
clear_non_finite_numbers (JsonNode *root)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();

  g_ptr_array_add (pending, root);
  while (pending->len > 0)
    {
      JsonNode *node = g_ptr_array_steal_index_fast (pending, pending->len - 1);

      switch (json_node_get_node_type (node))
        {
        case JSON_NODE_OBJECT:
          {
            JsonObjectIter iter;
            JsonNode *member;

            json_object_iter_init (&iter, json_node_get_object (node));
            while (json_object_iter_next (&iter, NULL, &member))
              g_ptr_array_add (pending, member);
          }
          break;
        case JSON_NODE_ARRAY:
          {
            JsonArray *array = json_node_get_array (node);
            guint length = json_array_get_length (array);

            for (guint i = 0; i < length; i++)
              g_ptr_array_add (pending, json_array_get_element (array, i));
          }
          break;
        case JSON_NODE_VALUE:
          if (json_node_get_value_type (node) == G_TYPE_DOUBLE
              && !isfinite (json_node_get_double (node)))
            json_node_init_null (node);
          break;
        case JSON_NODE_NULL:
        default:
          break;
        }
    }
}

/**
 * _lens_client_answer_parse:
 * @body: the body of a successful answer
 *
 * Parses @body as JSON, into an immutable tree that holds only finite
 * numbers. Runs in a worker (lens_worker_parse_bytes()).
 *
 * Returns: (transfer full) (type JsonNode): the root, or %NULL with @error set
 */
gpointer
_lens_client_answer_parse (GBytes  *body,
                           GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root;

  /* An empty body has no data at all, which json-glib refuses with a
   * critical. */
  if (data == NULL)
    data = "";
  /* Strict: one JSON value, as RFC 8259 has it. A lenient parser wraps
   * several top-level values ("{}{}") in an array, which an immutable
   * parser then fails to seal and aborts on its own assertion. */
  json_parser_set_strict (parser, TRUE);
  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL)
      || (root = json_parser_steal_root (parser)) == NULL)
    {
      g_set_error_literal (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The AceData API sent an answer that is not valid JSON"));
      return NULL;
    }

  clear_non_finite_numbers (root);
  /* Immutable from here on: the records go from this worker to the main
   * thread and into tasks, and are only ever read. */
  json_node_seal (root);
  return root;
}

/**
 * _lens_client_answer_get_record:
 * @root: the parsed answer to a `retrieve`
 * @out_record: (out) (transfer full) (nullable): the task record, or %NULL
 *   when the server does not know the id
 *
 * Returns: %FALSE with @error set when the answer has the wrong shape
 */
gboolean
_lens_client_answer_get_record (JsonNode  *root,
                                JsonNode **out_record,
                                GError   **error)
{
  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (out_record != NULL, FALSE);

  *out_record = NULL;

  /* An unknown id is answered with 200 and {} (or null): not found, no error. */
  if (JSON_NODE_HOLDS_NULL (root))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_shape_error (error);
      return FALSE;
    }

  if (lens_json_get_string (json_node_get_object (root), "id") != NULL)
    *out_record = json_node_ref (root);
  return TRUE;
}

/**
 * _lens_client_answer_collect_records:
 * @root: the parsed answer to a `retrieve_batch`
 * @ids: (array zero-terminated=1): the ids asked for, lower-case
 * @records: (element-type JsonNode): where the records are added
 * @out_count: (out) (optional): the answer's `count`, or -1 when it has
 *   none that makes sense (absent, negative, not a whole number)
 *
 * Keeps the items that are task records for one of @ids; anything else the
 * server put in the list is ignored. API.md reads `count` as the number of
 * tasks that matched: more than came back means the answer was cut short.
 *
 * Returns: %FALSE with @error set when the answer has the wrong shape
 */
gboolean
_lens_client_answer_collect_records (JsonNode           *root,
                                     const char * const *ids,
                                     GPtrArray          *records,
                                     gint64             *out_count,
                                     GError            **error)
{
  JsonArray *items;
  guint n_items;
  double count;

  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (items = lens_json_get_array (json_node_get_object (root), "items")) == NULL)
    {
      set_shape_error (error);
      return FALSE;
    }

  /* A count that is not a plain whole number says nothing: as if absent. */
  if (out_count != NULL)
    {
      if (lens_json_get_double (json_node_get_object (root), "count", &count)
          && count >= 0 && count <= G_MAXINT && count == floor (count))
        *out_count = (gint64) count;
      else
        *out_count = -1;
    }

  n_items = json_array_get_length (items);
  for (guint i = 0; i < n_items; i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      const char *id;
      g_autofree char *lower_id = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      id = lens_json_get_string (json_node_get_object (item), "id");
      if (id == NULL)
        continue;
      lower_id = g_ascii_strdown (id, -1);
      if (!g_strv_contains (ids, lower_id))
        continue;

      g_ptr_array_add (records, json_node_ref (item));
    }

  return TRUE;
}

/**
 * _lens_client_set_list_error:
 * @cause: (nullable): what the server did, for a support request
 *
 * The error a listing that the server did not answer as API.md describes
 * ends with. Whatever the cause, the user learns that their account was not
 * listed (never that it has nothing to list) and what still works.
 */
void
_lens_client_set_list_error (GError       **error,
                             const GError  *cause)
{
  const char *text = _("The AceData API did not list the account’s tasks; this token may not "
                       "be allowed to list them. Pasting task IDs still works.");

  if (cause == NULL)
    g_set_error_literal (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_LIST_UNAVAILABLE, text);
  else
    g_set_error (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_LIST_UNAVAILABLE,
                 "%s (%s)", text, cause->message);
}

/**
 * _lens_client_answer_get_page:
 * @root: the parsed answer to a `retrieve_batch` without ids
 * @records: (element-type JsonNode): where the page's task records are
 *   added, in the answer's order (newest first)
 * @out_count: (out) (optional): the answer's `count`: how many tasks match
 *   the filters in all
 *
 * A page must have an `items` array and a `count` that is a whole number no
 * smaller than the items it holds: anything else is not a listing, and
 * reading it as an empty one would tell the user their account has no
 * tasks. Items that are not task records (no object, no task id) are
 * skipped, as in a batch answer.
 *
 * Returns: %FALSE with @error set (%LENS_CLIENT_ERROR_LIST_UNAVAILABLE)
 *   when the answer is not a page; @records is then left as it was
 */
gboolean
_lens_client_answer_get_page (JsonNode   *root,
                              GPtrArray  *records,
                              guint      *out_count,
                              GError    **error)
{
  JsonObject *object;
  JsonArray *items;
  guint n_items;
  double count;

  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (items = lens_json_get_array ((object = json_node_get_object (root)), "items")) == NULL)
    {
      _lens_client_set_list_error (error, NULL);
      return FALSE;
    }

  n_items = json_array_get_length (items);
  if (!lens_json_get_double (object, "count", &count)
      || count != floor (count) || count < n_items || count > G_MAXINT)
    {
      _lens_client_set_list_error (error, NULL);
      return FALSE;
    }

  for (guint i = 0; i < n_items; i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      id = lens_json_get_string (json_node_get_object (item), "id");
      if (id == NULL || !lens_id_is_task_id (id))
        continue;
      g_ptr_array_add (records, json_node_ref (item));
    }

  if (out_count != NULL)
    *out_count = (guint) count;
  return TRUE;
}
