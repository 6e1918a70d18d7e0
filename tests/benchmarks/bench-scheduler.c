/* bench-scheduler.c — new ids against a server that limits the token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-scheduler SCENARIO [TASKLENS-FAKE-API]
 *
 *   rate-5     10,000 ids, the server admits 5 requests a second, 3 in flight
 *   rate-1     2,500 ids (50 batches), 1 request a second, 3 in flight
 *   no-limit   10,000 ids, no limit; also timed with a bare client
 *
 * The fake server runs as a subprocess (tasklens-fake-api, whose path comes
 * as the second argument or in TASKLENS_FAKE_API), so that its clock and
 * main loop are not the client's. Its ids are looked up the way the app does
 * it: a LensClient on the app's session, a LensTaskList and a LensRefresher,
 * which sends new ids as one batch of the user's priority through the
 * client's scheduler. The time runs from adding the ids until none is
 * QUEUED; the minimum is what the server's rate allows (batches / rate).
 *
 * The bare client of no-limit is a plain SoupSession posting the same
 * retrieve_batch bodies (50 ids each) with four in flight and no pacing, and
 * reading the answers whole: what the transfer alone costs.
 *
 * One line per scenario, with PASS or FAIL against the target. The
 * exit status is 0 either way; it is not 0 only when something broke (the
 * server did not start, a lookup failed, a task was not found).
 */

#define G_LOG_DOMAIN "bench-scheduler"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <json-glib/json-glib.h>

#include "lens-client.h"
#include "lens-http.h"
#include "lens-refresher.h"
#include "lens-task-list.h"

#define TOKEN          "bench-token"
#define CHUNK          50
#define BARE_IN_FLIGHT 4
/* Runs of the bare client and of the app, in turns, without a limit. */
#define ROUNDS         5

typedef struct
{
  const char *name;
  guint       n_ids;
  double      rate;        /* the server's requests a second; 0: no limit */
  guint       in_flight;   /* the server's requests at once; 0: no limit */
  double      max_ratio;   /* the target: time / minimum, or app / bare */
  double      max_refused; /* the target: share of requests refused */
} Scenario;

static const Scenario scenarios[] = {
  { "rate-5", 10000, 5, 3, 1.25, 0.02 },
  { "rate-1", 2500, 1, 3, 1.25, 0.02 },
  { "no-limit", 10000, 0, 0, 1.5, 0 },
};

/* ─── the server ───────────────────────────────────────────────────────── */

typedef struct
{
  GSubprocess *process;
  char        *url;
  GStrv        ids;
} Server;

/* The server ends with the benchmark, even when the benchmark is killed. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
read_field (GDataInputStream *lines,
            const char       *field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

  if (line == NULL)
    g_error ("The fake server said no “%s”: %s", field,
             error != NULL ? error->message : "end of output");
  if (!g_str_has_prefix (line, field) || strncmp (line + strlen (field), ": ", 2) != 0)
    g_error ("The fake server said “%s” where “%s: …” was expected", line, field);
  return g_strdup (line + strlen (field) + 2);
}

/* Reading the server's first lines blocks: nothing else runs yet. */
static void
server_start (Server         *server,
              const char     *program,
              const Scenario *scenario)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_ptr_array_add (argv, g_strdup (program));
  g_ptr_array_add (argv, g_strdup ("--token=" TOKEN));
  g_ptr_array_add (argv, g_strdup_printf ("--count=%u", scenario->n_ids));
  if (scenario->rate > 0)
    {
      char rate[G_ASCII_DTOSTR_BUF_SIZE];

      g_ptr_array_add (argv, g_strconcat ("--rate=", g_ascii_dtostr (rate, sizeof rate,
                                                                      scenario->rate), NULL));
    }
  if (scenario->in_flight > 0)
    g_ptr_array_add (argv, g_strdup_printf ("--in-flight=%u", scenario->in_flight));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  if (server->process == NULL)
    g_error ("Cannot start %s: %s", program, error->message);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->url = read_field (lines, "URL");
  token = read_field (lines, "TOKEN");
  g_assert_cmpstr (token, ==, TOKEN);
  for (guint i = 0; i < scenario->n_ids; i++)
    {
      g_autofree char *id = read_field (lines, "ID");

      g_strv_builder_add (ids, id);
    }
  server->ids = g_strv_builder_end (ids);
}

static void
server_stop (Server *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGTERM);
  if (!g_subprocess_wait (server->process, NULL, &error))
    g_warning ("The fake server did not end: %s", error->message);
  g_clear_object (&server->process);
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->ids, g_strfreev);
}

