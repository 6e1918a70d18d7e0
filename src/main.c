/* main.c — starts Tasklens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "lens-application.h"

/* The C library's allocator, set before any thread starts.
 *
 * - Large blocks (a fetched image, a picture decoded at full size before it
 *   is scaled to a thumbnail, SQLite's buffers) always get pages of their
 *   own, given back when freed. By default glibc raises that threshold to
 *   the largest block freed so far, up to 32 MB, after which such blocks
 *   come from the arenas and stay resident once freed.
 * - Two arenas instead of eight per core: every thread that allocates
 *   (GL's, the decoders', the store's, GDBus's…) would otherwise get one,
 *   and each keeps what its thread freed. Tasklens's threads allocate
 *   little, and rarely at the same time.
 *
 * Measured with bench-window (10,000 tasks): see issue 9. */
static void
tune_allocator (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
  mallopt (M_ARENA_MAX, 2);
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LensApplication) app = NULL;

  tune_allocator ();

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = lens_application_new (APPLICATION_ID, G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
