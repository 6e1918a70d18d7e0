#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every translation is complete and current. Every language in LINGUAS has
# its .po, and for each po/*.po:
#   - msgfmt --check --check-accelerators=_ accepts it: the header, the
#     plural forms, every format string, and exactly one mnemonic wherever
#     the English has one;
#   - nothing in it is fuzzy or untranslated;
#   - it translates every string the sources have now: a template is
#     extracted afresh from POTFILES.in (as `tasklens-pot` does) and msgcmp
#     finds each of its messages translated in the .po.
# This is the one translation check (suites data and i18n); it is what keeps
# a language in LINGUAS from silently falling behind the code. Nothing is
# rewritten:
# when a string is added, update the .po with the tasklens-update-po target.
#
# Usage: check-po.sh PO-DIR SOURCE-ROOT
set -u
po_dir=$1
source_root=$2
n=0
failed=0

ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}

not_ok () {
  n=$((n + 1))
  echo "not ok $n - $1"
  failed=1
}

comment () {
  printf '%s\n' "$1" | sed -e '/^$/d' -e 's/^/# /'
}

for tool in msgfmt msgcmp xgettext; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed (Debian: gettext)"
    exit 0
  fi
done

set -- "$po_dir"/*.po
if [ ! -e "$1" ]; then
  echo "1..0 # SKIP no translations in $po_dir"
  exit 0
fi

# A language in LINGUAS without its .po breaks the build's configure step.
for lang in $(sed -e 's/#.*//' "$po_dir/LINGUAS" 2>/dev/null); do
  if [ -f "$po_dir/$lang.po" ]; then
    ok "$lang in LINGUAS has $lang.po"
  else
    not_ok "$lang is in LINGUAS but $lang.po is missing"
  fi
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tasklens-check-po-XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
template=$scratch/tasklens.pot

# The same keywords as meson's i18n 'glib' preset (po/meson.build).
if out=$(xgettext --from-code=UTF-8 --add-comments \
           --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
           --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
           --directory="$source_root" --files-from="$po_dir/POTFILES.in" \
           --output="$template" 2>&1); then
  ok "a template extracted from POTFILES.in"
else
  comment "$out"
  not_ok "a template extracted from POTFILES.in"
  template=
fi

for po in "$@"; do
  name=$(basename "$po")

  out=$(msgfmt --check --check-accelerators=_ -o /dev/null "$po" 2>&1)
  if [ $? -eq 0 ]; then
    ok "$name: msgfmt --check --check-accelerators=_"
  else
    comment "$out"
    not_ok "$name: msgfmt --check --check-accelerators=_"
  fi

  # "N translated messages." and nothing else: no fuzzy, no untranslated.
  stats=$(msgfmt --statistics -o /dev/null "$po" 2>&1)
  comment "$stats"
  case $stats in
    *fuzzy*|*untranslated*|'') not_ok "$name: no fuzzy or untranslated messages" ;;
    *) ok "$name: no fuzzy or untranslated messages" ;;
  esac

  if [ -n "$template" ]; then
    out=$(msgcmp "$po" "$template" 2>&1)
    if [ $? -eq 0 ]; then
      ok "$name: translates every string in the sources"
    else
      comment "$out"
      comment "Update it: meson compile -C _build tasklens-update-po, then translate."
      not_ok "$name: translates every string in the sources"
    fi
  fi
done

echo "1..$n"
exit $failed
