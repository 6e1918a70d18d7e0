/* lens-number.h — numbers from the server made integers, without overflow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean lens_number_to_int64        (double  value,
                                      gint64 *out_value);
gboolean lens_number_seconds_to_usec (double  seconds,
                                      gint64 *out_usec);

G_END_DECLS
