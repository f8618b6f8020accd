# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM's own MAS user client, ``mas.devops.users.MASUserUtils`` (PyPI ``mas-devops`` 12.11.x), against the sandbox.

Self-contained (needs no conftest.py): the sandbox is started in-process here. Every method an API-key user can use
is called for real; its HTTP calls go to the sandbox unchanged. Only what needs a cluster is faked, each fake marked
``FAKE`` below:

- the Kubernetes client (``DynamicClient``) that reads the superuser and TLS secrets;
- the superuser login (``/logininitial`` with the superuser secret): the token is taken instead with a MAS API key
  from ``GET /v1/authenticate``, as a MAS Dedicated customer gets one;
- the in-cluster service URLs (``coreapi.mas-<inst>-core.svc``...), pointed at the sandbox;
- in-cluster mutual TLS: the calls IBM makes with a client certificate and no ``apikey`` header (the Manage API
  key helpers, ``get_all_manage_groups``) get the ``apikey`` header instead of the certificate.

A table (method, works/fails, why) is printed at the end and written to build/conformance/mas-devops-users.md.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import os
import sys
import time

import pytest

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(TESTS)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)
os.environ.pop('AWS_CA_BUNDLE', None)  # a machine-wide CA bundle breaks the sandbox's S3 part over plain HTTP

users_module = pytest.importorskip('mas.devops.users')
requests = pytest.importorskip('requests')

API_KEY = 'conformance-users-apikey-0123456789'
WORKSPACE = 'main'
ROWS = []


def record(method, works, why):
    ROWS.append((method, 'works' if works else 'fails', why))


@pytest.fixture(scope='module', autouse=True)
def table():
    yield
    lines = ['| MASUserUtils method | result | why |', '| --- | --- | --- |']
    lines += ['| `%s` | %s | %s |' % row for row in ROWS]
    text = '\n'.join(lines) + '\n'
    print('\n' + text)
    out = os.path.join(ROOT, 'build', 'conformance')
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'mas-devops-users.md'), 'w') as handle:
        handle.write(text)


@pytest.fixture(scope='module')
def sandbox():
    from sandbox import create_app  # pylint: disable=import-outside-toplevel
    from sandbox.core import serve_in_thread  # pylint: disable=import-outside-toplevel
    server = serve_in_thread(create_app(API_KEY, {'sync_delay': 0.2, 'stop_delay': 0.1, 'start_delay': 0.1}))
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        server.app.close()


class _NoSecrets:
    """FAKE (Kubernetes): the secrets API. Nothing here may read a secret: the token is preset."""

    def get(self, name=None, namespace=None):
        raise AssertionError('MASUserUtils read the cluster secret %s/%s' % (namespace, name))


class _FakeDynamicClient:
    """FAKE (Kubernetes): what MASUserUtils.__init__ builds from its ApiClient."""

    def __init__(self, api_client):
        self.resources = self

    def get(self, api_version=None, kind=None):
        return _NoSecrets()


class _MutualTls:
    """FAKE (in-cluster mutual TLS): a call made with a client certificate carries the Manage API key instead."""

    def __init__(self, real, api_key):
        self.real = real
        self.api_key = api_key

    def __getattr__(self, name):
        function = getattr(self.real, name)
        if name not in ('get', 'post', 'put', 'patch', 'delete'):
            return function

        def call(url, **kwargs):
            if kwargs.pop('cert', None):
                headers = dict(kwargs.get('headers') or {})
                headers.setdefault('apikey', self.api_key)
                kwargs['headers'] = headers
            kwargs.pop('verify', None)  # FAKE (in-cluster CA files): the sandbox speaks plain HTTP
            return function(url, **kwargs)
        return call


def mas_token(url):
    from sandbox.mas_users import MAS_API_KEY, MAS_API_KEY_ID  # pylint: disable=import-outside-toplevel
    basic = base64.b64encode(('%s:%s' % (MAS_API_KEY_ID, MAS_API_KEY)).encode()).decode()
    answer = requests.get(url + '/v1/authenticate', headers={'Authorization': 'Basic ' + basic})
    answer.raise_for_status()
    return answer.json()['token']


