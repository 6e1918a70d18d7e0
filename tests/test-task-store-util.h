/* test-task-store-util.h — what test-task-store.c's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every helper asserts rather than returning errors: a failure in a helper
 * fails the test that called it.
 */

#pragma once

#include <sqlite3.h>

#include "lens-task-store.h"

G_BEGIN_DECLS

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C "49589d2c-b6b3-4fbf-9f82-93068509c76f"
#define ID_D "037955e0-deee-4050-baa8-1416300d67e2"
#define ID_E "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"
#define ID_F "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

#define RUNNING_RECORD(id) \
  "{\"id\":\"" id "\",\"type\":\"imagine\",\"created_at\":1720364607.9," \
  "\"request\":{\"prompt\":\"a running cat\"},\"response\":{\"progress\":42,\"success\":true}}"
#define FAILED_RECORD(id) \
  "{\"id\":\"" id "\",\"type\":\"imagine\",\"created_at\":1720364607.9," \
  "\"request\":{\"prompt\":\"a banned cat\"}," \
  "\"response\":{\"success\":false,\"error\":{\"code\":\"banned\",\"message\":\"Banned prompt\"}}}"

typedef struct
{
  char *dir;   /* scratch directory */
  char *path;  /* tasks.db, two folders below it (not made yet) */
} Fixture;

typedef struct
{
  gboolean   done;
  GPtrArray *tasks;
  char      *recovery_message;
  GError    *error;
} Loaded;

void             loaded_clear             (Loaded             *loaded);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Loaded, loaded_clear)

/* The fixture */
void             fixture_set_up           (Fixture            *fixture,
                                           gconstpointer       data);
void             fixture_tear_down        (Fixture            *fixture,
                                           gconstpointer       data);

/* Tasks and changes */
char            *record_text              (const char         *id);
LensTask        *task_with_record         (const char         *id,
                                           const char         *json);
LensStoreChange *put_change               (const char         *id,
                                           gint64              position,
                                           const char         *raw_json);
char            *generated_id             (guint               round,
                                           guint               index);
GPtrArray       *new_changes              (void);

/* The store */
void             load                     (LensTaskStore      *store,
                                           Loaded             *loaded);
void             reload                   (const char         *path,
                                           Loaded             *loaded);
void             write_sync               (LensTaskStore      *store,
                                           GPtrArray          *changes);
void             assert_ids               (GPtrArray          *tasks,
                                           const char * const *ids);
void             assert_fresh_store_works (const char         *path);

/* The database, behind the store's back */
sqlite3         *db_open                  (const char         *path);
void             db_exec                  (const char         *path,
                                           const char         *sql);
char            *db_query                 (const char         *path,
                                           const char         *sql);
gint64           db_query_int             (const char         *path,
                                           const char         *sql);
char            *find_aside               (const char         *path);

G_END_DECLS
