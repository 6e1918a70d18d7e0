/* test-poll-schedule.c — which tasks are asked for, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schedule is told the time, so these tests move the clock by hand: no
 * timers, no main loop, no waiting. The default intervals are 5, 10, 20 and
 * 30 seconds.
 */

#include "config.h"

#include "lens-poll-schedule.h"
#include "lens-test.h"

#define SEC G_GINT64_CONSTANT (1000000)
#define MS  G_GINT64_CONSTANT (1000)

/* The monotonic clock starts anywhere; not at zero. */
#define T0  (1000 * SEC)

/* ─── a task list and a clock ──────────────────────────────────────────── */

typedef struct
{
  LensPollSchedule *schedule;
  GArray           *tasks;     /* of LensPollTask, ids owned */
  gint64            now;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->schedule = lens_poll_schedule_new ();
  fixture->tasks = g_array_new (FALSE, FALSE, sizeof (LensPollTask));
  fixture->now = T0;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < fixture->tasks->len; i++)
    g_free ((char *) g_array_index (fixture->tasks, LensPollTask, i).id);
  g_clear_pointer (&fixture->tasks, g_array_unref);
  g_clear_pointer (&fixture->schedule, lens_poll_schedule_free);
}

static LensPollTask *
find_task (Fixture    *fixture,
           const char *id)
{
  for (guint i = 0; i < fixture->tasks->len; i++)
    {
      LensPollTask *task = &g_array_index (fixture->tasks, LensPollTask, i);

      if (g_str_equal (task->id, id))
        return task;
    }
  g_assert_not_reached ();
}

/* Adds a task the server created @age_s seconds ago (-1: unknown). */
static void
add_task (Fixture       *fixture,
          const char    *id,
          LensTaskState  state,
          gint64         age_s)
{
  LensPollTask task = { g_strdup (id), state, age_s < 0 ? -1 : age_s * SEC };

  g_array_append_val (fixture->tasks, task);
}

static void
set_state (Fixture       *fixture,
           const char    *id,
           LensTaskState  state)
{
  find_task (fixture, id)->state = state;
}

static void
remove_task (Fixture    *fixture,
             const char *id)
{
  for (guint i = 0; i < fixture->tasks->len; i++)
    if (g_str_equal (g_array_index (fixture->tasks, LensPollTask, i).id, id))
      {
        g_free ((char *) g_array_index (fixture->tasks, LensPollTask, i).id);
        g_array_remove_index (fixture->tasks, i);
        return;
      }
  g_assert_not_reached ();
}

/* Moves the clock on; as time passes, the tasks grow older too. */
static void
advance (Fixture *fixture,
         gint64   usec)
{
  fixture->now += usec;
  for (guint i = 0; i < fixture->tasks->len; i++)
    {
      LensPollTask *task = &g_array_index (fixture->tasks, LensPollTask, i);

      if (task->age >= 0)
        task->age += usec;
    }
}

static void
advance_to (Fixture *fixture,
            gint64   when)
{
  g_assert_cmpint (when, >=, fixture->now);
  advance (fixture, when - fixture->now);
}

static LensPollPlan *
plan (Fixture *fixture)
{
  return lens_poll_schedule_plan (fixture->schedule, (const LensPollTask *) fixture->tasks->data,
                                  fixture->tasks->len, fixture->now);
}

static void
report (Fixture         *fixture,
        const char      *id,
        LensPollOutcome  outcome)
{
  lens_poll_schedule_report (fixture->schedule, id, outcome, fixture->now);
}

/* Asserts that @ids holds exactly @expected (NULL-terminated), in order. */
static void
assert_ids (GPtrArray  *ids,
            const char *expected,
            ...)
{
  va_list args;
  guint i = 0;

  va_start (args, expected);
  for (const char *id = expected; id != NULL; id = va_arg (args, const char *), i++)
    {
      g_assert_cmpuint (i, <, ids->len);
      g_assert_cmpstr (g_ptr_array_index (ids, i), ==, id);
    }
  va_end (args);
  g_assert_cmpuint (ids->len, ==, i);
}

static void
assert_nothing_asked (LensPollPlan *p)
{
  assert_ids (p->at_once, NULL);
  assert_ids (p->round, NULL);
}

/* Plans, checks that @id is in the poll round, and answers it with
 * @outcome. */
