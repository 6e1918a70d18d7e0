#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# po/POTFILES.in names every file with translatable strings, and nothing
# else. A file left out is never extracted, so its strings stay English in
# every language without anyone noticing; a file that no longer exists
# breaks `meson compile tasklens-pot`.
#
# Translatable means:
#   - C under src/ (.c and .h) that calls _(), N_(), C_(), NC_(), ngettext(),
#     g_dngettext() or another gettext function, outside comments and strings;
#   - .ui files under src/ with a translatable="yes" property or attribute;
#   - desktop files (*.desktop.in) under data/ with Name, GenericName,
#     Comment or Keywords;
#   - AppStream files (*.metainfo.xml.in, *.appdata.xml.in) under data/ with
#     a name, summary, description, caption, keyword or developer name not
#     marked translate="no";
#   - GSettings schemas (*.gschema.xml) under data/ with a summary or
#     description, or a default marked l10n.
#
# Usage: check-potfiles.py SOURCE-ROOT [POTFILES.in]
import os
import re
import sys
import xml.etree.ElementTree as ET

GETTEXT_CALL = re.compile(
    r'(?<![A-Za-z0-9_])'
    r'(_|N_|C_|NC_|Q_|gettext|dgettext|dcgettext|ngettext|dngettext|dcngettext|pgettext|'
    r'g_dgettext|g_dcgettext|g_dngettext|g_dpgettext|g_dpgettext2)'
    r'\s*\(')
UI_TRANSLATABLE = re.compile(r'''translatable\s*=\s*["'](yes|true|1|y)["']''', re.IGNORECASE)
DESKTOP_KEY = re.compile(r'^(Name|GenericName|Comment|Keywords)\s*=\s*\S', re.MULTILINE)
METAINFO_ELEMENTS = {'name', 'summary', 'description', 'caption', 'keyword', 'developer_name'}


def strip_c(text):
    """The C code of @text without its comments and string and character
    literals, so that a _() in a comment or a string does not count."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            out.append(' ')
        elif text.startswith('//', i):
            end = text.find('\n', i)
            i = n if end < 0 else end
        elif c in '"\'':
            i += 1
            while i < n and text[i] != c:
                i += 2 if text[i] == '\\' else 1
            i += 1
            out.append(' ')
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def c_is_translatable(text):
    code = strip_c(text)
    # A definition of the macros themselves (#define _(String) …) is not a use.
    code = re.sub(r'^\s*#\s*(define|undef)\b.*$', '', code, flags=re.MULTILINE)
    return GETTEXT_CALL.search(code) is not None


def local_name(tag):
    return tag.rsplit('}', 1)[-1]


def metainfo_is_translatable(path):
    root = ET.parse(path).getroot()
    for element in root.iter():
        tag = local_name(element.tag)
        if element.get('translate') == 'no':
            continue
        if tag in METAINFO_ELEMENTS and ''.join(element.itertext()).strip():
            return True
    return False


def gschema_is_translatable(path):
    root = ET.parse(path).getroot()
    for element in root.iter():
        tag = local_name(element.tag)
        if tag in ('summary', 'description') and (element.text or '').strip():
            return True
        if tag == 'default' and element.get('l10n') is not None:
            return True
    return False


def is_translatable(root, relpath):
    path = os.path.join(root, relpath)
    name = os.path.basename(relpath)
    if name.endswith(('.c', '.h')):
        with open(path, encoding='utf-8', errors='replace') as f:
            return c_is_translatable(f.read())
    if name.endswith('.ui'):
        with open(path, encoding='utf-8') as f:
            return UI_TRANSLATABLE.search(f.read()) is not None
    if name.endswith(('.desktop.in', '.desktop.in.in')):
        with open(path, encoding='utf-8') as f:
            return DESKTOP_KEY.search(f.read()) is not None
    if name.endswith(('.metainfo.xml.in', '.appdata.xml.in', '.metainfo.xml', '.appdata.xml')):
        return metainfo_is_translatable(path)
    if name.endswith(('.gschema.xml', '.gschema.xml.in')):
        return gschema_is_translatable(path)
    return False


def candidates(root):
    """Every file that may hold translatable strings, relative to @root."""
    found = []
    for top, patterns in (('src', ('.c', '.h', '.ui')),
                          ('data', ('.in', '.gschema.xml'))):
        for directory, dirs, files in os.walk(os.path.join(root, top)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(patterns):
                    found.append(os.path.relpath(os.path.join(directory, name), root))
    return found


def read_potfiles(path):
    """The files POTFILES.in names, in order, with their line numbers."""
    entries = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            # xgettext's [type: …] and [encoding: …] prefixes
            line = re.sub(r'^(\[[^]]*\]\s*)+', '', line)
            entries.append((number, line))
    return entries


def main(argv):
    if len(argv) not in (2, 3):
        print('Bail out! usage: check-potfiles.py SOURCE-ROOT [POTFILES.in]')
        return 1
    root = argv[1]
    potfiles = argv[2] if len(argv) == 3 else os.path.join(root, 'po', 'POTFILES.in')
    try:
        entries = read_potfiles(potfiles)
    except OSError as e:
        print('Bail out! cannot read %s: %s' % (potfiles, e.strerror))
        return 1

    listed = [name for _, name in entries]
    results = []

    for relpath in candidates(root):
        try:
            translatable = is_translatable(root, relpath)
        except (OSError, ET.ParseError) as e:
            results.append((False, '%s can be read' % relpath, str(e)))
            continue
        if translatable:
            results.append((relpath in listed, '%s is in POTFILES.in' % relpath,
                            'it has translatable strings; add it to po/POTFILES.in'))
        elif relpath in listed:
            # Harmless for xgettext, but worth knowing.
            print('# %s is listed but has nothing to translate' % relpath)

    seen = set()
    for number, name in entries:
        exists = os.path.isfile(os.path.join(root, name))
        results.append((exists, 'POTFILES.in:%d %s exists' % (number, name),
                        'remove it from po/POTFILES.in, or fix its path'))
        if name in seen:
            results.append((False, 'POTFILES.in:%d %s is listed once' % (number, name),
                            'it is listed twice'))
        seen.add(name)

    print('1..%d' % len(results))
    failed = False
    for index, (ok, description, hint) in enumerate(results, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', index, description))
        if not ok:
            print('# %s' % hint)
            failed = True
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
