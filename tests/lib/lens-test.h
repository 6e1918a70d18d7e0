/* lens-test.h — what every Tasklens test program shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Start every test program with lens_test_init(). Helpers assert rather than
 * return errors: a helper that fails, fails the test that called it.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Long enough for a slow sanitizer run: a deadline is only there so that a
 * test fails instead of hanging. Under AddressSanitizer (the UI programs
 * unwind every allocation's stack, see lens-test-ui.c) it grows as meson's
 * timeouts do (build-aux/test --sanitize). */
#ifdef __SANITIZE_ADDRESS__
#define LENS_TEST_DEADLINE_MS 90000
#else
#define LENS_TEST_DEADLINE_MS 30000
#endif

void         lens_test_init             (int            *argc,
                                         char         ***argv);

/* Files */
char        *lens_test_data_path        (const char     *first_element,
                                         ...) G_GNUC_NULL_TERMINATED;
char        *lens_test_read_data        (const char     *first_element,
                                         ...) G_GNUC_NULL_TERMINATED;
char        *lens_test_make_scratch_dir (const char     *name);
GBytes      *lens_test_load_file       (GFile          *file);
void         lens_test_remove_tree      (const char     *path);
guint        lens_test_count_files      (const char     *folder);
const char  *lens_test_keyring_path     (void);

/* Task ids */
char        *lens_test_make_id          (guint           n);
char        *lens_test_make_id_lines    (guint           first,
                                         guint           n_ids);

/* The main loop */
void         lens_test_finalize_eventually (gpointer      object_pointer);
void         lens_test_count_cb         (GObject        *object,
                                         GParamSpec     *pspec,
                                         gpointer        user_data);
gboolean     lens_test_set_true_cb      (gpointer        user_data);
void         lens_test_spin_pending     (void);
void         lens_test_spin_for         (guint           milliseconds);
gint64       lens_test_thread_cpu_us    (void);
void         lens_test_turns_reset      (void);
gint64       lens_test_turns_longest_us (void);
void         lens_test_spin_until       (const gboolean *flag,
                                         guint           deadline_ms);

typedef struct
{
  gint64 deadline;
  guint  deadline_ms;
  guint  wake_id;
} LensTestWait;

void         _lens_test_wait_start      (LensTestWait   *wait,
                                         guint           deadline_ms);
void         _lens_test_wait_step       (LensTestWait   *wait,
                                         const char     *file,
                                         int             line,
                                         const char     *func,
                                         const char     *condition);
void         _lens_test_wait_stop       (LensTestWait   *wait);

/* Spins the default main context until @condition holds, and fails the test,
 * naming @condition, if it does not within @deadline_ms. A wake-up timer
 * makes sure the condition is checked again even when nothing else happens. */
#define LENS_TEST_SPIN_UNTIL(condition, deadline_ms)                          \
  G_STMT_START {                                                              \
    LensTestWait lens_test_wait_;                                             \
                                                                              \
    _lens_test_wait_start (&lens_test_wait_, (deadline_ms));                  \
    while (!(condition))                                                      \
      _lens_test_wait_step (&lens_test_wait_, __FILE__, __LINE__, G_STRFUNC,  \
                            #condition);                                      \
    _lens_test_wait_stop (&lens_test_wait_);                                  \
  } G_STMT_END

G_END_DECLS
