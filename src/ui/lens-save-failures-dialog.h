/* lens-save-failures-dialog.h — the images a bulk save could not save, and why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-save-job.h"

G_BEGIN_DECLS

AdwDialog *lens_save_failures_dialog_new (LensSaveJob *job);

G_END_DECLS
