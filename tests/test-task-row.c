/* test-task-row.c — a row's state and thumbnail: at the size shown, only while bound
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows against the fake server, whose image host resizes as AceData's CDN
 * does (?imageMogr2/thumbnail/<w>x) once the fetcher is told it can. The
 * list is built here as the window builds its own (lens-window.c: a row
 * made in setup, given its task in bind, and none in unbind), over a plain
 * GListStore, so that 10,000 tasks cost no lookups.
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "lens-image-loader.h"
#include "lens-image-url.h"
#include "lens-task-row.h"
#include "lens-test-app.h"
#include "lens-test-fake.h"
#include "lens-test-image-host.h"
#include "lens-test-ui.h"
#include "lens-tooltip.h"

#define ROW_THUMBNAIL_SIZE 48  /* THUMBNAIL_SIZE in lens-task-row.c */
#define FLING_TASKS        10000

typedef struct
{
  LensTestImageHost  host;
  LensImageFetcher  *fetcher;
  LensImageLoader   *loader;
  GtkWindow         *window;
  guint              bound;       /* rows that have a task now */
  guint              peak_bound;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const fake_host[] = { "127.0.0.1", NULL };

  lens_test_image_host_set_up (&fixture->host, FALSE);
  fixture->fetcher = lens_image_fetcher_new (fixture->host.session, NULL);
  /* The fake server resizes as AceData's CDN does. */
  lens_image_fetcher_set_resizing_hosts (fixture->fetcher, fake_host);
  fixture->loader = lens_image_loader_new (fixture->fetcher);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 360, 600);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  lens_test_finalize_eventually (&fixture->loader);
  lens_test_finalize_eventually (&fixture->fetcher);
  lens_test_image_host_tear_down (&fixture->host);
}

/* A finished imagine task whose thumbnail is @thumbnail_url. */
static LensTask *
make_task (const char *id,
           const char *thumbnail_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) record = NULL;
  LensTask *task = lens_task_new (id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "imagine");
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_double_value (builder, 1720364607.9);
  json_builder_set_member_name (builder, "finished_at");
  json_builder_add_double_value (builder, 1720364637.4);
  json_builder_set_member_name (builder, "request");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, "A lighthouse on a cliff");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "progress");
  json_builder_add_int_value (builder, 100);
  json_builder_set_member_name (builder, "image_url");
  json_builder_add_string_value (builder, thumbnail_url);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  record = json_builder_get_root (builder);
  lens_task_update_from_json (task, record);
  return task;
}

static GtkPicture *
thumbnail_of (GtkWidget *row)
{
  return GTK_PICTURE (lens_test_find_widget (row, GTK_TYPE_PICTURE));
}

static gboolean
shows_thumbnail (GtkWidget *row)
{
  return gtk_picture_get_paintable (thumbnail_of (row)) != NULL;
}

/* The last image request the server saw. */
static LensFakeRequest *
last_media_request (Fixture *fixture)
{
  GPtrArray *requests = lens_fake_api_get_requests (fixture->host.fake);

  for (guint i = requests->len; i > 0; i--)
    {
      LensFakeRequest *request = g_ptr_array_index (requests, i - 1);

      if (g_str_has_prefix (request->path, "/images/"))
        return request;
    }

  g_assert_not_reached ();
}

/* A row asks the CDN for the width it shows, in device pixels rounded up
 * to a bucket, and shows the thumbnail at its size; a host that cannot
 * resize gets the URL as the record gives it. */
