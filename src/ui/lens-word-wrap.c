/* lens-word-wrap.c — Korean text wrapped between words, not inside them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Korean puts spaces between words, and is read with lines broken at those
 * spaces only (CSS calls it word-break: keep-all). Pango follows Unicode's
 * line breaking, which allows a break between any two Hangul syllables, as
 * between Chinese characters: a narrow label then breaks "붙여넣거나" into
 * "붙여" and "넣거나". Marking every word that holds Hangul as one unit
 * (Pango's allow-breaks attribute) leaves the spaces as the only breaks
 * there. Words without Hangul are left alone: Chinese and Japanese have no
 * spaces to break at.
 */

#define G_LOG_DOMAIN "lens-word-wrap"

#include "config.h"

#include <adwaita.h>

#include "lens-word-wrap.h"

static gboolean
is_space (const char *p)
{
  return g_unichar_isspace (g_utf8_get_char (p));
}

static void
keep_words (GtkLabel *label)
{
  const char *text = gtk_label_get_text (label);
  PangoAttrList *attributes = pango_attr_list_new ();
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;
      gboolean hangul = FALSE;

      while (*p != '\0' && is_space (p))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !is_space (p))
        {
          hangul |= g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HANGUL;
          p = g_utf8_next_char (p);
        }

      if (hangul)
        {
          PangoAttribute *attribute = pango_attr_allow_breaks_new (FALSE);

          attribute->start_index = start - text;
          attribute->end_index = p - text;
          pango_attr_list_insert (attributes, attribute);
        }
    }

  gtk_label_set_attributes (label, attributes);
  pango_attr_list_unref (attributes);
}

/**
 * lens_word_wrap_keep_words:
 * @label: a wrapping label
 *
 * Makes @label break Korean lines only between words, now and whenever its
 * text changes. Any attributes it had are replaced.
 */
void
lens_word_wrap_keep_words (GtkLabel *label)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  keep_words (label);
  g_signal_connect (label, "notify::label", G_CALLBACK (keep_words), NULL);
}

static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return GTK_LABEL (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * lens_word_wrap_find_status_text:
 * @page: a status page with a description
 *
 * AdwStatusPage keeps its description's label to itself: this finds it by
 * its text, so that it can be given lens_word_wrap_keep_words().
 *
 * Returns: (transfer none) (nullable): the label that shows @page's
 *   description
 */
GtkLabel *
lens_word_wrap_find_status_text (AdwStatusPage *page)
{
  g_return_val_if_fail (ADW_IS_STATUS_PAGE (page), NULL);

  if (adw_status_page_get_description (page) == NULL)
    return NULL;
  return find_label (GTK_WIDGET (page), adw_status_page_get_description (page));
}
