/* lens-turn-budget.h — one time budget for the slices of work that share a main-loop turn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the slices of one turn of the main loop may take together. */
#define LENS_TURN_BUDGET_US    5000
/* What a slice may always take, however late it comes in the turn. */
#define LENS_TURN_MIN_SLICE_US 1000
/* How many items a slice goes through between two looks at the clock. */
#define LENS_TURN_CLOCK_EVERY  64

gint64 lens_turn_budget_until (gint64 own_budget_us);

G_END_DECLS
