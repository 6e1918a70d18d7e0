/* lens-task-row.c — one task in the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row is made once by the list factory and then shown for many tasks as
 * the list scrolls: lens_task_row_set_task() swaps the task, drops the old
 * task's signal handlers and cancels its thumbnail load. The thumbnail is
 * fetched only while the row is mapped (on screen), at the size shown.
 *
 * The list keeps some thirty rows bound around the dozen on screen (a
 * GtkListView would keep 200; see lens-window.c), and every widget a row
 * holds counts that many times: a row builds its state widget
 * (spinner, percentage, error icon…) and its progress bar only while its
 * task needs them. A finished task, most of any history, has neither.
 *
 * The subtitle says when the task was made ("5 minutes ago") and what it
 * did ("Upscale 2"), so that rows with the same prompt differ in words;
 * while the row is on screen, a clock keeps "5 minutes ago" true.
 *
 * The title (two lines) and the subtitle (one) are GtkInscriptions, which
 * take their size from their lines rather than from their text: every row
 * is as tall as the next, and a row given a new task lays its text out once,
 * at the width it has. Labels that wrap measure their text again for each
 * width asked, and at every frame of a scroll new rows were measured so:
 * with GtkLabels the longest turn of a scroll through 10,000 tasks took 60
 * to 66 ms of CPU, now 10 (bench-scroll).
 *
 * A video task wears a play sign over its thumbnail's corner, a saved one
 * a folder over the other, and its accessible description says so
 * (lens-thumbnail-badges.c, which the gallery shares).
 *
 * While the refresher is paused (the server cannot be reached, the token
 * was refused…), a task waiting for the server does not spin: its row says
 * that it is not checked, and why, in a few words; the banner says what to
 * do.
 */

#define G_LOG_DOMAIN "lens-task-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lens-format.h"
#include "lens-image-request.h"
#include "lens-pause-words.h"
#include "lens-task-row.h"
#include "lens-thumbnail-badges.h"
#include "lens-tooltip.h"

#define THUMBNAIL_SIZE 48
/* How often the subtitle's "5 minutes ago" is said again while shown. */
#define CLOCK_INTERVAL_S 30

/* What the row shows at its end for its task's state. */
typedef enum
{
  STATE_SHOWN_NONE,
  STATE_SHOWN_WAITING,
  STATE_SHOWN_PROGRESS,
  STATE_SHOWN_FAILED,
  STATE_SHOWN_STALLED,
  STATE_SHOWN_NOT_FOUND,
  STATE_SHOWN_PAUSED,
} StateShown;

struct _LensTaskRow
{
  GtkWidget        parent_instance;

  GtkCheckButton  *check;              /* nullable: made when selection mode first shows it */
  GtkOverlay      *thumbnail_frame;
  GtkImage        *placeholder;
  GtkImage        *saved_badge;
  GtkInscription  *subtitle;
  GtkBox          *text_box;
  GtkPicture      *thumbnail;
  GtkInscription  *title;
  GtkImage        *video_badge;

  GtkProgressBar  *progress_bar;       /* nullable: only while running with progress */
  GtkWidget       *state_widget;       /* nullable: the last child, as state_shown says */
  StateShown       state_shown;

  LensImageLoader *image_loader;       /* owned */
  LensRefresher   *refresher;          /* owned, nullable: whether tasks are looked up */
  LensTaskList    *task_list;          /* owned, nullable: where a task's grid is found */
  guint            clock_id;           /* while mapped: the subtitle's time */
  LensTask        *task;               /* owned, nullable */
  GSignalGroup    *task_signals;       /* owned: the task's notifications */
  LensImageRequest thumbnail_request;  /* the thumbnail shown or loading */
};

G_DEFINE_FINAL_TYPE (LensTaskRow, lens_task_row, GTK_TYPE_WIDGET)

static gboolean
is_waiting (LensTask *task)
{
  LensTaskState state = lens_task_get_state (task);

  return state == LENS_TASK_STATE_QUEUED || state == LENS_TASK_STATE_PENDING
      || state == LENS_TASK_STATE_RUNNING;
}

/* Returns: (nullable): why the row's task is not being looked up */
static const char *
paused_reason_for (LensTaskRow *self)
{
  if (self->refresher == NULL || !is_waiting (self->task))
    return NULL;
  return lens_pause_words_reason (lens_refresher_get_pause (self->refresher));
}

