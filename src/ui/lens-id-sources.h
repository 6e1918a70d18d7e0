/* lens-id-sources.h — task ids from the clipboard, from files chosen and from drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-context.h"

G_BEGIN_DECLS

void lens_id_sources_paste        (GtkWidget    *widget,
                                   LensContext  *context,
                                   GCancellable *cancellable);
void lens_id_sources_choose_files (GtkWindow    *parent,
                                   LensContext  *context,
                                   GCancellable *cancellable);
void lens_id_sources_accept_drops (GtkWidget    *widget,
                                   LensContext  *context);

G_END_DECLS
