# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A public Manage REST client, the npm package ``ibm-maximo-api`` 1.0.15 (MIT, Sachin Balagopalan, IBM), and the
collection's client (plugins/module_utils/manage/manage_api.py with manage_config.py's plans) against the same
sandbox object structures (``mxapiautoscript``, ``mxapiproperty``): what one writes the other reads the same, and what
the sandbox refuses it refuses for both.

``make conformance`` fetches the client once into build/ibm-maximo-api-1.0.15 (``npm pack``; its one real dependency,
``q``, installed beside it: its other declared dependencies ``http``, ``url``, ``buffer`` are Node built-ins, and
``http@0.0.0`` does not exist, so a plain ``npm install ibm-maximo-api`` fails). tests/conformance/maximo_api_driver.js
makes one call with the client's public API per run and prints the answer as JSON.

The client is run as published, with two things around it, both said here and in docs/contracts.md:

- Route: it calls ``/maximo/oslc/os/<os>`` (its ``REST_PATH``); the collection calls ``/maximo/api/os/<os>``. Manage
  serves both (IBM's REST API guide writes ``/oslc/os/...``, IBM's MAS pages ``/maximo/api/os/...``), so the sandbox
  serves the ``oslc`` route too, with the same rules and the same ``apikey`` check, and answers hrefs on the route
  asked.
- Authentication: it sends ``MAXAUTH`` (base64 ``user:password``, Maximo native authentication); MAS Dedicated
  customers authenticate with API keys, and no IBM source says the MAS route accepts ``MAXAUTH``, so the sandbox
  does not. A local forwarding proxy in this test (``_ApiKeyProxy``) checks and drops ``MAXAUTH`` and adds the
  ``apikey`` header; everything else of the client's requests goes to the sandbox unchanged. Without the proxy's key
  the sandbox answers the client 401 (``test_maxauth_alone_is_refused``).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import http.client
import json
import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

VERSION = '1.0.15'
CLIENT = os.environ.get('MAXIMO_API_DIR') or os.path.join(ROOT, 'build', 'ibm-maximo-api-%s' % VERSION, 'package')
DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'maximo_api_driver.js')
USER, PASSWORD = 'MXINTADM', 'not-a-real-password'

pytestmark = [
    pytest.mark.skipif(not shutil.which('node'), reason='node is needed to run ibm-maximo-api'),
    pytest.mark.skipif(not os.path.isfile(os.path.join(CLIENT, 'maximofactory.js')),
                       reason='ibm-maximo-api %s is not unpacked in %s (make conformance fetches it)' % (VERSION, CLIENT)),
]


class _ApiKeyProxy(BaseHTTPRequestHandler):
    """Forwards every request to the sandbox; ``MAXAUTH`` is checked and dropped, ``apikey`` added (when ``key``)."""

    target = None   # (host, port) of the sandbox
    key = None      # the API key added, or None to forward the client's headers as they are
    seen = None     # [(method, path, maxauth)] of the requests received

    def _forward(self):
        body = self._body()
        headers = dict((k, v) for k, v in self.headers.items()
                       if k.lower() not in ('connection', 'keep-alive', 'transfer-encoding', 'content-length'))
        maxauth = None
        if self.key:
            for name in [k for k in headers if k.lower() == 'maxauth']:
                maxauth = base64.b64decode(headers.pop(name)).decode('utf-8')
            headers['apikey'] = self.key
        else:
            maxauth = next((base64.b64decode(v).decode('utf-8') for k, v in headers.items() if k.lower() == 'maxauth'), None)
        self.seen.append((self.command, self.path, maxauth))
        connection = http.client.HTTPConnection(*self.target, timeout=30)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ('connection', 'transfer-encoding', 'content-length'):
                    self.send_header(name, value)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        finally:
            connection.close()

    def _body(self):
        """The request body (Node sends a POST body chunked, without Content-Length); forwarded with a length."""
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if not size:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else None

    do_GET = do_POST = do_DELETE = do_PATCH = _forward

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


def _start_proxy(sandbox, key):
    """A running proxy to the sandbox: ``.server_port``, ``.seen`` (the requests it received)."""
    parts = urlsplit(sandbox.url)
    handler = type('Proxy', (_ApiKeyProxy,), {'target': (parts.hostname, parts.port), 'key': key, 'seen': []})
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    server.seen = handler.seen
    threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True).start()
    return server


