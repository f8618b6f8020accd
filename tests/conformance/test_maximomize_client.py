# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A second public client, the npm package ``@maximomize/maximo-api-client`` 0.8.4 (MIT, Maximomize), and the
collection's clients against the same sandbox: the Tools API (integrity checker, tools logs, Manage stop/start),
``mxapiautoscript`` and ``mxapiapikey``. What one starts or writes the other sees the same, and what the sandbox
refuses it refuses for both.

It is independent of ibm-maximo-api (test_ibm_maximo_api.py) and of the collection: another author, another HTTP
stack (axios), and it authenticates as MAS Dedicated customers do, with the ``apikey`` header on ``/maximo/api``
(its API-key mode), so it runs against the sandbox with nothing in between. ``make conformance`` installs it once into
build/maximomize-0.8.4 (``npm install``); tests/conformance/maximomize_driver.js makes one call with the client's public
API per run and prints the answer as JSON.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

VERSION = '0.8.4'
CLIENT = os.environ.get('MAXIMOMIZE_DIR') or os.path.join(ROOT, 'build', 'maximomize-%s' % VERSION)
DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'maximomize_driver.js')

pytestmark = [
    pytest.mark.skipif(not shutil.which('node'), reason='node is needed to run @maximomize/maximo-api-client'),
    pytest.mark.skipif(not os.path.isdir(os.path.join(CLIENT, 'node_modules', '@maximomize', 'maximo-api-client')),
                       reason='@maximomize/maximo-api-client %s is not installed in %s (make conformance installs it)'
                       % (VERSION, CLIENT)),
]


@pytest.fixture(scope='module')
def mz(sandbox):
    """One call of the client: ``{"ok": true, "result": ...}`` or ``{"ok": false, "status", "reason", "error"}``."""
    def run(api_key=None, **call):
        request = dict(call, base_url=sandbox.url, api_key=api_key or sandbox.api_key)
        done = subprocess.run(['node', DRIVER, CLIENT, json.dumps(request)], capture_output=True, text=True,
                              timeout=60, check=False)
        assert done.returncode == 0, 'the client failed (%s): %s %s' % (done.returncode, done.stdout,
                                                                        done.stderr[-2000:])
        return json.loads(done.stdout.strip().splitlines()[-1])
    return run


@pytest.fixture(scope='module')
def http(sandbox, module_utils):
    http_client = module_utils('common.http_client')
    return lambda base: http_client.MasHttpClient(base, api_key=sandbox.api_key)


@pytest.fixture(scope='module')
def objects(sandbox, http, module_utils):
    return module_utils('manage.manage_api').ManageObjects(http(sandbox.url))


def rest_id(href):
    return urlsplit(href).path.rsplit('/', 1)[1]


# -- Tools API ----------------------------------------------------------------------------------------------------

def test_an_integrity_report_the_client_starts_is_found_and_read_alike_by_the_collection(
        sandbox, mz, http, module_utils):
    tools = module_utils('tools.tools_api').ToolsApi(http(sandbox.url + '/toolsapi'))
    before = set(e['name'] for e in tools.list_logs())
    started = mz(op='tools.icheckerreport')
    assert started['ok'], started
    name = started['result']['logfile']
    assert name.startswith('icheckerreport') and name not in before

    # the collection finds the run the client started by the name the start call gave, and reads it to its end
    tools.wait_for_new_log(before, name, 'icheckerreport', timeout=20, interval=0.1)
    text, completion = tools.wait_for_complete_text(name, timeout=20, interval=0.1)[:2]
    assert completion == 'summary' and text.strip()
    listed = mz(op='tools.logs')
    assert listed['ok'] and sorted(e['name'] for e in listed['result']) == sorted(e['name'] for e in tools.list_logs())
    read = mz(op='tools.log', name=name)
    assert read['ok'] and read['result'] == text


def test_manage_stopped_and_started_by_the_client_is_seen_by_the_collections_probe(sandbox, mz, http, module_utils):
    probe = module_utils('tools.tools_api').ManageProbe(http(sandbox.url))
    assert probe.state() == 'running'
    assert mz(op='tools.stop') == {'ok': True, 'result': {'status': 200}}
    probe.wait_for('down', timeout=20, interval=0.1)
    assert probe.state() == 'down'
    # While Manage is down its REST answers 503 to the client too.
    down = mz(op='script.find', where='autoscript="ANY"', select='autoscript')
    assert not down['ok'] and down['status'] == 503
    assert mz(op='tools.start') == {'ok': True, 'result': {'status': 200}}
    probe.wait_for('running', timeout=20, interval=0.1)


