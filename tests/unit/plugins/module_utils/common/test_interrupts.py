# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Temporary files and interruptions: stale parts removed (live ones kept), SIGTERM and a dead caller end cleanly.

The signal and parent tests run real processes: a child that arms the handlers and holds a temporary file, and
the process tree Ansible uses (caller -> session leader -> /bin/sh -> module).
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import fcntl
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common import interrupts
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import atomic_write, remove_stale_parts

pytestmark = pytest.mark.skipif(not os.path.exists('/proc/self/stat'), reason='needs Linux /proc')

CHILD = textwrap.dedent('''
    import os, sys, time
    from ansible_collections.mas.dedicated.plugins.module_utils.common import interrupts
    from ansible_collections.mas.dedicated.plugins.module_utils.common.files import temporary_beside
    dest, ready = sys.argv[1], sys.argv[2]
    with interrupts.armed():
        with temporary_beside(dest) as (handle, temp):
            os.write(handle, b'x' * 4096)
            with open(ready, 'w') as out:
                out.write('%d %s' % (os.getpid(), temp))
            time.sleep(60)
    print('not interrupted')
''')


def _env():
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))


def _wait_for(path, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path):
            return open(path).read()
        time.sleep(0.05)
    raise AssertionError('%s never appeared' % path)


def _alive(pid):
    found = interrupts._stat(pid)  # pylint: disable=protected-access
    return found is not None and found[0] not in ('Z', 'X')


def _gone_within(pid, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_stale_parts_are_removed_and_live_ones_kept(tmp_path):
    dest = str(tmp_path / 'big.bin')
    stale = tmp_path / '.big.bin.ab12cd_3.part'
    live = tmp_path / '.big.bin.zz99yy88.part'
    other = tmp_path / '.big.bin.old.ab12cd34.part'  # the part of 'big.bin.old', not of 'big.bin'
    for path in (stale, live, other):
        path.write_bytes(b'partial')
    holder = os.open(str(live), os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        assert remove_stale_parts(dest) == [str(stale)]
    finally:
        os.close(holder)
    assert not stale.exists() and live.exists() and other.exists()
    # Once its writer is gone (the kernel drops the lock), the next run removes it.
    assert remove_stale_parts(dest) == [str(live)]


def test_atomic_write_removes_a_stale_part_and_leaves_no_temporary(tmp_path):
    (tmp_path / '.out.txt.qwerty12.part').write_bytes(b'left by a killed run')
    assert atomic_write(str(tmp_path / 'out.txt'), [b'hello'])[0]
    assert sorted(os.listdir(str(tmp_path))) == ['out.txt']


def test_sigterm_removes_the_temporary_file_and_fails_clearly(tmp_path):
    ready = str(tmp_path / 'ready')
    child = subprocess.Popen([sys.executable, '-c', CHILD, str(tmp_path / 'dest.bin'), ready], env=_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        pid, temp = _wait_for(ready).split(' ', 1)
        assert os.path.exists(temp)
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 128 + signal.SIGTERM, err
    result = json.loads(out.decode())
    assert result['failed'] and 'interrupted by SIGTERM' in result['msg'] and temp in result['msg']
    assert not os.path.exists(temp)
    assert sorted(os.listdir(str(tmp_path))) == ['ready']


CALLER = textwrap.dedent('''
    import subprocess, sys, time
    # Like ansible-playbook starting a worker that makes itself a session leader and runs /bin/sh -c 'module'.
    leader = subprocess.Popen([sys.executable, '-c',
                               'import subprocess, sys; subprocess.call(sys.argv[1:])',
                               '/bin/sh', '-c', '"$0" -c "$1" "$2" "$3" && sleep 0'] + sys.argv[1:],
                              start_new_session=True)
    with open(sys.argv[-1] + '.leader', 'w') as out:
        out.write(str(leader.pid))
    time.sleep(60)
''')


def test_a_module_whose_caller_dies_stops_and_removes_its_temporary_file(tmp_path):
    ready = str(tmp_path / 'ready')
    caller = subprocess.Popen([sys.executable, '-c', CALLER, sys.executable, CHILD, str(tmp_path / 'dest.bin'), ready],
                              env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    leader = None
    try:
        pid, temp = _wait_for(ready).split(' ', 1)
        pid = int(pid)
        leader = int(_wait_for(ready + '.leader'))
        assert os.getsid(pid) == leader  # the module's direct parent (sh) and the leader both outlive the caller
        caller.kill()
        caller.wait()
        assert _gone_within(pid, 10), 'the module kept running after its caller died'
        assert not os.path.exists(temp)
    finally:
        if caller.poll() is None:
            caller.kill()
        for stray in ([leader] if leader else []) + [int(_wait_for(ready).split(' ')[0])]:
            if _alive(stray):
                os.kill(stray, signal.SIGKILL)


def test_ancestors_reach_the_parent_of_the_session_leader():
    chain = interrupts.ancestors()
    assert chain and chain[0][0] == os.getppid()
    assert interrupts.gone(chain, os.getppid()) is None
    assert interrupts.gone([(os.getppid(), 'another start time')], os.getppid()) == os.getppid()
