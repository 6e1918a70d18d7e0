/* lens-atomic-file.c — a file written whole or not at all, from a worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For what a worker thread writes in one go (an export of the list): the
 * text goes to a hidden temporary file beside the destination
 * (lens_file_name_temp(), which LensStaleFiles recognises and removes if a
 * crash leaves it), is flushed to the disk, and only then renamed over the
 * destination. A reader of the destination sees the old file or the new
 * one, never half of one; a failure or a free before the commit leaves the
 * destination as it was. Every call blocks: never on the main thread.
 *
 * A bulk save must never replace a file the user has: it commits with
 * lens_atomic_file_commit_unique(), which takes the first free name among
 * "name.png", "name (2).png", "name (3).png" … The rename itself refuses to
 * replace (RENAME_NOREPLACE), so even a file that appears meanwhile, from
 * another program, is kept.
 */

#define G_LOG_DOMAIN "lens-atomic-file"

/* For renameat2() and RENAME_NOREPLACE (glibc 2.28), before any header. */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lens-atomic-file.h"
#include "lens-file-name.h"

/* The fallbacks below are for file systems, not for a build that forgot
 * _GNU_SOURCE (it once did, silently). */
#if defined (__GLIBC__) && !defined (RENAME_NOREPLACE)
#error "renameat2() and RENAME_NOREPLACE are expected from glibc"
#endif

struct _LensAtomicFile
{
  GFile             *destination;  /* owned */
  GFile             *temp_file;    /* owned, nullable: once committed */
  GOutputStream     *stream;       /* owned */
  GOutputStream     *buffered;     /* owned: over stream */
  char              *temp_path;    /* owned */
};

/* How many numbered names lens_atomic_file_commit_unique() tries. */
#define MAX_NUMBERED_NAMES 9999

/**
 * lens_atomic_file_create:
 * @destination: the file to write; its folder must exist
 *
 * Returns: (transfer full) (nullable): the file being written, or %NULL
 *   with @error set when its folder cannot be written
 */
LensAtomicFile *
lens_atomic_file_create (GFile   *destination,
                         GError **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (destination);
  g_autofree char *basename = g_file_get_basename (destination);
  g_autofree char *folder = parent != NULL ? g_file_get_path (parent) : NULL;
  LensAtomicFile *self;
  int fd = -1;
  int saved_errno = EEXIST;

  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  /* Local files only: the rename that makes it atomic needs a path (the
   * portal's documents have one). */
  if (folder == NULL || basename == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only files on this computer can be written"));
      return NULL;
    }

  self = g_new0 (LensAtomicFile, 1);
  self->destination = g_object_ref (destination);
  /* A clash with another temporary name is retried with a new one. */
  for (int attempt = 0; attempt < 5 && fd < 0 && saved_errno == EEXIST; attempt++)
    {
      g_autofree char *temp_name = lens_file_name_temp (basename, NULL);
      g_autofree char *temp_path = g_build_filename (folder, temp_name, NULL);

      fd = g_open (temp_path, O_WRONLY | O_CREAT | O_EXCL, 0644);
      saved_errno = fd < 0 ? errno : 0;
      if (fd >= 0)
        {
          /* Not for the programs a user opens meanwhile. */
          fcntl (fd, F_SETFD, FD_CLOEXEC);
          self->temp_file = g_file_new_for_path (temp_path);
          self->temp_path = g_steal_pointer (&temp_path);
        }
    }
  if (fd < 0)
    {
      /* The reason alone (“No such file or directory”): the temporary
       * name means nothing to the user. */
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), g_strerror (saved_errno));
      lens_atomic_file_free (self);
      return NULL;
    }
  self->stream = g_unix_output_stream_new (fd, TRUE);
  self->buffered = g_buffered_output_stream_new_sized (self->stream, 64 * 1024);
  return self;
}

/**
 * lens_atomic_file_get_stream:
 *
 * Returns: (transfer none): where to write the file's contents
 */
GOutputStream *
lens_atomic_file_get_stream (LensAtomicFile *self)
{
  return self->buffered;
}

/**
 * lens_atomic_file_get_temp_path:
 *
 * Returns: (transfer none): the file being written, until the commit: for
 *   whoever edits it in place once the stream is closed (the image's
 *   metadata is written there, so that it is in the file from the start)
 */
const char *
lens_atomic_file_get_temp_path (LensAtomicFile *self)
{
  return self->temp_path;
}

/**
 * lens_atomic_file_close:
 *
 * Ends the writing of the contents, so that the temporary file can be
 * read or edited by path. The commit closes it too.
 *
 * Returns: whether everything written reached the file
 */
gboolean
lens_atomic_file_close (LensAtomicFile  *self,
                        GError         **error)
{
  if (g_output_stream_is_closed (self->buffered))
    return TRUE;
  return g_output_stream_close (self->buffered, NULL, error);
}

/* Closes the stream and flushes the temporary file to the disk. Without the
 * flush, a crash soon after the rename could leave an empty file under the
 * destination's name on some file systems. */
