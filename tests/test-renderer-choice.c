/* test-renderer-choice.c — cairo where OpenGL is drawn in software, and the user's choice first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under Xvfb, as in CI, Mesa draws OpenGL with llvmpipe: there the window
 * must draw with cairo, not with GTK's GL renderer, which froze the app for
 * up to 600 ms at a time compiling shaders (lens-renderer-choice.c). The
 * tests' environment sets GSK_RENDERER=cairo for every other test program:
 * this one takes it away before GTK reads it.
 */

#include "config.h"

#include "lens-renderer-choice.h"
#include "lens-test.h"
#include "lens-test-ui.h"

static void
test_software_names (void)
{
  g_assert_true (lens_renderer_choice_is_software_gl ("llvmpipe (LLVM 19.1.7, 256 bits)"));
  g_assert_true (lens_renderer_choice_is_software_gl ("softpipe"));
  g_assert_true (lens_renderer_choice_is_software_gl ("Software Rasterizer"));
  g_assert_false (lens_renderer_choice_is_software_gl ("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
  g_assert_false (lens_renderer_choice_is_software_gl ("AMD Radeon RX 6600 (radeonsi, navi23, LLVM 19.1.7)"));
  g_assert_false (lens_renderer_choice_is_software_gl ("NVIDIA GeForce RTX 3060/PCIe/SSE2"));
  g_assert_false (lens_renderer_choice_is_software_gl (NULL));
}

/* What the app does at startup, then a window: it draws with cairo where
 * OpenGL is software, and the choice is not left in the environment for
 * the programs the app starts. */
static void
test_window_renderer (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *gl_renderer = lens_renderer_choice_dup_gl_renderer (display);
  gboolean software = lens_renderer_choice_is_software_gl (gl_renderer);
  const char *chosen = lens_renderer_choice_apply (display);
  GtkWidget *window;
  GskRenderer *renderer;

  g_test_message ("OpenGL: %s", gl_renderer != NULL ? gl_renderer : "none");
  g_assert_cmpstr (chosen, ==, software ? "cairo" : NULL);
  g_assert_null (g_getenv ("GSK_RENDERER"));

  window = gtk_window_new ();
  gtk_widget_realize (window);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_test_message ("Renderer: %s", G_OBJECT_TYPE_NAME (renderer));
  if (software)
    g_assert_true (GSK_IS_CAIRO_RENDERER (renderer));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* GSK_RENDERER, set by the user, is left to GTK. In a process of its own:
 * this one's display has chosen already. */
static void
test_user_choice_wins (void)
{
  if (g_test_subprocess ())
    {
      GdkDisplay *display = gdk_display_get_default ();

      g_setenv ("GSK_RENDERER", "ngl", TRUE);
      g_assert_null (lens_renderer_choice_apply (display));
      g_assert_null (g_object_get_data (G_OBJECT (display), "gsk-renderer"));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* GSK_RENDERER set empty names no renderer: GTK does not take it for a
 * choice (it warns, and picks as if unset), so neither does Tasklens: where
 * OpenGL is software, cairo all the same (a launcher, or `flatpak run
 * --env=GSK_RENDERER=`, clears a variable that way). In a process of its own. */
static void
test_empty_is_no_choice (void)
{
  if (g_test_subprocess ())
    {
      GdkDisplay *display = gdk_display_get_default ();
      g_autofree char *gl_renderer = lens_renderer_choice_dup_gl_renderer (display);

      if (!lens_renderer_choice_is_software_gl (gl_renderer))
        {
          g_test_skip ("OpenGL is not software here");
          return;
        }
      g_setenv ("GSK_RENDERER", "", TRUE);
      g_assert_cmpstr (lens_renderer_choice_apply (display), ==, "cairo");
      g_assert_cmpstr (g_object_get_data (G_OBJECT (display), "gsk-renderer"), ==, "cairo");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  /* Before GTK reads it, and before any thread could. */
  g_unsetenv ("GSK_RENDERER");
  lens_test_ui_init (&argc, &argv);

  g_test_add_func ("/renderer-choice/software-names", test_software_names);
  g_test_add_func ("/renderer-choice/window-renderer", test_window_renderer);
  g_test_add_func ("/renderer-choice/user-choice-wins", test_user_choice_wins);
  g_test_add_func ("/renderer-choice/empty-is-no-choice", test_empty_is_no_choice);

  return g_test_run ();
}
