/* test-id-parser.c — tests for finding task ids in pasted text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-id-parser"

#include "config.h"

#include <string.h>

#include "lens-id-parser.h"
#include "lens-test.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C "26c39859-f54a-4998-9e42-3da96eceee8c"
#define ID_D "037955e0-deee-4050-baa8-1416300d67e2"
#define ID_E "49589d2c-b6b3-4fbf-9f82-93068509c76f"
#define ID_A_UPPER "7489DF4C-EF03-4DE0-B598-E9A590793434"
#define ID_B_MIXED "807F62de-C63E-4aDD-8345-7f0AE6dd18E7"

/* The ids of a result, space-separated, for readable failure messages. */
static char *
join_ids (LensIdParseResult *result)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < result->ids->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ' ');
      g_string_append (joined, g_ptr_array_index (result->ids, i));
    }

  return g_string_free_and_steal (g_steal_pointer (&joined));
}

/* @expected: the ids, space-separated, in order ("" for none) */
static void
assert_ids (LensIdParseResult *result,
            const char        *expected)
{
  g_autofree char *actual = join_ids (result);

  g_assert_cmpstr (actual, ==, expected);
}

static void
assert_counts (LensIdParseResult *result,
               guint              n_lines,
               guint              n_unrecognised_lines,
               gboolean           was_json)
{
  g_assert_cmpuint (result->n_lines, ==, n_lines);
  g_assert_cmpuint (result->n_unrecognised_lines, ==, n_unrecognised_lines);
  g_assert_cmpint (result->was_json, ==, was_json);
}

/* Plain text, JSON and NDJSON pastes and what they should give. */
typedef struct
{
  const char *name;
  const char *input;
  const char *ids;
  guint       n_lines;
  guint       n_unrecognised_lines;
  gboolean    was_json;
} ParseCase;

