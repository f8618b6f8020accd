# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interrupt a real cos_object download run by a real `ansible` and report what is left: JSON on stdout.

    interrupt_download.py SCENARIO PARAMS_JSON_FILE

The object's GETs are slowed by a sandbox latency fault, so the download is under way (its temporary file
exists) when the test acts. Scenarios:

- ``term``: SIGTERM to the module process (what Ansible's worker passes on when ansible-playbook gets SIGTERM);
- ``orphan``: SIGKILL to the ``ansible`` process itself: its worker (a session of its own) is not told, so only
  the module can notice that its caller is gone;
- ``kill``: SIGKILL to the module process, which can clean nothing up: the next run must.

Only processes this script started are signalled, each by its pid. The script is a child subreaper, so the
orphaned worker and module stay its children and are reaped (and, if still alive at the end, killed) here.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def _stat(pid):
    try:
        with open('/proc/%d/stat' % pid) as handle:
            text = handle.read()
    except (IOError, OSError):
        return None
    fields = text[text.rindex(')') + 2:].split()
    return fields[0], int(fields[1])


def alive(pid):
    found = _stat(pid)
    return found is not None and found[0] not in ('Z', 'X')


def descendants(root):
    children = {}
    for name in os.listdir('/proc'):
        if name.isdigit():
            found = _stat(int(name))
            if found:
                children.setdefault(found[1], []).append(int(name))
    result, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            result.append(child)
            todo.append(child)
    return result


def holder_of(pids, pattern):
    """The pid among ``pids`` that has a file matching ``pattern`` open, with that file's path."""
    for pid in pids:
        try:
            fds = os.listdir('/proc/%d/fd' % pid)
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink('/proc/%d/fd/%s' % (pid, fd))
            except OSError:
                continue
            if pattern.search(target):
                return pid, target
    return None, None


def reap(pids):
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


def wait_gone(pid, seconds, others=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        reap(others)
        if not alive(pid):
            return True
        time.sleep(0.1)
    return not alive(pid)


def parts(directory, name):
    pattern = re.compile(r'^\.%s\.[a-z0-9_]{8}\.part$' % re.escape(name))
    return sorted(os.path.join(directory, n) for n in os.listdir(directory) if pattern.match(n))


def main():
    scenario, params_file = sys.argv[1], sys.argv[2]
    with open(params_file) as handle:
        params = json.load(handle)
    dest = params['dest']
    directory, name = os.path.dirname(dest), os.path.basename(dest)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    ansible = shutil.which('ansible')
    command = [ansible, 'localhost', '-i', 'localhost,', '-c', 'local', '-m', 'mas.dedicated.cos_object',
               '-a', json.dumps(dict(params, mode='get'))]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                            env=dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_PYTHON_INTERPRETER=sys.executable))
    report = {'scenario': scenario}
    acted = None
    part = re.compile(r'/\.%s\.[a-z0-9_]{8}\.part$' % re.escape(name))
    module = None
    deadline = time.monotonic() + 60
    while module is None and time.monotonic() < deadline and proc.poll() is None:
        module, report['part'] = holder_of(descendants(proc.pid), part)
        time.sleep(0.1)
    started = descendants(proc.pid)
    report['download_started'] = module is not None
    try:
        if module is None:
            proc.kill()
        elif scenario == 'term':
            acted = time.monotonic()
            os.kill(module, signal.SIGTERM)
            report['module_stopped'] = wait_gone(module, 15, started)
        elif scenario == 'orphan':
            acted = time.monotonic()
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            report['ansible_killed'] = True
            report['module_stopped'] = wait_gone(module, 15, started)
        elif scenario == 'kill':
            acted = time.monotonic()
            os.kill(module, signal.SIGKILL)
            report['module_stopped'] = wait_gone(module, 15, started)
        if acted is not None:
            report['stopped_after'] = round(time.monotonic() - acted, 2)
        if scenario != 'orphan':
            proc.wait(timeout=30)
    finally:
        # Whatever this script started and is still there (the orphaned worker, or a module that did not stop).
        for pid in started:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        for pid in started:
            wait_gone(pid, 5, started)
        if proc.poll() is None:
            proc.kill()
        report['output'] = proc.communicate(timeout=30)[0].decode('utf-8', 'replace')[-3000:]
    report['parts_left'] = parts(directory, name)
    report['dest_exists'] = os.path.exists(dest)
    print(json.dumps(report))


if __name__ == '__main__':
    main()
