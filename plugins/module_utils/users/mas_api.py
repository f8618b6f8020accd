# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MAS core API for users: authenticate once with a MAS API key, then users and application roles.

``GET /v1/authenticate`` with ``Authorization: Basic base64(id:key)`` gives ``{"token"}``, sent as
``x-access-token`` on every later call [doc]. The token is reused for the whole task and fetched again once if a
call answers 401 (it expired). Listing users in pages (``GET /v3/users?count=N&start=K``) is a [guess]: the
public docs show the single-user calls only, so the page reader accepts a bare array or an object holding one.

Writes may run in parallel threads; each thread gets its own HTTP client (a client keeps one connection, not shared).

The other calls follow IBM's own client, ``mas-devops`` 12.11.1 ``mas/devops/users.py`` (``MASUserUtils``) [IBM code]:
workspace membership ``GET /v3/users/{id}/workspaces`` then ``PUT /workspaces/{ws}/users/{id}``
``{"permissions": {"workspaceAdmin": bool}}`` (``get_user_workspaces``, ``add_user_to_workspace``), done before the
application role; the role read back with ``GET /workspaces/{ws}/applications/{app}/users/{id}`` (404 = none,
``get_user_application_permissions``); the local identity ``PUT /v3/users/{id}/idps/local?emailPassword=B``
``{"idpUserId": id}`` (``link_user_to_local_idp``; its answer holds a generated credential and is never read);
a re-sync as a no-op ``PATCH /v3/users/{id}`` ``{"displayName": <held value>}`` (``resync_users``).

