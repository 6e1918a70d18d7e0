/* lens-row-menu.c — the context menu of a row of the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A right-click, or a long press on a touch screen, on a row opens a menu
 * of what can be done with that row's task: open, copy its id or prompt,
 * save its image, refresh, remove. Every item names the task by its id (the
 * target of a "win." action), so that it acts on the task pressed, not on
 * the selection, which may be another. The window answers the actions.
 *
 * The gestures are attached where the window makes its rows, on the list
 * item's child, and where the gallery makes its cells (which are not list
 * items: a list item is a row of cells there); the menu's popover is made when the menu opens, parented to
 * the row, and goes when it closes, so that a recycled row carries nothing.
 */

#define G_LOG_DOMAIN "lens-row-menu"

#include "config.h"

#include <glib/gi18n.h>

#include "lens-row-menu.h"
#include "lens-task-view-video.h"

static void
append (GMenu      *section,
        const char *label,
        const char *action,
        const char *id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (id));
  g_menu_append_item (section, item);
}

/**
 * lens_row_menu_new_model:
 * @task: the row's task
 *
 * Returns: (transfer full): the menu for @task; Copy Prompt only when it has
 *   a prompt, Save Image… only when it has a finished image to save, Save
 *   Video… instead for a finished video task (the task view saves the video
 *   it shows, the first unless another was chosen)
 */
GMenuModel *
lens_row_menu_new_model (LensTask *task)
{
  const char *id;
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) open = g_menu_new ();
  g_autoptr(GMenu) copy = g_menu_new ();
  g_autoptr(GMenu) act = g_menu_new ();

  g_return_val_if_fail (LENS_IS_TASK (task), NULL);
  id = lens_task_get_id (task);

  append (open, _("_Open"), "win.open-task", id);
  append (copy, _("Copy _ID"), "win.copy-task-id", id);
  if (lens_task_get_prompt (task) != NULL)
    append (copy, _("Copy _Prompt"), "win.copy-task-prompt", id);
  if (lens_task_is_finished (task) && lens_task_view_video_can_show (task))
    append (act, _("_Save Video…"), "win.save-task", id);
  else if (lens_task_is_finished (task) && lens_task_get_raw_image_url (task) != NULL)
    append (act, _("_Save Image…"), "win.save-task", id);
  append (act, _("_Refresh"), "win.refresh-task", id);
  append (act, _("Re_move"), "win.remove-task", id);

  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (act));
  return G_MENU_MODEL (menu);
}

static gboolean
unparent_cb (gpointer user_data)
{
  GtkWidget *popover = user_data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  g_object_unref (popover);
  return G_SOURCE_REMOVE;
}

/* Unparented once the popover has finished closing, not while it does. */
static void
closed_cb (GtkPopover *popover)
{
  g_idle_add (unparent_cb, g_object_ref (popover));
}

/* Where a pressed widget finds its task when the menu opens: a list
 * item's, or a gallery cell's. */
typedef struct
{
  LensRowMenuTaskFunc task_for;
  gpointer            data;
} Source;

static void
popup (Source    *source,
       GtkWidget *row,
       double     x,
       double     y)
{
  LensTask *task = source->task_for (source->data);
  g_autoptr(GMenuModel) model = NULL;
  GtkWidget *popover;

  if (task == NULL)
    return;

  model = lens_row_menu_new_model (task);
  popover = gtk_popover_menu_new_from_model (model);
  gtk_widget_set_parent (popover, row);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (closed_cb), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
right_click_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                Source          *source)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup (source, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static void
long_press_cb (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               Source              *source)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup (source, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static void
free_source_cb (gpointer  data,
                GClosure *closure)
{
  g_free (data);
}

/**
 * lens_row_menu_attach_with:
 * @widget: a widget that shows a task
 * @task_for: gives the task @widget shows when pressed (or %NULL)
 * @data: for @task_for; must live as long as @widget
 *
 * Opens the menu of the task @widget shows on a right-click or a long
 * press on @widget.
 */
void
lens_row_menu_attach_with (GtkWidget           *widget,
                           LensRowMenuTaskFunc  task_for,
                           gpointer             data)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();
  Source *source = g_new (Source, 1);

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (task_for != NULL);

  source->task_for = task_for;
  source->data = data;

  /* Both gestures go with @widget; the first to go frees the source. */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_data (click, "pressed", G_CALLBACK (right_click_cb), source, free_source_cb, 0);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (long_press_cb), source);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (long_press));
}

static LensTask *
list_item_task (gpointer item)
{
  return gtk_list_item_get_item (item);
}

/**
 * lens_row_menu_attach:
 * @item: the list item @row shows
 * @row: the list item's child
 *
 * Opens the menu of @item's task on a right-click or a long press on @row.
 * The list item outlives its child's gestures: the factory sets the child
 * once and keeps it until the item goes.
 */
void
lens_row_menu_attach (GtkListItem *item,
                      GtkWidget   *row)
{
  g_return_if_fail (GTK_IS_LIST_ITEM (item));

  lens_row_menu_attach_with (row, list_item_task, item);
}
