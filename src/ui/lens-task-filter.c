/* lens-task-filter.c — which tasks the list shows, as its finder decides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GtkFilter face of a LensTaskFinder: GtkFilterListModel asks it about
 * every task, and it answers with the finder's current match, which decides
 * in constant time without allocating (lens-task-match.c). The finder says
 * when its match changed, and how; the filter passes that on, so that the
 * list re-checks only the tasks that may change.
 */

#define G_LOG_DOMAIN "lens-task-filter"

#include "config.h"

#include "lens-task-filter.h"

struct _LensTaskFilter
{
  GtkFilter       parent_instance;

  LensTaskFinder *finder;  /* owned */
  LensTaskMatch  *match;   /* owned: the finder's, kept here for speed */
};

G_DEFINE_FINAL_TYPE (LensTaskFilter, lens_task_filter, GTK_TYPE_FILTER)

static gboolean
lens_task_filter_match (GtkFilter *filter,
                        gpointer   item)
{
  return lens_task_match_matches (LENS_TASK_FILTER (filter)->match, item);
}

static GtkFilterMatch
lens_task_filter_get_strictness (GtkFilter *filter)
{
  return lens_task_match_is_all (LENS_TASK_FILTER (filter)->match) ? GTK_FILTER_MATCH_ALL
                                                                   : GTK_FILTER_MATCH_SOME;
}

static void
finder_changed_cb (LensTaskFilter  *self,
                   LensMatchChange  change)
{
  g_clear_pointer (&self->match, lens_task_match_unref);
  self->match = lens_task_match_ref (lens_task_finder_get_match (self->finder));

  switch (change)
    {
    case LENS_MATCH_CHANGE_LESS_STRICT:
      gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_LESS_STRICT);
      break;
    case LENS_MATCH_CHANGE_MORE_STRICT:
      gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_MORE_STRICT);
      break;
    case LENS_MATCH_CHANGE_DIFFERENT:
    default:
      gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
      break;
    }
}

static void
lens_task_filter_dispose (GObject *object)
{
  LensTaskFilter *self = LENS_TASK_FILTER (object);

  if (self->finder != NULL)
    g_signal_handlers_disconnect_by_func (self->finder, finder_changed_cb, self);
  g_clear_object (&self->finder);

  G_OBJECT_CLASS (lens_task_filter_parent_class)->dispose (object);
}

static void
lens_task_filter_finalize (GObject *object)
{
  g_clear_pointer (&LENS_TASK_FILTER (object)->match, lens_task_match_unref);

  G_OBJECT_CLASS (lens_task_filter_parent_class)->finalize (object);
}

static void
lens_task_filter_class_init (LensTaskFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);

  object_class->dispose = lens_task_filter_dispose;
  object_class->finalize = lens_task_filter_finalize;
  filter_class->match = lens_task_filter_match;
  filter_class->get_strictness = lens_task_filter_get_strictness;
}

static void
lens_task_filter_init (LensTaskFilter *self)
{
}

/**
 * lens_task_filter_new:
 * @finder: what decides which tasks match
 */
LensTaskFilter *
lens_task_filter_new (LensTaskFinder *finder)
{
  LensTaskFilter *self;

  g_return_val_if_fail (LENS_IS_TASK_FINDER (finder), NULL);

  self = g_object_new (LENS_TYPE_TASK_FILTER, NULL);
  self->finder = g_object_ref (finder);
  self->match = lens_task_match_ref (lens_task_finder_get_match (finder));
  g_signal_connect_swapped (finder, "changed", G_CALLBACK (finder_changed_cb), self);
  return self;
}
