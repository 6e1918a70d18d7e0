/* fuzz-task-record.c — a LensTask from any JSON record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lens_task_update_from_json() maps what a server sent (parsed as the client
 * parses it, lens-client-answer.c) onto a task, and the
 * history maps the same record again from the task's raw JSON when the app
 * starts (lens-task-store-db.c). Besides not crashing: only web URLs come
 * through, the state is one of the enum's, a second application of the same
 * record changes nothing, and the task rebuilt from its raw JSON is the same
 * task.
 */

#define G_LOG_DOMAIN "fuzz-task-record"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fuzz-common.h"
#include "lens-client-answer.h"
#include "lens-json.h"
#include "lens-task.h"

/* A record without a usable id is applied to this task: it must become
 * not-found. */
#define OTHER_ID "7489df4c-ef03-4de0-b598-e9a590793434"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (NULL);
  return 0;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
check_urls (LensTask *task)
{
  const char * const *lists[] = {
    lens_task_get_sub_image_urls (task),
    lens_task_get_video_urls (task),
  };
  const char *urls[] = {
    lens_task_get_image_url (task),
    lens_task_get_raw_image_url (task),
    lens_task_get_request_image_url (task),
  };

  for (gsize i = 0; i < G_N_ELEMENTS (urls); i++)
    FUZZ_CHECK (urls[i] == NULL || lens_json_is_web_url (urls[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    for (guint j = 0; lists[i] != NULL && lists[i][j] != NULL; j++)
      FUZZ_CHECK (lens_json_is_web_url (lists[i][j]));
}

/* Everything a row, the details and the history read of a task. */
static void
check_same (LensTask *a,
            LensTask *b)
{
  FUZZ_CHECK (lens_task_get_state (a) == lens_task_get_state (b));
  FUZZ_CHECK (lens_task_get_progress (a) == lens_task_get_progress (b));
  FUZZ_CHECK (g_strcmp0 (lens_task_get_prompt (a), lens_task_get_prompt (b)) == 0);
  FUZZ_CHECK (g_strcmp0 (lens_task_get_image_url (a), lens_task_get_image_url (b)) == 0);
  FUZZ_CHECK (g_strcmp0 (lens_task_get_error_message (a), lens_task_get_error_message (b)) == 0);
  FUZZ_CHECK (g_strcmp0 (lens_task_get_raw_json (a), lens_task_get_raw_json (b)) == 0);
  FUZZ_CHECK (lens_task_get_created_at (a) == lens_task_get_created_at (b));
  FUZZ_CHECK (lens_task_get_finished_at (a) == lens_task_get_finished_at (b));
  FUZZ_CHECK (lens_strv_equal0 (lens_task_get_sub_image_urls (a),
                                lens_task_get_sub_image_urls (b)));
  FUZZ_CHECK (lens_strv_equal0 (lens_task_get_actions (a), lens_task_get_actions (b)));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonParser) reparser = NULL;
  g_autoptr(LensTask) task = NULL;
  g_autoptr(LensTask) reloaded = NULL;
  const char *id = NULL;
  const char *raw_json;
  guint n_notifies = 0;

  /* Parsed as the client parses an answer. */
  root = _lens_client_answer_parse (body, NULL);
  if (root == NULL)
    return 0;

  if (JSON_NODE_HOLDS_OBJECT (root))
    id = lens_json_get_string (json_node_get_object (root), "id");
  task = lens_task_new (id != NULL && *id != '\0' ? id : OTHER_ID);

  lens_task_update_from_json (task, root);
  FUZZ_CHECK (lens_task_state_to_string (lens_task_get_state (task)) != NULL);
  check_urls (task);

  /* A poll that brings the same record again must not redraw anything. */
  g_signal_connect (task, "notify", G_CALLBACK (count_notify_cb), &n_notifies);
  lens_task_update_from_json (task, root);
  FUZZ_CHECK (n_notifies == 0);

  raw_json = lens_task_get_raw_json (task);
  if (raw_json == NULL)
    return 0;

  /* What the history does at the next start. */
  reparser = json_parser_new_immutable ();
  FUZZ_CHECK (json_parser_load_from_data (reparser, raw_json, -1, NULL));
  reloaded = lens_task_new (lens_task_get_id (task));
  lens_task_update_from_json (reloaded, json_parser_get_root (reparser));
  check_same (task, reloaded);

  return 0;
}
