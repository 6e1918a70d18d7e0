/* test-name-template.c — the names saved images get from the user's template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A name is the stem a template gives for a task; every one of them must
 * be a name every file system takes, however hostile or long the prompt.
 */

#include "config.h"

#include <string.h>

#include "lens-name-template.h"
#include "lens-test.h"

#define TASK_ID "7489DF4C-EF03-4DE0-B598-E9A590793434"

static char *
expand (const char *name_template,
        const char *prompt,
        guint       index)
{
  g_autoptr(GDateTime) created = g_date_time_new_local (2024, 7, 7, 15, 4, 5);
  LensImageFacts fields = {
    .task_id = TASK_ID,
    .task_type = "imagine",
    .prompt = prompt,
    .created_at = (double) g_date_time_to_unix (created),
    .index = index,
  };

  return lens_name_template_expand (name_template, &fields);
}

/* What every name must be, wherever it is saved. */
static void
assert_safe_name (const char *name)
{
  gsize length = strlen (name);

  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpuint (length, <=, LENS_NAME_MAX_STEM_BYTES);
  g_assert_null (strpbrk (name, "/\\:*?\"<>|"));
  g_assert_false (name[0] == '.' || name[0] == '-' || name[0] == ' ');
  g_assert_false (name[length - 1] == '.' || name[length - 1] == ' ');
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      GUnicodeType type = g_unichar_type (g_utf8_get_char (p));

      g_assert_true (type != G_UNICODE_CONTROL && type != G_UNICODE_FORMAT);
    }
  g_assert_null (strstr (name, "  "));
}

static void
test_default (void)
{
  g_autofree char *name = expand (NULL, "A cat sitting on a table", 0);

  g_assert_cmpstr (name, ==, "2024-07-07 A cat sitting on a table (7489df4c)");
  g_assert_cmpstr (LENS_NAME_TEMPLATE_DEFAULT, ==, "{date} {prompt} ({short_id})");
}

static void
test_fields (void)
{
  g_autofree char *all = expand ("{date} {time} {type} {id} {short_id} {prompt}", "cat", 0);
  g_autofree char *grid = expand ("{short_id}-{index}", "cat", 3);
  g_autoptr(GDateTime) created = g_date_time_new_local (2024, 7, 7, 15, 4, 5);
  LensImageFacts upscale = {
    .task_id = TASK_ID, .action = "upscale2", .created_at = (double) g_date_time_to_unix (created)
  };
  g_autofree char *action = lens_name_template_expand ("{action} {date}", &upscale);

  g_assert_cmpstr (all, ==, "2024-07-07 15-04-05 imagine 7489df4c-ef03-4de0-b598-e9a590793434 7489df4c cat");
  g_assert_cmpstr (grid, ==, "7489df4c-3");
  g_assert_cmpstr (action, ==, "upscale2 2024-07-07");
}

/* The four images of a grid never take one name, even when the template
 * does not say where the number goes. */
static void
test_grid_index_added (void)
{
  g_autofree char *whole = expand (NULL, "cat", 0);
  g_autofree char *second = expand (NULL, "cat", 2);

  g_assert_cmpstr (whole, ==, "2024-07-07 cat (7489df4c)");
  g_assert_cmpstr (second, ==, "2024-07-07 cat (7489df4c) 2");
}

/* Fields a task lacks leave no stray spaces or brackets. */
static void
test_missing_fields (void)
{
  LensImageFacts bare = { .task_id = TASK_ID, .created_at = -1 };
  g_autofree char *name = lens_name_template_expand (NULL, &bare);
  g_autofree char *no_action = expand ("{prompt} ({action}) [{type}]", "cat", 0);

  g_assert_cmpstr (name, ==, "(7489df4c)");
  g_assert_cmpstr (no_action, ==, "cat [imagine]");
}

/* What names the image, without links and parameters. */
static void
test_prompt_words (void)
{
  g_autofree char *params = expand ("{prompt}", "A cat sitting on a table --ar 3:2 --v 6.1 --style raw", 0);
  g_autofree char *links = expand ("{prompt}", "https://cdn.example/a.png <https://x/b.jpg> a red fox", 0);
  g_autofree char *long_words = lens_name_shorten_prompt (
    "a lighthouse in a foggy harbor at golden hour, watercolor, soft light, muted colors", 60);
  g_autofree char *dashes = expand ("{prompt}", "well-known -- cat", 0);

  g_assert_cmpstr (params, ==, "A cat sitting on a table");
  g_assert_cmpstr (links, ==, "a red fox");
  /* Cut at a word's end, without the comma before it. */
  g_assert_cmpstr (long_words, ==, "a lighthouse in a foggy harbor at golden hour, watercolor");
  g_assert_cmpstr (dashes, ==, "well-known -- cat");
}

typedef struct
{
  const char *prompt;
  const char *expected;
} SafeCase;

static const SafeCase hostile_cases[] = {
  { "../../etc/passwd", "etc passwd" },
  { "a/b\\c:d*e?f\"g<h>i|j", "a b c d e f g h i j" },
  { "line one\nline two\tand\r\nthree", "line one line two and three" },
  { "bell\x07 and \x1b[31mred", "bell and [31mred" },
  /* A right-to-left override would show "cat.exe.png" as "cat.gnp.exe". */
  { "cat\u202Egnp.exe", "catgnp.exe" },
  { "zero\u200Bwidth\u2060joiner", "zerowidthjoiner" },
  { ".hidden", "hidden" },
  { "-rf everything", "rf everything" },
  { "trailing dots...", "trailing dots" },
  { "CON", "_CON" },
  { "con.txt", "_con.txt" },
  { "Aux", "_Aux" },
  { "COM1", "_COM1" },
  { "lpt9", "_lpt9" },
  { "COM\u00B9", "_COM\u00B9" },
  { "COM10", "COM10" },
  { "console", "console" },
  { "", "image" },
  { "///", "image" },
  { "\u202E", "image" },
  { "caf\xc3\xa9 \xff\xfe broken", "café \uFFFD\uFFFD broken" },
};

