# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bucket declared read-only is refused a write before any COS client exists, in check mode too."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common import module_runner
from ansible_collections.mas.dedicated.plugins.modules import cos_object, cos_sync

KEYS = {'bucket': 'acme-dev-logs', 'region': 'us-east', 'access_key_id': 'AKRO', 'secret_access_key': 'ro-secret-1234',
        'read_only': True}


@pytest.fixture
def no_cos(monkeypatch):
    def refuse(self, bucket=None):
        raise AssertionError('a COS client was built')
    monkeypatch.setattr(module_runner.MasModule, 'cos', refuse)


@pytest.mark.parametrize('check_mode', [False, True])
@pytest.mark.parametrize('module,args,what', [
    (cos_object, {'mode': 'put', 'object': 'a.csv', 'src': '/etc/hostname'}, 'mode=put'),
    (cos_object, {'mode': 'delete', 'object': 'a.csv'}, 'mode=delete'),
    (cos_sync, {'direction': 'upload', 'local_path': '/etc'}, 'a sync upload'),
])
def test_writes_to_a_read_only_bucket_are_refused_first(run_module, no_cos, module, args, what, check_mode):
    outcome = run_module(module, dict(KEYS, _ansible_check_mode=check_mode, **args))
    assert outcome.failed and outcome.result['refused'] and not outcome.result.get('changed')
    assert outcome.result['msg'].startswith("Refused before sending anything: bucket 'acme-dev-logs' is declared "
                                            "read-only")
    assert what in outcome.result['msg'] and 'ro-secret' not in repr(outcome.result)


@pytest.mark.parametrize('module,args', [
    (cos_object, {'mode': 'get', 'object': 'a.csv', 'dest': '/tmp/never-written.csv'}),
    (cos_sync, {'direction': 'download', 'local_path': '/tmp/never-written'}),
])
def test_downloads_from_a_read_only_bucket_go_ahead(run_module, no_cos, module, args):
    with pytest.raises(AssertionError, match='a COS client was built'):
        run_module(module, dict(KEYS, **args))
