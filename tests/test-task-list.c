/* test-task-list.c — the list model: uniqueness, order, items-changed, records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lens-task-list.h"
#include "lens-test.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C "49589d2c-b6b3-4fbf-9f82-93068509c76f"
#define ID_D "037955e0-deee-4050-baa8-1416300d67e2"

typedef struct
{
  guint position, removed, added;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  /* The model must already show the change when it is announced. */
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, position + added);
  g_array_append_val (changes, change);
}

static GArray *
watch_changes (LensTaskList *list)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), changes);
  return changes;
}

static const char *
id_at (LensTaskList *list,
       guint         position)
{
  g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (list), position);

  /* The list holds its own reference, so the id outlives this one. */
  return lens_task_get_id (task);
}

static void
assert_change (GArray *changes,
               guint   index,
               guint   position,
               guint   removed,
               guint   added)
{
  Change *change;

  g_assert_cmpuint (changes->len, >, index);
  change = &g_array_index (changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

static void
test_add_keeps_order_and_dedups (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GArray) changes = watch_changes (list);
  const char *first[] = { ID_B, ID_A, ID_B, NULL };
  const char *second[] = { ID_A, "49589D2C-B6B3-4FBF-9F82-93068509C76F", ID_D, NULL };
  guint n_existing = 99;

  g_assert_cmpuint (g_list_model_get_item_type (G_LIST_MODEL (list)), ==, LENS_TYPE_TASK);
  g_assert_cmpuint (lens_task_list_add_ids (list, first, &n_existing), ==, 2);
  g_assert_cmpuint (n_existing, ==, 1);
  assert_change (changes, 0, 0, 0, 2);

  g_assert_cmpuint (lens_task_list_add_ids (list, second, &n_existing), ==, 2);
  g_assert_cmpuint (n_existing, ==, 1);
  assert_change (changes, 1, 2, 0, 2);
  g_assert_cmpuint (changes->len, ==, 2);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_cmpstr (id_at (list, 0), ==, ID_B);
  g_assert_cmpstr (id_at (list, 1), ==, ID_A);
  g_assert_cmpstr (id_at (list, 2), ==, ID_C);
  g_assert_cmpstr (id_at (list, 3), ==, ID_D);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 4));

  /* Adding nothing new announces nothing. */
  g_assert_cmpuint (lens_task_list_add_ids (list, first, NULL), ==, 0);
  g_assert_cmpuint (changes->len, ==, 2);

  g_signal_handlers_disconnect_by_func (list, items_changed_cb, changes);
}

/* Ids the parser found (lower case, checked) go in as they are, in a range
 * of an array: in order, once each, with one items-changed; counting them
 * says how many the list holds, and changes nothing. */
static void
test_add_parsed_ids (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GArray) changes = NULL;
  const char *parsed[] = { ID_A, ID_B, ID_C, ID_D };
  guint n_existing = 99;

  lens_task_list_add_ids (list, (const char *[]) { ID_B, NULL }, NULL);
  changes = watch_changes (list);

  g_assert_cmpuint (lens_task_list_count_parsed_ids (list, parsed, 4), ==, 1);
  g_assert_cmpuint (lens_task_list_count_parsed_ids (list, parsed + 2, 2), ==, 0);
  g_assert_cmpuint (changes->len, ==, 0);

  g_assert_cmpuint (lens_task_list_add_parsed_ids (list, parsed, 3, &n_existing), ==, 2);
  g_assert_cmpuint (n_existing, ==, 1);
  assert_change (changes, 0, 1, 0, 2);
  g_assert_cmpuint (lens_task_list_add_parsed_ids (list, parsed + 3, 1, NULL), ==, 1);
  g_assert_cmpuint (changes->len, ==, 2);

  g_assert_cmpstr (id_at (list, 0), ==, ID_B);
  g_assert_cmpstr (id_at (list, 1), ==, ID_A);
  g_assert_cmpstr (id_at (list, 2), ==, ID_C);
  g_assert_cmpstr (id_at (list, 3), ==, ID_D);
  g_assert_cmpuint (lens_task_list_count_parsed_ids (list, parsed, 4), ==, 4);

  g_signal_handlers_disconnect_by_func (list, items_changed_cb, changes);
}

/* Inserted at a position, in order, once each (what is listed, or repeated,
 * or not a task id is skipped), with one items-changed; past the end is
 * the end. */
