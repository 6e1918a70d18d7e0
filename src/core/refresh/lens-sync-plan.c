/* lens-sync-plan.c — which page a sync asks for next, and what it keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sync covers a span of creation times, newest first:
 * - the first one, everything (no bounds);
 * - a later one, what was created since the newest task the last complete
 *   sync covered, less a little overlap (created_at_min);
 * - one that resumes an interrupted sync, the same lower bound, and up to
 *   the oldest task the interrupted one reached, plus a second
 *   (created_at_max): it does not start over.
 * The first page fixes the upper bound (the newest task it holds), so that
 * offsets do not shift while new tasks arrive; a resumed sync keeps the
 * newest its interrupted one saw, so that the next incremental sync starts
 * there. Whatever is asked twice (overlaps) is matched by id by LensSync.
 */

#define G_LOG_DOMAIN "lens-sync"

#include "config.h"

#include "lens-json.h"
#include "lens-sync-plan.h"

void
lens_sync_plan_init (LensSyncPlan       *plan,
                     const LensSyncMark *mark)
{
  g_return_if_fail (plan != NULL);
  g_return_if_fail (mark != NULL);

  *plan = (LensSyncPlan) { .mark = *mark };
  if (mark->complete_newest > 0)
    plan->min = MAX (mark->complete_newest - LENS_SYNC_PLAN_NEWEST_OVERLAP_S, 0.001);
  if (mark->pending_oldest > 0)
    {
      plan->resumed = TRUE;
      plan->max = mark->pending_oldest + LENS_SYNC_PLAN_RESUME_OVERLAP_S;
      plan->done_before = mark->pending_done;
    }
}

/**
 * lens_sync_plan_get_query:
 * @limit: tasks a page
 * @query: (out caller-allocates): the next page to ask for
 */
void
lens_sync_plan_get_query (const LensSyncPlan *plan,
                          guint               limit,
                          LensListQuery      *query)
{
  g_return_if_fail (plan != NULL);
  g_return_if_fail (query != NULL);

  *query = (LensListQuery) {
    .offset = plan->offset,
    .limit = limit,
    .created_at_min = plan->min,
    .created_at_max = plan->max,
  };
}

static double
record_created_at (JsonNode *record)
{
  double created_at = 0;

  if (!lens_json_get_double (json_node_get_object (record), "created_at", &created_at)
      || created_at < 0)
    return 0;
  return created_at;
}

/**
 * lens_sync_plan_page_done:
 * @count: the page's count: how many tasks match the sync's bounds
 * @records: (element-type JsonNode): the page's records, newest first
 *
 * Moves the plan past a page: the next offset, the total, the mark to keep,
 * and whether the sync is finished (the offset reached the count, or the
 * page was empty).
 */
void
lens_sync_plan_page_done (LensSyncPlan *plan,
                          guint         count,
                          GPtrArray    *records)
{
  double newest = 0, oldest = 0;

  g_return_if_fail (plan != NULL);
  g_return_if_fail (records != NULL);
  g_return_if_fail (!plan->finished);

  for (guint i = 0; i < records->len; i++)
    {
      double created_at = record_created_at (g_ptr_array_index (records, i));

      if (created_at <= 0)
        continue;
      newest = MAX (newest, created_at);
      oldest = oldest == 0 ? created_at : MIN (oldest, created_at);
    }

  if (plan->offset == 0)
    {
      plan->n_total = plan->done_before + count;
      /* The first page fixes the span: what is created from now on is the
       * next sync's, and the offsets of this one stay put. A second more,
       * whether the server's bound is inclusive or not: a task created in
       * it only makes a later page repeat one (matched by id), where a
       * bound one second short would make it skip one. */
      if (plan->max == 0 && newest > 0)
        plan->max = newest + LENS_SYNC_PLAN_RESUME_OVERLAP_S;
      if (!plan->resumed)
        plan->mark.pending_newest = newest;
    }

  plan->offset += records->len;
  if (oldest > 0)
    plan->mark.pending_oldest = plan->mark.pending_oldest == 0
                                ? oldest : MIN (plan->mark.pending_oldest, oldest);
  plan->mark.pending_done = plan->done_before + plan->offset;

  if (records->len == 0 || plan->offset >= count)
    {
      plan->finished = TRUE;
      plan->n_total = plan->done_before + plan->offset;
      plan->mark.complete_newest = MAX (plan->mark.complete_newest, plan->mark.pending_newest);
      plan->mark.pending_newest = 0;
      plan->mark.pending_oldest = 0;
      plan->mark.pending_done = 0;
    }
}

/* Tasks of this sync seen so far, with those of the sync it resumes. */
guint
lens_sync_plan_get_n_done (const LensSyncPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->done_before + plan->offset;
}
