# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Names that come from elsewhere (object keys, log bundle names) turned into local paths, safely.

Anyone who can write a bucket chooses its keys, so a key is never joined to a local directory unchecked: a key
is a relative path of plain segments, and the file it names must stay inside the directory after every symbolic
link on the way is resolved. ``relative_parts`` is pure; ``contained_path`` and ``check_all`` also look at the
local file system (symbolic links, directories in the way).

What is refused, and why:

- an empty name, and empty segments (a leading ``/`` - an absolute key -, ``a//b``, a trailing ``/``): S3 keeps
  ``a//b`` and ``a/b`` apart while a file system does not, so two keys would fight for one file and a sync would
  never settle;
- ``.`` and ``..`` segments: ``..`` climbs out of the directory, ``.`` aliases another key;
- NUL and the other control characters (C0, DEL, C1): no sane file name holds them and NUL cannot be passed to
  the operating system at all;
- a segment longer than 255 bytes (NAME_MAX of Linux file systems), which would fail halfway through a download;
- the path separators of this system: ``/`` always, and ``\\`` only where it is one (Windows). On POSIX systems
  (the controllers this collection supports) a backslash is an ordinary character of a file name and cannot
  escape, so keys written from Windows tools (``dir\\file.txt``) stay usable.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError

NAME_MAX = 255
_CONTROL = re.compile('[\x00-\x1f\x7f-\x9f]')
_SEPARATORS = ''.join(sorted(set('/' + os.sep + (os.altsep or ''))))


class UnsafeNameError(RefusedError):
    """A remote name that cannot safely become a local path; the message names it and says why."""

    def __init__(self, name, reason, what='object key'):
        self.name = name
        self.reason = reason
        super(UnsafeNameError, self).__init__("refused %s '%s': %s; nothing was written" % (what, shown(name), reason))


def shown(name, limit=200):
    """The name for a message: control characters escaped, at most ``limit`` characters."""
    text = _CONTROL.sub(lambda m: '\\x%02x' % ord(m.group(0)), name if isinstance(name, str) else repr(name))
    return text if len(text) <= limit else text[:limit] + '...(%d characters)' % len(text)


def relative_parts(name, what='object key'):
    """The segments of a remote relative name (``'a/b/c'`` -> ``['a', 'b', 'c']``), or UnsafeNameError."""
    if not isinstance(name, str) or not name:
        raise UnsafeNameError(name, 'it is empty', what)
    found = _CONTROL.search(name)
    if found:
        kind = 'a NUL byte' if found.group(0) == '\x00' else 'a control character (\\x%02x)' % ord(found.group(0))
        raise UnsafeNameError(name, 'it contains %s' % kind, what)
    if name[0] in _SEPARATORS:
        raise UnsafeNameError(name, 'it is absolute (starts with %s)' % name[0], what)
    parts = re.split('[%s]' % re.escape(_SEPARATORS), name)
    for part in parts:
        if part == '':
            raise UnsafeNameError(name, 'it has an empty path segment (// or a trailing /)', what)
        if part in ('.', '..'):
            raise UnsafeNameError(name, "it has a '%s' path segment" % part, what)
        if len(part.encode('utf-8', 'surrogateescape')) > NAME_MAX:
            raise UnsafeNameError(name, 'a path segment is longer than %d bytes' % NAME_MAX, what)
    return parts


def _inside(path, root):
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def contained_path(root, name, what='object key', _resolved=None):
    """``root`` joined with the checked ``name``; UnsafeNameError when it would leave ``root``.

    Every directory between ``root`` and the file is resolved (``os.path.realpath``): a symbolic link among them
    that points outside ``root`` is refused. The last segment may be a symbolic link: the atomic rename that puts
    a download in place replaces the link itself, never its target. A directory where the file should go is
    refused too (it cannot be replaced by a file).
    """
    parts = relative_parts(name, what)
    root = os.path.normpath(root)
    path = os.path.join(root, *parts)
    resolved = {} if _resolved is None else _resolved
    if root not in resolved:
        resolved[root] = os.path.realpath(root)
    parent = os.path.dirname(path)
    if parent not in resolved:
        resolved[parent] = os.path.realpath(parent)
    real_root, real_parent = resolved[root], resolved[parent]
    if not _inside(real_parent, real_root):
        raise UnsafeNameError(name, 'it resolves through a symbolic link to %s, outside %s' % (real_parent, real_root),
                              what)
    if os.path.isdir(path) and not os.path.islink(path):
        raise UnsafeNameError(name, 'a directory is in the way at %s' % path, what)
    return path


def check_all(root, names, what='object key'):
    """{name: local path} for every name, checked before anything is written, or UnsafeNameError.

    Besides each name on its own, names must not collide: two names for the same file, or a name that is both a
    file and a directory of another name (S3 allows ``a`` and ``a/b`` side by side, a file system does not).
    """
    root = os.path.normpath(root)
    paths = {}
    owners = {}
    resolved = {}  # one realpath per directory, however many names it holds
    for name in names:
        path = contained_path(root, name, what, resolved)
        if path in owners:
            raise UnsafeNameError(name, "it would be written to the same file as '%s'" % shown(owners[path]), what)
        owners[path] = name
        paths[name] = path
    for name, path in paths.items():
        parent = os.path.dirname(path)
        while parent != root and _inside(parent, root):
            if parent in owners:
                raise UnsafeNameError(owners[parent], "'%s' needs it to be a directory" % shown(name), what)
            parent = os.path.dirname(parent)
    return paths
