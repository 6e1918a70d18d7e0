/* lens-download.c — one save of one task's original image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A download is state, not work: LensDownloads checks the link, runs the
 * transfer and tells the download how it goes (lens-download-private.h).
 * Widgets bind to its properties and may come and go while it runs; that
 * is why it is an object of its own rather than a row of LensDownloads.
 * Every property is notified only when it changes.
 */

#define G_LOG_DOMAIN "lens-download"

#include "config.h"

#include "lens-download-private.h"

struct _LensDownload
{
  GObject            parent_instance;

  char              *task_id;        /* owned */
  char              *url;            /* owned */
  GFile             *destination;    /* owned, nullable: until chosen */
  char              *suggested_name; /* owned, nullable: until the link was checked */
  char              *stem;           /* owned, nullable: the name without extension */
  LensImageFacts    *facts;          /* owned, nullable: written into the saved image */
  double             progress;
  LensDownloadState  state;
  GError            *error;          /* owned, nullable */
  GCancellable      *cancellable;    /* owned: the download's whole life */
};

G_DEFINE_FINAL_TYPE (LensDownload, lens_download, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (LensDownloadState, lens_download_state,
  G_DEFINE_ENUM_VALUE (LENS_DOWNLOAD_STATE_PREPARING, "preparing"),
  G_DEFINE_ENUM_VALUE (LENS_DOWNLOAD_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (LENS_DOWNLOAD_STATE_DONE, "done"),
  G_DEFINE_ENUM_VALUE (LENS_DOWNLOAD_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (LENS_DOWNLOAD_STATE_CANCELLED, "cancelled"))

enum {
  PROP_0,
  PROP_TASK_ID,
  PROP_URL,
  PROP_DESTINATION,
  PROP_SUGGESTED_NAME,
  PROP_PROGRESS,
  PROP_STATE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ─── private functions ────────────────────────────────────────────────── */

static void
set_progress (LensDownload *self,
              double        progress)
{
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_state (LensDownload      *self,
           LensDownloadState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* ─── vfuncs ───────────────────────────────────────────────────────────── */

static void
lens_download_finalize (GObject *object)
{
  LensDownload *self = LENS_DOWNLOAD (object);

  g_free (self->task_id);
  g_free (self->url);
  g_clear_object (&self->destination);
  g_free (self->suggested_name);
  g_free (self->stem);
  lens_image_facts_free (self->facts);
  g_clear_error (&self->error);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lens_download_parent_class)->finalize (object);
}

static void
lens_download_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LensDownload *self = LENS_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_TASK_ID:
      g_value_set_string (value, self->task_id);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_DESTINATION:
      g_value_set_object (value, self->destination);
      break;
    case PROP_SUGGESTED_NAME:
      g_value_set_string (value, self->suggested_name);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_download_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LensDownload *self = LENS_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_TASK_ID:
      self->task_id = g_value_dup_string (value);
      break;
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lens_download_class_init (LensDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags readable = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = lens_download_finalize;
  object_class->get_property = lens_download_get_property;
  object_class->set_property = lens_download_set_property;

  properties[PROP_TASK_ID] = g_param_spec_string ("task-id", NULL, NULL, NULL, construct);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, construct);
  properties[PROP_DESTINATION] = g_param_spec_object ("destination", NULL, NULL, G_TYPE_FILE,
                                                      readable);
  properties[PROP_SUGGESTED_NAME] = g_param_spec_string ("suggested-name", NULL, NULL, NULL,
                                                         readable);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1.0, 1.0, -1.0,
                                                   readable);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LENS_TYPE_DOWNLOAD_STATE,
                                              LENS_DOWNLOAD_STATE_PREPARING, readable);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, readable);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lens_download_init (LensDownload *self)
{
  self->progress = -1.0;
  self->state = LENS_DOWNLOAD_STATE_PREPARING;
  self->cancellable = g_cancellable_new ();
}

/* ─── for LensDownloads ────────────────────────────────────────────────── */

LensDownload *
_lens_download_new (const char *task_id,
                    const char *url)
{
  return g_object_new (LENS_TYPE_DOWNLOAD, "task-id", task_id, "url", url, NULL);
}

GCancellable *
_lens_download_get_cancellable (LensDownload *self)
{
  return self->cancellable;
}

/* The name chosen from the user's template, before the link says which
 * extension it takes. */
void
_lens_download_set_stem (LensDownload *self,
                         const char   *stem)
{
  g_set_str (&self->stem, stem);
}

/* What the saved image says of its task (lens-image-metadata.h). */
void
_lens_download_set_facts (LensDownload         *self,
                          const LensImageFacts *facts)
{
  g_clear_pointer (&self->facts, lens_image_facts_free);
  self->facts = facts != NULL ? lens_image_facts_copy (facts) : NULL;
}

const LensImageFacts *
_lens_download_get_facts (LensDownload *self)
{
  return self->facts;
}

const char *
_lens_download_get_stem (LensDownload *self)
{
  return self->stem;
}

void
_lens_download_set_suggested_name (LensDownload *self,
                                   const char   *name)
{
  if (g_set_str (&self->suggested_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUGGESTED_NAME]);
}

/* The destination is known and the transfer begins. */
void
_lens_download_run (LensDownload *self,
                    GFile        *destination)
{
  g_assert (self->state == LENS_DOWNLOAD_STATE_PREPARING);
  g_assert (self->destination == NULL);

  self->destination = g_object_ref (destination);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESTINATION]);
  set_progress (self, -1.0);
  set_state (self, LENS_DOWNLOAD_STATE_RUNNING);
}

