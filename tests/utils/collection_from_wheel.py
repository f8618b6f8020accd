# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Extract one collection from a wheel of the `ansible` community package into a collections path.

    python collection_from_wheel.py WHEEL NAMESPACE.NAME DEST

Galaxy is not reachable from CI here; the `ansible` package on PyPI bundles awx.awx, which `make awx-lint` needs to
lint the sample AWX project against the real module argument specs. Only that collection's files are written.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import sys
import zipfile


def main(wheel, name, dest):
    prefix = 'ansible_collections/%s/' % name.replace('.', '/')
    count = 0
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if not member.startswith(prefix) or member.endswith('/'):
                continue
            target = os.path.normpath(os.path.join(dest, member))
            if not target.startswith(os.path.normpath(dest) + os.sep):
                raise SystemExit('refusing %s: outside %s' % (member, dest))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with archive.open(member) as source, open(target, 'wb') as out:
                out.write(source.read())
            count += 1
    if not count:
        raise SystemExit('%s holds no %s' % (wheel, name))
    print('extracted %s (%d files) from %s into %s' % (name, count, os.path.basename(wheel), dest))


if __name__ == '__main__':
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