static void
test_thumbnail_at_size_shown (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *landscape_url =
    lens_test_image_host_url (&fixture->host, LENS_TEST_LANDSCAPE, "-thumb.png");
  g_autofree char *portrait_url =
    lens_test_image_host_url (&fixture->host, LENS_TEST_PORTRAIT, "-thumb.png");
  g_autoptr(LensTask) landscape =
    make_task (fixture->host.ids[LENS_TEST_LANDSCAPE], landscape_url);
  g_autoptr(LensTask) portrait = make_task (fixture->host.ids[LENS_TEST_PORTRAIT], portrait_url);
  LensTaskRow *row = lens_task_row_new (fixture->loader, NULL);
  g_autofree char *expected_query = NULL;
  GdkPaintable *paintable;
  LensFakeRequest *request;
  int scale;

  gtk_window_set_child (fixture->window, GTK_WIDGET (row));
  gtk_window_present (fixture->window);
  lens_test_settle ();
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (row));
  expected_query = g_strdup_printf ("imageMogr2/thumbnail/%dx",
                                    lens_image_url_bucket_width (ROW_THUMBNAIL_SIZE * scale));

  lens_task_row_set_task (row, landscape);
  LENS_TEST_SPIN_UNTIL (shows_thumbnail (GTK_WIDGET (row)), LENS_TEST_DEADLINE_MS);
  request = last_media_request (fixture);
  g_assert_true (g_str_has_suffix (landscape_url, request->path));
  g_assert_cmpstr (request->query, ==, expected_query);
  /* The 4:3 picture, 48 pixels wide: the server's is a bucket wider. */
  paintable = gtk_picture_get_paintable (thumbnail_of (GTK_WIDGET (row)));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, ROW_THUMBNAIL_SIZE * scale);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 36 * scale);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), ==, 1);

  /* A host that does not resize: the URL as it is. */
  lens_image_fetcher_set_resizing_hosts (fixture->fetcher, NULL);
  lens_task_row_set_task (row, portrait);
  lens_test_wait_for_media_requests (fixture->host.fake, 2);
  request = last_media_request (fixture);
  g_assert_true (g_str_has_suffix (portrait_url, request->path));
  g_assert_null (request->query);
  LENS_TEST_SPIN_UNTIL (shows_thumbnail (GTK_WIDGET (row)), LENS_TEST_DEADLINE_MS);
  paintable = gtk_picture_get_paintable (thumbnail_of (GTK_WIDGET (row)));
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, ROW_THUMBNAIL_SIZE * scale);
}

/* Applies a record of an imagine task with @members (JSON text) to @task. */
static void
apply_record (LensTask   *task,
              const char *members)
{
  g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\", %s}",
                                           lens_task_get_id (task), members);
  g_autoptr(JsonNode) record = json_from_string (json, NULL);

  g_assert_nonnull (record);
  lens_task_update_from_json (task, record);
}

static guint
count_widgets (GtkWidget *root,
               GType      type)
{
  guint n = g_type_is_a (G_OBJECT_TYPE (root), type) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child, type);
  return n;
}

/* The row's end, after its text: what it shows for the task's state. */
static GtkWidget *
state_widget_of (GtkWidget *row)
{
  GtkWidget *last = gtk_widget_get_last_child (row);

  return GTK_IS_BOX (last) ? NULL : last;
}

/* Every state shows its sign at the row's end (a spinner, the percentage
 * and a progress bar, an icon that says why), and a finished task shows
 * none. GtkListView keeps about 200 rows bound, most of them finished
 * tasks: a row builds a state's widgets only while its task is in that
 * state, and a finished task's row has no spinner, progress bar or stack
 * of them waiting. */
