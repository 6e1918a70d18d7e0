/* lens-name-template.c — the names saved images get, from the user's template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions. A template such as "{date} {prompt} ({short_id})" is
 * filled with a task's fields and made into a stem that every file system a
 * user saves to accepts: Linux's (no "/", no NUL, 255 bytes), and FAT,
 * exFAT and NTFS on USB sticks and shared drives (no \ : * ? " < > |, no
 * control characters, no trailing dot or space, no device names such as
 * "CON"). Prompts are the user's own words, often Korean (three bytes a
 * syllable), sometimes hostile: direction overrides that turn "gnp.exe"
 * around, line breaks, a leading "-" that a shell script would take for an
 * option. What comes out is one name, never a path.
 *
 * The extension, the counter that keeps names apart and the temporary name
 * are the caller's (lens-file-name.c): they fit in what the stem leaves of
 * a name's bytes.
 */

#define G_LOG_DOMAIN "lens-name-template"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-id-parser.h"
#include "lens-name-template.h"

/* How many characters of a prompt a name keeps: enough to recognise it in a
 * file manager's column, short enough that the other fields still show. */
#define PROMPT_CHARS 60

/* The fewest bytes of a prompt kept when other fields are long. */
#define MIN_PROMPT_BYTES 24

G_DEFINE_QUARK (lens-name-template-error-quark, lens_name_template_error)

typedef enum
{
  FIELD_DATE,
  FIELD_TIME,
  FIELD_PROMPT,
  FIELD_ID,
  FIELD_SHORT_ID,
  FIELD_TYPE,
  FIELD_ACTION,
  FIELD_INDEX,
  N_FIELDS
} Field;

static const char * const field_names[N_FIELDS] = {
  [FIELD_DATE] = "date",
  [FIELD_TIME] = "time",
  [FIELD_PROMPT] = "prompt",
  [FIELD_ID] = "id",
  [FIELD_SHORT_ID] = "short_id",
  [FIELD_TYPE] = "type",
  [FIELD_ACTION] = "action",
  [FIELD_INDEX] = "index",
};

/* ─── the template ─────────────────────────────────────────────────────── */

static int
field_from_name (const char *name,
                 gsize       length)
{
  for (int i = 0; i < N_FIELDS; i++)
    if (strlen (field_names[i]) == length && strncmp (field_names[i], name, length) == 0)
      return i;
  return -1;
}

/* Calls @literal for each run of plain text and @field for each field, in
 * order; stops at the first fault and says what it is. */
typedef void (*LiteralFunc) (const char *text, gsize length, gpointer user_data);
typedef void (*FieldFunc)   (Field field, gpointer user_data);

static gboolean
walk_template (const char  *name_template,
               LiteralFunc  literal,
               FieldFunc    field,
               gpointer     user_data,
               GError     **error)
{
  const char *p = name_template;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      int found;

      if (open == NULL)
        {
          literal (p, strlen (p), user_data);
          break;
        }
      if (open > p)
        literal (p, (gsize) (open - p), user_data);

      close = strchr (open + 1, '}');
      if (close == NULL)
        {
          g_set_error (error, LENS_NAME_TEMPLATE_ERROR, LENS_NAME_TEMPLATE_ERROR_UNCLOSED_FIELD,
                       _("A “{” has no “}” to close it"));
          return FALSE;
        }

      found = field_from_name (open + 1, (gsize) (close - open - 1));
      if (found < 0)
        {
          g_autofree char *name = g_strndup (open, (gsize) (close - open + 1));

          g_set_error (error, LENS_NAME_TEMPLATE_ERROR, LENS_NAME_TEMPLATE_ERROR_UNKNOWN_FIELD,
                       /* Translators: %s is what the user typed between braces, e.g. “{foo}” */
                       _("There is no field %s"), name);
          return FALSE;
        }
      field ((Field) found, user_data);
      p = close + 1;
    }
  return TRUE;
}

static void
ignore_literal (const char *text,
                gsize       length,
                gpointer    user_data)
{
}

static void
note_field (Field    field,
            gpointer user_data)
{
  guint *seen = user_data;

  *seen |= 1u << field;
}