void
_lens_download_set_progress (LensDownload *self,
                             double        progress)
{
  if (self->state == LENS_DOWNLOAD_STATE_RUNNING)
    set_progress (self, progress);
}

/* Done without @error, cancelled with G_IO_ERROR_CANCELLED, failed with
 * any other. The error is set before the state changes, so that whoever
 * watches the state finds it. */
void
_lens_download_finish (LensDownload *self,
                       const GError *error)
{
  if (error == NULL)
    {
      set_progress (self, 1.0);
      set_state (self, LENS_DOWNLOAD_STATE_DONE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    lens_download_cancel (self);
  else if (lens_download_is_active (self))
    {
      self->error = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      set_state (self, LENS_DOWNLOAD_STATE_FAILED);
    }
}

/* ─── public API ───────────────────────────────────────────────────────── */

const char *
lens_download_get_task_id (LensDownload *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOAD (self), NULL);
  return self->task_id;
}

const char *
lens_download_get_url (LensDownload *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOAD (self), NULL);
  return self->url;
}

/**
 * lens_download_get_destination:
 *
 * Returns: (transfer none) (nullable): where the image goes, once chosen
 */
GFile *
lens_download_get_destination (LensDownload *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOAD (self), NULL);
  return self->destination;
}

/**
 * lens_download_get_suggested_name:
 *
 * Returns: (nullable): a file name for the image, once its link was checked
 */
const char *
lens_download_get_suggested_name (LensDownload *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOAD (self), NULL);
  return self->suggested_name;
}

double
lens_download_get_progress (LensDownload *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOAD (self), -1.0);
  return self->progress;
}

LensDownloadState
lens_download_get_state (LensDownload *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOAD (self), LENS_DOWNLOAD_STATE_FAILED);
  return self->state;
}

/**
 * lens_download_get_error:
 *
 * Returns: (nullable): why a FAILED download failed
 */
const GError *
lens_download_get_error (LensDownload *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOAD (self), NULL);
  return self->error;
}

/* Whether it is still preparing or running. */
gboolean
lens_download_is_active (LensDownload *self)
{
  g_return_val_if_fail (LENS_IS_DOWNLOAD (self), FALSE);
  return self->state == LENS_DOWNLOAD_STATE_PREPARING
      || self->state == LENS_DOWNLOAD_STATE_RUNNING;
}

/**
 * lens_download_cancel:
 * @self: a download
 *
 * Stops a download that is preparing or running; it is CANCELLED at once,
 * and its partial file is deleted in the background. Does nothing to a
 * download that has ended.
 */
void
lens_download_cancel (LensDownload *self)
{
  g_return_if_fail (LENS_IS_DOWNLOAD (self));

  if (!lens_download_is_active (self))
    return;

  g_cancellable_cancel (self->cancellable);
  set_state (self, LENS_DOWNLOAD_STATE_CANCELLED);
}
