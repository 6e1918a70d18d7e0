/* lens-intake-notes.h — what the intake says, in order, each once it is true
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-history.h"

G_BEGIN_DECLS

/* Says @text, on behalf of @owner. */
typedef void (*LensIntakeSayFunc) (GObject    *owner,
                                   const char *text);

typedef struct _LensIntakeNotes LensIntakeNotes;

LensIntakeNotes *lens_intake_notes_new         (GObject           *owner,
                                                GCancellable      *cancellable,
                                                LensIntakeSayFunc  say);
void             lens_intake_notes_set_history (LensIntakeNotes   *notes,
                                                LensHistory       *history);
void             lens_intake_notes_add         (LensIntakeNotes   *notes,
                                                const char        *text,
                                                guint              n_new);
void             lens_intake_notes_clear       (LensIntakeNotes   *notes);
void             lens_intake_notes_free        (LensIntakeNotes   *notes);

G_END_DECLS