static void
test_state (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = lens_test_make_id (1);
  g_autoptr(LensTask) task = make_task (id, "http://127.0.0.1:1/x.png");
  LensTaskRow *row = lens_task_row_new (NULL, NULL);
  GtkWidget *widget = GTK_WIDGET (row);
  GtkWidget *state;

  gtk_window_set_child (fixture->window, widget);
  gtk_window_present (fixture->window);
  lens_task_row_set_task (row, task);
  lens_test_settle ();

  /* Finished: nothing at the end, and nothing built for later. */
  g_assert_null (state_widget_of (widget));
  g_assert_cmpuint (count_widgets (widget, GTK_TYPE_STACK), ==, 0);
  g_assert_cmpuint (count_widgets (widget, ADW_TYPE_SPINNER), ==, 0);
  g_assert_cmpuint (count_widgets (widget, GTK_TYPE_PROGRESS_BAR), ==, 0);

  lens_task_mark_queued (task);
  state = state_widget_of (widget);
  g_assert_true (ADW_IS_SPINNER (state));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (state), ==, "Waiting for the server");

  apply_record (task, "\"response\": {\"success\": true, \"progress\": 42}");
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_RUNNING);
  state = state_widget_of (widget);
  g_assert_true (GTK_IS_LABEL (state));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (state)), ==, "42%");
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (
    lens_test_find_widget (widget, GTK_TYPE_PROGRESS_BAR))), 0.42, 1e-6);

  /* The same widgets follow the progress. */
  apply_record (task, "\"response\": {\"success\": true, \"progress\": 77}");
  g_assert_true (state_widget_of (widget) == state);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (state)), ==, "77%");
  g_assert_cmpuint (count_widgets (widget, GTK_TYPE_PROGRESS_BAR), ==, 1);

  lens_task_mark_failed (task, "The server gave up");
  state = state_widget_of (widget);
  g_assert_true (GTK_IS_IMAGE (state));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (state)), ==, "dialog-error-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (state), ==, "The server gave up");
  g_assert_cmpuint (count_widgets (widget, GTK_TYPE_PROGRESS_BAR), ==, 0);

  lens_task_mark_stalled (task);
  state = state_widget_of (widget);
  g_assert_true (GTK_IS_IMAGE (state));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (state)), ==, "appointment-missed-symbolic");
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (state), "Stalled"));

  lens_task_mark_not_found (task);
  state = state_widget_of (widget);
  g_assert_true (GTK_IS_LABEL (state));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (state)), ==, "Not found");
  g_assert_true (gtk_widget_has_css_class (widget, "not-found"));

  /* Done again: the row is as light as it started. */
  apply_record (task, "\"finished_at\": 1720364637.4, \"response\": {\"success\": true, \"progress\": 100,"
                      " \"image_url\": \"http://127.0.0.1:1/x.png\"}");
  g_assert_cmpint (lens_task_get_state (task), ==, LENS_TASK_STATE_DONE);
  g_assert_null (state_widget_of (widget));
  g_assert_false (gtk_widget_has_css_class (widget, "not-found"));
}

/* A finished task of @age_s seconds made from @request (JSON). */
static LensTask *
make_aged_task (guint       n,
                const char *request,
                const char *image_id,
                double      age_s)
{
  g_autofree char *id = lens_test_make_id (n);
  g_autoptr(LensTask) task = lens_task_new (id);
  gint64 created = g_get_real_time () / G_USEC_PER_SEC - (gint64) age_s;
  g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"imagine\","
                                           " \"created_at\": %" G_GINT64_FORMAT ","
                                           " \"request\": %s, \"response\": {\"success\": true,"
                                           " \"progress\": 100, \"image_id\": \"%s\","
                                           " \"raw_image_url\": \"http://127.0.0.1:1/x.png\"}}",
                                           id, created, request, image_id);
  g_autoptr(JsonNode) record = json_from_string (json, NULL);

  g_assert_nonnull (record);
  lens_task_update_from_json (task, record);
  return g_steal_pointer (&task);
}

/* The title and the subtitle are GtkInscriptions: rows take their size
 * from their lines, not from measuring their text (lens-task-row.c). */
static const char *
text_of (LensTaskRow *row,
         guint        nth)
{
  GtkWidget *text = lens_test_find_widget (GTK_WIDGET (row), GTK_TYPE_INSCRIPTION);

  for (guint i = 0; i < nth; i++)
    text = gtk_widget_get_next_sibling (text);
  return gtk_inscription_get_text (GTK_INSCRIPTION (text));
}

#define title_of(row) text_of (row, 0)
#define subtitle_of(row) text_of (row, 1)

/* A row says which task it is in words: an upscale without a prompt is
 * "Upscale 2 of “…”" when its grid is in the list (never the API's
 * "imagine"), and the subtitle says when and what instead of repeating the
 * type, so that rows with one prompt differ. */
