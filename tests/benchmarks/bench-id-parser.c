/* bench-id-parser.c — how fast task ids are found in large pastes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-id-parser [ROUNDS]
 *
 * Parses a ~1 MB log holding 25,000 ids, a ~1 MB JSON batch response and
 * ~1 MB of text with no ids ROUNDS times each (20 by default) and prints the
 * time per parse.  The parser must stay well under 100 ms for a 1 MB paste,
 * since it runs while the user waits on the import dialog.
 */

#define G_LOG_DOMAIN "bench-id-parser"

#include "config.h"

#include <stdlib.h>

#include "lens-id-parser.h"

#define N_IDS 25000
#define TARGET_SIZE (1024 * 1024)

/* A distinct, valid id for each @n. */
static char *
make_id (guint n)
{
  return g_strdup_printf ("%08x-%04x-4%03x-8%03x-%012x",
                          n * 2654435761u, n & 0xffff, n % 0xfff, (n >> 12) & 0xfff, n);
}

static GString *
make_log (void)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < N_IDS; i++)
    {
      g_autofree char *id = make_id (i);

      if (i % 10 == 0)
        g_string_append_printf (text, "DEBUG pool=%u queue=%u\n", i % 4, i % 13);
      g_string_append_printf (text, "I %s ok\n", id);
    }

  return text;
}

static GString *
make_json_batch (guint *n_items)
{
  GString *text = g_string_new ("{\"items\": [\n");
  guint i;

  for (i = 0; text->len < TARGET_SIZE; i++)
    {
      g_autofree char *id = make_id (i);
      g_autofree char *other = make_id (i + N_IDS);

      g_string_append_printf (text,
                              "%s  {\"_id\": \"668aae3f550a4144a540803b\", \"id\": \"%s\", "
                              "\"application_id\": \"%s\", \"type\": \"imagine\", "
                              "\"request\": {\"mode\": \"fast\", \"prompt\": \"a cat on a table\"}, "
                              "\"response\": {\"task_id\": \"%s\", \"progress\": 100, "
                              "\"image_url\": \"https://platform.cdn.acedata.cloud/midjourney/%s.png\", "
                              "\"actions\": [\"upscale1\", \"upscale2\", \"reroll\"], "
                              "\"success\": true}}\n",
                              i > 0 ? "," : "", id, other, id, id);
    }
  g_string_append_printf (text, "], \"count\": %u}\n", i);
  *n_items = i;

  return text;
}

static GString *
make_garbage (void)
{
  GString *text = g_string_new (NULL);

  while (text->len < TARGET_SIZE)
    g_string_append (text,
                     "lorem ipsum dolor sit amet 7489df4c-ef03-4de0-b598-e9a59079343 "
                     "x7489df4c-ef03-4de0-b598-e9a590793434 {not json} [nor this\n");

  return text;
}

static void
run (const char *name,
     GString    *text,
     guint       expected_ids,
     guint       rounds)
{
  gint64 start = g_get_monotonic_time ();
  double ms_per_parse;
  double mb = text->len / (1024.0 * 1024.0);

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(LensIdParseResult) result = lens_id_parser_parse (text->str, (gssize) text->len);

      if (result->ids->len != expected_ids)
        g_error ("%s: found %u ids, expected %u", name, result->ids->len, expected_ids);
    }

  ms_per_parse = (g_get_monotonic_time () - start) / 1000.0 / rounds;
  g_print ("%-12s %7.2f MB %6u ids  %8.2f ms/parse  %8.1f MB/s\n",
           name, mb, expected_ids, ms_per_parse, mb / (ms_per_parse / 1000.0));
}

int
main (int   argc,
      char *argv[])
{
  guint rounds = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 20;
  g_autoptr(GString) log = make_log ();
  g_autoptr(GString) garbage = make_garbage ();
  g_autoptr(GString) json = NULL;
  guint n_items = 0;

  if (rounds == 0)
    rounds = 1;
  json = make_json_batch (&n_items);

  g_print ("id-parser: %u rounds each\n", rounds);
  run ("log", log, N_IDS, rounds);
  run ("json-batch", json, n_items, rounds);
  run ("garbage", garbage, 0, rounds);

  return EXIT_SUCCESS;
}
