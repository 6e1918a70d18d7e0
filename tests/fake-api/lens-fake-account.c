/* lens-fake-account.c — an account with a history, and tasks that keep coming
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a listing (lens-fake-listing.c) pages through: an account of many
 * finished tasks made over months, a few still running, and new tasks that
 * appear while the server runs, as they do while a user's scripts submit
 * them. Everything but the time of the new tasks is deterministic.
 */

#include "config.h"

#define G_LOG_DOMAIN "LensFakeApi"

#include "lens-fake-api-private.h"

/* Between two tasks of an account: 20 minutes to 2 h 20 min, except that
 * one in TIE_ONE_IN is made at the very moment of the one before it (a burst
 * of submissions), so that listings meet equal created_at values. */
#define MIN_GAP_S 1200
#define GAP_SPREAD_S 7200
#define TIE_ONE_IN 16

/* A well-spread number for the @position-th task and @salt: lens_fake_mix()
 * of "account-1", "account-2"… differ by a constant step, so its bits are
 * mixed again (MurmurHash3's finalizer). */
static guint32
account_hash (guint       position,
              const char *salt)
{
  g_autofree char *seed = g_strdup_printf ("account-%u", position);
  guint32 h = lens_fake_mix (seed, salt);

  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

/* The kind of the task at @position (0 the newest) of an account. */
static LensFakeTaskKind
account_kind (guint position)
{
  guint roll = account_hash (position, "kind") % 100;

  /* A few of the newest are still running. */
  if (position < 6 && position % 3 == 1)
    return LENS_FAKE_TASK_RUNNING;

  if (roll < 58)
    return LENS_FAKE_TASK_IMAGINE;
  if (roll < 72)
    return LENS_FAKE_TASK_UPSCALE;
  if (roll < 82)
    return LENS_FAKE_TASK_VARIATION;
  if (roll < 90)
    return LENS_FAKE_TASK_DESCRIBE;
  if (roll < 95)
    return LENS_FAKE_TASK_FAILED;
  if (roll < 98)
    return LENS_FAKE_TASK_EDITS;
  return LENS_FAKE_TASK_VIDEOS;
}

/**
 * lens_fake_api_seed_account:
 * @n: how many tasks
 * @newest_unix_s: when the newest of them was created, in Unix seconds
 *
 * Gives the server's account @n more tasks, the newest created at
 * @newest_unix_s and each older one 20 minutes to a few hours before the
 * next (sometimes at the same moment): mostly imagine grids, with upscales,
 * variations, describes, failures, a few edits and videos, and a couple of
 * the newest still running (see lens_fake_api_set_running_duration()). The
 * kinds and times depend only on @n and @newest_unix_s; the ids, like those
 * of lens_fake_api_seed_generated(), count on from earlier calls.
 *
 * Returns: (transfer full): the new ids, newest first, in the order a
 *   listing gives them
 */
GStrv
lens_fake_api_seed_account (LensFakeApi *self,
                            guint        n,
                            gint64       newest_unix_s)
{
  g_autoptr(GPtrArray) records = NULL;
  double created_at = (double) newest_unix_s;
  GStrv ids;

  g_return_val_if_fail (LENS_IS_FAKE_API (self), NULL);

  records = g_ptr_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    {
      LensFakeTaskKind kind = account_kind (i);
      LensFakeRecord *record = lens_fake_record_new_generated (kind, self->next_index[kind]++,
                                                               self->epoch);

      if (i > 0 && account_hash (i, "tie") % TIE_ONE_IN != 0)
        created_at -= MIN_GAP_S + account_hash (i, "gap") % GAP_SPREAD_S
                      + account_hash (i, "millis") % 1000 / 1000.0;
      record->created_at = created_at;
      g_ptr_array_add (records, record);
    }

  /* Sorted as a listing sorts, so that ties come in the same order. */
  g_ptr_array_sort (records, lens_fake_record_compare_newest);
  ids = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      LensFakeRecord *record = g_ptr_array_index (records, i);

      ids[i] = g_strdup (record->id);
      lens_fake_api_insert_record (self, record);
    }

  return ids;
}

static gboolean
new_task_cb (gpointer user_data)
{
  LensFakeApi *self = user_data;
  LensFakeRecord *record;

  /* Created now, so it lists first; running, as a task just submitted is. */
  record = lens_fake_record_new_generated (LENS_FAKE_TASK_RUNNING,
                                           self->next_index[LENS_FAKE_TASK_RUNNING]++,
                                           self->epoch);
  g_debug ("New task %s", record->id);
  lens_fake_api_insert_record (self, record);
  self->new_tasks_added++;

  if (self->new_tasks_max > 0 && self->new_tasks_added >= self->new_tasks_max)
    {
      g_clear_pointer (&self->new_tasks, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/**
 * lens_fake_api_add_new_tasks_every:
 * @interval_ms: how often a task appears; 0 stops
 * @max: how many tasks to add in all; 0 for no end
 *
 * Makes a new task appear every @interval_ms, created at that moment and
 * running like those of %LENS_FAKE_TASK_RUNNING, until @max have appeared:
 * tasks a user's scripts submit while Tasklens pages through the account.
 * Each one shifts the offset of every older task by one. The timer runs on
 * the main context the server listens on (the thread-default one before
 * lens_fake_api_start()). Calling this again starts counting anew.
 */
void
lens_fake_api_add_new_tasks_every (LensFakeApi *self,
                                   guint        interval_ms,
                                   guint        max)
{
  g_return_if_fail (LENS_IS_FAKE_API (self));

  if (self->new_tasks != NULL)
    g_source_destroy (self->new_tasks);
  g_clear_pointer (&self->new_tasks, g_source_unref);
  self->new_tasks_added = 0;
  self->new_tasks_max = max;

  if (interval_ms == 0)
    return;

  self->new_tasks = g_timeout_source_new (interval_ms);
  g_source_set_callback (self->new_tasks, new_task_cb, self, NULL);
  g_source_set_static_name (self->new_tasks, "[tasklens] fake API new tasks");
  g_source_attach (self->new_tasks, self->context != NULL ? self->context
                                                          : g_main_context_get_thread_default ());
}

/**
 * lens_fake_api_count_new_tasks:
 *
 * Returns: how many tasks lens_fake_api_add_new_tasks_every() added since it
 *   was last called
 */
guint
lens_fake_api_count_new_tasks (LensFakeApi *self)
{
  g_return_val_if_fail (LENS_IS_FAKE_API (self), 0);

  return self->new_tasks_added;
}
