/* lens-client-list.c — a page of the account's own tasks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `retrieve_batch` without ids lists the tasks the token's account made,
 * newest first (API.md, "Listing the account's own tasks"). One page is one
 * request through the scheduler, like every other. The answer is checked in
 * lens-client-answer.c; here an answer that is not a page, or a 400 (the
 * API may not let this token list), becomes
 * %LENS_CLIENT_ERROR_LIST_UNAVAILABLE, whose message tells the user that
 * nothing was listed, never that there is nothing to list.
 */

#define G_LOG_DOMAIN "lens-client"

#include "config.h"

#include <string.h>

#include "lens-client-answer.h"
#include "lens-client-private.h"

void
lens_list_page_free (LensListPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->records, g_ptr_array_unref);
  g_free (page);
}

static GBytes *
build_list_body (const LensListQuery *query,
                 guint                limit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, "retrieve_batch");
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, query->offset);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, limit);
  if (query->created_at_min > 0)
    {
      json_builder_set_member_name (builder, "created_at_min");
      json_builder_add_double_value (builder, query->created_at_min);
    }
  if (query->created_at_max > 0)
    {
      json_builder_set_member_name (builder, "created_at_max");
      json_builder_add_double_value (builder, query->created_at_max);
    }
  if (query->type != NULL && *query->type != '\0')
    {
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, query->type);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static void
list_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(LensListPage) page = g_new0 (LensListPage, 1);
  g_autoptr(GError) error = NULL;
  GError *list_error = NULL;

  page->records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  root = lens_client_request_finish (LENS_CLIENT (source_object), result, &error);
  if (root == NULL)
    {
      /* A 400 to a listing, or an answer that is not JSON: the server does
       * not list for this token. Anything else (the network, the token, a
       * cancel) says what it says. */
      if (g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_BAD_REQUEST)
          || g_error_matches (error, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_INVALID_RESPONSE))
        {
          _lens_client_set_list_error (&list_error, error);
          g_task_return_error (task, list_error);
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!_lens_client_answer_get_page (root, page->records, &page->count, &list_error))
    {
      g_task_return_error (task, list_error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) lens_list_page_free);
}

/**
 * lens_client_list_async:
 * @self: the client
 * @query: which page, and the filters
 * @priority: who is waiting for the answer
 *
 * Asks for one page of the account's own tasks, newest first
 * (`retrieve_batch` without ids), as one request through the scheduler.
 */
void
lens_client_list_async (LensClient          *self,
                        const LensListQuery *query,
                        LensRequestPriority  priority,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  guint limit;

  g_return_if_fail (LENS_IS_CLIENT (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_client_list_async);

  limit = query->limit > 0 ? query->limit : self->chunk_size;
  body = build_list_body (query, limit);
  lens_client_request_async (self, body, priority, 0, limit, cancellable, list_cb,
                             g_steal_pointer (&task));
}

/**
 * lens_client_list_finish:
 *
 * Returns: (transfer full): the page, or %NULL with @error set: the
 *   request's error, or %LENS_CLIENT_ERROR_LIST_UNAVAILABLE when the server
 *   did not answer with a page
 */
LensListPage *
lens_client_list_finish (LensClient    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_client_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
