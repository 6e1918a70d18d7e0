/* test-worker.c — bytes parsed in a worker thread, for a GTask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "lens-test.h"
#include "lens-worker.h"

typedef struct
{
  gboolean  done;
  char     *text;
  GError   *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->text, g_free);
  g_clear_error (&outcome->error);
  outcome->done = FALSE;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static GThread *main_thread;

/* Upper-cases the bytes; "fail" fails. Checks that it is not run on the
 * main thread. */
static gpointer
parse_upper (GBytes  *bytes,
             GError **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  g_assert_true (g_thread_self () != main_thread);

  if (size == 4 && memcmp (data, "fail", 4) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "cannot parse");
      return NULL;
    }
  return g_ascii_strup (data, (gssize) size);
}

static void
done_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert_true (g_thread_self () == main_thread);
  g_assert_false (outcome->done);
  outcome->text = g_task_propagate_pointer (G_TASK (result), &outcome->error);
  g_assert_true ((outcome->text == NULL) != (outcome->error == NULL));
  outcome->done = TRUE;
}

static void
parse (const char   *text,
       GCancellable *cancellable,
       Outcome      *outcome)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  GTask *task = g_task_new (NULL, cancellable, done_cb, outcome);

  lens_worker_parse_bytes (task, bytes, parse_upper, g_free);
  /* Never at once: the caller's callback always runs later, in its loop. */
  g_assert_false (outcome->done);
  lens_test_spin_until (&outcome->done, 5000);
}

static void
test_result (void)
{
  g_auto(Outcome) outcome = { 0 };

  parse ("abc", NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (outcome.text, ==, "ABC");
}

static void
test_error (void)
{
  g_auto(Outcome) outcome = { 0 };

  parse ("fail", NULL, &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (outcome.error->message, ==, "cannot parse");
}

static void
test_cancelled (void)
{
  g_auto(Outcome) outcome = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  /* The result is freed with the free function given, not leaked. */
  g_cancellable_cancel (cancellable);
  parse ("abc", cancellable, &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  lens_test_init (&argc, &argv);
  main_thread = g_thread_self ();

  g_test_add_func ("/worker/result", test_result);
  g_test_add_func ("/worker/error", test_error);
  g_test_add_func ("/worker/cancelled", test_cancelled);

  return g_test_run ();
}
