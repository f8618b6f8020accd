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

Routes IBM's client calls (mas-devops 12.11.1 ``mas/devops/users.py``, ``MASUserUtils``; README.md names the method
per route): ``GET /v3/users/{id}/workspaces`` and ``PUT /workspaces/{ws}/users/{id}`` (membership);
``GET /workspaces/{ws}/applications/{app}/users/{id}`` (the role, 404 when none: roles are not part of the user
record, which holds only ``applications.<app>.sync``); ``PUT /v3/users/{id}/idps/local?emailPassword=B``;
``GET /workspaces/{ws}/applications`` and ``GET /workspaces/{ws}/applications/{app}``. A role is refused (400)
for a user who is not a member of the workspace [guess: IBM's client always adds the membership first]. Every
PUT/PATCH of a user queues its synchronisation again, even when nothing changed: IBM's ``resync_users`` relies on
that (a no-op ``displayName`` PATCH). Errors are MAS documents, ``{"exception": {"id", "properties"}, "message"}``
(as quoted in IBM's support page "MASUSERSYNC fails to sync user as it already exists").

The sync agent: a write that changes a user with a Manage entitlement makes its
``applications.manage.sync.state`` PENDING; ``sync_delay`` seconds later (evaluated lazily) it becomes SUCCESS,
or ERROR with a message when a value breaks Manage's limits (Table 1 of the seed page, typed in here on its own
so that the collection's validator is checked against an independent reading). A user made inactive, or left
without an entitlement, goes DELETE_PENDING and then SUCCESS with its Manage user INACTIVE: never deleted.
Synchronised users are the Manage users that ``mxapigroup`` membership may name (manage_rest.py). A sync that
comes due while the Manage pods are not running ends in ERROR (the agent cannot reach Manage): the sandbox's way
to produce an ERROR that a re-sync clears.
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
WORKSPACES = ('main',)
# The applications of the sandbox's workspace, as GET /workspaces/{ws}/applications lists them ("health" is one
# IBM's client filters out).
APPLICATIONS = ('manage', 'health')

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


class MasError(HttpError):
    """A MAS core API error document: ``{"exception": {"id", "properties"}, "message": "ID: text"}``."""

    def __init__(self, status, code, message, properties=()):
        super(MasError, self).__init__(status, code, message)
        self.properties = list(properties)

    def response(self):
        body = {'exception': {'id': self.code, 'properties': self.properties},
                'message': '%s: %s' % (self.code, self.message)}
        return json_response(body, self.status)


def _mas_error(status, code, message, properties=()):
    return MasError(status, code, message, properties)


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
        self.members = dict((ws, {}) for ws in WORKSPACES)  # workspace -> user id -> {'workspaceAdmin': bool}
        self.roles = {}  # (workspace, application, user id) -> role
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
            if problem is None and self.app.component('manage').current() != 'running':
                problem = 'BMXAA6713E - The MAS user agent could not reach Maximo Manage.'
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
    if 'identities' in old:
        new['identities'] = old['identities']
    state.users[user_id] = new
    state.touched(new)  # any write queues the sync again (IBM's resync_users is a no-op PATCH)
    return json_response(new)


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


def _workspace(state, request):
    workspace = request.params['workspace']
    if workspace not in state.members:
        raise _mas_error(404, 'AIUCO1040E', 'The workspace %s does not exist.' % workspace, ['workspace', workspace])
    return workspace


def _application(request):
    application = request.params['application']
    if application not in APPLICATIONS:
        raise _mas_error(404, 'AIUCO1041E', 'The application %s is not deployed in the workspace.' % application,
                         ['application', application])
    return application


@ROUTES.route('GET', '/v3/users/{user_id}/workspaces', auth=False)
def user_workspaces(request):
    """MASUserUtils.get_user_workspaces: the workspaces a user belongs to."""
    state = _authed(request)
    user_id, dummy = _existing(state, request)
    return json_response([{'id': ws, 'permissions': dict(members[user_id])}
                          for ws, members in sorted(state.members.items()) if user_id in members])


@ROUTES.route('PUT', '/workspaces/{workspace}/users/{user_id}', auth=False)
def add_member(request):
    """MASUserUtils.add_user_to_workspace: ``{"permissions": {"workspaceAdmin": bool}}``."""
    state = _authed(request)
    workspace = _workspace(state, request)
    user_id, dummy = _existing(state, request)
    permissions = _body(request).get('permissions')
    if not isinstance(permissions, dict) or not isinstance(permissions.get('workspaceAdmin', False), bool):
        raise _mas_error(400, 'AIUCO1042E', 'permissions.workspaceAdmin must be true or false.')
    entry = {'workspaceAdmin': permissions.get('workspaceAdmin', False)}
    if state.members[workspace].get(user_id) != entry:
        state.members[workspace][user_id] = entry
        state.writes += 1
    return json_response({'id': user_id, 'workspace': workspace, 'permissions': entry})


@ROUTES.route('GET', '/workspaces/{workspace}/applications', auth=False)
def workspace_applications(request):
    """MASUserUtils.get_mas_applications_in_workspace."""
    state = _authed(request)
    workspace = _workspace(state, request)
    return json_response([_application_view(workspace, app) for app in APPLICATIONS])


def _application_view(workspace, application):
    return {'id': application, 'workspace': workspace, 'ready': True, 'available': True}


@ROUTES.route('GET', '/workspaces/{workspace}/applications/{application}', auth=False)
def workspace_application(request):
    """MASUserUtils.get_mas_application_availability: ``ready`` and ``available``."""
    state = _authed(request)
    return json_response(_application_view(_workspace(state, request), _application(request)))


@ROUTES.route('GET', '/workspaces/{workspace}/applications/{application}/users/{user_id}', auth=False)
def get_role(request):
    """MASUserUtils.get_user_application_permissions: the role, 404 when the user has none."""
    state = _authed(request)
    workspace, application = _workspace(state, request), _application(request)
    user_id, dummy = _existing(state, request)
    role = state.roles.get((workspace, application, user_id))
    if role is None:
        raise _mas_error(404, 'AIUCO1031E', 'The user %s has no role in %s.' % (user_id, application),
                         ['user', user_id])
    return json_response({'id': user_id, 'role': role})


@ROUTES.route('PUT', '/workspaces/{workspace}/applications/{application}/users/{user_id}', auth=False)
def set_role(request):
    """MASUserUtils.set_user_application_permission: ``{"role": ...}``; the user must be in the workspace."""
    state = _authed(request)
    workspace, application = _workspace(state, request), _application(request)
    user_id, dummy = _existing(state, request)
    role = _body(request).get('role')
    if not isinstance(role, str) or not role:
        raise _mas_error(400, 'AIUCO1030E', 'A role is required.')
    if user_id not in state.members[workspace]:
        raise _mas_error(400, 'AIUCO1032E', 'The user %s is not a member of the workspace %s.' % (user_id, workspace),
                         ['user', user_id])
    if state.roles.get((workspace, application, user_id)) != role:
        state.roles[(workspace, application, user_id)] = role
        state.writes += 1
    return json_response({'id': user_id, 'role': role})


@ROUTES.route('PUT', '/v3/users/{user_id}/idps/local', auth=False)
def link_local(request):
    """MASUserUtils.link_user_to_local_idp (before 9.1): ``?emailPassword=B`` ``{"idpUserId": id}``; the answer
    holds a generated credential (IBM: "DO NOT LOG")."""
    state = _authed(request)
    user_id, user = _existing(state, request)
    email = request.arg('emailPassword', 'false')
    if email not in ('true', 'false', 'True', 'False'):
        raise _mas_error(400, 'AIUCO1050E', 'emailPassword must be true or false.')
    idp_user = _body(request).get('idpUserId')
    if not isinstance(idp_user, str) or not idp_user:
        raise _mas_error(400, 'AIUCO1051E', 'idpUserId is required.')
    if '_local' in (user.get('identities') or {}):
        raise _mas_error(409, 'AIUCO1052E', 'The user %s already has a local identity.' % user_id, ['user', user_id])
    user['identities'] = dict(user.get('identities') or {}, _local={'idpUserId': idp_user})
    state.writes += 1
    credential = 'sbx-pw-' + uuid.uuid4().hex
    state.issued.append(credential)
    return json_response({'id': user_id, 'token': credential})


def register(app):
    app.add_setting('sync_delay', 1.0)
    app.add_setting('token_ttl', 900.0)
    app.add_component('mas_users', MasUsers)
    app.include(ROUTES)
    app.info['mas'] = {'api_key_id': MAS_API_KEY_ID, 'api_key': MAS_API_KEY}