static void
test_insert_ids (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GArray) changes = NULL;
  const char *first[] = { ID_A, ID_B, NULL };
  const char *run[] = { ID_D, ID_A, "not-an-id", ID_D, "49589D2C-B6B3-4FBF-9F82-93068509C76F", NULL };

  lens_task_list_add_ids (list, first, NULL);
  changes = watch_changes (list);

  g_assert_cmpuint (lens_task_list_insert_ids (list, 1, run), ==, 2);
  assert_change (changes, 0, 1, 0, 2);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_cmpstr (id_at (list, 0), ==, ID_A);
  g_assert_cmpstr (id_at (list, 1), ==, ID_D);
  g_assert_cmpstr (id_at (list, 2), ==, ID_C);
  g_assert_cmpstr (id_at (list, 3), ==, ID_B);
  g_assert_true (lens_task_list_lookup (list, ID_C) != NULL);

  g_assert_cmpuint (lens_task_list_insert_ids (list, 0, first), ==, 0);
  g_assert_cmpuint (changes->len, ==, 1);

  g_assert_cmpuint (lens_task_list_insert_ids (list, 99, (const char *[]) {
    "7489df4c-ef03-4de0-b598-e9a590793499", NULL }), ==, 1);
  assert_change (changes, 1, 4, 0, 1);
  g_assert_cmpstr (id_at (list, 4), ==, "7489df4c-ef03-4de0-b598-e9a590793499");

  g_signal_handlers_disconnect_by_func (list, items_changed_cb, changes);
}

static void
test_add_rejects_non_ids (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  const char *ids[] = { "not-an-id", ID_A, NULL };

  g_test_expect_message ("lens-task-list", G_LOG_LEVEL_WARNING, "*Not a task id*");
  g_assert_cmpuint (lens_task_list_add_ids (list, ids, NULL), ==, 1);
  g_test_assert_expected_messages ();
}

static void
test_lookup_and_find (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  const char *ids[] = { ID_A, ID_B, NULL };
  guint position = 0;

  lens_task_list_add_ids (list, ids, NULL);
  g_assert_nonnull (lens_task_list_lookup (list, "807F62DE-C63E-4ADD-8345-7F0AE6DD18E7"));
  g_assert_null (lens_task_list_lookup (list, ID_C));
  g_assert_true (lens_task_list_find (list, ID_B, &position));
  g_assert_cmpuint (position, ==, 1);
  g_assert_false (lens_task_list_find (list, ID_C, &position));
}

static void
test_remove_and_insert_back (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GArray) changes = NULL;
  const char *ids[] = { ID_A, ID_B, ID_C, NULL };
  g_autoptr(LensTask) removed = NULL;

  lens_task_list_add_ids (list, ids, NULL);
  changes = watch_changes (list);
  removed = g_object_ref (lens_task_list_lookup (list, ID_B));

  g_assert_true (lens_task_list_remove (list, ID_B));
  assert_change (changes, 0, 1, 1, 0);
  g_assert_false (lens_task_list_remove (list, ID_B));
  g_assert_null (lens_task_list_lookup (list, ID_B));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  /* Undo puts the same task back in its place. */
  g_assert_true (lens_task_list_insert (list, 1, removed));
  assert_change (changes, 1, 1, 0, 1);
  g_assert_false (lens_task_list_insert (list, 0, removed));
  g_assert_cmpstr (id_at (list, 1), ==, ID_B);
  g_assert_true (lens_task_list_lookup (list, ID_B) == removed);

  g_signal_handlers_disconnect_by_func (list, items_changed_cb, changes);
}

/* Removing several and undoing puts each back where it was, as the same
 * objects; a second removal replaces what the first could undo. */
