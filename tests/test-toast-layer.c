/* test-toast-layer.c — toasts over the content, drawn on their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A toast must not make GTK draw the whole window again (lens-toast-layer.c):
 * GSK compares a frame's render nodes with the last frame's, and redraws all
 * of a node whose kind changed. So the layer's node stays a container, with
 * the content's node (the very same, unchanged) in it, before, while and
 * after a toast shows. The toast takes clicks only where it is, and Escape
 * dismisses it.
 */

#include "config.h"

#include <adwaita.h>

#include "lens-test.h"
#include "lens-test-ui.h"
#include "lens-toast-layer.h"

typedef struct
{
  GtkWindow      *window;
  LensToastLayer *layer;
  GtkWidget      *content;
  GdkPaintable   *drawn;     /* the layer as GTK last drew it */
} Fixture;

static void
draw_content (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  cairo_set_source_rgb (cr, 0.2, 0.4, 0.6);
  cairo_paint (cr);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 600);
  fixture->layer = LENS_TOAST_LAYER (lens_toast_layer_new ());
  /* Drawn once: no hover or focus to draw again. */
  fixture->content = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (fixture->content), draw_content, NULL, NULL);
  lens_toast_layer_set_child (fixture->layer, fixture->content);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->layer));
  fixture->drawn = gtk_widget_paintable_new (GTK_WIDGET (fixture->layer));
  gtk_window_present (fixture->window);
  LENS_TEST_SPIN_UNTIL (gtk_widget_get_width (fixture->content) > 400, LENS_TEST_DEADLINE_MS);
  lens_test_settle ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->drawn);
  gtk_window_destroy (fixture->window);
  lens_test_settle ();
}

/* The layer's render node in the last frame GTK drew. */
static GskRenderNode *
layer_node (Fixture *fixture)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderNode *inner;

  gdk_paintable_snapshot (fixture->drawn, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (GTK_WIDGET (fixture->layer)),
                          gtk_widget_get_height (GTK_WIDGET (fixture->layer)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  /* The paintable wraps the widget's node; GTK_DEBUG=snapshot adds more. */
  inner = node;
  for (;;)
    {
      switch (gsk_render_node_get_node_type (inner))
        {
        case GSK_DEBUG_NODE:
          inner = gsk_debug_node_get_child (inner);
          continue;
        case GSK_TRANSFORM_NODE:
          inner = gsk_transform_node_get_child (inner);
          continue;
        case GSK_CLIP_NODE:
          inner = gsk_clip_node_get_child (inner);
          continue;
        default:
          break;
        }
      break;
    }
  return gsk_render_node_ref (inner);
}

/* The content's node among the layer's: the one as wide as the layer. */
static GskRenderNode *
content_node_of (Fixture       *fixture,
                 GskRenderNode *layer)
{
  g_assert_cmpint (gsk_render_node_get_node_type (layer), ==, GSK_CONTAINER_NODE);
  for (guint i = 0; i < gsk_container_node_get_n_children (layer); i++)
    {
      GskRenderNode *child = gsk_container_node_get_child (layer, i);
      graphene_rect_t bounds;

      gsk_render_node_get_bounds (child, &bounds);
      if (bounds.size.width >= gtk_widget_get_width (GTK_WIDGET (fixture->layer)))
        return child;
    }
  g_assert_not_reached ();
}

static gboolean
toast_widget_shown (Fixture *fixture)
{
  return lens_test_find_label (GTK_WIDGET (fixture->layer), "Saved") != NULL;
}

/* A toast only adds a node beside the content's: before it, while it
 * slides in, once it sits and after it is gone, the layer's node is a
 * container holding the content's node unchanged. */
static void
test_toast_adds_a_node (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GskRenderNode) before = layer_node (fixture);
  GskRenderNode *content = content_node_of (fixture, before);
  guint n_before = gsk_container_node_get_n_children (before);
  AdwToast *toast = adw_toast_new ("Saved");
  gboolean sliding_seen = FALSE;
  gboolean drawn_with_toast = FALSE;
  gint64 deadline;

  adw_toast_set_timeout (toast, 1);
  lens_toast_layer_add_toast (fixture->layer, toast);
  deadline = g_get_monotonic_time () + LENS_TEST_DEADLINE_MS * 1000;
  /* Through the toast's whole life, frame by frame. */
  while (!sliding_seen || toast_widget_shown (fixture))
    {
      g_autoptr(GskRenderNode) now = NULL;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
      now = layer_node (fixture);
      g_assert_cmpint (gsk_render_node_get_node_type (now), ==, GSK_CONTAINER_NODE);
      g_assert_true (content_node_of (fixture, now) == content);
      sliding_seen |= toast_widget_shown (fixture);
      drawn_with_toast |= gsk_container_node_get_n_children (now) > n_before;
    }
  g_assert_true (drawn_with_toast);
}

/* Without a toast nothing of the layer's takes a click from the content;
 * with one, only the toast does. */
