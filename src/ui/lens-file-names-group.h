/* lens-file-names-group.h — Preferences: how saved images are named
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LENS_TYPE_FILE_NAMES_GROUP (lens_file_names_group_get_type ())
G_DECLARE_FINAL_TYPE (LensFileNamesGroup, lens_file_names_group, LENS, FILE_NAMES_GROUP, AdwPreferencesGroup)

void lens_file_names_group_set_settings (LensFileNamesGroup *self,
                                         GSettings          *settings);

G_END_DECLS
