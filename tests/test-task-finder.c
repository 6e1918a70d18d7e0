/* test-task-finder.c — which tasks a search and the filters let through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensTaskMatch decides one task (words × the store's id sets × state and
 * type words, state and type filters); LensTaskFinder turns the text into
 * one query per word, through a search function the test answers by hand.
 */

#include "config.h"

#include "lens-task-finder.h"
#include "lens-test.h"

#define CAT_ID  "7489df4c-ef03-4de0-b598-e9a590793434"
#define GIRL_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define VIDEO_ID "0a1b2c3d-0000-4000-8000-000000000001"
#define ODD_ID  "0a1b2c3d-0000-4000-8000-000000000002"

static LensTask *
make_task (const char    *id,
           LensTaskState  state,
           const char    *task_type)
{
  LensTaskSummary summary = {
    .id = id, .state = state, .progress = -1, .task_type = task_type,
    .created_at = -1, .finished_at = -1,
  };

  return lens_task_new_from_summary (&summary);
}

static GHashTable *
id_set (const char *first_id,
        ...)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  va_list args;

  va_start (args, first_id);
  for (const char *id = first_id; id != NULL; id = va_arg (args, const char *))
    g_hash_table_add (ids, g_strdup (id));
  va_end (args);
  return ids;
}

/* ─── LensTaskMatch ────────────────────────────────────────────────────── */

static void
test_split_words (void)
{
  g_auto(GStrv) words = lens_task_match_split_words ("  Cat\tTABLE  cat ");
  g_auto(GStrv) none = lens_task_match_split_words ("   ");

  g_assert_cmpstrv (words, ((const char *[]) { "cat", "table", NULL }));
  g_assert_cmpstrv (none, ((const char *[]) { NULL }));
}

/* The store's search folds one character to one character: a word reaches
 * it in lower case, not casefolded ("straße", not "strasse", which would
 * not find "Straße"). */
static void
test_split_words_lower_case (void)
{
  g_auto(GStrv) words = lens_task_match_split_words ("Straße ΣΟΦΙΑ");

  g_assert_cmpstrv (words, ((const char *[]) { "straße", "σοφια", NULL }));
}

/* A prompt word matches the tasks the store found it in, and only those:
 * the prompts themselves are not in memory. */
static void
test_match_words_and_ids (void)
{
  g_autoptr(LensTask) cat = make_task (CAT_ID, LENS_TASK_STATE_DONE, "imagine");
  g_autoptr(LensTask) girl = make_task (GIRL_ID, LENS_TASK_STATE_DONE, "imagine");
  g_autoptr(GHashTable) cat_ids = id_set (CAT_ID, NULL);
  g_autoptr(GHashTable) table_ids = id_set (CAT_ID, GIRL_ID, NULL);
  g_autoptr(LensTaskMatch) all = lens_task_match_new (0, 0);
  g_autoptr(LensTaskMatch) cat_table = lens_task_match_new (0, 0);
  g_autoptr(LensTaskMatch) table = lens_task_match_new (0, 0);

  g_assert_true (lens_task_match_is_all (all));
  g_assert_true (lens_task_match_matches (all, cat));

  lens_task_match_add_word (cat_table, "cat", cat_ids);
  lens_task_match_add_word (cat_table, "table", table_ids);
  g_assert_false (lens_task_match_is_all (cat_table));
  g_assert_true (lens_task_match_matches (cat_table, cat));
  /* Every word must match. */
  g_assert_false (lens_task_match_matches (cat_table, girl));

  lens_task_match_add_word (table, "table", table_ids);
  g_assert_true (lens_task_match_matches (table, cat));
  g_assert_true (lens_task_match_matches (table, girl));
}

/* Ids, types and states are in memory: they match without the store (a
 * task just added is not in it yet, and the store may fail). */