MAS 9.1 and later (``MASUserUtils`` compares ``Version(mas_version) >= Version("9.1")``; the version is given by the
caller, IBM's CLI takes it from ``--mas-version``, default 9.0): users live in Manage's ``masperuser`` object
structure (``ManagePersons``), reached with a Manage API key.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import re
import threading
from urllib.parse import quote

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import where_equals

APPLICATION = 'manage'
DEFAULT_PAGE_SIZE = 500
_LIST_KEYS = ('users', 'items', 'members', 'member', 'results', 'data')
# The MAS core API authenticates with a MAS API key, not the Manage key the other clients' hints name.
HINTS = {
    401: "the MAS API key was refused: check that 'mas_api_key_id' and 'mas_api_key' (MAS_CORE_API_KEY_ID and "
         "MAS_CORE_API_KEY) are a current MAS API key of this instance, not the Manage API key",
    403: "the MAS API key is not allowed to do this: check the permissions of the MAS API key's user "
         "('mas_api_key_id', MAS_CORE_API_KEY_ID)",
}


def version_at_least(version, wanted=(9, 1)):
    """Whether a MAS version (``9.1``, ``9.1.x``, ``9.1.3``) is at least ``wanted``, compared as major.minor."""
    match = re.match(r'^\s*(\d+)(?:\.(\d+))?', str(version or ''))
    if not match:
        raise RefusedError('mas_version must look like 9.0 or 9.1.x, not %r' % (version,))
    return (int(match.group(1)), int(match.group(2) or 0)) >= wanted


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
    def _read(self, path, name):
        """``(found, body)`` of ``GET path`` (``name``: the path as error texts show it); found is False on a 404."""
        try:
            response = self._call('read', 'GET', path)
        except MasApiError as exc:
            if exc.status == 404:
                return False, None
            raise
        return True, self.client.decode_json(response, 'GET', name)

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
        return self._read('/v3/users/%s' % _quoted(user_id), '/v3/users/{id}')[1]

    # -- writes
    def create(self, user):
        """POST /v3/users; a 409 (exists) is raised like any other error."""
        self._call('write', 'POST', '/v3/users', expect=(200, 201), json_body=user, idempotent=False)

    def patch(self, user_id, changes):
        """PATCH /v3/users/{id} with the changed attributes only (a merge patch [guess])."""
        self._call('write', 'PATCH', '/v3/users/%s' % _quoted(user_id), expect=(200, 204), json_body=changes,
                   idempotent=True)

    def _role_path(self, user_id):
        parts = tuple(_quoted(part) for part in (self.workspace, self.application, user_id))
        return '/workspaces/%s/applications/%s/users/%s' % parts

    def role(self, user_id):
        """The user's application role (``GET /workspaces/{ws}/applications/{app}/users/{id}``), None on 404."""
        found, body = self._read(self._role_path(user_id), '/workspaces/{ws}/applications/{app}/users/{id}')
        if not found:
            return None
        # Only the existence is documented by IBM's client; a permission without a readable role counts as held.
        return (body.get('role') or '') if isinstance(body, dict) else ''

    def set_role(self, user_id, role):
        self._call('write', 'PUT', self._role_path(user_id), expect=(200, 201, 204), json_body={'role': role})

    def in_workspace(self, user_id):
        """Whether the user is a member of the workspace (``GET /v3/users/{id}/workspaces``); None when no user."""
        found, body = self._read('/v3/users/%s/workspaces' % _quoted(user_id), '/v3/users/{id}/workspaces')
        if not found:
            return None
        items = body if isinstance(body, list) else page_items(body) if isinstance(body, dict) else []
        return any(isinstance(item, dict) and item.get('id') == self.workspace for item in items)

    def add_to_workspace(self, user_id, admin=False):
        """``PUT /workspaces/{ws}/users/{id}`` ``{"permissions": {"workspaceAdmin": admin}}``."""
        path = '/workspaces/%s/users/%s' % (_quoted(self.workspace), _quoted(user_id))
        self._call('write', 'PUT', path, expect=(200, 201, 204), json_body={'permissions': {'workspaceAdmin': bool(admin)}})

    def link_local_identity(self, user_id, email_password=False):
        """``PUT /v3/users/{id}/idps/local``; the answer (a generated credential) is not decoded, kept or shown."""
        self._call('write', 'PUT', '/v3/users/%s/idps/local' % _quoted(user_id), expect=(200,),
                   params={'emailPassword': 'true' if email_password else 'false'},
                   json_body={'idpUserId': user_id})

    def resync(self, user_id, display_name):
        """IBM's re-sync: a no-op ``PATCH /v3/users/{id}`` of the held ``displayName`` (``resync_users``)."""
        self.patch(user_id, {'displayName': display_name})


class ManagePersons:
    """MAS 9.1 and later: users as Manage ``masperuser`` records (``MASUserUtils.get_user``,
    ``get_or_create_user``, ``link_user_to_local_idp`` for ``mas_version >= 9.1``) through a ManageObjects."""

    OBJECT_STRUCTURE = 'masperuser'

    def __init__(self, objects):
        self.objects = objects
        self.calls = {'read': 0, 'write': 0}

    def find(self, user_id):
        """The record whose ``personid`` is ``user_id`` (IBM's second lookup), or None."""
        self.calls['read'] += 1
        for record in self.objects.query(self.OBJECT_STRUCTURE, where=where_equals('personid', user_id), select='*'):
            return record
        return None

    def create(self, record):
        self.calls['write'] += 1
        return self.objects.create(self.OBJECT_STRUCTURE, record)

    def patch(self, href, changes):
        """A ``patchtype: MERGE`` patch, as IBM's client sends every masperuser update."""
        self.calls['write'] += 1
        self.objects.patch(href, changes, merge=True)

    def link_local_identity(self, href, user_id, email_password=False):
        """IBM's 9.1 local identity: a ``maxuser.masuseridp`` row with ``idpid: local`` (merged)."""
        self.patch(href, {'maxuser': {'userid': user_id, 'masuseridp': [{
            'emailpassword': bool(email_password), 'idpid': 'local', 'logintype': '0', 'idploginid': user_id,
            'idptype': 'local', 'enabled': True}]}})
