/* test-pace-memory.c — what the API scheduler learnt, kept per API URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "lens-pace-memory.h"
#include "lens-test.h"

#define URL_A "https://api.example.com"
#define URL_B "https://proxy.example.com"

typedef struct
{
  GSettings      *settings;
  LensClient     *client;
  LensScheduler  *scheduler;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();

  fixture->settings = g_settings_new_with_backend ("io.github.tasklens.Tasklens", backend);
  fixture->client = lens_client_new (NULL, URL_A, "token");
  fixture->scheduler = lens_client_get_scheduler (fixture->client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->settings);
}

static void
assert_learnt (LensScheduler *scheduler,
               double         limit,
               guint          in_flight)
{
  double learnt_limit;
  guint learnt_in_flight;

  lens_scheduler_get_learnt (scheduler, &learnt_limit, &learnt_in_flight);
  g_assert_cmpfloat (learnt_limit, ==, limit);
  g_assert_cmpuint (learnt_in_flight, ==, in_flight);
}

static void
acquired_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  LensSchedulerSlot **slot = user_data;

  *slot = lens_scheduler_acquire_finish (LENS_SCHEDULER (source_object), result, NULL);
  g_assert_nonnull (*slot);
}

/* One request that the server refuses, the first of this session. */
static void
refuse_one (LensScheduler *scheduler)
{
  LensSchedulerSlot *slot = NULL;

  lens_scheduler_acquire_async (scheduler, LENS_REQUEST_PRIORITY_USER, 0, 1, FALSE, NULL,
                                acquired_cb, &slot);
  LENS_TEST_SPIN_UNTIL (slot != NULL, 5000);
  lens_scheduler_release (scheduler, slot, LENS_SCHEDULER_REFUSED, LENS_API_REFUSAL_RATE, 0);
}

/* The next session starts where the last one left off, for its URL. */
static void
test_recall (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LensPaceMemory) memory = NULL;

  g_settings_set_value (fixture->settings, "learnt-pace",
                        g_variant_new_parsed ("{'" URL_A "': (5.0, uint32 3)}"));
  memory = lens_pace_memory_new (fixture->settings, fixture->client);
  assert_learnt (fixture->scheduler, 5.0, 3);
  g_assert_cmpfloat_with_epsilon (lens_scheduler_get_rate (fixture->scheduler), 4.75, 1e-9);

  /* Another URL starts afresh; the first is recalled when it comes back,
   * and so it is after a new token. */
  lens_client_set_base_url (fixture->client, URL_B);
  assert_learnt (fixture->scheduler, 0, 2);
  lens_client_set_base_url (fixture->client, URL_A);
  assert_learnt (fixture->scheduler, 5.0, 3);
  lens_client_set_token (fixture->client, "another token");
  assert_learnt (fixture->scheduler, 5.0, 3);
}

/* What a refusal teaches is kept under the URL, beside the others. */
static void
test_keep (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(LensPaceMemory) memory = NULL;
  g_autoptr(GVariant) learnt = NULL;
  double limit = -1;
  guint32 in_flight = 0;

  g_settings_set_value (fixture->settings, "learnt-pace",
                        g_variant_new_parsed ("{'" URL_B "': (2.0, uint32 4)}"));
  memory = lens_pace_memory_new (fixture->settings, fixture->client);
  refuse_one (fixture->scheduler);

  learnt = g_settings_get_value (fixture->settings, "learnt-pace");
  g_assert_true (g_variant_lookup (learnt, URL_A, "(du)", &limit, &in_flight));
  g_assert_cmpfloat (limit, >, 0);
  g_assert_cmpuint (in_flight, ==, 2);
  g_assert_true (g_variant_lookup (learnt, URL_B, "(du)", &limit, &in_flight));
  g_assert_cmpfloat (limit, ==, 2.0);
}

/* No more than 16 URLs are kept: the one in use, and 15 others. */
static void
test_bounded (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(LensPaceMemory) memory = NULL;
  g_autoptr(GVariant) learnt = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{s(du)}"));

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://api%u.example.com", i);

      g_variant_builder_add (&builder, "{s(du)}", url, 1.0, (guint32) 1);
    }
  g_settings_set_value (fixture->settings, "learnt-pace", g_variant_builder_end (&builder));
  memory = lens_pace_memory_new (fixture->settings, fixture->client);
  refuse_one (fixture->scheduler);

  learnt = g_settings_get_value (fixture->settings, "learnt-pace");
  g_assert_cmpuint (g_variant_n_children (learnt), ==, 16);
  g_assert_true (g_variant_lookup (learnt, URL_A, "(du)", NULL, NULL));
}

/* The user's ceiling reaches the scheduler, now and when it changes. */
static void
test_max_rate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LensPaceMemory) memory = NULL;

  g_settings_set_double (fixture->settings, "max-requests-per-second", 2);
  memory = lens_pace_memory_new (fixture->settings, fixture->client);
  g_assert_cmpfloat (lens_scheduler_get_max_rate (fixture->scheduler), ==, 2);
  g_assert_cmpfloat (lens_scheduler_get_rate (fixture->scheduler), ==, 2);

  g_settings_set_double (fixture->settings, "max-requests-per-second", 0);
  g_assert_cmpfloat (lens_scheduler_get_max_rate (fixture->scheduler), ==, 0);
  g_assert_cmpfloat (lens_scheduler_get_rate (fixture->scheduler), ==, 8);
  /* A new URL does not lift the ceiling. */
  g_settings_set_double (fixture->settings, "max-requests-per-second", 1);
  lens_client_set_base_url (fixture->client, URL_B);
  g_assert_cmpfloat (lens_scheduler_get_rate (fixture->scheduler), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add ("/pace-memory/recall", Fixture, NULL, fixture_set_up, test_recall, fixture_tear_down);
  g_test_add ("/pace-memory/keep", Fixture, NULL, fixture_set_up, test_keep, fixture_tear_down);
  g_test_add ("/pace-memory/bounded", Fixture, NULL, fixture_set_up, test_bounded,
              fixture_tear_down);
  g_test_add ("/pace-memory/max-rate", Fixture, NULL, fixture_set_up, test_max_rate,
              fixture_tear_down);

  return g_test_run ();
}
