#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The desktop file as built (merged with the translations) is valid, and
# names the icon and the program that the build installs.
#
# Usage: check-desktop-file.sh DESKTOP-FILE APP-ID ICONS-DIR
set -u
desktop=$1
app_id=$2
icons=$3
failed=0

ok () { echo "ok $*"; }
not_ok () { echo "not ok $*"; failed=1; }
# Prints a command's output as TAP diagnostics.
diag () { printf '%s\n' "$1" | sed -e '/^$/d' -e 's/^/# /'; }

echo "1..3"

if ! command -v desktop-file-validate >/dev/null 2>&1; then
  not_ok "1 - desktop-file-validate is not installed (Debian: desktop-file-utils)"
else
  out=$(desktop-file-validate "$desktop" 2>&1)
  rc=$?
  diag "$out"
  # Hints are advice about categories; errors and warnings are failures.
  if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -qE ': (error|warning): '; then
    not_ok "1 - desktop-file-validate $(basename "$desktop")"
  else
    ok "1 - desktop-file-validate $(basename "$desktop")"
  fi
fi

icon=$(sed -n 's/^Icon=//p' "$desktop")
if [ "$icon" = "$app_id" ] && [ -f "$icons/scalable/apps/$icon.svg" ] \
   && [ "$(basename "$desktop")" = "$app_id.desktop" ]; then
  ok "2 - the file and its icon are named after the application id $app_id"
else
  not_ok "2 - file $(basename "$desktop") with Icon=$icon, but the application id is $app_id (and its icon $icons/scalable/apps/$app_id.svg)"
fi

exec_line=$(sed -n 's/^Exec=//p' "$desktop")
case "$exec_line" in
  "tasklens %U") ok "3 - Exec runs tasklens with the launcher's ids and files" ;;
  *) not_ok "3 - Exec=$exec_line, expected 'tasklens %U'" ;;
esac

exit $failed
