#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Flatpak manifests parse (flatpak-builder --show-manifest works offline,
# although the GNOME runtime cannot be downloaded to build them here), and
# say what the app is and may do. flatpak-builder only warns about unknown
# or misspelt keys and still exits 0, so anything it prints on stderr is a
# failure too.
#
# Usage: check-flatpak-manifests.py STABLE-MANIFEST DEVEL-MANIFEST
import json
import os
import shutil
import subprocess
import sys

BASE_ID = 'io.github.tasklens.Tasklens'

# Network for the API, IPC and the two display sockets for X11 fallback
# and Wayland, DRI for GPU rendering. No file system access (the file
# dialogs, drops and downloads go through portals) and no D-Bus names
# (libsecret uses the Secret portal; talking to org.freedesktop.secrets
# would expose every other app's secrets).
ALLOWED_FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
}

results = []


def check(ok, description, details=()):
    results.append((ok, description, list(details)))


def check_show_manifest(path, name):
    tool = shutil.which('flatpak-builder')
    if tool is None:
        check(False, '%s: flatpak-builder is not installed (Debian: flatpak-builder)' % name)
        return
    # The test setup asks GLib for diagnostics about our own code; with them
    # flatpak-builder warns about its own deprecated properties.
    env = dict(os.environ)
    env.pop('G_ENABLE_DIAGNOSTIC', None)
    result = subprocess.run([tool, '--show-manifest', path],
                            capture_output=True, text=True, env=env)
    check(result.returncode == 0 and result.stderr.strip() == '',
          'flatpak-builder --show-manifest %s: exit 0, nothing on stderr' % name,
          result.stderr.splitlines())


def check_manifest(path, app_id, config_opts):
    name = os.path.basename(path)
    check_show_manifest(path, name)

    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as error:
        check(False, '%s is valid JSON' % name, [str(error)])
        return

    # "app-id" is the deprecated spelling of "id" (flatpak-manifest(5)).
    check(manifest.get('id') == app_id and 'app-id' not in manifest,
          '%s: id is %s (and no deprecated app-id)' % (name, app_id),
          ['id: %r, app-id: %r' % (manifest.get('id'), manifest.get('app-id'))])
    check(name == app_id + '.json', '%s is named after its id' % name)
    for key, expected in (('runtime', 'org.gnome.Platform'),
                          ('runtime-version', '50'),
                          ('sdk', 'org.gnome.Sdk'),
                          ('command', 'tasklens')):
        check(manifest.get(key) == expected,
              '%s: %s is %s' % (name, key, expected),
              ['found %r' % manifest.get(key)])

    finish_args = manifest.get('finish-args', [])
    extra = [arg for arg in finish_args if arg not in ALLOWED_FINISH_ARGS]
    check(isinstance(finish_args, list) and not extra,
          '%s: finish-args only among %s' % (name, ' '.join(sorted(ALLOWED_FINISH_ARGS))),
          ['not allowed: %s' % arg for arg in extra])
    forbidden = [arg for arg in finish_args
                 if arg.startswith(('--filesystem', '--talk-name', '--system-talk-name'))]
    check(not forbidden, '%s: no --filesystem and no --talk-name' % name,
          ['found %s' % arg for arg in forbidden])

    # The checkout itself, built with meson, comes last.
    modules = manifest.get('modules', [])
    module = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    sources = module.get('sources', [])
    check(module.get('name') == 'tasklens'
          and module.get('buildsystem') == 'meson'
          and len(sources) == 1 and sources[0].get('type') == 'dir'
          and sources[0].get('path') == '..',
          '%s: the last module is tasklens, built with meson from the checkout' % name)

    # What the GNOME runtime lacks (exiv2 and gexiv2, for image metadata)
    # is built first, from release archives pinned by their sha256.
    libraries = [m for m in modules[:-1] if isinstance(m, dict)]
    check([m.get('name') for m in libraries] == ['exiv2', 'gexiv2'],
          '%s: exiv2 and gexiv2 are built before tasklens' % name,
          ['found %r' % [m.get('name') for m in libraries]])
    for library in libraries:
        pinned = [source for source in library.get('sources', [])
                  if source.get('type') == 'archive'
                  and source.get('url', '').startswith('https://')
                  and len(source.get('sha256', '')) == 64]
        check(len(library.get('sources', [])) == 1 and len(pinned) == 1,
              '%s: %s comes from one https archive with its sha256' % (name, library.get('name')),
              ['sources: %r' % library.get('sources')])
    check(module.get('config-opts', []) == config_opts,
          '%s: config-opts are %s' % (name, config_opts or 'none'),
          ['found %r' % module.get('config-opts')])


def main(argv):
    if len(argv) != 2:
        print('usage: check-flatpak-manifests.py STABLE-MANIFEST DEVEL-MANIFEST',
              file=sys.stderr)
        return 2
    check_manifest(argv[0], BASE_ID, [])
    check_manifest(argv[1], BASE_ID + '.Devel', ['-Dprofile=development'])

    print('1..%d' % len(results))
    for n, (ok, description, details) in enumerate(results, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', n, description))
        for line in details if not ok else []:
            print('# ' + line)
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
