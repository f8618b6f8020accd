# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""job_progress (an action plugin: plugins/modules/job_progress.py is its documentation) through its run().

What it asks the host (async_status, slurp) is answered from a real progress file a module wrote with
module_utils/progress.py; only the connection is left out. The full round trip is the job_progress integration
target.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
from unittest import mock

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.mas.dedicated.plugins.action import job_progress
from ansible_collections.mas.dedicated.plugins.module_utils.common.progress import Progress


def action(args, statuses, tmp_path):
    """The action with ``statuses`` as the successive async_status answers; ``calls`` records every module run."""
    task = mock.MagicMock(args=args, async_val=0, check_mode=False, diff=False)
    plugin = job_progress.ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None,
                                       shared_loader_obj=None)
    plugin.calls = []
    answers = list(statuses)

    def execute(module_name, module_args, task_vars):
        plugin.calls.append((module_name, dict(module_args)))
        if module_name == 'ansible.legacy.slurp':
            try:
                with open(module_args['src'], 'rb') as handle:
                    return {'content': base64.b64encode(handle.read()).decode('ascii'), 'encoding': 'base64'}
            except IOError:
                return {'failed': True, 'msg': 'file not found'}
        if module_args['mode'] == 'cleanup':
            return {'erased': module_args['jid']}
        return answers.pop(0) if len(answers) > 1 else answers[0]
    plugin._execute_module = execute
    plugin._remote_expand_user = lambda path, sudoable=True: str(tmp_path / 'async')
    plugin.get_shell_option = lambda name, default=None: default
    return plugin


@pytest.fixture
def lines(monkeypatch):
    shown = []
    monkeypatch.setattr(job_progress.display, 'display', lambda msg, *a, **k: shown.append(msg))
    monkeypatch.setattr(job_progress.time, 'sleep', lambda seconds: None)
    return shown


RUNNING = {'started': 1, 'finished': 0, 'ansible_job_id': 'j1'}
DONE = {'started': 1, 'finished': 1, 'ansible_job_id': 'j1', 'changed': True, 'counts': {'upload': 3},
        'results_file': '/x', 'stdout': '', 'invocation': {'module_args': {}}}


@pytest.mark.parametrize('name,value', [('interval', 0.1), ('interval', 301), ('timeout', 0.5)])
def test_out_of_range_interval_or_timeout_fail_before_asking_the_host(tmp_path, lines, name, value):
    plugin = action({'jid': 'j1', name: value}, [RUNNING], tmp_path)
    with pytest.raises(AnsibleActionFail, match='%s must be between' % name):
        plugin.run(task_vars={})
    assert plugin.calls == []


def test_the_job_result_comes_back_with_the_last_progress_and_the_job_is_cleaned(tmp_path, lines):
    path = str(tmp_path / 'sync.progress')
    progress = Progress(path, 'cos_sync upload', total=3, unit='files')
    progress.add(1)
    progress.write(force=True)
    plugin = action({'jid': 'j1', 'progress_file': path, 'interval': 0.5}, [RUNNING, RUNNING, DONE], tmp_path)
    result = plugin.run(task_vars={'inventory_hostname': 'acme-dev'})
    assert result['changed'] and result['counts'] == {'upload': 3}
    for key in ('started', 'finished', 'results_file', 'stdout', 'invocation', 'ansible_job_id'):
        assert key not in result
    assert result['progress']['what'] == 'cos_sync upload'
    assert lines and all(line.startswith('acme-dev: cos_sync upload: ') for line in lines)
    assert len(lines) == 1  # the same line is not printed twice
    assert plugin.calls[-1] == ('ansible.legacy.async_status', {'jid': 'j1', 'mode': 'cleanup',
                                                                '_async_dir': str(tmp_path / 'async')})


def test_without_a_progress_file_it_says_still_running(tmp_path, lines):
    plugin = action({'jid': 'j1', 'cleanup': False, 'interval': 0.5}, [RUNNING, DONE], tmp_path)
    result = plugin.run(task_vars={'inventory_hostname': 'h'})
    assert result['progress'] is None and lines and lines[0].startswith('h: job j1: ')
    assert not [c for c in plugin.calls if c[1].get('mode') == 'cleanup']


def test_a_failed_job_fails_the_task(tmp_path, lines):
    failed = dict(DONE, failed=True, msg='cos_sync: access denied')
    result = action({'jid': 'j1', 'interval': 0.5}, [failed], tmp_path).run(task_vars={})
    assert result['failed'] and result['msg'] == 'cos_sync: access denied'


def test_an_unknown_job_fails_at_once(tmp_path, lines):
    plugin = action({'jid': 'nope'}, [{'failed': True, 'msg': 'could not find job', 'started': 0, 'finished': 0}],
                    tmp_path)
    with pytest.raises(AnsibleActionFail, match='could not find job'):
        plugin.run(task_vars={})


def test_the_timeout_leaves_the_job_running(tmp_path, lines, monkeypatch):
    clock = iter(range(0, 10000, 5))
    monkeypatch.setattr(job_progress.time, 'monotonic', lambda: float(next(clock)))
    plugin = action({'jid': 'j1', 'interval': 1, 'timeout': 12}, [RUNNING], tmp_path)
    with pytest.raises(AnsibleActionFail, match='job j1 is still running after 12.0s'):
        plugin.run(task_vars={})
    assert not [c for c in plugin.calls if c[1].get('mode') == 'cleanup']
