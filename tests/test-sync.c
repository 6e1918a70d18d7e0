/* test-sync.c — bringing in the account's own tasks, against the fake server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensSync with a real client and the fake server's listing: paging, where
 * new tasks go, records applied without lookups, resume after an
 * interruption, incremental syncs while tasks arrive, the failure answers,
 * progress, and "Keep in sync". The page decisions alone are in
 * test-sync-plan.c.
 */

#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include <string.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "lens-sync.h"
#include "lens-test-fake.h"

#define TOKEN "sync-token"
/* The newest seeded task, an hour ago: tasks that arrive later are newer. */
#define NEWEST_AGO_S 3600

typedef struct
{
  LensFakeApi  *fake;
  LensClient   *client;
  LensTaskList *tasks;
  GSettings    *settings;
  LensSync     *sync;
  GPtrArray    *errors;      /* of GError (owned), NULL for a completed sync */
  guint         n_finished;
  guint         n_running_notifies;
  guint         n_done_notifies;
  guint         cancel_at;   /* cancel once n-done reaches it; 0 never */
  char         *switch_to;   /* nullable: another API URL, once n-done reaches 50 */
  GStrv         account;     /* the seeded ids, newest first */
} Fixture;

static void
error_free0 (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static void
finished_cb (LensSync     *sync,
             const GError *error,
             Fixture      *fixture)
{
  g_assert_false (lens_sync_get_running (sync));
  g_ptr_array_add (fixture->errors, error != NULL ? g_error_copy (error) : NULL);
  fixture->n_finished++;
}

static void
n_done_cb (LensSync   *sync,
           GParamSpec *pspec,
           Fixture    *fixture)
{
  fixture->n_done_notifies++;
  if (fixture->cancel_at > 0 && lens_sync_get_n_done (sync) >= fixture->cancel_at)
    {
      fixture->cancel_at = 0;
      lens_sync_cancel (sync);
    }
  if (fixture->switch_to != NULL && lens_sync_get_n_done (sync) >= 50)
    {
      g_autofree char *url = g_steal_pointer (&fixture->switch_to);

      lens_client_set_base_url (fixture->client, url);
    }
}

static LensSync *
make_sync (Fixture *fixture)
{
  LensSync *sync = lens_sync_new (fixture->client, fixture->tasks, fixture->settings);

  g_signal_connect (sync, "finished", G_CALLBACK (finished_cb), fixture);
  g_signal_connect (sync, "notify::n-done", G_CALLBACK (n_done_cb), fixture);
  g_signal_connect (sync, "notify::running", G_CALLBACK (lens_test_count_cb),
                    &fixture->n_running_notifies);
  return sync;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  guint n_tasks = GPOINTER_TO_UINT (data);

  fixture->fake = lens_test_start_fake_api (TOKEN);
  fixture->account = lens_fake_api_seed_account (fixture->fake, n_tasks > 0 ? n_tasks : 120,
                                                 g_get_real_time () / G_USEC_PER_SEC - NEWEST_AGO_S);
  fixture->client = lens_client_new (NULL, lens_fake_api_get_url (fixture->fake), TOKEN);
  lens_client_set_retry_policy (fixture->client, 0, 1);
  fixture->tasks = lens_task_list_new ();
  fixture->settings = g_settings_new_with_backend ("io.github.tasklens.Tasklens", backend);
  fixture->errors = g_ptr_array_new_with_free_func (error_free0);
  fixture->sync = make_sync (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->sync);
  lens_test_spin_for (20);
  g_assert_finalize_object (fixture->tasks);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->fake);
  g_clear_pointer (&fixture->errors, g_ptr_array_unref);
  g_clear_pointer (&fixture->account, g_strfreev);
  g_clear_pointer (&fixture->switch_to, g_free);
}

static void
run_sync (Fixture *fixture)
{
  guint n_finished = fixture->n_finished;

  lens_sync_start (fixture->sync);
  g_assert_true (lens_sync_get_running (fixture->sync));
  LENS_TEST_SPIN_UNTIL (fixture->n_finished > n_finished, LENS_TEST_DEADLINE_MS);
}

static const GError *
last_error (Fixture *fixture)
{
  g_assert_cmpuint (fixture->errors->len, >, 0);
  return g_ptr_array_index (fixture->errors, fixture->errors->len - 1);
}

