/* test-save-plan.c — which images of a task a bulk save writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A finished image is one file; a grid can be its four images, from their
 * own links or cut out of it; tasks with nothing to keep add nothing.
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "lens-save-plan.h"
#include "lens-test.h"

#define ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define GRID_ACTIONS "[\"upscale1\", \"upscale2\", \"upscale3\", \"upscale4\", \"reroll\"]"
#define SUBS "[\"https://cdn.test/1.png\", \"https://cdn.test/2.png\"," \
             " \"https://cdn.test/3.png\", \"https://cdn.test/4.png\"]"

/* A finished task of @type, whose response holds @response_members. */
static LensTask *
make_task (const char *type,
           const char *response_members)
{
  g_autofree char *json = g_strdup_printf ("{\"id\": \"" ID "\", \"type\": \"%s\","
                                           " \"created_at\": 1720364607.5,"
                                           " \"request\": {\"prompt\": \"A cat\"},"
                                           " \"response\": {\"success\": true, \"progress\": 100,"
                                           " \"raw_image_url\": \"https://cdn.test/grid.png\"%s}}",
                                           type, response_members);
  g_autoptr(JsonNode) record = json_from_string (json, NULL);
  LensTask *task = lens_task_new (ID);

  g_assert_nonnull (record);
  lens_task_update_from_json (task, record);
  return task;
}

/* "url#index" or "url#index+crop" of each item, joined by spaces. */
static char *
describe (GPtrArray *items)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      LensSaveItem *item = g_ptr_array_index (items, i);

      g_assert_cmpstr (item->facts->task_id, ==, ID);
      g_string_append_printf (text, "%s%s#%u%s", i > 0 ? " " : "", item->facts->source_url,
                              item->facts->index, item->crop ? "+crop" : "");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
plan (LensTask      *task,
      LensSaveGrids  grids,
      gboolean       can_crop)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_save_item_free);

  lens_save_plan_task (task, grids, can_crop, items);
  return describe (items);
}

static void
test_single_image (void)
{
  g_autoptr(LensTask) upscale = make_task ("upscale", ", \"actions\": [\"upscale_2x\"]");
  g_autofree char *whole = plan (upscale, LENS_SAVE_GRIDS_SPLIT, TRUE);

  /* Not a grid: one image, whatever is asked of grids. */
  g_assert_cmpstr (whole, ==, "https://cdn.test/grid.png#0");
}

static void
test_grid_with_links (void)
{
  g_autoptr(LensTask) grid = make_task ("imagine", ", \"actions\": " GRID_ACTIONS ", \"sub_image_urls\": " SUBS);
  g_autofree char *whole = plan (grid, LENS_SAVE_GRIDS_WHOLE, TRUE);
  g_autofree char *split = plan (grid, LENS_SAVE_GRIDS_SPLIT, FALSE);
  g_autofree char *both = plan (grid, LENS_SAVE_GRIDS_BOTH, FALSE);

  g_assert_cmpstr (whole, ==, "https://cdn.test/grid.png#0");
  g_assert_cmpstr (split, ==, "https://cdn.test/1.png#1 https://cdn.test/2.png#2 "
                              "https://cdn.test/3.png#3 https://cdn.test/4.png#4");
  g_assert_cmpstr (both, ==, "https://cdn.test/grid.png#0 https://cdn.test/1.png#1 https://cdn.test/2.png#2 "
                             "https://cdn.test/3.png#3 https://cdn.test/4.png#4");
}

/* Without links of their own, the four are cut out of the grid; a caller
 * that cannot cut gets the grid whole rather than nothing. */
static void
test_grid_cropped (void)
{
  g_autoptr(LensTask) grid = make_task ("imagine", ", \"actions\": " GRID_ACTIONS);
  g_autofree char *split = plan (grid, LENS_SAVE_GRIDS_SPLIT, TRUE);
  g_autofree char *cannot = plan (grid, LENS_SAVE_GRIDS_SPLIT, FALSE);

  g_assert_cmpstr (split, ==, "https://cdn.test/grid.png#1+crop https://cdn.test/grid.png#2+crop "
                              "https://cdn.test/grid.png#3+crop https://cdn.test/grid.png#4+crop");
  g_assert_cmpstr (cannot, ==, "https://cdn.test/grid.png#0");
}

static void
test_nothing_to_keep (void)
{
  g_autoptr(LensTask) bare = lens_task_new (ID);
  g_autoptr(LensTask) video = make_task ("videos", ", \"video_urls\": [\"https://cdn.test/v.mp4\"]");
  g_autoptr(LensTask) describe_task = make_task ("describe", "");
  g_autofree char *none = plan (bare, LENS_SAVE_GRIDS_WHOLE, TRUE);
  g_autofree char *no_video = plan (video, LENS_SAVE_GRIDS_WHOLE, TRUE);
  g_autofree char *no_describe = plan (describe_task, LENS_SAVE_GRIDS_WHOLE, TRUE);

  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (no_video, ==, "");
  g_assert_cmpstr (no_describe, ==, "");
}

/* A task without a prompt is described by its title, which names it. */
static void
test_facts (void)
{
  g_autoptr(LensTask) task = make_task ("imagine", "");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_save_item_free);
  g_autofree char *key = lens_save_item_key ("7489DF4C-EF03-4DE0-B598-E9A590793434", 2);
  LensSaveItem *item;

  lens_save_plan_task (task, LENS_SAVE_GRIDS_WHOLE, FALSE, items);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->facts->prompt, ==, "A cat");
  g_assert_cmpstr (item->facts->task_type, ==, "imagine");
  g_assert_cmpfloat (item->facts->created_at, ==, 1720364607.5);
  g_assert_cmpstr (key, ==, ID "#2");
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);

  g_test_add_func ("/save-plan/single-image", test_single_image);
  g_test_add_func ("/save-plan/grid-with-links", test_grid_with_links);
  g_test_add_func ("/save-plan/grid-cropped", test_grid_cropped);
  g_test_add_func ("/save-plan/nothing-to-keep", test_nothing_to_keep);
  g_test_add_func ("/save-plan/facts", test_facts);

  return g_test_run ();
}
