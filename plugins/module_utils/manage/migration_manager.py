# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Migration Manager packages through Manage's REST API [doc]: create and distribute on the source, download and
upload for a file target, deploy on the target (with admin mode when the package needs it), reset and reactivate the
change event tracking of a CHANGE package definition.

Source: IBM Maximo REST API guide, "Migration Manager APIs"
(https://ibm-maximo-dev.github.io/maximo-restapi-documentation/migrationmanager/api): ``POST /dm/create``,
``/dm/distribute``, ``GET /dm/download``, ``POST /dm/upload?filename=``, ``/dm/deploy``, ``/dm/completedeploy``,
``/dm/reset``, ``/dm/toggleactive``, ``POST /adminmode/on``, ``GET /adminmode/state``, ``POST /adminmode/off``; the
admin-mode error ``BMXAA0578E`` carrying the ``dmpackageid``. The paths are relative to the API root, which the
guide's other pages give as ``/maximo/api`` (derived, docs/contracts.md). The body of ``/dm/deploy``, the key of the
admin-mode state in its JSON and the status of the admin-mode error are not shown there (unverified).

The first part is pure (names checked, calls planned, answers read); ``MigrationManager`` does the I/O through one
``MasHttpClient``.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import re

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError, error_detail

API_ROOT = '/maximo/api'
DM = API_ROOT + '/dm/'
ADMIN_MODE = API_ROOT + '/adminmode/'
# "the client should be able to identify the error code (BMXAA0578E) and make the needed calls to setup the admin
# mode and then call the /dm/completedeploy api and then turn the admin mode off" (IBM guide).
ADMIN_MODE_ERROR = 'BMXAA0578E'
# GET /adminmode/state: "a state value of 0,1,2 ... 1 - which implies that the admin mode is on. The value of 2 would
# indicate that its still pending" (IBM guide); 0 is then off.
ADMIN_MODE_OFF, ADMIN_MODE_ON, ADMIN_MODE_PENDING = 0, 1, 2
# The DMPACKAGE attributes the guide lists for the answers of create and distribute.
PACKAGE_ATTRIBUTES = ('dmpackageid', 'pkgdefname', 'source', 'status', 'filename', 'readme', 'createdate', 'createby')

ACTIONS = ('create', 'download', 'upload', 'deploy', 'reset', 'toggle_active')
# The options each action takes beyond the connection ones (anything else given is refused, so nothing is ignored).
ACTION_OPTIONS = {
    'create': ('package_definition', 'readme', 'target', 'distribute'),
    'download': ('package_definition', 'dmpackageid', 'dest'),
    'upload': ('src', 'filename'),
    'deploy': ('package_definition', 'dmpackageid', 'admin_mode', 'admin_sessions', 'logout_minutes',
               'wait_timeout', 'poll_interval'),
    'reset': ('package_definition',),
    'toggle_active': ('package_definition',),
}
REQUIRED = {
    'create': ('package_definition',), 'download': ('package_definition', 'dmpackageid', 'dest'),
    'upload': ('src',), 'deploy': ('package_definition', 'dmpackageid'), 'reset': ('package_definition',),
    'toggle_active': ('package_definition',),
}
# Options with a default: "given" means other than the default.
DEFAULTS = {'readme': 'Created by mas.dedicated.migration_package', 'distribute': True, 'admin_mode': False,
            'admin_sessions': 5, 'logout_minutes': 1, 'wait_timeout': 1800, 'poll_interval': 10.0}

# Package definition and target names: Maximo names (the guide's examples are TESTDD, mytarget). Letters, digits and
# _ . - only, as they go into a query string and a JSON body (the exact rules of Migration Manager are unverified).
_NAME = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$')


def name_problem(option, value):
    if value is None:
        return None
    if not _NAME.match(value):
        return ("%s '%s' must be a Migration Manager name of letters, digits, '_', '.' and '-' (at most 100)"
                % (option, value[:60]))
    return None


def filename_problem(value, option='filename'):
    """Why ``value`` cannot be the file name of a package zip sent in ``upload?filename=`` (None when fine)."""
    if value is None:
        return None
    if value in ('', '.', '..') or '..' in value or any(c in value for c in '/\\\r\n\x00') or \
            any(ord(c) < 32 or ord(c) == 127 for c in value) or len(value) > 200:
        return ("%s '%s' must be a plain file name (no '/', '\\', '..', line break or control character, at most 200 "
                "characters)" % (option, value[:60].encode('unicode_escape').decode('ascii')))
    return None


def input_problems(params):
    """Every problem of the options for their action, before anything is sent (pure)."""
    action = params['action']
    problems = []
    for option in REQUIRED[action]:
        if params.get(option) in (None, ''):
            problems.append('%s is required with action=%s' % (option, action))
    # The waiting options come from a shared doc fragment and often from module_defaults: not refused elsewhere.
    allowed = set(ACTION_OPTIONS[action]) | set(('wait_timeout', 'poll_interval'))
    for option in sorted(set(o for names in ACTION_OPTIONS.values() for o in names) - allowed):
        value = params.get(option)
        if value is not None and value != DEFAULTS.get(option):
            problems.append('%s does not apply to action=%s (it takes: %s)' % (option, action, ', '.join(ACTION_OPTIONS[action])))
    for option in ('package_definition', 'target'):
        found = name_problem(option, params.get(option))
        if found:
            problems.append(found)
    found = filename_problem(params.get('filename'))
    if found:
        problems.append(found)
    return problems


class Call:
    """One request of the plan: what is (or in check mode would be) sent."""

    def __init__(self, method, path, body=None, query=None, note=None):
        self.method = method
        self.path = path
        self.body = body
        self.query = query
        self.note = note

    def as_dict(self):
        found = {'method': self.method, 'path': self.path}
        for name in ('query', 'body', 'note'):
            if getattr(self, name) is not None:
                found[name] = getattr(self, name)
        return found


def create_body(package_definition, readme):
    return {'pkgdefname': package_definition, 'readme': readme}


def distribute_body(package_definition, dmpackageid, target=None):
    """Without ``target`` every target of the definition receives the package (IBM guide)."""
    body = {'pkgdefname': package_definition, 'dmpackageid': dmpackageid}
    if target:
        body['targetname'] = target
    return body


def package_body(package_definition, dmpackageid):
    """The body of completedeploy (IBM guide); deploy's body is not shown there, the same one is sent (unverified)."""
    return {'pkgdefname': package_definition, 'dmpackageid': dmpackageid}


def admin_on_body(sessions, logout_minutes):
    return {'numsessions': sessions, 'logoutmin': logout_minutes}


def plan(params, filename=None):
    """The calls an action makes, in order (what check mode reports). Values known only from an earlier answer
    are shown as a placeholder."""
    action = params['action']
    name = params.get('package_definition')
    if action == 'create':
        calls = [Call('POST', DM + 'create', create_body(name, params['readme']))]
        if params['distribute']:
            calls.append(Call('POST', DM + 'distribute', distribute_body(name, '<dmpackageid from create>',
                                                                         params.get('target'))))
        return calls
    if action == 'download':
        return [Call('GET', DM + 'download', query={'dmpackagedef': name, 'dmpackageid': params['dmpackageid']})]
    if action == 'upload':
        return [Call('POST', DM + 'upload', query={'filename': filename}, note='the zip file as the body')]
    if action == 'deploy':
        calls = [Call('POST', DM + 'deploy', package_body(name, params['dmpackageid']))]
        if params['admin_mode']:
            calls.extend([
                Call('POST', ADMIN_MODE + 'on', admin_on_body(params['admin_sessions'], params['logout_minutes']),
                     note='only when deploy answers %s' % ADMIN_MODE_ERROR),
                Call('GET', ADMIN_MODE + 'state', note='until it is 1 (on)'),
                Call('POST', DM + 'completedeploy', package_body(name, '<dmpackageid of the error>')),
                Call('POST', ADMIN_MODE + 'off', note='always, once admin mode was asked for')])
        return calls
    if action == 'reset':
        return [Call('POST', DM + 'reset', {'pkgdefname': name})]
    return [Call('POST', DM + 'toggleactive', {'pkgdefname': name})]


def package_view(body):
    """The DMPACKAGE attributes of an answer (any others kept too, but never a nested structure)."""
    if not isinstance(body, dict):
        return {}
    found = dict((k, v) for k, v in body.items() if not isinstance(v, (dict, list)) and k != 'distributionmessage')
    return dict((k, found[k]) for k in sorted(found, key=lambda k: (k not in PACKAGE_ATTRIBUTES, k)))


def _error_of(body):
    if isinstance(body, dict):
        inner = body.get('Error') or body.get('error')
        if isinstance(inner, dict):
            return inner
    return None


def admin_mode_error(body):
    """(True, dmpackageid or None) when an error answer is Manage's "admin mode needed" (BMXAA0578E), else
    (False, None). The guide's sample names the code only in ``extendedError.moreInfo.href``; Maximo's other error
    documents carry ``reasonCode`` and a ``message`` starting with the code, so any of the three counts."""
    inner = _error_of(body)
    if inner is None:
        return False, None
    more = ((inner.get('extendedError') or {}).get('moreInfo') or {}) if isinstance(inner.get('extendedError'), dict) \
        else {}
    href = str(more.get('href') or '') if isinstance(more, dict) else ''
    hit = href.rstrip('/').endswith('/' + ADMIN_MODE_ERROR) or str(inner.get('reasonCode') or '') == ADMIN_MODE_ERROR \
        or str(inner.get('message') or '').startswith(ADMIN_MODE_ERROR)
    if not hit:
        return False, None
    package = None
    if str(inner.get('errorattrname') or '').lower() == 'dmpackageid' and inner.get('errattrvalue') not in (None, ''):
        package = inner['errattrvalue']
        try:
            package = int(package)
        except (TypeError, ValueError):
            pass
    return True, package


def admin_state(body):
    """The admin-mode state (0, 1 or 2) from the answer of GET /adminmode/state, or None when it holds none.

    The guide says only that the JSON contains the state value: a bare number, or the first of ``state``,
    ``adminmode``, ``status``, ``value`` that holds one, is taken (unverified shape)."""
    candidates = [body]
    if isinstance(body, dict):
        candidates = [body.get(k) for k in ('state', 'adminmode', 'adminModeState', 'status', 'value')]
    for value in candidates:
        if isinstance(value, bool):
            continue
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            continue
        if number in (ADMIN_MODE_OFF, ADMIN_MODE_ON, ADMIN_MODE_PENDING):
            return number
    return None


class AdminModeNeeded(ServiceError):
    """deploy answered BMXAA0578E: the package needs admin mode, which was not asked for."""

    def __init__(self, message, dmpackageid=None):
        super(AdminModeNeeded, self).__init__(message)
        self.dmpackageid = dmpackageid

    def to_dict(self):
        return {'code': ADMIN_MODE_ERROR, 'dmpackageid': self.dmpackageid}


# ---- I/O ------------------------------------------------------------------------------------------------------

class MigrationManager:
    """The dm/* and adminmode/* calls through one MasHttpClient bound to a Manage URL.

    Retries are the client's: GETs on a connection failure or 429/502-504; the POSTs that start work (create,
    distribute, upload, deploy, completedeploy, toggleactive) only when Manage cannot have acted on them (a 429, a
    connection that never opened); admin mode on/off and reset, which do the same when repeated, also on 502-504.
    """

    def __init__(self, client):
        self.client = client

    def _post(self, name, body, idempotent=False):
        return self.client.post_json(DM + name, body, expect=(200, 201), idempotent=idempotent)

    def create(self, package_definition, readme):
        return self._post('create', create_body(package_definition, readme))

    def distribute(self, package_definition, dmpackageid, target=None):
        return self._post('distribute', distribute_body(package_definition, dmpackageid, target))

    def download(self, package_definition, dmpackageid):
        """The streamed answer of GET /dm/download (the caller writes it and closes it)."""
        return self.client.request('GET', DM + 'download', params={'dmpackagedef': package_definition,
                                                                   'dmpackageid': dmpackageid}, stream=True)

    def upload(self, filename, data):
        response = self.client.request('POST', DM + 'upload', params={'filename': filename}, data=data,
                                       headers={'Content-Type': 'application/octet-stream'}, expect=(200, 201, 204),
                                       idempotent=False)
        return self._json_or_empty(response, DM + 'upload')

    def _json_or_empty(self, response, path):
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            return {'answer': response.text[:200]}

    def _deploy_call(self, name, package_definition, dmpackageid):
        """POST deploy or completedeploy; AdminModeNeeded on BMXAA0578E, MasApiError on any other error."""
        path = DM + name
        # Error statuses are read here (not by the client) to find BMXAA0578E in the body; a 429 or a connection
        # that never opened is still retried by the client, as it is not in ``expect``.
        response = self.client.request('POST', path, json_body=package_body(package_definition, dmpackageid),
                                       expect=(200, 201, 204, 400, 403, 409, 412, 500), idempotent=False)
        if response.status_code < 300:
            return self._json_or_empty(response, path)
        try:
            body = json.loads(response.text or 'null')
        except ValueError:
            body = None
        needed, package = admin_mode_error(body)
        if needed:
            raise AdminModeNeeded('%s: %s' % (self.client.call_name('POST', path), error_detail(response) or
                                              ADMIN_MODE_ERROR), package if package is not None else dmpackageid)
        raise MasApiError(self.client.call_name('POST', path), status=response.status_code,
                          detail=error_detail(response), secrets=self.client.secrets,
                          hint='the package failed the target\'s validation or cannot be deployed: fix the data on '
                               'the source and create the package again (IBM guide)' if response.status_code == 400
                          else None)

    def deploy(self, package_definition, dmpackageid):
        return self._deploy_call('deploy', package_definition, dmpackageid)

    def complete_deploy(self, package_definition, dmpackageid):
        return self._deploy_call('completedeploy', package_definition, dmpackageid)

    def admin_mode_on(self, sessions, logout_minutes):
        return self.client.post_json(ADMIN_MODE + 'on', admin_on_body(sessions, logout_minutes), expect=(200, 201, 204),
                                     idempotent=True)

    def admin_mode_state(self):
        return admin_state(self.client.get_json(ADMIN_MODE + 'state'))

    def admin_mode_off(self):
        return self.client.post_json(ADMIN_MODE + 'off', None, expect=(200, 201, 204), idempotent=True)

    def reset(self, package_definition):
        return self._post('reset', {'pkgdefname': package_definition}, idempotent=True)

    def toggle_active(self, package_definition):
        return self._post('toggleactive', {'pkgdefname': package_definition})


def step_path(step):
    """The path of a step of deploy_package ('deploy', 'adminmode/on' ...)."""
    return '%s/%s' % (API_ROOT, step) if step.startswith('adminmode/') else DM + step


def _unknown(exc):
    """Whether a failed call may still have been acted on: its answer was lost, or a gateway (502, 504) answered in
    Manage's place after forwarding it."""
    if not isinstance(exc, MasApiError):
        return False
    return (exc.kind in ('connection', 'timeout') and exc.status is None) or exc.status in (502, 504)


def deploy_package(manager, package_definition, dmpackageid, admin_mode=False, admin_sessions=5, logout_minutes=1,
                   wait_timeout=1800, poll_interval=10.0, sleep=None, clock=None):
    """Deploy a package on the target; with ``admin_mode``, an answer BMXAA0578E turns admin mode on, waits for it,
    completes the deploy and turns admin mode off again, whatever happened in between.

    Returns {deployed, warning_message, admin_mode_used, dmpackageid, steps}; raises ServiceError (its result says
    ``deployed`` false, or None when it cannot be known) on any failure.
    """
    kwargs = {}
    if sleep is not None:
        kwargs['sleep'] = sleep
    if clock is not None:
        kwargs['clock'] = clock
    steps = ['deploy']
    try:
        answer = manager.deploy(package_definition, dmpackageid)
        return {'deployed': True, 'warning_message': (answer or {}).get('warningmsg'), 'admin_mode_used': False,
                'dmpackageid': dmpackageid, 'steps': steps}
    except AdminModeNeeded as exc:
        needed = exc
    except MasApiError as exc:
        raise ServiceError('%s%s' % (exc, ' Whether Manage deployed the package is not known: read the target back.'
                                     if _unknown(exc) else ' Nothing was deployed.'),
                           error=exc.to_dict(), deployed=None if _unknown(exc) else False, steps=steps)
    package = needed.dmpackageid if needed.dmpackageid is not None else dmpackageid
    if not admin_mode:
        raise ServiceError(
            'Nothing was deployed: package %s of %s needs Manage in admin mode (%s). Set admin_mode: true to let the '
            'task turn admin mode on (Manage logs every other user out after logout_minutes and allows only '
            'admin_sessions sessions), complete the deployment and turn admin mode off again; or deploy it in the '
            'Migration Manager application in a maintenance window.' % (package, package_definition, ADMIN_MODE_ERROR),
            error=needed.to_dict(), deployed=False, admin_mode_needed=True, dmpackageid=package, steps=steps)
    # Imported here: only this path waits.
    from ansible_collections.mas.dedicated.plugins.module_utils.common.waiting import poll
    failure = None
    answer = None
    try:
        steps.append('adminmode/on')
        manager.admin_mode_on(admin_sessions, logout_minutes)
        steps.append('adminmode/state')
        poll(lambda: manager.admin_mode_state() == ADMIN_MODE_ON, 'admin mode to be on (state 1)', wait_timeout,
             poll_interval, **kwargs)
        steps.append('completedeploy')
        answer = manager.complete_deploy(package_definition, package)
    except ServiceError as exc:
        failure = exc
    # Admin mode goes off again in every case, once it was asked for.
    steps.append('adminmode/off')
    off_error = None
    try:
        manager.admin_mode_off()
    except ServiceError as exc:
        off_error = exc
    off_failed = ('turning admin mode off failed (%s): turn it off in Manage at once, users cannot log in'
                  % off_error) if off_error else None
    if failure is not None:
        unknown = _unknown(failure) and steps[-2] == 'completedeploy'
        raise ServiceError('Package %s of %s: %s%s %s.' % (
            package, package_definition, failure.message(),
            ' Whether Manage completed the deployment is not known: read the target back.' if unknown
            else ' The deployment was not completed.',
            ('And ' + off_failed) if off_failed else 'Admin mode was turned off again'),
            error=failure.to_dict(), deployed=None if unknown else False, admin_mode_used=True,
            admin_mode_off=off_error is None, changed=True, dmpackageid=package, steps=steps)
    if off_error is not None:
        raise ServiceError('Package %s of %s was deployed, but %s.' % (package, package_definition, off_failed),
                           error=off_error.to_dict(), deployed=True, admin_mode_used=True, admin_mode_off=False,
                           changed=True, dmpackageid=package, steps=steps)
    return {'deployed': True, 'warning_message': (answer or {}).get('warningmsg'), 'admin_mode_used': True,
            'dmpackageid': package, 'steps': steps}
