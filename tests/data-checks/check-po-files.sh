#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every translation compiles with msgfmt --check (format strings, header,
# domain), and every language in LINGUAS has its .po file. CI checks and
# never updates: msgmerge would rewrite the translators' files.
#
# Usage: check-po-files.sh PO-DIR
set -u
po_dir=$1
failed=0

languages=$(sed -e 's/#.*//' "$po_dir/LINGUAS" 2>/dev/null | tr -s ' \t' '\n\n' | sed '/^$/d')
set -- "$po_dir"/*.po
[ -e "$1" ] || set --

if [ $# -eq 0 ] && [ -z "$languages" ]; then
  echo "1..1"
  echo "ok 1 - no translations yet (no po/*.po, LINGUAS is empty): nothing to check"
  exit 0
fi

count=$(( $# + $(printf '%s\n' "$languages" | sed '/^$/d' | wc -l) ))
echo "1..$count"
n=0

if ! command -v msgfmt >/dev/null 2>&1; then
  echo "Bail out! msgfmt is not installed (Debian: gettext)"
  exit 1
fi

for po in "$@"; do
  n=$((n + 1))
  out=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
  rc=$?
  printf '%s\n' "$out" | sed -e '/^$/d' -e 's/^/# /'
  if [ $rc -eq 0 ]; then
    echo "ok $n - msgfmt --check $(basename "$po")"
  else
    echo "not ok $n - msgfmt --check $(basename "$po")"
    failed=1
  fi
done

for lang in $languages; do
  n=$((n + 1))
  if [ -f "$po_dir/$lang.po" ]; then
    echo "ok $n - $lang in LINGUAS has $lang.po"
  else
    echo "not ok $n - $lang is in LINGUAS but $lang.po is missing"
    failed=1
  fi
done

exit $failed
