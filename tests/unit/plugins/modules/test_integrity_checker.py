# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""integrity_checker through main(): option checks, the guard, report / repair against the in-process sandbox."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

from ansible_collections.mas.dedicated.plugins.modules import integrity_checker


def args(sandbox, **extra):
    result = {'instance': 'acme', 'production': False, 'api_key': sandbox.api_key,
              'tools_url': sandbox.url + '/toolsapi', 'manage_url': sandbox.url, 'poll_interval': 0.1,
              'wait_timeout': 30}
    result.update(extra)
    return result


def test_negative_completion_polls_fail_before_any_request(run_module, no_network):
    outcome = run_module(integrity_checker, {'instance': 'acme', 'production': False, 'api_key': 'k' * 20,
                                             'completion_polls': -1})
    assert outcome.failed and outcome.result['msg'].startswith('completion_polls must be between 0 and 1000')


def test_an_unknown_mode_is_refused_by_the_spec(run_module, no_network):
    outcome = run_module(integrity_checker, {'instance': 'acme', 'production': False, 'api_key': 'k' * 20,
                                             'mode': 'fix'})
    assert outcome.failed and 'mode' in outcome.result['msg'] and 'report, repair' in outcome.result['msg']


def test_production_repair_is_refused_without_a_request(run_module, sandbox):
    outcome = run_module(integrity_checker, args(sandbox, production=True, mode='repair'))
    assert outcome.failed and outcome.result['refused'] and sandbox.sent() == []
    assert sandbox.api_key not in repr(outcome.result)


def test_report_counts_the_problems_and_changes_nothing(run_module, sandbox):
    outcome = run_module(integrity_checker, args(sandbox))
    assert not outcome.failed, outcome.result['msg'] if outcome.failed else ''
    assert not outcome.result['changed'] and outcome.result['mode'] == 'report'
    assert outcome.result['summary']['errors'] == 3 and outcome.result['summary']['warnings'] == 1
    assert outcome.result['log']['name'].startswith('icheckerreport') and 'BMXAA0491E' in outcome.result['content']
    assert sandbox.app.component('tools').view()['integrity_errors'] == 3
    assert sandbox.api_key not in repr(outcome.result)


def test_repair_in_check_mode_predicts_from_a_report_and_repairs_nothing(run_module, sandbox):
    outcome = run_module(integrity_checker, args(sandbox, mode='repair', _ansible_check_mode=True))
    assert not outcome.failed and outcome.result['changed'] and outcome.result['repair_needed']
    assert outcome.result['precheck']['summary']['errors'] == 3
    assert ('POST', '/toolsapi/toolservice/icheckerrepair') not in sandbox.sent('POST')
    assert sandbox.app.component('tools').view()['integrity_errors'] == 3


def test_repair_then_repair_again_is_idempotent(run_module, sandbox):
    first = run_module(integrity_checker, args(sandbox, mode='repair'))
    assert not first.failed and first.result['changed'] and first.result['log']['name'].startswith('icheckerrepair')
    assert sandbox.app.component('tools').view()['integrity_errors'] == 0
    again = run_module(integrity_checker, args(sandbox, mode='repair'))
    assert not again.failed and not again.result['changed'] and not again.result['repair_needed']
    repairs = [p for m, p in sandbox.sent('POST') if p.endswith('icheckerrepair')]
    assert len(repairs) == 1


def test_forced_repair_in_check_mode_sends_nothing(run_module, sandbox):
    outcome = run_module(integrity_checker, args(sandbox, mode='repair', force=True, _ansible_check_mode=True))
    assert not outcome.failed and outcome.result['changed'] and 'log' not in outcome.result
    assert sandbox.sent('POST') == []


def test_dest_is_written_once_and_not_in_check_mode(run_module, sandbox, tmp_path):
    dest = str(tmp_path / 'report.log')
    check = run_module(integrity_checker, args(sandbox, dest=dest, return_content=False, _ansible_check_mode=True))
    assert not check.failed and check.result['changed'] and not os.path.exists(dest)
    assert 'content' not in check.result
    first = run_module(integrity_checker, args(sandbox, dest=dest, return_content=False))
    assert first.result['changed'] and 'BMXAA0356I' in open(dest).read()
    assert first.result['dest'] == dest


def test_a_wrong_key_is_a_clear_failure_without_the_key(run_module, sandbox):
    outcome = run_module(integrity_checker, args(sandbox, api_key='wrong-key-abcdef0123'))
    assert outcome.failed and 'HTTP 401' in outcome.result['msg']
    assert 'wrong-key-abcdef0123' not in repr(outcome.result)
