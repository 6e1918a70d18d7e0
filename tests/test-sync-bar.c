/* test-sync-bar.c — the bar that shows the account's sync, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bar follows a sync's properties and its finished signal, and its
 * buttons go through app.sync-cancel and app.sync: here a small stand-in
 * with the same properties drives it, and an "app" action group counts
 * what the buttons ask for. test-window runs it against the real LensSync.
 */

#include "config.h"

#include "lens-client-error.h"
#include "lens-sync-bar.h"
#include "lens-test-ui.h"

/* ─── a stand-in for LensSync: its properties, set by the test ─────────── */

#define TEST_TYPE_SYNC (test_sync_get_type ())
G_DECLARE_FINAL_TYPE (TestSync, test_sync, TEST, SYNC, GObject)

struct _TestSync
{
  GObject  parent_instance;
  gboolean running;
  guint    n_done;
  guint    n_total;
};

enum { PROP_0, PROP_RUNNING, PROP_N_DONE, PROP_N_TOTAL, N_PROPS };
static GParamSpec *sync_properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TestSync, test_sync, G_TYPE_OBJECT)

static void
test_sync_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TestSync *self = TEST_SYNC (object);

  switch (prop_id)
    {
    case PROP_RUNNING: g_value_set_boolean (value, self->running); break;
    case PROP_N_DONE: g_value_set_uint (value, self->n_done); break;
    case PROP_N_TOTAL: g_value_set_uint (value, self->n_total); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_sync_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TestSync *self = TEST_SYNC (object);

  switch (prop_id)
    {
    case PROP_RUNNING: self->running = g_value_get_boolean (value); break;
    case PROP_N_DONE: self->n_done = g_value_get_uint (value); break;
    case PROP_N_TOTAL: self->n_total = g_value_get_uint (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_sync_class_init (TestSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = test_sync_get_property;
  object_class->set_property = test_sync_set_property;
  sync_properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  sync_properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  sync_properties[PROP_N_TOTAL] = g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, sync_properties);
  g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
test_sync_init (TestSync *self)
{
}

/* ─── fixture ──────────────────────────────────────────────────────────── */

typedef struct
{
  TestSync           *sync;
  LensSyncBar        *bar;
  GtkWindow          *window;
  GSimpleActionGroup *actions;
  guint               n_sync;
  guint               n_cancel;
} Fixture;

static void
sync_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ((Fixture *) user_data)->n_sync++;
}

static void
sync_cancel_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  ((Fixture *) user_data)->n_cancel++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const GActionEntry entries[] = {
    { .name = "sync", .activate = sync_activated },
    { .name = "sync-cancel", .activate = sync_cancel_activated },
  };

  fixture->sync = g_object_new (TEST_TYPE_SYNC, NULL);
  fixture->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (fixture->actions), entries, G_N_ELEMENTS (entries),
                                   fixture);
  fixture->bar = g_object_ref_sink (g_object_new (LENS_TYPE_SYNC_BAR, NULL));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->bar), "app", G_ACTION_GROUP (fixture->actions));
  lens_sync_bar_bind (fixture->bar, G_OBJECT (fixture->sync));

  /* Shown, so that the buttons can be clicked as a user would. */
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->bar));
  gtk_window_present (fixture->window);
  lens_test_settle ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  lens_test_spin_pending ();
  g_assert_finalize_object (g_steal_pointer (&fixture->bar));
  g_assert_finalize_object (g_steal_pointer (&fixture->sync));
  g_clear_object (&fixture->actions);
}

static gboolean
reveals (Fixture *fixture)
{
  GtkRevealer *revealer = GTK_REVEALER (lens_test_find_widget (GTK_WIDGET (fixture->bar),
                                                               GTK_TYPE_REVEALER));

  g_assert_cmpint (gtk_revealer_get_reveal_child (revealer), ==,
                   lens_sync_bar_get_revealed (fixture->bar));
  return gtk_revealer_get_reveal_child (revealer);
}

static GtkProgressBar *
progress_of (Fixture *fixture)
{
  return GTK_PROGRESS_BAR (lens_test_find_widget (GTK_WIDGET (fixture->bar), GTK_TYPE_PROGRESS_BAR));
}

/* The visible child of the bar's stack, so that only what shows is found. */
static GtkWidget *
shown_page (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (lens_test_find_widget (GTK_WIDGET (fixture->bar), GTK_TYPE_STACK));

  return gtk_stack_get_visible_child (stack);
}