@pytest.fixture(scope='module')
def patched(sandbox):
    saved = users_module.DynamicClient, users_module.requests
    users_module.DynamicClient = _FakeDynamicClient
    users_module.requests = _MutualTls(requests, API_KEY)
    try:
        yield sandbox
    finally:
        users_module.DynamicClient, users_module.requests = saved


def utils_for(server, version):
    utils = users_module.MASUserUtils('sbx', WORKSPACE, object(), version)
    # FAKE (in-cluster service URLs): the three internal services are the sandbox.
    utils.mas_api_url_internal = utils.mas_admin_url_internal = utils.manage_api_url_internal = server.url
    # FAKE (superuser login): a token from a MAS API key, as a Dedicated customer authenticates.
    utils._superuser_auth_token = mas_token(server.url)
    # FAKE (in-cluster CA and client certificate files): not needed over plain HTTP; see _MutualTls.
    utils._core_internal_ca_pem_file_path = utils._admin_internal_ca_pem_file_path = 'in-cluster-ca'
    utils._manage_internal_ca_pem_file_path = 'in-cluster-ca'
    utils._manage_internal_client_pem_file_path = 'in-cluster-client-cert'
    return utils


@pytest.fixture(scope='module')
def utils(patched):
    return utils_for(patched, '9.0')


@pytest.fixture(scope='module')
def utils91(patched):
    return utils_for(patched, '9.1')


def make_group(server, name):
    """Test setup, not IBM's client: a Manage security group through the sandbox's mxapigroup."""
    answer = requests.post(server.url + '/maximo/api/os/mxapigroup', params={'lean': 1},
                           headers={'apikey': API_KEY}, json={'groupname': name, 'description': name})
    assert answer.status_code in (201, 400), answer.text


def wait_synced(server, user_id, timeout=5.0):
    state = server.app.component('mas_users')
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with server.app.lock:
            state.advance()
            sync = ((state.users.get(user_id) or {}).get('applications') or {}).get('manage', {}).get('sync', {})
        if sync.get('state') in ('SUCCESS', 'ERROR'):
            return sync['state']
        time.sleep(0.05)
    return None


def user_def(user_id, **extra):
    user = {'id': user_id, 'username': user_id, 'status': {'active': True}, 'owner': 'local', 'issuer': 'local',
            'emails': [{'value': user_id + '@example.com', 'type': 'Work', 'primary': True}],
            'displayName': 'Conformance ' + user_id, 'givenName': 'Con', 'familyName': 'Formance',
            'entitlement': {'application': 'BASE', 'admin': 'NONE', 'alwaysReserveLicense': True},
            'permissions': {'systemAdmin': False, 'userAdmin': False, 'apikeyAdmin': False}}
    user.update(extra)
    return user


# ---- MAS 9.0 and earlier: the Core API ----------------------------------------------------------------

def test_users_get_create_update_patch(utils):
    assert utils.get_user('cf1') == (None, None)
    record('get_user (absent, 9.0)', True, '404 -> (None, None)')
    dummy, created = utils.get_or_create_user(user_def('cf1'))
    assert created['id'] == 'cf1'
    dummy, again = utils.get_or_create_user(user_def('cf1'))
    assert again['id'] == 'cf1'
    record('get_or_create_user (9.0)', True, 'POST /v3/users 201; second call finds the user')
    updated = utils.update_user(dict(user_def('cf1'), title='Engineer'))
    assert updated['title'] == 'Engineer'
    record('update_user', True, 'PUT /v3/users/{id} 200')
    patched = utils.update_user_display_name('cf1', 'Renamed cf1')
    assert patched['displayName'] == 'Renamed cf1'
    record('update_user_display_name', True, 'PATCH /v3/users/{id} {"displayName"} 200')
    with pytest.raises(Exception, match='404'):
        utils.update_user(user_def('nobody'))


