/* bench-batch.c — looking up 10,000 tasks end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-batch [N_TASKS]
 *
 * Seeds the in-process fake server with N_TASKS (10,000 by default) finished
 * imagine tasks, adds their ids to a LensTaskList, looks them all up with one
 * lens_client_retrieve_batch_async() (200 requests of 50, four in flight) and
 * applies the records. Prints the wall time of the lookup and of applying the
 * records, and the heap the list holds afterwards. The server runs
 * on the same main loop, so the lookup time includes its work too: it is an
 * upper bound for the client.
 */

#define G_LOG_DOMAIN "bench-batch"

#include "config.h"

#include <malloc.h>
#include <stdlib.h>

#include "lens-client.h"
#include "lens-fake-api.h"
#include "lens-task-list.h"

/* Bytes the allocator has handed out and not had back: unlike the resident
 * size, it falls again when the batch's JSON trees are freed. */
static gint64
heap_in_use (void)
{
  return (gint64) mallinfo2 ().uordblks;
}

static void
batch_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  LensBatchResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = lens_client_retrieve_batch_finish (LENS_CLIENT (source_object), result, &error);
  if (*out == NULL)
    g_error ("Lookup failed: %s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  guint n_tasks = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  g_autoptr(LensFakeApi) fake = lens_fake_api_new ("bench-token");
  g_autoptr(GError) error = NULL;
  g_autoptr(LensClient) client = NULL;
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(LensBatchResult) batch = NULL;
  g_auto(GStrv) ids = NULL;
  gint64 heap_before, start, looked_up, applied;

  if (!lens_fake_api_start (fake, 0, &error))
    g_error ("Fake server: %s", error->message);
  ids = lens_fake_api_seed_generated (fake, LENS_FAKE_TASK_IMAGINE, n_tasks);
  client = lens_client_new (NULL, lens_fake_api_get_url (fake), "bench-token");

  heap_before = heap_in_use ();
  lens_task_list_add_ids (list, (const char * const *) ids, NULL);

  start = g_get_monotonic_time ();
  lens_client_retrieve_batch_async (client, (const char * const *) ids, LENS_REQUEST_PRIORITY_USER, 0, NULL, batch_cb,
                                    &batch);
  while (batch == NULL)
    g_main_context_iteration (NULL, TRUE);
  looked_up = g_get_monotonic_time ();

  g_ptr_array_add (batch->answered_ids, NULL);
  lens_task_list_apply_prepared (list, (const char * const *) batch->answered_ids->pdata, batch->prepared);
  applied = g_get_monotonic_time ();

  g_print ("tasks: %u, requests: %u, records: %u\n", n_tasks,
           lens_fake_api_count_requests (fake, "/midjourney/tasks"), batch->prepared->len);
  g_print ("lookup (client + fake server): %.0f ms\n", (looked_up - start) / 1000.0);
  g_print ("apply records to the list: %.1f ms (%.1f µs per task)\n",
           (applied - looked_up) / 1000.0, (double) (applied - looked_up) / n_tasks);
  g_clear_pointer (&batch, lens_batch_result_free);
  g_print ("heap held by the list afterwards: %.1f MiB (%.2f KiB per task, raw JSON included)\n",
           (heap_in_use () - heap_before) / (1024.0 * 1024.0),
           (double) (heap_in_use () - heap_before) / 1024.0 / n_tasks);

  return EXIT_SUCCESS;
}