static void
test_remove_tasks_and_undo (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  const char *ids[] = { ID_A, ID_B, ID_C, ID_D, NULL };
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) restored = NULL;
  LensTask *b;

  lens_task_list_add_ids (list, ids, NULL);
  b = lens_task_list_lookup (list, ID_B);
  g_ptr_array_add (taken, g_object_ref (b));
  g_ptr_array_add (taken, g_object_ref (lens_task_list_lookup (list, ID_D)));

  g_assert_cmpuint (lens_task_list_remove_tasks (list, taken), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_null (lens_task_list_lookup (list, ID_B));

  restored = lens_task_list_undo_remove (list);
  g_assert_cmpuint (restored->len, ==, 2);
  g_assert_true (g_ptr_array_index (restored, 0) == b);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_cmpstr (id_at (list, 0), ==, ID_A);
  g_assert_cmpstr (id_at (list, 2), ==, ID_C);
  g_assert_cmpstr (id_at (list, 1), ==, ID_B);
  g_assert_cmpstr (id_at (list, 3), ==, ID_D);
  g_assert_true (lens_task_list_lookup (list, ID_B) == b);
  g_clear_pointer (&restored, g_ptr_array_unref);

  /* Undone once: nothing more to put back. */
  restored = lens_task_list_undo_remove (list);
  g_assert_cmpuint (restored->len, ==, 0);
  g_clear_pointer (&restored, g_ptr_array_unref);

  /* A removal that is forgotten cannot be undone. */
  g_ptr_array_set_size (taken, 1);
  g_assert_cmpuint (lens_task_list_remove_tasks (list, taken), ==, 1);
  lens_task_list_forget_removed (list);
  restored = lens_task_list_undo_remove (list);
  g_assert_cmpuint (restored->len, ==, 0);
  g_assert_null (lens_task_list_lookup (list, ID_B));
}

/* A listener that follows the list by its changes alone, reading the
 * model as each is said, as the history and the views do. */
static void
mirror_changed_cb (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   GPtrArray  *mirror)
{
  g_ptr_array_remove_range (mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror, position + i, g_list_model_get_item (model, position + i));
}

static void
assert_mirror_is_list (GPtrArray    *mirror,
                       LensTaskList *list)
{
  g_assert_cmpuint (mirror->len, ==, g_list_model_get_n_items (G_LIST_MODEL (list)));
  for (guint i = 0; i < mirror->len; i++)
    {
      g_autoptr(LensTask) task = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_true (g_ptr_array_index (mirror, i) == task);
    }
}

static LensTaskList *
new_list_of (guint n_tasks)
{
  LensTaskList *list = lens_task_list_new ();
  g_auto(GStrv) ids = g_new0 (char *, n_tasks + 1);

  for (guint i = 0; i < n_tasks; i++)
    ids[i] = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
  lens_task_list_add_ids (list, (const char * const *) ids, NULL);
  return list;
}

/* Returns: (transfer full): the list's tasks as they are now, in order */
static GPtrArray *
items_of (LensTaskList *list)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  GPtrArray *items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (list), i));
  return items;
}

/* Many picked tasks go in one items-changed per run of neighbours, the last
 * run first, each said with the list as it is then; undo puts them back the
 * same way. Picked in any order. */
static void
test_remove_tasks_in_runs (void)
{
  g_autoptr(LensTaskList) list = new_list_of (1000);
  g_autoptr(GPtrArray) original = items_of (list);
  g_autoptr(GPtrArray) mirror = items_of (list);
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GArray) changes = NULL;
  const guint picked[][2] = { { 900, 1000 }, { 100, 400 }, { 500, 501 }, { 502, 503 }, { 504, 505 } };

  for (guint r = 0; r < G_N_ELEMENTS (picked); r++)
    for (guint i = picked[r][0]; i < picked[r][1]; i++)
      g_ptr_array_add (taken, g_object_ref (g_ptr_array_index (original, i)));
  g_signal_connect (list, "items-changed", G_CALLBACK (mirror_changed_cb), mirror);
  changes = watch_changes (list);

  g_assert_cmpuint (lens_task_list_remove_tasks (list, taken), ==, 403);
  g_assert_cmpuint (changes->len, ==, 5);
  assert_change (changes, 0, 900, 100, 0);
  assert_change (changes, 1, 504, 1, 0);
  assert_change (changes, 2, 502, 1, 0);
  assert_change (changes, 3, 500, 1, 0);
  assert_change (changes, 4, 100, 300, 0);
  assert_mirror_is_list (mirror, list);
  g_assert_null (lens_task_list_lookup (list, lens_task_get_id (g_ptr_array_index (original, 100))));

  g_array_set_size (changes, 0);
  restored = lens_task_list_undo_remove (list);
  g_assert_cmpuint (restored->len, ==, 403);
  g_assert_cmpuint (changes->len, ==, 5);
  assert_mirror_is_list (mirror, list);
  assert_mirror_is_list (original, list);
  g_assert_true (g_ptr_array_index (restored, 0) == g_ptr_array_index (original, 100));
  g_assert_true (g_ptr_array_index (restored, 402) == g_ptr_array_index (original, 999));

  g_signal_handlers_disconnect_by_func (list, mirror_changed_cb, mirror);
  g_signal_handlers_disconnect_by_func (list, items_changed_cb, changes);
}

