/* test-image-viewer.c — the image viewer, opened from the whole app, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys are pressed as GTK would find them: the viewer's shortcuts of the
 * capture phase first, then those of the bubble phase (GTK 4 has no public
 * way to synthesise the key event itself). The pointer's wheel is the
 * scroll controller's signal, after the motion controller's.
 */

#include "config.h"

#include "lens-image-viewer.h"
#include "lens-task-view.h"
#include "lens-test-app.h"
#include "lens-test-fake.h"
#include "lens-test-png.h"
#include "lens-test-ui.h"

#define CAT_ID     "7489df4c-ef03-4de0-b598-e9a590793434"  /* done, 2048 × 2048 */
#define GIRL_ID    "807f62de-c63e-4add-8345-7f0ae6dd18e7"  /* done */
#define FAILED_ID  "0f0f0f0f-1111-4222-8333-555555555555"  /* failed, no image */
#define UNKNOWN_ID "00000000-1111-4222-8333-444444444444"  /* not found */
#define ORIGINAL_SIZE 2048

typedef LensTestApp Fixture;

#define WAIT_UNTIL(condition) LENS_TEST_SPIN_UNTIL (condition, LENS_TEST_DEADLINE_MS)

/* Helpers */

static LensImageViewer *
find_viewer (Fixture *fixture)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));

  for (GList *l = windows; l != NULL; l = l->next)
    if (LENS_IS_IMAGE_VIEWER (l->data))
      return l->data;
  return NULL;
}

/* Selects @id in the window and opens the viewer as the task page does. */
static LensImageViewer *
open_viewer (Fixture    *fixture,
             const char *id)
{
  LensImageViewer *viewer;

  lens_window_select_task (fixture->window, id);
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, id);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.view-image", NULL);
  WAIT_UNTIL ((viewer = find_viewer (fixture)) != NULL && gtk_widget_get_mapped (GTK_WIDGET (viewer)));
  return viewer;
}

static GdkPaintable *
shown (LensImageViewer *viewer)
{
  return lens_zoomable_picture_get_paintable (lens_image_viewer_get_picture (viewer));
}

/* Waits for the original, at its own size, and for the layout. */
static LensZoomablePicture *
wait_for_original (LensImageViewer *viewer)
{
  WAIT_UNTIL (shown (viewer) != NULL
              && gdk_paintable_get_intrinsic_width (shown (viewer)) == ORIGINAL_SIZE);
  lens_test_settle ();
  return lens_image_viewer_get_picture (viewer);
}

/* Activates the action @keyval with @modifiers names in @viewer, as GTK
 * would find it. GTK's own bindings (GtkWindow moves the focus with the
 * arrows) are left out: they want the key event itself. Returns whether
 * an action took the key: a disabled one does not. */
static gboolean
press (LensImageViewer *viewer,
       guint            keyval,
       GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (viewer));
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);
  static const GtkPropagationPhase phases[] = { GTK_PHASE_CAPTURE, GTK_PHASE_BUBBLE };

  for (guint p = 0; p < G_N_ELEMENTS (phases); p++)
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller)
            || gtk_event_controller_get_propagation_phase (controller) != phases[p])
          continue;
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

            if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted)
                && GTK_IS_NAMED_ACTION (gtk_shortcut_get_action (shortcut))
                && gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, GTK_WIDGET (viewer),
                                                 NULL))
              {
                lens_test_spin_pending ();
                return TRUE;
              }
          }
      }
  return FALSE;
}

/* The first widget in @root's tree that activates @action_name. */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first controller of @type on @widget. */
static GtkEventController *
controller_of (GtkWidget *widget,
               GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;  /* the widget keeps it */
    }
  g_assert_not_reached ();
}

static void
assert_zoom (LensZoomablePicture *picture,
             double               zoom)
{
  g_assert_cmpfloat_with_epsilon (lens_zoomable_picture_get_zoom (picture), zoom, 0.001);
}

/* Tests */

/* Activating the task page's image opens the viewer on that task's
 * original, titled as the task; it opens at best fit. */
