/* lens-word-wrap.h — Korean text wrapped between words, not inside them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void       lens_word_wrap_keep_words       (GtkLabel  *label);
GtkLabel  *lens_word_wrap_find_status_text (AdwStatusPage *page);

G_END_DECLS
