/* test-answer-effects.c — tests for what an answer does to the tasks and
 * the poll schedule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lens-answer-effects.c alone, on a task list and a poll schedule, with the
 * clock moved by hand: no client, no timers. test-refresher shows the same
 * through the refresher and a fake server.
 */

#define G_LOG_DOMAIN "test-answer-effects"

#include "config.h"

#include "lens-answer-effects.h"
#include "lens-client-error.h"
#include "lens-prepared-record.h"
#include "lens-test.h"

#define SEC G_GINT64_CONSTANT (1000000)

/* The monotonic clock starts anywhere; not at zero. */
#define T0  (1000 * SEC)

typedef struct
{
  LensTaskList     *tasks;
  LensPollSchedule *schedule;
  GPtrArray        *ids;       /* of char * (owned): the list's, in order */
  GPtrArray        *finished;  /* of char * (owned): in the order the callback told them */
  guint             remove_on_finished;  /* an index in ids, removed at the first task finished */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tasks = lens_task_list_new ();
  fixture->schedule = lens_poll_schedule_new ();
  fixture->ids = g_ptr_array_new_with_free_func (g_free);
  fixture->finished = g_ptr_array_new_with_free_func (g_free);
  fixture->remove_on_finished = G_MAXUINT;
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (fixture->ids, lens_test_make_id (i + 1));
  g_ptr_array_add (fixture->ids, NULL);
  lens_task_list_add_ids (fixture->tasks, (const char * const *) fixture->ids->pdata, NULL);
  g_ptr_array_remove_index (fixture->ids, fixture->ids->len - 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->finished, g_ptr_array_unref);
  g_clear_pointer (&fixture->ids, g_ptr_array_unref);
  g_clear_pointer (&fixture->schedule, lens_poll_schedule_free);
  g_clear_object (&fixture->tasks);
}

static const char *
id_at (Fixture *fixture,
       guint    i)
{
  return g_ptr_array_index (fixture->ids, i);
}

static LensTask *
task_at (Fixture *fixture,
         guint    i)
{
  return lens_task_list_lookup (fixture->tasks, id_at (fixture, i));
}

/* The schedule's plan for the whole list at @now. */
static LensPollPlan *
plan (Fixture *fixture,
      gint64   now)
{
  g_autoptr(GArray) listed = g_array_new (FALSE, FALSE, sizeof (LensPollTask));
  guint n_tasks = g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks));

  for (guint i = 0; i < n_tasks; i++)
    {
      LensTask *task = lens_task_list_peek (fixture->tasks, i);
      LensPollTask entry = { lens_task_get_id (task), lens_task_get_state (task), -1 };

      if ((LENS_POLL_PLANNED_STATES & (1u << entry.state)) != 0)
        g_array_append_val (listed, entry);
    }
  return lens_poll_schedule_plan (fixture->schedule, (const LensPollTask *) listed->data,
                                  listed->len, now);
}

static gboolean
plan_has (GPtrArray  *ids,
          const char *id)
{
  return g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL);
}

/* A running record for @id, or a finished one. */
static LensPreparedRecord *
make_record (const char *id,
             gboolean    finished,
             int         progress)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (finished)
    json = g_strdup_printf ("{\"id\": \"%s\", \"finished_at\": 1720364637.4,"
                            " \"response\": {\"success\": true, \"progress\": 100,"
                            " \"raw_image_url\": \"https://example.com/a.png\"}}", id);
  else
    json = g_strdup_printf ("{\"id\": \"%s\", \"response\": {\"progress\": %d}}", id, progress);
  node = json_from_string (json, NULL);
  g_assert_nonnull (node);
  return lens_prepared_record_new (node);
}

static void
finished_cb (LensTask *task,
             gpointer  user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->finished, g_strdup (lens_task_get_id (task)));
  if (fixture->remove_on_finished != G_MAXUINT)
    {
      g_assert_true (lens_task_list_remove (fixture->tasks,
                                            id_at (fixture, fixture->remove_on_finished)));
      fixture->remove_on_finished = G_MAXUINT;
    }
}

/* Answers every task of the list: the ones in @records with their record,
 * the others without. Returns the ids to confirm, as copies. */
static GStrv
answer (Fixture   *fixture,
        GPtrArray *records,
        gint64     now)
{
  g_autoptr(GPtrArray) answered = g_ptr_array_new ();
  g_autoptr(GPtrArray) to_confirm = NULL;
  g_autoptr(GStrvBuilder) confirm = g_strv_builder_new ();

  for (guint i = 0; i < fixture->ids->len; i++)
    g_ptr_array_add (answered, g_ptr_array_index (fixture->ids, i));
  to_confirm = lens_answer_effects_apply (fixture->tasks, fixture->schedule, answered, records,
                                          TRUE, now, finished_cb, fixture);
  for (guint i = 0; i < to_confirm->len; i++)
    g_strv_builder_add (confirm, g_ptr_array_index (to_confirm, i));
  return g_strv_builder_end (confirm);
}