/* What the row shows as its title: the task's title, as its page shows it
 * (lens_pause_words_title()). While the record is being read from the
 * store (a row just scrolled into view), the title is left blank for that
 * moment rather than showing a stand-in that then changes. */
static char *
title_for (LensTaskRow *self)
{
  LensTaskState state = lens_task_get_state (self->task);

  if (!lens_task_has_details (self->task) && state != LENS_TASK_STATE_QUEUED
      && state != LENS_TASK_STATE_NOT_FOUND)
    return g_strdup ("");
  return lens_pause_words_title (self->task, self->task_list, self->refresher);
}

/* What the task did, in words: its action when it was made from another
 * image ("Upscale 2"), otherwise its type ("Imagine", "Video"). */
static char *
what_for (LensTask *task)
{
  const char *action = lens_task_get_action (task);

  if (action != NULL && !g_str_equal (action, "generate"))
    return lens_format_term (action);
  return lens_format_term (lens_task_get_task_type (task));
}

/* "5 minutes ago · Upscale 2"; while paused, why takes the place of what.
 * A task not looked up yet has no time: its short id stands for it. */
static char *
subtitle_for (LensTaskRow *self,
              const char  *paused)
{
  g_autofree char *when = lens_format_relative_time (lens_task_get_created_at (self->task), NULL);
  g_autofree char *what = paused != NULL ? g_strdup (paused) : what_for (self->task);

  if (when == NULL)
    when = lens_format_short_id (lens_task_get_id (self->task));
  if (what == NULL)
    return g_steal_pointer (&when);
  /* Translators: a task's row: when it was made ("5 minutes ago") and what
   * it did ("Upscale 2"). */
  return g_strdup_printf (_("%s · %s"), when, what);
}

static void
show_texture (LensTaskRow *self,
              GdkTexture  *texture)
{
  gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->thumbnail), texture != NULL);
}

static void
thumbnail_loaded_cb (GdkTexture   *texture,
                     const GError *error,
                     gpointer      user_data)
{
  LensTaskRow *self = user_data;

  show_texture (self, texture);
  /* The placeholder stays, and says why there is no picture. */
  lens_tooltip_set_text (GTK_WIDGET (self->placeholder), error != NULL ? error->message : NULL);
}

static void
update_thumbnail (LensTaskRow *self)
{
  const char *shown = self->task != NULL ? lens_task_get_thumbnail_url (self->task) : NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  g_autoptr(GdkTexture) cached = NULL;
  g_autofree char *url = NULL;

  /* Where the CDN can resize, ask it for the thumbnail's size rather than
   * the whole picture. */
  if (shown != NULL && self->image_loader != NULL)
    url = lens_image_loader_url_for_size (self->image_loader, shown, THUMBNAIL_SIZE, scale);

  /* The list binds rows around the dozen it shows, and maps only those on
   * screen: the others fetch nothing until they scroll into view
   * (lens_task_row_map()). */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (g_strcmp0 (url, self->thumbnail_request.url) != 0)
        {
          lens_image_request_reset (&self->thumbnail_request);
          show_texture (self, NULL);
        }
      return;
    }

  if (!lens_image_request_update (&self->thumbnail_request, self->image_loader, url, THUMBNAIL_SIZE,
                                  scale, &cached, thumbnail_loaded_cb, self))
    return;

  lens_tooltip_set_text (GTK_WIDGET (self->placeholder), NULL);
  /* A row scrolled back into view shows its thumbnail at once. */
  show_texture (self, cached);
}

