/* lens-sync.c — every task the token made, brought in and followed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SKELETON: the properties, signal and getters other code is written
 * against. The paging, resuming and periodic sync are to be written here.
 */

#define G_LOG_DOMAIN "lens-sync"

#include "config.h"

#include "lens-sync.h"

struct _LensSync
{
  GObject       parent_instance;

  LensClient   *client;     /* owned */
  LensTaskList *tasks;      /* owned */
  GSettings    *settings;   /* owned, nullable */
  GCancellable *cancellable; /* owned, nullable: the sync under way */
  guint         interval_s;
  gboolean      running;
  guint         n_done;
  guint         n_total;
  guint         n_added;
};

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_N_DONE,
  PROP_N_TOTAL,
  PROP_N_ADDED,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LensSync, lens_sync, G_TYPE_OBJECT)

static void
lens_sync_dispose (GObject *object)
{
  LensSync *self = LENS_SYNC (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->tasks);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lens_sync_parent_class)->dispose (object);
}

static void
lens_sync_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LensSync *self = LENS_SYNC (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, self->n_total);
      break;
    case PROP_N_ADDED:
      g_value_set_uint (value, self->n_added);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_sync_class_init (LensSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = lens_sync_dispose;
  object_class->get_property = lens_sync_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_TOTAL] = g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_ADDED] = g_param_spec_uint ("n-added", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
lens_sync_init (LensSync *self)
{
}

LensSync *
lens_sync_new (LensClient   *client,
               LensTaskList *tasks,
               GSettings    *settings)
{
  LensSync *self;

  g_return_val_if_fail (LENS_IS_CLIENT (client), NULL);
  g_return_val_if_fail (LENS_IS_TASK_LIST (tasks), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (LENS_TYPE_SYNC, NULL);
  self->client = g_object_ref (client);
  self->tasks = g_object_ref (tasks);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  return self;
}

void
lens_sync_start (LensSync *self)
{
  g_return_if_fail (LENS_IS_SYNC (self));
  /* SKELETON */
}

void
lens_sync_cancel (LensSync *self)
{
  g_return_if_fail (LENS_IS_SYNC (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
lens_sync_set_interval (LensSync *self,
                        guint     seconds)
{
  g_return_if_fail (LENS_IS_SYNC (self));
  self->interval_s = seconds;
}

gboolean
lens_sync_get_running (LensSync *self)
{
  g_return_val_if_fail (LENS_IS_SYNC (self), FALSE);
  return self->running;
}

guint
lens_sync_get_n_done (LensSync *self)
{
  g_return_val_if_fail (LENS_IS_SYNC (self), 0);
  return self->n_done;
}

guint
lens_sync_get_n_total (LensSync *self)
{
  g_return_val_if_fail (LENS_IS_SYNC (self), 0);
  return self->n_total;
}

guint
lens_sync_get_n_added (LensSync *self)
{
  g_return_val_if_fail (LENS_IS_SYNC (self), 0);
  return self->n_added;
}
