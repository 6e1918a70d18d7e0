/* lens-save-words.h — a bulk save's progress and outcome, in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "lens-save-job.h"

G_BEGIN_DECLS

char   *lens_save_words_folder   (LensSaveJob *job);
char   *lens_save_words_progress (LensSaveJob *job);
char   *lens_save_words_summary  (LensSaveJob *job);
double  lens_save_words_fraction (LensSaveJob *job);

G_END_DECLS