static void
test_clicks_reach_content (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *layer = GTK_WIDGET (fixture->layer);
  int width = gtk_widget_get_width (layer);
  int height = gtk_widget_get_height (layer);
  GtkWidget *title;
  graphene_point_t centre;

  g_assert_true (gtk_widget_pick (layer, width / 2.0, height - 5, GTK_PICK_DEFAULT) == fixture->content
                 || gtk_widget_is_ancestor (gtk_widget_pick (layer, width / 2.0, height - 5, GTK_PICK_DEFAULT),
                                            fixture->content));

  lens_toast_layer_add_toast (fixture->layer, adw_toast_new ("Saved"));
  LENS_TEST_SPIN_UNTIL (toast_widget_shown (fixture), LENS_TEST_DEADLINE_MS);
  lens_test_settle ();
  title = lens_test_find_label (layer, "Saved");
  g_assert_true (gtk_widget_compute_point (title, layer,
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (title) / 2.0f,
                                                                 gtk_widget_get_height (title) / 2.0f),
                                           &centre));
  g_assert_cmpfloat (centre.y, >, height * 0.75);
  g_assert_false (gtk_widget_is_ancestor (gtk_widget_pick (layer, centre.x, centre.y, GTK_PICK_DEFAULT),
                                          fixture->content));
  g_assert_true (gtk_widget_is_ancestor (gtk_widget_pick (layer, 5, centre.y, GTK_PICK_DEFAULT),
                                         fixture->content)
                 || gtk_widget_pick (layer, 5, centre.y, GTK_PICK_DEFAULT) == fixture->content);
}

static void
flag_set (gboolean *flag)
{
  *flag = TRUE;
}

/* The layer's Escape, run as a key press would run it: whether it took
 * the key. */
static gboolean
press_escape (Fixture *fixture)
{
  return lens_test_press_key (GTK_WIDGET (fixture->layer), GDK_KEY_Escape, 0);
}

/* Escape dismisses the toast on show; with none, it is left to the window
 * (selection mode, the search). */
static void
test_escape_dismisses (Fixture       *fixture,
                       gconstpointer  data)
{
  AdwToast *toast = adw_toast_new ("Saved");
  gboolean dismissed = FALSE;

  g_assert_false (press_escape (fixture));

  adw_toast_set_timeout (toast, 0);
  g_signal_connect_swapped (toast, "dismissed", G_CALLBACK (flag_set), &dismissed);
  lens_toast_layer_add_toast (fixture->layer, toast);
  LENS_TEST_SPIN_UNTIL (toast_widget_shown (fixture), LENS_TEST_DEADLINE_MS);
  g_assert_true (press_escape (fixture));
  g_assert_true (dismissed);
  /* It leaves (it can take no click): Escape is the window's again. */
  g_assert_false (press_escape (fixture));
}


/* Escape dismisses the toast on show, not those waiting behind it: the
 * next one shows then, as with AdwToastOverlay's own Escape. */
static void
test_escape_dismisses_one (Fixture       *fixture,
                           gconstpointer  data)
{
  AdwToast *first = adw_toast_new ("Copied");
  AdwToast *second = adw_toast_new ("Saved");
  gboolean first_dismissed = FALSE;
  gboolean second_dismissed = FALSE;

  adw_toast_set_timeout (first, 0);
  adw_toast_set_timeout (second, 0);
  g_signal_connect_swapped (first, "dismissed", G_CALLBACK (flag_set), &first_dismissed);
  g_signal_connect_swapped (second, "dismissed", G_CALLBACK (flag_set), &second_dismissed);
  lens_toast_layer_add_toast (fixture->layer, first);
  lens_toast_layer_add_toast (fixture->layer, second);
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (GTK_WIDGET (fixture->layer), "Copied") != NULL,
                        LENS_TEST_DEADLINE_MS);

  g_assert_true (press_escape (fixture));
  g_assert_true (first_dismissed);
  g_assert_false (second_dismissed);
  LENS_TEST_SPIN_UNTIL (toast_widget_shown (fixture), LENS_TEST_DEADLINE_MS);
  g_assert_true (press_escape (fixture));
  g_assert_true (second_dismissed);
}

/* A high-priority toast (the window's Undo) puts the one on show back in
 * the queue while that one fades out; Escape then must leave the fading
 * one to its animation (libadwaita 1.7's adw_toast_overlay_dismiss_all()
 * freed it under the running animation: a use after free and a double
 * free when the animation ended). */
static void
test_escape_while_postponed (Fixture       *fixture,
                             gconstpointer  data)
{
  AdwToast *first = adw_toast_new ("Copied");
  AdwToast *undo = adw_toast_new ("Saved");

  g_assert_true (adw_get_enable_animations (GTK_WIDGET (fixture->layer)));
  adw_toast_set_timeout (first, 0);
  adw_toast_set_timeout (undo, 0);
  adw_toast_set_priority (undo, ADW_TOAST_PRIORITY_HIGH);
  lens_toast_layer_add_toast (fixture->layer, first);
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (GTK_WIDGET (fixture->layer), "Copied") != NULL,
                        LENS_TEST_DEADLINE_MS);
  lens_test_settle ();
  lens_toast_layer_add_toast (fixture->layer, undo);
  g_assert_true (press_escape (fixture));
  /* The fading toast's animation runs to its end, and the first toast
   * comes back. */
  lens_test_spin_for (600);
  LENS_TEST_SPIN_UNTIL (toast_widget_shown (fixture) == FALSE
                        && lens_test_find_label (GTK_WIDGET (fixture->layer), "Copied") != NULL,
                        LENS_TEST_DEADLINE_MS);
}