static GtkWidget *
state_widget_new (StateShown shown)
{
  GtkWidget *widget;

  switch (shown)
    {
    case STATE_SHOWN_WAITING:
      widget = adw_spinner_new ();
      lens_tooltip_set_text (widget, _("Waiting for the server"));
      break;
    case STATE_SHOWN_PROGRESS:
      widget = gtk_label_new (NULL);
      gtk_widget_add_css_class (widget, "caption");
      gtk_widget_add_css_class (widget, "numeric");
      break;
    case STATE_SHOWN_FAILED:
      widget = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (widget, "error");
      break;
    case STATE_SHOWN_STALLED:
      widget = gtk_image_new_from_icon_name ("appointment-missed-symbolic");
      lens_tooltip_set_text (widget, _("Stalled: no progress for a long time. Refresh to check again."));
      gtk_widget_add_css_class (widget, "warning");
      break;
    case STATE_SHOWN_PAUSED:
      widget = gtk_image_new ();
      gtk_widget_add_css_class (widget, "dim-label");
      break;
    case STATE_SHOWN_NOT_FOUND:
      widget = gtk_label_new (_("Not found"));
      gtk_widget_add_css_class (widget, "caption");
      gtk_widget_add_css_class (widget, "dim-label");
      break;
    case STATE_SHOWN_NONE:
    default:
      g_assert_not_reached ();
    }

  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  return widget;
}

/* Makes the row's state widget the one for @shown, building it only when
 * it changes kind; returns it (NULL for none). */
static GtkWidget *
show_state (LensTaskRow *self,
            StateShown   shown)
{
  if (self->state_shown == shown)
    return self->state_widget;

  g_clear_pointer (&self->state_widget, gtk_widget_unparent);
  self->state_shown = shown;
  if (shown != STATE_SHOWN_NONE)
    {
      self->state_widget = state_widget_new (shown);
      gtk_widget_insert_before (self->state_widget, GTK_WIDGET (self), NULL);
    }
  return self->state_widget;
}

/* The thin bar under the subtitle, only while the task runs with a known
 * progress; a @progress of -1 removes it. */
static void
show_progress_bar (LensTaskRow *self,
                   int          progress)
{
  if (progress < 0)
    {
      if (self->progress_bar != NULL)
        gtk_box_remove (self->text_box, GTK_WIDGET (g_steal_pointer (&self->progress_bar)));
      return;
    }

  if (self->progress_bar == NULL)
    {
      self->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
      gtk_widget_add_css_class (GTK_WIDGET (self->progress_bar), "task-progress");
      gtk_box_append (self->text_box, GTK_WIDGET (self->progress_bar));
    }
  gtk_progress_bar_set_fraction (self->progress_bar, progress / 100.0);
}

/* Instead of a spinner that would spin until the cause is mended. */
static void
show_paused (LensTaskRow *self,
             const char  *reason)
{
  GtkWidget *shown = show_state (self, STATE_SHOWN_PAUSED);
  g_autofree char *tooltip = NULL;

  gtk_image_set_from_icon_name (GTK_IMAGE (shown),
                                lens_pause_words_icon (lens_refresher_get_pause (self->refresher)));
  if (lens_task_get_state (self->task) == LENS_TASK_STATE_QUEUED)
    /* Translators: %s says why, such as "AceData can’t be reached" */
    tooltip = g_strdup_printf (_("Not checked yet — %s"), reason);
  else
    /* Translators: %s says why, such as "AceData can’t be reached" */
    tooltip = g_strdup_printf (_("Not updated — %s"), reason);
  lens_tooltip_set_text (shown, tooltip);
}

static void
update_state (LensTaskRow *self)
{
  LensTaskState state = lens_task_get_state (self->task);
  int progress = lens_task_get_progress (self->task);
  gboolean running_with_progress = state == LENS_TASK_STATE_RUNNING && progress >= 0;
  const char *paused = paused_reason_for (self);
  const char *error_message;
  GtkWidget *shown;

  show_progress_bar (self, running_with_progress ? progress : -1);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "not-found");

  if (paused != NULL)
    {
      show_paused (self, paused);
      return;
    }

  switch (state)
    {
    case LENS_TASK_STATE_QUEUED:
    case LENS_TASK_STATE_PENDING:
      show_state (self, STATE_SHOWN_WAITING);
      break;
    case LENS_TASK_STATE_RUNNING:
      if (running_with_progress)
        {
          g_autofree char *text = lens_format_percent (progress);

          gtk_label_set_text (GTK_LABEL (show_state (self, STATE_SHOWN_PROGRESS)), text);
        }
      else
        show_state (self, STATE_SHOWN_WAITING);
      break;
    case LENS_TASK_STATE_FAILED:
      shown = show_state (self, STATE_SHOWN_FAILED);
      error_message = lens_task_get_error_message (self->task);
      lens_tooltip_set_text (shown, error_message != NULL ? error_message : _("The task failed"));
      break;
    case LENS_TASK_STATE_NOT_FOUND:
      gtk_widget_add_css_class (GTK_WIDGET (self), "not-found");
      show_state (self, STATE_SHOWN_NOT_FOUND);
      break;
    case LENS_TASK_STATE_STALLED:
      show_state (self, STATE_SHOWN_STALLED);
      break;
    case LENS_TASK_STATE_DONE:
    default:
      show_state (self, STATE_SHOWN_NONE);
      break;
    }
}

