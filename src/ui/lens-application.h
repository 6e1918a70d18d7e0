/* lens-application.h — the Tasklens application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lens-context.h"

G_BEGIN_DECLS

#define LENS_TYPE_APPLICATION (lens_application_get_type ())
G_DECLARE_FINAL_TYPE (LensApplication, lens_application, LENS, APPLICATION, AdwApplication)

LensApplication *lens_application_new         (const char        *application_id,
                                               GApplicationFlags  extra_flags);
LensApplication *lens_application_new_for_context (const char        *application_id,
                                                   GApplicationFlags  extra_flags,
                                                   LensContext       *context);
LensContext     *lens_application_get_context (LensApplication   *self);

G_END_DECLS
