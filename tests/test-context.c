/* test-context.c — LensContext: the services built from a config, wired
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A context is what the application builds at start-up; here each test
 * builds its own, with a history in a scratch directory and the fake
 * AceData server, and checks what the app relies on: the history loads
 * without blocking, ids that come in meanwhile wait and keep their order,
 * imports report progress and say what they did (once the history has
 * written what they added), and the client follows the account.
 */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "lens-context.h"
#include "lens-fake-api.h"
#include "lens-test.h"
#include "lens-test-fake.h"
#include "lens-test-store.h"

#define TOKEN  "context-test-token"
#define ID_A   "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B   "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C   "00000000-1111-4222-8333-444444444444"

typedef struct
{
  LensFakeApi *fake;
  char        *data_dir;
  GPtrArray   *messages;   /* of char* */
} Fixture;

static void
message_cb (LensContext *context,
            const char  *text,
            Fixture     *fixture)
{
  g_ptr_array_add (fixture->messages, g_strdup (text));
}

/* A config for the fixture's scratch directory and fake server. */
static LensContextConfig
config_for (Fixture *fixture)
{
  return (LensContextConfig) {
    .data_dir = fixture->data_dir,
    .cache_dir = fixture->data_dir,
    .api_url = lens_fake_api_get_url (fixture->fake),
    .token = TOKEN,
  };
}

static LensContext *
context_new (Fixture    *fixture,
             const char *token)
{
  LensContextConfig config = config_for (fixture);
  LensContext *context;

  config.token = token;
  context = lens_context_new (&config);

  g_signal_connect (context, "message", G_CALLBACK (message_cb), fixture);
  return context;
}

/* Ends a context as the application does, and checks that nothing keeps
 * it once what it had started has come back cancelled. */
static void
context_end (LensContext *context)
{
  LensTaskStore *store = lens_context_get_store (context);

  if (store != NULL)
    g_object_ref (store);
  lens_context_shutdown (context);
  lens_test_finalize_eventually (&context);
  /* The store may outlive the context a moment, until its last answers are
   * back (the file's check after a load), with the file open in its
   * threads: the test's directory is removed only once it has gone. It
   * left a tasks.db-wal behind once in 30 runs of /context/load under the
   * sanitizers. */
  if (store != NULL)
    lens_test_finalize_eventually (&store);
}

static const char *
id_at (LensContext *context,
       guint        position)
{
  g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (lens_context_get_task_list (context)),
                                                    position);
  g_assert_nonnull (task);
  /* The list holds its own reference: the id outlives this one. */
  return lens_task_get_id (task);
}

static guint
n_tasks (LensContext *context)
{
  return g_list_model_get_n_items (G_LIST_MODEL (lens_context_get_task_list (context)));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->fake = lens_test_start_fake_api (TOKEN);
  lens_fake_api_seed_examples (fixture->fake);
  fixture->data_dir = lens_test_make_scratch_dir ("context");
  fixture->messages = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  lens_test_remove_tree (fixture->data_dir);
  g_free (fixture->data_dir);
  g_ptr_array_unref (fixture->messages);
  g_clear_object (&fixture->fake);
}

/* Tests */

/* The history loads in the store's worker: the context is loading at first,
 * then the history exists and the client follows the account. */
static void
test_load (Fixture       *fixture,
           gconstpointer  data)
{
  LensContext *context = context_new (fixture, TOKEN);

  g_assert_true (lens_context_get_loading (context));
  g_assert_null (lens_context_get_history (context));
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  g_assert_nonnull (lens_context_get_history (context));
  g_assert_cmpuint (n_tasks (context), ==, 0);

  g_assert_cmpstr (lens_client_get_base_url (lens_context_get_client (context)), ==,
                   lens_account_get_api_url (lens_context_get_account (context)));
  g_assert_true (lens_client_has_token (lens_context_get_client (context)));
  g_assert_true (lens_account_get_token_fixed (lens_context_get_account (context)));
  context_end (context);
}

/* Ids that come while the history loads go after the stored tasks, in the
 * order they came, and are remembered for the next start. */
