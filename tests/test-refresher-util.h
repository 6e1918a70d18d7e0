/* test-refresher-util.h — what test-refresher.c's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every helper asserts rather than returning errors: a failure in a helper
 * fails the test that called it.
 */

#pragma once

#include "lens-fake-api.h"
#include "lens-refresher.h"
#include "lens-test.h"

G_BEGIN_DECLS

#define TOKEN "refresher-token"
#define POLL_MS 100

/* ─── a network monitor the test can switch ────────────────────────────── */

#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

void          test_monitor_set_available (TestMonitor   *self,
                                          gboolean       available);

/* ─── fixture and helpers ──────────────────────────────────────────────── */

typedef struct
{
  LensFakeApi   *fake;
  LensClient    *client;
  LensTaskList  *tasks;
  TestMonitor   *monitor;
  LensRefresher *refresher;
  GPtrArray     *failures;   /* of GError */
  GPtrArray     *finished;   /* of char *: ids, in the order task-finished told them */
  guint          n_pause_notifies;
  guint          n_rate_notifies;
} Fixture;

/* Runs the main loop until @cond holds, for at most ten seconds. */
#define WAIT_UNTIL(cond) LENS_TEST_SPIN_UNTIL (cond, 10000)

/* Makes the served progress follow what the refresher saw, plus one, up to
 * a limit: the task moves on every answer, then stops moving. */
typedef struct
{
  Fixture *fixture;
  gint64   age_s;
  int      limit;
} Mover;

void          fixture_set_up             (Fixture       *fixture,
                                          gconstpointer  data);
void          fixture_tear_down          (Fixture       *fixture,
                                          gconstpointer  data);
guint         count_in_state             (Fixture       *fixture,
                                          LensTaskState  state);
guint         count_finished             (Fixture       *fixture);
void          wait_until_finished        (Fixture       *fixture);
guint         task_requests              (Fixture       *fixture);
const char   *request_body_at            (Fixture       *fixture,
                                          guint          index);
LensTaskState state_of                   (Fixture       *fixture,
                                          const char    *id);
void          add_ids                    (Fixture       *fixture,
                                          const char   **ids);
void          put_running_record         (Fixture       *fixture,
                                          const char    *id,
                                          gint64         age_s,
                                          int            progress);
void          move_progress_cb           (LensTask      *task,
                                          GParamSpec    *pspec,
                                          Mover         *mover);

G_END_DECLS