static void
update_subtitle (LensTaskRow *self)
{
  g_autofree char *subtitle = subtitle_for (self, paused_reason_for (self));

  gtk_inscription_set_text (self->subtitle, subtitle);
}

static void
update (LensTaskRow *self)
{
  g_autofree char *title = NULL;

  if (self->task == NULL)
    return;

  title = title_for (self);
  gtk_inscription_set_text (self->title, title);
  update_subtitle (self);
  update_state (self);
  lens_thumbnail_badges_update (GTK_ACCESSIBLE (self), GTK_WIDGET (self->video_badge),
                                GTK_WIDGET (self->saved_badge), self->task);
  update_thumbnail (self);
}

static gboolean
clock_cb (gpointer user_data)
{
  LensTaskRow *self = user_data;

  if (self->task != NULL)
    update_subtitle (self);
  return G_SOURCE_CONTINUE;
}

/**
 * lens_task_row_set_task:
 * @task: (nullable): the task to show, or %NULL when the row is recycled
 */
void
lens_task_row_set_task (LensTaskRow *self,
                        LensTask    *task)
{
  g_return_if_fail (LENS_IS_TASK_ROW (self));
  g_return_if_fail (task == NULL || LENS_IS_TASK (task));

  if (!g_set_object (&self->task, task))
    return;
  g_signal_group_set_target (self->task_signals, task);

  if (task != NULL)
    update (self);
  else
    {
      lens_image_request_reset (&self->thumbnail_request);
      show_texture (self, NULL);
    }
}

static void
lens_task_row_map (GtkWidget *widget)
{
  LensTaskRow *self = LENS_TASK_ROW (widget);

  GTK_WIDGET_CLASS (lens_task_row_parent_class)->map (widget);

  /* Only the dozen rows on screen keep their time up to date; a row
   * scrolled back into view says it again at once. */
  if (self->clock_id == 0)
    self->clock_id = g_timeout_add_seconds (CLOCK_INTERVAL_S, clock_cb, self);
  if (self->task != NULL)
    update_subtitle (self);

  /* On screen now: a thumbnail in memory shows before the first frame,
   * any other starts loading. */
  if (self->task != NULL)
    update_thumbnail (self);
}

static void
lens_task_row_unmap (GtkWidget *widget)
{
  LensTaskRow *self = LENS_TASK_ROW (widget);

  /* Scrolled out of view: a thumbnail still loading leaves the fetch
   * queue, so that a fling leaves no queue behind it; one shown stays. */
  lens_image_request_cancel_load (&self->thumbnail_request);
  g_clear_handle_id (&self->clock_id, g_source_remove);

  GTK_WIDGET_CLASS (lens_task_row_parent_class)->unmap (widget);
}

