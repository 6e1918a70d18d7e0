/* lens-save-all.h — the scripted bulk save: --save-all and app.save-all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-context.h"

G_BEGIN_DECLS

void         lens_save_all_async    (LensContext          *context,
                                     GFile                *folder,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
LensSaveJob *lens_save_all_finish   (GAsyncResult         *result,
                                     GError              **error);
char        *lens_save_all_describe (LensSaveJob          *job);

G_END_DECLS
