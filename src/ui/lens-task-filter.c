/* lens-task-filter.c — which tasks a search shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every word of the search must appear somewhere in the task's prompt, id,
 * type or state — the state in English as the API says it, or in words in
 * the user's language — ignoring case.
 */

#define G_LOG_DOMAIN "lens-task-filter"

#include "config.h"

#include <string.h>

#include "lens-format.h"
#include "lens-task.h"
#include "lens-task-filter.h"

struct _LensTaskFilter
{
  GtkFilter   parent_instance;

  char      **words;  /* owned, nullable: casefolded, none empty */
};

G_DEFINE_FINAL_TYPE (LensTaskFilter, lens_task_filter, GTK_TYPE_FILTER)

static gboolean
lens_task_filter_match (GtkFilter *filter,
                        gpointer   item)
{
  LensTaskFilter *self = LENS_TASK_FILTER (filter);
  LensTask *task = item;
  LensTaskState state = lens_task_get_state (task);
  g_autofree char *state_words = NULL;
  g_autofree char *haystack = NULL;
  g_autofree char *folded = NULL;

  if (self->words == NULL)
    return TRUE;

  state_words = lens_format_task_state (state, -1);
  haystack = g_strjoin (" ",
                        lens_task_get_id (task),
                        lens_task_get_prompt (task) != NULL ? lens_task_get_prompt (task) : "",
                        lens_task_get_task_type (task) != NULL ? lens_task_get_task_type (task) : "",
                        lens_task_state_to_string (state),
                        state_words,
                        NULL);
  folded = g_utf8_casefold (haystack, -1);

  for (guint i = 0; self->words[i] != NULL; i++)
    if (strstr (folded, self->words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static GtkFilterMatch
lens_task_filter_get_strictness (GtkFilter *filter)
{
  return LENS_TASK_FILTER (filter)->words == NULL ? GTK_FILTER_MATCH_ALL : GTK_FILTER_MATCH_SOME;
}

static void
lens_task_filter_finalize (GObject *object)
{
  g_strfreev (LENS_TASK_FILTER (object)->words);

  G_OBJECT_CLASS (lens_task_filter_parent_class)->finalize (object);
}

static void
lens_task_filter_class_init (LensTaskFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkFilterClass *filter_class = GTK_FILTER_CLASS (klass);

  object_class->finalize = lens_task_filter_finalize;
  filter_class->match = lens_task_filter_match;
  filter_class->get_strictness = lens_task_filter_get_strictness;
}

static void
lens_task_filter_init (LensTaskFilter *self)
{
}

LensTaskFilter *
lens_task_filter_new (void)
{
  return g_object_new (LENS_TYPE_TASK_FILTER, NULL);
}

/**
 * lens_task_filter_set_search:
 * @search: (nullable): what the user typed
 */
void
lens_task_filter_set_search (LensTaskFilter *self,
                             const char     *search)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  guint kept = 0;

  g_return_if_fail (LENS_IS_TASK_FILTER (self));

  folded = g_utf8_casefold (search != NULL ? search : "", -1);
  words = g_strsplit_set (g_strstrip (folded), " \t", -1);

  /* Empty words from double spaces would match everything. */
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] != '\0')
        words[kept++] = words[i];
      else
        g_free (words[i]);
    }
  words[kept] = NULL;

  g_strfreev (self->words);
  self->words = kept > 0 ? g_steal_pointer (&words) : NULL;
  gtk_filter_changed (GTK_FILTER (self), GTK_FILTER_CHANGE_DIFFERENT);
}

gboolean
lens_task_filter_is_empty (LensTaskFilter *self)
{
  g_return_val_if_fail (LENS_IS_TASK_FILTER (self), TRUE);
  return self->words == NULL;
}
