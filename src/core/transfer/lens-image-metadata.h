/* lens-image-metadata.h — the prompt and the task's facts, inside a saved image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LensImageFacts:
 * @task_id: the task's id
 * @task_type: (nullable): `imagine`, …
 * @action: (nullable): the action that made the image (`upscale2`, …)
 * @mode: (nullable): `fast`, `relax`, `turbo`
 * @prompt: (nullable): the prompt, as the user wrote it
 * @source_url: (nullable): where the image was downloaded from
 * @created_at: Unix seconds, or negative when unknown
 * @index: 1–4 for one image of a grid, 0 for the whole image
 *
 * What a saved image says of where it came from. Nothing is owned.
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

gboolean lens_image_metadata_write        (const char            *path,
                                           const LensImageFacts  *facts,
                                           GError               **error);
char    *lens_image_metadata_read_task_id (const char            *path,
                                           guint                 *out_index);
char    *lens_image_metadata_read_tag     (const char            *path,
                                           const char            *tag);

G_END_DECLS