static guint
count_listings (Fixture *fixture)
{
  return lens_fake_api_count_requests (fixture->fake, "/midjourney/tasks");
}

/* The body of the server's @index-th request, as JSON. */
static JsonObject *
request_body (Fixture *fixture,
              guint    index)
{
  LensFakeRequest *request = lens_test_fake_request (fixture->fake, index);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, request->body, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_list_is (Fixture            *fixture,
                const char * const *ids)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks));

  g_assert_cmpuint (n_items, ==, g_strv_length ((GStrv) ids));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (fixture->tasks), i);

      g_assert_cmpstr (lens_task_get_id (task), ==, ids[i]);
    }
}

static void
assert_all_have_records (Fixture *fixture)
{
  g_auto(GStrv) queued = lens_task_list_dup_ids_in_state (fixture->tasks, LENS_TASK_STATE_QUEUED);

  g_assert_cmpuint (g_strv_length (queued), ==, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks)); i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (fixture->tasks), i);

      g_assert_cmpfloat (lens_task_get_created_at (task), >, 0);
    }
}

/* 120 tasks: three pages of 50, 50 and 20, asked for in order, newest first;
 * every task in the list in the account's order, with its record (no
 * lookup); the progress says 120 of 120, 120 added. */
static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) third = NULL;

  run_sync (fixture);

  g_assert_null (last_error (fixture));
  g_assert_cmpuint (count_listings (fixture), ==, 3);
  first = request_body (fixture, 0);
  second = request_body (fixture, 1);
  third = request_body (fixture, 2);
  g_assert_cmpstr (json_object_get_string_member (first, "action"), ==, "retrieve_batch");
  g_assert_false (json_object_has_member (first, "ids"));
  g_assert_cmpint (json_object_get_int_member (first, "offset"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (second, "offset"), ==, 50);
  g_assert_cmpint (json_object_get_int_member (third, "offset"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (first, "limit"), ==, 50);
  g_assert_false (json_object_has_member (first, "created_at_min"));
  g_assert_false (json_object_has_member (first, "created_at_max"));
  /* The first page fixes the span, so that new tasks do not shift offsets. */
  g_assert_true (json_object_has_member (second, "created_at_max"));

  assert_list_is (fixture, (const char * const *) fixture->account);
  assert_all_have_records (fixture);
  g_assert_cmpuint (lens_sync_get_n_total (fixture->sync), ==, 120);
  g_assert_cmpuint (lens_sync_get_n_done (fixture->sync), ==, 120);
  g_assert_cmpuint (lens_sync_get_n_added (fixture->sync), ==, 120);
  g_assert_cmpuint (fixture->n_done_notifies, ==, 3);
  g_assert_cmpuint (fixture->n_running_notifies, ==, 2);
  g_assert_false (lens_sync_get_running (fixture->sync));
}

/* A second start while one runs does nothing: one sync, one finished. */
static void
test_start_twice (Fixture       *fixture,
                  gconstpointer  data)
{
  lens_sync_start (fixture->sync);
  lens_sync_start (fixture->sync);
  LENS_TEST_SPIN_UNTIL (fixture->n_finished == 1, LENS_TEST_DEADLINE_MS);
  lens_test_spin_for (100);
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_cmpuint (count_listings (fixture), ==, 3);
}

/* Tasks already listed are updated, not added again; new ones newer than
 * everything go on top, newest first; a task the account does not list
 * (pasted from elsewhere) stays, and what follows a listed task goes right
 * after it. */
static void
test_order (Fixture       *fixture,
            gconstpointer  data)
{
  const char *pasted[] = { "00000000-0000-4000-8000-000000000001", fixture->account[60], NULL };
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();

  lens_task_list_add_ids (fixture->tasks, pasted, NULL);
  run_sync (fixture);

  g_assert_null (last_error (fixture));
  /* The first 60 go on top (nothing listed has a record: all are newer);
   * account[60] was listed, so the 59 after it follow it. */
  for (guint i = 0; i < 60; i++)
    g_ptr_array_add (expected, fixture->account[i]);
  g_ptr_array_add (expected, (gpointer) pasted[0]);
  for (guint i = 60; i < 120; i++)
    g_ptr_array_add (expected, fixture->account[i]);
  g_ptr_array_add (expected, NULL);
  assert_list_is (fixture, (const char * const *) expected->pdata);
  g_assert_cmpuint (lens_sync_get_n_added (fixture->sync), ==, 119);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (fixture->tasks, fixture->account[60])),
                   !=, LENS_TASK_STATE_QUEUED);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (fixture->tasks, pasted[0])),
                   ==, LENS_TASK_STATE_QUEUED);
}

