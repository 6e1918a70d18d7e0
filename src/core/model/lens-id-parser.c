/* lens-id-parser.c — find AceData task ids in any text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Users paste task ids from wherever they happen to have them: lists, CSV
 * exports, log files, bot messages, image URLs, raw API responses.  Rather than
 * asking them to clean that up, we pick the ids out ourselves.
 *
 * Plain text is scanned byte by byte for UUID-shaped runs (a hand-written
 * scanner, so that the boundary rule below is exact and the whole scan is one
 * linear pass).  JSON is handed to json-glib instead, because an API response
 * holds many UUIDs that are not task ids (application_id, credential_id, …)
 * and only the keys tell them apart.
 */

#define G_LOG_DOMAIN "lens-id-parser"

#include "config.h"

#include "lens-id-parser.h"
#include "lens-json.h"
#include "lens-prepared-record.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* 8-4-4-4-12 hex digits */
#define UUID_LENGTH 36

typedef struct
{
  LensIdParseResult *result;
  /* The ids seen so far; the strings belong to result->ids. */
  GHashTable        *seen;
  /* Made on first use and reused for every JSON line of an NDJSON text. */
  JsonParser        *parser;
} ParseState;

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static gboolean
is_blank_char (char c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

/* Whether the UUID_LENGTH bytes at @p (the caller checked that they exist)
 * have the shape of a UUID. */
static gboolean
has_uuid_shape (const char *p)
{
  for (int i = 0; i < UUID_LENGTH; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (p[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (p[i]))
        {
          return FALSE;
        }
    }

  return TRUE;
}

/* The boundary rule.  A UUID-shaped run only counts as an id when it is not
 * a piece of something longer:
 *
 *  - the byte right before it and the byte right after it must not be an
 *    ASCII letter, digit or '_' (so "x7489df4c-…" and "…793434a" are
 *    rejected, and so are file names like "cat_7489df4c-….png");
 *  - when that neighbour is '-', look one byte further: a hex digit there
 *    means the run continues a longer hyphenated hex run ("abcd-<uuid>",
 *    "<uuid>-1f"), so it is rejected; anything else ("task-<uuid>",
 *    "<uuid>-thumb.png", "--<uuid>") is a label or suffix and is accepted.
 *
 * Bytes outside the span (the start or end of the line) count as boundaries,
 * and so do non-ASCII bytes: ids are ASCII, and "ID：<uuid>" is common.
 *
 * The rule is the same on both sides, so it is written once: @next is the
 * neighbour and @beyond the byte one further away from the run, each %NULL
 * when it lies outside the span. */
static gboolean
is_boundary (const char *next,
             const char *beyond)
{
  if (next == NULL)
    return TRUE;
  if (is_word_char (*next))
    return FALSE;
  if (*next == '-' && beyond != NULL && g_ascii_isxdigit (*beyond))
    return FALSE;

  return TRUE;
}

/* Whether the UUID-shaped run at @p .. @p + UUID_LENGTH of the span @span ..
 * @span_end stands alone on both sides. */
static gboolean
is_bounded (const char *span,
            const char *span_end,
            const char *p)
{
  const char *after = p + UUID_LENGTH;

  return is_boundary (p - span >= 1 ? p - 1 : NULL, p - span >= 2 ? p - 2 : NULL)
         && is_boundary (span_end - after >= 1 ? after : NULL,
                         span_end - after >= 2 ? after + 1 : NULL);
}

/* Records the UUID at @p (UUID_LENGTH bytes, any case) unless it was seen. */
static void
add_id (ParseState *state,
        const char *p)
{
  char id[UUID_LENGTH + 1];

  for (int i = 0; i < UUID_LENGTH; i++)
    id[i] = g_ascii_tolower (p[i]);
  id[UUID_LENGTH] = '\0';

  if (!g_hash_table_contains (state->seen, id))
    {
      char *copy = g_strdup (id);

      g_ptr_array_add (state->result->ids, copy);
      g_hash_table_add (state->seen, copy);
    }
}

/* Scans @len bytes of plain text; returns how many ids it held, counting
 * repeats, so that a line naming a known id still counts as recognised. */
static guint
scan_text (ParseState *state,
           const char *text,
           size_t      len)
{
  const char *end = text + len;
  const char *p = text;
  guint found = 0;

  /* An id can only start where a run of word characters starts (the byte
   * before it must not be one), so try a match there and otherwise skip the
   * whole run: every byte is looked at a bounded number of times. */
  while (p < end)
    {
      if (!is_word_char (*p))
        {
          p++;
          continue;
        }

      if (end - p >= UUID_LENGTH
          && has_uuid_shape (p)
          && is_bounded (text, end, p))
        {
          add_id (state, p);
          found++;
          p += UUID_LENGTH;
          continue;
        }

      while (p < end && is_word_char (*p))
        p++;
    }

  return found;
}

static gboolean
is_id_key (const char *key)
{
  return strcmp (key, "id") == 0
         || strcmp (key, "task_id") == 0
         || strcmp (key, "ids") == 0
         || strcmp (key, "task_ids") == 0;
}

/* Walks a JSON tree.  Strings count only when @take_strings: under one of the
 * id keys, or in arrays that are not inside any object (a bare list of ids).
 * Every other string is ignored, whatever UUIDs it holds — in an API response
 * those are image URLs, prompts and other records' ids.  json-glib caps the
 * nesting depth (at 1024), which bounds this recursion. */
/* Keeps @object whole when it is a task's record (an item of a retrieve
 * answer, or of Tasklens's JSON export: an id, and the request or the
 * response), so that the task comes back without asking the server. The
 * first record of an id is kept, as its first mention decides its place. */
static void
keep_record (ParseState *state,
             JsonNode   *node)
{
  JsonObject *object = json_node_get_object (node);
  const char *id = lens_json_get_string (object, "id");
  g_autofree char *lower = NULL;
  LensPreparedRecord *record;

  if (!lens_id_is_task_id (id)
      || (lens_json_get_object (object, "request") == NULL
          && lens_json_get_object (object, "response") == NULL))
    return;

  lower = g_ascii_strdown (id, -1);
  if (state->result->records == NULL)
    state->result->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    (GDestroyNotify) lens_prepared_record_free);
  if (g_hash_table_contains (state->result->records, lower))
    return;

  record = lens_prepared_record_new (node);
  if (record != NULL)
    g_hash_table_insert (state->result->records, g_steal_pointer (&lower), record);
}

static void
collect_json_ids (ParseState *state,
                  JsonNode   *node,
                  gboolean    take_strings,
                  guint      *found)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *key;
        JsonNode *member;

        keep_record (state, node);
        /* The ordered iterator keeps ids in the order they were written. */
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &key, &member))
          collect_json_ids (state, member, is_id_key (key), found);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          collect_json_ids (state, json_array_get_element (array, i), take_strings, found);
      }
      break;

    case JSON_NODE_VALUE:
      if (take_strings && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *value = json_node_get_string (node);

          if (lens_id_is_task_id (value))
            {
              add_id (state, value);
              (*found)++;
            }
        }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

