/* lens-json.h — type-checked reads of untrusted JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Server data is untrusted: every value is checked for its type before use, and
 * the variations real AceData payloads show (numbers sent as strings, null for
 * absent) are accepted here, in one place, so the mapper stays readable.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonObject *lens_json_get_object  (JsonObject *object,
                                   const char *member);
JsonArray  *lens_json_get_array   (JsonObject *object,
                                   const char *member);
const char *lens_json_get_string  (JsonObject *object,
                                   const char *member);
char       *lens_json_dup_id_string (JsonObject *object,
                                   const char *member);
gboolean    lens_json_get_double  (JsonObject *object,
                                   const char *member,
                                   double     *out_value);
gboolean    lens_json_get_int     (JsonObject *object,
                                   const char *member,
                                   gint64     *out_value);
gboolean    lens_json_get_boolean (JsonObject *object,
                                   const char *member,
                                   gboolean   *out_value);
GStrv       lens_json_dup_strv    (JsonObject *object,
                                   const char *member,
                                   gboolean    only_web_urls);
gboolean    lens_json_is_web_url  (const char *text);

G_END_DECLS
