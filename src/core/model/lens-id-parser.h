/* lens-id-parser.h — find AceData task ids in any text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "lens-prepared-record.h"

G_BEGIN_DECLS

/**
 * LensIdParseResult:
 * @ids: (element-type utf8): the task ids found, lower-case, each once, in the
 *   order of their first appearance
 * @n_lines: the non-blank lines of the input
 * @n_unrecognised_lines: the non-blank lines that gave no id (for plain text;
 *   for JSON input, all of them when the JSON named no task id, otherwise 0)
 * @was_json: whether the input (as a whole) was read as JSON
 * @records: (element-type utf8 LensPreparedRecord) (nullable): the whole
 *   task records the JSON held (a retrieve answer, Tasklens's JSON
 *   export), read already, by id, one per id at most; %NULL when there
 *   were none (see lens_id_parse_result_steal_record())
 *
 * What lens_id_parser_parse() found. Free with lens_id_parse_result_free().
 */
typedef struct
{
  GPtrArray *ids;
  guint      n_lines;
  guint      n_unrecognised_lines;
  gboolean   was_json;
  GHashTable *records;
} LensIdParseResult;

LensIdParseResult *lens_id_parser_parse      (const char        *text,
                                              gssize             length);
gboolean           lens_id_is_task_id        (const char        *text);
void               lens_id_parse_result_free (LensIdParseResult *result);
LensPreparedRecord *lens_id_parse_result_steal_record (LensIdParseResult *result,
                                                       const char        *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensIdParseResult, lens_id_parse_result_free)

G_END_DECLS
