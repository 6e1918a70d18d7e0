/* test-sync-plan.c — tests for which page a sync asks for next
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensSyncPlan without HTTP: pages as arrays of records, marks as structs.
 * test-sync covers LensSync against the fake server.
 */

#define G_LOG_DOMAIN "test-sync-plan"

#include "config.h"

#include "lens-sync-plan.h"
#include "lens-test.h"

/* @n records created at @newest, @newest − 1, … */
static GPtrArray *
make_page (guint  n,
           double newest)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_double_value (builder, newest - i);
      json_builder_end_object (builder);
      g_ptr_array_add (records, json_builder_get_root (builder));
    }
  return records;
}

/* The first sync asks for everything; the first page fixes the upper bound
 * (a second over its newest task) and the total; offsets follow the pages;
 * the last page ends it, and the mark then says the account is covered up
 * to the newest task. */
static void
test_full (void)
{
  LensSyncMark none = { 0 };
  LensSyncPlan plan;
  LensListQuery query;
  g_autoptr(GPtrArray) first = make_page (50, 1000);
  g_autoptr(GPtrArray) second = make_page (50, 950);
  g_autoptr(GPtrArray) last = make_page (20, 900);

  lens_sync_plan_init (&plan, &none);
  lens_sync_plan_get_query (&plan, 50, &query);
  g_assert_cmpuint (query.offset, ==, 0);
  g_assert_cmpuint (query.limit, ==, 50);
  g_assert_cmpfloat (query.created_at_min, ==, 0);
  g_assert_cmpfloat (query.created_at_max, ==, 0);
  g_assert_null (query.type);

  lens_sync_plan_page_done (&plan, 120, first);
  g_assert_false (plan.finished);
  g_assert_cmpuint (plan.n_total, ==, 120);
  g_assert_cmpuint (lens_sync_plan_get_n_done (&plan), ==, 50);
  g_assert_cmpfloat (plan.mark.pending_newest, ==, 1000);
  g_assert_cmpfloat (plan.mark.pending_oldest, ==, 951);
  g_assert_cmpuint (plan.mark.pending_done, ==, 50);
  g_assert_cmpfloat (plan.mark.complete_newest, ==, 0);

  lens_sync_plan_get_query (&plan, 50, &query);
  g_assert_cmpuint (query.offset, ==, 50);
  g_assert_cmpfloat (query.created_at_max, ==, 1000 + LENS_SYNC_PLAN_RESUME_OVERLAP_S);
  g_assert_cmpfloat (query.created_at_min, ==, 0);

  lens_sync_plan_page_done (&plan, 120, second);
  g_assert_false (plan.finished);
  g_assert_cmpfloat (plan.mark.pending_oldest, ==, 901);
  lens_sync_plan_get_query (&plan, 50, &query);
  g_assert_cmpuint (query.offset, ==, 100);

  lens_sync_plan_page_done (&plan, 120, last);
  g_assert_true (plan.finished);
  g_assert_cmpuint (lens_sync_plan_get_n_done (&plan), ==, 120);
  g_assert_cmpuint (plan.n_total, ==, 120);
  g_assert_cmpfloat (plan.mark.complete_newest, ==, 1000);
  g_assert_cmpfloat (plan.mark.pending_newest, ==, 0);
  g_assert_cmpfloat (plan.mark.pending_oldest, ==, 0);
  g_assert_cmpuint (plan.mark.pending_done, ==, 0);
}

/* An interrupted sync resumes below the oldest task it reached (with a
 * second of overlap) instead of starting over; its total counts what was
 * done before; once complete, the mark keeps the newest task of the
 * interrupted part, so the next sync asks only for what came after. */