/* ─── the app's way ────────────────────────────────────────────────────── */

typedef struct
{
  LensTaskList  *tasks;
  GArray        *sent;          /* of gint64: when each request was queued */
  guint          n_finished;    /* tasks the refresher saw finish */
  gint64         last_answer;   /* monotonic µs: when the last request ended */
  gboolean       done;
  GError        *failure;       /* owned, nullable */
  gint64         first_refusal; /* monotonic µs, 0 for none */
} AppRun;

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   GArray      *sent)
{
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (sent, now);
}

static void
request_unqueued_cb (SoupSession *session,
                     SoupMessage *message,
                     gint64      *last_answer)
{
  *last_answer = g_get_monotonic_time ();
}

static void
check_done (AppRun *run)
{
  g_auto(GStrv) queued = lens_task_list_dup_ids_in_state (run->tasks, LENS_TASK_STATE_QUEUED);

  run->done = g_strv_length (queued) == 0;
}

static void
busy_changed_cb (LensRefresher *refresher,
                 GParamSpec    *pspec,
                 AppRun        *run)
{
  if (!lens_refresher_get_busy (refresher))
    check_done (run);
}

/* Counted rather than looked for in the list every few milliseconds, so
 * that the benchmark does not walk 10,000 tasks while it measures the app. */
static void
task_finished_cb (LensRefresher *refresher,
                  LensTask      *task,
                  AppRun        *run)
{
  run->n_finished++;
  if (run->n_finished == g_list_model_get_n_items (G_LIST_MODEL (run->tasks)))
    check_done (run);
}

static void
failed_cb (LensRefresher *refresher,
           const GError  *error,
           AppRun        *run)
{
  if (run->failure == NULL)
    run->failure = g_error_copy (error);
}

static void
refused_cb (LensScheduler *scheduler,
            GParamSpec    *pspec,
            AppRun        *run)
{
  if (run->first_refusal == 0 && lens_scheduler_get_throttled (scheduler))
    run->first_refusal = g_get_monotonic_time ();
}

typedef struct
{
  double   seconds;
  guint    n_requests;
  guint    n_refused;
  double   first_refusal_s; /* -1 for none */
  double   learnt_limit;
  guint    learnt_in_flight;
  double   last_sent_s;     /* when the last request left */
  double   half_sent_s;     /* when half of them had left */
  double   tenth_sent_s;    /* when the tenth left: the slow start */
  double   last_answer_s;   /* when the last answer was in */
} AppResult;

/* @learnt_limit, @learnt_in_flight: what a previous session learnt, or a
 * negative limit for a first session */
static AppResult
run_app (const Server *server,
         double        learnt_limit,
         guint         learnt_in_flight)
{
  g_autoptr(SoupSession) session = lens_http_create_session ();
  g_autoptr(LensClient) client = lens_client_new (session, server->url, TOKEN);
  g_autoptr(LensRefresher) refresher = NULL;
  g_autoptr(LensTaskList) tasks = lens_task_list_new ();
  g_auto(GStrv) done = NULL;
  LensScheduler *scheduler = lens_client_get_scheduler (client);
  g_autoptr(GArray) sent = g_array_new (FALSE, FALSE, sizeof (gint64));
  AppRun run = { .tasks = tasks, .sent = sent };
  AppResult result = { 0 };
  gint64 start;

  if (learnt_limit >= 0)
    lens_scheduler_set_learnt (scheduler, learnt_limit, learnt_in_flight);
  refresher = lens_refresher_new (client, tasks, NULL);
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), sent);
  g_signal_connect (session, "request-unqueued", G_CALLBACK (request_unqueued_cb),
                    &run.last_answer);
  g_signal_connect (refresher, "notify::busy", G_CALLBACK (busy_changed_cb), &run);
  g_signal_connect (refresher, "failed", G_CALLBACK (failed_cb), &run);
  g_signal_connect (refresher, "task-finished", G_CALLBACK (task_finished_cb), &run);
  g_signal_connect (scheduler, "notify::throttled", G_CALLBACK (refused_cb), &run);

  start = g_get_monotonic_time ();
  lens_task_list_add_ids (tasks, (const char * const *) server->ids, NULL);
  run.done = FALSE;
  while (!run.done && run.failure == NULL)
    g_main_context_iteration (NULL, TRUE);
  result.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if (run.failure != NULL)
    g_error ("The lookup failed: %s", run.failure->message);
  done = lens_task_list_dup_ids_in_state (tasks, LENS_TASK_STATE_DONE);
  if (g_strv_length (done) != g_strv_length (server->ids))
    g_error ("Only %u of %u tasks were found", g_strv_length (done),
             g_strv_length (server->ids));

  result.n_requests = sent->len;
  if (sent->len > 0)
    {
      result.last_sent_s = (g_array_index (sent, gint64, sent->len - 1) - start) / 1e6;
      result.half_sent_s = (g_array_index (sent, gint64, sent->len / 2) - start) / 1e6;
      result.tenth_sent_s = (g_array_index (sent, gint64, MIN (9, sent->len - 1)) - start) / 1e6;
      result.last_answer_s = (run.last_answer - start) / 1e6;
    }
  result.n_refused = lens_scheduler_get_n_refused (scheduler);
  result.first_refusal_s = run.first_refusal != 0
                           ? (run.first_refusal - start) / (double) G_USEC_PER_SEC : -1;
  lens_scheduler_get_learnt (scheduler, &result.learnt_limit, &result.learnt_in_flight);

  g_signal_handlers_disconnect_by_data (session, sent);
  g_signal_handlers_disconnect_by_data (session, &run.last_answer);
  g_signal_handlers_disconnect_by_data (refresher, &run);
  g_signal_handlers_disconnect_by_data (scheduler, &run);
  return result;
}

