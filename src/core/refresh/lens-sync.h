/* lens-sync.h — every task the token made, brought in and followed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-client.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

/*
 * LensSync pages through the account's own tasks (`retrieve_batch` without
 * ids, ../API.md "Listing the account's own tasks"), newest first, through
 * the client's scheduler, adds what is new to the task list with its record,
 * updates what changed, and keeps how far it got (per API URL, in
 * @settings) so that an interrupted sync resumes, and a later one asks only
 * for what was created since.
 *
 * Properties (all read-only, notified on change):
 *   running  (gboolean) a sync is under way
 *   n-done   (guint)    tasks of this sync seen so far
 *   n-total  (guint)    tasks this sync will see, from the server's count; 0 while unknown
 *   n-added  (guint)    tasks this sync added to the list
 * Signals:
 *   finished (GError *error) a sync ended: error NULL when it completed,
 *            G_IO_ERROR_CANCELLED when cancelled, otherwise why (a
 *            LENS_CLIENT_ERROR with a message for the user)
 */

#define LENS_TYPE_SYNC (lens_sync_get_type ())
G_DECLARE_FINAL_TYPE (LensSync, lens_sync, LENS, SYNC, GObject)

LensSync *lens_sync_new          (LensClient   *client,
                                  LensTaskList *tasks,
                                  GSettings    *settings);

void      lens_sync_start        (LensSync     *self);
void      lens_sync_cancel       (LensSync     *self);
void      lens_sync_set_interval (LensSync     *self,
                                  guint         seconds);
guint     lens_sync_get_interval (LensSync     *self);
void      lens_sync_set_ready    (LensSync     *self,
                                  gboolean      ready);

gboolean  lens_sync_get_running  (LensSync     *self);
guint     lens_sync_get_n_done   (LensSync     *self);
guint     lens_sync_get_n_total  (LensSync     *self);
guint     lens_sync_get_n_added  (LensSync     *self);

G_END_DECLS
