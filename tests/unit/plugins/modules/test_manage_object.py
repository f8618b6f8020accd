# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""manage_object through main(): create / update / delete of Manage records in the sandbox, check mode, diff, secrets."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.modules import manage_object

SECRET = 'endpoint-password-4b1d9e'


def args(sandbox, **extra):
    result = {'instance': 'acme', 'production': True, 'api_key': sandbox.api_key, 'manage_url': sandbox.url}
    result.update(extra)
    return result


def endpoint(**extra):
    result = {'object_structure': 'mxapiendpoint', 'key': {'endpointname': 'ACMEOUT'},
              'attributes': {'handlername': 'HTTP', 'description': 'to the ERP'}}
    result.update(extra)
    return result


def held(sandbox):
    return list(sandbox.app.component('manage_objects').records['mxapiendpoint'].values())


def test_key_and_objects_are_exclusive_and_one_is_needed(run_module, no_network):
    both = run_module(manage_object, {'instance': 'acme', 'api_key': 'k' * 20, 'object_structure': 'mxapiendpoint',
                                      'key': {'endpointname': 'A'}, 'objects': [endpoint()]})
    assert both.failed and 'mutually exclusive' in both.result['msg']
    neither = run_module(manage_object, {'instance': 'acme', 'api_key': 'k' * 20})
    assert neither.failed and 'one of the following is required: key, objects' in neither.result['msg']


def test_an_empty_key_and_a_repeated_item_fail_before_any_request(run_module, no_network):
    outcome = run_module(manage_object, {'instance': 'acme', 'api_key': 'k' * 20, 'objects': [
        endpoint(key={}), endpoint(), endpoint(key={'ENDPOINTNAME': 'ACMEOUT'})]})
    assert outcome.failed
    assert 'mxapiendpoint: key must name at least one attribute' in outcome.result['msg']
    assert "mxapiendpoint {'ENDPOINTNAME': 'ACMEOUT'} is listed more than once" in outcome.result['msg']


def test_create_check_apply_again_with_a_masked_secret(run_module, sandbox):
    params = args(sandbox, _ansible_diff=True, **endpoint(secret_attributes={'password': SECRET}))
    check = run_module(manage_object, dict(params, _ansible_check_mode=True))
    assert not check.failed and check.result['changed'] and check.result['outcome'] == 'created'
    assert held(sandbox) == [] and sandbox.sent('POST') == []
    made = run_module(manage_object, params)
    assert made.result['changed'] and made.result['outcome'] == 'created' and made.result['href']
    assert [r['description'] for r in held(sandbox)] == ['to the ERP']
    again = run_module(manage_object, params)
    assert not again.result['changed'] and again.result['outcome'] == 'unchanged'
    assert SECRET not in repr([check.result, made.result, again.result])


def test_update_sends_only_the_changed_attribute(run_module, sandbox):
    run_module(manage_object, args(sandbox, **endpoint()))
    outcome = run_module(manage_object, args(sandbox, _ansible_diff=True,
                                             **endpoint(attributes={'handlername': 'HTTP', 'description': 'ERP v2'})))
    assert outcome.result['changed'] and outcome.result['outcome'] == 'updated'
    assert outcome.result['changed_attributes'] == ['description']
    assert 'ERP v2' in repr(outcome.result['diff']) and held(sandbox)[0]['description'] == 'ERP v2'


def test_must_exist_fails_for_a_missing_record_and_writes_nothing(run_module, sandbox):
    outcome = run_module(manage_object, args(sandbox, **endpoint(must_exist=True)))
    assert outcome.failed and 'mxapiendpoint' in outcome.result['msg'] and held(sandbox) == []


def test_absent_deletes_once(run_module, sandbox):
    run_module(manage_object, args(sandbox, **endpoint()))
    gone = run_module(manage_object, args(sandbox, **endpoint(state='absent')))
    assert gone.result['changed'] and gone.result['outcome'] == 'deleted' and held(sandbox) == []
    again = run_module(manage_object, args(sandbox, **endpoint(state='absent')))
    assert not again.failed and not again.result['changed']


def test_a_list_reports_each_item_and_what_was_written_before_a_failure(run_module, sandbox):
    good = endpoint()
    bad = endpoint(key={'endpointname': 'NOHANDLER'}, attributes={'description': 'no handler'})
    outcome = run_module(manage_object, args(sandbox, objects=[good, bad]))
    assert outcome.failed and outcome.result['msg'].startswith("mxapiendpoint {'endpointname': 'NOHANDLER'}: ")
    assert outcome.result['changed'] and [o['outcome'] for o in outcome.result['objects']] == ['created']