static void
test_click_opens (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *view = lens_test_find_widget (GTK_WIDGET (fixture->window), LENS_TYPE_TASK_VIEW);
  GtkWidget *image = NULL;
  LensImageViewer *viewer;

  lens_test_app_add_ids (fixture, CAT_ID);
  lens_window_select_task (fixture->window, CAT_ID);
  g_assert_null (find_viewer (fixture));

  WAIT_UNTIL ((image = find_actionable (view, "win.view-image")) != NULL && gtk_widget_get_mapped (image));
  g_assert_true (gtk_widget_get_focusable (image));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (image)), ==,
                   GTK_ACCESSIBLE_ROLE_BUTTON);
  g_signal_emit_by_name (image, "clicked");

  WAIT_UNTIL ((viewer = find_viewer (fixture)) != NULL && gtk_widget_get_mapped (GTK_WIDGET (viewer)));
  g_assert_cmpstr (lens_task_get_id (lens_image_viewer_get_task (viewer)), ==, CAT_ID);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (viewer)), ==, "A cat sitting on a table");
  wait_for_original (viewer);
  g_assert_true (lens_zoomable_picture_get_best_fit (lens_image_viewer_get_picture (viewer)));

  /* Asked again, the same viewer comes forward. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.view-image", NULL);
  g_assert_true (find_viewer (fixture) == viewer);
}

/* Loupe's keys: Ctrl++ and + zoom in, Ctrl+- and - out, Ctrl+0 fits,
 * 1 and Ctrl+1 show 100 %, and the header bar says the zoom. */
static void
test_keys_zoom (Fixture       *fixture,
                gconstpointer  data)
{
  LensImageViewer *viewer;
  LensZoomablePicture *picture;
  double fit;

  lens_test_app_add_ids (fixture, CAT_ID);
  viewer = open_viewer (fixture, CAT_ID);
  picture = wait_for_original (viewer);
  /* The zoom menu. */
  g_assert_cmpuint (lens_test_open_menus (GTK_WIDGET (viewer)), ==, 1);

  fit = lens_zoomable_picture_get_zoom (picture);
  g_assert_true (lens_zoomable_picture_get_best_fit (picture));
  g_assert_cmpfloat (fit, <, 1.0);
  g_assert_cmpfloat (fit, >, 0.1);
  assert_zoom (picture, lens_zoomable_picture_get_fit_zoom (picture));

  g_assert_true (press (viewer, GDK_KEY_plus, GDK_CONTROL_MASK));
  assert_zoom (picture, fit * 1.5);
  g_assert_false (lens_zoomable_picture_get_best_fit (picture));
  g_assert_true (press (viewer, GDK_KEY_equal, 0));
  assert_zoom (picture, fit * 1.5 * 1.5);
  g_assert_true (press (viewer, GDK_KEY_minus, 0));
  assert_zoom (picture, fit * 1.5);
  g_assert_true (press (viewer, GDK_KEY_minus, GDK_CONTROL_MASK));
  assert_zoom (picture, fit);
  /* Not below best fit: zooming out is off there. */
  g_assert_false (press (viewer, GDK_KEY_minus, 0));
  assert_zoom (picture, fit);
  g_assert_true (lens_zoomable_picture_get_best_fit (picture));

  g_assert_true (press (viewer, GDK_KEY_1, 0));
  assert_zoom (picture, 1.0);
  g_assert_nonnull (lens_test_find_label (GTK_WIDGET (viewer), "100%"));
  g_assert_true (press (viewer, GDK_KEY_0, GDK_CONTROL_MASK));
  g_assert_true (lens_zoomable_picture_get_best_fit (picture));
  assert_zoom (picture, fit);
  g_assert_true (press (viewer, GDK_KEY_1, GDK_CONTROL_MASK));
  assert_zoom (picture, 1.0);

  /* At best fit, the zoom follows the window's size. */
  g_assert_true (press (viewer, GDK_KEY_0, GDK_CONTROL_MASK));
  gtk_window_set_default_size (GTK_WINDOW (viewer), 700, 500);
  WAIT_UNTIL (lens_zoomable_picture_get_zoom (picture) < fit - 0.05);
  lens_test_settle ();
  assert_zoom (picture, lens_zoomable_picture_get_fit_zoom (picture));
  g_assert_true (press (viewer, GDK_KEY_1, 0));

  /* Double-click goes back to the whole image. */
  g_signal_emit_by_name (controller_of (GTK_WIDGET (picture), GTK_TYPE_GESTURE_CLICK), "pressed",
                         2, 100.0, 100.0);
  g_assert_true (lens_zoomable_picture_get_best_fit (picture));

  lens_zoomable_picture_set_zoom (picture, 2.0);
  lens_test_save_window_png (GTK_WIDGET (viewer), "image-viewer-200.png");
}