static const ParseCase parse_cases[] = {
  /* Lists */
  { "list/newline", ID_A "\n" ID_B "\n" ID_C "\n", ID_A " " ID_B " " ID_C, 3, 0, FALSE },
  { "list/crlf-and-blank-lines", "\r\n" ID_A "\r\n\r\n   \r\n" ID_B "\r\n", ID_A " " ID_B, 2, 0, FALSE },
  { "list/lone-cr", ID_A "\r" ID_B "\r", ID_A " " ID_B, 2, 0, FALSE },
  { "list/comma", ID_A "," ID_B "," ID_C, ID_A " " ID_B " " ID_C, 1, 0, FALSE },
  { "list/comma-space", ID_A ", " ID_B ",  " ID_C ",", ID_A " " ID_B " " ID_C, 1, 0, FALSE },
  { "list/space", ID_A " " ID_B "   " ID_C, ID_A " " ID_B " " ID_C, 1, 0, FALSE },
  { "list/tab", "\t" ID_A "\t" ID_B "\t\t" ID_C "\t", ID_A " " ID_B " " ID_C, 1, 0, FALSE },
  { "list/semicolon", ID_A ";" ID_B "; " ID_C ";", ID_A " " ID_B " " ID_C, 1, 0, FALSE },
  { "list/no-trailing-newline", ID_A "\n" ID_B, ID_A " " ID_B, 2, 0, FALSE },

  /* Case and duplicates */
  { "case/upper", ID_A_UPPER, ID_A, 1, 0, FALSE },
  { "case/mixed", ID_B_MIXED "\n" ID_A_UPPER, ID_B " " ID_A, 2, 0, FALSE },
  { "duplicates/keep-first-position",
    ID_B "\n" ID_A "\n" ID_B "\n" ID_C "\n" ID_A_UPPER "\n",
    ID_B " " ID_A " " ID_C, 5, 0, FALSE },
  { "duplicates/same-line", ID_A " " ID_A_UPPER " " ID_A, ID_A, 1, 0, FALSE },

  /* URLs */
  { "url/cdn-image",
    "https://platform.cdn.acedata.cloud/midjourney/" ID_A ".png?imageMogr2/thumbnail/!50p",
    ID_A, 1, 0, FALSE },
  { "url/query", "https://example.com/tasks?task_id=" ID_B "&x=1", ID_B, 1, 0, FALSE },
  { "url/path", "https://example.com/tasks/" ID_C "/", ID_C, 1, 0, FALSE },
  { "url/several",
    "https://platform.cdn.acedata.cloud/midjourney/" ID_A ".png\n"
    "see <https://example.com/t/" ID_B "> and (https://x.test/" ID_C ")",
    ID_A " " ID_B " " ID_C, 2, 0, FALSE },

  /* CSV */
  { "csv/header-unquoted",
    "task_id,prompt,status\n" ID_A ",a cat,succeeded\n" ID_B ",a dog,failed\n",
    ID_A " " ID_B, 3, 1, FALSE },
  { "csv/header-quoted",
    "\"id\",\"prompt\",\"created\"\r\n"
    "\"" ID_A "\",\"a cat, on a table\",\"2024-07-07 12:00:00\"\r\n"
    "\"" ID_B_MIXED "\",\"say \"\"hi\"\"\",\"2024-07-08 08:30:00\"\r\n",
    ID_A " " ID_B, 3, 1, FALSE },
  { "csv/semicolon-id-not-first",
    "prompt;task;state\nsunset;" ID_C ";done\n;;\n",
    ID_C, 3, 2, FALSE },

  /* Logs, Markdown, bot messages */
  { "log/lines",
    "2024-07-07T12:00:00.123Z INFO imagine finished task_id=" ID_A " duration=29.4s\n"
    "2024-07-07T12:00:01.456Z WARN retrying task=" ID_B " attempt=2\n"
    "2024-07-07T12:00:02.789Z DEBUG pool size 4 (pid 1234)\n"
    "[2024-07-07 12:00:03] task " ID_A " done\n",
    ID_A " " ID_B, 4, 1, FALSE },
  { "markdown/mixed",
    "# Tasks\n"
    "- [x] `" ID_A "`\n"
    "| id | state |\n"
    "|----|-------|\n"
    "| " ID_B " | done |\n"
    "[result](https://platform.cdn.acedata.cloud/midjourney/" ID_C ".png)\n"
    "**Task:** " ID_D "\n",
    ID_A " " ID_B " " ID_C " " ID_D, 7, 3, FALSE },
  { "bot/fullwidth-colon", "✅ 任务 ID：" ID_A "（已完成）", ID_A, 1, 0, FALSE },
  { "bot/discord",
    "**a cat sitting on a table** - <@1234567890> (fast)\nTask: " ID_B " • Progress 100%",
    ID_B, 2, 1, FALSE },

  /* The boundary rule */
  { "boundary/letter-before", "x" ID_A, "", 1, 1, FALSE },
  { "boundary/digit-after", ID_A "0", "", 1, 1, FALSE },
  { "boundary/letter-after", ID_A "z", "", 1, 1, FALSE },
  { "boundary/nine-hex-first-group", "1" ID_A, "", 1, 1, FALSE },
  { "boundary/thirteen-hex-last-group", ID_A "f", "", 1, 1, FALSE },
  { "boundary/longer-hex-run-before", "abcd-" ID_A, "", 1, 1, FALSE },
  { "boundary/longer-hex-run-after", ID_A "-1f", "", 1, 1, FALSE },
  { "boundary/hyphen-joined-ids", ID_A "-" ID_B, "", 1, 1, FALSE },
  { "boundary/hex-digit-before-hyphen", "v2-" ID_A, "", 1, 1, FALSE },
  { "boundary/task-prefix", "task-" ID_A, ID_A, 1, 0, FALSE },
  { "boundary/non-hex-before-hyphen", "g-" ID_A, ID_A, 1, 0, FALSE },
  { "boundary/thumb-suffix", ID_A "-thumb.png", ID_A, 1, 0, FALSE },
  { "boundary/double-hyphen", "--" ID_A "--", ID_A, 1, 0, FALSE },
  { "boundary/hyphen-at-ends", "-" ID_A "-", ID_A, 1, 0, FALSE },
  { "boundary/hyphen-at-line-start", "abcd\n-" ID_A "\n", ID_A, 2, 1, FALSE },
  { "boundary/underscore-before", "cat_sitting_table_" ID_A ".png", "", 1, 1, FALSE },
  { "boundary/underscore-after", ID_A "_grid_0.webp", "", 1, 1, FALSE },
  { "boundary/punctuation", "(" ID_A ") <" ID_B "> '" ID_C "' {" ID_D "}",
    ID_A " " ID_B " " ID_C " " ID_D, 1, 0, FALSE },
  { "boundary/non-ascii-neighbours", "é" ID_A "ü", ID_A, 1, 0, FALSE },
  { "shape/short-last-group", "7489df4c-ef03-4de0-b598-e9a59079343", "", 1, 1, FALSE },
  { "shape/misplaced-hyphen", "7489df4c-ef03-4de0-b598e-9a590793434", "", 1, 1, FALSE },
  { "shape/missing-hyphen", "7489df4c-ef03-4de0-b598e9a590793434", "", 1, 1, FALSE },
  { "shape/not-hex", "7489df4g-ef03-4de0-b598-e9a590793434", "", 1, 1, FALSE },
  { "shape/no-hyphens", "7489df4cef034de0b598e9a590793434", "", 1, 1, FALSE },

  /* Nothing to find */
  { "empty/empty", "", "", 0, 0, FALSE },
  { "empty/blank", "  \n\t\r\n\n \f\v ", "", 0, 0, FALSE },
  { "garbage/words", "hello world\n\nno ids here\n   \n:-)\n", "", 3, 3, FALSE },
  { "garbage/bracket-not-json", "[not json\n{also not}\n", "", 2, 2, FALSE },

  /* Whole-text JSON */
  { "json/array-of-ids", "[\"" ID_A "\", \"" ID_B_MIXED "\"]", ID_A " " ID_B, 1, 0, TRUE },
  { "json/array-pretty",
    "\n  [\n    \"" ID_A "\",\n\n    \"" ID_B "\"\n  ]\n\n",
    ID_A " " ID_B, 4, 0, TRUE },
  { "json/nested-arrays", "[[\"" ID_A "\"], [\"" ID_B "\", [\"" ID_C "\"]], []]",
    ID_A " " ID_B " " ID_C, 1, 0, TRUE },
  { "json/array-skips-non-ids",
    "[\"not-an-id\", \"" ID_A "\", 42, null, true, \" " ID_B "\", \"" ID_C "x\", \"" ID_A "\"]",
    ID_A, 1, 0, TRUE },
  { "json/array-of-records",
    "[{\"id\": \"" ID_A "\", \"prompt\": \"like " ID_C " but blue\"},\n"
    " {\"task_id\": \"" ID_B "\", \"image_url\": \"https://x.test/" ID_D ".png\"}]",
    ID_A " " ID_B, 2, 0, TRUE },
  { "json/nested-data",
    "{\"data\": [{\"id\": \"" ID_A "\"}, {\"id\": \"" ID_B "\"}], \"total\": 2}",
    ID_A " " ID_B, 1, 0, TRUE },
  { "json/imagine-response", "{\"success\": true, \"task_id\": \"" ID_C "\"}", ID_C, 1, 0, TRUE },
  { "json/ids-array", "{\"ids\": [\"" ID_A "\", \"" ID_B "\"]}", ID_A " " ID_B, 1, 0, TRUE },
  { "json/task-ids-string", "{\"task_ids\": \"" ID_A_UPPER "\"}", ID_A, 1, 0, TRUE },
  { "json/task-ids-of-records", "{\"task_ids\": [{\"id\": \"" ID_A "\"}]}", ID_A, 1, 0, TRUE },
  { "json/deeply-nested-response",
    "{\"result\": {\"tasks\": [{\"response\": {\"task_id\": \"" ID_D "\"}}]}}",
    ID_D, 1, 0, TRUE },
  { "json/other-keys-ignored",
    "{\"application_id\": \"" ID_A "\", \"credential_id\": \"" ID_B "\", "
    "\"job_id\": \"" ID_C "\", \"trace_id\": \"" ID_D "\", \"image_id\": \"" ID_E "\", "
    "\"_id\": \"" ID_A "\", \"video_id\": \"" ID_B "\", \"ID\": \"" ID_C "\"}",
    "", 1, 1, TRUE },
  { "json/uuids-in-strings-ignored",
    "{\"image_url\": \"https://platform.cdn.acedata.cloud/midjourney/" ID_A ".png\",\n"
    " \"prompt\": \"redo " ID_B "\"}",
    "", 2, 2, TRUE },
  { "json/list-under-other-key-ignored", "{\"list\": [\"" ID_A "\"]}", "", 1, 1, TRUE },
  { "json/id-not-a-uuid", "{\"id\": \"668aae3f550a4144a540803b\", \"task_id\": 12}", "", 1, 1, TRUE },
  { "json/empty-object", "{}", "", 1, 1, TRUE },
  { "json/empty-array", "  [ ]  ", "", 1, 1, TRUE },
  { "json/byte-order-mark", "\xEF\xBB\xBF{\"id\": \"" ID_A "\"}", ID_A, 1, 0, TRUE },

  /* Not JSON after all: scanned as text */
  { "json-fallback/truncated",
    "{\"id\": \"" ID_A "\",\n \"application_id\": \"" ID_B "\"",
    ID_A " " ID_B, 2, 0, FALSE },
  { "json-fallback/unquoted-array", "[" ID_A ", " ID_B "]", ID_A " " ID_B, 1, 0, FALSE },
  { "json-fallback/single-quotes", "{'id': '" ID_A "'}", ID_A, 1, 0, FALSE },
  { "json-fallback/text-after", "[\"" ID_A "\"] and " ID_B, ID_A " " ID_B, 1, 0, FALSE },

  /* NDJSON and logs with JSON lines */
  { "ndjson/records",
    "{\"task_id\": \"" ID_A "\", \"image_url\": \"https://x.test/" ID_D ".png\"}\n"
    "{\"trace_id\": \"" ID_B "\", \"success\": false}\n"
    "  [\"" ID_C "\"]  \n"
    "{\"task_id\": \"" ID_A "\", \"progress\": 100}\n",
    ID_A " " ID_C, 4, 1, FALSE },
  { "ndjson/mixed-with-text",
    "started batch\n"
    "{\"id\": \"" ID_A "\"}\n"
    "plain " ID_B " line\n"
    "{broken json " ID_C "\n"
    "data: {\"task_id\": \"" ID_D "\", \"job_id\": \"" ID_E "\"}\n",
    ID_A " " ID_B " " ID_C " " ID_D " " ID_E, 5, 1, FALSE },
};

