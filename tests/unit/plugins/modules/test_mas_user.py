# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mas_user through main(): users written to the sandbox's MAS user API, check mode, diff, validation first."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.modules import mas_user

TEAM = [{'username': 'jdoe', 'givenName': 'Jane', 'familyName': 'Doe'},
        {'username': 'rroe', 'givenName': 'Richard', 'familyName': 'Roe', 'title': 'Planner'}]


def args(sandbox, **extra):
    mas = sandbox.app.info['mas']
    result = {'instance': 'acme', 'production': True, 'mas_api_url': sandbox.url, 'mas_api_key_id': mas['api_key_id'],
              'mas_api_key': mas['api_key'], 'workspace': 'main', 'entitlement': 'PREMIUM', 'users': TEAM}
    result.update(extra)
    return result


def held(sandbox):
    return sandbox.app.component('mas_users').users


def test_users_is_required(run_module, no_network):
    outcome = run_module(mas_user, {'instance': 'acme', 'mas_api_key_id': 'a', 'mas_api_key': 'b'})
    assert outcome.failed and 'missing required arguments: users' in outcome.result['msg']


def test_check_mode_predicts_every_create_and_writes_nothing(run_module, sandbox):
    outcome = run_module(mas_user, args(sandbox, _ansible_check_mode=True, _ansible_diff=True))
    assert not outcome.failed and outcome.result['changed'] and outcome.result['counts']['created'] == 2
    assert outcome.result['diff']['after']['jdoe']['givenName'] == 'Jane' and held(sandbox) == {}
    assert not [p for m, p in sandbox.sent() if m in ('POST', 'PATCH', 'PUT')]


def test_create_then_again_is_unchanged_with_one_token(run_module, sandbox):
    first = run_module(mas_user, args(sandbox))
    assert not first.failed and [u['outcome'] for u in first.result['users']] == ['created', 'created']
    assert sorted(held(sandbox)) == ['jdoe', 'rroe'] and first.result['calls']['authenticate'] == 1
    again = run_module(mas_user, args(sandbox))
    assert not again.result['changed'] and again.result['counts']['unchanged'] == 2
    assert again.result['calls']['write'] == 0
    assert args(sandbox)['mas_api_key'] not in repr([first.result, again.result])


def test_an_update_sends_only_the_changed_attribute(run_module, sandbox):
    run_module(mas_user, args(sandbox))
    outcome = run_module(mas_user, args(sandbox, users=[{'username': 'jdoe', 'title': 'Supervisor'}],
                                        _ansible_diff=True))
    assert outcome.result['changed'] and outcome.result['users'][0]['changed_attributes'] == ['title']
    assert outcome.result['diff'] == {'before': {'jdoe': {'title': None}}, 'after': {'jdoe': {'title': 'Supervisor'}}}
    assert held(sandbox)['jdoe']['title'] == 'Supervisor'


def test_absent_deactivates_and_never_deletes(run_module, sandbox):
    run_module(mas_user, args(sandbox))
    gone = run_module(mas_user, args(sandbox, users=[{'username': 'rroe', 'state': 'absent'}]))
    assert gone.result['changed'] and 'rroe' in held(sandbox)
    assert held(sandbox)['rroe']['status']['active'] is False
    again = run_module(mas_user, args(sandbox, users=[{'username': 'rroe', 'state': 'absent'}]))
    assert not again.result['changed']


def test_skip_invalid_writes_the_valid_ones_and_reports_the_rest(run_module, sandbox):
    users = [{'username': 'newbie'}, {'username': 'toolong', 'familyName': 'x' * 31}]
    refused = run_module(mas_user, args(sandbox, users=users))
    assert refused.failed and refused.result['invalid_users'] == ['toolong'] and held(sandbox) == {}
    assert sandbox.sent() == []
    skipped = run_module(mas_user, args(sandbox, users=users, skip_invalid=True))
    assert skipped.result['changed'] and (skipped.result['counts']['created'], skipped.result['counts']['invalid']) == (1, 1)
    assert list(held(sandbox)) == ['newbie']


def test_a_wrong_mas_key_fails_with_its_own_hint_and_without_the_key(run_module, sandbox):
    outcome = run_module(mas_user, args(sandbox, mas_api_key='not-the-mas-key-0000'))
    assert outcome.failed and 'HTTP 401' in outcome.result['msg'] and 'MAS_CORE_API_KEY' in outcome.result['msg']
    assert 'not-the-mas-key-0000' not in repr(outcome.result)
