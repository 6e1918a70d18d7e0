/* lens-client.h — the AceData Midjourney Tasks API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lens-client-error.h"
#include "lens-request-priority.h"
#include "lens-scheduler.h"

G_BEGIN_DECLS

#define LENS_CLIENT_DEFAULT_URL        "https://api.acedata.cloud"
#define LENS_CLIENT_DEFAULT_CHUNK_SIZE 50
/* AceData's own tools ask for at most 50 ids a request; a larger batch may
 * come back cut short. */
#define LENS_CLIENT_MAX_CHUNK_SIZE     50

/**
 * LensBatchResult:
 * @prepared: (element-type LensPreparedRecord): the records the server
 *   sent, each for one of the ids asked for, already read in a worker
 *   (lens_task_list_apply_prepared() applies them)
 * @answered_ids: (element-type utf8): the ids whose request was answered;
 *   those without a record are unknown to the server
 * @failed_ids: (element-type utf8): the ids whose request failed
 * @error: (nullable): why the first failed request failed
 *
 * What lens_client_retrieve_batch_finish() returns when at least one chunk
 * was answered.
 */
typedef struct
{
  GPtrArray *prepared;
  GPtrArray *answered_ids;
  GPtrArray *failed_ids;
  GError    *error;
} LensBatchResult;

void lens_batch_result_free (LensBatchResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensBatchResult, lens_batch_result_free)

/**
 * LensListQuery:
 * @offset: how many matching tasks to skip, newest first
 * @limit: how many to return at most; 0 for the client's chunk size
 * @created_at_min: only tasks created at or after (Unix seconds); 0 for no bound
 * @created_at_max: only tasks created at or before (Unix seconds); 0 for no bound
 * @type: (nullable): only tasks of this type (`imagine`, `videos`, …)
 *
 * One page of the account's own tasks (API.md, "Listing the account's own
 * tasks").
 */
typedef struct
{
  guint       offset;
  guint       limit;
  double      created_at_min;
  double      created_at_max;
  const char *type;
} LensListQuery;

/**
 * LensListPage:
 * @records: (element-type JsonNode): the task records of the page, newest
 *   first, each an object with a task `id`
 * @count: how many tasks match the query in all (never fewer than the page
 *   held)
 *
 * What lens_client_list_finish() returns.
 */
typedef struct
{
  GPtrArray *records;
  guint      count;
} LensListPage;

void lens_list_page_free (LensListPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensListPage, lens_list_page_free)

#define LENS_TYPE_CLIENT (lens_client_get_type ())
G_DECLARE_FINAL_TYPE (LensClient, lens_client, LENS, CLIENT, GObject)

gboolean         lens_client_check_base_url        (const char          *base_url,
                                                    GError             **error);

LensClient      *lens_client_new                   (SoupSession         *session,
                                                    const char          *base_url,
                                                    const char          *token);

LensScheduler   *lens_client_get_scheduler         (LensClient          *self);
const char      *lens_client_get_base_url          (LensClient          *self);
void             lens_client_set_base_url          (LensClient          *self,
                                                    const char          *base_url);
gboolean         lens_client_has_token             (LensClient          *self);
void             lens_client_set_token             (LensClient          *self,
                                                    const char          *token);
guint            lens_client_get_chunk_size        (LensClient          *self);
void             lens_client_set_chunk_size        (LensClient          *self,
                                                    guint                chunk_size);
void             lens_client_set_retry_policy      (LensClient          *self,
                                                    guint                max_retries,
                                                    guint                base_delay_ms);
void             lens_client_set_max_body_size     (LensClient          *self,
                                                    gsize                max_body_size);
void             lens_client_set_deadline          (LensClient          *self,
                                                    guint                deadline_ms);

void             lens_client_retrieve_async        (LensClient          *self,
                                                    const char          *id,
                                                    LensRequestPriority  priority,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean         lens_client_retrieve_finish       (LensClient          *self,
                                                    GAsyncResult        *result,
                                                    JsonNode           **out_record,
                                                    GError             **error);

guint            lens_client_new_group             (LensClient          *self);
void             lens_client_retrieve_batch_async  (LensClient          *self,
                                                    const char * const  *ids,
                                                    LensRequestPriority  priority,
                                                    guint                group,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
LensBatchResult *lens_client_retrieve_batch_finish (LensClient          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void             lens_client_list_async            (LensClient          *self,
                                                    const LensListQuery *query,
                                                    LensRequestPriority  priority,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
LensListPage    *lens_client_list_finish           (LensClient          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