static void
test_parse_case (gconstpointer data)
{
  const ParseCase *test = data;
  g_autoptr(LensIdParseResult) result = lens_id_parser_parse (test->input, -1);

  g_assert_nonnull (result);
  assert_ids (result, test->ids);
  assert_counts (result, test->n_lines, test->n_unrecognised_lines, test->was_json);
}

/* The same cases with an explicit length and no NUL after the text, in a
 * buffer of exactly that size so that a read past the end shows up under
 * AddressSanitizer. */
static void
test_parse_case_exact_buffer (gconstpointer data)
{
  const ParseCase *test = data;
  size_t len = strlen (test->input);
  g_autofree char *buffer = g_memdup2 (test->input, len);
  g_autoptr(LensIdParseResult) result = lens_id_parser_parse (buffer, (gssize) len);

  assert_ids (result, test->ids);
  assert_counts (result, test->n_lines, test->n_unrecognised_lines, test->was_json);
}

typedef struct
{
  const char *file;
  const char *ids;
  guint       n_lines;
  guint       n_unrecognised_lines;
  gboolean    was_json;
} FileCase;

static const FileCase file_cases[] = {
  /* Only "id" (and response.task_id, the same id); not application_id,
   * credential_id, job_id or the ids in the image URLs. */
  { "retrieve.json", ID_A, 43, 0, TRUE },
  { "retrieve_batch.json", ID_A " " ID_B, 91, 0, TRUE },
  /* A describe response names no task. */
  { "describe_response.json", "", 8, 8, TRUE },
  /* Not the UUID in the image URLs. */
  { "edits_response.json", ID_C, 18, 0, TRUE },
  { "videos_response.json", ID_D, 15, 0, TRUE },
  /* Not the eae94f0f-… UUID in the image URLs. */
  { "imagine_progress.ndjson", ID_E, 3, 0, FALSE },
  /* trace_id is not a task id. */
  { "error.json", "", 8, 8, TRUE },
};

