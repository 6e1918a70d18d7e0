/* lens-raw-json-view.h — a task's record, as JSON, read-only and highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LENS_TYPE_RAW_JSON_VIEW (lens_raw_json_view_get_type ())
G_DECLARE_FINAL_TYPE (LensRawJsonView, lens_raw_json_view, LENS, RAW_JSON_VIEW, AdwBin)

LensRawJsonView *lens_raw_json_view_new      (void);
void             lens_raw_json_view_set_json (LensRawJsonView *self,
                                              const char      *json);

G_END_DECLS