static void
test_ids_wait_for_history (Fixture       *fixture,
                           gconstpointer  data)
{
  LensContext *context = context_new (fixture, TOKEN);

  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  lens_context_add_text (context, ID_A, NULL);
  g_assert_cmpuint (n_tasks (context), ==, 1);
  context_end (context);

  context = context_new (fixture, TOKEN);
  lens_context_add_text (context, ID_C, NULL);
  lens_context_add_text (context, "and " ID_B, NULL);
  g_assert_cmpuint (n_tasks (context), ==, 0);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);

  g_assert_cmpuint (n_tasks (context), ==, 3);
  g_assert_cmpstr (id_at (context, 0), ==, ID_A);
  g_assert_cmpstr (id_at (context, 1), ==, ID_C);
  g_assert_cmpstr (id_at (context, 2), ==, ID_B);
  context_end (context);

  context = context_new (fixture, TOKEN);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (n_tasks (context), ==, 3);
  g_assert_cmpstr (id_at (context, 2), ==, ID_B);
  context_end (context);
}

static void
added_cb (LensIntake *intake,
          guint       n_new,
          gboolean    was_empty,
          GArray     *calls)
{
  guint call[2] = { n_new, was_empty };

  g_array_append_vals (calls, call, 2);
}

/* What adding did is said in one message; "added" says how many are new
 * and whether the list was empty. */
static void
test_add_text_says (Fixture       *fixture,
                    gconstpointer  data)
{
  LensContext *context = context_new (fixture, TOKEN);
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));

  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  g_signal_connect (lens_context_get_intake (context), "added", G_CALLBACK (added_cb), calls);

  /* "added" comes at once; the message once the history has them. */
  lens_context_add_text (context, ID_A "\n" ID_B "\nnot an id", NULL);
  g_assert_cmpuint (calls->len, ==, 2);
  g_assert_cmpuint (g_array_index (calls, guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (calls, guint, 1), ==, TRUE);
  LENS_TEST_SPIN_UNTIL (fixture->messages->len > 0, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 0), ==,
                   "Added 2 tasks · 1 line not recognised");

  lens_context_add_text (context, ID_A " " ID_C, NULL);
  g_assert_cmpuint (g_array_index (calls, guint, 2), ==, 1);
  g_assert_cmpuint (g_array_index (calls, guint, 3), ==, FALSE);
  LENS_TEST_SPIN_UNTIL (fixture->messages->len > 1, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 1), ==,
                   "Added 1 task · 1 was already in the list");

  /* Nothing new: a message, no "added". */
  lens_context_add_text (context, ID_C, NULL);
  g_assert_cmpuint (calls->len, ==, 4);
  g_assert_cmpuint (fixture->messages->len, ==, 3);
  context_end (context);
}

