/* lens-action-spans.h — which action of the user's each task of the list
 * came from, by position
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LensActionSpans LensActionSpans;

LensActionSpans *lens_action_spans_new           (void);
void             lens_action_spans_free          (LensActionSpans *spans);
void             lens_action_spans_end_action    (LensActionSpans *spans,
                                                  guint            n_items);
guint           *lens_action_spans_group_at      (LensActionSpans *spans,
                                                  guint            position,
                                                  guint           *out_end);
void             lens_action_spans_passed        (LensActionSpans *spans,
                                                  guint            position);
void             lens_action_spans_items_changed (LensActionSpans *spans,
                                                  guint            position,
                                                  guint            removed,
                                                  guint            added);
guint            lens_action_spans_get_n_ended   (LensActionSpans *spans);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensActionSpans, lens_action_spans_free)

G_END_DECLS
