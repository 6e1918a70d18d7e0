/* lens-downloads.c — every save of an original image, as a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Downloads belong to a task, not to whatever shows it: a download goes on
 * when the user moves to another task or the widget that started it goes
 * away, and its progress can be shown again by anyone who finds it. So they
 * live here, beside the downloader and the history, and widgets bind to the
 * LensDownload objects.
 *
 * The list keeps the download under way of each task, and the last one that
 * ended until the task is saved again, so that a view can still say how it
 * went; the ended ones beyond MAX_ENDED leave, oldest first.
 *
 * The operations hold their download, never this object (a weak reference):
 * disposing the list cancels them, and a late callback finds nobody to tell.
 */

#define G_LOG_DOMAIN "lens-downloads"

#include "config.h"

#include "lens-download-private.h"
#include "lens-downloads.h"
#include "lens-file-name.h"

/* How many ended downloads are kept, for views that come back to them. */
#define MAX_ENDED 32

struct _LensDownloads
{
  GObject         parent_instance;

  LensDownloader *downloader;  /* owned */
  LensHistory    *history;     /* owned, nullable */
  char           *name_template; /* owned, nullable: the user's; NULL for the default */
  GPtrArray      *items;       /* owned: of owned LensDownload, in the order started */
  GHashTable     *by_task;     /* owned: task id → LensDownload, both borrowed from items */
  guint           n_operations; /* the downloader's operations not yet come back */
};

static void lens_downloads_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LensDownloads, lens_downloads, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      lens_downloads_list_model_init))

enum {
  PROP_0,
  PROP_DOWNLOADER,
  PROP_HISTORY,
  PROP_NAME_TEMPLATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One operation on one download. */
typedef struct
{
  GWeakRef      owner;     /* LensDownloads */
  LensDownload *download;  /* owned */
} Operation;

static Operation *
operation_new (LensDownloads *owner,
               LensDownload  *download)
{
  Operation *operation = g_new0 (Operation, 1);

  g_weak_ref_init (&operation->owner, owner);
  operation->download = g_object_ref (download);
  owner->n_operations++;
  return operation;
}

static void
operation_free (Operation *operation)
{
  g_autoptr(LensDownloads) owner = g_weak_ref_get (&operation->owner);

  if (owner != NULL)
    owner->n_operations--;
  g_weak_ref_clear (&operation->owner);
  g_object_unref (operation->download);
  g_free (operation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Operation, operation_free)

/* ─── the list ─────────────────────────────────────────────────────────── */

static void
remove_at (LensDownloads *self,
           guint          position)
{
  LensDownload *download = g_ptr_array_index (self->items, position);

  g_hash_table_remove (self->by_task, lens_download_get_task_id (download));
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* Lets the oldest ended downloads go, so that the list does not grow with
 * every task ever saved. */
static void
trim (LensDownloads *self)
{
  guint n_ended = 0;

  for (guint i = 0; i < self->items->len; i++)
    if (!lens_download_is_active (g_ptr_array_index (self->items, i)))
      n_ended++;

  for (guint i = 0; n_ended > MAX_ENDED && i < self->items->len;)
    {
      if (lens_download_is_active (g_ptr_array_index (self->items, i)))
        {
          i++;
          continue;
        }
      remove_at (self, i);
      n_ended--;
    }
}

/* Puts @download (taken) in place of the task's previous one. */
static void
add (LensDownloads *self,
     LensDownload  *download)
{
  LensDownload *previous = g_hash_table_lookup (self->by_task,
                                                lens_download_get_task_id (download));
  guint position;

  if (previous != NULL && g_ptr_array_find (self->items, previous, &position))
    remove_at (self, position);

  g_ptr_array_add (self->items, download);
  g_hash_table_insert (self->by_task, (gpointer) lens_download_get_task_id (download), download);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  trim (self);
}

/* Whether @task_id has a download preparing or running. */
static gboolean
is_busy (LensDownloads *self,
         const char    *task_id)
{
  LensDownload *download = g_hash_table_lookup (self->by_task, task_id);

  return download != NULL && lens_download_is_active (download);
}

/* ─── callbacks ────────────────────────────────────────────────────────── */

static void
progress_cb (goffset  received,
             goffset  total,
             gpointer user_data)
{
  LensDownload *download = user_data;

  _lens_download_set_progress (download,
                               total > 0 ? CLAMP ((double) received / total, 0.0, 1.0) : -1.0);
}

static void
download_done_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Operation) operation = user_data;
  g_autoptr(LensDownloads) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) final = NULL;
  g_autofree char *path = NULL;

  /* Once the file is in place the download counts as done, even if a
   * cancellation came too late to stop it: the file is there. */
  final = lens_downloader_save_finish (LENS_DOWNLOADER (source_object), result, &error);
  if (final == NULL)
    {
      _lens_download_finish (operation->download, error);
      return;
    }

  _lens_download_finish (operation->download, NULL);

  self = g_weak_ref_get (&operation->owner);
  path = g_file_get_path (final);
  if (self != NULL && self->history != NULL && path != NULL)
    lens_history_set_saved_path (self->history, lens_download_get_task_id (operation->download),
                                 path);
}