static void
poll_once (Fixture         *fixture,
           const char      *id,
           LensPollOutcome  outcome)
{
  g_autoptr(LensPollPlan) p = plan (fixture);

  g_assert_true (g_ptr_array_find_with_equal_func (p->round, id, g_str_equal, NULL));
  report (fixture, id, outcome);
}

/* ─── the two lanes ────────────────────────────────────────────────────── */

/* Queued tasks go out at once, in the list's order, and are in flight
 * until answered: a second plan does not ask for them again. */
static void
test_new_tasks_at_once (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LensPollPlan) first = NULL;
  g_autoptr(LensPollPlan) second = NULL;

  add_task (fixture, "a", LENS_TASK_STATE_QUEUED, -1);
  add_task (fixture, "done", LENS_TASK_STATE_DONE, -1);
  add_task (fixture, "b", LENS_TASK_STATE_QUEUED, -1);

  first = plan (fixture);
  assert_ids (first->at_once, "a", "b", NULL);
  assert_ids (first->round, NULL);
  assert_ids (first->stalled, NULL);
  g_assert_cmpint (first->wake_at, ==, G_MAXINT64);

  advance (fixture, 60 * SEC);
  second = plan (fixture);
  assert_nothing_asked (second);
  g_assert_cmpint (second->wake_at, ==, G_MAXINT64);
}

/* Running tasks not seen before (restored from the history) are due at
 * once, in the poll round. */
static void
test_unseen_running_due_at_once (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;

  add_task (fixture, "r1", LENS_TASK_STATE_RUNNING, 10);
  add_task (fixture, "p1", LENS_TASK_STATE_PENDING, 10);

  p = plan (fixture);
  assert_ids (p->at_once, NULL);
  assert_ids (p->round, "r1", "p1", NULL);
}

/* ─── backoff ──────────────────────────────────────────────────────────── */

/* Every answer without change waits one step longer: 10, 20, 30 s, and the
 * last step repeats. Nothing is due a moment before its time. */
static void
test_backoff_steps (Fixture       *fixture,
                    gconstpointer  data)
{
  static const gint64 waits[] = { 10 * SEC, 20 * SEC, 30 * SEC, 30 * SEC, 30 * SEC };

  add_task (fixture, "t", LENS_TASK_STATE_RUNNING, 0);
  poll_once (fixture, "t", LENS_POLL_UNCHANGED);

  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      gint64 answered_at = fixture->now;
      g_autoptr(LensPollPlan) early = NULL;

      advance_to (fixture, answered_at + waits[i] - 1);
      early = plan (fixture);
      assert_nothing_asked (early);
      g_assert_cmpint (early->wake_at, ==, answered_at + waits[i]);

      advance_to (fixture, answered_at + waits[i]);
      poll_once (fixture, "t", LENS_POLL_UNCHANGED);
    }
}

/* A change sends the task back to the first step. */
static void
test_progress_resets_step (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;

  add_task (fixture, "t", LENS_TASK_STATE_RUNNING, 0);
  poll_once (fixture, "t", LENS_POLL_UNCHANGED);     /* next in 10 s */
  advance (fixture, 10 * SEC);
  poll_once (fixture, "t", LENS_POLL_UNCHANGED);     /* next in 20 s */
  advance (fixture, 20 * SEC);
  poll_once (fixture, "t", LENS_POLL_CHANGED);       /* next in 5 s */

  p = plan (fixture);
  assert_nothing_asked (p);
  g_assert_cmpint (p->wake_at, ==, fixture->now + 5 * SEC);

  advance (fixture, 5 * SEC);
  poll_once (fixture, "t", LENS_POLL_UNCHANGED);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  g_assert_cmpint (p->wake_at, ==, fixture->now + 10 * SEC);
}

/* A failed request backs off one step, like an answer without change; a
 * held back one (a pause, a 429) is due again at once. */
static void
test_failed_and_held_back (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;

  add_task (fixture, "failed", LENS_TASK_STATE_RUNNING, 0);
  add_task (fixture, "held", LENS_TASK_STATE_RUNNING, 0);
  p = plan (fixture);
  assert_ids (p->round, "failed", "held", NULL);
  report (fixture, "failed", LENS_POLL_FAILED);
  report (fixture, "held", LENS_POLL_HELD_BACK);

  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_ids (p->round, "held", NULL);
  g_assert_cmpint (p->wake_at, ==, fixture->now + 10 * SEC);
}

/* A queued task whose lookup failed waits for its turn, then goes out in
 * the lookup lane again. */
