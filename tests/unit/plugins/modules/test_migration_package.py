# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""migration_package through main() against the in-process sandbox, a second environment (prod) as its target."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import urllib.error
import urllib.request
import zipfile

import pytest

from ansible_collections.mas.dedicated.plugins.modules import migration_package


def control(url, path, body=None):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode() if body is not None else None,
                                     method='POST' if body is not None else 'GET')
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read() or b'null')


@pytest.fixture
def prod(sandbox):
    """The prod environment: another Manage of the same sandbox, with its own URL, key and data."""
    found = control(sandbox.url, '/_sandbox/environments', {'name': 'prod'})
    found['app'] = sandbox.app.sandbox_registry.apps['prod']
    return found


def seed(sandbox, admin_mode=False, name='ACMEPROMO'):
    control(sandbox.url, '/_sandbox/dm/packagedefs', {
        'pkgdefname': name, 'objects': {'mxapiautoscript': ['ACME_PROMO'], 'mxapiproperty': ['mxe.cosbucketname']},
        'targets': [{'targetname': 'PROD', 'type': 'database', 'environment': 'prod'},
                    {'targetname': 'FILES', 'type': 'file'}],
        'admin_mode': admin_mode})


def on_dev(sandbox, **extra):
    result = {'instance': 'acme', 'environment': 'dev', 'production': False, 'api_key': sandbox.api_key,
              'manage_url': sandbox.url, 'retries': 1, 'retry_max_wait': 1}
    result.update(extra)
    return result


def on_prod(prod, **extra):
    result = {'instance': 'acme', 'environment': 'prod', 'production': True, 'api_key': prod['api_key'],
              'manage_url': prod['url'], 'retries': 1, 'retry_max_wait': 1, 'poll_interval': 0.1, 'wait_timeout': 10}
    result.update(extra)
    return result


def script(app):
    return next((r for r in app.component('manage_objects').records['mxapiautoscript'].values()
                 if r['autoscript'] == 'ACME_PROMO'), None)


def property_value(app, name):
    return app.state_view()['manage_properties'][name]


@pytest.fixture
def dev_config(sandbox):
    data = sandbox.app.component('manage_objects')
    from sandbox import manage_rest  # pylint: disable=import-outside-toplevel,import-error
    record = {'autoscript': 'ACME_PROMO', 'scriptlanguage': 'jython', 'source': 'desc = desc.upper()\n'}
    record_id = manage_rest._record_id(manage_rest.OBJECT_STRUCTURES['mxapiautoscript'], record)  # pylint: disable=protected-access
    record['href'] = manage_rest.PREFIX + 'mxapiautoscript/' + record_id
    data.records['mxapiautoscript'][record_id] = record
    for prop in data.records['mxapiproperty'].values():
        if prop['propname'] == 'mxe.cosbucketname':
            prop['maxpropvalue'][0]['propvalue'] = 'acme-promo'
    return data


def test_check_mode_sends_nothing_and_says_what_would_be_sent(run_module, sandbox, prod):
    seed(sandbox)
    checked = run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO',
                                                   target='PROD', _ansible_check_mode=True))
    assert not checked.failed and checked.result['changed']
    assert [c['path'] for c in checked.result['calls']] == ['/maximo/api/dm/create', '/maximo/api/dm/distribute']
    deploy = run_module(migration_package, on_prod(prod, action='deploy', package_definition='ACMEPROMO',
                                                   dmpackageid=1, admin_mode=True, _ansible_check_mode=True))
    assert not deploy.failed and 'deployed' not in deploy.result
    assert sandbox.sent() == [] and prod['app'].requests.listing() == []