def test_local_identity(utils):
    utils.get_or_create_user(user_def('cf2'))
    assert utils.link_user_to_local_idp('cf2', email_password=True) is None
    dummy, user = utils.get_user('cf2')
    assert '_local' in user['identities']
    assert utils.link_user_to_local_idp('cf2') is None  # idempotent: IBM checks identities._local first
    record('link_user_to_local_idp (9.0)', True, 'PUT /v3/users/{id}/idps/local?emailPassword=; again: no call')


def test_workspaces(utils):
    utils.get_or_create_user(user_def('cf3'))
    assert utils.get_user_workspaces('cf3') == []
    utils.add_user_to_workspace('cf3', is_workspace_admin=False)
    assert [w['id'] for w in utils.get_user_workspaces('cf3')] == [WORKSPACE]
    utils.add_user_to_workspace('cf3')  # a member already: no PUT
    record('get_user_workspaces', True, 'GET /v3/users/{id}/workspaces')
    record('add_user_to_workspace', True, 'PUT /workspaces/{ws}/users/{id} {"permissions"}; idempotent')
    with pytest.raises(Exception, match='does not exist'):
        utils.get_user_workspaces('nobody')


def test_applications_in_workspace(utils):
    ids = [app['id'] for app in utils.get_mas_applications_in_workspace()]
    assert 'manage' in ids
    assert 'health' not in utils.mas_workspace_application_ids
    record('get_mas_applications_in_workspace', True, 'GET /workspaces/{ws}/applications')
    assert utils.get_mas_application_availability('manage')['ready'] is True
    utils.await_mas_application_availability('manage', timeout_secs=5, retry_interval_secs=0.1)
    record('get_mas_application_availability / await_mas_application_availability', True,
           'GET /workspaces/{ws}/applications/{app}: ready and available')


def test_application_permissions(utils):
    utils.get_or_create_user(user_def('cf4'))
    assert utils.get_user_application_permissions('cf4', 'manage') is None
    record('get_user_application_permissions', True, 'GET /workspaces/{ws}/applications/{app}/users/{id}, 404 -> None')
    utils.add_user_to_workspace('cf4')
    utils.set_user_application_permission('cf4', 'manage', 'MANAGEUSER')
    assert utils.get_user_application_permissions('cf4', 'manage')['role'] == 'MANAGEUSER'
    utils.set_user_application_permission('cf4', 'manage', 'OTHER')  # IBM leaves an existing role alone
    assert utils.get_user_application_permissions('cf4', 'manage')['role'] == 'MANAGEUSER'
    record('set_user_application_permission', True, 'PUT .../applications/{app}/users/{id} {"role"} after the membership')


def test_role_without_membership_is_refused(utils):
    utils.get_or_create_user(user_def('cf5'))
    with pytest.raises(Exception, match='not a member of the workspace'):
        utils.set_user_application_permission('cf5', 'manage', 'MANAGEUSER')


def test_check_user_sync(utils, patched):
    utils.get_or_create_user(user_def('cf6'))
    utils.check_user_sync('cf6', 'manage', timeout_secs=10, retry_interval_secs=0.1)
    record('check_user_sync (PENDING -> SUCCESS)', True, 'reads applications.manage.sync.state of GET /v3/users/{id}')


def test_check_user_sync_resyncs_an_error_user(utils, patched):
    pods = patched.app.component('manage')
    with patched.app.lock:
        pods.phase, pods.until = pods.STOPPED, None  # the sync agent cannot reach Manage: the sync ends in ERROR
    utils.get_or_create_user(user_def('cf7'))
    assert wait_synced(patched, 'cf7') == 'ERROR'
    with patched.app.lock:
        pods.phase = pods.RUNNING
    seen = patched.app.requests.seq
    utils.check_user_sync('cf7', 'manage', timeout_secs=10, retry_interval_secs=0.1)
    assert wait_synced(patched, 'cf7') == 'SUCCESS'
    calls = [(e['method'], e['path']) for e in patched.app.requests.listing() if e['seq'] > seen]
    assert ('PATCH', '/v3/users/cf7') in calls  # the re-sync IBM's client issued
    record('check_user_sync (ERROR -> resync -> SUCCESS)', True,
           'resync_users: a no-op PATCH displayName queues the sync again')
    utils.resync_users(['cf7'])
    record('resync_users', True, 'GET then PATCH /v3/users/{id} {"displayName": held}')