static void
test_hostile (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *name = lens_name_make_safe (hostile_cases[i].prompt, LENS_NAME_MAX_STEM_BYTES);

      g_test_message ("%s", hostile_cases[i].expected);
      g_assert_cmpstr (name, ==, hostile_cases[i].expected);
      assert_safe_name (name);
    }
}

/* Korean takes three bytes a syllable: the prompt is cut by bytes, never
 * inside a syllable, and the date and id still show. */
static void
test_long_korean (void)
{
  GString *prompt = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *xs = NULL;
  g_autofree char *long_template = NULL;
  g_autofree char *squeezed = NULL;

  for (int i = 0; i < 100; i++)
    g_string_append (prompt, "고양이가");
  name = expand (NULL, prompt->str, 0);

  assert_safe_name (name);
  g_assert_true (g_str_has_prefix (name, "2024-07-07 고양이가"));
  g_assert_true (g_str_has_suffix (name, " (7489df4c)"));
  /* As many whole syllables as the bytes left allow: (180 - 22) / 3. */
  g_assert_cmpuint (g_utf8_strlen (name, -1), ==, strlen ("2024-07-07 ") + 52 + strlen (" (7489df4c)"));

  /* Long words around the prompt: it gives way, the rest stays. */
  xs = g_strnfill (120, 'x');
  long_template = g_strconcat (xs, " {prompt} {short_id}", NULL);
  squeezed = expand (long_template, prompt->str, 4);
  assert_safe_name (squeezed);
  g_assert_true (g_str_has_suffix (squeezed, "7489df4c 4"));

  g_string_free (prompt, TRUE);
}

/* Loose jamo (as some tools send Korean) become syllables. */
static void
test_composed (void)
{
  g_autofree char *decomposed = g_utf8_normalize ("고양이", -1, G_NORMALIZE_NFD);
  g_autofree char *name = lens_name_make_safe (decomposed, LENS_NAME_MAX_STEM_BYTES);

  g_assert_cmpuint (strlen (decomposed), >, strlen ("고양이"));
  g_assert_cmpstr (name, ==, "고양이");
}

/* Whatever bytes a prompt holds, the name is safe. */
static void
test_random_prompts (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (int round = 0; round < 2000; round++)
    {
      guint length = (guint) g_rand_int_range (rand, 0, 600);
      g_autofree char *bytes = g_malloc (length + 1);
      g_autofree char *name = NULL;

      for (guint i = 0; i < length; i++)
        {
          /* Mostly ASCII and its edges, some UTF-8 lead and follow bytes. */
          static const char pool[] = "aZ ./\\-:\n\t\x01\x7f\xc3\xa9\xea\xb3\xa0\xe2\x80\xae{}";

          bytes[i] = pool[g_rand_int_range (rand, 0, (gint32) sizeof pool - 1)];
        }
      bytes[length] = '\0';
      name = expand (round % 2 == 0 ? NULL : "{prompt}", bytes, (guint) round % 5);
      assert_safe_name (name);
    }
}

static void
test_check (void)
{
  g_autoptr(GError) unclosed = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autoptr(GError) empty = NULL;
  g_autoptr(GError) blank = NULL;
  g_autofree char *fallback = NULL;

  g_assert_true (lens_name_template_check (LENS_NAME_TEMPLATE_DEFAULT, NULL));
  g_assert_true (lens_name_template_check ("midjourney", NULL));
  g_assert_true (lens_name_template_check ("{id}", NULL));

  g_assert_false (lens_name_template_check ("{date", &unclosed));
  g_assert_error (unclosed, LENS_NAME_TEMPLATE_ERROR, LENS_NAME_TEMPLATE_ERROR_UNCLOSED_FIELD);
  g_assert_false (lens_name_template_check ("{date} {colour}", &unknown));
  g_assert_error (unknown, LENS_NAME_TEMPLATE_ERROR, LENS_NAME_TEMPLATE_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (unknown->message, "{colour}"));
  g_assert_false (lens_name_template_check ("", &empty));
  g_assert_error (empty, LENS_NAME_TEMPLATE_ERROR, LENS_NAME_TEMPLATE_ERROR_EMPTY);
  g_assert_false (lens_name_template_check (" - . ", &blank));
  g_assert_error (blank, LENS_NAME_TEMPLATE_ERROR, LENS_NAME_TEMPLATE_ERROR_EMPTY);

  /* A template that cannot name files is never used: the default is. */
  fallback = expand ("{date", "cat", 0);
  g_assert_cmpstr (fallback, ==, "2024-07-07 cat (7489df4c)");
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/name-template/default", test_default);
  g_test_add_func ("/name-template/fields", test_fields);
  g_test_add_func ("/name-template/grid-index-added", test_grid_index_added);
  g_test_add_func ("/name-template/missing-fields", test_missing_fields);
  g_test_add_func ("/name-template/prompt-words", test_prompt_words);
  g_test_add_func ("/name-template/hostile", test_hostile);
  g_test_add_func ("/name-template/long-korean", test_long_korean);
  g_test_add_func ("/name-template/composed", test_composed);
  g_test_add_func ("/name-template/random-prompts", test_random_prompts);
  g_test_add_func ("/name-template/check", test_check);

  return g_test_run ();
}