static void
begin_transfer (LensDownloads *self,
                LensDownload  *download,
                GFile         *destination)
{
  _lens_download_run (download, destination);
  /* The user chose the file (and agreed to replace one there). */
  lens_downloader_save_async (self->downloader, lens_download_get_url (download), destination,
                              _lens_download_get_facts (download), LENS_SAVE_NONE,
                              progress_cb, g_object_ref (download), g_object_unref,
                              _lens_download_get_cancellable (download),
                              download_done_cb, operation_new (self, download));
}

static void
probe_done_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Operation) operation = user_data;
  LensDownload *download = operation->download;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *name = NULL;

  content_type = lens_downloader_probe_finish (LENS_DOWNLOADER (source_object), result, &error);
  /* An expired link says so now, before the user picks a file for it. */
  if (error != NULL)
    {
      _lens_download_finish (download, error);
      return;
    }
  if (lens_download_get_state (download) != LENS_DOWNLOAD_STATE_PREPARING)
    return;

  name = _lens_download_get_stem (download) != NULL
         ? lens_file_name_for_stem (_lens_download_get_stem (download), content_type,
                                    lens_download_get_url (download))
         : lens_downloader_suggest_name (lens_download_get_task_id (download), content_type,
                                         lens_download_get_url (download));
  _lens_download_set_suggested_name (download, name);
}

/* ─── GListModel ───────────────────────────────────────────────────────── */

static GType
lens_downloads_get_item_type (GListModel *model)
{
  return LENS_TYPE_DOWNLOAD;
}

static guint
lens_downloads_get_n_items (GListModel *model)
{
  return LENS_DOWNLOADS (model)->items->len;
}