/**
 * lens_name_template_check:
 * @name_template: what the user typed in Preferences
 * @error: where to say what is wrong, in words for the user
 *
 * Whether @name_template can name files: its braces close, it names only
 * known fields, and it gives a name at all.
 *
 * Returns: %TRUE when lens_name_template_expand() will use it
 */
gboolean
lens_name_template_check (const char  *name_template,
                          GError     **error)
{
  guint seen = 0;
  g_autofree char *plain = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name_template == NULL || !g_utf8_validate (name_template, -1, NULL))
    {
      g_set_error_literal (error, LENS_NAME_TEMPLATE_ERROR, LENS_NAME_TEMPLATE_ERROR_EMPTY,
                           _("The name is empty"));
      return FALSE;
    }
  if (!walk_template (name_template, ignore_literal, note_field, &seen, error))
    return FALSE;

  /* Only spaces and punctuation, and no field: every file would be "image". */
  plain = g_strdup (name_template);
  if (seen == 0 && g_strstrip (g_strdelimit (plain, ".-_()[] ", ' '))[0] == '\0')
    {
      g_set_error_literal (error, LENS_NAME_TEMPLATE_ERROR, LENS_NAME_TEMPLATE_ERROR_EMPTY,
                           _("The name is empty"));
      return FALSE;
    }
  return TRUE;
}

/* ─── safe names ───────────────────────────────────────────────────────── */

/* Characters FAT, exFAT and NTFS refuse, and "/" which no file system takes
 * in a name: they become spaces, so that words stay apart. */
static gboolean
is_refused (gunichar c)
{
  return c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"'
         || c == '<' || c == '>' || c == '|';
}

/* Names Windows keeps for devices, whatever the extension ("con.png" is
 * the console there). Digits include the superscripts Windows also takes. */
static gboolean
is_device_name (const char *name)
{
  static const char * const devices[] = { "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$" };
  g_autofree char *stem = g_strndup (name, strcspn (name, "."));
  gsize length;

  g_strchomp (stem);
  for (gsize i = 0; i < G_N_ELEMENTS (devices); i++)
    if (g_ascii_strcasecmp (stem, devices[i]) == 0)
      return TRUE;

  length = strlen (stem);
  if ((g_ascii_strncasecmp (stem, "COM", 3) == 0 || g_ascii_strncasecmp (stem, "LPT", 3) == 0)
      && length > 3)
    {
      const char *digit = stem + 3;

      if (length == 4 && g_ascii_isdigit (*digit))
        return TRUE;
      /* ¹ ² ³ */
      if (g_str_equal (digit, "\xc2\xb9") || g_str_equal (digit, "\xc2\xb2") || g_str_equal (digit, "\xc2\xb3"))
        return TRUE;
    }
  return FALSE;
}

/* Cuts @text to at most @max_bytes, at a character boundary. */
static void
cut_to_bytes (GString *text,
              gsize    max_bytes)
{
  gsize length = MIN (text->len, max_bytes);

  while (length > 0 && length < text->len && ((guchar) text->str[length] & 0xC0) == 0x80)
    length--;
  g_string_truncate (text, length);
}

/* Empty brackets a missing field left, and the space before them. */
static void
drop_empty_brackets (GString *text)
{
  static const char * const pairs[] = { " ()", " []", "()", "[]" };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    while (g_string_replace (text, pairs[i], "", 0) > 0)
      ;
}

static void
trim (GString *text,
      gboolean leading_dash)
{
  gsize start = 0;

  /* Leading dots hide a file; a leading dash reads as an option. */
  while (start < text->len
         && (text->str[start] == ' ' || text->str[start] == '.' || (leading_dash && text->str[start] == '-')))
    start++;
  g_string_erase (text, 0, (gssize) start);

  /* Windows drops a trailing dot or space, and the name no longer matches. */
  while (text->len > 0 && (text->str[text->len - 1] == ' ' || text->str[text->len - 1] == '.'))
    g_string_truncate (text, text->len - 1);
}