static gboolean
flush (LensAtomicFile  *self,
       GError         **error)
{
  int fd;

  if (!lens_atomic_file_close (self, error))
    return FALSE;

  fd = g_open (self->temp_path, O_RDONLY, 0);
  if (fd >= 0)
    {
      int saved_errno = g_fsync (fd) != 0 && errno != EINVAL ? errno : 0;

      g_close (fd, NULL);
      if (saved_errno != 0)
        {
          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * lens_atomic_file_commit:
 *
 * Flushes what was written to the disk and puts it in the destination's
 * place. On failure the destination is as it was and the temporary file
 * is gone.
 *
 * Returns: whether the destination now holds what was written
 */
gboolean
lens_atomic_file_commit (LensAtomicFile  *self,
                         GError         **error)
{
  g_return_val_if_fail (self->temp_file != NULL, FALSE);

  if (!flush (self, error))
    return FALSE;

  /* A rename or nothing: a copy would not be atomic. */
  if (!g_file_move (self->temp_file, self->destination,
                    G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                    NULL, NULL, NULL, error))
    return FALSE;
  g_clear_object (&self->temp_file);
  return TRUE;
}

/* "stem (n).ext" for @basename "stem.ext"; the extension is what follows
 * the last dot, unless the dot starts the name. */
static char *
numbered_name (const char *basename,
               guint       n)
{
  const char *dot = strrchr (basename, '.');

  if (dot == NULL || dot == basename)
    return g_strdup_printf ("%s (%u)", basename, n);
  return g_strdup_printf ("%.*s (%u)%s", (int) (dot - basename), basename, n, dot);
}

/* Renames @from to @to unless @to exists: 0, or an errno (EEXIST when it
 * does). File systems without RENAME_NOREPLACE get a hard link, which
 * refuses too; those without links either (FAT) get a check then a rename:
 * the only window where a file made meanwhile by another program could be
 * replaced. */
static int
rename_no_replace (const char *from,
                   const char *to)
{
#ifdef RENAME_NOREPLACE
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
    return errno;
#endif
  if (link (from, to) == 0)
    {
      g_unlink (from);
      return 0;
    }
  if (errno == EEXIST)
    return EEXIST;
  if (g_file_test (to, G_FILE_TEST_EXISTS))
    return EEXIST;
  return g_rename (from, to) == 0 ? 0 : errno;
}

/**
 * lens_atomic_file_place_unique:
 * @temp_path: a file, flushed to the disk, in the destination's folder
 * @destination: the name it should have
 * @out_final: (out) (optional) (transfer full): the file it became
 *
 * Renames @temp_path to @destination, or, when that name is taken, to the
 * first free one among "name (2).ext", "name (3).ext" …: never over a
 * file. For whoever wrote the temporary file otherwise (a download).
 *
 * Returns: whether the file is now in place; on failure @temp_path is
 *   still there
 */
gboolean
lens_atomic_file_place_unique (const char  *temp_path,
                               GFile       *destination,
                               GFile      **out_final,
                               GError     **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (destination);
  g_autofree char *basename = g_file_get_basename (destination);
  int saved_errno = EEXIST;

  g_return_val_if_fail (parent != NULL, FALSE);

  for (guint n = 1; n <= MAX_NUMBERED_NAMES && saved_errno == EEXIST; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (basename) : numbered_name (basename, n);
      g_autoptr(GFile) candidate = g_file_get_child (parent, name);
      g_autofree char *path = g_file_get_path (candidate);

      saved_errno = path != NULL ? rename_no_replace (temp_path, path) : ENOTSUP;
      if (saved_errno == 0 && out_final != NULL)
        *out_final = g_steal_pointer (&candidate);
    }

  if (saved_errno != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/**
 * lens_atomic_file_commit_unique:
 * @out_final: (out) (optional) (transfer full): the file it became
 *
 * Like lens_atomic_file_commit(), but never replaces a file: when the
 * destination's name is taken, the file gets the first free one among
 * "name (2).ext", "name (3).ext" …
 *
 * Returns: whether the file is now in place
 */
gboolean
lens_atomic_file_commit_unique (LensAtomicFile  *self,
                                GFile          **out_final,
                                GError         **error)
{
  g_return_val_if_fail (self->temp_file != NULL, FALSE);

  if (!flush (self, error)
      || !lens_atomic_file_place_unique (self->temp_path, self->destination, out_final, error))
    return FALSE;
  g_clear_object (&self->temp_file);
  return TRUE;
}

/**
 * lens_atomic_file_free:
 *
 * Ends the writing; unless it was committed, the temporary file is
 * removed and the destination untouched.
 */
void
lens_atomic_file_free (LensAtomicFile *self)
{
  if (self == NULL)
    return;
  if (self->buffered != NULL)
    g_output_stream_close (self->buffered, NULL, NULL);
  if (self->temp_file != NULL)
    g_file_delete (self->temp_file, NULL, NULL);
  g_clear_object (&self->buffered);
  g_clear_object (&self->stream);
  g_clear_object (&self->temp_file);
  g_clear_object (&self->destination);
  g_free (self->temp_path);
  g_free (self);
}
