# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every Tools API module refuses production before sending anything, with or without credentials."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.modules import integrity_checker, manage_server, tools_log_info

KEY = 'unit-secret-key-0123456789'
CASES = [
    (integrity_checker, {}),
    (integrity_checker, {'mode': 'repair'}),
    (tools_log_info, {}),
    (manage_server, {'state': 'started'}),
    (manage_server, {'state': 'stopped'}),
    (manage_server, {'state': 'restarted'}),
]


@pytest.mark.parametrize('module,args', CASES)
@pytest.mark.parametrize('production', [True, None])
def test_production_is_refused_without_any_request(run_module, no_network, module, args, production):
    params = dict(args, instance='acme', api_key=KEY)
    if production is not None:
        params['production'] = production
    outcome = run_module(module, params)
    assert outcome.failed and outcome.result['refused']
    assert outcome.result['msg'].startswith('Refused before sending anything')
    assert KEY not in repr(outcome.result)


@pytest.mark.parametrize('module,args', CASES)
def test_missing_key_is_reported_before_any_request(run_module, no_network, monkeypatch, module, args):
    monkeypatch.delenv('MAS_API_KEY', raising=False)
    outcome = run_module(module, dict(args, instance='acme', production=False))
    assert outcome.failed and 'api_key is required' in outcome.result['msg']


def test_environment_variables_are_read(run_module, no_network, monkeypatch):
    monkeypatch.setenv('MAS_PRODUCTION', 'true')
    monkeypatch.setenv('MAS_INSTANCE', 'acme')
    outcome = run_module(tools_log_info, {})
    assert outcome.failed and outcome.result['environment']['tools_url'] == \
        'https://maxinst.manage.acme.suite.maximo.com/toolsapi'


def test_bad_instance_name_fails_clearly(run_module, no_network):
    outcome = run_module(integrity_checker, {'instance': 'acme corp', 'production': False, 'api_key': KEY})
    assert outcome.failed and 'not a valid host name label' in outcome.result['msg']


def test_bad_age_fails_before_any_request(run_module, no_network):
    outcome = run_module(tools_log_info, {'instance': 'acme', 'production': False, 'api_key': KEY,
                                          'newer_than': 'soon'})
    assert outcome.failed and outcome.result['msg'].startswith('newer_than:')


@pytest.mark.parametrize('value', ['', ' ', 'true', 'True', 'yes', '1', 'production', 'prod', 'nope', 'falsey', 'None'])
def test_mas_production_other_than_an_explicit_false_is_production(run_module, no_network, monkeypatch, value):
    # '' is what AWX injects for an unset text field; garbage must not lift the guard either.
    monkeypatch.setenv('MAS_PRODUCTION', value)
    outcome = run_module(tools_log_info, {'instance': 'acme', 'api_key': KEY})
    assert outcome.failed and outcome.result.get('refused'), outcome.result['msg']
    assert outcome.result['environment']['production'] is True


@pytest.mark.parametrize('value', ['false', 'False', ' FALSE ', 'no', 'off', '0', 'n', 'f'])
def test_only_an_explicit_false_declares_non_production(run_module, no_network, monkeypatch, value):
    monkeypatch.setenv('MAS_PRODUCTION', value)
    monkeypatch.delenv('MAS_API_KEY', raising=False)
    outcome = run_module(tools_log_info, {'instance': 'acme'})
    # Past the guard: the next check is the missing key.
    assert outcome.failed and not outcome.result.get('refused') and 'api_key is required' in outcome.result['msg']


def test_the_option_wins_over_the_variable(run_module, no_network, monkeypatch):
    monkeypatch.setenv('MAS_PRODUCTION', 'false')
    outcome = run_module(tools_log_info, {'instance': 'acme', 'api_key': KEY, 'production': True})
    assert outcome.failed and outcome.result.get('refused')


@pytest.mark.parametrize('value, expected', [('', True), ('garbage', True), ('True', True), ('false', False),
                                             ('0', False)])
def test_mas_validate_certs_is_only_switched_off_explicitly(monkeypatch, value, expected):
    from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import env_true_unless_false
    monkeypatch.setenv('MAS_VALIDATE_CERTS', value)
    assert env_true_unless_false('MAS_VALIDATE_CERTS') is expected


@pytest.mark.parametrize('value, expected', [('', False), ('garbage', False), ('False', False), ('true', True),
                                             ('YES', True)])
def test_mas_db2_replica_is_only_declared_explicitly(monkeypatch, value, expected):
    from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import env_false_unless_true
    monkeypatch.setenv('MAS_DB2_REPLICA', value)
    assert env_false_unless_true('MAS_DB2_REPLICA') is expected


def test_the_specs_use_the_safe_fallbacks():
    from ansible_collections.mas.dedicated.plugins.module_utils.common import options
    from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import (
        env_false_unless_true, env_true_unless_false)
    assert options.ENVIRONMENT_SPEC['production']['fallback'][0] is env_true_unless_false
    assert options.TLS_SPEC['validate_certs']['fallback'][0] is env_true_unless_false
    assert options.DB2_SPEC['replica']['fallback'][0] is env_false_unless_true


@pytest.mark.parametrize('state,label', [('started', 'starting'), ('stopped', 'stopping'), ('restarted', 'restarting')])
def test_manage_server_refusal_names_the_asked_operation_and_environment(run_module, no_network, state, label):
    outcome = run_module(manage_server, {'state': state, 'instance': 'acme', 'environment': 'prod',
                                         'production': True, 'api_key': KEY})
    msg = outcome.result['msg']
    assert outcome.failed and outcome.result['refused']
    assert "%s the Manage pods is not allowed in environment 'prod' (production)" % label in msg
    assert msg.split(' the Manage pods')[0] == 'Refused before sending anything: %s' % label
