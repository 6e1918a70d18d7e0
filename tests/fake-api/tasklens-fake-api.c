/* tasklens-fake-api.c — run the fake AceData server on its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the demo, screenshots, benchmarks and manual testing: point Tasklens at
 * the URL it prints. The first lines of output are meant to be read by
 * scripts. --rate, --in-flight, --retry-after and --latency limit the API as
 * AceData limits a token (see lens_fake_api_set_limits()). --account gives the
 * token an account of N tasks over months to list, and --new-every makes new
 * tasks appear while it runs; their ids are not printed (a listing finds them),
 * only "ACCOUNT: N", after the lines the scripts already read.
 */

#include "config.h"

#define G_LOG_DOMAIN "TasklensFakeApi"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "lens-fake-api.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_retry_after (const char         *text,
                   LensFakeRetryAfter *retry_after)
{
  static const struct { const char *name; LensFakeRetryAfter value; } names[] = {
    { "none", LENS_FAKE_RETRY_AFTER_NONE }, { "seconds", LENS_FAKE_RETRY_AFTER_SECONDS },
    { "date", LENS_FAKE_RETRY_AFTER_DATE }, { "0", LENS_FAKE_RETRY_AFTER_ZERO },
    { "past", LENS_FAKE_RETRY_AFTER_PAST },
  };

  if (text == NULL)
    {
      *retry_after = LENS_FAKE_RETRY_AFTER_SECONDS;
      return TRUE;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i].name))
      {
        *retry_after = names[i].value;
        return TRUE;
      }

  return FALSE;
}

static void
print_ids (GStrv ids)
{
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    printf ("ID: %s\n", ids[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(LensFakeApi) api = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  /* GOption overwrites a string option without freeing what was there. */
  g_autofree char *token = NULL;
  g_autofree char *retry_after = NULL;
  LensFakeLimits limits = { 0 };
  gboolean demo = FALSE;
  double rate = 0;
  int in_flight = 0;
  int latency = 0;
  int port = 0;
  int count = 0;
  int running_duration = 60000;
  int grain = 0;
  int account = 0;
  int new_every = 0;
  int new_max = 0;
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0 picks a free one)", "N" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Seed the demo set of tasks", NULL },
    { "token", 't', 0, G_OPTION_ARG_STRING, &token,
      "Bearer token to require (default: demo-token; empty accepts any)", "T" },
    { "count", 'c', 0, G_OPTION_ARG_INT, &count, "Also seed N generated imagine tasks", "N" },
    { "account", 0, 0, G_OPTION_ARG_INT, &account,
      "Give the account N more tasks made over the months before now, to list", "N" },
    { "new-every", 0, 0, G_OPTION_ARG_INT, &new_every,
      "Make a new (running) task appear every MS milliseconds", "MS" },
    { "new-max", 0, 0, G_OPTION_ARG_INT, &new_max,
      "Stop after N new tasks (default: never)", "N" },
    { "running-duration", 0, 0, G_OPTION_ARG_INT, &running_duration,
      "How long running tasks take, in milliseconds", "MS" },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
      "Admit at most R API requests a second, refuse more with 429 (default: no limit)", "R" },
    { "in-flight", 0, 0, G_OPTION_ARG_INT, &in_flight,
      "Refuse an API request with 429 while K are being answered (default: no limit)", "K" },
    { "retry-after", 0, 0, G_OPTION_ARG_STRING, &retry_after,
      "The Retry-After of a refusal: none, seconds (default), date, 0 or past", "KIND" },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency,
      "Answer every API request this many milliseconds after it arrived", "MS" },
    { "image-grain", 0, 0, G_OPTION_ARG_INT, &grain,
      "Add noise of up to ±G to every pixel of the images, so that they are as large as real ones "
      "(8: about 2 MB for a 1024×1024 grid)", "G" },
    G_OPTION_ENTRY_NULL
  };

  options = g_option_context_new ("— a local stand-in for the AceData Midjourney Tasks API");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (port < 0 || port > G_MAXUINT16 || count < 0 || running_duration < 0
      || !(rate >= 0) || in_flight < 0 || latency < 0 || account < 0 || new_every < 0
      || new_max < 0 || grain < 0 || grain > 255)
    {
      g_printerr ("--port, --count, --account, --new-every, --new-max, --running-duration, "
                  "--rate, --in-flight and --latency take non-negative numbers, "
                  "--image-grain one from 0 to 255\n");
      return EXIT_FAILURE;
    }
  if (!parse_retry_after (retry_after, &limits.retry_after))
    {
      g_printerr ("--retry-after takes none, seconds, date, 0 or past\n");
      return EXIT_FAILURE;
    }
  limits.requests_per_second = rate;
  limits.max_in_flight = in_flight;
  limits.latency_ms = latency;

  if (token == NULL)
    token = g_strdup ("demo-token");

  api = lens_fake_api_new (*token != '\0' ? token : NULL);
  lens_fake_api_set_running_duration (api, running_duration);
  lens_fake_api_set_image_grain (api, (guint) grain);
  lens_fake_api_set_limits (api, &limits);
  if (!lens_fake_api_start (api, port, &error))
    {
      g_printerr ("Cannot listen: %s\n", error->message);
      return EXIT_FAILURE;
    }

  printf ("URL: %s\n", lens_fake_api_get_url (api));
  printf ("TOKEN: %s\n", token);
  if (demo)
    {
      g_auto(GStrv) ids = lens_fake_api_seed_demo (api);

      print_ids (ids);
    }
  if (count > 0)
    {
      g_auto(GStrv) ids = lens_fake_api_seed_generated (api, LENS_FAKE_TASK_IMAGINE, count);

      print_ids (ids);
    }
  if (account > 0)
    {
      g_auto(GStrv) ids = lens_fake_api_seed_account (api, account,
                                                      g_get_real_time () / G_USEC_PER_SEC);

      printf ("ACCOUNT: %u\n", g_strv_length (ids));
    }
  lens_fake_api_add_new_tasks_every (api, new_every, new_max);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return EXIT_SUCCESS;
}