static GPtrArray *
new_records (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) lens_prepared_record_free);
}

/* The first answer: a running task goes on the schedule (a change: due
 * again one first interval later), a finished one is forgotten without
 * news (it was never seen unfinished), one without a record is not found
 * and not confirmed (it was never found). */
static void
test_first_answer (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LensPollPlan) first = plan (fixture, T0);
  g_autoptr(LensPollPlan) later = NULL;
  g_autoptr(GPtrArray) records = new_records ();
  g_auto(GStrv) to_confirm = NULL;

  g_assert_cmpuint (first->at_once->len, ==, 3);
  g_ptr_array_add (records, make_record (id_at (fixture, 0), FALSE, 10));
  g_ptr_array_add (records, make_record (id_at (fixture, 1), TRUE, 100));
  to_confirm = answer (fixture, records, T0 + SEC);

  g_assert_cmpstrv (to_confirm, ((const char *[]) { NULL }));
  g_assert_cmpuint (fixture->finished->len, ==, 0);
  g_assert_cmpint (lens_task_get_state (task_at (fixture, 0)), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpint (lens_task_get_state (task_at (fixture, 1)), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpint (lens_task_get_state (task_at (fixture, 2)), ==, LENS_TASK_STATE_NOT_FOUND);
  g_assert_cmpuint (lens_poll_schedule_get_n_watched (fixture->schedule), ==, 1);

  later = plan (fixture, T0 + 6 * SEC);
  g_assert_cmpuint (later->round->len, ==, 1);
  g_assert_true (plan_has (later->round, id_at (fixture, 0)));
}

/* Every task of the list seen running, then in a poll round at T0 + 5 s:
 * in flight. */
static void
start_running (Fixture *fixture)
{
  g_autoptr(LensPollPlan) first = plan (fixture, T0);
  g_autoptr(LensPollPlan) round = NULL;
  g_autoptr(GPtrArray) running = new_records ();
  g_auto(GStrv) to_confirm = NULL;

  for (guint i = 0; i < fixture->ids->len; i++)
    g_ptr_array_add (running, make_record (id_at (fixture, i), FALSE, 10));
  to_confirm = answer (fixture, running, T0);
  g_assert_cmpstrv (to_confirm, ((const char *[]) { NULL }));
  round = plan (fixture, T0 + 5 * SEC);
  g_assert_cmpuint (round->round->len, ==, fixture->ids->len);
}

/* A task seen running that an answer finishes is told; one seen running
 * and left out of a batch is not applied but returned, to be confirmed
 * alone, and stays in flight; one whose progress did not move is polled
 * one interval slower. */
static void
test_finished_and_confirmed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(LensPollPlan) after = NULL;
  g_autoptr(GPtrArray) records = new_records ();
  g_auto(GStrv) to_confirm = NULL;

  start_running (fixture);
  g_ptr_array_add (records, make_record (id_at (fixture, 0), TRUE, 100));
  g_ptr_array_add (records, make_record (id_at (fixture, 2), FALSE, 10));
  to_confirm = answer (fixture, records, T0 + 5 * SEC);

  g_assert_cmpstrv (to_confirm, ((const char *[]) { id_at (fixture, 1), NULL }));
  g_assert_cmpuint (fixture->finished->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->finished, 0), ==, id_at (fixture, 0));
  g_assert_cmpint (lens_task_get_state (task_at (fixture, 0)), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpint (lens_task_get_state (task_at (fixture, 1)), ==, LENS_TASK_STATE_RUNNING);

  /* Unchanged: due 10 s later, not 5; the one to confirm is in flight. */
  after = plan (fixture, T0 + 11 * SEC);
  g_assert_cmpuint (after->round->len, ==, 0);
  g_assert_cmpint (after->wake_at, ==, T0 + 15 * SEC);
}

/* What a handler does to the list while an answer is applied is seen by
 * the rest of it: a task removed by the handler of the one before it is
 * not told. */
static void
test_handler_removes_task (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) records = new_records ();
  g_auto(GStrv) to_confirm = NULL;

  start_running (fixture);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (records, make_record (id_at (fixture, i), TRUE, 100));
  fixture->remove_on_finished = 1;
  to_confirm = answer (fixture, records, T0 + 5 * SEC);

  g_assert_cmpuint (fixture->finished->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->finished, 0), ==, id_at (fixture, 0));
  g_assert_cmpstr (g_ptr_array_index (fixture->finished, 1), ==, id_at (fixture, 2));
  g_assert_null (task_at (fixture, 1));
}

static void
fail_all (Fixture *fixture,
          GQuark   domain,
          int      code,
          gboolean pausing,
          gint64   now)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, "it broke");
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < fixture->ids->len; i++)
    g_ptr_array_add (ids, g_ptr_array_index (fixture->ids, i));
  g_ptr_array_add (ids, NULL);
  lens_answer_effects_apply_failure (fixture->tasks, fixture->schedule,
                                     (const char * const *) ids->pdata, error, pausing, now);
}