/* Parses @len bytes as one JSON object or array; returns its root (owned by
 * the state's parser, valid until the next call) or NULL when it is not
 * JSON. */
static JsonNode *
load_json (ParseState *state,
           const char *text,
           size_t      len)
{
  if (len == 0 || (text[0] != '{' && text[0] != '['))
    return NULL;

  if (state->parser == NULL)
    {
      state->parser = json_parser_new ();
      /* Without strict mode json-glib accepts several top-level values in a
       * row, which would read a whole NDJSON text as a single document. */
      json_parser_set_strict (state->parser, TRUE);
    }

  /* The error only says why this is not JSON, which just means the text is
   * scanned as plain text instead. */
  if (!json_parser_load_from_data (state->parser, text, (gssize) len, NULL))
    return NULL;

  return json_parser_get_root (state->parser);
}

/* Narrows [*start, *end) to leave out blank bytes at both ends. */
static void
trim (const char **start,
      const char **end)
{
  while (*start < *end && is_blank_char (**start))
    (*start)++;
  while (*end > *start && is_blank_char ((*end)[-1]))
    (*end)--;
}

/* Returns the end of the line starting at @p; lines end at "\n", "\r\n" or
 * a lone "\r" (old Mac files, some clipboard sources). */
static const char *
find_line_end (const char *p,
               const char *end)
{
  while (p < end && *p != '\n' && *p != '\r')
    p++;

  return p;
}

/* Returns the start of the next line, given the end of the current one. */
static const char *
skip_line_break (const char *p,
                 const char *end)
{
  if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
    return p + 2;
  if (p < end)
    return p + 1;

  return p;
}

/* The one walk over lines that both counting and parsing use: steps *@p
 * past the next line of [*@p, @end) that is not blank and returns it,
 * trimmed, as [*@line, *@line_end); FALSE when no such line is left. */
static gboolean
next_non_blank_line (const char  **p,
                     const char   *end,
                     const char  **line,
                     const char  **line_end)
{
  while (*p < end)
    {
      *line = *p;
      *line_end = find_line_end (*p, end);
      *p = skip_line_break (*line_end, end);

      trim (line, line_end);
      if (*line < *line_end)
        return TRUE;
    }

  return FALSE;
}