def test_create_distribute_to_the_database_target_and_deploy_there(run_module, sandbox, prod, dev_config):
    seed(sandbox)
    assert script(prod['app']) is None
    created = run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO',
                                                   target='PROD', readme='promote'))
    assert not created.failed, created.result
    package = created.result['package']
    assert package['dmpackageid'] == 1 and package['status'] == 'DISTRIBUTED' and package['readme'] == 'promote'
    assert 'PROD' in created.result['distribution_message']
    assert script(prod['app']) is None  # distributed, not deployed yet
    deployed = run_module(migration_package, on_prod(prod, action='deploy', package_definition='ACMEPROMO',
                                                     dmpackageid=package['dmpackageid']))
    assert not deployed.failed and deployed.result['deployed'] and not deployed.result['admin_mode_used']
    assert deployed.result['warning_message']
    assert script(prod['app'])['source'] == 'desc = desc.upper()\n'
    assert property_value(prod['app'], 'mxe.cosbucketname') == 'acme-promo'
    assert [c['path'] for c in deployed.result['calls']] == ['/maximo/api/dm/deploy']
    # nothing was sent to dev's Manage objects by the deploy, nothing to prod by the create
    assert all(e['path'].startswith('/maximo/api/dm/') for e in sandbox.app.requests.listing())


def test_a_file_target_downloads_and_uploads_the_zip(run_module, sandbox, prod, dev_config, tmp_path):
    seed(sandbox)
    created = run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO',
                                                   target='FILES'))
    package = created.result['package']
    assert prod['app'].component('migration_manager').received == {}  # a file target: nothing in prod's database
    dest = tmp_path / 'pkg' / package['filename']
    down = run_module(migration_package, on_dev(sandbox, action='download', package_definition='ACMEPROMO',
                                                dmpackageid=package['dmpackageid'], dest=str(dest)))
    assert not down.failed and down.result['changed'] and zipfile.is_zipfile(str(dest))
    again = run_module(migration_package, on_dev(sandbox, action='download', package_definition='ACMEPROMO',
                                                 dmpackageid=package['dmpackageid'], dest=str(dest)))
    assert not again.result['changed'] and again.result['sha256'] == down.result['sha256']
    up = run_module(migration_package, on_prod(prod, action='upload', src=str(dest)))
    assert not up.failed and up.result['filename'] == package['filename']
    assert prod['app'].component('migration_manager').uploads == {package['filename']: down.result['size']}
    deployed = run_module(migration_package, on_prod(prod, action='deploy', package_definition='ACMEPROMO',
                                                     dmpackageid=package['dmpackageid']))
    assert deployed.result['deployed'] and script(prod['app'])['source'] == 'desc = desc.upper()\n'


def test_a_download_of_a_database_package_fails_and_leaves_no_file(run_module, sandbox, prod, dev_config, tmp_path):
    seed(sandbox)
    run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO', target='PROD'))
    dest = tmp_path / 'new-dir' / 'pkg.zip'
    down = run_module(migration_package, on_dev(sandbox, action='download', package_definition='ACMEPROMO',
                                                dmpackageid=1, dest=str(dest)))
    assert down.failed and 'file target' in down.result['msg'] and not dest.exists()
    assert list(tmp_path.iterdir()) == []


def test_admin_mode_needed_and_not_allowed_deploys_nothing_and_names_the_option(run_module, sandbox, prod, dev_config):
    seed(sandbox, admin_mode=True)
    run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO', target='PROD'))
    refused = run_module(migration_package, on_prod(prod, action='deploy', package_definition='ACMEPROMO',
                                                    dmpackageid=1))
    assert refused.failed and 'Nothing was deployed' in refused.result['msg'] and 'admin_mode' in refused.result['msg']
    assert refused.result['deployed'] is False and refused.result['error']['code'] == 'BMXAA0578E'
    state = prod['app'].state_view()
    assert state['admin_mode'] == 0 and state['admin_mode_history'] == [] and script(prod['app']) is None


