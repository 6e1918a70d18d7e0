/* lens-sync-bar.h — the account's sync: how far, a way to stop, what went wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LENS_TYPE_SYNC_BAR (lens_sync_bar_get_type ())
G_DECLARE_FINAL_TYPE (LensSyncBar, lens_sync_bar, LENS, SYNC_BAR, AdwBin)

void     lens_sync_bar_bind         (LensSyncBar *self,
                                     GObject     *sync);
gboolean lens_sync_bar_get_revealed (LensSyncBar *self);

G_END_DECLS
