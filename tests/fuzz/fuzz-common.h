/* fuzz-common.h — what every fuzz target does before its first input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdint.h>
#include <stdlib.h>

#include <glib.h>

G_BEGIN_DECLS

/* An invariant the code under test broke: abort, so that libFuzzer keeps
 * the input. Not g_assert(), which G_DISABLE_ASSERT would remove. */
#define FUZZ_CHECK(expr)                                                        \
  G_STMT_START {                                                                \
    if (G_UNLIKELY (!(expr)))                                                   \
      {                                                                         \
        g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr);    \
        abort ();                                                               \
      }                                                                         \
  } G_STMT_END

/* The one log domain whose criticals a target tolerates, or NULL. */
static const char *fuzz_tolerated_domain;

static const char *
fuzz_log_domain (const GLogField *fields,
                 gsize            n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
      return fields[i].value;
  return NULL;
}

/* A critical is a broken precondition in our code or in a library we call
 * wrongly, so it aborts; warnings and anything quieter are what a hostile
 * input is expected to cause, and printing them would only slow the run. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if ((log_level & G_LOG_LEVEL_ERROR)
      || ((log_level & G_LOG_LEVEL_CRITICAL)
          && (fuzz_tolerated_domain == NULL
              || g_strcmp0 (fuzz_log_domain (fields, n_fields), fuzz_tolerated_domain) != 0)))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

/* @tolerated_domain: (nullable): a library whose own checks fire on invalid
 *   input without harm, so that its criticals do not count as crashes */
static inline void
fuzz_init (const char *tolerated_domain)
{
  fuzz_tolerated_domain = tolerated_domain;
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  /* Not always-fatal: the writer decides. */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR);
}

/* Declared here because no header of libFuzzer's is installed. */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

G_END_DECLS