/* A text too large to scan on the main thread is scanned in a worker. */
static void
test_large_text (Fixture       *fixture,
                 gconstpointer  data)
{
  LensContext *context = context_new (fixture, TOKEN);
  g_autoptr(GString) text = g_string_new (NULL);

  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  while (text->len < 200 * 1024)
    g_string_append (text, "a line of a log that holds no id at all\n");
  g_string_append (text, ID_B "\n");

  lens_context_add_text (context, text->str, NULL);
  g_assert_cmpuint (n_tasks (context), ==, 0);
  LENS_TEST_SPIN_UNTIL (fixture->messages->len > 0, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (n_tasks (context), ==, 1);
  g_assert_cmpstr (id_at (context, 0), ==, ID_B);
  context_end (context);
}

/* Files are read one after the other, with their name and progress as
 * properties; a file that cannot be read is said, and the next is read. */
static void
test_import_files (Fixture       *fixture,
                   gconstpointer  data)
{
  LensContext *context = context_new (fixture, TOKEN);
  LensIntake *intake = lens_context_get_intake (context);
  g_autofree char *path = g_build_filename (fixture->data_dir, "ids.csv", NULL);
  g_autofree char *missing_path = g_build_filename (fixture->data_dir, "missing.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GError) error = NULL;
  guint n_importing = 0;

  g_file_set_contents (path, "id,prompt\n" ID_A ",a cat\n" ID_B ",a girl\n", -1, &error);
  g_assert_no_error (error);
  g_list_store_append (files, missing);
  g_list_store_append (files, file);
  g_signal_connect (intake, "notify::importing", G_CALLBACK (lens_test_count_cb), &n_importing);

  /* While loading, the files wait too. */
  lens_context_import_files (context, G_LIST_MODEL (files));
  g_assert_false (lens_intake_get_importing (intake));
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  g_assert_true (lens_intake_get_importing (intake));
  g_assert_cmpstr (lens_intake_get_import_name (intake), ==, "missing.txt");

  LENS_TEST_SPIN_UNTIL (!lens_intake_get_importing (intake), LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (n_importing, ==, 2);
  /* "Added" once the history has written them. */
  LENS_TEST_SPIN_UNTIL (fixture->messages->len >= 2, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (fixture->messages->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 1), ==, "Added 2 tasks · 1 line not recognised");
  g_assert_cmpuint (n_tasks (context), ==, 2);
  g_assert_null (lens_intake_get_import_name (intake));
  context_end (context);
}

/* Cancelling stops the import and forgets the files waiting. */
static void
test_cancel_import (Fixture       *fixture,
                    gconstpointer  data)
{
  LensContext *context = context_new (fixture, TOKEN);
  LensIntake *intake = lens_context_get_intake (context);
  g_autofree char *path = g_build_filename (fixture->data_dir, "ids.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, ID_A "\n", -1, &error);
  g_assert_no_error (error);
  g_list_store_append (files, file);
  g_list_store_append (files, file);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);

  lens_context_import_files (context, G_LIST_MODEL (files));
  g_assert_true (lens_intake_get_importing (intake));
  lens_intake_cancel_import (intake);
  g_assert_false (lens_intake_get_importing (intake));
  lens_test_spin_pending ();
  g_assert_cmpuint (n_tasks (context), ==, 0);
  g_assert_cmpuint (fixture->messages->len, ==, 0);
  context_end (context);
}

static void
token_kept_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The file keyring of the tests keeps it. */
  g_assert_true (lens_account_set_token_finish (LENS_ACCOUNT (source_object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The client follows the account: a token applied there is in use. */
static void
test_client_follows_account (Fixture       *fixture,
                             gconstpointer  data)
{
  LensContextConfig config = { .data_dir = fixture->data_dir, .cache_dir = fixture->data_dir };
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend ("io.github.tasklens.Tasklens", backend);
  LensContext *context;
  LensAccount *account;
  LensClient *client;
  g_autoptr(GError) error = NULL;
  gboolean kept = FALSE;

  g_settings_set_string (settings, "api-url", lens_fake_api_get_url (fixture->fake));
  g_settings_set_int (settings, "batch-size", 7);
  config.settings = settings;
  context = lens_context_new (&config);
  account = lens_context_get_account (context);
  client = lens_context_get_client (context);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);

  /* The address from the settings, the batch size too. */
  g_assert_false (lens_account_get_url_fixed (account));
  g_assert_cmpstr (lens_client_get_base_url (client), ==, lens_fake_api_get_url (fixture->fake));
  g_assert_cmpuint (lens_client_get_chunk_size (client), ==, 7);
  g_settings_set_int (settings, "batch-size", 12);
  g_assert_cmpuint (lens_client_get_chunk_size (client), ==, 12);

  g_assert_false (lens_client_has_token (client));
  lens_account_set_token_async (account, TOKEN, NULL, token_kept_cb, &kept);
  g_assert_true (lens_client_has_token (client));
  /* The keyring keeps it in the background; waited for, so that the
   * program does not end with libsecret's file keyring still being read
   * and written in a worker (LeakSanitizer then reported its collection). */
  lens_test_spin_until (&kept, LENS_TEST_DEADLINE_MS);

  g_assert_true (lens_account_set_api_url (account, "http://127.0.0.1:9", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lens_client_get_base_url (client), ==, "http://127.0.0.1:9");
  g_assert_false (lens_client_has_token (client));
  context_end (context);
}

/* What is said while nothing listens waits for the first window. */
static void
test_unheard_messages (Fixture       *fixture,
                       gconstpointer  data)
{
  LensContextConfig config = config_for (fixture);
  LensContext *context = lens_context_new (&config);
  g_auto(GStrv) unheard = NULL;
  g_auto(GStrv) none = NULL;
  guint n_said = 0;

  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  /* Counted on the intake: the context's listeners are what this is about. */
  g_signal_connect (lens_context_get_intake (context), "message",
                    G_CALLBACK (lens_test_count_cb), &n_said);
  lens_context_add_text (context, ID_A, NULL);
  lens_context_add_text (context, ID_A, NULL);
  LENS_TEST_SPIN_UNTIL (n_said == 2, LENS_TEST_DEADLINE_MS);

  unheard = lens_context_take_unheard_messages (context);
  g_assert_cmpuint (g_strv_length (unheard), ==, 2);
  g_assert_cmpstr (unheard[0], ==, "Added 1 task");
  g_assert_cmpstr (unheard[1], ==, "1 was already in the list");
  none = lens_context_take_unheard_messages (context);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  /* Once someone listens, messages go to them only. */
  g_signal_connect (context, "message", G_CALLBACK (message_cb), fixture);
  lens_context_add_text (context, ID_B, NULL);
  LENS_TEST_SPIN_UNTIL (n_said == 3, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_clear_pointer (&none, g_strfreev);
  none = lens_context_take_unheard_messages (context);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  context_end (context);
}

/* A lookup that keeps failing the same way is said once, not every round. */
static void
test_lookup_failure_said_once (Fixture       *fixture,
                               gconstpointer  data)
{
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_STATUS,
    .target = LENS_FAKE_TARGET_TASKS,
    .status = 500,
    .retry_after = -1,
  };
  LensContextConfig config = config_for (fixture);
  LensContext *context;
  guint added_index = 0;

  config.retry_base_ms = 1;
  context = lens_context_new (&config);
  g_signal_connect (context, "message", G_CALLBACK (message_cb), fixture);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  lens_fake_api_push_fault (fixture->fake, &fault, 1000);
  lens_context_add_text (context, ID_A, NULL);
  /* "Added" comes once written, before or after the first failure: only
   * the failures stay. */
  LENS_TEST_SPIN_UNTIL (g_ptr_array_find_with_equal_func (fixture->messages, "Added 1 task",
                                                          g_str_equal, NULL),
                        LENS_TEST_DEADLINE_MS);
  g_assert_true (g_ptr_array_find_with_equal_func (fixture->messages, "Added 1 task", g_str_equal,
                                                   &added_index));
  g_ptr_array_remove_index (fixture->messages, added_index);

  /* Asked, failed after its retries, then asked again on the next round and
   * failed the same way: said once. */
  LENS_TEST_SPIN_UNTIL (fixture->messages->len > 0, LENS_TEST_DEADLINE_MS);
  lens_fake_api_clear_requests (fixture->fake);
  LENS_TEST_SPIN_UNTIL (lens_fake_api_count_requests (fixture->fake, NULL) >= 6
                        && !lens_refresher_get_busy (lens_context_get_refresher (context)),
                        LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_nonnull (g_ptr_array_index (fixture->messages, 0));
  context_end (context);
}

/* What the history's file holds for @ids at the moment of asking, read
 * through a connection of its own (committed rows only). */
static guint
n_stored (Fixture    *fixture,
          const char *ids_sql)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "tasks.db", NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM tasks WHERE id IN (%s)", ids_sql);
  g_autofree char *count = lens_test_db_query (path, sql);

  return (guint) g_ascii_strtoull (count, NULL, 10);
}

typedef struct
{
  Fixture *fixture;
  GArray  *n_stored_when_said;  /* of guint: per message */
} Witness;

static void
witness_message_cb (LensContext *context,
                    const char  *text,
                    Witness     *witness)
{
  guint n = n_stored (witness->fixture, "'" ID_A "', '" ID_B "', '" ID_C "'");

  g_array_append_val (witness->n_stored_when_said, n);
}

/* "Added" is said only once the history has committed the tasks: read at
 * the moment the message comes, the file has them (a crash right after it
 * loses nothing). The tasks are in the list at once. */
static void
test_added_once_written (Fixture       *fixture,
                         gconstpointer  data)
{
  LensContext *context = context_new (fixture, TOKEN);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  Witness witness = { fixture, counts };
  g_autofree char *path = g_build_filename (fixture->data_dir, "tasks.db", NULL);
  g_autoptr(LensTaskStore) store = NULL;
  g_auto(LensTestLoaded) loaded = { 0 };

  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  g_signal_connect (context, "message", G_CALLBACK (witness_message_cb), &witness);

  lens_context_add_text (context, ID_A "\n" ID_B, NULL);
  g_assert_cmpuint (n_tasks (context), ==, 2);
  g_assert_cmpuint (fixture->messages->len, ==, 0);
  lens_context_add_text (context, ID_C, NULL);
  g_assert_cmpuint (n_tasks (context), ==, 3);

  LENS_TEST_SPIN_UNTIL (fixture->messages->len == 2, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 0), ==, "Added 2 tasks");
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 1), ==, "Added 1 task");
  g_assert_cmpuint (g_array_index (counts, guint, 0), >=, 2);
  g_assert_cmpuint (g_array_index (counts, guint, 1), ==, 3);

  /* And a second store, as the next start would read it. */
  store = lens_task_store_new (path);
  lens_test_store_load (store, &loaded);
  g_assert_no_error (loaded.error);
  g_assert_cmpuint (loaded.tasks->len, ==, 3);
  g_assert_cmpstr (lens_task_get_id (g_ptr_array_index (loaded.tasks, 2)), ==, ID_C);
  context_end (context);
}

/* When the write fails, the user is not told "Added": the message says the
 * tasks could not be saved (and the history says why, once). */
static void
test_added_write_failed (Fixture       *fixture,
                         gconstpointer  data)
{
  LensContext *context = context_new (fixture, TOKEN);
  g_autofree char *path = g_build_filename (fixture->data_dir, "tasks.db", NULL);
  gboolean told = FALSE;

  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  lens_test_db_exec (path, "CREATE TRIGGER refuse BEFORE INSERT ON tasks "
                           "BEGIN SELECT RAISE (ABORT, 'refused for the test'); END;");

  lens_context_add_text (context, ID_A, NULL);
  g_assert_cmpuint (n_tasks (context), ==, 1);
  LENS_TEST_SPIN_UNTIL (fixture->messages->len == 2, LENS_TEST_DEADLINE_MS);
  for (guint i = 0; i < fixture->messages->len; i++)
    {
      const char *message = g_ptr_array_index (fixture->messages, i);

      g_assert_cmpstr (message, !=, "Added 1 task");
      if (g_str_has_prefix (message, "Added 1 task, but could not save it: "))
        told = TRUE;
    }
  g_assert_true (told);
  g_assert_cmpuint (n_stored (fixture, "'" ID_A "'"), ==, 0);

  /* The history tries again: once it can write, the task is kept. */
  lens_test_db_exec (path, "DROP TRIGGER refuse");
  lens_context_add_text (context, ID_B, NULL);
  LENS_TEST_SPIN_UNTIL (fixture->messages->len == 3, LENS_TEST_DEADLINE_MS);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 2), ==, "Added 1 task");
  g_assert_cmpuint (n_stored (fixture, "'" ID_A "', '" ID_B "'"), ==, 2);
  context_end (context);
}

/* Damage the history's check finds after the load (here, on a page of
 * records the load does not read) is said once, in words the user can act
 * on. */
static void
test_damage_said (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "tasks.db", NULL);
  LensContext *context;

  lens_test_store_fill (path, 60);
  lens_test_db_damage_record_page (path);

  context = context_new (fixture, TOKEN);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (n_tasks (context), ==, 60);
  LENS_TEST_SPIN_UNTIL (fixture->messages->len > 0, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 0), ==,
                   "The task history file is damaged. Start Tasklens again to keep the tasks it can "
                   "still read; the damaged file will be set aside, not deleted.");
  context_end (context);
}

