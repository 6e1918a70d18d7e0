/* test-task-view-util.c — what test-task-view.c's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture (the fake server, the app's services, and the view in a real
 * window whose "win.toast" action records what the view says), the helpers
 * that look at what is on screen, and the ones that fetch tasks and bytes
 * from the fake server. Apart from the tests so that test-task-view.c reads
 * as the list of behaviours it checks.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "lens-http.h"
#include "test-task-view-util.h"

#define TOKEN      "test-token"

/* Helpers */

gboolean
is_downloading (Fixture *fixture)
{
  gboolean downloading = FALSE;

  g_object_get (fixture->view, "downloading", &downloading, NULL);
  return downloading;
}

static void
toast_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->toasts, g_variant_dup_string (parameter, NULL));
}

gboolean
was_toasted (Fixture    *fixture,
             const char *message)
{
  for (guint i = 0; i < fixture->toasts->len; i++)
    if (g_str_equal (g_ptr_array_index (fixture->toasts, i), message))
      return TRUE;
  return FALSE;
}

/* Whether a mapped label in @widget's tree shows @text exactly. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

gboolean
view_shows (Fixture    *fixture,
            const char *text)
{
  return shows_text (GTK_WIDGET (fixture->view), text);
}

GdkPaintable *
shown_paintable (Fixture *fixture)
{
  GtkWidget *picture = lens_test_find_widget (GTK_WIDGET (fixture->view), GTK_TYPE_PICTURE);

  g_assert_nonnull (picture);
  if (!gtk_widget_get_mapped (picture))
    return NULL;
  return gtk_picture_get_paintable (GTK_PICTURE (picture));
}

static void
batch_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  LensBatchResult **batch = user_data;
  g_autoptr(GError) error = NULL;

  *batch = lens_client_retrieve_batch_finish (LENS_CLIENT (source_object), result, &error);
  g_assert_no_error (error);
}

/* Looks @id up on the fake server, as the app does. */
LensTask *
fetch_task (Fixture    *fixture,
            const char *id)
{
  const char *ids[] = { id, NULL };
  g_autoptr(LensBatchResult) batch = NULL;
  LensTask *task = lens_task_new (id);

  lens_client_retrieve_batch_async (fixture->client, ids, NULL, batch_cb, &batch);
  WAIT_UNTIL (batch != NULL);

  if (batch->records->len > 0)
    lens_task_update_from_json (task, g_ptr_array_index (batch->records, 0));
  else
    lens_task_mark_not_found (task);

  return task;
}

LensTask *
fetch_generated (Fixture          *fixture,
                 LensFakeTaskKind  kind)
{
  g_auto(GStrv) ids = lens_fake_api_seed_generated (fixture->fake, kind, 1);

  return fetch_task (fixture, ids[0]);
}

void
apply_json (LensTask   *task,
            const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) record = json_from_string (json, &error);

  g_assert_no_error (error);
  lens_task_update_from_json (task, record);
}

void
show_task (Fixture  *fixture,
           LensTask *task)
{
  lens_task_view_set_task (fixture->view, task);
  g_assert_true (lens_task_view_get_task (fixture->view) == task);
}

void
wait_for_image (Fixture *fixture)
{
  WAIT_UNTIL (shown_paintable (fixture) != NULL);
}

static void
bytes_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GBytes **bytes = user_data;
  g_autoptr(GError) error = NULL;

  *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result, &error);
  g_assert_no_error (error);
}

/* The bytes the server serves at @url, fetched on their own. */
GBytes *
fetch_bytes (Fixture    *fixture,
             const char *url)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  GBytes *bytes = NULL;

  soup_session_send_and_read_async (fixture->session, message, G_PRIORITY_DEFAULT, NULL,
                                    bytes_cb, &bytes);
  WAIT_UNTIL (bytes != NULL);
  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  return bytes;
}

guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

/* Renders the view as it is on screen into the build directory, for a
 * person to look at (and to catch a view that cannot be drawn at all). */
void
render_to_png (Fixture    *fixture,
               const char *name)
{
  GtkWidget *widget = GTK_WIDGET (fixture->view);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width, height;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  GdkRGBA window_background;

  /* The paintable shows what was last drawn: let a frame be drawn first. */
  lens_test_settle ();
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  /* The view draws on the window's background, which is not part of it. */
  gdk_rgba_parse (&window_background, "#fafafb");
  gtk_snapshot_append_color (snapshot, &window_background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Rendered %s", path);
}

/* Closes the window and waits until the view is gone. */
void
destroy_window (Fixture *fixture)
{
  GObject *view = G_OBJECT (g_steal_pointer (&fixture->view));

  g_object_add_weak_pointer (view, (gpointer *) &view);
  gtk_window_destroy (g_steal_pointer (&fixture->window));
  WAIT_UNTIL (view == NULL);
}

/* Fixture */

void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const GActionEntry window_actions[] = {
    { .name = "toast", .activate = toast_activated, .parameter_type = "s" },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(LensImageFetcher) fetcher = NULL;
  g_autoptr(GError) error = NULL;

  fixture->fake = lens_fake_api_new (TOKEN);
  lens_fake_api_start (fixture->fake, 0, &error);
  g_assert_no_error (error);
  lens_fake_api_seed_examples (fixture->fake);

  fixture->session = lens_http_create_session ();
  fixture->client = lens_client_new (fixture->session, lens_fake_api_get_url (fixture->fake), TOKEN);
  fetcher = lens_image_fetcher_new (fixture->session, NULL);
  fixture->loader = lens_image_loader_new (fetcher);
  fixture->downloader = lens_downloader_new (fixture->session);
  fixture->downloads = lens_downloads_new (fixture->downloader, NULL);
  fixture->toasts = g_ptr_array_new_with_free_func (g_free);
  fixture->tmp_dir = g_dir_make_tmp ("tasklens-task-view-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->view = lens_task_view_new ();
  g_object_set (fixture->view,
                "image-loader", fixture->loader,
                "downloads", fixture->downloads,
                NULL);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 760, 2000);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  g_action_map_add_action_entries (G_ACTION_MAP (group), window_actions,
                                   G_N_ELEMENTS (window_actions), fixture);
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "win", G_ACTION_GROUP (group));
  gtk_window_present (fixture->window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)));
}

void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->tmp_dir, 0, NULL);
  GObject *loader = G_OBJECT (g_steal_pointer (&fixture->loader));
  const char *name;

  if (fixture->window != NULL)
    destroy_window (fixture);

  /* Fetches the view abandoned hold the loader until they wind down. */
  g_object_add_weak_pointer (loader, (gpointer *) &loader);
  g_object_unref (loader);
  WAIT_UNTIL (loader == NULL);

  /* The downloads outlive the view, as they outlive the app's windows. */
  if (fixture->downloads != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->downloads));
  /* Cancelled transfers hold the downloader until they have cleaned up. */
  WAIT_UNTIL (G_OBJECT (fixture->downloader)->ref_count == 1);
  g_assert_finalize_object (fixture->downloader);
  g_assert_finalize_object (fixture->client);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->fake);
  g_ptr_array_unref (fixture->toasts);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->tmp_dir, name, NULL);
      g_assert_no_errno (g_unlink (path));
    }
  g_assert_no_errno (g_rmdir (fixture->tmp_dir));
  g_free (fixture->tmp_dir);
}
