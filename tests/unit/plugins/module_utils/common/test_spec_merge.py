# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module's argument spec: fragment specs by name plus its own options, a clash refused unless overridden, and
the secrets it masks taken from the spec's no_log options (sub-options too)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import ast
import contextlib
import json
import os

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.mas.dedicated.plugins.module_utils.common import options
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec, secrets_from


def test_parts_by_fragment_name_and_own_options():
    spec = argument_spec('connection', 'wait', state=dict(type='str'))
    assert set(spec) == {'api_key', 'wait_timeout', 'poll_interval', 'state'}
    assert spec['api_key'] == options.CONNECTION_SPEC['api_key']


def test_a_fragment_without_a_spec_is_refused():
    with pytest.raises(ValueError, match='no doc fragment mas.dedicated.connexion has a spec'):
        argument_spec('connexion')


@pytest.mark.parametrize('parts, own', [
    (('cos', 'cos.transfer', 'cos.download'), {}),                    # concurrency twice
    (('tls',), {'validate_certs': dict(type='bool', default=False)}),  # an own option shadowing a shared one
    (('environment', {'production': dict(type='bool')}), {}),          # an own group shadowing a shared one
])
def test_an_option_from_two_places_is_refused(parts, own):
    with pytest.raises(ValueError, match='is declared by both'):
        argument_spec(*parts, **own)


def test_an_override_changes_only_what_it_names_and_not_the_shared_spec():
    spec = argument_spec('wait', overrides={'poll_interval': dict(default=15.0)})
    assert spec['poll_interval'] == dict(type='float', default=15.0)
    assert spec['wait_timeout'] == options.WAIT_SPEC['wait_timeout']
    assert options.WAIT_SPEC['poll_interval']['default'] == 10.0
    spec['wait_timeout']['default'] = 1
    assert options.WAIT_SPEC['wait_timeout']['default'] == 1800


@pytest.mark.parametrize('name', ['no_such_option', 'state'])
def test_an_override_must_name_an_option_of_a_part(name):
    with pytest.raises(ValueError, match='overrides names %s' % name):
        argument_spec('wait', state=dict(type='str'), overrides={name: dict(default='x')})


SPEC = argument_spec(
    'connection', 'db2',
    test_database=dict(type='dict', options=dict(password=dict(type='str', no_log=True), hostname=dict(type='str'))),
    properties=dict(type='list', elements='dict', options=dict(name=dict(type='str'),
                                                               secret_value=dict(type='str', no_log=True))),
    secret_attributes=dict(type='dict', no_log=True),
    key=dict(type='dict', no_log=False),
)


def test_the_secrets_are_every_no_log_value_sub_options_too():
    params = {'api_key': 'key-1', 'password': 'db-pw', 'hostname': 'db.example.com', 'key': {'id': 'visible'},
              'test_database': {'password': 'test-pw', 'hostname': 'test.example.com'},
              'properties': [{'name': 'a', 'secret_value': 'prop-secret'}, {'name': 'b', 'secret_value': None}],
              'secret_attributes': {'maxendpointdtl': [{'property': 'PASSWORD', 'value': 'row-pw'}], 'n': 42,
                                    'flag': True}}
    assert sorted(secrets_from(params, SPEC)) == sorted(
        ['key-1', 'db-pw', 'test-pw', 'prop-secret', 'PASSWORD', 'row-pw', '42'])


def test_without_a_spec_the_shared_secret_options_are_found():
    params = {'api_key': 'k', 'mas_api_key': 'm', 'secret_access_key': 's', 'region': 'us-east'}
    assert sorted(secrets_from(params)) == ['k', 'm', 's']


@contextlib.contextmanager
def module_args(args):
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19 and later
    except ImportError:
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved


def test_the_runner_masks_a_nested_no_log_option():
    """MasModule's secrets come from the spec: a password in a dict option is masked with no extra code."""
    from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
    with module_args({'instance': 'acme', 'production': False,
                      'test_database': {'password': 'nested-pw-1', 'hostname': 'h'}}):
        mas = MasModule(argument_spec('environment', test_database=SPEC['test_database']))
    assert 'nested-pw-1' in mas.secrets


def test_the_specs_do_not_import_the_http_client():
    path = options.__file__
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), path)
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name and ('http_client' in name or 'http_transport' in name)]
    assert not hasattr(options, 'client_for')
    assert os.path.basename(path) == 'options.py'
