/* test-file-name.c — the names of saved images and of their temporary files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "lens-downloader.h"
#include "lens-file-name.h"
#include "lens-test.h"

#define UPPER_ID "7489DF4C-EF03-4DE0-B598-E9A590793434"
#define LOWER_ID "7489df4c-ef03-4de0-b598-e9a590793434"

typedef struct
{
  const char *task_id;
  const char *content_type;
  const char *url;
  const char *expected;
} NameCase;

static const NameCase name_cases[] = {
  { LOWER_ID, "image/png", NULL, LOWER_ID ".png" },
  { LOWER_ID, "image/jpeg", NULL, LOWER_ID ".jpg" },
  { LOWER_ID, "IMAGE/WEBP; charset=binary", NULL, LOWER_ID ".webp" },
  { LOWER_ID, "image/gif", "https://x/a.png", LOWER_ID ".gif" },
  { LOWER_ID, "video/mp4", NULL, LOWER_ID ".mp4" },
  { UPPER_ID, "image/png", NULL, LOWER_ID ".png" },
  /* No usable type: the URL's own suffix, when it is a known one. */
  { LOWER_ID, NULL, "https://cdn.example/a/b.JPEG?sig=abc", LOWER_ID ".jpg" },
  { LOWER_ID, "application/octet-stream", "https://x/y/z.webp", LOWER_ID ".webp" },
  { LOWER_ID, NULL, "https://x/clip.mp4#t=3", LOWER_ID ".mp4" },
  { LOWER_ID, NULL, NULL, LOWER_ID ".png" },
  /* Hostile URLs never reach the name. */
  { LOWER_ID, NULL, "https://x/../../etc/passwd", LOWER_ID ".png" },
  { LOWER_ID, NULL, "https://x/a.sh?x=.png", LOWER_ID ".png" },
  { LOWER_ID, NULL, "https://x/a.exe#.gif", LOWER_ID ".png" },
  { LOWER_ID, NULL, "https://x/a.png%00.sh", LOWER_ID ".png" },
  { LOWER_ID, NULL, "https://x/a.png/..", LOWER_ID ".png" },
  { LOWER_ID, NULL, "https://x/.bashrc", LOWER_ID ".png" },
  { LOWER_ID, NULL, "https://evil.gif/", LOWER_ID ".png" },
  { LOWER_ID, NULL, "not a url.gif", LOWER_ID ".png" },
  { LOWER_ID, "image/png/../../x", NULL, LOWER_ID ".png" },
  { LOWER_ID, "text/html", "https://x/index.html", LOWER_ID ".png" },
  /* No valid task id. */
  { NULL, "image/jpeg", NULL, "image.jpg" },
  { "", NULL, NULL, "image.png" },
  { "../../etc/passwd", "image/png", NULL, "image.png" },
  { LOWER_ID "/../x", "image/png", NULL, "image.png" },
  { "not-a-task", NULL, "https://x/not-a-task.gif", "image.gif" },
};

static void
test_suggest (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      const NameCase *c = &name_cases[i];
      g_autofree char *name = lens_file_name_suggest (c->task_id, c->content_type, c->url);
      g_autofree char *same = lens_downloader_suggest_name (c->task_id, c->content_type, c->url);

      g_test_message ("%s, %s, %s", c->task_id, c->content_type, c->url);
      g_assert_cmpstr (name, ==, c->expected);
      g_assert_null (strchr (name, '/'));
      /* The downloader's name for it says the same. */
      g_assert_cmpstr (same, ==, name);
    }
}

/* ".NAME.XXXXXX.part", beside the destination. */
static void
test_temp_name (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GRand) same_seed = g_rand_new_with_seed (42);
  g_autofree char *name = lens_file_name_temp (LOWER_ID ".png", rand);
  g_autofree char *again = lens_file_name_temp (LOWER_ID ".png", same_seed);
  g_autofree char *next = lens_file_name_temp (LOWER_ID ".png", rand);
  g_autofree char *global = lens_file_name_temp ("a.png", NULL);
  const char *random_part;

  g_assert_true (g_str_has_prefix (name, "." LOWER_ID ".png."));
  g_assert_true (g_str_has_suffix (name, ".part"));
  g_assert_cmpuint (strlen (name), ==, strlen ("." LOWER_ID ".png.XXXXXX.part"));
  random_part = name + strlen ("." LOWER_ID ".png.");
  for (gsize i = 0; i < 6; i++)
    g_assert_true (g_ascii_isalnum (random_part[i]));

  /* The random part is the generator's: the same seed, the same name. */
  g_assert_cmpstr (again, ==, name);
  g_assert_cmpstr (next, !=, name);

  g_assert_true (g_str_has_prefix (global, ".a.png."));
  g_assert_true (g_str_has_suffix (global, ".part"));
}

/* What a killed save may leave is recognised by its shape, and nothing
 * else is: these are the only files ever removed on their own. */
static void
test_is_temp (void)
{
  static const char * const temps[] = {
    ".a.png.Ab3xZ9.part", "." LOWER_ID ".png.000000.part", "..png.abcdef.part",
  };
  static const char * const others[] = {
    "a.png", ".a.png", "a.png.Ab3xZ9.part", ".a.png.Ab3xZ.part", ".a.png.Ab3xZ9!part",
    ".a.png.Ab-xZ9.part", ".a.pngAb3xZ9x.part", "..Ab3xZ9.part", ".Ab3xZ9.part", ".part",
    ".a.png.Ab3xZ9.part.png", "",
  };
  g_autofree char *made = lens_file_name_temp ("photo of a cat.png", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (temps); i++)
    g_assert_true (lens_file_name_is_temp (temps[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_test_message ("%s", others[i]);
      g_assert_false (lens_file_name_is_temp (others[i]));
    }
  g_assert_true (lens_file_name_is_temp (made));
}

static void
test_temp_name_long (void)
{
  g_autoptr(GString) ascii = g_string_new (NULL);
  g_autoptr(GString) utf8 = g_string_new ("a");
  g_autofree char *ascii_name = NULL;
  g_autofree char *utf8_name = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append_c (ascii, 'x');
  /* "é" is two bytes: 1 + 2 × 150 cut at 200 falls inside one. */
  for (guint i = 0; i < 150; i++)
    g_string_append (utf8, "é");

  ascii_name = lens_file_name_temp (ascii->str, NULL);
  g_assert_cmpuint (strlen (ascii_name), ==, 1 + 200 + 1 + 6 + 5);
  g_assert_cmpuint (strlen (ascii_name), <=, 255);

  utf8_name = lens_file_name_temp (utf8->str, NULL);
  g_assert_true (g_utf8_validate (utf8_name, -1, NULL));
  g_assert_cmpuint (strlen (utf8_name), ==, 1 + 199 + 1 + 6 + 5);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/file-name/suggest", test_suggest);
  g_test_add_func ("/file-name/temp", test_temp_name);
  g_test_add_func ("/file-name/is-temp", test_is_temp);
  g_test_add_func ("/file-name/temp-long", test_temp_name_long);

  return g_test_run ();
}
