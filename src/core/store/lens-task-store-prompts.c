/* lens-task-store-prompts.c — every prompt in memory, for words too short to index
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of LensTaskStore; see lens-task-store-private.h. Used by the reader
 * thread only. A word of 1 or 2 characters has no trigram, so the index
 * cannot find it and the reader would scan every prompt with LIKE: some 30
 * to 40 ms for 100,000 tasks at every such keystroke (bench-find), most of
 * it SQLite stepping through the rows. Here the reader reads the ids and
 * prompts once into one block of memory, prompts with their ASCII letters
 * in lower case (what LIKE ignores the case of, no more), and a short word
 * is then a strstr() over each prompt: a few milliseconds.
 *
 * Longer words are still looked up in the index, which finds rowids in a
 * few milliseconds; reading each one's id back from the index's own copy
 * took 3 to 5 times longer (bench-find, 7,000 to 12,000 rows found). The
 * copy here is in rowid order, so it gives the id of a rowid instead
 * (lens_store_prompts_id_of()).
 *
 * The copy is as the file was when it was read (PRAGMA data_version, which
 * counts the commits of other connections, says whether it still is). The
 * reader reads it when told a search is coming — at each keystroke, while
 * the search entry waits for a pause in the typing — never for a search
 * itself: a search the copy is not current for does as before (LIKE, ids
 * from the index), so that while tasks are written at every turn (a sync),
 * a keystroke never costs a read of every prompt on top of its search. It
 * is let go when no job came for a while (lens_task_store_reader_idle()),
 * so that it costs memory only while the user searches.
 */

#define G_LOG_DOMAIN "lens-task-store"

#include "config.h"

#include <string.h>

#include "lens-task-store-private.h"

/* How many prompts between two looks at the cancellable. */
#define CANCEL_CHECK_ROWS 4096

typedef struct
{
  gint64  rowid;   /* the task's, ascending */
  guint32 id;      /* offset of the id in text */
  guint32 prompt;  /* offset of the prompt in text, lower-case ASCII */
} Row;

struct _LensStorePrompts
{
  GByteArray *text;  /* owned: every id and prompt, each ended by a NUL */
  GArray     *rows;  /* owned, of Row */
};

static guint32
append_text (GByteArray *text,
             const char *value,
             int         length,
             gboolean    lower)
{
  guint32 offset = text->len;

  g_byte_array_append (text, (const guint8 *) value, length);
  g_byte_array_append (text, (const guint8 *) "", 1);
  if (lower)
    for (guint i = offset; i < offset + length; i++)
      text->data[i] = g_ascii_tolower (text->data[i]);
  return offset;
}

/**
 * lens_store_prompts_read:
 * @db: the reader's connection
 * @cancellable: (nullable): stops the read
 * @out_rc: the SQLite result when it fails
 *
 * Read it in the same read transaction as the version it is kept for
 * (PRAGMA data_version), so that it is exactly as the file was then.
 *
 * Returns: (transfer full) (nullable): every task's id and prompt (those
 *   without a prompt left out), or %NULL when the read failed or was
 *   cancelled
 */
LensStorePrompts *
lens_store_prompts_read (sqlite3      *db,
                         GCancellable *cancellable,
                         int          *out_rc)
{
  g_autoptr(LensStorePrompts) self = g_new0 (LensStorePrompts, 1);
  sqlite3_stmt *stmt = NULL;
  int rc;

  self->text = g_byte_array_new ();
  self->rows = g_array_new (FALSE, FALSE, sizeof (Row));

  /* The search index's own copy: the narrowest table that holds both
   * (see the schema). */
  rc = sqlite3_prepare_v2 (db, "SELECT c0, c1, id FROM tasks_search_content WHERE c1 IS NOT NULL"
                               " ORDER BY id", -1, &stmt, NULL);
  if (rc == SQLITE_OK && cancellable != NULL)
    sqlite3_progress_handler (db, 1000, lens_task_store_cancelled_cb, cancellable);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *prompt = (const char *) sqlite3_column_text (stmt, 1);
      Row row;

      rc = SQLITE_OK;
      if (id == NULL || prompt == NULL)
        continue;
      row.rowid = sqlite3_column_int64 (stmt, 2);
      row.id = append_text (self->text, id, sqlite3_column_bytes (stmt, 0), FALSE);
      row.prompt = append_text (self->text, prompt, sqlite3_column_bytes (stmt, 1), TRUE);
      g_array_append_val (self->rows, row);
    }
  sqlite3_progress_handler (db, 0, NULL, NULL);
  sqlite3_finalize (stmt);

  *out_rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
  if (*out_rc != SQLITE_OK)
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * lens_store_prompts_find:
 * @word: what to look for; its ASCII letters match in either case
 * @found: the set the ids of the prompts that contain @word are added to
 *   (keys owned by it, g_free())
 * @cancellable: (nullable): stops the search
 *
 * Returns: %FALSE when cancelled
 */
gboolean
lens_store_prompts_find (LensStorePrompts *self,
                         const char       *word,
                         GHashTable       *found,
                         GCancellable     *cancellable)
{
  g_autofree char *lower = g_ascii_strdown (word, -1);
  const char *text = (const char *) self->text->data;

  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);

      if (i % CANCEL_CHECK_ROWS == 0 && g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (strstr (text + row->prompt, lower) != NULL)
        g_hash_table_add (found, g_strdup (text + row->id));
    }
  return TRUE;
}

/**
 * lens_store_prompts_id_of:
 * @rowid: a task's rowid
 *
 * Returns: (nullable): the id of the task of @rowid, if it has a prompt
 */
const char *
lens_store_prompts_id_of (LensStorePrompts *self,
                          gint64            rowid)
{
  guint low = 0, high = self->rows->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      const Row *row = &g_array_index (self->rows, Row, middle);

      if (row->rowid == rowid)
        return (const char *) self->text->data + row->id;
      if (row->rowid < rowid)
        low = middle + 1;
      else
        high = middle;
    }
  return NULL;
}

void
lens_store_prompts_free (LensStorePrompts *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->text);
  g_array_unref (self->rows);
  g_free (self);
}
