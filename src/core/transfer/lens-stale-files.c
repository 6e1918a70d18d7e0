/* lens-stale-files.c — removes the partial files a killed save left behind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A save writes to a hidden ".NAME.XXXXXX.part" beside its destination and
 * renames it into place (lens-downloader.c); a failure or a cancellation
 * deletes it. A kill cannot: the file stays, and nothing else would ever
 * remove it. So the first save into a folder sweeps the folder first, in a
 * worker, and removes those files.
 *
 * Which files are stale: those with exactly our temporary name's shape,
 * last written before this object was made (so before anything this
 * process saved). The sweep of a folder is done once; saves that come
 * meanwhile wait for it rather than start their own files under it. A save
 * of another Tasklens running at the same time writes its file as it goes,
 * so its file is newer than our start and is left alone (unless it has
 * stalled since before we started: then it fails, and says so).
 *
 * A sweep never fails: a file that cannot be removed or a folder that
 * cannot be read is left for the save itself to report, if it matters.
 */

#define G_LOG_DOMAIN "lens-stale-files"

#include "config.h"

#include "lens-file-name.h"
#include "lens-stale-files.h"

struct _LensStaleFiles
{
  GObject     parent_instance;

  gint64      since;     /* Unix µs: files written before this are stale */
  GHashTable *swept;     /* folder path (owned) → GPtrArray of GTask (owned) waiting,
                          * or NULL once swept */
};

G_DEFINE_FINAL_TYPE (LensStaleFiles, lens_stale_files, G_TYPE_OBJECT)

typedef struct
{
  char   *path;    /* owned: the folder */
  gint64  since;
  guint   n_removed;
} Sweep;

static void
sweep_free (Sweep *sweep)
{
  g_free (sweep->path);
  g_free (sweep);
}

/* Runs in a worker: listing a folder and removing files block. */
static void
sweep_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Sweep *sweep = task_data;
  g_autoptr(GFile) directory = g_file_new_for_path (sweep->path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (directory,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) && info != NULL)
    {
      g_autoptr(GDateTime) modified = NULL;
      g_autoptr(GFile) child = NULL;

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR
          || !lens_file_name_is_temp (g_file_info_get_name (info)))
        continue;
      modified = g_file_info_get_modification_date_time (info);
      if (modified == NULL || g_date_time_to_unix_usec (modified) >= sweep->since)
        continue;

      child = g_file_get_child (directory, g_file_info_get_name (info));
      if (g_file_delete (child, NULL, NULL))
        sweep->n_removed++;
    }

  if (sweep->n_removed > 0)
    g_debug ("Removed %u partial files left in %s", sweep->n_removed, sweep->path);
  g_task_return_int (task, sweep->n_removed);
}

static void
swept_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  LensStaleFiles *self = LENS_STALE_FILES (source_object);
  Sweep *sweep = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) waiting = NULL;
  guint n_removed = (guint) g_task_propagate_int (G_TASK (result), NULL);
  char *path = NULL;

  /* Swept: from now on, saves into this folder go ahead at once. */
  g_hash_table_steal_extended (self->swept, sweep->path, (gpointer *) &path, (gpointer *) &waiting);
  g_hash_table_insert (self->swept, path, NULL);

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      /* The first to ask is told how many went; the others, none. */
      g_task_return_int (task, i == 0 ? n_removed : 0);
    }
}

/**
 * lens_stale_files_sweep_async:
 * @directory: the folder a save is about to write into
 * @cancellable: (nullable): makes the result "cancelled"; the sweep is
 *   short and is not stopped
 *
 * Finishes once @directory is free of stale partial files: at once when it
 * was swept before or is not a local folder.
 */
void
lens_stale_files_sweep_async (LensStaleFiles      *self,
                              GFile               *directory,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  GPtrArray *waiting = NULL;
  Sweep *sweep;
  GTask *sweep_task;

  g_return_if_fail (LENS_IS_STALE_FILES (self));
  g_return_if_fail (G_IS_FILE (directory));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lens_stale_files_sweep_async);

  path = g_file_get_path (directory);
  if (path == NULL || g_hash_table_lookup_extended (self->swept, path, NULL, (gpointer *) &waiting))
    {
      if (waiting != NULL)
        g_ptr_array_add (waiting, g_steal_pointer (&task));
      else
        g_task_return_int (task, 0);
      return;
    }

  waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiting, g_steal_pointer (&task));
  g_hash_table_insert (self->swept, g_strdup (path), waiting);

  sweep = g_new0 (Sweep, 1);
  sweep->path = g_steal_pointer (&path);
  sweep->since = self->since;
  sweep_task = g_task_new (self, NULL, swept_cb, NULL);
  g_task_set_source_tag (sweep_task, sweep_in_thread);
  g_task_set_task_data (sweep_task, sweep, (GDestroyNotify) sweep_free);
  g_task_run_in_thread (sweep_task, sweep_in_thread);
  g_object_unref (sweep_task);
}

/**
 * lens_stale_files_sweep_finish:
 *
 * Returns: how many stale files this call's sweep removed
 */
guint
lens_stale_files_sweep_finish (LensStaleFiles *self,
                               GAsyncResult   *result)
{
  gssize n_removed;

  g_return_val_if_fail (LENS_IS_STALE_FILES (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  /* Cancelled (-1): the sweep is done all the same. */
  n_removed = g_task_propagate_int (G_TASK (result), NULL);
  return (guint) MAX (n_removed, 0);
}

static void
destroy_waiting (gpointer data)
{
  if (data != NULL)
    g_ptr_array_unref (data);
}

static void
lens_stale_files_finalize (GObject *object)
{
  LensStaleFiles *self = LENS_STALE_FILES (object);

  /* A sweep in flight holds this object: nobody waits here now. */
  g_hash_table_unref (self->swept);

  G_OBJECT_CLASS (lens_stale_files_parent_class)->finalize (object);
}

static void
lens_stale_files_class_init (LensStaleFilesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lens_stale_files_finalize;
}

static void
lens_stale_files_init (LensStaleFiles *self)
{
  self->since = g_get_real_time ();
  self->swept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, destroy_waiting);
}

LensStaleFiles *
lens_stale_files_new (void)
{
  return g_object_new (LENS_TYPE_STALE_FILES, NULL);
}