/* ─── the bare client ──────────────────────────────────────────────────── */

typedef struct
{
  SoupSession *session;
  const char  *url;
  GPtrArray   *bodies;     /* of GBytes */
  guint        next;
  guint        n_answered;
} BareRun;

static GBytes *
batch_body (const char * const *ids,
            guint               n_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, "retrieve_batch");
  json_builder_set_member_name (builder, "ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_ids; i++)
    json_builder_add_string_value (builder, ids[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, n_ids);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static void send_next (BareRun *run);

static void
bare_answer_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BareRun *run = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source_object),
                                                                result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result, &error);
  if (body == NULL)
    g_error ("The bare client failed: %s", error->message);
  if (soup_message_get_status (message) != SOUP_STATUS_OK)
    g_error ("The bare client got HTTP %u", soup_message_get_status (message));

  run->n_answered++;
  send_next (run);
}

static void
send_next (BareRun *run)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;

  if (run->next == run->bodies->len)
    return;

  url = g_strconcat (run->url, "/midjourney/tasks", NULL);
  message = soup_message_new (SOUP_METHOD_POST, url);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Authorization", "Bearer " TOKEN);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (message, "application/json",
                                            g_ptr_array_index (run->bodies, run->next++));
  soup_session_send_and_read_async (run->session, message, G_PRIORITY_DEFAULT, NULL,
                                    bare_answer_cb, run);
}

static double
run_bare (const Server *server,
          guint         n_batches)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host",
                                                                  BARE_IN_FLIGHT, NULL);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint n_ids = g_strv_length (server->ids);
  BareRun run = { .session = session, .url = server->url, .bodies = bodies };
  gint64 start;

  for (guint i = 0; i < n_ids && bodies->len < n_batches; i += CHUNK)
    g_ptr_array_add (bodies, batch_body ((const char * const *) server->ids + i,
                                         MIN (CHUNK, n_ids - i)));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < BARE_IN_FLIGHT; i++)
    send_next (&run);
  while (run.n_answered < bodies->len)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* ─── main ─────────────────────────────────────────────────────────────── */

/* Sorts @values. */
static double
median (double *values,
        guint   n)
{
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && values[j - 1] > values[j]; j--)
      {
        double swap = values[j];

        values[j] = values[j - 1];
        values[j - 1] = swap;
      }
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static const char *
verdict (gboolean pass)
{
  return pass ? "PASS" : "FAIL";
}

