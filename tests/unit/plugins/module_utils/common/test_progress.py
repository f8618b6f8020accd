# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import threading

from ansible_collections.mas.dedicated.plugins.module_utils.common.progress import MIB, Progress, progress_line
from ansible_collections.mas.dedicated.tests.unit.fake_clock import FakeClock


def _read(path):
    with open(path) as handle:
        return json.load(handle)


def test_progress_is_written_at_most_once_a_second_and_at_the_end(tmp_path):
    clock = FakeClock(100.0)
    path = str(tmp_path / 'p.json')
    progress = Progress(path, 'cos_sync upload', total=3, total_bytes=3 * MIB, clock=clock)
    assert _read(path)['done'] == 0
    progress.add(1, MIB)
    assert _read(path)['done'] == 0, 'a second write within a second is skipped'
    clock.now += 1.5
    progress.add(1, MIB)
    status = _read(path)
    assert (status['done'], status['bytes'], status['finished']) == (2, 2 * MIB, False)
    assert status['bytes_per_second'] == round(2 * MIB / 1.5, 1)
    progress.add(1, MIB)
    progress.finish()
    status = _read(path)
    assert (status['done'], status['total'], status['finished']) == (3, 3, True)
    assert os.listdir(str(tmp_path)) == ['p.json'], 'no temporary file is left behind'


def test_without_a_path_nothing_is_written(tmp_path):
    progress = Progress(None, 'x', total=1)
    progress.add(1)
    progress.finish()
    assert os.listdir(str(tmp_path)) == []


def test_parallel_adds_are_all_counted(tmp_path):
    progress = Progress(str(tmp_path / 'p.json'), 'x', total=800, every=0)
    threads = [threading.Thread(target=lambda: [progress.add(1, 10) for dummy in range(100)]) for dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    progress.finish()
    status = _read(str(tmp_path / 'p.json'))
    assert (status['done'], status['bytes']) == (800, 8000)


def test_progress_line():
    assert progress_line(None) == 'starting'
    status = {'unit': 'files', 'done': 412, 'total': 1000, 'bytes': 96 * MIB, 'total_bytes': 200 * MIB,
              'bytes_per_second': 38 * MIB, 'elapsed': 24.7}
    assert progress_line(status) == '412 of 1,000 files, 96 MiB of 200 MiB, 38.0 MiB/s, 24s'
    assert progress_line({'unit': 'users synchronised', 'done': 3, 'total': None, 'elapsed': 5}) == \
        '3 users synchronised, 5s'
    assert progress_line({'unit': 'objects', 'done': 0, 'total': 1, 'bytes': 3 * 1024 * MIB, 'total_bytes': 4096 * MIB,
                          'bytes_per_second': 0, 'elapsed': 1}) == '0 of 1 objects, 3.0 GiB of 4.0 GiB, 0.0 MiB/s, 1s'


def test_a_progress_file_that_cannot_be_written_is_given_up_with_one_warning(tmp_path):
    warnings = []
    progress = Progress(str(tmp_path / 'missing-dir' / 'p.json'), 'x', total=2, every=0, warn=warnings.append)
    progress.add(1)
    progress.add(1)
    progress.finish()
    assert len(warnings) == 1 and 'cannot be written' in warnings[0]
    assert progress.done == 2
