# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local files written atomically: a temporary file beside the destination, fsync, then rename.

A reader of ``dest`` sees the old file or the complete new one, never a partial download. Missing parent
directories are created. Given the module, the final rename is ``AnsibleModule.atomic_move`` (the existing file's
SELinux context and owner kept, or the default context of a new one; cross-device and ``unsafe_writes``
fallbacks), and ``finish_file`` applies the usual ``mode`` / ``owner`` / ``group`` / SELinux options.

Why not ``atomic_move`` alone: it moves a file that is already complete; the streaming into a temporary file in
the destination's directory (same file system, so the move is a rename, not a copy), the fsync and the checksum
taken while writing are what this file adds. Without a module (pure callers, unit tests) the rename is
``os.rename``. Callers that hold a module pass it; ``support_case``'s ``submission.json`` does not yet.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import contextlib
import fcntl
import hashlib
import os
import re
import stat
import tempfile

from ansible_collections.mas.dedicated.plugins.module_utils.common import interrupts

CHUNK = 1024 * 1024
# Temporary files are named '.<name of dest>.XXXXXXXX.part', beside dest.
PART_PREFIX = '.%s.'
PART_SUFFIX = '.part'


def sha256_file(path):
    """Hex SHA-256 of a file, or None when it does not exist."""
    if not os.path.isfile(path):
        return None
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(CHUNK), b''):
            digest.update(block)
    return digest.hexdigest()


def _part_pattern(dest):
    # mkstemp's names: the prefix, 8 characters from [a-z0-9_], the suffix.
    return re.compile(r'^%s[a-z0-9_]{8}%s$' % (re.escape(PART_PREFIX % os.path.basename(dest)), re.escape(PART_SUFFIX)))


# Directory -> the names in it that look like temporary files, listed once per process: stale files come from
# earlier runs, and listing a directory for each of its files would make a download of N files cost N^2.
_PART_NAMES = {}


def _part_names(directory, fresh=False):
    if fresh or directory not in _PART_NAMES:
        try:
            names = os.listdir(directory)
        except OSError:
            names = []
        _PART_NAMES[directory] = [n for n in names if n.startswith('.') and n.endswith(PART_SUFFIX)]
    return _PART_NAMES[directory]