static void
test_title_and_subtitle (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LensTaskList) list = lens_task_list_new ();
  g_autoptr(LensTask) grid = make_aged_task (1, "{\"prompt\": \"A lighthouse\", \"action\": \"generate\"}",
                                             "1259525319472185344", 5 * 60 + 10);
  g_autoptr(LensTask) again = make_aged_task (2, "{\"prompt\": \"A lighthouse\"}",
                                              "1259525319472180000", 26 * 60 * 60);
  g_autoptr(LensTask) upscale = make_aged_task (3, "{\"action\": \"upscale2\","
                                                   " \"image_id\": \"1259525319472185344\"}",
                                                "1259525319472189999", 2 * 60 + 5);
  g_autofree char *queued_id = lens_test_make_id (4);
  g_autoptr(LensTask) queued = lens_task_new (queued_id);
  LensTaskRow *rows[4];
  LensTask *tasks[] = { grid, again, upscale, queued };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      g_assert_true (lens_task_list_insert (list, i, tasks[i]));
      rows[i] = lens_task_row_new (NULL, NULL);
      lens_task_row_set_task_list (rows[i], list);
      lens_task_row_set_task (rows[i], tasks[i]);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (rows[i]));
    }
  gtk_window_set_child (fixture->window, box);
  gtk_window_present (fixture->window);
  lens_test_settle ();

  g_assert_cmpstr (title_of (rows[0]), ==, "A lighthouse");
  g_assert_cmpstr (subtitle_of (rows[0]), ==, "5 minutes ago · Imagine");
  g_assert_cmpstr (title_of (rows[1]), ==, "A lighthouse");
  g_assert_true (g_str_has_prefix (subtitle_of (rows[1]), "Yesterday ")
                 || g_str_has_suffix (subtitle_of (rows[1]), "days ago · Imagine"));
  g_assert_cmpstr (title_of (rows[2]), ==, "Upscale 2 of “A lighthouse”");
  g_assert_cmpstr (subtitle_of (rows[2]), ==, "2 minutes ago · Upscale 2");
  /* Not looked up yet: one word for it, and its short id for a time. */
  g_assert_cmpstr (title_of (rows[3]), ==, "Waiting");
  g_assert_true (strlen (subtitle_of (rows[3])) == 8 && g_str_has_prefix (queued_id, subtitle_of (rows[3])));
}

/* The list, as the window makes it */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              Fixture                  *fixture)
{
  gtk_list_item_set_child (item, GTK_WIDGET (lens_task_row_new (fixture->loader, NULL)));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             Fixture                  *fixture)
{
  lens_task_row_set_task (LENS_TASK_ROW (gtk_list_item_get_child (item)),
                          gtk_list_item_get_item (item));
  fixture->bound++;
  fixture->peak_bound = MAX (fixture->peak_bound, fixture->bound);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               Fixture                  *fixture)
{
  lens_task_row_set_task (LENS_TASK_ROW (gtk_list_item_get_child (item)), NULL);
  fixture->bound--;
}

static GtkListView *
show_list (Fixture    *fixture,
           GListModel *tasks)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkListView *list_view;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), fixture);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), fixture);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), fixture);
  list_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (tasks))),
                                                factory));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (list_view));
  gtk_window_set_child (fixture->window, scrolled);
  gtk_window_present (fixture->window);
  lens_test_settle ();

  return list_view;
}

/* How many rows the list view shows whole or in part. */
static guint
rows_on_screen (GtkListView *list_view)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));
  double row_height = gtk_adjustment_get_upper (adjustment) / FLING_TASKS;

  return (guint) ceil (gtk_adjustment_get_page_size (adjustment) / row_height) + 1;
}

static guint
count_showing_thumbnails (GtkListView *list_view)
{
  guint count = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (LENS_IS_TASK_ROW (row) && gtk_widget_get_child_visible (child)
          && gtk_widget_get_mapped (child) && shows_thumbnail (row))
        count++;
    }

  return count;
}

/* Flinging through 10,000 rows: only bound rows fetch, a row that scrolls
 * away cancels its fetch, and a cancelled fetch never goes out later, so
 * that once the list stops only the rows on screen are fetched. */
