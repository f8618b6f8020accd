# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cos_sync through main(): upload / download plans against the sandbox's S3 (moto), check mode, hostile keys."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

from ansible_collections.mas.dedicated.plugins.modules import cos_sync


def args(sandbox, **extra):
    s3 = sandbox.app.info['s3']
    bucket = s3['buckets']['custfile']
    result = {'bucket': bucket['bucket'], 'endpoint_url': s3['endpoint_url'], 'region': s3['region'],
              'access_key_id': bucket['access_key_id'], 'secret_access_key': bucket['secret_access_key']}
    result.update(extra)
    return result


def keys(sandbox):
    name = sandbox.app.info['s3']['buckets']['custfile']['bucket']
    return sorted(item['Key'] for item in sandbox.app.store.admin.list_objects_v2(Bucket=name).get('Contents', []))


def put(sandbox, key, body):
    sandbox.app.store.admin.put_object(Bucket=sandbox.app.info['s3']['buckets']['custfile']['bucket'], Key=key,
                                       Body=body)


def test_direction_must_be_one_of_two(run_module, no_network, tmp_path):
    outcome = run_module(cos_sync, {'bucket': 'b', 'region': 'us-east', 'direction': 'both',
                                    'local_path': str(tmp_path)})
    assert outcome.failed and 'upload, download' in outcome.result['msg']


def test_upload_of_a_missing_directory_fails_before_any_listing(run_module, no_network, tmp_path):
    outcome = run_module(cos_sync, {'bucket': 'acme-test-custfile', 'region': 'us-east', 'direction': 'upload',
                                    'local_path': str(tmp_path / 'none'), 'access_key_id': 'a', 'secret_access_key': 's'})
    assert outcome.failed and 'is not a directory' in outcome.result['msg']


def test_upload_check_apply_again_then_delete(run_module, sandbox, tmp_path):
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'a.csv').write_bytes(b'a')
    (tmp_path / 'sub' / 'b.csv').write_bytes(b'bb')
    (tmp_path / 'skip.tmp').write_bytes(b'x')
    params = args(sandbox, direction='upload', local_path=str(tmp_path), prefix='mig', exclude=['*.tmp'])
    check = run_module(cos_sync, dict(params, _ansible_check_mode=True))
    assert not check.failed and check.result['changed'] and check.result['counts']['upload'] == 2
    assert keys(sandbox) == []
    done = run_module(cos_sync, params)
    assert done.result['changed'] and keys(sandbox) == ['mig/a.csv', 'mig/sub/b.csv']
    again = run_module(cos_sync, params)
    assert not again.result['changed'] and again.result['counts']['upload'] == 0
    os.remove(str(tmp_path / 'a.csv'))
    kept = run_module(cos_sync, params)
    assert not kept.result['changed'] and keys(sandbox) == ['mig/a.csv', 'mig/sub/b.csv']
    pruned = run_module(cos_sync, dict(params, delete=True))
    assert pruned.result['changed'] and keys(sandbox) == ['mig/sub/b.csv']


def test_download_check_then_apply(run_module, sandbox, tmp_path):
    put(sandbox, 'out/x.txt', b'x1')
    put(sandbox, 'out/deep/y.txt', b'y22')
    dest = tmp_path / 'dl'
    params = args(sandbox, direction='download', local_path=str(dest), prefix='out/')
    check = run_module(cos_sync, dict(params, _ansible_check_mode=True))
    assert check.result['changed'] and check.result['counts']['download'] == 2 and not dest.exists()
    done = run_module(cos_sync, params)
    assert done.result['changed'] and (dest / 'deep' / 'y.txt').read_bytes() == b'y22'
    again = run_module(cos_sync, params)
    assert not again.result['changed']


def test_a_key_that_climbs_out_is_refused_before_anything_is_written(run_module, sandbox, tmp_path):
    put(sandbox, 'out/ok.txt', b'ok')
    put(sandbox, 'out/../../escape.txt', b'no')
    dest = tmp_path / 'dl'
    outcome = run_module(cos_sync, args(sandbox, direction='download', local_path=str(dest), prefix='out/'))
    assert outcome.failed and "refused object key 'out/../../escape.txt'" in outcome.result['msg']
    assert not (dest / 'ok.txt').exists() and not (tmp_path / 'escape.txt').exists()