/* Picks with many gaps (a search's results) go in one change over the
 * stretch from the first to the last, not one per run, and come back the
 * same way, each where it was. */
static void
test_remove_scattered_in_one_change (void)
{
  g_autoptr(LensTaskList) list = new_list_of (1000);
  g_autoptr(GPtrArray) original = items_of (list);
  g_autoptr(GPtrArray) mirror = items_of (list);
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GArray) changes = NULL;

  /* Every other one from 10 to 598: 295 runs of one. */
  for (guint i = 10; i < 600; i += 2)
    g_ptr_array_add (taken, g_object_ref (g_ptr_array_index (original, i)));
  g_signal_connect (list, "items-changed", G_CALLBACK (mirror_changed_cb), mirror);
  changes = watch_changes (list);

  g_assert_cmpuint (lens_task_list_remove_tasks (list, taken), ==, 295);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 10, 589, 589 - 295);
  assert_mirror_is_list (mirror, list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 705);
  g_assert_null (lens_task_list_lookup (list, lens_task_get_id (g_ptr_array_index (original, 12))));
  g_assert_nonnull (lens_task_list_lookup (list, lens_task_get_id (g_ptr_array_index (original, 13))));

  restored = lens_task_list_undo_remove (list);
  g_assert_cmpuint (restored->len, ==, 295);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, 10, 589 - 295, 589);
  assert_mirror_is_list (mirror, list);
  assert_mirror_is_list (original, list);
  g_assert_true (g_ptr_array_index (restored, 0) == g_ptr_array_index (original, 10));
  g_assert_true (lens_task_list_lookup (list, lens_task_get_id (g_ptr_array_index (original, 12)))
                 == g_ptr_array_index (original, 12));

  g_signal_handlers_disconnect_by_func (list, mirror_changed_cb, mirror);
  g_signal_handlers_disconnect_by_func (list, items_changed_cb, changes);
}

/* Every task picked (Ctrl+A, Delete) goes in one change, and comes back in
 * one. */
static void
test_remove_all_in_one_change (void)
{
  g_autoptr(LensTaskList) list = new_list_of (10000);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GArray) changes = NULL;

  for (guint i = 10000; i > 0; i--)
    g_ptr_array_add (all, g_list_model_get_item (G_LIST_MODEL (list), i - 1));
  changes = watch_changes (list);

  g_assert_cmpuint (lens_task_list_remove_tasks (list, all), ==, 10000);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 10000, 0);

  restored = lens_task_list_undo_remove (list);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, 0, 0, 10000);
  g_assert_true (g_ptr_array_index (restored, 0) == g_ptr_array_index (all, 9999));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10000);

  g_signal_handlers_disconnect_by_func (list, items_changed_cb, changes);
}

/* Every task of @list is found by its id, and @gone ones are not. */
static void
assert_index_is_list (LensTaskList *list,
                      GPtrArray    *gone)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      LensTask *task = lens_task_list_peek (list, i);

      g_assert_true (lens_task_list_lookup (list, lens_task_get_id (task)) == task);
    }
  for (guint i = 0; gone != NULL && i < gone->len; i++)
    g_assert_null (lens_task_list_lookup (list, lens_task_get_id (g_ptr_array_index (gone, i))));
}

/* Removing most of the list keeps the index as it was, and undo gives it
 * back instead of adding every id again (lens-task-list-removal.c); a
 * task removed or added in between means the kept index is not the list's
 * any more. Ids are found as they should be through all of it. */
