# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""manage_logs through main(): the upload request, waiting for the bundles in the sandbox's Logs bucket, dest."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

from ansible_collections.mas.dedicated.plugins.modules import manage_logs

SUBMIT = ('POST', '/maximo/api/service/logging')


def args(sandbox, **extra):
    s3 = sandbox.app.info['s3']
    logs = s3['buckets']['logs']
    result = {'instance': 'acme', 'production': True, 'api_key': sandbox.api_key, 'manage_url': sandbox.url,
              'bucket': logs['bucket'], 'endpoint_url': s3['endpoint_url'], 'region': s3['region'],
              'access_key_id': logs['access_key_id'], 'secret_access_key': logs['secret_access_key'],
              'poll_interval': 0.1, 'wait_timeout': 30, 'settle_time': 1.0}
    result.update(extra)
    return result


def test_wait_and_dest_need_the_bucket(run_module, no_network, tmp_path):
    wait = run_module(manage_logs, {'instance': 'acme', 'api_key': 'k' * 20, 'wait': True})
    assert wait.failed and 'wait is True but all of the following are missing: bucket' in wait.result['msg']
    dest = run_module(manage_logs, {'instance': 'acme', 'api_key': 'k' * 20, 'dest': str(tmp_path)})
    assert dest.failed and 'dest' in dest.result['msg'] and 'bucket' in dest.result['msg']


def test_check_mode_requests_nothing(run_module, sandbox):
    outcome = run_module(manage_logs, args(sandbox, wait=True, _ansible_check_mode=True))
    assert not outcome.failed and outcome.result['changed'] and 'request_id' not in outcome.result
    assert sandbox.sent() == []


def test_a_request_without_waiting_returns_its_id(run_module, sandbox):
    outcome = run_module(manage_logs, {'instance': 'acme', 'production': True, 'api_key': sandbox.api_key,
                                       'manage_url': sandbox.url})
    assert not outcome.failed and outcome.result['changed'] and outcome.result['request_id']
    assert sandbox.sent('POST') == [SUBMIT] and 'bundles' not in outcome.result


def test_wait_finds_both_bundles_and_dest_gets_them(run_module, sandbox, tmp_path):
    dest = str(tmp_path / 'bundles')
    outcome = run_module(manage_logs, args(sandbox, expected_bundles=2, dest=dest))
    assert not outcome.failed, outcome.result['msg'] if outcome.failed else ''
    bundles = outcome.result['bundles']
    assert len(bundles) == 2 and outcome.result['total_size'] == sum(b['size'] for b in bundles)
    for bundle in bundles:
        assert os.path.getsize(bundle['path']) == bundle['size'] and bundle['path'].startswith(dest + os.sep)
    assert args(sandbox)['secret_access_key'] not in repr(outcome.result)
