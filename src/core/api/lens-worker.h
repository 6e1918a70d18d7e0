/* lens-worker.h — bytes parsed in a worker thread, for a GTask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Runs in a worker thread: what @bytes hold, or %NULL with @error set. */
typedef gpointer (*LensWorkerParseFunc) (GBytes  *bytes,
                                         GError **error);

void lens_worker_parse_bytes (GTask               *task,
                              GBytes              *bytes,
                              LensWorkerParseFunc  parse,
                              GDestroyNotify       result_free);

G_END_DECLS
