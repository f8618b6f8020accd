# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Listings end even when the server ignores the paging it is asked for (row 34 of docs/contracts.md)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects
from ansible_collections.mas.dedicated.plugins.module_utils.users.mas_api import MasUserApi


class _Response:
    status_code = 200

    def __init__(self, body):
        self.body = body


class _Server:
    """Answers every GET from ``pages(params, path)``; stops the test if asked more than ``limit`` times."""

    def __init__(self, pages, limit=20):
        self.pages = pages
        self.limit = limit
        self.calls = []
        self.secrets = ()

    def request(self, method, path, params=None, headers=None, **kwargs):
        self.calls.append((path, dict(params or {})))
        assert len(self.calls) <= self.limit, 'the listing does not end'
        if path == '/v1/authenticate':
            return _Response({'token': 't'})
        return _Response(self.pages(path, params or {}))

    def decode_json(self, response, method, path):
        return json.loads(json.dumps(response.body))

    def get_json(self, path, params=None, **kwargs):
        return self.decode_json(self.request('GET', path, params), 'GET', path)


USERS = [{'id': 'u%04d' % n, 'username': 'u%04d' % n} for n in range(7)]


def _users(server):
    api = MasUserApi(lambda: server, 'key-id', 'key-secret-0123', 'main')
    return [u['id'] for u in api.users(page_size=3)]


def test_a_server_that_ignores_count_and_start_still_ends_the_listing():
    server = _Server(lambda path, params: USERS)
    assert _users(server) == [u['id'] for u in USERS]
    assert len([c for c in server.calls if c[0] == '/v3/users']) == 2


def test_a_server_that_honours_paging_is_read_page_by_page():
    server = _Server(lambda path, params: USERS[params['start']:params['start'] + params['count']])
    assert _users(server) == [u['id'] for u in USERS]
    assert [c[1]['start'] for c in server.calls if c[0] == '/v3/users'] == [0, 3, 6]


def test_a_server_that_ignores_start_with_full_pages_ends_after_one_repeat():
    server = _Server(lambda path, params: USERS[:3])
    assert _users(server) == ['u0000', 'u0001', 'u0002']


def _records(n):
    return [{'href': 'http://h/maximo/api/os/x/_%d' % i} for i in range(n)]


def test_manage_paging_ends_when_the_next_page_repeats():
    # A next page link that always points at a page with the same records.
    body = {'member': _records(2), 'responseInfo': {'nextPage': {'href': 'http://h/maximo/api/os/x?pageno=2'}}}
    server = _Server(lambda path, params: body)
    assert len(list(ManageObjects(server).query('x', page_size=2))) == 2
    assert len(server.calls) == 2


def test_manage_paging_ends_when_the_next_link_names_a_page_already_read():
    pages = {'/maximo/api/os/x': {'member': _records(1), 'responseInfo': {'nextPage': {'href': 'http://h/p2'}}},
             '/p2': {'member': [], 'responseInfo': {'nextPage': {'href': 'http://h/p2'}}}}
    server = _Server(lambda path, params: pages[path])
    assert len(list(ManageObjects(server).query('x'))) == 1
    assert [c[0] for c in server.calls] == ['/maximo/api/os/x', '/p2']
