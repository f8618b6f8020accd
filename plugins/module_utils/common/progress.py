# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress of a long task, kept current in a small JSON file that M(mas.dedicated.job_progress) reads.

A module's stdout reaches Ansible only when it ends, so a module run with ``async`` writes what it has done so
far to ``progress_file`` (atomically: a reader never sees half a file), at most once a second. The line shown to
the user is formatted here too (``progress_line``), so the module and the action plugin agree on it.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import tempfile
import threading
import time

from ansible_collections.mas.dedicated.plugins.module_utils.common import interrupts

MIB = 1024 * 1024


class Progress:
    """Counts of done work (items and bytes) written to ``path``; does nothing when ``path`` is None.

    Progress is a courtesy: a file that cannot be written is given up with one call of ``warn`` and the task goes
    on. Thread-safe: parallel transfers add to the same counts. ``clock`` is injectable for tests.
    """

    def __init__(self, path, what, total=None, total_bytes=None, unit='files', every=1.0, clock=time.monotonic,
                 warn=None):
        self.path = path
        self.warn = warn
        self.what = what
        self.unit = unit
        self.total = total
        self.total_bytes = total_bytes
        self.done = 0
        self.bytes = 0
        self.every = every
        self.clock = clock
        self.started = clock()
        self._written = None
        self._lock = threading.Lock()
        self.write(force=True)

    def add(self, items=0, nbytes=0):
        with self._lock:
            self.done += items
            self.bytes += nbytes
        self.write()

    def add_bytes(self, nbytes):
        self.add(nbytes=nbytes)

    def set(self, done=None, total=None):
        with self._lock:
            if done is not None:
                self.done = done
            if total is not None:
                self.total = total
        self.write()

    def status(self, finished=False):
        elapsed = max(self.clock() - self.started, 1e-6)
        return {'what': self.what, 'unit': self.unit, 'done': self.done, 'total': self.total,
                'bytes': self.bytes, 'total_bytes': self.total_bytes, 'elapsed': round(elapsed, 3),
                'bytes_per_second': round(self.bytes / elapsed, 1), 'finished': finished,
                'updated': time.time()}

    def write(self, force=False, finished=False):
        if not self.path:
            return
        now = self.clock()
        with self._lock:
            if not force and self._written is not None and now - self._written < self.every:
                return
            self._written = now
            status = self.status(finished)
        try:
            write_status(self.path, status)
        except (OSError, ValueError) as exc:
            path, self.path = self.path, None
            if self.warn:
                self.warn('progress_file %s cannot be written (%s); the task goes on without it' % (path, exc))

    def finish(self):
        self.write(force=True, finished=True)


def write_status(path, status):
    """Write ``status`` as JSON to ``path`` through a temporary file and a rename."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix='.progress.', dir=directory)
    try:
        with interrupts.temporary(temp):  # removed too if the module is stopped meanwhile
            with os.fdopen(handle, 'w') as stream:
                json.dump(status, stream)
            os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def progress_line(status):
    """'412 of 1,000 files, 96 MiB of 200 MiB, 38.0 MiB/s' from a status dict (pure)."""
    if not status:
        return 'starting'
    unit = status.get('unit') or 'items'
    done = status.get('done') or 0
    total = status.get('total')
    parts = ['{0:,} of {1:,} {2}'.format(done, total, unit) if total is not None else '{0:,} {1}'.format(done, unit)]
    nbytes = status.get('bytes') or 0
    if nbytes or status.get('total_bytes'):
        if status.get('total_bytes'):
            parts.append('%s of %s' % (_size(nbytes), _size(status['total_bytes'])))
        else:
            parts.append(_size(nbytes))
        parts.append('%.1f MiB/s' % ((status.get('bytes_per_second') or 0) / MIB))
    parts.append('%ds' % int(status.get('elapsed') or 0))
    return ', '.join(parts)


def _size(nbytes):
    if nbytes >= 1024 * MIB:
        return '%.1f GiB' % (nbytes / 1024.0 / MIB)
    return '%d MiB' % (nbytes // MIB) if nbytes >= MIB else '%d KiB' % (nbytes // 1024)
