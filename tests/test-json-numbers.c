/* test-json-numbers.c — numbers at the edges of what lens-json reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Found by the record fuzzer (tests/fuzz): 2^63, as a double or as the
 * integer 9223372036854775807 that rounds to it, passed the range check and
 * was converted to gint64, which is undefined behaviour.
 */

#define G_LOG_DOMAIN "test-json-numbers"

#include "config.h"

#include "lens-json.h"
#include "lens-test.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_int_range (void)
{
  struct {
    const char *json;
    gboolean    ok;
    gint64      value;
  } cases[] = {
    { "{\"n\": 42}", TRUE, 42 },
    { "{\"n\": \"42\"}", TRUE, 42 },
    { "{\"n\": 9223372036854774784}", TRUE, G_GINT64_CONSTANT (9223372036854774784) },
    { "{\"n\": -9223372036854775808}", TRUE, G_MININT64 },
    /* 2^63 and what rounds to it: one past G_MAXINT64. */
    { "{\"n\": 9223372036854775807}", FALSE, 0 },
    { "{\"n\": 9223372036854775808}", FALSE, 0 },
    { "{\"n\": 9.223372036854775808e18}", FALSE, 0 },
    { "{\"n\": \"9223372036854775807\"}", FALSE, 0 },
    { "{\"n\": 1e300}", FALSE, 0 },
    { "{\"n\": -1e300}", FALSE, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = parse_object (cases[i].json);
      gint64 value = 0;

      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (lens_json_get_int (object, "n", &value), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (value, ==, cases[i].value);
    }
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/json/int-range", test_int_range);

  return g_test_run ();
}
