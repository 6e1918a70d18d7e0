/* bench-bare-window.c — the least a libadwaita app shows, for bench-window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwApplicationWindow of Tasklens's default size holding an
 * AdwToolbarView with a header bar, and nothing else: what starting any
 * libadwaita app costs on this machine and display, in time and memory.
 * bench-window starts it as it starts tasklens and compares the two.
 *
 * With G_MESSAGES_DEBUG=bench-bare-window it says "first frame drawn" once,
 * after the window's first frame was painted (the mark tasklens gives for
 * its first rows, see lens-window.c), then stays open until it is killed.
 */

#define G_LOG_DOMAIN "bench-bare-window"

#include "config.h"

#include <adwaita.h>

static void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  g_debug ("first frame drawn");
  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, user_data);
}

static void
realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
}

static void
activate_cb (GApplication *application)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (application));
  GtkWidget *toolbar_view = adw_toolbar_view_new ();

  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar_view), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), toolbar_view);
  /* The default size of Tasklens's window (window-width, window-height). */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* Registered on the session bus as Tasklens is, which costs a round trip. */
  g_autoptr(AdwApplication) application = adw_application_new ("io.github.tasklens.BenchBareWindow",
                                                               G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
