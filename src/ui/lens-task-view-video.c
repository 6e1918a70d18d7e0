/* lens-task-view-video.c — the videos of the task view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A `videos` task has four short clips made from one image. The view shows
 * one of them in a GtkVideo, with GtkVideo's own controls: looping and
 * muted, as Midjourney's clips are short silent loops, and a toggle group
 * (1 2 3 4) chooses which. The task's image stands in as a poster, through
 * the shared LensImageLoader, until the stream is prepared.
 *
 * The stream is GTK's media file (GStreamer, in the GNOME runtime), which
 * fetches the address itself. When it cannot play the clip (a codec that
 * is missing, a link that expired), the poster stays, and the widget says
 * so under it in words, with GtkMediaStream's error, and offers to open
 * the clip in a browser.
 *
 * Playback stops when the task changes (the stream goes with it) and while
 * the page is hidden (unmapped), and goes on when it shows again.
 */

#define G_LOG_DOMAIN "lens-task-view-video"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lens-image-request.h"
#include "lens-task-view-video.h"

/* The widest the poster is shown, in logical pixels (the view's width). */
#define POSTER_SIZE 720

struct _LensTaskViewVideo
{
  AdwBin           parent_instance;

  AdwToggleGroup  *chooser;
  GtkWidget       *error_box;
  GtkLabel        *error_label;
  GtkWidget       *open_button;
  GtkPicture      *poster;
  GtkVideo        *video;

  LensTask        *task;          /* owned, nullable */
  GSignalGroup    *task_signals;  /* owned: the task's notifications */
  LensImageLoader *image_loader;  /* owned, nullable */
  LensImageRequest poster_request;
  GtkMediaStream  *stream;        /* owned, nullable: the chosen video's */
  char            *url;           /* owned, nullable: the chosen video's address */
  guint            n_videos;      /* the toggles in the chooser */
  gboolean         rebuilding;    /* the chooser's toggles are being replaced */
};

G_DEFINE_FINAL_TYPE (LensTaskViewVideo, lens_task_view_video, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TASK,
  PROP_IMAGE_LOADER,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ─── private functions ────────────────────────────────────────────────── */

static const char * const *
videos_of (LensTask *task)
{
  return task != NULL ? lens_task_get_video_urls (task) : NULL;
}

/* GStreamer's messages run on with the element and the source line that
 * failed: the first line says what went wrong. */
static void
show_error (LensTaskViewVideo *self,
            const GError      *error)
{
  g_autofree char *first_line = g_strndup (error->message, strcspn (error->message, "\n"));

  gtk_label_set_text (self->error_label, first_line);
  /* A stream can fail after it was prepared (a server that cannot seek,
   * when the loop starts again): the poster comes back over the black. */
  gtk_widget_set_visible (GTK_WIDGET (self->poster), TRUE);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->open_button), "s", self->url);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->open_button), "task.open-link");
  gtk_widget_set_visible (self->error_box, TRUE);
}

static void
stream_prepared_cb (LensTaskViewVideo *self)
{
  /* The first frame is there: the poster has done its job. A stream can
   * be "prepared" with nothing to show (a file without a video track):
   * then the poster stays. */
  if (gtk_media_stream_is_prepared (self->stream) && gtk_media_stream_has_video (self->stream))
    gtk_widget_set_visible (GTK_WIDGET (self->poster), FALSE);
}

static void
stream_error_cb (LensTaskViewVideo *self)
{
  const GError *error = gtk_media_stream_get_error (self->stream);

  if (error != NULL)
    show_error (self, error);
}

static void
drop_stream (LensTaskViewVideo *self)
{
  if (self->stream == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->stream, self);
  gtk_media_stream_pause (self->stream);
  gtk_video_set_media_stream (self->video, NULL);
  g_clear_object (&self->stream);
}