def test_manage_api_key_helpers(utils, patched):
    key = utils.create_or_get_manage_api_key_for_user('MXINTADM')
    assert key['apikey'] == API_KEY and key['userid'] == 'MXINTADM'
    record('create_or_get_manage_api_key_for_user (exists)', True, 'POST mxapiapikey 400 BMXAA10051E -> GET')
    assert utils.get_manage_api_key_for_user('MAXADMIN') is None
    created = utils.create_or_get_manage_api_key_for_user('MAXADMIN')
    assert created['userid'] == 'MAXADMIN' and created['href'].endswith(created['href'].rsplit('/', 1)[-1])
    record('create_or_get_manage_api_key_for_user (new)', True, 'POST mxapiapikey 201 -> GET oslc.where userid')
    record('get_manage_api_key_for_user', True, 'GET mxapiapikey?oslc.where=userid="U"&oslc.select=*')
    utils.delete_manage_api_key(created)
    utils.delete_manage_api_key(created)  # 404 counts as gone
    assert utils.get_manage_api_key_for_user('MAXADMIN') is None
    record('delete_manage_api_key', True, 'DELETE mxapiapikey/{id} 204, then 404 accepted')
    with pytest.raises(Exception, match='BMXAA0024E'):
        utils.create_or_get_manage_api_key_for_user('NOSUCHUSER')


def test_manage_groups(utils, patched):
    utils.get_or_create_user(user_def('cf8'))
    assert wait_synced(patched, 'cf8') == 'SUCCESS'
    make_group(patched, 'CFGROUP')
    key = utils.create_or_get_manage_api_key_for_user('MXINTADM')
    group_id = utils.get_manage_group_id('CFGROUP', key)
    assert isinstance(group_id, int)
    assert utils.get_manage_group_id('NOSUCHGROUP', key) is None
    record('get_manage_group_id', True, 'GET mxapigroup?oslc.select=maxgroupid&oslc.where=groupname="G"')
    assert utils.is_user_in_manage_group('CFGROUP', 'CF8', key) is False
    utils.add_user_to_manage_group('CF8', 'CFGROUP', key)
    assert utils.is_user_in_manage_group('CFGROUP', 'CF8', key) is True
    utils.add_user_to_manage_group('CF8', 'CFGROUP', key)  # a member already: no PATCH
    record('is_user_in_manage_group', True, 'GET mxapigroup/{maxgroupid}/groupuser?oslc.where=userid="U"')
    record('add_user_to_manage_group', True, 'POST mxapigroup/{maxgroupid} PATCH MERGE {"groupuser"} 204')
    with pytest.raises(Exception, match='BMXAA0024E'):
        utils.add_user_to_manage_group('NOTSYNCED', 'CFGROUP', key)
    assert 'CFGROUP' in utils.get_all_manage_groups()
    record('get_all_manage_groups', True, 'GET mxapigroup?oslc.select=groupname')


def test_create_initial_users_for_saas_9_0(utils, patched):
    make_group(patched, 'MAXADMIN')
    users = utils.parse_initial_users_from_aws_secret_json({'p90@example.com': 'primary,Pat,Primary',
                                                            's90@example.com': 'secondary,Sam,Second,s90'})
    record('parse_initial_users_from_aws_secret_json', True, 'pure')
    result = utils.create_initial_users_for_saas(users)
    assert [u['id'] for u in result['completed']] == ['p90@example.com', 's90'] and result['failed'] == []
    assert utils.get_user_application_permissions('s90', 'manage')['role'] == 'MANAGEUSER'
    record('create_initial_users_for_saas (9.0)', True, 'user, local identity, workspace, roles, sync, MAXADMIN')


