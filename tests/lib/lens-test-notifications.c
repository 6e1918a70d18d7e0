/* lens-test-notifications.c — a stand-in desktop notification server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tests' session bus has no notification server, and GLib warns (a
 * fatal warning in a test) when a notification cannot be sent. Whether the
 * app sends one depends on whether its window is the one in use, and the
 * UI tests share one display, running side by side: another program's
 * window may take the focus at any moment. A test whose app may notify
 * serves org.freedesktop.Notifications itself, answering Notify as a
 * server does, and keeps the bodies it was sent. Several programs may
 * serve it at once: the bus queues them, and the first answers for all.
 */

#define G_LOG_DOMAIN "lens-test"

#include "config.h"

#include "lens-test.h"
#include "lens-test-notifications.h"

struct _LensTestNotifications
{
  GDBusConnection *bus;
  guint            registration_id;
  guint            owner_id;
  gboolean         settled;  /* the bus has answered the request for the name */
  GPtrArray       *bodies;   /* the bodies of the notifications received */
};

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  LensTestNotifications *self = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      const char *body = NULL;

      g_variant_get_child (parameters, 4, "&s", &body);
      g_ptr_array_add (self->bodies, g_strdup (body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", self->bodies->len));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *capabilities[] = { "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", capabilities));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "lens-test", "Tasklens", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
name_settled_cb (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  LensTestNotifications *self = user_data;

  /* Acquired, or queued behind another test's server: either way, a
   * notification gets an answer. */
  self->settled = TRUE;
}

/**
 * lens_test_notifications_serve:
 *
 * Serves org.freedesktop.Notifications on the session bus until freed.
 *
 * Returns: (transfer full): the server
 */
LensTestNotifications *
lens_test_notifications_serve (void)
{
  static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };
  LensTestNotifications *self = g_new0 (LensTestNotifications, 1);
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  self->bodies = g_ptr_array_new_with_free_func (g_free);
  self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);
  self->registration_id = g_dbus_connection_register_object (self->bus, "/org/freedesktop/Notifications",
                                                             info->interfaces[0], &vtable, self, NULL, &error);
  g_assert_no_error (error);
  self->owner_id = g_bus_own_name_on_connection (self->bus, "org.freedesktop.Notifications",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE, name_settled_cb, name_settled_cb,
                                                 self, NULL);
  LENS_TEST_SPIN_UNTIL (self->settled, LENS_TEST_DEADLINE_MS);
  return self;
}

guint
lens_test_notifications_count (LensTestNotifications *self)
{
  return self->bodies->len;
}

/* The body of the notification received at @index (from 0). */
const char *
lens_test_notifications_get_body (LensTestNotifications *self,
                                  guint                  index)
{
  g_assert_cmpuint (index, <, self->bodies->len);
  return g_ptr_array_index (self->bodies, index);
}

void
lens_test_notifications_free (LensTestNotifications *self)
{
  g_bus_unown_name (self->owner_id);
  g_dbus_connection_unregister_object (self->bus, self->registration_id);
  g_clear_object (&self->bus);
  g_ptr_array_unref (self->bodies);
  g_free (self);
}
