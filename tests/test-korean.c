/* test-korean.c — Tasklens in Korean, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app runs with LANGUAGE=ko and the catalogue built from po/ko.po in
 * the build directory (TEST_LOCALE_DIR), and the window is looked at as a
 * user would see it: a text counts as shown when a mapped label holds it.
 * Besides the Korean strings expected in each place, no mapped label or
 * tooltip may show an English message that the catalogue translates: that
 * would be a string the UI forgot to pass through gettext.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "lens-add-dialog.h"
#include "lens-application.h"
#include "lens-fake-api.h"
#include "lens-format.h"
#include "lens-save-dialog.h"
#include "lens-save-progress.h"
#include "lens-test-app.h"
#include "lens-test-ui.h"
#include "lens-window.h"

#define CAT_ID "7489df4c-ef03-4de0-b598-e9a590793434"
#define GIRL_ID "807f62de-c63e-4add-8345-7f0ae6dd18e7"
#define UNKNOWN_ID "00000000-1111-4222-8333-444444444444"
#define VIDEO_ID "037955e0-deee-4050-baa8-1416300d67e2"
#define DEADLINE_S 10

typedef LensTestApp Fixture;

#define add_ids lens_test_app_add_ids

/* Whether a mapped label under @widget shows @text: its text as set, with
 * any mnemonic underline ("추가(_A)"), or a row's inscription. */
static gboolean
shows (GtkWidget  *widget,
       const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (g_strcmp0 (GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget))
                                        : lens_test_text_of (widget), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows (child, text))
      return TRUE;
  return FALSE;
}

/* Waits, within reason, until a mapped label under @widget shows @text:
 * dialogs and pages appear after their animations and the first layout. */
static gboolean
wait_shows (GtkWidget  *widget,
            const char *text)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;

  while (!shows (widget, text))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      lens_test_spin_for (20);
    }
  return TRUE;
}

/* A text is left in English when the catalogue has a translation for it
 * that differs from it. */
static gboolean
is_untranslated (const char *text)
{
  return text != NULL && *text != '\0'
         && g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, text), text) != 0;
}

/* Collects the English messages that mapped labels and tooltips under
 * @widget show instead of their Korean. */
static void
collect_english (GtkWidget *widget,
                 GPtrArray *found)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  const char *text = GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget))
                                           : lens_test_text_of (widget);

  if (!gtk_widget_get_mapped (widget))
    return;

  if (is_untranslated (text))
    g_ptr_array_add (found, g_strdup (text));
  if (is_untranslated (tooltip))
    g_ptr_array_add (found, g_strdup (tooltip));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_english (child, found);
}

static void
assert_no_english (GtkWidget *widget)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  collect_english (widget, found);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("Shown in English: “%s”", (char *) g_ptr_array_index (found, i));
  g_assert_cmpuint (found->len, ==, 0);
}

/* The test-window fixture, with the window on screen. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  lens_test_app_set_up (fixture, data);
  gtk_window_present (GTK_WINDOW (fixture->window));
  lens_test_spin_for (300);
}

#define fixture_tear_down lens_test_app_tear_down

/* The catalogue is the one built from po/ko.po, found through LANGUAGE,
 * with its contexts and plural forms. */
static void
test_catalogue (void)
{
  g_assert_cmpstr (_("Add Task IDs"), ==, "작업 ID 추가");
  g_assert_cmpstr (C_("task state", "Done"), ==, "완료");
  g_assert_cmpstr (C_("term", "Imagine"), ==, "이미지 생성");
  /* Korean has one plural form, for every count. */
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u task removed", "%u tasks removed", 1), ==,
                   "작업 %u개를 제거했습니다");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u task removed", "%u tasks removed", 5), ==,
                   "작업 %u개를 제거했습니다");
}

/* The sync's progress puts the total first in Korean (positional
 * arguments), and `tasklens --help` tells of --sync in Korean. */
static void
test_catalogue_sync (void)
{
  g_autofree char *progress = g_strdup_printf (_("Syncing… %'u of %'u"), 3150, 12400);

  g_assert_cmpstr (progress, ==, "동기화하는 중… 12400개 중 3150개");
  g_assert_cmpstr (_("Bring in the tasks the API token made, in the running Tasklens if there is one"),
                   ==, "API 토큰으로 만든 작업을 가져옵니다. 실행 중인 Tasklens가 있으면 그쪽으로 가져옵니다");
}

