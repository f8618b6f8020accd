# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""manage_api_key through main() against the in-process sandbox: keys held are never returned, new ones once."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import stat

from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api_keys import carries_key
from ansible_collections.mas.dedicated.plugins.modules import manage_api_key


def args(sandbox, **extra):
    result = {'instance': 'acme', 'production': True, 'api_key': sandbox.api_key, 'manage_url': sandbox.url}
    result.update(extra)
    return result


def held_keys(sandbox):
    return dict((k['userid'], k['apikey']) for k in sandbox.app.component('manage_people').keys.values())


def test_a_held_key_is_never_returned_even_when_written_to_a_file(run_module, sandbox, tmp_path):
    key_file = tmp_path / 'own.key'
    outcome = run_module(manage_api_key, args(sandbox, users=['mxintadm'], key_file=str(key_file)))
    assert not outcome.failed and outcome.result['users'][0]['outcome'] == 'exists'
    assert sandbox.api_key not in json.dumps(outcome.result)
    assert not carries_key(outcome.result)
    assert key_file.read_text() == sandbox.api_key + '\n'
    assert stat.S_IMODE(os.stat(str(key_file)).st_mode) == 0o600


def test_a_new_key_is_returned_once_and_the_result_is_censored(run_module, sandbox, tmp_path):
    vault = tmp_path / 'vault.yml'
    created = run_module(manage_api_key, args(sandbox, users=['MAXADMIN'], vault_file=str(vault)))
    key = held_keys(sandbox)['MAXADMIN']
    assert created.result['apikey'] == key and created.result['users'][0]['apikey'] == key
    assert carries_key(created.result)
    assert 'manage_api_key_maxadmin: "%s"' % key in vault.read_text()
    again = run_module(manage_api_key, args(sandbox, users=['MAXADMIN'], vault_file=str(vault)))
    assert not again.result['changed'] and 'apikey' not in again.result and key not in json.dumps(again.result)


def test_check_mode_creates_nothing_and_refusals_send_nothing(run_module, sandbox, tmp_path):
    checked = run_module(manage_api_key, args(sandbox, users=['MAXADMIN'], _ansible_check_mode=True))
    assert checked.result['changed'] and 'MAXADMIN' not in held_keys(sandbox)
    own = run_module(manage_api_key, args(sandbox, users=['MXINTADM'], state='absent'))
    assert own.failed and 'it is the key this task authenticates with' in own.result['msg']
    assert held_keys(sandbox) == {'MXINTADM': sandbox.api_key}
    sent = len(sandbox.sent())
    two = run_module(manage_api_key, args(sandbox, users=['MAXADMIN', 'MXINTADM'], key_file=str(tmp_path / 'k')))
    assert two.failed and 'exactly one user' in two.result['msg'] and len(sandbox.sent()) == sent


class _Gone:
    def __init__(self, status):
        self.status = status

    def delete(self, href):
        from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
        raise MasApiError('DELETE ' + href, status=self.status)


def test_a_key_already_gone_counts_as_deleted_other_errors_do_not():
    manage_api_key._delete(_Gone(404), '/maximo/api/os/mxapiapikey/X')
    try:
        manage_api_key._delete(_Gone(500), '/maximo/api/os/mxapiapikey/X')
    except Exception as exc:  # pylint: disable=broad-except
        assert getattr(exc, 'status', None) == 500
    else:
        raise AssertionError('a 500 must not count as deleted')
