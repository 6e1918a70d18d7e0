/* lens-image-facts.c — a copy of an image's facts that a worker can keep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensImageFacts borrows its strings, which suits a name made at once. A
 * save that writes the metadata later, in a worker, needs them to outlive
 * the task that lent them: a copy owns them all, in one allocation with
 * the struct, so that one free lets go of everything.
 */

#define G_LOG_DOMAIN "lens-image-facts"

#include "config.h"

#include <string.h>

#include "lens-image-facts.h"

/* Copies @text after the struct at *@cursor, and moves the cursor on. */
static const char *
place (char       **cursor,
       const char  *text)
{
  char *copy = *cursor;
  gsize size;

  if (text == NULL)
    return NULL;
  size = strlen (text) + 1;
  memcpy (copy, text, size);
  *cursor += size;
  return copy;
}

static gsize
size_of (const char *text)
{
  return text != NULL ? strlen (text) + 1 : 0;
}

/**
 * lens_image_facts_copy:
 * @facts: facts whose strings are borrowed
 *
 * Returns: (transfer full): a copy that owns its strings; free it with
 *   lens_image_facts_free()
 */
LensImageFacts *
lens_image_facts_copy (const LensImageFacts *facts)
{
  LensImageFacts *copy;
  char *cursor;

  g_return_val_if_fail (facts != NULL, NULL);

  copy = g_malloc0 (sizeof (LensImageFacts)
                    + size_of (facts->task_id) + size_of (facts->task_type)
                    + size_of (facts->action) + size_of (facts->mode)
                    + size_of (facts->prompt) + size_of (facts->source_url));
  cursor = (char *) (copy + 1);
  copy->task_id = place (&cursor, facts->task_id);
  copy->task_type = place (&cursor, facts->task_type);
  copy->action = place (&cursor, facts->action);
  copy->mode = place (&cursor, facts->mode);
  copy->prompt = place (&cursor, facts->prompt);
  copy->source_url = place (&cursor, facts->source_url);
  copy->created_at = facts->created_at;
  copy->index = facts->index;
  return copy;
}

/**
 * lens_image_facts_free:
 * @facts: (nullable): a copy from lens_image_facts_copy()
 */
void
lens_image_facts_free (LensImageFacts *facts)
{
  g_free (facts);
}