/* Without a history (it could not be opened, which is said) nothing can be
 * made lasting: "Added" is said at once. */
static void
test_added_without_history (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (fixture->data_dir, "not-a-dir", NULL);
  LensContextConfig config = config_for (fixture);
  LensContext *context;

  /* A data directory that is a file: the history cannot be opened. */
  g_assert_true (g_file_set_contents (blocker, "", -1, NULL));
  config.data_dir = blocker;
  context = lens_context_new (&config);
  g_signal_connect (context, "message", G_CALLBACK (message_cb), fixture);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  g_assert_null (lens_context_get_history (context));
  g_assert_cmpuint (fixture->messages->len, ==, 1);

  lens_context_add_text (context, ID_A, NULL);
  g_assert_cmpuint (fixture->messages->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 1), ==, "Added 1 task");
  context_end (context);
  g_assert_true (g_remove (blocker) == 0);
}

static void
count_finished_cb (LensSync     *sync,
                   const GError *error,
                   guint        *counter)
{
  (*counter)++;
}

/* A sync started while the history loads waits for it, then brings in the
 * account and says how many tasks came; a listing the server refuses is
 * said with the reason; "Keep in sync" sets the interval (3 minutes). */
static void
test_sync (Fixture       *fixture,
           gconstpointer  data)
{
  LensContextConfig config = config_for (fixture);
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend ("io.github.tasklens.Tasklens", backend);
  LensFakeFault fault = {
    .kind = LENS_FAKE_FAULT_STATUS, .target = LENS_FAKE_TARGET_LISTING, .status = 400,
    .code = "api_not_implemented", .retry_after = -1,
  };
  g_auto(GStrv) account = lens_fake_api_list_ids (fixture->fake);
  g_autofree char *expected = NULL;
  LensContext *context;
  LensSync *sync;
  guint n_finished = 0;

  g_settings_set_string (settings, "api-url", lens_fake_api_get_url (fixture->fake));
  config.settings = settings;
  context = lens_context_new (&config);
  g_signal_connect (context, "message", G_CALLBACK (message_cb), fixture);
  sync = lens_context_get_sync (context);
  g_signal_connect (sync, "finished", G_CALLBACK (count_finished_cb), &n_finished);
  g_assert_cmpuint (lens_sync_get_interval (sync), ==, 0);

  g_assert_true (lens_context_get_loading (context));
  lens_sync_start (sync);
  LENS_TEST_SPIN_UNTIL (n_finished == 1, LENS_TEST_DEADLINE_MS);
  g_assert_false (lens_context_get_loading (context));
  g_assert_cmpuint (n_tasks (context), ==, g_strv_length (account));
  g_assert_cmpstr (id_at (context, 0), ==, account[0]);
  expected = g_strdup_printf ("Brought in %u tasks from your AceData account", g_strv_length (account));
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->messages, 0), ==, expected);

  lens_fake_api_push_fault (fixture->fake, &fault, 1);
  lens_sync_start (sync);
  LENS_TEST_SPIN_UNTIL (n_finished == 2, LENS_TEST_DEADLINE_MS);
  /* A failure is the sync bar's to say (test-sync-bar, test-window): no
   * toast besides. */
  lens_test_spin_pending ();
  g_assert_cmpuint (fixture->messages->len, ==, 1);
  g_assert_cmpuint (n_tasks (context), ==, g_strv_length (account));

  g_settings_set_boolean (settings, "keep-in-sync", TRUE);
  g_assert_cmpuint (lens_sync_get_interval (sync), ==, 180);
  g_settings_set_boolean (settings, "keep-in-sync", FALSE);
  g_assert_cmpuint (lens_sync_get_interval (sync), ==, 0);

  context_end (context);
}

