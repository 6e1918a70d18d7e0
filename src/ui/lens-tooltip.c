/* lens-tooltip.c — tooltips set without asking the display where the pointer is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gtk_widget_set_tooltip_text() on a shown widget has GTK look for the
 * tooltip under the pointer at once, which on X11 asks the server where
 * the pointer is (XIQueryPointer): a round trip, and a third of the time
 * a task row took to make, each row setting one or two (perf, 100,000
 * tasks in test-window-select). A widget not in a window yet cannot be
 * under the pointer, and a text that did not change needs no new look.
 * In a template, "visible" false before "tooltip-text" does the same.
 */

#include "config.h"

#include "lens-tooltip.h"

/**
 * lens_tooltip_set_text:
 * @text: (nullable): the tooltip, or %NULL for none
 *
 * gtk_widget_set_tooltip_text(), without the pointer query when @widget
 * has no parent yet or the text is the same.
 */
void
lens_tooltip_set_text (GtkWidget  *widget,
                       const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* GTK takes "" for none. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text != NULL && *text != '\0' ? text : NULL) == 0)
    return;
  if (gtk_widget_get_parent (widget) != NULL || !gtk_widget_get_visible (widget))
    {
      gtk_widget_set_tooltip_text (widget, text);
      return;
    }
  /* Hidden while it is set: no look for it under the pointer. */
  gtk_widget_set_visible (widget, FALSE);
  gtk_widget_set_tooltip_text (widget, text);
  gtk_widget_set_visible (widget, TRUE);
}