/* The row's play sign over the thumbnail, or NULL: the GtkImage showing
 * media-playback-start-symbolic, if it is visible. */
static GtkWidget *
find_play_badge (GtkWidget *root)
{
  if (GTK_IS_IMAGE (root) && gtk_widget_get_visible (root)
      && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (root)), "media-playback-start-symbolic") == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_play_badge (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A video task's row wears a play sign on its thumbnail and says it is a
 * video to a screen reader; an imagine task's row neither, also when the
 * row is recycled from a video to an image. */
static void
test_video_badge (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *video_id = lens_test_make_id (1);
  g_autofree char *image_id = lens_test_make_id (2);
  g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"videos\","
                                           " \"created_at\": 1720364607.9, \"response\": {"
                                           " \"success\": true, \"progress\": 100,"
                                           " \"image_url\": \"http://127.0.0.1:1/poster.png\","
                                           " \"video_urls\": [\"http://127.0.0.1:1/0.mp4\"]}}",
                                           video_id);
  g_autoptr(JsonNode) record = json_from_string (json, NULL);
  g_autoptr(LensTask) video = lens_task_new (video_id);
  g_autoptr(LensTask) image = make_task (image_id, "http://127.0.0.1:1/x.png");
  LensTaskRow *row = lens_task_row_new (NULL, NULL);
  char *failure;

  lens_task_update_from_json (video, record);
  gtk_window_set_child (fixture->window, GTK_WIDGET (row));
  gtk_window_present (fixture->window);

  lens_task_row_set_task (row, video);
  lens_test_settle ();
  g_assert_nonnull (find_play_badge (GTK_WIDGET (row)));
  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Video");
  g_assert_null (failure);

  lens_task_row_set_task (row, image);
  lens_test_settle ();
  g_assert_null (find_play_badge (GTK_WIDGET (row)));
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
}

/* The row of @id in the app's list, which holds that task alone: its row
 * is the only one made. */
static GtkWidget *
app_row_of (LensTestApp *app,
            const char  *id)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lens_test_app_get_tasks (app))), ==, 1);
  g_assert_nonnull (lens_task_list_lookup (lens_test_app_get_tasks (app), id));
  return lens_test_find_widget (GTK_WIDGET (app->window), LENS_TYPE_TASK_ROW);
}

/* The row of a task whose image was saved wears the saved sign, and says
 * "Saved" to a screen reader, as soon as the history records the save
 * (LensDownloads and the bulk save go through lens_history_set_saved_path());
 * the sign goes when the history forgets it. */
static void
test_saved_badge (LensTestApp   *app,
                  gconstpointer  data)
{
  const char *id = "7489df4c-ef03-4de0-b598-e9a590793434";

  lens_test_app_add_ids (app, id);
  lens_test_settle ();
  lens_test_app_check_saved_badge (app, app_row_of, id);
}

