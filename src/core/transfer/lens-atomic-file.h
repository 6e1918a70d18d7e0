/* lens-atomic-file.h — a file written whole or not at all, from a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _LensAtomicFile LensAtomicFile;

LensAtomicFile *lens_atomic_file_create     (GFile           *destination,
                                             GError         **error);
GOutputStream  *lens_atomic_file_get_stream (LensAtomicFile  *self);
const char     *lens_atomic_file_get_temp_path (LensAtomicFile *self);
gboolean        lens_atomic_file_close      (LensAtomicFile  *self,
                                             GError         **error);
gboolean        lens_atomic_file_commit     (LensAtomicFile  *self,
                                             GError         **error);
gboolean        lens_atomic_file_commit_unique (LensAtomicFile *self,
                                             GFile          **out_final,
                                             GError         **error);
void            lens_atomic_file_free       (LensAtomicFile  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensAtomicFile, lens_atomic_file_free)

G_END_DECLS
