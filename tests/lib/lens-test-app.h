/* lens-test-app.h — the whole app against the fake server, for UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-application.h"
#include "lens-fake-api.h"
#include "lens-window.h"

G_BEGIN_DECLS

/**
 * LensTestApp:
 * @fake: the fake AceData server, seeded with the API examples
 * @app: the application, started as `tasklens` would be
 * @window: its window
 * @data_dir: where its history and image cache live
 *
 * A fixture for g_test_add(): lens_test_app_set_up() starts the fake server
 * and the application (with the server's address and token in the
 * environment, as a script would run it), and waits for the history;
 * lens_test_app_tear_down() ends both.
 */
typedef struct
{
  LensFakeApi     *fake;
  LensApplication *app;
  LensWindow      *window;
  char            *data_dir;
} LensTestApp;

#define LENS_TEST_APP_TOKEN "test-app-token"

void          lens_test_app_set_up       (LensTestApp   *fixture,
                                          gconstpointer  data);
void          lens_test_app_tear_down    (LensTestApp   *fixture,
                                          gconstpointer  data);
void          lens_test_app_start        (LensTestApp   *fixture);
void          lens_test_app_stop         (LensTestApp   *fixture);
LensContext  *lens_test_app_get_context  (LensTestApp   *fixture);
LensTaskList *lens_test_app_get_tasks    (LensTestApp   *fixture);
void          lens_test_app_add_ids      (LensTestApp   *fixture,
                                          const char    *text);
void          lens_test_app_wait_until_looked_up (LensTestApp *fixture);

G_END_DECLS
