/* lens-name-template.h — the names saved images get, from the user's template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "2024-07-07 A cat sitting on a table (7489df4c)" */
#define LENS_NAME_TEMPLATE_DEFAULT "{date} {prompt} ({short_id})"

/* The longest stem a template gives, in bytes: with " (9999).webp" and the
 * temporary file's ".…XXXXXX.part" it stays within the 255 bytes of a file
 * name that ext4, Btrfs, NTFS and exFAT allow. */
#define LENS_NAME_MAX_STEM_BYTES 180

#define LENS_NAME_TEMPLATE_ERROR (lens_name_template_error_quark ())

typedef enum
{
  LENS_NAME_TEMPLATE_ERROR_EMPTY,
  LENS_NAME_TEMPLATE_ERROR_UNKNOWN_FIELD,
  LENS_NAME_TEMPLATE_ERROR_UNCLOSED_FIELD,
} LensNameTemplateError;

/**
 * LensNameFields:
 * @task_id: the task's id (a UUID); `{short_id}` is its first eight characters
 * @task_type: (nullable): the API's word for the task's type (`imagine`, …)
 * @action: (nullable): the action that made it (`upscale2`, …)
 * @prompt: (nullable): the prompt, or for a task without one the title the
 *   user sees (e.g. "Upscale 2")
 * @created_at: when the task was created, in Unix seconds (as LensTask
 *   keeps it), or a negative number when unknown; written in local time
 * @index: 1 to 4 for one image of a 2×2 grid, 0 for the whole image
 *
 * What a name can be made of. Nothing is owned.
 */
typedef struct
{
  const char *task_id;
  const char *task_type;
  const char *action;
  const char *prompt;
  double      created_at;
  guint       index;
} LensNameFields;

GQuark   lens_name_template_error_quark (void);

gboolean lens_name_template_check  (const char           *name_template,
                                    GError              **error);
char    *lens_name_template_expand (const char           *name_template,
                                    const LensNameFields *fields);
char    *lens_name_make_safe       (const char           *text,
                                    gsize                 max_bytes);
char    *lens_name_shorten_prompt  (const char           *prompt,
                                    guint                 max_chars);

G_END_DECLS
