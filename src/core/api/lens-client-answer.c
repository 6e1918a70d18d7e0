/* lens-client-answer.c — what the client makes of an answer's body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps from the bytes a server sent to task records: the JSON parse
 * (run in a worker) and the shape checks of a `retrieve` and of a
 * `retrieve_batch` answer. Everything here is pure and synchronous, with
 * no HTTP in sight, so that the fuzzer (tests/fuzz) runs exactly the code
 * the client runs on a server's answer.
 */

#define G_LOG_DOMAIN "lens-client"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-client-answer.h"
#include "lens-client-error.h"
#include "lens-json.h"

static void
set_shape_error (GError **error)
{
  g_set_error_literal (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE,
                       _("The AceData API sent an answer of an unexpected form"));
}

/**
 * _lens_client_answer_parse:
 * @body: the body of a successful answer
 *
 * Parses @body as JSON. Runs in a worker (lens_worker_parse_bytes()).
 *
 * Returns: (transfer full) (type JsonNode): the root, or %NULL with @error set
 */
gpointer
_lens_client_answer_parse (GBytes  *body,
                           GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL)
      || json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE,
                           _("The AceData API sent an answer that is not valid JSON"));
      return NULL;
    }

  return json_parser_steal_root (parser);
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
 *
 * Keeps the items that are task records for one of @ids; anything else the
 * server put in the list is ignored.
 *
 * Returns: %FALSE with @error set when the answer has the wrong shape
 */
gboolean
_lens_client_answer_collect_records (JsonNode           *root,
                                     const char * const *ids,
                                     GPtrArray          *records,
                                     GError            **error)
{
  JsonArray *items;
  guint n_items;

  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (items = lens_json_get_array (json_node_get_object (root), "items")) == NULL)
    {
      set_shape_error (error);
      return FALSE;
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
