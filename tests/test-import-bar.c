/* test-import-bar.c — the bar that shows an import, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lens-import-bar.h"
#include "lens-test-ui.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"

typedef struct
{
  LensTaskList  *tasks;
  LensIntake    *intake;
  LensImportBar *bar;
  char          *dir;
  GListStore    *files;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  fixture->tasks = lens_task_list_new ();
  fixture->intake = lens_intake_new (fixture->tasks);
  lens_intake_set_ready (fixture->intake, TRUE);
  fixture->bar = g_object_ref_sink (g_object_new (LENS_TYPE_IMPORT_BAR, NULL));
  lens_import_bar_bind (fixture->bar, fixture->intake);

  fixture->dir = lens_test_make_scratch_dir ("import-bar");
  path = g_build_filename (fixture->dir, "ids.txt", NULL);
  g_assert_true (g_file_set_contents (path, ID_A "\n", -1, NULL));
  file = g_file_new_for_path (path);
  fixture->files = g_list_store_new (G_TYPE_FILE);
  g_list_store_append (fixture->files, file);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->bar));
  lens_test_finalize_eventually (&fixture->intake);
  g_clear_object (&fixture->tasks);
  g_clear_object (&fixture->files);
  lens_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GtkRevealer *
revealer_of (Fixture *fixture)
{
  return GTK_REVEALER (lens_test_find_widget (GTK_WIDGET (fixture->bar), GTK_TYPE_REVEALER));
}

/* While a file is read the bar says which; it goes once the file is in. */
static void
test_shows_import (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_false (gtk_revealer_get_reveal_child (revealer_of (fixture)));

  lens_intake_import_files (fixture->intake, G_LIST_MODEL (fixture->files));
  g_assert_true (gtk_revealer_get_reveal_child (revealer_of (fixture)));
  g_assert_nonnull (lens_test_find_label (GTK_WIDGET (fixture->bar), "Reading “ids.txt”…"));

  LENS_TEST_SPIN_UNTIL (!lens_intake_get_importing (fixture->intake), LENS_TEST_DEADLINE_MS);
  g_assert_false (gtk_revealer_get_reveal_child (revealer_of (fixture)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks)), ==, 1);
}

/* Its button stops the import: nothing is added. */
static void
test_stop (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *button;

  lens_intake_import_files (fixture->intake, G_LIST_MODEL (fixture->files));
  button = lens_test_find_widget (GTK_WIDGET (fixture->bar), GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");

  g_assert_false (lens_intake_get_importing (fixture->intake));
  g_assert_false (gtk_revealer_get_reveal_child (revealer_of (fixture)));
  lens_test_spin_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->tasks)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/import-bar/shows-import", Fixture, NULL, fixture_set_up, test_shows_import,
              fixture_tear_down);
  g_test_add ("/import-bar/stop", Fixture, NULL, fixture_set_up, test_stop, fixture_tear_down);

  return g_test_run ();
}
