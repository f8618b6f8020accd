# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""manage_server through main(): stop / start / restart of the sandbox's Manage pods, check mode and diff."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.modules import manage_server


def args(sandbox, **extra):
    result = {'instance': 'acme', 'production': False, 'api_key': sandbox.api_key,
              'tools_url': sandbox.url + '/toolsapi', 'manage_url': sandbox.url, 'poll_interval': 0.1,
              'wait_timeout': 30}
    result.update(extra)
    return result


def phase(sandbox):
    return sandbox.app.component('manage').current()


def test_state_is_required(run_module, no_network):
    outcome = run_module(manage_server, {'instance': 'acme', 'production': False, 'api_key': 'k' * 20})
    assert outcome.failed and 'missing required arguments: state' in outcome.result['msg']


def test_production_stop_is_refused_without_even_a_probe(run_module, sandbox):
    outcome = run_module(manage_server, args(sandbox, state='stopped', production=True))
    assert outcome.failed and outcome.result['refused'] and sandbox.sent() == []
    assert phase(sandbox) == 'running'


def test_started_when_running_is_unchanged(run_module, sandbox):
    outcome = run_module(manage_server, args(sandbox, state='started'))
    assert not outcome.failed and not outcome.result['changed'] and outcome.result['actions'] == []
    assert outcome.result['state'] == 'running' and sandbox.sent('POST') == []


def test_stop_in_check_mode_predicts_with_a_diff_and_stops_nothing(run_module, sandbox):
    outcome = run_module(manage_server, args(sandbox, state='stopped', _ansible_check_mode=True, _ansible_diff=True))
    assert not outcome.failed and outcome.result['changed'] and outcome.result['state'] == 'down'
    assert outcome.result['diff'] == {'before': {'manage': 'running'}, 'after': {'manage': 'down'}}
    assert sandbox.sent('POST') == [] and phase(sandbox) == 'running'


def test_stop_then_stop_again_then_start(run_module, sandbox):
    stop = run_module(manage_server, args(sandbox, state='stopped'))
    assert not stop.failed and stop.result['changed'] and stop.result['state'] == 'down'
    assert phase(sandbox) in ('stopping', 'stopped')  # the probe already answers 503 while the pods stop
    again = run_module(manage_server, args(sandbox, state='stopped'))
    assert not again.result['changed'] and again.result['before'] == 'down'
    start = run_module(manage_server, args(sandbox, state='started'))
    assert start.result['changed'] and start.result['state'] == 'running' and phase(sandbox) == 'running'
    posts = [p for m, p in sandbox.sent('POST') if not p.endswith('getbuildstatus')]
    assert posts == ['/toolsapi/toolservice/managestop', '/toolsapi/toolservice/managestart']


def test_restart_stops_then_starts(run_module, sandbox):
    outcome = run_module(manage_server, args(sandbox, state='restarted'))
    assert not outcome.failed and outcome.result['changed'] and outcome.result['state'] == 'running'
    assert len(outcome.result['actions']) == 2 and phase(sandbox) == 'running'
