/* test-task-view-util.h — what test-task-view.c's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every helper asserts rather than returning errors: a failure in a helper
 * fails the test that called it.
 */

#pragma once

#include "lens-client.h"
#include "lens-fake-api.h"
#include "lens-task-view-private.h"
#include "lens-test-ui.h"

G_BEGIN_DECLS

/* Long enough for a slow sanitizer run; only there to fail instead of hang. */
#define DEADLINE_S 30

typedef struct
{
  LensFakeApi     *fake;
  SoupSession     *session;
  LensClient      *client;
  LensImageLoader *loader;
  LensDownloader  *downloader;
  LensDownloads   *downloads; /* nullable: once the app is gone */
  GtkWindow       *window;
  LensTaskView    *view;
  GPtrArray       *toasts;    /* what the view asked the window to say */
  char            *tmp_dir;
} Fixture;

/* Spins the main loop until @condition holds. */
#define WAIT_UNTIL(condition) LENS_TEST_SPIN_UNTIL (condition, DEADLINE_S * 1000)

/* What is on screen */
gboolean      is_downloading    (Fixture          *fixture);
gboolean      was_toasted       (Fixture          *fixture,
                                 const char       *message);
gboolean      view_shows        (Fixture          *fixture,
                                 const char       *text);
GdkPaintable *shown_paintable   (Fixture          *fixture);
void          wait_for_image    (Fixture          *fixture);
void          render_to_png     (Fixture          *fixture,
                                 const char       *name);

/* Tasks and the fake server */
LensTask     *fetch_task        (Fixture          *fixture,
                                 const char       *id);
LensTask     *fetch_generated   (Fixture          *fixture,
                                 LensFakeTaskKind  kind);
void          apply_json        (LensTask         *task,
                                 const char       *json);
void          show_task         (Fixture          *fixture,
                                 LensTask         *task);
GBytes       *fetch_bytes       (Fixture          *fixture,
                                 const char       *url);
guint         count_files       (const char       *path);

/* The fixture */
void          destroy_window    (Fixture          *fixture);
void          fixture_set_up    (Fixture          *fixture,
                                 gconstpointer     data);
void          fixture_tear_down (Fixture          *fixture,
                                 gconstpointer     data);

G_END_DECLS
