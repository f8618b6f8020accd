# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cos_object_info through main(): listing and purge dates against the sandbox's S3 (moto)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.modules import cos_object_info


def args(sandbox, kind='custfile', **extra):
    s3 = sandbox.app.info['s3']
    bucket = s3['buckets'][kind]
    result = {'bucket': bucket['bucket'], 'endpoint_url': s3['endpoint_url'], 'region': s3['region'],
              'access_key_id': bucket['access_key_id'], 'secret_access_key': bucket['secret_access_key']}
    result.update(extra)
    return result


def put(sandbox, key, body, kind='custfile'):
    sandbox.app.store.admin.put_object(Bucket=sandbox.app.info['s3']['buckets'][kind]['bucket'], Key=key, Body=body)


def test_bucket_is_required(run_module, no_network):
    outcome = run_module(cos_object_info, {'region': 'us-east'})
    assert outcome.failed and 'missing required arguments: bucket' in outcome.result['msg']


def test_expiring_within_needs_a_purge_period(run_module, sandbox):
    outcome = run_module(cos_object_info, args(sandbox, expiring_within=3))
    assert outcome.failed and outcome.result['msg'] == 'expiring_within needs bucket_kind (custfile or logs) or purge_days'


def test_listing_with_prefix_sizes_and_purge(run_module, sandbox):
    put(sandbox, 'in/a.csv', b'12345')
    put(sandbox, 'in/b.csv', b'123')
    put(sandbox, 'out/c.csv', b'1')
    outcome = run_module(cos_object_info, args(sandbox, prefix='in/', bucket_kind='custfile', expiring_within=15))
    assert not outcome.failed and not outcome.result['changed']
    assert [o['key'] for o in outcome.result['objects']] == ['in/a.csv', 'in/b.csv']
    assert outcome.result['count'] == 2 and outcome.result['total_size'] == 8 and outcome.result['purge_days'] == 15
    assert all(o['days_until_purge'] in (14, 15) for o in outcome.result['objects'])
    assert len(outcome.result['expiring']) == 2
    assert args(sandbox)['secret_access_key'] not in repr(outcome.result)


def test_logs_buckets_purge_after_30_days(run_module, sandbox):
    put(sandbox, 'bundle.zip', b'z', kind='logs')
    outcome = run_module(cos_object_info, args(sandbox, kind='logs', bucket_kind='logs', expiring_within=7))
    assert outcome.result['purge_days'] == 30 and outcome.result['expiring'] == []


def test_a_wrong_secret_fails_without_showing_it(run_module, sandbox):
    outcome = run_module(cos_object_info, args(sandbox, secret_access_key='not-the-secret-0000000000000000000000'))
    assert outcome.failed and 'not-the-secret-0000000000000000000000' not in repr(outcome.result)