/* A failure that may pass backs the tasks off one step; one that pauses
 * leaves them due at once; a permanent one fails them with its reason. */
static void
test_failures (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LensPollPlan) first = plan (fixture, T0);
  g_autoptr(LensPollPlan) after_failure = NULL;
  g_autoptr(LensPollPlan) after_pause = NULL;
  g_autoptr(LensPollPlan) after_refusal = NULL;

  g_assert_cmpuint (first->at_once->len, ==, 3);
  fail_all (fixture, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_SERVER_ERROR, FALSE, T0);
  after_failure = plan (fixture, T0 + 9 * SEC);
  g_assert_cmpuint (after_failure->at_once->len, ==, 0);
  g_assert_cmpint (after_failure->wake_at, ==, T0 + 10 * SEC);
  g_assert_cmpint (lens_task_get_state (task_at (fixture, 0)), ==, LENS_TASK_STATE_QUEUED);

  g_clear_pointer (&after_failure, lens_poll_plan_free);
  after_failure = plan (fixture, T0 + 10 * SEC);
  g_assert_cmpuint (after_failure->at_once->len, ==, 3);
  fail_all (fixture, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_UNAUTHORIZED, TRUE, T0 + 10 * SEC);
  after_pause = plan (fixture, T0 + 10 * SEC);
  g_assert_cmpuint (after_pause->at_once->len, ==, 3);

  fail_all (fixture, LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_BAD_REQUEST, FALSE, T0 + 10 * SEC);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (lens_task_get_state (task_at (fixture, i)), ==, LENS_TASK_STATE_FAILED);
      g_assert_cmpstr (lens_task_get_local_error (task_at (fixture, i)), ==, "it broke");
    }
  g_assert_cmpuint (lens_poll_schedule_get_n_watched (fixture->schedule), ==, 0);
  after_refusal = plan (fixture, T0 + 60 * SEC);
  g_assert_cmpuint (after_refusal->at_once->len + after_refusal->round->len, ==, 0);
}

/* Which pause a failed request calls for, and whether it proves the server
 * can be reached. */
static void
test_pause_for_errors (void)
{
  static const struct
  {
    int                code;
    LensRefresherPause pause;
    gboolean           server_answered;
  } cases[] = {
    { LENS_CLIENT_ERROR_NETWORK, LENS_REFRESHER_PAUSE_UNREACHABLE, FALSE },
    { LENS_CLIENT_ERROR_TIMEOUT, LENS_REFRESHER_PAUSE_NONE, FALSE },
    { LENS_CLIENT_ERROR_SERVER_ERROR, LENS_REFRESHER_PAUSE_NONE, TRUE },
    { LENS_CLIENT_ERROR_BAD_REQUEST, LENS_REFRESHER_PAUSE_NONE, TRUE },
    { LENS_CLIENT_ERROR_NO_TOKEN, LENS_REFRESHER_PAUSE_NO_TOKEN, TRUE },
    { LENS_CLIENT_ERROR_UNAUTHORIZED, LENS_REFRESHER_PAUSE_UNAUTHORIZED, TRUE },
    { LENS_CLIENT_ERROR_PAYMENT_REQUIRED, LENS_REFRESHER_PAUSE_PAYMENT_REQUIRED, TRUE },
    { LENS_CLIENT_ERROR_QUOTA_EXHAUSTED, LENS_REFRESHER_PAUSE_QUOTA_EXHAUSTED, TRUE },
    { LENS_CLIENT_ERROR_FORBIDDEN, LENS_REFRESHER_PAUSE_FORBIDDEN, TRUE },
    { LENS_CLIENT_ERROR_WRONG_URL, LENS_REFRESHER_PAUSE_WRONG_URL, TRUE },
    { LENS_CLIENT_ERROR_INSECURE_URL, LENS_REFRESHER_PAUSE_WRONG_URL, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (LENS_CLIENT_ERROR, cases[i].code, "no");

      g_assert_cmpint (lens_answer_effects_pause_for (error), ==, cases[i].pause);
      g_assert_cmpint (lens_answer_effects_server_answered (error), ==, cases[i].server_answered);
    }
  g_assert_true (lens_answer_effects_server_answered (NULL));
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add ("/answer-effects/first-answer", Fixture, NULL,
              fixture_set_up, test_first_answer, fixture_tear_down);
  g_test_add ("/answer-effects/finished-and-confirmed", Fixture, NULL,
              fixture_set_up, test_finished_and_confirmed, fixture_tear_down);
  g_test_add ("/answer-effects/handler-removes-task", Fixture, NULL,
              fixture_set_up, test_handler_removes_task, fixture_tear_down);
  g_test_add ("/answer-effects/failures", Fixture, NULL,
              fixture_set_up, test_failures, fixture_tear_down);
  g_test_add_func ("/answer-effects/pause-for-errors", test_pause_for_errors);

  return g_test_run ();
}
