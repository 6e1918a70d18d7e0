/* test-icons.c — every icon the UI names exists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An icon name that the icon theme lacks draws as a broken-image icon, and
 * nothing else notices: the stalled state once used "hourglass-symbolic",
 * which the Adwaita theme does not have. This reads every icon name written
 * in src/ui (a "…-symbolic" string in the C files, an icon-name property in
 * the .ui files) and checks that the theme the app runs with — Adwaita,
 * libadwaita's own icons and the app's resources — has it.
 */

#include "config.h"

#include <adwaita.h>

#include "lens-test-ui.h"

/* As GtkApplication adds it for the application's resource base path. */
#define APP_ICONS_RESOURCE_PATH "/io/github/tasklens/Tasklens/icons"

static void
add_matches (GHashTable *names,
             const char *pattern,
             const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_assert_nonnull (regex);
  for (g_regex_match (regex, text, G_REGEX_MATCH_DEFAULT, &match);
       g_match_info_matches (match);
       g_match_info_next (match, NULL))
    g_hash_table_add (names, g_match_info_fetch (match, 1));
}

/* Returns: (transfer full): the set of icon names the files of src/ui use */
static GHashTable *
collect_icon_names (void)
{
  g_autofree char *ui_dir = g_test_build_filename (G_TEST_DIST, "..", "src", "ui", NULL);
  g_autoptr(GDir) dir = g_dir_open (ui_dir, 0, NULL);
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (ui_dir, name, NULL);
      g_autofree char *text = NULL;

      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".ui"))
        continue;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));

      add_matches (names, "\"([a-z0-9.-]+-symbolic)\"", text);
      add_matches (names, "<property name=\"icon-name\">([^<]+)</property>", text);
    }
  return names;
}

static void
test_every_icon_exists (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autoptr(GHashTable) names = collect_icon_names ();
  g_autoptr(GString) missing = g_string_new (NULL);
  GHashTableIter iter;
  const char *name;

  gtk_icon_theme_add_resource_path (theme, APP_ICONS_RESOURCE_PATH);

  /* Guards the scan itself: a pattern that matched nothing would pass. */
  g_assert_true (g_hash_table_contains (names, "edit-copy-symbolic"));
  g_assert_true (g_hash_table_contains (names, "image-x-generic-symbolic"));

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (!gtk_icon_theme_has_icon (theme, name))
      g_string_append_printf (missing, " %s", name);

  g_assert_cmpstr (missing->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  lens_test_ui_init (&argc, &argv);

  g_test_add_func ("/icons/every-icon-exists", test_every_icon_exists);

  return g_test_run ();
}
