#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The GSettings schemas compile with --strict, where anything that would only
# be a warning is an error.
#
# Usage: check-schemas.sh SCHEMA-DIR
set -u
dir=$1

echo "1..1"
if ! command -v glib-compile-schemas >/dev/null 2>&1; then
  echo "not ok 1 - glib-compile-schemas is not installed (Debian: libglib2.0-bin)"
  exit 1
fi
out=$(glib-compile-schemas --strict --dry-run "$dir" 2>&1)
rc=$?
printf '%s\n' "$out" | sed -e '/^$/d' -e 's/^/# /'
if [ $rc -ne 0 ] || [ -n "$out" ]; then
  echo "not ok 1 - glib-compile-schemas --strict --dry-run $dir"
  exit 1
fi
echo "ok 1 - glib-compile-schemas --strict --dry-run $dir"