static void
test_undo_after_removing_most (void)
{
  g_autoptr(LensTaskList) list = new_list_of (100);
  g_autoptr(GPtrArray) picked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(LensTask) last = g_object_ref (lens_task_list_peek (list, 99));
  const char *new_ids[] = { ID_A, NULL };

  for (guint i = 0; i < 99; i++)
    g_ptr_array_add (picked, g_object_ref (lens_task_list_peek (list, i)));

  /* Nothing in between: the whole index back. */
  g_assert_cmpuint (lens_task_list_remove_tasks (list, picked), ==, 99);
  assert_index_is_list (list, picked);
  restored = lens_task_list_undo_remove (list);
  g_assert_cmpuint (restored->len, ==, 99);
  assert_index_is_list (list, NULL);
  g_clear_pointer (&restored, g_ptr_array_unref);

  /* The one left removed in between: it stays out of the index. */
  g_assert_cmpuint (lens_task_list_remove_tasks (list, picked), ==, 99);
  g_assert_true (lens_task_list_remove (list, lens_task_get_id (last)));
  restored = lens_task_list_undo_remove (list);
  g_assert_cmpuint (restored->len, ==, 99);
  g_ptr_array_add (gone, g_object_ref (last));
  assert_index_is_list (list, gone);
  g_clear_pointer (&restored, g_ptr_array_unref);

  /* A task added in between: found, as are those put back. */
  g_assert_cmpuint (lens_task_list_remove_tasks (list, picked), ==, 99);
  g_assert_cmpuint (lens_task_list_add_ids (list, new_ids, NULL), ==, 1);
  restored = lens_task_list_undo_remove (list);
  g_assert_cmpuint (restored->len, ==, 99);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 100);
  assert_index_is_list (list, gone);
  g_assert_nonnull (lens_task_list_lookup (list, ID_A));
}

static void
task_changed_cb (LensTaskList *list,
                 LensTask     *task,
                 GParamSpec   *pspec,
                 GPtrArray    *seen)
{
  g_ptr_array_add (seen, g_strdup_printf ("%s %s", lens_task_get_id (task),
                                          g_param_spec_get_name (pspec)));
}

/* The list says when any of its tasks changes, with no handler on the task;
 * a task that left the list no longer does, even if it outlives the list. */
static void
test_task_changed (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LensTask) b = NULL;
  g_autoptr(LensTask) kept = NULL;
  const char *ids[] = { ID_A, ID_B, NULL };

  lens_task_list_add_ids (list, ids, NULL);
  g_signal_connect (list, "task-changed::state", G_CALLBACK (task_changed_cb), seen);

  lens_task_mark_not_found (lens_task_list_lookup (list, ID_A));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, ID_A " state");

  /* Unchanged: nothing said. */
  lens_task_mark_not_found (lens_task_list_lookup (list, ID_A));
  g_assert_cmpuint (seen->len, ==, 1);

  b = g_object_ref (lens_task_list_lookup (list, ID_B));
  lens_task_list_remove (list, ID_B);
  lens_task_mark_not_found (b);
  g_assert_cmpuint (seen->len, ==, 1);

  /* Back in the list (undo), it is heard again. */
  lens_task_mark_queued (b);
  lens_task_list_insert (list, 1, b);
  lens_task_mark_not_found (b);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, ID_B " state");

  kept = g_object_ref (b);
  g_signal_handlers_disconnect_by_func (list, task_changed_cb, seen);
  g_clear_object (&list);
  lens_task_mark_queued (kept);
}

static GPtrArray *
records_from (const char *json)
{
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonArray *array = json_node_get_array (root);
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (records, json_node_ref (json_array_get_element (array, i)));
  return records;
}

/* Records come back in any order and are matched by id; an answered id with
 * no record is not found; an id whose request failed keeps its state. */
