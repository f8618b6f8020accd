# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Migration Manager's REST API (``/maximo/api/dm/...``, ``/maximo/api/adminmode/...``) and more environments.

The calls follow IBM's Maximo REST API guide, "Migration Manager APIs"
(https://ibm-maximo-dev.github.io/maximo-restapi-documentation/migrationmanager/api); README.md says which parts are
the sandbox's own choice. Every route needs the ``apikey`` header and answers errors in Maximo's ``{"Error": ...}``
shape.

Environments: ``POST /_sandbox/environments {"name": "prod"}`` starts another whole sandbox (its own Manage data, its
own API key ``<key>-<name>``) on a port of its own in the same process, and answers ``{"name", "url", "api_key"}``
(the same environment again for a name already started). The first sandbox is environment ``main``. Environments
share one lock, so a distribution from one to another is atomic. ``POST /_sandbox/reset`` of ``main`` resets every
environment (they keep their ports).

Package definitions are not created through the API (IBM: "these apis are not designed to define a package"): a
test seeds them with ``POST /_sandbox/dm/packagedefs`` on the source environment::

    {"pkgdefname": "ACMEPROMO", "type": "SNAPSHOT",            # or CHANGE
     "objects": {"mxapiautoscript": ["ACME_PROMO"], "mxapiproperty": ["mxe.cosbucketname"]},
     "targets": [{"targetname": "PROD", "type": "database", "environment": "prod"},
                 {"targetname": "FILES", "type": "file"}],
     "admin_mode": false}                                      # true: deploy needs admin mode (BMXAA0578E)
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import copy
import io
import json
import re
import time
import zipfile

from . import manage_rest
from .core import CONTROL_PREFIX, HttpError, Router, iso, json_response, maximo_body

ROUTES = Router()
DM = '/maximo/api/dm/'
ADMIN = '/maximo/api/adminmode/'
# The object structures a package can carry, with IBM's migration object structures they stand for (IBM migration
# groups "Scripting System Objects": DMSCRIPT, DMLAUNCHPOINT; "System": DMMAXPROP, DMCRONTASKDEF; "Integration": end
# points, its object structure name unverified).
CARRIED = {'mxapiautoscript': 'DMSCRIPT, DMLAUNCHPOINT', 'mxapiproperty': 'DMMAXPROP',
           'mxapicrontaskdef': 'DMCRONTASKDEF', 'mxapiendpoint': 'Integration migration group'}
ADMIN_MODE_ERROR = 'BMXAA0578E'
MANIFEST = 'sandbox-package.json'
_NAME = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$')


class Registry:
    """The environments of one sandbox process, by name; ``owner`` is ``main``."""

    def __init__(self, owner):
        self.owner = owner
        self.apps = {'main': owner}
        self.urls = {}

    def name_of(self, app):
        return next((n for n, a in self.apps.items() if a is app), '?')


def registry(app):
    if getattr(app, 'sandbox_registry', None) is None:
        app.sandbox_registry = Registry(app)
    return app.sandbox_registry


class MigrationState:
    """Package definitions, packages, received packages and admin mode of one environment."""

    def __init__(self, app):
        self.app = app
        self.definitions = {}
        self.packages = {}
        self.received = {}
        self.uploads = {}
        self.deployments = []
        self.next_id = 1
        self.admin = 0
        self.admin_until = None
        self.admin_history = []

    def admin_state(self):
        if self.admin == 2 and self.admin_until is not None and time.monotonic() >= self.admin_until:
            self.admin, self.admin_until = 1, None
        return self.admin

    def view(self):
        return {'dm_definitions': sorted(self.definitions),
                'dm_packages': dict((str(k), p['status']) for k, p in self.packages.items()),
                'dm_received': dict(('%s/%s' % k, p['status']) for k, p in self.received.items()),
                'dm_uploads': sorted(self.uploads),
                'dm_deployments': copy.deepcopy(self.deployments),
                'admin_mode': self.admin_state(), 'admin_mode_history': list(self.admin_history)}


def _state(request):
    return request.app.component('migration_manager')


def _body(request, *required):
    body = request.json(required=True)
    if not isinstance(body, dict):
        raise HttpError(400, 'BMXAA9590E', 'The body must be a JSON object.')
    missing = [name for name in required if body.get(name) in (None, '')]
    if missing:
        raise HttpError(400, 'BMXAA4195E', 'A value is required for %s.' % ', '.join(missing))
    return body


def _definition(state, name):
    definition = state.definitions.get(str(name))
    if definition is None:
        raise HttpError(404, 'BMXAA8727E', 'The package definition %s was not found.' % name)
    return definition


def _package_id(value):
    try:
        return int(str(value))
    except ValueError:
        raise HttpError(400, 'BMXAA4190E', 'dmpackageid %s is not a number.' % value) from None


def _package(state, name, dmpackageid):
    package = state.packages.get(_package_id(dmpackageid))
    if package is None or package['pkgdefname'] != name:
        raise HttpError(404, 'BMXAA8727E', 'The package %s of %s was not found.' % (dmpackageid, name))
    return package


def _view(package):
    return dict((k, v) for k, v in package.items() if k in ('dmpackageid', 'pkgdefname', 'source', 'status', 'filename',
                                                            'readme', 'createdate', 'createby'))


def _records(app, object_structure, keys):
    """Copies of the records of ``object_structure`` named by ``keys`` (those the environment does not hold are not
    carried). Secret values are not in the records (manage_rest keeps only their hashes), so no package carries one."""
    definition = manage_rest.OBJECT_STRUCTURES[object_structure]
    records = app.component('manage_objects').records[object_structure]
    found = []
    for key in keys:
        wanted = str(key).upper() if definition['key'][0] in definition.get('upper', ()) else str(key)
        record = next((r for r in records.values() if str(r.get(definition['key'][0])) == wanted), None)
        if record is not None:
            found.append(dict((k, copy.deepcopy(v)) for k, v in record.items() if k != 'href'))
    return found


@ROUTES.route('POST', DM + 'create')
def create(request):
    body = _body(request, 'pkgdefname')
    state = _state(request)
    definition = _definition(state, body['pkgdefname'])
    if definition['type'] == 'CHANGE' and not definition['active']:
        raise HttpError(400, 'BMXAA4190E', 'The change event listener of %s is inactive: reactivate it with '
                                           'dm/toggleactive.' % definition['pkgdefname'])
    number = state.next_id
    state.next_id += 1
    content = dict((os_name, _records(request.app, os_name, keys)) for os_name, keys in definition['objects'].items())
    package = {'dmpackageid': number, 'pkgdefname': definition['pkgdefname'],
               'source': registry(request.app).name_of(request.app), 'status': 'CREATED',
               'filename': '%s_%d.zip' % (definition['pkgdefname'], number), 'readme': str(body.get('readme') or ''),
               'createdate': iso(), 'createby': 'MXINTADM', 'content': content,
               'admin_mode': definition['admin_mode'], 'file_targets': []}
    state.packages[number] = package
    return json_response(_view(package))


def _zip(package):
    """The package file: the same bytes on every download (its entry dated by the package's creation, not by the
    download), as a package file written once at distribution is."""
    out = io.BytesIO()
    created = tuple(int(part) for part in re.findall(r'\d+', package['createdate'])[:6])
    entry = zipfile.ZipInfo(MANIFEST, date_time=created)
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(entry, json.dumps(dict((k, package[k]) for k in (
            'dmpackageid', 'pkgdefname', 'source', 'readme', 'content', 'admin_mode')), sort_keys=True))
    return out.getvalue()


def _receive(target_app, package):
    received = dict((k, copy.deepcopy(package[k])) for k in ('dmpackageid', 'pkgdefname', 'source', 'content',
                                                             'admin_mode'))
    received.update(status='RECEIVED', interrupted=False)
    target_app.component('migration_manager').received[(received['pkgdefname'], received['dmpackageid'])] = received


@ROUTES.route('POST', DM + 'distribute')
def distribute(request):
    body = _body(request, 'pkgdefname', 'dmpackageid')
    state = _state(request)
    definition = _definition(state, body['pkgdefname'])
    package = _package(state, definition['pkgdefname'], body['dmpackageid'])
    if body.get('targetname'):
        targets = [t for t in definition['targets'] if t['targetname'] == body['targetname']]
        if not targets:
            raise HttpError(404, 'BMXAA8727E', 'The target %s of %s was not found.' % (body['targetname'],
                                                                                       definition['pkgdefname']))
    else:
        targets = list(definition['targets'])
    environments = registry(request.app).apps
    for target in targets:
        if target['type'] == 'database' and target['environment'] not in environments:
            raise HttpError(400, 'BMXAA4190E', 'The database of target %s cannot be reached.' % target['targetname'])
    for target in targets:
        if target['type'] == 'database':
            _receive(environments[target['environment']], package)
        elif target['targetname'] not in package['file_targets']:
            package['file_targets'].append(target['targetname'])
    package['status'] = 'DISTRIBUTED'
    if definition['type'] == 'CHANGE':
        # "Once a CHANGE package is created and distributed, the event listener gets de-activated" (IBM guide).
        definition['active'] = False
    answer = _view(package)
    answer['distributionmessage'] = 'Package %d distributed to %s.' % (
        package['dmpackageid'], ', '.join(t['targetname'] for t in targets))
    return json_response(answer)


@ROUTES.route('GET', DM + 'download')
def download(request):
    name = request.arg('dmpackagedef')
    if not name or not request.arg('dmpackageid'):
        raise HttpError(400, 'BMXAA4195E', 'A value is required for dmpackagedef, dmpackageid.')
    state = _state(request)
    definition = _definition(state, name)
    package = _package(state, definition['pkgdefname'], request.arg('dmpackageid'))
    if not package['file_targets']:
        raise HttpError(400, 'BMXAA4190E', 'The package %s was not distributed to a file target.' % package['dmpackageid'])
    return 200, {'Content-Type': 'application/zip',
                 'Content-Disposition': 'attachment; filename="%s"' % package['filename']}, _zip(package)


@ROUTES.route('POST', DM + 'upload')
def upload(request):
    filename = request.arg('filename')
    if not filename:
        raise HttpError(400, 'BMXAA4195E', 'A value is required for filename.')
    if '/' in filename or '\\' in filename or '..' in filename or any(ord(c) < 32 for c in filename):
        raise HttpError(400, 'BMXAA4190E', 'The file name %s is not valid.' % filename)
    try:
        with zipfile.ZipFile(io.BytesIO(request.body)) as archive:
            manifest = json.loads(archive.read(MANIFEST).decode('utf-8'))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise HttpError(400, 'BMXAA4190E', 'The uploaded file is not a Migration Manager package.') from None
    _receive(request.app, manifest)
    _state(request).uploads[filename] = len(request.body)
    return json_response({'filename': filename, 'dmpackageid': manifest['dmpackageid'],
                          'pkgdefname': manifest['pkgdefname']})


def _received(request, body):
    state = _state(request)
    found = state.received.get((str(body['pkgdefname']), _package_id(body['dmpackageid'])))
    if found is None:
        raise HttpError(404, 'BMXAA8727E', 'The package %s of %s was not found.' % (body['dmpackageid'], body['pkgdefname']))
    return found


def _admin_error(request, package):
    document = maximo_body(400, ADMIN_MODE_ERROR, 'Admin mode must be on to deploy package %s.' % package['dmpackageid'])
    document['Error'].update({
        'errorattrname': 'dmpackageid', 'errattrvalue': str(package['dmpackageid']),
        'extendedError': {'moreInfo': {'href': 'http://%s/maximo/oslc/error/messages/%s' % (
            request.header('Host') or 'localhost', ADMIN_MODE_ERROR)}}})
    return json_response(document, 400)


def _apply(app, package):
    """Deploy the package's records into ``app``'s Manage, all or none: every record is checked first."""
    data = app.component('manage_objects')
    planned = []
    for os_name, records in package['content'].items():
        definition = manage_rest.OBJECT_STRUCTURES[os_name]
        for record in records:
            record = copy.deepcopy(record)
            record_id = manage_rest._record_id(definition, record)  # pylint: disable=protected-access
            if definition.get('create') is False and record_id not in data.records[os_name]:
                raise HttpError(400, 'BMXAA4195E', 'Package %s: %s %s does not exist in the target and cannot be '
                                'created.' % (package['dmpackageid'], os_name, record.get(definition['key'][0])))
            if definition.get('check'):
                definition['check'](data, record)
            record['href'] = '%s%s/%s' % (manage_rest.PREFIX, os_name, record_id)
            planned.append((os_name, record_id, record))
    for os_name, record_id, record in planned:
        data.keep_secrets(os_name, record_id, record)
        data.records[os_name][record_id] = record
        data.writes += 1
    names = ['%s %s' % (os_name, record.get(manage_rest.OBJECT_STRUCTURES[os_name]['key'][0]))
             for os_name, dummy, record in planned]
    package['status'] = 'DEPLOYED'
    app.component('migration_manager').deployments.append(
        {'pkgdefname': package['pkgdefname'], 'dmpackageid': package['dmpackageid'], 'records': names})
    return json_response({'warningmsg': 'Package %s deployed: %d record(s).' % (package['dmpackageid'], len(names))})


@ROUTES.route('POST', DM + 'deploy')
def deploy(request):
    package = _received(request, _body(request, 'pkgdefname', 'dmpackageid'))
    if package['status'] == 'DEPLOYED':
        raise HttpError(400, 'BMXAA4190E', 'The package %s is deployed already.' % package['dmpackageid'])
    if package['admin_mode'] and _state(request).admin_state() != 1:
        package['interrupted'] = True
        return _admin_error(request, package)
    return _apply(request.app, package)


@ROUTES.route('POST', DM + 'completedeploy')
def complete_deploy(request):
    package = _received(request, _body(request, 'pkgdefname', 'dmpackageid'))
    if not package['interrupted'] or package['status'] == 'DEPLOYED':
        raise HttpError(400, 'BMXAA4190E', 'The deployment of package %s was not interrupted for admin mode.'
                        % package['dmpackageid'])
    if _state(request).admin_state() != 1:
        return _admin_error(request, package)
    return _apply(request.app, package)


@ROUTES.route('POST', ADMIN + 'on')
def admin_on(request):
    body = _body(request, 'numsessions', 'logoutmin')
    for name in ('numsessions', 'logoutmin'):
        if isinstance(body[name], bool) or not isinstance(body[name], int) or body[name] < 0:
            raise HttpError(400, 'BMXAA4190E', '%s must be a number of 0 or more.' % name)
    state = _state(request)
    if state.admin_state() == 0:
        state.admin = 2
        state.admin_until = time.monotonic() + request.app.config['admin_mode_delay']
    state.admin_history.append('on')
    return json_response({})


@ROUTES.route('GET', ADMIN + 'state')
def admin_state(request):
    return json_response({'state': _state(request).admin_state()})


@ROUTES.route('POST', ADMIN + 'off')
def admin_off(request):
    state = _state(request)
    state.admin, state.admin_until = 0, None
    state.admin_history.append('off')
    return json_response({})


def _change_definition(request):
    definition = _definition(_state(request), _body(request, 'pkgdefname')['pkgdefname'])
    if definition['type'] != 'CHANGE':
        raise HttpError(400, 'BMXAA4190E', 'The package definition %s is not a CHANGE definition.'
                        % definition['pkgdefname'])
    return definition


@ROUTES.route('POST', DM + 'reset')
def reset(request):
    _change_definition(request)['resets'] += 1
    return json_response({})


@ROUTES.route('POST', DM + 'toggleactive')
def toggle_active(request):
    definition = _change_definition(request)
    definition['active'] = not definition['active']
    return json_response({})


# ---- control plane ----------------------------------------------------------------------------------------------

def _control_body(request):
    try:
        body = request.json()
    except HttpError:
        body = None
    if not isinstance(body, dict):
        raise HttpError(400, 'SANDBOX', 'the body is a JSON object')
    return body


def _seed(request):
    try:
        body = _control_body(request)
        definition = _checked_definition(body)
    except (HttpError, ValueError) as error:
        return json_response({'error': str(error)}, 400)
    _state(request).definitions[definition['pkgdefname']] = definition
    return json_response(definition, 201)


def _checked_definition(body):
    name = body.get('pkgdefname')
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError('pkgdefname: a name of letters, digits, _ . -')
    kind = str(body.get('type', 'SNAPSHOT')).upper()
    if kind not in ('SNAPSHOT', 'CHANGE'):
        raise ValueError('type: SNAPSHOT or CHANGE')
    objects = body.get('objects')
    if not isinstance(objects, dict) or not objects or any(
            k not in CARRIED or not isinstance(v, list) for k, v in objects.items()):
        raise ValueError('objects: {object structure: [key, ...]} of %s' % ', '.join(sorted(CARRIED)))
    targets = []
    for target in body.get('targets') or []:
        if not isinstance(target, dict) or not _NAME.match(str(target.get('targetname', ''))) or \
                target.get('type') not in ('database', 'file') or \
                (target['type'] == 'database' and not isinstance(target.get('environment'), str)):
            raise ValueError('targets: [{targetname, type: database, environment} or {targetname, type: file}]')
        targets.append(dict(target))
    if not targets:
        raise ValueError('targets: at least one')
    return {'pkgdefname': name, 'type': kind, 'objects': dict((k, [str(x) for x in v]) for k, v in objects.items()),
            'targets': targets, 'admin_mode': bool(body.get('admin_mode')), 'active': True, 'resets': 0}


def _environments_list(request):
    found = registry(request.app)
    return json_response(dict((name, url) for name, url in found.urls.items()))


def _environment_start(request):
    from . import create_environment_app  # pylint: disable=import-outside-toplevel  # the package imports this module
    from .core import serve_in_thread  # pylint: disable=import-outside-toplevel
    try:
        name = _control_body(request).get('name')
    except HttpError as error:
        return json_response({'error': str(error)}, 400)
    if not isinstance(name, str) or not re.match(r'^[a-z0-9][a-z0-9-]{0,30}$', name) or name == 'main':
        return json_response({'error': 'name: lower-case letters, digits and dashes, not main'}, 400)
    found = registry(request.app)
    if name not in found.apps:
        owner = found.owner
        peer = create_environment_app('%s-%s' % (owner.api_key, name), dict(owner.initial_config))
        peer.lock = owner.lock
        peer.sandbox_registry = found
        server = serve_in_thread(peer, host='127.0.0.1')
        found.apps[name] = peer
        found.urls[name] = server.url

        def close(server=server, peer=peer):
            server.shutdown()
            server.server_close()
            peer.close()
        owner.add_closer(close)
    peer = found.apps[name]
    return json_response({'name': name, 'url': found.urls[name], 'api_key': peer.api_key})


class PeerReset:
    """Rebuilt on every reset: the reset of ``main`` resets the other environments too."""

    def __init__(self, app):
        found = registry(app)
        if found.owner is app:
            for name, peer in found.apps.items():
                if peer is not app:
                    peer.reset()


def register(app):
    app.add_setting('admin_mode_delay', 0.3)
    app.add_component('migration_manager', MigrationState)
    app.add_component('sandbox_environments', PeerReset)
    app.include(ROUTES)
    app.router.add('POST', CONTROL_PREFIX + '/dm/packagedefs', _seed, auth=False, control=True)
    app.router.add('GET', CONTROL_PREFIX + '/environments', _environments_list, auth=False, control=True)
    app.router.add('POST', CONTROL_PREFIX + '/environments', _environment_start, auth=False, control=True)