/* The wheel zooms around the pointer: the image's pixel under it stays
 * under it. */
static void
test_scroll_zoom_keeps_point (Fixture       *fixture,
                              gconstpointer  data)
{
  LensImageViewer *viewer;
  LensZoomablePicture *picture;
  GtkEventController *motion;
  GtkEventController *scroll;
  double before_x, before_y, after_x, after_y;
  gboolean handled = FALSE;

  lens_test_app_add_ids (fixture, CAT_ID);
  viewer = open_viewer (fixture, CAT_ID);
  picture = wait_for_original (viewer);
  /* At 100 % the image is larger than the window both ways. */
  lens_zoomable_picture_set_zoom (picture, 1.0);

  motion = controller_of (GTK_WIDGET (picture), GTK_TYPE_EVENT_CONTROLLER_MOTION);
  scroll = controller_of (GTK_WIDGET (picture), GTK_TYPE_EVENT_CONTROLLER_SCROLL);
  g_signal_emit_by_name (motion, "motion", 300.0, 200.0);
  lens_zoomable_picture_widget_to_image (picture, 300, 200, &before_x, &before_y);

  g_signal_emit_by_name (scroll, "scroll", 0.0, -1.0, &handled);
  g_assert_true (handled);
  g_assert_cmpfloat (lens_zoomable_picture_get_zoom (picture), >, 1.2);
  lens_zoomable_picture_widget_to_image (picture, 300, 200, &after_x, &after_y);
  g_assert_cmpfloat_with_epsilon (after_x, before_x, 0.01);
  g_assert_cmpfloat_with_epsilon (after_y, before_y, 0.01);

  /* And back out, around the same point. */
  g_signal_emit_by_name (scroll, "scroll", 0.0, 1.0, &handled);
  assert_zoom (picture, 1.0);
  lens_zoomable_picture_widget_to_image (picture, 300, 200, &after_x, &after_y);
  g_assert_cmpfloat_with_epsilon (after_x, before_x, 0.01);
  g_assert_cmpfloat_with_epsilon (after_y, before_y, 0.01);
}

/* Panning a zoomed image stops at its edges; at best fit it is centred
 * and does not move. */
static void
test_pan_clamps (Fixture       *fixture,
                 gconstpointer  data)
{
  LensImageViewer *viewer;
  LensZoomablePicture *picture;
  int width, height;
  double x, y, fit_x, fit_y;

  lens_test_app_add_ids (fixture, CAT_ID);
  viewer = open_viewer (fixture, CAT_ID);
  picture = wait_for_original (viewer);
  width = gtk_widget_get_width (GTK_WIDGET (picture));
  height = gtk_widget_get_height (GTK_WIDGET (picture));

  lens_zoomable_picture_widget_to_image (picture, width / 2.0, height / 2.0, &fit_x, &fit_y);
  g_assert_cmpfloat_with_epsilon (fit_x, ORIGINAL_SIZE / 2.0, 0.5);
  g_assert_cmpfloat_with_epsilon (fit_y, ORIGINAL_SIZE / 2.0, 0.5);
  lens_zoomable_picture_pan_by (picture, 300, 300);
  lens_zoomable_picture_widget_to_image (picture, width / 2.0, height / 2.0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, fit_x, 0.01);
  g_assert_cmpfloat_with_epsilon (y, fit_y, 0.01);

  lens_zoomable_picture_set_zoom (picture, 2.0);
  lens_zoomable_picture_pan_by (picture, 100000, 100000);
  lens_zoomable_picture_widget_to_image (picture, 0, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0, 0.01);
  g_assert_cmpfloat_with_epsilon (y, 0, 0.01);

  lens_zoomable_picture_pan_by (picture, -100000, -100000);
  lens_zoomable_picture_widget_to_image (picture, width, height, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, ORIGINAL_SIZE, 0.01);
  g_assert_cmpfloat_with_epsilon (y, ORIGINAL_SIZE, 0.01);
}