/**
 * lens_name_make_safe:
 * @text: (nullable): any text: a prompt, a filled template
 * @max_bytes: the most bytes the result may take
 *
 * A file name every file system accepts, as close to @text as that allows:
 * valid UTF-8 in its composed form (Korean syllables, not loose jamo);
 * control and invisible formatting characters dropped; "/", "\", ":" and
 * the other characters Windows refuses turned into spaces; runs of spaces
 * (and line breaks) made one; no leading dot, dash or space, no trailing
 * dot or space; a Windows device name prefixed with "_"; cut to
 * @max_bytes at a character boundary. Empty text gives "image".
 *
 * Returns: (transfer full): the name
 */
char *
lens_name_make_safe (const char *text,
                     gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  g_autofree char *composed = NULL;
  GString *name;

  g_return_val_if_fail (max_bytes >= 8, NULL);

  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  name = g_string_sized_new (strlen (composed));

  for (const char *p = composed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (g_unichar_isspace (c) || type == G_UNICODE_SPACE_SEPARATOR
          || type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR
          || is_refused (c))
        {
          if (name->len > 0 && name->str[name->len - 1] != ' ')
            g_string_append_c (name, ' ');
        }
      else if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT
               || type == G_UNICODE_UNASSIGNED || type == G_UNICODE_PRIVATE_USE
               || type == G_UNICODE_SURROGATE)
        continue;
      else
        g_string_append_unichar (name, c);
    }

  drop_empty_brackets (name);
  trim (name, TRUE);
  cut_to_bytes (name, max_bytes);
  trim (name, TRUE);

  if (name->len == 0)
    g_string_assign (name, "image");
  if (is_device_name (name->str))
    {
      g_string_prepend_c (name, '_');
      cut_to_bytes (name, max_bytes);
      trim (name, FALSE);
    }

  return g_string_free (name, FALSE);
}

/**
 * lens_name_shorten_prompt:
 * @prompt: (nullable): a Midjourney prompt
 * @max_chars: the most characters kept
 *
 * The words of @prompt that say what the image shows: without the image
 * links a prompt may start with and without its parameters ("--ar 3:2
 * --v 6"), cut at a word's end when one is near the limit.
 *
 * Returns: (transfer full): the shortened prompt, possibly empty; not yet
 *   safe as a name (see lens_name_make_safe())
 */
char *
lens_name_shorten_prompt (const char *prompt,
                          guint       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (prompt != NULL ? prompt : "", -1);
  g_autofree char *composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  g_auto(GStrv) words = g_strsplit_set (composed, " \t\r\n", -1);
  GString *kept = g_string_new (NULL);
  const char *cut;
  glong n_chars;

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (word[0] == '\0')
        continue;
      /* Parameters come last: nothing after the first one names the image. */
      if (g_str_has_prefix (word, "--") && g_ascii_isalpha (word[2]))
        break;
      if (g_str_has_prefix (word, "http://") || g_str_has_prefix (word, "https://")
          || g_str_has_prefix (word, "<http"))
        continue;
      if (kept->len > 0)
        g_string_append_c (kept, ' ');
      g_string_append (kept, word);
    }

  n_chars = g_utf8_strlen (kept->str, -1);
  if (n_chars <= (glong) max_chars)
    return g_string_free (kept, FALSE);

  cut = g_utf8_offset_to_pointer (kept->str, max_chars);
  g_string_truncate (kept, (gsize) (cut - kept->str));

  /* At a word's end, when one is in the last third: "a cat sitting on a"
   * rather than "a cat sitting on a ta". */
  {
    const char *space = strrchr (kept->str, ' ');

    if (space != NULL && g_utf8_strlen (kept->str, space - kept->str) >= (glong) max_chars * 2 / 3)
      g_string_truncate (kept, (gsize) (space - kept->str));
  }
  while (kept->len > 0 && strchr (" ,;:-", kept->str[kept->len - 1]) != NULL)
    g_string_truncate (kept, kept->len - 1);

  return g_string_free (kept, FALSE);
}

/* ─── filling a template ───────────────────────────────────────────────── */

typedef struct
{
  GString    *out;
  char       *values[N_FIELDS];
  gboolean    has_index;
} Filling;

static void
append_literal (const char *text,
                gsize       length,
                gpointer    user_data)
{
  Filling *filling = user_data;

  g_string_append_len (filling->out, text, (gssize) length);
}

