/* test-notifier.c — what a desktop notification says of finished tasks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "lens-notifier.h"
#include "lens-test-ui.h"

#define ID_A "7489df4c-ef03-4de0-b598-e9a590793434"
#define ID_B "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define ID_C "49589d2c-b6b3-4fbf-9f82-93068509c76f"
#define ID_D "037955e0-deee-4050-baa8-1416300d67e2"

/* A finished task whose prompt is @prompt (in JSON, escaped as such). */
static LensTask *
task_with_prompt (const char *id,
                  const char *json_prompt)
{
  g_autoptr(LensTask) task = lens_task_new (id);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  json = g_strdup_printf ("{\"id\": \"%s\", \"request\": {\"prompt\": \"%s\"},"
                          " \"response\": {\"success\": true, \"progress\": 100,"
                          " \"image_url\": \"https://example.com/a.png\"}}",
                          id, json_prompt);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  lens_task_update_from_json (task, node);
  return g_steal_pointer (&task);
}

/* Servers that read markup in the body must see the prompt as text: a link,
 * bold text or a bare ampersand from the server is escaped. */
static void
test_body_escapes_markup (void)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  g_ptr_array_add (tasks, task_with_prompt (ID_A, "<a href=\\\"x\\\">&</a>"));
  g_assert_cmpstr (lens_task_get_prompt (g_ptr_array_index (tasks, 0)), ==, "<a href=\"x\">&</a>");

  body = lens_notifier_body_for (tasks, NULL);
  g_assert_cmpstr (body, ==, "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");

  notification = lens_notifier_build (tasks, NULL);
  g_assert_true (G_IS_NOTIFICATION (notification));
}

/* Each listed prompt is escaped, the id stands in for a missing prompt, and
 * more than three end in an ellipsis. */
static void
test_body_lists_escaped (void)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *body = NULL;

  g_ptr_array_add (tasks, task_with_prompt (ID_A, "cats & dogs"));
  g_ptr_array_add (tasks, task_with_prompt (ID_B, "<b>bold</b>"));
  g_ptr_array_add (tasks, lens_task_new (ID_C));
  g_ptr_array_add (tasks, task_with_prompt (ID_D, "not listed"));

  body = lens_notifier_body_for (tasks, NULL);
  g_assert_cmpstr (body, ==, "cats &amp; dogs\n&lt;b&gt;bold&lt;/b&gt;\n" ID_C "\n…");
}

/* A notification names a prompt-less upscale as its row does, with its
 * grid's prompt when the list holds the grid. */
static void
test_body_titles_upscale (void)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(LensTask) grid = lens_task_new (ID_A);
  g_autoptr(LensTask) upscale = lens_task_new (ID_B);
  g_autoptr(JsonNode) grid_record = json_from_string (
    "{\"id\": \"" ID_A "\", \"request\": {\"prompt\": \"A cat\"}, \"image_id\": \"125\","
    " \"response\": {\"success\": true, \"progress\": 100}}", NULL);
  g_autoptr(JsonNode) upscale_record = json_from_string (
    "{\"id\": \"" ID_B "\", \"request\": {\"action\": \"upscale3\", \"image_id\": \"125\"},"
    " \"response\": {\"success\": true, \"progress\": 100}}", NULL);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new ();
  g_autofree char *alone = NULL;
  g_autofree char *linked = NULL;

  lens_task_update_from_json (grid, grid_record);
  lens_task_update_from_json (upscale, upscale_record);
  g_ptr_array_add (tasks, upscale);

  alone = lens_notifier_body_for (tasks, NULL);
  g_assert_cmpstr (alone, ==, "Upscale 3");

  lens_task_list_insert (list, 0, grid);
  lens_task_list_insert (list, 1, upscale);
  linked = lens_notifier_body_for (tasks, list);
  g_assert_cmpstr (linked, ==, "Upscale 3 of “A cat”");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_ui_init (&argc, &argv);

  g_test_add_func ("/notifier/body-escapes-markup", test_body_escapes_markup);
  g_test_add_func ("/notifier/body-lists-escaped", test_body_lists_escaped);
  g_test_add_func ("/notifier/body-titles-upscale", test_body_titles_upscale);

  return g_test_run ();
}
