/* lens-json.c — type-checked reads of untrusted JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lens-json"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "lens-json.h"

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, member);
}

/* Returns the member when it is an object; NULL when it is absent, null or
 * anything else. */
JsonObject *
lens_json_get_object (JsonObject *object,
                      const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

JsonArray *
lens_json_get_array (JsonObject *object,
                     const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

/* Returns the member when it is a string, NULL otherwise. */
const char *
lens_json_get_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Identifiers such as image_id are long digit strings, but a server may send
 * them as numbers; either way they come back as a string. */
char *
lens_json_dup_id_string (JsonObject *object,
                         const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        return (text != NULL && *text != '\0') ? g_strdup (text) : NULL;
      }
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return NULL;
    }
}

static gboolean
parse_double_text (const char *text,
                   double     *out_value)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;

  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text)
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  if (*end != '\0' || !isfinite (value))
    return FALSE;

  *out_value = value;
  return TRUE;
}

/* Accepts an integer, a double, or a string holding a number (the published
 * schema types sizes as strings). NULL, booleans and anything else: FALSE. */
gboolean
lens_json_get_double (JsonObject *object,
                      const char *member,
                      double     *out_value)
{
  JsonNode *node = get_member (object, member);

  g_return_val_if_fail (out_value != NULL, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out_value = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out_value = json_node_get_double (node);
      return isfinite (*out_value);
    case G_TYPE_STRING:
      return parse_double_text (json_node_get_string (node), out_value);
    default:
      return FALSE;
    }
}

gboolean
lens_json_get_int (JsonObject *object,
                   const char *member,
                   gint64     *out_value)
{
  double value;

  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!lens_json_get_double (object, member, &value))
    return FALSE;
  /* (double) G_MAXINT64 is 2^63, one past the largest gint64: converting
   * it is undefined behaviour. */
  if (value < (double) G_MININT64 || value >= (double) G_MAXINT64)
    return FALSE;

  *out_value = (gint64) value;
  return TRUE;
}

gboolean
lens_json_get_boolean (JsonObject *object,
                       const char *member,
                       gboolean   *out_value)
{
  JsonNode *node = get_member (object, member);

  g_return_val_if_fail (out_value != NULL, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  *out_value = json_node_get_boolean (node);
  return TRUE;
}

/* Only http and https URLs are ever fetched or opened: a server could send
 * file:// or any other scheme. */
gboolean
lens_json_is_web_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (text == NULL)
    return FALSE;

  uri = g_uri_parse (text, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;

  return g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* The string elements of an array member, skipping anything else. Returns
 * NULL when there are none, so an empty list and a missing one look alike. */
GStrv
lens_json_dup_strv (JsonObject *object,
                    const char *member,
                    gboolean    only_web_urls)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array = lens_json_get_array (object, member);
  guint length, n_added = 0;

  if (array == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  length = json_array_get_length (array);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *text;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        continue;

      text = json_node_get_string (element);
      if (text == NULL || *text == '\0')
        continue;
      if (only_web_urls && !lens_json_is_web_url (text))
        continue;

      g_strv_builder_add (builder, text);
      n_added++;
    }

  return n_added > 0 ? g_strv_builder_end (builder) : NULL;
}
