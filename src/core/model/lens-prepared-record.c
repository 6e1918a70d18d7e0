/* lens-prepared-record.c — a task record read before it is applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Applying a record to a task means walking its JSON (the mapping of
 * lens-task-values.c) and writing it back to text for the history: about
 * two thirds of what the main thread spent per record when 10,000 ids
 * were looked up at the speed of a server without limits. A prepared
 * record has done both, on any thread (the client prepares a batch's
 * records in a worker), so that applying it on the main thread only moves
 * what it holds into the task (lens_task_apply_prepared_record()).
 */

#define G_LOG_DOMAIN "lens-task"

#include "config.h"

#include "lens-json.h"
#include "lens-task-values.h"
#include "lens-prepared-record.h"

/**
 * lens_prepared_record_new:
 * @record: one task record as the server sent it
 *
 * Reads @record, on whichever thread calls it; @record must not be changed
 * meanwhile by another thread.
 *
 * Returns: (transfer full) (nullable): the prepared record, or %NULL when
 *   @record is not an object with a task id
 */
LensPreparedRecord *
lens_prepared_record_new (JsonNode *record)
{
  LensPreparedRecord *self;
  JsonObject *object;
  const char *id;

  g_return_val_if_fail (record != NULL, NULL);

  object = JSON_NODE_HOLDS_OBJECT (record) ? json_node_get_object (record) : NULL;
  id = lens_json_get_string (object, "id");
  if (id == NULL || *id == '\0')
    return NULL;

  self = g_new0 (LensPreparedRecord, 1);
  self->id = g_ascii_strdown (id, -1);
  lens_task_values_init (&self->values);
  lens_task_values_map_record (object, &self->values);
  VALUE_STRING (&self->values, PROP_RAW_JSON) = json_to_string (record, FALSE);
  return self;
}

/* The task id, in lower case. */
const char *
lens_prepared_record_get_id (const LensPreparedRecord *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id;
}

void
lens_prepared_record_free (LensPreparedRecord *self)
{
  if (self == NULL)
    return;
  lens_task_values_clear (&self->values);
  g_free (self->id);
  g_free (self);
}

/**
 * lens_prepared_records_new_all:
 * @records: (element-type JsonNode): task records
 *
 * Returns: (transfer full) (element-type LensPreparedRecord): those of
 *   @records that are objects with a task id, prepared, in their order
 */
GPtrArray *
lens_prepared_records_new_all (GPtrArray *records)
{
  GPtrArray *prepared;

  g_return_val_if_fail (records != NULL, NULL);

  prepared = g_ptr_array_new_full (records->len, (GDestroyNotify) lens_prepared_record_free);
  for (guint i = 0; i < records->len; i++)
    {
      LensPreparedRecord *record = lens_prepared_record_new (g_ptr_array_index (records, i));

      if (record != NULL)
        g_ptr_array_add (prepared, record);
    }
  return prepared;
}