/* The toast's own widget ("toast") around its title, as laid out. */
static GtkWidget *
toast_widget_of (GtkWidget  *root,
                 const char *title)
{
  GtkWidget *widget = lens_test_find_label (root, title);

  while (widget != NULL && g_strcmp0 (gtk_widget_get_css_name (widget), "toast") != 0)
    widget = gtk_widget_get_parent (widget);
  g_assert_nonnull (widget);
  return widget;
}

/* How wide libadwaita's own overlay, around content as wide as @width,
 * makes @toast. */
static int
width_in_plain_overlay (int       width,
                        AdwToast *toast)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *content = gtk_drawing_area_new ();
  const char *title = adw_toast_get_title (toast);
  int toast_width;

  gtk_window_set_default_size (window, width, 600);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), content);
  gtk_window_set_child (window, overlay);
  gtk_window_present (window);
  LENS_TEST_SPIN_UNTIL (gtk_widget_get_width (content) == width, LENS_TEST_DEADLINE_MS);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  LENS_TEST_SPIN_UNTIL (lens_test_find_label (overlay, title) != NULL, LENS_TEST_DEADLINE_MS);
  lens_test_settle ();
  toast_width = gtk_widget_get_width (toast_widget_of (overlay, title));
  gtk_window_destroy (window);
  lens_test_settle ();
  return toast_width;
}

/* How wide the layer, in the fixture's window made @width wide, makes
 * @toast. */
static int
width_in_layer (Fixture  *fixture,
                int       width,
                AdwToast *toast)
{
  const char *title = adw_toast_get_title (toast);

  gtk_window_set_default_size (fixture->window, width, 600);
  LENS_TEST_SPIN_UNTIL (gtk_widget_get_width (fixture->content) == width, LENS_TEST_DEADLINE_MS);
  lens_toast_layer_add_toast (fixture->layer, toast);
  LENS_TEST_SPIN_UNTIL (toast_widget_shown (fixture), LENS_TEST_DEADLINE_MS);
  lens_test_settle ();
  return gtk_widget_get_width (toast_widget_of (GTK_WIDGET (fixture->layer), title));
}

static AdwToast *
toast_with_button (void)
{
  AdwToast *toast = adw_toast_new ("Saved");

  adw_toast_set_button_label (toast, "_Undo");
  adw_toast_set_timeout (toast, 0);
  return toast;
}

/* A toast is as wide as libadwaita makes it over the content: one with a
 * button at least 450 pixels (its natural width), or the whole width of a
 * narrow window; one without, as wide as its text. */
static void
test_toast_width (Fixture       *fixture,
                  gconstpointer  data)
{
  int width = GPOINTER_TO_INT (data);
  AdwToast *button = toast_with_button ();
  AdwToast *plain = adw_toast_new ("Saved");
  int expected = width_in_plain_overlay (width, toast_with_button ());

  g_assert_cmpint (width_in_layer (fixture, width, button), ==, expected);

  adw_toast_dismiss (button);
  LENS_TEST_SPIN_UNTIL (!toast_widget_shown (fixture), LENS_TEST_DEADLINE_MS);
  adw_toast_set_timeout (plain, 0);
  expected = width_in_plain_overlay (width, g_object_ref (plain));
  g_assert_cmpint (width_in_layer (fixture, width, plain), ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_ui_init (&argc, &argv);
  adw_init ();

  g_test_add ("/toast-layer/toast-adds-a-node", Fixture, NULL, fixture_set_up,
              test_toast_adds_a_node, fixture_tear_down);
  g_test_add ("/toast-layer/clicks-reach-content", Fixture, NULL, fixture_set_up,
              test_clicks_reach_content, fixture_tear_down);
  g_test_add ("/toast-layer/escape-dismisses", Fixture, NULL, fixture_set_up,
              test_escape_dismisses, fixture_tear_down);
  g_test_add ("/toast-layer/escape-dismisses-one", Fixture, NULL, fixture_set_up,
              test_escape_dismisses_one, fixture_tear_down);
  g_test_add ("/toast-layer/escape-while-postponed", Fixture, NULL, fixture_set_up,
              test_escape_while_postponed, fixture_tear_down);
  g_test_add ("/toast-layer/toast-width/wide", Fixture, GINT_TO_POINTER (800), fixture_set_up,
              test_toast_width, fixture_tear_down);
  g_test_add ("/toast-layer/toast-width/narrow", Fixture, GINT_TO_POINTER (360), fixture_set_up,
              test_toast_width, fixture_tear_down);
  return g_test_run ();
}
