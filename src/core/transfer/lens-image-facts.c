/* lens-image-facts.c — a copy of an image's facts that owns its strings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensImageFacts borrows its strings, which suits a call that names a file
 * and returns. A save that runs on (a download, a bulk save's queue) keeps
 * a copy: the same struct, whose strings it owns.
 */

#include "config.h"

#include "lens-image-facts.h"

/**
 * lens_image_facts_copy:
 * @facts: the facts to copy
 *
 * Returns: (transfer full): a copy that owns its strings; free it with
 *   lens_image_facts_free()
 */
LensImageFacts *
lens_image_facts_copy (const LensImageFacts *facts)
{
  LensImageFacts *copy = g_new (LensImageFacts, 1);

  g_return_val_if_fail (facts != NULL, NULL);

  *copy = *facts;
  copy->task_id = g_strdup (facts->task_id);
  copy->task_type = g_strdup (facts->task_type);
  copy->action = g_strdup (facts->action);
  copy->mode = g_strdup (facts->mode);
  copy->prompt = g_strdup (facts->prompt);
  copy->source_url = g_strdup (facts->source_url);
  return copy;
}

/**
 * lens_image_facts_free:
 * @facts: (nullable): a copy made by lens_image_facts_copy()
 */
void
lens_image_facts_free (LensImageFacts *facts)
{
  if (facts == NULL)
    return;
  g_free ((char *) facts->task_id);
  g_free ((char *) facts->task_type);
  g_free ((char *) facts->action);
  g_free ((char *) facts->mode);
  g_free ((char *) facts->prompt);
  g_free ((char *) facts->source_url);
  g_free (facts);
}
