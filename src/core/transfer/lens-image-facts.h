/* lens-image-facts.h — what a saved image says of the task that made it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LensImageFacts:
 * @task_id: the task's id
 * @task_type: (nullable): the API's word for the task's type (`imagine`, …)
 * @action: (nullable): the action that made the image (`upscale2`, …)
 * @mode: (nullable): `fast`, `relax`, `turbo`
 * @prompt: (nullable): the prompt, as the user wrote it; for a task without
 *   one, the title the user sees (e.g. "Upscale 2")
 * @source_url: (nullable): where the image is downloaded from
 * @created_at: when the task was created, in Unix seconds (as LensTask
 *   keeps it), or a negative number when unknown
 * @index: 1 to 4 for one image of a 2×2 grid, 0 for the whole image
 *
 * One description for the two places it goes: the file's name
 * (lens-name-template.h) and the metadata inside it
 * (lens-image-metadata.h). Nothing is owned.
 */
typedef struct
{
  const char *task_id;
  const char *task_type;
  const char *action;
  const char *mode;
  const char *prompt;
  const char *source_url;
  double      created_at;
  guint       index;
} LensImageFacts;

LensImageFacts *lens_image_facts_copy (const LensImageFacts *facts);
void            lens_image_facts_free (LensImageFacts       *facts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensImageFacts, lens_image_facts_free)

G_END_DECLS
