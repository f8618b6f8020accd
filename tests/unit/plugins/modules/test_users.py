# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The user modules refuse bad input before any request leaves the machine."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.modules import mas_group, mas_user, mas_user_info

KEY = 'mas-key-that-must-never-show'
BASE = {'instance': 'acme', 'production': True, 'mas_api_key_id': 'ops', 'mas_api_key': KEY}


def test_invalid_users_fail_with_every_violation_and_send_nothing(run_module, no_network):
    users = [{'username': 'ok'}, {'username': 'x', 'familyName': 'f' * 31, 'title': 't' * 31}]
    result = run_module(mas_user, dict(BASE, users=users))
    assert result.failed
    assert result.result['msg'].startswith('1 of 2 users break the limits of Manage, so nothing was sent')
    assert [v['field'] for v in result.result['violations']] == ['familyName', 'title']
    assert KEY not in repr(result.result)


def test_mas_api_key_is_required_and_named(run_module, no_network):
    result = run_module(mas_user, {'instance': 'acme', 'users': [{'username': 'a'}]})
    assert result.failed
    assert 'mas_api_key_id and mas_api_key are required' in result.result['msg']
    assert 'MAS_CORE_API_KEY' in result.result['msg']


def test_info_needs_an_instance_or_url(run_module, no_network):
    result = run_module(mas_user_info, {'mas_api_key_id': 'ops', 'mas_api_key': KEY})
    assert result.failed and "give 'mas_api_url'" in result.result['msg']


def test_groups_breaking_table_2_send_nothing(run_module, no_network):
    result = run_module(mas_group, {'instance': 'acme', 'api_key': KEY,
                                    'groups': [{'name': 'g' * 31, 'members': ['u' * 31]}]})
    assert result.failed
    assert 'MAXGROUP.GROUPNAME' in result.result['msg'] and 'GROUPUSER.USERID' in result.result['msg']
    assert KEY not in repr(result.result)


def test_mas_91_refuses_application_roles_before_any_request(run_module, no_network):
    # IBM's 9.1 flow (mas-devops create_initial_user_for_saas_post_9_1) gives access by Manage groups, not roles.
    result = run_module(mas_user, dict(BASE, api_key=KEY, mas_version='9.1', manage_role='MANAGEUSER',
                                       users=[{'username': 'a'}]))
    assert result.failed
    assert 'from MAS 9.1 on' in result.result['msg'] and 'mas.dedicated.mas_group' in result.result['msg']
    assert KEY not in repr(result.result)


def test_a_mas_version_that_is_not_one_is_refused(run_module, no_network):
    result = run_module(mas_user_info, dict(BASE, mas_version='latest'))
    assert result.failed and "mas_version must look like 9.0 or 9.1.x" in result.result['msg']


class _Answer(object):
    def __init__(self, status):
        self.status_code = status
        self.headers = {}
        self.text = '{"exception": {"message": "AIUCO1003E: The API key is not valid."}}'
        self.content = self.text.encode()

    def json(self):
        import json
        return json.loads(self.text)

    def close(self):
        pass


def _answering(monkeypatch, status):
    from ansible_collections.mas.dedicated.plugins.module_utils.common.http_transport import Transport
    sent = []

    def answer(transport, method, url, **kwargs):
        sent.append((method, url))
        return _Answer(status)
    monkeypatch.setattr(Transport, 'request', answer)
    return sent


def test_a_refused_mas_api_key_hints_at_the_mas_api_key_options(run_module, monkeypatch):
    for status, words in ((401, 'was refused'), (403, 'is not allowed')):
        sent = _answering(monkeypatch, status)
        for module, args in ((mas_user, {'users': [{'username': 'a'}]}), (mas_user_info, {})):
            outcome = run_module(module, dict(BASE, retries=0, **args))
            msg = outcome.result['msg']
            assert outcome.failed and 'HTTP %d' % status in msg
            assert 'the MAS API key %s' % words in msg
            assert 'mas_api_key_id' in msg and 'MAS_CORE_API_KEY' in msg
            assert "'api_key'" not in msg and 'MAS_API_KEY)' not in msg and 'Manage API key of' not in msg
            assert KEY not in repr(outcome.result)
        assert sent and all(url.endswith('/v1/authenticate') for method, url in sent)


def test_the_manage_key_hint_stays_for_manage_calls(run_module, monkeypatch):
    _answering(monkeypatch, 401)
    outcome = run_module(mas_group, {'instance': 'acme', 'api_key': KEY, 'retries': 0,
                                     'groups': [{'name': 'MAXADMIN', 'members': ['a']}]})
    assert outcome.failed and "'api_key' (MAS_API_KEY)" in outcome.result['msg']
