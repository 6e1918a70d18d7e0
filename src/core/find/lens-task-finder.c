/* lens-task-finder.c — the search text and filters of a task list, as one match
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prompts are not in memory (only the tasks on screen have them), so the
 * store looks each word of the search up in its reader thread, one query
 * per word. The answers are kept for the words of the current text: typing
 * "cat table" after "cat" asks only for "table". A word that leaves the
 * text has its query cancelled, and an answer that comes for it anyway is
 * ignored.
 *
 * A search entry waits for a pause in the typing before it hands the text
 * over. The finder is told of each keystroke at once
 * (lens_task_finder_prepare()), and looks the words typed so far up
 * meanwhile: by the time the text comes, its answers are in, or on their
 * way. A word typed further ("ca" → "cat") has its early query cancelled.
 *
 * While any word is unanswered the finder keeps its previous match, so the
 * list goes on showing what it showed instead of flashing empty or full;
 * once every word is answered it builds the new match (LensTaskMatch,
 * which decides a task in constant time) and says "changed" once, with how
 * the new match relates to the old one, so that the list re-checks only
 * what it must. The state and type filters need no query and apply at
 * once, over the words already answered.
 *
 * The answers are as the store had the prompts when it was asked: a task
 * whose record arrives afterwards is matched by its old prompt (or none)
 * until the search text changes.
 */

#define G_LOG_DOMAIN "lens-task-finder"

#include "config.h"

#include "lens-core-enums.h"
#include "lens-task-finder.h"

/* One word of the text and what the store answered for it. Reference
 * counted: its query's callback holds it, and may outlive its place in the
 * text. */
typedef struct
{
  char           *word;         /* owned: in lower case (lens_task_match_split_words()) */
  GHashTable     *ids;          /* owned, nullable: the answer */
  gboolean        answered;
  GCancellable   *cancellable;  /* owned */
  LensTaskFinder *finder;       /* unowned, nullable: NULL once the word left the text */
} WordQuery;

struct _LensTaskFinder
{
  GObject               parent_instance;

  GObject              *source;         /* owned, nullable */
  LensWordSearchAsync   search_async;
  LensWordSearchFinish  search_finish;
  LensWordSearchPrepare prepare;        /* nullable */

  char                 *text;           /* owned */
  LensStateGroups       states;
  LensTypeGroups        types;
  GPtrArray            *queries;        /* owned, of WordQuery: the text's words, in order */
  GPtrArray            *ahead;          /* owned, of WordQuery: words typed, not yet the text's */
  GPtrArray            *applied;        /* owned, of WordQuery: the words of match */
  LensTaskMatch        *match;          /* owned */
  gboolean              searching;
  gboolean              filtering;
};

enum {
  PROP_0,
  PROP_TEXT,
  PROP_STATES,
  PROP_TYPES,
  PROP_SEARCHING,
  PROP_FILTERING,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LensTaskFinder, lens_task_finder, G_TYPE_OBJECT)

/* ─── word queries ─────────────────────────────────────────────────────── */

static void
word_query_clear (gpointer data)
{
  WordQuery *query = data;

  g_free (query->word);
  lens_task_match_unref_ids (g_steal_pointer (&query->ids));
  g_clear_object (&query->cancellable);
}

static WordQuery *
word_query_ref (WordQuery *query)
{
  return g_rc_box_acquire (query);
}

static void
word_query_unref (WordQuery *query)
{
  g_rc_box_release_full (query, word_query_clear);
}

/* The word is no longer searched for: its answer is not wanted. */
static void
word_query_detach (gpointer data)
{
  WordQuery *query = data;

  query->finder = NULL;
  g_cancellable_cancel (query->cancellable);
  word_query_unref (query);
}

static WordQuery *
find_query (GPtrArray  *queries,
            const char *word)
{
  for (guint i = 0; i < queries->len; i++)
    {
      WordQuery *query = g_ptr_array_index (queries, i);

      if (g_strcmp0 (query->word, word) == 0)
        return query;
    }
  return NULL;
}

