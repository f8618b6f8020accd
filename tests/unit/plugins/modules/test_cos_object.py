# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cos_object through main(): put / get / delete against the sandbox's S3 (moto), check mode, diff, no secret."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

from ansible_collections.mas.dedicated.plugins.modules import cos_object


def args(sandbox, **extra):
    s3 = sandbox.app.info['s3']
    bucket = s3['buckets']['custfile']
    result = {'bucket': bucket['bucket'], 'endpoint_url': s3['endpoint_url'], 'region': s3['region'],
              'access_key_id': bucket['access_key_id'], 'secret_access_key': bucket['secret_access_key']}
    result.update(extra)
    return result


def keys(sandbox, bucket='custfile'):
    name = sandbox.app.info['s3']['buckets'][bucket]['bucket']
    return [item['Key'] for item in sandbox.app.store.admin.list_objects_v2(Bucket=name).get('Contents', [])]


def test_put_needs_src_and_get_needs_dest(run_module, no_network):
    put = run_module(cos_object, {'bucket': 'b', 'mode': 'put', 'object': 'a.csv', 'region': 'us-east'})
    assert put.failed and 'mode is put but all of the following are missing: src' in put.result['msg']
    get = run_module(cos_object, {'bucket': 'b', 'mode': 'get', 'object': 'a.csv', 'region': 'us-east'})
    assert get.failed and 'mode is get but all of the following are missing: dest' in get.result['msg']


def test_put_of_a_missing_file_fails_and_uploads_nothing(run_module, sandbox, tmp_path):
    outcome = run_module(cos_object, args(sandbox, mode='put', object='a.csv', src=str(tmp_path / 'none.csv')))
    assert outcome.failed and "does not exist or is not a file" in outcome.result['msg'] and keys(sandbox) == []


def test_put_check_apply_again_with_diff(run_module, sandbox, tmp_path):
    src = tmp_path / 'a.csv'
    src.write_bytes(b'id,name\n1,pump\n')
    params = args(sandbox, mode='put', object='in/a.csv', src=str(src), _ansible_diff=True)
    check = run_module(cos_object, dict(params, _ansible_check_mode=True))
    assert not check.failed and check.result['changed'] and keys(sandbox) == []
    assert check.result['diff'] == {'before': {'exists': False}, 'after': {'size': 15}}
    put = run_module(cos_object, params)
    assert put.result['changed'] and put.result['transferred'] and keys(sandbox) == ['in/a.csv']
    assert put.result['size'] == 15 and put.result['diff']['after']['etag'] == put.result['etag']
    again = run_module(cos_object, params)
    assert not again.result['changed'] and not again.result['transferred']
    assert params['secret_access_key'] not in repr([check.result, put.result, again.result])


def test_get_downloads_once(run_module, sandbox, tmp_path):
    ro = sandbox.app.info['s3']['buckets']['readonly']
    params = args(sandbox, bucket=ro['bucket'], access_key_id=ro['access_key_id'],
                  secret_access_key=ro['secret_access_key'], mode='get', object='welcome/README.txt',
                  dest=str(tmp_path / 'README.txt'), read_only=True)
    check = run_module(cos_object, dict(params, _ansible_check_mode=True))
    assert not check.failed and check.result['changed'] and not os.path.exists(params['dest'])
    got = run_module(cos_object, params)
    assert got.result['changed'] and open(params['dest'], 'rb').read().startswith(b'Files IBM SRE shares')
    again = run_module(cos_object, params)
    assert not again.result['changed']


def test_get_of_a_missing_object_names_it(run_module, sandbox, tmp_path):
    outcome = run_module(cos_object, args(sandbox, mode='get', object='nope.csv', dest=str(tmp_path / 'x')))
    assert outcome.failed and outcome.result['msg'].endswith('/nope.csv does not exist')
    assert not os.path.exists(str(tmp_path / 'x'))


def test_delete_check_then_apply(run_module, sandbox, tmp_path):
    src = tmp_path / 'a.csv'
    src.write_bytes(b'x')
    run_module(cos_object, args(sandbox, mode='put', object='a.csv', src=str(src)))
    check = run_module(cos_object, args(sandbox, mode='delete', object='a.csv', _ansible_check_mode=True))
    assert check.result['changed'] and keys(sandbox) == ['a.csv']
    gone = run_module(cos_object, args(sandbox, mode='delete', object='a.csv'))
    assert gone.result['changed'] and keys(sandbox) == []
    again = run_module(cos_object, args(sandbox, mode='delete', object='a.csv'))
    assert not again.failed and not again.result['changed']


def test_a_write_to_the_real_read_only_bucket_fails_clearly(run_module, sandbox, tmp_path):
    ro = sandbox.app.info['s3']['buckets']['readonly']
    src = tmp_path / 'a.csv'
    src.write_bytes(b'x')
    outcome = run_module(cos_object, args(sandbox, bucket=ro['bucket'], access_key_id=ro['access_key_id'],
                                          secret_access_key=ro['secret_access_key'], mode='put', object='a.csv',
                                          src=str(src)))
    assert outcome.failed and 'read-only' in outcome.result['msg']
    assert ro['secret_access_key'] not in repr(outcome.result)