def test_the_tools_api_refuses_a_wrong_key_for_both_clients(sandbox, mz, http, module_utils):
    http_client = module_utils('common.http_client')
    refused = mz(op='tools.logs', api_key='not-the-key')
    assert not refused['ok'] and refused['status'] == 401
    tools = module_utils('tools.tools_api').ToolsApi(http_client.MasHttpClient(sandbox.url + '/toolsapi',
                                                                               api_key='not-the-key'))
    with pytest.raises(http_client.MasApiError) as caught:
        tools.list_logs()
    assert caught.value.status == 401


# -- automation scripts (mxapiautoscript) ---------------------------------------------------------------------------

def _plan(objects, module_utils, name, source, description):
    config = module_utils('manage.manage_config')
    manage_api = module_utils('manage.manage_api')
    held = list(objects.query('mxapiautoscript', where=manage_api.where_equals('autoscript', name), select='*'))
    spec = {'name': name, 'source_file': name.lower() + '.py', 'language': 'python', 'state': 'present',
            'description': description}
    return config.plan_script(config.wanted_script(spec, source), held[0] if held else None), held


def test_scripts_the_client_writes_the_collection_plans_and_the_other_way_round(mz, objects, module_utils):
    config = module_utils('manage.manage_config')
    first, second = 'print("one")\n', 'print("two")\n'
    created = mz(op='script.create', properties='autoscript,source',
                 script={'autoscript': 'MZ_SCRIPT', 'source': first, 'language': 'python',
                         'description': 'made by maximomize', 'status': 'Active'})
    assert created['ok'] and created['result']['source'] == first
    action, held = _plan(objects, module_utils, 'MZ_SCRIPT', first, 'made by maximomize')
    assert action.outcome == 'unchanged' and held[0]['href'].endswith(rest_id(created['result']['href']))

    # its update (POST <os>/<id> with x-method-override: PATCH): the collection plans the change back, with the diff
    updated = mz(op='script.update', id=rest_id(created['result']['href']), body={'source': second})
    assert updated['ok'], updated
    action, dummy = _plan(objects, module_utils, 'MZ_SCRIPT', first, 'made by maximomize')
    assert action.outcome == 'updated' and action.changed_attributes == ['source']
    assert '-print("two")' in action.source_diff() and '+print("one")' in action.source_diff()

    # the collection's create, read back by the client's own source download
    spec = {'name': 'MZ_FROM_GIT', 'source_file': 'x.py', 'language': 'python', 'state': 'present'}
    objects.create('mxapiautoscript', config.wanted_script(spec, 'service.log("from git")\n'))
    assert mz(op='script.source', name='MZ_FROM_GIT') == {'ok': True, 'result': 'service.log("from git")\n'}

    # its delete: gone for the collection, which would create it again
    assert mz(op='script.delete', id=rest_id(created['result']['href']))['ok']
    action, held = _plan(objects, module_utils, 'MZ_SCRIPT', second, 'made by maximomize')
    assert held == [] and action.outcome == 'created'


@pytest.mark.parametrize('script, code', [
    ({'autoscript': 'MZ_BAD_LANG', 'source': 'x', 'language': 'cobol'}, 'BMXAA7837E'),
    ({'autoscript': 'MZ_NO_LANG', 'source': 'x'}, 'BMXAA4195E'),
], ids=['unknown-language', 'no-language'])
def test_a_script_the_sandbox_refuses_is_refused_for_both_clients(mz, objects, module_utils, script, code):
    http_client = module_utils('common.http_client')
    refused = mz(op='script.create', script=script, properties='autoscript')
    assert not refused['ok'] and refused['status'] == 400 and refused['reason'] == code
    body = {'autoscript': script['autoscript'], 'source': script['source']}
    if 'language' in script:
        body['scriptlanguage'] = script['language']
    with pytest.raises(http_client.MasApiError) as caught:
        objects.create('mxapiautoscript', body)
    assert caught.value.status == 400 and code in str(caught.value)
    found = mz(op='script.find', where='autoscript="%s"' % script['autoscript'], select='autoscript')
    assert found == {'ok': True, 'result': []}


# -- API keys (mxapiapikey) -----------------------------------------------------------------------------------------

