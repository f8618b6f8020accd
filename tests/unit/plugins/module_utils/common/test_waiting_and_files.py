# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import threading
import time

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.files import atomic_write, directory_lock, sha256_file, would_change
from ansible_collections.mas.dedicated.plugins.module_utils.common.waiting import WaitTimeout, poll
from ansible_collections.mas.dedicated.tests.unit.fake_clock import FakeClock


def test_poll_returns_the_first_good_answer():
    clock = FakeClock()
    answers = iter([None, None, 'done'])
    value, polls, seconds = poll(lambda: next(answers), 'x', timeout=60, interval=5, sleep=clock.sleep, clock=clock)
    assert (value, polls, seconds) == ('done', 3, 10.0)


def test_poll_never_waits_past_the_timeout():
    clock = FakeClock()
    with pytest.raises(WaitTimeout, match='timed out after 12s .* waiting for the log'):
        poll(lambda: None, 'the log', timeout=12, interval=5, sleep=clock.sleep, clock=clock)
    assert clock.sleeps == [5, 5, 2]


def test_atomic_write_creates_then_is_idempotent(tmp_path):
    dest = str(tmp_path / 'out.log')
    assert atomic_write(dest, [b'abc', b'def'])[0] is True
    changed, checksum, size = atomic_write(dest, [b'abcdef'])
    assert changed is False and size == 6 and checksum == sha256_file(dest)
    assert not would_change(dest, b'abcdef') and would_change(dest, b'x')
    assert os.listdir(str(tmp_path)) == ['out.log']


def test_interrupted_stream_leaves_no_file_and_no_temp(tmp_path):
    dest = str(tmp_path / 'big.log')

    def chunks():
        yield b'first part'
        raise IOError('connection cut')

    with pytest.raises(IOError):
        atomic_write(dest, chunks())
    assert os.listdir(str(tmp_path)) == []


def test_interrupted_stream_keeps_the_old_file(tmp_path):
    dest = tmp_path / 'keep.log'
    dest.write_bytes(b'old')

    def chunks():
        yield b'new'
        raise IOError('cut')

    with pytest.raises(IOError):
        atomic_write(str(dest), chunks())
    assert dest.read_bytes() == b'old' and os.listdir(str(tmp_path)) == ['keep.log']


def test_missing_parent_directories_are_created(tmp_path):
    """The integrity_checker example writes into reports/ of the playbook directory, which need not exist yet."""
    dest = tmp_path / 'reports' / 'dev' / 'x.log'
    assert atomic_write(str(dest), [b'x'])[0]
    assert dest.read_bytes() == b'x'


class FakeModule:
    """What atomic_write needs of an AnsibleModule: params and atomic_move (recorded, with the umask it ran under)."""

    def __init__(self, **params):
        self.params = params
        self.moves = []

    def atomic_move(self, src, dest, unsafe_writes=False):
        umask = os.umask(0)
        os.umask(umask)
        self.moves.append((os.path.dirname(src) == os.path.dirname(dest), unsafe_writes, umask))
        os.rename(src, dest)


def test_the_final_move_is_the_modules_atomic_move(tmp_path):
    module = FakeModule(unsafe_writes=True)
    dest = tmp_path / 'report.log'
    assert atomic_write(str(dest), [b'new'], module=module)[0]
    assert module.moves == [(True, True, module.moves[0][2])]  # from a temporary file in the same directory
    assert dest.read_bytes() == b'new' and oct(os.stat(str(dest)).st_mode & 0o777) == oct(0o644)
    assert os.listdir(str(tmp_path)) == ['report.log']
    # Unchanged content: no move at all.
    assert not atomic_write(str(dest), [b'new'], module=module)[0] and len(module.moves) == 1


def test_a_private_file_is_never_readable_by_others(tmp_path):
    """atomic_move gives a new file the umask's mode for a moment: for mode 0600 the umask is 077 around it."""
    module = FakeModule()
    dest = tmp_path / 'rclone.conf'
    old = os.umask(0o022)
    try:
        atomic_write(str(dest), [b'secret'], mode=0o600, module=module)
        after = os.umask(0o022)
    finally:
        os.umask(old)
    assert module.moves[0][2] == 0o077 and after == 0o022
    assert os.stat(str(dest)).st_mode & 0o777 == 0o600


def test_directory_lock_serialises_read_modify_write(tmp_path):
    # Twenty writers append their line through read, pause, atomic replace: without the lock most lines are lost.
    target = tmp_path / 'conf' / 'rclone.conf'

    def writer(number):
        with directory_lock(str(target)):
            text = target.read_text() if target.exists() else ''
            time.sleep(0.01)
            atomic_write(str(target), [(text + 'remote%02d\n' % number).encode()], mode=0o600)
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(target.read_text().split()) == ['remote%02d' % n for n in range(20)]
    assert list(p.name for p in target.parent.iterdir()) == ['rclone.conf']
