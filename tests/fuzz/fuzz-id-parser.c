/* fuzz-id-parser.c — lens_id_parser_parse() on any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import hands the parser a file's bytes as they are (lens-import.c):
 * any length, any encoding, NULs included. Besides not crashing, what it
 * returns must keep the promises of lens-id-parser.h.
 */

#define G_LOG_DOMAIN "fuzz-id-parser"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "lens-id-parser.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(LensIdParseResult) result = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  /* A copy of exactly @size bytes, so that ASan sees any read past the end. */
  g_autofree char *text = g_memdup2 (data, size);

  result = lens_id_parser_parse (size > 0 ? text : NULL, (gssize) size);
  FUZZ_CHECK (result != NULL && result->ids != NULL);
  FUZZ_CHECK (result->n_unrecognised_lines <= result->n_lines);

  for (guint i = 0; i < result->ids->len; i++)
    {
      const char *id = g_ptr_array_index (result->ids, i);
      g_autofree char *lower = g_ascii_strdown (id, -1);

      FUZZ_CHECK (lens_id_is_task_id (id));
      FUZZ_CHECK (strcmp (id, lower) == 0);
      FUZZ_CHECK (g_hash_table_add (seen, (gpointer) id));
    }

  /* lens_id_is_task_id() on the input itself, as the add dialog's entry
   * does; it reads a NUL-terminated string. */
  if (size > 0 && memchr (data, '\0', size) != NULL)
    (void) lens_id_is_task_id (text);

  return 0;
}