/* Dates in Korean's long form, never "07/07/24"; one word for a task not
 * known yet; the percent sign as Korean writes it; an upscale's title in
 * Korean order. */
static void
test_catalogue_words (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (1720353600);
  g_autofree char *old = lens_format_relative_time (1720353600.0 - 400 * 24 * 3600, now);
  g_autofree char *waiting = lens_format_task_state (LENS_TASK_STATE_QUEUED, -1);
  g_autofree char *pending = lens_format_task_state (LENS_TASK_STATE_PENDING, -1);
  g_autofree char *running = lens_format_task_state (LENS_TASK_STATE_RUNNING, 45);
  g_autofree char *percent = lens_format_percent (75);
  g_autofree char *upscale = g_strdup_printf (_("%s of “%s”"), "업스케일 2", "탁자 위의 고양이");

  g_assert_cmpstr (old, ==, "2023년 6월 3일");
  g_assert_cmpstr (waiting, ==, "대기 중");
  g_assert_cmpstr (pending, ==, waiting);
  g_assert_cmpstr (running, ==, "진행 중 · 45%");
  g_assert_cmpstr (percent, ==, "75%");
  g_assert_cmpstr (upscale, ==, "“탁자 위의 고양이”의 업스케일 2");
  g_assert_cmpstr (_("Job ID"), !=, "Job ID");
}

/* The first start: the empty page, its buttons, the menu's title. */
static void
test_empty_window (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  g_assert_true (wait_shows (window, "Midjourney 작업 조회"));
  g_assert_false (shows (window, "Look Up Midjourney Tasks"));
  g_assert_nonnull (lens_test_find_button (window, "ID 붙여넣기(_P)"));
  g_assert_nonnull (lens_test_find_button (window, "ID 추가(_A)…"));
  /* The fixture has a token: the account can be brought in. */
  g_assert_true (wait_shows (window, "내 작업 가져오기(_B)"));
  assert_no_english (window);
  lens_test_save_window_png (window, "window-empty-korean.png");
}

static void
test_add_dialog (Fixture       *fixture,
                 gconstpointer  data)
{
  AdwDialog *dialog;
  GtkWidget *add_button;

  add_ids (fixture, CAT_ID);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-ids", NULL);
  lens_test_spin_for (200);
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->window));
  g_assert_true (LENS_IS_ADD_DIALOG (dialog));

  g_assert_cmpstr (adw_dialog_get_title (dialog), ==, "작업 ID 추가");
  g_assert_true (wait_shows (GTK_WIDGET (dialog), "작업 ID 추가"));
  g_assert_nonnull (lens_test_find_button (GTK_WIDGET (dialog), "취소(_C)"));
  add_button = lens_test_find_button (GTK_WIDGET (dialog), "추가(_A)");
  g_assert_nonnull (add_button);
  g_assert_true (shows (GTK_WIDGET (dialog), "아직 작업 ID 없음"));

  /* Counts in the summary, through the catalogue's plural forms. */
  lens_add_dialog_set_text (LENS_ADD_DIALOG (dialog), "task_id\n" CAT_ID "\n" GIRL_ID "\n" UNKNOWN_ID "\nsee you\n");
  g_assert_cmpstr (lens_add_dialog_get_summary (LENS_ADD_DIALOG (dialog)), ==,
                   "새 작업 2개 · 이미 목록에 있음 1개 · 인식하지 못한 줄 2개");
  lens_test_spin_for (200);
  assert_no_english (GTK_WIDGET (dialog));
  adw_dialog_force_close (dialog);
}

/* Save All Images… and the bar that follows the save speak Korean, their
 * counts through the catalogue's plural forms and its reordered
 * arguments ("사진에 이미지 1개를 저장했습니다"). */
