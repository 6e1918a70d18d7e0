/* bench-child.h — a program a benchmark starts and watches from outside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _BenchChild BenchChild;

GStrv       bench_child_environment  (const char         *scratch_dir,
                                      const char * const *extra);
BenchChild *bench_child_spawn        (const char * const *argv,
                                      const char * const *envp);
gint64      bench_child_get_started  (BenchChild         *child);
char       *bench_child_next_line    (BenchChild         *child,
                                      guint               timeout_ms,
                                      gint64             *out_when);
void        bench_child_print_output (BenchChild         *child);
gint64      bench_child_wait_for     (BenchChild         *child,
                                      const char         *text,
                                      guint               timeout_ms);
guint64     bench_child_get_rss_kib  (BenchChild         *child);
guint64     bench_child_settled_rss  (BenchChild         *child,
                                      guint               stable_ms,
                                      guint               timeout_ms);
void        bench_child_save_smaps   (BenchChild         *child,
                                      const char         *name);
void        bench_child_stop         (BenchChild         *child);
void        bench_child_free         (BenchChild         *child);

BenchChild *bench_fake_api_spawn     (const char         *program,
                                      const char         *scratch_dir,
                                      const char         *token,
                                      guint               n_tasks,
                                      const char * const *extra_args,
                                      char              **out_url,
                                      GPtrArray          *out_ids);

void        bench_wait_for_name_gone (const char         *bus_name);
double      bench_median             (double             *values,
                                      guint               n_values);
void        bench_init               (void);
void        bench_print_load         (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchChild, bench_child_free)

G_END_DECLS