/* Right and Left go to the next and previous task with an image, in the
 * window's order (as added, at first), skipping a failed one; the window's
 * selection follows. */
static void
test_next_previous (Fixture       *fixture,
                    gconstpointer  data)
{
  LensImageViewer *viewer;

  lens_fake_api_add_record (fixture->fake,
                            "{\"id\": \"" FAILED_ID "\", \"type\": \"imagine\","
                            " \"created_at\": 1720380000.0, \"finished_at\": 1720380030.0,"
                            " \"request\": {\"action\": \"generate\", \"prompt\": \"A failed one\"},"
                            " \"response\": {\"success\": false, \"task_id\": \"" FAILED_ID "\","
                            " \"error\": {\"code\": \"bad_request\", \"message\": \"Banned prompt\"}}}");
  lens_test_app_add_ids (fixture, GIRL_ID " " FAILED_ID " " CAT_ID " " UNKNOWN_ID);
  g_assert_cmpint (lens_task_get_state (lens_task_list_lookup (lens_test_app_get_tasks (fixture),
                                                               FAILED_ID)),
                   ==, LENS_TASK_STATE_FAILED);

  viewer = open_viewer (fixture, GIRL_ID);
  /* Nothing before the first. */
  press (viewer, GDK_KEY_Left, 0);
  g_assert_cmpstr (lens_task_get_id (lens_image_viewer_get_task (viewer)), ==, GIRL_ID);

  g_assert_true (press (viewer, GDK_KEY_Right, 0));
  g_assert_cmpstr (lens_task_get_id (lens_image_viewer_get_task (viewer)), ==, CAT_ID);
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, CAT_ID);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (viewer)), ==, "A cat sitting on a table");
  wait_for_original (viewer);

  /* The task not found has no image: Right stays. */
  press (viewer, GDK_KEY_Right, 0);
  g_assert_cmpstr (lens_task_get_id (lens_image_viewer_get_task (viewer)), ==, CAT_ID);

  g_assert_true (press (viewer, GDK_KEY_Left, 0));
  g_assert_cmpstr (lens_task_get_id (lens_image_viewer_get_task (viewer)), ==, GIRL_ID);
  g_assert_cmpstr (lens_task_get_id (lens_window_get_selected_task (fixture->window)), ==, GIRL_ID);
}

/* Whether @viewer shows its image alone: fullscreen (as asked for: Xvfb
 * has no window manager to grant it), without its header bar. */
static gboolean
is_fullscreen (LensImageViewer *viewer)
{
  GtkWidget *toolbar_view = lens_test_find_widget (GTK_WIDGET (viewer), ADW_TYPE_TOOLBAR_VIEW);
  gboolean fullscreen = lens_image_viewer_get_fullscreen (viewer);

  g_assert_cmpint (fullscreen, !=, adw_toolbar_view_get_reveal_top_bars (ADW_TOOLBAR_VIEW (toolbar_view)));
  return fullscreen;
}