/* Plays @url, or nothing; the poster shows until it is prepared. */
static void
play (LensTaskViewVideo *self,
      const char        *url)
{
  g_autoptr(GFile) file = NULL;

  if (g_strcmp0 (url, self->url) == 0 && (url == NULL || self->stream != NULL))
    return;

  drop_stream (self);
  g_free (self->url);
  self->url = g_strdup (url);
  gtk_widget_set_visible (self->error_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->poster), TRUE);

  if (url != NULL)
    {
      file = g_file_new_for_uri (url);
      self->stream = gtk_media_file_new_for_file (file);
      gtk_media_stream_set_loop (self->stream, TRUE);
      gtk_media_stream_set_muted (self->stream, TRUE);
      g_signal_connect_swapped (self->stream, "notify::prepared", G_CALLBACK (stream_prepared_cb),
                                self);
      g_signal_connect_swapped (self->stream, "notify::error", G_CALLBACK (stream_error_cb), self);
      /* GtkVideo plays it (autoplay) while it is on screen. */
      gtk_video_set_media_stream (self->video, self->stream);
      stream_error_cb (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}

static void
poster_loaded_cb (GdkTexture   *texture,
                  const GError *error,
                  gpointer      user_data)
{
  LensTaskViewVideo *self = user_data;

  /* Without a poster, the player's own black stands until the video comes. */
  gtk_picture_set_paintable (self->poster, GDK_PAINTABLE (texture));
}

static void
update_poster (LensTaskViewVideo *self)
{
  const char *url = self->task != NULL ? lens_task_get_image_url (self->task) : NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  g_autoptr(GdkTexture) cached = NULL;

  if (url == NULL || self->image_loader == NULL)
    {
      lens_image_request_reset (&self->poster_request);
      gtk_picture_set_paintable (self->poster, NULL);
      return;
    }
  if (lens_image_request_update (&self->poster_request, self->image_loader, url, POSTER_SIZE,
                                 scale, &cached, poster_loaded_cb, self))
    gtk_picture_set_paintable (self->poster, GDK_PAINTABLE (cached));
}

/* One toggle per video, named by its number; hidden when there is only
 * one, or none. The toggles stay while no videos show: removing them from
 * a group on screen, the focus on one of them, kept the view's widgets
 * alive after it went (GTK 4.18, libadwaita 1.7; test-task-view,
 * /task-view/video-playback). */
static void
rebuild_chooser (LensTaskViewVideo *self,
                 guint              n_videos)
{
  gtk_widget_set_visible (GTK_WIDGET (self->chooser), n_videos > 1);
  if (self->n_videos == n_videos || n_videos == 0)
    return;

  self->rebuilding = TRUE;
  adw_toggle_group_remove_all (self->chooser);
  for (guint i = 0; i < n_videos; i++)
    {
      AdwToggle *toggle = adw_toggle_new ();
      g_autofree char *label = g_strdup_printf ("%u", i + 1);
      /* Translators: the tooltip of a button that shows the task's video
       * number %u (of four) */
      g_autofree char *tooltip = g_strdup_printf (_("Video %u"), i + 1);

      adw_toggle_set_label (toggle, label);
      adw_toggle_set_tooltip (toggle, tooltip);
      adw_toggle_group_add (self->chooser, toggle);
    }
  self->n_videos = n_videos;
  self->rebuilding = FALSE;
}

static void
update (LensTaskViewVideo *self)
{
  const char * const *videos = videos_of (self->task);
  guint n_videos = videos != NULL ? g_strv_length ((char **) videos) : 0;
  guint active;

  rebuild_chooser (self, n_videos);
  active = adw_toggle_group_get_active (self->chooser);
  if (n_videos > 0 && active >= n_videos)
    {
      active = 0;
      adw_toggle_group_set_active (self->chooser, 0);
    }
  play (self, n_videos > 0 ? videos[active] : NULL);
  update_poster (self);
}

/* ─── callbacks ────────────────────────────────────────────────────────── */

static void
chooser_active_cb (LensTaskViewVideo *self)
{
  if (!self->rebuilding && self->task != NULL)
    update (self);
}

static void
task_notify_cb (LensTaskViewVideo *self,
                GParamSpec        *pspec,
                LensTask          *task)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "video-urls") || g_str_equal (name, "image-url"))
    update (self);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_task_view_video_map (GtkWidget *widget)
{
  LensTaskViewVideo *self = LENS_TASK_VIEW_VIDEO (widget);

  GTK_WIDGET_CLASS (lens_task_view_video_parent_class)->map (widget);

  /* Back on screen: the loop goes on. */
  if (self->stream != NULL)
    gtk_media_stream_play (self->stream);
}

static void
lens_task_view_video_unmap (GtkWidget *widget)
{
  LensTaskViewVideo *self = LENS_TASK_VIEW_VIDEO (widget);

  /* A page out of sight plays nothing. */
  if (self->stream != NULL)
    gtk_media_stream_pause (self->stream);

  GTK_WIDGET_CLASS (lens_task_view_video_parent_class)->unmap (widget);
}