/* ─── the match ────────────────────────────────────────────────────────── */

static void
set_searching (LensTaskFinder *self,
               gboolean        searching)
{
  if (self->searching == searching)
    return;
  self->searching = searching;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCHING]);
}

static void
update_filtering (LensTaskFinder *self)
{
  gboolean filtering = self->queries->len > 0 || self->states != 0 || self->types != 0;

  if (self->filtering == filtering)
    return;
  self->filtering = filtering;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTERING]);
}

static gboolean
same_queries (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_ptr_array_index (a, i) != g_ptr_array_index (b, i))
      return FALSE;
  return TRUE;
}

/* Makes the match of @queries (all answered) and the current filters the
 * finder's, and says so unless nothing changed. */
static void
apply (LensTaskFinder *self,
       GPtrArray      *queries)
{
  g_autoptr(LensTaskMatch) before = g_steal_pointer (&self->match);
  g_autoptr(GPtrArray) applied = g_ptr_array_new_with_free_func ((GDestroyNotify) word_query_unref);
  LensMatchChange change;

  for (guint i = 0; i < queries->len; i++)
    g_ptr_array_add (applied, word_query_ref (g_ptr_array_index (queries, i)));

  self->match = lens_task_match_new (self->states, self->types);
  for (guint i = 0; i < applied->len; i++)
    {
      WordQuery *query = g_ptr_array_index (applied, i);

      g_assert (query->answered);
      lens_task_match_add_word (self->match, query->word, query->ids);
    }

  if (before != NULL && same_queries (applied, self->applied)
      && lens_task_match_compare (before, self->match) == LENS_MATCH_CHANGE_MORE_STRICT
      && lens_task_match_compare (self->match, before) == LENS_MATCH_CHANGE_MORE_STRICT)
    {
      /* Nothing that decides a task changed (a trailing space, a filter
       * set to what it was). */
      g_ptr_array_unref (self->applied);
      self->applied = g_steal_pointer (&applied);
      return;
    }

  change = before != NULL ? lens_task_match_compare (before, self->match) : LENS_MATCH_CHANGE_DIFFERENT;
  g_ptr_array_unref (self->applied);
  self->applied = g_steal_pointer (&applied);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, change);
}

static gboolean
all_answered (GPtrArray *queries)
{
  for (guint i = 0; i < queries->len; i++)
    if (!((WordQuery *) g_ptr_array_index (queries, i))->answered)
      return FALSE;
  return TRUE;
}

/* After the text or a filter changed, or an answer came. */
static void
update_match (LensTaskFinder *self,
              gboolean        filters_changed)
{
  update_filtering (self);

  if (all_answered (self->queries))
    {
      apply (self, self->queries);
      set_searching (self, FALSE);
      return;
    }

  /* Still waiting for a word: the filters apply now, with the words that
   * were answered before. */
  if (filters_changed)
    apply (self, self->applied);
  set_searching (self, TRUE);
}

static void
search_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  WordQuery *query = user_data;
  LensTaskFinder *finder = query->finder;
  g_autoptr(GError) error = NULL;
  GHashTable *ids = NULL;

  if (finder != NULL)
    ids = finder->search_finish (source_object, result, &error);

  if (finder == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Superseded: the word left the text. */
      lens_task_match_unref_ids (g_steal_pointer (&ids));
      word_query_unref (query);
      return;
    }

  if (error != NULL)
    /* Without the store, the word still matches ids, types and states. */
    g_debug ("Could not search the prompts for “%s”: %s", query->word, error->message);

  query->ids = ids;
  query->answered = TRUE;
  /* A word looked up ahead waits for the text to name it. */
  if (g_ptr_array_find (finder->queries, query, NULL))
    update_match (finder, FALSE);
  word_query_unref (query);
}