def remove_stale_parts(dest, cached=False):
    """Remove the temporary files of ``dest`` left by runs that were killed; the paths removed.

    ``cached``: use the directory's listing from the first call of this process (see _PART_NAMES).

    A temporary file is locked (flock) for as long as its writer lives, so a file that can be locked belongs to
    no live process (the kernel drops the lock of a killed one) and is removed; one still in use is left alone.
    """
    dest = os.path.abspath(os.path.expanduser(dest))
    directory = os.path.dirname(dest)
    pattern = _part_pattern(dest)
    removed = []
    names = _part_names(directory) if cached else _part_names(directory, fresh=True)
    for name in sorted(names):
        if not pattern.match(name):
            continue
        path = os.path.join(directory, name)
        try:
            handle = os.open(path, os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_NONBLOCK', 0))
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                continue
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a live download or write
            os.unlink(path)
            removed.append(path)
        except OSError:
            pass
        finally:
            os.close(handle)
    return removed


@contextlib.contextmanager
def temporary_beside(dest):
    """``(fd, path)`` of a new temporary file in the directory of ``dest``, to be renamed onto it.

    Stale temporary files of ``dest`` are removed first. The file is locked while in use (see remove_stale_parts),
    removed on any error and, through ``interrupts``, when the module is stopped by a signal or loses its caller.
    The descriptor is closed at the end of the block.
    """
    dest = os.path.abspath(os.path.expanduser(dest))
    directory = os.path.dirname(dest)
    remove_stale_parts(dest, cached=True)
    handle, temp = tempfile.mkstemp(prefix=PART_PREFIX % os.path.basename(dest), suffix=PART_SUFFIX, dir=directory)
    try:
        with interrupts.temporary(temp):
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            yield handle, temp
    finally:
        os.close(handle)
        if os.path.exists(temp):
            os.unlink(temp)


def move_into_place(temp, dest, mode, module=None):
    """Rename the finished temporary file ``temp`` (in the directory of ``dest``) over ``dest``, with ``mode``.

    With a module, through ``module.atomic_move``. It gives a file it creates the umask's mode for a moment after the
    rename, so for an owner-only ``mode`` (a config holding secrets) the umask is owner-only around the call.
    """
    os.chmod(temp, mode)
    if module is None:
        os.rename(temp, dest)
        return
    private = not mode & 0o077
    if private and os.path.isfile(dest):
        # atomic_move copies the old file's mode onto the new one: tighten it first, so the new secrets never show.
        os.chmod(dest, mode)
    umask = os.umask(0o077) if private else None
    try:
        module.atomic_move(temp, dest, unsafe_writes=bool(module.params.get('unsafe_writes')))
    except OSError:
        raise
    except Exception as exc:  # ansible-core 2.19 raises a plain Exception where 2.17 called fail_json
        raise OSError('cannot move the new %s into place: %s' % (dest, exc))
    finally:
        if private:
            os.umask(umask)
    os.chmod(dest, mode)


def finish_file(module, path, changed, **override):
    """Apply the module's file options (``mode``, ``owner``, ``group``, SELinux, ``attributes``) to ``path``; return
    ``changed`` or True when they changed something. ``override`` replaces parameters of the same name (cos_object
    and integrity_checker take the file mode as ``dest_mode``, their ``mode`` being something else)."""
    params = dict(module.params)
    params.update(override)
    return module.set_fs_attributes_if_different(module.load_file_common_arguments(params, path=path), changed)


class AtomicFile:
    """What ``atomic_file`` yields: ``write(data)`` appends bytes to the temporary file; ``temp`` is its path (to
    check it before it is kept). After the block: ``changed``, ``sha256``, ``size``."""

    def __init__(self, handle, temp):
        self.handle = handle
        self.temp = temp
        self.digest = hashlib.sha256()
        self.size = 0
        self.changed = None
        self.sha256 = None

    def write(self, data):
        if not data:
            return
        view = memoryview(data)
        while len(view):
            view = view[os.write(self.handle, view):]
        self.digest.update(data)
        self.size += len(data)


@contextlib.contextmanager
def atomic_file(dest, mode=0o644, module=None):
    """A temporary file beside ``dest``, moved onto it at the end of the block unless it holds what ``dest`` holds.

    An error in the block (a check of ``temp`` that fails, a transfer that breaks) removes the temporary file and
    leaves ``dest`` as it was. Missing parent directories are created.
    """
    dest = os.path.abspath(os.path.expanduser(dest))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with interrupts.armed(), temporary_beside(dest) as (handle, temp):
        out = AtomicFile(handle, temp)
        yield out
        os.fsync(handle)
        out.sha256 = out.digest.hexdigest()
        out.changed = sha256_file(dest) != out.sha256
        if out.changed:
            move_into_place(temp, dest, mode, module)


def atomic_write(dest, chunks, mode=0o644, module=None):
    """Write the byte chunks to ``dest`` atomically (see atomic_file); return (changed, sha256, size)."""
    with atomic_file(dest, mode, module) as out:
        for chunk in chunks:
            out.write(chunk)
    return out.changed, out.sha256, out.size


def would_change(dest, data):
    """Whether writing ``data`` (bytes) to ``dest`` would change it: the check-mode prediction."""
    return sha256_file(os.path.abspath(os.path.expanduser(dest))) != sha256_bytes(data)


def sha256_bytes(data):
    """Hex SHA-256 of ``data`` (bytes)."""
    return hashlib.sha256(data).hexdigest()


def write_package(dest, files, check_mode=False, mode=0o644, dir_mode=0o755, module=None):
    """Write a package: the files {path relative to the directory ``dest``: bytes}, each atomically and only when
    its content differs; returns {path: changed} (the prediction in check mode, where nothing is written).

    Missing directories (``dest`` and those inside it) are created with ``dir_mode``; files get ``mode``. Files are
    written in the order of their paths. On an error the file being written is left as it was.
    """
    changes = {}
    for name in sorted(files):
        path = os.path.join(dest, name)
        if check_mode:
            changes[name] = would_change(path, files[name])
            continue
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            os.makedirs(folder, dir_mode)
        changes[name] = atomic_write(path, [files[name]], mode=mode, module=module)[0]
    return changes


@contextlib.contextmanager
def directory_lock(path):
    """Hold an exclusive lock on the directory of ``path`` while reading, changing and replacing the file.

    Several hosts of one play may edit the same file (one rclone.conf for every environment): without the lock the
    last atomic replace wins and the others' changes are lost. Locking the directory leaves no lock file behind.
    """
    directory = os.path.dirname(os.path.abspath(path))
    # Another host may be creating it at the same moment.
    os.makedirs(directory, 0o700, exist_ok=True)
    handle = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


# ---- checks before any work: a destination that cannot be written fails the task before anything is sent ----

def _first_existing(path):
    """The nearest existing ancestor of ``path`` (``path`` itself when it exists)."""
    while not os.path.lexists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path


def _writable_dir(directory, what, original):
    if not os.path.isdir(directory):
        return "%s '%s' cannot be created: '%s' is a file, not a directory" % (what, original, directory)
    if not os.access(directory, os.W_OK | os.X_OK):
        return "%s '%s' cannot be written: the directory '%s' is not writable" % (what, original, directory)
    return None


def file_dest_problem(dest, what='dest'):
    """Why a file cannot be written atomically at ``dest`` (None when it can): checked before any request.

    The file's directory must be writable (the temporary file goes beside it), or, when missing, be creatable in
    its nearest existing ancestor (atomic_write creates it); ``dest`` must not be a directory.
    """
    if '\0' in dest:
        return '%s contains a NUL byte' % what
    path = os.path.abspath(os.path.expanduser(dest))
    if os.path.isdir(path):
        return "%s '%s' is a directory: give the path of a file" % (what, dest)
    if os.path.lexists(path) and not os.path.isfile(path):
        return "%s '%s' exists and is not a regular file" % (what, dest)
    directory = os.path.dirname(path)
    if not os.path.lexists(directory):
        found = _first_existing(directory)
        if not os.path.isdir(found):
            return "%s '%s' cannot be written: '%s' is a file, not a directory" % (what, dest, found)
        return _writable_dir(found, what, dest)
    return _writable_dir(directory, what, dest)


def dir_dest_problem(dest, what='dest'):
    """Why files cannot be written into the directory ``dest``, created when missing (None when they can)."""
    if '\0' in dest:
        return '%s contains a NUL byte' % what
    path = os.path.abspath(os.path.expanduser(dest))
    if os.path.lexists(path) and not os.path.isdir(path):
        return "%s '%s' is a file, not a directory" % (what, dest)
    return _writable_dir(_first_existing(path), what, dest)
