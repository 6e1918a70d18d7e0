/* lens-renderer-choice.c — draw with cairo where OpenGL is drawn in software
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Without a GPU driver (a virtual machine, a remote desktop, Xvfb) Mesa
 * draws OpenGL with llvmpipe. GTK 4.18 knows it is a poor choice and skips
 * it, but only for Vulkan, and with no Vulkan driver it takes llvmpipe all
 * the same. There, GTK's GL renderer has LLVM compile a shader variant on
 * the main thread whenever a new kind of drawing first shows: the window
 * froze for 90 to 600 ms at a time while 10,000 pasted ids came in
 * (bench-paste, issue 9), on every start, not only the first, because
 * llvmpipe's variants are not all kept in Mesa's shader cache. Lavapipe,
 * Vulkan's software driver, compiles the same way.
 *
 * GTK's cairo renderer compiles nothing, and draws everything Tasklens
 * shows. So where GL is software, Tasklens asks GTK for cairo, before its
 * first window picks a renderer. GSK_RENDERER, set by a user who knows
 * better, wins: nothing is chosen then (unless it is set empty, which GTK
 * takes for unset).
 *
 * The choice is the display's "gsk-renderer" data, which GTK reads before
 * GSK_RENDERER (gsk/gskrenderer.c, get_renderer_for_display(); the
 * inspector sets it for its own display): unlike the variable, it is not
 * passed on to the programs Tasklens starts.
 */

#define G_LOG_DOMAIN "lens-renderer"

#include "config.h"

#include <string.h>

#include <epoxy/gl.h>

#include "lens-renderer-choice.h"

/**
 * lens_renderer_choice_is_software_gl:
 * @gl_renderer: (nullable): GL_RENDERER of an OpenGL context
 *
 * Returns: whether it names one of Mesa's software rasterisers
 */
gboolean
lens_renderer_choice_is_software_gl (const char *gl_renderer)
{
  static const char * const software[] = { "llvmpipe", "softpipe", "Software Rasterizer" };

  if (gl_renderer == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (gl_renderer, software[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * lens_renderer_choice_dup_gl_renderer:
 * @display: a display
 *
 * Returns: (transfer full) (nullable): the GL_RENDERER of an OpenGL context
 *   of @display's, or NULL where it has no OpenGL
 */
char *
lens_renderer_choice_dup_gl_renderer (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  char *name;

  if (!gdk_display_prepare_gl (display, &error))
    {
      g_debug ("No OpenGL: %s", error->message);
      return NULL;
    }
  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_debug ("No OpenGL context: %s", error->message);
      return NULL;
    }
  gdk_gl_context_make_current (context);
  name = g_strdup ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return name;
}

/**
 * lens_renderer_choice_apply:
 * @display: the display, before any window of it is shown
 *
 * Asks GTK to draw @display's windows with cairo when its OpenGL is drawn
 * in software, unless GSK_RENDERER (or GTK's inspector) has chosen already.
 *
 * Returns: (nullable): the renderer chosen ("cairo"), or NULL if GTK chooses
 */
const char *
lens_renderer_choice_apply (GdkDisplay *display)
{
  const char *asked_for = g_getenv ("GSK_RENDERER");
  g_autofree char *gl_renderer = NULL;
  gint64 asked = g_get_monotonic_time ();

  /* Set empty, GSK_RENDERER names nothing: GTK warns and picks as if it
   * were unset. */
  if ((asked_for != NULL && asked_for[0] != '\0')
      || g_object_get_data (G_OBJECT (display), "gsk-renderer") != NULL)
    return NULL;

  gl_renderer = lens_renderer_choice_dup_gl_renderer (display);
  g_debug ("OpenGL is %s (%.0f ms to ask)", gl_renderer != NULL ? gl_renderer : "missing",
           (g_get_monotonic_time () - asked) / 1000.0);
  if (!lens_renderer_choice_is_software_gl (gl_renderer))
    return NULL;

  g_debug ("OpenGL is drawn in software: drawing with cairo");
  g_object_set_data_full (G_OBJECT (display), "gsk-renderer", g_strdup ("cairo"), g_free);
  return "cairo";
}
