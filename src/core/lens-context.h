/* lens-context.h — one of each of the app's services, wired together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "lens-account.h"
#include "lens-client.h"
#include "lens-downloader.h"
#include "lens-downloads.h"
#include "lens-history.h"
#include "lens-record-loader.h"
#include "lens-image-fetcher.h"
#include "lens-intake.h"
#include "lens-refresher.h"
#include "lens-saving.h"
#include "lens-sync.h"
#include "lens-task-list.h"
#include "lens-task-store.h"
#include "lens-task-store-export.h"

G_BEGIN_DECLS

/* The rows a window shows at most at once (its list binds some thirty,
 * see lens-window.c): the tasks whose records a start-up reads first. */
#define LENS_CONTEXT_FIRST_SCREEN_TASKS 30

/**
 * LensContextConfig:
 * @data_dir: (nullable): where the history lives (`tasks.db`); %NULL for
 *   the user's data directory (`~/.local/share/tasklens`)
 * @cache_dir: (nullable): where fetched images are cached (in `images/`);
 *   %NULL for the user's cache directory (`~/.cache/tasklens`)
 * @settings: (nullable): the app's settings (schema
 *   io.github.tasklens.Tasklens): the API address, batch size and polling
 *   follow it; %NULL uses the defaults and remembers nothing
 * @api_url: (nullable): an API address that the environment fixes for the
 *   session; %NULL takes the one in @settings
 * @token: (nullable): an API token that the environment fixes for the
 *   session; %NULL brings it from the keyring
 * @network_monitor: (nullable): %NULL for the default one
 * @retry_base_ms: the first retry delay of API requests; 0 for the default
 *   (tests make it short)
 * @request_timeout_s: how long a request may wait for the server to send
 *   something; 0 for the default (tests make it short)
 * @resizing_image_hosts: (nullable): the image hosts that resize on
 *   request; %NULL for AceData's CDN alone (tests and the demo add the fake
 *   server's, see lens_image_fetcher_set_resizing_hosts())
 *
 * What a #LensContext is built from. Everything else has a default.
 */
typedef struct
{
  const char      *data_dir;
  const char      *cache_dir;
  GSettings       *settings;
  const char      *api_url;
  const char      *token;
  GNetworkMonitor *network_monitor;
  guint            retry_base_ms;
  guint            request_timeout_s;
  const char * const *resizing_image_hosts;
} LensContextConfig;

#define LENS_TYPE_CONTEXT (lens_context_get_type ())
G_DECLARE_FINAL_TYPE (LensContext, lens_context, LENS, CONTEXT, GObject)

LensContext    *lens_context_new              (const LensContextConfig *config);

LensAccount    *lens_context_get_account      (LensContext  *self);
LensClient     *lens_context_get_client       (LensContext  *self);
LensTaskList   *lens_context_get_task_list    (LensContext  *self);
LensRefresher  *lens_context_get_refresher    (LensContext  *self);
LensDownloads  *lens_context_get_downloads    (LensContext  *self);
LensSaving     *lens_context_get_saving       (LensContext  *self);
LensImageFetcher *lens_context_get_image_fetcher (LensContext *self);
LensIntake     *lens_context_get_intake       (LensContext  *self);
LensSync       *lens_context_get_sync         (LensContext  *self);
LensHistory    *lens_context_get_history      (LensContext  *self);
LensTaskStore  *lens_context_get_store        (LensContext  *self);
LensRecordLoader *lens_context_get_record_loader (LensContext *self);
GSettings      *lens_context_get_settings     (LensContext  *self);
gboolean        lens_context_get_loading      (LensContext  *self);
GStrv           lens_context_take_unheard_messages (LensContext *self);

void            lens_context_add_text         (LensContext  *self,
                                               const char   *text,
                                               const char   *source_name);
void            lens_context_import_files     (LensContext  *self,
                                               GListModel   *files);
void            lens_context_export_async     (LensContext         *self,
                                               const char * const  *ids,
                                               LensExportFormat     format,
                                               GFile               *destination,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        lens_context_export_finish    (LensContext   *self,
                                               GAsyncResult  *result,
                                               guint         *out_n_tasks,
                                               GError       **error);
void            lens_context_shutdown         (LensContext  *self);

G_END_DECLS