def test_admin_mode_on_completes_the_deployment_and_goes_off(run_module, sandbox, prod, dev_config):
    seed(sandbox, admin_mode=True)
    run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO', target='PROD'))
    done = run_module(migration_package, on_prod(prod, action='deploy', package_definition='ACMEPROMO', dmpackageid=1,
                                                 admin_mode=True, logout_minutes=2))
    assert not done.failed, done.result
    assert done.result['deployed'] and done.result['admin_mode_used']
    assert [c['path'].rsplit('/', 1)[-1] for c in done.result['calls']] == [
        'deploy', 'on', 'state', 'completedeploy', 'off']
    state = prod['app'].state_view()
    assert state['admin_mode'] == 0 and state['admin_mode_history'] == ['on', 'off'] and script(prod['app'])


def test_admin_mode_goes_off_after_a_failed_completedeploy(run_module, sandbox, prod, dev_config):
    seed(sandbox, admin_mode=True)
    run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO', target='PROD'))
    prod['app'].faults.add({'method': 'POST', 'path': '/maximo/api/dm/completedeploy', 'status': 500, 'count': 1})
    failed = run_module(migration_package, on_prod(prod, action='deploy', package_definition='ACMEPROMO',
                                                   dmpackageid=1, admin_mode=True))
    assert failed.failed and failed.result['deployed'] is False and failed.result['admin_mode_off'] is True
    assert 'Admin mode was turned off again' in failed.result['msg']
    state = prod['app'].state_view()
    assert state['admin_mode'] == 0 and state['admin_mode_history'] == ['on', 'off'] and script(prod['app']) is None


def test_bad_input_sends_nothing(run_module, sandbox, prod, tmp_path):
    seed(sandbox)
    bad = tmp_path / 'bad..zip'
    with zipfile.ZipFile(str(bad), 'w') as archive:
        archive.writestr('x', 'y')
    for extra in ({'action': 'upload', 'src': str(bad)},
                  {'action': 'upload', 'src': str(bad), 'filename': '../x.zip'},
                  {'action': 'upload', 'src': str(bad), 'filename': 'x\n.zip'},
                  {'action': 'create', 'package_definition': 'ACME/../X'},
                  {'action': 'create', 'package_definition': 'ACMEPROMO', 'dmpackageid': 3},
                  {'action': 'deploy', 'package_definition': 'ACMEPROMO'},
                  {'action': 'deploy', 'package_definition': 'ACMEPROMO', 'dmpackageid': 0},
                  {'action': 'deploy', 'package_definition': 'ACMEPROMO', 'dmpackageid': 1, 'logout_minutes': 0}):
        outcome = run_module(migration_package, on_prod(prod, **extra))
        assert outcome.failed, extra
    assert sandbox.sent() == [] and prod['app'].requests.listing() == []


def test_an_unknown_package_definition_is_manage_s_error(run_module, sandbox):
    missing = run_module(migration_package, on_dev(sandbox, action='create', package_definition='NOPE'))
    assert missing.failed and 'The package definition NOPE was not found' in missing.result['msg']
    assert 'changed' not in missing.result or not missing.result['changed']


def test_a_change_definition_needs_its_listener_reactivated_and_snapshot_has_no_tracking(run_module, sandbox, prod):
    control(sandbox.url, '/_sandbox/dm/packagedefs', {
        'pkgdefname': 'ACMECHG', 'type': 'CHANGE', 'objects': {'mxapiautoscript': ['ACME_PROMO']},
        'targets': [{'targetname': 'PROD', 'type': 'database', 'environment': 'prod'}]})
    seed(sandbox)
    first = run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMECHG'))
    assert not first.failed, first.result
    # "Once a CHANGE package is created and distributed, the event listener gets de-activated" (IBM guide)
    second = run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMECHG'))
    assert second.failed and 'package 2 was created' not in second.result['msg'] and 'toggleactive' in second.result['msg']
    toggled = run_module(migration_package, on_dev(sandbox, action='toggle_active', package_definition='ACMECHG'))
    assert not toggled.failed and toggled.result['calls'] == [
        {'method': 'POST', 'path': '/maximo/api/dm/toggleactive', 'body': {'pkgdefname': 'ACMECHG'}}]
    assert not run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMECHG')).failed
    assert not run_module(migration_package, on_dev(sandbox, action='reset', package_definition='ACMECHG')).failed
    snapshot = run_module(migration_package, on_dev(sandbox, action='reset', package_definition='ACMEPROMO'))
    assert snapshot.failed and 'not a CHANGE definition' in snapshot.result['msg']