static gpointer
lens_downloads_get_item (GListModel *model,
                         guint       position)
{
  LensDownloads *self = LENS_DOWNLOADS (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
lens_downloads_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = lens_downloads_get_item_type;
  iface->get_n_items = lens_downloads_get_n_items;
  iface->get_item = lens_downloads_get_item;
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_downloads_dispose (GObject *object)
{
  LensDownloads *self = LENS_DOWNLOADS (object);

  /* None may outlive the list; their callbacks only touch the download. */
  for (guint i = 0; i < self->items->len; i++)
    lens_download_cancel (g_ptr_array_index (self->items, i));
  g_hash_table_remove_all (self->by_task);
  g_ptr_array_set_size (self->items, 0);

  g_clear_object (&self->downloader);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (lens_downloads_parent_class)->dispose (object);
}

static void
lens_downloads_finalize (GObject *object)
{
  LensDownloads *self = LENS_DOWNLOADS (object);

  g_hash_table_unref (self->by_task);
  g_ptr_array_unref (self->items);
  g_free (self->name_template);

  G_OBJECT_CLASS (lens_downloads_parent_class)->finalize (object);
}

static void
lens_downloads_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LensDownloads *self = LENS_DOWNLOADS (object);

  switch (prop_id)
    {
    case PROP_DOWNLOADER:
      g_value_set_object (value, self->downloader);
      break;
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_NAME_TEMPLATE:
      g_value_set_string (value, self->name_template);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_downloads_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LensDownloads *self = LENS_DOWNLOADS (object);

  switch (prop_id)
    {
    case PROP_DOWNLOADER:
      self->downloader = g_value_dup_object (value);
      break;
    case PROP_HISTORY:
      lens_downloads_set_history (self, g_value_get_object (value));
      break;
    case PROP_NAME_TEMPLATE:
      if (g_set_str (&self->name_template, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_downloads_class_init (LensDownloadsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lens_downloads_dispose;
  object_class->finalize = lens_downloads_finalize;
  object_class->get_property = lens_downloads_get_property;
  object_class->set_property = lens_downloads_set_property;

  properties[PROP_DOWNLOADER] =
    g_param_spec_object ("downloader", NULL, NULL, LENS_TYPE_DOWNLOADER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Where saved paths are recorded; the app's exists only once loaded. */
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, LENS_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* How saved files are named (lens-name-template.h); the context binds it
   * to the "file-name-template" setting. */
  properties[PROP_NAME_TEMPLATE] =
    g_param_spec_string ("name-template", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_downloads_init (LensDownloads *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_task = g_hash_table_new (g_str_hash, g_str_equal);
}

/* ─── public API ───────────────────────────────────────────────────────── */

LensDownloads *
lens_downloads_new (LensDownloader *downloader,
                    LensHistory    *history)
{
  g_return_val_if_fail (LENS_IS_DOWNLOADER (downloader), NULL);
  g_return_val_if_fail (history == NULL || LENS_IS_HISTORY (history), NULL);

  return g_object_new (LENS_TYPE_DOWNLOADS, "downloader", downloader, "history", history, NULL);
}

/**
 * lens_downloads_get_history:
 *
 * Returns: (transfer none) (nullable): where saved paths are recorded
 */
LensHistory *
lens_downloads_get_history (LensDownloads *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOADS (self), NULL);
  return self->history;
}

void
lens_downloads_set_history (LensDownloads *self,
                            LensHistory   *history)
{
  g_return_if_fail (LENS_IS_DOWNLOADS (self));
  g_return_if_fail (history == NULL || LENS_IS_HISTORY (history));

  if (g_set_object (&self->history, history))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

/**
 * lens_downloads_start:
 * @self: the downloads
 * @task_id: the task whose image it is
 * @url: the image's address (http or https)
 * @destination: the file to write
 *
 * Starts saving @url to @destination, as the download of @task_id, in
 * place of the task's last one.
 *
 * Returns: (transfer none) (nullable): the download, running; or %NULL when
 *   @task_id already has a download under way
 */
LensDownload *
lens_downloads_start (LensDownloads *self,
                      const char    *task_id,
                      const char    *url,
                      GFile         *destination)
{
  return lens_downloads_start_with_facts (self, task_id, url, destination, NULL);
}

/**
 * lens_downloads_start_with_facts:
 * @facts: (nullable): what the saved image says of its task: written into
 *   it (lens-image-metadata.h) before it takes @destination's name
 *
 * As lens_downloads_start(), for an image that keeps its task's facts.
 *
 * Returns: (transfer none) (nullable): the download, running; or %NULL when
 *   @task_id already has a download under way
 */
LensDownload *
lens_downloads_start_with_facts (LensDownloads        *self,
                                 const char           *task_id,
                                 const char           *url,
                                 GFile                *destination,
                                 const LensImageFacts *facts)
{  LensDownload *download;

  g_return_val_if_fail (LENS_IS_DOWNLOADS (self), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  if (is_busy (self, task_id))
    return NULL;

  download = _lens_download_new (task_id, url);
  _lens_download_set_facts (download, facts);
  add (self, download);
  begin_transfer (self, download, destination);
  return download;
}

/**
 * lens_downloads_prepare:
 * @self: the downloads
 * @task_id: the task whose image it is
 * @url: the image's address (http or https)
 * @fields: (nullable): what the name is made of, with the "name-template";
 *   without them the name is the task id
 *
 * Starts a download whose file is not chosen yet: it checks the link (an
 * expired one fails the download at once), then sets "suggested-name", and
 * waits in PREPARING for lens_downloads_set_destination() or
 * lens_download_cancel().
 *
 * Returns: (transfer none) (nullable): the download, preparing; or %NULL
 *   when @task_id already has a download under way
 */
LensDownload *
lens_downloads_prepare (LensDownloads        *self,
                        const char           *task_id,
                        const char           *url,
                        const LensImageFacts *fields)
{
  LensDownload *download;

  g_return_val_if_fail (LENS_IS_DOWNLOADS (self), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if (is_busy (self, task_id))
    return NULL;

  download = _lens_download_new (task_id, url);
  if (fields != NULL)
    {
      g_autofree char *stem = lens_name_template_expand (self->name_template, fields);

      _lens_download_set_stem (download, stem);
      _lens_download_set_facts (download, fields);
    }
  add (self, download);
  lens_downloader_probe_async (self->downloader, url, _lens_download_get_cancellable (download),
                               probe_done_cb, operation_new (self, download));
  return download;
}

/**
 * lens_downloads_set_destination:
 * @self: the downloads
 * @download: a download from lens_downloads_prepare(), still preparing
 * @destination: the file to write
 *
 * Starts the transfer of a prepared download.
 */
void
lens_downloads_set_destination (LensDownloads *self,
                                LensDownload  *download,
                                GFile         *destination)
{
  g_return_if_fail (LENS_IS_DOWNLOADS (self));
  g_return_if_fail (LENS_IS_DOWNLOAD (download));
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (lens_download_get_state (download) == LENS_DOWNLOAD_STATE_PREPARING);
  g_return_if_fail (lens_download_get_destination (download) == NULL);

  begin_transfer (self, download, destination);
}

/**
 * lens_downloads_find:
 * @self: the downloads
 * @task_id: a task id
 *
 * Returns: (transfer none) (nullable): the task's download under way, or
 *   else the last one that ended, if the list still has it
 */
LensDownload *
lens_downloads_find (LensDownloads *self,
                     const char    *task_id)
{
  g_return_val_if_fail (LENS_IS_DOWNLOADS (self), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);

  return g_hash_table_lookup (self->by_task, task_id);
}

/**
 * lens_downloads_cancel_all:
 *
 * Stops every download that is preparing or running (when the app quits).
 * Their partial files are deleted in the background: see
 * lens_downloads_is_settled().
 */
void
lens_downloads_cancel_all (LensDownloads *self)
{
  g_return_if_fail (LENS_IS_DOWNLOADS (self));

  for (guint i = 0; i < self->items->len; i++)
    lens_download_cancel (g_ptr_array_index (self->items, i));
}

/**
 * lens_downloads_is_settled:
 *
 * Returns: whether no operation of the downloader is under way any more: a
 *   cancelled download has then also deleted its partial file
 */
gboolean
lens_downloads_is_settled (LensDownloads *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOADS (self), TRUE);
  return self->n_operations == 0;
}
