/* crash-saver.c — saves images through LensDownloads until killed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The helper that test-crash kills at random points: the app has no way to
 * save originals without a person at the file chooser, so this drives the
 * same LensDownloader and LensDownloads the app uses, in a process of its
 * own.
 *
 *   crash-saver FOLDER URL N
 *
 * Saves URL as FOLDER/image-0.png … image-(N-1).png, all at once, and
 * prints "saved PATH" when each is in place (the acknowledgement the test
 * checks) and "done" at the end; exits 1 if a save failed.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "lens-downloads.h"
#include "lens-http.h"

typedef struct
{
  guint    n_running;
  gboolean failed;
} State;

static void
state_changed_cb (LensDownload *download,
                  GParamSpec   *pspec,
                  State        *state)
{
  g_autofree char *path = g_file_get_path (lens_download_get_destination (download));

  switch (lens_download_get_state (download))
    {
    case LENS_DOWNLOAD_STATE_DONE:
      printf ("saved %s\n", path);
      break;
    case LENS_DOWNLOAD_STATE_FAILED:
    case LENS_DOWNLOAD_STATE_CANCELLED:
      printf ("failed %s: %s\n", path,
              lens_download_get_error (download) ? lens_download_get_error (download)->message : "");
      state->failed = TRUE;
      break;
    default:
      return;
    }
  fflush (stdout);
  state->n_running--;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(LensDownloader) downloader = NULL;
  g_autoptr(LensDownloads) downloads = NULL;
  State state = { 0 };
  guint n;

  if (argc != 4)
    {
      fprintf (stderr, "usage: crash-saver FOLDER URL N\n");
      return 2;
    }
  n = (guint) g_ascii_strtoull (argv[3], NULL, 10);

  session = lens_http_create_session ();
  downloader = lens_downloader_new (session);
  downloads = lens_downloads_new (downloader, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      g_autofree char *name = g_strdup_printf ("image-%u.png", i);
      g_autofree char *path = g_build_filename (argv[1], name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      LensDownload *download = lens_downloads_start (downloads, id, argv[2], file);

      g_signal_connect (download, "notify::state", G_CALLBACK (state_changed_cb), &state);
      state.n_running++;
    }

  while (state.n_running > 0)
    g_main_context_iteration (NULL, TRUE);

  printf ("done\n");
  fflush (stdout);
  return state.failed ? 1 : 0;
}
