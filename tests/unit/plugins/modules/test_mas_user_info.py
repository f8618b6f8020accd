# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mas_user_info through main(): reading users and waiting for their Manage sync in the sandbox."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.modules import mas_user, mas_user_info


def args(sandbox, **extra):
    mas = sandbox.app.info['mas']
    result = {'instance': 'acme', 'production': True, 'mas_api_url': sandbox.url, 'mas_api_key_id': mas['api_key_id'],
              'mas_api_key': mas['api_key'], 'workspace': 'main', 'poll_interval': 0.1, 'wait_timeout': 30}
    result.update(extra)
    return result


def create(run_module, sandbox, users, **extra):
    params = args(sandbox, users=users, entitlement='PREMIUM', **extra)
    for name in ('poll_interval', 'wait_timeout'):
        del params[name]
    outcome = run_module(mas_user, params)
    assert not outcome.failed, outcome.result['msg'] if outcome.failed else ''


def test_a_version_that_is_not_one_fails_before_any_request(run_module, no_network):
    outcome = run_module(mas_user_info, {'instance': 'acme', 'mas_api_key_id': 'a', 'mas_api_key': 'b',
                                         'mas_version': 'nine'})
    assert outcome.failed and 'mas_version must look like 9.0 or 9.1.x' in outcome.result['msg']


def test_no_users_yet(run_module, sandbox):
    outcome = run_module(mas_user_info, args(sandbox))
    assert not outcome.failed and not outcome.result['changed'] and outcome.result['users'] == []


def test_a_named_user_not_held_is_missing(run_module, sandbox):
    outcome = run_module(mas_user_info, args(sandbox, users=['ghost']))
    assert outcome.result['users'] == [] and outcome.result['missing'] == ['ghost']


def test_wait_for_sync_reaches_success_with_the_roles(run_module, sandbox):
    create(run_module, sandbox, [{'username': 'jdoe'}, {'username': 'rroe', 'role': 'MANAGEADMIN'}],
           manage_role='MANAGEUSER')
    outcome = run_module(mas_user_info, args(sandbox, users=['jdoe', 'rroe'], wait_for_sync=True, read_roles=True))
    assert not outcome.failed and outcome.result['counts'] == {'SUCCESS': 2} and outcome.result['errors'] == []
    roles = dict((u['id'], u['role']) for u in outcome.result['users'])
    assert roles == {'jdoe': 'MANAGEUSER', 'rroe': 'MANAGEADMIN'}
    assert args(sandbox)['mas_api_key'] not in repr(outcome.result)


def test_a_short_wait_times_out_naming_the_pending_users(run_module, sandbox):
    sandbox.app.update_config({'sync_delay': 30.0})
    create(run_module, sandbox, [{'username': 'slow'}])
    outcome = run_module(mas_user_info, args(sandbox, users=['slow'], wait_for_sync=True, wait_timeout=1))
    assert outcome.failed and outcome.result['timed_out'] and outcome.result['pending'] == ['slow']
    assert 'raise wait_timeout' in outcome.result['msg']
