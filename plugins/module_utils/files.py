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


def atomic_write(dest, chunks, mode=0o644, module=None):
    """Write the byte chunks to ``dest`` atomically; return (changed, sha256, size).

    When the result is identical to the existing file the file is left untouched and changed is False.
    On any error the temporary file is removed and ``dest`` is unchanged. Missing parent directories are created.
    """
    dest = os.path.abspath(os.path.expanduser(dest))
    directory = os.path.dirname(dest)
    os.makedirs(directory, exist_ok=True)
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
        move_into_place(temp, dest, mode, module)
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
