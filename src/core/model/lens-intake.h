/* lens-intake.h — task ids coming in: texts and files, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "lens-history.h"
#include "lens-task-list.h"

G_BEGIN_DECLS

/* Ids added to the list per main-loop turn: a burst starts with
 * LENS_INTAKE_FIRST_SLICE, and each turn's slice is sized by how long the
 * last one took, up to LENS_INTAKE_SLICE_SIZE (lens-intake.c, run_turn()). */
#define LENS_INTAKE_FIRST_SLICE 8
#define LENS_INTAKE_SLICE_SIZE  500

#define LENS_TYPE_INTAKE (lens_intake_get_type ())
G_DECLARE_FINAL_TYPE (LensIntake, lens_intake, LENS, INTAKE, GObject)

LensIntake *lens_intake_new                (LensTaskList *tasks);
void        lens_intake_set_history        (LensIntake   *self,
                                            LensHistory  *history);
void        lens_intake_set_ready          (LensIntake   *self,
                                            gboolean      ready);
void        lens_intake_add_text           (LensIntake   *self,
                                            const char   *text,
                                            const char   *source_name);
void        lens_intake_import_files       (LensIntake   *self,
                                            GListModel   *files);
void        lens_intake_cancel_import      (LensIntake   *self);
void        lens_intake_cancel_all         (LensIntake   *self);
gboolean    lens_intake_get_importing      (LensIntake   *self);
const char *lens_intake_get_import_name    (LensIntake   *self);
double      lens_intake_get_import_fraction (LensIntake  *self);
void        lens_intake_set_slice_size     (LensIntake   *self,
                                            guint         slice_size);

G_END_DECLS