static void
test_failed_lookup_retried (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;

  add_task (fixture, "q", LENS_TASK_STATE_QUEUED, -1);
  p = plan (fixture);
  assert_ids (p->at_once, "q", NULL);
  report (fixture, "q", LENS_POLL_FAILED);

  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_nothing_asked (p);
  g_assert_cmpint (p->wake_at, ==, fixture->now + 10 * SEC);

  advance (fixture, 10 * SEC);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_ids (p->at_once, "q", NULL);
}

/* New intervals apply at once: nobody waits longer than they say. */
static void
test_new_intervals_shorten_waits (Fixture       *fixture,
                                  gconstpointer  data)
{
  static const guint fast[] = { 100, 200 };
  g_autoptr(LensPollPlan) p = NULL;

  add_task (fixture, "t", LENS_TASK_STATE_RUNNING, 0);
  poll_once (fixture, "t", LENS_POLL_UNCHANGED);
  advance (fixture, 10 * SEC);
  poll_once (fixture, "t", LENS_POLL_UNCHANGED);     /* step 2: 20 s */

  lens_poll_schedule_set_intervals (fixture->schedule, fast, G_N_ELEMENTS (fast), fixture->now);
  p = plan (fixture);
  g_assert_cmpint (p->wake_at, ==, fixture->now + 200 * MS);

  /* The last step repeats. */
  advance (fixture, 200 * MS);
  poll_once (fixture, "t", LENS_POLL_UNCHANGED);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  g_assert_cmpint (p->wake_at, ==, fixture->now + 200 * MS);
}

/* ─── rounds and wake-ups ──────────────────────────────────────────────── */

/* The next wake-up is the earliest time a task is due; tasks nearly due
 * (within half the first interval) join a round that goes out anyway, but
 * alone wait for their time. */
static void
test_next_wake_up (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;
  gint64 a_due, b_due;

  add_task (fixture, "a", LENS_TASK_STATE_RUNNING, 0);
  poll_once (fixture, "a", LENS_POLL_CHANGED);
  a_due = fixture->now + 5 * SEC;

  advance (fixture, 2 * SEC);
  add_task (fixture, "b", LENS_TASK_STATE_QUEUED, -1);
  p = plan (fixture);
  assert_ids (p->at_once, "b", NULL);
  g_assert_cmpint (p->wake_at, ==, a_due);
  set_state (fixture, "b", LENS_TASK_STATE_RUNNING);
  report (fixture, "b", LENS_POLL_CHANGED);
  b_due = fixture->now + 5 * SEC;

  /* One second before a is due, b is nearly due too: neither goes alone. */
  advance_to (fixture, a_due - 1 * SEC);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_nothing_asked (p);
  g_assert_cmpint (p->wake_at, ==, a_due);

  /* When a is due, b (2 s later, under 2.5 s) joins its round. */
  advance_to (fixture, a_due);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_ids (p->round, "a", "b", NULL);
  g_assert_cmpint (p->wake_at, ==, G_MAXINT64);
  g_assert_cmpint (b_due, >, a_due);
}

/* With polling off, running tasks are neither polled nor waited for; new
 * ones are still looked up, and the user's requests still go out. */
static void
test_polling_off (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;

  lens_poll_schedule_set_polling (fixture->schedule, FALSE);
  add_task (fixture, "r", LENS_TASK_STATE_RUNNING, 0);
  add_task (fixture, "q", LENS_TASK_STATE_QUEUED, -1);

  p = plan (fixture);
  assert_ids (p->at_once, "q", NULL);
  assert_ids (p->round, NULL);
  g_assert_cmpint (p->wake_at, ==, G_MAXINT64);

  g_assert_true (lens_poll_schedule_ask_now (fixture->schedule, "r", fixture->now));
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_ids (p->at_once, "r", NULL);

  lens_poll_schedule_set_polling (fixture->schedule, TRUE);
  report (fixture, "r", LENS_POLL_UNCHANGED);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  g_assert_cmpint (p->wake_at, ==, fixture->now + 10 * SEC);
}

/* ─── the user asks ────────────────────────────────────────────────────── */

/* What the user asked for goes out at once, whatever its turn, and before
 * new tasks; a task in flight is not asked for twice. */
