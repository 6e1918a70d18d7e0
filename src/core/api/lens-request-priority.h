/* lens-request-priority.h — who is waiting for an API request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LensRequestPriority:
 * @LENS_REQUEST_PRIORITY_USER: what the user just asked for (a paste, an
 *   import, the task they opened, a refresh): goes first
 * @LENS_REQUEST_PRIORITY_BACKGROUND: polling and syncing that nobody is
 *   watching: goes when nothing the user asked for is waiting
 *
 * The order in which the API scheduler lets waiting requests go. Within
 * one priority, requests go in the order they were made.
 */
typedef enum
{
  LENS_REQUEST_PRIORITY_USER,
  LENS_REQUEST_PRIORITY_BACKGROUND,
} LensRequestPriority;

G_END_DECLS
