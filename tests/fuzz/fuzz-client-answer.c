/* fuzz-client-answer.c — what LensClient makes of any answer's body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The body of a 200 answer, as lens-client-request.c hands it on: parsed
 * (lens-client-answer.c, the worker's parse), read as a `retrieve` answer
 * and as a `retrieve_batch` answer, and the records kept applied to a task
 * list, as the refresher does (lens_task_list_apply_records()); and read as
 * a page of the account's tasks (a listing), whose records a sync inserts
 * and applies. Besides not crashing: a batch keeps only objects whose id
 * was asked for, never more than the answer held, and every task asked for
 * is either updated or not found; a page is either an error that says the
 * account was not listed or records with task ids, no more than its count.
 */

#define G_LOG_DOMAIN "fuzz-client-answer"

#include "config.h"

#include <json-glib/json-glib.h>

#include "fuzz-common.h"
#include "lens-client-answer.h"
#include "lens-client-error.h"
#include "lens-id-parser.h"
#include "lens-json.h"
#include "lens-task-list.h"

/* Always asked for, whether or not the answer holds it. */
#define ASKED_ID "7489df4c-ef03-4de0-b598-e9a590793434"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (NULL);
  return 0;
}

/* The ids a client would have asked for to get this answer: every second
 * task id the items name, lower-case, so that some records are kept and
 * some are not. Only task ids: the client asks for nothing else. */
static GStrv
asked_ids (JsonNode *root)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *items = NULL;
  guint n_items;

  g_strv_builder_add (builder, ASKED_ID);
  if (JSON_NODE_HOLDS_OBJECT (root))
    items = lens_json_get_array (json_node_get_object (root), "items");
  n_items = items != NULL ? json_array_get_length (items) : 0;
  for (guint i = 0; i < n_items; i += 2)
    {
      JsonNode *item = json_array_get_element (items, i);
      const char *id;

      if (JSON_NODE_HOLDS_OBJECT (item)
          && (id = lens_json_get_string (json_node_get_object (item), "id")) != NULL
          && lens_id_is_task_id (id))
        g_strv_builder_take (builder, g_ascii_strdown (id, -1));
    }

  return g_strv_builder_end (builder);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LensTaskList) tasks = NULL;
  g_autoptr(GPtrArray) page = NULL;
  gint64 count = 0;
  guint page_count = 0;

  root = _lens_client_answer_parse (body, &error);
  if (root == NULL)
    {
      FUZZ_CHECK (g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE));
      return 0;
    }

  /* As a page of the account's tasks: put into a list, as a sync does. */
  page = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  if (_lens_client_answer_get_page (root, page, &page_count, &error))
    {
      g_autoptr(LensTaskList) listed = lens_task_list_new ();

      FUZZ_CHECK (page->len <= page_count);
      for (guint i = 0; i < page->len; i++)
        {
          JsonNode *item = g_ptr_array_index (page, i);
          const char *id_array[2] = { NULL, NULL };

          FUZZ_CHECK (JSON_NODE_HOLDS_OBJECT (item));
          id_array[0] = lens_json_get_string (json_node_get_object (item), "id");
          FUZZ_CHECK (lens_id_is_task_id (id_array[0]));
          lens_task_list_insert_ids (listed, 0, id_array);
        }
      lens_task_list_apply_records (listed, NULL, page);
    }
  else
    {
      FUZZ_CHECK (page->len == 0);
      FUZZ_CHECK (g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_LIST_UNAVAILABLE));
      g_clear_error (&error);
    }

  /* As the answer to a `retrieve`. */
  if (_lens_client_answer_get_record (root, &record, &error))
    {
      FUZZ_CHECK (record == NULL || JSON_NODE_HOLDS_OBJECT (record));
    }
  else
    {
      FUZZ_CHECK (record == NULL);
      FUZZ_CHECK (g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE));
      g_clear_error (&error);
    }

  /* As the answer to a `retrieve_batch`. */
  ids = asked_ids (root);
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  if (!_lens_client_answer_collect_records (root, (const char * const *) ids, records, &count,
                                            &error))
    {
      FUZZ_CHECK (records->len == 0);
      FUZZ_CHECK (g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE));
      return 0;
    }

  FUZZ_CHECK (count >= -1);
  FUZZ_CHECK (records->len <= json_array_get_length (lens_json_get_array (json_node_get_object (root),
                                                                          "items")));
  for (guint i = 0; i < records->len; i++)
    {
      JsonNode *item = g_ptr_array_index (records, i);
      g_autofree char *lower_id = NULL;

      FUZZ_CHECK (JSON_NODE_HOLDS_OBJECT (item));
      lower_id = g_ascii_strdown (lens_json_get_string (json_node_get_object (item), "id"), -1);
      FUZZ_CHECK (g_strv_contains ((const char * const *) ids, lower_id));
    }

  tasks = lens_task_list_new ();
  /* Two items may name the same id. */
  FUZZ_CHECK (lens_task_list_add_ids (tasks, (const char * const *) ids, NULL) <= g_strv_length (ids));
  lens_task_list_apply_records (tasks, (const char * const *) ids, records);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      LensTask *task = lens_task_list_lookup (tasks, ids[i]);

      FUZZ_CHECK (task != NULL);
      FUZZ_CHECK (lens_task_get_state (task) != LENS_TASK_STATE_QUEUED);
    }

  return 0;
}