def test_create_without_distribute_sends_only_create(run_module, sandbox, prod):
    seed(sandbox)
    created = run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO',
                                                   distribute=False))
    assert created.result['package']['status'] == 'CREATED' and 'distribution_message' not in created.result
    assert [c['path'] for c in created.result['calls']] == ['/maximo/api/dm/create']
    assert sandbox.sent('POST') == [('POST', '/maximo/api/dm/create')]
    assert prod['app'].component('migration_manager').received == {}


def test_transient_errors_are_retried_only_where_manage_cannot_have_acted(
        run_module, sandbox, prod, dev_config, tmp_path):
    seed(sandbox)
    # 429 on create: not acted on, retried; 503 on the download (a GET): retried
    sandbox.app.faults.add({'method': 'POST', 'path': '/maximo/api/dm/create', 'status': 429, 'count': 1})
    created = run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO',
                                                   target='FILES', retries=2))
    assert not created.failed and created.result['package']['dmpackageid'] == 1
    sandbox.app.faults.add({'method': 'GET', 'path': '/maximo/api/dm/download', 'status': 503, 'count': 1})
    down = run_module(migration_package, on_dev(sandbox, action='download', package_definition='ACMEPROMO',
                                                dmpackageid=1, dest=str(tmp_path / 'p.zip'), retries=2))
    assert not down.failed and zipfile.is_zipfile(str(tmp_path / 'p.zip'))
    # 502 on deploy: a gateway answered, Manage may have deployed: not sent again, reported as not known
    control(sandbox.url, '/_sandbox/dm/packagedefs', {
        'pkgdefname': 'ACMEDB', 'objects': {'mxapiautoscript': ['ACME_PROMO']},
        'targets': [{'targetname': 'PROD', 'type': 'database', 'environment': 'prod'}]})
    run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEDB'))
    prod['app'].faults.add({'method': 'POST', 'path': '/maximo/api/dm/deploy', 'status': 502, 'count': 1})
    deployed = run_module(migration_package, on_prod(prod, action='deploy', package_definition='ACMEDB', dmpackageid=2,
                                                     retries=2))
    assert deployed.failed and deployed.result['deployed'] is None and 'is not known' in deployed.result['msg']
    assert [e['path'] for e in prod['app'].requests.listing()] == ['/maximo/api/dm/deploy']
    assert [e['path'] for e in sandbox.app.requests.listing()].count('/maximo/api/dm/create') == 3


def test_the_sandbox_is_not_more_lenient_than_manage(run_module, sandbox, prod):
    seed(sandbox)
    # the apikey of another environment is refused (each Manage has its own key)
    wrong = run_module(migration_package, on_dev(sandbox, action='create', package_definition='ACMEPROMO',
                                                 api_key=prod['api_key']))
    assert wrong.failed and wrong.result['error']['status'] == 401
    unknown = run_module(migration_package, on_prod(prod, action='deploy', package_definition='ACMEPROMO',
                                                    dmpackageid=99))
    assert unknown.failed and unknown.result['deployed'] is False and 'The package 99 of ACMEPROMO was not found' in \
        unknown.result['msg']
    # a package definition is not made through the API: the sandbox has no route for it
    request = urllib.request.Request(sandbox.url + '/maximo/api/dm/packagedef', data=b'{}', method='POST',
                                     headers={'apikey': sandbox.api_key})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.code == 404 and json.loads(caught.value.read())['Error']['reasonCode'] == 'BMXAA8727E'
