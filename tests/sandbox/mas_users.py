# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The MAS user API and the agent that synchronises users to Manage.

Routes (contracts.md, "MAS user API"):

- ``GET /v1/authenticate`` with ``Authorization: Basic base64(id:key)`` of the sandbox MAS API key answers
  ``{"token": ...}``; every other route needs ``x-access-token: <token>`` (401 without, or once it expired after
  ``token_ttl`` seconds).
- ``GET /v3/users?count=N&start=K`` a page of users as a JSON array, ordered by id [guess: the listing call and
  its paging are not documented publicly]; ``POST /v3/users`` (201, 409 when the id exists);
  ``GET|PUT|PATCH /v3/users/{id}`` (PATCH is a JSON merge patch, RFC 7386 [guess]);
  ``PUT /workspaces/{ws}/applications/{app}/users/{id}`` ``{"role": ...}``.

The sync agent: a write that changes a user with a Manage entitlement makes its
``applications.manage.sync.state`` PENDING; ``sync_delay`` seconds later (evaluated lazily) it becomes SUCCESS,
or ERROR with a message when a value breaks Manage's limits (Table 1 of the seed page, typed in here on its own
so that the collection's validator is checked against an independent reading). A user made inactive, or left
without an entitlement, goes DELETE_PENDING and then SUCCESS with its Manage user INACTIVE: never deleted.
Synchronised users are the Manage users that ``mxapigroup`` membership may name (manage_rest.py).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import binascii
import copy
import hmac
import time
import uuid

from .core import HttpError, Router, iso, json_response

ROUTES = Router()
APP = 'manage'
# Test-only credentials, not secrets: the sandbox never runs anywhere but on a developer's or CI machine.
MAS_API_KEY_ID = 'sandbox-admin'
MAS_API_KEY = 'sbx-mas-apikey-fedcba9876543210'
MAX_PAGE = 1000

# Table 1 as the sandbox's own data: (path, max length, allowed values or None).
_LIMITS = (
    (('id',), 100, None), (('username',), 100, None), (('displayName',), 82, None), (('familyName',), 30, None),
    (('givenName',), 50, None), (('title',), 30, None), (('issuer',), 20, ('local', 'ldap', 'saml')),
    (('preferences', 'locale', 'language'), 10, None), (('preferences', 'timezone'), 33, None),
    (('address', 'streetAddress'), 169, None), (('address', 'locality'), 36, None), (('address', 'region'), 36, None),
    (('address', 'country'), 36, None), (('address', 'postalCode'), 12, None),
    (('entitlement', 'application'), 25, None),
)
_LIST_LIMITS = {'emails': (100, ('HOME', 'WORK')), 'phoneNumbers': (20, ('HOME', 'MOBILE', 'WORK'))}


def _mas_error(status, code, message):
    return HttpError(status, code, message)


def _dig(record, path):
    for part in path:
        record = record.get(part) if isinstance(record, dict) else None
    return record


def sync_problem(user):
    """Why Manage would refuse this user (the first reason), or None."""
    view = dict(user)
    addresses = user.get('addresses')
    if not isinstance(user.get('address'), dict) and isinstance(addresses, list) and addresses:
        view['address'] = addresses[0]
    for path, length, allowed in _LIMITS:
        value = _dig(view, path)
        if value in (None, ''):
            continue
        if len(str(value)) > length:
            return 'BMXAA4049E - The value %s for %s is too long (maximum %d).' % (value, '.'.join(path), length)
        if allowed and str(value) not in allowed:
            return 'BMXAA4190E - %s is not a valid value for %s.' % (value, '.'.join(path))
    for name, (length, types) in _LIST_LIMITS.items():
        for entry in user.get(name) or []:
            if len(str(entry.get('value') or '')) > length:
                return 'BMXAA4049E - The value %s for %s is too long (maximum %d).' % (entry.get('value'), name, length)
            if entry.get('type') and str(entry['type']).upper() not in types:
                return 'BMXAA4190E - %s is not a valid %s type.' % (entry['type'], name)
    return None


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _entitled(user):
    return bool((user.get('status') or {}).get('active', True)) and bool(_dig(user, ('entitlement', 'application')))


