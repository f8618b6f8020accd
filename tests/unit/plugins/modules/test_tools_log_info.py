# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools_log_info through main(): listing, one log's text, the download to dest, against the in-process sandbox."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os

from ansible_collections.mas.dedicated.plugins.modules import tools_log_info

OLD = 'icheckerreport20260101000000000.log'


def args(sandbox, **extra):
    result = {'instance': 'acme', 'production': False, 'api_key': sandbox.api_key,
              'tools_url': sandbox.url + '/toolsapi'}
    result.update(extra)
    return result


def test_dest_needs_a_name(run_module, no_network, tmp_path):
    outcome = run_module(tools_log_info, {'instance': 'acme', 'production': False, 'api_key': 'k' * 20,
                                          'dest': str(tmp_path / 'x.log')})
    assert outcome.failed and 'dest' in outcome.result['msg'] and 'name' in outcome.result['msg']


def test_production_is_refused_without_a_request(run_module, sandbox):
    outcome = run_module(tools_log_info, args(sandbox, production=True))
    assert outcome.failed and outcome.result['refused'] and sandbox.sent() == []


def test_the_logs_are_listed(run_module, sandbox):
    outcome = run_module(tools_log_info, args(sandbox))
    assert not outcome.failed and not outcome.result['changed']
    assert [entry['name'] for entry in outcome.result['logs']] == [OLD]
    assert 'content' not in outcome.result


def test_newer_than_filters_the_old_log_out(run_module, sandbox):
    outcome = run_module(tools_log_info, args(sandbox, newer_than='1d'))
    assert not outcome.failed and outcome.result['logs'] == []


def test_latest_returns_the_text(run_module, sandbox):
    outcome = run_module(tools_log_info, args(sandbox, name='latest'))
    assert not outcome.failed and outcome.result['log']['name'] == OLD
    assert 'Integrity Checker completed: 3 errors, 1 warnings.' in outcome.result['content']


def test_an_unknown_name_fails_naming_the_filter(run_module, sandbox):
    outcome = run_module(tools_log_info, args(sandbox, name='nope.log', pattern='icheck*'))
    assert outcome.failed and "no tools log named 'nope.log' matches (pattern=icheck*" in outcome.result['msg']
    assert [e['name'] for e in outcome.result['logs']] == [OLD]


def test_download_check_apply_check(run_module, sandbox, tmp_path):
    dest = str(tmp_path / 'logs' / 'old.log')
    check = run_module(tools_log_info, args(sandbox, name=OLD, dest=dest, _ansible_check_mode=True))
    assert not check.failed and check.result['written'] and not os.path.exists(dest)
    apply = run_module(tools_log_info, args(sandbox, name=OLD, dest=dest))
    assert not apply.failed and apply.result['written']
    with open(dest, 'rb') as handle:
        data = handle.read()
    assert apply.result['sha256'] == hashlib.sha256(data).hexdigest() and apply.result['size'] == len(data)
    assert b'BMXAA0354I' in data
    again = run_module(tools_log_info, args(sandbox, name=OLD, dest=dest, _ansible_check_mode=True))
    assert not again.result['written']