static WordQuery *
start_query (LensTaskFinder *self,
             const char     *word)
{
  WordQuery *query = g_rc_box_new0 (WordQuery);

  query->word = g_strdup (word);
  query->cancellable = g_cancellable_new ();
  query->finder = self;

  if (self->search_async == NULL)
    query->answered = TRUE;
  else
    self->search_async (self->source, word, query->cancellable, search_cb, word_query_ref (query));
  return query;
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_task_finder_dispose (GObject *object)
{
  LensTaskFinder *self = LENS_TASK_FINDER (object);

  /* Answers still on their way find their words detached. */
  if (self->queries != NULL)
    g_ptr_array_set_size (self->queries, 0);
  if (self->ahead != NULL)
    g_ptr_array_set_size (self->ahead, 0);
  if (self->applied != NULL)
    g_ptr_array_set_size (self->applied, 0);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (lens_task_finder_parent_class)->dispose (object);
}

static void
lens_task_finder_finalize (GObject *object)
{
  LensTaskFinder *self = LENS_TASK_FINDER (object);

  g_clear_pointer (&self->queries, g_ptr_array_unref);
  g_clear_pointer (&self->ahead, g_ptr_array_unref);
  g_clear_pointer (&self->applied, g_ptr_array_unref);
  g_clear_pointer (&self->match, lens_task_match_unref);
  g_free (self->text);

  G_OBJECT_CLASS (lens_task_finder_parent_class)->finalize (object);
}

static void
lens_task_finder_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LensTaskFinder *self = LENS_TASK_FINDER (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_STATES:
      g_value_set_flags (value, self->states);
      break;
    case PROP_TYPES:
      g_value_set_flags (value, self->types);
      break;
    case PROP_SEARCHING:
      g_value_set_boolean (value, self->searching);
      break;
    case PROP_FILTERING:
      g_value_set_boolean (value, self->filtering);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_finder_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LensTaskFinder *self = LENS_TASK_FINDER (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      lens_task_finder_set_text (self, g_value_get_string (value));
      break;
    case PROP_STATES:
      lens_task_finder_set_states (self, g_value_get_flags (value));
      break;
    case PROP_TYPES:
      lens_task_finder_set_types (self, g_value_get_flags (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_finder_class_init (LensTaskFinderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_task_finder_dispose;
  object_class->finalize = lens_task_finder_finalize;
  object_class->get_property = lens_task_finder_get_property;
  object_class->set_property = lens_task_finder_set_property;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATES] =
    g_param_spec_flags ("states", NULL, NULL, LENS_TYPE_STATE_GROUPS, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TYPES] =
    g_param_spec_flags ("types", NULL, NULL, LENS_TYPE_TYPE_GROUPS, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Whether a word of the text is still being looked up. */
  properties[PROP_SEARCHING] =
    g_param_spec_boolean ("searching", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Whether the text or a filter lets only some tasks through. */
  properties[PROP_FILTERING] =
    g_param_spec_boolean ("filtering", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LensTaskFinder::changed:
   * @change: a #LensMatchChange: how the new match relates to the one before
   *
   * The match changed (lens_task_finder_get_match()).
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LENS_TYPE_MATCH_CHANGE);
}

static void
lens_task_finder_init (LensTaskFinder *self)
{
  self->text = g_strdup ("");
  self->queries = g_ptr_array_new_with_free_func (word_query_detach);
  self->ahead = g_ptr_array_new_with_free_func (word_query_detach);
  self->applied = g_ptr_array_new_with_free_func ((GDestroyNotify) word_query_unref);
  self->match = lens_task_match_new (0, 0);
}

/* ─── public ───────────────────────────────────────────────────────────── */

/**
 * lens_task_finder_new:
 * @source: (nullable): handed to @search_async and @search_finish
 * @search_async: (nullable): looks a word up in every prompt;
 *   %NULL matches words against ids, types and states only
 * @search_finish: (nullable): its end
 */
LensTaskFinder *
lens_task_finder_new (GObject              *source,
                      LensWordSearchAsync   search_async,
                      LensWordSearchFinish  search_finish)
{
  LensTaskFinder *self = g_object_new (LENS_TYPE_TASK_FINDER, NULL);

  g_return_val_if_fail ((search_async == NULL) == (search_finish == NULL), self);

  self->source = source != NULL ? g_object_ref (source) : NULL;
  self->search_async = search_async;
  self->search_finish = search_finish;
  return self;
}

static void
store_search_async (gpointer             source,
                    const char          *word,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  lens_task_store_search_async (source, word, cancellable, callback, user_data);
}

static GHashTable *
store_search_finish (gpointer       source,
                     GAsyncResult  *result,
                     GError       **error)
{
  return lens_task_store_search_finish (source, result, error);
}

static void
store_prepare (gpointer source)
{
  lens_task_store_prepare_search (source);
}

/**
 * lens_task_finder_new_for_store:
 *
 * Returns: (transfer full): a finder whose words are looked up in @store
 */
LensTaskFinder *
lens_task_finder_new_for_store (LensTaskStore *store)
{
  LensTaskFinder *self;

  g_return_val_if_fail (LENS_IS_TASK_STORE (store), NULL);

  self = lens_task_finder_new (G_OBJECT (store), store_search_async, store_search_finish);
  lens_task_finder_set_prepare (self, store_prepare);
  return self;
}

/**
 * lens_task_finder_set_prepare:
 * @prepare: (nullable): called with the source by lens_task_finder_prepare()
 */
void
lens_task_finder_set_prepare (LensTaskFinder        *self,
                              LensWordSearchPrepare  prepare)
{
  g_return_if_fail (LENS_IS_TASK_FINDER (self));
  self->prepare = prepare;
}

/**
 * lens_task_finder_prepare:
 * @text: (nullable): what is typed so far
 *
 * The user is typing a search that the finder will hear of a moment later
 * (a search entry waits for a pause in the typing). The source makes ready
 * what the search will need, off the main thread: the store reads its copy
 * of the prompts, which words of 1 and 2 characters are looked for in. And
 * the words of @text are looked up now, so that when the text comes its
 * answers are in or on their way; the words looked up ahead at the last
 * keystroke that @text no longer has are cancelled.
 */
void
lens_task_finder_prepare (LensTaskFinder *self,
                          const char     *text)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) ahead = NULL;

  g_return_if_fail (LENS_IS_TASK_FINDER (self));

  if (self->prepare != NULL)
    self->prepare (self->source);
  if (text == NULL)
    return;

  words = lens_task_match_split_words (text);
  ahead = g_ptr_array_new_with_free_func (word_query_detach);
  for (guint i = 0; words[i] != NULL; i++)
    {
      WordQuery *known = find_query (self->ahead, words[i]);

      if (find_query (self->queries, words[i]) != NULL)
        continue;
      g_ptr_array_add (ahead, known != NULL ? word_query_ref (known) : start_query (self, words[i]));
    }
  /* The words that stay are in both arrays; the others are cancelled. */
  for (guint i = 0; i < ahead->len; i++)
    {
      guint index;

      if (g_ptr_array_find (self->ahead, g_ptr_array_index (ahead, i), &index))
        word_query_unref (g_ptr_array_steal_index_fast (self->ahead, index));
    }
  g_ptr_array_unref (self->ahead);
  self->ahead = g_steal_pointer (&ahead);
}

/**
 * lens_task_finder_set_text:
 * @text: (nullable): what the user typed; every word of it must match
 */
void
lens_task_finder_set_text (LensTaskFinder *self,
                           const char     *text)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) queries = NULL;

  g_return_if_fail (LENS_IS_TASK_FINDER (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);

  words = lens_task_match_split_words (text);
  queries = g_ptr_array_new_with_free_func (word_query_detach);
  for (guint i = 0; words[i] != NULL; i++)
    {
      WordQuery *known = find_query (self->queries, words[i]);

      if (known == NULL)
        known = find_query (self->ahead, words[i]);
      g_ptr_array_add (queries, known != NULL ? word_query_ref (known) : start_query (self, words[i]));
    }

  /* Words that stay are in both arrays; the others are detached and their
   * queries cancelled. */
  for (guint i = 0; i < queries->len; i++)
    {
      guint index;

      if (g_ptr_array_find (self->queries, g_ptr_array_index (queries, i), &index))
        word_query_unref (g_ptr_array_steal_index_fast (self->queries, index));
      if (g_ptr_array_find (self->ahead, g_ptr_array_index (queries, i), &index))
        word_query_unref (g_ptr_array_steal_index_fast (self->ahead, index));
    }
  g_ptr_array_unref (self->queries);
  self->queries = g_steal_pointer (&queries);
  /* What was looked up ahead and is not in the text is not wanted. */
  g_ptr_array_set_size (self->ahead, 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  update_match (self, FALSE);
}

const char *
lens_task_finder_get_text (LensTaskFinder *self)
{
  g_return_val_if_fail (LENS_IS_TASK_FINDER (self), NULL);
  return self->text;
}

/**
 * lens_task_finder_set_states:
 * @states: the groups of states to show; 0 for every state
 */
void
lens_task_finder_set_states (LensTaskFinder  *self,
                             LensStateGroups  states)
{
  g_return_if_fail (LENS_IS_TASK_FINDER (self));

  if (self->states == states)
    return;
  self->states = states;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATES]);
  update_match (self, TRUE);
}

LensStateGroups
lens_task_finder_get_states (LensTaskFinder *self)
{
  g_return_val_if_fail (LENS_IS_TASK_FINDER (self), 0);
  return self->states;
}

/**
 * lens_task_finder_set_types:
 * @types: the groups of task types to show; 0 for every type
 */
void
lens_task_finder_set_types (LensTaskFinder *self,
                            LensTypeGroups  types)
{
  g_return_if_fail (LENS_IS_TASK_FINDER (self));

  if (self->types == types)
    return;
  self->types = types;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TYPES]);
  update_match (self, TRUE);
}

