# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mas_group through main(): Manage security group members in the sandbox, check mode, diff, exact membership."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.modules import mas_group, mas_user, mas_user_info

PLANNERS = [{'name': 'planners', 'description': 'Maintenance planners', 'members': ['jdoe', 'rroe']}]


def args(sandbox, **extra):
    result = {'instance': 'acme', 'production': True, 'api_key': sandbox.api_key, 'manage_url': sandbox.url,
              'groups': PLANNERS}
    result.update(extra)
    return result


@pytest.fixture
def synced(run_module, sandbox):
    """jdoe and rroe created and synchronised to Manage (a member must be a Manage user)."""
    mas = sandbox.app.info['mas']
    users = {'instance': 'acme', 'mas_api_url': sandbox.url, 'mas_api_key_id': mas['api_key_id'],
             'mas_api_key': mas['api_key'], 'workspace': 'main'}
    run_module(mas_user, dict(users, users=[{'username': 'jdoe'}, {'username': 'rroe'}], entitlement='PREMIUM'))
    done = run_module(mas_user_info, dict(users, users=['jdoe', 'rroe'], wait_for_sync=True, poll_interval=0.1,
                                          wait_timeout=30))
    assert done.result['counts'] == {'SUCCESS': 2}
    return sandbox


def members(sandbox):
    groups = sandbox.app.component('manage_objects').records['mxapigroup'].values()
    return dict((g['groupname'], sorted(u['userid'] for u in g.get('groupuser') or [])) for g in groups)


def test_groups_breaking_table_2_and_duplicates_send_nothing(run_module, no_network):
    long_name = run_module(mas_group, {'instance': 'acme', 'api_key': 'k' * 20, 'groups': [{'name': 'g' * 31}]})
    assert long_name.failed and 'MAXGROUP.GROUPNAME' in long_name.result['msg']
    twice = run_module(mas_group, {'instance': 'acme', 'api_key': 'k' * 20,
                                   'groups': [{'name': 'planners'}, {'name': 'PLANNERS'}]})
    assert twice.failed and twice.result['msg'] == 'a group is listed twice: PLANNERS'


def test_check_apply_again(run_module, synced):
    check = run_module(mas_group, args(synced, _ansible_check_mode=True, _ansible_diff=True))
    assert check.result['changed'] and check.result['groups'][0]['outcome'] == 'created'
    assert check.result['diff']['before'] == {'PLANNERS': None} and 'PLANNERS' not in members(synced)
    made = run_module(mas_group, args(synced))
    assert made.result['changed'] and members(synced)['PLANNERS'] == ['JDOE', 'RROE']
    again = run_module(mas_group, args(synced))
    assert not again.result['changed']


def test_exact_removes_the_others(run_module, synced):
    run_module(mas_group, args(synced))
    outcome = run_module(mas_group, args(synced, groups=[{'name': 'PLANNERS', 'members': ['JDOE']}],
                                         members_state='exact', _ansible_diff=True))
    assert outcome.result['changed'] and outcome.result['groups'][0]['removed'] == ['RROE']
    assert outcome.result['diff']['after']['PLANNERS']['members'] == ['JDOE']
    assert members(synced)['PLANNERS'] == ['JDOE']


def test_a_member_manage_does_not_know_fails(run_module, synced):
    outcome = run_module(mas_group, args(synced, groups=[{'name': 'planners', 'members': ['nobody']}]))
    assert outcome.failed and 'not a valid user' in outcome.result['msg'].lower()
    assert 'PLANNERS' not in members(synced) and synced.api_key not in repr(outcome.result)
