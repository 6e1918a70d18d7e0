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
 * - The default number of malloc arenas (eight per core). Two were tried,
 *   to keep fewer arenas' freed memory: the store's writer then shared the
 *   main thread's arena in 12 starts of 30, and made a long history's
 *   100,000 tasks under the lock the main thread needs for each of its own
 *   allocations while it built the window (the main thread then slept up
 *   to 1,169 times before its first frame, against at most 339 when the
 *   writer had an arena of its own). Given one always, it never held the
 *   main thread back, and the process was no bigger (within 2 MB).
 *
 * Both measured with bench-window: see HACKING.md, "Benchmarks of the real
 * app". */
static void
tune_allocator (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
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
