/* lens-refresher-private.h — shared by the files of the refresher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The refresher is one class in two files: lens-refresher.c (pauses, what
 * the refresher follows, the properties and the public API) and
 * lens-refresher-rounds.c (the schedule: when each task is due, the batches
 * and poll rounds sent, and what their answers change).
 */

#pragma once

#include "lens-refresher.h"

G_BEGIN_DECLS

/* What the refresher knows of one task it asks for. */
typedef struct
{
  gint64   due;              /* monotonic µs: not asked again before */
  gint64   last_change;      /* monotonic µs: state or progress last moved */
  guint    step;             /* in the schedule */
  gboolean in_flight;        /* asked for, or waiting for its turn */
  gboolean urgent;           /* the user asked: goes out at once */
  gboolean seen_unfinished;  /* was pending or running: its end is news */
} Watch;

struct _LensRefresher
{
  GObject             parent_instance;

  LensClient         *client;          /* owned */
  LensTaskList       *tasks;           /* owned */
  GNetworkMonitor    *monitor;         /* owned */
  gboolean            monitor_is_default;
  GCancellable       *cancellable;     /* owned: cancelled on dispose */
  GHashTable         *watches;         /* id (owned) → Watch (owned) */
  GQueue              waiting;         /* of GStrv (owned): poll chunks not sent yet */
  guint               tick_id;
  gboolean            tick_is_idle;
  guint               send_id;
  guint               n_batches;       /* batches under way */
  gint64              last_send;       /* monotonic µs */
  gint64              quiet_until;     /* monotonic µs: rate limited until then */

  GArray             *schedule;        /* of guint, milliseconds */
  guint               stall_after_s;
  guint               min_request_ms;
  guint               rate_limit_ms;
  gboolean            polling_enabled;

  LensRefresherPause  pause;
  char               *pause_message;   /* owned, nullable */
  gboolean            rate_limited;
  gboolean            busy;
};

/* lens-refresher.c */
void   lens_refresher_update_busy          (LensRefresher      *self);
void   lens_refresher_set_rate_limited     (LensRefresher      *self,
                                            gboolean            rate_limited);
void   lens_refresher_set_pause            (LensRefresher      *self,
                                            LensRefresherPause  pause,
                                            const char         *message);
void   lens_refresher_emit_failed          (LensRefresher      *self,
                                            const GError       *error);
void   lens_refresher_emit_task_finished   (LensRefresher      *self,
                                            LensTask           *task);

/* lens-refresher-rounds.c */
guint  lens_refresher_rounds_schedule_ms   (LensRefresher      *self,
                                            guint               step);
Watch *lens_refresher_rounds_ensure_watch  (LensRefresher      *self,
                                            const char         *id,
                                            gint64              now);
void   lens_refresher_rounds_drop_waiting  (LensRefresher      *self);
void   lens_refresher_rounds_schedule_tick (LensRefresher      *self);
void   lens_refresher_rounds_pump          (LensRefresher      *self);

G_END_DECLS