static GStrv
seed_finished (Fixture     *fixture,
               LensContext *context,
               guint        n)
{
  GStrv ids = lens_fake_api_seed_generated (fixture->fake, LENS_FAKE_TASK_IMAGINE, n);
  g_autofree char *text = g_strjoinv ("\n", ids);
  LensTaskList *tasks = lens_context_get_task_list (context);

  lens_context_add_text (context, text, NULL);
  for (guint i = 0; i < n; i++)
    LENS_TEST_SPIN_UNTIL (lens_task_list_lookup (tasks, ids[i]) != NULL
                          && lens_task_get_state (lens_task_list_lookup (tasks, ids[i])) == LENS_TASK_STATE_DONE,
                          LENS_TEST_DEADLINE_MS);
  lens_history_flush (lens_context_get_history (context));
  return ids;
}

static guint
count_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

typedef struct
{
  LensContext *context;
  GArray      *changes;  /* of Change */
  GPtrArray   *shown;    /* the first tasks, as the list first held them */
} LoadWatch;

typedef struct
{
  guint    position, removed, added;
  gboolean loading;
  gboolean has_history;
} Change;

static void
load_items_changed_cb (GListModel *list,
                       guint       position,
                       guint       removed,
                       guint       added,
                       LoadWatch  *watch)
{
  Change change = { position, removed, added, lens_context_get_loading (watch->context),
                    lens_context_get_history (watch->context) != NULL };

  g_array_append_val (watch->changes, change);
  if (watch->shown->len == 0)
    for (guint i = 0; i < added; i++)
      g_ptr_array_add (watch->shown, g_list_model_get_item (list, i));
}

