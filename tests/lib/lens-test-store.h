/* lens-test-store.h — the task history's file, for tests that look inside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "lens-task-store.h"

G_BEGIN_DECLS

/* What a load of a LensTaskStore gave. */
typedef struct
{
  gboolean   done;
  GPtrArray *tasks;             /* owned, nullable */
  char      *recovery_message;  /* owned, nullable */
  GError    *error;             /* owned, nullable */
} LensTestLoaded;

void     lens_test_loaded_clear (LensTestLoaded *loaded);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LensTestLoaded, lens_test_loaded_clear)

void     lens_test_store_load   (LensTaskStore  *store,
                                 LensTestLoaded *loaded);
void     lens_test_store_write  (LensTaskStore  *store,
                                 GPtrArray      *changes);
GPtrArray  *lens_test_store_read_records (LensTaskStore      *store,
                                          const char * const *ids);
LensTask   *lens_test_store_read_record  (LensTaskStore      *store,
                                          const char         *id);
GHashTable *lens_test_store_search       (LensTaskStore      *store,
                                          const char         *word);
char       *lens_test_store_record_text  (const char         *id);
char       *lens_test_store_finished_record (const char      *id,
                                             const char      *prompt);
LensTask   *lens_test_task_with_record   (const char         *id,
                                          const char         *json);
char       *lens_test_store_fill_id      (guint               index);
void        lens_test_store_fill         (const char         *path,
                                          guint               n_tasks);
guint       lens_test_db_damage_record_page (const char      *path);
sqlite3 *lens_test_db_open      (const char     *path);
void     lens_test_db_exec      (const char     *path,
                                 const char     *sql);
char    *lens_test_db_query     (const char     *path,
                                 const char     *sql);
sqlite3 *lens_test_db_create_v4 (const char     *path);

G_END_DECLS