static void
test_fling (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GListStore) tasks = g_list_store_new (LENS_TYPE_TASK);
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->host.fake, LENS_FAKE_TASK_IMAGINE,
                                                    FLING_TASKS);
  GtkListView *list_view;
  GtkAdjustment *adjustment;
  guint at_rest, on_screen, at_end, steps = 0;

  for (guint i = 0; i < FLING_TASKS; i++)
    {
      g_autofree char *url = lens_test_image_url (fixture->host.fake, ids[i], "-thumb.png");
      g_autoptr(LensTask) task = make_task (ids[i], url);

      g_list_store_append (tasks, task);
    }

  /* A slow image host: while the list moves, fetches wait for slots. */
  lens_test_push_image_fault (fixture->host.fake, LENS_FAKE_FAULT_DELAY, 150, G_MAXUINT);
  list_view = show_list (fixture, G_LIST_MODEL (tasks));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));
  on_screen = rows_on_screen (list_view);
  at_rest = fixture->bound;
  g_test_message ("%u rows on screen, %u bound", on_screen, at_rest);
  /* GtkListView binds a couple of hundred rows around the dozen on
   * screen, but maps only those: only they fetch. */
  g_assert_cmpuint (at_rest, >=, on_screen);
  LENS_TEST_SPIN_UNTIL (count_showing_thumbnails (list_view) >= on_screen - 1, LENS_TEST_DEADLINE_MS);
  lens_test_spin_for (500);
  g_test_message ("%u image requests at rest", lens_test_count_media_requests (fixture->host.fake));
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake), <=, on_screen);

  /* Eight screens a frame, to the end. */
  while (gtk_adjustment_get_value (adjustment)
         < gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment))
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                            + 8 * gtk_adjustment_get_page_size (adjustment));
      lens_test_spin_for (16);
      steps++;
    }
  /* A fetch a row started in the last frame of the fling, cancelled as it
   * scrolled away, may still be on its way to the server: counted with the
   * fling, not after it (under the sanitizers, one was: 11 against 10). */
  lens_test_spin_for (50);
  at_end = lens_test_count_media_requests (fixture->host.fake);
  g_test_message ("%u steps; %u image requests during the fling; peak %u rows bound",
                  steps, at_end, fixture->peak_bound);
  /* Whatever the length of the list. */
  g_assert_cmpuint (fixture->peak_bound, <=, FLING_TASKS / 20);

  /* The rows now on screen get their thumbnails; of the thousands of rows
   * that passed by, none is fetched any more. */
  LENS_TEST_SPIN_UNTIL (count_showing_thumbnails (list_view) >= on_screen - 1, LENS_TEST_DEADLINE_MS);
  lens_test_spin_for (1000);
  g_test_message ("%u image requests after the fling", lens_test_count_media_requests (fixture->host.fake) - at_end);
  g_assert_cmpuint (lens_test_count_media_requests (fixture->host.fake) - at_end, <=, on_screen);
  lens_fake_api_clear_faults (fixture->host.fake);
}

/* lens_tooltip_set_text(), which rows use for their state's tooltip: a
 * widget not in a window yet gets its tooltip and stays shown (it is
 * hidden only while the text is set, so that GTK does not ask the display
 * where the pointer is); the same text again changes nothing; NULL and ""
 * clear it. */
static void
test_tooltip_set_text (void)
{
  GtkWidget *label = g_object_ref_sink (gtk_label_new ("x"));
  guint n_notified = 0;

  lens_tooltip_set_text (label, "Waiting for the server");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, "Waiting for the server");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_true (gtk_widget_get_has_tooltip (label));

  g_signal_connect (label, "notify::tooltip-text", G_CALLBACK (lens_test_count_cb), &n_notified);
  lens_tooltip_set_text (label, "Waiting for the server");
  g_assert_cmpuint (n_notified, ==, 0);

  lens_tooltip_set_text (label, NULL);
  g_assert_null (gtk_widget_get_tooltip_text (label));
  g_assert_false (gtk_widget_get_has_tooltip (label));
  lens_tooltip_set_text (label, "");
  g_assert_cmpuint (n_notified, ==, 1);
  g_object_unref (label);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_ui_init (&argc, &argv);

  g_test_add_func ("/task-row/tooltip-set-text", test_tooltip_set_text);
  g_test_add ("/task-row/state", Fixture, NULL, fixture_set_up, test_state, fixture_tear_down);
  g_test_add ("/task-row/thumbnail-at-size-shown", Fixture, NULL,
              fixture_set_up, test_thumbnail_at_size_shown, fixture_tear_down);
  g_test_add ("/task-row/title-and-subtitle", Fixture, NULL,
              fixture_set_up, test_title_and_subtitle, fixture_tear_down);
  g_test_add ("/task-row/video-badge", Fixture, NULL,
              fixture_set_up, test_video_badge, fixture_tear_down);
  g_test_add ("/task-row/saved-badge", LensTestApp, NULL,
              lens_test_app_set_up, test_saved_badge, lens_test_app_tear_down);
  g_test_add ("/task-row/fling", Fixture, NULL, fixture_set_up, test_fling, fixture_tear_down);

  return g_test_run ();
}