static void
test_match_in_memory (void)
{
  g_autoptr(LensTask) cat = make_task (CAT_ID, LENS_TASK_STATE_DONE, "imagine");
  g_autoptr(LensTask) video = make_task (VIDEO_ID, LENS_TASK_STATE_RUNNING, "videos");
  g_autoptr(LensTask) odd = make_task (ODD_ID, LENS_TASK_STATE_NOT_FOUND, "Zoomy");
  struct {
    const char *word;
    gboolean    cat, video, odd;
  } cases[] = {
    { "7489df", TRUE, FALSE, FALSE },        /* a part of an id */
    { "0a1b2c3d", FALSE, TRUE, TRUE },
    { "imag", TRUE, FALSE, FALSE },          /* the type as the API says it */
    { "video", FALSE, TRUE, FALSE },         /* … and as Tasklens shows it */
    { "zoom", FALSE, FALSE, TRUE },          /* an unknown type, any case */
    { "done", TRUE, FALSE, FALSE },          /* the state */
    { "running", FALSE, TRUE, FALSE },
    { "not-found", FALSE, FALSE, TRUE },     /* as the API says it */
    { "found", FALSE, FALSE, TRUE },         /* in words ("Not found") */
    { "zebra", FALSE, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LensTaskMatch) match = lens_task_match_new (0, 0);

      g_test_message ("word %s", cases[i].word);
      lens_task_match_add_word (match, cases[i].word, NULL);
      g_assert_cmpint (lens_task_match_matches (match, cat), ==, cases[i].cat);
      g_assert_cmpint (lens_task_match_matches (match, video), ==, cases[i].video);
      g_assert_cmpint (lens_task_match_matches (match, odd), ==, cases[i].odd);
    }
}

static void
test_match_filters (void)
{
  g_autoptr(LensTask) done = make_task (CAT_ID, LENS_TASK_STATE_DONE, "imagine");
  g_autoptr(LensTask) queued = make_task (GIRL_ID, LENS_TASK_STATE_QUEUED, NULL);
  g_autoptr(LensTask) running = make_task (VIDEO_ID, LENS_TASK_STATE_RUNNING, "videos");
  g_autoptr(LensTask) stalled = make_task (ODD_ID, LENS_TASK_STATE_STALLED, "blend");
  g_autoptr(LensTaskMatch) in_progress = lens_task_match_new (LENS_STATE_GROUP_IN_PROGRESS, 0);
  g_autoptr(LensTaskMatch) done_or_stalled = lens_task_match_new (LENS_STATE_GROUP_DONE | LENS_STATE_GROUP_STALLED, 0);
  g_autoptr(LensTaskMatch) videos = lens_task_match_new (0, LENS_TYPE_GROUP_VIDEOS);
  g_autoptr(LensTaskMatch) other = lens_task_match_new (0, LENS_TYPE_GROUP_OTHER);
  g_autoptr(LensTaskMatch) every_type = lens_task_match_new (0, LENS_TYPE_GROUP_IMAGINE | LENS_TYPE_GROUP_DESCRIBE
                                                             | LENS_TYPE_GROUP_VIDEOS | LENS_TYPE_GROUP_EDITS
                                                             | LENS_TYPE_GROUP_OTHER);

  /* Queued, pending and running are all "in progress". */
  g_assert_false (lens_task_match_is_all (in_progress));
  g_assert_false (lens_task_match_matches (in_progress, done));
  g_assert_true (lens_task_match_matches (in_progress, queued));
  g_assert_true (lens_task_match_matches (in_progress, running));
  g_assert_false (lens_task_match_matches (in_progress, stalled));

  g_assert_true (lens_task_match_matches (done_or_stalled, done));
  g_assert_true (lens_task_match_matches (done_or_stalled, stalled));
  g_assert_false (lens_task_match_matches (done_or_stalled, running));

  g_assert_true (lens_task_match_matches (videos, running));
  g_assert_false (lens_task_match_matches (videos, done));

  /* "Other" is every type without a group of its own, and no type yet. */
  g_assert_true (lens_task_match_matches (other, stalled));
  g_assert_true (lens_task_match_matches (other, queued));
  g_assert_false (lens_task_match_matches (other, done));

  g_assert_true (lens_task_match_is_all (every_type));
}

/* How a new match relates to the old one decides how much of 100,000
 * tasks the list checks again. */
