/* lens-test-notifications.h — a stand-in desktop notification server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _LensTestNotifications LensTestNotifications;

LensTestNotifications *lens_test_notifications_serve    (void);
guint                  lens_test_notifications_count    (LensTestNotifications *self);
const char            *lens_test_notifications_get_body (LensTestNotifications *self,
                                                         guint                  index);
void                   lens_test_notifications_free     (LensTestNotifications *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensTestNotifications, lens_test_notifications_free)

G_END_DECLS