/* A long history's first screen is in the list while the rest loads (issue
 * 9: the first rows do not wait for 100,000 tasks), before the history
 * exists to write anything; the rest follows those same tasks, and only
 * then is the context loaded. */
static void
test_first_screen_ahead (Fixture       *fixture,
                         gconstpointer  data)
{
  guint n = LENS_CONTEXT_FIRST_SCREEN_TASKS + 12;
  LensContext *context = context_new (fixture, TOKEN);
  g_auto(GStrv) ids = NULL;
  LoadWatch watch = { NULL, g_array_new (FALSE, FALSE, sizeof (Change)),
                      g_ptr_array_new_with_free_func (g_object_unref) };
  const Change *first, *rest;

  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  ids = seed_finished (fixture, context, n);
  context_end (context);

  context = context_new (fixture, TOKEN);
  watch.context = context;
  g_signal_connect (lens_context_get_task_list (context), "items-changed",
                    G_CALLBACK (load_items_changed_cb), &watch);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);

  g_assert_cmpuint (watch.changes->len, ==, 2);
  first = &g_array_index (watch.changes, Change, 0);
  rest = &g_array_index (watch.changes, Change, 1);
  g_assert_cmpuint (first->position, ==, 0);
  g_assert_cmpuint (first->added, ==, LENS_CONTEXT_FIRST_SCREEN_TASKS);
  g_assert_true (first->loading);
  g_assert_false (first->has_history);
  g_assert_cmpuint (rest->position, ==, LENS_CONTEXT_FIRST_SCREEN_TASKS);
  g_assert_cmpuint (rest->removed, ==, 0);
  g_assert_cmpuint (rest->added, ==, n - LENS_CONTEXT_FIRST_SCREEN_TASKS);
  g_assert_cmpuint (n_tasks (context), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (id_at (context, i), ==, ids[i]);
  /* What the first rows showed is what the list keeps, whole. */
  for (guint i = 0; i < watch.shown->len; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (lens_context_get_task_list (context)), i);

      g_assert_true (task == g_ptr_array_index (watch.shown, i));
      g_assert_true (lens_task_has_details (task));
    }
  g_signal_handlers_disconnect_by_data (lens_context_get_task_list (context), &watch);
  g_array_unref (watch.changes);
  g_ptr_array_unref (watch.shown);
  context_end (context);
}

