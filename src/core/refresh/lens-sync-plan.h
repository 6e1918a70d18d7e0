/* lens-sync-plan.h — which page a sync asks for next, and what it keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "lens-client.h"

G_BEGIN_DECLS

/* Tasks created within this many seconds of the newest one a completed sync
 * saw are asked for again: several tasks are created in the same second. */
#define LENS_SYNC_PLAN_NEWEST_OVERLAP_S 2.0
/* A resumed sync asks again for the second it stopped in. */
#define LENS_SYNC_PLAN_RESUME_OVERLAP_S 1.0

/**
 * LensSyncMark:
 * @complete_newest: the created_at of the newest task the last complete
 *   sync covered: every task created up to then has been brought in; 0
 *   before the first complete sync
 * @pending_newest: the created_at of the newest task the unfinished sync
 *   saw; 0 when none is unfinished
 * @pending_oldest: the created_at of the oldest task the unfinished sync
 *   reached; 0 when none is unfinished
 * @pending_done: how many tasks the unfinished sync has seen
 *
 * How far syncing an account got: what the settings keep per API URL
 * (`sync-state`), written after every page.
 */
typedef struct
{
  double complete_newest;
  double pending_newest;
  double pending_oldest;
  guint  pending_done;
} LensSyncMark;

/**
 * LensSyncPlan:
 *
 * One sync, page by page, as a plain struct: no clock, no HTTP. Made from
 * the mark that was kept; each page's answer moves it on. Newest first:
 * the first page fixes `created_at_max` for the rest, so that tasks created
 * while the sync runs do not shift the offsets (they are the next sync's).
 * Fields are read-only outside lens-sync-plan.c.
 */
typedef struct
{
  LensSyncMark mark;         /* what to keep after the last page */
  double       min;          /* created_at_min of every page; 0 for none */
  double       max;          /* created_at_max; 0 until the first page fixes it */
  guint        offset;       /* of the next page */
  guint        done_before;  /* tasks seen by the sync this one resumes */
  guint        n_total;      /* 0 until the first page */
  gboolean     resumed;
  gboolean     finished;
} LensSyncPlan;

void     lens_sync_plan_init      (LensSyncPlan       *plan,
                                   const LensSyncMark *mark);
void     lens_sync_plan_get_query (const LensSyncPlan *plan,
                                   guint               limit,
                                   LensListQuery      *query);
void     lens_sync_plan_page_done (LensSyncPlan       *plan,
                                   guint               count,
                                   GPtrArray          *records);
guint    lens_sync_plan_get_n_done (const LensSyncPlan *plan);

G_END_DECLS