static void
test_apply_records (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  const char *ids[] = { ID_A, ID_B, ID_C, ID_D, NULL };
  const char *answered[] = { ID_A, ID_B, ID_C, NULL };
  g_autoptr(GPtrArray) records = records_from (
    "[{\"id\": \"" ID_B "\", \"response\": {\"success\": true, \"progress\": 30}},"
    " {\"id\": \"7489DF4C-EF03-4DE0-B598-E9A590793434\", \"finished_at\": 1.5e9, \"response\": {\"success\": true}},"
    " {\"id\": \"11111111-2222-4333-8444-555555555555\", \"response\": null},"
    " 42]");

  lens_task_list_add_ids (list, ids, NULL);
  g_assert_cmpuint (lens_task_list_apply_records (list, answered, records), ==, 2);

  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (list, ID_A)), ==, LENS_TASK_STATE_DONE);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (list, ID_B)), ==, LENS_TASK_STATE_RUNNING);
  g_assert_cmpint (lens_task_get_progress (lens_task_list_lookup (list, ID_B)), ==, 30);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (list, ID_C)), ==, LENS_TASK_STATE_NOT_FOUND);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (list, ID_D)), ==, LENS_TASK_STATE_QUEUED);
  g_assert_null (lens_task_list_lookup (list, "11111111-2222-4333-8444-555555555555"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
}

/* A grid is found by its image_id once its record came, whether the
 * record came after it was added (a server answer) or with it; a removed
 * grid is not found, and comes back with Undo. Titles of upscales rely on
 * it (lens_format_task_title()). */
static void
test_lookup_by_image_id (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  const char *ids[] = { ID_A, ID_B, NULL };
  const char *answered[] = { ID_A, NULL };
  g_autoptr(GPtrArray) records = records_from (
    "[{\"id\": \"" ID_A "\", \"image_id\": 1259525319472185344, \"response\": {\"success\": true}}]");
  g_autoptr(GPtrArray) removed = NULL;

  lens_task_list_add_ids (list, ids, NULL);
  g_assert_null (lens_task_list_lookup_by_image_id (list, "1259525319472185344"));

  lens_task_list_apply_records (list, answered, records);
  g_assert_true (lens_task_list_lookup_by_image_id (list, "1259525319472185344")
                 == lens_task_list_lookup (list, ID_A));
  g_assert_null (lens_task_list_lookup_by_image_id (list, "1259525319472185345"));

  g_assert_true (lens_task_list_remove (list, ID_A));
  g_assert_null (lens_task_list_lookup_by_image_id (list, "1259525319472185344"));
  removed = lens_task_list_undo_remove (list);
  g_assert_true (lens_task_list_lookup_by_image_id (list, "1259525319472185344")
                 == lens_task_list_lookup (list, ID_A));
}

static void
test_ids_in_state (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  const char *ids[] = { ID_A, ID_B, ID_C, NULL };
  const char *answered[] = { ID_B, NULL };
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_auto(GStrv) queued = NULL;

  lens_task_list_add_ids (list, ids, NULL);
  lens_task_list_apply_records (list, answered, none);
  queued = lens_task_list_dup_ids_in_state (list, LENS_TASK_STATE_QUEUED);

  g_assert_cmpuint (g_strv_length (queued), ==, 2);
  g_assert_cmpstr (queued[0], ==, ID_A);
  g_assert_cmpstr (queued[1], ==, ID_C);
}

static gboolean
id_is_not_b (LensTask *task,
             gpointer  user_data)
{
  g_assert_true (user_data == (gpointer) ID_B);
  return g_strcmp0 (lens_task_get_id (task), user_data) != 0;
}

/* Any test, in list order, with the data it was given. */
static void
test_ids_where (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  const char *ids[] = { ID_A, ID_B, ID_C, NULL };
  g_auto(GStrv) kept = NULL;

  lens_task_list_add_ids (list, ids, NULL);
  kept = lens_task_list_dup_ids_where (list, id_is_not_b, (gpointer) ID_B);

  g_assert_cmpuint (g_strv_length (kept), ==, 2);
  g_assert_cmpstr (kept[0], ==, ID_A);
  g_assert_cmpstr (kept[1], ==, ID_C);
}

/* Ten thousand tasks: adding and applying stay linear (by-id index). */
static void
test_many (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  guint n_existing = 0;

  for (guint i = 0; i < 10000; i++)
    g_strv_builder_take (builder, g_strdup_printf ("%08x-0000-4000-8000-%012x", i, i * 7));
  ids = g_strv_builder_end (builder);

  g_assert_cmpuint (lens_task_list_add_ids (list, (const char * const *) ids, NULL), ==, 10000);
  g_assert_cmpuint (lens_task_list_add_ids (list, (const char * const *) ids, &n_existing), ==, 0);
  g_assert_cmpuint (n_existing, ==, 10000);
  g_assert_cmpstr (id_at (list, 9999), ==, ids[9999]);
  g_assert_nonnull (lens_task_list_lookup (list, ids[5000]));
}

static void
test_finalizes (void)
{
  LensTaskList *list = lens_task_list_new ();
  const char *ids[] = { ID_A, NULL };

  lens_task_list_add_ids (list, ids, NULL);
  g_assert_finalize_object (list);
}


static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *count)
{
  (*count)++;
}

/* A history loaded at start-up comes with its index made in a thread: an
 * empty list takes it as its own, one items-changed for all; a list with
 * tasks already appends as usual, skipping what it has. */
