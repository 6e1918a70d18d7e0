/* lens-saved-toast.h — the toast that says a file was saved, and opens it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *lens_saved_toast_new    (const char *message,
                                   const char *uri);
void      lens_saved_toast_launch (GtkWindow  *parent,
                                   const char *uri,
                                   gboolean    containing_folder);

G_END_DECLS
