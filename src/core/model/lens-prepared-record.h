/* lens-prepared-record.h — a task record read before it is applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _LensPreparedRecord LensPreparedRecord;

LensPreparedRecord *lens_prepared_record_new      (JsonNode                 *record);
const char         *lens_prepared_record_get_id   (const LensPreparedRecord *self);
void                lens_prepared_record_free     (LensPreparedRecord       *self);
GPtrArray          *lens_prepared_records_new_all (GPtrArray                *records);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensPreparedRecord, lens_prepared_record_free)

G_END_DECLS
