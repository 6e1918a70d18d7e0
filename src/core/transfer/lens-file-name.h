/* lens-file-name.h — what a saved image is called
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *lens_file_name_suggest (const char *task_id,
                              const char *content_type,
                              const char *url);
char *lens_file_name_for_stem (const char *stem,
                               const char *content_type,
                               const char *url);
char *lens_file_name_for_content (const char   *basename,
                                  const guint8 *head,
                                  gsize         size);
char *lens_file_name_temp    (const char *basename,
                              GRand      *rand);
gboolean lens_file_name_is_temp (const char *name);

G_END_DECLS
