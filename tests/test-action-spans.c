/* test-action-spans.c — tests for which action each task of the list came
 * from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensActionSpans alone, with positions for a list. test-refresher's
 * /refresher/action-during-a-pass shows what it is for: a few ids pasted
 * while a pass over a large paste is under way go first.
 */

#define G_LOG_DOMAIN "test-action-spans"

#include "config.h"

#include "lens-action-spans.h"
#include "lens-test.h"

static guint
end_at (LensActionSpans *spans,
        guint            position)
{
  guint end;

  lens_action_spans_group_at (spans, position, &end);
  return end;
}

/* Until an action ends, every task is the one under way's; after, the ones
 * appended are the next one's, each with a group of its own. */
static void
test_actions_are_spans (void)
{
  g_autoptr(LensActionSpans) spans = lens_action_spans_new ();
  guint *first, *second, end;

  first = lens_action_spans_group_at (spans, 0, &end);
  g_assert_cmpuint (end, ==, G_MAXUINT);
  *first = 7;
  lens_action_spans_end_action (spans, 1000);

  g_assert_cmpuint (*lens_action_spans_group_at (spans, 999, &end), ==, 7);
  g_assert_cmpuint (end, ==, 1000);
  second = lens_action_spans_group_at (spans, 1000, &end);
  g_assert_cmpuint (end, ==, G_MAXUINT);
  g_assert_cmpuint (*second, ==, 0);
  g_assert_true (second != lens_action_spans_group_at (spans, 0, &end));
}

/* A pass that has gone past an action's end forgets it; one that has not
 * keeps it. */
static void
test_passed_actions_are_forgotten (void)
{
  g_autoptr(LensActionSpans) spans = lens_action_spans_new ();

  lens_action_spans_end_action (spans, 100);
  lens_action_spans_end_action (spans, 200);
  g_assert_cmpuint (lens_action_spans_get_n_ended (spans), ==, 2);

  lens_action_spans_passed (spans, 99);
  g_assert_cmpuint (lens_action_spans_get_n_ended (spans), ==, 2);
  lens_action_spans_passed (spans, 100);
  g_assert_cmpuint (lens_action_spans_get_n_ended (spans), ==, 1);
  g_assert_cmpuint (end_at (spans, 100), ==, 200);
  lens_action_spans_passed (spans, 250);
  g_assert_cmpuint (lens_action_spans_get_n_ended (spans), ==, 0);
}

/* An action that added nothing (a paste of ids all in the list already)
 * leaves no span: the one before it keeps its group. */
static void
test_empty_action_has_no_span (void)
{
  g_autoptr(LensActionSpans) spans = lens_action_spans_new ();

  *lens_action_spans_group_at (spans, 0, &(guint) { 0 }) = 3;
  lens_action_spans_end_action (spans, 50);
  lens_action_spans_end_action (spans, 50);
  g_assert_cmpuint (lens_action_spans_get_n_ended (spans), ==, 1);
  g_assert_cmpuint (*lens_action_spans_group_at (spans, 10, &(guint) { 0 }), ==, 3);
}

/* Tasks removed before an action's end move it back, tasks put back
 * before it (undo) move it on; a removal across it moves it to where the
 * removal was; tasks appended at the end of the list move nothing. */
static void
test_ends_follow_the_list (void)
{
  g_autoptr(LensActionSpans) spans = lens_action_spans_new ();

  lens_action_spans_end_action (spans, 100);
  lens_action_spans_end_action (spans, 200);

  lens_action_spans_items_changed (spans, 10, 5, 0);
  g_assert_cmpuint (end_at (spans, 0), ==, 95);
  g_assert_cmpuint (end_at (spans, 95), ==, 195);

  lens_action_spans_items_changed (spans, 10, 0, 5);
  g_assert_cmpuint (end_at (spans, 0), ==, 100);
  g_assert_cmpuint (end_at (spans, 100), ==, 200);

  lens_action_spans_items_changed (spans, 200, 0, 30);
  g_assert_cmpuint (end_at (spans, 100), ==, 200);

  lens_action_spans_items_changed (spans, 150, 80, 0);
  g_assert_cmpuint (end_at (spans, 0), ==, 100);
  g_assert_cmpuint (end_at (spans, 100), ==, 150);
}

/* Actions ended while no pass comes (the refresher paused) do not pile up
 * without end: the oldest become one. */
static void
test_ended_actions_are_bounded (void)
{
  g_autoptr(LensActionSpans) spans = lens_action_spans_new ();

  for (guint i = 1; i <= 1000; i++)
    lens_action_spans_end_action (spans, i * 10);
  g_assert_cmpuint (lens_action_spans_get_n_ended (spans), <=, 32);
  g_assert_cmpuint (end_at (spans, 9999), ==, 10000);
  g_assert_cmpuint (end_at (spans, 10000), ==, G_MAXUINT);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/action-spans/actions-are-spans", test_actions_are_spans);
  g_test_add_func ("/action-spans/passed-actions-are-forgotten", test_passed_actions_are_forgotten);
  g_test_add_func ("/action-spans/empty-action-has-no-span", test_empty_action_has_no_span);
  g_test_add_func ("/action-spans/ends-follow-the-list", test_ends_follow_the_list);
  g_test_add_func ("/action-spans/ended-actions-are-bounded", test_ended_actions_are_bounded);

  return g_test_run ();
}
