# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local files written atomically: a temporary file beside the destination, fsync, then rename.

A reader of ``dest`` sees the old file or the complete new one, never a partial download.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import contextlib
import fcntl
import hashlib
import os
import tempfile

CHUNK = 1024 * 1024


def sha256_file(path):
    """Hex SHA-256 of a file, or None when it does not exist."""
    if not os.path.isfile(path):
        return None
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(CHUNK), b''):
            digest.update(block)
    return digest.hexdigest()


def atomic_write(dest, chunks, mode=0o644):
    """Write the byte chunks to ``dest`` atomically; return (changed, sha256, size).

    When the result is identical to the existing file the file is left untouched and changed is False.
    On any error the temporary file is removed and ``dest`` is unchanged.
    """
    dest = os.path.abspath(os.path.expanduser(dest))
    directory = os.path.dirname(dest)
    if not os.path.isdir(directory):
        raise OSError("the directory of dest does not exist: %s" % directory)
    digest = hashlib.sha256()
    size = 0
    handle, temp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(dest), suffix='.part', dir=directory)
    try:
        with os.fdopen(handle, 'wb') as out:
            for chunk in chunks:
                if chunk:
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        checksum = digest.hexdigest()
        if sha256_file(dest) == checksum:
            os.unlink(temp)
            return False, checksum, size
        os.chmod(temp, mode)
        os.rename(temp, dest)
        return True, checksum, size
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def would_change(dest, data):
    """Whether writing ``data`` (bytes) to ``dest`` would change it: the check-mode prediction."""
    return sha256_file(os.path.abspath(os.path.expanduser(dest))) != hashlib.sha256(data).hexdigest()


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

    The file's directory must exist and be writable (the temporary file goes beside it); ``dest`` must not be
    a directory.
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
        return "%s '%s' cannot be written: the directory '%s' does not exist" % (what, dest, directory)
    return _writable_dir(directory, what, dest)


def dir_dest_problem(dest, what='dest'):
    """Why files cannot be written into the directory ``dest``, created when missing (None when they can)."""
    if '\0' in dest:
        return '%s contains a NUL byte' % what
    path = os.path.abspath(os.path.expanduser(dest))
    if os.path.lexists(path) and not os.path.isdir(path):
        return "%s '%s' is a file, not a directory" % (what, dest)
    return _writable_dir(_first_existing(path), what, dest)