static void
test_match_compare (void)
{
  g_autoptr(LensTaskMatch) cat = lens_task_match_new (0, 0);
  g_autoptr(LensTaskMatch) cats = lens_task_match_new (0, 0);
  g_autoptr(LensTaskMatch) dog = lens_task_match_new (0, 0);
  g_autoptr(LensTaskMatch) cat_done = lens_task_match_new (LENS_STATE_GROUP_DONE, 0);
  g_autoptr(LensTaskMatch) cat_table = lens_task_match_new (0, 0);

  lens_task_match_add_word (cat, "cat", NULL);
  lens_task_match_add_word (cats, "cats", NULL);
  lens_task_match_add_word (dog, "dog", NULL);
  lens_task_match_add_word (cat_done, "cat", NULL);
  lens_task_match_add_word (cat_table, "cat", NULL);
  lens_task_match_add_word (cat_table, "table", NULL);

  g_assert_cmpint (lens_task_match_compare (cat, cats), ==, LENS_MATCH_CHANGE_MORE_STRICT);
  g_assert_cmpint (lens_task_match_compare (cats, cat), ==, LENS_MATCH_CHANGE_LESS_STRICT);
  g_assert_cmpint (lens_task_match_compare (cat, cat_table), ==, LENS_MATCH_CHANGE_MORE_STRICT);
  g_assert_cmpint (lens_task_match_compare (cat, cat_done), ==, LENS_MATCH_CHANGE_MORE_STRICT);
  g_assert_cmpint (lens_task_match_compare (cat_done, cat), ==, LENS_MATCH_CHANGE_LESS_STRICT);
  g_assert_cmpint (lens_task_match_compare (cat, dog), ==, LENS_MATCH_CHANGE_DIFFERENT);
  g_assert_cmpint (lens_task_match_compare (cats, cat_done), ==, LENS_MATCH_CHANGE_DIFFERENT);
}

/* ─── LensTaskFinder, with a search the test answers ───────────────────── */

typedef struct
{
  GPtrArray      *asked;     /* of GTask, whose task data is the word */
  guint           n_changes;
  LensMatchChange last_change;
  guint           n_prepared;
} Fixture;

static void
fake_prepare (gpointer source)
{
  Fixture *fixture = g_object_get_data (source, "fixture");

  fixture->n_prepared++;
}

static void
fake_search_async (gpointer             source,
                   const char          *word,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  Fixture *fixture = source != NULL ? g_object_get_data (source, "fixture") : NULL;
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  /* An answer may come after its query was cancelled, as from a thread
   * that had already finished: the finder must ignore it itself. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, g_strdup (word), g_free);
  g_ptr_array_add (fixture->asked, task);
}

static GHashTable *
fake_search_finish (gpointer       source,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static guint
n_asked_for (Fixture    *fixture,
             const char *word)
{
  guint n = 0;

  for (guint i = 0; i < fixture->asked->len; i++)
    n += g_strcmp0 (g_task_get_task_data (g_ptr_array_index (fixture->asked, i)), word) == 0;
  return n;
}

/* Answers the query for @word with @ids (NULL: an error). */
static void
answer (Fixture    *fixture,
        const char *word,
        GHashTable *ids)
{
  for (guint i = 0; i < fixture->asked->len; i++)
    {
      GTask *task = g_ptr_array_index (fixture->asked, i);

      if (g_strcmp0 (g_task_get_task_data (task), word) != 0)
        continue;
      if (ids != NULL)
        g_task_return_pointer (task, ids, (GDestroyNotify) g_hash_table_unref);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "The store is gone");
      g_ptr_array_remove_index (fixture->asked, i);
      lens_test_spin_pending ();
      return;
    }
  g_assert_not_reached ();
}

static void
changed_cb (LensTaskFinder  *finder,
            LensMatchChange  change,
            Fixture         *fixture)
{
  fixture->n_changes++;
  fixture->last_change = change;
}

static LensTaskFinder *
new_finder (Fixture *fixture)
{
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  LensTaskFinder *finder;

  fixture->asked = g_ptr_array_new_with_free_func (g_object_unref);
  g_object_set_data (source, "fixture", fixture);
  finder = lens_task_finder_new (source, fake_search_async, fake_search_finish);
  g_signal_connect (finder, "changed", G_CALLBACK (changed_cb), fixture);
  return finder;
}

