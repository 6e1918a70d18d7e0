/* lens-test-app.h — the whole app against the fake server, for UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-application.h"
#include "lens-fake-api.h"
#include "lens-test-notifications.h"
#include "lens-window.h"

G_BEGIN_DECLS

/**
 * LensTestApp:
 * @fake: the fake AceData server, seeded with the API examples
 * @app: the application, started as `tasklens` would be
 * @window: its window
 * @context: the services the application was given
 * @data_dir: where the history and the image cache live
 * @token: (nullable): the API token the next lens_test_app_start() gives
 *   the context, as if the environment fixed it; LENS_TEST_APP_TOKEN at
 *   first, %NULL for none
 * @request_timeout_s: the request timeout the next lens_test_app_start()
 *   gives the context; 0 (at first) for the app's own
 *
 * A fixture for g_test_add(): lens_test_app_set_up() starts the fake server,
 * builds a LensContext for it from a config and starts the application on
 * that context, and waits for the history; lens_test_app_tear_down() ends
 * both, and fails if the window or the context outlive the application's
 * run (a reference cycle, a leak).
 */
typedef struct
{
  LensFakeApi     *fake;
  LensApplication *app;
  LensWindow      *window;
  LensContext     *context;
  char            *data_dir;
  const char      *token;
  guint            request_timeout_s;
  LensTestNotifications *notifications;  /* what the app notified */
} LensTestApp;

#define LENS_TEST_APP_TOKEN "test-app-token"

void          lens_test_app_set_up       (LensTestApp   *fixture,
                                          gconstpointer  data);
void          lens_test_app_tear_down    (LensTestApp   *fixture,
                                          gconstpointer  data);
void          lens_test_app_start        (LensTestApp   *fixture);
void          lens_test_app_start_loading (LensTestApp  *fixture);
void          lens_test_app_stop         (LensTestApp   *fixture);
LensContext  *lens_test_app_get_context  (LensTestApp   *fixture);
LensTaskList *lens_test_app_get_tasks    (LensTestApp   *fixture);
void          lens_test_app_add_ids      (LensTestApp   *fixture,
                                          const char    *text);
void          lens_test_app_wait_until_looked_up (LensTestApp *fixture);
void          lens_test_app_wait_until_stored    (LensTestApp *fixture);
/* Returns: (transfer none) (nullable): the widget that shows task @id */
typedef GtkWidget *(*LensTestShownFunc) (LensTestApp *fixture,
                                         const char  *id);

void          lens_test_app_check_saved_badge    (LensTestApp      *fixture,
                                                  LensTestShownFunc shown,
                                                  const char       *id);

G_END_DECLS
