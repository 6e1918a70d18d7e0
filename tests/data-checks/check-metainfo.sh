#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The metainfo as built (merged with the translations) passes appstreamcli
# without an error, a warning or an info, and describes the application id
# the build installs. Infos count: a missing content rating or developer is
# only an info to appstreamcli, and either keeps the app off Flathub.
# --strict is not used: it turns pedantic notes into failures, and the one
# pedantic note left (uppercase letters in the component id) comes from the
# id itself, which cannot change.
#
# Usage: check-metainfo.sh METAINFO-FILE APP-ID
set -u
metainfo=$1
app_id=$2
failed=0

ok () { echo "ok $*"; }
not_ok () { echo "not ok $*"; failed=1; }
diag () { printf '%s\n' "$1" | sed -e '/^$/d' -e 's/^/# /'; }

echo "1..2"

if ! command -v appstreamcli >/dev/null 2>&1; then
  not_ok "1 - appstreamcli is not installed (Debian: appstream)"
else
  # --no-net: CI has no network, and the screenshots are checked by eye.
  out=$(appstreamcli validate --no-net --explain "$metainfo" 2>&1)
  rc=$?
  diag "$out"
  # Lines start with E: (error), W: (warning), I: (info) or P: (pedantic,
  # shown only with --pedantic).
  if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -qE '^[EWI]: '; then
    not_ok "1 - appstreamcli validate $(basename "$metainfo") has errors, warnings or infos"
  else
    ok "1 - appstreamcli validate $(basename "$metainfo")"
  fi
fi

if grep -qF "<id>$app_id</id>" "$metainfo" \
   && grep -qF "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
   && [ "$(basename "$metainfo")" = "$app_id.metainfo.xml" ]; then
  ok "2 - the component, its file and its launchable use the application id $app_id"
else
  not_ok "2 - $(basename "$metainfo"): the component id or launchable is not $app_id"
fi

exit $failed
