#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every .ui file is well-formed XML, and gtk4-builder-tool validates the ones
# it can.
#
# gtk4-builder-tool knows GTK's types only. A template is built from the
# parent type it names, and the tool cannot load libadwaita, so a template
# with a libadwaita parent always fails ("Failed to lookup template parent
# type AdwDialog"), and so does any file that uses a libadwaita widget
# ("Invalid object type 'AdwSpinner'"). Those files are skipped here; they
# are checked for real when the ui suite creates each widget from its
# template, which fails on any error in it.
#
# Usage: check-ui-files.py UI-DIR
import glob
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET


def skip_reason(root):
    template = root.find('template')
    if template is not None:
        return 'a template (of %s): the ui tests build it' % template.get('parent', '?')
    for element in root.iter('object'):
        if element.get('class', '').startswith('Adw'):
            return 'uses %s, which gtk4-builder-tool cannot load' % element.get('class')
    return None


def builder_tool_command(tool):
    # The tool opens a display; give it a virtual one when there is none.
    if os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY'):
        return [tool, 'validate']
    xvfb_run = shutil.which('xvfb-run')
    if xvfb_run is None:
        return None
    return [xvfb_run, '-a', tool, 'validate']


def main(argv):
    if len(argv) != 1:
        print('usage: check-ui-files.py UI-DIR', file=sys.stderr)
        return 2
    paths = glob.glob(os.path.join(argv[0], '*.ui'))
    if not paths:
        print('1..1')
        print('ok 1 - no .ui files in %s: nothing to check' % argv[0])
        return 0
    # Templates are checked for well-formedness only: gtk4-builder-tool cannot
    # build them (their parent classes live in the app), and the ui tests
    # build every one of them. The plan is printed once the count is known.
    results = []
    tool = shutil.which('gtk4-builder-tool')
    for path in sorted(paths):
        name = os.path.basename(path)
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as error:
            results.append((False, '%s is not well-formed XML: %s' % (name, error), []))
            continue
        reason = skip_reason(root)
        if reason is not None:
            results.append((True, '%s is well-formed XML (%s)' % (name, reason), []))
            continue
        results.append((True, '%s is well-formed XML' % name, []))
        command = builder_tool_command(tool) if tool else None
        if command is None:
            results.append((False, 'gtk4-builder-tool validate %s: gtk4-builder-tool '
                            '(Debian: libgtk-4-bin) or a display (xvfb-run) is missing' % name, []))
            continue
        result = subprocess.run(command + [path], capture_output=True, text=True)
        results.append((result.returncode == 0, 'gtk4-builder-tool validate %s' % name,
                        (result.stdout + result.stderr).splitlines()))

    print('1..%d' % len(results))
    failed = False
    for n, (ok, text, output) in enumerate(results, start=1):
        for line in output:
            print('# ' + line)
        print('%s %d - %s' % ('ok' if ok else 'not ok', n, text))
        failed = failed or not ok
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
