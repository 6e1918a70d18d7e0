/* lens-stale-files.h — removes the partial files a killed save left behind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* LensStaleFiles: before the first save into a folder, the temporary files
 * of ours (lens_file_name_is_temp()) that were last written before this
 * object was made are removed from it: a save that was killed (a crash,
 * SIGKILL, a power cut) could not remove its own. Each folder is swept once
 * per object; saves that come while it is swept wait for the sweep, so that
 * none of their own files can be taken for stale. */
#define LENS_TYPE_STALE_FILES (lens_stale_files_get_type ())
G_DECLARE_FINAL_TYPE (LensStaleFiles, lens_stale_files, LENS, STALE_FILES, GObject)

LensStaleFiles *lens_stale_files_new               (void);
void            lens_stale_files_sweep_async       (LensStaleFiles       *self,
                                                    GFile                *directory,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
guint           lens_stale_files_sweep_finish      (LensStaleFiles       *self,
                                                    GAsyncResult         *result);

G_END_DECLS