static void
test_save_images (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = lens_test_make_scratch_dir ("korean-save");
  g_autofree char *path = g_build_filename (dir, "사진", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  LensSaving *saving = lens_context_get_saving (fixture->context);
  LensSaveProgress *bar;
  AdwDialog *dialog;

  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  add_ids (fixture, CAT_ID);
  lens_test_app_wait_until_stored (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.save-all-images", NULL);
  dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (fixture->window));
  g_assert_true (LENS_IS_SAVE_DIALOG (dialog));
  g_assert_cmpstr (adw_dialog_get_title (dialog), ==, "모든 이미지 저장");
  g_assert_true (wait_shows (GTK_WIDGET (dialog), "전에 저장한 작업 건너뛰기"));
  assert_no_english (GTK_WIDGET (dialog));

  _lens_save_dialog_set_folder (LENS_SAVE_DIALOG (dialog), folder);
  g_signal_emit_by_name (lens_test_find_button (GTK_WIDGET (dialog), "저장(_S)"), "clicked");
  LENS_TEST_SPIN_UNTIL (lens_save_job_get_state (lens_saving_get_job (saving)) == LENS_SAVE_JOB_DONE,
                        LENS_TEST_DEADLINE_MS);
  bar = LENS_SAVE_PROGRESS (lens_test_find_widget (GTK_WIDGET (fixture->window), LENS_TYPE_SAVE_PROGRESS));
  g_assert_cmpstr (lens_save_progress_get_text (bar), ==, "사진에 이미지 1개를 저장했습니다");
  g_assert_true (wait_shows (GTK_WIDGET (bar), "사진에 이미지 1개를 저장했습니다"));
  assert_no_english (GTK_WIDGET (fixture->window));
  lens_test_remove_tree (dir);
}

/* Korean lines break between words only: in a phone-sized window, every
 * line of the empty page's description starts after a space. */
static void
test_empty_window_narrow (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkLabel *description;
  PangoLayout *layout;
  const char *text;
  guint n_lines = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  g_assert_true (wait_shows (window, "Midjourney 작업 조회"));
  lens_test_spin_for (300);
  description = GTK_LABEL (lens_test_find_label (window, _("Paste task IDs from the AceData Midjourney API, or drop "
                                                          "text and files here. Tasklens shows every task, follows "
                                                          "the running ones, and saves the images before their "
                                                          "links expire.")));
  g_assert_nonnull (description);
  lens_test_save_window_png (window, "window-empty-korean-narrow.png");

  layout = gtk_label_get_layout (description);
  text = pango_layout_get_text (layout);
  for (GSList *line = pango_layout_get_lines_readonly (layout); line != NULL; line = line->next, n_lines++)
    {
      int start = pango_layout_line_get_start_index (line->data);

      g_test_message ("line %u: %.*s", n_lines, pango_layout_line_get_length (line->data), text + start);
      if (start > 0)
        g_assert_true (g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + start))));
    }
  /* It did wrap: the test would prove nothing on one line. */
  g_assert_cmpuint (n_lines, >=, 3);
}

/* The list and the task view, with a finished task and an unknown one. */
static void
test_tasks (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autofree char *created = lens_format_relative_time (1720364607.967, NULL);
  g_autofree char *row_subtitle = g_strdup_printf ("%s · 이미지 생성", created);

  add_ids (fixture, CAT_ID " " UNKNOWN_ID);
  lens_window_select_task (fixture->window, CAT_ID);

  /* The list: its title, and a row for a task the server does not know. */
  g_assert_true (wait_shows (window, "가능한 동작"));
  g_assert_true (shows (window, "작업"));
  g_assert_true (shows (window, "알 수 없는 작업"));
  g_assert_true (shows (window, "찾을 수 없음"));

  /* The row says when and what in Korean, not "imagine". */
  g_assert_true (shows (window, row_subtitle));
  g_assert_true (strstr (row_subtitle, "년") != NULL);

  /* The task view: group titles, row titles, and values in words. */
  g_assert_true (shows (window, "시간 정보"));
  g_assert_true (shows (window, "식별자"));
  g_assert_true (shows (window, "프롬프트"));
  g_assert_true (shows (window, "상태"));
  g_assert_true (shows (window, "완료"));
  g_assert_true (shows (window, "이미지 생성"));
  g_assert_true (shows (window, "패스트"));
  g_assert_true (shows (window, "업스케일 1"));
  g_assert_true (shows (window, "변형 4"));
  g_assert_true (shows (window, "29초"));
  g_assert_true (shows (window, "Midjourney 작업 ID"));
  g_assert_true (shows (window, "원본 다운로드(_D)"));
  g_assert_false (shows (window, "Available Actions"));
  g_assert_false (shows (window, "Done"));
  assert_no_english (window);
}

