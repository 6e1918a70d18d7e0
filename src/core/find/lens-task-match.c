/* lens-task-match.c — which tasks a search and the filters let through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A match is decided once per task for 100,000 tasks every time the search
 * changes, on the main thread (GtkFilterListModel asks it): so everything
 * that can be worked out before is, when the match is built, and deciding
 * is a few bit tests and hash lookups, allocating nothing.
 *
 * Every word of the search must match the task: its prompt contains the
 * word (the store answers that for every task at once, as a set of ids),
 * or its id, its type or its state does — the state in English as the API says
 * it or in words of the user's language, the type as the API says it or as
 * Tasklens shows it. Those words are few, so each word of the search keeps
 * which states and which named types it matches, as bits. A type that
 * Tasklens has no words for is shown as the server sent it, and is compared
 * as it is, ignoring the case of ASCII letters. The id is compared in
 * memory only, never by the store: so a task the store does not have yet
 * (just added) is found by its id too, and a word in every id ("4000")
 * costs no set of 100,000 ids.
 */

#define G_LOG_DOMAIN "lens-task-match"

#include "config.h"

#include <string.h>

#include "lens-format.h"
#include "lens-task-match.h"

typedef struct
{
  char       *word;           /* owned: casefolded, not empty */
  GHashTable *ids;            /* owned, nullable: ids whose prompt contains the word */
  guint       states;         /* 1 << LensTaskState for each state whose words contain it */
  guint       named_types;    /* 1 << i for each named_types[i] whose words contain it */
} MatchWord;

struct _LensTaskMatch
{
  gatomicrefcount  ref_count;
  LensStateGroups  state_groups;
  LensTypeGroups   type_groups;
  guint            allowed_states;  /* 1 << LensTaskState, from state_groups */
  GArray          *words;           /* of MatchWord */
};

#define N_STATES (LENS_TASK_STATE_STALLED + 1)
#define ALL_STATES ((1u << N_STATES) - 1)
#define ALL_TYPE_GROUPS (LENS_TYPE_GROUP_IMAGINE | LENS_TYPE_GROUP_DESCRIBE | LENS_TYPE_GROUP_VIDEOS \
                         | LENS_TYPE_GROUP_EDITS | LENS_TYPE_GROUP_OTHER)

/* The types that lens_format_term() puts in words of their own; the first
 * four are also the type groups, in the same order. */
static const char * const named_types[] = {
  "imagine", "describe", "videos", "edits", "blend",
};

static int
named_type_index (const char *task_type)
{
  if (task_type == NULL)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (named_types); i++)
    if (strcmp (task_type, named_types[i]) == 0)
      return i;
  return -1;
}

/* Whether @haystack contains @needle (casefolded), ignoring the case of
 * ASCII letters in @haystack; other characters compare as bytes. Allocates
 * nothing: it runs for every task. */
static gboolean
contains_ascii_nocase (const char *haystack,
                       const char *needle)
{
  for (const char *start = haystack; *start != '\0'; start++)
    {
      const char *h = start;
      const char *n = needle;

      while (*n != '\0' && *h != '\0' && g_ascii_tolower (*h) == *n)
        h++, n++;
      if (*n == '\0')
        return TRUE;
      if (*h == '\0')
        return FALSE;
    }
  return *needle == '\0';
}

/* Whether the casefolded @text contains @word (casefolded). */
static gboolean
words_contain (const char *text,
               const char *word)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, word) != NULL;
}

/**
 * lens_state_group_of:
 *
 * Returns: the one group @state is in
 */
LensStateGroups
lens_state_group_of (LensTaskState state)
{
  switch (state)
    {
    case LENS_TASK_STATE_DONE:
      return LENS_STATE_GROUP_DONE;
    case LENS_TASK_STATE_STALLED:
      return LENS_STATE_GROUP_STALLED;
    case LENS_TASK_STATE_FAILED:
      return LENS_STATE_GROUP_FAILED;
    case LENS_TASK_STATE_NOT_FOUND:
      return LENS_STATE_GROUP_NOT_FOUND;
    case LENS_TASK_STATE_QUEUED:
    case LENS_TASK_STATE_PENDING:
    case LENS_TASK_STATE_RUNNING:
    default:
      return LENS_STATE_GROUP_IN_PROGRESS;
    }
}

