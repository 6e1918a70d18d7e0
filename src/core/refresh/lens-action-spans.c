/* lens-action-spans.c — which action of the user's each task of the list
 * came from, by position
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What one action of the user's adds (a text pasted, a file imported) is
 * looked up as one group of requests (lens-scheduler.c lets a small group
 * pass a large one). The refresher learns of new tasks by passing over the
 * list, in slices over many turns of the main loop, so it may reach the
 * end of a large paste after the user has pasted a few more ids: the
 * group is a matter of where a task is in the list, not of when the pass
 * gets to it. New tasks are appended, so each action is a span of
 * positions: this keeps where each action not yet passed over ends, and
 * its group, and moves those ends as tasks before them leave or come back
 * (undo puts removed tasks back where they were).
 *
 * The group ids are LensClient's, made when the first request of an action
 * goes (0 until then): the spans hand out a pointer to where each is kept.
 */

#include "config.h"

#include "lens-action-spans.h"

typedef struct
{
  guint end;    /* the position after the action's last task */
  guint group;  /* its group of requests; 0 until its first request */
} ActionEnd;

struct _LensActionSpans
{
  GArray *ended;      /* of ActionEnd: actions not passed over yet, oldest first */
  guint   new_group;  /* of the action under way, after all of them */
};

/* Actions ended while no pass came (while the refresher is paused, say)
 * would pile up: past this many, the oldest two become one. */
#define MAX_ENDED 32

LensActionSpans *
lens_action_spans_new (void)
{
  LensActionSpans *spans = g_new0 (LensActionSpans, 1);

  spans->ended = g_array_new (FALSE, FALSE, sizeof (ActionEnd));
  return spans;
}

void
lens_action_spans_free (LensActionSpans *spans)
{
  if (spans == NULL)
    return;
  g_array_unref (spans->ended);
  g_free (spans);
}

/**
 * lens_action_spans_end_action:
 * @n_items: how many tasks the list has now
 *
 * Says that the action under way is over and another starts: the tasks
 * appended from now on are the new one's.
 */
void
lens_action_spans_end_action (LensActionSpans *spans,
                              guint            n_items)
{
  ActionEnd ended = { n_items, spans->new_group };

  spans->new_group = 0;
  /* An action that added nothing after the one before it has no span. */
  if (spans->ended->len > 0
      && g_array_index (spans->ended, ActionEnd, spans->ended->len - 1).end >= n_items)
    return;
  if (spans->ended->len == MAX_ENDED)
    g_array_remove_index (spans->ended, 0);
  g_array_append_val (spans->ended, ended);
}

/**
 * lens_action_spans_group_at:
 * @position: a task's position in the list
 * @out_end: (out): the position after the last task of its action, or
 *   G_MAXUINT for the action under way
 *
 * Returns: (transfer none): where the group of the action the task at
 *   @position came from is kept: 0 until the caller makes one
 */
guint *
lens_action_spans_group_at (LensActionSpans *spans,
                            guint            position,
                            guint           *out_end)
{
  for (guint i = 0; i < spans->ended->len; i++)
    {
      ActionEnd *ended = &g_array_index (spans->ended, ActionEnd, i);

      if (position < ended->end)
        {
          *out_end = ended->end;
          return &ended->group;
        }
    }
  *out_end = G_MAXUINT;
  return &spans->new_group;
}

/**
 * lens_action_spans_passed:
 * @position: how far a pass over the list has gone
 *
 * Forgets the actions that end at or before @position: every task of
 * theirs has been looked at.
 */
void
lens_action_spans_passed (LensActionSpans *spans,
                          guint            position)
{
  guint n = 0;

  while (n < spans->ended->len && g_array_index (spans->ended, ActionEnd, n).end <= position)
    n++;
  g_array_remove_range (spans->ended, 0, n);
}

/**
 * lens_action_spans_items_changed:
 *
 * Follows the list's ::items-changed: tasks removed before an action's end
 * move it back, tasks put back before it move it on. Tasks appended at the
 * end of the list are the action under way's.
 */
void
lens_action_spans_items_changed (LensActionSpans *spans,
                                 guint            position,
                                 guint            removed,
                                 guint            added)
{
  for (guint i = 0; i < spans->ended->len; i++)
    {
      ActionEnd *ended = &g_array_index (spans->ended, ActionEnd, i);

      if (ended->end <= position)
        continue;
      ended->end -= MIN (removed, ended->end - position);
      ended->end += added;
    }
}

/**
 * lens_action_spans_get_n_ended:
 *
 * Returns: how many ended actions a pass has not gone past yet
 */
guint
lens_action_spans_get_n_ended (LensActionSpans *spans)
{
  return spans->ended->len;
}