/* Cancelled after the first page: finished says so, the 50 stay; the next
 * sync (even another object, with the same settings) asks below the oldest
 * reached, adds only the other 70, and the progress counts the first 50. */
static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonObject) resumed = NULL;
  guint before;

  fixture->cancel_at = 50;
  run_sync (fixture);
  g_assert_error (last_error (fixture), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks)), ==, 50);
  /* A page may have been on its way: at most one more request. */
  g_assert_cmpuint (count_listings (fixture), <=, 2);

  g_assert_finalize_object (fixture->sync);
  fixture->sync = make_sync (fixture);
  before = count_listings (fixture);
  run_sync (fixture);

  g_assert_null (last_error (fixture));
  resumed = request_body (fixture, before);
  g_assert_true (json_object_has_member (resumed, "created_at_max"));
  g_assert_cmpint (json_object_get_int_member (resumed, "offset"), ==, 0);
  /* 70 left, with the second of overlap: two pages, not three. */
  g_assert_cmpuint (count_listings (fixture) - before, ==, 2);
  g_assert_cmpuint (lens_sync_get_n_added (fixture->sync), ==, 70);
  g_assert_cmpuint (lens_sync_get_n_done (fixture->sync), >=, 120);
  g_assert_cmpuint (lens_sync_get_n_total (fixture->sync), ==, lens_sync_get_n_done (fixture->sync));
  assert_list_is (fixture, (const char * const *) fixture->account);
  assert_all_have_records (fixture);
}

/* Every page comes from one account: when the API URL changes mid-way,
 * the sync stops (its progress kept under the first URL) and the other
 * account's begins, with one `finished` at the end of it. */
static void
test_credentials_changed (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(LensFakeApi) other = lens_test_start_fake_api (TOKEN);
  g_auto(GStrv) other_account = lens_fake_api_seed_account (other, 30, 1700000000);
  g_autofree char *first_url = g_strdup (lens_fake_api_get_url (fixture->fake));
  g_autoptr(GVariant) state = NULL;
  double complete, pending_newest, pending_oldest;
  guint32 done;

  fixture->switch_to = g_strdup (lens_fake_api_get_url (other));
  run_sync (fixture);

  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_null (last_error (fixture));
  g_assert_cmpuint (lens_fake_api_count_requests (other, "/midjourney/tasks"), ==, 1);
  for (guint i = 0; other_account[i] != NULL; i++)
    g_assert_nonnull (lens_task_list_lookup (fixture->tasks, other_account[i]));
  /* At most one more page of the first account was on its way. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks)), <=, 30 + 100);

  state = g_settings_get_value (fixture->settings, "sync-state");
  g_assert_true (g_variant_lookup (state, first_url, "(dddu)", &complete, &pending_newest,
                                   &pending_oldest, &done));
  g_assert_cmpfloat (complete, ==, 0);
  g_assert_cmpfloat (pending_oldest, >, 0);
  g_assert_true (g_variant_lookup (state, lens_fake_api_get_url (other), "(dddu)", &complete,
                                   &pending_newest, &pending_oldest, &done));
  g_assert_cmpfloat (complete, >, 0);
}

/* Tasks arrive while the account is paged (offsets shift): nothing is
 * added twice and nothing is lost. The next sync asks only for what was
 * created since the newest seen (created_at_min), brings in the rest, on
 * top, and a sync with nothing new costs one request and adds nothing. */
static void
test_incremental (Fixture       *fixture,
                  gconstpointer  data)
{
  LensFakeLimits limits = { .latency_ms = 40 };
  g_autoptr(JsonObject) incremental = NULL;
  g_auto(GStrv) listed = NULL;
  guint before;

  lens_fake_api_set_limits (fixture->fake, &limits);
  lens_fake_api_add_new_tasks_every (fixture->fake, 30, 6);
  run_sync (fixture);
  g_assert_null (last_error (fixture));
  LENS_TEST_SPIN_UNTIL (lens_fake_api_count_new_tasks (fixture->fake) == 6, LENS_TEST_DEADLINE_MS);

  before = count_listings (fixture);
  run_sync (fixture);
  g_assert_null (last_error (fixture));
  incremental = request_body (fixture, before);
  g_assert_true (json_object_has_member (incremental, "created_at_min"));
  g_assert_cmpuint (count_listings (fixture) - before, ==, 1);

  /* The list is the account, newest first, each once. */
  listed = lens_fake_api_list_ids (fixture->fake);
  g_assert_cmpuint (g_strv_length (listed), ==, 126);
  assert_list_is (fixture, (const char * const *) listed);
  assert_all_have_records (fixture);

  before = count_listings (fixture);
  run_sync (fixture);
  g_assert_null (last_error (fixture));
  g_assert_cmpuint (count_listings (fixture) - before, ==, 1);
  g_assert_cmpuint (lens_sync_get_n_added (fixture->sync), ==, 0);
}

static void
push_listing_fault (Fixture           *fixture,
                    LensFakeFaultKind  kind,
                    guint              status,
                    const char        *code)
{
  LensFakeFault fault = {
    .kind = kind, .target = LENS_FAKE_TARGET_LISTING, .status = status, .code = code,
    .retry_after = -1,
  };

  lens_fake_api_push_fault (fixture->fake, &fault, 1);
}

static void
store_result_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
batch_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  LensBatchResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = lens_client_retrieve_batch_finish (LENS_CLIENT (source_object), result, &error);
  g_assert_no_error (error);
}

