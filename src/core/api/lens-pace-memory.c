/* lens-pace-memory.c — what the API scheduler learnt, kept per API URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The limit an API admits is learnt from its 429s (lens-api-pace.c); this
 * keeps it in the settings (`learnt-pace`: API URL → limit a second, number
 * in flight), so that the next session starts near the right pace instead
 * of finding it again. It also applies the user's ceiling
 * (`max-requests-per-second`, 0 for none) to the client's scheduler.
 *
 * The client forgets what its scheduler learnt when the URL or the token
 * changes; this then gives it what was kept for the new URL.
 */

#define G_LOG_DOMAIN "lens-pace-memory"

#include "config.h"

#include "lens-pace-memory.h"

#define KEY_LEARNT   "learnt-pace"
#define KEY_MAX_RATE "max-requests-per-second"
/* Enough for every API URL anybody uses; the rest are dropped. */
#define MAX_URLS     16

struct _LensPaceMemory
{
  GObject     parent_instance;

  GSettings  *settings;   /* owned */
  LensClient *client;     /* owned */
};

G_DEFINE_FINAL_TYPE (LensPaceMemory, lens_pace_memory, G_TYPE_OBJECT)

static void
recall (LensPaceMemory *self)
{
  g_autoptr(GVariant) learnt = g_settings_get_value (self->settings, KEY_LEARNT);
  const char *url = lens_client_get_base_url (self->client);
  double limit;
  guint32 in_flight;

  if (g_variant_lookup (learnt, url, "(du)", &limit, &in_flight))
    lens_scheduler_set_learnt (lens_client_get_scheduler (self->client), limit, in_flight);
}

static void
keep (LensPaceMemory *self)
{
  g_autoptr(GVariant) learnt = g_settings_get_value (self->settings, KEY_LEARNT);
  const char *url = lens_client_get_base_url (self->client);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{s(du)}"));
  GVariantIter iter;
  const char *other_url;
  GVariant *value;
  double limit;
  guint in_flight;
  guint n = 1;

  lens_scheduler_get_learnt (lens_client_get_scheduler (self->client), &limit, &in_flight);
  g_variant_builder_add (&builder, "{s(du)}", url, limit, (guint32) in_flight);

  g_variant_iter_init (&iter, learnt);
  while (g_variant_iter_next (&iter, "{&s@(du)}", &other_url, &value))
    {
      if (g_strcmp0 (other_url, url) != 0 && n < MAX_URLS)
        {
          g_variant_builder_add (&builder, "{s@(du)}", other_url, value);
          n++;
        }
      g_variant_unref (value);
    }

  g_settings_set_value (self->settings, KEY_LEARNT, g_variant_builder_end (&builder));
}

static void
max_rate_changed_cb (LensPaceMemory *self)
{
  lens_scheduler_set_max_rate (lens_client_get_scheduler (self->client),
                               g_settings_get_double (self->settings, KEY_MAX_RATE));
}

static void
lens_pace_memory_dispose (GObject *object)
{
  LensPaceMemory *self = LENS_PACE_MEMORY (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (lens_pace_memory_parent_class)->dispose (object);
}

static void
lens_pace_memory_class_init (LensPaceMemoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_pace_memory_dispose;
}

static void
lens_pace_memory_init (LensPaceMemory *self)
{
}

/**
 * lens_pace_memory_new:
 * @settings: the app's settings (the Tasklens schema)
 * @client: the API client whose scheduler to follow
 *
 * Gives @client's scheduler what was learnt of its URL before, keeps what it
 * learns, and applies the user's ceiling, from now on.
 *
 * Returns: (transfer full): the memory; it follows for as long as it lives
 */
LensPaceMemory *
lens_pace_memory_new (GSettings  *settings,
                      LensClient *client)
{
  LensPaceMemory *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (LENS_IS_CLIENT (client), NULL);

  self = g_object_new (LENS_TYPE_PACE_MEMORY, NULL);
  self->settings = g_object_ref (settings);
  self->client = g_object_ref (client);

  g_signal_connect_object (client, "credentials-changed", G_CALLBACK (recall), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (lens_client_get_scheduler (client), "learnt-changed", G_CALLBACK (keep),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::" KEY_MAX_RATE, G_CALLBACK (max_rate_changed_cb),
                           self, G_CONNECT_SWAPPED);
  recall (self);
  max_rate_changed_cb (self);

  return self;
}