# ---- MAS 9.1 and later: Manage masperuser -----------------------------------------------------------

def person(user_id, **extra):
    record_ = {'personid': user_id, 'primaryemailtype': 'Work', 'primaryemail': user_id + '@example.com',
               'primaryphone': '', 'addressline1': '', 'displayName': 'Nine One ' + user_id,
               'maxuser': {'userid': user_id, 'personid': user_id, 'loginid': user_id, 'owner': 'local',
                           'systemadmin': False, 'apikeyadmin': False, 'isauthorized': 0, 'idpadmin': False,
                           'status': 'ACTIVE'}}
    record_.update(extra)
    return record_


def test_91_masperuser(utils91, patched):
    assert utils91.get_user('P91') == (None, None)
    record('get_user (absent, 9.1)', True, 'masperuser oslc.where user.userid / personid: no member -> None')
    resource_id, created = utils91.get_or_create_user(person('P91'))
    assert resource_id and created['personid'] == 'P91' and created['displayname'] == 'Nine One P91'
    record('get_or_create_user (9.1)', True, 'POST masperuser 201 with no body, read again for the resource id')
    key = utils91.create_or_get_manage_api_key_for_user('MXINTADM')
    utils91.link_user_to_local_idp('P91', email_password=True, manage_api_key=key, resource_id=resource_id)
    held = patched.app.component('manage_people').people[resource_id]
    assert held['maxuser']['masuseridp'][0]['idpid'] == 'local'
    record('link_user_to_local_idp (9.1)', True, 'POST masperuser/{id} PATCH MERGE maxuser.masuseridp')
    utils91.set_user_group_reassignment_auth('P91', resource_id, [{'groupname': 'CFGROUP'}], key)
    assert held is not patched.app.component('manage_people').people[resource_id]
    record('set_user_group_reassignment_auth (9.1)', True, 'PATCH MERGE maxuser.grpreassignauth 204')
    utils91.resync_users(['P91'])
    record('resync_users (9.1)', True, 'displayname from masperuser, PATCH /v3/users/{id} (the MAS side of the person)')


def test_91_check_user_sync_cannot_succeed(utils91, patched):
    utils91.get_or_create_user(person('P92'))
    with pytest.raises(Exception, match='sync failed to complete'):
        utils91.check_user_sync('P92', 'manage', timeout_secs=0.5, retry_interval_secs=0.1)
    record('check_user_sync (9.1)', False, 'IBM reads applications.<app>.sync from a masperuser record selected as '
           'personid,displayname: never there, so it re-syncs until its timeout (IBM\'s 9.1 flow never calls it)')


def test_create_initial_users_for_saas_9_1(utils91, patched):
    make_group(patched, 'USERMANAGEMENT')
    users = {'users': {'primary': [{'email': 'p91@example.com', 'given_name': 'Pia', 'family_name': 'Primary',
                                    'id': 'P91B'}], 'secondary': []}}
    result = utils91.create_initial_users_for_saas(users)
    assert result['failed'] == [] and len(result['completed']) == 1
    assert 'P91B' in patched.app.component('mas_users').manage_users
    record('create_initial_users_for_saas (9.1)', True, 'masperuser, local identity, group reassignment, USERMANAGEMENT')


def test_cluster_only_parts_are_not_used(utils):
    # FAKE boundary: these read Kubernetes secrets or log in as the superuser; a Dedicated customer has neither.
    with pytest.raises(AssertionError, match='cluster secret'):
        utils.mas_superuser_credentials  # pylint: disable=pointless-statement
    record('mas_superuser_credentials / superuser_auth_token', False, 'need the cluster (superuser secret, '
           '/logininitial on the internal admin dashboard): faked by a token from a MAS API key')
