/* lens-free-later.h — what a worker made, freed by a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void lens_free_later      (gpointer       data,
                           GDestroyNotify destroy);
void lens_free_later_wait (void);

G_END_DECLS
