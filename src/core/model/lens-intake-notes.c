/* lens-intake-notes.c — what the intake says, in order, each once it is true
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message that says tasks were added waits until the history has written
 * them (lens_history_sync_async()): a crash right after "Added 10,000 tasks"
 * must not lose them. The messages after it wait behind it, so that they
 * keep their order. When the write fails, the message says so instead.
 * Without a history (it could not be opened, which was said then) there is
 * nothing to wait for.
 *
 * Each sync keeps the owner (the intake) alive until it is answered; the
 * owner's cancellable, cancelled when it goes away, silences the answers.
 */

#define G_LOG_DOMAIN "lens-intake"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-intake-notes.h"

struct _LensIntakeNotes
{
  GObject           *owner;        /* borrowed: it owns these notes */
  GCancellable      *cancellable;  /* owned */
  LensIntakeSayFunc  say;
  LensHistory       *history;      /* owned, nullable */
  GQueue             notes;        /* of Note (owned): in the order they will be said */
};

/* A message, said once it is true. */
typedef struct
{
  char     *text;   /* owned */
  guint     n_new;  /* the tasks it says were added */
  gboolean  ready;  /* may be said */
} Note;

static void
note_free (Note *note)
{
  g_free (note->text);
  g_free (note);
}

/* What a sync needs when it is answered: its owner stays alive until then. */
typedef struct
{
  GObject         *owner;  /* owned */
  LensIntakeNotes *notes;  /* borrowed: alive while the owner is and the sync is not cancelled */
} Sync;

static void
sync_free (Sync *sync)
{
  g_object_unref (sync->owner);
  g_free (sync);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sync, sync_free)

/* Says the notes at the head that may be said. */
static void
say_ready_notes (LensIntakeNotes *self)
{
  Note *note;

  while ((note = g_queue_peek_head (&self->notes)) != NULL && note->ready)
    {
      g_queue_pop_head (&self->notes);
      /* Read by the crash test (tests/test-crash.c): from here on a crash
       * must not lose these tasks. */
      if (note->n_new > 0)
        g_debug ("Acknowledged: %u tasks added", note->n_new);
      self->say (self->owner, note->text);
      note_free (note);
    }
}

static void
synced_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Sync) sync = user_data;
  g_autoptr(GError) error = NULL;
  LensIntakeNotes *self = sync->notes;

  lens_history_sync_finish (LENS_HISTORY (source_object), result, &error);
  /* Cancelled: the owner is going away, and its notes with it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Syncs finish in the order they were asked for: the first waiting note
   * is this one. */
  for (GList *l = self->notes.head; l != NULL; l = l->next)
    {
      Note *note = l->data;

      if (note->ready)
        continue;
      note->ready = TRUE;
      /* The write failed: the tasks are in the list, not in the history
       * (it tries again later), and the user must not think otherwise. */
      if (error != NULL)
        {
          g_free (note->text);
          note->text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "Added %u task, but could not save it: %s",
                                                     "Added %u tasks, but could not save them: %s",
                                                     note->n_new),
                                        note->n_new, error->message);
          note->n_new = 0;
        }
      break;
    }
  say_ready_notes (self);
}

/**
 * lens_intake_notes_new:
 * @owner: what the notes are said for, and kept alive by each sync
 * @cancellable: cancelled when @owner goes away
 * @say: (scope notified): says a note, on behalf of @owner
 */
LensIntakeNotes *
lens_intake_notes_new (GObject           *owner,
                       GCancellable      *cancellable,
                       LensIntakeSayFunc  say)
{
  LensIntakeNotes *self = g_new0 (LensIntakeNotes, 1);

  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);
  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (say != NULL, NULL);

  self->owner = owner;
  self->cancellable = g_object_ref (cancellable);
  self->say = say;
  g_queue_init (&self->notes);
  return self;
}

/**
 * lens_intake_notes_set_history:
 * @history: (nullable): what a note of added tasks waits for
 */
void
lens_intake_notes_set_history (LensIntakeNotes *self,
                               LensHistory     *history)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (history == NULL || LENS_IS_HISTORY (history));

  g_set_object (&self->history, history);
}

/**
 * lens_intake_notes_add:
 * @n_new: the tasks @text says were added: it waits until the history has
 *   them; 0 for a message that is true already
 *
 * Says @text after what is waiting to be said.
 */
void
lens_intake_notes_add (LensIntakeNotes *self,
                       const char      *text,
                       guint            n_new)
{
  Note *note;

  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  note = g_new0 (Note, 1);
  note->text = g_strdup (text);
  note->n_new = n_new;
  note->ready = n_new == 0 || self->history == NULL;
  g_queue_push_tail (&self->notes, note);

  if (!note->ready)
    {
      Sync *sync = g_new0 (Sync, 1);

      sync->owner = g_object_ref (self->owner);
      sync->notes = self;
      lens_history_sync_async (self->history, self->cancellable, synced_cb, sync);
    }
  say_ready_notes (self);
}

/**
 * lens_intake_notes_clear:
 *
 * Forgets what was waiting to be said, and the history: the owner is going
 * away (and has cancelled the syncs).
 */
void
lens_intake_notes_clear (LensIntakeNotes *self)
{
  g_return_if_fail (self != NULL);

  g_queue_clear_full (&self->notes, (GDestroyNotify) note_free);
  g_clear_object (&self->history);
}

void
lens_intake_notes_free (LensIntakeNotes *self)
{
  if (self == NULL)
    return;
  lens_intake_notes_clear (self);
  g_object_unref (self->cancellable);
  g_free (self);
}
