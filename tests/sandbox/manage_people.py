# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage's user object structures as IBM's client uses them (mas-devops 12.11.1 ``mas/devops/users.py``):

- ``masperuser`` (MAS 9.1 and later: users are created and read in Manage): ``GET /maximo/api/os/masperuser``
  with ``oslc.where`` ``personid="X"`` or ``user.userid="X"`` (the ``maxuser`` child, as ``MASUserUtils.get_user``
  writes it) and ``oslc.select``; ``POST`` creates (201, ``Location``, empty body: IBM's ``get_or_create_user``
  reads the user again); ``POST <href>`` with ``x-method-override: PATCH`` updates, ``patchtype: MERGE`` merging the
  ``maxuser`` object and its rows (``masuseridp`` by ``idpid``, ``grpreassignauth`` and ``groupuser`` by
  ``groupname``) as ``link_user_to_local_idp`` and ``set_user_group_reassignment_auth`` send them; 204.
  Creating a person makes its Manage user (``maxuser.userid``) and, the sync being bidirectional from 9.1 on
  (IBM's 9.1 user synchronisation page), its MAS user, so IBM's ``resync_users`` PATCH reaches it.
- ``mxapiapikey`` (``create_or_get_manage_api_key_for_user``, ``get_manage_api_key_for_user``,
  ``delete_manage_api_key``): ``POST {"expiration": -1, "userid": U}`` 201, or 400 ``BMXAA10051E`` when the user
  has a key already (one key per user); ``GET`` with ``oslc.where=userid="U"``; ``DELETE <href>`` 204 (404 when
  gone). ``MXINTADM`` holds a key from the start, whose value is the sandbox's API key: the only key the sandbox's
  Manage routes accept (keys created here are records, not credentials).

Values are compared exactly: Db2 compares strings case-sensitively.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import copy
import re
import uuid

from .core import HttpError, Router, json_response

ROUTES = Router()
PREFIX = '/maximo/api/os/'
# Manage users that exist before anything is synchronised (Manage's own integration and admin users).
BUILT_IN_USERS = ('MXINTADM', 'MAXADMIN')
_ROW_KEYS = {'masuseridp': 'idpid', 'grpreassignauth': 'groupname', 'groupuser': 'groupname'}
_CONDITION = re.compile(r'^\s*([A-Za-z0-9_.]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$')


def _rest_id(key):
    return '_' + base64.urlsafe_b64encode(str(key).encode('utf-8')).decode('ascii').rstrip('=')


def _require_lean(request):
    if request.arg('lean') != '1':
        raise HttpError(400, 'SANDBOX', 'The sandbox serves the lean JSON form only: add lean=1.')


def _href(request, name, rest_id):
    return 'http://%s%s%s/%s' % (request.header('Host') or 'localhost', PREFIX, name, rest_id)


def _where(text):
    """``a="X" [and b="Y"]`` -> [(path, value)]; ``user.userid`` names the ``maxuser`` object's ``userid``."""
    conditions = []
    for part in re.split(r'\s+and\s+', (text or '').strip()) if text else []:
        match = _CONDITION.match(part)
        if not match:
            raise HttpError(400, 'BMXAA8991E', 'The oslc.where clause %s is not supported.' % part)
        path = match.group(1).lower().split('.')
        if path[0] == 'user':
            path[0] = 'maxuser'
        conditions.append((path, re.sub(r'\\(.)', r'\1', match.group(2))))
    return conditions


def _value(record, path):
    for part in path:
        record = record.get(part) if isinstance(record, dict) else None
    return record


def _select(record, select):
    if not select or select.strip() == '*':
        return copy.deepcopy(record)
    names = [n.strip().lower() for n in select.split(',') if n.strip()]
    return dict((k, copy.deepcopy(v)) for k, v in record.items() if k in names or k == 'href')


def _lower(value):
    if isinstance(value, dict):
        return dict((str(k).lower(), _lower(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def _body(request):
    body = request.json(required=True)
    if not isinstance(body, dict):
        raise HttpError(400, 'BMXAA9590E', 'The body must be a JSON object.')
    return _lower(dict((k, v) for k, v in body.items() if k not in ('href', '_rowstamp')))


def _merge_rows(held, given, key):
    rows = [dict(r) for r in held or []]
    for row in given or []:
        index = next((i for i, r in enumerate(rows) if r.get(key) == row.get(key)), None)
        if index is None:
            rows.append(dict(row))
        else:
            rows[index].update(row)
    return rows


class ManagePeople:
    """masperuser and mxapiapikey records."""

    def __init__(self, app):
        self.app = app
        self.people = {}  # rest id -> record
        self.keys = {}  # rest id -> api key record
        self.writes = 0
        self._add_key('MXINTADM', app.api_key)

    def _add_key(self, userid, value):
        rest_id = _rest_id(userid)
        self.keys[rest_id] = {'userid': userid, 'apikey': value, 'expiration': -1, 'rest_id': rest_id}
        return self.keys[rest_id]

    def manage_user_exists(self, userid):
        return userid in BUILT_IN_USERS or str(userid).upper() in self.app.component('mas_users').manage_users

    def sync_manage_user(self, record):
        """The Manage user a person's ``maxuser`` makes (status ACTIVE/INACTIVE), and its MAS user."""
        maxuser = record.get('maxuser') or {}
        userid = str(maxuser.get('userid') or '').upper()
        if not userid:
            return
        mas = self.app.component('mas_users')
        status = str(maxuser.get('status') or 'ACTIVE').upper()
        mas.manage_users[userid] = {'status': 'INACTIVE' if status == 'INACTIVE' else 'ACTIVE',
                                    'loginid': maxuser.get('loginid') or record.get('personid')}
        person = str(record.get('personid'))
        user = mas.users.setdefault(person, {'id': person, 'username': maxuser.get('loginid') or person,
                                             'status': {'active': True},
                                             'applications': {'manage': {'sync': {'state': 'SUCCESS'}}}})
        user['status'] = {'active': status != 'INACTIVE'}
        if record.get('displayname'):
            user['displayName'] = record['displayname']

    def view(self):
        return {'manage_people': len(self.people), 'manage_api_keys': sorted(k['userid'] for k in self.keys.values())}


def _data(request):
    return request.app.component('manage_people')


def _query_answer(request, records, name):
    conditions = _where(request.arg('oslc.where'))
    found = [r for r in records if all(_value(r, path) == value for path, value in conditions)]
    select = request.arg('oslc.select')
    return json_response({'member': [_select(r, select) for r in found],
                          'responseInfo': {'href': 'http://%s%s%s' % (request.header('Host') or 'localhost', PREFIX, name)}})


def _person_view(request, record):
    view = dict((k, v) for k, v in record.items() if k != 'rest_id')
    view['href'] = _href(request, 'masperuser', record['rest_id'])
    return view


@ROUTES.route('GET', PREFIX + 'masperuser')
@ROUTES.route('GET', PREFIX + 'masperuser/')
def find_people(request):
    """MASUserUtils.get_user (9.1): both of its lookups."""
    _require_lean(request)
    return _query_answer(request, [_person_view(request, r) for r in _data(request).people.values()], 'masperuser')


@ROUTES.route('POST', PREFIX + 'masperuser')
def create_person(request):
    """MASUserUtils.get_or_create_user (9.1): 201 with an empty body."""
    _require_lean(request)
    record = _body(request)
    person = record.get('personid')
    if not isinstance(person, str) or not person:
        raise HttpError(400, 'BMXAA4195E', 'A value is required for PERSONID.')
    data = _data(request)
    rest_id = _rest_id(person)
    if rest_id in data.people:
        raise HttpError(400, 'BMXAA4129E', 'The record %s already exists.' % person)
    maxuser = record.get('maxuser')
    if maxuser is not None and (not isinstance(maxuser, dict) or not maxuser.get('userid')):
        raise HttpError(400, 'BMXAA4195E', 'A value is required for MAXUSER.USERID.')
    record['rest_id'] = rest_id
    data.people[rest_id] = record
    data.sync_manage_user(record)
    data.writes += 1
    return 201, {'Location': _href(request, 'masperuser', rest_id)}, None


def _person(request):
    record = _data(request).people.get(request.params['id'])
    if record is None:
        raise HttpError(404, 'BMXAA8727E', 'The resource %s was not found.' % request.path)
    return record


@ROUTES.route('GET', PREFIX + 'masperuser/{id}')
def read_person(request):
    _require_lean(request)
    return json_response(_select(_person_view(request, _person(request)), request.arg('oslc.select')))


@ROUTES.route('POST', PREFIX + 'masperuser/{id}')
def patch_person(request):
    """link_user_to_local_idp and set_user_group_reassignment_auth (9.1): MERGE patches, 204."""
    if (request.header('x-method-override') or '').upper() != 'PATCH':
        raise HttpError(400, 'BMXAA9547E', 'A POST on a resource needs x-method-override: PATCH.')
    _require_lean(request)
    record = _person(request)
    changes = _body(request)
    merge = (request.header('patchtype') or '') == 'MERGE'
    if 'personid' in changes and changes['personid'] != record['personid']:
        raise HttpError(400, 'BMXAA4128E', 'The key attribute personid cannot be changed.')
    updated = copy.deepcopy(record)
    for attr, value in changes.items():
        if attr == 'maxuser' and isinstance(value, dict):
            held = dict(updated.get('maxuser') or {})
            for name, item in value.items():
                if name in _ROW_KEYS and isinstance(item, list):
                    held[name] = _merge_rows(held.get(name), item, _ROW_KEYS[name]) if merge else item
                else:
                    held[name] = item
            updated['maxuser'] = held
        else:
            updated[attr] = value
    data = _data(request)
    data.people[request.params['id']] = updated
    data.sync_manage_user(updated)
    data.writes += 1
    return 204, None, None


def _key_view(request, record):
    view = dict((k, v) for k, v in record.items() if k != 'rest_id')
    view['href'] = _href(request, 'mxapiapikey', record['rest_id'])
    return view


@ROUTES.route('GET', PREFIX + 'mxapiapikey')
def find_keys(request):
    """MASUserUtils.get_manage_api_key_for_user."""
    _require_lean(request)
    return _query_answer(request, [_key_view(request, r) for r in _data(request).keys.values()], 'mxapiapikey')


@ROUTES.route('POST', PREFIX + 'mxapiapikey')
def create_key(request):
    """MASUserUtils.create_or_get_manage_api_key_for_user: 201 (the record with the properties header), or 400
    BMXAA10051E (one key per user)."""
    _require_lean(request)
    body = _body(request)
    userid = body.get('userid')
    data = _data(request)
    if not isinstance(userid, str) or not data.manage_user_exists(userid):
        raise HttpError(400, 'BMXAA0024E', 'User %s is not a valid user.' % userid)
    if any(k['userid'] == userid for k in data.keys.values()):
        raise HttpError(400, 'BMXAA10051E', 'Only one API key is allowed per user.')
    if not isinstance(body.get('expiration', -1), int):
        raise HttpError(400, 'BMXAA4190E', 'expiration must be a number of minutes, or -1.')
    record = data._add_key(userid, 'sbx-manage-key-' + uuid.uuid4().hex)
    record['expiration'] = body.get('expiration', -1)
    data.writes += 1
    headers = {'Location': _href(request, 'mxapiapikey', record['rest_id'])}
    if request.header('properties'):
        # The record back, as for any create with the properties header (IBM's REST API guide); the public client
        # @maximomize/maximo-api-client reads the new key so (createApiKey, properties "apikey").
        return json_response(_select(_key_view(request, record), request.header('properties')), 201, headers)
    return 201, headers, None


@ROUTES.route('DELETE', PREFIX + 'mxapiapikey/{id}')
def delete_key(request):
    """MASUserUtils.delete_manage_api_key: 204; 404 when already gone."""
    data = _data(request)
    if request.params['id'] not in data.keys:
        raise HttpError(404, 'BMXAA8727E', 'The resource %s was not found.' % request.path)
    del data.keys[request.params['id']]
    data.writes += 1
    return 204, None, None


def register(app):
    app.add_component('manage_people', ManagePeople)
    app.include(ROUTES)