int
main (int   argc,
      char *argv[])
{
  const char *program = argc > 2 ? argv[2] : g_getenv ("TASKLENS_FAKE_API");
  const Scenario *scenario = NULL;
  Server server = { 0 };
  guint n_batches;
  double bare = 0;
  AppResult app;
  double refused_share;

  for (gsize i = 0; argc > 1 && i < G_N_ELEMENTS (scenarios); i++)
    if (g_str_equal (argv[1], scenarios[i].name))
      scenario = &scenarios[i];
  if (scenario == NULL || program == NULL)
    {
      g_printerr ("Usage: bench-scheduler rate-5|rate-1|no-limit [TASKLENS-FAKE-API]\n"
                  "(or the server's path in TASKLENS_FAKE_API)\n");
      return EXIT_FAILURE;
    }

  server_start (&server, program, scenario);
  n_batches = (scenario->n_ids + CHUNK - 1) / CHUNK;

  if (scenario->rate > 0)
    {
      double minimum = n_batches / scenario->rate;
      double ratio;

      app = run_app (&server, -1, 0);
      ratio = app.seconds / minimum;
      refused_share = app.n_requests > 0 ? (double) app.n_refused / app.n_requests : 0;
      g_print ("%s: ids %u, batches %u, time %.1f s, minimum %.1f s, ratio %.2f "
               "(target <= %.2f: %s), requests %u, refused %u, %.1f %% (target <= %.0f %%: %s)\n",
               scenario->name, scenario->n_ids, n_batches, app.seconds, minimum, ratio,
               scenario->max_ratio, verdict (ratio <= scenario->max_ratio),
               app.n_requests, app.n_refused, 100 * refused_share, 100 * scenario->max_refused,
               verdict (refused_share <= scenario->max_refused));
    }
  else
    {
      double bare_seconds[ROUNDS], app_seconds[ROUNDS];
      AppResult app_runs[ROUNDS];
      g_autoptr(GString) rounds = g_string_new (NULL);
      double ratio;

      /* One batch first, so that neither run pays for the server's start.
       * Then the bare client and the app in turns, each app run a first
       * session: a run lasts about a second, and on a shared machine one
       * of either can be slowed by something else, so the medians are
       * compared. */
      run_bare (&server, 1);
      for (guint r = 0; r < ROUNDS; r++)
        {
          bare_seconds[r] = run_bare (&server, n_batches);
          app_runs[r] = run_app (&server, -1, 0);
          app_seconds[r] = app_runs[r].seconds;
          g_string_append_printf (rounds, "%s%.2f/%.2f", r > 0 ? ", " : "",
                                  app_seconds[r], bare_seconds[r]);
        }
      bare = median (bare_seconds, ROUNDS);
      ratio = median (app_seconds, ROUNDS) / bare;
      /* The details below are the median run's. */
      app = app_runs[0];
      for (guint r = 1; r < ROUNDS; r++)
        if (app_runs[r].seconds == median (app_seconds, ROUNDS))
          app = app_runs[r];
      refused_share = app.n_requests > 0 ? (double) app.n_refused / app.n_requests : 0;
      g_print ("%s: ids %u, batches %u, app %.2f s, bare client %.2f s (%u in flight; "
               "medians of %u runs each, taken in turns), "
               "ratio %.2f (target <= %.2f: %s), requests %u, refused %u, %.1f %%\n"
               "  each round, app/bare: %s s\n",
               scenario->name, scenario->n_ids, n_batches, median (app_seconds, ROUNDS), bare,
               BARE_IN_FLIGHT, ROUNDS, ratio, scenario->max_ratio,
               verdict (ratio <= scenario->max_ratio), app.n_requests, app.n_refused,
               100 * refused_share, rounds->str);
    }
  g_print ("  where the time went: request 10 sent at %.2f s, half of them at %.2f s, "
           "the last at %.2f s, its answer in at %.2f s, all applied at %.2f s; "
           "first 429 at %.2f s; learnt %.2f/s x %u in flight\n",
           app.tenth_sent_s, app.half_sent_s, app.last_sent_s, app.last_answer_s, app.seconds,
           app.first_refusal_s, app.learnt_limit, app.learnt_in_flight);

  /* The next session starts from what this one learnt (the app keeps it per
   * API URL): for comparison, not a target. */
  {
    AppResult next = run_app (&server, app.learnt_limit, app.learnt_in_flight);

    g_print ("  next session (from what was learnt): %.2f s, requests %u, refused %u\n",
             next.seconds, next.n_requests, next.n_refused);
  }
  /* Without a slow start: what the pacing costs beside the parsing and
   * applying of the answers. */
  if (scenario->rate == 0)
    {
      AppResult fast = run_app (&server, 1000, LENS_API_PACE_MAX_IN_FLIGHT);

      g_print ("  started at 1000/s x %u (no slow start): %.2f s, ratio to bare %.2f, "
               "last answer in at %.2f s\n", LENS_API_PACE_MAX_IN_FLIGHT, fast.seconds,
               fast.seconds / bare, fast.last_answer_s);
    }

  server_stop (&server);
  return EXIT_SUCCESS;
}