@pytest.fixture(scope='module')
def proxy(sandbox):
    server = _start_proxy(sandbox, sandbox.api_key)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def run_client(port, **call):
    """One call of ibm-maximo-api through the driver: ``{"status", "body"}``."""
    request = dict(call, hostname='127.0.0.1', port=port, user=USER, password=PASSWORD)
    done = subprocess.run(['node', DRIVER, CLIENT, json.dumps(request)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, 'ibm-maximo-api failed (%s): %s %s' % (done.returncode, done.stdout, done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope='module')
def ibm(proxy):
    return lambda **call: run_client(proxy.server_port, **call)


@pytest.fixture(scope='module')
def collection(sandbox, module_utils):
    http_client = module_utils('common.http_client')
    manage_api = module_utils('manage.manage_api')
    return manage_api.ManageObjects(http_client.MasHttpClient(sandbox.url, api_key=sandbox.api_key))


def tail(href):
    """The record part of an href (``mxapiautoscript/_...``), whatever host and route it was served on."""
    return urlsplit(href).path.split('/os/', 1)[1]


def script_spec(name, source_file, **extra):
    spec = {'name': name, 'source_file': source_file, 'language': 'python', 'state': 'present'}
    spec.update(extra)
    return spec


SOURCE = 'from psdi.server import MXServer\n# a "quoted" word\nservice.log("hello")\n'


def test_script_the_collection_created_is_read_by_ibms_client_with_the_same_attributes(
        ibm, collection, module_utils, proxy):
    config = module_utils('manage.manage_config')
    manage_api = module_utils('manage.manage_api')
    spec = script_spec('conf_hello', 'hello.py', description='Hello from git', log_level='INFO',
                       launch_points=[{'name': 'conf_hello_lp', 'type': 'OBJECT', 'object': 'asset'}])
    created = collection.create('mxapiautoscript', config.wanted_script(spec, SOURCE))
    collection.create('mxapiautoscript', config.wanted_script(script_spec('conf_other', 'other.py'), 'pass\n'))
    select = ['autoscript', 'scriptlanguage', 'source', 'description', 'loglevel']

    answer = ibm(op='fetch', os='MXAPIAUTOSCRIPT', select=select, where=[['autoscript', 'equal', 'CONF_HELLO']])
    members = answer['body']['member']
    assert len(members) == 1
    ours = list(collection.query('mxapiautoscript', where=manage_api.where_equals('autoscript', 'CONF_HELLO'),
                                 select=','.join(select)))
    assert [dict((k, v) for k, v in m.items() if k != 'href') for m in members] == \
        [dict((k, v) for k, v in m.items() if k != 'href') for m in ours]
    assert members[0]['source'] == SOURCE and members[0]['loglevel'] == 'INFO'
    # the same record, each href on the route its client asked by
    assert tail(members[0]['href']) == tail(ours[0]['href']) == tail(created['href'])
    assert '/maximo/oslc/os/' in members[0]['href'] and '/maximo/api/os/' in ours[0]['href']

    # child rows as the collection wrote them (IBM's client's select names the child array)
    answer = ibm(op='fetch', os='mxapiautoscript', select=['autoscript', 'scriptlaunchpoint{launchpointname,objectname}'],
                 where=[['autoscript', 'equal', 'CONF_HELLO']])
    assert answer['body']['member'][0]['scriptlaunchpoint'] == [{'launchpointname': 'CONF_HELLO_LP', 'objectname': 'ASSET'}]

    # its in[...] (no space after in) and orderBy; = is exact and case-sensitive for both
    answer = ibm(op='fetch', os='mxapiautoscript', select=['autoscript'],
                 where=[['autoscript', 'in', ['CONF_HELLO', 'CONF_OTHER']]], orderby=['autoscript', 'desc'])
    assert [m['autoscript'] for m in answer['body']['member']] == ['CONF_OTHER', 'CONF_HELLO']
    answer = ibm(op='fetch', os='mxapiautoscript', select=['autoscript'],
                 where=[['autoscript', 'in', ['CONF_OTHER', 'CONF_HELLO']]], orderby=['autoscript', 'asc'])
    assert [m['autoscript'] for m in answer['body']['member']] == ['CONF_HELLO', 'CONF_OTHER']
    # a term without its sign (or a + not URL-encoded) is refused, as IBM's guide says every term needs one
    with pytest.raises(module_utils('common.http_client').MasApiError) as caught:
        collection.client.get_json('/maximo/api/os/mxapiautoscript', params={'lean': 1, 'oslc.orderBy': 'autoscript'})
    assert caught.value.status == 400
    assert ibm(op='fetch', os='mxapiautoscript', select=['autoscript'],
               where=[['autoscript', 'equal', 'conf_hello']])['body']['member'] == []
    assert list(collection.query('mxapiautoscript', where=manage_api.where_equals('autoscript', 'conf_hello'))) == []

    # what the proxy saw: the oslc route, MAXAUTH of the configured user (dropped, the apikey sent instead)
    assert proxy.seen and all(path.startswith('/maximo/oslc/os/') for dummy, path, dummy2 in proxy.seen)
    assert set(auth for dummy, dummy2, auth in proxy.seen) == {'%s:%s' % (USER, PASSWORD)}


def test_script_ibms_client_created_and_updated_is_planned_by_the_collection_as_expected(ibm, collection, module_utils):
    config = module_utils('manage.manage_config')
    manage_api = module_utils('manage.manage_api')
    first, second = 'print("one")\n', 'print("two")\n'
    answer = ibm(op='create', os='MXAPIAUTOSCRIPT', properties=['autoscript', 'source', 'description'],
                 body={'autoscript': 'CONF_IBM', 'scriptlanguage': 'python', 'source': first,
                       'description': 'made by ibm-maximo-api', 'loglevel': 'ERROR'})
    assert answer['status'] == 201
    assert answer['body']['autoscript'] == 'CONF_IBM' and answer['body']['source'] == first
    href = answer['body']['href']

    def plan(source, description):
        held = list(collection.query('mxapiautoscript', where=manage_api.where_in('autoscript', ['CONF_IBM']), select='*'))
        spec = script_spec('CONF_IBM', 'conf_ibm.py', description=description, log_level='ERROR')
        return config.plan_script(config.wanted_script(spec, source), held[0] if held else None), held

    action, held = plan(first, 'made by ibm-maximo-api')
    assert action.outcome == 'unchanged' and not action.changed
    assert tail(held[0]['href']) == tail(href)

    # its update: POST <href> + x-method-override: PATCH (+ PATCHTYPE: MERGE) with the properties header -> 200 + record
    answer = ibm(op='update', os='MXAPIAUTOSCRIPT', href=href, properties=['source', 'description'],
                 body={'source': second, 'description': 'changed by ibm-maximo-api'})
    assert answer['status'] == 200
    assert answer['body']['source'] == second and answer['body']['description'] == 'changed by ibm-maximo-api'

    action, dummy = plan(first, 'made by ibm-maximo-api')
    assert action.outcome == 'updated' and action.changed_attributes == ['description', 'source']
    assert '-print("two")' in action.source_diff() and '+print("one")' in action.source_diff()
    action, dummy = plan(second, 'changed by ibm-maximo-api')
    assert action.outcome == 'unchanged'

    # its delete (HTTP DELETE on the href): gone for the collection, whose state=absent plan is then unchanged
    assert ibm(op='delete', os='MXAPIAUTOSCRIPT', href=href)['status'] == 204
    action, held = plan(second, 'changed by ibm-maximo-api')
    assert held == [] and action.outcome == 'created'
    assert config.plan_script({'autoscript': 'CONF_IBM'}, held[0] if held else None, 'absent').outcome == 'unchanged'


def test_property_ibms_client_set_is_unchanged_for_the_collection_and_a_record_refresh_is_refused_alike(
        ibm, collection, module_utils):
    config = module_utils('manage.manage_config')
    manage_api = module_utils('manage.manage_api')
    http_client = module_utils('common.http_client')

    def held(name):
        return next(iter(collection.query('mxapiproperty', where=manage_api.where_equals('propname', name), select='*')))

    answer = ibm(op='fetch', os='MXAPIPROPERTY', select=['propname', 'liverefresh', 'maxpropvalue'],
                 where=[['propname', 'equal', 'mxe.cosbucketname']])
    record = answer['body']['member'][0]
    assert record['liverefresh'] is True and tail(record['href']) == tail(held('mxe.cosbucketname')['href'])
    answer = ibm(op='update', os='MXAPIPROPERTY', href=record['href'], properties=['propname', 'maxpropvalue'],
                 body={'maxpropvalue': [{'servername': 'COMMON', 'propvalue': 'bucket-from-ibm'}]})
    assert answer['status'] == 200 and answer['body']['maxpropvalue'] == [{'servername': 'COMMON',
                                                                          'propvalue': 'bucket-from-ibm'}]
    spec = {'name': 'mxe.cosbucketname', 'value': 'bucket-from-ibm'}
    assert config.plan_property(spec, held('mxe.cosbucketname')).outcome == 'unchanged'
    assert config.plan_property(dict(spec, value='other'), held('mxe.cosbucketname')).outcome == 'updated'

    # live refresh is a call of the system service (test_maximomize_client.py), not a record action: refused alike
    refused = ibm(op='invoke', os='MXAPIPROPERTY', href=record['href'], action='liveRefresh')
    assert refused['status'] == 400 and refused['body']['Error']['reasonCode'] == 'BMXAA9549E'
    with pytest.raises(http_client.MasApiError) as caught:
        collection.action(held('mxe.cosbucketname')['href'], 'wsmethod:liveRefresh')
    assert caught.value.status == 400 and 'BMXAA9549E' in str(caught.value)


@pytest.mark.parametrize('body, code', [
    ({'autoscript': 'CONF_BAD_LANG', 'scriptlanguage': 'cobol', 'source': 'x'}, 'BMXAA7837E'),
    ({'autoscript': 'CONF_BAD_LOG', 'scriptlanguage': 'python', 'source': 'x', 'loglevel': 'LOUD'}, 'BMXAA7837E'),
    ({'autoscript': 'CONF_BAD_LP', 'scriptlanguage': 'python', 'source': 'x',
      'scriptlaunchpoint': [{'launchpointname': 'LP1', 'launchpointtype': 'ATTRIBUTE', 'objectname': 'ASSET'}]},
     'BMXAA4195E'),
    ({'autoscript': 'CONF_NO_LANG', 'source': 'x'}, 'BMXAA4195E'),
], ids=['unknown-language', 'unknown-log-level', 'attribute-launch-point-without-attribute', 'no-language'])
def test_a_script_the_sandbox_refuses_is_refused_for_both_clients(ibm, collection, module_utils, body, code):
    http_client = module_utils('common.http_client')
    answer = ibm(op='create', os='MXAPIAUTOSCRIPT', properties=['autoscript'], body=body)
    assert answer['status'] == 400 and answer['body']['Error']['reasonCode'] == code
    with pytest.raises(http_client.MasApiError) as caught:
        collection.create('mxapiautoscript', body)
    assert caught.value.status == 400 and code in str(caught.value)
    assert ibm(op='fetch', os='MXAPIAUTOSCRIPT', select=['autoscript'],
               where=[['autoscript', 'equal', body['autoscript']]])['body']['member'] == []


def test_duplicates_key_changes_and_property_creates_are_refused_for_both_clients(ibm, collection, module_utils):
    http_client = module_utils('common.http_client')
    body = {'autoscript': 'CONF_TWICE', 'scriptlanguage': 'python', 'source': 'pass\n'}
    assert ibm(op='create', os='MXAPIAUTOSCRIPT', properties=['autoscript'], body=body)['status'] == 201
    answer = ibm(op='create', os='MXAPIAUTOSCRIPT', properties=['autoscript'], body=body)
    assert answer['status'] == 400 and answer['body']['Error']['reasonCode'] == 'BMXAA4129E'
    with pytest.raises(http_client.MasApiError) as caught:
        collection.create('mxapiautoscript', body)
    assert caught.value.status == 400 and 'BMXAA4129E' in str(caught.value)

    href = ibm(op='fetch', os='MXAPIAUTOSCRIPT', select=['autoscript'],
               where=[['autoscript', 'equal', 'CONF_TWICE']])['body']['member'][0]['href']
    answer = ibm(op='update', os='MXAPIAUTOSCRIPT', href=href, properties=['autoscript'], body={'autoscript': 'CONF_THRICE'})
    assert answer['status'] == 400 and answer['body']['Error']['reasonCode'] == 'BMXAA4128E'
    with pytest.raises(http_client.MasApiError) as caught:
        collection.patch(href.replace('/maximo/oslc/os/', '/maximo/api/os/'), {'autoscript': 'CONF_THRICE'})
    assert caught.value.status == 400 and 'BMXAA4128E' in str(caught.value)

    prop = {'propname': 'conf.new.property', 'description': 'x'}
    answer = ibm(op='create', os='MXAPIPROPERTY', properties=['propname'], body=prop)
    assert answer['status'] == 400 and answer['body']['Error']['reasonCode'] == 'BMXAA4190E'
    with pytest.raises(http_client.MasApiError) as caught:
        collection.create('mxapiproperty', prop)
    assert caught.value.status == 400 and 'BMXAA4190E' in str(caught.value)


def test_maxauth_alone_is_refused(sandbox):
    """Without the proxy's apikey, IBM's client (MAXAUTH only) gets 401 on both routes: the sandbox takes no MAXAUTH."""
    server = _start_proxy(sandbox, None)
    try:
        answer = run_client(server.server_port, op='create', os='MXAPIAUTOSCRIPT', properties=['autoscript'],
                            body={'autoscript': 'CONF_NOKEY', 'scriptlanguage': 'python', 'source': 'x'})
        assert answer['status'] == 401
        answer = run_client(server.server_port, op='fetch', os='MXAPIAUTOSCRIPT', select=['autoscript'])
        assert 'member' not in answer['body']
        assert server.seen and all(auth == '%s:%s' % (USER, PASSWORD) for dummy, dummy2, auth in server.seen)
    finally:
        server.shutdown()
        server.server_close()
    held = sandbox.app.component('manage_objects').records['mxapiautoscript'].values()
    assert [r for r in held if r.get('autoscript') == 'CONF_NOKEY'] == []