static void
test_append_indexed (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_object_unref);
  const char *tail[] = { ID_D, NULL };
  guint n_changes = 0;

  g_ptr_array_add (loaded, lens_task_new (ID_A));
  g_ptr_array_add (loaded, lens_task_new (ID_B));
  g_signal_connect (list, "items-changed", G_CALLBACK (count_items_changed_cb), &n_changes);

  g_assert_cmpuint (lens_task_list_append_indexed (list, loaded, lens_task_list_index_tasks (loaded)), ==, 2);
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_true (lens_task_list_lookup (list, ID_B) == g_ptr_array_index (loaded, 1));
  /* The list's own from now on: it follows adds and removals. */
  lens_task_list_add_ids (list, tail, NULL);
  g_assert_nonnull (lens_task_list_lookup (list, ID_D));
  g_assert_true (lens_task_list_remove (list, ID_A));
  g_assert_null (lens_task_list_lookup (list, ID_A));

  g_ptr_array_add (more, lens_task_new (ID_B));
  g_ptr_array_add (more, lens_task_new (ID_C));
  g_assert_cmpuint (lens_task_list_append_indexed (list, more, lens_task_list_index_tasks (more)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_true (lens_task_list_lookup (list, ID_B) == g_ptr_array_index (loaded, 1));
  g_signal_handlers_disconnect_by_data (list, &n_changes);
}

typedef struct
{
  guint position, removed, added, count;
} LastChange;

static void
last_change_cb (GListModel *model,
                guint       position,
                guint       removed,
                guint       added,
                LastChange *last)
{
  *last = (LastChange) { position, removed, added, last->count + 1 };
}

/* A start-up shows the first screen of a long history while the rest loads
 * (LensTaskStore::first-tasks-loaded): the whole history then comes with
 * those same tasks first. The list keeps them, takes the index as its own
 * and says only the rest as added. */
static void
test_append_indexed_after_first_screen (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) first = g_ptr_array_new ();
  const char *ids[] = { ID_A, ID_B, ID_C, ID_D };
  LastChange last = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_ptr_array_add (loaded, lens_task_new (ids[i]));
  g_ptr_array_add (first, g_ptr_array_index (loaded, 0));
  g_ptr_array_add (first, g_ptr_array_index (loaded, 1));
  g_assert_cmpuint (lens_task_list_append_tasks (list, first), ==, 2);

  g_signal_connect (list, "items-changed", G_CALLBACK (last_change_cb), &last);
  g_assert_cmpuint (lens_task_list_append_indexed (list, loaded, lens_task_list_index_tasks (loaded)), ==, 2);
  g_assert_cmpuint (last.count, ==, 1);
  g_assert_cmpuint (last.position, ==, 2);
  g_assert_cmpuint (last.removed, ==, 0);
  g_assert_cmpuint (last.added, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(LensTask) shown = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_true (shown == g_ptr_array_index (loaded, i));
      g_assert_true (lens_task_list_lookup (list, ids[i]) == shown);
    }
  /* The index is the list's: a removal and an add keep it right. */
  g_assert_true (lens_task_list_remove (list, ID_A));
  g_assert_null (lens_task_list_lookup (list, ID_A));
  g_assert_true (lens_task_list_lookup (list, ID_D) == g_ptr_array_index (loaded, 3));
  g_signal_handlers_disconnect_by_data (list, &last);
}

static void
count_removed_cb (LensTaskList *list,
                  GPtrArray    *tasks,
                  guint        *n_removed)
{
  *n_removed += tasks->len;
}

/* The end of a start-up's load: the first screen said ahead stays when the
 * load returns it first; otherwise (a file salvaged in between) the list
 * holds what the load returned, the shown tasks gone without an undo; and
 * a load that failed leaves nothing that no history would remember. */
static void
test_take_loaded (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) salvaged = g_ptr_array_new_with_free_func (g_object_unref);
  LastChange last = { 0 };
  guint n_removed = 0;

  g_ptr_array_add (first, lens_task_new (ID_A));
  g_ptr_array_add (first, lens_task_new (ID_B));
  lens_task_list_append_tasks (list, first);
  g_signal_connect (list, "items-changed", G_CALLBACK (last_change_cb), &last);
  g_signal_connect (list, "tasks-removed", G_CALLBACK (count_removed_cb), &n_removed);

  /* The same ids, other objects, one of them gone. */
  g_ptr_array_add (salvaged, lens_task_new (ID_B));
  g_ptr_array_add (salvaged, lens_task_new (ID_C));
  g_assert_cmpuint (lens_task_list_take_loaded (list, salvaged, lens_task_list_index_tasks (salvaged)), ==, 2);
  g_assert_cmpuint (last.count, ==, 2);
  g_assert_cmpuint (last.position, ==, 0);
  g_assert_cmpuint (last.added, ==, 2);
  g_assert_cmpuint (n_removed, ==, 2);
  g_assert_null (lens_task_list_lookup (list, ID_A));
  g_assert_true (lens_task_list_lookup (list, ID_B) == g_ptr_array_index (salvaged, 0));
  g_assert_true (lens_task_list_lookup (list, ID_C) == g_ptr_array_index (salvaged, 1));
  /* Nothing to undo. */
  {
    g_autoptr(GPtrArray) put_back = lens_task_list_undo_remove (list);

    g_assert_cmpuint (put_back->len, ==, 0);
  }

  g_assert_cmpuint (lens_task_list_take_loaded (list, NULL, NULL), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_null (lens_task_list_lookup (list, ID_B));
  g_assert_cmpuint (n_removed, ==, 4);
  g_signal_handlers_disconnect_by_data (list, &last);
  g_signal_handlers_disconnect_by_data (list, &n_removed);
}