LensTypeGroups
lens_task_finder_get_types (LensTaskFinder *self)
{
  g_return_val_if_fail (LENS_IS_TASK_FINDER (self), 0);
  return self->types;
}

/**
 * lens_task_finder_clear:
 *
 * Forgets the text and both filters: every task matches again, in one
 * change.
 */
void
lens_task_finder_clear (LensTaskFinder *self)
{
  g_return_if_fail (LENS_IS_TASK_FINDER (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->states != 0)
    {
      self->states = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATES]);
    }
  if (self->types != 0)
    {
      self->types = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TYPES]);
    }
  /* Without words every query is answered: this applies the filters too. */
  if (*self->text != '\0')
    lens_task_finder_set_text (self, "");
  else
    update_match (self, TRUE);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * lens_task_finder_get_searching:
 *
 * Returns: whether a word of the text is still being looked up (the match
 *   is still the one before it)
 */
gboolean
lens_task_finder_get_searching (LensTaskFinder *self)
{
  g_return_val_if_fail (LENS_IS_TASK_FINDER (self), FALSE);
  return self->searching;
}

/**
 * lens_task_finder_get_filtering:
 *
 * Returns: whether the text or a filter is set
 */
gboolean
lens_task_finder_get_filtering (LensTaskFinder *self)
{
  g_return_val_if_fail (LENS_IS_TASK_FINDER (self), FALSE);
  return self->filtering;
}

/**
 * lens_task_finder_get_match:
 *
 * Returns: (transfer none): what decides which tasks are shown; replaced at
 *   every "changed"
 */
LensTaskMatch *
lens_task_finder_get_match (LensTaskFinder *self)
{
  g_return_val_if_fail (LENS_IS_TASK_FINDER (self), NULL);
  return self->match;
}