static void
test_api_example (gconstpointer data)
{
  const FileCase *test = data;
  g_autofree char *path = lens_test_data_path ("api-examples", test->file, NULL);
  g_autofree char *contents = NULL;
  size_t length = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(LensIdParseResult) result = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  result = lens_id_parser_parse (contents, (gssize) length);
  assert_ids (result, test->ids);
  assert_counts (result, test->n_lines, test->n_unrecognised_lines, test->was_json);
}

typedef struct
{
  const char *text;
  gboolean    is_task_id;
} IsTaskIdCase;

static const IsTaskIdCase is_task_id_cases[] = {
  { ID_A, TRUE },
  { ID_A_UPPER, TRUE },
  { ID_B_MIXED, TRUE },
  { "", FALSE },
  { NULL, FALSE },
  { ID_A " ", FALSE },
  { " " ID_A, FALSE },
  { ID_A "\n", FALSE },
  { ID_A "0", FALSE },
  { "{" ID_A "}", FALSE },
  { "task-" ID_A, FALSE },
  { "7489df4c-ef03-4de0-b598-e9a59079343", FALSE },
  { "7489df4g-ef03-4de0-b598-e9a590793434", FALSE },
  { "7489df4c-ef03-4de0-b598e-9a590793434", FALSE },
  { "7489df4c_ef03_4de0_b598_e9a590793434", FALSE },
  { "668aae3f550a4144a540803b", FALSE },
};