/* F11 toggles fullscreen; Escape leaves fullscreen, then the viewer. */
static void
test_fullscreen (Fixture       *fixture,
                 gconstpointer  data)
{
  LensImageViewer *viewer;

  lens_test_app_add_ids (fixture, CAT_ID);
  viewer = open_viewer (fixture, CAT_ID);
  g_object_add_weak_pointer (G_OBJECT (viewer), (gpointer *) &viewer);
  g_assert_false (is_fullscreen (viewer));

  g_assert_true (press (viewer, GDK_KEY_F11, 0));
  g_assert_true (is_fullscreen (viewer));
  g_assert_true (press (viewer, GDK_KEY_F11, 0));
  g_assert_false (is_fullscreen (viewer));

  g_assert_true (press (viewer, GDK_KEY_F11, 0));
  g_assert_true (press (viewer, GDK_KEY_Escape, 0));
  g_assert_false (is_fullscreen (viewer));
  g_assert_nonnull (find_viewer (fixture));

  g_assert_true (press (viewer, GDK_KEY_Escape, 0));
  WAIT_UNTIL (viewer == NULL);
  g_assert_null (find_viewer (fixture));
}

/* The link has expired (410) and the user saved the image: the viewer
 * shows the saved file at its own size, and says why, as the task page
 * does. Without the file, the link's error. */
static void
test_expired_shows_saved_copy (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *folder = lens_test_make_scratch_dir ("viewer-saved");
  g_autofree char *path = g_build_filename (folder, "cat.png", NULL);
  g_autoptr(GBytes) png = lens_test_make_png (300, 200);
  LensImageViewer *viewer;
  AdwBanner *banner;
  LensTask *task;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL));
  lens_test_app_add_ids (fixture, CAT_ID "\n" GIRL_ID);
  lens_test_app_wait_until_looked_up (fixture);
  task = lens_task_list_lookup (lens_test_app_get_tasks (fixture), CAT_ID);
  lens_task_set_saved_path (task, path);
  lens_test_push_image_status (fixture->fake, SOUP_STATUS_GONE, 1000);

  viewer = open_viewer (fixture, CAT_ID);
  banner = ADW_BANNER (lens_test_find_widget (GTK_WIDGET (viewer), ADW_TYPE_BANNER));
  WAIT_UNTIL (shown (viewer) != NULL && gdk_paintable_get_intrinsic_width (shown (viewer)) == 300
              && adw_banner_get_revealed (banner));
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (shown (viewer)), ==, 200);
  g_assert_cmpstr (adw_banner_get_title (banner), ==, "The link has expired; showing your saved copy");

  /* The next task was never saved: its link's error. */
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL);
  WAIT_UNTIL (g_strcmp0 (lens_task_get_id (lens_image_viewer_get_task (viewer)), GIRL_ID) == 0
              && (shown (viewer) == NULL || adw_banner_get_revealed (banner)));
  WAIT_UNTIL (shown (viewer) == NULL
              || g_str_has_prefix (adw_banner_get_title (banner), "The full-resolution image could not be loaded"));

  lens_fake_api_clear_faults (fixture->fake);
  lens_test_remove_tree (folder);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/image-viewer/click-opens", Fixture, NULL, lens_test_app_set_up, test_click_opens,
              lens_test_app_tear_down);
  g_test_add ("/image-viewer/keys-zoom", Fixture, NULL, lens_test_app_set_up, test_keys_zoom,
              lens_test_app_tear_down);
  g_test_add ("/image-viewer/scroll-zoom-keeps-point", Fixture, NULL, lens_test_app_set_up,
              test_scroll_zoom_keeps_point, lens_test_app_tear_down);
  g_test_add ("/image-viewer/pan-clamps", Fixture, NULL, lens_test_app_set_up, test_pan_clamps,
              lens_test_app_tear_down);
  g_test_add ("/image-viewer/next-previous", Fixture, NULL, lens_test_app_set_up, test_next_previous,
              lens_test_app_tear_down);
  g_test_add ("/image-viewer/expired-shows-saved-copy", Fixture, NULL, lens_test_app_set_up,
              test_expired_shows_saved_copy, lens_test_app_tear_down);
  g_test_add ("/image-viewer/fullscreen", Fixture, NULL, lens_test_app_set_up, test_fullscreen,
              lens_test_app_tear_down);

  return g_test_run ();
}