/**
 * lens_type_group_of:
 * @task_type: (nullable): the API's word for the task's type
 *
 * Returns: the one group @task_type is in
 */
LensTypeGroups
lens_type_group_of (const char *task_type)
{
  int index = named_type_index (task_type);

  return index >= 0 && index < 4 ? 1u << index : LENS_TYPE_GROUP_OTHER;
}

/**
 * lens_task_match_split_words:
 * @text: (nullable): what the user typed
 *
 * Returns: (transfer full): the words of @text, in lower case, each once, in
 *   order; empty words (from double spaces) are left out, as they would
 *   match everything
 */
GStrv
lens_task_match_split_words (const char *text)
{
  /* Lower case, not casefolded: the store's search folds one character to
   * one character, so "straße" must reach it as such to find "Straße";
   * the match casefolds its own copy (lens_task_match_add_word()). */
  g_autofree char *lower = g_utf8_strdown (text != NULL ? text : "", -1);
  g_auto(GStrv) parts = g_strsplit_set (lower, " \t\n\r", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0' && g_hash_table_add (seen, parts[i]))
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

/**
 * lens_task_match_new:
 * @states: the state groups to let through; 0 for all
 * @types: the type groups to let through; 0 for all
 *
 * Returns: (transfer full): a match without words yet
 */
LensTaskMatch *
lens_task_match_new (LensStateGroups states,
                     LensTypeGroups  types)
{
  LensTaskMatch *self = g_new0 (LensTaskMatch, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->state_groups = states;
  self->type_groups = types;
  self->words = g_array_new (FALSE, FALSE, sizeof (MatchWord));

  for (LensTaskState state = 0; state < N_STATES; state++)
    if (states == 0 || (states & lens_state_group_of (state)) != 0)
      self->allowed_states |= 1u << state;
  return self;
}

/**
 * lens_task_match_add_word:
 * @word: a word of lens_task_match_split_words()
 * @ids: (nullable): the ids of the tasks whose prompt contains @word,
 *   lower case; %NULL when they are not known (the store could not search)
 *
 * Adds a word every task must match. The match keeps a reference to @ids.
 */
void
lens_task_match_add_word (LensTaskMatch *self,
                          const char    *word,
                          GHashTable    *ids)
{
  MatchWord match_word = { 0, };

  g_return_if_fail (self != NULL);
  g_return_if_fail (word != NULL && *word != '\0');

  match_word.word = g_utf8_casefold (word, -1);
  /* An empty set finds nothing: without it, deciding a task hashes no id
   * in vain (a word in every id, "4000", is in no prompt). */
  match_word.ids = ids != NULL && g_hash_table_size (ids) > 0 ? g_hash_table_ref (ids) : NULL;

  for (LensTaskState state = 0; state < N_STATES; state++)
    {
      g_autofree char *state_words = lens_format_task_state (state, -1);

      if (words_contain (lens_task_state_to_string (state), word) || words_contain (state_words, word))
        match_word.states |= 1u << state;
    }

  for (guint i = 0; i < G_N_ELEMENTS (named_types); i++)
    {
      g_autofree char *label = lens_format_term (named_types[i]);

      if (words_contain (named_types[i], word) || words_contain (label, word))
        match_word.named_types |= 1u << i;
    }

  g_array_append_val (self->words, match_word);
}

static void
unref_ids_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_hash_table_unref (task_data);
  g_task_return_boolean (task, TRUE);
}

/**
 * lens_task_match_unref_ids:
 * @ids: (nullable) (transfer full): a set of ids a search found
 *
 * Drops a reference to @ids. Freeing the set of a word found in every
 * task (100,000 strings) holds a thread for tens of milliseconds: a large
 * set is let go in a worker thread, so that the last reference, wherever
 * it is dropped, never stalls the main loop.
 */
void
lens_task_match_unref_ids (GHashTable *ids)
{
  g_autoptr(GTask) task = NULL;

  if (ids == NULL)
    return;
  if (g_hash_table_size (ids) < 1000)
    {
      g_hash_table_unref (ids);
      return;
    }
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, lens_task_match_unref_ids);
  g_task_set_task_data (task, ids, NULL);
  g_task_run_in_thread (task, unref_ids_thread);
}

LensTaskMatch *
lens_task_match_ref (LensTaskMatch *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
lens_task_match_unref (LensTaskMatch *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  for (guint i = 0; i < self->words->len; i++)
    {
      MatchWord *word = &g_array_index (self->words, MatchWord, i);

      g_free (word->word);
      lens_task_match_unref_ids (g_steal_pointer (&word->ids));
    }
  g_array_unref (self->words);
  g_free (self);
}

/**
 * lens_task_match_is_all:
 *
 * Returns: whether every task matches (no word, no filter)
 */
gboolean
lens_task_match_is_all (const LensTaskMatch *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->words->len == 0 && self->allowed_states == ALL_STATES
         && (self->type_groups == 0 || self->type_groups == ALL_TYPE_GROUPS);
}

/**
 * lens_task_match_matches:
 *
 * Returns: whether @task passes the filters and matches every word
 */
gboolean
lens_task_match_matches (const LensTaskMatch *self,
                         LensTask            *task)
{
  LensTaskState state = lens_task_get_state (task);
  const char *task_type = lens_task_get_task_type (task);
  const char *id = lens_task_get_id (task);
  int named = -1;

  if ((self->allowed_states & (1u << state)) == 0)
    return FALSE;
  if (self->type_groups != 0 && (self->type_groups & lens_type_group_of (task_type)) == 0)
    return FALSE;

  if (self->words->len > 0)
    named = named_type_index (task_type);

  for (guint i = 0; i < self->words->len; i++)
    {
      const MatchWord *word = &g_array_index (self->words, MatchWord, i);

      if ((word->states & (1u << state)) != 0)
        continue;
      if (named >= 0 ? (word->named_types & (1u << named)) != 0
                     : task_type != NULL && contains_ascii_nocase (task_type, word->word))
        continue;
      if (word->ids != NULL && g_hash_table_contains (word->ids, id))
        continue;
      if (contains_ascii_nocase (id, word->word))
        continue;
      return FALSE;
    }
  return TRUE;
}

/* Whether every word of @b is part of a word of @a: a task that matches
 * all of @a's words then matches all of @b's, since every way of matching
 * is "contains". */
static gboolean
words_cover (const LensTaskMatch *a,
             const LensTaskMatch *b)
{
  for (guint i = 0; i < b->words->len; i++)
    {
      const char *needle = g_array_index (b->words, MatchWord, i).word;
      gboolean covered = FALSE;

      for (guint j = 0; j < a->words->len && !covered; j++)
        covered = strstr (g_array_index (a->words, MatchWord, j).word, needle) != NULL;
      if (!covered)
        return FALSE;
    }
  return TRUE;
}

static guint
allowed_type_groups (const LensTaskMatch *self)
{
  return self->type_groups != 0 ? self->type_groups : ALL_TYPE_GROUPS;
}

/* Whether every task @a lets through, @b lets through too. */
static gboolean
within (const LensTaskMatch *a,
        const LensTaskMatch *b)
{
  return (a->allowed_states & ~b->allowed_states) == 0
         && (allowed_type_groups (a) & ~allowed_type_groups (b)) == 0
         && words_cover (a, b);
}

/**
 * lens_task_match_compare:
 *
 * Returns: how @after relates to @before, so that a list filtered by
 *   @before re-checks only what it must
 */
LensMatchChange
lens_task_match_compare (const LensTaskMatch *before,
                         const LensTaskMatch *after)
{
  g_return_val_if_fail (before != NULL && after != NULL, LENS_MATCH_CHANGE_DIFFERENT);

  if (within (after, before))
    return LENS_MATCH_CHANGE_MORE_STRICT;
  if (within (before, after))
    return LENS_MATCH_CHANGE_LESS_STRICT;
  return LENS_MATCH_CHANGE_DIFFERENT;
}