static void
fixture_clear (Fixture *fixture)
{
  /* Queries never answered (superseded ones) end as cancelled. */
  for (guint i = 0; fixture->asked != NULL && i < fixture->asked->len; i++)
    g_task_return_new_error (g_ptr_array_index (fixture->asked, i), G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "Cancelled");
  lens_test_spin_pending ();
  g_clear_pointer (&fixture->asked, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

/* A keystroke reaches the finder only after the entry's delay; told of it
 * at once, the source gets ready meanwhile (the store reads its copy of
 * the prompts), and with no text, nothing is searched for yet. */
static void
test_finder_prepare (void)
{
  g_auto(Fixture) fixture = { 0, };
  g_autoptr(LensTaskFinder) finder = new_finder (&fixture);

  /* Without a prepare function, nothing to do. */
  lens_task_finder_prepare (finder, NULL);
  g_assert_cmpuint (fixture.n_prepared, ==, 0);

  lens_task_finder_set_prepare (finder, fake_prepare);
  lens_task_finder_prepare (finder, NULL);
  g_assert_cmpuint (fixture.n_prepared, ==, 1);
  g_assert_cmpuint (fixture.asked->len, ==, 0);
  g_assert_false (lens_task_finder_get_searching (finder));
  g_assert_cmpuint (fixture.n_changes, ==, 0);
}

static gboolean
query_cancelled (Fixture    *fixture,
                 const char *word)
{
  for (guint i = 0; i < fixture->asked->len; i++)
    {
      GTask *task = g_ptr_array_index (fixture->asked, i);

      if (g_strcmp0 (g_task_get_task_data (task), word) == 0)
        return g_cancellable_is_cancelled (g_task_get_cancellable (task));
    }
  g_assert_not_reached ();
}

/* The words typed so far are looked up while the entry waits: the text,
 * when it comes, finds its answer in, and the list changes at once. A word
 * typed further has its early query cancelled; a word already in the text
 * is not asked again; what the text does not take is cancelled. */
static void
test_finder_looks_up_ahead (void)
{
  g_auto(Fixture) fixture = { 0, };
  g_autoptr(LensTaskFinder) finder = new_finder (&fixture);

  lens_task_finder_prepare (finder, "ca");
  lens_task_finder_prepare (finder, "cat");
  g_assert_cmpuint (n_asked_for (&fixture, "ca"), ==, 1);
  g_assert_true (query_cancelled (&fixture, "ca"));
  g_assert_cmpuint (n_asked_for (&fixture, "cat"), ==, 1);
  g_assert_false (query_cancelled (&fixture, "cat"));

  /* Answered before the text comes: nothing changes yet. */
  answer (&fixture, "cat", id_set (CAT_ID, NULL));
  g_assert_cmpuint (fixture.n_changes, ==, 0);
  g_assert_false (lens_task_finder_get_searching (finder));

  lens_task_finder_set_text (finder, "cat");
  g_assert_cmpuint (n_asked_for (&fixture, "cat"), ==, 0);
  g_assert_cmpuint (fixture.n_changes, ==, 1);
  g_assert_false (lens_task_finder_get_searching (finder));

  lens_task_finder_prepare (finder, "cat t");
  g_assert_cmpuint (n_asked_for (&fixture, "cat"), ==, 0);
  g_assert_cmpuint (n_asked_for (&fixture, "t"), ==, 1);
  lens_task_finder_set_text (finder, "cat table");
  g_assert_true (query_cancelled (&fixture, "t"));
  g_assert_cmpuint (n_asked_for (&fixture, "table"), ==, 1);
  g_assert_true (lens_task_finder_get_searching (finder));
}

static void
test_finder_asks_once_per_word (void)
{
  g_auto(Fixture) fixture = { 0, };
  g_autoptr(LensTaskFinder) finder = new_finder (&fixture);
  g_autoptr(LensTask) cat = make_task (CAT_ID, LENS_TASK_STATE_DONE, "imagine");
  g_autoptr(LensTask) girl = make_task (GIRL_ID, LENS_TASK_STATE_DONE, "imagine");

  g_assert_false (lens_task_finder_get_filtering (finder));
  lens_task_finder_set_text (finder, "Cat");
  g_assert_true (lens_task_finder_get_searching (finder));
  g_assert_true (lens_task_finder_get_filtering (finder));
  g_assert_cmpuint (n_asked_for (&fixture, "cat"), ==, 1);
  g_assert_cmpuint (fixture.n_changes, ==, 0);

  answer (&fixture, "cat", id_set (CAT_ID, NULL));
  g_assert_false (lens_task_finder_get_searching (finder));
  g_assert_cmpuint (fixture.n_changes, ==, 1);
  g_assert_true (lens_task_match_matches (lens_task_finder_get_match (finder), cat));
  g_assert_false (lens_task_match_matches (lens_task_finder_get_match (finder), girl));

  /* "cat" is known: only "table" is asked for. */
  lens_task_finder_set_text (finder, "cat table");
  g_assert_cmpuint (n_asked_for (&fixture, "cat"), ==, 0);
  g_assert_cmpuint (n_asked_for (&fixture, "table"), ==, 1);
  answer (&fixture, "table", id_set (CAT_ID, GIRL_ID, NULL));
  g_assert_cmpuint (fixture.n_changes, ==, 2);
  g_assert_cmpint (fixture.last_change, ==, LENS_MATCH_CHANGE_MORE_STRICT);

  /* A trailing space changes no word: nothing to check again. */
  lens_task_finder_set_text (finder, "cat table ");
  g_assert_false (lens_task_finder_get_searching (finder));
  g_assert_cmpuint (fixture.n_changes, ==, 2);

  /* Dropping a word needs no query. */
  lens_task_finder_set_text (finder, "table");
  g_assert_cmpuint (fixture.asked->len, ==, 0);
  g_assert_cmpuint (fixture.n_changes, ==, 3);
  g_assert_cmpint (fixture.last_change, ==, LENS_MATCH_CHANGE_LESS_STRICT);
  g_assert_true (lens_task_match_matches (lens_task_finder_get_match (finder), girl));
}

/* While a word is looked up the list keeps what it showed: the match stays
 * the previous one, and changes once when the answer comes. */
static void
test_finder_no_flashing (void)
{
  g_auto(Fixture) fixture = { 0, };
  g_autoptr(LensTaskFinder) finder = new_finder (&fixture);
  g_autoptr(LensTask) cat = make_task (CAT_ID, LENS_TASK_STATE_DONE, "imagine");
  LensTaskMatch *before;

  lens_task_finder_set_text (finder, "cat");
  answer (&fixture, "cat", id_set (CAT_ID, NULL));
  before = lens_task_finder_get_match (finder);

  lens_task_finder_set_text (finder, "cats");
  lens_task_finder_set_text (finder, "catsu");
  g_assert_true (lens_task_finder_get_searching (finder));
  g_assert_true (lens_task_finder_get_match (finder) == before);
  g_assert_true (lens_task_match_matches (lens_task_finder_get_match (finder), cat));
  g_assert_cmpuint (fixture.n_changes, ==, 1);

  answer (&fixture, "catsu", id_set (NULL, NULL));
  g_assert_cmpuint (fixture.n_changes, ==, 2);
  g_assert_false (lens_task_match_matches (lens_task_finder_get_match (finder), cat));
}

/* An answer for a word no longer in the text changes nothing, even when it
 * comes after its query was cancelled. */
static void
test_finder_superseded_query (void)
{
  g_auto(Fixture) fixture = { 0, };
  g_autoptr(LensTaskFinder) finder = new_finder (&fixture);
  g_autoptr(LensTask) cat = make_task (CAT_ID, LENS_TASK_STATE_DONE, "imagine");
  g_autoptr(LensTask) girl = make_task (GIRL_ID, LENS_TASK_STATE_DONE, "imagine");
  GTask *cat_query;

  lens_task_finder_set_text (finder, "cat");
  cat_query = g_ptr_array_index (fixture.asked, 0);
  lens_task_finder_set_text (finder, "girl");
  g_assert_true (g_cancellable_is_cancelled (g_task_get_cancellable (cat_query)));

  answer (&fixture, "cat", id_set (CAT_ID, NULL));
  g_assert_cmpuint (fixture.n_changes, ==, 0);
  g_assert_true (lens_task_finder_get_searching (finder));

  answer (&fixture, "girl", id_set (GIRL_ID, NULL));
  g_assert_cmpuint (fixture.n_changes, ==, 1);
  g_assert_false (lens_task_match_matches (lens_task_finder_get_match (finder), cat));
  g_assert_true (lens_task_match_matches (lens_task_finder_get_match (finder), girl));
}

/* The state and type filters need no query: they apply at once, also while
 * a word is being looked up (with the words answered before). */
static void
test_finder_filters (void)
{
  g_auto(Fixture) fixture = { 0, };
  g_autoptr(LensTaskFinder) finder = new_finder (&fixture);
  g_autoptr(LensTask) cat = make_task (CAT_ID, LENS_TASK_STATE_DONE, "imagine");
  g_autoptr(LensTask) running = make_task (GIRL_ID, LENS_TASK_STATE_RUNNING, "imagine");

  lens_task_finder_set_states (finder, LENS_STATE_GROUP_IN_PROGRESS);
  g_assert_cmpuint (fixture.n_changes, ==, 1);
  g_assert_cmpint (fixture.last_change, ==, LENS_MATCH_CHANGE_MORE_STRICT);
  g_assert_true (lens_task_finder_get_filtering (finder));
  g_assert_false (lens_task_match_matches (lens_task_finder_get_match (finder), cat));
  g_assert_true (lens_task_match_matches (lens_task_finder_get_match (finder), running));

  lens_task_finder_set_text (finder, "cat");
  lens_task_finder_set_states (finder, 0);
  g_assert_cmpuint (fixture.n_changes, ==, 2);
  g_assert_cmpint (fixture.last_change, ==, LENS_MATCH_CHANGE_LESS_STRICT);
  g_assert_true (lens_task_finder_get_searching (finder));
  g_assert_true (lens_task_match_matches (lens_task_finder_get_match (finder), cat));

  lens_task_finder_set_types (finder, LENS_TYPE_GROUP_VIDEOS);
  g_assert_cmpuint (fixture.n_changes, ==, 3);
  g_assert_false (lens_task_match_matches (lens_task_finder_get_match (finder), cat));

  /* Clearing drops the text, its query and both filters, in one change. */
  lens_task_finder_set_states (finder, LENS_STATE_GROUP_DONE);
  lens_task_finder_clear (finder);
  g_assert_cmpuint (fixture.n_changes, ==, 5);
  g_assert_false (lens_task_finder_get_searching (finder));
  g_assert_false (lens_task_finder_get_filtering (finder));
  g_assert_true (lens_task_match_is_all (lens_task_finder_get_match (finder)));
  g_assert_cmpstr (lens_task_finder_get_text (finder), ==, "");
}

/* When the store cannot search, a word still matches ids, types and states. */
static void
test_finder_search_fails (void)
{
  g_auto(Fixture) fixture = { 0, };
  g_autoptr(LensTaskFinder) finder = new_finder (&fixture);
  g_autoptr(LensTask) cat = make_task (CAT_ID, LENS_TASK_STATE_DONE, "imagine");

  lens_task_finder_set_text (finder, "7489");
  answer (&fixture, "7489", NULL);
  g_assert_false (lens_task_finder_get_searching (finder));
  g_assert_cmpuint (fixture.n_changes, ==, 1);
  g_assert_true (lens_task_match_matches (lens_task_finder_get_match (finder), cat));
}

/* Queries still out when the finder goes are answered into nothing. */
static void
test_finder_gone_before_answer (void)
{
  g_auto(Fixture) fixture = { 0, };
  LensTaskFinder *finder = new_finder (&fixture);

  lens_task_finder_set_text (finder, "cat");
  g_assert_finalize_object (finder);
  answer (&fixture, "cat", id_set (CAT_ID, NULL));
  g_assert_cmpuint (fixture.n_changes, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/task-match/split-words", test_split_words);
  g_test_add_func ("/task-match/split-words-lower-case", test_split_words_lower_case);
  g_test_add_func ("/task-match/words-and-ids", test_match_words_and_ids);
  g_test_add_func ("/task-match/in-memory", test_match_in_memory);
  g_test_add_func ("/task-match/filters", test_match_filters);
  g_test_add_func ("/task-match/compare", test_match_compare);
  g_test_add_func ("/task-finder/asks-once-per-word", test_finder_asks_once_per_word);
  g_test_add_func ("/task-finder/prepare", test_finder_prepare);
  g_test_add_func ("/task-finder/looks-up-ahead", test_finder_looks_up_ahead);
  g_test_add_func ("/task-finder/no-flashing", test_finder_no_flashing);
  g_test_add_func ("/task-finder/superseded-query", test_finder_superseded_query);
  g_test_add_func ("/task-finder/filters", test_finder_filters);
  g_test_add_func ("/task-finder/search-fails", test_finder_search_fails);
  g_test_add_func ("/task-finder/gone-before-answer", test_finder_gone_before_answer);

  return g_test_run ();
}
