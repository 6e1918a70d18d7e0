/* test-refresh-pass.c — tests for the refresher's pass over the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensRefreshPass alone, on a task list and a poll schedule, with a fake
 * sender that writes down what the pass hands over. Its ticks are idle
 * sources: running what is ready (lens_test_spin_pending()) runs a whole
 * pass, with no waiting. A slice budget of 0 makes a slice
 * LENS_TURN_CLOCK_EVERY - 1 tasks. test-refresher shows the same
 * through the refresher and a fake server.
 */

#define G_LOG_DOMAIN "test-refresh-pass"

#include "config.h"

#include "lens-refresh-pass.h"
#include "lens-test.h"

/* What the pass handed over: a call to send at once, or to queue for the
 * poll round. */
typedef struct
{
  gboolean  at_once;
  guint     group;
  GStrv     ids;
} Handed;

typedef struct
{
  LensTaskList     *tasks;
  LensPollSchedule *schedule;
  LensClient       *client;
  LensRefreshPass  *pass;
  GArray           *handed;   /* of Handed */
  gboolean          paused;
  guint             n_ended;
} Fixture;

static void
handed_clear (Handed *handed)
{
  g_strfreev (handed->ids);
}

static GStrv
dup_ids (GPtrArray *ids)
{
  GStrv copy = g_new0 (char *, ids->len + 1);

  for (guint i = 0; i < ids->len; i++)
    copy[i] = g_strdup (g_ptr_array_index (ids, i));
  return copy;
}

static gboolean
is_paused (gpointer user_data)
{
  return ((Fixture *) user_data)->paused;
}

static void
send_at_once (GPtrArray *ids,
              guint      group,
              gpointer   user_data)
{
  Fixture *fixture = user_data;
  Handed handed = { TRUE, group, dup_ids (ids) };

  g_assert_cmpuint (group, !=, 0);
  g_array_append_val (fixture->handed, handed);
}

static void
queue_round (GPtrArray *ids,
             gpointer   user_data)
{
  Fixture *fixture = user_data;
  Handed handed = { FALSE, 0, dup_ids (ids) };

  g_array_append_val (fixture->handed, handed);
}

static void
ended (gpointer user_data)
{
  ((Fixture *) user_data)->n_ended++;
}

static const LensRefreshPassCallbacks callbacks = {
  .is_paused = is_paused,
  .send_at_once = send_at_once,
  .queue_round = queue_round,
  .ended = ended,
};

/* The list's changes reach the pass as the refresher passes them on. */
static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  lens_refresh_pass_items_changed (((Fixture *) user_data)->pass, position, removed, added);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tasks = lens_task_list_new ();
  fixture->schedule = lens_poll_schedule_new ();
  fixture->client = lens_client_new (NULL, "http://127.0.0.1:9", "token");
  fixture->handed = g_array_new (FALSE, FALSE, sizeof (Handed));
  g_array_set_clear_func (fixture->handed, (GDestroyNotify) handed_clear);
  fixture->pass = lens_refresh_pass_new (fixture->tasks, fixture->schedule, fixture->client,
                                         &callbacks, fixture);
  lens_refresh_pass_set_slice_budget (fixture->pass, 0);
  g_signal_connect (fixture->tasks, "items-changed", G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->tasks, fixture);
  g_clear_pointer (&fixture->pass, lens_refresh_pass_free);
  g_clear_pointer (&fixture->handed, g_array_unref);
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->schedule, lens_poll_schedule_free);
  g_clear_object (&fixture->tasks);
}

/* Adds @n_ids new tasks, from the id numbered @first on. */
static void
add_ids (Fixture *fixture,
         guint    first,
         guint    n_ids)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_ids; i++)
    g_ptr_array_add (ids, lens_test_make_id (first + i));
  g_ptr_array_add (ids, NULL);
  g_assert_cmpuint (lens_task_list_add_ids (fixture->tasks, (const char * const *) ids->pdata, NULL),
                    ==, n_ids);
}

static Handed *
handed_at (Fixture *fixture,
           guint    i)
{
  g_assert_cmpuint (i, <, fixture->handed->len);
  return &g_array_index (fixture->handed, Handed, i);
}

/* How many ids were handed over in all, each once. */
static guint
count_handed (Fixture *fixture)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < fixture->handed->len; i++)
    {
      Handed *handed = handed_at (fixture, i);

      for (guint j = 0; handed->ids[j] != NULL; j++)
        g_assert_true (g_hash_table_add (seen, handed->ids[j]));
    }
  return g_hash_table_size (seen);
}

/* New tasks go at once, in whole chunks while the pass goes on and the rest
 * at its end, all in the group of the action under way; the pass asks for
 * itself when tasks are added. */
static void
test_new_tasks_in_chunks (Fixture       *fixture,
                          gconstpointer  data)
{
  lens_client_set_chunk_size (fixture->client, 50);
  add_ids (fixture, 1, 120);
  lens_test_spin_pending ();

  g_assert_cmpuint (fixture->n_ended, ==, 1);
  g_assert_cmpuint (fixture->handed->len, ==, 2);
  g_assert_true (handed_at (fixture, 0)->at_once);
  g_assert_cmpuint (g_strv_length (handed_at (fixture, 0)->ids), ==, 50);
  g_assert_cmpuint (g_strv_length (handed_at (fixture, 1)->ids), ==, 70);
  g_assert_cmpuint (handed_at (fixture, 0)->group, ==, handed_at (fixture, 1)->group);
  g_assert_cmpuint (count_handed (fixture), ==, 120);
}

