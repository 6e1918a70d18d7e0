/* lens-export-dialog.h — Export Tasks…: the list as a CSV or JSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "lens-context.h"

G_BEGIN_DECLS

void lens_export_dialog_run            (GtkWindow          *parent,
                                        LensContext        *context,
                                        const char * const *ids,
                                        GCancellable       *cancellable);
void _lens_export_dialog_export_to     (GtkWindow          *parent,
                                        LensContext        *context,
                                        GFile              *destination,
                                        GCancellable       *cancellable);
void _lens_export_dialog_export_ids_to (GtkWindow          *parent,
                                        LensContext        *context,
                                        const char * const *ids,
                                        GFile              *destination,
                                        GCancellable       *cancellable);

G_END_DECLS
