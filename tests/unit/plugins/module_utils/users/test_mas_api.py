# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""MasUserApi makes the calls IBM's client (mas-devops 12.11.1 MASUserUtils) makes, with its bodies and answers."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
from ansible_collections.mas.dedicated.plugins.module_utils.users.mas_api import MasUserApi


class _Response:
    def __init__(self, body):
        self.body = body
        self.status_code = 200


class _Client:
    """Answers by (method, path); a status number raises MasApiError like MasHttpClient does."""

    def __init__(self, answers):
        self.answers = answers
        self.sent = []
        self.secrets = ()

    def request(self, method, path, headers=None, expect=(200,), **kwargs):
        self.sent.append((method, path, kwargs.get('params'), kwargs.get('json_body')))
        answer = self.answers.get((method, path), {'token': 't'} if path == '/v1/authenticate' else None)
        if isinstance(answer, int):
            raise MasApiError('%s %s' % (method, path), status=answer)
        return _Response(answer)

    def decode_json(self, response, method, path):
        return response.body


def api(answers):
    client = _Client(answers)
    return MasUserApi(lambda: client, 'id', 'key', 'main'), client


def test_the_role_is_read_from_the_application_users_route_and_404_is_none():
    mas, dummy = api({('GET', '/workspaces/main/applications/manage/users/jdoe'): {'id': 'jdoe', 'role': 'USER'},
                      ('GET', '/workspaces/main/applications/manage/users/new'): 404})
    assert mas.role('jdoe') == 'USER'
    assert mas.role('new') is None


def test_a_user_is_read_by_id_a_404_is_none_and_other_errors_are_raised():
    mas, dummy = api({('GET', '/v3/users/jdoe'): {'id': 'jdoe'}, ('GET', '/v3/users/gone'): 404,
                      ('GET', '/v3/users/broken'): 500, ('GET', '/workspaces/main/applications/manage/users/x'): 403})
    assert mas.user('jdoe') == {'id': 'jdoe'}
    assert mas.user('gone') is None
    for call in (lambda: mas.user('broken'), lambda: mas.role('x')):
        try:
            call()
        except MasApiError as exc:
            assert exc.status in (500, 403)
        else:
            raise AssertionError('not raised')


def test_membership_is_read_then_written_as_ibm_writes_it():
    mas, client = api({('GET', '/v3/users/jdoe/workspaces'): [{'id': 'other'}, {'id': 'main'}],
                       ('GET', '/v3/users/rroe/workspaces'): [],
                       ('GET', '/v3/users/gone/workspaces'): 404})
    assert mas.in_workspace('jdoe') is True
    assert mas.in_workspace('rroe') is False
    assert mas.in_workspace('gone') is None
    mas.add_to_workspace('rroe', admin=False)
    assert client.sent[-1] == ('PUT', '/workspaces/main/users/rroe', None, {'permissions': {'workspaceAdmin': False}})


def test_local_identity_and_resync_bodies():
    mas, client = api({})
    mas.link_local_identity('a b', email_password=True)
    assert client.sent[-1] == ('PUT', '/v3/users/a%20b/idps/local', {'emailPassword': 'true'}, {'idpUserId': 'a b'})
    mas.resync('jdoe', 'Jane Doe')
    assert client.sent[-1] == ('PATCH', '/v3/users/jdoe', None, {'displayName': 'Jane Doe'})