class MasUsers:
    """Users, tokens and the Manage side of the synchronisation."""

    def __init__(self, app):
        self.app = app
        self.users = {}
        self.tokens = {}
        self.due = {}  # user id -> monotonic time its pending sync completes
        self.manage_users = {}  # USERID -> {'status': ACTIVE|INACTIVE, 'loginid': ...}
        self.writes = 0
        self.issued = []  # every token handed out, for tests that check none leaks

    # -- tokens
    def issue(self):
        token = uuid.uuid4().hex
        self.tokens[token] = time.monotonic() + self.app.config['token_ttl']
        self.issued.append(token)
        return token

    def check_token(self, request):
        token = request.header('x-access-token')
        if not token or token not in self.tokens:
            raise _mas_error(401, 'AIUCO1001E', 'A valid x-access-token header is required.')
        if time.monotonic() >= self.tokens[token]:
            del self.tokens[token]
            raise _mas_error(401, 'AIUCO1002E', 'The access token has expired.')

    # -- the sync agent
    def touched(self, user):
        """A write changed the user: queue its synchronisation."""
        self.writes += 1
        state = 'PENDING' if _entitled(user) else 'DELETE_PENDING'
        if state == 'DELETE_PENDING' and user['username'].upper() not in self.manage_users:
            state = 'SUCCESS'  # never reached Manage: nothing to deactivate
        apps = user.setdefault('applications', {})
        entry = apps.setdefault(APP, {})
        entry['sync'] = {'state': state, 'lastUpdated': iso()}
        if state != 'SUCCESS':
            self.due[user['id']] = time.monotonic() + self.app.config['sync_delay']

    def advance(self):
        now = time.monotonic()
        for user_id in [uid for uid, when in self.due.items() if when <= now]:
            del self.due[user_id]
            user = self.users.get(user_id)
            if user is None:
                continue
            sync = user['applications'][APP]['sync']
            userid = user['username'].upper()
            if sync['state'] == 'DELETE_PENDING':
                if userid in self.manage_users:
                    self.manage_users[userid]['status'] = 'INACTIVE'
                sync.update(state='SUCCESS', lastUpdated=iso())
                sync.pop('message', None)
                continue
            problem = sync_problem(user)
            if problem:
                sync.update(state='ERROR', message=problem, lastUpdated=iso())
            else:
                self.manage_users[userid] = {'status': 'ACTIVE', 'loginid': user['id']}
                sync.update(state='SUCCESS', lastUpdated=iso())
                sync.pop('message', None)

    def view(self):
        self.advance()
        states = {}
        for user in self.users.values():
            state = _dig(user, ('applications', APP, 'sync', 'state')) or 'NONE'
            states[state] = states.get(state, 0) + 1
        return {'mas_users': len(self.users), 'mas_user_sync': states, 'mas_user_writes': self.writes,
                'manage_users': dict((k, v['status']) for k, v in sorted(self.manage_users.items())),
                'mas_tokens_issued': list(self.issued)}


def users(request):
    return request.app.component('mas_users')


def _authed(request):
    state = users(request)
    state.check_token(request)
    state.advance()
    return state


@ROUTES.route('GET', '/v1/authenticate', auth=False)
def authenticate(request):
    header = request.header('Authorization') or ''
    scheme, dummy, encoded = header.partition(' ')
    try:
        key_id, dummy, key = base64.b64decode(encoded.strip()).decode('utf-8').partition(':')
    except (binascii.Error, UnicodeDecodeError, ValueError):
        key_id, key = '', ''
    if scheme.lower() != 'basic' or key_id != MAS_API_KEY_ID or not hmac.compare_digest(key.encode(), MAS_API_KEY.encode()):
        raise _mas_error(401, 'AIUCO1003E', 'The API key is not valid.')
    return json_response({'token': users(request).issue()})