static void
append_field (Field    field,
              gpointer user_data)
{
  Filling *filling = user_data;

  if (field == FIELD_INDEX)
    filling->has_index = TRUE;
  g_string_append (filling->out, filling->values[field] != NULL ? filling->values[field] : "");
}

static void
fill (Filling    *filling,
      const char *name_template)
{
  g_string_truncate (filling->out, 0);
  filling->has_index = FALSE;
  walk_template (name_template, append_literal, append_field, filling, NULL);
}

/* The task id as the name shows it: a UUID in lower case, else whatever
 * safe text it is (never a path: lens_name_make_safe() sees it after). */
static char *
id_value (const char *task_id)
{
  if (task_id == NULL)
    return g_strdup ("");
  if (lens_id_is_task_id (task_id))
    return g_ascii_strdown (task_id, -1);
  return g_strdup (task_id);
}

/**
 * lens_name_template_expand:
 * @name_template: (nullable): the user's template; when it is not valid
 *   (lens_name_template_check()), the default one
 * @fields: the task's fields
 *
 * The stem of a saved file's name (without extension): the template filled
 * with @fields and made safe. The prompt gives way when the name would be
 * too long: it is shortened first, so that the date and id still show. An
 * image of a grid (@fields->index > 0) whose template has no `{index}`
 * gets its number at the end, so that the four never take one name.
 *
 * Returns: (transfer full): at most %LENS_NAME_MAX_STEM_BYTES bytes
 */
char *
lens_name_template_expand (const char           *name_template,
                           const LensImageFacts *fields)
{
  Filling filling = { 0 };
  g_autofree char *prompt = NULL;
  g_autofree char *with_index = NULL;
  gsize others_bytes, prompt_budget, stem_budget;
  char *result;

  g_return_val_if_fail (fields != NULL, NULL);

  if (name_template == NULL || !lens_name_template_check (name_template, NULL))
    name_template = LENS_NAME_TEMPLATE_DEFAULT;

  if (fields->created_at >= 0)
    {
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local ((gint64) fields->created_at);

      if (local != NULL)
        filling.values[FIELD_DATE] = g_date_time_format (local, "%Y-%m-%d");
      /* No ":": FAT and NTFS refuse it. */
      if (local != NULL)
        filling.values[FIELD_TIME] = g_date_time_format (local, "%H-%M-%S");
    }
  filling.values[FIELD_ID] = id_value (fields->task_id);
  filling.values[FIELD_SHORT_ID] = g_utf8_substring (filling.values[FIELD_ID], 0,
                                                     MIN (8, g_utf8_strlen (filling.values[FIELD_ID], -1)));
  filling.values[FIELD_TYPE] = g_strdup (fields->task_type);
  filling.values[FIELD_ACTION] = g_strdup (fields->action);
  filling.values[FIELD_INDEX] = fields->index > 0 ? g_strdup_printf ("%u", fields->index) : NULL;
  filling.out = g_string_new (NULL);

  /* What the other fields take decides what is left for the prompt. */
  fill (&filling, name_template);
  others_bytes = filling.out->len;
  stem_budget = LENS_NAME_MAX_STEM_BYTES - (fields->index > 0 && !filling.has_index ? 2 : 0);
  prompt_budget = stem_budget > others_bytes + MIN_PROMPT_BYTES ? stem_budget - others_bytes
                                                                 : MIN_PROMPT_BYTES;

  prompt = lens_name_shorten_prompt (fields->prompt, PROMPT_CHARS);
  if (strlen (prompt) > prompt_budget)
    {
      GString *cut = g_string_new (prompt);

      cut_to_bytes (cut, prompt_budget);
      g_free (prompt);
      prompt = g_string_free (cut, FALSE);
    }
  filling.values[FIELD_PROMPT] = g_steal_pointer (&prompt);
  fill (&filling, name_template);

  if (fields->index > 0 && !filling.has_index)
    g_string_append_printf (filling.out, " %u", fields->index);
  with_index = g_string_free (filling.out, FALSE);

  result = lens_name_make_safe (with_index, LENS_NAME_MAX_STEM_BYTES);
  for (int i = 0; i < N_FIELDS; i++)
    g_free (filling.values[i]);
  return result;
}