static void
test_is_task_id (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (is_task_id_cases); i++)
    {
      const IsTaskIdCase *test = &is_task_id_cases[i];

      g_test_message ("lens_id_is_task_id (\"%s\")", test->text ? test->text : "(null)");
      g_assert_cmpint (lens_id_is_task_id (test->text), ==, test->is_task_id);
    }
}

static void
test_null_and_empty (void)
{
  g_autoptr(LensIdParseResult) from_null = lens_id_parser_parse (NULL, -1);
  g_autoptr(LensIdParseResult) from_null_empty = lens_id_parser_parse (NULL, 0);
  g_autoptr(LensIdParseResult) zero_length = lens_id_parser_parse (ID_A, 0);

  g_assert_nonnull (from_null);
  assert_ids (from_null, "");
  assert_counts (from_null, 0, 0, FALSE);

  g_assert_nonnull (from_null_empty);
  assert_ids (from_null_empty, "");

  /* A length of 0 means no text, whatever the pointer points at. */
  assert_ids (zero_length, "");
  assert_counts (zero_length, 0, 0, FALSE);

  lens_id_parse_result_free (NULL);
}

static void
test_null_with_length (void)
{
  LensIdParseResult *result;

  g_test_expect_message ("lens-id-parser", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  result = lens_id_parser_parse (NULL, 10);
  g_test_assert_expected_messages ();
  g_assert_null (result);
}

/* The length, not a NUL, ends the text: an id cut short by it is not found,
 * and a hex run cut at the end of the text ends there. */
static void
test_explicit_length (void)
{
  const char *text = ID_A "\n" ID_B "ff and more";
  g_autofree char *first_only = g_memdup2 (text, 36 + 1 + 20);
  g_autofree char *both = g_memdup2 (text, 36 + 1 + 36);
  g_autofree char *json = g_memdup2 ("[\"" ID_C "\"]garbage", 2 + 36 + 2);
  g_autoptr(LensIdParseResult) result = NULL;

  result = lens_id_parser_parse (first_only, 36 + 1 + 20);
  assert_ids (result, ID_A);
  assert_counts (result, 2, 1, FALSE);
  g_clear_pointer (&result, lens_id_parse_result_free);

  result = lens_id_parser_parse (both, 36 + 1 + 36);
  assert_ids (result, ID_A " " ID_B);
  assert_counts (result, 2, 0, FALSE);
  g_clear_pointer (&result, lens_id_parse_result_free);

  result = lens_id_parser_parse (json, 2 + 36 + 2);
  assert_ids (result, ID_C);
  assert_counts (result, 1, 0, TRUE);
}

/* Embedded NULs within an explicit length are just bytes. */
static void
test_embedded_nul (void)
{
  static const char text[] = ID_A "\0" ID_B "\n\0\n" ID_C;
  g_autoptr(LensIdParseResult) result = lens_id_parser_parse (text, sizeof text - 1);

  assert_ids (result, ID_A " " ID_B " " ID_C);
  assert_counts (result, 3, 1, FALSE);
}

static void
test_invalid_utf8 (void)
{
  const char *text =
    "\xff\xfe" ID_A "\xc3\n"
    "\x80" ID_B "\xed\xa0\x80\n"
    "\xf8\x88\x80\x80\x80 no id \xc0\xaf\n";
  const char *json = "[\"" ID_A "\", \"\xff\"]";
  g_autoptr(LensIdParseResult) result = NULL;

  result = lens_id_parser_parse (text, -1);
  assert_ids (result, ID_A " " ID_B);
  assert_counts (result, 3, 1, FALSE);
  g_clear_pointer (&result, lens_id_parse_result_free);

  /* json-glib refuses invalid UTF-8, so this is read as text. */
  result = lens_id_parser_parse (json, -1);
  assert_ids (result, ID_A);
  assert_counts (result, 1, 0, FALSE);
}

/* A distinct, valid id for each @n. */
static char *
make_id (guint n)
{
  return g_strdup_printf ("%08x-%04x-4%03x-8%03x-%012x",
                          n * 2654435761u, n & 0xffff, n % 0xfff, (n >> 12) & 0xfff, n);
}

#define N_LARGE_IDS 25000

static GPtrArray *
make_ids (void)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < N_LARGE_IDS; i++)
    g_ptr_array_add (ids, make_id (i));

  return ids;
}