/* What the server may answer a listing with that is not a listing: the sync
 * ends with an error that says so in words a user can act on (never "nothing
 * to sync"), keeps every task, and looking tasks up by id still works. */
static void
test_failure (Fixture       *fixture,
              gconstpointer  data)
{
  const struct { LensFakeFaultKind kind; guint status; const char *code; int expected; } cases[] = {
    { LENS_FAKE_FAULT_STATUS, 400, "api_not_implemented", LENS_CLIENT_ERROR_LIST_UNAVAILABLE },
    { LENS_FAKE_FAULT_STATUS, 400, "bad_request", LENS_CLIENT_ERROR_LIST_UNAVAILABLE },
    { LENS_FAKE_FAULT_NO_ITEMS, 0, NULL, LENS_CLIENT_ERROR_LIST_UNAVAILABLE },
    { LENS_FAKE_FAULT_WRONG_SHAPE, 0, NULL, LENS_CLIENT_ERROR_LIST_UNAVAILABLE },
    { LENS_FAKE_FAULT_RESET, 0, NULL, LENS_CLIENT_ERROR_NETWORK },
  };
  const char *pasted[] = { fixture->account[3], NULL };

  lens_task_list_add_ids (fixture->tasks, pasted, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const GError *error;
      g_autoptr(LensBatchResult) batch = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      push_listing_fault (fixture, cases[i].kind, cases[i].status, cases[i].code);
      run_sync (fixture);
      error = last_error (fixture);
      g_assert_error (error, LENS_CLIENT_ERROR, cases[i].expected);
      if (cases[i].expected == LENS_CLIENT_ERROR_LIST_UNAVAILABLE)
        {
          g_assert_nonnull (strstr (error->message, "did not list"));
          g_assert_nonnull (strstr (error->message, "Pasting task IDs still works"));
        }
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks)), ==, 1);
      g_assert_cmpuint (lens_sync_get_n_added (fixture->sync), ==, 0);

      /* Looking up by id, as a paste does, is not a listing: it works. */
      lens_client_retrieve_batch_async (fixture->client, pasted, LENS_REQUEST_PRIORITY_USER, 0, NULL,
                                        batch_cb, &batch);
      LENS_TEST_SPIN_UNTIL (batch != NULL, LENS_TEST_DEADLINE_MS);
      g_assert_cmpuint (batch->prepared->len, ==, 1);
    }
}

static void
fail_next_page_cb (Fixture *fixture)
{
  if (lens_sync_get_n_done (fixture->sync) == 50)
    push_listing_fault (fixture, LENS_FAKE_FAULT_STATUS, 500, NULL);
}

/* A page that fails halfway: what came before stays (with the resume point),
 * and the next sync goes on from there. */
