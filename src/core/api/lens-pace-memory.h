/* lens-pace-memory.h — what the API scheduler learnt, kept per API URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-client.h"

G_BEGIN_DECLS

#define LENS_TYPE_PACE_MEMORY (lens_pace_memory_get_type ())
G_DECLARE_FINAL_TYPE (LensPaceMemory, lens_pace_memory, LENS, PACE_MEMORY, GObject)

LensPaceMemory *lens_pace_memory_new (GSettings  *settings,
                                      LensClient *client);

G_END_DECLS