/* The icon buttons are told apart by their tooltips. */
static GtkWidget *
find_tooltip_in (GtkWidget  *root,
                 const char *tooltip)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_tooltip_in (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_tooltip (GtkWidget  *root,
              const char *tooltip)
{
  GtkWidget *button = find_tooltip_in (root, tooltip);

  g_assert_nonnull (button);
  return button;
}

static void
finish (Fixture *fixture,
        GError  *error)
{
  g_signal_emit_by_name (fixture->sync, "finished", error);
  g_object_set (fixture->sync, "running", FALSE, NULL);
}

/* ─── tests ────────────────────────────────────────────────────────────── */

/* "Syncing…" until the server has said how many; then how far, with a
 * progress bar that agrees; gone once the sync completes (the context's
 * message says so, not the bar). */
static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  guint n_notified = 0;

  g_signal_connect (fixture->bar, "notify::revealed", G_CALLBACK (lens_test_count_cb), &n_notified);
  g_assert_false (reveals (fixture));

  g_object_set (fixture->sync, "running", TRUE, NULL);
  g_assert_true (reveals (fixture));
  g_assert_cmpuint (n_notified, ==, 1);
  g_assert_nonnull (lens_test_find_label (shown_page (fixture), "Syncing…"));

  /* The C locale groups no thousands; others do (%'u). */
  g_object_set (fixture->sync, "n-total", 12400, "n-done", 3150, NULL);
  g_assert_nonnull (lens_test_find_label (shown_page (fixture), "Syncing… 3150 of 12400"));
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (progress_of (fixture)),
                                  3150.0 / 12400.0, 1e-6);

  g_object_set (fixture->sync, "n-done", 12400, NULL);
  g_assert_nonnull (lens_test_find_label (shown_page (fixture), "Syncing… 12400 of 12400"));
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (progress_of (fixture)), 1.0, 1e-6);

  finish (fixture, NULL);
  g_assert_false (reveals (fixture));
  g_assert_cmpuint (n_notified, ==, 2);
}

/* Its stop button asks app.sync-cancel; a cancelled sync leaves nothing
 * to say. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  GtkWidget *button;

  g_object_set (fixture->sync, "running", TRUE, "n-total", 500, "n-done", 50, NULL);
  button = find_tooltip (shown_page (fixture), "Stop Syncing");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (fixture->n_cancel, ==, 1);
  g_assert_cmpuint (fixture->n_sync, ==, 0);

  finish (fixture, cancelled);
  g_assert_false (reveals (fixture));
}

/* A failure stays, in the server's words through the client, with Try
 * Again (app.sync); the next sync replaces it with its progress, and a
 * dismissed one goes. */
static void
test_error (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error =
    g_error_new_literal (LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_BAD_REQUEST,
                         "AceData does not list the tasks of this token <b>");
  GtkWidget *retry;

  g_object_set (fixture->sync, "running", TRUE, "n-total", 500, "n-done", 50, NULL);
  finish (fixture, error);
  g_assert_true (reveals (fixture));
  /* Plain text: the message may quote the server. */
  g_assert_nonnull (lens_test_find_label (shown_page (fixture),
                                          "AceData does not list the tasks of this token <b>"));
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (lens_test_find_label (shown_page (fixture),
                                                                              "AceData does not list the tasks of this token <b>"))));

  retry = lens_test_find_button (shown_page (fixture), "_Try Again");
  g_assert_nonnull (retry);
  g_signal_emit_by_name (retry, "clicked");
  g_assert_cmpuint (fixture->n_sync, ==, 1);

  /* What the new sync shows replaces the failure. */
  g_object_set (fixture->sync, "n-total", 0, "n-done", 0, "running", TRUE, NULL);
  g_assert_true (reveals (fixture));
  g_assert_nonnull (lens_test_find_label (shown_page (fixture), "Syncing…"));
  finish (fixture, NULL);
  g_assert_false (reveals (fixture));

  /* Dismissed, it goes. */
  g_object_set (fixture->sync, "running", TRUE, NULL);
  finish (fixture, error);
  g_assert_true (reveals (fixture));
  g_signal_emit_by_name (find_tooltip (shown_page (fixture), "Dismiss"), "clicked");
  g_assert_false (reveals (fixture));
}

/* The finished signal may come before or after running turns false: the
 * failure is shown either way. */
static void
test_error_after_running (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = g_error_new_literal (LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_NETWORK,
                                                 "The server could not be reached");

  g_object_set (fixture->sync, "running", TRUE, NULL);
  g_object_set (fixture->sync, "running", FALSE, NULL);
  g_signal_emit_by_name (fixture->sync, "finished", error);
  g_assert_true (reveals (fixture));
  g_assert_nonnull (lens_test_find_label (shown_page (fixture), "The server could not be reached"));
}

/* Without a token the pause banner already asks for one: the bar says
 * nothing more. */
static void
test_no_token (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = g_error_new_literal (LENS_CLIENT_ERROR, LENS_CLIENT_ERROR_NO_TOKEN,
                                                 "No AceData API token is set; add one in Preferences");

  g_object_set (fixture->sync, "running", TRUE, NULL);
  finish (fixture, error);
  g_assert_false (reveals (fixture));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  lens_test_ui_init (&argc, &argv);

  g_test_add ("/sync-bar/progress", Fixture, NULL, fixture_set_up, test_progress, fixture_tear_down);
  g_test_add ("/sync-bar/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/sync-bar/error", Fixture, NULL, fixture_set_up, test_error, fixture_tear_down);
  g_test_add ("/sync-bar/error-after-running", Fixture, NULL, fixture_set_up,
              test_error_after_running, fixture_tear_down);
  g_test_add ("/sync-bar/no-token", Fixture, NULL, fixture_set_up, test_no_token, fixture_tear_down);

  return g_test_run ();
}