static void
assert_all_ids (LensIdParseResult *result,
                GPtrArray         *ids)
{
  g_assert_cmpuint (result->ids->len, ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (g_ptr_array_index (result->ids, i), ==, g_ptr_array_index (ids, i));
}

/* 25,000 ids in a log of about 1 MB, some in upper case, some named again. */
static void
test_large_list (void)
{
  g_autoptr(GPtrArray) ids = make_ids ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LensIdParseResult) result = NULL;

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autofree char *upper = g_ascii_strup (id, -1);

      g_string_append_printf (text, "ok %s\n", i % 7 == 0 ? upper : id);
    }
  for (guint i = 0; i < ids->len; i += 1000)
    g_string_append_printf (text, "again %s\n", (char *) g_ptr_array_index (ids, i));
  g_assert_cmpuint (text->len, >, 1000000);

  result = lens_id_parser_parse (text->str, (gssize) text->len);
  assert_all_ids (result, ids);
  assert_counts (result, N_LARGE_IDS + N_LARGE_IDS / 1000, 0, FALSE);
}

/* About 1 MB of near misses: no id, and every line counted. */
static void
test_large_garbage (void)
{
  static const char *const lines[] = {
    "7489df4c-ef03-4de0-b598-e9a59079343",
    "x" ID_A,
    "abcd-" ID_A,
    ID_A "-1f",
    "cat_" ID_A ".png",
    "{\"application_id\": \"" ID_B "\"}",
    "[broken json " ID_C "-0",
    "   ",
    "lorem ipsum dolor sit amet, consectetur adipiscing elit",
    "deadbeef-cafe-babe-f00d-",
  };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LensIdParseResult) result = NULL;
  guint n_lines = 0;

  for (guint i = 0; text->len < 1024 * 1024; i++)
    {
      const char *line = lines[i % G_N_ELEMENTS (lines)];

      g_string_append_printf (text, "%s\n", line);
      if (strspn (line, " ") < strlen (line))
        n_lines++;
    }

  result = lens_id_parser_parse (text->str, (gssize) text->len);
  assert_ids (result, "");
  assert_counts (result, n_lines, n_lines, FALSE);
}