static void
test_resume (void)
{
  LensSyncMark mark = { .pending_newest = 1000, .pending_oldest = 951, .pending_done = 50 };
  LensSyncPlan plan;
  LensListQuery query;
  g_autoptr(GPtrArray) rest = make_page (50, 951);
  g_autoptr(GPtrArray) last = make_page (21, 901);

  lens_sync_plan_init (&plan, &mark);
  g_assert_true (plan.resumed);
  lens_sync_plan_get_query (&plan, 50, &query);
  g_assert_cmpuint (query.offset, ==, 0);
  g_assert_cmpfloat (query.created_at_max, ==, 951 + LENS_SYNC_PLAN_RESUME_OVERLAP_S);
  g_assert_cmpfloat (query.created_at_min, ==, 0);
  g_assert_cmpuint (lens_sync_plan_get_n_done (&plan), ==, 50);

  lens_sync_plan_page_done (&plan, 71, rest);
  g_assert_cmpuint (plan.n_total, ==, 50 + 71);
  g_assert_cmpuint (lens_sync_plan_get_n_done (&plan), ==, 100);
  /* The bound stays where the interrupted sync left it. */
  lens_sync_plan_get_query (&plan, 50, &query);
  g_assert_cmpfloat (query.created_at_max, ==, 951 + LENS_SYNC_PLAN_RESUME_OVERLAP_S);
  g_assert_cmpfloat (plan.mark.pending_newest, ==, 1000);
  g_assert_cmpuint (plan.mark.pending_done, ==, 100);

  lens_sync_plan_page_done (&plan, 71, last);
  g_assert_true (plan.finished);
  g_assert_cmpfloat (plan.mark.complete_newest, ==, 1000);
  g_assert_cmpfloat (plan.mark.pending_oldest, ==, 0);
}

/* Once a sync completed, the next asks only for tasks created since the
 * newest it covered, less the overlap; the mark moves to the new newest. */
static void
test_incremental (void)
{
  LensSyncMark mark = { .complete_newest = 1000 };
  LensSyncPlan plan;
  LensListQuery query;
  g_autoptr(GPtrArray) page = make_page (7, 1005);
  g_autoptr(GPtrArray) empty = make_page (0, 0);

  lens_sync_plan_init (&plan, &mark);
  lens_sync_plan_get_query (&plan, 50, &query);
  g_assert_cmpfloat (query.created_at_min, ==, 1000 - LENS_SYNC_PLAN_NEWEST_OVERLAP_S);
  g_assert_cmpfloat (query.created_at_max, ==, 0);

  lens_sync_plan_page_done (&plan, 7, page);
  g_assert_true (plan.finished);
  g_assert_cmpuint (plan.n_total, ==, 7);
  g_assert_cmpfloat (plan.mark.complete_newest, ==, 1005);

  /* Nothing new: the mark stays. */
  mark = plan.mark;
  lens_sync_plan_init (&plan, &mark);
  lens_sync_plan_page_done (&plan, 0, empty);
  g_assert_true (plan.finished);
  g_assert_cmpfloat (plan.mark.complete_newest, ==, 1005);

  /* An interrupted incremental sync resumes with both bounds. */
  mark = (LensSyncMark) { .complete_newest = 1005, .pending_newest = 2000, .pending_oldest = 1500,
                          .pending_done = 50 };
  lens_sync_plan_init (&plan, &mark);
  lens_sync_plan_get_query (&plan, 50, &query);
  g_assert_cmpfloat (query.created_at_min, ==, 1005 - LENS_SYNC_PLAN_NEWEST_OVERLAP_S);
  g_assert_cmpfloat (query.created_at_max, ==, 1500 + LENS_SYNC_PLAN_RESUME_OVERLAP_S);
}

/* A page that holds nothing ends the sync even if the count said more
 * (items that were not records, a server that miscounts): no endless
 * loop. */
static void
test_empty_page_ends (void)
{
  LensSyncMark none = { 0 };
  LensSyncPlan plan;
  g_autoptr(GPtrArray) first = make_page (50, 1000);
  g_autoptr(GPtrArray) empty = make_page (0, 0);

  lens_sync_plan_init (&plan, &none);
  lens_sync_plan_page_done (&plan, 500, first);
  g_assert_false (plan.finished);
  lens_sync_plan_page_done (&plan, 500, empty);
  g_assert_true (plan.finished);
  g_assert_cmpuint (plan.n_total, ==, 50);
  g_assert_cmpfloat (plan.mark.complete_newest, ==, 1000);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/sync-plan/full", test_full);
  g_test_add_func ("/sync-plan/resume", test_resume);
  g_test_add_func ("/sync-plan/incremental", test_incremental);
  g_test_add_func ("/sync-plan/empty-page-ends", test_empty_page_ends);

  return g_test_run ();
}
