# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MAS core API for users: authenticate once with a MAS API key, then users and application roles.

``GET /v1/authenticate`` with ``Authorization: Basic base64(id:key)`` gives ``{"token"}``, sent as
``x-access-token`` on every later call [doc]. The token is reused for the whole task and fetched again once if a
call answers 401 (it expired). Listing users in pages (``GET /v3/users?count=N&start=K``) is a [guess]: the
public docs show the single-user calls only, so the page reader accepts a bare array or an object holding one.

Writes may run in parallel threads; each thread gets its own HTTP client (a client keeps one connection, not shared).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import threading
from urllib.parse import quote

from ansible_collections.mas.dedicated.plugins.module_utils.http_client import MasApiError

APPLICATION = 'manage'
DEFAULT_PAGE_SIZE = 500
_LIST_KEYS = ('users', 'items', 'members', 'member', 'results', 'data')


def _quoted(value):
    return quote(str(value), safe='')


def page_items(body):
    """The users of one page: a bare JSON array, or the array inside a wrapping object."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in _LIST_KEYS:
            if isinstance(body.get(key), list):
                return body[key]
    raise MasApiError('GET /v3/users', detail='the answer holds no list of users',
                      hint='check that mas_api_url points at the MAS API (https://api.INSTANCE...)')


def _identity(user):
    """What tells one listed user from another: its id, else its username, else the whole record."""
    if isinstance(user, dict) and (user.get('id') or user.get('username')):
        return str(user.get('id') or user.get('username'))
    return repr(user)


class MasUserApi:
    """Users and roles through the MAS API. ``client_factory()`` builds one MasHttpClient per thread."""

    def __init__(self, client_factory, key_id, key, workspace, application=APPLICATION):
        self._factory = client_factory
        self._local = threading.local()
        self._lock = threading.Lock()
        self._basic = base64.b64encode(('%s:%s' % (key_id, key)).encode('utf-8')).decode('ascii')
        self._token = None
        self.workspace = workspace
        self.application = application
        self.secrets = [key, self._basic]
        self.calls = {'read': 0, 'write': 0, 'authenticate': 0}

    @property
    def client(self):
        client = getattr(self._local, 'client', None)
        if client is None:
            client = self._factory()
            self._local.client = client
        client.secrets = tuple(client.secrets) + tuple(s for s in self.secrets if s not in client.secrets)
        return client

    def authenticate(self, stale=None):
        """Get a token (once; again only when ``stale`` is the one that was refused)."""
        with self._lock:
            if self._token is not None and self._token != stale:
                return self._token
            self.calls['authenticate'] += 1
            response = self.client.request('GET', '/v1/authenticate', headers={'Authorization': 'Basic ' + self._basic})
            body = self.client.decode_json(response, 'GET', '/v1/authenticate')
            token = body.get('token') if isinstance(body, dict) else None
            if not token:
                raise MasApiError('GET /v1/authenticate', status=response.status_code, detail='no token in the answer',
                                  secrets=self.secrets)
            self.secrets.append(token)
            self._token = token
            return token

    def _call(self, kind, method, path, expect=(200,), **kwargs):
        token = self._token or self.authenticate()
        for attempt in (1, 2):
            self.calls[kind] += 1
            try:
                return self.client.request(method, path, headers={'x-access-token': token},
                                           expect=expect, **kwargs)
            except MasApiError as exc:
                if exc.status != 401 or attempt == 2:
                    raise
                token = self.authenticate(stale=token)
        raise AssertionError('unreachable')

    # -- reads
    def users(self, page_size=DEFAULT_PAGE_SIZE):
        """Every user once, one page per call.

        The listing's paging is not documented (``count``/``start`` are a guess): a short page ends it, and so does
        a page that brings no user not seen yet (a server that ignores ``start`` sends the same users again).
        """
        start = 0
        seen = set()
        while True:
            response = self._call('read', 'GET', '/v3/users', params={'count': page_size, 'start': start})
            items = page_items(self.client.decode_json(response, 'GET', '/v3/users'))
            fresh = []
            for item in items:
                ident = _identity(item)
                if ident not in seen:
                    seen.add(ident)
                    fresh.append(item)
            yield from fresh
            if len(items) < page_size or not fresh:
                return
            start += len(items)

    def user(self, user_id):
        """One user, or None when there is none with this id."""
        try:
            response = self._call('read', 'GET', '/v3/users/%s' % _quoted(user_id))
        except MasApiError as exc:
            if exc.status == 404:
                return None
            raise
        return self.client.decode_json(response, 'GET', '/v3/users/{id}')

    # -- writes
    def create(self, user):
        """POST /v3/users; a 409 (exists) is raised like any other error."""
        self._call('write', 'POST', '/v3/users', expect=(200, 201), json_body=user, idempotent=False)

    def patch(self, user_id, changes):
        """PATCH /v3/users/{id} with the changed attributes only (a merge patch [guess])."""
        self._call('write', 'PATCH', '/v3/users/%s' % _quoted(user_id), expect=(200, 204), json_body=changes,
                   idempotent=True)

    def set_role(self, user_id, role):
        parts = tuple(_quoted(part) for part in (self.workspace, self.application, user_id))
        path = '/workspaces/%s/applications/%s/users/%s' % parts
        self._call('write', 'PUT', path, expect=(200, 201, 204), json_body={'role': role})
