/* test-downloader-util.h — what test-downloader.c's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every helper asserts rather than returning errors: a failure in a helper
 * fails the test that called it.
 */

#pragma once

#include "lens-downloader.h"
#include "lens-fake-api.h"
#include "lens-test.h"

G_BEGIN_DECLS

#define UPPER_ID        "7489DF4C-EF03-4DE0-B598-E9A590793434"
#define LOWER_ID        "7489df4c-ef03-4de0-b598-e9a590793434"
#define OLD_CONTENTS    "the old picture"
#define RAW_SHORT_SIZE  1000
#define RAW_CHUNKED_SIZE (256 * 1024)

typedef struct
{
  LensFakeApi    *fake;
  SoupSession    *session;
  LensDownloader *downloader;
  char           *dir;      /* scratch directory */
  char           *id;       /* a finished imagine task on the fake server */
  char           *url;      /* its full image */
} Fixture;

typedef struct
{
  gboolean      done;
  gboolean      ok;
  char         *content_type;
  GError       *error;
  GArray       *received;        /* goffset, one per progress report */
  GArray       *totals;          /* goffset, one per progress report */
  guint         n_data_freed;
  GCancellable *cancel_on_progress; /* nullable: cancelled at the first report */
  const char   *dir;              /* nullable: checked for the partial file at each report */
  gboolean      saw_partial_file;
  const char   *watch_path;       /* nullable: must hold OLD_CONTENTS while a partial file exists */
} Outcome;

void            outcome_init          (Outcome           *outcome);
void            outcome_clear         (Outcome           *outcome);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

/* Helpers */
void            run_until_done        (Outcome           *outcome);
GStrv           list_dir              (const char        *dir);
void            assert_dir_holds      (const char        *dir,
                                       ...);
GBytes         *fetch                 (SoupSession       *session,
                                       const char        *url);
void            assert_file_has_bytes (const char        *path,
                                       GBytes            *expected);
void            assert_file_has_text  (const char        *path,
                                       const char        *text);
void            start_download        (LensDownloader    *downloader,
                                       const char        *url,
                                       const char        *path,
                                       GCancellable      *cancellable,
                                       Outcome           *outcome);
void            download              (Fixture           *fixture,
                                       const char        *url,
                                       const char        *path,
                                       GCancellable      *cancellable,
                                       Outcome           *outcome);
void            probe                 (Fixture           *fixture,
                                       const char        *url,
                                       GCancellable      *cancellable,
                                       Outcome           *outcome);
void            push_image_fault      (Fixture           *fixture,
                                       LensFakeFaultKind  kind,
                                       guint              delay_ms,
                                       guint              times);

/* A raw HTTP server, for answers SoupServer will not give */
GBytes         *raw_body              (gsize              size);
GSocketService *raw_server_start      (char             **out_url);
void            raw_server_stop       (GSocketService    *service);

/* The fixture */
void            fixture_set_up        (Fixture           *fixture,
                                       gconstpointer      data);
void            fixture_tear_down     (Fixture           *fixture,
                                       gconstpointer      data);

G_END_DECLS
