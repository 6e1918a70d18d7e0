/* lens-request-queue.c — at most a few requests at once, the others in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A slot is asked for with lens_request_queue_acquire_async() and given back
 * with lens_request_queue_release(). While all slots are taken, requests
 * wait first come, first served; a waiting request whose cancellable fires
 * leaves the queue at once and returns G_IO_ERROR_CANCELLED. A slot that was
 * granted is always returned as granted, even if the caller cancelled in the
 * meantime, so that a slot can never be lost: the caller checks its
 * cancellable and releases.
 *
 * The image fetcher has one (six in flight, as browsers do per host). The
 * API client does not: its requests wait in a LensScheduler, which also
 * learns the pace the server allows.
 */

#define G_LOG_DOMAIN "lens-request-queue"

#include "config.h"

#include "lens-http.h"
#include "lens-request-queue.h"

struct _LensRequestQueue
{
  GObject  parent_instance;

  guint    max_in_flight;
  guint    n_in_flight;
  GQueue   waiting;       /* of GTask, owned; oldest first */
};

enum {
  PROP_0,
  PROP_MAX_IN_FLIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LensRequestQueue, lens_request_queue, G_TYPE_OBJECT)

/* The task data of a waiting request. */
typedef struct
{
  GSource *cancel_source;  /* owned, nullable */
} Waiter;

static void
waiter_free (gpointer data)
{
  Waiter *waiter = data;

  lens_http_clear_source (&waiter->cancel_source);
  g_free (waiter);
}

/* Takes @task. */
static void
grant (LensRequestQueue *self,
       GTask            *task)
{
  Waiter *waiter = g_task_get_task_data (task);

  if (waiter != NULL)
    lens_http_clear_source (&waiter->cancel_source);
  self->n_in_flight++;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  LensRequestQueue *self = g_task_get_source_object (task);
  Waiter *waiter = g_task_get_task_data (task);
  /* The queue owned the task; keep it until it has returned. */
  g_autoptr(GTask) owned = NULL;

  lens_http_clear_source (&waiter->cancel_source);
  if (!g_queue_remove (&self->waiting, task))
    return G_SOURCE_REMOVE;
  owned = task;

  g_task_return_new_error_literal (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   "The request was cancelled while it waited");
  return G_SOURCE_REMOVE;
}

static void
wait_for_slot (LensRequestQueue *self,
               GTask            *task)
{
  Waiter *waiter = g_new0 (Waiter, 1);

  g_task_set_task_data (task, waiter, waiter_free);
  g_queue_push_tail (&self->waiting, task);
  waiter->cancel_source = lens_http_watch_cancel (task, cancelled_cb, task, NULL,
                                                  "[tasklens] request wait cancelled");
}

/* ─── GObject ──────────────────────────────────────────────────────────── */

static void
lens_request_queue_finalize (GObject *object)
{
  LensRequestQueue *self = LENS_REQUEST_QUEUE (object);

  /* Every waiting request holds a reference: none can be left. */
  g_assert (g_queue_is_empty (&self->waiting));

  G_OBJECT_CLASS (lens_request_queue_parent_class)->finalize (object);
}

static void
lens_request_queue_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LensRequestQueue *self = LENS_REQUEST_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, self->max_in_flight);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_request_queue_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LensRequestQueue *self = LENS_REQUEST_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_IN_FLIGHT:
      self->max_in_flight = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_request_queue_class_init (LensRequestQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lens_request_queue_finalize;
  object_class->get_property = lens_request_queue_get_property;
  object_class->set_property = lens_request_queue_set_property;

  properties[PROP_MAX_IN_FLIGHT] =
    g_param_spec_uint ("max-in-flight", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_request_queue_init (LensRequestQueue *self)
{
  self->max_in_flight = 1;
  g_queue_init (&self->waiting);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_request_queue_new:
 * @max_in_flight: how many requests may hold a slot at once (at least 1)
 *
 * Returns: (transfer full): a new queue
 */
LensRequestQueue *
lens_request_queue_new (guint max_in_flight)
{
  g_return_val_if_fail (max_in_flight > 0, NULL);

  return g_object_new (LENS_TYPE_REQUEST_QUEUE, "max-in-flight", max_in_flight, NULL);
}

guint
lens_request_queue_get_max_in_flight (LensRequestQueue *self)
{
  g_return_val_if_fail (LENS_IS_REQUEST_QUEUE (self), 0);
  return self->max_in_flight;
}

guint
lens_request_queue_get_n_in_flight (LensRequestQueue *self)
{
  g_return_val_if_fail (LENS_IS_REQUEST_QUEUE (self), 0);
  return self->n_in_flight;
}

guint
lens_request_queue_get_n_waiting (LensRequestQueue *self)
{
  g_return_val_if_fail (LENS_IS_REQUEST_QUEUE (self), 0);
  return self->waiting.length;
}

/**
 * lens_request_queue_acquire_async:
 *
 * Asks for a slot: at once if one is free and nobody waits, else when the
 * requests before this one have had theirs.
 */
void
lens_request_queue_acquire_async (LensRequestQueue    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LENS_IS_REQUEST_QUEUE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_request_queue_acquire_async);
  g_task_set_static_name (task, "[tasklens] wait for a request slot");
  /* A granted slot is returned as granted; see the top of this file. */
  g_task_set_check_cancellable (task, FALSE);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->n_in_flight < self->max_in_flight && g_queue_is_empty (&self->waiting))
    grant (self, g_steal_pointer (&task));
  else
    wait_for_slot (self, g_steal_pointer (&task));
}

/**
 * lens_request_queue_acquire_finish:
 *
 * Returns: %TRUE when the caller holds a slot, and must release it;
 *   %FALSE with %G_IO_ERROR_CANCELLED when it was cancelled while waiting
 */
gboolean
lens_request_queue_acquire_finish (LensRequestQueue  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lens_request_queue_acquire_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lens_request_queue_release:
 *
 * Gives a slot back; the oldest waiting request gets it.
 */
void
lens_request_queue_release (LensRequestQueue *self)
{
  g_autoptr(LensRequestQueue) hold = NULL;

  g_return_if_fail (LENS_IS_REQUEST_QUEUE (self));
  g_return_if_fail (self->n_in_flight > 0);

  /* A granted request may drop the last reference to its owner, and so to
   * this queue, before the loop is over. */
  hold = g_object_ref (self);
  self->n_in_flight--;
  /* Granting may call back into the queue; the condition is read afresh. */
  while (self->n_in_flight < self->max_in_flight && !g_queue_is_empty (&self->waiting))
    grant (self, g_queue_pop_head (&self->waiting));
}