def test_an_api_key_the_client_creates_is_held_for_the_collection_and_one_key_per_user_holds_for_both(
        mz, objects, module_utils):
    keys = module_utils('manage.manage_api_keys')
    manage_api = module_utils('manage.manage_api')
    http_client = module_utils('common.http_client')

    def held():
        found = list(objects.query('mxapiapikey', where=manage_api.where_equals('userid', 'MAXADMIN'), select='*'))
        return found[0] if found else None

    assert held() is None
    created = mz(op='apikey.create', request={'userid': 'MAXADMIN', 'expiration': -1})
    assert created['ok'], created
    # its createApiKey asks for the key with the properties header and gets it back with the 201
    assert created['result']['apikey'] and created['result']['apikey'] == held()['apikey']
    action, = keys.plan_keys(['maxadmin'], 'present', {'MAXADMIN': held()})
    assert not action.changed

    again = mz(op='apikey.create', request={'userid': 'MAXADMIN', 'expiration': -1})
    assert not again['ok'] and again['status'] == 400 and again['reason'] == 'BMXAA10051E'
    with pytest.raises(http_client.MasApiError) as caught:
        objects.create('mxapiapikey', {'userid': 'MAXADMIN', 'expiration': -1})
    assert caught.value.status == 400 and 'BMXAA10051E' in str(caught.value)

    listed = mz(op='apikey.list', where='userid="MAXADMIN"', select='userid,apikey')
    assert listed['ok'] and [k['userid'] for k in listed['result']] == ['MAXADMIN']
    assert mz(op='apikey.revoke', id=rest_id(held()['href']))['ok']
    assert held() is None
    action, = keys.plan_keys(['MAXADMIN'], 'present', {'MAXADMIN': None})
    assert action.changed and action.outcome == 'created'


# -- system properties: live refresh through the system service ---------------------------------------------------

def test_a_live_refresh_is_the_same_call_for_both_clients_and_refused_alike(sandbox, mz, objects, module_utils):
    http_client = module_utils('common.http_client')
    refreshes = sandbox.app.component('manage_objects').refreshes
    before = refreshes.get('mxe.cosbucketname', 0)
    assert mz(op='property.refresh', name='mxe.cosbucketname') == {'ok': True, 'result': True}
    objects.service('system', 'liveRefreshProperty', {'propName': 'mxe.cosbucketname'})
    assert refreshes['mxe.cosbucketname'] == before + 2

    refused = mz(op='property.refresh', name='mxe.attachmentstorage')
    assert not refused['ok'] and refused['status'] == 400 and refused['reason'] == 'BMXAA7024E'
    with pytest.raises(http_client.MasApiError) as caught:
        objects.service('system', 'liveRefreshProperty', {'propName': 'mxe.attachmentstorage'})
    assert caught.value.status == 400 and 'BMXAA7024E' in str(caught.value)
    assert 'mxe.attachmentstorage' not in refreshes


# -- the logging service: the live log (service/logging wsmethod:streamLog) -----------------------------------------

def test_the_live_log_reads_the_same_for_both_clients(sandbox, mz, http, module_utils):
    stream = module_utils('manage.log_stream').LogStream(http(sandbox.url))
    logs = sandbox.app.component('manage_log')
    logs.append_text('conformance line one\nconformance line two\n')
    # Each read through /maximo/ adds its own request line, so each client's read ends with its own request.
    ours = stream.read()
    theirs = mz(op='log.stream', lines=0)
    assert theirs['ok'] and theirs['result']['status'] == 200 and isinstance(theirs['result']['data'], str)
    assert 'conformance line one\nconformance line two\n' in ours
    assert ours.rstrip('\n') in theirs['result']['data']
    # the client keeps the last N lines itself: the live log's tail
    tail = mz(op='log.stream', lines=2)
    assert tail['ok'] and len(tail['result']['data'].split('\n')) == 2

    refused = mz(op='log.stream', lines=0, api_key='not-the-key')
    assert not refused['ok'] and refused['status'] == 401


def test_logger_levels_set_by_one_client_are_read_alike_by_the_other(sandbox, mz, http, module_utils):
    http_client = module_utils('common.http_client')
    client = http(sandbox.url)
    levels = module_utils('manage.log_stream').LoggerLevels(client)
    # the client names a logger without its log4j.logger. prefix and adds it; the collection sends the whole key
    assert mz(op='log.setLevel', name='maximo.sql', level='DEBUG') == {'ok': True, 'result': True}
    assert levels.level('log4j.logger.maximo.sql') == 'DEBUG'
    levels.set_level('log4j.logger.maximo.sql', 'WARN')
    assert mz(op='log.level', name='maximo.sql') == {'ok': True, 'result': 'WARN'}
    # in effect at once: the live log says so, without Apply Settings
    assert 'Logger log4j.logger.maximo.sql: level DEBUG -> WARN.' in client.request(
        'GET', '/maximo/api/service/logging', params={'action': 'wsmethod:streamLog', 'lean': 1}).text

    refused = mz(op='log.level', name='maximo.no.such.logger')
    assert not refused['ok'] and refused['status'] == 400
    with pytest.raises(http_client.MasApiError) as caught:
        levels.level('log4j.logger.maximo.no.such.logger')
    assert caught.value.status == 400
    refused = mz(op='log.setLevel', name='maximo.sql', level='LOUD')
    assert not refused['ok'] and refused['status'] == 400
    assert levels.level('log4j.logger.maximo.sql') == 'WARN'