static void
test_urgent_first (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;

  add_task (fixture, "waiting", LENS_TASK_STATE_RUNNING, 0);
  poll_once (fixture, "waiting", LENS_POLL_UNCHANGED);   /* due in 10 s */
  add_task (fixture, "new", LENS_TASK_STATE_QUEUED, -1);
  add_task (fixture, "done", LENS_TASK_STATE_DONE, -1);

  g_assert_true (lens_poll_schedule_ask_now (fixture->schedule, "done", fixture->now));
  g_assert_true (lens_poll_schedule_ask_now (fixture->schedule, "waiting", fixture->now));
  p = plan (fixture);
  assert_ids (p->at_once, "waiting", "done", "new", NULL);
  assert_ids (p->round, NULL);

  g_assert_false (lens_poll_schedule_ask_now (fixture->schedule, "waiting", fixture->now));
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_nothing_asked (p);
}

/* ─── stalled tasks ────────────────────────────────────────────────────── */

/* A task created long ago is stalled by the first answer that finds it
 * unchanged for longer than the limit; then it is no longer polled. */
static void
test_stall_after_limit (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;
  gint64 changed_at;

  lens_poll_schedule_set_stall_after (fixture->schedule, 60);
  add_task (fixture, "old", LENS_TASK_STATE_RUNNING, 3600);
  poll_once (fixture, "old", LENS_POLL_CHANGED);
  changed_at = fixture->now;

  /* Unchanged at 5, 15 and 35 s: not for long enough yet. */
  advance_to (fixture, changed_at + 5 * SEC);
  poll_once (fixture, "old", LENS_POLL_UNCHANGED);
  advance_to (fixture, changed_at + 15 * SEC);
  poll_once (fixture, "old", LENS_POLL_UNCHANGED);
  advance_to (fixture, changed_at + 35 * SEC);
  poll_once (fixture, "old", LENS_POLL_UNCHANGED);
  p = plan (fixture);
  assert_ids (p->stalled, NULL);
  g_assert_cmpint (p->wake_at, ==, changed_at + 65 * SEC);

  /* Judged on an answer only: the limit passing between polls is not
   * enough, so that a task is never given up on without a last look. */
  advance_to (fixture, changed_at + 64 * SEC);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_ids (p->stalled, NULL);
  assert_nothing_asked (p);

  advance_to (fixture, changed_at + 65 * SEC);
  poll_once (fixture, "old", LENS_POLL_UNCHANGED);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_ids (p->stalled, "old", NULL);
  assert_nothing_asked (p);
  g_assert_cmpint (p->wake_at, ==, G_MAXINT64);

  /* Marked stalled, it is never due again on its own. */
  set_state (fixture, "old", LENS_TASK_STATE_STALLED);
  advance (fixture, 3600 * SEC);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_nothing_asked (p);
  assert_ids (p->stalled, NULL);

  /* Until the user asks. */
  g_assert_true (lens_poll_schedule_ask_now (fixture->schedule, "old", fixture->now));
  set_state (fixture, "old", LENS_TASK_STATE_QUEUED);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_ids (p->at_once, "old", NULL);
}

/* A task that keeps moving is never stalled, nor one that looks young (the
 * server's clock runs ahead of ours), nor one whose creation time is
 * unknown. */
static void
test_not_stalled (Fixture       *fixture,
                  gconstpointer  data)
{
  lens_poll_schedule_set_stall_after (fixture->schedule, 60);
  add_task (fixture, "moving", LENS_TASK_STATE_RUNNING, 3600);
  add_task (fixture, "young", LENS_TASK_STATE_RUNNING, 30);
  add_task (fixture, "unknown", LENS_TASK_STATE_RUNNING, -1);

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(LensPollPlan) p = NULL;

      find_task (fixture, "young")->age = 30 * SEC;
      p = plan (fixture);
      assert_ids (p->stalled, NULL);
      assert_ids (p->round, "moving", "young", "unknown", NULL);
      report (fixture, "moving", LENS_POLL_CHANGED);
      report (fixture, "young", LENS_POLL_UNCHANGED);
      report (fixture, "unknown", LENS_POLL_UNCHANGED);
      advance (fixture, 30 * SEC);
    }
}

/* ─── pacing ───────────────────────────────────────────────────────────── */

