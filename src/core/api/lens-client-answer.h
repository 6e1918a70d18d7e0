/* lens-client-answer.h — what the client makes of an answer's body
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For LensClient (lens-client.c, lens-client-request.c) and the fuzzer
 * (tests/fuzz) only: not part of the client's API.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gpointer _lens_client_answer_parse           (GBytes              *body,
                                              GError             **error);
gboolean _lens_client_answer_get_record      (JsonNode            *root,
                                              JsonNode           **out_record,
                                              GError             **error);
gboolean _lens_client_answer_collect_records (JsonNode            *root,
                                              const char * const  *ids,
                                              GPtrArray           *records,
                                              gint64              *out_count,
                                              GError             **error);
gboolean _lens_client_answer_get_page        (JsonNode            *root,
                                              GPtrArray           *records,
                                              guint               *out_count,
                                              GError             **error);
void     _lens_client_set_list_error         (GError             **error,
                                              const GError        *cause);

G_END_DECLS