/* A bulk save that the app's end interrupts is resumed at the next start,
 * where it stopped: what was saved is recognised, the rest is saved, and
 * the folder holds each image once. */
static void
test_save_resumes (Fixture       *fixture,
                   gconstpointer  data)
{
  LensContext *context = context_new (fixture, TOKEN);
  g_autofree char *folder_path = g_build_filename (fixture->data_dir, "Pictures", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autofree char *journal = g_build_filename (fixture->data_dir, "save-job.ini", NULL);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;
  LensSaveJob *job;

  g_assert_cmpint (g_mkdir (folder_path, 0755), ==, 0);
  LENS_TEST_SPIN_UNTIL (!lens_context_get_loading (context), LENS_TEST_DEADLINE_MS);
  ids = seed_finished (fixture, context, 3);

  /* One image hangs; the two others are saved; then the app ends. */
  lens_test_push_image_fault (fixture->fake, LENS_FAKE_FAULT_DELAY, 10000, 1);
  job = lens_saving_start (lens_context_get_saving (context), folder, (const char * const *) ids,
                           LENS_SAVE_GRIDS_WHOLE, &error);
  g_assert_no_error (error);
  g_assert_null (lens_saving_start (lens_context_get_saving (context), folder,
                                    (const char * const *) ids, LENS_SAVE_GRIDS_WHOLE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  LENS_TEST_SPIN_UNTIL (lens_save_job_get_n_saved (job) == 2, LENS_TEST_DEADLINE_MS);
  LENS_TEST_SPIN_UNTIL (g_file_test (journal, G_FILE_TEST_EXISTS), LENS_TEST_DEADLINE_MS);
  context_end (context);
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (folder_path), ==, 2);

  /* The next start resumes it by itself. */
  context = context_new (fixture, TOKEN);
  LENS_TEST_SPIN_UNTIL (lens_saving_get_job (lens_context_get_saving (context)) != NULL,
                        LENS_TEST_DEADLINE_MS);
  job = lens_saving_get_job (lens_context_get_saving (context));
  LENS_TEST_SPIN_UNTIL (lens_save_job_get_state (job) == LENS_SAVE_JOB_DONE, LENS_TEST_DEADLINE_MS);
  g_assert_cmpuint (lens_save_job_get_n_existing (job), ==, 2);
  g_assert_cmpuint (lens_save_job_get_n_saved (job), ==, 1);
  g_assert_cmpuint (count_files (folder_path), ==, 3);
  LENS_TEST_SPIN_UNTIL (!g_file_test (journal, G_FILE_TEST_EXISTS), LENS_TEST_DEADLINE_MS);
  /* Every task knows where its image is. */
  for (guint i = 0; i < 3; i++)
    g_assert_nonnull (lens_task_get_saved_path (lens_task_list_lookup (lens_context_get_task_list (context),
                                                                       ids[i])));
  context_end (context);
}

int
main (int   argc,
      char *argv[])
{
  /* Stable strings: no translations. */
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_init (&argc, &argv);

  g_test_add ("/context/load", Fixture, NULL, fixture_set_up, test_load, fixture_tear_down);
  g_test_add ("/context/first-screen-ahead", Fixture, NULL, fixture_set_up, test_first_screen_ahead,
              fixture_tear_down);
  g_test_add ("/context/save-resumes", Fixture, NULL, fixture_set_up, test_save_resumes, fixture_tear_down);
  g_test_add ("/context/ids-wait-for-history", Fixture, NULL,
              fixture_set_up, test_ids_wait_for_history, fixture_tear_down);
  g_test_add ("/context/added-once-written", Fixture, NULL,
              fixture_set_up, test_added_once_written, fixture_tear_down);
  g_test_add ("/context/added-write-failed", Fixture, NULL,
              fixture_set_up, test_added_write_failed, fixture_tear_down);
  g_test_add ("/context/damage-said", Fixture, NULL,
              fixture_set_up, test_damage_said, fixture_tear_down);
  g_test_add ("/context/added-without-history", Fixture, NULL,
              fixture_set_up, test_added_without_history, fixture_tear_down);
  g_test_add ("/context/add-text-says", Fixture, NULL,
              fixture_set_up, test_add_text_says, fixture_tear_down);
  g_test_add ("/context/large-text", Fixture, NULL,
              fixture_set_up, test_large_text, fixture_tear_down);
  g_test_add ("/context/import-files", Fixture, NULL,
              fixture_set_up, test_import_files, fixture_tear_down);
  g_test_add ("/context/cancel-import", Fixture, NULL,
              fixture_set_up, test_cancel_import, fixture_tear_down);
  g_test_add ("/context/unheard-messages", Fixture, NULL,
              fixture_set_up, test_unheard_messages, fixture_tear_down);
  g_test_add ("/context/lookup-failure-said-once", Fixture, NULL,
              fixture_set_up, test_lookup_failure_said_once, fixture_tear_down);
  g_test_add ("/context/sync", Fixture, NULL, fixture_set_up, test_sync, fixture_tear_down);
  g_test_add ("/context/client-follows-account", Fixture, NULL,
              fixture_set_up, test_client_follows_account, fixture_tear_down);

  return g_test_run ();
}