/* Never two requests within the minimum request interval. */
static void
test_pacing (Fixture       *fixture,
             gconstpointer  data)
{
  g_assert_cmpint (lens_poll_schedule_next_send (fixture->schedule), <=, fixture->now);

  lens_poll_schedule_sent (fixture->schedule, fixture->now);
  g_assert_cmpint (lens_poll_schedule_next_send (fixture->schedule), ==, fixture->now + SEC);

  advance (fixture, 400 * MS);
  lens_poll_schedule_set_min_request_interval (fixture->schedule, 250);
  g_assert_cmpint (lens_poll_schedule_next_send (fixture->schedule), ==, fixture->now - 150 * MS);

  lens_poll_schedule_sent (fixture->schedule, fixture->now);
  g_assert_cmpint (lens_poll_schedule_next_send (fixture->schedule), ==, fixture->now + 250 * MS);

  lens_poll_schedule_set_min_request_interval (fixture->schedule, 0);
  g_assert_cmpint (lens_poll_schedule_next_send (fixture->schedule), ==, fixture->now);
}

/* ─── finished and removed tasks ───────────────────────────────────────── */

/* A finished task is forgotten and never due again; its end is news only
 * if it was seen unfinished. */
static void
test_finished_never_due (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;

  add_task (fixture, "watched", LENS_TASK_STATE_RUNNING, 0);
  add_task (fixture, "new", LENS_TASK_STATE_QUEUED, -1);
  p = plan (fixture);
  assert_ids (p->at_once, "new", NULL);
  assert_ids (p->round, "watched", NULL);

  set_state (fixture, "watched", LENS_TASK_STATE_DONE);
  set_state (fixture, "new", LENS_TASK_STATE_DONE);
  g_assert_true (lens_poll_schedule_finished (fixture->schedule, "watched"));
  g_assert_false (lens_poll_schedule_finished (fixture->schedule, "new"));

  for (guint i = 0; i < 10; i++)
    {
      g_clear_pointer (&p, lens_poll_plan_free);
      p = plan (fixture);
      assert_nothing_asked (p);
      g_assert_cmpint (p->wake_at, ==, G_MAXINT64);
      advance (fixture, 60 * SEC);
    }
}

static gboolean
is_listed_cb (const char *id,
              gpointer    user_data)
{
  Fixture *fixture = user_data;

  for (guint i = 0; i < fixture->tasks->len; i++)
    if (g_str_equal (g_array_index (fixture->tasks, LensPollTask, i).id, id))
      return TRUE;
  return FALSE;
}

/* A task that left the list is forgotten: added again, it is new and due at
 * once. The others keep their turn. */
static void
test_removal (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(LensPollPlan) p = NULL;

  add_task (fixture, "kept", LENS_TASK_STATE_RUNNING, 0);
  add_task (fixture, "removed", LENS_TASK_STATE_RUNNING, 0);
  p = plan (fixture);
  assert_ids (p->round, "kept", "removed", NULL);
  report (fixture, "kept", LENS_POLL_UNCHANGED);
  report (fixture, "removed", LENS_POLL_UNCHANGED);

  remove_task (fixture, "removed");
  lens_poll_schedule_forget_missing (fixture->schedule, is_listed_cb, fixture);
  g_assert_false (lens_poll_schedule_finished (fixture->schedule, "removed"));

  add_task (fixture, "removed", LENS_TASK_STATE_QUEUED, -1);
  g_clear_pointer (&p, lens_poll_plan_free);
  p = plan (fixture);
  assert_ids (p->at_once, "removed", NULL);
  assert_ids (p->round, NULL);
  g_assert_cmpint (p->wake_at, ==, fixture->now + 10 * SEC);
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
    { "/poll-schedule/new-tasks-at-once", test_new_tasks_at_once },
    { "/poll-schedule/unseen-running-due-at-once", test_unseen_running_due_at_once },
    { "/poll-schedule/backoff-steps", test_backoff_steps },
    { "/poll-schedule/progress-resets-step", test_progress_resets_step },
    { "/poll-schedule/failed-and-held-back", test_failed_and_held_back },
    { "/poll-schedule/failed-lookup-retried", test_failed_lookup_retried },
    { "/poll-schedule/new-intervals-shorten-waits", test_new_intervals_shorten_waits },
    { "/poll-schedule/next-wake-up", test_next_wake_up },
    { "/poll-schedule/polling-off", test_polling_off },
    { "/poll-schedule/urgent-first", test_urgent_first },
    { "/poll-schedule/stall-after-limit", test_stall_after_limit },
    { "/poll-schedule/not-stalled", test_not_stalled },
    { "/poll-schedule/pacing", test_pacing },
    { "/poll-schedule/finished-never-due", test_finished_never_due },
    { "/poll-schedule/removal", test_removal },
  };

  lens_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add (tests[i].path, Fixture, NULL, fixture_set_up, tests[i].func, fixture_tear_down);

  return g_test_run ();
}