/* A video task: its page offers the video, and says in Korean that the
 * player cannot play the fake server's clip; the raw record's view is
 * labelled in Korean too. */
static void
test_video (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  add_ids (fixture, VIDEO_ID);
  lens_window_select_task (fixture->window, VIDEO_ID);
  g_assert_true (wait_shows (window, "동영상 다운로드(_D)"));
  g_assert_true (wait_shows (window, "이 동영상은 여기서 재생할 수 없음"));
  g_assert_true (shows (window, "이 컴퓨터에서 재생할 수 없는 형식이거나 링크가 만료되었을 수 있습니다."));
  g_assert_true (shows (window, "브라우저에서 동영상 열기(_B)"));
  assert_no_english (window);
}

/* The window with the demo's tasks, as a picture to look at. */
static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(GStrv) demo = lens_fake_api_seed_demo (fixture->fake);
  g_autofree char *text = g_strjoinv ("\n", demo);

  add_ids (fixture, text);
  lens_window_select_task (fixture->window, CAT_ID);
  lens_test_spin_for (1500);
  assert_no_english (GTK_WIDGET (fixture->window));
  lens_test_save_window_png (GTK_WIDGET (fixture->window), "window-korean.png");
}

/* glibc's gettext ignores LANGUAGE under the C and C.UTF-8 locales, and a
 * build machine may have no other. A locale named ko_KR.UTF-8 that is
 * C.UTF-8 inside, found through LOCPATH, makes gettext honour LANGUAGE
 * while dates and numbers keep C's formats on every machine. */
static const char * const c_utf8_dirs[] = {
  "/usr/lib/locale/C.utf8",
  "/usr/lib/locale/C.UTF-8",
};

static char *
make_stand_in_locale (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) link = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *target = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (c_utf8_dirs) && target == NULL; i++)
    if (g_file_test (c_utf8_dirs[i], G_FILE_TEST_IS_DIR))
      target = c_utf8_dirs[i];
  if (target == NULL)
    g_error ("No C.UTF-8 locale directory (%s) to stand in for ko_KR.UTF-8", c_utf8_dirs[0]);

  dir = g_dir_make_tmp ("tasklens-locale-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "ko_KR.UTF-8", NULL);
  link = g_file_new_for_path (path);
  g_file_make_symbolic_link (link, target, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *locale_dir = make_stand_in_locale ();
  g_autofree char *locale_link = g_build_filename (locale_dir, "ko_KR.UTF-8", NULL);
  int status;

  g_setenv ("LOCPATH", locale_dir, TRUE);
  g_setenv ("LANGUAGE", "ko", TRUE);
  g_setenv ("LANG", "ko_KR.UTF-8", TRUE);
  g_setenv ("LC_ALL", "ko_KR.UTF-8", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("The stand-in ko_KR.UTF-8 locale in %s does not load", locale_dir);
  bindtextdomain (GETTEXT_PACKAGE, TEST_LOCALE_DIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  lens_test_ui_init (&argc, &argv);

  g_test_add_func ("/korean/catalogue", test_catalogue);
  g_test_add_func ("/korean/catalogue-sync", test_catalogue_sync);
  g_test_add_func ("/korean/catalogue-words", test_catalogue_words);
  g_test_add ("/korean/empty-window", Fixture, NULL, fixture_set_up, test_empty_window, fixture_tear_down);
  g_test_add ("/korean/empty-window-narrow", Fixture, NULL, fixture_set_up, test_empty_window_narrow,
              fixture_tear_down);
  g_test_add ("/korean/add-dialog", Fixture, NULL, fixture_set_up, test_add_dialog, fixture_tear_down);
  g_test_add ("/korean/save-images", Fixture, NULL, fixture_set_up, test_save_images, fixture_tear_down);
  g_test_add ("/korean/tasks", Fixture, NULL, fixture_set_up, test_tasks, fixture_tear_down);
  g_test_add ("/korean/video", Fixture, NULL, fixture_set_up, test_video, fixture_tear_down);
  g_test_add ("/korean/render", Fixture, NULL, fixture_set_up, test_render, fixture_tear_down);

  status = g_test_run ();
  g_unlink (locale_link);
  g_rmdir (locale_dir);
  return status;
}