def _int_arg(request, name, default, lowest, highest):
    try:
        value = int(request.arg(name, default))
    except ValueError:
        raise _mas_error(400, 'AIUCO1010E', '%s must be an integer' % name) from None
    return max(lowest, min(highest, value))


@ROUTES.route('GET', '/v3/users', auth=False)
def list_users(request):
    state = _authed(request)
    count = _int_arg(request, 'count', 100, 1, MAX_PAGE)
    start = _int_arg(request, 'start', 0, 0, 10 ** 9)
    ids = sorted(state.users)[start:start + count]
    return json_response([state.users[user_id] for user_id in ids])


def _body(request):
    data = request.json(required=True)
    if not isinstance(data, dict):
        raise _mas_error(400, 'AIUCO1011E', 'The body must be a JSON object.')
    return data


def _check_identity(user):
    for name in ('id', 'username'):
        if not isinstance(user.get(name), str) or not user[name].strip():
            raise _mas_error(400, 'AIUCO1012E', 'The user %s is required.' % name)


@ROUTES.route('POST', '/v3/users', auth=False)
def create_user(request):
    state = _authed(request)
    user = _body(request)
    _check_identity(user)
    if user['id'] in state.users:
        raise _mas_error(409, 'AIUCO1020E', 'A user with id %s already exists.' % user['id'])
    user = copy.deepcopy(user)
    user.setdefault('status', {'active': True})
    state.users[user['id']] = user
    state.touched(user)
    return json_response(user, 201)


def _existing(state, request):
    user_id = request.params['user_id']
    if user_id not in state.users:
        raise _mas_error(404, 'AIUCO1021E', 'The user %s does not exist.' % user_id)
    return user_id, state.users[user_id]


@ROUTES.route('GET', '/v3/users/{user_id}', auth=False)
def get_user(request):
    state = _authed(request)
    return json_response(_existing(state, request)[1])


def _replace(state, user_id, old, new):
    new['id'] = user_id
    new['applications'] = old.get('applications', {})
    _check_identity(new)
    new.setdefault('status', {'active': True})
    state.users[user_id] = new
    if _without_sync(new) != _without_sync(old):
        state.touched(new)
    return json_response(new)


def _without_sync(user):
    view = dict(user)
    view.pop('applications', None)
    return view


@ROUTES.route('PUT', '/v3/users/{user_id}', auth=False)
def put_user(request):
    state = _authed(request)
    user_id, old = _existing(state, request)
    return _replace(state, user_id, old, copy.deepcopy(_body(request)))


@ROUTES.route('PATCH', '/v3/users/{user_id}', auth=False)
def patch_user(request):
    state = _authed(request)
    user_id, old = _existing(state, request)
    patch = _body(request)
    patch.pop('applications', None)
    return _replace(state, user_id, old, merge_patch(copy.deepcopy(old), patch))


@ROUTES.route('PUT', '/workspaces/{workspace}/applications/{application}/users/{user_id}', auth=False)
def set_role(request):
    state = _authed(request)
    user_id, user = _existing(state, request)
    role = _body(request).get('role')
    if not isinstance(role, str) or not role:
        raise _mas_error(400, 'AIUCO1030E', 'A role is required.')
    entry = user.setdefault('applications', {}).setdefault(request.params['application'], {})
    if entry.get('role') != role:
        entry['role'] = role
        entry['workspace'] = request.params['workspace']
        state.writes += 1
    return json_response({'id': user_id, 'role': role})


def register(app):
    app.add_setting('sync_delay', 1.0)
    app.add_setting('token_ttl', 900.0)
    app.add_component('mas_users', MasUsers)
    app.include(ROUTES)
    app.info['mas'] = {'api_key_id': MAS_API_KEY_ID, 'api_key': MAS_API_KEY}