static void
test_large_single_line (void)
{
  g_autoptr(GPtrArray) ids = make_ids ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(LensIdParseResult) result = NULL;

  /* 25,000 ids, comma-separated, on one line */
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (text, "%s,", (char *) g_ptr_array_index (ids, i));
  result = lens_id_parser_parse (text->str, (gssize) text->len);
  assert_all_ids (result, ids);
  assert_counts (result, 1, 0, FALSE);
  g_clear_pointer (&result, lens_id_parse_result_free);

  /* The same ids joined by hyphens make one long hex run: nothing. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (text, "%s-", (char *) g_ptr_array_index (ids, i));
  result = lens_id_parser_parse (text->str, (gssize) text->len);
  assert_ids (result, "");
  assert_counts (result, 1, 1, FALSE);
  g_clear_pointer (&result, lens_id_parse_result_free);

  /* 1 MB of hex digits, then one id */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (text, "0123456789abcdef"[i % 16]);
  g_string_append (text, " " ID_A);
  result = lens_id_parser_parse (text->str, (gssize) text->len);
  assert_ids (result, ID_A);
  assert_counts (result, 1, 0, FALSE);
  g_clear_pointer (&result, lens_id_parse_result_free);

  /* 1 MB that starts like JSON but is not */
  g_string_truncate (text, 0);
  g_string_append (text, "[\"" ID_B "\", ");
  while (text->len < 1024 * 1024)
    g_string_append (text, "\"lorem\", ");
  result = lens_id_parser_parse (text->str, (gssize) text->len);
  assert_ids (result, ID_B);
  assert_counts (result, 1, 0, FALSE);
}

/* A batch response with thousands of records, each full of other UUIDs. */
static void
test_large_json_batch (void)
{
  g_autoptr(GPtrArray) ids = make_ids ();
  g_autoptr(GString) text = g_string_new ("{\"items\": [\n");
  g_autoptr(LensIdParseResult) result = NULL;
  guint n = 5000;

  g_ptr_array_set_size (ids, n);
  for (guint i = 0; i < n; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      g_string_append_printf (text,
                              "  {\"id\": \"%s\", \"application_id\": \"%s\", "
                              "\"response\": {\"task_id\": \"%s\", "
                              "\"image_url\": \"https://x.test/%s.png\"}}%s\n",
                              id, ID_A, id, ID_B, i + 1 < n ? "," : "");
    }
  g_string_append (text, "], \"count\": 5000}\n");

  result = lens_id_parser_parse (text->str, (gssize) text->len);
  assert_all_ids (result, ids);
  assert_counts (result, n + 2, 0, TRUE);
}

static void
add_parse_cases (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *test = &parse_cases[i];
      g_autofree char *path = g_strdup_printf ("/id-parser/parse/%s", test->name);
      g_autofree char *exact_path = g_strdup_printf ("/id-parser/exact-buffer/%s", test->name);

      g_test_add_data_func (path, test, test_parse_case);
      g_test_add_data_func (exact_path, test, test_parse_case_exact_buffer);
    }
}

static void
add_file_cases (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (file_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/id-parser/api-examples/%s", file_cases[i].file);

      g_test_add_data_func (path, &file_cases[i], test_api_example);
    }
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  add_parse_cases ();
  add_file_cases ();
  g_test_add_func ("/id-parser/is-task-id", test_is_task_id);
  g_test_add_func ("/id-parser/null-and-empty", test_null_and_empty);
  g_test_add_func ("/id-parser/null-with-length", test_null_with_length);
  g_test_add_func ("/id-parser/explicit-length", test_explicit_length);
  g_test_add_func ("/id-parser/embedded-nul", test_embedded_nul);
  g_test_add_func ("/id-parser/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/id-parser/large/list", test_large_list);
  g_test_add_func ("/id-parser/large/garbage", test_large_garbage);
  g_test_add_func ("/id-parser/large/single-line", test_large_single_line);
  g_test_add_func ("/id-parser/large/json-batch", test_large_json_batch);

  return g_test_run ();
}
