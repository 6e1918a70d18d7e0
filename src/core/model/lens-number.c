/* lens-number.c — numbers from the server made integers, without overflow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Converting a double to an integer type that cannot hold it is undefined
 * behaviour in C, and a server can send any double: 1e300, a time in the
 * year 10^290, 2^63. Every conversion of a number that came from outside
 * goes through here, where a value that does not fit is refused; the
 * callers treat it as unknown.
 */

#define G_LOG_DOMAIN "lens-number"

#include "config.h"

#include <math.h>

#include "lens-number.h"

/* 2^63, exactly. G_MAXINT64 (2^63 − 1) has no double: (double) G_MAXINT64
 * rounds up to 2^63, which is one past the end, so the bound is compared
 * with >=. −2^63 is a double and fits. */
#define TWO_TO_THE_63 9223372036854775808.0

/**
 * lens_number_to_int64:
 * @value: a number from outside
 * @out_value: (out): @value without its fraction (rounded toward zero)
 *
 * Returns: whether @value is finite and fits in a gint64; when not,
 *   @out_value is left alone
 */
gboolean
lens_number_to_int64 (double  value,
                      gint64 *out_value)
{
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!isfinite (value) || value < -TWO_TO_THE_63 || value >= TWO_TO_THE_63)
    return FALSE;

  *out_value = (gint64) value;
  return TRUE;
}

/**
 * lens_number_seconds_to_usec:
 * @seconds: a time or a duration in seconds, from outside
 * @out_usec: (out): the same in microseconds
 *
 * Returns: whether @seconds in microseconds fits in a gint64 (GLib's
 *   times are microseconds in a gint64)
 */
gboolean
lens_number_seconds_to_usec (double  seconds,
                             gint64 *out_usec)
{
  return lens_number_to_int64 (seconds * G_USEC_PER_SEC, out_usec);
}