static guint
count_non_blank_lines (const char *text,
                       const char *end)
{
  const char *p = text;
  const char *line, *line_end;
  guint n = 0;

  while (next_non_blank_line (&p, end, &line, &line_end))
    n++;

  return n;
}

/* Handles one non-blank, trimmed line; returns how many ids it held. */
static guint
parse_line (ParseState *state,
            const char *line,
            size_t      len)
{
  JsonNode *root = load_json (state, line, len);
  guint found = 0;

  if (root == NULL)
    return scan_text (state, line, len);

  collect_json_ids (state, root, TRUE, &found);

  return found;
}

static void
parse_lines (ParseState *state,
             const char *text,
             const char *end)
{
  const char *p = text;
  const char *line, *line_end;

  while (next_non_blank_line (&p, end, &line, &line_end))
    {
      state->result->n_lines++;
      if (parse_line (state, line, line_end - line) == 0)
        state->result->n_unrecognised_lines++;
    }
}

/* Reads the whole text as one JSON document, if it is one. */
static gboolean
parse_whole_json (ParseState *state,
                  const char *text,
                  const char *end)
{
  const char *start = text;
  const char *trimmed_end = end;
  JsonNode *root;
  guint found = 0;

  trim (&start, &trimmed_end);
  root = load_json (state, start, trimmed_end - start);
  if (root == NULL)
    return FALSE;

  collect_json_ids (state, root, TRUE, &found);
  state->result->was_json = TRUE;
  state->result->n_lines = count_non_blank_lines (text, end);
  state->result->n_unrecognised_lines = found > 0 ? 0 : state->result->n_lines;

  return TRUE;
}

static LensIdParseResult *
lens_id_parse_result_new (void)
{
  LensIdParseResult *result = g_new0 (LensIdParseResult, 1);

  result->ids = g_ptr_array_new_with_free_func (g_free);

  return result;
}

/**
 * lens_id_parser_parse:
 * @text: (nullable) (array length=length): the text to search
 * @length: the length of @text in bytes, or -1 when it is NUL-terminated
 *
 * Finds the AceData task ids in @text.  When the whole text is a JSON object
 * or array, only the ids its `id`, `task_id`, `ids` and `task_ids` keys name
 * are taken (plus the strings of a bare array of ids); otherwise each line is
 * read as JSON when it is a JSON object or array, and scanned as plain text
 * when not.
 *
 * Returns: (transfer full): what was found; free with
 *   lens_id_parse_result_free()
 */
LensIdParseResult *
lens_id_parser_parse (const char *text,
                      gssize      length)
{
  ParseState state = { 0 };
  const char *end;

  g_return_val_if_fail (text != NULL || length <= 0, NULL);

  state.result = lens_id_parse_result_new ();
  if (text == NULL)
    return state.result;

  end = text + (length < 0 ? strlen (text) : (size_t) length);
  /* A byte order mark would stop the text from starting with '{' or '['. */
  if (end - text >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    text += 3;

  state.seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!parse_whole_json (&state, text, end))
    parse_lines (&state, text, end);

  g_hash_table_unref (state.seen);
  g_clear_object (&state.parser);

  return state.result;
}

/**
 * lens_id_parse_result_steal_record:
 * @result: what the parser found
 * @id: a task id, in lower case
 *
 * Returns: (transfer full) (nullable): the record @result holds for @id,
 *   which it then no longer holds; %NULL when it has none
 */
LensPreparedRecord *
lens_id_parse_result_steal_record (LensIdParseResult *result,
                                   const char        *id)
{
  gpointer key = NULL;
  gpointer record = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  /* Stolen, the key is ours to free, as the table would have. */
  if (result->records != NULL && g_hash_table_steal_extended (result->records, id, &key, &record))
    g_free (key);
  return record;
}

/**
 * lens_id_is_task_id:
 * @text: (nullable): a string
 *
 * Returns: whether @text is exactly one task id (a UUID, in any case, with
 *   nothing around it)
 */
gboolean
lens_id_is_task_id (const char *text)
{
  if (text == NULL)
    return FALSE;

  /* has_uuid_shape() stops at the first byte that does not fit, so a shorter
   * string ends at its NUL and a long one is never measured whole. */
  return has_uuid_shape (text) && text[UUID_LENGTH] == '\0';
}

/**
 * lens_id_parse_result_free:
 * @result: (nullable) (transfer full): a result of lens_id_parser_parse()
 *
 * Frees @result and the ids in it.
 */
void
lens_id_parse_result_free (LensIdParseResult *result)
{
  if (result == NULL)
    return;

  g_ptr_array_unref (result->ids);
  g_clear_pointer (&result->records, g_hash_table_unref);
  g_free (result);
}