/* The tasks of each action go in a group of their own, however late the
 * pass reaches them; a pass sends an action's tasks at the end of its
 * span. */
static void
test_actions_keep_their_groups (Fixture       *fixture,
                                gconstpointer  data)
{
  add_ids (fixture, 1, 10);
  lens_refresh_pass_new_action (fixture->pass);
  add_ids (fixture, 100, 5);
  lens_test_spin_pending ();

  g_assert_cmpuint (fixture->n_ended, ==, 1);
  g_assert_cmpuint (fixture->handed->len, ==, 2);
  g_assert_cmpuint (g_strv_length (handed_at (fixture, 0)->ids), ==, 10);
  g_assert_cmpuint (g_strv_length (handed_at (fixture, 1)->ids), ==, 5);
  g_assert_cmpuint (handed_at (fixture, 0)->group, !=, handed_at (fixture, 1)->group);
}

/* Tasks seen pending or running for the first time are due at once: they
 * go to the poll round, not at once. */
static void
test_running_tasks_go_to_the_round (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) answered = g_ptr_array_new_with_free_func (g_free);

  add_ids (fixture, 1, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = lens_test_make_id (1 + i);
      g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"response\": {\"progress\": 5}}", id);

      g_ptr_array_add (records, json_from_string (json, NULL));
      g_ptr_array_add (answered, g_steal_pointer (&id));
    }
  g_ptr_array_add (answered, NULL);
  lens_task_list_apply_records (fixture->tasks, (const char * const *) answered->pdata, records);
  lens_refresh_pass_schedule (fixture->pass);
  lens_test_spin_pending ();

  g_assert_cmpuint (fixture->n_ended, ==, 1);
  g_assert_cmpuint (fixture->handed->len, ==, 1);
  g_assert_false (handed_at (fixture, 0)->at_once);
  g_assert_cmpuint (g_strv_length (handed_at (fixture, 0)->ids), ==, 3);
}

/* While paused, no pass goes on, and tasks added ask for none. */
static void
test_paused (Fixture       *fixture,
             gconstpointer  data)
{
  fixture->paused = TRUE;
  add_ids (fixture, 1, 10);
  lens_refresh_pass_schedule (fixture->pass);
  lens_test_spin_pending ();
  g_assert_cmpuint (fixture->handed->len, ==, 0);
  g_assert_cmpuint (fixture->n_ended, ==, 0);

  fixture->paused = FALSE;
  lens_refresh_pass_schedule (fixture->pass);
  lens_test_spin_pending ();
  g_assert_cmpuint (count_handed (fixture), ==, 10);
  g_assert_cmpuint (fixture->n_ended, ==, 1);
}

/* A pass stopped after its first slice gives back what it planned and did
 * not hand over: the next pass sends it, and nothing twice. */
static void
test_stopped_pass_gives_back (Fixture       *fixture,
                              gconstpointer  data)
{
  lens_client_set_chunk_size (fixture->client, 50);
  add_ids (fixture, 1, 120);
  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (fixture->handed->len, ==, 1);
  g_assert_cmpuint (g_strv_length (handed_at (fixture, 0)->ids), ==, 50);

  lens_refresh_pass_stop (fixture->pass);
  lens_test_spin_pending ();
  g_assert_cmpuint (fixture->handed->len, ==, 1);
  g_assert_cmpuint (fixture->n_ended, ==, 0);

  lens_refresh_pass_schedule (fixture->pass);
  lens_test_spin_pending ();
  g_assert_cmpuint (fixture->n_ended, ==, 1);
  g_assert_cmpuint (count_handed (fixture), ==, 120);
}

/* A pass asked for while one goes on follows it, for what changed behind
 * it. */
static void
test_pass_asked_during_pass_follows (Fixture       *fixture,
                                     gconstpointer  data)
{
  add_ids (fixture, 1, 100);
  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (fixture->n_ended, ==, 0);
  lens_refresh_pass_schedule (fixture->pass);
  lens_test_spin_pending ();
  g_assert_cmpuint (fixture->n_ended, ==, 2);
  g_assert_cmpuint (count_handed (fixture), ==, 100);
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *path;
    void      (*func) (Fixture *, gconstpointer);
  } tests[] = {
    { "/refresh-pass/new-tasks-in-chunks", test_new_tasks_in_chunks },
    { "/refresh-pass/actions-keep-their-groups", test_actions_keep_their_groups },
    { "/refresh-pass/running-tasks-go-to-the-round", test_running_tasks_go_to_the_round },
    { "/refresh-pass/paused", test_paused },
    { "/refresh-pass/stopped-pass-gives-back", test_stopped_pass_gives_back },
    { "/refresh-pass/pass-asked-during-pass-follows", test_pass_asked_during_pass_follows },
  };

  lens_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add (tests[i].path, Fixture, NULL, fixture_set_up, tests[i].func, fixture_tear_down);

  return g_test_run ();
}
