# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stopping cleanly: temporary files removed when the module is told to stop, and no module outliving its caller.

Ansible runs a module as ``ansible-playbook -> worker -> /bin/sh -c 'python ... && sleep 0' -> python``, and the
worker makes itself a session leader (``setsid``). A SIGTERM or SIGINT to ansible-playbook is passed on to the
worker, which passes it to its process group, so the module receives it; Python's default would end the process
at once, leaving a partial download behind. If ansible-playbook is killed outright (SIGKILL), nobody tells the
worker, and the module would run on for as long as its transfer takes.

So, while ``armed``:

- SIGTERM, SIGINT and SIGHUP remove every registered temporary file and end the module with a clear failure;
- a watcher ends the module the same way when one of the processes it depends on is gone: its parent and every
  ancestor up to the parent of its session leader (for Ansible: ``/bin/sh``, the worker and ansible-playbook;
  the direct parent alone is also covered by Linux's ``PR_SET_PDEATHSIG``). Without ``/proc`` only the parent
  is watched (``getppid()`` changes when it dies).

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import contextlib
import json
import os
import signal
import sys
import threading

WATCH_INTERVAL = 1.0
_SIGNALS = ('SIGTERM', 'SIGINT', 'SIGHUP')
_PR_SET_PDEATHSIG = 1

_lock = threading.RLock()
_temps = {}
_state = {'depth': 0, 'previous': {}, 'report': None, 'stop': None, 'pdeathsig': False}


# ---- temporary files ----------------------------------------------------------------------------

def register(path):
    with _lock:
        _temps[path] = True


def unregister(path):
    with _lock:
        _temps.pop(path, None)


@contextlib.contextmanager
def temporary(path):
    """``path`` is removed if the module is stopped while inside the block."""
    register(path)
    try:
        yield path
    finally:
        unregister(path)


def remove_temporaries():
    """Remove every registered temporary file; the paths removed."""
    removed = []
    with _lock:
        for path in list(_temps):
            try:
                os.unlink(path)
                removed.append(path)
            except OSError:
                pass
            _temps.pop(path, None)
    return removed


# ---- ending the module --------------------------------------------------------------------------

def _default_report(msg):
    sys.stdout.write(json.dumps({'failed': True, 'msg': msg, 'interrupted': True}) + '\n')


def terminate(reason, code):
    """Remove the temporary files, report ``reason`` as the module's failure and end the process now.

    ``os._exit``: the transfer threads may be blocked in a read for minutes, and nothing they would do is wanted.
    """
    removed = remove_temporaries()
    msg = '%s: the module stopped before finishing' % reason
    if removed:
        msg += '; the partial file%s %s %s removed' % ('s' if len(removed) > 1 else '', ', '.join(removed),
                                                       'were' if len(removed) > 1 else 'was')
    try:
        (_state['report'] or _default_report)(msg)
    except BaseException:  # pylint: disable=broad-except
        # fail_json ends with sys.exit; a dead parent leaves a broken stdout. Neither may stop the exit.
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # pylint: disable=broad-except
            pass
    os._exit(code)  # pylint: disable=protected-access


def _on_signal(signum, frame):  # pylint: disable=unused-argument
    terminate('interrupted by %s' % signal.Signals(signum).name, 128 + signum)


# ---- the processes the module depends on --------------------------------------------------------

def _stat(pid):
    """(state, ppid, session, start time) of a process from /proc; None when it does not exist."""
    try:
        with open('/proc/%d/stat' % pid) as handle:
            text = handle.read()
    except (IOError, OSError):
        return None
    # The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    fields = text[text.rindex(')') + 2:].split()
    return fields[0], int(fields[1]), int(fields[3]), fields[19]


def ancestors():
    """[(pid, start time)] from the parent up to the parent of the session leader; None without /proc."""
    if not os.path.exists('/proc/self/stat'):
        return None
    session = os.getsid(0)
    chain = []
    pid = os.getppid()
    while pid > 1 and len(chain) < 32:
        found = _stat(pid)
        if found is None:
            break
        chain.append((pid, found[3]))
        if pid == session:
            parent = _stat(found[1]) if found[1] > 1 else None
            if parent is not None:
                chain.append((found[1], parent[3]))
            break
        pid = found[1]
    return chain


def gone(chain, parent):
    """The pid of the first watched process that has died (or been replaced), else None."""
    if chain is None:
        return parent if os.getppid() != parent else None
    for pid, started in chain:
        found = _stat(pid)
        if found is None or found[0] in ('Z', 'X') or found[3] != started:
            return pid
    return None


def _watch(chain, parent, stop):
    while not stop.wait(WATCH_INTERVAL):
        pid = gone(chain, parent)
        if pid is not None:
            terminate('the process that started the module (pid %d) is gone' % pid, 1)


def _prctl_pdeathsig(signum):
    if not sys.platform.startswith('linux'):
        return False
    try:
        import ctypes  # pylint: disable=import-outside-toplevel
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError, ImportError):
        return False


# ---- arming -------------------------------------------------------------------------------------

def _arm(report):
    _state['report'] = report
    previous = {}
    for name in _SIGNALS:
        signum = getattr(signal, name, None)
        if signum is not None:
            previous[signum] = signal.signal(signum, _on_signal)
    _state['previous'] = previous
    parent = os.getppid()
    chain = ancestors()
    _state['pdeathsig'] = _prctl_pdeathsig(signal.SIGTERM)
    stop = threading.Event()
    _state['stop'] = stop
    watcher = threading.Thread(target=_watch, args=(chain, parent, stop), name='mas-parent-watch')
    watcher.daemon = True
    watcher.start()
    if os.getppid() != parent:  # the parent died before the death signal was set
        terminate('the process that started the module (pid %d) is gone' % parent, 1)


def _disarm():
    _state['stop'].set()
    if _state['pdeathsig']:
        _prctl_pdeathsig(0)
    for signum, handler in _state['previous'].items():
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    _state.update(previous={}, report=None, stop=None, pdeathsig=False)


@contextlib.contextmanager
def armed(report=None):
    """Inside the block: signals and a dead caller end the module cleanly (see the module docstring).

    ``report(msg)`` tells the caller (for a module: fail_json); it may raise SystemExit. Handlers can only be set
    from the main thread: elsewhere, and when already armed, the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _lock:
        _state['depth'] += 1
        if _state['depth'] == 1:
            _arm(report)
        elif report is not None and _state['report'] is None:
            _state['report'] = report
    try:
        yield
    finally:
        with _lock:
            _state['depth'] -= 1
            if _state['depth'] == 0:
                _disarm()
