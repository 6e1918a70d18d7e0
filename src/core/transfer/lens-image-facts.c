/* lens-image-facts.c — a copy of an image's facts that owns its strings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LensImageFacts borrows its strings, which suits a call that names a file
 * and returns. A save that runs on (a download, a bulk save's queue) keeps
 * a copy: the same struct, whose strings it owns.
 */

#include "config.h"

#include "lens-format.h"
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

/**
 * lens_image_facts_new_for_task:
 * @task: a task with its details (lens_task_has_details())
 * @source_url: (nullable): where its image is downloaded from
 * @index: 1 to 4 for one image of its grid, 0 for the whole image
 *
 * The facts of one image of @task, as a saved file tells them: a task
 * without a prompt (an upscale) is described by its title ("Upscale 2"),
 * which is also what names its file.
 *
 * Returns: (transfer full): facts that own their strings; free them with
 *   lens_image_facts_free()
 */
LensImageFacts *
lens_image_facts_new_for_task (LensTask   *task,
                               const char *source_url,
                               guint       index)
{
  const char *prompt = lens_task_get_prompt (task);
  g_autofree char *title = NULL;
  LensImageFacts facts = {
    .task_id = lens_task_get_id (task),
    .task_type = lens_task_get_task_type (task),
    .action = lens_task_get_action (task),
    .mode = lens_task_get_mode (task),
    .source_url = source_url,
    .created_at = lens_task_get_created_at (task),
    .index = index,
  };

  if (prompt == NULL || prompt[0] == '\0')
    prompt = title = lens_format_task_title (task, NULL);
  facts.prompt = prompt;
  return lens_image_facts_copy (&facts);
}