static void
test_failure_midway (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) resumed = NULL;
  gulong handler;
  guint before;

  handler = g_signal_connect_swapped (fixture->sync, "notify::n-done",
                                      G_CALLBACK (fail_next_page_cb), fixture);
  run_sync (fixture);
  g_assert_error (last_error (fixture), LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_SERVER_ERROR);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks)), ==, 50);
  g_assert_cmpuint (lens_sync_get_n_added (fixture->sync), ==, 50);
  g_signal_handler_disconnect (fixture->sync, handler);

  before = count_listings (fixture);
  run_sync (fixture);
  g_assert_null (last_error (fixture));
  resumed = request_body (fixture, before);
  g_assert_true (json_object_has_member (resumed, "created_at_max"));
  g_assert_cmpuint (lens_sync_get_n_added (fixture->sync), ==, 70);
  assert_list_is (fixture, (const char * const *) fixture->account);
}

/* The type filter of a query reaches the server, and so do the bounds. */
static void
test_query_filters (Fixture       *fixture,
                    gconstpointer  data)
{
  LensListQuery query = {
    .offset = 5, .limit = 7, .created_at_min = 1000.5, .created_at_max = 2e9, .type = "imagine",
  };
  g_autoptr(LensListPage) page = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  lens_client_list_async (fixture->client, &query, LENS_REQUEST_PRIORITY_USER, NULL,
                          store_result_cb, &result);
  LENS_TEST_SPIN_UNTIL (result != NULL, LENS_TEST_DEADLINE_MS);
  page = lens_client_list_finish (fixture->client, result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);

  body = request_body (fixture, 0);
  g_assert_cmpint (json_object_get_int_member (body, "offset"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (body, "limit"), ==, 7);
  g_assert_cmpfloat (json_object_get_double_member (body, "created_at_min"), ==, 1000.5);
  g_assert_cmpfloat (json_object_get_double_member (body, "created_at_max"), ==, 2e9);
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "imagine");

  g_assert_cmpuint (page->records->len, <=, 7);
  g_assert_cmpuint (page->count, >=, page->records->len);
  for (guint i = 0; i < page->records->len; i++)
    {
      JsonObject *record = json_node_get_object (g_ptr_array_index (page->records, i));

      g_assert_cmpstr (json_object_get_string_member (record, "type"), ==, "imagine");
    }
}

/* "Keep in sync": a sync every interval, in the background; 0 stops it. */
static void
test_interval (Fixture       *fixture,
               gconstpointer  data)
{
  lens_sync_set_interval (fixture->sync, 1);
  g_assert_cmpuint (lens_sync_get_interval (fixture->sync), ==, 1);
  LENS_TEST_SPIN_UNTIL (fixture->n_finished == 1, LENS_TEST_DEADLINE_MS);
  g_assert_null (last_error (fixture));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks)), ==, 120);
  LENS_TEST_SPIN_UNTIL (fixture->n_finished == 2, LENS_TEST_DEADLINE_MS);

  lens_sync_set_interval (fixture->sync, 0);
  lens_test_spin_for (1500);
  g_assert_cmpuint (fixture->n_finished, ==, 2);
}

/* Until ready (the history loading), a started sync runs but sends
 * nothing; cancelled then, it finishes at once. */
static void
test_not_ready (Fixture       *fixture,
                gconstpointer  data)
{
  lens_sync_set_ready (fixture->sync, FALSE);
  lens_sync_start (fixture->sync);
  lens_test_spin_for (100);
  g_assert_true (lens_sync_get_running (fixture->sync));
  g_assert_cmpuint (count_listings (fixture), ==, 0);
  lens_sync_set_ready (fixture->sync, TRUE);
  LENS_TEST_SPIN_UNTIL (fixture->n_finished == 1, LENS_TEST_DEADLINE_MS);
  g_assert_null (last_error (fixture));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks)), ==, 120);

  lens_sync_set_ready (fixture->sync, FALSE);
  lens_sync_start (fixture->sync);
  lens_sync_cancel (fixture->sync);
  g_assert_cmpuint (fixture->n_finished, ==, 2);
  g_assert_error (last_error (fixture), G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/sync/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("paging", test_paging);
  ADD ("start-twice", test_start_twice);
  ADD ("order", test_order);
  ADD ("resume", test_resume);
  ADD ("credentials-changed", test_credentials_changed);
  ADD ("incremental", test_incremental);
  ADD ("failure", test_failure);
  ADD ("failure-midway", test_failure_midway);
  ADD ("query-filters", test_query_filters);
  ADD ("interval", test_interval);
  ADD ("not-ready", test_not_ready);
#undef ADD

  return g_test_run ();
}