static void
lens_task_row_dispose (GObject *object)
{
  LensTaskRow *self = LENS_TASK_ROW (object);

  GtkWidget *child;

  lens_task_row_set_task (self, NULL);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  /* Unparented with the other children below. */
  self->check = NULL;
  self->state_widget = NULL;
  self->progress_bar = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_TASK_ROW);
  /* A plain GtkWidget must unparent its children itself. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->image_loader);
  g_clear_object (&self->refresher);
  g_clear_object (&self->task_list);

  G_OBJECT_CLASS (lens_task_row_parent_class)->dispose (object);
}

static void
lens_task_row_finalize (GObject *object)
{
  LensTaskRow *self = LENS_TASK_ROW (object);

  lens_image_request_reset (&self->thumbnail_request);
  g_clear_object (&self->task_signals);

  G_OBJECT_CLASS (lens_task_row_parent_class)->finalize (object);
}

static void
lens_task_row_class_init (LensTaskRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_task_row_dispose;
  object_class->finalize = lens_task_row_finalize;
  widget_class->map = lens_task_row_map;
  widget_class->unmap = lens_task_row_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-task-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LensTaskRow, placeholder);
  gtk_widget_class_bind_template_child (widget_class, LensTaskRow, saved_badge);
  gtk_widget_class_bind_template_child (widget_class, LensTaskRow, subtitle);
  gtk_widget_class_bind_template_child (widget_class, LensTaskRow, text_box);
  gtk_widget_class_bind_template_child (widget_class, LensTaskRow, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, LensTaskRow, title);
  gtk_widget_class_bind_template_child (widget_class, LensTaskRow, video_badge);
  gtk_widget_class_bind_template_child (widget_class, LensTaskRow, thumbnail_frame);
  gtk_widget_class_set_css_name (widget_class, "taskrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* A record applied notifies some twenty properties, one by one, and 10,000
 * pasted ids bring 10,000 records: the row updates only for what it reads
 * (the title's grid comes through request-image-id).
 * raw-json changes whenever the task's details come or go (a record read
 * from the store), which the title follows. */
static void
task_notify_cb (LensTaskRow *self,
                GParamSpec  *pspec)
{
  static const char * const shown[] = {
    "state", "progress", "prompt", "descriptions", "task-type", "image-url",
    "request-image-url", "request-image-id", "error-message", "raw-json", "action",
    "created-at", "video-urls", "saved-path",
  };

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    if (g_str_equal (pspec->name, shown[i]))
      {
        update (self);
        return;
      }
}

static void
lens_task_row_init (LensTaskRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->task_signals = g_signal_group_new (LENS_TYPE_TASK);
  g_signal_group_connect_swapped (self->task_signals, "notify", G_CALLBACK (task_notify_cb), self);
}

/**
 * lens_task_row_new:
 * @image_loader: (nullable): where thumbnails come from
 * @refresher: (nullable): what looks the tasks up; while it is paused, a
 *   task waiting for it says so instead of spinning
 */
LensTaskRow *
lens_task_row_new (LensImageLoader *image_loader,
                   LensRefresher   *refresher)
{
  LensTaskRow *self = g_object_new (LENS_TYPE_TASK_ROW, NULL);

  g_set_object (&self->image_loader, image_loader);
  if (g_set_object (&self->refresher, refresher))
    g_signal_connect_object (refresher, "notify::pause", G_CALLBACK (update), self,
                             G_CONNECT_SWAPPED);
  return self;
}

/**
 * lens_task_row_set_task_list:
 * @task_list: (nullable): the list the row's tasks are in, where the grid
 *   an upscale or a variation comes from is found for its title
 */
void
lens_task_row_set_task_list (LensTaskRow  *self,
                             LensTaskList *task_list)
{
  g_return_if_fail (LENS_IS_TASK_ROW (self));
  g_return_if_fail (task_list == NULL || LENS_IS_TASK_LIST (task_list));

  if (g_set_object (&self->task_list, task_list))
    update (self);
}

/**
 * lens_task_row_set_check:
 * @shown: whether selection mode is on
 * @picked: whether the task is picked
 *
 * The check box of selection mode (lens-bulk-selection.c).
 */
void
lens_task_row_set_check (LensTaskRow *self,
                         gboolean     shown,
                         gboolean     picked)
{
  g_return_if_fail (LENS_IS_TASK_ROW (self));

  /* Made only once it shows: a check button is one of the costlier parts
   * of a row, and rows are made for every first screen, paste and undo. */
  if (self->check == NULL)
    {
      GtkWidget *check;

      if (!shown)
        return;
      /* Over the thumbnail (the row has no room beside it on a phone). A
       * tap anywhere on the row picks, so the box takes no clicks. */
      check = gtk_check_button_new ();
      gtk_widget_set_can_target (check, FALSE);
      gtk_widget_set_can_focus (check, FALSE);
      gtk_widget_set_halign (check, GTK_ALIGN_START);
      gtk_widget_set_valign (check, GTK_ALIGN_START);
      gtk_widget_add_css_class (check, "thumbnail-check");
      gtk_overlay_add_overlay (self->thumbnail_frame, check);
      self->check = GTK_CHECK_BUTTON (check);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->check), shown);
  gtk_check_button_set_active (self->check, picked);
}