static void
lens_task_view_video_dispose (GObject *object)
{
  LensTaskViewVideo *self = LENS_TASK_VIEW_VIDEO (object);

  drop_stream (self);
  lens_image_request_reset (&self->poster_request);
  g_signal_group_set_target (self->task_signals, NULL);
  g_clear_object (&self->task);
  g_clear_object (&self->image_loader);

  /* The template's root is also AdwBin's child: let go of it once, here. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LENS_TYPE_TASK_VIEW_VIDEO);

  G_OBJECT_CLASS (lens_task_view_video_parent_class)->dispose (object);
}

static void
lens_task_view_video_finalize (GObject *object)
{
  LensTaskViewVideo *self = LENS_TASK_VIEW_VIDEO (object);

  lens_image_request_reset (&self->poster_request);
  g_clear_object (&self->task_signals);
  g_free (self->url);

  G_OBJECT_CLASS (lens_task_view_video_parent_class)->finalize (object);
}

static void
lens_task_view_video_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LensTaskViewVideo *self = LENS_TASK_VIEW_VIDEO (object);

  switch (prop_id)
    {
    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;
    case PROP_IMAGE_LOADER:
      g_value_set_object (value, self->image_loader);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_view_video_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LensTaskViewVideo *self = LENS_TASK_VIEW_VIDEO (object);

  switch (prop_id)
    {
    case PROP_TASK:
      lens_task_view_video_set_task (self, g_value_get_object (value));
      break;
    case PROP_IMAGE_LOADER:
      lens_task_view_video_set_image_loader (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_task_view_video_class_init (LensTaskViewVideoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lens_task_view_video_dispose;
  object_class->finalize = lens_task_view_video_finalize;
  object_class->get_property = lens_task_view_video_get_property;
  object_class->set_property = lens_task_view_video_set_property;
  widget_class->map = lens_task_view_video_map;
  widget_class->unmap = lens_task_view_video_unmap;

  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL, LENS_TYPE_TASK,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IMAGE_LOADER] =
    g_param_spec_object ("image-loader", NULL, NULL, LENS_TYPE_IMAGE_LOADER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tasklens/Tasklens/lens-task-view-video.ui");
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewVideo, chooser);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewVideo, error_box);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewVideo, error_label);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewVideo, open_button);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewVideo, poster);
  gtk_widget_class_bind_template_child (widget_class, LensTaskViewVideo, video);
  gtk_widget_class_bind_template_callback (widget_class, chooser_active_cb);
}

static void
lens_task_view_video_init (LensTaskViewVideo *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->task_signals = g_signal_group_new (LENS_TYPE_TASK);
  g_signal_group_connect_swapped (self->task_signals, "notify", G_CALLBACK (task_notify_cb), self);
  gtk_widget_set_visible (GTK_WIDGET (self->chooser), FALSE);
}

/* ─── public API ───────────────────────────────────────────────────────── */

/**
 * lens_task_view_video_can_show:
 * @task: a task
 *
 * Returns: whether @task has videos to play: a video task (the rule the
 *   list shares, lens_task_has_video()) whose links have come. A video
 *   task still running, or failed, shows its state as an image task does.
 */
gboolean
lens_task_view_video_can_show (LensTask *task)
{
  const char * const *videos;

  g_return_val_if_fail (LENS_IS_TASK (task), FALSE);

  videos = lens_task_get_video_urls (task);
  return lens_task_has_video (task) && videos != NULL && videos[0] != NULL;
}

/**
 * lens_task_view_video_get_url:
 *
 * Returns: (nullable): the address of the video chosen, which Download
 *   saves and Open in Browser opens
 */
const char *
lens_task_view_video_get_url (LensTaskViewVideo *self)
{
  g_return_val_if_fail (LENS_IS_TASK_VIEW_VIDEO (self), NULL);
  return self->url;
}

void
lens_task_view_video_set_image_loader (LensTaskViewVideo *self,
                                       LensImageLoader   *image_loader)
{
  g_return_if_fail (LENS_IS_TASK_VIEW_VIDEO (self));
  g_return_if_fail (image_loader == NULL || LENS_IS_IMAGE_LOADER (image_loader));

  if (!g_set_object (&self->image_loader, image_loader))
    return;
  lens_image_request_reset (&self->poster_request);
  update_poster (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_LOADER]);
}

void
lens_task_view_video_set_task (LensTaskViewVideo *self,
                               LensTask          *task)
{
  g_return_if_fail (LENS_IS_TASK_VIEW_VIDEO (self));
  g_return_if_fail (task == NULL || LENS_IS_TASK (task));

  if (!g_set_object (&self->task, task))
    return;
  g_signal_group_set_target (self->task_signals, task);

  /* A new task starts at its first video, and nothing of the previous
   * one plays on. */
  drop_stream (self);
  lens_image_request_reset (&self->poster_request);
  gtk_picture_set_paintable (self->poster, NULL);
  if (self->n_videos > 0)
    adw_toggle_group_set_active (self->chooser, 0);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}