static void
tasks_removed_cb (LensTaskList *list,
                  GPtrArray    *tasks,
                  GString      *said)
{
  /* Said once the list has let them go. */
  for (guint i = 0; i < tasks->len; i++)
    {
      g_assert_null (lens_task_list_lookup (list, lens_task_get_id (g_ptr_array_index (tasks, i))));
      g_string_append_printf (said, "%s%c", i == 0 ? "removed:" : ",",
                              lens_task_get_id (g_ptr_array_index (tasks, i))[0]);
    }
  g_string_append_c (said, ';');
}

/* "tasks-removed" says which tasks left, once for each removal, in list
 * order; Undo says nothing of the kind. */
static void
test_tasks_removed (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  const char *ids[] = { ID_A, ID_B, ID_C, ID_D, NULL };
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) restored = NULL;
  g_autoptr(GString) said = g_string_new (NULL);

  lens_task_list_add_ids (list, ids, NULL);
  g_signal_connect (list, "tasks-removed", G_CALLBACK (tasks_removed_cb), said);
  g_ptr_array_add (taken, g_object_ref (lens_task_list_lookup (list, ID_D)));
  g_ptr_array_add (taken, g_object_ref (lens_task_list_lookup (list, ID_B)));
  lens_task_list_remove_tasks (list, taken);
  g_assert_cmpstr (said->str, ==, "removed:8,0;");

  restored = lens_task_list_undo_remove (list);
  g_assert_cmpstr (said->str, ==, "removed:8,0;");

  g_assert_true (lens_task_list_remove (list, ID_C));
  g_assert_cmpstr (said->str, ==, "removed:8,0;removed:4;");
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/task-list/add/order-and-dedup", test_add_keeps_order_and_dedups);
  g_test_add_func ("/task-list/add/rejects-non-ids", test_add_rejects_non_ids);
  g_test_add_func ("/task-list/add/parsed-ids", test_add_parsed_ids);
  g_test_add_func ("/task-list/insert-ids", test_insert_ids);
  g_test_add_func ("/task-list/lookup-and-find", test_lookup_and_find);
  g_test_add_func ("/task-list/lookup-by-image-id", test_lookup_by_image_id);
  g_test_add_func ("/task-list/remove-and-insert-back", test_remove_and_insert_back);
  g_test_add_func ("/task-list/remove-tasks-and-undo", test_remove_tasks_and_undo);
  g_test_add_func ("/task-list/remove-tasks-in-runs", test_remove_tasks_in_runs);
  g_test_add_func ("/task-list/remove-all-in-one-change", test_remove_all_in_one_change);
  g_test_add_func ("/task-list/remove-scattered-in-one-change", test_remove_scattered_in_one_change);
  g_test_add_func ("/task-list/undo-after-removing-most", test_undo_after_removing_most);
  g_test_add_func ("/task-list/tasks-removed", test_tasks_removed);
  g_test_add_func ("/task-list/task-changed", test_task_changed);
  g_test_add_func ("/task-list/apply-records", test_apply_records);
  g_test_add_func ("/task-list/ids-in-state", test_ids_in_state);
  g_test_add_func ("/task-list/ids-where", test_ids_where);
  g_test_add_func ("/task-list/many", test_many);
  g_test_add_func ("/task-list/finalizes", test_finalizes);
  g_test_add_func ("/task-list/append-indexed", test_append_indexed);
  g_test_add_func ("/task-list/append-indexed-after-first-screen", test_append_indexed_after_first_screen);
  g_test_add_func ("/task-list/take-loaded", test_take_loaded);

  return g_test_run ();
}
