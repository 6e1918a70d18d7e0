/* lens-name-template.h — the names saved images get, from the user's template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-image-facts.h"

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

GQuark   lens_name_template_error_quark (void);

gboolean lens_name_template_check  (const char           *name_template,
                                    GError              **error);
char    *lens_name_template_expand (const char           *name_template,
                                    const LensImageFacts *fields);
char    *lens_name_make_safe       (const char           *text,
                                    gsize                 max_bytes);
char    *lens_name_shorten_prompt  (const char           *prompt,
                                    guint                 max_chars);

G_END_DECLS
